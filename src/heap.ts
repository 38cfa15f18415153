// V8 sizes its heap for the machine's RAM: on a large node it lets garbage pile up to several
// hundred MB before a full collection (~17 MB stays alive here), and after one it keeps the pages it
// freed committed for reuse (a 5,000-call run: 17 MB used in a 42 MB heap). A shebang cannot pass
// the heap flags, so the executable asks V8 for its gc function instead, and the registry calls
// `trimHeap` after each tool call. It asks for V8's "last resort" collection, the one that also
// compacts and gives the freed pages back (measured: a 135 MB heap with 4 MB alive → 6 MB, RSS
// 283 → 64 MB; 25–45 ms, run as a task of its own, not inside a call): under load when RSS is past
// a threshold, at most every two seconds, and once whenever the server falls quiet after calls.
const RSS_THRESHOLD = 96 * 1024 * 1024;
const MIN_INTERVAL_MS = 2000;
const QUIET_MS = 1500;
const TRIM = { type: 'major', execution: 'async', flavor: 'last-resort' } as const;

type Collector = (o: { type: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => unknown;
let collect: Collector | undefined;
let last = 0;
let quiet: NodeJS.Timeout | undefined;

/** Set by tuneHeap (below) with V8's gc function; tests set their own. */
export function setCollector(gc: Collector | undefined): void {
  collect = gc;
}

export function trimHeap(now = Date.now(), rss = () => process.memoryUsage.rss()): void {
  if (!collect) return;
  // What a burst of calls left behind is returned once calls stop.
  if (quiet) quiet.refresh();
  else
    quiet = setTimeout(() => {
      quiet = undefined;
      last = Date.now();
      collect?.(TRIM);
    }, QUIET_MS).unref();
  if (now - last < MIN_INTERVAL_MS || rss() < RSS_THRESHOLD) return;
  last = now;
  collect(TRIM);
}

/**
 * Called once by the executable, once the server has loaded (src/cli.ts; loading with a 1 MB young
 * generation cost ~30 ms of scavenges): from then the young generation keeps its size (it grows to
 * 2 x 64 MB otherwise), the old one grows 1.5x between full collections, and V8's gc function lets
 * `trimHeap` compact. All act when set at run time.
 */
export function tuneHeap(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  // V8's default lets the old generation grow up to 4x what survived the last full collection, which
  // set the peaks between trims (1,000 mixed calls: 152 MB; with 1.5x: 122 MB).
  v8.setFlagsFromString('--heap-growing-percent=50');
  v8.setFlagsFromString('--expose-gc');
  setCollector(process.getBuiltinModule('node:vm').runInNewContext('gc'));
}

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

/** Called once by the executable (src/heap.ts tuneHeap) with V8's gc function. */
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
 * Called once by the executable, after the fast start's first answers (src/cli.ts): the young
 * generation keeps its start size (it grows to 2 x 64 MB otherwise), and V8's gc function lets the
 * registry collect the old generation past the RSS threshold. Both act when set at run time.
 */
export function tuneHeap(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  // The old generation may grow to 1.5x what survived the last full collection before the next one
  // (V8's default lets it reach up to 4x, which set the peaks: 1,000 mixed calls peaked at 152 MB, now 122).
  v8.setFlagsFromString('--heap-growing-percent=50');
  v8.setFlagsFromString('--expose-gc');
  setCollector(process.getBuiltinModule('node:vm').runInNewContext('gc'));
}

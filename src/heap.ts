// V8 sizes its heap for the machine's RAM: on a large node it lets garbage pile up to several
// hundred MB before a full collection (~17 MB stays alive here). A shebang cannot pass the heap
// flags, so the executable asks V8 for its gc function instead, and the registry calls `trimHeap`
// after each tool call: a full collection only when RSS is past a threshold, at most once a second.
const RSS_THRESHOLD = 128 * 1024 * 1024;
const MIN_INTERVAL_MS = 1000;

let collect: ((o?: { type: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void) | undefined;
let last = 0;

/** Called once by the executable (src/bin.ts) with V8's gc function. */
export function setCollector(gc: typeof collect): void {
  collect = gc;
}

export function trimHeap(now = Date.now(), rss = () => process.memoryUsage.rss()): void {
  if (!collect || now - last < MIN_INTERVAL_MS || rss() < RSS_THRESHOLD) return;
  last = now;
  collect({ type: 'major', execution: 'async' });
}

/**
 * Called once by the executable, after the fast start's first answers (src/cli.ts): the young
 * generation keeps its start size (it grows to 2 x 64 MB otherwise), and V8's gc function lets the
 * registry collect the old generation past the RSS threshold. Both act when set at run time.
 */
export function tuneHeap(): void {
  const v8 = process.getBuiltinModule('node:v8');
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--expose-gc');
  setCollector(process.getBuiltinModule('node:vm').runInNewContext('gc'));
}

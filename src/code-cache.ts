// V8's compiled code is cached on disk between runs (src/bin.ts), but Node writes the cache only
// when the process exits normally: with a client that kills its server, the code loaded after
// start-up (the SDK, the tools, the Kubernetes client) would be compiled again on every spawn. So it
// is written once, when all of that has loaded: right after the first tool call has answered.
let flushed = false;

export function flushCodeCacheOnce(): void {
  if (flushed) return;
  flushed = true;
  setImmediate(() => process.getBuiltinModule('node:module').flushCompileCache?.()).unref();
}

#!/usr/bin/env node
// The executable. Built-ins through process.getBuiltinModule(): see src/options.ts.

// Settings a shebang cannot pass, and that cannot be set from inside once the process runs: glibc
// keeps freed blocks of a few MB resident once V8's compiler threads have freed such blocks (its mmap
// threshold rises; strace -k), and V8's young generation would otherwise grow to 2 x 64 MB. So the
// executable replaces itself, once, with the same program run with them (process.execve: the same
// process, pid and stdio; ~35 ms of a second Node start). npm run bench, 1,000 mixed calls:
// peak RSS ~125 → ~101 MB. Whatever the user set already is kept; with nothing to add, nothing is redone.
const TUNED = 'K8S_JOBS_MCP_TUNED';
const ENV: Record<string, string> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
const FLAGS = ['--max-semi-space-size=1'];
if (process.env[TUNED] !== '1' && process.platform === 'linux' && typeof process.execve === 'function' && process.argv[1]) {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const flags = FLAGS.filter((f) => !given.includes(f.slice(0, f.indexOf('='))));
  const env = Object.fromEntries(Object.entries(ENV).filter(([k]) => process.env[k] === undefined));
  if (flags.length || Object.keys(env).length) {
    process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], { ...process.env, ...env, [TUNED]: '1' });
  }
}

// Clients spawn the server often (every session of a stdio client), so V8's compiled code is cached
// between runs (Node ≥ 22.1) before anything else loads.
process.getBuiltinModule('node:module').enableCompileCache?.();
const { setManifestDir } = await import('./fast-start/manifest.js');
// The answers to a client's first questions, built beside the bundle (src/fast-start/).
setManifestDir(new URL('./manifest/', import.meta.url));
await import('./cli.js');

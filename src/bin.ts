#!/usr/bin/env node
// The executable. Clients spawn the server often (every session of a stdio client),
// so V8's compiled code is cached between runs (Node ≥ 22.1) before anything else loads.
// Built-ins through process.getBuiltinModule(): see src/options.ts.
process.getBuiltinModule('node:module').enableCompileCache?.();
const { setManifestDir } = await import('./fast-start/manifest.js');
// The answers to a client's first questions, built beside the bundle (src/fast-start/).
setManifestDir(new URL('./manifest/', import.meta.url));
await import('./cli.js');

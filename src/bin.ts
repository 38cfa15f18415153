#!/usr/bin/env node
// The executable. Clients spawn the server often (every session of a stdio client),
// so V8's compiled code is cached between runs (Node ≥ 22.1) before anything else loads.
import module from 'node:module';
import v8 from 'node:v8';
import vm from 'node:vm';

module.enableCompileCache?.();
// See src/heap.ts. A shebang cannot pass heap flags; these two still act when set here: the young
// generation keeps its start size (it grows to 2 x 64 MB otherwise), and V8's gc function lets the
// registry collect the old generation past an RSS threshold.
v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--expose-gc');
const { setCollector } = await import('./heap.js');
setCollector(vm.runInNewContext('gc'));
await import('./cli.js');

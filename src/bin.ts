#!/usr/bin/env node
// The executable. Clients spawn the server often (every session of a stdio client),
// so V8's compiled code is cached between runs (Node ≥ 22.1) before anything else loads.
import module from 'node:module';

module.enableCompileCache?.();
await import('./cli.js');

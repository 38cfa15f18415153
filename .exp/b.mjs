import { build } from 'esbuild';
const alias = process.argv[2] === 'alias' ? { 'zod/v3': './shim-v3.mjs', 'zod-to-json-schema': './shim-z2j.mjs' } : {};
await build({ entryPoints: ['e1.mjs'], outfile: `out-${process.argv[2] ?? 'plain'}.mjs`, bundle: true, format: 'esm', platform: 'node', minify: true, alias, banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }, logLevel: 'error' });

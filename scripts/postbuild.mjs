// After tsc: bundle the executable into dist/bin/ (one entry, lazily loaded chunks), so start-up
// reads a few files instead of hundreds. @kubernetes/client-node and undici stay external: they
// are loaded on the first Kubernetes call, from node_modules.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { 'k8s-jobs-mcp': new URL('../dist/bin.js', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@kubernetes/client-node', 'undici'],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync(`${outdir}k8s-jobs-mcp.js`, 0o755);

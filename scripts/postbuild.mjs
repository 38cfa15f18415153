// After tsc: bundle the executable into dist/bin/ (one entry, lazily loaded chunks), so start-up
// reads a few files instead of hundreds. @kubernetes/client-node is bundled (tree-shaken) into the
// chunk loaded on the first Kubernetes call; undici stays external, loaded from node_modules (only the
// parts used: src/kube/undici-lean.ts).
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { build } from 'esbuild';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  metafile: Boolean(process.env.BUNDLE_META),
  entryPoints: { 'k8s-jobs-mcp': new URL('../dist/bin.js', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['undici'],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  // serverInfo.version: the bundle has no package.json beside it.
  define: { __PACKAGE_VERSION__: JSON.stringify(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version) },
  logLevel: 'warning',
  plugins: [
    {
      // An ESM import of a Node built-in builds its ESM facade, which runs every lazy getter of the
      // module: node:http's loads Node's internal copy of undici (~40 ms, ~9 MB), node:crypto's
      // WebCrypto, node:process's report. process.getBuiltinModule() returns the module as
      // require() does, without the facade.
      name: 'builtins-without-esm-facade',
      setup(b) {
        b.onResolve({ filter: /^[a-z0-9:_/]+$/ }, (args) =>
          (args.kind === 'import-statement' || args.kind === 'dynamic-import') && isBuiltin(args.path) ? { path: args.path.replace(/^node:/, ''), namespace: 'builtin' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: `module.exports = process.getBuiltinModule('node:${args.path}');`, loader: 'js' }));
      },
    },
    {
      // client-node imports undici's index, which loads all of undici; it uses Agent, ProxyAgent and
      // fetch, which our lean module gives it (see src/kube/undici-lean.ts).
      name: 'undici-lean',
      setup(b) {
        b.onResolve({ filter: /^undici$/ }, (args) => (args.importer.includes('/@kubernetes/client-node/') ? { path: new URL('../dist/kube/undici-lean.js', import.meta.url).pathname } : undefined));
      },
    },
    {
      // @kubernetes/client-node re-exports every generated API and model from one index; we use the
      // kubeconfig, its auth and its request context. Declaring its modules free of side effects lets
      // esbuild drop the rest (3.4 MB → a fraction), which is most of the first call's load time.
      name: 'client-node-side-effect-free',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.pluginData === 'resolved' || !args.resolveDir.includes('@kubernetes/client-node') && !args.path.startsWith('@kubernetes/client-node')) return undefined;
          const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'resolved' });
          return r.path.includes('/@kubernetes/client-node/') ? { ...r, sideEffects: false } : r;
        });
      },
    },
  ],
});
chmodSync(`${outdir}k8s-jobs-mcp.js`, 0o755);

// The fast start's manifest: the real server's answers to a client's first questions, one file per
// combination of the settings that change them (src/fast-start/generate.ts).
const { buildManifests } = await import('../dist/fast-start/generate.js');
mkdirSync(`${outdir}manifest`, { recursive: true });
for (const [key, manifest] of Object.entries(await buildManifests())) writeFileSync(`${outdir}manifest/${key}.json`, JSON.stringify(manifest));
// BUNDLE_META=file: esbuild's metafile, to see what each chunk holds and imports.
if (process.env.BUNDLE_META) writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile));

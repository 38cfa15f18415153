// The bundle (scripts/postbuild.mjs) defines this at build time; tsc output and tests read package.json.
declare const __PACKAGE_VERSION__: string | undefined;

/** The package version, in every build. */
export const VERSION: string = (() => {
  if (typeof __PACKAGE_VERSION__ === 'string') return __PACKAGE_VERSION__;
  try {
    return (JSON.parse(process.getBuiltinModule('node:fs').readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

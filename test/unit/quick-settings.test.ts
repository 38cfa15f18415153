// The fast start answers before the config is validated, so whatever its light check lets through
// must be a config src/config.ts accepts, with the same settings.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { settingsOf } from '../../src/fast-start/manifest.js';
import { quickSettings } from '../../src/fast-start/quick.js';
import { rawSettings } from '../../src/options.js';

const quick = (argv: string[], env: NodeJS.ProcessEnv = {}) => quickSettings(rawSettings(argv, env));

/** When the light check says yes, the real config must agree, value for value. */
function agrees(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let q: ReturnType<typeof quick>;
  try {
    q = quick(argv, env);
  } catch {
    // The command line itself is refused (an unknown flag, a value that looks like a flag): both
    // paths refuse it, since the CLI reads it this way before anything else.
    expect(() => loadConfig(argv, env)).toThrow();
    return false;
  }
  if (!q) return false;
  const config = loadConfig(argv, env);
  expect(q.settings).toEqual(settingsOf(config));
  expect(q.logLevel).toBe(config.logLevel);
  expect(q.logFile).toBe(config.logFile);
  return true;
}

describe('the fast start reads the usual stdio settings without zod', () => {
  it('accepts the settings stdio clients pass, with the values the config gives', () => {
    const ok: [string[], NodeJS.ProcessEnv?][] = [
      [[]],
      [['--kubeconfig', '/k', '--context', 'prod']],
      [['--read-only', '--namespace', 'batch']],
      [['--contexts', 'a, b ,,c']],
      [['--contexts', '*']],
      [['--context', 'a', '--contexts', 'a']],
      [['--confirm', 'token', '--log-level', 'debug', '--log-file', '/tmp/x.log']],
      [['--no-redact', '--transport', 'stdio']],
      [[], { K8S_JOBS_MCP_READ_ONLY: 'yes', K8S_JOBS_MCP_CONTEXTS: 'x,y', K8S_JOBS_MCP_CONFIRM: 'token' }],
      [['--read-only'], { K8S_JOBS_MCP_READ_ONLY: 'false' }],
      [[], { K8S_JOBS_MCP_READ_ONLY: '0', K8S_JOBS_MCP_NO_REDACT: 'true', K8S_JOBS_MCP_LOG_LEVEL: 'silent' }],
    ];
    for (const [argv, env] of ok) expect(agrees(argv, env), JSON.stringify([argv, env])).toBe(true);
  });

  it('says no to anything else, so the config is validated before a byte is answered', () => {
    const no: [string[], NodeJS.ProcessEnv?][] = [
      [['--namespace', 'Not_A_Label']],
      [['--namespace', 'a'.repeat(64)]],
      [['--contexts', 'x'.repeat(254)]],
      [['--confirm', 'maybe']],
      [['--log-level', 'loud']],
      [['--kubeconfig', '']],
      [['--transport', 'http']],
      [['--demo']],
      [['--port', '8080']],
      [['--allow-namespaces', 'batch']],
      [['--request-timeout', '500']],
      [['--help']],
      [['--no-fast-start']],
      [[], { K8S_JOBS_MCP_NO_FAST_START: '1' }],
      [[], { K8S_JOBS_MCP_READ_ONLY: 'maybe' }],
      [[], { K8S_JOBS_MCP_TOKEN_SECRET: 'x'.repeat(32) }],
    ];
    for (const [argv, env] of no) expect(quick(argv, env), JSON.stringify([argv, env])).toBeUndefined();
  });

  it('never lets through a config the real one refuses, over thousands of random command lines', () => {
    // A small generator over the flags the light check reads, with good and bad values.
    const values: Record<string, string[]> = {
      '--kubeconfig': ['/k', '', ' '],
      '--context': ['a', '', 'x'.repeat(300)],
      '--contexts': ['a,b', '*', '', ',', 'x'.repeat(253), 'x'.repeat(254), ' a '],
      '--namespace': ['batch', 'B', '-a', 'a-', 'a'.repeat(63), 'a'.repeat(64), ''],
      '--confirm': ['token', 'elicitation', 'Token', ''],
      '--log-level': ['info', 'trace', 'verbose', ''],
      '--log-file': ['/tmp/l', ''],
      '--transport': ['stdio', 'http', ''],
    };
    const switches = ['--read-only', '--no-redact', '--no-fast-start'];
    const envs: NodeJS.ProcessEnv[] = [{}, { K8S_JOBS_MCP_READ_ONLY: 'true' }, { K8S_JOBS_MCP_READ_ONLY: 'nope' }, { K8S_JOBS_MCP_CONFIRM: 'token' }, { K8S_JOBS_MCP_NAMESPACE: 'X' }];
    let seed = 42; // mulberry32: the same command lines on every run
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const argv: string[] = [];
      for (const [flag, vs] of Object.entries(values)) if (rnd(3) === 0) argv.push(flag, vs[rnd(2) ? 0 : rnd(vs.length)] as string);
      for (const s of switches) if (rnd(6) === 0) argv.push(s);
      const env = envs[rnd(2) ? 0 : rnd(envs.length)];
      if (agrees(argv, env)) accepted++;
    }
    // Both outcomes occur, so the check is exercised either way.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(2900);
  });
});

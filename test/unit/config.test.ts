import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig, OPTIONS } from '../../src/config.js';

describe('config', () => {
  it('has safe defaults', () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({ demo: false, readOnly: false, redact: true, confirm: 'elicitation', requestTimeoutMs: 15000, tokenTtlSeconds: 300, logLevel: 'info', allowNamespaces: [] });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets the environment override defaults and flags override the environment', () => {
    const env = { K8S_JOBS_MCP_CONTEXT: 'from-env', K8S_JOBS_MCP_LOG_LEVEL: 'debug', K8S_JOBS_MCP_REQUEST_TIMEOUT_MS: '2000' };
    expect(loadConfig([], env)).toMatchObject({ context: 'from-env', logLevel: 'debug', requestTimeoutMs: 2000 });
    expect(loadConfig(['--context', 'from-flag', '--request-timeout=3000'], env)).toMatchObject({ context: 'from-flag', logLevel: 'debug', requestTimeoutMs: 3000 });
  });

  it('parses namespace lists and booleans from the environment', () => {
    const c = loadConfig([], { K8S_JOBS_MCP_ALLOW_NAMESPACES: 'batch, ops', K8S_JOBS_MCP_READ_ONLY: 'true', K8S_JOBS_MCP_NO_REDACT: '1' });
    expect(c.allowNamespaces).toEqual(['batch', 'ops']);
    expect(c.readOnly).toBe(true);
    expect(c.redact).toBe(false);
  });

  it('turns redaction off only when explicitly asked', () => {
    expect(loadConfig([], {}).redact).toBe(true);
    expect(loadConfig(['--no-redact'], {}).redact).toBe(false);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--request-timeout', 'soon'], /--request-timeout.*whole number/],
    [['--request-timeout', '99999999'], /--request-timeout/],
    [['--log-level', 'loud'], /--log-level/],
    [['--allow-namespaces', 'Bad_NS'], /--allow-namespaces.*DNS-1123/],
    [['--confirm', 'yolo'], /--confirm/],
    [['positional'], /positional/i],
  ])('rejects %j with a clear message', (argv, msg) => {
    expect(() => loadConfig(argv, {})).toThrow(ConfigError);
    expect(() => loadConfig(argv, {})).toThrow(msg);
  });

  it('names a bad environment variable in the error', () => {
    expect(() => loadConfig([], { K8S_JOBS_MCP_LOG_LEVEL: 'loud' })).toThrow(/K8S_JOBS_MCP_LOG_LEVEL/);
  });

  it('documents every option in --help', () => {
    const help = helpText('1.2.3');
    for (const o of Object.values(OPTIONS) as { flag?: string; env?: string }[]) expect(help).toContain(o.flag ? `--${o.flag}` : (o.env as string));
  });
});

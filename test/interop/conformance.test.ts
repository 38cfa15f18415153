// The MCP conformance suite, run as a client against our Streamable HTTP server.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, startHttpCli } from '../spawn.js';

const MUST_PASS = ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'prompts-list', 'resources-list', 'logging-set-level', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

describe('@modelcontextprotocol/conformance (server mode)', () => {
  it('passes every applicable scenario; the baseline explains each excluded one', async () => {
    const server = await startHttpCli();
    try {
      const baseline = new URL('./conformance-baseline.yml', import.meta.url).pathname;
      const r = spawnSync(process.execPath, [`${BIN}conformance`, 'server', '--url', server.url, '--expected-failures', baseline], {
        env: cleanEnv(),
        encoding: 'utf8',
        timeout: 120_000,
      });
      const out = `${r.stdout}\n${r.stderr}`;
      const summary = out.slice(out.indexOf('=== SUMMARY ==='));
      expect(r.status, summary).toBe(0);
      for (const s of MUST_PASS) expect(summary, s).toMatch(new RegExp(`✓ ${s}: \\d+ passed, 0 failed`));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

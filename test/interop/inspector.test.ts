// The MCP Inspector CLI drives the built server over stdio, as a user would from a shell.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, CLI, cleanEnv } from '../spawn.js';

const inspector = (...args: string[]) =>
  spawnSync(process.execPath, [`${BIN}mcp-inspector`, '--cli', process.execPath, CLI, '--demo', ...args], { env: cleanEnv(), encoding: 'utf8', timeout: 60_000 });

describe('MCP Inspector CLI', () => {
  it('lists the tools', () => {
    const r = inspector('--method', 'tools/list');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tools: { name: string; annotations: { readOnlyHint: boolean } }[] };
    // --demo serves two clusters, so context_list is there too.
    expect(out.tools.map((t) => t.name)).toEqual([
      'job_triage',
      'job_list',
      'job_get',
      'job_yaml',
      'job_pods',
      'job_events',
      'job_logs',
      'job_diagnose',
      'job_wait',
      'cronjob_list',
      'cronjob_get',
      'job_rerun',
      'cronjob_trigger',
      'job_suspend',
      'cronjob_suspend',
      'job_delete',
      'context_list',
    ]);
    expect(out.tools.find((t) => t.name === 'job_rerun')?.annotations.readOnlyHint).toBe(false);
  });

  it('calls a tool and prints its result', () => {
    const r = inspector('--method', 'tools/call', '--tool-name', 'job_get', '--tool-arg', 'job=batch/report-oom');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { content: { text: string }[]; structuredContent: { status: string; reason: string } };
    expect(out.structuredContent).toMatchObject({ status: 'Failed', reason: 'BackoffLimitExceeded' });
    expect(out.content[0]?.text).toMatch(/^Name:\s+batch\/report-oom/);
  });

  it('shows a tool error as an isError result, not a crash', () => {
    const r = inspector('--method', 'tools/call', '--tool-name', 'job_get', '--tool-arg', 'job=batch/nope');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { isError: boolean; content: { text: string }[] };
    expect(out.isError).toBe(true);
    expect(out.content[0]?.text).toMatch(/^Error \(not-found\)/);
  });
});

// The fast start (src/fast-start/): a client's first questions answered from the build's manifest
// must be byte for byte what the SDK answers, for every setting that changes the answers, and the
// SDK must still learn what it has to (the client's capabilities) for what follows.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { CLI, cleanEnv } from '../spawn.js';

const dir = mkdtempSync(join(tmpdir(), 'fast-start-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: one, context: {cluster: c, user: u}}, {name: two, context: {cluster: c, user: u}}]
current-context: one
`,
);

/** Writes `lines` to a fresh server's stdin and resolves with every stdout byte up to the answer to `lastId`. */
function exchange(args: string[], lines: string[], lastId: number, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--kubeconfig', kubeconfig, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer to id ${lastId}: ${stdout} ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (stdout.split('\n').some((l) => l.includes(`"id":${lastId}}`) || l.includes(`"id":${lastId},`))) {
        clearTimeout(timer);
        child.stdin.end();
        child.on('exit', () => resolve({ stdout, stderr }));
      }
    });
    for (const l of lines) child.stdin.write(`${l}\n`);
  });
}

const init = (protocolVersion: string, id = 1, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'fast', version: '1' }, ...extra } });
const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
const req = (id: number, method: string, params?: unknown) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const firstQuestions = (version: string) => [init(version), initialized, req(2, 'tools/list'), req(3, 'prompts/list', {}), req(4, 'resources/templates/list'), req(5, 'ping')];

/** Both ways of starting, on the same input: the bytes must be the same. */
async function compare(args: string[], lines: string[], lastId: number) {
  const [fast, sdk] = await Promise.all([exchange([...args, '--log-level', 'debug'], lines, lastId), exchange([...args, '--no-fast-start', '--log-level', 'debug'], lines, lastId)]);
  expect(fast.stdout).toBe(sdk.stdout);
  return { fast, sdk };
}

const answeredEarly = (stderr: string) => {
  const line = stderr.split('\n').find((l) => l.includes('fast start: the rest goes to the SDK'));
  return line ? (JSON.parse(line).answered as string[]) : undefined;
};

describe('the fast start answers from the manifest what the SDK would answer', () => {
  // Every setting that changes the tool list, the prompts or initialize: read-only, one or several
  // contexts (a list or *), the confirmation mode; and the protocol versions the SDK negotiates.
  const matrix: { args: string[]; version: string }[] = [];
  const versions = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2099-01-01'];
  let v = 0;
  for (const ro of [[], ['--read-only']])
    for (const ctx of [[], ['--contexts', 'one,two'], ['--contexts', '*'], ['--context', 'two', '--contexts', 'one']])
      for (const confirm of [[], ['--confirm', 'token']]) matrix.push({ args: [...ro, ...ctx, ...confirm], version: versions[v++ % versions.length] as string });

  it.each(matrix)('with $args, protocol $version: byte-identical, and really answered early', async ({ args, version }) => {
    const { fast, sdk } = await compare(args, firstQuestions(version), 5);
    expect(fast.stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect(JSON.parse(fast.stdout.split('\n')[0] as string).result.protocolVersion).toBe(version === '2099-01-01' ? '2025-11-25' : version);
    // Sent before any tools/call: everything was answered without the SDK, and the SDK path was the SDK's.
    expect(answeredEarly(sdk.stderr)).toBeUndefined();
    expect(fast.stderr).not.toContain('fast start: the rest goes to the SDK');
  }, 30_000);

  it('settings that do not change the answers use the same manifest, and answers stay identical', async () => {
    await compare(['--no-redact', '--namespace', 'batch', '--log-file', join(dir, 'log.txt'), '--request-timeout', '2000'], firstQuestions('2025-11-25'), 5);
  }, 30_000);

  it('hands everything from the first message it is unsure of to the SDK, in order, with the same bytes', async () => {
    const odd = [
      // before initialize, a tools/list is the SDK's to answer
      [req(1, 'tools/list'), init('2025-11-25', 2), req(3, 'tools/list')],
      // an initialize the SDK rejects (a capability of the wrong type)
      [JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: { roots: { listChanged: 'yes' } }, clientInfo: { name: 'x', version: '1' } } }), req(2, 'ping')],
      // icons and _meta are left to the SDK
      [init('2025-11-25', 1, { clientInfo: { name: 'x', version: '1', icons: [{ src: 'https://x/i.png' }] } }), req(2, 'tools/list')],
      [init('2025-11-25'), initialized, req(2, 'tools/list', { _meta: { progressToken: 7 } })],
      // not JSON, a blank line, then a valid question
      ['{"jsonrpc":"2.0","id":1,', '', init('2025-11-25', 2), req(3, 'ping')],
      // a second initialize, and a cursor
      [init('2025-11-25'), init('2025-06-18', 2), req(3, 'tools/list', { cursor: 'x' })],
      // CRLF line ends
      [`${init('2025-11-25')}\r`, `${req(2, 'tools/list')}\r`],
    ];
    for (const lines of odd) {
      const lastId = Math.max(...lines.map((l) => Number(/"id":(\d+)/.exec(l)?.[1] ?? 0)));
      await compare([], lines, lastId);
    }
  }, 60_000);

  it('logs what it answered before handing over, so this test can tell the fast start was used', async () => {
    const { fast } = await compare([], [init('2025-11-25'), initialized, req(2, 'tools/list'), req(3, 'completion/complete', { ref: { type: 'ref/prompt', name: 'diagnose-job' }, argument: { name: 'job', value: 'x' } })], 3);
    expect(answeredEarly(fast.stderr)).toEqual(['initialize', 'tools/list']);
  }, 30_000);

  it('exits at once when the client closes stdin before asking anything the SDK must answer', async () => {
    const child = spawn(process.execPath, [CLI, '--kubeconfig', kubeconfig], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write(`${init('2025-11-25')}\n`);
    child.stdin.end();
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  it('answers what a one-shot client sent before it closed stdin, the SDK part included', async () => {
    const child = spawn(process.execPath, [CLI, '--kubeconfig', kubeconfig], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stdin.end(`${[init('2025-11-25'), initialized, req(2, 'tools/list'), req(3, 'logging/setLevel', { level: 'debug' })].join('\n')}\n`);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).id)).toEqual([1, 2, 3]);
  }, 30_000);

  it('still refuses a bad configuration before answering anything', async () => {
    for (const bad of [['--namespace', 'Not_A_Label'], ['--contexts', 'x'.repeat(300)], ['--confirm', 'maybe'], ['--bogus']]) {
      const child = spawn(process.execPath, [CLI, '--kubeconfig', kubeconfig, ...bad], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stdin.write(`${init('2025-11-25')}\n`);
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(stdout).toBe('');
    }
  }, 30_000);
});

describe('after a fast start the SDK knows the client', () => {
  let demo: DemoCluster;
  beforeAll(async () => {
    demo = await startDemoCluster({ podRunMs: 60_000 });
  });
  afterAll(() => demo.close());

  it("asks the human through elicitation (the client's capability reached the SDK) and writes nothing when declined", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--kubeconfig', demo.kubeconfigPath, '--context', 'demo', '--log-level', 'debug'], env: cleanEnv(), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => {
      stderr += d;
    });
    const client = new Client({ name: 'fast', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (r) => {
      asked.push(String(r.params.message));
      return { action: 'decline' };
    });
    await client.connect(transport);
    const writesBefore = demo.api.writes.length;
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('job_suspend');
    const r = await client.callTool({ name: 'job_suspend', arguments: { job: 'batch/report-oom', suspend: true } });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('batch/report-oom');
    expect(JSON.stringify(r.content)).toMatch(/declined|not confirmed|nothing was changed/i);
    expect(demo.api.writes.length).toBe(writesBefore);
    const got = await client.callTool({ name: 'job_get', arguments: { job: 'batch/report-oom' } });
    expect(got.isError).toBeFalsy();
    await client.close();
    expect(answeredEarly(stderr)).toEqual(['initialize', 'tools/list']);
  }, 30_000);
});

describe.runIf(process.platform === 'linux')('the executable on Linux', () => {
  async function started(env: Record<string, string>, nodeArgs: string[] = []) {
    const child = spawn(process.execPath, [...nodeArgs, CLI, '--kubeconfig', kubeconfig], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('"id":1')) resolve();
      });
      child.stdin.write(`${init('2025-11-25')}\n`);
    });
    // The same pid answered: the process replaced itself rather than starting another.
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    child.stdin.end();
    await new Promise((r) => child.on('exit', r));
    return { environ, cmdline, stdout };
  }

  it("runs itself once with glibc's and V8's memory settings, in the same process", async () => {
    const { environ, cmdline, stdout } = await started({});
    expect(environ).toContain('MALLOC_ARENA_MAX=2');
    expect(environ).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    expect(cmdline).toContain('--max-semi-space-size=1');
    expect(cmdline.filter((a) => a === '--max-semi-space-size=1')).toHaveLength(1);
    expect(JSON.parse(stdout.split('\n')[0] as string).result.serverInfo.name).toBe('k8s-jobs-mcp');
  });

  it('keeps what the user set', async () => {
    const { environ, cmdline } = await started({ MALLOC_ARENA_MAX: '4' }, ['--max-semi-space-size=4']);
    expect(environ).toContain('MALLOC_ARENA_MAX=4');
    expect(environ).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    expect(cmdline).toContain('--max-semi-space-size=4');
    expect(cmdline).not.toContain('--max-semi-space-size=1');
  });
});

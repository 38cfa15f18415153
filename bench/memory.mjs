// Where the server's memory and start-up time go (issue 14). Starts the demo cluster (plus a namespace
// of 300 Jobs), spawns the bundled server over stdio and runs mixed read calls, sampling the child's
// RSS (/proc/<pid>/status) and, through a preload hook passed with `node --import` (no change to the
// server), process.memoryUsage() and V8's heap spaces. Each run can add node flags or env to the child,
// so one lever at a time can be measured. Numbers are printed (and written as JSON with --out), never asserted.
//   node bench/memory.mjs [--calls 1000,5000] [--node-arg=--max-semi-space-size=1 …] [--env MALLOC_ARENA_MAX=2 …]
//                         [--bin FILE] [--startup] [--runs 15] [--snapshot DIR] [--label NAME] [--out FILE]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const ROOT = new URL('../', import.meta.url).pathname;
const { values: opt } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000,5000' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
    bin: { type: 'string', default: join(ROOT, 'dist/bin/k8s-jobs-mcp.js') },
    startup: { type: 'boolean', default: false },
    'no-calls': { type: 'boolean', default: false },
    runs: { type: 'string', default: '15' },
    snapshot: { type: 'string' },
    label: { type: 'string', default: 'baseline' },
    out: { type: 'string' },
  },
});
const log = (s = '') => process.stderr.write(`${s}\n`);
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = (b) => round(b / 1048576);

// The preload hook: on SIGUSR2 the child writes its memory figures (and, when asked, a heap snapshot) to a file.
const HOOK = `
import { writeFileSync, existsSync, unlinkSync, renameSync } from 'node:fs';
import v8 from 'node:v8';
const out = process.env.MEMBENCH_OUT;
process.on('SIGUSR2', () => {
  if (process.env.MEMBENCH_SNAPSHOT && existsSync(out + '.snap-request')) {
    unlinkSync(out + '.snap-request');
    v8.writeHeapSnapshot(process.env.MEMBENCH_SNAPSHOT + '/' + process.pid + '-' + Date.now() + '.heapsnapshot');
  }
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]));
  const h = v8.getHeapStatistics();
  writeFileSync(out + '.tmp', JSON.stringify({ ...process.memoryUsage(), spaces, mallocedMemory: h.malloced_memory, peakMallocedMemory: h.peak_malloced_memory, externalMemory: h.external_memory }));
  renameSync(out + '.tmp', out);
});
`;

function proc(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: round(kb('VmRSS')), hwm: round(kb('VmHWM')), anon: round(kb('RssAnon')), file: round(kb('RssFile')) };
}

/** Anonymous mappings by size class, from smaps: glibc arenas are 64 MiB reservations (heap + guard). */
function smapsSummary(pid) {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const maps = [];
  let cur;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      cur = { size: (Number.parseInt(head[2], 16) - Number.parseInt(head[1], 16)) / 1024, name: head[3] || '[anon]', rss: 0 };
      maps.push(cur);
    } else if (cur && line.startsWith('Rss:')) cur.rss = Number(line.split(/\s+/)[1]);
  }
  const by = {};
  for (const m of maps) {
    const key = m.name.startsWith('/') ? (m.name.includes('/node') ? 'node binary' : 'files') : m.name;
    by[key] ??= { maps: 0, rssMB: 0 };
    by[key].maps++;
    by[key].rssMB += m.rss / 1024;
  }
  for (const v of Object.values(by)) v.rssMB = round(v.rssMB);
  // The big anonymous mappings, largest resident first.
  const big = maps.filter((m) => m.name === '[anon]' && m.rss > 4096).sort((a, b) => b.rss - a.rss).slice(0, 8).map((m) => `${round(m.size / 1024)}MB map, ${round(m.rss / 1024)}MB resident`);
  return { by, big };
}

async function usage(pid, file, snapshot = false) {
  if (snapshot) writeFileSync(`${file}.snap-request`, '');
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < (snapshot ? 600 : 100); i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      const u = JSON.parse(readFileSync(file, 'utf8'));
      return {
        heapTotal: MB(u.heapTotal),
        heapUsed: MB(u.heapUsed),
        external: MB(u.external),
        arrayBuffers: MB(u.arrayBuffers),
        malloced: MB(u.mallocedMemory),
        code: MB(u.spaces.code_space?.size ?? 0),
        newSpace: MB(u.spaces.new_space?.size ?? 0),
        oldSpace: MB(u.spaces.old_space?.size ?? 0),
        largeObj: MB((u.spaces.large_object_space?.size ?? 0) + (u.spaces.new_large_object_space?.size ?? 0)),
      };
    } catch {
      /* not written yet */
    }
  }
  return {};
}

const INIT = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'membench', version: '1' } };

/** Spawn → initialize → tools/list, and spawn → first job_get, over raw stdio (no client library in the timing). */
function rawStart(args, env, firstCall) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let buf = '';
    const marks = {};
    const timer = setTimeout(() => reject(new Error('no answer in 20 s')), 20_000);
    child.stdout.on('data', (d) => {
      buf += d;
      for (const line of buf.split('\n')) {
        if (/"id":1[,}]/.test(line) && !marks.init) marks.init = performance.now() - t0;
        if (/"id":2[,}]/.test(line) && !marks.list) marks.list = performance.now() - t0;
        if (/"id":3[,}]/.test(line) && !marks.call) marks.call = performance.now() - t0;
      }
      if (marks.list && (!firstCall || marks.call)) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(marks);
      }
    });
    const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    send({ id: 1, method: 'initialize', params: INIT });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
    if (firstCall) send({ id: 3, method: 'tools/call', params: { name: 'job_get', arguments: { job: 'batch/report-oom' } } });
  });
}

async function main() {
  const { startDemoCluster } = await import('../dist/demo/index.js');
  const { seedBulk } = await import('./bulk.mjs');
  const demo = await startDemoCluster({ podRunMs: 60_000 });
  seedBulk(demo.store, 300);
  const tmp = mkdtempSync(join(os.tmpdir(), 'membench-'));
  const hookUrl = `data:text/javascript,${encodeURIComponent(HOOK)}`;
  const extraEnv = Object.fromEntries(opt.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: os.tmpdir(), ...extraEnv };
  const serverArgs = [opt.bin, '--kubeconfig', demo.kubeconfigPath, '--context', 'demo'];
  const result = { label: opt.label, nodeArgs: opt['node-arg'], env: extraEnv, node: process.version };

  if (opt.startup) {
    const runs = Number(opt.runs);
    const list = [];
    const call = [];
    for (let i = 0; i <= runs; i++) {
      const a = await rawStart([...opt['node-arg'], ...serverArgs], env, false);
      const b = await rawStart([...opt['node-arg'], ...serverArgs], env, true);
      if (i === 0) continue; // warms the OS file cache and the compile cache
      list.push(a.list);
      call.push(b.call);
    }
    result.startup = { runs, toolsListMs: round(median(list)), toolsListRange: [round(Math.min(...list)), round(Math.max(...list))], firstJobGetMs: round(median(call)), firstJobGetRange: [round(Math.min(...call)), round(Math.max(...call))] };
    log(`${opt.label}: spawn→tools/list ${result.startup.toolsListMs} ms, spawn→first job_get ${result.startup.firstJobGetMs} ms (median of ${runs})`);
  }

  if (!opt['no-calls']) {
    const out = join(tmp, 'usage.json');
    if (opt.snapshot) env.MEMBENCH_SNAPSHOT = opt.snapshot;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', hookUrl, ...opt['node-arg'], ...serverArgs],
      env: { ...env, MEMBENCH_OUT: out },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'membench', version: '1' });
    await client.connect(transport);
    const pid = transport.pid;
    await client.listTools();
    await new Promise((r) => setTimeout(r, 300));
    result.idle = { ...proc(pid), ...(await usage(pid, out, Boolean(opt.snapshot) && opt.calls === '0')) };
    const pods = await client.callTool({ name: 'job_pods', arguments: { job: 'batch/report-oom' } });
    const podName = pods.structuredContent?.pods?.find((p) => /fail|oom/i.test(JSON.stringify(p)))?.name ?? pods.structuredContent?.pods?.[0]?.name;
    if (!podName) throw new Error(`job_pods gave no pod: ${JSON.stringify(pods.content).slice(0, 300)}`);
    const mix = [
      ['job_get', { job: 'batch/report-oom' }],
      ['job_list', { namespace: 'batch' }],
      ['job_pods', { job: 'batch/report-oom' }],
      ['job_logs', { pod: `batch/${podName}` }],
      ['job_list', { namespace: 'bulk', limit: 300 }],
    ];
    const checkpoints = opt.calls.split(',').map(Number).filter((n) => n > 0);
    const total = Math.max(0, ...checkpoints);
    result.samples = [];
    result.checkpoints = {};
    const t0 = performance.now();
    for (let i = 1; i <= total; i++) {
      const [name, args] = mix[(i - 1) % mix.length];
      const r = await client.callTool({ name, arguments: args });
      if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content).slice(0, 300)}`);
      if (i % 250 === 0) result.samples.push({ calls: i, ...proc(pid) });
      if (checkpoints.includes(i)) {
        const snap = Boolean(opt.snapshot) && i === checkpoints[0];
        result.checkpoints[i] = { ...proc(pid), ...(await usage(pid, out, snap)), ms: round(performance.now() - t0, 0) };
        log(`${opt.label}: after ${i} calls ${JSON.stringify(result.checkpoints[i])}`);
      }
    }
    result.smaps = smapsSummary(pid);
    await client.close();
  }
  await demo.close();
  rmSync(tmp, { recursive: true, force: true });
  const line = JSON.stringify(result);
  if (opt.out) writeFileSync(opt.out, `${line}\n`, { flag: 'a' });
  process.stdout.write(`${line}\n`);
}

main().catch((e) => {
  process.stderr.write(`memory bench failed: ${e.stack ?? e}\n`);
  process.exit(1);
});

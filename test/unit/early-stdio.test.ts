// The early stdio reader in-process, with the real server and the SDK's own stdio transport on
// streams: lines split anywhere (inside a UTF-8 character too), what it answers, and what the SDK
// then reads.
import { PassThrough } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/config.js';
import { buildManifests } from '../../src/fast-start/generate.js';
import { manifestKey, settingsOf } from '../../src/fast-start/manifest.js';
import { openEarlyStdio } from '../../src/fast-start/stdio.js';
import { createServer } from '../../src/server.js';
import { silent } from '../helpers.js';

const config = makeConfig({ kubeconfig: '/nonexistent', logLevel: 'silent' });

async function session() {
  const manifests = await buildManifests();
  const stdin = new PassThrough();
  const early: string[] = [];
  const e = openEarlyStdio(manifests[manifestKey(settingsOf(config))], silent, stdin, (s) => {
    early.push(s);
    return true;
  });
  if (!e) throw new Error('no early reader');
  return { stdin, early, e };
}

/** The real server on the SDK's stdio transport, given what the early reader hands over; its output lines. */
async function handOver(e: NonNullable<ReturnType<typeof openEarlyStdio>>) {
  const out = new PassThrough();
  const sdk: string[] = [];
  out.on('data', (d) => sdk.push(...String(d).split('\n').filter(Boolean)));
  const server = createServer(config, { log: silent });
  await server.connect(e.attach((input) => new StdioServerTransport(input, out)));
  for (let i = 0; i < 50 && sdk.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
  return { server, sdk };
}

describe('the early stdio reader', () => {
  it('answers lines split across chunks, even inside a character, and hands the rest to the SDK in order', async () => {
    const { stdin, early, e } = await session();
    const init = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'Zürich', version: '1' } } })}\n`;
    const bytes = Buffer.from(init);
    const cut = bytes.indexOf(Buffer.from('ü')) + 1; // between the two bytes of ü
    stdin.write(bytes.subarray(0, 7));
    stdin.write(bytes.subarray(7, cut));
    stdin.write(bytes.subarray(cut));
    stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n{"jsonrpc":"2.0","id":3,"meth');
    await new Promise((r) => setImmediate(r));
    expect(early.map((l) => JSON.parse(l).id)).toEqual([1, 2]);
    expect(JSON.parse(early[0] as string).result.protocolVersion).toBe('2025-06-18');
    stdin.write('od":"logging/setLevel","params":{"level":"debug"}}\n');
    expect(await e.needed).toBe('message');

    // The SDK's transport reads the rest; its answer to initialize (already given) is dropped.
    const { server, sdk } = await handOver(e);
    expect(sdk.map((l) => JSON.parse(l).id)).toEqual([3]);
    expect(JSON.parse(sdk[0] as string)).toEqual({ result: {}, jsonrpc: '2.0', id: 3 });
    // It learned the client from the replayed initialize.
    expect(server.server.getClientVersion()?.name).toBe('Zürich');
    expect(server.server.getClientCapabilities()?.elicitation).toBeDefined();
    // Later input goes straight to the SDK.
    stdin.write('{"jsonrpc":"2.0","id":4,"method":"ping"}\n');
    for (let i = 0; i < 50 && sdk.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(sdk[1] as string)).toEqual({ result: {}, jsonrpc: '2.0', id: 4 });
    await server.close();
  });

  it("never drops another answer than the SDK's own to the replayed initialize, even when the client reuses its id", async () => {
    const { stdin, early, e } = await session();
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } })}\n`);
    stdin.write('{"jsonrpc":"2.0","id":1,"method":"no/such/method"}\n');
    expect(await e.needed).toBe('message');
    const { server, sdk } = await handOver(e);
    await new Promise((r) => setTimeout(r, 50));
    expect(early.map((l) => JSON.parse(l).result?.protocolVersion)).toEqual(['2025-11-25']);
    expect(sdk.map((l) => JSON.parse(l))).toEqual([{ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } }]);
    await server.close();
  });

  it('leaves a line longer than any question it answers to the SDK', async () => {
    const { stdin, early, e } = await session();
    stdin.write(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"x":"${'a'.repeat(1_100_000)}`);
    expect(await e.needed).toBe('message');
    expect(early).toEqual([]);
  });

  it("settles with 'end' when the client closes stdin first", async () => {
    const { stdin, e } = await session();
    stdin.end();
    expect(await e.needed).toBe('end');
  });
});

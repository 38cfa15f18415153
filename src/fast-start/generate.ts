// Build step (scripts/postbuild.mjs): asks the real server — McpServer, our registry, over the SDK's
// in-memory transport — each question of the manifest, once per combination of the settings that
// change the answers, and keeps the answers exactly as the SDK gave them.
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { makeConfig } from '../config.js';
import { createLogger } from '../log.js';
import { createServer } from '../server.js';
import { VERSION } from '../version.js';
import { allSettings, MANIFEST_METHODS, type Manifest, type ManifestSettings, manifestKey } from './manifest.js';

async function ask(settings: ManifestSettings): Promise<Manifest> {
  const config = makeConfig({ readOnly: settings.readOnly, confirm: settings.confirm, contexts: settings.multi ? ['one', 'two'] : [], logLevel: 'silent' });
  const server = createServer(config, { log: createLogger(config) });
  const [client, transport] = InMemoryTransport.createLinkedPair();
  const answers = new Map<number, JSONRPCMessage>();
  client.onmessage = (m) => {
    if ('id' in m && typeof m.id === 'number') answers.set(m.id, m);
  };
  await server.connect(transport);
  await client.start();
  const requests = [
    { method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'manifest', version: '1' } } },
    ...MANIFEST_METHODS.map((method) => ({ method })),
  ];
  for (const [i, r] of requests.entries()) await client.send({ jsonrpc: '2.0', id: i, ...r } as JSONRPCMessage);
  for (let i = 0; answers.size < requests.length && i < 100; i++) await new Promise((r) => setTimeout(r, 10));
  const result = (i: number) => {
    const a = answers.get(i) as { result?: unknown } | undefined;
    if (!a || !('result' in a)) throw new Error(`the server did not answer ${requests[i]?.method} while the manifest was built: ${JSON.stringify(a)}`);
    return a.result;
  };
  await server.close();
  return {
    version: VERSION,
    protocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    initialize: result(0) as Record<string, unknown>,
    results: Object.fromEntries(MANIFEST_METHODS.map((m, i) => [m, result(i + 1)])) as Manifest['results'],
  };
}

/** key → manifest, for every combination of settings. */
export async function buildManifests(): Promise<Record<string, Manifest>> {
  const out: Record<string, Manifest> = {};
  for (const s of allSettings()) out[manifestKey(s)] = await ask(s);
  return out;
}

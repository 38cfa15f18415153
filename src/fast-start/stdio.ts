// The first moments of a stdio session, before the MCP SDK is loaded. Clients spawn a server per
// session and then ask the same things (initialize, tools/list, …): those are answered from the
// build's manifest, byte for byte what the SDK would send. The first message that needs more — or
// anything this code is not sure of — hands stdin over to the SDK's own transport, which then sees
// every message it must (initialize, so it knows the client's capabilities, and all that follows)
// in order, and whose answers to what was already answered are dropped. Built-ins are reached through
// process.getBuiltinModule() for the reason given in src/options.ts.
import type { PassThrough, Readable } from 'node:stream';
import type { Log } from '../log.js';
import { MANIFEST_METHODS, type Manifest, manifestDir } from './manifest.js';

/** The SDK's stdio transport, as far as this module touches it. */
interface SdkTransport {
  send(message: unknown, options?: unknown): Promise<void>;
}

export interface EarlyStdio {
  /** Settles when a message needs the SDK ('message') or the client closed stdin first ('end'). */
  readonly needed: Promise<'message' | 'end'>;
  /** Hands stdin to the SDK's transport, built by `make` on the stream given. */
  attach<T extends SdkTransport>(make: (input: Readable) => T): T;
}

const MAX_EARLY_BYTES = 1024 * 1024;
/** The id the replayed initialize carries: no client's (a client may reuse its own). */
const REPLAYED_ID = 'k8s-jobs-mcp:fast-start:initialize';
const CAPABILITY_KEYS = new Set(['experimental', 'sampling', 'elicitation', 'roots', 'extensions']);
const CLIENT_INFO_KEYS = new Set(['name', 'title', 'version', 'websiteUrl', 'description']);

export function readManifest(key: string, version: string): Manifest | undefined {
  const dir = manifestDir();
  if (!dir) return undefined;
  try {
    const m = JSON.parse(process.getBuiltinModule('node:fs').readFileSync(new URL(`${key}.json`, dir), 'utf8')) as Manifest;
    return m.version === version ? m : undefined;
  } catch {
    return undefined;
  }
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string | number => typeof v === 'string' || Number.isSafeInteger(v);
const onlyKeys = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k));

/**
 * An initialize the SDK is sure to accept: a strict subset of its schema. Anything else (icons,
 * tasks, _meta, odd types) is left to the SDK, so its answer — or its error — is the real one.
 */
function plainInitialize(params: unknown): params is { protocolVersion: string } {
  if (!isPlain(params) || !onlyKeys(params, ['protocolVersion', 'capabilities', 'clientInfo'])) return false;
  const { protocolVersion, capabilities, clientInfo } = params;
  if (typeof protocolVersion !== 'string' || !isPlain(clientInfo) || !isPlain(capabilities)) return false;
  if (!Object.keys(clientInfo).every((k) => CLIENT_INFO_KEYS.has(k) && typeof clientInfo[k] === 'string')) return false;
  if (typeof clientInfo.name !== 'string' || typeof clientInfo.version !== 'string') return false;
  for (const [k, v] of Object.entries(capabilities)) {
    if (!CAPABILITY_KEYS.has(k) || !isPlain(v)) return false;
    if (k === 'roots' && !(onlyKeys(v, ['listChanged']) && (v.listChanged === undefined || typeof v.listChanged === 'boolean'))) return false;
    if (k === 'sampling' && !(onlyKeys(v, ['context', 'tools']) && Object.values(v).every(isPlain))) return false;
    if (k === 'elicitation' && !(onlyKeys(v, ['form', 'url']) && Object.values(v).every(isPlain))) return false;
    if (k === 'elicitation' && isPlain(v.form) && !(onlyKeys(v.form, ['applyDefaults']) && (v.form.applyDefaults === undefined || typeof v.form.applyDefaults === 'boolean'))) return false;
    if ((k === 'experimental' || k === 'extensions') && !Object.values(v).every(isPlain)) return false;
  }
  return true;
}

/**
 * Starts reading stdin at once; undefined when there is no manifest for this build and settings.
 * `write` gets only whole JSON-RPC responses (serialized as the SDK's stdio transport does): under
 * stdio, stdout is the protocol and nothing else is ever written to it.
 */
export function openEarlyStdio(manifest: Manifest | undefined, log: Log, stdin: Readable = process.stdin, write = (s: string) => process.stdout.write(s)): EarlyStdio | undefined {
  if (!manifest) return undefined;
  const replay: Buffer[] = []; // what the SDK must read, in order
  const answered: string[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let initialized = false; // initialize was answered here
  let deferred = false; // from here on, everything is the SDK's
  let input: PassThrough | undefined;
  let ended = false;
  let settle: (why: 'message' | 'end') => void = () => {};
  const needed = new Promise<'message' | 'end'>((resolve) => {
    settle = resolve;
  });

  const respond = (id: string | number, result: unknown, method: string) => {
    write(`${JSON.stringify({ result, jsonrpc: '2.0', id })}\n`);
    if (answered.length < 20) answered.push(method);
  };

  /** Answers a line if it can; false hands it (and all after it) to the SDK. */
  const handle = (line: Buffer): boolean => {
    let msg: unknown;
    try {
      msg = JSON.parse(line.toString('utf8').replace(/\r?\n$/, ''));
    } catch {
      return false;
    }
    if (!isPlain(msg) || msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') return false;
    const { method, id, params } = msg;
    if (!('id' in msg)) {
      // The SDK must see `initialized` too (it calls oninitialized); no other notification is expected here.
      if (method !== 'notifications/initialized' || !initialized || !onlyKeys(msg, ['jsonrpc', 'method', 'params']) || !(params === undefined || (isPlain(params) && Object.keys(params).length === 0))) return false;
      replay.push(line);
      return true;
    }
    if (!isId(id) || !onlyKeys(msg, ['jsonrpc', 'id', 'method', 'params'])) return false;
    if (method === 'initialize' && !initialized && plainInitialize(params)) {
      const version = manifest.protocolVersions.includes(params.protocolVersion) ? params.protocolVersion : manifest.initialize.protocolVersion;
      respond(id, { ...manifest.initialize, protocolVersion: version }, method);
      initialized = true;
      // The SDK reads it later to learn the client's capabilities (its answer depends on the params
      // only), under an id of its own, so that dropping that answer can never drop another one.
      replay.push(Buffer.from(`${JSON.stringify({ ...msg, id: REPLAYED_ID })}\n`));
      return true;
    }
    const known = (MANIFEST_METHODS as readonly string[]).includes(method);
    if (!initialized || !known || !(params === undefined || (isPlain(params) && Object.keys(params).length === 0))) return false;
    respond(id, manifest.results[method as (typeof MANIFEST_METHODS)[number]], method);
    return true;
  };

  const defer = () => {
    if (deferred) return;
    deferred = true;
    log.debug({ answered }, 'fast start: the rest goes to the SDK');
    settle('message');
  };

  const onData = (chunk: Buffer) => {
    if (deferred) {
      replay.push(chunk);
      return;
    }
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let nl = pending.indexOf(10); nl >= 0 && !deferred; nl = pending.indexOf(10)) {
      const line = pending.subarray(0, nl + 1);
      pending = pending.subarray(nl + 1);
      if (!handle(line)) {
        replay.push(line);
        defer();
      }
    }
    // A line longer than any question answered here is not one of them.
    if (!deferred && pending.length > MAX_EARLY_BYTES) defer();
    if (deferred && pending.length) {
      replay.push(pending);
      pending = Buffer.alloc(0);
    }
  };
  stdin.on('data', onData);
  // A broken stdin reaches the SDK's transport as an error of its input, as it would without us.
  let failed: Error | undefined;
  stdin.on('error', (err) => {
    failed = err;
    if (input) input.destroy(err);
    else settle('end');
  });
  stdin.on('end', () => {
    ended = true;
    if (!input) settle('end');
  });

  return {
    needed,
    attach(make) {
      if (pending.length) replay.push(pending);
      pending = Buffer.alloc(0);
      input = new (process.getBuiltinModule('node:stream').PassThrough)();
      const transport = make(input);
      const send = transport.send.bind(transport);
      transport.send = (message, options) => {
        const m = message as { id?: string | number; method?: string };
        if (m.id === REPLAYED_ID && m.method === undefined) return Promise.resolve();
        return send(message, options);
      };
      for (const b of replay) input.write(b);
      replay.length = 0;
      // From here stdin flows straight into the SDK's transport, with backpressure.
      stdin.off('data', onData);
      if (failed) input.destroy(failed);
      else if (ended) input.end();
      else stdin.pipe(input);
      return transport;
    },
  };
}

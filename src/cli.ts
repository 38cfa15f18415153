// Entry point: flags + env → config, then the MCP server over stdio or HTTP.
// Nothing but MCP messages is ever written to stdout; help and errors go to stderr.
import type { Readable } from 'node:stream';
import type { Config } from './config.js';
import { manifestKey } from './fast-start/manifest.js';
import { quickSettings } from './fast-start/quick.js';
import { type EarlyStdio, openEarlyStdio, readManifest } from './fast-start/stdio.js';
import { tuneHeap } from './heap.js';
import { createLogger, type StartupLog } from './log.js';
import { ConfigError, helpText, rawSettings } from './options.js';
import { VERSION } from './version.js';

function configFailed(e: unknown): never {
  if (e instanceof ConfigError) {
    process.stderr.write(`k8s-jobs-mcp: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}

function onCrash(log: StartupLog): void {
  process.on('uncaughtException', (err) => {
    // stderr directly as well: the logger itself may be what failed. Never stdout.
    process.stderr.write(`k8s-jobs-mcp: fatal: ${err?.stack ?? String(err)}\n`);
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    log.error({ err }, 'unhandled rejection');
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let raw: Record<string, unknown>;
  try {
    raw = rawSettings(argv);
  } catch (e) {
    configFailed(e);
  }

  // A stdio start with the usual settings answers initialize, tools/list and the like from the
  // build's manifest before zod, the SDK and the tools load (src/fast-start/); they load when a
  // message needs them.
  let log: StartupLog | undefined;
  let early: EarlyStdio | undefined;
  let close = async () => {};
  let closeDemo: (() => Promise<void>) | undefined;
  let stopping = false;
  let connected = false;
  let stopWhenConnected = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log?.info({ why }, 'shutting down');
    await log?.load().catch(() => {});
    await close().catch(() => {});
    await closeDemo?.().catch(() => {});
    process.exit(0);
  };
  // From the start, not once the config has loaded: a fast start may wait for the SDK a long time.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // A client that closed our stdout can no longer be answered: the session is over, as at the end of stdin.
  process.stdout.on('error', () => void stop('stdout closed'));
  const quick = quickSettings(raw);
  if (quick) {
    log = createLogger(quick);
    onCrash(log);
    early = openEarlyStdio(readManifest(manifestKey(quick.settings), VERSION), log);
    // The client closing our stdin is the normal end of a stdio session; what it sent before is still
    // answered: the SDK's transport gets it first.
    process.stdin.on('end', () => {
      if (early && !connected) stopWhenConnected = true;
      else void stop('stdin closed');
    });
    if (early && (await early.needed) === 'end') return stop('stdin closed');
  }

  let config: Config;
  try {
    config = (await import('./config.js')).loadConfig(argv);
  } catch (e) {
    configFailed(e);
  }
  if (config.help) {
    process.stderr.write(`${helpText(VERSION)}\n`);
    return;
  }
  if (config.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }
  if (!log) {
    log = createLogger(config);
    onCrash(log);
  }

  if (config.demo) {
    const { startCliDemo } = await import('./demo/index.js');
    const demo = await startCliDemo({ kubesphere: config.demoKubesphere });
    closeDemo = demo.close;
    // Two clusters, so anyone can try contexts: demo (the default) and demo-staging.
    config = Object.freeze({ ...config, kubeconfig: demo.kubeconfigPath, context: 'demo', contexts: config.contexts.length ? config.contexts : ['demo', 'demo-staging'] });
    log.info({ url: demo.url }, 'demo cluster started');
  }

  if (config.transport === 'http') {
    const { startHttpServer } = await import('./http/server.js');
    let handle: Awaited<ReturnType<typeof startHttpServer>>;
    try {
      handle = await startHttpServer(config, { log });
    } catch (e) {
      process.stderr.write(`k8s-jobs-mcp: ${(e as Error).message}\n`);
      await closeDemo?.();
      process.exit(2);
    }
    close = () => handle.close();
    tuneHeap();
    await log.load();
    return;
  }

  if (!quick) process.stdin.on('end', () => void stop('stdin closed'));
  const [{ createServer }, { StdioServerTransport }, { guardLines, MAX_LINE_BYTES }] = await Promise.all([
    import('./server.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('./stdio-guard.js'),
  ]);
  const server = createServer(config, { log });
  const startupLog = log;
  // The SDK's transport is the one writer of the session's answers, the guard's refusals included.
  let transport: InstanceType<typeof StdioServerTransport> | undefined;
  const open = (input: Readable) => {
    const guarded = guardLines(input, (id, request) => {
      startupLog.warn({ id, request, maxBytes: MAX_LINE_BYTES }, 'message too large: dropped');
      // A request gets its error; a response to one of ours cannot be answered (its id is ours).
      if (request && id !== null) void transport?.send({ jsonrpc: '2.0', id, error: { code: -32600, message: `Request too large: a message to this server is at most ${MAX_LINE_BYTES} bytes.` } });
    });
    transport = new StdioServerTransport(guarded, process.stdout);
    return transport;
  };
  close = () => server.close();
  // Clients send tools/list right after `initialized`; the logger loads once that is answered (after
  // a fast start, initialized came long ago: the logger's own timer loads it, after the first call).
  if (!early) server.server.oninitialized = () => setTimeout(() => void startupLog.load(), 50).unref();
  await server.connect(early ? early.attach(open) : open(process.stdin));
  connected = true;
  if (stopWhenConnected) setImmediate(() => void stop('stdin closed'));
  // Loading is done: from here the young generation keeps its size (src/heap.ts).
  tuneHeap();
  log.info({ version: VERSION, demo: config.demo, readOnly: config.readOnly, fastStart: Boolean(early) }, 'k8s-jobs-mcp ready on stdio');
}

main().catch((e) => {
  process.stderr.write(`k8s-jobs-mcp: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});

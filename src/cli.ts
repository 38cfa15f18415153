// Entry point: flags + env → config, then the MCP server over stdio or HTTP.
// Nothing but MCP messages is ever written to stdout; help and errors go to stderr.
import { type Config, ConfigError, helpText, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`k8s-jobs-mcp: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.help) {
    process.stderr.write(`${helpText(VERSION)}\n`);
    return;
  }
  if (config.version) {
    process.stderr.write(`${VERSION}\n`);
    return;
  }

  const log = createLogger(config);
  process.on('uncaughtException', (err) => {
    // stderr directly as well: the logger itself may be what failed. Never stdout.
    process.stderr.write(`k8s-jobs-mcp: fatal: ${err?.stack ?? String(err)}\n`);
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    log.error({ err }, 'unhandled rejection');
  });

  let closeDemo: (() => Promise<void>) | undefined;
  if (config.demo) {
    const { startCliDemo } = await import('./demo/index.js');
    const demo = await startCliDemo({ kubesphere: config.demoKubesphere });
    closeDemo = demo.close;
    // Two clusters, so anyone can try contexts: demo (the default) and demo-staging.
    config = Object.freeze({ ...config, kubeconfig: demo.kubeconfigPath, context: 'demo', contexts: config.contexts.length ? config.contexts : ['demo', 'demo-staging'] });
    log.info({ url: demo.url }, 'demo cluster started');
  }

  let stopping = false;
  const onStop = (close: () => Promise<void>) => {
    const stop = async (why: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ why }, 'shutting down');
      await log.load().catch(() => {});
      await close().catch(() => {});
      await closeDemo?.().catch(() => {});
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
    return stop;
  };

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
    onStop(() => handle.close());
    await log.load();
    return;
  }

  const [{ createServer }, { StdioServerTransport }] = await Promise.all([import('./server.js'), import('@modelcontextprotocol/sdk/server/stdio.js')]);
  const server = createServer(config, { log });
  // Clients send tools/list right after `initialized`; the logger loads once that is answered.
  server.server.oninitialized = () => setTimeout(() => void log.load(), 50).unref();
  const stop = onStop(() => server.close());
  // The client closing our stdin is the normal end of a stdio session.
  process.stdin.on('end', () => void stop('stdin closed'));
  await server.connect(new StdioServerTransport());
  log.info({ version: VERSION, demo: config.demo, readOnly: config.readOnly }, 'k8s-jobs-mcp ready on stdio');
}

main().catch((e) => {
  process.stderr.write(`k8s-jobs-mcp: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});

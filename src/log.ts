import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/** pino to stderr (fd 2) or a file: stdout belongs to the MCP protocol. */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFile'>): Logger {
  const dest = config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: false }) : pino.destination({ fd: 2, sync: true });
  return pino(
    {
      name: 'k8s-jobs-mcp',
      level: config.logLevel,
      // Defence in depth: these never belong in a log line.
      redact: { paths: ['token', 'confirmationToken', '*.confirmationToken', 'authorization', '*.authorization'], censor: '[REDACTED]' },
    },
    dest,
  );
}

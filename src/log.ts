import type { Logger } from 'pino';
import type { Config } from './config.js';

/** What the code logs with: pino's level methods. */
export type Log = Pick<Logger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>;

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Number.POSITIVE_INFINITY } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

export interface StartupLog extends Log {
  /** Loads pino and writes what was logged so far; later calls write directly. Idempotent. */
  load(): Promise<void>;
}

/**
 * pino to stderr (fd 2) or a file: stdout belongs to the MCP protocol.
 *
 * pino is loaded when load() is called (after the server answers its first
 * messages) rather than at start-up, which clients pay for on every spawn; until
 * then records are kept in order, with their own timestamps, and a timer loads it
 * a second after the first one.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFile'>): StartupLog {
  const min = LEVELS[config.logLevel];
  let real: Logger | undefined;
  let loading: Promise<void> | undefined;
  const queue: { level: Level; time: number; args: unknown[] }[] = [];

  // A kept record is written with the time it was made: pino's own timestamp, not a second "time" key.
  let keptTime: number | undefined;
  const load = () => {
    loading ??= import('pino').then(({ default: pino }) => {
      const dest = config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: false }) : pino.destination({ fd: 2, sync: true });
      const logger = pino(
        {
          name: 'k8s-jobs-mcp',
          level: config.logLevel,
          timestamp: () => `,"time":${keptTime ?? Date.now()}`,
          // Defence in depth: these never belong in a log line.
          redact: { paths: ['token', 'confirmationToken', '*.confirmationToken', 'authorization', '*.authorization'], censor: '[REDACTED]' },
        },
        dest,
      );
      for (const q of queue) {
        keptTime = q.time;
        (logger[q.level] as (...a: unknown[]) => void)(...q.args);
      }
      keptTime = undefined;
      queue.length = 0;
      real = logger;
    });
    return loading;
  };
  // A record kept waits at most a second; a server with nothing to say (a fast start that only
  // answered from the manifest) never loads pino.
  let armed = false;

  const method =
    (level: Level) =>
    (...args: unknown[]) => {
      if (LEVELS[level] < min) return;
      if (real) (real[level] as (...a: unknown[]) => void)(...args);
      else {
        queue.push({ level, time: Date.now(), args });
        if (!armed) {
          armed = true;
          setTimeout(() => void load(), 1000).unref();
        }
      }
    };
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    load,
  } as unknown as StartupLog;
}

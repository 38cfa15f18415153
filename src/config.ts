import * as z from 'zod';
import { BOOL_WORDS, CONFIRM_MODES, ConfigError, DNS_LABEL, LOG_LEVELS, OPTIONS, type OptionSpec, rawSettings } from './options.js';

export { ConfigError, helpText, OPTIONS, optionsTable } from './options.js';

// Schemas are compiled to JS on first use; start-up parses each once, so interpreting is cheaper.
z.config({ jitless: true });

const csv = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
  .pipe(z.array(z.string().regex(DNS_LABEL, 'namespace names are DNS-1123 labels').max(63)));

const bool = z.union([z.boolean(), z.enum(BOOL_WORDS).transform((v) => ['true', '1', 'yes'].includes(v))]);

const intIn = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z.number({ error: `expected a whole number from ${min} to ${max}` }).int().min(min).max(max),
  );

export const ConfigSchema = z
  .object({
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    contexts: z
      .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
      .pipe(z.array(z.string().min(1).max(253)))
      .default([]),
    contextPolicy: z
      .union([
        z.string().transform((s, ctx) => {
          try {
            return JSON.parse(s) as unknown;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
            return z.NEVER;
          }
        }),
        z.record(z.string(), z.unknown()),
      ])
      .pipe(z.record(z.string().min(1), z.object({ allow: csv.optional(), deny: csv.optional() }).strict()))
      .default({}),
    namespace: z.string().regex(DNS_LABEL, 'a namespace is a DNS-1123 label').max(63).optional(),
    demo: bool.default(false),
    demoKubesphere: bool.default(false),
    readOnly: bool.default(false),
    allowNamespaces: csv.default([]),
    denyNamespaces: csv.default([]),
    requestTimeoutMs: intIn(100, 600_000).default(15_000),
    redact: bool.default(true),
    fastStart: bool.default(true),
    confirm: z.enum(CONFIRM_MODES).default('elicitation'),
    tokenSecret: z.string().min(16, 'the token secret needs at least 16 characters').optional(),
    tokenTtlSeconds: intIn(10, 3600).default(300),
    rerunBackend: z.enum(['auto', 'native', 'kubesphere']).default('auto'),
    transport: z.enum(['stdio', 'http']).default('stdio'),
    // A bracketed IPv6 address ([::1], as in a URL) is the address itself.
    host: z
      .string()
      .min(1)
      .default('127.0.0.1')
      .transform((h) => h.replace(/^\[(.*)\]$/, '$1')),
    port: intIn(0, 65535).default(8080),
    authTokenFile: z.string().min(1).optional(),
    authToken: z.string().min(16, 'an auth token needs at least 16 characters').optional(),
    allowedOrigins: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).default([]),
    allowedHosts: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))]).default([]),
    impersonate: bool.default(false),
    maxSessions: intIn(1, 10_000).default(100),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    logFile: z.string().min(1).optional(),
    help: bool.default(false),
    version: bool.default(false),
  })
  .strict();

export type Config = Readonly<z.output<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;


/** Builds the frozen config: defaults < environment < flags. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(rawSettings(argv, env));
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      const spec = (OPTIONS as Record<string, OptionSpec>)[key];
      const where = spec ? [spec.flag && `--${spec.flag}`, spec.env].filter(Boolean).join(' / ') : key;
      return `invalid ${where}: ${i.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  return Object.freeze(result.data);
}

/** Config for programmatic use (tests, the tour): same schema, same defaults. */
export function makeConfig(input: ConfigInput = {}): Config {
  return Object.freeze(ConfigSchema.parse(input));
}


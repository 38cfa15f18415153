import { parseArgs } from 'node:util';
import * as z from 'zod';

// Schemas are compiled to JS on first use; start-up parses each once, so interpreting is cheaper.
z.config({ jitless: true });

/**
 * One table drives flags, environment variables, --help and the README's
 * configuration reference, so the three cannot drift apart.
 */
interface OptionSpec {
  /** Absent for settings that must not appear on a command line (secrets): environment only. */
  flag?: string;
  type: 'string' | 'boolean';
  env?: string;
  help: string;
  short?: string;
}

const ENV = 'K8S_JOBS_MCP_';

export const OPTIONS = {
  kubeconfig: { flag: 'kubeconfig', type: 'string', env: `${ENV}KUBECONFIG`, help: 'Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster).' },
  context: { flag: 'context', type: 'string', env: `${ENV}CONTEXT`, help: 'Kubeconfig context to use (default: current-context).' },
  contexts: {
    flag: 'contexts',
    type: 'string',
    env: `${ENV}CONTEXTS`,
    help: 'Comma-separated kubeconfig contexts the tools may use, or * for all (default: only --context / the current one). With more than one, every tool takes a "context" argument.',
  },
  contextPolicy: {
    flag: 'context-policy',
    type: 'string',
    env: `${ENV}CONTEXT_POLICY`,
    help: 'Namespace allow/deny lists per context, as JSON: {"prod":{"allow":["batch"]},"staging":{"deny":["kube-system"]}}. A listed context uses its own lists instead of --allow/--deny-namespaces.',
  },
  namespace: { flag: 'namespace', type: 'string', env: `${ENV}NAMESPACE`, help: "Namespace for bare job names (default: the context's namespace, else \"default\")." },
  demo: { flag: 'demo', type: 'boolean', env: `${ENV}DEMO`, help: 'Start the built-in demo cluster on 127.0.0.1 and use it instead of a kubeconfig.' },
  demoKubesphere: { flag: 'demo-kubesphere', type: 'boolean', env: `${ENV}DEMO_KUBESPHERE`, help: "With --demo: also serve KubeSphere's operations API, so job_rerun uses the KubeSphere backend." },
  readOnly: { flag: 'read-only', type: 'boolean', env: `${ENV}READ_ONLY`, help: 'Register no tool that changes the cluster.' },
  allowNamespaces: { flag: 'allow-namespaces', type: 'string', env: `${ENV}ALLOW_NAMESPACES`, help: 'Comma-separated namespaces the tools may touch (default: all).' },
  denyNamespaces: { flag: 'deny-namespaces', type: 'string', env: `${ENV}DENY_NAMESPACES`, help: 'Comma-separated namespaces the tools must never touch.' },
  requestTimeoutMs: { flag: 'request-timeout', type: 'string', env: `${ENV}REQUEST_TIMEOUT_MS`, help: 'Timeout of each Kubernetes API request in milliseconds (default 15000).' },
  redact: { flag: 'no-redact', type: 'boolean', env: `${ENV}NO_REDACT`, help: 'Turn off redaction of secret-looking values (not recommended).' },
  confirm: { flag: 'confirm', type: 'string', env: `${ENV}CONFIRM`, help: 'How job_rerun confirms: "elicitation" (default, asks the human) or "token" (weaker: returns the token with the preview for bots with their own approval step).' },
  tokenSecret: { type: 'string', env: `${ENV}TOKEN_SECRET`, help: 'HMAC secret for confirmation tokens, shared by replicas (default: random per process; environment only, like every secret).' },
  tokenTtlSeconds: { flag: 'token-ttl', type: 'string', env: `${ENV}TOKEN_TTL_SECONDS`, help: 'Lifetime of a confirmation token in seconds (default 300).' },
  rerunBackend: { flag: 'rerun-backend', type: 'string', env: `${ENV}RERUN_BACKEND`, help: 'auto (default: KubeSphere when served, else native), native, or kubesphere.' },
  transport: { flag: 'transport', type: 'string', env: `${ENV}TRANSPORT`, help: 'stdio (default) or http (Streamable HTTP, for chat-ops bots and shared assistants).' },
  host: { flag: 'host', type: 'string', env: `${ENV}HOST`, help: 'HTTP: address to bind (default 127.0.0.1). Any other than loopback requires an auth token.' },
  port: { flag: 'port', type: 'string', env: `${ENV}PORT`, help: 'HTTP: port to listen on (default 8080; 0 picks a free one).' },
  authTokenFile: { flag: 'auth-token-file', type: 'string', env: `${ENV}AUTH_TOKEN_FILE`, help: 'HTTP: file of accepted bearer tokens, one per line: "<token>" or, with --impersonate, "<token> <user> [group,group…]".' },
  authToken: { type: 'string', env: `${ENV}AUTH_TOKEN`, help: 'HTTP: one accepted bearer token (environment only, so it never shows in a process list).' },
  allowedOrigins: { flag: 'allowed-origins', type: 'string', env: `${ENV}ALLOWED_ORIGINS`, help: 'HTTP: comma-separated browser Origins allowed (default: loopback origins only on a loopback bind, none otherwise).' },
  allowedHosts: { flag: 'allowed-hosts', type: 'string', env: `${ENV}ALLOWED_HOSTS`, help: 'HTTP: comma-separated Host names accepted (default: localhost, 127.0.0.1 and [::1] on a loopback bind; any otherwise).' },
  impersonate: { flag: 'impersonate', type: 'boolean', env: `${ENV}IMPERSONATE`, help: "HTTP: act as each caller's Kubernetes identity (user, groups from the token file) through impersonation headers." },
  maxSessions: { flag: 'max-sessions', type: 'string', env: `${ENV}MAX_SESSIONS`, help: 'HTTP: open sessions at most (default 100); the idlest is closed beyond it.' },
  logLevel: { flag: 'log-level', type: 'string', env: `${ENV}LOG_LEVEL`, help: 'fatal, error, warn, info (default), debug, trace or silent.' },
  logFile: { flag: 'log-file', type: 'string', env: `${ENV}LOG_FILE`, help: 'Write logs to this file instead of stderr.' },
  help: { flag: 'help', type: 'boolean', short: 'h', help: 'Show this help and exit.' },
  version: { flag: 'version', type: 'boolean', short: 'v', help: 'Show the version and exit.' },
} as const satisfies Record<string, OptionSpec>;

type Key = keyof typeof OPTIONS;

const csv = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
  .pipe(z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'namespace names are DNS-1123 labels').max(63)));

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);

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
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace is a DNS-1123 label').max(63).optional(),
    demo: bool.default(false),
    demoKubesphere: bool.default(false),
    readOnly: bool.default(false),
    allowNamespaces: csv.default([]),
    denyNamespaces: csv.default([]),
    requestTimeoutMs: intIn(100, 600_000).default(15_000),
    redact: bool.default(true),
    confirm: z.enum(['elicitation', 'token']).default('elicitation'),
    tokenSecret: z.string().min(16, 'the token secret needs at least 16 characters').optional(),
    tokenTtlSeconds: intIn(10, 3600).default(300),
    rerunBackend: z.enum(['auto', 'native', 'kubesphere']).default('auto'),
    transport: z.enum(['stdio', 'http']).default('stdio'),
    host: z.string().min(1).default('127.0.0.1'),
    port: intIn(0, 65535).default(8080),
    authTokenFile: z.string().min(1).optional(),
    authToken: z.string().min(16, 'an auth token needs at least 16 characters').optional(),
    allowedOrigins: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]).default([]),
    allowedHosts: z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))]).default([]),
    impersonate: bool.default(false),
    maxSessions: intIn(1, 10_000).default(100),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    logFile: z.string().min(1).optional(),
    help: bool.default(false),
    version: bool.default(false),
  })
  .strict();

export type Config = Readonly<z.output<typeof ConfigSchema>>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Builds the frozen config: defaults < environment < flags. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Config {
  const fromEnv: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(OPTIONS) as [Key, OptionSpec][]) {
    const raw = spec.env ? env[spec.env] : undefined;
    if (raw === undefined || raw === '') continue;
    // --no-redact is the one negative flag; its env twin means the same thing.
    fromEnv[key] = key === 'redact' ? !['true', '1', 'yes'].includes(raw) : raw;
  }

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        (Object.values(OPTIONS) as OptionSpec[]).filter((o) => o.flag).map((o) => [o.flag as string, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
      ),
    });
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}. Run with --help for the options.`);
  }
  const fromFlags: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(OPTIONS) as [Key, OptionSpec][]) {
    if (!spec.flag) continue;
    const v = parsed.values[spec.flag];
    if (v === undefined) continue;
    fromFlags[key] = key === 'redact' ? !v : v;
  }

  const result = ConfigSchema.safeParse({ ...fromEnv, ...fromFlags });
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

export function helpText(version: string): string {
  const rows = (Object.values(OPTIONS) as OptionSpec[]).map((o) => {
    const flag = o.flag ? `--${o.flag}${o.type === 'string' ? ' <value>' : ''}` : '(environment only)';
    return `  ${flag.padEnd(28)} ${o.help}${o.env ? `\n  ${''.padEnd(28)} env: ${o.env}` : ''}`;
  });
  return [
    `k8s-jobs-mcp ${version}: an MCP server for Kubernetes Jobs (stdio or Streamable HTTP).`,
    '',
    'Usage: k8s-jobs-mcp [options]',
    '',
    'Options:',
    ...rows,
    '',
    'Try it with no cluster: k8s-jobs-mcp --demo',
  ].join('\n');
}

/** The README's configuration table, generated from OPTIONS. */
export function optionsTable(): string {
  const rows = Object.values(OPTIONS).map(
    (o: OptionSpec) => `| ${o.flag ? `\`--${o.flag}${o.type === 'string' ? ' <value>' : ''}\`` : '(environment only)'} | ${o.env ? `\`${o.env}\`` : ''} | ${o.help.replaceAll('|', '\\|')} |`,
  );
  return ['| flag | environment | meaning |', '|---|---|---|', ...rows].join('\n');
}

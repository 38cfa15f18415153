// The command line and environment, read without validating: one table drives flags, environment
// variables, --help and the README's configuration reference. Light on purpose (no zod): the fast
// start (src/fast-start/) reads it before anything else loads; src/config.ts validates. Built-ins are
// reached through process.getBuiltinModule(): imported, the bundle copies each module's properties at
// load, and util's lazy ones (TextDecoder, …) cost ~8 ms of a start.

/**
 * One table drives flags, environment variables, --help and the README's
 * configuration reference, so the three cannot drift apart.
 */
export interface OptionSpec {
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
  fastStart: {
    flag: 'no-fast-start',
    type: 'boolean',
    env: `${ENV}NO_FAST_START`,
    help: 'stdio: load the MCP SDK before answering initialize and tools/list, instead of answering them from the manifest built with the server.',
  },
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

export type Key = keyof typeof OPTIONS;

/** Settings whose flag is --no-…: the flag (or its env twin) turns them off. */
export const NEGATIVE: ReadonlySet<Key> = new Set(['redact', 'fastStart']);

export const BOOL_WORDS = ['true', 'false', '1', '0', 'yes', 'no'] as const;
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const CONFIRM_MODES = ['elicitation', 'token'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {}

/** Flags over environment, as given (strings and booleans), keyed like the config; unknown flags throw. */
export function rawSettings(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const fromEnv: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(OPTIONS) as [Key, OptionSpec][]) {
    const raw = spec.env ? env[spec.env] : undefined;
    if (raw === undefined || raw === '') continue;
    // A --no-… flag and its env twin mean the same thing: the setting is off.
    fromEnv[key] = NEGATIVE.has(key) ? !['true', '1', 'yes'].includes(raw) : raw;
  }

  const { parseArgs } = process.getBuiltinModule('node:util');
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
    fromFlags[key] = NEGATIVE.has(key) ? !v : v;
  }

  return { ...fromEnv, ...fromFlags };
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

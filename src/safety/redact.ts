// Redaction of secret-looking values in what the cluster returns (Job specs,
// logs, events). It errs on the side of hiding: a false positive costs a value
// the agent did not need; a false negative leaks a credential into a transcript.

export const REDACTED = '[REDACTED]';

/** Environment variable names whose literal values are secrets. */
const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|SESSION_?KEY|CLIENT_?SECRET|DSN|CONNECTION_?STRING|_PWD$|^PWD_)/i;

const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private keys, whole block.
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, `-----BEGIN $1PRIVATE KEY----- ${REDACTED} -----END $1PRIVATE KEY-----`],
  // Authorization headers and bearer tokens.
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1$2${REDACTED}`],
  // JWTs anywhere.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, REDACTED],
  // Cloud and SaaS credentials with recognisable shapes.
  [/\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, REDACTED],
  [/\bsk-(live|test|proj|ant)?-?[A-Za-z0-9_-]{20,}\b/g, REDACTED],
  // user:password@ in URLs.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)([^\s@/]+)@/gi, `$1${REDACTED}@`],
  // key=value / key: value / --key=value where the key names a secret.
  [
    /([A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|client[_-]?secret)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)([^\s"',;&]{3,})/gi,
    (_m: string, key: string, sep: string, value: string) => (value === REDACTED || value.startsWith('$(') ? `${key}${sep}${value}` : `${key}${sep}${REDACTED}`),
  ],
];

export interface RedactCounter {
  count: number;
}

/** Replaces credential-looking substrings of free text (logs, messages, args). */
export function redactText(text: string, counter?: RedactCounter): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) {
    out = out.replace(re, (...m: string[]) => {
      const match = m[0] as string;
      const result = typeof replacement === 'string' ? match.replace(new RegExp(re.source, re.flags.replace('g', '')), replacement) : replacement(...m);
      if (result !== match && counter) counter.count++;
      return result;
    });
  }
  return out;
}

const isSecretName = (name: string) => SECRET_NAME.test(name);

/**
 * Redacts a Kubernetes object in place: literal env values with secret-looking
 * names, and secret-looking substrings of every string. `valueFrom`
 * references name a Secret without revealing it, so they stay.
 */
export function redactObject<T>(obj: T, counter: RedactCounter = { count: 0 }): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return redactText(v, counter);
    if (Array.isArray(v)) {
      if (key === 'env') {
        for (const e of v as { name?: string; value?: unknown }[]) {
          if (e && typeof e.name === 'string' && typeof e.value === 'string' && e.value !== '' && isSecretName(e.name)) {
            e.value = REDACTED;
            counter.count++;
          }
        }
      }
      return v.map((x) => walk(x));
    }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) (v as Record<string, unknown>)[k] = walk(x, k);
    }
    return v;
  };
  return walk(obj) as T;
}

/** Per-call redaction that honours the server option and counts what it hid. */
export class Redactor implements RedactCounter {
  count = 0;
  constructor(readonly enabled: boolean) {}
  text(s: string): string {
    return this.enabled ? redactText(s, this) : s;
  }
  object<T>(o: T): T {
    return this.enabled ? redactObject(o, this) : o;
  }
}

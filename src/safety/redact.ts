// Redaction of secret-looking values in what the cluster returns (Job specs,
// logs, events). It errs on the side of hiding: a false positive costs a value
// the agent did not need; a false negative leaks a credential into a transcript.
//
// Cost matters: this runs on every string of every object and on log windows
// of up to 1 MiB. One pass of an Aho-Corasick automaton over the rules' literal
// anchors (a JS loop: V8 only scans fast for regexes that are pure literals)
// finds where any rule can start; a string without anchors costs nothing more.
// Each rule then runs its sticky regex only at its anchors, in priority order,
// and a region one rule replaced is not touched again, so every secret is
// replaced and counted once. Quantifiers are bounded and a rule's run cannot
// contain its own start, so nothing backtracks catastrophically; a value longer
// than the bound is extended once the rule accepts it. PEM blocks, which span
// lines, get their own indexOf pass first. Keys disguised with look-alike
// letters, full-width forms, odd spaces or JSON \u escapes are found by a second
// scan over a folded copy, which runs only when such characters occur; its
// replacements land on the original text.

import { HOMOGLYPHS } from './confusables.js';

export const REDACTED = '[REDACTED]';

export interface RedactCounter {
  count: number;
}

// ---------------------------------------------------------------------------
// Look-alike characters, folded only to find keys (pаssword with a Cyrillic а,
// ＰＡＳＳＷＯＲＤ, pass\u0077ord, password\u00a0=): what they replace stays as written.

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLetterish = (c: number) => isAsciiLetter(c) || (c >= 0x370 && c <= 0x52f);

/**
 * Whether a character beyond ASCII outside Greek and Cyrillic may fold to
 * ASCII: odd spaces and invisible characters, NFKC compatibility forms
 * (letterlike symbols, circled and full-width forms, ligatures, mathematical
 * letters). The anchor scan asks for each one, so the common scripts (CJK) never get here.
 */
function mayFold(c: number): boolean {
  if (c < 0x2000) return c === 0xa0 || c === 0xad || c === 0x131 || c === 0x251 || c === 0x261 || c === 0x1680;
  if (c < 0x3000) return c <= 0x200d || c === 0x202f || c === 0x205f || c === 0x2060 || (c >= 0x2070 && c <= 0x218f) || (c >= 0x2460 && c <= 0x24ff);
  return c === 0x3000 || c === 0xd835 || (c >= 0xfb00 && c <= 0xfb06) || c === 0xfeff || (c >= 0xff01 && c <= 0xff5e);
}

/** JSON \u escapes written out: pass\u0077ord. */
const ESCAPE = /\\u[0-9A-Fa-f]{4}/g;
/** A Greek or Cyrillic letter next to a latin one, in a word that reads as latin (pаssword); plain Greek or Russian stays. */
const MIXED_SCRIPT = /[A-Za-z][\u0370-\u052f]|[\u0370-\u052f][A-Za-z]/g;

/** Where a text may fold: the anchor scan's finds, plus escapes and mixed-script words (ascending). */
function foldCandidates(text: string, found: readonly number[], greek: boolean): number[] {
  const out = [...found];
  if (text.includes('\\u')) {
    ESCAPE.lastIndex = 0;
    for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) out.push(m.index);
  }
  if (greek) {
    MIXED_SCRIPT.lastIndex = 0;
    for (let m = MIXED_SCRIPT.exec(text); m; m = MIXED_SCRIPT.exec(text)) out.push(isAsciiLetter(m[0].charCodeAt(0)) ? m.index + 1 : m.index);
  }
  return out.length === found.length ? out : out.sort((a, b) => a - b);
}

const ODD_SPACE = /^[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]$/;
const INVISIBLE = /^[\u00ad\u200b-\u200d\u2060\ufeff]$/;
/** The ASCII a foldable unit stands for, or undefined when it stands for nothing ASCII. */
function foldUnit(u: string): string | undefined {
  if (u.length === 6 && u[0] === '\\') {
    // Only escapes of letters, digits and spaces are decoded: an escaped quote must stay inside its string.
    const ch = String.fromCharCode(Number.parseInt(u.slice(2), 16));
    const f = ch < '\x80' ? ch : foldUnit(ch);
    return f !== undefined && /^[\w .-]*$/.test(f) ? f : undefined;
  }
  if (ODD_SPACE.test(u)) return ' ';
  if (INVISIBLE.test(u)) return '';
  const h = HOMOGLYPHS.get(u);
  if (h) return h;
  const c = u.charCodeAt(0);
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0); // full-width ASCII
  const n = u.normalize('NFKC');
  return n !== u && /^[\x20-\x7e]+$/.test(n) ? n : undefined;
}

interface Edit {
  from: number;
  fromEnd: number;
  /** What the original text from..fromEnd reads as. */
  as: string;
}

/** The units that fold to ASCII, from the candidates the anchor scan found (ascending). */
function foldEdits(text: string, candidates: readonly number[]): Edit[] {
  const edits: Edit[] = [];
  let covered = 0;
  for (const i of candidates) {
    if (i < covered) continue;
    const c = text.charCodeAt(i);
    if (c >= 0x370 && c <= 0x52f) {
      // The whole word: each look-alike in it.
      let a = i;
      let b = i + 1;
      while (a > covered && isLetterish(text.charCodeAt(a - 1))) a--;
      while (b < text.length && isLetterish(text.charCodeAt(b))) b++;
      for (let k = a; k < b; k++) {
        const as = HOMOGLYPHS.get(text[k] as string);
        if (as) edits.push({ from: k, fromEnd: k + 1, as });
      }
      covered = b;
      continue;
    }
    const u = c === 92 ? text.slice(i, i + 6) : c === 0xd835 ? text.slice(i, i + 2) : (text[i] as string);
    const as = foldUnit(u);
    if (as !== undefined) edits.push({ from: i, fromEnd: i + u.length, as });
    covered = i + u.length;
  }
  return edits;
}

interface Mapped {
  from: number;
  fromEnd: number;
  to: number;
  toEnd: number;
}

/** A slice of a text with its edits applied, and where each edit lands. */
function foldSlice(text: string, start: number, end: number, edits: readonly Edit[]): { text: string; map: Mapped[] } {
  let out = '';
  let cursor = start;
  const map: Mapped[] = [];
  for (const e of edits) {
    out += text.slice(cursor, e.from);
    map.push({ from: e.from - start, fromEnd: e.fromEnd - start, to: out.length, toEnd: out.length + e.as.length });
    out += e.as;
    cursor = e.fromEnd;
  }
  return { text: out + text.slice(cursor, end), map };
}

/** Where a position of the folded text lies in the original; a folded unit maps whole. */
function unfold(map: readonly Mapped[], p: number, isEnd: boolean): number {
  let lo = 0;
  let hi = map.length;
  // The last edit that starts before p (at or before p for a start).
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const to = (map[mid] as Mapped).to;
    if (isEnd ? to < p : to <= p) lo = mid + 1;
    else hi = mid;
  }
  const e = map[lo - 1];
  if (!e) return p;
  if (isEnd ? p <= e.toEnd : p < e.toEnd) return isEnd ? e.fromEnd : e.from;
  return p - e.toEnd + e.fromEnd;
}

/** A key or flag name as the scan would read it once folded. */
function foldKey(name: string): string {
  const found: number[] = [];
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) >= 128 && mayFold(name.charCodeAt(i))) found.push(i);
  return foldSlice(name, 0, name.length, foldEdits(name, foldCandidates(name, found, true))).text;
}

// ---------------------------------------------------------------------------
// Secret names: env vars, map keys, annotation/label keys, flags, JSON keys.

/** Whole words (after splitting a name) that name a secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'passphrase', 'pass', 'pwd', 'secret', 'token', 'credential', 'credentials', 'creds',
  'auth', 'authorization', 'cookie', 'bearer', 'dsn', 'dockercfg', 'dockerconfigjson', 'connectionstring', 'connstr',
  'sessionid', 'sessid', 'jsessionid', 'phpsessid', 'requirepass', 'masterauth',
]);
/** Secret only as the name's last word: DB_PW, HMAC, JWT_SIGNING; not PW_TEST_REPORTER, AWS_SIGNING_REGION. */
const SECRET_LAST_WORDS = new Set(['pw', 'hmac', 'signing']);
/** Concatenated names ending in one of these name a secret too (PGPASSWORD, apikey, authtoken). */
const SECRET_SUFFIXES = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'credentials', 'credential', 'creds', 'pass', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'sessionid', 'sessid'];
const PASS_WORDS = new Set(['bypass', 'compass', 'surpass', 'overpass', 'underpass', 'trespass', 'encompass', 'impass', 'multipass']);
/**
 * A last word that makes the name about a secret, not the secret itself:
 * SECRET_NAME, TOKEN_FILE, token_bucket, auth_duration_ms, PASSWORD_MIN_LENGTH.
 */
const META_WORDS = new Set([
  'name', 'names', 'ref', 'refs', 'reference', 'id', 'ids', 'file', 'files', 'filename', 'path', 'paths', 'dir', 'directory', 'mount',
  'location', 'url', 'uri', 'urls', 'endpoint', 'host', 'hostname', 'port', 'type', 'kind', 'mode', 'method', 'provider', 'policy',
  'length', 'len', 'size', 'count', 'ttl', 'expiry', 'expires', 'expiration', 'seconds', 'timeout', 'lifetime', 'duration', 'header',
  'field', 'namespace', 'enabled', 'enable', 'disabled', 'required', 'optional', 'format', 'version', 'algorithm', 'alg', 'source', 'env',
  'var', 'prefix', 'suffix', 'user', 'username', 'selector', 'label', 'hint', 'rotation', 'generator', 'stdin', 'prompt', 'command', 'cmd',
  'helper', 'manager', 'reset', 'less', 'free', 'audience', 'issuer', 'scope', 'scopes', 'realm', 'secretkeyref', 'keyref', 'store',
  'bucket', 'limit', 'limits', 'rate', 'strength', 'interval', 'period', 'window', 'threshold', 'max', 'min', 'budget', 'quota', 'usage',
  'used', 'remaining', 'left', 'available', 'allowed', 'status', 'state', 'valid', 'invalid', 'check', 'validation', 'validator', 'level',
  'score', 'complexity', 'regex', 'pattern', 'chars', 'encoding', 'cache', 'backend', 'server', 'service', 'plugin', 'module', 'handler',
  'hook', 'log', 'logger', 'logging', 'error', 'errors', 'message', 'msg', 'title', 'description', 'placeholder', 'help', 'page', 'retries',
  'retry', 'attempts', 'attempt', 'failures', 'failed', 'success', 'time', 'at', 'date', 'timestamp', 'ts', 'age', 'since', 'until',
  'start', 'end', 'started', 'created', 'updated', 'issued', 'expired', 'ms', 'us', 'ns', 'sec', 'secs', 'minutes', 'hours', 'bytes',
  'total', 'sum', 'avg', 'ratio', 'percent', 'pct', 'num', 'number', 'index', 'offset', 'metrics', 'stats', 'counter', 'latency',
]);
/** Trailing words that only say how the secret is encoded (client-key-data). */
const TRANSPARENT_WORDS = new Set(['data', 'value', 'val', 'b64', 'base64', 'enc', 'encoded', 'raw', 'str', 'string', 'hex', 'plain', 'plaintext', 'literal']);
/** Tokens that are cursors or counts, not credentials (nextPageToken, max_token). */
const TOKEN_NOT_SECRET_AFTER = ['page', 'next', 'continue', 'continuation', 'pagination', 'cursor', 'sync', 'resume', 'max', 'num', 'total', 'prompt', 'completion', 'input', 'output', 'cancel', 'cancellation', 'idempotency'];
/** FOO_KEY in env style is a secret unless FOO says it is a data key (SORT_KEY, CACHE_KEY). */
const DATA_KEY_PREFIX = new Set([
  'public', 'pub', 'primary', 'foreign', 'sort', 'partition', 'cache', 'routing', 'idempotency', 'object', 'bucket', 'hash', 'shard',
  'lookup', 'topology', 'group', 'dedup', 'dedupe', 'unique', 'composite', 'natural', 'row', 'index', 'idx', 'lock', 'queue', 'label',
  'annotation', 'node', 'field', 'json', 'message', 'event', 'metric', 'tag', 'path', 'prefix', 'config', 'cluster', 'region', 'zone',
  'stream', 'table', 'column', 'item', 'resource', 'attribute', 'property', 'map', 'redis', 'kafka', 'cursor', 'page', 'search', 'sequence',
  'order', 'entity', 'storage',
]);
/** fooKey outside env style is a secret only when foo says so (apiKey, signingKey; not topologyKey). */
const SECRET_KEY_PREFIX = new Set([
  'api', 'access', 'secret', 'private', 'client', 'signing', 'sign', 'signature', 'encryption', 'encrypt', 'decrypt', 'decryption',
  'crypt', 'crypto', 'cipher', 'master', 'account', 'shared', 'auth', 'session', 'license', 'licence', 'hmac', 'ssh', 'gpg', 'pgp', 'aes',
  'rsa', 'ecdsa', 'ed25519', 'dsa', 'jwt', 'jws', 'jwe', 'webhook', 'app', 'admin', 'root', 'sas', 'subscription', 'write', 'ingest',
  'deploy', 'server', 'consumer', 'tls', 'ssl', 'stripe', 'sendgrid', 'openai', 'anthropic', 'mailgun', 'datadog', 'dd', 'sentry',
  'service', 'kms', 'vault', 'csrf', 'xsrf', 'otp', 'totp', 'mfa', 'recovery', 'wrapping', 'dek', 'kek', 'cmk', 'sk',
]);

function nameWords(name: string): string[] {
  const tail = name.slice(name.lastIndexOf('/') + 1);
  return tail
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function secretWord(w: string, prev: string | undefined): boolean {
  if (w.endsWith('token')) {
    const before = w === 'token' ? prev : w.slice(0, -5);
    return !before || !TOKEN_NOT_SECRET_AFTER.some((p) => before.endsWith(p));
  }
  if (SECRET_WORDS.has(w)) return true;
  for (const s of SECRET_SUFFIXES) {
    if (w.length > s.length && w.endsWith(s)) return !(s === 'pass' && PASS_WORDS.has(w));
  }
  return false;
}

function computeSecretKey(raw: string): boolean {
  const name = /[^ -~]/.test(raw) ? foldKey(raw) : raw;
  const tail = name.slice(name.lastIndexOf('/') + 1);
  // The shell's own PWD / OLDPWD hold directories.
  if (tail === 'PWD' || tail === 'OLDPWD') return false;
  const ws = nameWords(name);
  // ENCRYPTION_KEY_2: a number after the name says nothing; nor does an encoding (client-key-data).
  while (ws.length > 1 && /^\d+$/.test(ws[ws.length - 1] as string)) ws.pop();
  const words = ws.length;
  while (ws.length > 1 && TRANSPARENT_WORDS.has(ws[ws.length - 1] as string)) ws.pop();
  const last = ws[ws.length - 1];
  if (last === undefined) return false;
  // KUBECONFIG_DATA, kubeconfig-b64: a whole kubeconfig, credentials included (KUBECONFIG, KUBECONFIG_1: paths).
  if (last === 'kubeconfig') return ws.length < words;
  if (SECRET_LAST_WORDS.has(last)) return true;
  // Vault's AppRole secret_id is the credential itself.
  if (last === 'id' && (ws.includes('session') || ws[ws.length - 2] === 'secret')) return true;
  // Presigned URLs: X-Amz-Signature, X-Goog-Signature open the object to anyone holding the URL.
  if (last === 'signature' && (ws.includes('amz') || ws.includes('goog'))) return true;
  if (META_WORDS.has(last)) return false;
  for (let i = 0; i < ws.length; i++) if (secretWord(ws[i] as string, ws[i - 1])) return true;
  if (last === 'key') {
    const prefix = ws[ws.length - 2];
    if (prefix === undefined) return false;
    return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(tail) ? !DATA_KEY_PREFIX.has(prefix) : SECRET_KEY_PREFIX.has(prefix);
  }
  return last.length > 3 && last.endsWith('key') && SECRET_KEY_PREFIX.has(last.slice(0, -3));
}

const keyCache = new Map<string, boolean>();

/** Whether a key, env var, annotation/label key or flag names a secret (DB_PASS, apiKey, example.com/db-password). */
export function isSecretKey(name: string): boolean {
  let v = keyCache.get(name);
  if (v === undefined) {
    v = computeSecretKey(name);
    if (keyCache.size > 5000) keyCache.clear();
    keyCache.set(name, v);
  }
  return v;
}

/** Values that hide nothing: empty, booleans, references to other variables, masks, or already redacted. */
function isTrivial(value: string): boolean {
  const v = value.trim().replace(/^(["'])(.*)\1$/, '$2');
  return (
    v === '' ||
    v.includes(REDACTED) ||
    /^(?:true|false|yes|no|on|off|null|nil|none|undefined|enabled|disabled)$/i.test(v) ||
    // References ($VAR, ${VAR}, $(VAR) in Kubernetes, {{ template }}, %VAR%, <placeholder>) and masks. Values may be cut.
    /^\$[A-Za-z_][\w.]*$|^\$[{(]|^\{\{|^%[A-Za-z_]+%$|^<[^<>]*>$|^\*+$/.test(v)
  );
}

// ---------------------------------------------------------------------------
// Value heuristics.

const PORT_LIKE = /^[\d.:[\]-]+(?:\/(?:tcp|udp|sctp))?$/;
const PATH_LIKE = /^(?:~|\.{1,2})?\/[\w.@%+\-/]*$/;
const AUTH_SCHEME = /^(?:bearer|basic|token|digest|negotiate|ntlm|hoba|mutual|apikey|api-key|ssws|oauth|aws4-hmac-sha256)$/i;

const mixedCaseAndDigits = (v: string) => /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v);

function entropy(v: string): number {
  const freq = new Map<string, number>();
  for (const c of v) freq.set(c, (freq.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) h -= (n / v.length) * Math.log2(n / v.length);
  return h;
}

/** Random-looking: long, mixed case and digits, high entropy (gitleaks' generic-api-key). */
const highEntropy = (v: string) => v.length >= 20 && mixedCaseAndDigits(v) && entropy(v) >= 3.5;
/** A token after "Bearer" rather than a word ("bearer authentication"). */
const tokenLike = (v: string) => /\d/.test(v) || /[._~+/=-]/.test(v) || (v.length >= 20 && /[a-z]/.test(v) && /[A-Z]/.test(v));

function decodesToUserPass(v: string): boolean {
  const s = Buffer.from(v, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(s);
}

// ---------------------------------------------------------------------------
// Shell context for short flags: -p means a password to mysql, a port to docker.

const SEGMENT_STOP = new Set(['\n', ';', '|', '&', '`', '(', '[', '{']);

/** The shell command segment (at most 160 characters) that ends at index. */
function segmentBefore(text: string, index: number): string {
  let i = index;
  const min = Math.max(0, index - 160);
  while (i > min && !SEGMENT_STOP.has(text[i - 1] as string)) i--;
  return text.slice(i, index);
}

const WRAPPERS = new Set(['sudo', 'exec', 'env', 'time', 'nohup', 'command', 'xargs', 'nice', 'timeout', 'sh', 'bash', '-c']);

function commandOf(segment: string): string {
  for (const raw of segment.trim().split(/[\s,]+/)) {
    const w = raw.replace(/^["'[]+|["',\]]+$/g, '');
    if (!w || WRAPPERS.has(w) || /^[A-Za-z_]\w*=/.test(w)) continue;
    return w.slice(w.lastIndexOf('/') + 1);
  }
  return '';
}

/** Commands whose -p is not a password (mkdir -p, docker -p 8080:80, ssh -p 22, kubectl patch -p). */
const P_NOT_PASSWORD = new Set([
  'mkdir', 'cp', 'scp', 'ssh', 'rsync', 'docker', 'podman', 'nerdctl', 'crictl', 'ctr', 'kubectl', 'oc', 'helm', 'nc', 'ncat', 'netcat',
  'socat', 'read', 'install', 'patch', 'git', 'ps', 'pgrep', 'pkill', 'kill', 'top', 'htop', 'strace', 'ltrace', 'perf', 'gdb', 'lsof',
  'pidstat', 'taskset', 'renice', 'chrt', 'tar', 'unzip', 'zip', 'gzip', 'python', 'python3', 'pip', 'pip3', 'node', 'npm', 'java',
  'gcc', 'g++', 'cc', 'clang', 'make', 'psql', 'pg_dump', 'pg_restore', 'pg_isready', 'pg_basebackup', 'pgbench', 'createdb', 'dropdb',
  'nmap', 'iperf', 'iperf3', 'curl', 'wget', 'nginx', 'gunicorn', 'uwsgi', 'ls', 'cat', 'sed', 'grep', 'awk', 'find', 'xz', 'date',
  'ulimit', 'ip', 'iptables', 'ss', 'netstat', 'tcpdump', 'redis-cli', 'redis-server', 'aws', 'gsutil', 'gcloud', 'az', 'terraform',
]);
const MYSQL_LIKE = /\b(?:mysql\w*|mariadb[\w-]*|7z[ar]?|sshpass)\b|(?:^|\s)-u\S/;
const REDIS_CLI = /\b(?:redis-cli|keydb-cli|valkey-cli|redis-benchmark)\b/;
const USER_NOT_CREDENTIAL = new Set(['docker', 'podman', 'nerdctl', 'ctr', 'crictl', 'runuser', 'kubectl', 'su']);

/** Registry and cluster logins take -p as the password (docker login -u ci -p X, oc login, az acr login). */
const LOGIN = /(?:^|[\s"',[])login(?=[\s"',\]]|$)/;

const flagStart = (text: string, i: number) => i === 0 || /[\s"'[,=(]/.test(text[i - 1] as string);

/** Whether "-p value" / "-pvalue" carries a password, given the command segment before it. */
function shortPasswordFlag(value: string, glued: boolean, segment: () => string): boolean {
  if (value.startsWith('-') || !/[A-Za-z0-9]/.test(value) || PORT_LIKE.test(value) || PATH_LIKE.test(value) || value.includes('://') || isTrivial(value)) return false;
  if (/^['"]?[{[]/.test(value)) return false; // a JSON patch
  const s = segment();
  if (MYSQL_LIKE.test(s) || LOGIN.test(s)) return true;
  return !glued && !P_NOT_PASSWORD.has(commandOf(s));
}

const NEGATING_FLAG_WORDS = new Set(['no', 'skip', 'disable', 'without', 'allow', 'enable', 'use', 'require', 'with', 'insecure', 'ignore']);

/** A flag (--password, -token) whose separate next word is a secret. */
function secretFlag(flag: string, value: string): boolean {
  if (!/^-{1,2}[A-Za-z]/.test(flag) || value.startsWith('-') || !isSecretKey(flag) || isTrivial(value)) return false;
  const ws = nameWords(flag);
  if (NEGATING_FLAG_WORDS.has(ws[0] as string)) return false;
  // A path says where a key is kept; passwords are never paths.
  return !PATH_LIKE.test(value) || ws.some((w) => /pass|pwd/.test(w));
}

/** For -u / --user user:password: whether the part after the colon is a password. */
function userPassword(user: string, pass: string, segment: () => string): boolean {
  if (!pass || isTrivial(pass) || (/^\d+$/.test(user) && /^\d+$/.test(pass))) return false; // uid:gid
  return !USER_NOT_CREDENTIAL.has(commandOf(segment()));
}

// ---------------------------------------------------------------------------
// The rule table.

export interface Candidate {
  text: string;
  /** Where the whole match starts. */
  index: number;
  match: string;
  secret: string;
  secretStart: number;
}

export interface RedactionRule {
  name: string;
  /**
   * Regex source whose one capturing group, the secret, ends the match (only
   * lookarounds after it). Case-sensitive unless wrapped in (?i:...).
   */
  pattern: string;
  /** Literals (case-insensitive unless caseSensitive) at which the pattern can start. */
  anchors: readonly string[];
  caseSensitive?: boolean;
  /** The pattern starts this many characters before its anchor (a fixed-width id in front of a literal). */
  lead?: number;
  /** A line that must be caught, and the secret in it that must disappear. */
  example: string;
  secret: string;
  accept?: (c: Candidate) => boolean;
  /** Replaces the secret; returns the new text and how many values it hid. */
  replace?: (c: Candidate) => [string, number];
  /** Characters that continue a secret cut off by the pattern's bound (sticky). */
  extend?: RegExp | ((c: Candidate) => RegExp);
}

/** A value: quoted (any characters up to the quote) or a bare word up to a delimiter. */
const VALUE = String.raw`((?<=\\")[^"\\\n]{1,64}|(?<=(?:^|[^\\])")(?:[^"\\\n]|\\[^\n]){1,64}|(?<=')[^'\n]{1,64}|(?<!["'])[^\s"'\x60,;&<>(){}[\]\\=]{1,64}={0,3})`;
/** A flag starts a word (checked right after its dash, so the scan can start at the dash). */
const FLAG_START = String.raw`(?<=(?:^|[\s"'[,=(])-)`;
/** The next element of an argv list written as JSON/Python (", ") or YAML (newline, "- "). */
const NEXT_ELEMENT = String.raw`["']?[ \t]{0,4}(?:,|\r?\n[ \t]{0,64}-)[ \t]{0,4}["']?`;
/** Between a short flag and its value: nothing (-pX), blanks, or the next element of an argv list. */
const ARG_SEP = String.raw`(?:[ \t]{1,4}["']?|${NEXT_ELEMENT}|["']?)`;
const SHORT_VALUE = String.raw`((?<=')[^'\n]{1,128}|(?<=")[^"\n]{1,128}|(?<!["'])[^\s'"]{1,128})`;
const KEYWORDS = 'pass|pwd|pw|secret|token|key|auth|cred|cookie|sess|dsn|bearer|dockercfg|dockerconfigjson|connstr|connectionstring|signature|hmac|signing';

const BARE = /[^\s"'`,;&<>(){}[\]\\=]*={0,3}/y;
const DQUOTED = /(?:[^"\\\n]|\\[^\n])*/y;
const ESCAPED_DQUOTED = /[^"\\\n]*/y;
const SQUOTED = /[^'\n]*/y;
const NO_SPACE_OR_QUOTE = /[^\s"'\\,;]*/y;
const BASE64ISH = /[A-Za-z0-9+/=._~-]*/y;

function cookieValues(c: Candidate): [string, number] {
  const setCookie = c.text.slice(Math.max(0, c.index - 4), c.index).toLowerCase() === 'set-';
  let n = 0;
  const parts = c.secret.split(';').map((part, i) => {
    if (setCookie && i > 0) return part;
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    const value = part.slice(eq + 1).trim();
    if (!value || isTrivial(value)) return part;
    n++;
    return `${part.slice(0, eq + 1)}${REDACTED}`;
  });
  return [parts.join(';'), n];
}

function envPair(c: Candidate): boolean {
  const name = /name\\?"?\s*:\s*\\?["']?([A-Za-z_][\w.-]*)/.exec(c.match)?.[1];
  return name !== undefined && isSecretKey(name) && !isTrivial(c.secret);
}

const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;

/** key=value, key: value, "key": "value", --flag value where the key names a secret. */
function genericAssignment(c: Candidate): boolean {
  const { text, index, secretStart } = c;
  let start = index;
  while (start > 0 && index - start < 64 && isKeyChar(text.charCodeAt(start - 1))) start--;
  let end = index;
  while (end < secretStart && isKeyChar(text.charCodeAt(end))) end++;
  const key = text.slice(start, end);
  const sep = text.slice(end, secretStart);
  const value = c.secret;
  if (!sep.includes(':') && !sep.includes('=')) return flagStart(text, start) && secretFlag(key, value);
  // gitleaks' generic-api-key: also a random-looking value under a key-ish name.
  if (!isSecretKey(key) && !(/key|access|auth|api/i.test(key) && highEntropy(value))) return false;
  // A YAML block indicator (password: |) opens a value that yaml-multiline-value hides.
  if (isTrivial(value) || /^[|>][1-9+-]{0,2}$/.test(value)) return false;
  const after = secretStart + value.length;
  if (AUTH_SCHEME.test(value) && text[after] === ' ') return false;
  // SET PASSWORD = PASSWORD('x'): the function, not its argument (sql-password hides that).
  if (text[after] === '(' && /^(?:old_)?password$/i.test(value)) return false;
  // "token: context deadline exceeded", volume "creds" : secret "db" not found: sentences, not YAML values.
  return !(!/["']$/.test(sep) && sep.includes(':') && /^[a-z]+$/.test(value) && /^ [a-z"]/.test(text.slice(after, after + 2)));
}

/** Which continuation fits a generic value: it depends on the quote it opened with. */
function valueRun(c: Candidate): RegExp {
  const q = c.text[c.secretStart - 1];
  if (q === "'") return SQUOTED;
  if (q !== '"') return BARE;
  return c.text[c.secretStart - 2] === '\\' ? ESCAPED_DQUOTED : DQUOTED;
}

/** How a JSON string value runs on, up to its closing quote. */
const JSON_STRING_RUN = /(?:[^"\\\n]|\\[^"\n])*/y;
const NAME_AFTER_JSON_VALUE = /\\?"[ \t]{0,4},[ \t]{0,4}\\?"name\\?"[ \t]{0,4}:[ \t]{0,4}\\?"([A-Za-z_][\w.-]{0,127})\\?"/y;
const YAML_VALUE_RUN = /[^\n"',}]*/y;
const NAME_AFTER_YAML_VALUE = /["']?[ \t]{0,8}(?:(\r?\n[ \t]{0,64})|,[ \t]{0,4})name:[ \t]{0,4}["']?([A-Za-z_][\w.-]{0,127})/y;

/** {"value": "x", "name": "DB_PASSWORD"}: some tools write env entries value first. */
function jsonValueThenName(c: Candidate): boolean {
  JSON_STRING_RUN.lastIndex = c.secretStart;
  JSON_STRING_RUN.exec(c.text);
  NAME_AFTER_JSON_VALUE.lastIndex = JSON_STRING_RUN.lastIndex;
  const name = NAME_AFTER_JSON_VALUE.exec(c.text)?.[1];
  return name !== undefined && isSecretKey(name) && !isTrivial(c.secret);
}

/**
 * - value: x / name: DB_PASSWORD, with name under value (same column) or after
 * it in a flow map. A replace, not an accept: the run it reads may hold the
 * next anchor (value:value:...), and a rejected run is then skipped whole.
 */
function yamlValueThenName(c: Candidate): [string, number] {
  NAME_AFTER_YAML_VALUE.lastIndex = c.secretStart + c.secret.length;
  const m = NAME_AFTER_YAML_VALUE.exec(c.text);
  if (!m?.[2] || !isSecretKey(m[2]) || isTrivial(c.secret)) return [c.secret, 0];
  const column = c.index - (c.text.lastIndexOf('\n', c.index) + 1);
  return m[1] === undefined || m[1].replace(/^\r?\n/, '').length === column ? [REDACTED, 1] : [c.secret, 0];
}

/** Where the key that holds an anchor starts (keys are at most 64 characters). */
function keyStart(text: string, index: number): number {
  let start = index;
  while (start > 0 && index - start < 64 && isKeyChar(text.charCodeAt(start - 1))) start--;
  return start;
}

/** A line that opens a YAML mapping or sequence, a comment, or a sentence rather than a scalar. */
const NOT_A_SCALAR = /^(?:[^\s:#'"]+:(?:[ \t]|$)|-(?:[ \t]|$)|#|[[{&*!]|[a-z]+ [a-z])/;

/**
 * PASSWORD:\n  x (a plain value on the next line) and password: |\n  x (a block
 * scalar): every line of the value is hidden, each keeping its indentation.
 */
function yamlMultiline(c: Candidate): [string, number] {
  const { text, index, secretStart } = c;
  const end = index - (/[ \t]*["']?$/.exec(text.slice(Math.max(0, index - 8), index))?.[0].length ?? 0);
  const start = keyStart(text, end);
  const key = text.slice(start, end);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const prefix = text.slice(lineStart, start);
  const valueLine = text.lastIndexOf('\n', secretStart - 1) + 1;
  const block = /:[ \t]*[|>]/.test(c.match);
  if (!/^[ \t]*(?:-[ \t]+)?["']?$/.test(prefix) || !isSecretKey(key)) return [c.secret, 0];
  // The value is indented deeper than its key.
  if (secretStart - valueLine <= prefix.replace(/["']$/, '').length) return [c.secret, 0];
  const [first = '', ...rest] = c.secret.split('\n');
  if (!block && (NOT_A_SCALAR.test(first) || isTrivial(first))) return [c.secret, 0];
  const hide = (line: string) => line.replace(/^([ \t]*)(\S(?:.*\S)?)?([ \t]*\r?)$/, (_all, indent: string, body: string | undefined, tail: string) => (body ? `${indent}${REDACTED}${tail}` : `${indent}${tail}`));
  return [[hide(first), ...rest.map(hide)].join('\n'), 1];
}

const multilineRuns = new Map<string, RegExp>();

/** The rest of a multi-line YAML value: its first line, then the lines indented like it. */
function yamlMultilineRun(c: Candidate): RegExp {
  const valueLine = c.text.lastIndexOf('\n', c.secretStart - 1) + 1;
  const indent = c.text.slice(valueLine, c.secretStart);
  const block = /:[ \t]*[|>]/.test(c.match);
  const key = `${block ? '|' : ''}${indent}`;
  let re = multilineRuns.get(key);
  if (!re) {
    re = block
      ? new RegExp(String.raw`[^\r\n]*(?:\r?\n(?:[ \t]*(?=\r?\n)|${indent}[^\r\n]*))*`, 'y')
      : new RegExp(String.raw`[^\r\n]*(?:\r?\n${indent}(?![^\s:#'"]+:(?:[ \t]|$)|-[ \t])[^\s][^\r\n]*)*`, 'y');
    if (multilineRuns.size > 256) multilineRuns.clear();
    multilineRuns.set(key, re);
  }
  return re;
}

/** token%3Dx, %22password%22%3A%22x%22: a pair inside a URL-encoded value. */
function urlEncodedPair(c: Candidate): boolean {
  const { text, index } = c;
  let end = index;
  // A closing quote or bracket between key and separator: %22password%22%3A, user%5Bpassword%5D%3D.
  for (let i = 0; i < 2 && /^%(?:2[027]|5[Dd])$/.test(text.slice(end - 3, end)); i++) end -= 3;
  let start = keyStart(text, end);
  // %22password: the 22 belongs to the escape, not the key.
  if (text[start - 1] === '%') start += 2;
  const key = text.slice(start, end);
  let value = c.secret;
  try {
    value = decodeURIComponent(value);
  } catch {
    // A stray % keeps the value as written.
  }
  if (!key || isTrivial(value)) return false;
  return isSecretKey(key) || (/key|access|auth|api/i.test(key) && highEntropy(value));
}

/** Schemes whose URLs carry database or broker logins, where a password may hold a space. */
const LOGIN_SCHEMES = new Set([
  'postgres', 'postgresql', 'mysql', 'mariadb', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'valkey', 'amqp', 'amqps', 'kafka', 'nats',
  'mqtt', 'mqtts', 'stomp', 'ldap', 'ldaps', 'sqlserver', 'mssql', 'oracle', 'clickhouse', 'cockroachdb', 'cassandra', 'couchdb', 'neo4j',
  'bolt', 'memcached', 'smtp', 'smtps', 'ftp', 'ftps', 'sftp', 'jdbc:postgresql', 'jdbc:mysql', 'jdbc:mariadb', 'jdbc:sqlserver',
]);

function schemeBefore(text: string, index: number): string {
  let i = index;
  while (i > 0 && index - i < 32 && /[A-Za-z0-9+.:-]/.test(text[i - 1] as string)) i--;
  return text.slice(i, index).toLowerCase().replace(/^.*?(jdbc:)?([a-z][a-z0-9+.-]*)$/, '$1$2');
}

/** amqp://guest:two words@h: a spaced password, not "host:5432 for user@example.com". */
function spacedUrlPassword(c: Candidate): boolean {
  const v = c.secret;
  return LOGIN_SCHEMES.has(schemeBefore(c.text, c.index)) && !/^\d+(?![A-Za-z0-9])/.test(v) && (v.match(/ /g)?.length ?? 0) <= 4 && !isTrivial(v);
}

/** Code hosts whose HTTPS URLs take a bare token as the user (https://<token>@github.com/org/repo). */
const VCS_HOST = /(?:^|\.)(?:github\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com|visualstudio\.com|codeberg\.org|gitea\.com|gitee\.com|sr\.ht|huggingface\.co)$|^(?:git|gitlab|github|bitbucket|gitea|gerrit)\./;

/** Long, letters and digits, not a word: how a token differs from a user name. */
const tokenish = (v: string) => v.length >= 16 && /[A-Za-z]/.test(v) && /\d/.test(v) && entropy(v) >= 3;

/** https://<token>@host: a token alone as the user of a URL. */
function urlTokenUser(c: Candidate): boolean {
  const { text, secret } = c;
  if (secret === 'git' || isTrivial(secret)) return false;
  const after = c.secretStart + secret.length;
  const at = text[after] === '@' ? after : text.slice(after, after + 256).search(/@/) + after;
  const host = /^@([^\s/:?#"'<>@\\]*)/.exec(text.slice(at, at + 256))?.[1]?.toLowerCase() ?? '';
  // docker-pullable://image@sha256:... names an image by digest.
  if (/^sha\d+$/.test(host) && text[at + 1 + host.length] === ':') return false;
  const vcs = /^(?:https?|git|git\+https?)$/.test(schemeBefore(text, c.index)) && VCS_HOST.test(host);
  // Before a password (user:pass@) only a token to a code host: https://<token>:x-oauth-basic@github.com.
  if (text[after] === ':') return vcs && tokenish(secret);
  return tokenish(secret) || vcs;
}

/** "secret is X", "token X": a token-shaped word, not a word, a Kubernetes name or a path. */
function proseSecret(c: Candidate): boolean {
  const v = c.secret.replace(/[.=]+$/, '');
  if (!tokenish(v) || PATH_LIKE.test(v)) return false;
  // app-secrets-8h4m2k9t6c, kube-api-access-x7k2p: generated names are lower case with dashes or dots.
  if (/^[a-z0-9]+(?:[-.][a-z0-9]+)+$/.test(v)) return false;
  return v.split(/[-_./+=~]/).some((part) => part.length >= 8 && /[A-Za-z]/.test(part) && /\d/.test(part));
}

/** Datadog and Atlassian keys are bare hex or alphanumerics: only a vendor name next to them tells. */
function vendorKey(shape: RegExp): (c: Candidate) => boolean {
  return (c) => {
    const words = nameWords(c.match.slice(0, c.match.length - c.secret.length));
    return shape.test(c.secret) && /\d/.test(c.secret) && /[a-z]/i.test(c.secret) && !META_WORDS.has(words[words.length - 1] as string);
  };
}

const rules: RedactionRule[] = [
  // Kubernetes env entries as JSON or YAML text (last-applied annotations, kubectl output in logs).
  {
    name: 'env-pair-json',
    anchors: ['"name'],
    pattern: String.raw`"name\\?"[ \t]{0,4}:[ \t]{0,4}\\?"[A-Za-z_][\w.-]{0,127}\\?"[ \t]{0,4},[ \t]{0,4}\\?"value\\?"[ \t]{0,4}:[ \t]{0,4}\\?"((?:[^"\\\n]|\\[^"\n]){1,128})`,
    example: '{"name":"DB_PASS","value":"Xy7-pass-Q"}',
    secret: 'Xy7-pass-Q',
    accept: envPair,
    extend: /(?:[^"\\\n]|\\[^"\n])*/y,
  },
  {
    name: 'env-pair-json-value-first',
    anchors: ['"value'],
    pattern: String.raw`"value\\?"[ \t]{0,4}:[ \t]{0,4}\\?"((?:[^"\\\n]|\\[^"\n]){1,128})`,
    example: '{"value":"Xy7-pass-Q","name":"DB_PASSWORD"}',
    secret: 'Xy7-pass-Q',
    accept: jsonValueThenName,
    extend: JSON_STRING_RUN,
  },
  {
    name: 'env-pair-yaml',
    anchors: ['name:'],
    pattern: String.raw`name:[ \t]{0,4}["']?[A-Za-z_][\w.-]{0,127}["']?[ \t]{0,4}(?:\r?\n[ \t]{0,64}|,[ \t]{0,4})value:[ \t]{0,4}["']?([^\s"'][^\n"',}]{0,127})`,
    example: '- name: SMTP_PASS\n  value: mail-S3cret',
    secret: 'mail-S3cret',
    accept: envPair,
    extend: /[^\n"',}]*/y,
  },
  {
    name: 'env-pair-yaml-value-first',
    anchors: ['value:'],
    pattern: String.raw`value:[ \t]{0,4}["']?([^\s"'][^\n"',}]{0,127})`,
    example: '- value: mail-S3cret\n  name: SMTP_PASS',
    secret: 'mail-S3cret',
    replace: yamlValueThenName,
    extend: YAML_VALUE_RUN,
  },
  // HTTP headers.
  {
    name: 'authorization-header',
    anchors: ['authorization'],
    pattern: String.raw`(?i:authorization)\\?["']?[ \t]{0,4}[:=][ \t]{0,4}\\?["']?(?:(?i:bearer|basic|token|digest|negotiate|ntlm|apikey|api-key|ssws|oauth|aws4-hmac-sha256)[ \t]{1,4})?([^\s"'\\,;]{1,128})`,
    example: 'Authorization: Token 9f86d081884c7d659a2feaa0c55ad015',
    secret: '9f86d081884c7d659a2feaa0c55ad015',
    accept: (c) => !AUTH_SCHEME.test(c.secret) && !isTrivial(c.secret),
    extend: NO_SPACE_OR_QUOTE,
  },
  {
    name: 'cookie-header',
    anchors: ['cookie'],
    pattern: String.raw`(?i:cookie)\\?["']?[ \t]{0,4}:[ \t]{0,4}\\?["']?([^\s=;"\\]{1,128}=[^\r\n"\\]{0,128})`,
    example: 'Cookie: sessionid=8f7a6b5c4d3e9a1b',
    secret: '8f7a6b5c4d3e9a1b',
    replace: cookieValues,
    extend: /[^\r\n"\\]{0,8192}/y,
  },
  {
    name: 'bearer-token',
    anchors: ['bearer'],
    pattern: String.raw`(?i:bearer)[ \t]{1,4}([A-Za-z0-9._~+/-]{12,128}=*)`,
    example: 'retry with bearer 0a1b2c3d4e5f6a7b8c9d',
    secret: '0a1b2c3d4e5f6a7b8c9d',
    // A plain word is a token too unless a sentence goes on after it ("bearer authentication required").
    accept: (c) => tokenLike(c.secret) || !/^ [a-z]/.test(c.text.slice(c.secretStart + c.secret.length, c.secretStart + c.secret.length + 2)),
    extend: BASE64ISH,
  },
  {
    name: 'basic-auth',
    anchors: ['basic'],
    pattern: String.raw`(?i:basic)[ \t]{1,4}([A-Za-z0-9+/]{8,128}={0,2})`,
    example: 'header Basic YWRtaW46czNjcjN0UGFzcw==',
    secret: 'YWRtaW46czNjcjN0UGFzcw==',
    accept: (c) => decodesToUserPass(c.secret),
    extend: /[A-Za-z0-9+/]*={0,2}/y,
  },
  // Passwords in URLs: scheme://user:password@host.
  {
    name: 'url-credentials',
    anchors: ['://'],
    // A generated password, percent-encoded, is easily 150 characters.
    pattern: String.raw`:\/\/[^\s:@/?#"'<>]{0,256}:([^\s/?#"'<>]{1,1024})(?=@)`,
    example: 'mongodb+srv://app:Pa55-w0rd@cluster0.example.net/db',
    secret: 'Pa55-w0rd',
    accept: (c) => !isTrivial(c.secret),
  },
  {
    name: 'url-credentials-spaced',
    anchors: ['://'],
    pattern: String.raw`:\/\/[^\s:@/?#"'<>]{0,128}:([^\s/?#"'<>@][^\n\t/?#"'<>@]{0,127})(?=@)`,
    example: 'amqp://guest:two words@rabbit:5672/',
    secret: 'two words',
    accept: spacedUrlPassword,
  },
  {
    name: 'url-token-user',
    anchors: ['://'],
    pattern: String.raw`:\/\/([^\s:@/?#"'<>\\]{1,256})(?=[:@])`,
    example: 'git clone https://x9Kq2mLp7RtZ4wVb8NcD@github.com/acme/etl.git',
    secret: 'x9Kq2mLp7RtZ4wVb8NcD',
    accept: urlTokenUser,
  },
  // Command lines.
  {
    name: 'cli-short-password',
    anchors: ['-p'],
    pattern: `-${FLAG_START}p${ARG_SEP}${SHORT_VALUE}`,
    example: 'mysql -h db -uroot -pS3cr3t app',
    secret: 'S3cr3t',
    accept: (c) => shortPasswordFlag(c.secret, !/[\s,]/.test(c.text.slice(c.index + 2, c.secretStart)), () => segmentBefore(c.text, c.index)),
    // A generated password can be longer than the pattern's bound.
    extend: valueRun,
  },
  {
    name: 'redis-cli-password',
    anchors: ['-a'],
    pattern: `-${FLAG_START}a${ARG_SEP}${SHORT_VALUE}`,
    example: 'redis-cli -h cache -a R3d1s-Pass ping',
    secret: 'R3d1s-Pass',
    accept: (c) => !c.secret.startsWith('-') && !isTrivial(c.secret) && REDIS_CLI.test(segmentBefore(c.text, c.index)),
  },
  {
    name: 'cli-user-password',
    anchors: ['-u', '--user', '--proxy-user'],
    pattern: String.raw`-${FLAG_START}(?:-proxy-user|-user|u)(?:=|${ARG_SEP})[^\s:'"@]{1,128}:([^\s'"]{1,128})`,
    example: 'curl -u admin:Adm1nPass https://api.example.com',
    secret: 'Adm1nPass',
    accept: (c) => userPassword(/[^\s:'"@=]+(?=:)/.exec(c.match)?.[0] ?? '', c.secret, () => segmentBefore(c.text, c.index)),
  },
  {
    name: 'openssl-pass-arg',
    anchors: ['-pass'],
    pattern: String.raw`-(?i:pass(?:in|out)?)[ \t]{1,4}pass:([^\s'"]{1,128})`,
    example: 'openssl pkcs12 -export -passout pass:Exp0rtPw -out a.p12',
    secret: 'Exp0rtPw',
  },
  // Connection strings and config files.
  {
    name: 'connection-string-password',
    anchors: ['password', 'pwd'],
    pattern: String.raw`(?i:password|pwd)[ \t]{0,4}=[ \t]{0,4}(\{[^}\n]{0,128}\}|[^;\s"'&{>=][^;\s"'&]{0,127})`,
    example: 'Driver={ODBC Driver 18};Server=tcp:db,1433;Uid=app;Pwd={p;ss W0rd};Encrypt=yes',
    secret: '{p;ss W0rd}',
    // The shell's PWD=/app is a directory.
    // SET PASSWORD = PASSWORD('x') calls a function: sql-password hides its argument.
    accept: (c) =>
      (c.index === 0 || /[\s;?&"'(]/.test(c.text[c.index - 1] as string)) && !isTrivial(c.secret) && !(c.match.startsWith('PWD') && PATH_LIKE.test(c.secret)) && !/^(?:old_)?password\(/i.test(c.secret),
    extend: /[^;\s"'&]*/y,
  },
  {
    name: 'docker-config-auth',
    anchors: ['"auth', '"identitytoken', '"registrytoken', '"password'],
    pattern: String.raw`"(?:auth|identitytoken|registrytoken|password)\\?"[ \t]{0,4}:[ \t]{0,4}\\?"([^"\\\n]{1,128})`,
    example: '{"auths":{"registry.example.com":{"auth":"YWNtZTpyZWdpc3RyeS1wYXNz"}}}',
    secret: 'YWNtZTpyZWdpc3RyeS1wYXNz',
    accept: (c) => !isTrivial(c.secret),
    extend: ESCAPED_DQUOTED,
  },
  {
    name: 'aws-secret-access-key',
    anchors: ['aws_secret', 'awssecret', 'secret_access', 'secretaccess'],
    // `=` or `:`, or only blanks (`export AWS_SECRET_ACCESS_KEY <key>`, a table of settings).
    pattern: String.raw`(?i:aws_?secret_?access_?key|secret_?access_?key)\\?["']?(?:[ \t]{0,4}[:=][ \t]{0,4}|[ \t]{1,4})\\?["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])`,
    example: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  {
    name: 'gcp-service-account-private-key',
    anchors: ['"private_key'],
    pattern: String.raw`"private_key\\?"[ \t]{0,4}:[ \t]{0,4}\\?"((?:[^"\\\n]|\\[^"\n]){20,128})`,
    example: '{"type": "service_account", "private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"}',
    secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
    extend: /(?:[^"\\\n]|\\[^"\n])*/y,
  },
  {
    name: 'azure-storage-account-key',
    anchors: ['accountkey=', 'sharedaccesskey='],
    pattern: "(?i:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,128}={0,2})",
    example: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==;EndpointSuffix=core.windows.net',
    secret: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq==',
    extend: /[A-Za-z0-9+/]*={0,2}/y,
  },
  {
    name: 'azure-sas-signature',
    anchors: ['?sig=', '&sig=', ';sig='],
    pattern: "[?&;]sig=([A-Za-z0-9%+/]{16,128}={0,2})",
    example: 'https://acme.blob.core.windows.net/c/f?sv=2022-11-02&se=2026-01-01&sp=r&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5%3D',
    secret: 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5%3D',
    extend: /[A-Za-z0-9%+/]*={0,2}/y,
  },
  {
    name: 'xml-secret-element',
    anchors: ['<password>', '<passwd>', '<secret>', '<token>', '<apikey>', '<api-key>', '<api_key>', '<accesskey>', '<secretkey>', '<privatekey>', '<passphrase>'],
    pattern: String.raw`<(?i:password|passwd|secret|token|api-?key|api_key|accesskey|secretkey|privatekey|passphrase)>([^<\n]{1,128})`,
    example: '<server><id>nexus</id><password>n3xus-Pass</password></server>',
    secret: 'n3xus-Pass',
    accept: (c) => !isTrivial(c.secret),
    extend: /[^<\n]*/y,
  },
  {
    name: 'yaml-multiline-value',
    // At the colon, which a line-end or block indicator follows; the key is checked behind it.
    anchors: [':\n', ':\r\n', ': \n', ': |', ': >'],
    pattern: String.raw`:(?<=(?i:${KEYWORDS})[\w.-]{0,48}["']?[ \t]{0,4}:)(?:[ \t]{1,8}[|>][1-9+-]{0,2})?[ \t]{0,8}\r?\n[ \t]{1,64}([^\s][^\r\n]{0,127})`,
    example: 'stringData:\n  DB_PASSWORD: |\n    line-0ne\n    line-tw0\n  user: app',
    secret: 'line-0ne\n    line-tw0',
    replace: yamlMultiline,
    extend: yamlMultilineRun,
  },
  {
    name: 'url-encoded-assignment',
    anchors: ['%3d', '%3a'],
    // The value stops at an encoded separator, its own anchor among them, so a run never holds the next start.
    pattern: String.raw`%3[DdAa](?:%20|\+){0,4}(?:%2[27])?((?:[\w.~!*+-]|%(?!2[0267Cc]|3[AaBbDd]|[57][BbDd]|0[9AaDd])[0-9A-Fa-f]{2}){1,128})`,
    example: 'GET /login?next=%2Fcb%3Ftoken%3Dq8Zt-4kd%252Bx%26a%3D1',
    secret: 'q8Zt-4kd%252Bx',
    accept: urlEncodedPair,
    extend: /(?:[\w.~!*+-]|%(?!2[0267Cc]|3[AaBbDd]|[57][BbDd]|0[9AaDd])[0-9A-Fa-f]{2})*/y,
  },
  // Anything assigned to a secret-named key: env, JSON, YAML, query strings, --flags.
  {
    name: 'secret-assignment',
    anchors: KEYWORDS.split('|'),
    pattern: String.raw`(?i:${KEYWORDS})[\w.-]{0,48}\\?["']?(?:[ \t]{0,8}(?::=|=>|:(?!\/\/)|=)[ \t]{0,8}|[ \t]{1,8}|${NEXT_ELEMENT})\\?["']?${VALUE}`,
    example: 'GET /cb?state=xyz&access_token=ya29.a0AfH6SMBx&expires_in=3599',
    secret: 'ya29.a0AfH6SMBx',
    accept: genericAssignment,
    extend: valueRun,
  },
  {
    name: 'sql-password',
    anchors: ['password', 'identified'],
    pattern: String.raw`(?:(?i:password)(?:[ \t]{1,4}(?i:for)[ \t]{1,4}[^=\n;]{1,128}?[ \t]{0,4}=[ \t]{0,4}(?:(?i:password)[ \t]{0,4}\()?|[ \t]{0,4}\(|[ \t]{1,4})[ \t]{0,4}[EN]?['"]|(?i:identified)(?:[ \t]{1,4}(?i:with)[ \t]{1,4}[\w'"]{1,64}?)?[ \t]{1,4}(?i:by)(?:[ \t]{1,4}(?i:password))?[ \t]{1,4}['"]?)((?<=')(?:[^'\n]|''){1,128}|(?<=")[^"\n]{1,128}|(?<![\w'"])[^\s'";,()]{1,128})`,
    example: "ALTER ROLE app WITH LOGIN PASSWORD 'Sql-Pa55'",
    secret: 'Sql-Pa55',
    accept: (c) => !isTrivial(c.secret) && !/^(?:values|null)$/i.test(c.secret),
    extend: (c) => (c.text[c.secretStart - 1] === "'" ? /(?:[^'\n]|'')*/y : c.text[c.secretStart - 1] === '"' ? /[^"\n]*/y : /[^\s'";,()]*/y),
  },
  // Shapes of well-known credentials, wherever they appear.
  {
    name: 'aws-access-key-id',
    anchors: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'],
    caseSensitive: true,
    pattern: String.raw`(A(?<!\wA)(?:3T[A-Z0-9]|KIA|SIA|BIA|CCA)[A-Z0-9]{16})\b`,
    example: 'key AKIAIOSFODNN7REALKEY used',
    secret: 'AKIAIOSFODNN7REALKEY',
  },
  { name: 'gcp-api-key', anchors: ['AIza'], caseSensitive: true, pattern: String.raw`(A(?<![\w-]A)Iza[\w-]{35})(?![\w-])`, example: 'maps key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', secret: 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY' },
  {
    name: 'github-token',
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    caseSensitive: true,
    pattern: String.raw`(g(?<!\wg)h[pousr]_[A-Za-z0-9]{36,255})\b`,
    example: 'push with ghp_R7bX2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcV',
    secret: 'ghp_R7bX2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcV',
  },
  {
    name: 'github-fine-grained-pat',
    anchors: ['github_pat_'],
    caseSensitive: true,
    pattern: String.raw`(g(?<!\wg)ithub_pat_\w{22,255})\b`,
    example: 'GH=github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXyz0123456789abcdefghijklmnopqrstuvwxyzABCDEF',
    secret: 'github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXyz0123456789abcdefghijklmnopqrstuvwxyzABCDEF',
  },
  {
    name: 'gitlab-token',
    anchors: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glft-', 'glimt-', 'gloas-', 'glsoat-', 'glcbt-', 'glagent-', 'glffct-'],
    caseSensitive: true,
    pattern: String.raw`(g(?<![\w-]g)l(?:pat|dt|rt|ptt|ft|imt|oas|soat|cbt|agent|ffct)-[\w-]{20,255})`,
    example: 'glpat-xY7zQ2mN9pL4kR8sT1vW clone',
    secret: 'glpat-xY7zQ2mN9pL4kR8sT1vW',
  },
  {
    name: 'bitbucket-atlassian-token',
    anchors: ['ATBB', 'ATCTT3', 'ATATT3'],
    caseSensitive: true,
    pattern: String.raw`(A(?<![\w=.-]A)T(?:BB|CTT3|ATT3)[A-Za-z0-9_=.-]{24,255})`,
    example: 'app password ATBB3xFfGN0aB7cD9eF1gH3jK5mN7pQ9rS1tU3vW5',
    secret: 'ATBB3xFfGN0aB7cD9eF1gH3jK5mN7pQ9rS1tU3vW5',
  },
  {
    name: 'slack-token',
    anchors: ['xox', 'xapp-'],
    caseSensitive: true,
    pattern: String.raw`(x(?<![\w-]x)(?:ox[abposre](?:\.xox[bp])?-[A-Za-z0-9-]{10,255}|app-\d-[A-Za-z0-9-]{10,255}))`,
    example: 'slack xoxb-1234567890-0987654321-AbCdEfGhIjKl',
    secret: 'xoxb-1234567890-0987654321-AbCdEfGhIjKl',
  },
  {
    name: 'slack-webhook-url',
    anchors: ['hooks.slack.com/'],
    pattern: String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_-]{20,128})`,
    example: 'POST https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/aBcDeFgHiJkLmNoPqRsTuVwX',
    secret: 'T0ABCDEFG/B0HIJKLMN/aBcDeFgHiJkLmNoPqRsTuVwX',
  },
  {
    name: 'discord-webhook-url',
    anchors: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern: String.raw`(?i:discord(?:app)?\.com/api/webhooks/)\d{5,30}/([\w-]{20,128})`,
    example: 'https://discord.com/api/webhooks/123456789012345678/aBcD-eFgH_iJkLmNoPqRsTuVwXyZ0123456789',
    secret: 'aBcD-eFgH_iJkLmNoPqRsTuVwXyZ0123456789',
  },
  {
    name: 'stripe-secret-key',
    anchors: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_', 'whsec_'],
    caseSensitive: true,
    pattern: String.raw`((?:s|r)(?<!\w[sr])k_(?:live|test|prod)_[A-Za-z0-9]{10,247}|w(?<!\ww)hsec_[A-Za-z0-9]{24,247})\b`,
    example: 'stripe sk_live_51HaBcDeFgHiJkLmNoPqRsTu',
    secret: 'sk_live_51HaBcDeFgHiJkLmNoPqRsTu',
  },
  {
    name: 'twilio-api-key',
    anchors: ['SK'],
    caseSensitive: true,
    pattern: String.raw`(S(?<!\wS)K[0-9a-fA-F]{32})\b`,
    example: 'twilio key SK0123456789abcdef0123456789abcdef',
    secret: 'SK0123456789abcdef0123456789abcdef',
    accept: (c) => /\d/.test(c.secret.slice(2)) && /[a-f]/i.test(c.secret.slice(2)),
  },
  {
    name: 'twilio-auth-token',
    anchors: ['AC'],
    caseSensitive: true,
    pattern: String.raw`A(?<!\wA)C[0-9a-f]{32}(?::|[ \t,;]{1,3})([0-9a-f]{32})\b`,
    example: 'AC0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210',
    secret: 'fedcba9876543210fedcba9876543210',
  },
  {
    name: 'sendgrid-api-key',
    anchors: ['SG.'],
    caseSensitive: true,
    pattern: String.raw`(S(?<!\wS)G\.[\w-]{16,32}\.[\w-]{16,64})\b`,
    example: 'SENDGRID=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',
    secret: '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',
  },
  {
    name: 'mailgun-api-key',
    anchors: ['key-'],
    caseSensitive: true,
    pattern: String.raw`(k(?<!\wk)ey-[0-9a-z]{32})\b`,
    example: 'mailgun api: key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
    secret: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
    accept: (c) => /\d/.test(c.secret.slice(4)) && /[a-z]/.test(c.secret.slice(4)),
  },
  {
    name: 'npm-token',
    anchors: ['npm_'],
    caseSensitive: true,
    pattern: String.raw`(n(?<!\wn)pm_[A-Za-z0-9]{36})\b`,
    example: '//registry.npmjs.org/:_authToken=npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    secret: 'npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
  },
  {
    name: 'pypi-token',
    anchors: ['pypi-AgE'],
    caseSensitive: true,
    pattern: String.raw`(p(?<![\w-]p)ypi-AgE[A-Za-z0-9_-]{50,1000})`,
    example: 'password = pypi-AgEIcHlwaS5vcmcCJGE4ZjY3ZDk2LTlhMTQtNDdlNi1hZGU5LWZhM2JmMDMzNzM1ZQ',
    secret: 'pypi-AgEIcHlwaS5vcmcCJGE4ZjY3ZDk2LTlhMTQtNDdlNi1hZGU5LWZhM2JmMDMzNzM1ZQ',
  },
  {
    name: 'dockerhub-token',
    anchors: ['dckr_pat_', 'dckr_oat_'],
    caseSensitive: true,
    pattern: String.raw`(d(?<![\w-]d)ckr_(?:pat|oat)_[A-Za-z0-9_-]{20,255})`,
    example: 'echo dckr_pat_2b3c4d5e6f7g8h9i0jAbCdEfGhIj | docker login -u acme --password-stdin',
    secret: 'dckr_pat_2b3c4d5e6f7g8h9i0jAbCdEfGhIj',
  },
  {
    name: 'anthropic-api-key',
    anchors: ['sk-ant-'],
    caseSensitive: true,
    pattern: String.raw`(s(?<![\w-]s)k-ant-(?:api|admin|oat|ort|sid)\d{2}-[A-Za-z0-9_-]{20,255})`,
    example: 'ANTHROPIC sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AA',
    secret: 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AA',
  },
  {
    name: 'openai-api-key',
    anchors: ['sk-'],
    caseSensitive: true,
    pattern: String.raw`(s(?<![\w-]s)k-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255})`,
    example: 'using sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUv',
    secret: 'sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOpQrStUv',
    accept: (c) => mixedCaseAndDigits(c.secret),
  },
  {
    name: 'huggingface-token',
    anchors: ['hf_'],
    caseSensitive: true,
    pattern: String.raw`(h(?<!\wh)f_[A-Za-z0-9]{30,255})\b`,
    example: 'HF hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh',
    secret: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh',
    accept: (c) => /[a-z]/.test(c.secret.slice(3)) && /[A-Z]/.test(c.secret),
  },
  {
    name: 'vault-token',
    anchors: ['hvs.', 'hvb.', 'hvr.'],
    caseSensitive: true,
    pattern: String.raw`(h(?<![\w.-]h)v[sbr]\.[\w-]{24,512})`,
    example: 'VAULT_TOKEN=hvs.CAESIJ3hBvOqU7bmO8f3P0Rk2a1bGh4KHGh2cy5SMmRvT1FzUmZ2',
    secret: 'hvs.CAESIJ3hBvOqU7bmO8f3P0Rk2a1bGh4KHGh2cy5SMmRvT1FzUmZ2',
    extend: /[\w-]*/y,
  },
  {
    name: 'vault-legacy-token',
    anchors: ['s.'],
    caseSensitive: true,
    pattern: String.raw`(s(?<![\w.-]s)\.[A-Za-z0-9]{20,32})(?![\w.-])`,
    example: 'vault login s.Xq7bN2kLm9QwE4tYu8IoP3aS',
    secret: 's.Xq7bN2kLm9QwE4tYu8IoP3aS',
    // 24 random base62 characters; a little slack for cut or hand-made ones.
    accept: (c) => entropy(c.secret) >= 3 && ((/\d/.test(c.secret) && /[a-z]/i.test(c.secret)) || (/[a-z]/.test(c.secret.slice(2)) && /[A-Z]/.test(c.secret))),
  },
  {
    name: 'google-oauth-access-token',
    anchors: ['ya29.'],
    caseSensitive: true,
    pattern: String.raw`(y(?<![\w.-]y)a29\.[\w-]{20,1024})`,
    example: 'Authorization header set from ya29.a0AfB_byC8Xq7bN2kLm9QwE4tYu8IoP3aS',
    secret: 'ya29.a0AfB_byC8Xq7bN2kLm9QwE4tYu8IoP3aS',
    extend: /[\w-]*/y,
  },
  {
    name: 'shopify-token',
    anchors: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    caseSensitive: true,
    pattern: String.raw`(s(?<!\ws)hp(?:at|ca|pa|ss)_[A-Za-z0-9]{20,64})\b`,
    example: 'X-Shopify-Access: 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',
    secret: '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',
  },
  {
    name: 'digitalocean-token',
    anchors: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    caseSensitive: true,
    pattern: String.raw`(d(?<!\wd)o[opr]_v1_[A-Za-z0-9]{32,128})\b`,
    example: 'doctl auth init -t dop_v1_4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c4b5a69788796a5b4c3d2e1f0',
    secret: 'dop_v1_4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c4b5a69788796a5b4c3d2e1f0',
  },
  {
    name: 'linear-api-key',
    anchors: ['lin_api_'],
    caseSensitive: true,
    pattern: String.raw`(l(?<!\wl)in_api_[A-Za-z0-9]{20,128})\b`,
    example: 'LINEAR lin_api_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNm',
    secret: 'lin_api_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNm',
  },
  {
    name: 'newrelic-key',
    anchors: ['NRAK-', 'NRII-', 'NRRA-'],
    caseSensitive: true,
    pattern: String.raw`(N(?<![\w-]N)R(?:AK-[A-Za-z0-9]{20,64}|II-[\w-]{24,64}|RA-[a-f0-9]{32,64}))\b`,
    example: 'newrelic NRAK-7Q2WX4KD9PLMN3RT8YVB6HZC1JF',
    secret: 'NRAK-7Q2WX4KD9PLMN3RT8YVB6HZC1JF',
  },
  {
    name: 'grafana-token',
    anchors: ['glc_', 'glsa_'],
    caseSensitive: true,
    pattern: String.raw`(g(?<!\wg)l(?:c_[A-Za-z0-9+/]{32,1024}={0,2}|sa_[A-Za-z0-9]{20,64}_[A-Fa-f0-9]{8}))`,
    example: 'GRAFANA_SA glsa_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK_0a1b2c3d',
    secret: 'glsa_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK_0a1b2c3d',
    extend: /[A-Za-z0-9+/]*={0,2}/y,
  },
  {
    name: 'sentry-token',
    anchors: ['sntrys_', 'sntryu_'],
    caseSensitive: true,
    pattern: String.raw`(s(?<!\ws)ntry(?:s_[A-Za-z0-9+/=_-]{40,2048}|u_[a-f0-9]{64}))`,
    example: 'SENTRY_AUTH sntrys_eyJpYXQiOjE2ODQ4ODAwMDB9_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zX',
    secret: 'sntrys_eyJpYXQiOjE2ODQ4ODAwMDB9_Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zX',
    extend: /[A-Za-z0-9+/=_-]*/y,
  },
  {
    name: 'postman-api-key',
    anchors: ['PMAK-'],
    caseSensitive: true,
    pattern: String.raw`(P(?<![\w-]P)MAK-[A-Za-z0-9]{16,64}-[A-Za-z0-9]{16,64})\b`,
    example: 'postman PMAK-5f1e2d3c4b5a697887960a1b-4f1e2d3c4b5a69788796a5b4c3d2e1f0ab',
    secret: 'PMAK-5f1e2d3c4b5a697887960a1b-4f1e2d3c4b5a69788796a5b4c3d2e1f0ab',
  },
  {
    name: 'doppler-token',
    anchors: ['dp.pt.', 'dp.st.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    caseSensitive: true,
    pattern: String.raw`(d(?<![\w.-]d)p\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9_.-]{40,128})`,
    example: 'DOPPLER_TOKEN dp.pt.Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfG',
    secret: 'dp.pt.Xq7bN2kLm9QwE4tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfG',
    extend: /[A-Za-z0-9_.-]*/y,
  },
  {
    name: 'pulumi-token',
    anchors: ['pul-'],
    caseSensitive: true,
    pattern: String.raw`(p(?<![\w-]p)ul-[A-Za-z0-9]{32,64})\b`,
    example: 'PULUMI pul-4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c',
    secret: 'pul-4f1e2d3c4b5a69788796a5b4c3d2e1f04f1e2d3c',
    accept: (c) => /\d/.test(c.secret.slice(4)) && /[a-z]/i.test(c.secret.slice(4)),
  },
  {
    name: 'terraform-cloud-token',
    anchors: ['.atlasv1.'],
    lead: 14,
    pattern: String.raw`((?<![A-Za-z0-9])[A-Za-z0-9]{14}\.(?i:atlasv1)\.[\w=-]{60,128})`,
    example: 'TFE_TOKEN Xq7bN2kLm9QwE4.atlasv1.tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfGhJkLqWeRtYuIoPzXcVbNmAsDfGhJk',
    secret: 'Xq7bN2kLm9QwE4.atlasv1.tYu8IoP3aSd6FgH1jK0zXcVbNmAsDfGhJkLqWeRtYuIoPzXcVbNmAsDfGhJk',
    extend: /[\w=-]*/y,
  },
  {
    name: 'datadog-key-in-context',
    anchors: ['datadog', 'dd_api', 'dd-api', 'dd_app', 'dd-app', 'ddapi', 'ddapp'],
    pattern: String.raw`(?i:datadog|dd[_-]?ap[ip])[\w. \t-]{0,24}?\\?["']?[ \t]{0,4}(?::=|=>|[:=])?[ \t]{0,4}\\?["'\x60]?(?<![A-Za-z0-9])([A-Fa-f0-9]{32}(?:[A-Fa-f0-9]{8})?)(?![A-Za-z0-9])`,
    example: 'datadog api key 4f1e2d3c4b5a69788796a5b4c3d2e1f0',
    secret: '4f1e2d3c4b5a69788796a5b4c3d2e1f0',
    accept: vendorKey(/^[a-f0-9]+$/i),
  },
  {
    name: 'atlassian-token-in-context',
    anchors: ['atlassian', 'confluence', 'jira'],
    pattern: String.raw`(?i:atlassian|confluence|jira)[\w. \t-]{0,24}?\\?["']?[ \t]{0,4}(?::=|=>|[:=])?[ \t]{0,4}\\?["'\x60]?(?<![A-Za-z0-9])([A-Za-z0-9]{24})(?![A-Za-z0-9])`,
    example: 'jira: Xq7bN2kLm9QwE4tYu8IoP3aS',
    secret: 'Xq7bN2kLm9QwE4tYu8IoP3aS',
    accept: vendorKey(/^[A-Za-z0-9]{24}$/),
  },
  {
    name: 'google-oauth-client-secret',
    anchors: ['GOCSPX-'],
    caseSensitive: true,
    pattern: String.raw`(G(?<![\w-]G)OCSPX-[\w-]{24,40})(?![\w-])`,
    example: 'client_id=123.apps client 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',
    secret: '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',
  },
  {
    name: 'age-secret-key',
    anchors: ['AGE-SECRET-KEY-1'],
    caseSensitive: true,
    pattern: String.raw`(A(?<![\w-]A)GE-SECRET-KEY-1[0-9A-Z]{50,70})(?![\w-])`,
    example: 'sops key AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KH',
    secret: 'AGE-SECRET-KEY-1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7LQPZRY9X8GF2TVDW0S3JN54KH',
  },
  {
    name: 'databricks-token',
    anchors: ['dapi'],
    caseSensitive: true,
    pattern: String.raw`(d(?<![\w-]d)api[a-f0-9]{32}(?:-\d)?)(?![\w-])`,
    example: 'DATABRICKS_HOST=x dapi4f1e2d3c4b5a69788796a5b4c3d2e1f0',
    secret: 'dapi4f1e2d3c4b5a69788796a5b4c3d2e1f0',
    accept: (c) => /\d/.test(c.secret.slice(4)) && /[a-f]/.test(c.secret.slice(4)),
  },
  {
    // A PEM private key passed around base64-encoded (a Secret's data, a --from-literal, an env var):
    // "-----BEGIN" encodes to LS0tLS1CRUdJTi. Certificates and public keys, encoded alike, stay.
    name: 'base64-pem-private-key',
    anchors: ['LS0tLS1CRUdJTi'],
    caseSensitive: true,
    pattern: '(L(?<![A-Za-z0-9+/]L)S0tLS1CRUdJTi[A-Za-z0-9+/]{40,16384}={0,2})',
    example: 'key: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVBN1Bs',
    secret: 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFcEFJQkFBS0NBUUVBN1Bs',
    accept: (c) => /PRIVATE KEY|PRIVATE KEY BLOCK|ENCRYPTED/.test(Buffer.from(c.secret.slice(0, 64), 'base64').toString('latin1')),
    extend: /[A-Za-z0-9+/]*={0,2}/y,
  },
  {
    name: 'jwt',
    anchors: ['eyJ'],
    caseSensitive: true,
    pattern: String.raw`(e(?<![\w-]e)yJ[\w-]{5,1024}\.eyJ[\w-]{5,128})`,
    example: 'id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz ok',
    secret: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz',
    extend: /[\w-]*(?:\.[\w-]*)?/y,
  },
  {
    // ~/.netrc and curl --netrc-file: machine HOST login USER password PASSWORD.
    name: 'netrc-password',
    anchors: ['machine '],
    pattern: String.raw`(?<![\w-])machine[ \t]+[^\s]{1,253}(?:[ \t]+login[ \t]+[^\s]{1,253})?[ \t]+password[ \t]+([^\s"']{1,256})`,
    example: 'printf "machine git.example.com login ci password Tr0ub4dor&3" > ~/.netrc',
    secret: 'Tr0ub4dor&3',
    accept: (c) => !isTrivial(c.secret),
  },
  {
    // echo dXNlcjpwYXNz | base64 -d: a credential written encoded, decoded where it is used.
    name: 'base64-decoded-credential',
    anchors: ['echo '],
    pattern: String.raw`(?<![\w-])echo[ \t]+(?:-n[ \t]+)?["']?([A-Za-z0-9+/]{8,4096}={0,2})(?=["']?[ \t]*\|[ \t]*base64[ \t]+(?:-d|--decode|-D)\b)`,
    example: 'echo Y2k6UGw0bnRlZFBhc3M= | base64 -d > /run/netrc-user',
    secret: 'Y2k6UGw0bnRlZFBhc3M=',
    accept: (c) => {
      const plain = Buffer.from(c.secret, 'base64').toString('latin1');
      return /^[\x20-\x7e\n]+$/.test(plain) && (/^[^\s:]{1,64}:\S{4,}$/.test(plain.trim()) || /pass|token|secret|key|auth/i.test(plain));
    },
  },
  {
    // echo "$PASSWORD" is a reference; a literal piped into a registry login is the password.
    name: 'password-stdin-literal',
    anchors: ['echo '],
    pattern: String.raw`(?<![\w-])echo[ \t]+(?:-n[ \t]+)?["']?([^\s"'|$]{6,256})(?=["']?[ \t]*\|[ \t]*(?:sudo[ \t]+)?(?:docker|podman|nerdctl|buildah|skopeo|crane|oras|helm|cosign)[ \t]+(?:registry[ \t]+)?login\b[^\n|]*--password-stdin)`,
    example: 'echo Pl4ntedRegistryPass | docker login -u ci --password-stdin registry.example.com',
    secret: 'Pl4ntedRegistryPass',
  },
  // Last: a shape above names a token more precisely.
  {
    // "the password is hunter2PL48": shorter than a token, so only after "password is/was/:/=".
    name: 'prose-password',
    anchors: ['password ', 'passwd ', 'passphrase '],
    // The value does not end on a sentence's punctuation.
    pattern: String.raw`(?<![A-Za-z])(?i:password|passwd|passphrase)(?:[ \t]{1,4}(?i:is|was|=|:)){1,2}[ \t]{1,4}["'\x60]?([A-Za-z0-9!#$%&*+,./:;?@^_~-]{7,63}[A-Za-z0-9!#$%&*+/?@^_~-])`,
    example: 'for the record the password is hunter2PL48, do not share',
    secret: 'hunter2PL48',
    accept: (c) => /\d/.test(c.secret) && /[A-Za-z]/.test(c.secret) && !PATH_LIKE.test(c.secret) && !/^[a-z0-9]+(?:[-.][a-z0-9]+)+$/.test(c.secret) && !/^https?:/i.test(c.secret),
  },
  {
    name: 'prose-secret',
    anchors: ['secret', 'token', 'password', 'passwd', 'passphrase', 'apikey', 'api key', 'api_key', 'api-key', 'credential'].flatMap((w) => [`${w} `, `${w}s `]),
    pattern: String.raw`(?<![A-Za-z])(?i:secret|token|password|passwd|passphrase|api[ _-]?key|credential)s?(?:[ \t]{1,4}(?i:is|was|are|of|value|=|:|->|=>)){0,2}[ \t]{1,4}["'\x60]?([A-Za-z0-9+/_.~=-]{16,256})`,
    example: 'the secret is Xq7bN2kLm9QwE4tYu8IoP3',
    secret: 'Xq7bN2kLm9QwE4tYu8IoP3',
    accept: proseSecret,
    extend: /[A-Za-z0-9+/_.~=-]*/y,
  },
];

/** The rules in priority order: a region an earlier rule replaced is left to it. */
export const REDACTION_RULES: readonly Readonly<RedactionRule>[] = rules;

const STICKY = rules.map((r) => new RegExp(r.pattern, 'y'));

// ---------------------------------------------------------------------------
// Anchors: one Aho-Corasick pass (ASCII, case-folded) finds where each rule can start.

interface Anchor {
  rule: number;
  length: number;
  /** For case-sensitive rules: the anchor as written, checked at the hit. */
  exact?: string;
}

const ALPHABET = 128; // index = state << 7 | folded char
const { delta, outputs } = (() => {
  const anchors: Anchor[] = [];
  const goto: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  rules.forEach((r, rule) => {
    for (const a of new Set(r.anchors)) {
      let s = 0;
      for (const ch of a.toLowerCase()) {
        const c = ch.charCodeAt(0);
        let next = goto[s]?.get(c);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[s]?.set(c, next);
        }
        s = next;
      }
      out[s]?.push(anchors.length);
      anchors.push({ rule, length: a.length, ...(r.caseSensitive ? { exact: a } : {}) });
    }
  });
  // Breadth-first: fail links, then a full transition table so the scan never backtracks.
  // 16-bit states keep the table small enough to stay in cache.
  const table = new Uint16Array(goto.length * ALPHABET);
  if (goto.length > 0xffff) throw new Error("too many anchor states");
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const next = goto[0]?.get(c) ?? 0;
    table[c] = next;
    if (next) queue.push(next);
  }
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as number;
    out[s]?.push(...(out[fail[s] as number] ?? []));
    for (let c = 0; c < ALPHABET; c++) {
      const next = goto[s]?.get(c);
      if (next === undefined) table[s * ALPHABET + c] = table[(fail[s] as number) * ALPHABET + c] as number;
      else {
        fail[next] = table[(fail[s] as number) * ALPHABET + c] as number;
        table[s * ALPHABET + c] = next;
        queue.push(next);
      }
    }
  }
  return { delta: table, outputs: out.map((ids) => (ids.length ? ids.map((i) => anchors[i] as Anchor) : undefined)) };
})();

const HAS_OUTPUT = Uint8Array.from(outputs, (o) => (o ? 1 : 0));

function record(text: string, i: number, found: Anchor[], hits: (number[] | undefined)[]): void {
  for (const a of found) {
    const start = i - a.length + 1;
    if (a.exact && !text.startsWith(a.exact, start)) continue;
    let list = hits[a.rule];
    if (!list) {
      list = [];
      hits[a.rule] = list;
    }
    // Anchors of one rule can end in a different order than they start (-u inside --user).
    if (list.length && (list[list.length - 1] as number) > start) {
      list.push(start);
      list.sort((x, y) => x - y);
    } else list.push(start);
  }
}

interface Hits {
  /** For each rule, the positions where one of its anchors starts (ascending). */
  byRule: (number[] | undefined)[] | undefined;
  /** Characters that may fold to ASCII (a look-alike may hide a key there), Greek and Cyrillic aside. */
  fold: number[] | undefined;
  /** Whether the text holds Greek or Cyrillic letters. */
  greek: boolean;
}

function anchorHits(text: string): Hits {
  let hits: (number[] | undefined)[] | undefined;
  let fold: number[] | undefined;
  let greek = false;
  const table = delta;
  const has = HAS_OUTPUT;
  const n = text.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 32;
    else if (c >= ALPHABET) {
      if (c >= 0x370 && c <= 0x52f) greek = true;
      else if ((c <= 0x3000 || c >= 0xd835) && mayFold(c)) {
        fold ??= [];
        fold.push(i);
      }
      c = 0;
    }
    s = table[(s << 7) | c] as number;
    if (has[s] === 0) continue;
    hits ??= [];
    record(text, i, outputs[s] as Anchor[], hits);
  }
  return { byRule: hits, fold, greek };
}

// ---------------------------------------------------------------------------
// PEM private keys, which span lines and may be cut by a byte limit.

const PEM_MARK = /-----(BEGIN|END) ((?:[A-Z0-9]+ ){0,4})PRIVATE KEY( BLOCK)?-----/g;
/** kubectl logs --timestamps puts one in front of every line (RFC 3339, one blank after it); applications often do too. */
export const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?[ \t]/;
const PEM_HEADER = /^(?:Proc-Type|DEK-Info|Comment|Version):/;

/** A line of a key body; a short one only where the body may end (next to a marker or a cut). */
function keyLine(line: string, edge: boolean): boolean {
  const l = line.replace(STAMP, '').trim();
  return PEM_HEADER.test(l) || (edge ? /^[A-Za-z0-9+/=\\]+$/ : /^[A-Za-z0-9+/=\\]{16,}$/).test(l);
}

/** Where an unterminated key body ends: after the BEGIN line and the key lines that follow. */
function bodyEnd(text: string, from: number): number {
  let stop = text.indexOf('\n', from);
  let afterHeader = false;
  while (stop >= 0) {
    const next = text.indexOf('\n', stop + 1);
    const line = text.slice(stop + 1, next < 0 ? text.length : next);
    if (!(afterHeader && line.trim() === '') && !keyLine(line, next < 0)) break;
    afterHeader = PEM_HEADER.test(line.replace(STAMP, '').trim());
    stop = next;
  }
  return stop < 0 ? text.length : stop;
}

/** Where a key body that ends at an END marker at index starts (the text began inside it). */
function bodyStart(text: string, index: number, floor: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', index - 1) + 1, floor);
  // The END line's own timestamp is not key text.
  const head = text.slice(lineStart, index).replace(STAMP, '').replace(/^["'\s]+/, '');
  if (head && !keyLine(head, true)) return index;
  let start = lineStart;
  let edge = !head;
  while (start > floor) {
    const prev = text.lastIndexOf('\n', start - 2) + 1;
    if (prev < floor || !keyLine(text.slice(prev, start - 1), edge)) break;
    start = prev;
    edge = false;
  }
  return start;
}

function redactPem(text: string, counter?: RedactCounter): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let cursor = 0;
  const unterminated = new Set<string>();
  PEM_MARK.lastIndex = 0;
  for (let m = PEM_MARK.exec(text); m; m = PEM_MARK.exec(text)) {
    const end = `-----END ${m[2]}PRIVATE KEY${m[3] ?? ''}-----`;
    if (m[1] === 'END') {
      if (text.slice(Math.max(cursor, m.index - REDACTED.length - 2), m.index).trim().endsWith(REDACTED)) continue;
      out += `${text.slice(cursor, bodyStart(text, m.index, cursor))}${REDACTED} ${end}`;
      cursor = m.index + m[0].length;
    } else {
      // Hidden already, as this function writes it: left as it is, not counted again.
      if (text.startsWith(` ${REDACTED} ${end}`, m.index + m[0].length)) {
        PEM_MARK.lastIndex = m.index + m[0].length + REDACTED.length + end.length + 2;
        continue;
      }
      const closing = unterminated.has(end) ? -1 : text.indexOf(end, m.index + m[0].length);
      if (closing < 0) unterminated.add(end);
      if (closing < 0 && text.startsWith(` ${REDACTED}`, m.index + m[0].length)) continue;
      const stop = closing >= 0 ? closing + end.length : bodyEnd(text, m.index);
      out += `${text.slice(cursor, m.index)}${m[0]} ${REDACTED}${closing >= 0 ? ` ${end}` : ''}`;
      cursor = stop;
      PEM_MARK.lastIndex = stop;
    }
    if (counter) counter.count++;
  }
  return cursor === 0 ? text : out + text.slice(cursor);
}

// ---------------------------------------------------------------------------
// The scan.

interface Span {
  start: number;
  end: number;
  text: string;
}

interface Scan extends Hits {
  /** The regions to replace, in no particular order. */
  spans: Span[];
}

/** Runs the rules over a text. (The anchor pass is called from here so that V8 inlines its loop.) */
function scan(src: string, counter?: RedactCounter): Scan {
  const found = anchorHits(src);
  const spans: Span[] = [];
  const hits = found.byRule;
  if (!hits) return { ...found, spans };
  let taken: Uint8Array | undefined;
  const free = (a: number, b: number) => {
    for (let i = a; taken && i < b; i++) if (taken[i]) return false;
    return true;
  };
  for (let r = 0; r < rules.length; r++) {
    const starts = hits[r];
    if (!starts) continue;
    const rule = rules[r] as RedactionRule;
    const re = STICKY[r] as RegExp;
    let consumed = 0;
    for (const hit of starts) {
      const at = hit - (rule.lead ?? 0);
      if (at < consumed || at < 0) continue;
      re.lastIndex = at;
      const m = re.exec(src);
      if (!m) continue;
      const secret = m[1] ?? '';
      const c: Candidate = { text: src, index: at, match: m[0], secret, secretStart: at + m[0].length - secret.length };
      let end = c.secretStart + secret.length;
      if (!free(c.secretStart, end) || secret.includes(REDACTED)) continue;
      const grow = () => {
        const ext = typeof rule.extend === 'function' ? rule.extend(c) : rule.extend;
        if (!ext) return;
        ext.lastIndex = end;
        let to = end + (ext.exec(src)?.[0].length ?? 0);
        for (let i = end; taken && i < to; i++) if (taken[i]) to = i;
        end = to;
        c.secret = src.slice(c.secretStart, end);
      };
      let replacement = REDACTED;
      let hidden = 1;
      if (rule.replace) {
        grow();
        [replacement, hidden] = rule.replace(c);
        if (hidden === 0) {
          consumed = end;
          continue;
        }
      } else if (rule.accept && !rule.accept(c)) continue;
      else grow();
      taken ??= new Uint8Array(src.length);
      taken.fill(1, c.secretStart, end);
      spans.push({ start: c.secretStart, end, text: replacement });
      if (counter) counter.count += hidden;
      consumed = Math.max(end, at + m[0].length);
    }
  }
  return { ...found, spans };
}

function apply(src: string, spans: Span[]): string {
  if (spans.length === 0) return src;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const s of spans) {
    // Folded spans map to whole units, so two may share one (a ligature).
    out += src.slice(cursor, Math.max(cursor, s.start)) + s.text;
    cursor = Math.max(cursor, s.end);
  }
  return out + src.slice(cursor);
}

/** The line that holds index, with the indented lines below it (a YAML value under its key). */
function foldWindow(text: string, from: number, to: number): [number, number] {
  const start = Math.max(text.lastIndexOf('\n', from - 1) + 1, from - 4096);
  let end = text.indexOf('\n', to);
  while (end >= 0 && end - start < 65536 && /[ \t]/.test(text[end + 1] ?? '')) end = text.indexOf('\n', end + 1);
  return [start, end < 0 ? text.length : end];
}

/** Keys in disguise: scans the lines that hold foldable characters again, folded, and replaces in the original. */
function redactFolded(text: string, candidates: readonly number[], counter?: RedactCounter): string {
  const edits = foldEdits(text, candidates);
  const spans: Span[] = [];
  for (let i = 0; i < edits.length; ) {
    const [start, end] = foldWindow(text, (edits[i] as Edit).from, (edits[i] as Edit).fromEnd);
    // Edits inside the window share it: their lines and the indented ones below are in it already.
    let j = i;
    while (j < edits.length && (edits[j] as Edit).from < end) j++;
    const window = foldSlice(text, start, end, edits.slice(i, j));
    for (const s of scan(window.text, counter).spans) {
      spans.push({ start: start + unfold(window.map, s.start, false), end: start + unfold(window.map, s.end, true), text: s.text });
    }
    i = j;
  }
  return apply(text, spans);
}

/** Replaces credential-looking substrings of free text (logs, messages, args). */
export function redactText(text: string, counter?: RedactCounter): string {
  if (text.length < 3) return text;
  const src = redactPem(text, counter);
  const { spans, fold, greek } = scan(src, counter);
  const once = apply(src, spans);
  if (!fold && !greek && !once.includes('\\u')) return once;
  const candidates = foldCandidates(once, shift(fold ?? [], spans), greek);
  return candidates.length ? redactFolded(once, candidates, counter) : once;
}

/** Positions in a text after spans (sorted) were replaced; those inside a span are gone. */
function shift(positions: readonly number[], spans: readonly Span[]): number[] {
  if (!spans.length) return positions as number[];
  const out: number[] = [];
  let k = 0;
  let delta = 0;
  for (const p of positions) {
    while (k < spans.length && (spans[k] as Span).end <= p) {
      const s = spans[k] as Span;
      delta += s.text.length - (s.end - s.start);
      k++;
    }
    const s = spans[k];
    if (!s || p < s.start) out.push(p + delta);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Objects.

/** argv arrays: the secret is often the element after the flag (["--password", "x"], ["-p", "x"]). */
function redactArgv(argv: string[], counter: RedactCounter, before: readonly string[] = []): void {
  const context = (i: number) => () => [...before.slice(-12), ...argv.slice(Math.max(0, i - 12), i)].join(' ');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    let keep: string | undefined;
    if (next !== undefined) {
      if (a === '-p') keep = shortPasswordFlag(next, false, context(i)) ? '' : undefined;
      else if (a === '-a') keep = !next.startsWith('-') && !isTrivial(next) && REDIS_CLI.test(context(i)()) ? '' : undefined;
      else if (a === '-u' || a === '--user' || a === '--proxy-user') {
        const colon = next.indexOf(':');
        if (colon > 0 && userPassword(next.slice(0, colon), next.slice(colon + 1), context(i))) keep = next.slice(0, colon + 1);
      } else if (secretFlag(a, next)) keep = '';
    }
    if (keep !== undefined) {
      argv[i + 1] = keep + REDACTED;
      counter.count++;
      i++;
      continue;
    }
    const glued = /^-p(.+)$/.exec(a);
    if (glued?.[1] && shortPasswordFlag(glued[1], true, context(i + 1))) {
      argv[i] = `-p${REDACTED}`;
      counter.count++;
      continue;
    }
    argv[i] = redactText(a, counter);
  }
}

const isStringArray = (v: unknown[]): v is string[] => v.length > 0 && v.every((x) => typeof x === 'string');

/**
 * Redacts a Kubernetes object (or any JSON value) in place and returns it:
 * strings under secret-named keys (annotations, labels, any map) and literal
 * values of secret-named env entries / headers are hidden whole; string
 * arrays are read as argv (container args continue its command); every other
 * string gets redactText. `valueFrom` references name a Secret without
 * revealing it, so they stay.
 */
export function redactObject<T>(obj: T, counter: RedactCounter = { count: 0 }): T {
  const walk = (v: unknown, key?: string, before?: readonly string[]): unknown => {
    if (typeof v === 'string') {
      if (key !== undefined && isSecretKey(key) && !isTrivial(v)) {
        counter.count++;
        return REDACTED;
      }
      return redactText(v, counter);
    }
    if (Array.isArray(v)) {
      if (isStringArray(v)) redactArgv(v, counter, before);
      else for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // {name, value} pairs: env entries, httpGet headers.
      if (typeof o.name === 'string' && typeof o.value === 'string' && isSecretKey(o.name) && !isTrivial(o.value)) {
        o.value = REDACTED;
        counter.count++;
      }
      const command = Array.isArray(o.command) && isStringArray(o.command) ? [...o.command] : undefined;
      for (const [k, x] of Object.entries(o)) o[k] = walk(x, k, k === 'args' ? command : undefined);
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

// Confirmation tokens for every write. A token is minted only after the human
// confirmed; it is bound to the action, the target's kind, context, namespace,
// name, identity (uid) and version (resourceVersion), the parameters that were
// shown, and a short expiry. It is stateless: an HMAC with a per-process secret
// (or one shared by replicas), so it holds across replicas and restarts. Over
// HTTP the signature also covers the caller (its bearer token's digest, never
// written into the token): what one caller's human confirmed, no other caller
// can use. Single use comes from the cluster, not from memory: see confirm.ts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { JobsError } from '../errors.js';

export interface TokenClaims {
  /** Token id: shown in audit logs and used to derive the rerun's name; never the token itself. */
  id: string;
  action: string;
  kind: string;
  context: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  /** The confirmed parameters, `k=v` pairs joined by `,` in key order (see encodeParams). */
  params: string;
  /** Expiry, Unix milliseconds. */
  exp: number;
}

export interface TokenExpectation {
  /** The tool to call again for a new confirmation (named in refusals). */
  tool: string;
  action: string;
  kind: string;
  context: string;
  namespace: string;
  name: string;
}

/** Parameters in a stable, token-safe form. */
export function encodeParams(p: Record<string, string | number | boolean | undefined>): string {
  return Object.keys(p)
    .filter((k) => p[k] !== undefined)
    .sort()
    .map((k) => `${k}=${encodeURIComponent(String(p[k]))}`)
    .join(',');
}

export function decodeParams(s: string): Record<string, string> {
  return Object.fromEntries(
    s
      .split(',')
      .filter(Boolean)
      .map((kv) => {
        const i = kv.indexOf('=');
        return [kv.slice(0, i), decodeURIComponent(kv.slice(i + 1))];
      }),
  );
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const FIELDS = ['id', 'action', 'kind', 'context', 'namespace', 'name', 'uid', 'resourceVersion', 'params', 'exp'] as const;

export class TokenMinter {
  private readonly key: Buffer;

  constructor(
    secret: string | Buffer | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number,
    /** Who may use what this minter issues ('' for the one local user of stdio). */
    private readonly caller = '',
  ) {
    this.key = Buffer.isBuffer(secret) ? secret : secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  /** The same secret and expiry, for tokens only this caller can use. */
  forCaller(caller: string): TokenMinter {
    return new TokenMinter(this.key, this.ttlMs, this.now, caller);
  }

  private sign(payload: string): string {
    const h = createHmac('sha256', this.key).update(payload);
    if (this.caller) h.update(`\n${this.caller}`);
    return h.digest('base64url');
  }

  /** A fresh token id (random, [a-z0-9]{10}). */
  newId(): string {
    return [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  }

  /** A token for these claims; `id` reuses an id drawn earlier (it names what the human was shown). */
  mint(c: Omit<TokenClaims, 'id' | 'exp'>, id = this.newId()): { token: string; claims: TokenClaims } {
    const claims: TokenClaims = { id, ...c, exp: this.now() + this.ttlMs };
    // Positional fields keep the token short: the agent pays for it twice.
    const payload = Buffer.from(FIELDS.map((f) => encodeURIComponent(String(claims[f]))).join('|')).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, claims };
  }

  /** Checks signature, expiry and that the token was minted for this action, context and object. */
  verify(token: string, expect: TokenExpectation): TokenClaims {
    const bad = (why: string) => new JobsError('not-confirmed', `${why} Nothing was changed. Call ${expect.tool} again without confirmationToken to get a new confirmation.`);
    const m = /^([A-Za-z0-9_-]{16,2000})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) throw bad('The confirmation token is malformed.');
    const [, payload, sig] = m as unknown as [string, string, string];
    // The signature is compared as written: base64url's last character has spare bits, so decoding
    // first would accept altered spellings of one signature.
    const given = Buffer.from(sig);
    const want = Buffer.from(this.sign(payload));
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw bad('The confirmation token is not valid: it was not issued by this server (or its shared secret changed) to this caller, or it was altered.');
    }
    const parts = Buffer.from(payload, 'base64url').toString('utf8').split('|');
    if (parts.length !== FIELDS.length) throw bad('The confirmation token is malformed.');
    let claims: TokenClaims;
    try {
      claims = Object.fromEntries(FIELDS.map((f, i) => [f, f === 'exp' ? Number(parts[i]) : decodeURIComponent(parts[i] as string)])) as unknown as TokenClaims;
    } catch {
      throw bad('The confirmation token is malformed.');
    }
    if (claims.action !== expect.action || claims.kind !== expect.kind || claims.namespace !== expect.namespace || claims.name !== expect.name) {
      throw bad(
        `The confirmation token was issued for ${claims.action} of ${claims.kind === expect.kind ? '' : `${claims.kind} `}${claims.namespace}/${claims.name}, not for ${expect.action} of ${claims.kind === expect.kind ? '' : `${expect.kind} `}${expect.namespace}/${expect.name}.`,
      );
    }
    if (claims.context !== expect.context) {
      throw bad(`The confirmation token was issued for context "${claims.context}", not for "${expect.context}": a token never acts on another cluster.`);
    }
    if (this.now() > claims.exp) throw bad(`The confirmation token expired at ${new Date(claims.exp).toISOString()}.`);
    return claims;
  }
}

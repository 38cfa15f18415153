// Confirmation tokens for destructive tools. A token is minted only after the
// human confirmed; it is bound to the action, the object's identity (uid) and
// version (resourceVersion), the backend and mode that were shown, and a short
// expiry. It is stateless: an HMAC with a per-process secret (or one shared by
// replicas), so it holds across replicas and restarts. Single use comes from
// the cluster, not from memory: see job_rerun.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { JobsError } from '../errors.js';

export interface TokenClaims {
  /** Token id: shown in audit logs and used to derive the rerun's name; never the token itself. */
  id: string;
  action: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  backend: string;
  mode: string;
  /** Expiry, Unix milliseconds. */
  exp: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const FIELDS = ['id', 'action', 'namespace', 'name', 'uid', 'resourceVersion', 'backend', 'mode', 'exp'] as const;

export class TokenMinter {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }

  /** A fresh token id (random, [a-z0-9]{10}). */
  newId(): string {
    return [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  }

  /** A token for these claims; `id` reuses an id drawn earlier (it names what the human was shown). */
  mint(c: Omit<TokenClaims, 'id' | 'exp'>, id = this.newId()): { token: string; claims: TokenClaims } {
    const claims: TokenClaims = { id, ...c, exp: this.now() + this.ttlMs };
    // Positional fields keep the token short: the agent pays for it twice.
    const payload = Buffer.from(FIELDS.map((f) => String(claims[f])).join('|')).toString('base64url');
    return { token: `${payload}.${this.sign(payload).toString('base64url')}`, claims };
  }

  /** Checks signature, expiry and that the token was minted for this action and object name. */
  verify(token: string, expect: { action: string; namespace: string; name: string }): TokenClaims {
    const bad = (why: string) => new JobsError('not-confirmed', `${why} Call job_rerun again without confirmationToken to get a new confirmation.`);
    const m = /^([A-Za-z0-9_-]{16,2000})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) throw bad('The confirmation token is malformed.');
    const [, payload, sig] = m as unknown as [string, string, string];
    const given = Buffer.from(sig, 'base64url');
    const want = this.sign(payload);
    if (given.length !== want.length || !timingSafeEqual(given, want)) {
      throw bad('The confirmation token is not valid: it was not issued by this server (or its shared secret changed), or it was altered.');
    }
    const parts = Buffer.from(payload, 'base64url').toString('utf8').split('|');
    if (parts.length !== FIELDS.length) throw bad('The confirmation token is malformed.');
    const claims = Object.fromEntries(FIELDS.map((f, i) => [f, f === 'exp' ? Number(parts[i]) : parts[i]])) as unknown as TokenClaims;
    if (claims.action !== expect.action || claims.namespace !== expect.namespace || claims.name !== expect.name) {
      throw bad(`The confirmation token was issued for ${claims.action} of ${claims.namespace}/${claims.name}, not for ${expect.action} of ${expect.namespace}/${expect.name}.`);
    }
    if (this.now() > claims.exp) throw bad(`The confirmation token expired at ${new Date(claims.exp).toISOString()}.`);
    return claims;
  }
}

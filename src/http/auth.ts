// Bearer tokens for the HTTP transport, and the Kubernetes identity each one
// maps to when impersonation is on.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Caller {
  /** A short, non-secret label for logs: the first 8 hex of the token's SHA-256. */
  id: string;
  /** The whole SHA-256 (hex): what confirmation tokens are bound to. Never logged nor sent. */
  binding: string;
  user?: string;
  groups: string[];
}

interface Entry extends Caller {
  digest: Buffer;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

export class TokenAuth {
  private readonly entries: Entry[];

  constructor(lines: string[]) {
    this.entries = lines.map((line) => {
      const [token, user, groups] = line.trim().split(/\s+/) as [string, string?, string?];
      const digest = sha256(token);
      const hex = digest.toString('hex');
      return { digest, id: hex.slice(0, 8), binding: hex, user, groups: groups ? groups.split(',').filter(Boolean) : [] };
    });
  }

  /** Tokens from a file (one per line, # comments) and/or one from the environment. */
  static load(file: string | undefined, envToken: string | undefined): TokenAuth {
    const lines: string[] = [];
    if (file) {
      for (const raw of readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trim();
        if (line && !line.startsWith('#')) lines.push(line);
      }
    }
    if (envToken) lines.push(envToken);
    for (const l of lines) if ((l.split(/\s+/)[0] ?? '').length < 16) throw new Error('every auth token needs at least 16 characters');
    return new TokenAuth(lines);
  }

  get size(): number {
    return this.entries.length;
  }

  get allHaveIdentity(): boolean {
    return this.entries.every((e) => e.user);
  }

  /** The caller a bearer header belongs to. Compares digests in constant time, and checks every entry. */
  verify(header: string | undefined): Caller | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) return undefined;
    const given = sha256(m[1] as string);
    let found: Entry | undefined;
    for (const e of this.entries) if (timingSafeEqual(given, e.digest) && !found) found = e;
    return found ? { id: found.id, binding: found.binding, user: found.user, groups: found.groups } : undefined;
  }
}

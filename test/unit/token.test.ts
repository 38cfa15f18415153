import { describe, expect, it } from 'vitest';
import { JobsError } from '../../src/errors.js';
import { TokenMinter } from '../../src/safety/token.js';

const claims = { action: 'rerun', kind: 'Job', context: 'prod|eu', namespace: 'batch', name: 'report-oom', uid: 'u-1', resourceVersion: '42', params: 'backend=native,mode=new' };
const target = { tool: 'job_rerun', action: 'rerun', kind: 'Job', context: 'prod|eu', namespace: 'batch', name: 'report-oom' };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(JobsError);
    expect((e as JobsError).kind).toBe('not-confirmed');
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('confirmation tokens', () => {
  it('round-trips every claim', () => {
    const m = new TokenMinter(undefined, 300_000, () => 1_000);
    const { token, claims: minted } = m.mint(claims);
    expect(m.verify(token, target)).toEqual({ ...claims, id: minted.id, exp: 301_000 });
    expect(minted.id).toMatch(/^[a-z0-9]{10}$/);
  });

  it('does not contain the secret and stays short', () => {
    const m = new TokenMinter('a-shared-secret-of-some-length', 300_000, Date.now);
    const { token } = m.mint(claims);
    expect(token).not.toContain('a-shared-secret');
    expect(token.length).toBeLessThan(200);
  });

  it('refuses an expired token', () => {
    let now = 0;
    const m = new TokenMinter(undefined, 300_000, () => now);
    const { token } = m.mint(claims);
    now = 300_001;
    expect(refusal(() => m.verify(token, target))).toMatch(/expired at 1970-01-01T00:05:00\.000Z/);
  });

  it('refuses a token minted for another job', () => {
    const m = new TokenMinter(undefined, 300_000, Date.now);
    const { token } = m.mint(claims);
    expect(refusal(() => m.verify(token, { ...target, name: 'other' }))).toMatch(/issued for rerun of batch\/report-oom, not for rerun of batch\/other/);
    expect(refusal(() => m.verify(token, { ...target, namespace: 'ops' }))).toMatch(/not for rerun of ops\/report-oom/);
    expect(refusal(() => m.verify(token, { ...target, action: 'delete' }))).toMatch(/not for delete/);
  });

  it('refuses a token from another server secret (forged)', () => {
    const a = new TokenMinter(undefined, 300_000, Date.now);
    const b = new TokenMinter(undefined, 300_000, Date.now);
    expect(refusal(() => b.verify(a.mint(claims).token, target))).toMatch(/not issued by this server/);
  });

  it('accepts a token across replicas that share a secret', () => {
    const a = new TokenMinter('shared-secret-for-all-replicas', 300_000, Date.now);
    const b = new TokenMinter('shared-secret-for-all-replicas', 300_000, Date.now);
    expect(b.verify(a.mint(claims).token, target).name).toBe('report-oom');
  });

  it('refuses an altered payload', () => {
    const m = new TokenMinter(undefined, 300_000, Date.now);
    const { token } = m.mint(claims);
    const [payload, sig] = token.split('.') as [string, string];
    const altered = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('|42|', '|43|')).toString('base64url');
    expect(refusal(() => m.verify(`${altered}.${sig}`, target))).toMatch(/not issued by this server|altered/);
  });

  it('refuses another spelling of the same signature (base64url leaves spare bits in its last character)', () => {
    const m = new TokenMinter(undefined, 300_000, Date.now);
    const { token } = m.mint(claims);
    const last = token.at(-1) as string;
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 43 characters carry 258 bits for a 256-bit HMAC: the last one's two low bits are ignored when decoded.
    const twin = B64[B64.indexOf(last) ^ 1] as string;
    expect(Buffer.from(`${token.slice(0, -1)}${twin}`.split('.')[1] as string, 'base64url')).toEqual(Buffer.from(token.split('.')[1] as string, 'base64url'));
    expect(refusal(() => m.verify(`${token.slice(0, -1)}${twin}`, target))).toMatch(/altered/);
    expect(m.verify(token, target).name).toBe('report-oom');
  });

  it("is bound to the caller it was issued to: another caller's minter refuses it, the same caller's accepts it", () => {
    const shared = new TokenMinter('shared-secret-for-all-replicas', 300_000, Date.now);
    const alice = shared.forCaller('a'.repeat(64));
    const bob = shared.forCaller('b'.repeat(64));
    const { token } = alice.mint(claims);
    expect(refusal(() => bob.verify(token, target))).toMatch(/to this caller/);
    expect(refusal(() => shared.verify(token, target))).toMatch(/to this caller/);
    expect(refusal(() => alice.verify(shared.mint(claims).token, target))).toMatch(/to this caller/);
    const replica = new TokenMinter('shared-secret-for-all-replicas', 300_000, Date.now).forCaller('a'.repeat(64));
    expect(replica.verify(token, target).name).toBe('report-oom');
  });

  it.each(['', 'garbage', 'a.b', `${'x'.repeat(30)}.${'y'.repeat(43)}`, 'eyJ.!!!'])('refuses garbled token %j', (token) => {
    const m = new TokenMinter(undefined, 300_000, Date.now);
    expect(refusal(() => m.verify(token, target))).toMatch(/malformed|not issued/);
  });
});

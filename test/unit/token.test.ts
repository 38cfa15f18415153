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

  it.each(['', 'garbage', 'a.b', `${'x'.repeat(30)}.${'y'.repeat(43)}`, 'eyJ.!!!'])('refuses garbled token %j', (token) => {
    const m = new TokenMinter(undefined, 300_000, Date.now);
    expect(refusal(() => m.verify(token, target))).toMatch(/malformed|not issued/);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function settle(file: string, n: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    try {
      const got = lines(file);
      if (got.length >= n) return got;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return lines(file);
}

describe('the start-up logger', () => {
  it('keeps records made before pino loads, in order, with their own time and level, then logs directly', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-')), 'server.log');
    const log = createLogger({ logLevel: 'info', logFile: file });
    const before = Date.now();
    log.info({ step: 1 }, 'first');
    log.debug({ step: 'hidden' }, 'below the level');
    log.warn('second, a bare message');
    log.error(new Error('boom'));
    await new Promise((r) => setTimeout(r, 30));
    await log.load();
    log.info({ step: 4, token: 'secret-token-value' }, 'after load');
    const got = await settle(file, 4);
    expect(got.map((l) => l.msg)).toEqual(['first', 'second, a bare message', 'boom', 'after load']);
    expect(got.map((l) => l.level)).toEqual([30, 40, 50, 30]);
    expect(got[0]?.time).toBeGreaterThanOrEqual(before);
    expect(got[0]?.time as number).toBeLessThan(got[3]?.time as number);
    expect(got[3]?.token).toBe('[REDACTED]');
    expect(got.some((l) => l.step === 'hidden')).toBe(false);
    // JSON.parse keeps the last of two equal keys: the raw lines must carry one time each.
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.match(/"time":/g)?.length)).toEqual([1, 1, 1, 1]);
    expect(got[2]?.err).toMatchObject({ message: 'boom' });
  });

  it('logs nothing at level silent', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-')), 'server.log');
    const log = createLogger({ logLevel: 'silent', logFile: file });
    log.fatal('nothing');
    await log.load();
    await new Promise((r) => setTimeout(r, 100));
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      /* never created */
    }
    expect(text).toBe('');
  });
});

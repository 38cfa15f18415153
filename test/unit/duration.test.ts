import { describe, expect, it } from 'vitest';
import { age, humanDuration } from '../../src/render/duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration follows kubectl for every range of its table', () => {
  it.each([
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [5 * m + 3 * s, '5m3s'],
    [4 * m, '4m'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [95 * m, '95m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [5 * h + 7 * m, '5h7m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [30 * h, '30h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [200 * d, '200d'],
    [2 * y - h, '729d'],
    [2 * y, '2y'],
    [3 * y + 10 * d, '3y10d'],
    [8 * y - d, '7y364d'],
    [8 * y, '8y'],
    [9 * y + 100 * d, '9y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it('renders an absent or unparsable timestamp as <unknown>', () => {
    expect(age(undefined, Date.now())).toBe('<unknown>');
    expect(age('yesterday', Date.now())).toBe('<unknown>');
    expect(age('2026-11-22T11:00:00Z', Date.parse('2026-11-22T11:05:03Z'))).toBe('5m3s');
  });
});

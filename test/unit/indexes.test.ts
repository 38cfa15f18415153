import { describe, expect, it } from 'vitest';
import { formatIndexes, parseIndexes } from '../../src/kube/indexes.js';

describe('completion-index ranges', () => {
  it('parses the Job controller format', () => {
    expect(parseIndexes('0-2,4')).toEqual([0, 1, 2, 4]);
    expect(parseIndexes('')).toEqual([]);
    expect(parseIndexes(undefined)).toEqual([]);
  });
  it('caps what a huge range expands to', () => {
    expect(parseIndexes('0-999999999', 10)).toHaveLength(10);
  });
  it('formats indexes back, merging runs and ignoring order and repeats', () => {
    expect(formatIndexes([4, 0, 2, 1, 2])).toBe('0-2,4');
    expect(formatIndexes([])).toBe('');
    expect(formatIndexes(parseIndexes('3,5-7,9'))).toBe('3,5-7,9');
  });
});

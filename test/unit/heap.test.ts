import { describe, expect, it } from 'vitest';
import { setCollector, trimHeap } from '../../src/heap.js';

describe('trimHeap', () => {
  it('collects only past the RSS threshold, and at most once a second', () => {
    const calls: unknown[] = [];
    setCollector((o) => calls.push(o));
    const MB = 1024 * 1024;
    trimHeap(10_000, () => 100 * MB);
    expect(calls).toHaveLength(0);
    trimHeap(10_001, () => 200 * MB);
    expect(calls).toEqual([{ type: 'major', execution: 'async' }]);
    trimHeap(10_500, () => 200 * MB);
    expect(calls).toHaveLength(1);
    trimHeap(11_002, () => 200 * MB);
    expect(calls).toHaveLength(2);
    setCollector(undefined);
    trimHeap(20_000, () => 500 * MB);
    expect(calls).toHaveLength(2);
  });
});

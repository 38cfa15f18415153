import { describe, expect, it } from 'vitest';
import { JobsError } from '../../src/errors.js';
import { parseJobRef, parsePodRef } from '../../src/safety/names.js';

describe('parseJobRef', () => {
  it('splits namespace/name', () => {
    expect(parseJobRef('batch/report-oom', 'default')).toEqual({ namespace: 'batch', name: 'report-oom' });
  });
  it('puts a bare name in the default namespace', () => {
    expect(parseJobRef('hello', 'demo')).toEqual({ namespace: 'demo', name: 'hello' });
  });
  it('trims surrounding spaces', () => {
    expect(parseJobRef('  batch/x ', 'd')).toEqual({ namespace: 'batch', name: 'x' });
  });
  it.each(['', 'a/b/c', 'Batch/x', 'batch/X', 'batch/-x', 'batch/x-', 'batch/a_b', 'batch/a..b', '/x', 'batch/', `batch/${'a'.repeat(64)}`, `${'n'.repeat(64)}/x`, 'batch/x;rm -rf'])(
    'rejects %j with an invalid-input error',
    (ref) => {
      let err: unknown;
      try {
        parseJobRef(ref, 'default');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(JobsError);
      expect((err as JobsError).kind).toBe('invalid-input');
    },
  );
  it('accepts the longest valid names', () => {
    expect(parseJobRef(`${'n'.repeat(63)}/${'a'.repeat(63)}`, 'd').name).toHaveLength(63);
  });
  it('allows dots (DNS-1123 subdomains) and holds job names to 63 characters, pod names to 253', () => {
    expect(parseJobRef('ns/job.v2', 'd').name).toBe('job.v2');
    expect(parsePodRef(`ns/${'p'.repeat(200)}`, 'd').name).toHaveLength(200);
    expect(() => parseJobRef(`ns/${'j'.repeat(64)}`, 'd')).toThrow(/not a valid job name/);
  });
});

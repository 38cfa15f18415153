import { describe, expect, it } from 'vitest';
import { matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError, selectorToString } from '../../src/kube/selector.js';

const labels = { app: 'report', tier: 'gold', 'batch.kubernetes.io/job-name': 'r1' };
const match = (sel: string) => matchesLabels(parseLabelSelector(sel), labels);

describe('label selectors', () => {
  it.each([
    ['app=report', true],
    ['app==report', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['tier in (gold,silver)', true],
    ['tier in (bronze)', false],
    ['tier notin (gold)', false],
    ['missing notin (gold)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=report,tier=gold', true],
    ['app=report,tier=silver', false],
    ['batch.kubernetes.io/job-name=r1', true],
    ['', true],
  ])('%j matches: %s', (sel, want) => {
    expect(match(sel)).toBe(want);
  });

  it.each(['app=', 'app=a b', '=x', 'app in (a', 'app===x', 'Bad Key=x', 'app in ()', 'a/b/c=x', `app=${'x'.repeat(64)}`, 'app,,tier', 'app>x'])('rejects %j', (sel) => {
    if (sel === 'app=') {
      // an empty value is valid: it selects the label set to ""
      expect(parseLabelSelector(sel)).toEqual([{ key: 'app', op: '=', values: [''] }]);
      return;
    }
    expect(() => parseLabelSelector(sel)).toThrow(SelectorError);
  });

  it('renders a LabelSelector object back to the string form', () => {
    expect(
      selectorToString({
        matchLabels: { a: '1' },
        matchExpressions: [
          { key: 'b', operator: 'In', values: ['x', 'y'] },
          { key: 'c', operator: 'NotIn', values: ['z'] },
          { key: 'd', operator: 'Exists' },
          { key: 'e', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a=1,b in (x,y),c notin (z),d,!e');
  });
});

describe('field selectors', () => {
  it('parses =, == and !=', () => {
    expect(parseFieldSelector('involvedObject.kind=Job,involvedObject.name==x,type!=Normal')).toEqual([
      { field: 'involvedObject.kind', op: '=', value: 'Job' },
      { field: 'involvedObject.name', op: '=', value: 'x' },
      { field: 'type', op: '!=', value: 'Normal' },
    ]);
  });
  it('rejects a requirement without an operator', () => {
    expect(() => parseFieldSelector('involvedObject.kind')).toThrow(SelectorError);
  });
});

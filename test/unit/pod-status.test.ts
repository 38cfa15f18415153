import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { List, Pod } from '../../src/kube/types.js';
import { byRelevance, completionIndex, failedContainers, podReady, podRestarts, podStatus } from '../../src/render/pod-status.js';

const pods = (key: string) => (JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/pods-${key}.json`, import.meta.url), 'utf8')).response.body as List<Pod>).items;
const pod = (o: { phase?: string; reason?: string; cs?: Pod['status'] extends infer S ? (S extends { containerStatuses?: infer C } ? C : never) : never; init?: unknown[]; deleting?: boolean }): Pod => ({
  metadata: { name: 'p', ...(o.deleting ? { deletionTimestamp: '2026-11-22T11:00:00Z' } : {}) },
  spec: { containers: (o.cs ?? []).map((c) => ({ name: c.name })), initContainers: (o.init ?? []).map((_, i) => ({ name: `init${i}` })) },
  status: { phase: o.phase ?? 'Running', reason: o.reason, containerStatuses: o.cs, initContainerStatuses: o.init as never },
});

describe('pod STATUS as kubectl prints it, on recorded pods', () => {
  it.each([
    ['batch__report-oom', ['OOMKilled', 'OOMKilled', 'OOMKilled']],
    ['batch__etl-imagepull', ['ImagePullBackOff']],
    ['ops__migrate-db', ['Error', 'Error']],
    ['demo__hello', ['Completed', 'Completed', 'Completed']],
  ])('%s', (key, want) => {
    expect(pods(key).map(podStatus)).toEqual(want);
  });

  it('reads exit codes, readiness and completion indexes', () => {
    const frames = pods('batch__render-frames');
    expect(frames.map(completionIndex)).toEqual(['0', '1', '2', '3', '4']);
    const failed = frames.find((p) => p.status?.phase === 'Failed') as Pod;
    expect(failedContainers(failed)).toEqual([{ container: 'render', exitCode: 2, reason: 'Error', previous: false }]);
    expect(podReady(failed)).toBe('0/1');
    expect(podRestarts(failed, Date.now())).toBe('0');
  });

  it('orders failed pods first, then newest', () => {
    const ordered = [...pods('batch__render-frames')].sort(byRelevance).map((p) => p.metadata.name);
    expect(ordered[0]).toMatch(/^render-frames-3-/);
  });
});

describe('pod STATUS rules', () => {
  const t = '2026-11-22T11:00:00Z';
  it('shows the first container’s waiting reason', () => {
    expect(podStatus(pod({ cs: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } }, { name: 'b', ready: true, restartCount: 0, state: { running: {} } }] }))).toBe('CrashLoopBackOff');
  });
  it('shows Signal:N or ExitCode:N for a terminated container without a reason', () => {
    expect(podStatus(pod({ cs: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 3, signal: 9 } } }] }))).toBe('Signal:9');
    expect(podStatus(pod({ cs: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }))).toBe('ExitCode:3');
  });
  it('shows Init: states while init containers run or fail', () => {
    expect(podStatus(pod({ init: [{ name: 'init0', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }] }))).toBe('Init:Error');
    expect(podStatus(pod({ init: [{ name: 'init0', ready: false, restartCount: 0, state: { running: {} } }] }))).toBe('Init:0/1');
  });
  it('shows the pod reason (Evicted) and Terminating', () => {
    expect(podStatus(pod({ phase: 'Failed', reason: 'Evicted' }))).toBe('Evicted');
    expect(podStatus(pod({ deleting: true, cs: [{ name: 'a', ready: true, restartCount: 0, state: { running: {} } }] }))).toBe('Terminating');
  });
  it('counts restarts with the time of the last one', () => {
    const p = pod({ cs: [{ name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: t } } }] });
    expect(podRestarts(p, Date.parse(t) + 75_000)).toBe('4 (75s ago)');
    expect(failedContainers(p)).toEqual([{ container: 'a', exitCode: 1, reason: undefined, previous: true }]);
  });
});

// The pod columns of `kubectl get pods` (pkg/printers/internalversion printPod).
import type { ContainerStatus, Pod } from '../kube/types.js';
import { humanDuration } from './duration.js';

export function podStatus(pod: Pod): string {
  const s = pod.status ?? {};
  let reason = s.reason || s.phase || 'Unknown';
  let initializing = false;
  const inits = s.initContainerStatuses ?? [];
  for (const [i, c] of inits.entries()) {
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    // Reverse order, so the first container's state is the one shown.
    for (const c of [...(s.containerStatuses ?? [])].reverse()) {
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
      else if (c.ready && st.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (s.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = s.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function podReady(pod: Pod): string {
  const cs = pod.status?.containerStatuses ?? [];
  return `${cs.filter((c) => c.ready).length}/${pod.spec.containers.length}`;
}

/** RESTARTS as kubectl ≥ 1.24 shows it: "4 (75s ago)". */
export function podRestarts(pod: Pod, now: number): string {
  const cs = pod.status?.containerStatuses ?? [];
  const n = cs.reduce((a, c) => a + (c.restartCount ?? 0), 0);
  const last = cs
    .map((c) => c.lastState?.terminated?.finishedAt)
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1);
  return n > 0 && last ? `${n} (${humanDuration(now - Date.parse(last))} ago)` : String(n);
}

/** Exit code and reason of the containers that terminated with an error, e.g. "report: 137 OOMKilled". */
export function failedContainers(pod: Pod): { container: string; exitCode: number; reason?: string; previous: boolean }[] {
  const out: { container: string; exitCode: number; reason?: string; previous: boolean }[] = [];
  for (const c of pod.status?.containerStatuses ?? []) {
    const t = c.state?.terminated;
    const lt = c.lastState?.terminated;
    if (t && t.exitCode !== 0) out.push({ container: c.name, exitCode: t.exitCode, reason: t.reason, previous: false });
    else if (!t && lt && lt.exitCode !== 0) out.push({ container: c.name, exitCode: lt.exitCode, reason: lt.reason, previous: true });
  }
  return out;
}

export const completionIndex = (pod: Pod): string | undefined =>
  pod.metadata.labels?.['batch.kubernetes.io/job-completion-index'] ?? pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];

/** A container that has never run: waiting, with no earlier terminated run. */
export function neverStarted(c: ContainerStatus | undefined): boolean {
  return Boolean(c?.state?.waiting && !c.lastState?.terminated);
}

/** Failed pods first, then newest first: the pod whose log most likely explains a failure. */
export function byRelevance(a: Pod, b: Pod): number {
  const failed = (p: Pod) => (p.status?.phase === 'Failed' || failedContainers(p).length > 0 || (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting && /BackOff|Err|Error/.test(c.state.waiting.reason ?? '')) ? 1 : 0);
  return failed(b) - failed(a) || Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? '') || (a.metadata.name < b.metadata.name ? -1 : 1);
}

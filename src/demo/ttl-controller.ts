// The TTL-after-finished controller: a finished Job with ttlSecondsAfterFinished
// is deleted (Foreground: its pods first, then the Job) once that many seconds
// have passed since it finished, by the store's clock.
import type { Job } from '../kube/types.js';
import type { GarbageCollector } from './gc.js';
import type { Store } from './store.js';
import { Timers } from './timers.js';

/** When the Job finished: the transition time of its Complete or Failed condition. */
export function finishedAt(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  const at = c?.lastTransitionTime ?? job.status?.completionTime;
  return at ? Date.parse(at) : undefined;
}

export class TtlController {
  private readonly timers = new Timers();

  /** tickMs: how often to look, 0 = only when tick() is called. */
  constructor(
    private readonly store: Store,
    private readonly gc: GarbageCollector,
    tickMs = 1000,
  ) {
    if (tickMs > 0) this.timers.every(tickMs, () => this.tick());
  }

  stop(): void {
    this.timers.stop();
  }

  /** Deletes every finished Job whose TTL has run out. */
  tick(): void {
    const now = this.store.now();
    for (const job of this.store.all<Job>('jobs')) {
      const ttl = job.spec.ttlSecondsAfterFinished;
      if (ttl === undefined || job.metadata.deletionTimestamp) continue;
      const done = finishedAt(job);
      if (done === undefined || now < done + ttl * 1000) continue;
      this.gc.deleteJob(job.metadata.namespace as string, job.metadata.name, { propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } });
    }
  }
}

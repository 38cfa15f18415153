// DELETE of a Job as the API server and the garbage collector carry it out:
// preconditions, then Background (Job gone now, pods a little later),
// Foreground (Job marked, pods deleted, then the Job) or Orphan (Job marked,
// pods kept without their ownerReference). batch/v1 orphans by default and
// says so in a Warning header.
import type { Job, Pod } from '../kube/types.js';
import { badRequest, conflict, notFound } from './status.js';
import type { Store } from './store.js';
import type { Timers } from './timers.js';

export interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  status: number;
  body: unknown;
  /** The value of a Warning response header. */
  warning?: string;
}

export const ORPHAN_WARNING =
  '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"';

const POLICIES = ['Foreground', 'Background', 'Orphan'];

export interface GcDelays {
  /** How long a Foreground or Orphan deletion keeps the marked Job before it is gone. */
  lingerMs: number;
  /** How long after a Background deletion the Job's pods are deleted. */
  podsMs: number;
}

export class GarbageCollector {
  constructor(
    private readonly store: Store,
    private readonly timers: Timers,
    private readonly delays: GcDelays,
  ) {}

  private run(ms: number, fn: () => void): void {
    if (ms > 0) this.timers.later(ms, fn);
    else fn();
  }

  deleteJob(namespace: string, name: string, opts: DeleteOptions = {}): DeleteResult {
    const target = { verb: 'delete', group: 'batch', resource: 'jobs', namespace, name };
    const job = this.store.get<Job>('jobs', namespace, name);
    if (!job) return { status: 404, body: notFound(target) };
    if (opts.propagationPolicy !== undefined && !POLICIES.includes(opts.propagationPolicy)) {
      return { status: 400, body: badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`) };
    }
    if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
      return { status: 400, body: badRequest(`propagationPolicy: Invalid value: "${opts.propagationPolicy}": orphanDependents and deletionPropagation cannot be both set`) };
    }
    // Checked before the delete like rest.BeforeDelete does: the message names the kind, not the resource.
    const kindTarget = { ...target, resource: 'Job' };
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== job.metadata.uid) {
      return {
        status: 409,
        body: conflict(kindTarget, `the UID in the precondition (${pre.uid}) does not match the UID in record (${job.metadata.uid}). The object might have been deleted and then recreated`),
      };
    }
    if (pre.resourceVersion && pre.resourceVersion !== job.metadata.resourceVersion) {
      return {
        status: 409,
        body: conflict(kindTarget, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${job.metadata.resourceVersion}). The object might have been modified`),
      };
    }
    const uid = job.metadata.uid as string;
    const policy = opts.propagationPolicy ?? (opts.orphanDependents === false ? 'Background' : 'Orphan');
    if (job.metadata.deletionTimestamp) return { status: 200, body: { kind: 'Job', apiVersion: 'batch/v1', ...job } };

    if (policy === 'Background') {
      this.store.delete('jobs', namespace, name);
      this.run(this.delays.podsMs, () => this.deletePods(namespace, uid));
      return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: 'batch', kind: 'jobs', uid } } };
    }
    // Foreground and Orphan keep the Job, marked, until the garbage collector has dealt with its pods.
    job.metadata.deletionTimestamp = this.store.iso();
    job.metadata.deletionGracePeriodSeconds = 0;
    job.metadata.generation = (job.metadata.generation ?? 1) + 1;
    job.metadata.finalizers = [...((job.metadata.finalizers as string[] | undefined) ?? []), policy === 'Foreground' ? 'foregroundDeletion' : 'orphan'];
    const marked = structuredClone(this.store.put('jobs', job));
    this.run(this.delays.lingerMs, () => {
      if (policy === 'Foreground') this.deletePods(namespace, uid);
      else this.orphanPods(namespace, uid);
      const still = this.store.get<Job>('jobs', namespace, name);
      if (still?.metadata.uid === uid) this.store.delete('jobs', namespace, name);
    });
    return { status: 200, body: { kind: 'Job', apiVersion: 'batch/v1', ...marked }, ...(opts.propagationPolicy === undefined && opts.orphanDependents === undefined ? { warning: ORPHAN_WARNING } : {}) };
  }

  private dependents(namespace: string, uid: string): Pod[] {
    return this.store.all<Pod>('pods').filter((p) => p.metadata.namespace === namespace && p.metadata.ownerReferences?.some((o) => o.uid === uid));
  }

  /** Deletes a pod and its logs (they go with it). */
  deletePod(namespace: string, name: string): void {
    this.store.delete('pods', namespace, name);
    for (const key of [...this.store.logs.keys()]) if (key.startsWith(`${namespace}/${name}/`)) this.store.logs.delete(key);
  }

  private deletePods(namespace: string, uid: string): void {
    for (const p of this.dependents(namespace, uid)) this.deletePod(namespace, p.metadata.name);
  }

  private orphanPods(namespace: string, uid: string): void {
    for (const p of this.dependents(namespace, uid)) {
      const rest = (p.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
      if (rest.length) p.metadata.ownerReferences = rest;
      else delete p.metadata.ownerReferences;
      // The Job controller's tracking finalizer goes with the owner.
      const fin = ((p.metadata.finalizers as string[] | undefined) ?? []).filter((f) => f !== 'batch.kubernetes.io/job-tracking');
      if (fin.length) p.metadata.finalizers = fin;
      else delete p.metadata.finalizers;
      this.store.put('pods', p);
    }
  }
}

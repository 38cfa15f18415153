// The demo cluster's object store: one resourceVersion counter for every write,
// keys ordered like etcd's ("namespace/name"), selectors and limit/continue as
// the API server applies them.
import { randomUUID } from 'node:crypto';
import { type FieldRequirement, type LabelRequirement, matchesLabels } from '../kube/selector.js';
import type { ObjectMeta } from '../kube/types.js';

export type Resource = 'jobs' | 'cronjobs' | 'pods' | 'events' | 'namespaces';

export interface StoredObject {
  metadata: ObjectMeta;
}

export interface LogLine {
  time: number;
  text: string;
}
/** Log of one container: the current run and, after a restart, the previous one. */
export interface ContainerLog {
  current: LogLine[];
  previous?: LogLine[];
}

export const KINDS: Record<Resource, { kind: string; apiVersion: string; group: string; namespaced: boolean }> = {
  jobs: { kind: 'Job', apiVersion: 'batch/v1', group: 'batch', namespaced: true },
  cronjobs: { kind: 'CronJob', apiVersion: 'batch/v1', group: 'batch', namespaced: true },
  pods: { kind: 'Pod', apiVersion: 'v1', group: '', namespaced: true },
  events: { kind: 'Event', apiVersion: 'v1', group: '', namespaced: true },
  namespaces: { kind: 'Namespace', apiVersion: 'v1', group: '', namespaced: false },
};

// The order the API server serializes ObjectMeta in.
const META_ORDER = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
function orderedMeta(m: ObjectMeta): ObjectMeta {
  const out: Record<string, unknown> = {};
  for (const k of META_ORDER) if (m[k] !== undefined) out[k] = m[k];
  for (const [k, v] of Object.entries(m)) if (!(k in out) && v !== undefined) out[k] = v;
  return out as ObjectMeta;
}

const keyOf = (o: StoredObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

/** Reads a dotted field path the way the API server's field selectors see an object. */
function fieldValue(obj: StoredObject, field: string): string {
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

/** Whether an object passes label and field selectors as the API server applies them. */
export function matchesSelectors(o: StoredObject, labels?: LabelRequirement[], fields?: FieldRequirement[]): boolean {
  return (!labels || matchesLabels(labels, o.metadata.labels)) && (fields ?? []).every((f) => (fieldValue(o, f.field) === f.value) === (f.op === '='));
}

export const FIELDS: Record<Resource, string[]> = {
  jobs: ['metadata.name', 'metadata.namespace', 'status.successful'],
  cronjobs: ['metadata.name', 'metadata.namespace'],
  pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  events: [
    'metadata.name',
    'metadata.namespace',
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  namespaces: ['metadata.name', 'status.phase'],
};

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
/** One write to a watched resource, as a watch replays it: the object as it was right after the write. */
export interface Change {
  rv: number;
  type: ChangeType;
  resource: Resource;
  object: StoredObject;
  /** The object before the write (MODIFIED, DELETED), for selector transitions. */
  prev?: StoredObject;
}
/** Only these keep a change history (watch); pods and events would crowd it out. */
export const WATCHED: readonly Resource[] = ['jobs', 'cronjobs'];

export interface ListResult {
  items: StoredObject[];
  continue?: string;
  remainingItemCount?: number;
  resourceVersion: string;
}

export class Store {
  private rv = 1000;
  private compactedRv = 0;
  private readonly data: Record<Resource, Map<string, StoredObject>> = {
    jobs: new Map(),
    cronjobs: new Map(),
    pods: new Map(),
    events: new Map(),
    namespaces: new Map(),
  };
  readonly logs = new Map<string, ContainerLog>();
  // The watch cache: a bounded window of changes; a watch from before it gets 410 Expired.
  private readonly history: Change[] = [];
  private historyFrom = this.rv;
  private readonly snapshots = new Map<string, StoredObject>();
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly historyLimit: number;

  private frozenAt?: number;
  /** The cluster's clock (ms). */
  readonly now: () => number;

  constructor(clock: () => number = Date.now, opts: { historyLimit?: number } = {}) {
    this.historyLimit = opts.historyLimit ?? 1000;
    this.now = () => this.frozenAt ?? clock();
  }

  /** Runs fn with the clock stopped, so that everything it writes shares one "now" (seeding). */
  frozen<T>(fn: () => T): T {
    this.frozenAt = this.now();
    try {
      return fn();
    } finally {
      this.frozenAt = undefined;
    }
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Forget list positions and watch history older than now, as etcd compaction does (continue tokens and older watches then get 410). */
  compact(): void {
    this.compactedRv = ++this.rv;
    this.history.length = 0;
    this.historyFrom = this.rv;
  }

  /** The oldest resourceVersion a watch can start from. */
  get oldestWatchable(): number {
    return this.historyFrom;
  }

  /** Changes after resourceVersion rv, oldest first; undefined when rv is older than the history. */
  changesSince(rv: number): Change[] | undefined {
    if (rv < this.historyFrom) return undefined;
    return this.history.filter((c) => c.rv > rv);
  }

  /** Calls fn after every write to a watched resource, synchronously; returns the unsubscribe. */
  subscribe(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private record(resource: Resource, type: ChangeType, key: string, obj: StoredObject): void {
    if (!WATCHED.includes(resource)) return;
    const object = structuredClone(obj);
    const skey = `${resource}/${key}`;
    const prev = this.snapshots.get(skey);
    if (type === 'DELETED') this.snapshots.delete(skey);
    else this.snapshots.set(skey, object);
    const change: Change = { rv: this.rv, type, resource, object, ...(prev ? { prev } : {}) };
    this.history.push(change);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.historyFrom = (dropped[dropped.length - 1] as Change).rv;
    }
    for (const fn of this.listeners) {
      try {
        fn(change);
      } catch {
        // A listener's failure must not fail the write.
      }
    }
  }

  iso(offsetSeconds = 0): string {
    return new Date(Math.floor(this.now() / 1000) * 1000 + offsetSeconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  get<T extends StoredObject = StoredObject>(resource: Resource, namespace: string | undefined, name: string): T | undefined {
    return this.data[resource].get(namespace ? `${namespace}/${name}` : name) as T | undefined;
  }

  /** Creates or replaces an object, stamping uid, creationTimestamp and a new resourceVersion. */
  put<T extends StoredObject>(resource: Resource, obj: T): T {
    this.rv++;
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= this.iso();
    obj.metadata.resourceVersion = String(this.rv);
    obj.metadata = orderedMeta(obj.metadata);
    const key = keyOf(obj);
    const existed = this.data[resource].has(key);
    this.data[resource].set(key, obj);
    this.record(resource, existed ? 'MODIFIED' : 'ADDED', key, obj);
    return obj;
  }

  delete(resource: Resource, namespace: string | undefined, name: string): StoredObject | undefined {
    const key = namespace ? `${namespace}/${name}` : name;
    const obj = this.data[resource].get(key);
    if (obj) {
      this.rv++;
      this.data[resource].delete(key);
      // The DELETED event carries the last state at the deletion's resourceVersion.
      this.record(resource, 'DELETED', key, { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } });
    }
    return obj;
  }

  all<T extends StoredObject = StoredObject>(resource: Resource): T[] {
    return [...this.data[resource].values()] as T[];
  }

  /** Throws a message for a 400 when the token is not one of ours, or 'expired' when compacted away. */
  list(
    resource: Resource,
    opts: { namespace?: string; labels?: LabelRequirement[]; fields?: FieldRequirement[]; limit?: number; continue?: string },
  ): ListResult {
    let start = '';
    if (opts.continue) {
      let token: { v?: string; rv?: number; start?: string };
      try {
        token = JSON.parse(Buffer.from(opts.continue, 'base64url').toString('utf8'));
      } catch {
        throw new Error(`continue key is not valid: illegal base64 data`);
      }
      if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || typeof token.rv !== 'number') {
        throw new Error('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      }
      if (token.rv < this.compactedRv) throw new Error('expired');
      start = token.start;
    }
    const filtered = [...this.data[resource].entries()]
      .filter(([key]) => !opts.namespace || key.startsWith(`${opts.namespace}/`))
      .filter(([key]) => key >= start)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o)
      .filter((o) => matchesSelectors(o, opts.labels, opts.fields));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : filtered.length;
    const items = filtered.slice(0, limit);
    const result: ListResult = { items, resourceVersion: String(this.rv) };
    if (filtered.length > limit) {
      const last = items[items.length - 1] as StoredObject;
      result.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: this.rv, start: `${keyOf(last)}\u0000` })).toString('base64url');
      // Like the API server: the count is only known when no selector filters the list.
      if (!opts.labels?.length && !opts.fields?.length) result.remainingItemCount = filtered.length - limit;
    }
    return result;
  }
}

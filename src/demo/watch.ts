// GET …?watch=1 as the API server's watch cache serves it: newline-delimited
// WatchEvents of the changes after resourceVersion (or ADDED for everything
// when it is unset or "0"), selector transitions as ADDED/DELETED, BOOKMARKs,
// an ERROR event with 410 Expired for a resourceVersion older than the
// history, and the end of the stream at timeoutSeconds.
import type { ServerResponse } from 'node:http';
import type { FieldRequirement, LabelRequirement } from '../kube/selector.js';
import { expired } from './status.js';
import { type Change, KINDS, matchesSelectors, type Resource, type StoredObject, type Store } from './store.js';

export interface WatchRequest {
  resource: Resource;
  namespace?: string;
  labels?: LabelRequirement[];
  fields?: FieldRequirement[];
  resourceVersion?: string;
  timeoutSeconds: number;
  bookmarks: boolean;
}

export interface WatchTiming {
  /** Bookmarks besides the one shortly before the timeout (the API server sends about one a minute). */
  bookmarkIntervalMs: number;
}

/** The zero-valued object a BOOKMARK carries, as Go serializes it: only resourceVersion is set. */
function bookmark(resource: Resource, rv: string): unknown {
  const template = { metadata: { creationTimestamp: null }, spec: { containers: null } };
  const spec = resource === 'cronjobs' ? { schedule: '', jobTemplate: { metadata: { creationTimestamp: null }, spec: { template } } } : { template };
  return { kind: KINDS[resource].kind, apiVersion: KINDS[resource].apiVersion, metadata: { resourceVersion: rv, creationTimestamp: null }, spec, status: {} };
}

/** Streams the watch on res; returns the function that ends it (the server calls it on close). */
export function serveWatch(store: Store, res: ServerResponse, w: WatchRequest, timing: WatchTiming, headers: Record<string, string>): () => void {
  const kind = KINDS[w.resource];
  const typed = (o: StoredObject) => ({ kind: kind.kind, apiVersion: kind.apiVersion, ...o });
  const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });

  const rv = w.resourceVersion ?? '';
  let backlog: string[];
  if (rv === '' || rv === '0') {
    // No starting point: the current state first, as ADDED events.
    backlog = store
      .list(w.resource, { namespace: w.namespace, labels: w.labels, fields: w.fields })
      .items.map((o) => line('ADDED', typed(structuredClone(o))));
  } else {
    const changes = store.changesSince(Number(rv));
    if (!changes) {
      res.end(line('ERROR', expired(rv, store.oldestWatchable)));
      return () => {};
    }
    backlog = changes.map((c) => event(c)).filter((l): l is string => l !== undefined);
  }

  function matches(o: StoredObject | undefined): boolean {
    return Boolean(o) && (!w.namespace || o?.metadata.namespace === w.namespace) && matchesSelectors(o as StoredObject, w.labels, w.fields);
  }
  function event(c: Change): string | undefined {
    if (c.resource !== w.resource) return undefined;
    if (c.type === 'ADDED') return matches(c.object) ? line('ADDED', typed(c.object)) : undefined;
    if (c.type === 'DELETED') return matches(c.object) ? line('DELETED', typed(c.object)) : undefined;
    // An object that starts or stops matching the selectors appears or disappears for this watch.
    const was = matches(c.prev);
    const is = matches(c.object);
    if (is) return line(was ? 'MODIFIED' : 'ADDED', typed(c.object));
    return was ? line('DELETED', typed(c.object)) : undefined;
  }

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const t of timers) clearTimeout(t);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);
  if (backlog.length) res.write(backlog.join(''));
  unsubscribe = store.subscribe((c) => {
    const l = event(c);
    if (l && !ended) res.write(l);
  });
  const sendBookmark = () => {
    if (!ended) res.write(line('BOOKMARK', bookmark(w.resource, store.resourceVersion)));
  };
  const timeoutMs = w.timeoutSeconds * 1000;
  timers.push(setTimeout(end, timeoutMs));
  if (w.bookmarks) {
    // The watch cache bookmarks about 2 s before the deadline, and about once a minute besides.
    if (timeoutMs > 2000) timers.push(setTimeout(sendBookmark, timeoutMs - 2000));
    if (timing.bookmarkIntervalMs > 0 && timing.bookmarkIntervalMs < timeoutMs - 2000) timers.push(setInterval(sendBookmark, timing.bookmarkIntervalMs));
  }
  for (const t of timers) t.unref();
  return end;
}

// PATCH and PUT on jobs and cronjobs as the API server applies them: the patch
// types it accepts, the fields an update cannot touch (identity, status,
// a Job's selector and running template), generation moving on only when the
// spec changed, and a managedFields entry for the writer.
import type { Job } from '../kube/types.js';
import { invalid, type StatusBody } from './status.js';
import type { Resource, Store, StoredObject } from './store.js';

export const PATCH_TYPES = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'];

export class PatchError extends Error {
  constructor(
    readonly status: number,
    readonly body: StatusBody,
  ) {
    super(body.message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Strategic merge patch for the fields tools patch: a merge patch whose lists of named items (containers, env) merge by name. */
function strategicPatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) && Array.isArray(target) && patch.every((p) => isObject(p) && typeof p.name === 'string')) {
    const out = target.map((t) => structuredClone(t));
    for (const p of patch as Record<string, unknown>[]) {
      const i = out.findIndex((t) => isObject(t) && t.name === p.name);
      if (p.$patch === 'delete') {
        if (i >= 0) out.splice(i, 1);
      } else if (i >= 0) out[i] = strategicPatch(out[i], p);
      else out.push(strategicPatch(undefined, p));
    }
    return out;
  }
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue; // directives ($patch, $retainKeys, $setElementOrder) have no effect here
    if (v === null) delete out[k];
    else out[k] = strategicPatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch: add, remove, replace, test, move, copy. */
function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError(400, invalidPatch('a JSON patch must be an array of operations'));
  let doc = structuredClone(target);
  const split = (path: string) => path.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const parentOf = (path: string): [Record<string, unknown> | unknown[], string] => {
    const parts = split(path);
    const last = parts.pop() ?? '';
    let cur: unknown = doc;
    for (const p of parts) {
      cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
      if (cur === undefined) throw new PatchError(422, invalidPatch(`doc is missing path: "${path}"`));
    }
    return [cur as Record<string, unknown> | unknown[], last];
  };
  const get = (path: string): unknown => {
    if (path === '') return doc;
    const [parent, key] = parentOf(path);
    return Array.isArray(parent) ? parent[Number(key)] : parent[key];
  };
  const put = (path: string, value: unknown, insert: boolean) => {
    if (path === '') {
      doc = value;
      return;
    }
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (insert) parent.splice(i, 0, value);
      else parent[i] = value;
    } else parent[key] = value;
  };
  const remove = (path: string) => {
    const [parent, key] = parentOf(path);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else if (key in parent) delete parent[key];
    else throw new PatchError(422, invalidPatch(`unable to remove nonexistent key: ${key}: missing value`));
  };
  for (const op of ops as { op?: string; path?: string; from?: string; value?: unknown }[]) {
    const path = op.path ?? '';
    switch (op.op) {
      case 'add':
        put(path, structuredClone(op.value), true);
        break;
      case 'replace':
        if (get(path) === undefined) throw new PatchError(422, invalidPatch(`replace operation does not apply: doc is missing key: ${path}: missing value`));
        put(path, structuredClone(op.value), false);
        break;
      case 'remove':
        remove(path);
        break;
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new PatchError(422, invalidPatch(`testing value ${path} failed: test failed`));
        break;
      case 'move':
      case 'copy': {
        const v = structuredClone(get(op.from ?? ''));
        if (op.op === 'move') remove(op.from ?? '');
        put(path, v, true);
        break;
      }
      default:
        throw new PatchError(400, invalidPatch(`Unexpected kind: ${op.op}`));
    }
  }
  return doc;
}

const invalidPatch = (message: string): StatusBody => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 });

export function applyPatch(contentType: string, current: StoredObject, patch: unknown): unknown {
  const base = structuredClone(current);
  if (contentType === 'application/json-patch+json') return jsonPatch(base, patch);
  if (!isObject(patch)) throw new PatchError(400, { ...invalidPatch('the body of the request was in an unknown format: a merge patch must be a JSON object'), reason: 'BadRequest', code: 400 });
  return contentType === 'application/strategic-merge-patch+json' ? strategicPatch(base, patch) : mergePatch(base, patch);
}

/** The field set a write touched, in managedFields' FieldsV1 form. */
function fieldsOf(v: unknown): Record<string, unknown> {
  if (!isObject(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'resourceVersion' || k.startsWith('$')) continue;
    out[`f:${k}`] = fieldsOf(x);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Stores the result of a PATCH or PUT: identity and status stay as they were,
 * a Job's selector and (unless suspended before it started) template cannot change,
 * and generation moves on only when the spec changed.
 */
export function updateObject(store: Store, resource: Resource, current: StoredObject, next: StoredObject, o: { manager: string; fields?: unknown }): StoredObject {
  const cur = current as StoredObject & { spec?: Record<string, unknown>; status?: unknown };
  const nxt = next as StoredObject & { spec?: Record<string, unknown>; status?: unknown };
  const kind = resource === 'jobs' ? 'Job' : 'CronJob';
  const name = cur.metadata.name;
  if (resource === 'jobs' && cur.spec && nxt.spec) {
    const job = cur as unknown as Job;
    const causes: { field: string; message: string }[] = [];
    if (!same(cur.spec.selector, nxt.spec.selector)) causes.push({ field: 'spec.selector', message: `Invalid value: ${JSON.stringify(nxt.spec.selector ?? null)}: field is immutable` });
    const mayChangeTemplate = job.spec.suspend && !job.status?.startTime;
    if (!mayChangeTemplate && !same(cur.spec.template, nxt.spec.template)) causes.push({ field: 'spec.template', message: 'Invalid value: the pod template: field is immutable' });
    if (!same(cur.spec.completions, nxt.spec.completions)) causes.push({ field: 'spec.completions', message: `Invalid value: ${JSON.stringify(nxt.spec.completions ?? null)}: field is immutable` });
    if (causes.length) throw new PatchError(422, invalid(kind, 'batch', name, causes));
  }
  if (resource === 'cronjobs' && typeof nxt.spec?.timeZone === 'string') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: nxt.spec.timeZone });
    } catch {
      throw new PatchError(422, invalid(kind, 'batch', name, [{ field: 'spec.timeZone', message: `Invalid value: "${nxt.spec.timeZone}": unknown time zone ${nxt.spec.timeZone}` }]));
    }
  }
  const meta = cur.metadata;
  const time = store.iso();
  const managedFields = [...((meta.managedFields as Record<string, unknown>[] | undefined) ?? [])].filter((m) => !(m.manager === o.manager && m.operation === 'Update' && !m.subresource));
  const fieldsV1 = o.fields === undefined ? fieldsOf({ metadata: { labels: nxt.metadata.labels, annotations: nxt.metadata.annotations }, spec: nxt.spec }) : fieldsOf(o.fields);
  managedFields.push({ manager: o.manager, operation: 'Update', apiVersion: 'batch/v1', time, fieldsType: 'FieldsV1', fieldsV1 });
  nxt.metadata = {
    ...nxt.metadata,
    name,
    namespace: meta.namespace,
    uid: meta.uid,
    creationTimestamp: meta.creationTimestamp,
    deletionTimestamp: meta.deletionTimestamp,
    generation: (meta.generation ?? 1) + (same(cur.spec, nxt.spec) ? 0 : 1),
    managedFields,
  };
  for (const k of ['deletionGracePeriodSeconds'] as const) if (meta[k] !== undefined) nxt.metadata[k] = meta[k];
  // The main resource ignores status: only the status subresource writes it.
  nxt.status = structuredClone(cur.status);
  return store.put(resource, nxt);
}

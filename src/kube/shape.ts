// A 200 answer of the wrong shape (a proxy's page, a Status where a list was due, `null`) becomes a
// clear error naming the API path here, instead of a TypeError deep inside a tool.
import { JobsError } from '../errors.js';

export type Shape = 'any' | 'Job' | 'CronJob' | 'Pod' | 'Event' | 'Namespace' | 'JobList' | 'CronJobList' | 'PodList' | 'EventList' | 'NamespaceList';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (v: unknown, path: string[]): unknown => path.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

type Type = 'string' | 'array' | 'object' | 'number';
// A trailing '?' on the type: the field may be absent, but if present it must have that type.
type Check = [string[], Type | `${Type}?`];

const COUNTS: Check[] = ['active', 'ready', 'succeeded', 'failed', 'terminating'].map((k) => [['status', k], 'number?']);
const ITEM: Record<string, Check[]> = {
  any: [],
  Job: [
    [['metadata', 'name'], 'string'],
    [['metadata', 'namespace'], 'string?'],
    [['spec', 'template', 'spec', 'containers'], 'array'],
    [['status'], 'object?'],
    [['status', 'conditions'], 'array?'],
    ...COUNTS,
  ],
  CronJob: [
    [['metadata', 'name'], 'string'],
    [['metadata', 'namespace'], 'string?'],
    [['spec', 'schedule'], 'string'],
    [['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers'], 'array'],
    [['status'], 'object?'],
    [['status', 'active'], 'array?'],
  ],
  Pod: [
    [['metadata', 'name'], 'string'],
    [['metadata', 'namespace'], 'string?'],
    [['spec', 'containers'], 'array'],
    [['status'], 'object?'],
    [['status', 'containerStatuses'], 'array?'],
    [['status', 'conditions'], 'array?'],
  ],
  Event: [
    [['metadata', 'name'], 'string'],
    [['involvedObject'], 'object'],
  ],
  Namespace: [[['metadata', 'name'], 'string']],
};

function problem(v: unknown, shape: string): string | undefined {
  if (!isObj(v)) return `it is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}, not an object`;
  for (const [path, spec] of ITEM[shape] ?? []) {
    const optional = spec.endsWith('?');
    const type = spec.replace('?', '') as Type;
    const x = at(v, path);
    if (optional && (x === undefined || x === null)) continue;
    const ok = type === 'array' ? Array.isArray(x) : type === 'object' ? isObj(x) : type === 'number' ? typeof x === 'number' && Number.isFinite(x) && x >= 0 : typeof x === 'string' && x !== '';
    if (!ok) return `${path.join('.')} is ${optional ? 'not' : 'missing or not'} a${type === 'array' || type === 'object' ? 'n' : ''} ${type === 'number' ? 'count' : type}`;
  }
  return undefined;
}

/** Throws a bad-response error when `body` is not what `shape` promises. */
export function checkShape(body: unknown, shape: Shape, request: string): void {
  let why: string | undefined;
  if (shape.endsWith('List')) {
    const item = shape.slice(0, -4);
    if (!isObj(body)) why = problem(body, 'any');
    else if (!Array.isArray(body.items)) why = 'items is missing or not an array';
    else {
      if (!isObj(body.metadata)) body.metadata = {};
      const i = body.items.findIndex((x) => problem(x, item) !== undefined);
      if (i >= 0) why = `items[${i}]: ${problem(body.items[i], item)}`;
    }
  } else why = problem(body, shape);
  if (why) {
    const kind = isObj(body) && typeof body.kind === 'string' ? ` (kind ${JSON.stringify(body.kind.slice(0, 40))})` : '';
    throw new JobsError('bad-response', `The API server answered ${request} with a body that is not a ${shape}${kind}: ${why}. Is --kubeconfig pointing at a Kubernetes API server?`);
  }
}

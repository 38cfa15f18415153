// Argument completion from the live cluster. Completion is a convenience: it
// never fails loudly, and it never offers what the namespace policy forbids.
import { cronJobsInScope, jobsInScope } from '../jobs/reads.js';
import { isDnsName } from '../safety/names.js';
import type { ToolDeps } from '../tools/types.js';

const MAX = 100;
// Completion reads at most one page's worth of Jobs: it suggests, it does not enumerate.
const SCAN = 500;

export async function completeNamespaces(deps: ToolDeps, prefix: string): Promise<string[]> {
  try {
    const allowed = deps.policy.allowList();
    const names = allowed ?? (await deps.api.listNamespaces({ limit: 500 })).items.map((n) => n.metadata.name);
    return names.filter((n) => n.startsWith(prefix) && deps.policy.allows(n)).slice(0, MAX);
  } catch {
    return [];
  }
}

/** Jobs (or CronJobs) as "namespace/name": by namespace prefix until a "/" is typed, then by name prefix in that namespace. */
export async function completeJobs(deps: ToolDeps, value: string, kind: 'job' | 'cronjob' = 'job'): Promise<string[]> {
  try {
    const slash = value.indexOf('/');
    const ns = slash >= 0 ? value.slice(0, slash) : undefined;
    if (ns !== undefined && !deps.policy.allows(ns)) return [];
    const { items } = await (kind === 'job' ? jobsInScope : cronJobsInScope)(deps, ns, SCAN);
    // Names a real API server would never return are not offered (they could carry anything).
    return items
      .filter((j) => isDnsName(j.metadata.name) && isDnsName(j.metadata.namespace))
      .map((j) => `${j.metadata.namespace}/${j.metadata.name}`)
      .filter((r) => r.startsWith(value) || (ns === undefined && (r.split('/')[1] ?? '').startsWith(value)))
      .slice(0, MAX);
  } catch {
    return [];
  }
}

export async function completeJobNames(deps: ToolDeps, namespace: string | undefined, prefix: string, kind: 'job' | 'cronjob' = 'job'): Promise<string[]> {
  if (!namespace) return [];
  return (await completeJobs(deps, `${namespace}/${prefix}`, kind)).map((r) => r.slice(namespace.length + 1));
}

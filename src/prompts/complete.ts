// Argument completion from the live cluster. Completion is a convenience: it
// never fails loudly, and it never offers what the namespace policy forbids.
import type { ToolDeps } from '../tools/types.js';

const MAX = 100;

export async function completeNamespaces(deps: ToolDeps, prefix: string): Promise<string[]> {
  try {
    const allowed = deps.policy.allowList();
    const names = allowed ?? (await deps.api.listNamespaces({ limit: 500 })).items.map((n) => n.metadata.name);
    return names.filter((n) => n.startsWith(prefix) && deps.policy.allows(n)).slice(0, MAX);
  } catch {
    return [];
  }
}

/** Jobs as "namespace/name": by namespace prefix until a "/" is typed, then by name prefix in that namespace. */
export async function completeJobs(deps: ToolDeps, value: string): Promise<string[]> {
  try {
    const slash = value.indexOf('/');
    if (slash >= 0) {
      const ns = value.slice(0, slash);
      if (!deps.policy.allows(ns)) return [];
      const page = await deps.api.listJobs(ns, { limit: 500 });
      return page.items.map((j) => `${ns}/${j.metadata.name}`).filter((r) => r.startsWith(value)).slice(0, MAX);
    }
    const allowed = deps.policy.allowList();
    const pages = allowed ? await Promise.all(allowed.map((ns) => deps.api.listJobs(ns, { limit: 500 }))) : [await deps.api.listJobs(undefined, { limit: 500 })];
    return pages
      .flatMap((p) => p.items)
      .filter((j) => deps.policy.allows(j.metadata.namespace ?? ''))
      .map((j) => `${j.metadata.namespace}/${j.metadata.name}`)
      .filter((r) => r.startsWith(value) || (r.split('/')[1] ?? '').startsWith(value))
      .slice(0, MAX);
  } catch {
    return [];
  }
}

export async function completeJobNames(deps: ToolDeps, namespace: string | undefined, prefix: string): Promise<string[]> {
  if (!namespace) return [];
  return (await completeJobs(deps, `${namespace}/${prefix}`)).map((r) => r.slice(namespace.length + 1));
}

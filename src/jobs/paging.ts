// Listing across the namespaces the policy allows, page by page with the API server's own
// limit/continue. With an allow-list the listing walks one namespace after another, so our
// continue token carries which one it is in.
import { invalidInput } from '../errors.js';
import type { List } from '../kube/types.js';
import { checkNamespace } from '../safety/names.js';
import type { JobsDeps } from './deps.js';

interface Cursor {
  source: number;
  token?: string;
}

const foreign = () => invalidInput('This continue token does not belong to this listing; start again without "continue".');

function decodeCursor(raw: string | undefined, multi: boolean): Cursor {
  if (!raw) return { source: 0 };
  if (!multi) return { source: 0, token: raw };
  const m = /^(\d{1,4}):(.*)$/.exec(raw);
  if (!m) throw foreign();
  return { source: Number(m[1]), token: m[2] || undefined };
}

export interface PagedResult<T> {
  items: T[];
  /** Our continue token for the next page, if any. */
  continue?: string;
  /** The API server's count of what is left (only for a single source without selectors). */
  remaining?: number;
  multi: boolean;
}

/**
 * One page of `limit` items (after `keep`), reading further pages only when `keep` drops items,
 * and never more than `maxScan` objects in one call.
 */
export async function listPaged<T extends { metadata: { namespace?: string } }>(
  deps: JobsDeps,
  o: {
    namespace?: string;
    limit: number;
    continue?: string;
    maxScan: number;
    fetch: (namespace: string | undefined, limit: number, token: string | undefined) => Promise<List<T>>;
    keep?: (item: T) => boolean;
  },
): Promise<PagedResult<T>> {
  let sources: (string | undefined)[];
  if (o.namespace !== undefined) {
    deps.policy.check(checkNamespace(o.namespace));
    sources = [o.namespace];
  } else sources = deps.policy.allowList() ?? [undefined];
  const multi = sources.length > 1;
  const cursor = decodeCursor(o.continue, multi);
  if (cursor.source >= sources.length) throw foreign();

  const items: T[] = [];
  let scanned = 0;
  let remaining: number | undefined;
  let next: Cursor | undefined = cursor;
  while (next && items.length < o.limit && scanned < o.maxScan) {
    const page = await o.fetch(sources[next.source], o.limit, next.token);
    scanned += page.items.length;
    for (const item of page.items) {
      if (!deps.policy.allows(item.metadata.namespace ?? '')) continue;
      if (o.keep && !o.keep(item)) continue;
      items.push(item);
    }
    remaining = page.metadata.continue ? page.metadata.remainingItemCount : undefined;
    if (page.metadata.continue) next = { source: next.source, token: page.metadata.continue };
    else next = next.source + 1 < sources.length ? { source: next.source + 1 } : undefined;
    if (!o.keep) break;
  }
  const token = next ? (multi ? `${next.source}:${next.token ?? ''}` : (next.token ?? '')) : undefined;
  return { items, multi, ...(token !== undefined ? { continue: token } : {}), ...(remaining !== undefined ? { remaining } : {}) };
}

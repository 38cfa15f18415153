import { JobsError } from '../errors.js';
import { cleanControls, cleanText } from '../safety/clean.js';

/** What was being attempted, so an error can name it. */
export interface RequestDescription {
  verb: 'get' | 'list' | 'create' | 'delete' | 'patch' | 'watch';
  resource: string;
  namespace?: string;
  name?: string;
  server: string;
  /** The kubeconfig context, so an error of one cluster says which. */
  context?: string;
}

const api = (d: RequestDescription) => `the Kubernetes API${d.context ? ` of context "${d.context}"` : ''} at ${d.server}`;

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { field?: string; message?: string }[] };
}

function parseStatus(body: string): StatusBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as StatusBody) : {};
  } catch {
    return {};
  }
}

const cap = (s: string) => s[0]?.toUpperCase() + s.slice(1);
const where = (d: RequestDescription) => (d.namespace ? `in namespace "${d.namespace}"` : 'across all namespaces');
const what = (d: RequestDescription) => (d.name ? `${d.resource} "${d.name}"` : d.resource);

/** Turns an HTTP error answer of the API server into an actionable error. */
export function httpError(status: number, body: string, d: RequestDescription, attempts = 1): JobsError {
  const st = parseStatus(body);
  // The API's message can quote admission webhooks and user input: one clean, bounded line.
  const raw = typeof st.message === 'string' ? st.message : body.slice(0, 300);
  // Joined first, then cleaned: a marker split over two lines is one once joined.
  const one = cleanText(cleanControls(raw).replace(/\s+/g, ' ').trim());
  const apiMessage = one.length > 500 ? `${one.slice(0, 499)}…` : one;
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  switch (status) {
    case 401:
      return new JobsError(
        'unauthorized',
        `${cap(api(d))} rejected the credentials (401 Unauthorized): the token or client certificate is invalid or expired. Refresh the credentials in your kubeconfig (for example log in again with your cloud CLI) or choose another context with --context.`,
        status,
      );
    case 403:
      return new JobsError(
        'forbidden',
        `Forbidden: this identity may not ${d.verb} ${d.resource} ${where(d)} (API: ${apiMessage}). Ask a cluster admin for a Role granting "${d.verb}" on "${d.resource}"${d.namespace ? ` in "${d.namespace}"` : ''}, or use a namespace you can access.`,
        status,
      );
    case 404: {
      const hint =
        d.resource === 'jobs'
          ? `Check the name with job_list${d.namespace ? ` {"namespace":"${d.namespace}"}` : ''}.`
          : d.resource === 'pods' || d.resource === 'pods/log'
            ? 'The pod may have been deleted (ttlSecondsAfterFinished, a rerun, or node cleanup); list the current pods with job_pods.'
            : 'Check the name and namespace.';
      return new JobsError('not-found', `Not found: ${what(d)} ${where(d)} (API: ${apiMessage}). ${hint}`, status);
    }
    case 409:
      return st.reason === 'AlreadyExists'
        ? new JobsError('already-exists', `Already exists: ${apiMessage}.`, status)
        : new JobsError('conflict', `Conflict: ${what(d)} changed while this request was made (API: ${apiMessage}). Read it again and retry.`, status);
    case 410:
      return new JobsError('expired', `The API server no longer has the list position this continue token pointed at (410 Gone: ${apiMessage}). Start the listing again without "continue".`, status);
    case 422: {
      const causes = cleanText((st.details?.causes ?? []).slice(0, 10).map((c) => `${c.field ?? '?'}: ${c.message ?? ''}`).join('; ')).replace(/\s+/g, ' ').slice(0, 1000);
      return new JobsError('invalid', `The API server rejected the ${d.resource} as invalid: ${causes || apiMessage}`, status);
    }
    case 400:
      return new JobsError('bad-request', `The API server refused the request: ${apiMessage}`, status);
    case 429:
      return new JobsError('rate-limited', `The API server is throttling requests (429)${tried}. Wait a moment and retry.`, status);
    default:
      if (status >= 500) {
        return new JobsError('server-error', `The API server failed with ${status}${tried} while trying to ${d.verb} ${what(d)}: ${apiMessage}. Retry later; if it persists, check the API server's health.`, status);
      }
      return new JobsError('bad-response', `Unexpected ${status} from the API server for ${d.verb} ${what(d)}: ${apiMessage}`, status);
  }
}

/** Turns a failure to get any HTTP answer into an actionable error. */
export function networkError(err: unknown, d: RequestDescription, timeoutMs: number, attempts = 1): JobsError {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const tried = attempts > 1 ? ` (${attempts} attempts)` : '';
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new JobsError('timeout', `No answer from ${api(d)} within ${timeoutMs} ms${tried}. The server may be overloaded or unreachable; retry, or raise --request-timeout.`);
  }
  // undici puts the system error code on the error itself (request) or on its cause (fetch).
  const code = (e?.code && !e.code.startsWith('UND_ERR_') ? e.code : undefined) ?? e?.cause?.code ?? e?.code ?? '';
  const detail = code || e?.cause?.message || e?.message || String(err);
  return new JobsError(
    'unreachable',
    `Cannot reach ${api(d)} (${detail})${tried}. Check that the cluster is running and that --kubeconfig/--context point at it.`,
  );
}

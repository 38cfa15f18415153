// Status bodies shaped exactly like the API server's (see test/fixtures/k8s-1.32/error-*.json).

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: { reason: string; message: string; field: string }[]; retryAfterSeconds?: number };
  code: number;
}

export interface Target {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const qualified = (t: Target) => (t.group ? `${t.resource}.${t.group}` : t.resource);
const details = (t: Target) => ({ ...(t.name ? { name: t.name } : {}), ...(t.group ? { group: t.group } : {}), kind: t.resource });

export function failure(code: number, reason: string, message: string, extra?: StatusBody['details']): StatusBody {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(extra ? { details: extra } : {}), code };
}

export const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized');

export function forbidden(t: Target, user: string): StatusBody {
  const res = t.subresource ? `${t.resource}/${t.subresource}` : t.resource;
  const subject = t.name ? `${qualified(t)} "${t.name}"` : qualified(t);
  const scope = t.namespace ? `in the namespace "${t.namespace}"` : 'at the cluster scope';
  return failure(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${t.verb} resource "${res}" in API group "${t.group}" ${scope}`, details(t));
}

export const notFound = (t: Target) => failure(404, 'NotFound', `${qualified(t)} "${t.name ?? ''}" not found`, details(t));

export const alreadyExists = (t: Target) => failure(409, 'AlreadyExists', `${qualified(t)} "${t.name ?? ''}" already exists`, details(t));

export const conflict = (t: Target, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t)} "${t.name ?? ''}": ${why}`, details(t));

export const badRequest = (message: string) => failure(400, 'BadRequest', message);

export function invalid(kind: string, group: string, name: string, causes: { field: string; message: string }[]): StatusBody {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return failure(422, 'Invalid', `${kind}.${group} "${name}" is invalid: ${causes.length > 1 ? `[${list}]` : list}`, {
    name,
    group,
    kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export const gone = () =>
  failure(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );

/** The body a fault injection returns for a bare status code. */
export function statusFor(code: number, t: Target, user: string): StatusBody {
  switch (code) {
    case 401:
      return unauthorized();
    case 403:
      return forbidden(t, user);
    case 404:
      return notFound(t);
    case 409:
      return conflict(t);
    case 410:
      return gone();
    case 429:
      return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    case 503:
      return failure(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    case 504:
      return failure(504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request');
    default:
      return failure(code, 'InternalError', `Internal error occurred: injected fault ${code}`);
  }
}

/** A watch from a resourceVersion older than the watch cache keeps (sent as an ERROR event, not as the HTTP status). */
export const expired = (requested: string, oldest: number) => failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const unsupportedMediaType = () =>
  failure(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
  );

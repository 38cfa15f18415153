import { flatLine } from './safety/clean.js';

/** Every failure a tool reports has a kind (machine-readable) and a message that says what to do next. */
export type ErrorKind =
  | 'invalid-input'
  | 'policy-denied'
  | 'no-cluster-config'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'expired'
  | 'already-exists'
  | 'invalid'
  | 'bad-request'
  | 'rate-limited'
  | 'server-error'
  | 'timeout'
  | 'unreachable'
  | 'bad-response'
  | 'not-confirmed';

export class JobsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'JobsError';
  }
}

export const invalidInput = (message: string) => new JobsError('invalid-input', message);

const MAX_MESSAGE = 4000;

/** Any failure as a JobsError: ours pass through, anything else is an internal error. */
export function asJobsError(err: unknown): JobsError {
  const e = err instanceof JobsError ? err : new JobsError('server-error', `Internal error: ${(err as Error)?.message ?? String(err)}`);
  // An error quotes what it was given (a name, a selector, a context): it stays one bounded line, so
  // a newline in an argument can never start a line of the server's own.
  if (!/[\n\r\t\v\f\u0085\u2028\u2029]/.test(e.message) && e.message.length <= MAX_MESSAGE) return e;
  return new JobsError(e.kind, flatLine(e.message, MAX_MESSAGE), e.status);
}

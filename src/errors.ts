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

/** Any failure as a JobsError: ours pass through, anything else is an internal error. */
export const asJobsError = (err: unknown): JobsError =>
  err instanceof JobsError ? err : new JobsError('server-error', `Internal error: ${(err as Error)?.message ?? String(err)}`);

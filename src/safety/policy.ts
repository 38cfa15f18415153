import { JobsError } from '../errors.js';

/** Namespace allow/deny lists, checked before any API call. */
export class NamespacePolicy {
  private readonly allow: ReadonlySet<string>;
  private readonly deny: ReadonlySet<string>;

  constructor(allow: readonly string[] = [], deny: readonly string[] = []) {
    this.allow = new Set(allow);
    this.deny = new Set(deny);
  }

  allows(namespace: string): boolean {
    return !this.deny.has(namespace) && (this.allow.size === 0 || this.allow.has(namespace));
  }

  check(namespace: string): void {
    if (this.allows(namespace)) return;
    throw new JobsError(
      'policy-denied',
      this.deny.has(namespace)
        ? `Namespace "${namespace}" is denied by this server's policy (--deny-namespaces). Nothing was sent to the cluster.`
        : `Namespace "${namespace}" is outside this server's allow-list (${[...this.allow].join(', ')}). Nothing was sent to the cluster.`,
    );
  }

  /** The namespaces a cross-namespace read is limited to, or undefined when any (not denied) one is fine. */
  allowList(): string[] | undefined {
    return this.allow.size ? [...this.allow].filter((n) => !this.deny.has(n)).sort() : undefined;
  }
}

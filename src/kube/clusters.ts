// Many clusters from one server: one client per allowed kubeconfig context,
// created on first use (its own connection pool and auth, exec plugins
// included), so one broken context never breaks another. A context outside the
// allowed list is refused before anything is sent.
import { JobsError } from '../errors.js';
import type { Log } from '../log.js';
import { NamespacePolicy } from '../safety/policy.js';
import { createJobsApi } from './client.js';
import { severalContexts } from './contexts.js';
import type { JobsApi } from './types.js';

type KubeConfig = import('@kubernetes/client-node/dist/config.js').KubeConfig;

export interface ClustersOptions {
  kubeconfig?: string;
  /** The default context (--context); else the kubeconfig's current-context. */
  context?: string;
  /** Allowed contexts; ['*'] for every context of the kubeconfig; [] for the default one only. */
  contexts: readonly string[];
  namespace?: string;
  timeoutMs: number;
  log: Log;
  headers?: Record<string, string | string[]>;
  redact: boolean;
  allowNamespaces: readonly string[];
  denyNamespaces: readonly string[];
  contextPolicy: Readonly<Record<string, { allow?: string[]; deny?: string[] }>>;
  /** Builds the client of one context (tests bind it to the demo cluster). */
  makeApi?: (context: string | undefined) => JobsApi;
}

export type ContextInfo = {
  name: string;
  cluster: string;
  server: string;
  namespace: string;
  default: boolean;
};

export interface Bound {
  context: string;
  api: JobsApi;
  policy: NamespacePolicy;
}

export class Clusters {
  private kc?: Promise<KubeConfig>;
  private readonly bound = new Map<string, Bound>();
  private readonly explicit: readonly string[];

  constructor(private readonly o: ClustersOptions) {
    this.explicit = o.contexts.filter((c) => c !== '*');
  }

  /** More than one context may be used: tools then take a `context` argument. */
  get multi(): boolean {
    return severalContexts(this.o.contexts, this.o.context);
  }

  /** The allowed names known without reading the kubeconfig (for completion and refusals). */
  private async allowed(): Promise<string[]> {
    const def = await this.defaultContext();
    if (this.o.contexts.includes('*')) return (await this.kubeconfig()).getContexts().map((c) => c.name);
    return [...new Set([def, ...this.explicit])];
  }

  private kubeconfig(): Promise<KubeConfig> {
    this.kc ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
      const kc = new KubeConfig();
      if (this.o.kubeconfig) kc.loadFromFile(this.o.kubeconfig);
      else kc.loadFromDefault();
      return kc;
    })();
    return this.kc.catch((e) => {
      this.kc = undefined;
      throw new JobsError('no-cluster-config', `Could not load the kubeconfig ${this.o.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'}: ${String((e as Error).message).split('\n')[0]}.`);
    });
  }

  private async defaultContext(): Promise<string> {
    if (this.o.context) return this.o.context;
    if (this.explicit.length && !this.o.contexts.includes('*')) {
      // With an explicit list and no --context, the kubeconfig's current context is the default when allowed.
      const current = await this.kubeconfig().then((k) => k.getCurrentContext(), () => undefined);
      return current && this.explicit.includes(current) ? current : (this.explicit[0] as string);
    }
    return (await this.kubeconfig()).getCurrentContext();
  }

  /** The client and namespace policy of a context (the default one when none is named). */
  async resolve(context?: string): Promise<Bound> {
    if (!this.multi) {
      // One context: --context, else the one --contexts names, else the kubeconfig's current one. The
      // kubeconfig is read here only when its name matters (a context argument, a per-context policy).
      let name = this.o.context ?? this.explicit[0];
      if (name === undefined && (context !== undefined || Object.keys(this.o.contextPolicy).length)) name = (await this.kubeconfig()).getCurrentContext();
      if (context !== undefined && context !== name) {
        throw new JobsError(
          'policy-denied',
          `Context "${context.slice(0, 100)}" is not allowed: this server uses only context "${name}" (an operator can allow more with --contexts). Nothing was sent to any cluster.`,
        );
      }
      return this.bind(name ?? '', name);
    }
    const name = context ?? (await this.defaultContext());
    const allowed = await this.allowed();
    if (!allowed.includes(name)) {
      throw new JobsError('policy-denied', `Context "${name.slice(0, 100)}" is not allowed on this server (allowed: ${allowed.join(', ')}). Nothing was sent to any cluster.`);
    }
    return this.bind(name, name);
  }

  private bind(key: string, context: string | undefined): Bound {
    let b = this.bound.get(key);
    if (!b) {
      const own = context ? this.o.contextPolicy[context] : undefined;
      b = {
        context: key,
        api:
          this.o.makeApi?.(context) ??
          createJobsApi({ kubeconfig: this.o.kubeconfig, context, namespace: this.o.namespace, timeoutMs: this.o.timeoutMs, log: this.o.log, headers: this.o.headers, redact: this.o.redact }),
        policy: own ? new NamespacePolicy(own.allow ?? [], own.deny ?? []) : new NamespacePolicy(this.o.allowNamespaces, this.o.denyNamespaces),
      };
      this.bound.set(key, b);
    }
    return b;
  }

  /** The allowed contexts with their cluster's server and default namespace; never credentials. */
  async list(): Promise<ContextInfo[]> {
    const kc = await this.kubeconfig();
    const def = await this.defaultContext();
    return (await this.allowed()).map((name) => {
      const ctx = kc.getContextObject(name);
      const cluster = ctx ? kc.getCluster(ctx.cluster) : null;
      return { name, cluster: ctx?.cluster ?? '', server: cluster?.server ?? '(not in the kubeconfig)', namespace: ctx?.namespace ?? 'default', default: name === def };
    });
  }

  /** Names for completion of a `context` argument. */
  async names(prefix = ''): Promise<string[]> {
    return (await this.allowed().catch(() => [])).filter((n) => n.startsWith(prefix));
  }
}

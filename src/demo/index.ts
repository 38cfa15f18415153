import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoApiServer, type Identity } from './api-server.js';
import { JobController } from './controller.js';
import { CronJobController } from './cronjob-controller.js';
import { seedDemo } from './scenario.js';
import { seedStaging } from './scenario-staging.js';
import { Store } from './store.js';
import { TtlController } from './ttl-controller.js';

export interface DemoOptions {
  port?: number;
  /** Serve KubeSphere's operations API (rerun) as well. */
  kubesphere?: boolean;
  podRunMs?: number;
  /** >0: a Foreground or Orphan DELETE keeps the marked Job this long before it is gone (default 0). */
  deleteDelayMs?: number;
  /** >0: the pods of a Job deleted with Background propagation go this much later (default 0; a real cluster takes about 1 s). */
  gcDelayMs?: number;
  noiseEvents?: number;
  now?: () => number;
  /** How often the CronJob and TTL controllers look at the clock, in ms; 0 = only when their tick() is called (default 1000). */
  tickMs?: number;
  /** Changes the watch cache keeps; a watch from an older resourceVersion gets 410 Expired (default 1000). */
  watchHistory?: number;
  /** Periodic watch bookmarks besides the one 2 s before timeoutSeconds (default 60 s). */
  bookmarkIntervalMs?: number;
  /**
   * Start a second, smaller cluster ("staging": namespace web) on its own port and add the
   * contexts demo-staging and demo-broken (a port nothing listens on) to the kubeconfig.
   */
  staging?: boolean;
}

export const DEMO_TOKENS = { admin: 'demo-admin-token', viewer: 'demo-viewer-token', stagingAdmin: 'demo-staging-admin-token' } as const;

/** One simulated cluster: its API server, store and controllers. */
export interface DemoClusterParts {
  url: string;
  store: Store;
  api: DemoApiServer;
  controller: JobController;
  cronJobs: CronJobController;
  ttl: TtlController;
}

export interface DemoCluster extends DemoClusterParts {
  /**
   * A kubeconfig file with contexts "demo" (admin) and "demo-viewer" (reads namespace batch only);
   * with staging also "demo-staging" (admin of the second cluster) and "demo-broken" (nothing listens).
   */
  kubeconfigPath: string;
  /** The second cluster, when started with staging. */
  staging?: DemoClusterParts;
  /** The URL of demo-broken's server, when started with staging. */
  brokenUrl?: string;
  close(): Promise<void>;
}

const ADMIN: Identity = { user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'], canWrite: true, canImpersonate: true };
const VIEWER: Identity = { user: 'system:serviceaccount:batch:viewer', groups: ['system:serviceaccounts'], readNamespaces: ['batch'], canWrite: false, canImpersonate: false };

async function startParts(opts: DemoOptions, seed: (store: Store) => void, tokens: Record<string, Identity>, port: number): Promise<DemoClusterParts> {
  const store = new Store(opts.now, { historyLimit: opts.watchHistory });
  store.frozen(() => seed(store));
  const controller = new JobController(store, { podRunMs: opts.podRunMs ?? 3000, deleteDelayMs: opts.deleteDelayMs ?? 0, gcDelayMs: opts.gcDelayMs ?? 0 });
  const cronJobs = new CronJobController(store, controller, { tickMs: opts.tickMs });
  const ttl = new TtlController(store, controller.gc, opts.tickMs);
  const api = new DemoApiServer({
    store,
    controller,
    cronJobs,
    tokens,
    impersonable: {
      'alice@example.com': { groups: ['team-batch'], readNamespaces: ['batch', 'demo'], canWrite: false },
      'bob@example.com': { groups: ['sre'], canWrite: true },
    },
    kubesphere: opts.kubesphere ?? false,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
  });
  const url = await api.listen(port);
  return { url, store, api, controller, cronJobs, ttl };
}

async function stopParts(p: DemoClusterParts): Promise<void> {
  p.cronJobs.stop();
  p.ttl.stop();
  p.controller.stop();
  await p.api.close();
}

/** A 127.0.0.1 URL where nothing listens (a port just freed). */
async function unusedUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Starts the demo Kubernetes API on 127.0.0.1 (a free port unless given) with the seeded scenario. */
export async function startDemoCluster(opts: DemoOptions = {}): Promise<DemoCluster> {
  const main = await startParts(opts, (s) => seedDemo(s, { noiseEvents: opts.noiseEvents }), { [DEMO_TOKENS.admin]: ADMIN, [DEMO_TOKENS.viewer]: VIEWER }, opts.port ?? 0);
  let staging: DemoClusterParts | undefined;
  let brokenUrl: string | undefined;
  if (opts.staging) {
    staging = await startParts({ ...opts, kubesphere: false }, seedStaging, { [DEMO_TOKENS.stagingAdmin]: { ...ADMIN, user: 'staging-admin' } }, 0);
    brokenUrl = await unusedUrl();
  }
  const dir = mkdtempSync(join(tmpdir(), 'k8s-jobs-mcp-demo-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, demoKubeconfig(main.url, staging && brokenUrl ? { staging: staging.url, broken: brokenUrl } : undefined), { mode: 0o600 });
  return {
    ...main,
    kubeconfigPath,
    ...(staging ? { staging, brokenUrl } : {}),
    async close() {
      await Promise.all([stopParts(main), ...(staging ? [stopParts(staging)] : [])]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `--demo` starts: both clusters, and pods that outlive a Background delete by about a second, as on a real cluster. */
export const CLI_DEMO_OPTIONS: DemoOptions = { staging: true, gcDelayMs: 1000 };

/** The demo cluster as `--demo` runs it (CLI_DEMO_OPTIONS, then opts). */
export function startCliDemo(opts: DemoOptions = {}): Promise<DemoCluster> {
  return startDemoCluster({ ...CLI_DEMO_OPTIONS, ...opts });
}

export function demoKubeconfig(url: string, extra?: { staging: string; broken: string }): string {
  // Plain http needs insecure-skip-tls-verify for @kubernetes/client-node to accept it.
  const clusters = [`- name: demo\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`];
  const users = [`- name: demo-admin\n  user:\n    token: ${DEMO_TOKENS.admin}`, `- name: demo-viewer\n  user:\n    token: ${DEMO_TOKENS.viewer}`];
  const contexts = ['- name: demo\n  context: {cluster: demo, user: demo-admin, namespace: demo}', '- name: demo-viewer\n  context: {cluster: demo, user: demo-viewer, namespace: batch}'];
  if (extra) {
    clusters.push(`- name: demo-staging\n  cluster:\n    server: ${extra.staging}\n    insecure-skip-tls-verify: true`);
    clusters.push(`- name: demo-broken\n  cluster:\n    server: ${extra.broken}\n    insecure-skip-tls-verify: true`);
    users.push(`- name: demo-staging-admin\n  user:\n    token: ${DEMO_TOKENS.stagingAdmin}`);
    contexts.push('- name: demo-staging\n  context: {cluster: demo-staging, user: demo-staging-admin, namespace: web}');
    contexts.push('- name: demo-broken\n  context: {cluster: demo-broken, user: demo-admin, namespace: demo}');
  }
  return `apiVersion: v1
kind: Config
clusters:
${clusters.join('\n')}
users:
${users.join('\n')}
contexts:
${contexts.join('\n')}
current-context: demo
`;
}

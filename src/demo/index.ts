import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoApiServer, type Identity } from './api-server.js';
import { JobController } from './controller.js';
import { seedDemo } from './scenario.js';
import { Store } from './store.js';

export interface DemoOptions {
  port?: number;
  /** Serve KubeSphere's operations API (rerun) as well. */
  kubesphere?: boolean;
  podRunMs?: number;
  deleteDelayMs?: number;
  noiseEvents?: number;
  now?: () => number;
}

export const DEMO_TOKENS = { admin: 'demo-admin-token', viewer: 'demo-viewer-token' } as const;

export interface DemoCluster {
  url: string;
  /** A kubeconfig file with contexts "demo" (admin) and "demo-viewer" (reads namespace batch only). */
  kubeconfigPath: string;
  store: Store;
  api: DemoApiServer;
  controller: JobController;
  close(): Promise<void>;
}

const ADMIN: Identity = { user: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'], canWrite: true, canImpersonate: true };
const VIEWER: Identity = { user: 'system:serviceaccount:batch:viewer', groups: ['system:serviceaccounts'], readNamespaces: ['batch'], canWrite: false, canImpersonate: false };

/** Starts the demo Kubernetes API on 127.0.0.1 (a free port unless given) with the seeded scenario. */
export async function startDemoCluster(opts: DemoOptions = {}): Promise<DemoCluster> {
  const store = new Store(opts.now);
  seedDemo(store, { noiseEvents: opts.noiseEvents });
  const controller = new JobController(store, { podRunMs: opts.podRunMs ?? 3000, deleteDelayMs: opts.deleteDelayMs ?? 0 });
  const api = new DemoApiServer({
    store,
    controller,
    tokens: { [DEMO_TOKENS.admin]: ADMIN, [DEMO_TOKENS.viewer]: VIEWER },
    impersonable: {
      'alice@example.com': { groups: ['team-batch'], readNamespaces: ['batch', 'demo'], canWrite: false },
      'bob@example.com': { groups: ['sre'], canWrite: true },
    },
    kubesphere: opts.kubesphere ?? false,
  });
  const url = await api.listen(opts.port ?? 0);
  const dir = mkdtempSync(join(tmpdir(), 'k8s-jobs-mcp-demo-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, demoKubeconfig(url), { mode: 0o600 });
  return {
    url,
    kubeconfigPath,
    store,
    api,
    controller,
    async close() {
      controller.stop();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function demoKubeconfig(url: string): string {
  // Plain http needs insecure-skip-tls-verify for @kubernetes/client-node to accept it.
  return `apiVersion: v1
kind: Config
clusters:
- name: demo
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
users:
- name: demo-admin
  user:
    token: ${DEMO_TOKENS.admin}
- name: demo-viewer
  user:
    token: ${DEMO_TOKENS.viewer}
contexts:
- name: demo
  context: {cluster: demo, user: demo-admin, namespace: demo}
- name: demo-viewer
  context: {cluster: demo, user: demo-viewer, namespace: batch}
current-context: demo
`;
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKENS, type DemoCluster, startDemoCluster } from '../../src/demo/index.js';
import { REDACTED, type RedactCounter, redactObject, redactText } from '../../src/safety/redact.js';

// The secrets src/demo/scenario.ts plants on purpose; everything else it seeds is harmless.
const PLANTED = [
  'AKIAZ3MDEMO7EXAMPLE1', // batch/report-oom: env AWS_ACCESS_KEY_ID and its log
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEMOKEY123', // batch/report-oom: env AWS_SECRET_ACCESS_KEY
  'hunter2-Migr4te!', // ops/migrate-db and CronJob ops/nightly-migrate: env PGPASSWORD, and the URL in its log
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtaWdyYXRlIn0.ZGVtby1zaWduYXR1cmU', // ops/migrate-db log: Authorization: Bearer
];
/** What redaction should find in the demo cluster, per source. */
const EXPECTED = {
  jobs: 3, // report-oom: 2 env values; migrate-db: PGPASSWORD
  cronjobs: 1, // nightly-migrate: PGPASSWORD
  pods: 8, // 3 report-oom pods x 2 env values, 2 migrate-db pods x PGPASSWORD
  events: 0,
  logs: 7, // 3 report-oom logs x the key id; 2 migrate-db logs x (URL password + bearer token)
};

interface Change {
  where: string;
  before: string;
  after: string;
}

/** The strings redaction changed, comparing an object with its redacted copy. */
function changes(before: unknown, after: unknown, where: string, out: Change[] = []): Change[] {
  if (typeof before === 'string') {
    if (before !== after) out.push({ where, before, after: String(after) });
  } else if (before && typeof before === 'object') {
    for (const [k, v] of Object.entries(before)) changes(v, (after as Record<string, unknown>)[k], `${where}.${k}`, out);
  }
  return out;
}

/** A change is right when it is exactly the planted secrets replaced, and nothing else. */
const onlyPlanted = (c: Change) => c.after === PLANTED.reduce((s, p) => s.split(p).join(REDACTED), c.before) && c.before !== c.after;

describe('redaction over everything the demo cluster serves', () => {
  let demo: DemoCluster;
  const get = async (path: string) => {
    const r = await fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` } });
    return { status: r.status, text: await r.text() };
  };
  const list = async (path: string) => {
    const { status, text } = await get(path);
    expect(status).toBe(200);
    return { text, items: (JSON.parse(text) as { items: Record<string, unknown>[] }).items };
  };

  beforeAll(async () => {
    demo = await startDemoCluster();
  });
  afterAll(async () => {
    await demo.close();
  });

  it.each(Object.entries({ jobs: '/apis/batch/v1/jobs', cronjobs: '/apis/batch/v1/cronjobs', pods: '/api/v1/pods', events: '/api/v1/events' }))(
    'in %s hides only the planted secrets, as objects and as JSON text',
    async (kind, path) => {
      const { text, items } = await list(path);
      expect(items.length).toBeGreaterThan(0);
      const counter: RedactCounter = { count: 0 };
      const found = items.flatMap((item, i) => changes(item, redactObject(structuredClone(item), counter), `${kind}[${i}]`));
      expect(found.filter((c) => !onlyPlanted(c))).toEqual([]);
      expect(found.length).toBe(EXPECTED[kind as keyof typeof EXPECTED]);
      expect(counter.count).toBe(found.length);

      const asText: RedactCounter = { count: 0 };
      const redacted = redactText(text, asText);
      expect(asText.count).toBe(found.length);
      expect(redacted).toBe(PLANTED.reduce((s, p) => s.split(p).join(REDACTED), text));
    },
  );

  it('in every container log hides only the planted secrets', async () => {
    const { items: pods } = await list('/api/v1/pods');
    const found: Change[] = [];
    let logs = 0;
    let hidden = 0;
    for (const pod of pods as { metadata: { namespace: string; name: string }; spec: { containers: { name: string }[] } }[]) {
      for (const { name: container } of pod.spec.containers) {
        for (const previous of [false, true]) {
          const { status, text } = await get(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log?container=${container}${previous ? '&previous=true' : ''}`);
          if (status !== 200) continue;
          logs++;
          const counter: RedactCounter = { count: 0 };
          const out = redactText(text, counter);
          hidden += counter.count;
          const [a, b] = [text.split('\n'), out.split('\n')];
          expect(b.length).toBe(a.length);
          a.forEach((line, i) => {
            if (line !== b[i]) found.push({ where: `${pod.metadata.name}/${container}:${i}`, before: line, after: b[i] as string });
          });
        }
      }
    }
    expect(logs).toBeGreaterThan(130);
    expect(found.filter((c) => !onlyPlanted(c))).toEqual([]);
    expect(hidden).toBe(EXPECTED.logs);
    expect(found.length).toBe(7); // one secret per line
  });
});

describe('redaction over responses recorded from a real Kubernetes 1.32 API server', () => {
  const dir = join(import.meta.dirname, '../fixtures/k8s-1.32');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('hides nothing: none of them holds a secret', () => {
    expect(files.length).toBeGreaterThan(90);
    const found = files.flatMap((f) => {
      const { response } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { response: unknown };
      const counter: RedactCounter = { count: 0 };
      const text: RedactCounter = { count: 0 };
      redactText(JSON.stringify(response), text);
      return [...changes(response, redactObject(structuredClone(response), counter), f), ...(text.count ? [{ where: `${f} as text`, before: '', after: String(text.count) }] : [])];
    });
    expect(found).toEqual([]);
  });
});

describe('harmless look-alikes survive', () => {
  it.each([
    'commit 3f2a8b1c9d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a',
    'uid=3f2a8b1c-1d2e-4f5a-9b8c-7d6e5f4a3b2c',
    '"uid": "3f2a8b1c-1d2e-4f5a-9b8c-7d6e5f4a3b2c"',
    'image ghcr.io/acme/etl@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'resourceVersion="123456789"',
    'continue: eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzfQ',
    'data: aGVsbG8gd29ybGQ=',
    'payload SGVsbG8sIFdvcmxkIQ== decoded fine',
    'psql --port 5432 -h db -U app',
    'docker run -p 8080:80 -v /data:/data nginx',
    'docker run -p8080:80 nginx',
    'kubectl get jobs -n batch -o wide',
    'mkdir -p /data/out && tar -pczf out.tgz /data',
    'stripe publishable pk_live_51HaBcDeFgHiJkLmNoPqRsTu',
    'passwordless login enabled',
    'token bucket refilled; Tokens: 5',
    'rate limiter: token bucket size=100',
    'max_tokens=1024 prompt_tokens: 87',
    'kubectl wait --for=condition=complete --timeout=5m job/etl',
    'backoff 2m40s since 1h30m',
    '2026-01-01T00:00:00.123456789Z INFO started',
    'secret "smtp-credentials" not found',
    'Error: secret "db" not found; secretKeyRef db/password',
    'failed to refresh token: context deadline exceeded',
    'password authentication failed for user "app"',
    'duplicate key value violates unique constraint "orders_pkey"',
    'ssh -p 2222 deploy@host',
    'python -u app.py --token-file /var/run/secrets/token',
    'docker login --password-stdin registry.example.com',
    'docker run -u 1000:1000 img',
    'https://user@example.com/repo.git',
    'arn:aws:iam::123456789012:user/backup',
    'Authorization header missing',
    'bearer authentication required',
    'Asia/Tokyo timezone; task SKIPPED; disk ACCESS',
    'PWD=/app OLDPWD=/',
    'session started for user alice@example.com',
    'sk-learn model sk-production-cluster-node-pool-1',
    'key=value pairs; cache key=users:42',
    'containerd://4b0d3e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d',
    '"args":["istio-iptables","-p","15001","-z","15006","-u","1337"]',
    'command:\n- mkdir\n- -p\n- /data/out',
    '"ports":[{"containerPort":8080,"protocol":"TCP"}]',
    // near misses of the second probe's forms
    'git@github.com:acme/etl.git',
    'ssh://git@github.com/acme/etl.git',
    'git clone https://github.com/acme/etl.git',
    'mail ops-team-2024@example.com about job etl',
    'docker-pullable://busybox@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'amqp://rabbit:5672 connected as guest@vhost',
    'redis://cache:6379 and admin@example.com',
    'the secret value is mounted at /var/run/secrets/app',
    'token expired at 12:00; token bucket refilled',
    'MountVolume.SetUp failed for volume "creds" : secret "app-secrets-8h4m2k9t6c" not found',
    'token for kube-api-access-x7k2p rotated',
    'password:\n  minLength: 12\n  requireDigits: true',
    'secret:\n  secretName: db-creds\n  defaultMode: 420',
    'token:\n  - audience\n',
    'token:\n  expired at noon, retrying',
    '{"value":"info","name":"LOG_LEVEL"}',
    '- value: "8080"\n  name: PORT',
    '- name: PGPASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}',
    'docker login -u ci --password-stdin registry.example.com',
    'docker run --name login -p 8080:80 nginx',
    'password reset link sent to alice',
    'ALTER USER app WITH PASSWORD NULL',
    'redirect=%2Fhome%3Fpage%3D2%26sort%3Dname',
    'datadog trace_id: 4bf92f3577b34da6a3ce929d0e0e4736',
    'jira issue OPS-1234 updated by alice',
    'loaded k8s.io/client-go and jobs.batch; 10s.',
    'Статус: ОК, задача выполнена',
    'café résumé naïve ﬁle Ⅻ',
    'Δt = 12 ms; α=0.5 β=0.2',
  ])('%s', (line) => {
    const c: RedactCounter = { count: 0 };
    expect(redactText(line, c)).toBe(line);
    expect(c.count).toBe(0);
  });
});

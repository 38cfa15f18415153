import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadCronJob } from '../jobs/cronjobs.js';
import { cronJobsInScope, jobsInScope, loadJob } from '../jobs/reads.js';
import type { CronJob, Job } from '../kube/types.js';
import { completeJobNames, completeNamespaces } from '../prompts/complete.js';
import { toMcpError } from '../prompts/index.js';
import { isDnsName } from '../safety/names.js';
import { finalPass } from '../safety/final-pass.js';
import { untrusted } from '../safety/untrusted.js';
import type { Scope, ToolDeps } from '../tools/types.js';
import { objectYaml } from '../tools/yaml.js';

/** The frame markers as YAML comments, so the document stays valid YAML. */
const yamlFrame = (ref: string, yaml: string) =>
  untrusted('YAML', ref, yaml)
    .split('\n')
    .map((l, i, all) => (i === 0 || i === all.length - 1 ? `# ${l}` : l))
    .join('\n');

const LIST_LIMIT = 500;

interface Kind {
  scheme: string;
  key: string;
  title: string;
  description: string;
  complete: 'job' | 'cronjob';
  list: (deps: ToolDeps) => Promise<{ items: (Job | CronJob)[] }>;
  load: (deps: ToolDeps, ref: string) => Promise<Job | CronJob>;
  defaults: { apiVersion: string; kind: string };
}

const KINDS: Kind[] = [
  {
    scheme: 'k8s-job',
    key: 'job',
    title: 'Kubernetes Job',
    description: 'A Job as YAML (managedFields left out, secrets redacted).',
    complete: 'job',
    list: (deps) => jobsInScope(deps, undefined, LIST_LIMIT),
    load: loadJob,
    defaults: { apiVersion: 'batch/v1', kind: 'Job' },
  },
  {
    scheme: 'k8s-cronjob',
    key: 'cronjob',
    title: 'Kubernetes CronJob',
    description: 'A CronJob as YAML (managedFields left out, secrets redacted).',
    complete: 'cronjob',
    list: (deps) => cronJobsInScope(deps, undefined, LIST_LIMIT),
    load: loadCronJob,
    defaults: { apiVersion: 'batch/v1', kind: 'CronJob' },
  },
];

/** Jobs and CronJobs as resources: k8s-job://{namespace}/{name}, k8s-cronjob://{namespace}/{name}, as redacted YAML. */
export function registerResources(server: McpServer, scope: Scope): void {
  // Resources have no context argument: they read the default context.
  const deps = () => scope.depsFor();
  for (const k of KINDS) {
    const template = new ResourceTemplate(`${k.scheme}://{namespace}/{name}`, {
      list: async () => {
        const { items } = await k.list(await deps());
        // Only names a real API server could return: a URI must not carry anything else.
        const valid = items.filter((o) => isDnsName(o.metadata.name) && isDnsName(o.metadata.namespace));
        return {
          resources: valid.map((o) => ({ uri: `${k.scheme}://${o.metadata.namespace}/${o.metadata.name}`, name: `${o.metadata.namespace}/${o.metadata.name}`, mimeType: 'application/yaml' })),
        };
      },
      complete: {
        namespace: async (value) => completeNamespaces(await deps(), value).catch(() => []),
        name: async (value, context) => completeJobNames(await deps(), context?.arguments?.namespace, value, k.complete).catch(() => []),
      },
    });
    server.registerResource(k.key, template, { title: k.title, description: k.description, mimeType: 'application/yaml' }, async (uri, vars) => {
      try {
        const ref = `${vars.namespace}/${vars.name}`;
        const { yaml } = await objectYaml(await k.load(await deps(), ref), { managedFields: false, ...k.defaults });
        return finalPass({ contents: [{ uri: uri.href, mimeType: 'application/yaml', text: yamlFrame(ref, yaml) }] }, { redact: scope.config.redact });
      } catch (e) {
        throw toMcpError(e, scope.config.redact);
      }
    });
  }
}

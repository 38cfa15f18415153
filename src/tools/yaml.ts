import * as z from 'zod';
import type { CronJob, Job } from '../kube/types.js';
import { redactedIn } from '../kube/sanitize.js';
import { untrusted } from '../safety/untrusted.js';
import { jobInput } from './schema.js';
import { loadJob } from '../jobs/reads.js';
import { defineTool } from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** An object as the API returned it, minus the noise kubectl's -o yaml readers rarely need. */
export async function objectYaml(o: Job | CronJob, opts: { managedFields: boolean; apiVersion: string; kind: string }): Promise<{ yaml: string; omitted: string[] }> {
  // Loaded on first use: most sessions never ask for YAML.
  const { default: yaml } = await import('js-yaml');
  const obj = structuredClone(o);
  obj.apiVersion ??= opts.apiVersion;
  obj.kind ??= opts.kind;
  const omitted: string[] = [];
  const annotations = obj.metadata.annotations;
  if (!opts.managedFields) {
    if (obj.metadata.managedFields) {
      delete obj.metadata.managedFields;
      omitted.push('metadata.managedFields');
    }
    if (annotations?.[LAST_APPLIED] !== undefined) {
      delete annotations[LAST_APPLIED];
      if (Object.keys(annotations).length === 0) delete obj.metadata.annotations;
      omitted.push(`annotation ${LAST_APPLIED}`);
    }
  }
  // apiVersion and kind first, as kubectl prints them.
  const { apiVersion, kind, ...rest } = obj;
  return { yaml: yaml.dump({ apiVersion, kind, ...rest }, { lineWidth: -1, noRefs: true, sortKeys: false }), omitted };
}

export const jobYamlTool = defineTool({
  name: 'job_yaml',
  title: 'Job as YAML',
  description:
    'The Job as YAML, as the API server returns it (kubectl get job -o yaml), secrets redacted. managedFields and last-applied-configuration only if managedFields is true.',
  inputSchema: {
    job: jobInput,
    managedFields: z.boolean().default(false),
  },
  outputSchema: z.looseObject({ job: z.string(), yaml: z.string(), redacted: z.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const job = await loadJob(deps, args.job);
    const redacted = redactedIn(job);
    const { yaml: text, omitted } = await objectYaml(job, { managedFields: args.managedFields, apiVersion: 'batch/v1', kind: 'Job' });
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const notes = [
      redacted ? `${redacted} secret-looking value(s) redacted` : '',
      omitted.length ? `omitted: ${omitted.join(', ')} (managedFields: true shows them)` : '',
    ].filter(Boolean);
    return {
      structured: { job: ref, yaml: text, redacted, omitted },
      // Annotations, args and messages in a spec are written by whoever created the Job.
      text: `${notes.length ? `${notes.join('; ')}.\n` : ''}${untrusted('YAML', ref, text)}`,
    };
  },
});

import * as z from 'zod';
import type { Job } from '../kube/types.js';
import { Redactor } from '../safety/redact.js';
import { untrusted } from '../safety/untrusted.js';
import { jobInput } from './get.js';
import { loadJob } from './shared.js';
import { defineTool } from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The Job as the API returned it, minus the noise kubectl's -o yaml readers rarely need. */
export async function jobYaml(job: Job, opts: { managedFields: boolean; redactor: Redactor }): Promise<{ yaml: string; omitted: string[] }> {
  // Loaded on first use: most sessions never ask for YAML.
  const { default: yaml } = await import('js-yaml');
  const obj = structuredClone(job);
  obj.apiVersion ??= 'batch/v1';
  obj.kind ??= 'Job';
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
  } else if (annotations?.[LAST_APPLIED]) {
    // The annotation repeats the whole spec as a JSON string: redact it as an object, not as text.
    try {
      annotations[LAST_APPLIED] = JSON.stringify(opts.redactor.object(JSON.parse(annotations[LAST_APPLIED])));
    } catch {
      /* not JSON: redacted as text below */
    }
  }
  // apiVersion and kind first, as kubectl prints them.
  const { apiVersion, kind, ...rest } = opts.redactor.object(obj);
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
    const redactor = new Redactor(deps.config.redact);
    const { yaml: text, omitted } = await jobYaml(job, { managedFields: args.managedFields, redactor });
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const notes = [
      redactor.count ? `${redactor.count} secret-looking value(s) redacted` : '',
      omitted.length ? `omitted: ${omitted.join(', ')} (managedFields: true shows them)` : '',
    ].filter(Boolean);
    return {
      structured: { job: ref, yaml: text, redacted: redactor.count, omitted },
      // Annotations, args and messages in a spec are written by whoever created the Job.
      text: `${notes.length ? `${notes.join('; ')}.\n` : ''}${untrusted('YAML', ref, text)}`,
    };
  },
});

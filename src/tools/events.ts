import * as z from 'zod';
import type { KubeEvent } from '../kube/types.js';
import { age, humanDuration } from '../render/duration.js';
import { table } from '../render/table.js';
import { byRelevance } from '../render/pod-status.js';
import { oneLine, untrusted } from '../safety/untrusted.js';
import { jobInput } from './schema.js';
import { eventsOf, eventTime, loadJob, podsOfJob, sortEvents } from '../jobs/reads.js';
import { defineTool } from './types.js';

const MAX_PODS = 20;
const PARALLEL = 5;

export function eventRow(e: KubeEvent, now: number) {
  const last = eventTime(e);
  const count = e.series?.count ?? e.count ?? 1;
  const first = e.firstTimestamp ?? e.eventTime ?? undefined;
  const span = count > 1 && first && last ? ` (x${count} over ${humanDuration(Date.parse(last) - Date.parse(first))})` : '';
  return {
    lastSeen: `${age(last, now)}${span}`,
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
    message: oneLine(e.message ?? '', 1000),
    count,
    time: last,
  };
}

export function eventsTable(rows: ReturnType<typeof eventRow>[]): string {
  return table(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], rows.map((r) => [r.lastSeen, r.type, r.reason, r.object, r.message]));
}

export const jobEvents = defineTool({
  name: 'job_events',
  title: 'Events of a Job',
  description:
    "A Job's events, oldest first (repeats as xN over span). includePods adds its pods' events: image pulls, scheduling, mounts.",
  inputSchema: {
    job: jobInput,
    includePods: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(50),
  },
  outputSchema: z.looseObject({ job: z.string(), events: z.array(z.looseObject({ reason: z.string(), message: z.string() })) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },

  async handler(args, deps) {
    const job = await loadJob(deps, args.job);
    const events = await eventsOf(deps, job, 'Job');
    let podsSearched: number | undefined;
    if (args.includePods) {
      const pods = (await podsOfJob(deps, job)).pods.sort(byRelevance).slice(0, MAX_PODS);
      podsSearched = pods.length;
      for (let i = 0; i < pods.length; i += PARALLEL) {
        const batch = await Promise.all(pods.slice(i, i + PARALLEL).map((p) => eventsOf(deps, p, 'Pod')));
        for (const b of batch) events.push(...b);
      }
    }
    sortEvents(events);
    const now = deps.now();
    const shown = events.slice(-args.limit);
    const rows = shown.map((e) => eventRow(e, now));
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const omitted = events.length - shown.length;
    const header = `${events.length} event${events.length === 1 ? '' : 's'} for job ${ref}${args.includePods ? ` and ${podsSearched} pod(s)` : ''}${omitted ? ` (${omitted} older not shown; raise limit)` : ''}.`;
    const text = rows.length
      ? `${header}\n${untrusted('EVENTS', ref, eventsTable(rows))}`
      : `No events for job ${ref}${args.includePods ? ' or its pods' : ''}. Events expire after about an hour (the API server's --event-ttl), so an older Job may have none.${args.includePods ? '' : ' Try includePods: true.'}`;
    return { structured: { job: ref, events: rows, omitted, ...(podsSearched !== undefined ? { podsSearched } : {}) }, text };
  },
});

import * as z from 'zod';
import type { Job, KubeEvent, Pod } from '../kube/types.js';
import { age, humanDuration } from '../render/duration.js';
import { table } from '../render/table.js';
import { byRelevance } from '../render/pod-status.js';
import { Redactor } from '../safety/redact.js';
import { untrusted } from '../safety/untrusted.js';
import { jobInput } from './get.js';
import { loadJob, podsOfJob } from './shared.js';
import { defineTool, type ToolDeps } from './types.js';

// A Job has few events of its own; these bounds only guard against a pathological cluster.
const PAGE = 500;
const MAX_PAGES = 4;
const MAX_PODS = 20;
const PARALLEL = 5;

/** The time kubectl sorts events by: series.lastObservedTime, lastTimestamp, then eventTime. */
export function eventTime(e: KubeEvent): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? undefined;
}

/** Events whose involvedObject is exactly this object, by a server-side field selector. */
export async function eventsOf({ api }: ToolDeps, obj: Job | Pod, kind: 'Job' | 'Pod'): Promise<KubeEvent[]> {
  const ns = obj.metadata.namespace as string;
  const fieldSelector = [
    `involvedObject.kind=${kind}`,
    `involvedObject.name=${obj.metadata.name}`,
    `involvedObject.namespace=${ns}`,
    ...(obj.metadata.uid ? [`involvedObject.uid=${obj.metadata.uid}`] : []),
  ].join(',');
  const out: KubeEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await api.listEvents(ns, { fieldSelector, limit: PAGE, continue: token });
    out.push(...list.items);
    token = list.metadata.continue;
    if (!token) break;
  }
  return out;
}

export function eventRow(e: KubeEvent, now: number, redactor: Redactor) {
  const last = eventTime(e);
  const count = e.series?.count ?? e.count ?? 1;
  const first = e.firstTimestamp ?? e.eventTime ?? undefined;
  const span = count > 1 && first && last ? ` (x${count} over ${humanDuration(Date.parse(last) - Date.parse(first))})` : '';
  return {
    lastSeen: `${age(last, now)}${span}`,
    type: e.type ?? '',
    reason: e.reason ?? '',
    object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
    message: redactor.text((e.message ?? '').replace(/\s+/g, ' ').trim()),
    count,
    time: last,
  };
}

export function eventsTable(rows: ReturnType<typeof eventRow>[]): string {
  return table(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], rows.map((r) => [r.lastSeen, r.type, r.reason, r.object, r.message]));
}

/** Oldest first; events of the same second keep the order the API server recorded them in. */
export const sortEvents = (events: KubeEvent[]) =>
  events.sort((a, b) => Date.parse(eventTime(a) ?? '') - Date.parse(eventTime(b) ?? '') || Number(a.metadata.resourceVersion ?? 0) - Number(b.metadata.resourceVersion ?? 0));

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
  outputSchema: z.looseObject({ job: z.string(), events: z.array(z.looseObject({ lastSeen: z.string(), reason: z.string(), message: z.string() })) }),
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
    const redactor = new Redactor(deps.config.redact);
    const shown = events.slice(-args.limit);
    const rows = shown.map((e) => eventRow(e, now, redactor));
    const ref = `${job.metadata.namespace}/${job.metadata.name}`;
    const omitted = events.length - shown.length;
    const header = `${events.length} event${events.length === 1 ? '' : 's'} for job ${ref}${args.includePods ? ` and ${podsSearched} pod(s)` : ''}${omitted ? ` (${omitted} older not shown; raise limit)` : ''}.`;
    const text = rows.length
      ? `${header}\n${untrusted('EVENTS', ref, eventsTable(rows))}`
      : `No events for job ${ref}${args.includePods ? ' or its pods' : ''}. Events expire after about an hour (the API server's --event-ttl), so an older Job may have none.${args.includePods ? '' : ' Try includePods: true.'}`;
    return { structured: { job: ref, events: rows, omitted, ...(podsSearched !== undefined ? { podsSearched } : {}) }, text };
  },
});

// Plain HTTP to the demo cluster, and the recorded fixtures to compare with.
import { readFileSync } from 'node:fs';
import { DEMO_TOKENS } from '../../src/demo/index.js';

export interface Recorded {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; headers: Record<string, string>; body?: unknown; bodyText?: string };
}
export const fixture = (f: string): Recorded => JSON.parse(readFileSync(new URL(`../fixtures/k8s-1.32/${f}`, import.meta.url), 'utf8'));

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: responses are checked field by field
  body: any;
}

export async function call(base: string, method: string, path: string, o: { body?: unknown; contentType?: string; token?: string } = {}): Promise<Reply> {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${o.token ?? DEMO_TOKENS.admin}`, ...(o.body !== undefined ? { 'Content-Type': o.contentType ?? 'application/json' } : {}) },
    body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export interface WatchEventLine {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: events are checked field by field
  object: any;
}

/**
 * Reads a watch stream until it ends or `until` says stop (the client then disconnects).
 * Returns the events and whether the server ended the stream.
 */
export async function watch(base: string, path: string, o: { token?: string; until?: (seen: WatchEventLine[]) => boolean; onOpen?: () => void | Promise<void> } = {}) {
  const abort = new AbortController();
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${o.token ?? DEMO_TOKENS.admin}` }, signal: abort.signal });
  const events: WatchEventLine[] = [];
  if (!res.body) return { status: res.status, headers: res.headers, events, ended: true };
  await o.onOpen?.();
  const decoder = new TextDecoder();
  let pending = '';
  let ended = true;
  try {
    for await (const chunk of res.body) {
      pending += decoder.decode(chunk, { stream: true });
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        events.push(JSON.parse(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
      if (o.until?.(events)) {
        ended = false;
        abort.abort();
        break;
      }
    }
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  }
  return { status: res.status, headers: res.headers, events, ended };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns a value (not undefined/false), up to about 5 s. */
export async function eventually<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

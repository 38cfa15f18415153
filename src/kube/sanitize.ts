// The sanitizing boundary: everything the cluster returns passes here once,
// before any tool, prompt, resource or diagnosis sees it. Strings are cleaned of
// control characters (terminal escapes, zero-width and bidi controls can hide or
// reorder text an agent reads), bounded in size, and redacted of secret-looking
// values. Doing it here, not in each tool, means a new tool cannot forget it.
import { cleanControls, cleanText, cut } from '../safety/clean.js';
import { isDnsName } from '../safety/names.js';
import { redactObject, redactText, STAMP } from '../safety/redact.js';

/** One string from an object (a message, an annotation) longer than this is cut. */
export const MAX_STRING = 32 * 1024;

function bound(s: string, max: number): string {
  if (s.length <= max) return s;
  const kept = cut(s, max);
  return `${kept}…[${s.length - kept.length} characters cut]`;
}

export interface SanitizeOptions {
  redact: boolean;
}

// How many values the boundary redacted in an object it returned (job_yaml reports it).
const counts = new WeakMap<object, number>();

/** What the boundary redacted inside an object it returned. */
export const redactedIn = (obj: object): number => counts.get(obj) ?? 0;

// Fields that hold identifiers (names, kinds, schedules, zones, images, reasons): one line, always,
// so no value of them can start a line of our output, wherever a tool puts it.
const ONE_LINE = new Set(['name', 'namespace', 'kind', 'uid', 'apiVersion', 'generateName', 'schedule', 'timeZone', 'image', 'reason', 'type', 'status', 'phase', 'container', 'nodeName', 'fieldPath', 'component', 'host']);
// A key that would reach an object's prototype once cleaned (or as JSON.parse left it) is dropped.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const flatten = (s: string) => (/[\n\t]/.test(s) ? s.replace(/\s+/g, ' ').trim() : s);
// And short: a real name is at most 253 characters, an image reference or a reason well under 1,024.
const SHORT = new Set(['name', 'namespace', 'kind', 'uid', 'apiVersion', 'generateName', 'type', 'status', 'phase', 'container', 'nodeName', 'component', 'host']);
const oneLineMax = (key: string) => (SHORT.has(key) ? 256 : 1024);
/** What an owner reference shows for a name no API server would accept (it checks only that one is there). */
export const INVALID_OWNER_NAME = '(not a valid name)';

/** Cleans, redacts and bounds every string of an object parsed from an API answer, in place. */
export function sanitizeObject<T>(obj: T, o: SanitizeOptions): T {
  const clean = (v: unknown, key?: string): unknown => {
    // One-line fields are joined before they are cleaned: a marker split over two lines is one once joined.
    if (typeof v === 'string') return key && ONE_LINE.has(key) ? cleanText(flatten(cleanControls(v))) : cleanText(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = clean(v[i]);
      return v;
    }
    if (v && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) {
        const ck = cleanText(k);
        const val = rec[k];
        if (ck !== k || FORBIDDEN_KEYS.has(k)) delete rec[k];
        // A cleaned key that names another one already there is an attempt to overwrite it.
        if (FORBIDDEN_KEYS.has(ck) || (ck !== k && Object.hasOwn(rec, ck))) continue;
        Object.defineProperty(rec, ck, { value: clean(val, ck), enumerable: true, writable: true, configurable: true });
      }
      // Anyone who may create a Job or pod may write any text as its owner's name, and tools put that
      // name in sentences of their own (Controlled By, a suggested call): only a name passes.
      if (Array.isArray(rec.ownerReferences)) {
        for (const ref of rec.ownerReferences as { name?: unknown }[]) {
          if (ref && typeof ref === 'object' && typeof ref.name === 'string' && !isDnsName(ref.name)) ref.name = INVALID_OWNER_NAME;
        }
      }
    }
    return v;
  };
  const bounded = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return bound(v, key && ONE_LINE.has(key) ? oneLineMax(key) : MAX_STRING);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = bounded(v[i]);
    } else if (v && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      for (const k of Object.keys(rec)) rec[k] = bounded(rec[k], k);
    }
    return v;
  };
  clean(obj);
  if (o.redact && obj && typeof obj === 'object') {
    // Annotations such as last-applied-configuration hold a whole object as JSON text: redact it as an object.
    for (const holder of annotationMaps(obj)) {
      for (const [k, v] of Object.entries(holder)) {
        if (typeof v === 'string' && v.startsWith('{')) {
          try {
            holder[k] = JSON.stringify(redactObject(JSON.parse(v)));
          } catch {
            /* not JSON: redacted as text below */
          }
        }
      }
    }
    const items = (obj as { items?: unknown }).items;
    if (Array.isArray(items)) {
      for (const item of items) if (item && typeof item === 'object') counts.set(item, redactCount(item));
      counts.set(obj, 0);
    } else counts.set(obj, redactCount(obj));
  }
  // Bounded after redaction, so a secret across the cut is hidden whole.
  bounded(obj);
  return obj;
}

function redactCount(obj: object): number {
  const c = { count: 0 };
  redactObject(obj, c);
  return c.count;
}

function annotationMaps(obj: object): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const items = (obj as { items?: unknown }).items;
  for (const o of Array.isArray(items) ? items : [obj]) {
    const a = (o as { metadata?: { annotations?: unknown } })?.metadata?.annotations;
    if (a && typeof a === 'object') out.push(a as Record<string, unknown>);
  }
  return out;
}

/** A log window: redacted over the whole fetched text (a secret that starts before a later cut is still caught), then cleaned. */
export function sanitizeLog(text: string, o: SanitizeOptions): { text: string; redacted: number } {
  const clean = cleanText(text);
  if (!o.redact) return { text: clean, redacted: 0 };
  const c = { count: 0 };
  return { text: redactUnderStamps(redactText(clean, c), c), redacted: c.count };
}

const STAMPED = new RegExp(`(?:^|\\n)${STAMP.source.slice(1)}`);
const STAMPS = new RegExp(`^(?:${STAMP.source.slice(1)}){1,2}`);

/**
 * The rules that read a value on the line below its key (`password:` / `  value`, a YAML block)
 * see a timestamp first on timestamped lines: the text is read again without them.
 */
function redactUnderStamps(text: string, c: { count: number }): string {
  if (!STAMPED.test(text)) return text;
  const lines = text.split('\n');
  // The kubelet's stamp, and the application's own after it.
  const stamps = lines.map((l) => STAMPS.exec(l)?.[0] ?? '');
  const before = c.count;
  const red = redactText(lines.map((l, i) => l.slice((stamps[i] as string).length)).join('\n'), c);
  if (c.count === before) return text;
  const out = red.split('\n');
  // A secret that spanned lines (a key the first pass missed) took them with it: the lines can no
  // longer be matched to their times, so all of them lose their times, never the redaction.
  if (out.length !== lines.length) return red;
  return out.map((l, i) => stamps[i] + l).join('\n');
}

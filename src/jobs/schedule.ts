/**
 * CronJob run times computed as Kubernetes computes them.
 *
 * Kubernetes validates `spec.schedule` with robfig/cron v3's ParseStandard and `spec.timeZone` with
 * Go's time.LoadLocation; the controller then asks the parsed schedule for Next(t). This module
 * re-implements that parser's grammar and error messages (so we accept and reject exactly what
 * the API server does, quirks included) and hands the date search to croner, loaded lazily.
 *
 * Without `timeZone` Kubernetes reads the schedule in the controller-manager's local zone, which
 * we cannot see; we use UTC (what kube-controller-manager images run with) and the caller says so.
 *
 * Daylight saving time, as robfig's Next() walks it (absolute hours and minutes over wall-clock
 * fields, see its spec_test "2am nightly job (skipped)" / "1am nightly job (runs twice)"):
 * - a wall-clock time skipped by spring-forward does not run that day (`30 2 * * *` in Berlin has
 *   no run on the last Sunday of March; it is not moved to 03:30);
 * - a wall-clock time repeated at fall-back runs twice, once per offset (`30 2 * * *` in Berlin
 *   runs at 00:30Z and 01:30Z on the last Sunday of October; `0 * * * *` runs every UTC hour).
 * croner treats single-value times as "fixed" (moved out of the gap, run once); a `*\/60` seconds
 * field, which still means second 0, makes it use its interval rules, which are robfig's.
 * Not mirrored: zones whose midnight itself is skipped, or with 30-minute DST shifts (Lord Howe),
 * where robfig's walk has its own oddities.
 */
import type { Cron } from 'croner';
import { JobsError } from '../errors.js';

export interface Schedule {
  /** The next `count` run times strictly after `after`, as UTC Date objects. */
  next(after: Date, count: number): Date[];
  /**
   * The most recent run time at or before `at`, or undefined (for "last scheduled" checks).
   * `@every` runs count from an anchor (lastScheduleTime, else creationTimestamp), not from the
   * clock: without `anchor` it answers undefined.
   */
  previous(at: Date, anchor?: Date): Date | undefined;
  /**
   * Typical interval between runs in ms: the smallest gap between the next few runs, measured on
   * the wall clock, so a 23-hour spring day or the double run at fall-back does not shrink a
   * daily schedule's interval. Infinity for a schedule that never runs twice.
   */
  intervalMs(from: Date): number;
  /** How many scheduled times fall in (from, to], capped at `cap` (to tell "more than 100 missed"). `@every` counts from `from`. */
  countBetween(from: Date, to: Date, cap: number): number;
  expression: string;
  timeZone?: string;
  /** Set for `@every <duration>`: the delay in ms (whole seconds, at least 1 s, as robfig rounds it). */
  everyMs?: number;
}

/** Throws JobsError('invalid-input', …) with a clear message for a schedule or zone Kubernetes would reject. */
export async function parseSchedule(expr: string, timeZone?: string): Promise<Schedule> {
  const problems = [...scheduleProblems(expr), ...timeZoneProblems(timeZone)];
  if (problems.length > 0) throw new JobsError('invalid-input', problems.join('; '));
  const spec = parseStandard(expr);
  if (typeof spec === 'string') throw new JobsError('invalid-input', spec); // unreachable: checked above
  if ('everyMs' in spec) return everySchedule(expr, timeZone, spec.everyMs);
  const pattern = cronerPattern(spec);
  if (pattern === undefined) return neverSchedule(expr, timeZone);
  const { Cron } = await loadCroner();
  const make = (zone?: string) => new Cron(pattern, { paused: true, mode: '6-part', ...(zone ? { timezone: zone } : { utcOffset: 0 }) });
  return cronSchedule(expr, timeZone, make(timeZone), timeZone ? () => make(undefined) : undefined);
}

/** An ISO 8601 string of `d` with the UTC offset of `timeZone`, e.g. 2026-12-01T21:48:00+02:00 (UTC "Z" form when no zone). */
export function formatInZone(d: Date, timeZone?: string): string {
  const problems = timeZoneProblems(timeZone);
  if (problems.length > 0) throw new JobsError('invalid-input', problems.join('; '));
  // Go's time.RFC3339, as in batch.kubernetes.io/cronjob-scheduled-timestamp: whole seconds, "Z" for a zero offset.
  const ms = Math.floor(d.getTime() / 1000) * 1000;
  const f = wallClock(ms, timeZone);
  const offsetMin = Math.trunc((wallMs(f) - ms) / 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${String(f.year).padStart(4, '0')}-${p2(f.month)}-${p2(f.day)}T${p2(f.hour)}:${p2(f.minute)}:${p2(f.second)}`;
  if (wallMs(f) === ms) return `${date}Z`;
  const abs = Math.abs(offsetMin);
  return `${date}${offsetMin < 0 ? '-' : '+'}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
}

/** What the CronJob controller concludes (mostRecentScheduleTime in pkg/controller/cronjob/utils.go). */
export interface MissedStarts {
  /** The run the controller would start now, if any. */
  mostRecent?: Date;
  /** Kubernetes' estimate of missed runs: more than 100 gives the Warning TooManyMissedTimes (it still starts `mostRecent`). */
  missed: 'none' | 'few' | 'many';
  /** Set when the controller gives up on the schedule (e.g. `0 0 30 2 *`, which never runs). */
  error?: string;
}

/**
 * Mirrors the controller: `earliest` is status.lastScheduleTime, else metadata.creationTimestamp,
 * moved up to now − startingDeadlineSeconds when that is later. Kubernetes does not count missed
 * runs, it estimates them from the first gap (so `0 9 * * 1-5` over 20 weeks is "many" although
 * countBetween finds exactly 100).
 */
export function missedStarts(schedule: Schedule, earliest: Date, now: Date): MissedStarts {
  const [t1] = schedule.next(earliest, 1);
  const [t2] = t1 ? schedule.next(t1, 1) : [];
  if (t1 && now < t1) return { missed: 'none' };
  if (t1 && t2 && now < t2) return { mostRecent: t1, missed: 'none' };
  const gapS = t1 && t2 ? Math.round((t2.getTime() - t1.getTime()) / 1000) : 0;
  if (!t1 || gapS < 1) return { missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const missed = Math.floor(Math.trunc((now.getTime() - t1.getTime()) / 1000) / gapS) + 1;
  let cursor = new Date(t1.getTime() + (missed - 2) * gapS * 1000);
  let mostRecent: Date | undefined;
  for (;;) {
    const batch = schedule.next(cursor, 64);
    for (const t of batch) {
      if (t > now) return { ...(mostRecent ? { mostRecent } : {}), missed: missed > 100 ? 'many' : 'few' };
      mostRecent = t;
    }
    const last = batch.at(-1);
    if (!last) return { ...(mostRecent ? { mostRecent } : {}), missed: missed > 100 ? 'many' : 'few' };
    cursor = last;
  }
}

// ---- the schedules ----

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const FOUR_YEARS_MS = 4 * 365 * 86_400_000;

function cronSchedule(expression: string, timeZone: string | undefined, cron: Cron, makeNominal?: () => Cron): Schedule {
  let nominal: Cron | undefined;
  const nextAfter = (t: Date): Date | undefined => {
    const n = cron.nextRun(t) ?? undefined;
    // robfig's Next gives up after the fifth year after its start (only Feb 29 across 2100 notices).
    if (n && n.getTime() - t.getTime() >= FOUR_YEARS_MS) {
      if (wallClock(n.getTime(), timeZone).year > wallClock(floorSecond(t.getTime()) + 1000, timeZone).year + 5) return undefined;
    }
    return n;
  };
  const next = (after: Date, count: number): Date[] => {
    const out: Date[] = [];
    let t = checkDate(after);
    for (let n = nextAfter(t); n && out.length < count; n = nextAfter(t)) {
      out.push(n);
      t = n;
    }
    return out;
  };
  return {
    expression,
    ...(timeZone ? { timeZone } : {}),
    next,
    previous: (at) => cron.previousRuns(1, new Date(checkDate(at).getTime() + 1))[0],
    intervalMs(from) {
      const start = checkDate(from).getTime();
      nominal ??= makeNominal?.() ?? cron;
      const wallStart = timeZone ? wallMs(wallClock(floorSecond(start), timeZone)) : start;
      const runs = nominal.nextRuns(10, new Date(wallStart));
      let min = Number.POSITIVE_INFINITY;
      for (let i = 1; i < runs.length; i++) min = Math.min(min, (runs[i]?.getTime() ?? 0) - (runs[i - 1]?.getTime() ?? 0));
      return min;
    },
    countBetween(from, to, cap) {
      let n = 0;
      let t = checkDate(from);
      const end = checkDate(to).getTime();
      while (n < cap) {
        const batch = next(t, Math.min(64, cap - n));
        for (const r of batch) {
          if (r.getTime() > end) return n;
          n++;
        }
        const last = batch.at(-1);
        if (!last || batch.length === 0) return n;
        t = last;
      }
      return n;
    },
  };
}

/** robfig's ConstantDelaySchedule: each run is the previous one (seconds truncated) plus the delay. */
function everySchedule(expression: string, timeZone: string | undefined, everyMs: number): Schedule {
  const k = (from: number, to: number) => Math.floor((to - floorSecond(from)) / everyMs);
  return {
    expression,
    ...(timeZone ? { timeZone } : {}),
    everyMs,
    next(after, count) {
      const base = floorSecond(checkDate(after).getTime());
      return Array.from({ length: Math.max(0, Math.floor(count)) }, (_, i) => new Date(base + (i + 1) * everyMs));
    },
    previous(at, anchor) {
      if (!anchor) return undefined;
      const n = k(checkDate(anchor).getTime(), checkDate(at).getTime());
      return n >= 1 ? new Date(floorSecond(anchor.getTime()) + n * everyMs) : undefined;
    },
    intervalMs: () => everyMs,
    countBetween: (from, to, cap) => Math.max(0, Math.min(cap, k(checkDate(from).getTime(), checkDate(to).getTime()))),
  };
}

/** A schedule Kubernetes accepts but that never fires (`0 0 30 2 *`, an empty list such as `0 0 , * *`). */
function neverSchedule(expression: string, timeZone: string | undefined): Schedule {
  return {
    expression,
    ...(timeZone ? { timeZone } : {}),
    next: () => [],
    previous: () => undefined,
    intervalMs: () => Number.POSITIVE_INFINITY,
    countBetween: () => 0,
  };
}

function checkDate(d: Date): Date {
  if (Number.isNaN(d.getTime())) throw new RangeError('Invalid Date given to a schedule');
  return d;
}

let croner: Promise<typeof import('croner')> | undefined;
// Loaded on first use: start-up time is measured, and most sessions never look at a schedule.
const loadCroner = () => {
  croner ??= import('croner');
  return croner;
};

// ---- robfig/cron v3 ParseStandard: minute hour dom month dow, or a descriptor ----

interface Field {
  values: number[];
  /** robfig's starBit: the field was `*` or `?` (or `*\/1`); only day fields care. */
  star: boolean;
}
interface Spec {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}
interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS = {
  minute: { min: 0, max: 59 },
  hour: { min: 0, max: 23 },
  dom: { min: 1, max: 31 },
  month: { min: 1, max: 12, names: MONTH_NAMES },
  dow: { min: 0, max: 6, names: DOW_NAMES },
} satisfies Record<keyof Spec, Bounds>;

const range = (min: number, max: number, step = 1) => Array.from({ length: Math.floor((max - min) / step) + 1 }, (_, i) => min + i * step);
const all = (b: Bounds): Field => ({ values: range(b.min, b.max), star: true });
const one = (v: number): Field => ({ values: [v], star: false });
const DESCRIPTORS: Readonly<Record<string, Spec>> = {
  '@yearly': { minute: one(0), hour: one(0), dom: one(1), month: one(1), dow: all(BOUNDS.dow) },
  '@annually': { minute: one(0), hour: one(0), dom: one(1), month: one(1), dow: all(BOUNDS.dow) },
  '@monthly': { minute: one(0), hour: one(0), dom: one(1), month: all(BOUNDS.month), dow: all(BOUNDS.dow) },
  '@weekly': { minute: one(0), hour: one(0), dom: all(BOUNDS.dom), month: all(BOUNDS.month), dow: one(0) },
  '@daily': { minute: one(0), hour: one(0), dom: all(BOUNDS.dom), month: all(BOUNDS.month), dow: all(BOUNDS.dow) },
  '@midnight': { minute: one(0), hour: one(0), dom: all(BOUNDS.dom), month: all(BOUNDS.month), dow: all(BOUNDS.dow) },
  '@hourly': { minute: one(0), hour: all(BOUNDS.hour), dom: all(BOUNDS.dom), month: all(BOUNDS.month), dow: all(BOUNDS.dow) },
};

// Go's unicode.IsSpace, which strings.Fields and strings.TrimSpace split on.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const goFields = (s: string) => s.split(new RegExp(`[${GO_SPACE}]+`)).filter((f) => f !== '');
const goTrim = (s: string) => s.replace(new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g'), '');

/** robfig's Parse with the standard options; a string is its error message. */
function parseStandard(input: string): Spec | { everyMs: number } | string {
  let spec = input;
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const zone = spec.slice(spec.indexOf('=') + 1, i);
    if (i < 0 || timeZoneProblems(zone).length > 0) return `provided bad location ${zone}: unknown time zone ${zone}`;
    spec = goTrim(spec.slice(i));
  }
  if (spec.startsWith('@')) {
    const known = Object.hasOwn(DESCRIPTORS, spec) ? DESCRIPTORS[spec] : undefined;
    if (known) return known;
    if (spec.startsWith('@every ')) {
      const d = parseGoDuration(spec.slice('@every '.length));
      if (typeof d === 'string') return `failed to parse duration ${spec}: ${d}`;
      // Every(): under a second becomes a second; sub-second parts are dropped.
      const ns = d < 1_000_000_000n ? 1_000_000_000n : d - (d % 1_000_000_000n);
      return { everyMs: Number(ns / 1_000_000n) };
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = goFields(spec);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const names = ['minute', 'hour', 'dom', 'month', 'dow'] as const;
  const out: Partial<Spec> = {};
  for (const [i, name] of names.entries()) {
    const f = getField(fields[i] ?? '', BOUNDS[name]);
    if (typeof f === 'string') return f;
    out[name] = f;
  }
  return out as Spec;
}

function getField(field: string, b: Bounds): Field | string {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((r) => r !== '')) {
    const r = getRange(expr, b);
    if (typeof r === 'string') return r;
    for (const v of r.values) values.add(v);
    star ||= r.star;
  }
  return { values: [...values].sort((x, y) => x - y), star };
}

function getRange(expr: string, b: Bounds): Field | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const low = lowAndHigh[0] ?? '';
  let start: bigint;
  let end: bigint;
  let star = false;
  // Only the first part is looked at, so robfig reads `*-5` as `*`.
  if (low === '*' || low === '?') {
    start = BigInt(b.min);
    end = BigInt(b.max);
    star = true;
  } else {
    const s = parseIntOrName(low, b.names);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1] ?? '', b.names);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1n;
  if (rangeAndStep.length === 2) {
    const s = goAtoi(rangeAndStep[1] ?? '');
    if (typeof s === 'string') return s;
    step = s;
    if (lowAndHigh.length === 1) end = BigInt(b.max); // "N/step" means "N-max/step"
    if (step > 1n) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < BigInt(b.min)) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > BigInt(b.max)) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0n) return `step of range should be a positive number: ${expr}`;
  return { values: range(Number(start), Number(end), step > 60n ? 60 : Number(step)), star };
}

function parseIntOrName(expr: string, names?: Readonly<Record<string, number>>): bigint | string {
  const lower = expr.toLowerCase();
  if (names && Object.hasOwn(names, lower)) return BigInt(names[lower] ?? 0);
  return goAtoi(expr);
}

/** strconv.Atoi (optional sign, ASCII digits, int64) plus robfig's "negative number" check. */
function goAtoi(expr: string): bigint | string {
  const quoted = JSON.stringify(expr);
  if (!/^[+-]?[0-9]+$/.test(expr)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${quoted}: invalid syntax`;
  const n = BigInt(expr);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return `failed to parse int from ${expr}: strconv.Atoi: parsing ${quoted}: value out of range`;
  if (n < 0n) return `negative number (${n}) not allowed: ${expr}`;
  return n;
}

const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration, in nanoseconds; a string is its error. No "d" unit. */
function parseGoDuration(orig: string): bigint | string {
  const invalid = `time: invalid duration ${JSON.stringify(orig)}`;
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid;
  const max = 2n ** 63n;
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? '';
    const frac = m?.[2];
    if (whole === '' && (frac === undefined || frac === '')) return invalid;
    s = s.slice(m?.[0].length ?? 0);
    const unitLen = s.search(/[0-9.]/);
    const unit = unitLen < 0 ? s : s.slice(0, unitLen);
    if (unit === '') return `time: missing unit in duration ${JSON.stringify(orig)}`;
    s = s.slice(unit.length);
    const scale = Object.hasOwn(DURATION_UNITS, unit) ? DURATION_UNITS[unit] : undefined;
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(orig)}`;
    const v = whole === '' ? 0n : BigInt(whole);
    if (v > max / scale) return invalid;
    let part = v * scale;
    if (frac) {
      // Go keeps at most the digits that fit, then adds float64(f) * unit / 10^digits.
      const digits = frac.replace(/0+$/, '').slice(0, 18) || '0';
      part += BigInt(Math.trunc(Number(digits) * (Number(scale) / 10 ** digits.length)));
      if (part > max) return invalid;
    }
    total += part;
    if (total > max) return invalid;
  }
  if (!neg && total > max - 1n) return invalid;
  return neg ? -total : total;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** croner's 6-part pattern for a spec, or undefined when it can never match. */
function cronerPattern(spec: Spec): string | undefined {
  const list = (f: Field) => f.values.join(',');
  if ([spec.minute, spec.hour, spec.month].some((f) => f.values.length === 0)) return undefined;
  // robfig: if either day field is a star both must match, else either may (Vixie cron). croner
  // follows the same rule on a literal `*`, so a star goes through as `*`. An empty list (`,`)
  // has no star: with OR it never matches, which leaves the other field alone, i.e. a `*` here.
  let dom = spec.dom.star ? '*' : list(spec.dom);
  let dow = spec.dow.star ? '*' : list(spec.dow);
  if (!spec.dom.star && !spec.dow.star) {
    if (dom === '' && dow === '') return undefined;
    if (dom === '') dom = '*';
    if (dow === '') dow = '*';
  } else if (dom === '' || dow === '') return undefined;
  if (dow === '*' && dom !== '*') {
    const fits = spec.month.values.some((m) => spec.dom.values.some((d) => d <= (MONTH_DAYS[m - 1] ?? 31)));
    if (!fits) return undefined;
  }
  // `*/60` is second 0, written so that croner applies its interval DST rules (see the top).
  return `*/60 ${list(spec.minute)} ${list(spec.hour)} ${dom} ${list(spec.month)} ${dow}`;
}

// ---- validation as the API server does it ----

function scheduleProblems(expr: string): string[] {
  if (expr === '') return ['spec.schedule: Required value'];
  const invalid = (msg: string, hint?: string) => `spec.schedule: Invalid value: ${JSON.stringify(expr)}: ${msg}${hint ? ` (${hint})` : ''}`;
  const out: string[] = [];
  const parsed = parseStandard(expr);
  if (typeof parsed === 'string') out.push(invalid(parsed, hintFor(parsed)));
  if (expr.includes('TZ')) out.push(invalid('cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return out;
}

function hintFor(err: string): string | undefined {
  if (/^expected exactly 5 fields, found 6/.test(err)) return 'a Kubernetes schedule has 5 fields: minute hour day-of-month month day-of-week, no seconds';
  if (/^expected exactly 5 fields/.test(err)) return 'a Kubernetes schedule has 5 fields: minute hour day-of-month month day-of-week';
  if (/above maximum \(6\)/.test(err)) return 'day of week is 0-6 or SUN-SAT, Sunday is 0';
  const token = /^failed to parse int from (.*?): strconv/.exec(err)?.[1];
  if (token && /#|^(L|LW|\d+[LW]|[a-z]{3}L)$/i.test(token)) return 'L, W and # are not supported by Kubernetes';
  if (/unknown unit "d"/.test(err)) return 'Go durations have no days: use hours, e.g. @every 24h';
  if (/^unrecognized descriptor/.test(err)) return 'known: @yearly @annually @monthly @weekly @daily @midnight @hourly @every <duration>';
  return undefined;
}

// Kubernetes' check of each "/"-separated part before time.LoadLocation.
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function timeZoneProblems(timeZone: string | undefined): string[] {
  if (timeZone === undefined) return [];
  const invalid = (msg: string) => `spec.timeZone: Invalid value: ${JSON.stringify(timeZone)}: ${msg}`;
  if (timeZone === '') return [invalid('timeZone must be nil or non-empty string')];
  if (timeZone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !ZONE_PART.test(p))) return [invalid(`unknown time zone ${timeZone}`)];
  if (timeZone.toLowerCase() === 'local') return [invalid('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  if (timeZone === 'UTC') return [];
  let resolved: string;
  try {
    resolved = formatter(timeZone).resolvedOptions().timeZone;
  } catch {
    return [invalid(`unknown time zone ${timeZone}`)];
  }
  // Intl also takes offsets ("+0200") and any letter case; Go's LoadLocation reads tzdata files by exact name.
  if (/^[+-]\d/.test(resolved)) return [invalid(`unknown time zone ${timeZone}`)];
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) {
    return [invalid(`unknown time zone ${timeZone} (zone names are case-sensitive: ${resolved})`)];
  }
  return [];
}

// ---- wall clock through Intl ----

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallClock(ms: number, timeZone: string | undefined): WallClock {
  const d = new Date(ms);
  if (!timeZone) {
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const w: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(d)) {
    if (p.type in w) w[p.type as keyof WallClock] = Number(p.value);
  }
  return w;
}

/** The wall-clock reading as if it were UTC; minus the instant, that is the zone's offset. */
function wallMs(w: WallClock): number {
  const d = new Date(Date.UTC(2000, 0, 1, w.hour, w.minute, w.second));
  d.setUTCFullYear(w.year, w.month - 1, w.day); // Date.UTC would read years 0-99 as 19xx
  return d.getTime();
}

import { describe, expect, it } from 'vitest';
import { JobsError } from '../../src/errors.js';
import { formatInZone, missedStarts, parseSchedule } from '../../src/jobs/schedule.js';

const at = (iso: string) => new Date(iso);
const isoList = (ds: Date[]) => ds.map((d) => d.toISOString().replace('.000Z', 'Z'));
const nextRuns = async (expr: string, after: string, count: number, zone?: string) => isoList((await parseSchedule(expr, zone)).next(at(after), count));
const M = 60_000;
const H = 60 * M;
const D = 24 * H;

async function rejection(expr: string, zone?: string): Promise<JobsError> {
  const err = await parseSchedule(expr, zone).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(JobsError);
  expect((err as JobsError).kind).toBe('invalid-input');
  return err as JobsError;
}

describe('each form of the standard 5-field syntax gives the runs robfig/cron gives', () => {
  it.each([
    ['a fixed minute and hour', '30 2 * * *', '2026-07-01T00:00:00Z', ['2026-07-01T02:30:00Z', '2026-07-02T02:30:00Z']],
    ['a list', '0,20,40 * * * *', '2026-07-01T10:05:00Z', ['2026-07-01T10:20:00Z', '2026-07-01T10:40:00Z', '2026-07-01T11:00:00Z']],
    ['a range', '0 9-10 * * *', '2026-07-01T09:30:00Z', ['2026-07-01T10:00:00Z', '2026-07-02T09:00:00Z']],
    ['a step over everything', '*/15 * * * *', '2026-07-01T10:01:00Z', ['2026-07-01T10:15:00Z', '2026-07-01T10:30:00Z']],
    ['a step over a range', '1-10/4 * * * *', '2026-07-01T10:00:00Z', ['2026-07-01T10:01:00Z', '2026-07-01T10:05:00Z', '2026-07-01T10:09:00Z', '2026-07-01T11:01:00Z']],
    ['N/step, which means N-max/step', '50/5 * * * *', '2026-07-01T10:00:00Z', ['2026-07-01T10:50:00Z', '2026-07-01T10:55:00Z', '2026-07-01T11:50:00Z']],
    ['a step larger than the range, which keeps only its start', '*/61 * * * *', '2026-07-01T10:00:00Z', ['2026-07-01T11:00:00Z']],
    ['month names in any case', '0 0 1 jan,JUL *', '2026-02-01T00:00:00Z', ['2026-07-01T00:00:00Z', '2027-01-01T00:00:00Z']],
    ['a weekday name range', '0 9 * * MON-FRI', '2026-07-03T10:00:00Z', ['2026-07-06T09:00:00Z', '2026-07-07T09:00:00Z']],
    ['a weekday step (SUN/3 is Sunday, Wednesday, Saturday)', '0 0 * * SUN/3', '2026-07-01T00:00:00Z', ['2026-07-04T00:00:00Z', '2026-07-05T00:00:00Z', '2026-07-08T00:00:00Z']],
    ['? for day of month', '0 0 ? * MON', '2026-07-01T00:00:00Z', ['2026-07-06T00:00:00Z', '2026-07-13T00:00:00Z']],
    ['? for day of week', '0 0 15 * ?', '2026-07-01T00:00:00Z', ['2026-07-15T00:00:00Z', '2026-08-15T00:00:00Z']],
    ['? in any field, as robfig reads it as *', '? 3 1 1 ?', '2026-07-01T00:00:00Z', ['2027-01-01T03:00:00Z', '2027-01-01T03:01:00Z']],
    ['numbers with a sign or leading zeros, as strconv.Atoi reads them', '+5 07 * * *', '2026-07-01T00:00:00Z', ['2026-07-01T07:05:00Z']],
    ['empty list items, which robfig skips', '0 0 1,,15 * *', '2026-07-01T00:00:00Z', ['2026-07-15T00:00:00Z', '2026-08-01T00:00:00Z']],
    ['a leap day', '0 0 29 2 *', '2026-07-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
  ])('%s: %s', async (_what, expr, after, want) => {
    expect(await nextRuns(expr, after, want.length)).toEqual(want);
  });

  it('gives up after the fifth year, like robfig (a leap-day schedule across 2100)', async () => {
    expect(await nextRuns('0 0 29 2 *', '2099-03-01T00:00:00Z', 1)).toEqual(['2104-02-29T00:00:00Z']);
    expect(await nextRuns('0 0 29 2 *', '2098-03-01T00:00:00Z', 1)).toEqual([]);
  });

  it('runs strictly after the given time, from the next whole second', async () => {
    expect(await nextRuns('0 * * * *', '2026-07-01T10:00:00Z', 1)).toEqual(['2026-07-01T11:00:00Z']);
    expect(await nextRuns('* * * * *', '2026-07-01T10:00:59.999Z', 1)).toEqual(['2026-07-01T10:01:00Z']);
  });

  it('reads odd but accepted forms the way robfig does: *-5 is *, a step of 1 keeps the star', async () => {
    expect(await nextRuns('*-5 0 * * *', '2026-07-01T00:00:00Z', 2)).toEqual(['2026-07-01T00:01:00Z', '2026-07-01T00:02:00Z']);
    // */1 in day of month is still a star, so day of week alone decides (AND, not OR).
    expect(await nextRuns('0 0 */1 * SUN', '2026-07-01T00:00:00Z', 2)).toEqual(['2026-07-05T00:00:00Z', '2026-07-12T00:00:00Z']);
  });
});

describe('day of month and day of week', () => {
  it('match when EITHER matches if both are restricted (Vixie cron)', async () => {
    // 2026-11-13 is a Friday the 13th; the others are the 13th or a Friday.
    expect(await nextRuns('0 0 13 * FRI', '2026-10-01T00:00:00Z', 6)).toEqual([
      '2026-10-02T00:00:00Z',
      '2026-10-09T00:00:00Z',
      '2026-10-13T00:00:00Z',
      '2026-10-16T00:00:00Z',
      '2026-10-23T00:00:00Z',
      '2026-10-30T00:00:00Z',
    ]);
  });

  it('must both match when one of them is * or ?', async () => {
    expect(await nextRuns('0 0 * * FRI', '2026-10-01T00:00:00Z', 2)).toEqual(['2026-10-02T00:00:00Z', '2026-10-09T00:00:00Z']);
    expect(await nextRuns('0 0 13 * ?', '2026-10-01T00:00:00Z', 2)).toEqual(['2026-10-13T00:00:00Z', '2026-11-13T00:00:00Z']);
  });

  it('count a stepped star such as */10 as restricted, so it ORs with the weekday (robfig v3)', async () => {
    expect(await nextRuns('0 0 */10 * SUN', '2026-07-01T00:00:00Z', 4)).toEqual([
      '2026-07-05T00:00:00Z',
      '2026-07-11T00:00:00Z',
      '2026-07-12T00:00:00Z',
      '2026-07-19T00:00:00Z',
    ]);
  });

  it('with an empty day-of-month list (","), leave the weekday alone to decide', async () => {
    expect(await nextRuns('0 0 , * MON', '2026-07-01T00:00:00Z', 2)).toEqual(['2026-07-06T00:00:00Z', '2026-07-13T00:00:00Z']);
  });
});

describe('descriptors', () => {
  it.each([
    ['@yearly', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z']],
    ['@annually', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z']],
    ['@monthly', ['2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z']],
    ['@weekly', ['2026-07-05T00:00:00Z', '2026-07-12T00:00:00Z']],
    ['@daily', ['2026-07-02T00:00:00Z', '2026-07-03T00:00:00Z']],
    ['@midnight', ['2026-07-02T00:00:00Z', '2026-07-03T00:00:00Z']],
    ['@hourly', ['2026-07-01T13:00:00Z', '2026-07-01T14:00:00Z']],
  ])('%s runs like its 5-field form', async (expr, want) => {
    expect(await nextRuns(expr, '2026-07-01T12:30:00Z', 2)).toEqual(want);
  });

  it('follow spec.timeZone like any schedule', async () => {
    expect(await nextRuns('@daily', '2026-07-01T12:30:00Z', 1, 'Europe/Berlin')).toEqual(['2026-07-01T22:00:00Z']);
  });
});

describe('@every <duration>', () => {
  it('adds the delay to the time it is given, ignoring the zone', async () => {
    const s = await parseSchedule('@every 1h30m', 'America/New_York');
    expect(s.everyMs).toBe(90 * M);
    expect(isoList(s.next(at('2026-07-01T10:00:00Z'), 3))).toEqual(['2026-07-01T11:30:00Z', '2026-07-01T13:00:00Z', '2026-07-01T14:30:00Z']);
  });

  it('truncates the start to the second, as ConstantDelaySchedule.Next does', async () => {
    expect(await nextRuns('@every 10s', '2026-07-01T10:00:00.900Z', 1)).toEqual(['2026-07-01T10:00:10Z']);
  });

  it.each([
    ['1.5h', 90 * M],
    ['90m', 90 * M],
    ['2500ms', 2000],
    ['500ms', 1000],
    ['-5m', 1000],
    ['0', 1000],
  ])('reads Go durations: %s is %d ms (under a second becomes a second, sub-seconds are dropped)', async (d, ms) => {
    expect((await parseSchedule(`@every ${d}`)).everyMs).toBe(ms);
  });

  it('counts and looks back from an anchor (lastScheduleTime or creationTimestamp), not from the clock', async () => {
    const s = await parseSchedule('@every 1h');
    const anchor = at('2026-07-01T10:00:00Z');
    expect(s.previous(at('2026-07-01T13:30:00Z'))).toBeUndefined();
    expect(s.previous(at('2026-07-01T13:30:00Z'), anchor)?.toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(s.previous(at('2026-07-01T10:59:59Z'), anchor)).toBeUndefined();
    expect(s.countBetween(anchor, at('2026-07-01T13:00:00Z'), 100)).toBe(3);
    expect(s.countBetween(anchor, at('2026-07-11T10:00:00Z'), 100)).toBe(100);
    expect(s.intervalMs(anchor)).toBe(H);
  });
});

describe('schedules and zones Kubernetes rejects are rejected with its message', () => {
  it.each([
    ['61 * * * *', 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'],
    ['0 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['0 0 * 13 *', 'end of range (13) above maximum (12): 13'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/5/5 * * * *', 'too many slashes: */5/5'],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['0 0 * * MONDAY', 'failed to parse int from MONDAY'],
    ['0 0 * JAN-FOO *', 'failed to parse int from FOO'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['@reboot', 'unrecognized descriptor: @reboot'],
    ['@Daily', 'unrecognized descriptor: @Daily'],
    ['@every', 'unrecognized descriptor: @every'],
    ['@every 1h ', 'failed to parse duration @every 1h : time: unknown unit "h " in duration "1h "'],
    ['@every 1', 'time: missing unit in duration "1"'],
    [' @daily', 'expected exactly 5 fields, found 1: [@daily]'],
    ['', 'spec.schedule: Required value'],
  ])('%j: %s', async (expr, message) => {
    expect((await rejection(expr)).message).toContain(message);
  });

  it.each([
    ['0 0 * * * *', 'no seconds'],
    ['0 0 * * 7', 'Sunday is 0'],
    ['0 0 L * *', 'L, W and # are not supported'],
    ['0 0 15W * *', 'L, W and # are not supported'],
    ['0 0 ? * MON#2', 'L, W and # are not supported'],
    ['@every 1d', 'use hours, e.g. @every 24h'],
  ])('%j adds a hint: %s', async (expr, hint) => {
    expect((await rejection(expr)).message).toContain(hint);
  });

  it.each(['TZ=Europe/Berlin 0 0 * * *', 'CRON_TZ=UTC 0 0 * * *'])('%j: TZ and CRON_TZ prefixes point to spec.timeZone (Kubernetes ≥ 1.27)', async (expr) => {
    expect((await rejection(expr)).message).toBe(`spec.schedule: Invalid value: ${JSON.stringify(expr)}: cannot use TZ or CRON_TZ in schedule, use timeZone field instead`);
  });

  it.each([
    ['Europe/Pariss', 'spec.timeZone: Invalid value: "Europe/Pariss": unknown time zone Europe/Pariss'],
    ['', 'timeZone must be nil or non-empty string'],
    ['Local', 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'],
    ['europe/berlin', 'unknown time zone europe/berlin (zone names are case-sensitive: Europe/Berlin)'],
    ['utc', 'unknown time zone utc'],
    ['+02:00', 'unknown time zone +02:00'],
    ['+0200', 'unknown time zone +0200'],
    ['../etc/passwd', 'unknown time zone ../etc/passwd'],
    ['America/Argentina_Buenos_Aires', 'unknown time zone America/Argentina_Buenos_Aires'],
  ])('time zone %j: %s', async (zone, message) => {
    expect((await rejection('0 0 * * *', zone)).message).toContain(message);
  });

  it('reports a bad schedule and a bad zone together, as the API server does', async () => {
    const { message } = await rejection('61 * * * *', 'Mars/Olympus');
    expect(message).toContain('end of range (61)');
    expect(message).toContain('unknown time zone Mars/Olympus');
  });

  it.each(['UTC', 'Etc/UTC', 'Europe/Kyiv', 'Europe/Kiev', 'US/Eastern', 'Etc/GMT+2', 'EST5EDT', 'Asia/Kolkata'])('accepts the IANA name %s', async (zone) => {
    await expect(parseSchedule('0 0 * * *', zone)).resolves.toMatchObject({ timeZone: zone });
  });

  it('accepts a schedule that can never run (Kubernetes does) and finds no runs', async () => {
    for (const expr of ['0 0 30 2 *', '0 0 31 4,6,9,11 *', '0 , * * *', '0 0 * * ,']) {
      const s = await parseSchedule(expr);
      expect(s.next(at('2026-07-01T00:00:00Z'), 3)).toEqual([]);
      expect(s.previous(at('2026-07-01T00:00:00Z'))).toBeUndefined();
      expect(s.countBetween(at('2020-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'), 100)).toBe(0);
      expect(s.intervalMs(at('2026-07-01T00:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
    }
  });
});

describe('daylight saving time, as robfig walks it: skipped times do not run, repeated times run twice', () => {
  // Europe/Berlin 2026: 02:00 CET → 03:00 CEST on 29 March (01:00Z); 03:00 CEST → 02:00 CET on 25 October (01:00Z).
  it('Berlin spring-forward: 30 2 * * * has no run on 29 March', async () => {
    expect(await nextRuns('30 2 * * *', '2026-03-27T12:00:00Z', 3, 'Europe/Berlin')).toEqual([
      '2026-03-28T01:30:00Z', // 02:30 CET
      '2026-03-30T00:30:00Z', // 02:30 CEST
      '2026-03-31T00:30:00Z',
    ]);
  });

  it('Berlin fall-back: 30 2 * * * runs at 02:30 CEST and again at 02:30 CET on 25 October', async () => {
    expect(await nextRuns('30 2 * * *', '2026-10-23T12:00:00Z', 4, 'Europe/Berlin')).toEqual([
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z', // 02:30+02:00
      '2026-10-25T01:30:00Z', // 02:30+01:00
      '2026-10-26T01:30:00Z',
    ]);
  });

  it('Berlin hourly: every UTC hour across both changes, 02:00 never shows in spring and shows twice in autumn', async () => {
    const s = await parseSchedule('0 * * * *', 'Europe/Berlin');
    const spring = s.next(at('2026-03-28T23:30:00Z'), 3);
    expect(isoList(spring)).toEqual(['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z']);
    expect(spring.map((d) => formatInZone(d, 'Europe/Berlin'))).toEqual(['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T04:00:00+02:00']);
    const autumn = s.next(at('2026-10-24T23:30:00Z'), 3);
    expect(isoList(autumn)).toEqual(['2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z', '2026-10-25T02:00:00Z']);
    expect(autumn.map((d) => formatInZone(d, 'Europe/Berlin'))).toEqual(['2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00', '2026-10-25T03:00:00+01:00']);
  });

  // America/New_York 2026: 02:00 EST → 03:00 EDT on 8 March (07:00Z); 02:00 EDT → 01:00 EST on 1 November (06:00Z).
  it('New York spring-forward: 30 2 * * * has no run on 8 March', async () => {
    expect(await nextRuns('30 2 * * *', '2026-03-06T12:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T07:30:00Z', // 02:30 EST
      '2026-03-09T06:30:00Z', // 02:30 EDT
      '2026-03-10T06:30:00Z',
    ]);
  });

  it('New York fall-back: 30 2 * * * runs once (02:30 exists only in EST), 30 1 * * * runs twice', async () => {
    expect(await nextRuns('30 2 * * *', '2026-10-30T12:00:00Z', 3, 'America/New_York')).toEqual(['2026-10-31T06:30:00Z', '2026-11-01T07:30:00Z', '2026-11-02T07:30:00Z']);
    expect(await nextRuns('30 1 * * *', '2026-10-30T12:00:00Z', 4, 'America/New_York')).toEqual([
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z', // 01:30 EDT
      '2026-11-01T06:30:00Z', // 01:30 EST
      '2026-11-02T06:30:00Z',
    ]);
    // From inside the first 01:xx hour the next run is the repeated 01:30, as in robfig's own test.
    expect(await nextRuns('30 1 * * *', '2026-11-01T05:45:00Z', 1, 'America/New_York')).toEqual(['2026-11-01T06:30:00Z']);
  });

  it('New York hourly: every UTC hour across both changes', async () => {
    expect(await nextRuns('0 * * * *', '2026-03-08T05:30:00Z', 3, 'America/New_York')).toEqual(['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z']);
    expect(await nextRuns('0 * * * *', '2026-11-01T04:30:00Z', 3, 'America/New_York')).toEqual(['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']);
  });

  it("gives robfig's own result for its 2012 case (2am nightly job skipped on 11 March)", async () => {
    expect(await nextRuns('0 2 * * *', '2012-03-11T05:00:00Z', 1, 'America/New_York')).toEqual(['2012-03-12T06:00:00Z']);
  });

  it('looks back across the changes consistently with the runs it gives forward', async () => {
    const s = await parseSchedule('30 2 * * *', 'Europe/Berlin');
    expect(s.previous(at('2026-10-26T00:00:00Z'))?.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(s.previous(at('2026-10-25T01:29:59Z'))?.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(s.previous(at('2026-03-30T00:00:00Z'))?.toISOString()).toBe('2026-03-28T01:30:00.000Z');
    for (const [expr, zone, from] of [
      ['30 2 * * *', 'Europe/Berlin', '2026-03-25T00:00:00Z'],
      ['0 * * * *', 'America/New_York', '2026-10-31T20:00:00Z'],
      ['30 1 * * *', 'America/New_York', '2026-10-29T00:00:00Z'],
    ] as const) {
      const sched = await parseSchedule(expr, zone);
      const runs = sched.next(at(from), 12);
      for (const [i, r] of runs.entries()) {
        expect(sched.previous(r)).toEqual(r);
        if (i > 0) expect(sched.previous(new Date(r.getTime() - 1))).toEqual(runs[i - 1]);
      }
    }
  });
});

describe('previous', () => {
  it('is the run at or before the given time', async () => {
    const s = await parseSchedule('0 * * * *');
    expect(s.previous(at('2026-07-01T12:00:00Z'))?.toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(s.previous(at('2026-07-01T12:59:59.999Z'))?.toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(s.previous(at('2026-07-01T11:59:59.999Z'))?.toISOString()).toBe('2026-07-01T11:00:00.000Z');
  });
});

describe('intervalMs', () => {
  it.each([
    ['*/5 * * * *', undefined, 5 * M],
    ['0 9 * * 1-5', undefined, D],
    ['0 0 1 * *', undefined, 28 * D],
    ['30 2 * * *', 'Europe/Berlin', D],
    ['0 * * * *', 'America/New_York', H],
  ])('%s (%s) is %d ms', async (expr, zone, ms) => {
    expect((await parseSchedule(expr, zone)).intervalMs(at('2026-10-24T12:00:00Z'))).toBe(ms);
  });

  it('is measured on the wall clock, so the double run at fall-back does not shrink a daily interval', async () => {
    const s = await parseSchedule('30 2 * * *', 'Europe/Berlin');
    const [a, b] = s.next(at('2026-10-24T12:00:00Z'), 2);
    expect((b?.getTime() ?? 0) - (a?.getTime() ?? 0)).toBe(H);
    expect(s.intervalMs(at('2026-10-24T12:00:00Z'))).toBe(D);
  });
});

describe('countBetween', () => {
  it('counts runs in (from, to]', async () => {
    const s = await parseSchedule('0 * * * *');
    expect(s.countBetween(at('2026-07-01T10:00:00Z'), at('2026-07-01T13:00:00Z'), 100)).toBe(3);
    expect(s.countBetween(at('2026-07-01T10:00:00Z'), at('2026-07-01T12:59:59Z'), 100)).toBe(2);
    expect(s.countBetween(at('2026-07-01T10:00:00Z'), at('2026-07-01T10:00:00Z'), 100)).toBe(0);
  });

  it('stops at the cap, so "more than 100 missed" is one call with cap 101', async () => {
    const s = await parseSchedule('* * * * *');
    expect(s.countBetween(at('2026-07-01T00:00:00Z'), at('2026-07-02T00:00:00Z'), 101)).toBe(101);
    expect(s.countBetween(at('2026-07-01T00:00:00Z'), at('2026-07-01T01:40:00Z'), 101)).toBe(100);
  });

  it('counts a repeated fall-back run twice', async () => {
    const s = await parseSchedule('30 2 * * *', 'Europe/Berlin');
    expect(s.countBetween(at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'), 100)).toBe(2);
    expect(s.countBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), 100)).toBe(0);
  });
});

describe('formatInZone writes RFC 3339 as the controller writes cronjob-scheduled-timestamp', () => {
  it('matches the recorded annotation of a Europe/Kyiv CronJob (k8s 1.32 fixture job-fixtures__every-minute-29935908)', () => {
    // status.lastScheduleTime "2026-12-01T19:48:00Z" → annotation "2026-12-01T21:48:00+02:00"
    expect(formatInZone(at('2026-12-01T19:48:00Z'), 'Europe/Kyiv')).toBe('2026-12-01T21:48:00+02:00');
  });

  it.each([
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', '2026-03-29T01:59:59+01:00'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29T03:00:00+02:00'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+02:00'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25T02:30:00+01:00'],
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08T01:59:00-05:00'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08T03:00:00-04:00'],
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01T01:30:00-04:00'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01T01:30:00-05:00'],
    ['2026-07-01T12:00:00Z', 'Asia/Kathmandu', '2026-07-01T17:45:00+05:45'],
    ['2026-12-01T12:00:00Z', 'Europe/London', '2026-12-01T12:00:00Z'],
    ['2026-12-01T19:48:00.750Z', undefined, '2026-12-01T19:48:00Z'],
  ])('%s in %s is %s', (instant, zone, want) => {
    expect(formatInZone(at(instant), zone)).toBe(want);
  });

  it('rejects a zone Kubernetes rejects', () => {
    expect(() => formatInZone(at('2026-12-01T00:00:00Z'), 'Mars/Olympus')).toThrow(JobsError);
  });
});

describe('missedStarts mirrors the controller (mostRecentScheduleTime)', () => {
  it('says nothing is due before the first run, and starts the one due run without calling it missed', async () => {
    const s = await parseSchedule('0 * * * *');
    const last = at('2026-07-01T10:00:00Z');
    expect(missedStarts(s, last, at('2026-07-01T10:30:00Z'))).toEqual({ missed: 'none' });
    expect(missedStarts(s, last, at('2026-07-01T11:05:00Z'))).toEqual({ mostRecent: at('2026-07-01T11:00:00Z'), missed: 'none' });
  });

  it('starts only the most recent of several missed runs', async () => {
    const s = await parseSchedule('0 * * * *');
    expect(missedStarts(s, at('2026-07-01T10:00:00Z'), at('2026-07-01T15:30:00Z'))).toEqual({ mostRecent: at('2026-07-01T15:00:00Z'), missed: 'few' });
  });

  it('estimates from the first gap like Kubernetes, so weekday runs over 20 weeks are "many" though exactly 100', async () => {
    const s = await parseSchedule('0 9 * * 1-5');
    const last = at('2026-01-02T09:00:00Z'); // a Friday
    const now = at('2026-05-22T10:00:00Z'); // the Friday of the 20th week from Monday 5 January
    expect(s.countBetween(last, now, 101)).toBe(100);
    expect(missedStarts(s, last, now)).toEqual({ mostRecent: at('2026-05-22T09:00:00Z'), missed: 'many' });
  });

  it('counts @every from the last schedule time', async () => {
    const s = await parseSchedule('@every 1h');
    expect(missedStarts(s, at('2026-07-01T10:00:00Z'), at('2026-07-01T15:30:00Z'))).toEqual({ mostRecent: at('2026-07-01T15:00:00Z'), missed: 'few' });
  });

  it('gives the controller error for a schedule that never runs', async () => {
    const s = await parseSchedule('59 23 31 2 *');
    expect(missedStarts(s, at('2026-07-01T10:00:00Z'), at('2026-07-02T10:00:00Z')).error).toBe('time difference between two schedules is less than 1 second');
  });
});

import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { ALWAYS_ON, OFFICE_HOURS, WEEKDAYS, compileCalendar, formatTimeOfDay, validateCalendar, type CalendarSpec } from '../src/calendar/business-calendar';
import { formatBusinessDuration, parseBusinessDuration } from '../src/calendar/business-duration';
import { addBusinessMillis, businessMillisBetween } from '../src/calendar/business-time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toMillis();

/**
 * The zone's UTC offset (minutes) at `t`, as luxon has it. A lookup costs microseconds and the
 * references below make one per minute of ranges of days: an hour whose two ends have the same
 * offset has it throughout (tzdata never changes an offset twice within an hour), so it is looked
 * up once per hour and zone; an hour with a change in it minute by minute.
 */
const offsets = new Map<string, number | null>();
function offsetAt(zone: string, t: number): number {
  const iana = IANAZone.create(zone);
  const hour = Math.floor(t / HOUR);
  const key = `${zone} ${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const first = iana.offset(hour * HOUR);
    offset = first === iana.offset((hour + 1) * HOUR - 1) ? first : null;
    offsets.set(key, offset);
  }
  return offset ?? iana.offset(t);
}

/**
 * The definition, minute by minute: is the minute starting at `t` business time? The local wall
 * clock is `t` plus the zone's UTC offset at `t`, read as UTC fields: the local date, weekday and
 * time of day a luxon DateTime in the zone has, without building one per minute.
 */
function isBusinessMinute(spec: CalendarSpec, t: number): boolean {
  const local = new Date(t + offsetAt(spec.timeZone, t) * MIN);
  if (spec.holidays.includes(local.toISOString().slice(0, 10))) return false;
  const tod = local.getUTCHours() * 60 + local.getUTCMinutes();
  // getUTCDay counts from Sunday, WEEKDAYS from Monday.
  const weekday = WEEKDAYS[(local.getUTCDay() + 6) % 7];
  return minuteRanges(spec).some((h) => h.weekday === weekday && tod >= h.from && tod < h.to);
}

/** The spec's working hours as minutes of the day, read once per spec rather than once per minute. */
const ranges = new WeakMap<CalendarSpec, { weekday: string; from: number; to: number }[]>();
function minuteRanges(spec: CalendarSpec) {
  let list = ranges.get(spec);
  if (!list) ranges.set(spec, (list = spec.workingHours.map((h) => ({ weekday: h.weekday, from: toMin(h.from), to: toMin(h.to) }))));
  return list;
}
const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

function referenceBetween(spec: CalendarSpec, from: number, to: number): number {
  let minutes = 0;
  for (let t = from; t < to; t += MIN) if (isBusinessMinute(spec, t)) minutes++;
  return minutes * MIN;
}

/** The instant the n-th business minute after `start` ends, or null past `limit`. */
function referenceAdd(spec: CalendarSpec, start: number, minutes: number, limit: number): number | null {
  if (minutes === 0) return start;
  let count = 0;
  for (let t = start; t < start + limit; t += MIN) {
    if (isBusinessMinute(spec, t) && ++count === minutes) return t + MIN;
  }
  return null;
}

// Zones with DST both ways, half- and quarter-hour offsets, southern-hemisphere DST.
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'UTC',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
];

// Instants near DST changes of the zones above, so that random ranges often cross one.
const DST_MOMENTS = [
  '2024-03-31T01:00Z',
  '2024-10-27T01:00Z',
  '2024-03-10T07:00Z',
  '2024-11-03T06:00Z',
  '2024-04-06T16:00Z',
  '2024-10-05T16:00Z',
  '2025-03-30T01:00Z',
  '2025-04-05T14:00Z',
  '2025-09-27T14:00Z',
].map(utc);

const intervalsArb = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 }).map((points) => {
  const sorted = [...points].sort((a, b) => a - b);
  const out: { from: string; to: string }[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) out.push({ from: formatTimeOfDay(sorted[i]!), to: formatTimeOfDay(sorted[i + 1]!) });
  return out;
});

const calendarArb: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.array(intervalsArb, { minLength: 7, maxLength: 7 }),
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -3, max: 12 }), { maxLength: 3 }),
  })
  .map(({ timeZone, week, holidayOffsets }) => ({
    timeZone,
    workingHours: week.flatMap((list, d) => list.map((h) => ({ weekday: WEEKDAYS[d]!, ...h }))),
    // Relative to the range start, filled in by the case arbitrary below.
    holidays: holidayOffsets.map(String),
  }));

/** A calendar with some working time and a range (whole minutes) that often crosses a DST change. */
const caseArb = fc
  .record({
    spec: calendarArb,
    anchor: fc.oneof(
      fc.constantFrom(...DST_MOMENTS),
      fc.integer({ min: utc('2024-01-01T00:00Z') / MIN, max: utc('2026-12-31T00:00Z') / MIN }).map((m) => m * MIN),
    ),
    startShift: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }),
    lengthMin: fc.integer({ min: 0, max: 4 * 24 * 60 }),
  })
  .map(({ spec, anchor, startShift, lengthMin }) => {
    const from = anchor + startShift * MIN;
    const fromDate = DateTime.fromMillis(from, { zone: spec.timeZone }).startOf('day');
    const holidays = spec.holidays.map((d) => fromDate.plus({ days: Number(d) }).toISODate()!);
    return { spec: { ...spec, holidays }, from, to: from + lengthMin * MIN };
  })
  .filter(({ spec }) => spec.workingHours.length > 0 && validateCalendar(spec, 'c').length === 0);

describe('business time: property-based against a minute-by-minute reference', () => {
  it('counts business time between two instants exactly', () => {
    fc.assert(
      fc.property(caseArb, ({ spec, from, to }) => {
        expect(businessMillisBetween(compileCalendar(spec), from, to)).toBe(referenceBetween(spec, from, to));
      }),
      { numRuns: 60 },
    );
  });

  it('finds the due instant exactly (the end of the n-th business minute)', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 3000 }), ({ spec, from }, minutes) => {
        const limit = 10 * 24 * HOUR;
        const expected = referenceAdd(spec, from, minutes, limit);
        const actual = addBusinessMillis(compileCalendar(spec), from, minutes * MIN);
        if (expected === null) expect(actual === null || actual > from + limit - MIN).toBe(true);
        else expect(actual).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps add and between consistent: between(start, add(start, n)) = n, and nothing earlier reaches n', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 40 * 24 * 60 * 60 }), ({ spec, from }, seconds) => {
        const cal = compileCalendar(spec);
        const due = addBusinessMillis(cal, from, seconds * 1000);
        if (due === null) return;
        expect(businessMillisBetween(cal, from, due)).toBe(seconds * 1000);
        expect(businessMillisBetween(cal, from, due - 1)).toBe(seconds * 1000 - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('is additive over split points', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ spec, from, to }, f) => {
        const cal = compileCalendar(spec);
        const mid = Math.floor(from + (to - from) * f);
        expect(businessMillisBetween(cal, from, mid) + businessMillisBetween(cal, mid, to)).toBe(businessMillisBetween(cal, from, to));
      }),
      { numRuns: 300 },
    );
  });
});

describe('business time: hand-picked edges', () => {
  const berlin = compileCalendar(OFFICE_HOURS('Europe/Berlin', ['2025-12-25', '2025-12-26']));
  const ny = compileCalendar(OFFICE_HOURS('America/New_York'));

  it('carries a target over the weekend (Friday 16:00 + 2h = Monday 10:00)', () => {
    expect(addBusinessMillis(berlin, at('2025-03-07T16:00', 'Europe/Berlin'), 2 * HOUR)).toBe(at('2025-03-10T10:00', 'Europe/Berlin'));
  });

  it('starts counting at the opening when started before hours, and ends exactly at the closing edge', () => {
    expect(addBusinessMillis(berlin, at('2025-03-04T06:00', 'Europe/Berlin'), 8 * HOUR)).toBe(at('2025-03-04T17:00', 'Europe/Berlin'));
    expect(businessMillisBetween(berlin, at('2025-03-04T17:00', 'Europe/Berlin'), at('2025-03-05T09:00', 'Europe/Berlin'))).toBe(0);
  });

  it('skips holidays (Christmas 2025 is Thursday and Friday)', () => {
    expect(addBusinessMillis(berlin, at('2025-12-24T16:00', 'Europe/Berlin'), 2 * HOUR)).toBe(at('2025-12-29T10:00', 'Europe/Berlin'));
  });

  it('counts a working day across the spring-forward change by the wall clock', () => {
    const always = compileCalendar(ALWAYS_ON('Europe/Berlin'));
    // 2025-03-30 has 23 real hours in Berlin; 2025-10-26 has 25.
    expect(businessMillisBetween(always, at('2025-03-30T00:00', 'Europe/Berlin'), at('2025-03-31T00:00', 'Europe/Berlin'))).toBe(23 * HOUR);
    expect(businessMillisBetween(always, at('2025-10-26T00:00', 'Europe/Berlin'), at('2025-10-27T00:00', 'Europe/Berlin'))).toBe(25 * HOUR);
  });

  it('does not work the skipped hour and works the repeated hour twice', () => {
    const night: CalendarSpec = { timeZone: 'America/New_York', workingHours: [{ weekday: 'SUNDAY', from: '01:00', to: '04:00' }], holidays: [] };
    const cal = compileCalendar(night);
    const day = (d: string) => [at(`${d}T00:00`, 'America/New_York'), at(`${d}T12:00`, 'America/New_York')] as const;
    expect(businessMillisBetween(cal, ...day('2025-03-09'))).toBe(2 * HOUR); // 02:00–03:00 does not exist
    expect(businessMillisBetween(cal, ...day('2025-11-02'))).toBe(4 * HOUR); // 01:00–02:00 happens twice
  });

  it('keeps 09:00–17:00 local across a DST change (New York, the week of 2025-03-09)', () => {
    const due = addBusinessMillis(ny, at('2025-03-07T16:00', 'America/New_York'), 2 * HOUR)!;
    expect(DateTime.fromMillis(due, { zone: 'America/New_York' }).toISO()).toBe('2025-03-10T10:00:00.000-04:00');
  });

  it('handles half-hour zones (Kolkata) and a southern-hemisphere DST (Sydney)', () => {
    const kolkata = compileCalendar(OFFICE_HOURS('Asia/Kolkata'));
    expect(addBusinessMillis(kolkata, utc('2025-03-07T03:30Z'), HOUR)).toBe(utc('2025-03-07T04:30Z')); // 09:00 IST = 03:30Z
    const sydney = compileCalendar(OFFICE_HOURS('Australia/Sydney'));
    // Sydney leaves DST on 2025-04-06 (Sunday): Friday 16:00 AEDT + 2h = Monday 10:00 AEST.
    expect(addBusinessMillis(sydney, at('2025-04-04T16:00', 'Australia/Sydney'), 2 * HOUR)).toBe(at('2025-04-07T10:00', 'Australia/Sydney'));
  });

  it('returns the start for a zero target and null when the calendar never reaches it', () => {
    const start = utc('2025-01-01T00:00Z');
    expect(addBusinessMillis(berlin, start, 0)).toBe(start);
    const holidayForever: CalendarSpec = { timeZone: 'UTC', workingHours: [{ weekday: 'MONDAY', from: '09:00', to: '10:00' }], holidays: ['2025-01-06'] };
    expect(addBusinessMillis(compileCalendar(holidayForever), start, 2 * HOUR, 10 * 24 * HOUR)).toBeNull();
  });
});

describe('business durations', () => {
  const office = compileCalendar(OFFICE_HOURS('Europe/Berlin'));
  const always = compileCalendar(ALWAYS_ON());

  it.each([
    ['PT4H', office, 4 * HOUR],
    ['P1D', office, 8 * HOUR],
    ['P1W', office, 40 * HOUR],
    ['P5D', office, 40 * HOUR],
    ['P1D', always, 24 * HOUR],
    ['PT2S', always, 2000],
    ['PT1.5H', office, 90 * MIN],
  ])('reads %s', (iso, cal, ms) => {
    expect(parseBusinessDuration(iso, cal)).toEqual({ ms });
  });

  it.each(['P1M', 'P1Y', 'four hours', 'PT0S', 'PT0.1S', 'P60W', ''])('refuses %s', (iso) => {
    expect(parseBusinessDuration(iso, office)).toHaveProperty('error');
  });

  it('formats business time in hours, minutes and seconds', () => {
    expect(formatBusinessDuration(0)).toBe('PT0S');
    expect(formatBusinessDuration(27 * HOUR + 30 * MIN + 5000)).toBe('PT27H30M5S');
  });

  it('validates calendars field by field', () => {
    const problems = validateCalendar(
      {
        timeZone: 'Mars/Olympus',
        workingHours: [
          { weekday: 'MONDAY', from: '09:00', to: '08:00' },
          { weekday: 'TUESDAY', from: '9am', to: '17:00' },
          { weekday: 'WEDNESDAY', from: '09:00', to: '12:00' },
          { weekday: 'WEDNESDAY', from: '11:00', to: '13:00' },
        ],
        holidays: ['2025-02-30'],
      },
      'input.calendar',
    ).map((p) => p.field);
    expect(problems).toEqual([
      'input.calendar.timeZone',
      'input.calendar.workingHours.0.to',
      'input.calendar.workingHours.1.from',
      'input.calendar.workingHours.3',
      'input.calendar.holidays.0',
    ]);
  });
});

describe('a long-running clock measured again', () => {
  it('looks up the zone’s UTC offsets once: a year-old clock read again needs at most a few new lookups', () => {
    const cal = compileCalendar(OFFICE_HOURS('America/Sao_Paulo'));
    const lookups = jest.spyOn(cal.zone, 'offset');
    const start = utc('2025-06-02T12:00:00Z');
    const first = businessMillisBetween(cal, start, utc('2026-06-02T12:00:00Z'));
    const firstLookups = lookups.mock.calls.length;
    expect(firstLookups).toBeGreaterThan(300); // one per local day, at least
    lookups.mockClear();
    // The next read, a minute later: same start, same local midnights.
    const again = businessMillisBetween(cal, start, utc('2026-06-02T12:01:00Z'));
    expect(again - first).toBe(MIN);
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(3);
    lookups.mockRestore();
  });
});

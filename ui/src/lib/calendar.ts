// Pure calendar arithmetic for the schedule: civil days (YYYY-MM-DD) and local start times
// (YYYY-MM-DDTHH:MM), as Rust stores them, with no time zone to go wrong. Tested in
// calendar.test.ts.

import { dateFormat } from "./intl";

const pad = (n: number) => String(n).padStart(2, "0");

function parts(day: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = day.slice(0, 10).split("-").map(Number);
  return [y, m, d];
}

function civil(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The day `n` days after `day` (before, when negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parts(day);
  return civil(new Date(Date.UTC(y, m - 1, d + n)));
}

/** The Monday of `day`'s week. */
export function weekStart(day: string): string {
  const [y, m, d] = parts(day);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

/** `mon` … `sun` for a day, as the series request names weekdays. */
export function weekdayId(day: string): string {
  const [y, m, d] = parts(day);
  return ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** An ISO weekday's short name in the user's locale: 1 -> "Mon". */
export function weekdayName(isoDay: number, locale?: string): string {
  // 2024-01-01 was a Monday.
  return dateFormat(locale, { weekday: "short" }).format(new Date(2024, 0, isoDay));
}

/** Open days in words, runs joined: [1,2,3,4,5,6] -> "Mon–Sat"; [1,3,5] -> "Mon, Wed, Fri". */
export function openDaysWords(days: number[], locale?: string): string {
  const runs: [number, number][] = [];
  for (const d of [...days].sort((a, b) => a - b)) {
    const run = runs[runs.length - 1];
    if (run && run[1] === d - 1) run[1] = d;
    else runs.push([d, d]);
  }
  return runs
    .map(([a, b]) => (a === b ? weekdayName(a, locale) : b === a + 1 ? `${weekdayName(a, locale)}, ${weekdayName(b, locale)}` : `${weekdayName(a, locale)}–${weekdayName(b, locale)}`))
    .join(", ");
}

/** The local midnight that starts a civil day, as a `Date` to format or place on an axis. */
export function localMidnight(day: string): Date {
  const [y, m, d] = parts(day);
  return new Date(y, m - 1, d);
}

/** "Mon, Dec 7" in the user's locale. */
export function dayHeading(day: string, locale?: string): string {
  return dateFormat(locale, { weekday: "short", month: "short", day: "numeric" }).format(localMidnight(day));
}

/** Minutes after midnight of a start time: "2026-12-07T09:30" -> 570. */
export function minuteOfDay(startsAt: string): number {
  return clockMinutes(startsAt.slice(11, 16));
}

/** Minutes after midnight of a clock time: "07:30" -> 450. */
export function clockMinutes(time: string): number {
  const [h = 0, min = 0] = time.split(":").map(Number);
  return h * 60 + min;
}

/** The start time `minutes` after midnight of `day`: ("2026-12-07", 570) -> "2026-12-07T09:30". */
export function startAt(day: string, minutes: number): string {
  return `${day.slice(0, 10)}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A start time's clock time in the user's locale: "9:30 AM" or "09:30". */
export function clockTime(startsAt: string, locale?: string): string {
  const [y, m, d] = parts(startsAt);
  const at = minuteOfDay(startsAt);
  return dateFormat(locale, { hour: "numeric", minute: "2-digit" }).format(new Date(y, m - 1, d, Math.floor(at / 60), at % 60));
}

/** Side-by-side lanes for visits that overlap in one column: each visit's lane (the first
 *  lane free when it starts, by start time) and how many lanes the column needs. */
export function lanes(visits: { start: number; minutes: number }[]): { lane: number[]; count: number } {
  const order = visits.map((_, i) => i).sort((a, b) => visits[a]!.start - visits[b]!.start);
  const freeAt: number[] = [];
  const lane: number[] = new Array<number>(visits.length).fill(0);
  for (const i of order) {
    const v = visits[i]!;
    let l = freeAt.findIndex((end) => end <= v.start);
    if (l < 0) l = freeAt.push(0) - 1;
    freeAt[l] = v.start + v.minutes;
    lane[i] = l;
  }
  return { lane, count: Math.max(1, freeAt.length) };
}

/** A length of time in words: 45 -> "45 min", 60 -> "1 h", 90 -> "1 h 30 min". */
export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : "", m || !h ? `${m} min` : ""].filter(Boolean).join(" ");
}

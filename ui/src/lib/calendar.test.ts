import { describe, expect, it } from "vitest";
import { addDays, dayHeading, duration, lanes, minuteOfDay, openDaysWords, startAt, weekdayId, weekStart } from "./calendar";

describe("calendar", () => {
  it("adds days across months, years and leap days", () => {
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-12-07", 0)).toBe("2026-12-07");
  });

  it("finds the Monday of a week, and names weekdays as the series request does", () => {
    expect(weekStart("2026-12-10")).toBe("2026-12-07"); // a Thursday
    expect(weekStart("2026-12-07")).toBe("2026-12-07");
    expect(weekStart("2026-12-13")).toBe("2026-12-07"); // a Sunday ends the week
    expect(weekdayId("2026-12-10")).toBe("thu");
    expect(weekdayId("2026-12-13")).toBe("sun");
  });

  it("says open days in runs", () => {
    expect(openDaysWords([1, 2, 3, 4, 5], "en-US")).toBe("Mon–Fri");
    expect(openDaysWords([6, 1, 3, 5], "en-US")).toBe("Mon, Wed, Fri, Sat");
    expect(openDaysWords([1, 2, 4, 5, 6, 7], "en-US")).toBe("Mon, Tue, Thu–Sun");
  });

  it("reads and writes start times as minutes of the day", () => {
    expect(minuteOfDay("2026-12-07T09:30")).toBe(570);
    expect(startAt("2026-12-07", 570)).toBe("2026-12-07T09:30");
    expect(startAt("2026-12-07T11:00", 7 * 60 + 5)).toBe("2026-12-07T07:05");
  });

  it("puts overlapping visits side by side, and reuses a lane once it is free", () => {
    // 9:00-9:45, 9:30-10:15 (overlaps), 9:45-10:30 (lane 0 free again at 9:45).
    expect(lanes([{ start: 540, minutes: 45 }, { start: 570, minutes: 45 }, { start: 585, minutes: 45 }])).toEqual({
      lane: [0, 1, 0],
      count: 2,
    });
    expect(lanes([])).toEqual({ lane: [], count: 1 });
  });

  it("says lengths in words and days in the locale", () => {
    expect(duration(45)).toBe("45 min");
    expect(duration(60)).toBe("1 h");
    expect(duration(90)).toBe("1 h 30 min");
    expect(dayHeading("2026-12-07", "en-US")).toBe("Mon, Dec 7");
  });
});

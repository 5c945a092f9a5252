import { describe, expect, it } from "vitest";
import { billingHeadline, civilDate, instant, lastMonth, money, noteKindWords, parseDollars, parseMinutes, splitDiagnoses, statusWords, timeOf, today } from "./format";
import type { CodingReport } from "./types";

describe("billingHeadline", () => {
  it("counts units and timed minutes", () => {
    const b: CodingReport = { method: "cms", lines: [], unbilled: [], timed_minutes: 47, timed_units: 3, total_units: 3, warnings: [], errors: [], findings: [] };
    expect(billingHeadline(b)).toBe("3 units from 47 timed minutes");
  });
  it("says one unit, and leaves out minutes for untimed visits", () => {
    const b: CodingReport = { method: "cms", lines: [], unbilled: [], timed_minutes: 0, timed_units: 0, total_units: 1, warnings: [], errors: [], findings: [] };
    expect(billingHeadline(b)).toBe("1 unit");
  });
});

describe("parseMinutes", () => {
  it("accepts whole minutes in a day", () => {
    expect(parseMinutes("23")).toBe(23);
    expect(parseMinutes(" 0 ")).toBe(0);
    expect(parseMinutes("1440")).toBe(1440);
  });
  it("refuses what is not", () => {
    for (const bad of ["", "-3", "7.5", "1441", "ten", "12345"]) expect(parseMinutes(bad)).toBeNull();
  });
});

describe("dates", () => {
  it("formats times and days", () => {
    expect(timeOf("2026-03-02T09:05")).toBe("09:05");
    expect(today(new Date(2026, 2, 2))).toBe("2026-03-02");
  });
});

describe("noteKindWords", () => {
  it("says a note's kind as a clinician does", () => {
    expect(noteKindWords("reeval")).toBe("Re-evaluation");
    expect(noteKindWords("daily")).toBe("Daily note");
    expect(noteKindWords("something new")).toBe("something new");
  });
});

describe("money", () => {
  it("shows cents as dollars with thousands", () => {
    expect(money(123456)).toBe("$1,234.56");
    expect(money(5)).toBe("$0.05");
    expect(money(-5)).toBe("-$0.05");
    expect(money(0)).toBe("$0.00");
  });
  it("words a status", () => {
    expect(statusWords("partially_paid")).toBe("partially paid");
  });
});

describe("parseDollars", () => {
  it("reads amounts as whole cents, and refuses what is not one", () => {
    expect(parseDollars("2,460")).toBe(246000);
    expect(parseDollars("$12.5")).toBe(1250);
    expect(parseDollars(" 0.07 ")).toBe(7);
    expect(parseDollars("-3")).toBeNull();
    expect(parseDollars("1.234")).toBeNull();
    expect(parseDollars("twelve")).toBeNull();
  });
});

describe("splitDiagnoses", () => {
  it("keeps the codes entered and looks up what is being typed", () => {
    expect(splitDiagnoses("M54.50 knee pa")).toEqual({ codes: ["M54.50"], query: "knee pa" });
    expect(splitDiagnoses("M54.50, M25")).toEqual({ codes: ["M54.50"], query: "M25" });
    expect(splitDiagnoses("M54.50 ")).toEqual({ codes: ["M54.50"], query: "" });
    expect(splitDiagnoses("")).toEqual({ codes: [], query: "" });
  });
});

describe("lastMonth", () => {
  it("is the whole month before, across a year and in a leap year", () => {
    expect(lastMonth("2026-03-15")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(lastMonth("2028-03-01")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(lastMonth("2026-01-10")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
  });
});

describe("civilDate and instant", () => {
  it("shows a civil date in the locale without moving it across time zones", () => {
    expect(civilDate("1958-02-17", "en-US")).toBe("Feb 17, 1958");
    expect(civilDate("2026-12-31", "en-GB")).toBe("31 Dec 2026");
    expect(civilDate("not a date")).toBe("not a date");
  });
  it("shows an instant in the given time zone, never as raw ISO text", () => {
    expect(instant("2026-12-03T11:48:48.908158Z", "en-US", "America/Chicago")).toBe("Dec 3, 2026, 5:48 AM");
    expect(instant("2026-12-03T11:48:48Z", "en-GB", "Europe/London")).toBe("3 Dec 2026, 11:48");
    expect(instant("garbage")).toBe("garbage");
  });
});

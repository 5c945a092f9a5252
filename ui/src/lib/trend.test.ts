import { describe, expect, it } from "vitest";
import { dayRange, daySeconds, labelsNeedYear, segments, valueRange } from "./trend";

const day = 86_400;

describe("an outcome measure's trend", () => {
  it("places each score at its day's local midnight", () => {
    expect(daySeconds("2026-12-03")).toBe(new Date(2026, 11, 3).getTime() / 1000);
    expect(daySeconds("2026-12-04") - daySeconds("2026-12-03")).toBeGreaterThanOrEqual(23 * 3600);
  });

  it("spans every score and the band, with room on the score axis", () => {
    expect(valueRange([40, 52], { from: 40, to: 31, mcid: 9 })).toEqual([28.9, 54.1]);
    expect(valueRange([40, 52], null)).toEqual([38.8, 53.2]);
    expect(valueRange([7], null)).toEqual([6, 8]);
    expect(valueRange([], null)).toEqual([0, 1]);
  });

  it("spans every day, with room either side of the time axis", () => {
    expect(dayRange([100 * day])).toEqual([93 * day, 107 * day]);
    expect(dayRange([0, 400 * day])).toEqual([-20 * day, 420 * day]);
  });

  it("names the year only when the scores span more than half a year", () => {
    expect(labelsNeedYear([0, 90 * day])).toBe(false);
    expect(labelsNeedYear([0, 200 * day])).toBe(true);
    expect(labelsNeedYear([0])).toBe(false);
  });

  it("joins neighbouring points by pieces that start at the first and end at the second", () => {
    const points = [
      { x: 0, y: 100 },
      { x: 30, y: 60 },
      { x: 90, y: 60 },
      { x: 90, y: 80 },
    ];
    const pieces = segments(points);
    expect(pieces).toHaveLength(3);
    pieces.forEach((s, i) => {
      // Where the piece ends, turned by its angle from where it starts.
      expect(s.x + s.length * Math.cos(s.angle)).toBeCloseTo(points[i + 1]!.x, 9);
      expect(s.y + s.length * Math.sin(s.angle)).toBeCloseTo(points[i + 1]!.y, 9);
    });
    // Up and to the right (a higher score later) turns anticlockwise, as y grows downwards.
    expect(pieces[0]).toMatchObject({ x: 0, y: 100, length: 50 });
    expect(pieces[0]!.angle).toBeLessThan(0);
    expect(pieces[1]).toMatchObject({ length: 60, angle: 0 });
    expect(pieces[2]).toMatchObject({ length: 20, angle: Math.PI / 2 });
  });

  it("draws no piece for one point or none", () => {
    expect(segments([{ x: 5, y: 5 }])).toEqual([]);
    expect(segments([])).toEqual([]);
  });
});

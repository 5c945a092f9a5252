// The geometry of an outcome measure's trend, apart from its drawing (TrendPlot) so that
// it can be tested: where each score sits in time, the ranges the axes span and the pieces
// the line is drawn in. The scores and the MCID band come from Rust (trend.rs). Tested in
// trend.test.ts.
import { localMidnight } from "./calendar";
import type { PlottedBand } from "./types";

/** One administration of a measure: its civil date (YYYY-MM-DD) and its score. */
export interface TrendPoint {
  date: string;
  value: number;
}

const DAY_SECONDS = 86_400;

/** Seconds since the epoch at the local midnight that starts a civil date, as the time axis
 *  counts (local midnight, so the axis labels the same day). */
export function daySeconds(day: string): number {
  return localMidnight(day).getTime() / 1000;
}

/** The score axis: every score and the band, with a tenth of the span (at least 1) of room
 *  above and below so no point sits on the frame. */
export function valueRange(values: number[], band: PlottedBand | null): [number, number] {
  const all = band ? [...values, band.from, band.to] : values;
  if (all.length === 0) return [0, 1];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const room = Math.max((high - low) / 10, 1);
  return [low - room, high + room];
}

/** The time axis: the first to the last day scored, with room either side so the end points
 *  are not cut in half (a week either side of a single day). */
export function dayRange(seconds: number[]): [number, number] {
  if (seconds.length === 0) return [0, 7 * DAY_SECONDS];
  const first = Math.min(...seconds);
  const last = Math.max(...seconds);
  const room = Math.max((last - first) / 20, 7 * DAY_SECONDS);
  return [first - room, last + room];
}

/** Whether the axis's day labels need the year: the scores span more than half a year. */
export function labelsNeedYear(seconds: number[]): boolean {
  return seconds.length > 1 && Math.max(...seconds) - Math.min(...seconds) > 183 * DAY_SECONDS;
}

/** A straight piece of the line between two neighbouring points, drawn as a thin box: it
 *  starts at (x, y), runs `length` pixels, and turns by `angle` radians (clockwise, as y
 *  grows downwards). */
export interface Segment {
  x: number;
  y: number;
  length: number;
  angle: number;
}

/** The pieces of the line through `points`, in their order. */
export function segments(points: { x: number; y: number }[]): Segment[] {
  return points.slice(1).map((to, i) => {
    const from = points[i]!;
    return { x: from.x, y: from.y, length: Math.hypot(to.x - from.x, to.y - from.y), angle: Math.atan2(to.y - from.y, to.x - from.x) };
  });
}

// The trend's plot, drawn in Layer Cake's HTML layer: each score at its day and height, the
// line through them, the MCID band Rust gives, and the scores written beside their points
// while they fit.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/svelte";
import TrendPlot from "./TrendPlot.svelte";
import { lefsTrend, stubResizeObserver } from "./fixtures/trend";

const trend = lefsTrend;

beforeEach(() => {
  // jsdom lays nothing out: the plot's box is given the size a chart's overview gives it.
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(400);
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(176);
  // Nor has it this, which Layer Cake follows the box's size by.
  stubResizeObserver();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A pixel length as a style gives it: "12.5px" -> 12.5. */
const px = (length: string) => Number(length.replace(/px$/, ""));

/** The drawn points, left to right, where their boxes are placed. */
function points(container: HTMLElement): { x: number; y: number }[] {
  return [...container.querySelectorAll<HTMLElement>(".point")].map((p) => ({ x: px(p.style.left), y: px(p.style.top) }));
}

/** The line's pieces, in order: where each starts, how long it is and its turn (radians). */
function pieces(container: HTMLElement): { x: number; y: number; length: number; angle: number }[] {
  return [...container.querySelectorAll<HTMLElement>(".line")].map((l) => ({
    x: px(l.style.left),
    y: px(l.style.top),
    length: px(l.style.width),
    angle: Number(/^rotate\((-?[\d.e-]+)rad\)$/.exec(l.style.transform)?.[1]),
  }));
}

describe("TrendPlot", () => {
  it("plots each score at its day and height, joined by a line", () => {
    const { container } = render(TrendPlot, { trend });
    const [first, second] = points(container);
    expect(first && second).toBeTruthy();
    // Later is to the right; a higher score is higher up (a smaller y).
    expect(second!.x).toBeGreaterThan(first!.x);
    expect(second!.y).toBeLessThan(first!.y);
    // The line is one piece, from the first point to the second.
    const [piece, ...more] = pieces(container);
    expect(more).toHaveLength(0);
    expect(piece!.x).toBeCloseTo(first!.x, 6);
    expect(piece!.y).toBeCloseTo(first!.y, 6);
    expect(piece!.x + piece!.length * Math.cos(piece!.angle)).toBeCloseTo(second!.x, 3);
    expect(piece!.y + piece!.length * Math.sin(piece!.angle)).toBeCloseTo(second!.y, 3);
    // Inside the box: 400 wide less the axis's 40 and the right's 28.
    expect(first!.x).toBeGreaterThan(0);
    expect(second!.x).toBeLessThan(400 - 68);
  });

  it("shades the band Rust gives, from the first score to the MCID", () => {
    const { container } = render(TrendPlot, { trend });
    const [at38, at52] = points(container);
    const shaded = container.querySelector<HTMLElement>(".band")!;
    const top = px(shaded.style.top);
    const bottom = top + px(shaded.style.height);
    // The scale is linear: 47 sits 9/14 of the way from 38's height to 52's.
    const at47 = at38!.y + ((47 - 38) / (52 - 38)) * (at52!.y - at38!.y);
    expect(bottom).toBeCloseTo(at38!.y, 6);
    expect(top).toBeCloseTo(at47, 6);
  });

  it("shades nothing for a measure without a band", () => {
    const { container } = render(TrendPlot, { trend: { ...trend, mcid_band: null } });
    expect(container.querySelector(".band")).toBeNull();
    expect(points(container)).toHaveLength(2);
  });

  it("writes each score beside its point while they fit, and none past a dozen", () => {
    const { container } = render(TrendPlot, { trend });
    expect([...container.querySelectorAll(".score")].map((t) => t.textContent)).toEqual(["38", "52"]);
    cleanup();

    const weekly = Array.from({ length: 13 }, (_, i) => ({ date: `2026-0${1 + Math.floor(i / 4)}-${String(1 + (i % 4) * 7).padStart(2, "0")}`, value: 30 + i }));
    const crowded = render(TrendPlot, { trend: { ...trend, points: weekly, mcid_band: null } });
    expect(points(crowded.container)).toHaveLength(13);
    expect(crowded.container.querySelectorAll(".score")).toHaveLength(0);
  });

  it("labels the days no closer than 120 pixels apart, however wide the plot", () => {
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(1860);
    const month = { ...trend, points: [{ date: "2026-11-09", value: 15 }, { date: "2026-11-19", value: 35 }] };
    const { container } = render(TrendPlot, { trend: month });
    const days = [...container.querySelectorAll<HTMLElement>(".day-axis")].map((t) => px(t.style.left));
    expect(days.length).toBeGreaterThan(3);
    days.slice(1).forEach((x, i) => expect(x - days[i]!).toBeGreaterThanOrEqual(100));
  });

  it("draws no line and no point for a measure with no scores yet", () => {
    const { container } = render(TrendPlot, { trend: { ...trend, points: [], mcid_band: null } });
    expect(points(container)).toHaveLength(0);
    expect(pieces(container)).toHaveLength(0);
  });
});

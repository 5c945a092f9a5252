// The trend draws its plot where the page can, and when the plot cannot be drawn the
// clinician still reads the scores, as text, instead of an empty box.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import type uPlot from "uplot";
import TrendChart from "./TrendChart.svelte";
import type { MeasureTrend } from "../lib/types";

// What the component built a plot with, and whether building it should fail.
const plotting = vi.hoisted(() => ({ fail: false, made: [] as { options: uPlot.Options; data: number[][] }[] }));

vi.mock("../lib/linechart", () => {
  class FakePlot {
    static pxRatio = 1;
    constructor(options: uPlot.Options, data: number[][]) {
      if (plotting.fail) throw new Error("no 2D context");
      plotting.made.push({ options, data });
    }
    setSize() {}
    destroy() {}
  }
  return { uPlot: FakePlot };
});

const trend: MeasureTrend = {
  measure_id: "lefs",
  short_name: "LEFS",
  points: [
    { date: "2026-08-26", value: 38 },
    { date: "2026-10-05", value: 52 },
  ],
  mcid_band: { from: 38, to: 47, mcid: 9 },
  since_first: null,
};

beforeEach(() => {
  plotting.fail = false;
  plotting.made = [];
  // jsdom has neither: the component only draws where both exist, as in the window.
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      disconnect() {}
    },
  );
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({} as CanvasRenderingContext2D);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("TrendChart", () => {
  it("plots each score at its day, with no fallback text", async () => {
    render(TrendChart, { trend });
    await vi.waitFor(() => expect(plotting.made).toHaveLength(1));
    const [days, values] = plotting.made[0]!.data;
    expect(values).toEqual([38, 52]);
    expect(days).toHaveLength(2);
    expect(days![1]! - days![0]!).toBe(40 * 86_400);
    expect(screen.queryByText(/could not be drawn/)).toBeNull();
    expect(screen.getByRole("img").getAttribute("aria-label")).toContain("LEFS trend: 38 on");
  });

  it("shades the band Rust gives, from the first score to the MCID", async () => {
    render(TrendChart, { trend });
    await vi.waitFor(() => expect(plotting.made).toHaveLength(1));
    const shadeBand = plotting.made[0]!.options.hooks!.drawClear![0]!;
    const filled: number[][] = [];
    const ctx = { fillStyle: "", save() {}, restore() {}, fillRect: (...box: number[]) => filled.push(box) };
    // As on a canvas, a higher score is higher up: a smaller y.
    const plot = { ctx, bbox: { left: 44, width: 300 }, valToPos: (v: number) => 100 - v } as unknown as uPlot;
    shadeBand(plot);
    expect(filled).toEqual([[44, 100 - 47, 300, 47 - 38]]);
    expect(screen.getByText(/shaded: within the MCID \(9\) of the first score/)).toBeTruthy();
  });

  it("shades nothing for a measure without a band", async () => {
    render(TrendChart, { trend: { ...trend, mcid_band: null } });
    await vi.waitFor(() => expect(plotting.made).toHaveLength(1));
    const filled: number[][] = [];
    const ctx = { save() {}, restore() {}, fillRect: (...box: number[]) => filled.push(box) };
    plotting.made[0]!.options.hooks!.drawClear![0]!({ ctx } as unknown as uPlot);
    expect(filled).toEqual([]);
    expect(screen.queryByText(/shaded/)).toBeNull();
  });

  it("writes each score beside its point at the screen's density when it is drawn", async () => {
    const { uPlot: plotClass } = (await import("../lib/linechart")) as unknown as { uPlot: { pxRatio: number } };
    render(TrendChart, { trend });
    await vi.waitFor(() => expect(plotting.made).toHaveLength(1));
    const labelScores = plotting.made[0]!.options.hooks!.draw![0]!;
    const written: { text: string; font: string }[] = [];
    const ctx = {
      font: "",
      save() {},
      restore() {},
      fillText(text: string) {
        written.push({ text, font: this.font });
      },
    };
    const plot = { ctx, valToPos: (v: number) => v } as unknown as uPlot;
    labelScores(plot);
    // The window moves to a screen twice as dense: uPlot redraws, at the new density.
    plotClass.pxRatio = 2;
    labelScores(plot);
    plotClass.pxRatio = 1;
    expect(written.map((w) => w.text)).toEqual(["38", "52", "38", "52"]);
    expect(written[0]!.font.startsWith("12px")).toBe(true);
    expect(written[2]!.font.startsWith("24px")).toBe(true);
  });

  it("gives the scores as text when the plot cannot be drawn, and says why on the console", async () => {
    plotting.fail = true;
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    render(TrendChart, { trend });
    const fallback = await screen.findByText(/The trend could not be drawn\./);
    expect(fallback.textContent).toContain("38 on");
    expect(fallback.textContent).toContain("52 on");
    expect(fallback.textContent).toContain("MCID 9");
    expect(logged).toHaveBeenCalledWith("the trend could not be drawn", expect.any(Error));
  });
});

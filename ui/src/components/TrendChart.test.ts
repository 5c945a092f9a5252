// The trend's words: the scores as text for screen readers, the caption naming the band,
// and the plot, loaded on demand, drawn inside the figure once it has loaded.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import TrendChart from "./TrendChart.svelte";
import { lefsTrend, stubResizeObserver } from "./fixtures/trend";

const trend = lefsTrend;

beforeEach(() => {
  // jsdom has none; Layer Cake follows its box's size by one.
  stubResizeObserver();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("TrendChart", () => {
  it("gives the scores in words and draws the plot once it has loaded", async () => {
    const { container } = render(TrendChart, { trend });
    const figure = screen.getByRole("img");
    expect(figure.getAttribute("aria-label")).toMatch(/^LEFS trend: 38 on .+, 52 on .+; MCID 9$/);
    expect(screen.getByText("LEFS · shaded: within the MCID (9) of the first score")).toBeTruthy();
    // The first load transforms Layer Cake and d3 for the test: give it time on a busy machine.
    await vi.waitFor(() => expect(figure.querySelectorAll(".point")).toHaveLength(2), { timeout: 10_000 });
    expect(container.querySelectorAll(".line")).toHaveLength(1);
  });

  it("names no band for a measure without one, and says when there are no scores yet", () => {
    render(TrendChart, { trend: { ...trend, points: [], mcid_band: null } });
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe("LEFS: no scores yet");
    expect(screen.queryByText(/shaded/)).toBeNull();
  });

});

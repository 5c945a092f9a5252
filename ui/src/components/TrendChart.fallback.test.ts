// When the plot's code cannot be loaded, the clinician still reads the scores, as text,
// instead of an empty box, and the console says why. (A file of its own: the page loads
// the plot once, and here that one load fails.)
import { afterEach, expect, it, vi } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import TrendChart from "./TrendChart.svelte";
import { lefsTrend } from "./fixtures/trend";

vi.mock("./TrendPlot.svelte", () => {
  throw new Error("the plot's code could not be read");
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

it("gives the scores as text when the plot cannot be loaded, and says why on the console", async () => {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  render(TrendChart, { trend: lefsTrend });
  const fallback = await screen.findByText(/The trend could not be drawn\./, {}, { timeout: 10_000 });
  expect(fallback.textContent).toMatch(/38 on .+, 52 on .+; MCID 9/);
  expect(logged).toHaveBeenCalledWith("the trend could not be drawn", expect.any(Error));
});

// The plan's goals: where each stands as Rust says, and a draft's word on one sent back
// as a status and a comment.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import Goals from "./Goals.svelte";
import type { GoalSummary } from "../lib/types";

const summary: GoalSummary = {
  met: 1,
  words: "1 of 2 goals met",
  goals: [
    {
      goal_id: "g1",
      term: "short",
      text: "Stairs step over step",
      target_date: null,
      status: "met",
      status_words: "met",
      assessed_on: "2026-03-30",
      comment: "one rail",
      draft: null,
    },
    {
      goal_id: "g2",
      term: "long",
      text: "Walk 1 km",
      target_date: "2026-04-27",
      status: null,
      status_words: "not yet assessed",
      assessed_on: null,
      comment: "",
      draft: { goal_id: "g2", status: "progressing", comment: "600 m" },
    },
  ],
};
const statuses = [
  { code: "progressing", words: "progressing" },
  { code: "met", words: "met" },
];

afterEach(cleanup);

describe("Goals", () => {
  it("shows where each goal stands, read only on the chart", () => {
    render(Goals, { props: { summary } });
    expect(screen.getByText("1 of 2 goals met")).toBeTruthy();
    expect(screen.getByText(/^met on /)).toBeTruthy();
    expect(screen.getByText("not yet assessed")).toBeTruthy();
    expect(screen.queryByRole("combobox")).toBeNull();
  });

  it("sends a draft's word on a goal, and takes it back", async () => {
    const said: unknown[] = [];
    render(Goals, { props: { summary, statuses, assess: (...args: unknown[]) => said.push(args) } });
    await fireEvent.change(screen.getByLabelText("This note's word on: Stairs step over step"), { target: { value: "progressing" } });
    const comment = screen.getByLabelText("Comment on: Walk 1 km") as HTMLInputElement;
    expect(comment.value).toBe("600 m");
    await fireEvent.change(comment, { target: { value: "800 m" } });
    await fireEvent.change(screen.getByLabelText("This note's word on: Walk 1 km"), { target: { value: "" } });
    expect(said).toEqual([
      ["g1", "progressing", ""],
      ["g2", "progressing", "800 m"],
      ["g2", null, "600 m"],
    ]);
  });
});

// The plan of care form: the period follows the plan's weeks until it is typed, empty goal
// rows are left out, and Rust's refusal is shown in its words.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import PlanOfCareForm from "./PlanOfCareForm.svelte";
import { addDays } from "../lib/calendar";
import { today } from "../lib/format";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("PlanOfCareForm", () => {
  it("sends the plan with its goals, the period from its weeks", async () => {
    const sent: unknown[] = [];
    let saved = 0;
    mockIPC((command, args) => {
      if (command === "code_lists") return { msp_types: [], places_of_service: [], relationships: [], goal_statuses: [], max_certification_days: 90 };
      if (command === "add_plan") {
        sent.push(args);
        return { id: "plan1" };
      }
      throw new Error(`unexpected ${command}`);
    });
    render(PlanOfCareForm, { props: { episodeId: "e1", close: () => {}, onSaved: () => (saved += 1) } });
    await new Promise((r) => setTimeout(r, 0)); // the code lists arrive
    await fireEvent.input(screen.getByLabelText("Weeks"), { target: { value: "6" } });
    await fireEvent.input(screen.getByLabelText("Goal 1"), { target: { value: "Stairs step over step" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save the plan of care" }));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([
      {
        plan: {
          episode_id: "e1",
          cert_start: today(),
          cert_end: addDays(today(), 41),
          frequency_per_week: 2,
          duration_weeks: 6,
          goals: [{ term: "short", text: "Stairs step over step", target_date: null }],
          recertifies: null,
        },
      },
    ]);
    expect(saved).toBe(1);
  });

  it("keeps the period it proposes within what Rust certifies", async () => {
    mockIPC((command) => {
      if (command === "code_lists") return { msp_types: [], places_of_service: [], relationships: [], goal_statuses: [], max_certification_days: 90 };
      throw new Error(`unexpected ${command}`);
    });
    render(PlanOfCareForm, { props: { episodeId: "e1", close: () => {}, onSaved: () => {} } });
    await new Promise((r) => setTimeout(r, 0));
    await fireEvent.input(screen.getByLabelText("Weeks"), { target: { value: "20" } });
    expect((screen.getByLabelText("to") as HTMLInputElement).value).toBe(addDays(today(), 89));
  });

  it("shows Rust's refusal in its words", async () => {
    mockIPC(() => {
      throw { kind: "invalid", message: "certification end: the certification period is 120 days; Medicare certifies at most 90" };
    });
    render(PlanOfCareForm, { props: { episodeId: "e1", close: () => {}, onSaved: () => {} } });
    await fireEvent.input(screen.getByLabelText("to"), { target: { value: addDays(today(), 119) } });
    await fireEvent.click(screen.getByRole("button", { name: "Save the plan of care" }));
    expect(await screen.findByText(/Medicare certifies at most 90/)).toBeTruthy();
  });
});

// Destructive acts wait for a person's yes: the dialog shows the question and its
// consequence, and the answer comes back to the screen that asked.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import ConfirmDialog from "./ConfirmDialog.svelte";
import { asking, confirmAct } from "../lib/confirm.svelte";

afterEach(() => {
  asking.current?.answer(false);
  cleanup();
});

describe("ConfirmDialog", () => {
  it("asks, and answers yes only when the act is confirmed", async () => {
    render(ConfirmDialog);
    const answer = confirmAct("Void claim C1?", "It will never be sent.", "Void the claim");
    expect(await screen.findByText("Void claim C1?")).toBeTruthy();
    expect(screen.getByText("It will never be sent.")).toBeTruthy();
    await fireEvent.click(screen.getByText("Void the claim"));
    expect(await answer).toBe(true);
    expect(asking.current).toBeNull();
  });

  it("keeps things as they are when told to, or when asked something else first", async () => {
    render(ConfirmDialog);
    const first = confirmAct("Write off $12.00?", "It leaves A/R.", "Write it off");
    const second = confirmAct("Cancel the visit?", "The patient is told.", "Cancel the visit");
    expect(await first).toBe(false);
    await fireEvent.click(await screen.findByText("Keep it"));
    expect(await second).toBe(false);
  });
});

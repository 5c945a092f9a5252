// A saving form's submit: a toast and the hand-over once saved; the error's words, and no
// hand-over, when the command fails.
import { afterEach, describe, expect, it } from "vitest";
import { saveAndClose } from "./submit";
import { toasts } from "./toast.svelte";

afterEach(() => {
  toasts.list = [];
});

const submit = () => new Event("submit", { cancelable: true }) as SubmitEvent;

describe("saveAndClose", () => {
  it("says what was saved and hands over once the command succeeds", async () => {
    const seen: string[] = [];
    const event = submit();
    await saveAndClose(async () => seen.push("saved"), "The hours are saved.", () => seen.push("closed"), (m) => seen.push(m))(event);
    expect(event.defaultPrevented).toBe(true);
    expect(seen).toEqual(["saved", "closed"]);
    expect(toasts.list.map((t) => t.message)).toEqual(["The hours are saved."]);
  });

  it("keeps the form open with the error's words when the command fails", async () => {
    const seen: string[] = [];
    const refused = { kind: "invalid", message: "the clinic must close after it opens" };
    await saveAndClose(() => Promise.reject(refused), "The hours are saved.", () => seen.push("closed"), (m) => seen.push(m))(submit());
    expect(seen).toEqual(["the clinic must close after it opens"]);
    expect(toasts.list).toEqual([]);
  });
});

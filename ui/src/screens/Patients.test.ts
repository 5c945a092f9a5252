// Finding a patient with the IPC mocked: the search answers as the clinician types, and
// the field's own Clear button (WebKit's is hidden, app.css says why) and Escape empty it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Patients from "./Patients.svelte";
import type { Patient } from "../lib/types";

const lee: Patient = {
  id: "p1",
  mrn: "MRN-0001",
  first_name: "Ann",
  last_name: "Lee",
  dob: "1950-04-12",
  sex: null,
  phone: "555-0100",
  email: null,
  address: null,
  city: null,
  state: null,
  zip: null,
  outside_therapy_year: null,
  outside_therapy_cents: 0,
};

afterEach(() => {
  cleanup();
  clearMocks();
});

/** The search field after `text` is typed, its answer shown. */
async function searchFor(text: string): Promise<HTMLInputElement> {
  mockIPC((command, args) => {
    if (command === "search_patients") return (args as { text: string }).text === "lee" ? [lee] : [];
    throw new Error(`unexpected ${command}`);
  });
  render(Patients, { props: { openChart: () => {} } });
  const field = screen.getByRole<HTMLInputElement>("searchbox", { name: /Name, date of birth/ });
  await fireEvent.input(field, { target: { value: text } });
  return field;
}

describe("Patients", () => {
  it("shows no Clear button until something is typed", () => {
    render(Patients, { props: { openChart: () => {} } });
    expect(screen.queryByRole("button", { name: "Clear the search" })).toBeNull();
  });

  it("empties the search and its results with the Clear button, the caret back in the field", async () => {
    const field = await searchFor("lee");
    expect(await screen.findByText("Lee, Ann")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Clear the search" }));
    expect(field.value).toBe("");
    expect(screen.queryByText("Lee, Ann")).toBeNull();
    expect(screen.queryByRole("button", { name: "Clear the search" })).toBeNull();
    expect(document.activeElement).toBe(field);
  });

  it("empties the search with Escape, and says when nothing matches before that", async () => {
    const field = await searchFor("nobody");
    expect(await screen.findByText('No patient matches "nobody".')).toBeTruthy();

    await fireEvent.keyDown(field, { key: "Escape" });
    expect(field.value).toBe("");
    expect(screen.queryByText(/No patient matches/)).toBeNull();
  });

  it("drops an answer that comes back after the field was cleared or typed on", async () => {
    // Each search waits here until the test answers it.
    const asked: { text: string; answer: (found: Patient[]) => void }[] = [];
    mockIPC((command, args) => {
      if (command !== "search_patients") throw new Error(`unexpected ${command}`);
      return new Promise<Patient[]>((answer) => asked.push({ text: (args as { text: string }).text, answer }));
    });
    render(Patients, { props: { openChart: () => {} } });
    const field = screen.getByRole<HTMLInputElement>("searchbox", { name: /Name, date of birth/ });
    const settled = () => new Promise((done) => setTimeout(done, 0));

    // Cleared before its answer came: the late answer shows nothing.
    await fireEvent.input(field, { target: { value: "lee" } });
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    await fireEvent.click(screen.getByRole("button", { name: "Clear the search" }));
    asked[0]!.answer([lee]);
    await settled();
    expect(screen.queryByText("Lee, Ann")).toBeNull();

    // Typed on: the answer to "le" (asked first; the app asks one thing at a time) is not
    // shown once the field says "lee", and the answer to "lee" is.
    await fireEvent.input(field, { target: { value: "le" } });
    await fireEvent.input(field, { target: { value: "lee" } });
    await vi.waitFor(() => expect(asked.map((a) => a.text)).toEqual(["lee", "le"]));
    asked[1]!.answer([{ ...lee, id: "p2", first_name: "Bo" }]);
    await vi.waitFor(() => expect(asked.map((a) => a.text)).toEqual(["lee", "le", "lee"]));
    expect(screen.queryByText("Lee, Bo")).toBeNull();
    asked[2]!.answer([lee]);
    expect(await screen.findByText("Lee, Ann")).toBeTruthy();
  });
});

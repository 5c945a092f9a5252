// The note editor with the IPC mocked: what a clinician typed into the intervention form
// or an addendum is emptied only once Rust has taken it; a refusal keeps it to be mended.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import NoteEditor from "./NoteEditor.svelte";
import type { NoteScreen, NoteView } from "../lib/contract";

const draft: NoteView = {
  id: "n1",
  episode_id: "e1",
  patient_id: "p1",
  kind: "daily",
  date_of_service: "2026-12-03",
  author_id: "u1",
  status: "draft",
  subjective: "",
  objective: "",
  assessment: "",
  plan: "",
  eval_complexity: null,
  total_treatment_minutes: null,
  place_of_service: null,
  services: [],
  distinct_pairs: [],
  flowsheet: [],
  goals: [],
  charge_lines: [],
  signed_by: null,
  signed_at: null,
  content_hash: null,
  hash_verified: null,
  cosign_required: false,
  cosigned_by: null,
  cosigned_at: null,
  addenda: [],
};

const screenOf = (note: NoteView): NoteScreen => ({
  note,
  billing: null,
  billing_error: null,
  alerts: [],
  diagnoses: [],
  treats: [],
  previous: null,
  reports_progress: false,
  goals: { goals: [], met: 0, words: "" },
});

/** The IPC of an editor on `note`, with `command` answered by `answer`. */
function mockEditor(note: NoteView, command: string, answer: () => NoteScreen) {
  mockIPC((asked) => {
    if (asked === "note") return screenOf(note);
    if (asked === "code_lists") return { places_of_service: [], goal_statuses: [] };
    if (asked === "quick_texts") return [];
    if (asked === "patient_banner") throw { kind: "not_found", message: "not in this test" };
    if (asked === "status") return null;
    if (asked === command) return answer();
    throw new Error(`unexpected ${asked}`);
  });
}

const field = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement;

async function typeService(code: string, minutes: string) {
  await fireEvent.input(field("service-code"), { target: { value: code } });
  await fireEvent.input(field("service-minutes"), { target: { value: minutes } });
  await fireEvent.click(screen.getByRole("button", { name: "Add" }));
}

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("NoteEditor", () => {
  it("keeps an intervention Rust refused, with the reason, and empties the form for the next once one is taken", async () => {
    let refuse = true;
    mockEditor(draft, "set_service", () => {
      if (refuse) throw { kind: "coding", message: "97999 is not a code this clinic bills." };
      return screenOf({ ...draft, services: [{ code: "97110", minutes: 23, pta_minutes: 0, diagnoses: [] }] });
    });
    render(NoteEditor, { props: { noteId: "n1", back: () => {}, onSaved: () => {} } });
    await screen.findByText("Interventions and billing");

    await typeService("97999", "23");
    expect(await screen.findByText("97999 is not a code this clinic bills.")).toBeTruthy();
    expect(field("service-code").value).toBe("97999");
    expect(field("service-minutes").value).toBe("23");

    refuse = false;
    await typeService("97110", "23");
    expect(await screen.findByRole("table")).toBeTruthy();
    expect(field("service-code").value).toBe("");
    expect(field("service-minutes").value).toBe("");
    // The caret goes back to the code, for the next intervention.
    await waitFor(() => expect(document.activeElement).toBe(field("service-code")));
  });

  it("keeps an addendum's words when Rust refuses it, and empties the field once it is signed", async () => {
    const signed: NoteView = { ...draft, status: "signed", signed_by: "u1", signed_at: "2026-12-03T15:00:00Z", content_hash: "ab", hash_verified: true };
    let refuse = true;
    mockEditor(signed, "add_addendum", () => {
      if (refuse) throw { kind: "storage", message: "The chart could not be written: the disk is full." };
      return screenOf({ ...signed, addenda: [{ id: "a1", author_id: "u1", text: "Pain 2/10 by phone.", signed_at: "2026-12-03T16:00:00Z", content_hash: "cd" }] });
    });
    render(NoteEditor, { props: { noteId: "n1", back: () => {}, onSaved: () => {} } });
    const words = (await screen.findByLabelText("Addendum")) as HTMLTextAreaElement;

    await fireEvent.input(words, { target: { value: "Pain 2/10 by phone." } });
    await fireEvent.click(screen.getByRole("button", { name: "Sign addendum" }));
    expect(await screen.findByText("The chart could not be written: the disk is full.")).toBeTruthy();
    expect(words.value).toBe("Pain 2/10 by phone.");

    refuse = false;
    await fireEvent.click(screen.getByRole("button", { name: "Sign addendum" }));
    expect(await screen.findByText(/Pain 2\/10 by phone\./, { selector: ".addendum" })).toBeTruthy();
    expect(words.value).toBe("");
  });
});

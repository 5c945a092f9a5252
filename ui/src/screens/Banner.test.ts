// The patient banner with the IPC mocked: it lays out what Rust says, and flags what a
// clinician must not miss.
import { afterEach, describe, expect, it } from "vitest";
import { tick } from "svelte";
import { cleanup, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Banner from "./Banner.svelte";
import BannerOnASavedNote from "./fixtures/BannerOnASavedNote.svelte";
import type { PatientBanner } from "../lib/types";

const walter: PatientBanner = {
  patient_id: "p1",
  name: "Walter Pruitt",
  dob: "1958-02-17",
  age: 68,
  sex: "male",
  mrn: "S000064",
  payer: "Summit Employer Health Plan, member SEP5521007",
  allergies: "Penicillin",
  precautions: null,
  episode: {
    episode_id: "e1",
    diagnoses: [{ code: "M17.11", description: "Unilateral primary osteoarthritis, right knee" }],
    visit: 7,
    visit_words: "Visit 7 of 12 authorized",
    certification: "Plan of care expired Nov 16, 2026",
    certification_due: true,
  },
};

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("Banner", () => {
  it("asks Rust for the patient and episode it shows, and shows its words", async () => {
    const asked: unknown[] = [];
    mockIPC((command, args) => {
      asked.push([command, args]);
      if (command === "patient_banner") return walter;
      throw new Error(`unexpected ${command}`);
    });
    render(Banner, { props: { patientId: "p1", episodeId: "e1", headingId: "chart-heading" } });
    const heading = await screen.findByRole("heading", { name: "Walter Pruitt" });
    expect(heading.id).toBe("chart-heading");
    expect(asked).toEqual([["patient_banner", { patientId: "p1", episodeId: "e1" }]]);
    expect(screen.getByText(/68 years · born Feb 17, 1958 · male · MRN S000064/)).toBeTruthy();
    expect(screen.getByText("Visit 7 of 12 authorized")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Diagnoses" }).textContent).toContain("M17.11 Unilateral primary osteoarthritis, right knee");
    // What needs attention is flagged; "none recorded" precautions are not.
    expect(screen.getByText("Allergies: Penicillin").classList.contains("flag")).toBe(true);
    expect(screen.getByText("Plan of care expired Nov 16, 2026").classList.contains("flag")).toBe(true);
    expect(screen.getByText("Precautions: none recorded").classList.contains("flag")).toBe(false);
  });

  it("says allergies were never asked, apart from none known", async () => {
    mockIPC(() => ({ ...walter, allergies: null, episode: null }));
    render(Banner, { props: { patientId: "p1" } });
    const allergies = await screen.findByText("Allergies: not recorded");
    expect(allergies.classList.contains("missing")).toBe(true);
    expect(screen.queryByText(/Visit/)).toBeNull();
  });

  it("is read once per patient, not again each time the note under it is saved", async () => {
    const asked: unknown[] = [];
    mockIPC((command, args) => {
      asked.push(args);
      return { ...walter, patient_id: (args as { patientId: string }).patientId };
    });
    const { rerender } = render(BannerOnASavedNote, { props: { saves: 0 } });
    await screen.findByText("Walter Pruitt");
    await rerender({ saves: 1 });
    await rerender({ saves: 2 });
    await tick();
    expect(asked).toEqual([{ patientId: "p1", episodeId: "e1" }]);
    // Another patient is read at once.
    await rerender({ saves: 3, patientId: "p2" });
    await tick();
    expect(asked).toEqual([
      { patientId: "p1", episodeId: "e1" },
      { patientId: "p2", episodeId: "e1" },
    ]);
  });

  it("shows a command's error in words", async () => {
    mockIPC(() => {
      throw { kind: "locked", message: "sign in to continue" };
    });
    render(Banner, { props: { patientId: "p1" } });
    expect((await screen.findByRole("alert")).textContent).toBe("sign in to continue");
  });
});

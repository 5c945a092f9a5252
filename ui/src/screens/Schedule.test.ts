// The schedule with the IPC mocked: a clinician's own day first, the whole clinic by
// therapist columns, a week by day, and a recurring series whose clash is shown before
// anything is booked.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Schedule from "./Schedule.svelte";
import type { ScheduleRow, ScheduleView } from "../lib/types";
import { weekdayId } from "../lib/calendar";
import { today } from "../lib/format";

const visit = (id: string, who: string, therapistId: string, therapist: string, startsAt: string): ScheduleRow => ({
  appointment: { id, patient_id: `p-${id}`, episode_id: "e", therapist_id: therapistId, starts_at: startsAt, minutes: 45, status: "scheduled", series_id: null },
  patient_name: who,
  alert: null,
  therapist,
  note: "no note yet",
  movable: true,
  steps: [
    { to: "arrived", label: "Check in", destructive: false },
    { to: "no_show", label: "No-show", destructive: false },
    { to: "cancelled", label: "Cancel visit", destructive: true },
  ],
  status_words: "booked",
});

const day: ScheduleView = {
  first: "2026-12-07",
  last: "2026-12-07",
  clinicians: [
    { id: "maria", name: "maria" },
    { id: "rivera", name: "rivera" },
  ],
  me: "maria",
  hours: { opens_at: "07:00", closes_at: "19:00", open_days: [1, 2, 3, 4, 5] },
  closed: [],
  rows: [visit("a1", "Ann Lee", "maria", "maria", "2026-12-07T09:00"), visit("a2", "Bob Stone", "rivera", "rivera", "2026-12-07T10:00")],
};

afterEach(() => {
  cleanup();
  clearMocks();
});

const props = { openChart: () => {}, openNote: () => {} };

describe("Schedule", () => {
  it("opens on the clinician's own day, and shows the whole clinic by therapist on request", async () => {
    mockIPC((command) => {
      if (command === "schedule") return day;
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props });
    expect(await screen.findByRole("heading", { name: "My schedule" })).toBeTruthy();
    expect(screen.getByRole("region", { name: /maria: 1 visits/ })).toBeTruthy();
    expect(screen.queryByText("Bob Stone")).toBeNull();

    await fireEvent.change(screen.getByLabelText("Whose visits"), { target: { value: "" } });
    expect(await screen.findByText("Bob Stone")).toBeTruthy();
    expect(screen.getByRole("region", { name: /rivera: 1 visits/ })).toBeTruthy();
  });

  it("asks Rust for seven days in the week view, from Monday", async () => {
    const asked: unknown[] = [];
    mockIPC((command, args) => {
      if (command === "schedule") {
        asked.push(args);
        return day;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props });
    await screen.findByRole("heading", { name: "My schedule" });
    await fireEvent.click(screen.getByRole("button", { name: "Week" }));
    const last = asked[asked.length - 1] as { query: { first: string; days: number } };
    expect(last.query.days).toBe(7);
    expect(new Date(`${last.query.first}T12:00`).getDay()).toBe(1);
  });

  it("shows a series' clash before booking, and books the rest only when asked", async () => {
    const asked: [string, unknown][] = [];
    mockIPC((command, args) => {
      asked.push([command, args]);
      if (command === "schedule") return day;
      if (command === "search_patients") return [{ id: "p9", first_name: "Cy", last_name: "Ng", mrn: "S000009", dob: "1980-01-01", phone: null }];
      if (command === "plan_series")
        return {
          clashing: 1,
          visits: [
            { starts_at: "2026-12-07T09:00", clashes: ["Ann Lee with maria at 09:00"] },
            { starts_at: "2026-12-10T09:00", clashes: [] },
          ],
        };
      if (command === "book_series") return { series_id: "s1", booked: [], skipped: ["2026-12-07T09:00"] };
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props });
    await screen.findByRole("heading", { name: "My schedule" });
    await fireEvent.click(screen.getAllByRole("button", { name: "Book visits" })[0]!);
    await fireEvent.input(screen.getByLabelText("Patient"), { target: { value: "ng" } });
    await fireEvent.click(await screen.findByRole("button", { name: /Ng, Cy/ }));
    // Repeating on the day shown, the schedule's day (today).
    await fireEvent.click(screen.getByLabelText("Repeats weekly"));
    await fireEvent.click(screen.getByRole("button", { name: "Check the times" }));
    const plan = await screen.findByLabelText("Visits to book");
    expect(within(plan).getByText(/clashes with Ann Lee with maria at 09:00/)).toBeTruthy();
    await fireEvent.click(within(plan).getByRole("button", { name: "Book 1, leave out the 1 clashing" }));
    const booked = asked.find(([c]) => c === "book_series");
    expect(booked?.[1]).toMatchObject({ skipClashes: true, request: { patient_id: "p9", therapist_id: "maria", weekdays: [weekdayId(today())] } });
  });

  it("offers the steps Rust gives a visit, and sends the one chosen", async () => {
    const arrived: ScheduleRow = {
      ...visit("a1", "Ann Lee", "maria", "maria", "2026-12-07T09:00"),
      steps: [{ to: "scheduled", label: "Undo check-in", destructive: false }],
      status_words: "arrived",
      movable: false,
    };
    const sent: unknown[] = [];
    mockIPC((command, args) => {
      if (command === "schedule") return { ...day, rows: [arrived] };
      if (command === "set_appointment_status") {
        sent.push(args);
        return null;
      }
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props });
    await screen.findByText("Ann Lee");
    expect(screen.queryByRole("button", { name: "Check in" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Cancel visit" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Undo check-in" }));
    expect(sent).toEqual([{ id: "a1", status: "scheduled" }]);
  });

  it("says when the clinic is closed, and lets an administrator change its hours", async () => {
    const sent: unknown[] = [];
    mockIPC((command, args) => {
      // Rust says which of the days asked for the clinic is closed.
      if (command === "schedule") return { ...day, rows: [], closed: [{ day: "2026-12-12", reason: null }] };
      if (command === "clinic_closures") return [];
      if (command === "set_clinic_hours") {
        sent.push(args);
        return { opens_at: "08:00", closes_at: "19:00", open_days: [1, 2, 3, 4, 5, 6] };
      }
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props: { ...props, admin: true } });
    await screen.findByRole("heading", { name: "My schedule" });
    expect(screen.getByText(/open Mon–Fri/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Day"), { target: { value: "2026-12-12" } });
    expect(await screen.findByText(/The clinic is closed on Sat/)).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Change the hours" }));
    await fireEvent.input(screen.getByLabelText("Opens"), { target: { value: "08:00" } });
    await fireEvent.click(screen.getByLabelText("Sat"));
    await fireEvent.click(screen.getByRole("button", { name: "Save hours" }));
    expect(sent).toEqual([{ opensAt: "08:00", closesAt: "19:00", openDays: [1, 2, 3, 4, 5, 6] }]);
  });

  it("names a holiday where Rust says the clinic is closed, and closes another day", async () => {
    const sent: unknown[] = [];
    let closures = [{ day: "2026-12-25", reason: "Christmas Day" }];
    mockIPC((command, args) => {
      if (command === "schedule") return { ...day, rows: [], closed: [{ day: "2026-12-25", reason: "Christmas Day" }] };
      if (command === "clinic_closures") return closures;
      if (command === "close_clinic_on") {
        sent.push(args);
        closures = [...closures, { day: "2026-12-31", reason: "Staff training day" }];
        return { closure: closures[1], booked: 2 };
      }
      throw new Error(`unexpected ${command}`);
    });
    render(Schedule, { props: { ...props, admin: true } });
    await screen.findByRole("heading", { name: "My schedule" });
    await fireEvent.input(screen.getByLabelText("Day"), { target: { value: "2026-12-25" } });
    expect(await screen.findByText(/The clinic is closed on Fri, Dec 25: Christmas Day/)).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Change the hours" }));
    expect(await screen.findByText(/Christmas Day/, { selector: "#closures li" })).toBeTruthy();
    await fireEvent.input(document.getElementById("closure-day")!, { target: { value: "2026-12-31" } });
    await fireEvent.input(document.getElementById("closure-reason")!, { target: { value: "Staff training day" } });
    await fireEvent.click(screen.getByRole("button", { name: "Close the clinic that day" }));
    expect(sent).toEqual([{ day: "2026-12-31", reason: "Staff training day" }]);
    expect(await screen.findByText(/Staff training day/, { selector: "#closures li" })).toBeTruthy();
  });
});

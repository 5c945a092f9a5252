// The biller's screen with the IPC mocked: which claims count as open, and the statuses
// the filter offers, are Rust's (BillingView.open_statuses and .statuses), not the page's.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Billing from "./Billing.svelte";
import type { ArReport, BillingView, ClaimStatus, ClaimSummary } from "../lib/types";

afterEach(() => clearMocks());

const claim = (id: string, patient: string, status: ClaimStatus): ClaimSummary => ({
  id,
  control_number: `C${id}`,
  patient_id: `p${id}`,
  patient_name: patient,
  payer_id: "y1",
  payer_name: "Medicare Part B",
  responsibility: 1,
  status,
  rendering_id: "u1",
  service_from: "2026-11-02",
  service_to: "2026-11-02",
  charge_cents: 12_000,
  paid_cents: 0,
  written_off_cents: 0,
  patient_resp_cents: 0,
  balance_cents: 12_000,
  submitted_on: null,
});

const nothing = { "0-30": 0, "31-60": 0, "61-90": 0, "90+": 0, total: 0 };
const ar: ArReport = { as_of: "2026-12-04", payers: [], total: nothing, patients: [], refunds: [] };

describe("Billing", () => {
  it("lists the claims Rust calls open, and filters by the statuses Rust lists", async () => {
    const view: BillingView = {
      claims: [claim("1", "Ann Lee", "draft"), claim("2", "Bo Diaz", "paid"), claim("3", "Cy Park", "appealed")],
      statuses: ["draft", "paid", "appealed"],
      // Not the real lifecycle: the screen must follow whatever Rust says.
      open_statuses: ["draft"],
      denials: [],
      ar,
    };
    mockIPC((command) => {
      if (command === "billing") return view;
      if (command === "production") return [];
      if (command === "billing_setup") return null;
      throw new Error(`unexpected ${command}`);
    });
    render(Billing, { props: { openChart: () => {}, openNote: () => {}, demo: false } });
    expect(await screen.findByText("Ann Lee")).toBeTruthy();
    const table = document.getElementById("claims")!;
    expect(within(table).queryByText("Bo Diaz")).toBeNull();
    expect(within(table).queryByText("Cy Park")).toBeNull();

    const filter = screen.getByLabelText("Claims") as HTMLSelectElement;
    const options = [...filter.options].map((o) => o.value);
    expect(options).toEqual(["open", "draft", "paid", "appealed"]);
    await fireEvent.change(filter, { target: { value: "appealed" } });
    expect(await within(table).findByText("Cy Park")).toBeTruthy();
    expect(within(table).queryByText("Ann Lee")).toBeNull();
  });
});

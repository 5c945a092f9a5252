// The insurance panel with the IPC mocked: the Medicare Secondary Payer question appears
// only on the coverage Rust says needs it, with Rust's code list, and a choice is saved.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Insurance from "./Insurance.svelte";
import type { CodeLists, InsuranceView, Payer } from "../lib/types";

const lists: CodeLists = {
  msp_types: [{ code: "12", words: "working aged" }],
  places_of_service: [],
  relationships: [{ code: "child", words: "child of the insured" }],
  goal_statuses: [],
  max_certification_days: 90,
};

afterEach(() => clearMocks());

const payer = (id: string, name: string, medicare: boolean): Payer => ({
  id,
  name,
  method: medicare ? "cms" : "ama",
  medicare,
  cq_applies: medicare,
  kx_applies: medicare,
  progress_interval_visits: 10,
  block_sign_when_overdue: false,
  pta_cosign_required: false,
});

describe("Insurance", () => {
  it("asks for the MSP type only where Rust says a claim needs it, and saves it", async () => {
    const saved: unknown[] = [];
    const view: InsuranceView = {
      terms: { c1: { insured: null, msp_type: null }, c2: { insured: null, msp_type: null } },
      msp_asked: ["c2"],
      qmb: false,
      authorizations: {},
    };
    mockIPC((command, args) => {
      if (command === "insurance") return view;
      if (command === "code_lists") return lists;
      if (command === "set_msp_type") return saved.push(args);
      throw new Error(`unexpected ${command}`);
    });
    render(Insurance, {
      props: {
        patientId: "p1",
        coverages: [
          { id: "c1", payer_id: "y1", member_id: "SEP1", group_no: null, priority: 1 },
          { id: "c2", payer_id: "y2", member_id: "1EG4", group_no: null, priority: 2 },
        ],
        episodes: [],
        payers: [payer("y1", "Summit Employer Health Plan", false), payer("y2", "Medicare Part B", true)],
      },
    });
    const select = (await screen.findByLabelText(/Medicare Secondary Payer type/)) as HTMLSelectElement;
    expect(select.id).toBe("msp-c2");
    expect(document.getElementById("msp-c1")).toBeNull();
    expect(screen.getByText("12: working aged")).toBeTruthy();
    select.value = "12";
    await fireEvent.change(select);
    await vi.waitFor(() => expect(saved).toEqual([{ coverageId: "c2", mspType: "12" }]));
  });
});

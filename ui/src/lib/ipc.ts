// The one place that calls Tauri's `invoke`: every command, typed.
import { invoke } from "@tauri-apps/api/core";
import type {
  Alert,
  Appointment,
  AppointmentStatus,
  BillingProfile,
  BillingSetup,
  DiagnosisOption,
  BillingView,
  BuildReport,
  ClaimScreen,
  ClaimStatus,
  ClinicHours,
  Closure,
  ClosureMade,
  ExportView,
  ImportReport,
  PostalAddress,
  ProductionRow,
  ChartView,
  SyncIssuesView,
  CodeLists,
  CommandError,
  DeskStatus,
  Insured,
  InsuranceView,
  NewAuthorization,
  PatientBanner,
  Episode,
  FlowsheetRow,
  GoalStatus,
  NewPlan,
  Plan,
  Answers,
  MeasureForm,
  MeasureHistory,
  NoteEdit,
  NoteScreen,
  Patient,
  Payer,
  PayerBilling,
  ScheduleQuery,
  ScheduleView,
  SeriesPlanView,
  SeriesRequest,
  BookedSeries,
  QuickText,
  QuickTextUse,
  ScoreView,
  User,
} from "./types";

/** An error as a screen sees it: a CommandError from Rust, or, for a failure that did
 * not come from Rust (the bridge itself), the kind "unknown". */
export type ScreenError = CommandError | { kind: "unknown"; message: string };

/** Turns whatever a command threw into a ScreenError. */
export function asCommandError(e: unknown): ScreenError {
  if (typeof e === "object" && e !== null && "kind" in e && "message" in e) {
    return e as CommandError;
  }
  return { kind: "unknown", message: String(e) };
}

// Commands run off the window's main thread in Rust, so two of them could finish in
// either order; they are sent one after another, in the order the screens ask, so that a
// note's last autosave always lands before its signature.
let queue: Promise<unknown> = Promise.resolve();
function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const answer = queue.then(() => invoke<T>(command, args));
  queue = answer.catch(() => undefined);
  answer.catch((e: unknown) => {
    if (asCommandError(e).kind === "locked") onLocked();
  });
  return answer;
}

let onLocked: () => void = () => {};
/** What to do when a command finds the screen locked (Rust locks it after idle time). */
export function whenLocked(f: () => void): void {
  onLocked = f;
}

/** A command whose answer never changes while the app runs: fetched once and shared by
 * every caller; a failure is not kept, so the next caller asks again. */
function once<T>(command: string): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () =>
    (answer ??= call<T>(command).catch((e: unknown) => {
      answer = undefined;
      throw e;
    }));
}

export const ipc = {
  status: () => call<DeskStatus>("status"),
  createClinic: (clinic: { clinic: string; name: string; password: string; passphrase?: string }) =>
    call<User>("create_clinic", { clinic }),
  unlockChart: (passphrase?: string) => call<void>("unlock_chart", { passphrase }),
  openDemo: () => call<User>("open_demo"),
  joinClinic: (join: { server: string; name: string; password: string; device_name: string; passphrase?: string }) =>
    call<User>("join_clinic", { join }),
  syncNow: () => call<void>("sync_now"),
  syncIssues: () => call<SyncIssuesView>("sync_issues"),
  resolveSyncIssue: (issueId: string, useOther: boolean) => call<void>("resolve_sync_issue", { issueId, useOther }),
  signIn: (name: string, password: string) => call<User>("sign_in", { name, password }),
  lock: () => call<void>("lock"),
  stillHere: () => call<void>("still_here"),
  unlockWithPin: (pin: string) => call<User>("unlock_with_pin", { pin }),
  setPin: (pin: string) => call<void>("set_pin", { pin }),
  schedule: (query: ScheduleQuery = {}) => call<ScheduleView>("schedule", { query }),
  bookAppointment: (patientId: string, episodeId: string | null, startsAt: string, minutes: number, therapistId: string | null = null) =>
    call<Appointment>("book_appointment", { patientId, episodeId, therapistId, startsAt, minutes }),
  planSeries: (request: SeriesRequest) => call<SeriesPlanView>("plan_series", { request }),
  bookSeries: (request: SeriesRequest, skipClashes: boolean) => call<BookedSeries>("book_series", { request, skipClashes }),
  cancelSeries: (seriesId: string, from: string) => call<number>("cancel_series", { seriesId, from }),
  quickTexts: () => call<QuickText[]>("quick_texts"),
  addQuickText: (usedAs: QuickTextUse, text: string) => call<QuickText[]>("add_quick_text", { usedAs, text }),
  retireQuickText: (id: string) => call<QuickText[]>("retire_quick_text", { id }),
  moveAppointment: (id: string, startsAt: string, therapistId: string | null = null) =>
    call<Appointment>("move_appointment", { id, startsAt, therapistId }),
  setClinicHours: (opensAt: string, closesAt: string, openDays: number[]) =>
    call<ClinicHours>("set_clinic_hours", { opensAt, closesAt, openDays }),
  clinicClosures: () => call<Closure[]>("clinic_closures"),
  closeClinicOn: (day: string, reason: string) => call<ClosureMade>("close_clinic_on", { day, reason }),
  reopenClinicOn: (day: string) => call<void>("reopen_clinic_on", { day }),
  setAppointmentStatus: (id: string, status: AppointmentStatus) => call<void>("set_appointment_status", { id, status }),
  searchPatients: (text: string) => call<Patient[]>("search_patients", { text }),
  addPatient: (patient: { first_name: string; last_name: string; dob: string; phone?: string }) =>
    call<Patient>("add_patient", { patient }),
  payers: () => call<Payer[]>("payers"),
  addPayer: (name: string, method: string) => call<Payer>("add_payer", { name, method }),
  addEpisode: (episode: { patient_id: string; payer_id: string; diagnoses: string[]; start_date?: string }) =>
    call<Episode>("add_episode", { episode }),
  patientChart: (patientId: string) => call<ChartView>("patient_chart", { patientId }),
  createNote: (episodeId: string, kind: string, date: string) =>
    call<NoteScreen>("create_note", { episodeId, kind, date }),
  openVisitNote: (appointmentId: string) => call<NoteScreen>("open_visit_note", { appointmentId }),
  note: (id: string) => call<NoteScreen>("note", { id }),
  saveNote: (id: string, edit: NoteEdit) => call<NoteScreen>("save_note", { id, edit }),
  setService: (id: string, code: string, minutes: number, ptaMinutes?: number) =>
    call<NoteScreen>("set_service", { id, code, minutes, ptaMinutes }),
  setFlowsheet: (id: string, rows: FlowsheetRow[]) => call<NoteScreen>("set_flowsheet", { id, rows }),
  addPlan: (plan: NewPlan) => call<Plan>("add_plan", { plan }),
  certifyPlan: (planId: string, signedOn: string, method: "signed" | "verbal") =>
    call<Plan>("certify_plan", { planId, signedOn, method }),
  assessGoal: (id: string, goalId: string, status: GoalStatus | null, comment: string) =>
    call<NoteScreen>("assess_goal", { id, goalId, status, comment }),
  setServiceDiagnoses: (id: string, code: string, pointers: number[]) =>
    call<NoteScreen>("set_service_diagnoses", { id, code, pointers }),
  removeService: (id: string, code: string) => call<NoteScreen>("remove_service", { id, code }),
  setDistinctPair: (id: string, first: string, second: string, distinct: boolean) =>
    call<NoteScreen>("set_distinct_pair", { id, first, second, distinct }),
  signNote: (id: string) => call<NoteScreen>("sign_note", { id }),
  cosignNote: (id: string) => call<NoteScreen>("cosign_note", { id }),
  addAddendum: (id: string, text: string) => call<NoteScreen>("add_addendum", { id, text }),
  alerts: () => call<Alert[]>("alerts"),
  /** The measure definitions, fetched once. */
  measureForms: once<MeasureForm[]>("measure_forms"),
  scoreMeasure: (measureId: string, answers: Answers) => call<ScoreView>("score_measure", { measureId, answers }),
  recordMeasure: (episodeId: string, measureId: string, date: string, answers: Answers) =>
    call<MeasureHistory>("record_measure", { episodeId, measureId, date, answers }),
  measureHistory: (episodeId: string, measureId: string) =>
    call<MeasureHistory>("measure_history", { episodeId, measureId }),
  billing: () => call<BillingView>("billing"),
  buildClaims: (from: string, to: string) => call<BuildReport>("build_claims", { from, to }),
  claim: (id: string) => call<ClaimScreen>("claim", { id }),
  markClaimsReady: (ids: string[]) => call<[string, string][]>("mark_claims_ready", { ids }),
  setClaimStatus: (id: string, from: ClaimStatus, to: ClaimStatus, reason?: string) =>
    call<void>("set_claim_status", { id, from, to, reason }),
  editClaimLine: (
    id: string,
    position: number,
    edit: { units?: number; modifiers?: string[]; dx_pointers?: number[]; description?: string },
  ) =>
    call<ClaimScreen>("edit_claim_line", { id, position, edit }),
  rebuildClaim: (id: string) => call<BuildReport>("rebuild_claim", { id }),
  export837: () => call<ExportView>("export_837"),
  import835: (contents: string) => call<ImportReport>("import_835", { contents }),
  resolveDenial: (id: string, status: string) => call<void>("resolve_denial", { id, status }),
  superbill: (patientId: string, from: string, to: string) => call<string>("superbill", { patientId, from, to }),
  demoRemittance: () => call<string>("demo_remittance"),
  production: (from: string, to: string) => call<ProductionRow[]>("production", { from, to }),
  billingSetup: () => call<BillingSetup>("billing_setup"),
  setBillingProfile: (profile: BillingProfile) => call<void>("set_billing_profile", { profile }),
  setClinicFee: (code: string, cents: number) => call<void>("set_clinic_fee", { code, cents }),
  setPayerBilling: (payerId: string, billing: PayerBilling) => call<void>("set_payer_billing", { payerId, billing }),
  setPatientAddress: (patientId: string, address: PostalAddress) => call<void>("set_patient_address", { patientId, address }),
  searchDiagnoses: (text: string) => call<DiagnosisOption[]>("search_diagnoses", { text }),
  setOutsideTherapy: (patientId: string, year: number, cents: number) =>
    call<void>("set_outside_therapy", { patientId, year, cents }),
  setUserNpi: (userId: string, npi: string) => call<void>("set_user_npi", { userId, npi }),
  /** The code lists of the insurance and note forms, fetched once. */
  codeLists: once<CodeLists>("code_lists"),
  insurance: (patientId: string) => call<InsuranceView>("insurance", { patientId }),
  setCoverageInsured: (coverageId: string, insured: Insured | null) =>
    call<void>("set_coverage_insured", { coverageId, insured }),
  setMspType: (coverageId: string, mspType: string | null) => call<void>("set_msp_type", { coverageId, mspType }),
  setQmb: (patientId: string, qmb: boolean) => call<void>("set_qmb", { patientId, qmb }),
  addAuthorization: (episodeId: string, authorization: NewAuthorization) =>
    call<void>("add_authorization", { episodeId, authorization }),
  patientBanner: (patientId: string, episodeId: string | null) =>
    call<PatientBanner>("patient_banner", { patientId, episodeId }),
  setPatientSafety: (patientId: string, allergies: string | null, precautions: string | null) =>
    call<void>("set_patient_safety", { patientId, allergies, precautions }),
  setPlaceOfService: (id: string, place: string | null) => call<NoteScreen>("set_place_of_service", { id, place }),
};

// The one place that calls Tauri's `invoke`: every command, typed.
import { invoke } from "@tauri-apps/api/core";
import type {
  Alert,
  Appointment,
  BillingProfile,
  BillingSetup,
  DiagnosisOption,
  BillingView,
  BuildReport,
  ClaimScreen,
  ClaimStatus,
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
  ItemAnswers,
  MeasureForm,
  MeasureResult,
  NoteEdit,
  NoteScreen,
  Patient,
  Payer,
  PayerBilling,
  ScheduleRow,
  ScoreView,
  User,
} from "./types";

/** Turns whatever a command threw into a CommandError. */
export function asCommandError(e: unknown): CommandError {
  if (typeof e === "object" && e !== null && "kind" in e && "message" in e) {
    return e as CommandError;
  }
  return { kind: "unknown", message: String(e) };
}

/** A command whose answer never changes while the app runs: fetched once and shared by
 * every caller; a failure is not kept, so the next caller asks again. */
function once<T>(command: string): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () =>
    (answer ??= invoke<T>(command).catch((e: unknown) => {
      answer = undefined;
      throw e;
    }));
}

export const ipc = {
  status: () => invoke<DeskStatus>("status"),
  createClinic: (clinic: { clinic: string; name: string; password: string; passphrase?: string }) =>
    invoke<User>("create_clinic", { clinic }),
  unlockChart: (passphrase?: string) => invoke<void>("unlock_chart", { passphrase }),
  openDemo: () => invoke<User>("open_demo"),
  joinClinic: (join: { server: string; name: string; password: string; device_name: string; passphrase?: string }) =>
    invoke<User>("join_clinic", { join }),
  syncNow: () => invoke<void>("sync_now"),
  syncIssues: () => invoke<SyncIssuesView>("sync_issues"),
  resolveSyncIssue: (issueId: string, useOther: boolean) => invoke<void>("resolve_sync_issue", { issueId, useOther }),
  signIn: (name: string, password: string) => invoke<User>("sign_in", { name, password }),
  lock: () => invoke<void>("lock"),
  unlockWithPin: (pin: string) => invoke<User>("unlock_with_pin", { pin }),
  setPin: (pin: string) => invoke<void>("set_pin", { pin }),
  schedule: (day?: string) => invoke<ScheduleRow[]>("schedule", { day }),
  bookAppointment: (patientId: string, episodeId: string | null, startsAt: string, minutes: number) =>
    invoke<Appointment>("book_appointment", { patientId, episodeId, startsAt, minutes }),
  setAppointmentStatus: (id: string, status: string) => invoke<void>("set_appointment_status", { id, status }),
  searchPatients: (text: string) => invoke<Patient[]>("search_patients", { text }),
  addPatient: (patient: { first_name: string; last_name: string; dob: string; phone?: string }) =>
    invoke<Patient>("add_patient", { patient }),
  payers: () => invoke<Payer[]>("payers"),
  addPayer: (name: string, method: string) => invoke<Payer>("add_payer", { name, method }),
  addEpisode: (episode: { patient_id: string; payer_id: string; diagnoses: string[]; start_date?: string }) =>
    invoke<Episode>("add_episode", { episode }),
  patientChart: (patientId: string) => invoke<ChartView>("patient_chart", { patientId }),
  createNote: (episodeId: string, kind: string, date: string) =>
    invoke<NoteScreen>("create_note", { episodeId, kind, date }),
  openVisitNote: (appointmentId: string) => invoke<NoteScreen>("open_visit_note", { appointmentId }),
  note: (id: string) => invoke<NoteScreen>("note", { id }),
  saveNote: (id: string, edit: NoteEdit) => invoke<NoteScreen>("save_note", { id, edit }),
  setService: (id: string, code: string, minutes: number, ptaMinutes?: number) =>
    invoke<NoteScreen>("set_service", { id, code, minutes, ptaMinutes }),
  setFlowsheet: (id: string, rows: FlowsheetRow[]) => invoke<NoteScreen>("set_flowsheet", { id, rows }),
  setServiceDiagnoses: (id: string, code: string, pointers: number[]) =>
    invoke<NoteScreen>("set_service_diagnoses", { id, code, pointers }),
  removeService: (id: string, code: string) => invoke<NoteScreen>("remove_service", { id, code }),
  setDistinctPair: (id: string, first: string, second: string, distinct: boolean) =>
    invoke<NoteScreen>("set_distinct_pair", { id, first, second, distinct }),
  signNote: (id: string) => invoke<NoteScreen>("sign_note", { id }),
  cosignNote: (id: string) => invoke<NoteScreen>("cosign_note", { id }),
  addAddendum: (id: string, text: string) => invoke<NoteScreen>("add_addendum", { id, text }),
  alerts: () => invoke<Alert[]>("alerts"),
  /** The measure definitions, fetched once. */
  measureForms: once<MeasureForm[]>("measure_forms"),
  scoreMeasure: (measureId: string, answers: ItemAnswers) => invoke<ScoreView>("score_measure", { measureId, answers }),
  recordMeasure: (episodeId: string, measureId: string, date: string, answers: ItemAnswers) =>
    invoke<MeasureResult[]>("record_measure", { episodeId, measureId, date, answers }),
  measureHistory: (episodeId: string, measureId: string) =>
    invoke<MeasureResult[]>("measure_history", { episodeId, measureId }),
  billing: () => invoke<BillingView>("billing"),
  buildClaims: (from: string, to: string) => invoke<BuildReport>("build_claims", { from, to }),
  claim: (id: string) => invoke<ClaimScreen>("claim", { id }),
  markClaimsReady: (ids: string[]) => invoke<[string, string][]>("mark_claims_ready", { ids }),
  setClaimStatus: (id: string, from: ClaimStatus, to: ClaimStatus, reason?: string) =>
    invoke<void>("set_claim_status", { id, from, to, reason }),
  editClaimLine: (
    id: string,
    position: number,
    edit: { units?: number; modifiers?: string[]; dx_pointers?: number[]; description?: string },
  ) =>
    invoke<ClaimScreen>("edit_claim_line", { id, position, edit }),
  rebuildClaim: (id: string) => invoke<BuildReport>("rebuild_claim", { id }),
  export837: () => invoke<ExportView>("export_837"),
  import835: (contents: string) => invoke<ImportReport>("import_835", { contents }),
  resolveDenial: (id: string, status: string) => invoke<void>("resolve_denial", { id, status }),
  superbill: (patientId: string, from: string, to: string) => invoke<string>("superbill", { patientId, from, to }),
  demoRemittance: () => invoke<string>("demo_remittance"),
  production: (from: string, to: string) => invoke<ProductionRow[]>("production", { from, to }),
  billingSetup: () => invoke<BillingSetup>("billing_setup"),
  setBillingProfile: (profile: BillingProfile) => invoke<void>("set_billing_profile", { profile }),
  setClinicFee: (code: string, cents: number) => invoke<void>("set_clinic_fee", { code, cents }),
  setPayerBilling: (payerId: string, billing: PayerBilling) => invoke<void>("set_payer_billing", { payerId, billing }),
  setPatientAddress: (patientId: string, address: PostalAddress) => invoke<void>("set_patient_address", { patientId, address }),
  searchDiagnoses: (text: string) => invoke<DiagnosisOption[]>("search_diagnoses", { text }),
  setOutsideTherapy: (patientId: string, year: number, cents: number) =>
    invoke<void>("set_outside_therapy", { patientId, year, cents }),
  setUserNpi: (userId: string, npi: string) => invoke<void>("set_user_npi", { userId, npi }),
  /** The code lists of the insurance and note forms, fetched once. */
  codeLists: once<CodeLists>("code_lists"),
  insurance: (patientId: string) => invoke<InsuranceView>("insurance", { patientId }),
  setCoverageInsured: (coverageId: string, insured: Insured | null) =>
    invoke<void>("set_coverage_insured", { coverageId, insured }),
  setMspType: (coverageId: string, mspType: string | null) => invoke<void>("set_msp_type", { coverageId, mspType }),
  setQmb: (patientId: string, qmb: boolean) => invoke<void>("set_qmb", { patientId, qmb }),
  addAuthorization: (episodeId: string, authorization: NewAuthorization) =>
    invoke<void>("add_authorization", { episodeId, authorization }),
  patientBanner: (patientId: string, episodeId: string | null) =>
    invoke<PatientBanner>("patient_banner", { patientId, episodeId }),
  setPatientSafety: (patientId: string, allergies: string | null, precautions: string | null) =>
    invoke<void>("set_patient_safety", { patientId, allergies, precautions }),
  setPlaceOfService: (id: string, place: string | null) => invoke<NoteScreen>("set_place_of_service", { id, place }),
};

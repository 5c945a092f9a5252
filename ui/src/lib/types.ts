// The shapes the Rust commands return (src-tauri/src/desk.rs and stride-chart). Those in
// the generated contract (contract.ts, from the Rust types) are re-exported here; the rest
// are still declared by hand until they move onto it.
export type {
  Addendum,
  RefusedOp,
  SyncIssue,
  SyncIssuesView,
  DeskStatus,
  DiagnosisOption,
  MeasureForm,
  NoteEdit,
  Payer,
  Role,
  SyncView,
  UserView as User,
  ChargeLine,
  CodingReport,
  EvalComplexity,
  Finding as CodingFinding,
  FlowsheetRow,
  NoteScreen,
  NoteView as Note,
  ServiceRow,
  StoredChargeLine,
  Unbilled,
  Alert,
  AlertKind,
  ChartView,
  Coverage,
  Episode,
  NoteKind,
  NoteStatus,
  Patient,
  TimelineEntry,
  Urgency,
  Appointment,
  Authorization,
  Choice,
  CodeLists,
  CoverageTerms,
  InsuranceView,
  Insured,
  NewAuthorization,
  AppointmentStatus,
  BookedSeries,
  Clinician,
  ClinicHours,
  CommandError,
  DeskEvent,
  DiagnosisView,
  EpisodeBanner,
  ErrorKind,
  Goal,
  GoalAssessment,
  GoalProgress,
  GoalStatus,
  GoalSummary,
  MeasureTrend,
  NewPlan,
  NextVisit,
  PatientBanner,
  Plan,
  PlannedVisitView,
  QuickText,
  QuickTextUse,
  ScheduleQuery,
  ScheduleRow,
  ScheduleView,
  SeriesPlanView,
  SeriesRequest,
  StatusStep,
  TrendPoint,
} from "./contract";

export interface ScoreView {
  display: string;
  status: string;
}

export interface Change {
  trend: string;
  sentence: string;
}

export interface MeasureResult {
  id: string;
  administered_on: string;
  display: string;
  /** The score as a number, for the trend chart. */
  plotted: number | null;
  since_first: Change | null;
}

/** Answers as the measures crate reads them: one per item, null when unanswered. */
export interface ItemAnswers {
  items: (number | null)[];
}

// Billing (src-tauri/src/billing.rs and stride-chart's billing module).

export type ClaimStatus = "draft" | "ready" | "submitted" | "paid" | "partially_paid" | "denied" | "void" | "appealed";

export interface ClaimSummary {
  id: string;
  control_number: string;
  patient_id: string;
  patient_name: string;
  payer_id: string;
  payer_name: string;
  responsibility: number;
  status: ClaimStatus;
  rendering_id: string;
  service_from: string;
  service_to: string;
  charge_cents: number;
  paid_cents: number;
  written_off_cents: number;
  patient_resp_cents: number;
  balance_cents: number;
  submitted_on: string | null;
}

export interface AdjustmentView {
  group: string;
  reason: string;
  cents: number;
  words: string;
  group_words: string;
}

export interface ClaimLine {
  position: number;
  note_id: string;
  date_of_service: string;
  code: string;
  modifiers: string[];
  units: number;
  minutes: number;
  charge_cents: number;
  allowed_cents: number | null;
  dx_pointers: number[];
  paid_cents: number;
  written_off_cents: number;
  patient_resp_cents: number;
  adjustments: AdjustmentView[];
  place_of_service: string | null;
  description: string | null;
  /** Whether the code is unlisted, so the claim must say what was done (Rust decides). */
  needs_description: boolean;
}

export interface ClaimEvent {
  at: string;
  user_id: string | null;
  from_status: string | null;
  to_status: string;
  source: string;
  reason: string | null;
}

export interface ClaimDetail extends ClaimSummary {
  episode_id: string;
  diagnoses: string[];
  lines: ClaimLine[];
  history: ClaimEvent[];
  /** The statuses a person may move the claim to now, as the lifecycle (Rust) allows. */
  steps: ClaimStatus[];
  /** Whether it may be voided and billed again from its notes. */
  rebuildable: boolean;
}

export interface Finding {
  level: "error" | "warning";
  check: string;
  message: string;
  fix: string;
  at: { screen: string; id: string };
  /** A modifier that fixes it on the line billing `code`, when one does (Rust decides). */
  add_modifier: { code: string; modifier: string; words: string } | null;
}

export interface ScrubReport {
  claim_id: string;
  control_number: string;
  findings: Finding[];
}

export interface ClaimScreen {
  claim: ClaimDetail;
  scrub: ScrubReport;
}

export interface Buckets {
  "0-30": number;
  "31-60": number;
  "61-90": number;
  "90+": number;
  total: number;
}

export interface ArReport {
  as_of: string;
  payers: { payer_id: string; payer_name: string; claims: number; buckets: Buckets }[];
  total: Buckets;
  patients: {
    patient_id: string;
    patient_name: string;
    insurance_resp_cents: number;
    self_pay_cents: number;
    paid_cents: number;
    balance_cents: number;
  }[];
  /** Money received beyond what was owed: a payer's overpaid claim, or a patient's credit. */
  refunds: Refund[];
}

export interface Refund {
  owed_to: "payer" | "patient";
  payer_name: string | null;
  claim_id: string | null;
  control_number: string | null;
  patient_id: string;
  patient_name: string;
  cents: number;
}

export interface Denial {
  id: string;
  claim_id: string;
  control_number: string;
  patient_name: string;
  payer_name: string;
  line_position: number | null;
  code: string;
  cents: number;
  reasons: string[];
  remarks: string[];
  status: string;
  created_at: string;
}

export interface BillingView {
  claims: ClaimSummary[];
  denials: Denial[];
  ar: ArReport;
}

export interface BuildReport {
  claims: string[];
  notes: number;
  lines: number;
  skipped: { note_id: string; reason: string }[];
}

export interface ProviderAdjustment {
  reason: string;
  words: string;
  reference: string;
  cents: number;
  claim_id: string | null;
}

export interface ImportedPayment {
  remittance_id: string;
  payer_name: string;
  trace_number: string;
  total_paid_cents: number;
  taken_back_cents: number;
  provider_adjustments: ProviderAdjustment[];
}

export interface ImportReport {
  payments: ImportedPayment[];
  posted: { claim_id: string; control_number: string; status: ClaimStatus | null; paid_cents: number }[];
  unmatched: { control_number: string; reason: string }[];
  denials: number;
  server_posts: boolean;
}

export interface ExportView {
  path: string;
  claims: number;
  total_cents: number;
}

export interface ProductionRow {
  payer_name: string;
  therapist_name: string;
  claims: number;
  charge_cents: number;
  paid_cents: number;
  written_off_cents: number;
  patient_resp_cents: number;
}

export interface BillingProfile {
  name: string;
  npi: string | null;
  tax_id: string | null;
  address_line: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  phone: string | null;
  billing_contact: string | null;
  taxonomy: string;
  submitter_id: string | null;
  receiver_id: string | null;
  receiver_name: string | null;
  place_of_service: string;
}

/** How a payer is billed electronically. */
export interface PayerBilling {
  payer_code: string | null;
  claim_filing: string;
  self_pay: boolean;
}

export interface BillingSetup {
  profile: BillingProfile;
  charges: [string, number][];
  clinicians: [string, string][];
  /** How each payer is billed, by payer id. */
  payers: Record<string, PayerBilling>;
}

export interface PostalAddress {
  line: string;
  city: string;
  state: string;
  zip: string;
}


// The shapes the Rust commands return (src-tauri/src/desk.rs and stride-chart).

export type Role = "pt" | "pta" | "frontdesk" | "biller" | "admin";

export interface User {
  id: string;
  name: string;
  roles: Role[];
}

export interface DeskStatus {
  chart_exists: boolean;
  open: boolean;
  demo: boolean;
  user: User | null;
  sync: SyncView;
  pending_changes: number;
  locked_user: User | null;
  pin_unlock: boolean;
}

/** An error from a command: branch on `kind`, show `message`. */
export interface CommandError {
  kind: string;
  message: string;
}

export interface Patient {
  id: string;
  mrn: string;
  first_name: string;
  last_name: string;
  dob: string;
  sex: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface Payer {
  id: string;
  name: string;
  method: "cms" | "ama";
}

export interface Episode {
  id: string;
  patient_id: string;
  payer_id: string;
  diagnoses: string[];
  start_date: string;
  status: string;
}

export interface Appointment {
  id: string;
  patient_id: string;
  episode_id: string | null;
  therapist_id: string;
  starts_at: string;
  minutes: number;
  status: "scheduled" | "arrived" | "no_show" | "cancelled";
}

export interface ScheduleRow {
  appointment: Appointment;
  patient_name: string;
  alert: string | null;
}

export interface Alert {
  kind: string;
  urgency: "warning" | "overdue";
  patient_id: string;
  episode_id: string;
  note_id: string | null;
  message: string;
}

export interface TimelineEntry {
  note_id: string;
  episode_id: string;
  kind: string;
  date_of_service: string;
  status: string;
  units: number;
  addenda: number;
}

export interface Plan {
  id: string;
  cert_start: string;
  cert_end: string;
  frequency_per_week: number;
  duration_weeks: number;
  physician_signed_on: string | null;
  signature_method: string | null;
}

export interface ChartView {
  patient: Patient;
  episodes: Episode[];
  plans: Record<string, Plan[]>;
  timeline: TimelineEntry[];
  alerts: Alert[];
}

export interface ServiceRow {
  code: string;
  minutes: number;
  pta_minutes: number;
}

export interface FlowsheetRow {
  exercise: string;
  sets: number | null;
  reps: number | null;
  load: string | null;
  carried: boolean;
}

export interface StoredChargeLine {
  code: string;
  units: number;
  modifiers: string[];
  minutes: number;
  allowed_cents: number | null;
  explanation: string;
}

export interface Addendum {
  id: string;
  author_id: string;
  text: string;
  signed_at: string;
  content_hash: string;
}

export interface Note {
  id: string;
  episode_id: string;
  patient_id: string;
  kind: string;
  date_of_service: string;
  status: "draft" | "signed" | "awaiting_cosign" | "cosigned";
  subjective: string;
  objective: string;
  assessment: string;
  plan: string;
  total_treatment_minutes: number | null;
  eval_complexity: "low" | "moderate" | "high" | null;
  services: ServiceRow[];
  flowsheet: FlowsheetRow[];
  charge_lines: StoredChargeLine[];
  signed_at: string | null;
  content_hash: string | null;
  hash_verified: boolean | null;
  addenda: Addendum[];
}

export interface BillingLine {
  code: string;
  units: number;
  modifiers: string[];
  minutes: number;
  explanation: string;
}

export interface Unbilled {
  code: string;
  minutes: number;
  reason: string;
}

export interface Billing {
  lines: BillingLine[];
  unbilled: Unbilled[];
  timed_minutes: number;
  timed_units: number;
  total_units: number;
  warnings: string[];
  errors: string[];
}

export interface NoteScreen {
  note: Note;
  billing: Billing | null;
  billing_error: string | null;
  alerts: Alert[];
}

export interface NoteEdit {
  eval_complexity?: "low" | "moderate" | "high";
  subjective?: string;
  objective?: string;
  assessment?: string;
  plan?: string;
  total_treatment_minutes?: number;
}

export interface MeasureForm {
  id: string;
  name: string;
  short_name: string;
  items: string[];
  activities: boolean;
  min: string;
  max: string;
  step: string;
  mcid: number | null;
  higher_is_better: boolean;
}

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
  since_first: Change | null;
}

/** Answers as the measures crate reads them: one per item, null when unanswered. */
export interface ItemAnswers {
  items: (number | null)[];
}

/** The status bar's sync line. */
export interface SyncView {
  state: "local only" | "connecting" | "online" | "offline";
  pending: number;
  last_sync_at: string | null;
  open_issues: number;
  refused: number;
  last_error: string | null;
}

/** Something sync could not settle alone. */
export interface SyncIssue {
  id: string;
  kind: "conflict" | "unincorporated" | "rejected";
  entity: string;
  entity_id: string;
  field: string | null;
  kept: string | null;
  other: string | null;
  reason: string;
  created_at: string;
}

/** A change the clinic server refused. */
export interface RefusedOp {
  device_seq: number;
  op_type: string;
  entity_id: string;
  reason: string;
  created_at: string;
}

export interface SyncIssuesView {
  issues: SyncIssue[];
  refused: RefusedOp[];
}

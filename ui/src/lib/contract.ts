// Generated from the Rust types by src-tauri/src/contract.rs (ts-rs): do not edit.
// After changing a type: STRIDE_BLESS=1 cargo test -p stride-desktop --test contract

export type ErrorKind = "wrong_key" | "no_keychain" | "keychain_locked" | "key_not_in_keychain" | "no_chart" | "chart_exists" | "too_new" | "bad_credentials" | "forbidden" | "not_found" | "invalid" | "state" | "coding" | "io" | "storage" | "locked" | "pin_locked" | "sync";

export type CommandError = { 
/**
 * What kind of failure.
 */
kind: ErrorKind, 
/**
 * What went wrong, in words a clinician can act on.
 */
message: string, };

export type DeskEvent = { 
/**
 * Records the last sync brought in from the clinic: the screen shows them once read again.
 */
pulled: number, };

export type AppointmentStatus = "scheduled" | "arrived" | "no_show" | "cancelled";

export type Appointment = { 
/**
 * Id.
 */
id: string, 
/**
 * The patient.
 */
patient_id: string, 
/**
 * The episode, if known.
 */
episode_id: string | null, 
/**
 * The treating therapist.
 */
therapist_id: string, 
/**
 * Local start, `YYYY-MM-DDTHH:MM`.
 */
starts_at: string, 
/**
 * Length in minutes.
 */
minutes: number, 
/**
 * Status.
 */
status: AppointmentStatus, 
/**
 * The recurring series it was booked in, if any.
 */
series_id: string | null, };

export type StatusStep = { 
/**
 * The status it sets.
 */
to: AppointmentStatus, 
/**
 * The button's words ("Check in", "Undo no-show").
 */
label: string, 
/**
 * Whether it calls the visit off (shown as a destructive act).
 */
destructive: boolean, };

export type ClinicHours = { 
/**
 * Opening time, `HH:MM` (24-hour).
 */
opens_at: string, 
/**
 * Closing time, `HH:MM`, after the opening.
 */
closes_at: string, 
/**
 * The days it is open, ISO weekday numbers (Monday 1 to Sunday 7), ascending.
 */
open_days: Array<number>, };

export type Closure = { 
/**
 * The day, `YYYY-MM-DD`.
 */
day: string, 
/**
 * Why, as the schedule shows it ("Thanksgiving").
 */
reason: string, };

export type ClosedDay = { 
/**
 * The day, `YYYY-MM-DD`.
 */
day: string, 
/**
 * The closure's reason ("Christmas Day"); `None` when the weekly hours leave the day
 * out.
 */
reason: string | null, };

export type ClosureMade = { 
/**
 * The closure as stored.
 */
closure: Closure, 
/**
 * Visits booked that day and not cancelled.
 */
booked: number, };

export type Patient = { 
/**
 * Id.
 */
id: string, 
/**
 * Medical record number.
 */
mrn: string, 
/**
 * Given name.
 */
first_name: string, 
/**
 * Family name.
 */
last_name: string, 
/**
 * Date of birth.
 */
dob: string, 
/**
 * Sex, if recorded.
 */
sex: string | null, 
/**
 * Phone.
 */
phone: string | null, 
/**
 * Email.
 */
email: string | null, 
/**
 * Street line of the address.
 */
address: string | null, 
/**
 * City.
 */
city: string | null, 
/**
 * State.
 */
state: string | null, 
/**
 * ZIP code.
 */
zip: string | null, 
/**
 * The calendar year of `outside_therapy_cents`, when recorded.
 */
outside_therapy_year: number | null, 
/**
 * Therapy allowed amounts other providers billed that year, as the payer reports them.
 */
outside_therapy_cents: number, };

export type Coverage = { 
/**
 * Id.
 */
id: string, 
/**
 * The payer.
 */
payer_id: string, 
/**
 * Member id on the insurance card.
 */
member_id: string, 
/**
 * Group number.
 */
group_no: string | null, 
/**
 * 1 primary, 2 secondary, 3 tertiary.
 */
priority: number, };

export type Episode = { 
/**
 * Id.
 */
id: string, 
/**
 * The patient.
 */
patient_id: string, 
/**
 * The payer.
 */
payer_id: string, 
/**
 * Diagnoses, principal first.
 */
diagnoses: Array<string>, 
/**
 * Referring provider.
 */
referring_provider_id: string | null, 
/**
 * Onset date.
 */
onset_date: string | null, 
/**
 * Referral date.
 */
referral_date: string | null, 
/**
 * First day of the episode.
 */
start_date: string, 
/**
 * open or discharged.
 */
status: string, };

export type AlertKind = "progress_report" | "certification_unsigned" | "plan_expiring" | "no_plan" | "authorization" | "kx_threshold" | "unsigned_note";

export type Urgency = "warning" | "overdue";

export type Alert = { 
/**
 * Which rule.
 */
kind: AlertKind, 
/**
 * How urgent.
 */
urgency: Urgency, 
/**
 * The patient.
 */
patient_id: string, 
/**
 * The episode.
 */
episode_id: string, 
/**
 * The note, for note alerts.
 */
note_id: string | null, 
/**
 * What is wrong and what to do.
 */
message: string, };

export type NoteKind = "eval" | "daily" | "progress" | "reeval" | "discharge";

export type NoteStatus = "draft" | "signed" | "awaiting_cosign" | "cosigned";

export type TimelineEntry = { 
/**
 * The note.
 */
note_id: string, 
/**
 * Its episode.
 */
episode_id: string, 
/**
 * Kind.
 */
kind: NoteKind, 
/**
 * Date of service.
 */
date_of_service: string, 
/**
 * Author.
 */
author_id: string, 
/**
 * Where it stands.
 */
status: NoteStatus, 
/**
 * Units billed (signed notes).
 */
units: number, 
/**
 * Addenda.
 */
addenda: number, };

export type ChartView = { 
/**
 * Demographics.
 */
patient: Patient, 
/**
 * Insurance.
 */
coverages: Array<Coverage>, 
/**
 * Episodes, newest first.
 */
episodes: Array<Episode>, 
/**
 * Plans of care by episode id, newest certification first.
 */
plans: { [key in string]: Array<Plan> }, 
/**
 * Notes, newest first.
 */
timeline: Array<TimelineEntry>, 
/**
 * Alerts for this patient.
 */
alerts: Array<Alert>, 
/**
 * The next visit booked, if any.
 */
next_visit: NextVisit | null, 
/**
 * The active episode's outcome measures as trends.
 */
trends: Array<MeasureTrend>, 
/**
 * The active episode's goals and where each stands; `None` without an open episode.
 */
goals: GoalSummary | null, };

export type Role = "pt" | "pta" | "frontdesk" | "biller" | "admin";

export type UserView = { 
/**
 * Id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * Roles.
 */
roles: Array<Role>, };

export type SyncView = { 
/**
 * `local only`, `connecting` (before the first attempt ends), `online` or `offline`.
 */
state: string, 
/**
 * Changes waiting to be pushed.
 */
pending: number, 
/**
 * When the last sync completed.
 */
last_sync_at: string | null, 
/**
 * Sync issues waiting for a person.
 */
open_issues: number, 
/**
 * Ops the server refused.
 */
refused: number, 
/**
 * Why the last attempt failed, if it did.
 */
last_error: string | null, 
/**
 * The device's sign-in to the server has ended: sync waits for someone to sign in.
 */
sign_in_needed: boolean, };

export type DeskStatus = { 
/**
 * Whether the clinic's chart exists (else: first run).
 */
chart_exists: boolean, 
/**
 * Whether a chart is open.
 */
open: boolean, 
/**
 * Whether the open chart is the demo clinic.
 */
demo: boolean, 
/**
 * Who is signed in.
 */
user: UserView | null, 
/**
 * Who locked the screen, when it is locked.
 */
locked_user: UserView | null, 
/**
 * Whether the locked screen may be unlocked with a PIN.
 */
pin_unlock: boolean, 
/**
 * The sync state for the status bar.
 */
sync: SyncView, 
/**
 * Changes waiting to sync.
 */
pending_changes: number, };

export type SyncIssue = { 
/**
 * Id.
 */
id: string, 
/**
 * `conflict`, `unincorporated` or `rejected`.
 */
kind: string, 
/**
 * The kind of record (`note`).
 */
entity: string, 
/**
 * The record.
 */
entity_id: string, 
/**
 * The field, when one field is concerned.
 */
field: string | null, 
/**
 * The value the record kept (JSON).
 */
kept: string | null, 
/**
 * The other value, not applied (JSON).
 */
other: string | null, 
/**
 * Why, in words.
 */
reason: string, 
/**
 * When the server recorded it.
 */
created_at: string, 
/**
 * The person whose change it was (`None`: this device's own, from a pull).
 */
user_id: string | null, };

export type RefusedOp = { 
/**
 * The op's sequence number on this device.
 */
device_seq: number, 
/**
 * What it did (`patient.create`).
 */
op_type: string, 
/**
 * The record it was about.
 */
entity_id: string, 
/**
 * The server's reason.
 */
reason: string, 
/**
 * When it was made here.
 */
created_at: string, };

export type SyncIssuesView = { 
/**
 * Open issues.
 */
issues: Array<SyncIssue>, 
/**
 * Refused ops.
 */
refused: Array<RefusedOp>, };

export type Payer = { 
/**
 * Id.
 */
id: string, 
/**
 * Name, e.g. "Medicare Part B".
 */
name: string, 
/**
 * CMS total time or AMA per code.
 */
method: UnitMethod, 
/**
 * Traditional Medicare rules (97014, bundled 97010, KX thresholds).
 */
medicare: boolean, 
/**
 * Whether PTA services carry CQ.
 */
cq_applies: boolean, 
/**
 * Whether the KX threshold applies.
 */
kx_applies: boolean, 
/**
 * Treatment days between progress reports.
 */
progress_interval_visits: number, 
/**
 * Whether the payer denies visits billed past the progress-report period, so the
 * claim scrubber holds them as errors rather than warnings. (The name is historical:
 * it is the synced column's. Signing is never blocked for care that was given.)
 */
block_sign_when_overdue: boolean, 
/**
 * Whether a PTA's note needs a PT's co-signature.
 */
pta_cosign_required: boolean, };

export type DiagnosisOption = { 
/**
 * The code, with its dot.
 */
code: string, 
/**
 * What it means.
 */
description: string, 
/**
 * Whether a claim may carry it (a heading needs a code below it).
 */
billable: boolean, };

export type MeasureForm = { 
/**
 * Id, e.g. `lefs`.
 */
id: string, 
/**
 * Full name.
 */
name: string, 
/**
 * Short name.
 */
short_name: string, 
/**
 * Item labels (empty for patient-chosen activities).
 */
items: Array<string>, 
/**
 * Whether the patient chooses the activities (PSFS).
 */
activities: boolean, 
/**
 * Lowest answer.
 */
min: string, 
/**
 * Highest answer.
 */
max: string, 
/**
 * Step between answers.
 */
step: string, };

export type NoteEdit = { 
/**
 * Subjective.
 */
subjective?: string, 
/**
 * Objective.
 */
objective?: string, 
/**
 * Assessment.
 */
assessment?: string, 
/**
 * Plan.
 */
plan?: string, 
/**
 * Evaluation complexity (evaluations only).
 */
eval_complexity?: EvalComplexity, 
/**
 * Total treatment minutes, timed and untimed.
 */
total_treatment_minutes?: number, };

export type UnitMethod = "cms" | "ama";

export type Cents = number;

export type ChargeLine = { 
/**
 * CPT or HCPCS code.
 */
code: string, 
/**
 * Units billed on this line (always at least 1).
 */
units: number, 
/**
 * Modifiers in claim order: GP, then CQ, KX, and 59 or XU.
 */
modifiers: Array<string>, 
/**
 * The code's documented minutes (all of its lines together).
 */
minutes: number, 
/**
 * Allowed amount for this line, when the fee schedule has the code.
 */
allowed_cents: Cents | null, 
/**
 * Why this line bills these units with these modifiers (a sentence when serialized).
 */
explanation: string, };

export type Unbilled = { 
/**
 * CPT or HCPCS code.
 */
code: string, 
/**
 * Its documented minutes.
 */
minutes: number, 
/**
 * Why no unit was billed (a sentence when serialized).
 */
reason: string, };

export type Severity = "warning" | "error";

export type FindingKind = "under-eight-minutes" | "total-time-below-timed" | "pta-evaluation" | "medicare-bundled" | "medicare-not-covered" | "group-with-one-on-one" | "mue-exceeded" | "mue-capped" | "ncci-needs-distinct" | "ncci-not-allowed" | "ncci-bundled" | "kx-applied" | "kx-missing" | "kx-unknown-year" | "kx-missing-fee" | "review-threshold" | "add-on-without-base" | "unlisted-code" | "unused-input";

export type Finding = { 
/**
 * How serious it is.
 */
severity: Severity, 
/**
 * Which rule produced it.
 */
kind: FindingKind, 
/**
 * The codes it is about.
 */
codes: Array<string>, 
/**
 * What is wrong and how to fix it, in a clinician's words.
 */
message: string, };

export type CodingReport = { 
/**
 * The unit method used.
 */
method: UnitMethod, 
/**
 * Claim lines with at least one unit.
 */
lines: Array<ChargeLine>, 
/**
 * Pooled 15-minute timed minutes.
 */
timed_minutes: number, 
/**
 * Units billed for them.
 */
timed_units: number, 
/**
 * Units on all lines.
 */
total_units: number, 
/**
 * Warning sentences.
 */
warnings: Array<string>, 
/**
 * Error sentences: the claim would be denied as coded.
 */
errors: Array<string>, 
/**
 * Every finding, structured.
 */
findings: Array<Finding>, 
/**
 * Documented codes that earned no unit, and why.
 */
unbilled: Array<Unbilled>, };

export type EvalComplexity = "low" | "moderate" | "high";

export type ServiceRow = { 
/**
 * CPT or HCPCS code.
 */
code: string, 
/**
 * Minutes.
 */
minutes: number, 
/**
 * Of which a PTA furnished alone.
 */
pta_minutes: number, 
/**
 * The episode's diagnoses it treats, as pointers (1 is the episode's first) in claim
 * order; empty: the episode's first four in order. Left out of the signed content
 * when empty, so notes signed before pointers existed verify as they did.
 */
diagnoses?: Array<number>, };

export type FlowsheetRow = { 
/**
 * Exercise name.
 */
exercise: string, 
/**
 * Sets.
 */
sets: number | null, 
/**
 * Repetitions.
 */
reps: number | null, 
/**
 * Load, as written ("5 lb", "red band").
 */
load: string | null, 
/**
 * Copied forward from the last visit and not yet edited.
 */
carried: boolean, };

export type StoredChargeLine = { 
/**
 * Code.
 */
code: string, 
/**
 * Units.
 */
units: number, 
/**
 * Modifiers in claim order.
 */
modifiers: Array<string>, 
/**
 * The code's documented minutes.
 */
minutes: number, 
/**
 * Allowed amount, when the payer's fee schedule has the code.
 */
allowed_cents: number | null, 
/**
 * Why.
 */
explanation: string, };

export type Addendum = { 
/**
 * Id.
 */
id: string, 
/**
 * Who wrote and signed it.
 */
author_id: string, 
/**
 * The text.
 */
text: string, 
/**
 * When it was signed.
 */
signed_at: string, 
/**
 * SHA-256 of its canonical content.
 */
content_hash: string, };

export type NoteView = { 
/**
 * Id.
 */
id: string, 
/**
 * Episode.
 */
episode_id: string, 
/**
 * Patient.
 */
patient_id: string, 
/**
 * Kind.
 */
kind: NoteKind, 
/**
 * Date of service.
 */
date_of_service: string, 
/**
 * Author.
 */
author_id: string, 
/**
 * Where it stands.
 */
status: NoteStatus, 
/**
 * Subjective.
 */
subjective: string, 
/**
 * Objective.
 */
objective: string, 
/**
 * Assessment.
 */
assessment: string, 
/**
 * Plan.
 */
plan: string, 
/**
 * Evaluation complexity.
 */
eval_complexity: EvalComplexity | null, 
/**
 * Total treatment minutes.
 */
total_treatment_minutes: number | null, 
/**
 * Where the visit took place (a CMS place-of-service code); `None`: the clinic's
 * usual place.
 */
place_of_service: string | null, 
/**
 * Interventions.
 */
services: Array<ServiceRow>, 
/**
 * Code pairs the clinician marked as done in separate, distinct time intervals.
 */
distinct_pairs: Array<[string, string]>, 
/**
 * Flowsheet.
 */
flowsheet: Array<FlowsheetRow>, 
/**
 * Where the note says the plan's goals stand.
 */
goals: Array<GoalAssessment>, 
/**
 * Charge lines (signed notes).
 */
charge_lines: Array<StoredChargeLine>, 
/**
 * Signer.
 */
signed_by: string | null, 
/**
 * When signed.
 */
signed_at: string | null, 
/**
 * SHA-256 of the canonical signed content.
 */
content_hash: string | null, 
/**
 * Whether the stored content still hashes to `content_hash` (signed notes).
 */
hash_verified: boolean | null, 
/**
 * Whether a PT's co-signature is needed.
 */
cosign_required: boolean, 
/**
 * Co-signer.
 */
cosigned_by: string | null, 
/**
 * When co-signed.
 */
cosigned_at: string | null, 
/**
 * Addenda, oldest first.
 */
addenda: Array<Addendum>, };

export type NoteScreen = { 
/**
 * The note.
 */
note: NoteView, 
/**
 * What it bills now (drafts) or billed (signed notes: from the stored lines).
 */
billing: CodingReport | null, 
/**
 * A message when the billing could not be computed.
 */
billing_error: string | null, 
/**
 * The alerts of the note's episode, shown before signing.
 */
alerts: Array<Alert>, 
/**
 * The episode's diagnoses in order: what a service's pointers (1, 2, ...) name.
 */
diagnoses: Array<string>, 
/**
 * The diagnoses each service's claim line will point at, in the order of the note's
 * services (chosen, else the episode's first four).
 */
treats: Array<Array<number>>, 
/**
 * The episode's last signed note before this one, to read beside a draft.
 */
previous: TimelineEntry | null, 
/**
 * Whether the note reports progress (a progress report, re-evaluation or discharge
 * summary: `NoteKind::is_progress_report`), so the editor opens on the goals.
 */
reports_progress: boolean, 
/**
 * The goals of the episode's current plan of care, where each stands, and (for a
 * draft) what the draft says of each.
 */
goals: GoalSummary, };

export type Insured = { 
/**
 * How the patient is related to the insured: `spouse`, `child`, `life_partner` or
 * `other`.
 */
relationship: string, 
/**
 * The insured's given name.
 */
first_name: string, 
/**
 * The insured's family name.
 */
last_name: string, 
/**
 * The insured's date of birth, YYYY-MM-DD.
 */
dob: string, 
/**
 * `female`, `male` or `unknown`.
 */
sex: string, 
/**
 * Street line.
 */
address: string, 
/**
 * City.
 */
city: string, 
/**
 * Two-letter state.
 */
state: string, 
/**
 * ZIP, 5 or 9 digits.
 */
zip: string, };

export type CoverageTerms = { 
/**
 * The insured, when not the patient.
 */
insured: Insured | null, 
/**
 * Why Medicare pays second, when it does (SBR05).
 */
msp_type: string | null, };

export type Authorization = { 
/**
 * Id.
 */
id: string, 
/**
 * Visits authorized, if limited.
 */
visits: number | null, 
/**
 * Units authorized, if limited.
 */
units: number | null, 
/**
 * First day covered.
 */
valid_from: string, 
/**
 * Last day covered.
 */
valid_to: string, 
/**
 * The payer's reference number.
 */
reference: string | null, };

export type NewAuthorization = { 
/**
 * Visits authorized.
 */
visits?: number, 
/**
 * Units authorized.
 */
units?: number, 
/**
 * First date it covers, YYYY-MM-DD.
 */
valid_from: string, 
/**
 * Last date it covers, YYYY-MM-DD.
 */
valid_to: string, 
/**
 * The payer's authorization number, sent on claims (REF*G1).
 */
reference?: string, };

export type Choice = { 
/**
 * The code stored and sent.
 */
code: string, 
/**
 * What it means, for the person choosing.
 */
words: string, };

export type CodeLists = { 
/**
 * Medicare Secondary Payer types (SBR05).
 */
msp_types: Array<Choice>, 
/**
 * Places of service a visit can take place in.
 */
places_of_service: Array<Choice>, 
/**
 * How a dependant is related to the insured.
 */
relationships: Array<Choice>, 
/**
 * Where a note may say a goal stands.
 */
goal_statuses: Array<Choice>, 
/**
 * The longest certification period a plan of care may have, in days.
 */
max_certification_days: number, };

export type InsuranceView = { 
/**
 * Each coverage's insured and MSP type, by coverage id.
 */
terms: { [key in string]: CoverageTerms }, 
/**
 * The coverages whose claims need a Medicare Secondary Payer type: Medicare, with
 * another payer before it.
 */
msp_asked: Array<string>, 
/**
 * Whether the patient is a Qualified Medicare Beneficiary.
 */
qmb: boolean, 
/**
 * Authorizations by episode id.
 */
authorizations: { [key in string]: Array<Authorization> }, };

export type NewPlan = { 
/**
 * The episode.
 */
episode_id: string, 
/**
 * First day certified.
 */
cert_start: string, 
/**
 * Last day certified (at most 90 days including the first).
 */
cert_end: string, 
/**
 * Visits per week.
 */
frequency_per_week: number, 
/**
 * Weeks of treatment.
 */
duration_weeks: number, 
/**
 * Goals.
 */
goals: Array<Goal>, 
/**
 * The plan this one recertifies, if any.
 */
recertifies: string | null, };

export type Plan = { 
/**
 * Id.
 */
id: string, 
/**
 * The episode.
 */
episode_id: string, 
/**
 * First day certified.
 */
cert_start: string, 
/**
 * Last day certified.
 */
cert_end: string, 
/**
 * Visits per week.
 */
frequency_per_week: number, 
/**
 * Weeks.
 */
duration_weeks: number, 
/**
 * When the physician signed, if they have.
 */
physician_signed_on: string | null, 
/**
 * `signed` or `verbal`.
 */
signature_method: string | null, 
/**
 * The plan this recertifies.
 */
recertifies: string | null, 
/**
 * Goals.
 */
goals: Array<Goal>, };

export type GoalStatus = "progressing" | "partially_met" | "met" | "not_met" | "discontinued";

export type GoalAssessment = { 
/**
 * The goal.
 */
goal_id: string, 
/**
 * Where it stands.
 */
status: GoalStatus, 
/**
 * What the clinician adds ("ambulates 300 ft with a cane"); may be empty.
 */
comment: string, };

export type GoalProgress = { 
/**
 * The goal.
 */
goal_id: string, 
/**
 * `short` or `long`.
 */
term: string, 
/**
 * The goal, as the plan words it.
 */
text: string, 
/**
 * When it should be met, YYYY-MM-DD.
 */
target_date: string | null, 
/**
 * The newest signed assessment; `None`: not yet assessed.
 */
status: GoalStatus | null, 
/**
 * Its status in words ("met", "not yet assessed").
 */
status_words: string, 
/**
 * The date of service of the note that assessed it.
 */
assessed_on: string | null, 
/**
 * That note's comment.
 */
comment: string, 
/**
 * The assessment in the draft being written, when asked for a draft.
 */
draft: GoalAssessment | null, };

export type GoalSummary = { 
/**
 * Each goal of the current plan, short-term first.
 */
goals: Array<GoalProgress>, 
/**
 * How many are met.
 */
met: number, 
/**
 * In words.
 */
words: string, };

export type ScheduleQuery = { 
/**
 * The first day, `YYYY-MM-DD` (default: today).
 */
first?: string, 
/**
 * How many days: 1 for a day, 7 for a week (default 1).
 */
days?: number, };

export type Clinician = { 
/**
 * User id.
 */
id: string, 
/**
 * Name.
 */
name: string, };

export type ScheduleRow = { 
/**
 * The appointment.
 */
appointment: Appointment, 
/**
 * The patient's name.
 */
patient_name: string, 
/**
 * The patient's most urgent alert, if any.
 */
alert: string | null, 
/**
 * The treating therapist's name.
 */
therapist: string, 
/**
 * Where the visit's note stands, in words ("no note yet", "note in progress", ...).
 */
note: string, 
/**
 * Whether it may be moved (dragged, or by the keyboard): `Appointment::movable`.
 */
movable: boolean, 
/**
 * The statuses it may be set to, with the buttons' words: `Appointment::steps_now`.
 */
steps: Array<StatusStep>, 
/**
 * Its status in words ("booked", "no-show").
 */
status_words: string, };

export type ScheduleView = { 
/**
 * The first day shown, `YYYY-MM-DD`.
 */
first: string, 
/**
 * The last day shown.
 */
last: string, 
/**
 * Every clinician, for the columns and for booking.
 */
clinicians: Array<Clinician>, 
/**
 * The signed-in user's id when they treat patients ("my day").
 */
me: string | null, 
/**
 * The visits, by start time.
 */
rows: Array<ScheduleRow>, 
/**
 * The clinic's opening hours, which the grid is laid out on.
 */
hours: ClinicHours, 
/**
 * The days shown on which the clinic is closed, each with its closure's reason (none
 * when the weekly hours leave the day out).
 */
closed: Array<ClosedDay>, };

export type SeriesRequest = { 
/**
 * The patient.
 */
patient_id: string, 
/**
 * The episode the visits treat, if known.
 */
episode_id: string | null, 
/**
 * The treating therapist.
 */
therapist_id: string, 
/**
 * The first visit, `YYYY-MM-DDTHH:MM`; every visit is at this time of day.
 */
first: string, 
/**
 * The days of the week it repeats on (`mon` … `sun`); the first visit's day when empty.
 */
weekdays: Array<string>, 
/**
 * How many weeks, counted from the first visit's day.
 */
weeks: number, 
/**
 * Each visit's length in minutes.
 */
minutes: number, };

export type PlannedVisitView = { 
/**
 * Start, `YYYY-MM-DDTHH:MM`.
 */
starts_at: string, 
/**
 * What it clashes with, one phrase each ("Ann Lee with maria at 09:00").
 */
clashes: Array<string>, 
/**
 * Why the clinic is closed that day, when it is ("the clinic is closed: Christmas
 * Day").
 */
closed: string | null, };

export type SeriesPlanView = { 
/**
 * The visits, in order.
 */
visits: Array<PlannedVisitView>, 
/**
 * How many clash.
 */
clashing: number, };

export type BookedSeries = { 
/**
 * The series' id, on each of its visits.
 */
series_id: string, 
/**
 * The visits booked.
 */
booked: Array<Appointment>, 
/**
 * The start times left out because they clashed or the clinic is closed then.
 */
skipped: Array<string>, };

export type QuickTextUse = { "use": "phrase", 
/**
 * Letters and digits, 1 to 20 (`hep`).
 */
shortcut: string, } | { "use": "template", 
/**
 * `eval`, `daily`, `progress`, `reeval` or `discharge`.
 */
note_kind: string, 
/**
 * `subjective`, `objective`, `assessment` or `plan`.
 */
field: string, };

export type QuickText = { 
/**
 * Id.
 */
id: string, 
/**
 * The words.
 */
text: string, } & ({ "use": "phrase", 
/**
 * Letters and digits, 1 to 20 (`hep`).
 */
shortcut: string, } | { "use": "template", 
/**
 * `eval`, `daily`, `progress`, `reeval` or `discharge`.
 */
note_kind: string, 
/**
 * `subjective`, `objective`, `assessment` or `plan`.
 */
field: string, });

export type Goal = { 
/**
 * `short` or `long`.
 */
term: string, 
/**
 * The goal, measurable and functional.
 */
text: string, 
/**
 * When it should be met, YYYY-MM-DD.
 */
target_date: string | null, };

export type NextVisit = { 
/**
 * Start, `YYYY-MM-DDTHH:MM` (local).
 */
starts_at: string, 
/**
 * Length in minutes.
 */
minutes: number, 
/**
 * The therapist's name.
 */
therapist: string, };

export type TrendPoint = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, 
/**
 * The score (for plotting only).
 */
value: number, };

export type PlottedBand = { 
/**
 * The first score.
 */
from: number, 
/**
 * The first score moved by the MCID in the better direction: a later score here or
 * beyond is an important improvement.
 */
to: number, 
/**
 * The MCID that applies to the first score, in score units.
 */
mcid: number, };

export type MeasureTrend = { 
/**
 * The measure's id, e.g. `lefs`.
 */
measure_id: string, 
/**
 * Its short name, e.g. `LEFS`.
 */
short_name: string, 
/**
 * The scores by date, oldest first (administrations with no score left out).
 */
points: Array<TrendPoint>, 
/**
 * The scores from the first one to an improvement as large as the MCID, to shade;
 * `None` when the measure has no MCID or the first administration has no score.
 */
mcid_band: PlottedBand | null, 
/**
 * The change since the first administration, in one sentence, once there are two.
 */
since_first: string | null, };

export type MeasureHistory = { 
/**
 * Each administration, oldest first, with its change against the first and the previous.
 */
results: Array<MeasureResult>, 
/**
 * The same administrations as a trend.
 */
trend: MeasureTrend, };

export type DiagnosisView = { 
/**
 * ICD-10-CM code.
 */
code: string, 
/**
 * What it means (empty when the code set does not know it).
 */
description: string, };

export type EpisodeBanner = { 
/**
 * The episode.
 */
episode_id: string, 
/**
 * Its diagnoses in claim order, each with its meaning.
 */
diagnoses: Array<DiagnosisView>, 
/**
 * Which visit this is: the distinct days with a note in the episode up to the day.
 */
visit: number, 
/**
 * "Visit 7 of 12 authorized", "visit 7 of 24 planned", or "visit 7".
 */
visit_words: string, 
/**
 * Where the plan of care's certification stands, in words.
 */
certification: string, 
/**
 * Whether the certification needs attention (none, unsigned, or expired).
 */
certification_due: boolean, };

export type PatientBanner = { 
/**
 * The patient.
 */
patient_id: string, 
/**
 * "First Last".
 */
name: string, 
/**
 * Date of birth.
 */
dob: string, 
/**
 * Age in whole years on the banner's day.
 */
age: number, 
/**
 * Sex, if recorded.
 */
sex: string | null, 
/**
 * Medical record number.
 */
mrn: string, 
/**
 * The primary payer's name and the member id; without a coverage, the episode's payer.
 */
payer: string | null, 
/**
 * Allergies as recorded (`None`: not asked yet; "none known" is recorded as such).
 */
allergies: string | null, 
/**
 * Precautions for treatment (fall risk, weight bearing, cardiac), as recorded.
 */
precautions: string | null, 
/**
 * The episode shown, if any.
 */
episode: EpisodeBanner | null, };

export type Answers = { "items": Array<number | null> } | { "activities": Array<Activity> };

export type Activity = { 
/**
 * A stable id, the same at every visit, so follow-ups can be matched to the first rating.
 */
id: string, 
/**
 * The activity in the patient's words.
 */
text: string, 
/**
 * This administration's rating; `None` if the activity is listed but was not rated.
 */
rating: number | null, };

export type ScoreUnit = "points" | "percent" | "seconds" | "metres";

export type ScoreStatus = { "status": "complete" } | { "status": "partial" } | { "status": "too_few_answered", 
/**
 * Fewest answers that give a score.
 */
needed: number, };

export type Score = { 
/**
 * The measure's id.
 */
measure: string, 
/**
 * The definition version that scored it.
 */
version: string, 
/**
 * The unit of `value`.
 */
unit: ScoreUnit, 
/**
 * The exact score; `None` when too many answers were missing. Round it only to show it
 * ([`Score::display`], [`Score::rounded`]).
 */
value: { numerator: number, denominator: number } | null, 
/**
 * Answers given (items answered, or activities rated).
 */
answered: number, 
/**
 * Answers asked for (items on the form, or activities listed).
 */
asked: number, 
/**
 * Whether a score could be given, and whether any answers were missing.
 */
status: ScoreStatus, };

export type Trend = "improved" | "worsened" | "unchanged" | "not_comparable";

export type ThresholdCheck = { 
/**
 * The threshold that applied (for banded thresholds, the earlier score's band).
 */
threshold: number, 
/**
 * Whether the size of the change is at least the threshold.
 */
reached: boolean, };

export type Change = { 
/**
 * The measure's id.
 */
measure: string, 
/**
 * Better, worse, the same, or not comparable.
 */
trend: Trend, 
/**
 * `later − earlier`, exact, in the score's units; `None` when not comparable.
 */
difference: { numerator: number, denominator: number } | null, 
/**
 * The change judged against the MCID; `None` when the measure has none (or when not
 * comparable).
 */
mcid: ThresholdCheck | null, 
/**
 * The change judged against the MDC; `None` when the measure has none (or when not
 * comparable).
 */
mdc: ThresholdCheck | null, 
/**
 * One sentence for the note, e.g. "LEFS improved by 9.0 points (40.0 to 49.0), reaching
 * the MCID of 9 points and the MDC of 9 points."
 */
sentence: string, };

export type MeasureResult = { 
/**
 * Id.
 */
id: string, 
/**
 * Episode.
 */
episode_id: string, 
/**
 * The note it was given with, if any.
 */
note_id: string | null, 
/**
 * Measure id, e.g. `lefs`.
 */
measure_id: string, 
/**
 * Definition version used.
 */
measure_version: string, 
/**
 * Date given.
 */
administered_on: string, 
/**
 * The raw answers.
 */
answers: Answers, 
/**
 * The score.
 */
score: Score, 
/**
 * The score as shown, e.g. `35.6%`.
 */
display: string, 
/**
 * The score as the nearest `f64`, to plot a trend (never to compare or bill);
 * `None` when no score could be given.
 */
plotted: number | null, 
/**
 * Change from the episode's first administration (later ones only).
 */
since_first: Change | null, 
/**
 * Change from the previous administration (later ones only).
 */
since_previous: Change | null, };

export type ScoreView = { 
/**
 * The score as shown ("35.6%", or "no score").
 */
display: string, 
/**
 * What the missing-answer rule made of the answers.
 */
status: string, };

export type ClaimStatus = "draft" | "ready" | "submitted" | "paid" | "partially_paid" | "denied" | "void" | "appealed";

export type ClaimSummary = { 
/**
 * Id.
 */
id: string, 
/**
 * Patient control number (CLM01).
 */
control_number: string, 
/**
 * Patient.
 */
patient_id: string, 
/**
 * "Last, First".
 */
patient_name: string, 
/**
 * Payer.
 */
payer_id: string, 
/**
 * Payer's name.
 */
payer_name: string, 
/**
 * 1 primary, 2 secondary, 3 tertiary.
 */
responsibility: number, 
/**
 * Where it stands.
 */
status: ClaimStatus, 
/**
 * Rendering clinician.
 */
rendering_id: string, 
/**
 * First date of service.
 */
service_from: string, 
/**
 * Last date of service.
 */
service_to: string, 
/**
 * Total charge.
 */
charge_cents: number, 
/**
 * Paid by the payer.
 */
paid_cents: number, 
/**
 * Written off.
 */
written_off_cents: number, 
/**
 * Left to the patient.
 */
patient_resp_cents: number, 
/**
 * What the payer still owes: the charge (on a secondary claim, what the primary
 * payer left to the patient) less payment, write-offs and patient share.
 */
balance_cents: number, 
/**
 * When it was sent.
 */
submitted_on: string | null, };

export type AdjustmentView = { 
/**
 * CO, PR, OA, PI, CR.
 */
group: string, 
/**
 * CARC.
 */
reason: string, 
/**
 * Amount.
 */
cents: number, 
/**
 * What it means.
 */
words: string, 
/**
 * What its group means for who pays.
 */
group_words: string, };

export type ClaimLine = { 
/**
 * 1..=50.
 */
position: number, 
/**
 * The signed note it bills.
 */
note_id: string, 
/**
 * Date of service.
 */
date_of_service: string, 
/**
 * Code.
 */
code: string, 
/**
 * Modifiers in claim order.
 */
modifiers: Array<string>, 
/**
 * Units.
 */
units: number, 
/**
 * The code's documented minutes.
 */
minutes: number, 
/**
 * Charge for all units.
 */
charge_cents: number, 
/**
 * What the payer's fee schedule allows, if known.
 */
allowed_cents: number | null, 
/**
 * Diagnosis pointers (1-12).
 */
dx_pointers: Array<number>, 
/**
 * Paid.
 */
paid_cents: number, 
/**
 * Written off.
 */
written_off_cents: number, 
/**
 * Patient's share.
 */
patient_resp_cents: number, 
/**
 * The payer's adjustments, each in words.
 */
adjustments: Array<AdjustmentView>, 
/**
 * Where its visit happened (a place-of-service code).
 */
place_of_service: string | null, 
/**
 * What was done, for an unlisted code.
 */
description: string | null, 
/**
 * Whether its code is unlisted, so the claim must describe what was done.
 */
needs_description: boolean, };

export type ClaimEvent = { 
/**
 * When.
 */
at: string, 
/**
 * Who (none for a remittance).
 */
user_id: string | null, 
/**
 * From.
 */
from_status: string | null, 
/**
 * To.
 */
to_status: string, 
/**
 * clinic or remittance.
 */
source: string, 
/**
 * Why.
 */
reason: string | null, };

export type ClaimDetail = { 
/**
 * The episode.
 */
episode_id: string, 
/**
 * ICD-10-CM codes in pointer order.
 */
diagnoses: Array<string>, 
/**
 * Lines.
 */
lines: Array<ClaimLine>, 
/**
 * History, oldest first.
 */
history: Array<ClaimEvent>, 
/**
 * The statuses a person may move it to now (the lifecycle's, less a payer's and the
 * export's).
 */
steps: Array<ClaimStatus>, 
/**
 * Whether it may be voided and billed again from its notes ([`Chart::rebuild_claim`]).
 */
rebuildable: boolean, 
/**
 * Id.
 */
id: string, 
/**
 * Patient control number (CLM01).
 */
control_number: string, 
/**
 * Patient.
 */
patient_id: string, 
/**
 * "Last, First".
 */
patient_name: string, 
/**
 * Payer.
 */
payer_id: string, 
/**
 * Payer's name.
 */
payer_name: string, 
/**
 * 1 primary, 2 secondary, 3 tertiary.
 */
responsibility: number, 
/**
 * Where it stands.
 */
status: ClaimStatus, 
/**
 * Rendering clinician.
 */
rendering_id: string, 
/**
 * First date of service.
 */
service_from: string, 
/**
 * Last date of service.
 */
service_to: string, 
/**
 * Total charge.
 */
charge_cents: number, 
/**
 * Paid by the payer.
 */
paid_cents: number, 
/**
 * Written off.
 */
written_off_cents: number, 
/**
 * Left to the patient.
 */
patient_resp_cents: number, 
/**
 * What the payer still owes: the charge (on a secondary claim, what the primary
 * payer left to the patient) less payment, write-offs and patient share.
 */
balance_cents: number, 
/**
 * When it was sent.
 */
submitted_on: string | null, };

export type ScrubLevel = "error" | "warning";

export type ScrubCheck = "demographics" | "coverage" | "member_id" | "npi" | "billing_provider" | "payer_id" | "signature" | "plan_of_care" | "progress_report" | "authorization" | "ncci" | "mue" | "kx" | "minutes" | "claim";

export type FixAt = { 
/**
 * patient, episode, note, plan, payer, clinic, user, claim.
 */
screen: string, 
/**
 * The record.
 */
id: string, };

export type ModifierFix = { 
/**
 * The line's code.
 */
code: string, 
/**
 * The modifier to add.
 */
modifier: string, 
/**
 * When it applies, in words.
 */
words: string, };

export type ScrubFinding = { 
/**
 * Error or warning.
 */
level: ScrubLevel, 
/**
 * What kind.
 */
check: ScrubCheck, 
/**
 * What is wrong.
 */
message: string, 
/**
 * How to fix it.
 */
fix: string, 
/**
 * Where.
 */
at: FixAt, 
/**
 * A modifier that fixes it on one line, when one does.
 */
add_modifier: ModifierFix | null, };

export type ScrubReport = { 
/**
 * The claim.
 */
claim_id: string, 
/**
 * Its control number.
 */
control_number: string, 
/**
 * Findings, errors first.
 */
findings: Array<ScrubFinding>, };

export type ClaimScreen = { 
/**
 * The claim.
 */
claim: ClaimDetail, 
/**
 * What the scrubber finds now.
 */
scrub: ScrubReport, };

export type Buckets = { 
/**
 * 0 to 30 days.
 */
"0-30": number, 
/**
 * 31 to 60 days.
 */
"31-60": number, 
/**
 * 61 to 90 days.
 */
"61-90": number, 
/**
 * More than 90 days.
 */
"90+": number, 
/**
 * All of them.
 */
total: number, };

export type PayerAging = { 
/**
 * Payer.
 */
payer_id: string, 
/**
 * Name.
 */
payer_name: string, 
/**
 * Claims with a balance.
 */
claims: number, 
/**
 * Balances by age.
 */
buckets: Buckets, };

export type PatientBalance = { 
/**
 * Patient.
 */
patient_id: string, 
/**
 * "Last, First".
 */
patient_name: string, 
/**
 * Left to the patient by the last payer of each claim (deductible, coinsurance,
 * copay); a claim a secondary payer is working on counts that payer's share.
 */
insurance_resp_cents: number, 
/**
 * Self-pay charges.
 */
self_pay_cents: number, 
/**
 * Payments received from the patient.
 */
paid_cents: number, 
/**
 * What the patient owes now.
 */
balance_cents: number, };

export type Refund = { 
/**
 * `payer`: a payer paid a claim more than it owed; `patient`: a patient paid more
 * than they owe.
 */
owed_to: string, 
/**
 * The payer (a payer's overpayment).
 */
payer_name: string | null, 
/**
 * The claim overpaid (a payer's overpayment).
 */
claim_id: string | null, 
/**
 * Its control number.
 */
control_number: string | null, 
/**
 * The patient.
 */
patient_id: string, 
/**
 * "Last, First".
 */
patient_name: string, 
/**
 * How much to refund.
 */
cents: number, };

export type ArReport = { 
/**
 * The day the ages are counted to.
 */
as_of: string, 
/**
 * Insurance A/R by payer (a secondary claim counts what the primary left).
 */
payers: Array<PayerAging>, 
/**
 * All payers.
 */
total: Buckets, 
/**
 * Patients who owe something (a negative balance is a credit, also among `refunds`).
 */
patients: Array<PatientBalance>, 
/**
 * Money received beyond what was owed, to refund: each overpaid claim's excess (the
 * payer's, or one it took back before paying again) and each patient's credit.
 */
refunds: Array<Refund>, };

export type Denial = { 
/**
 * Id.
 */
id: string, 
/**
 * The claim.
 */
claim_id: string, 
/**
 * Its control number.
 */
control_number: string, 
/**
 * "Last, First".
 */
patient_name: string, 
/**
 * Payer.
 */
payer_name: string, 
/**
 * The claim line, if a line was denied.
 */
line_position: number | null, 
/**
 * Code denied.
 */
code: string, 
/**
 * Amount.
 */
cents: number, 
/**
 * Each reason in words.
 */
reasons: Array<string>, 
/**
 * Each remark in words.
 */
remarks: Array<string>, 
/**
 * open, appealed, corrected, written_off.
 */
status: string, 
/**
 * When it arrived.
 */
created_at: string, };

export type BillingView = { 
/**
 * Claims, newest service first.
 */
claims: Array<ClaimSummary>, 
/**
 * Every status, in lifecycle order: the claim list's filter.
 */
statuses: Array<ClaimStatus>, 
/**
 * The statuses of open claims (`ClaimStatus::is_open`), which the list shows first.
 */
open_statuses: Array<ClaimStatus>, 
/**
 * The denial work queue.
 */
denials: Array<Denial>, 
/**
 * A/R aging and patient balances, as of today.
 */
ar: ArReport, };

export type SkippedNote = { 
/**
 * The note.
 */
note_id: string, 
/**
 * Why.
 */
reason: string, };

export type BuildReport = { 
/**
 * New draft claims.
 */
claims: Array<string>, 
/**
 * Signed notes billed by them.
 */
notes: number, 
/**
 * Lines written.
 */
lines: number, 
/**
 * Notes not billed, and why.
 */
skipped: Array<SkippedNote>, };

export type ProviderAdjustmentView = { 
/**
 * The reason code (WO, FB, L6, ...).
 */
reason: string, 
/**
 * What it means.
 */
words: string, 
/**
 * The payer's reference.
 */
reference: string, 
/**
 * Amount: positive when withheld from the payment.
 */
cents: number, 
/**
 * The claim its reference names (by control number or the payer's claim number).
 */
claim_id: string | null, };

export type ImportedPayment = { 
/**
 * The stored remittance.
 */
remittance_id: string, 
/**
 * Payer.
 */
payer_name: string, 
/**
 * Check or EFT number.
 */
trace_number: string, 
/**
 * The payment's total.
 */
total_paid_cents: number, 
/**
 * Payments taken back by reversals (CLP02 22), as a positive amount.
 */
taken_back_cents: number, 
/**
 * Its provider-level adjustments, each in words.
 */
provider_adjustments: Array<ProviderAdjustmentView>, };

export type PostedClaim = { 
/**
 * The claim.
 */
claim_id: string, 
/**
 * Its control number.
 */
control_number: string, 
/**
 * Its status after posting.
 */
status: ClaimStatus | null, 
/**
 * Paid on it by this remittance.
 */
paid_cents: number, };

export type UnmatchedClaim = { 
/**
 * The control number the payer sent.
 */
control_number: string, 
/**
 * Why it was not posted.
 */
reason: string, };

export type ImportReport = { 
/**
 * The payments in the file (one per ST/SE transaction), each stored.
 */
payments: Array<ImportedPayment>, 
/**
 * Claims posted.
 */
posted: Array<PostedClaim>, 
/**
 * Claims or lines kept but not posted, and why.
 */
unmatched: Array<UnmatchedClaim>, 
/**
 * Denied lines added to the denial queue.
 */
denials: number, 
/**
 * On a chart linked to a clinic server, the server posts the remittance: the
 * claims' payments and statuses arrive with the next sync.
 */
server_posts: boolean, };

export type ExportView = { 
/**
 * Where.
 */
path: string, 
/**
 * Claims in it.
 */
claims: number, 
/**
 * Total charges.
 */
total_cents: number, };

export type ProductionRow = { 
/**
 * Payer.
 */
payer_name: string, 
/**
 * Rendering therapist.
 */
therapist_name: string, 
/**
 * Claims.
 */
claims: number, 
/**
 * Charges billed (counted once, on the claim built from the notes).
 */
charge_cents: number, 
/**
 * Paid by payers.
 */
paid_cents: number, 
/**
 * Written off.
 */
written_off_cents: number, 
/**
 * Left to patients.
 */
patient_resp_cents: number, };

export type BillingProfile = { 
/**
 * The clinic's legal name.
 */
name: string, 
/**
 * Type 2 NPI.
 */
npi: string | null, 
/**
 * EIN, nine digits.
 */
tax_id: string | null, 
/**
 * Street line (no PO box).
 */
address_line: string | null, 
/**
 * City.
 */
city: string | null, 
/**
 * Two-letter state.
 */
state: string | null, 
/**
 * ZIP+4, nine digits.
 */
zip: string | null, 
/**
 * Billing phone.
 */
phone: string | null, 
/**
 * Billing contact's name.
 */
billing_contact: string | null, 
/**
 * Provider taxonomy (225100000X, physical therapist).
 */
taxonomy: string, 
/**
 * The clinic's submitter id with its clearinghouse.
 */
submitter_id: string | null, 
/**
 * The clearinghouse's receiver id.
 */
receiver_id: string | null, 
/**
 * The clearinghouse's name.
 */
receiver_name: string | null, 
/**
 * Usual place of service (11 office).
 */
place_of_service: string, 
/**
 * A solo clinician who bills in their own name under their Type 1 NPI (the claims'
 * billing provider is then this person); `None` for a group billing under the
 * clinic's Type 2 NPI.
 */
billing_clinician_id: string | null, };

export type PayerBilling = { 
/**
 * The payer's electronic id (from the clearinghouse's payer list).
 */
payer_code: string | null, 
/**
 * Claim filing indicator (837P SBR09): MB, CI, BL, HM, MC, ...
 */
claim_filing: string, 
/**
 * Self-pay: no claims; the patient gets a superbill.
 */
self_pay: boolean, };

export type PostalAddress = { 
/**
 * Street line.
 */
line: string, 
/**
 * City.
 */
city: string, 
/**
 * Two-letter state.
 */
state: string, 
/**
 * ZIP, 5 or 9 digits.
 */
zip: string, };

export type BillingSetup = { 
/**
 * The clinic as billing provider.
 */
profile: BillingProfile, 
/**
 * The clinic's charge per unit, by code.
 */
charges: Array<[string, number]>, 
/**
 * Physical therapists (who render claims): id and name.
 */
clinicians: Array<[string, string]>, 
/**
 * How each payer is billed, by payer id: the payer form starts from what is stored.
 */
payers: { [key in string]: PayerBilling }, };

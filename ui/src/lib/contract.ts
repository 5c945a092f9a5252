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
 * The statuses it may be set to, with the buttons' words: `Chart::status_steps`.
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
hours: ClinicHours, };

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
clashes: Array<string>, };

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
 * The start times left out because they clashed.
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
 * Its MCID in score units, when it has one.
 */
mcid: number | null, 
/**
 * Whether a higher score is better.
 */
higher_is_better: boolean, 
/**
 * The scores by date, oldest first (administrations with no score left out).
 */
points: Array<TrendPoint>, 
/**
 * The change since the first administration, in one sentence, once there are two.
 */
since_first: string | null, };

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

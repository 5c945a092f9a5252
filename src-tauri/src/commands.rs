//! Tauri commands: one per operation, each a line over [`crate::desk::Desk`].

use crate::billing::{BillingSetup, BillingView, ClaimScreen, ExportView};
use crate::desk::{ChartView, Desk, DeskStatus, NewClinic, NoteScreen, UserView};
use crate::error::{CommandError, ErrorKind, Result};
use crate::insurance::{CodeLists, InsuranceView};
use crate::schedule::{ScheduleQuery, ScheduleView, SeriesPlanView};
use crate::sync::{JoinClinic, SyncIssuesView};
use stride_billing::ClaimStatus;
use stride_chart::alerts::Alert;
use stride_chart::banner::PatientBanner;
use stride_chart::billing::build::BuildReport;
use stride_chart::billing::claims::LineEdit;
use stride_chart::billing::profile::{BillingProfile, PayerBilling, PostalAddress};
use stride_chart::billing::remit::ImportReport;
use stride_chart::billing::reports::ProductionRow;
use stride_chart::episodes::{Episode, NewAuthorization, NewEpisode};
use stride_chart::insured::Insured;
use stride_chart::notes::NoteEdit;
use stride_chart::patients::{NewPatient, Patient};
use stride_chart::payers::Payer;
use stride_chart::quicktext::{QuickText, QuickTextUse};
use stride_chart::schedule::Appointment;
use stride_chart::series::{BookedSeries, SeriesRequest};
use tauri::State;

/// The desk as Tauri holds it: shared, so each command can take it to a worker thread.
pub type SharedDesk = std::sync::Arc<Desk>;

/// Runs a desk operation on a blocking worker thread, so that the window's main loop
/// never waits on the chart (or on another command waiting for it).
async fn off_main<T: Send + 'static>(
    desk: &SharedDesk,
    op: impl FnOnce(&Desk) -> Result<T> + Send + 'static,
) -> Result<T> {
    let desk = std::sync::Arc::clone(desk);
    tauri::async_runtime::spawn_blocking(move || op(&desk))
        .await
        .map_err(|e| {
            CommandError::new(
                ErrorKind::State,
                format!("the operation stopped before it finished: {e}"),
            )
        })?
}

/// What the app should show first.
#[tauri::command]
pub async fn status(desk: State<'_, SharedDesk>) -> Result<DeskStatus> {
    off_main(&desk, move |desk| desk.status()).await
}

/// First run: create the clinic and its owner.
#[tauri::command]
pub async fn create_clinic(desk: State<'_, SharedDesk>, clinic: NewClinic) -> Result<UserView> {
    off_main(&desk, move |desk| desk.create_clinic(clinic)).await
}

/// Open the clinic's chart.
#[tauri::command]
pub async fn unlock_chart(desk: State<'_, SharedDesk>, passphrase: Option<String>) -> Result<()> {
    off_main(&desk, move |desk| desk.unlock_chart(passphrase)).await
}

/// Open (making it on first use) the demo clinic.
#[tauri::command]
pub async fn open_demo(desk: State<'_, SharedDesk>) -> Result<UserView> {
    off_main(&desk, move |desk| desk.open_demo()).await
}

/// Sign in, or unlock the locked screen.
#[tauri::command]
pub async fn sign_in(desk: State<'_, SharedDesk>, name: String, password: String) -> Result<UserView> {
    desk.sign_in(&name, &password).await
}

/// Unlock the locked screen with a PIN.
#[tauri::command]
pub async fn unlock_with_pin(desk: State<'_, SharedDesk>, pin: String) -> Result<UserView> {
    off_main(&desk, move |desk| desk.unlock_with_pin(&pin)).await
}

/// Set the signed-in user's PIN.
#[tauri::command]
pub async fn set_pin(desk: State<'_, SharedDesk>, pin: String) -> Result<()> {
    off_main(&desk, move |desk| desk.set_pin(&pin)).await
}

/// Lock the screen.
#[tauri::command]
pub async fn lock(desk: State<'_, SharedDesk>) -> Result<()> {
    off_main(&desk, move |desk| desk.lock()).await
}

/// A day's or a week's schedule.
#[tauri::command]
pub async fn schedule(desk: State<'_, SharedDesk>, query: ScheduleQuery) -> Result<ScheduleView> {
    off_main(&desk, move |desk| desk.schedule(query)).await
}

/// Book a visit (with the signed-in clinician unless another is named).
#[tauri::command]
pub async fn book_appointment(
    desk: State<'_, SharedDesk>,
    patient_id: String,
    episode_id: Option<String>,
    therapist_id: Option<String>,
    starts_at: String,
    minutes: u32,
) -> Result<Appointment> {
    off_main(&desk, move |desk| {
        desk.book(
            &patient_id,
            episode_id.as_deref(),
            therapist_id.as_deref(),
            &starts_at,
            minutes,
        )
    })
    .await
}

/// Plan a recurring series: each visit and its clashes, nothing booked.
#[tauri::command]
pub async fn plan_series(desk: State<'_, SharedDesk>, request: SeriesRequest) -> Result<SeriesPlanView> {
    off_main(&desk, move |desk| desk.plan_series(request)).await
}

/// Book a recurring series.
#[tauri::command]
pub async fn book_series(
    desk: State<'_, SharedDesk>,
    request: SeriesRequest,
    skip_clashes: bool,
) -> Result<BookedSeries> {
    off_main(&desk, move |desk| desk.book_series(request, skip_clashes)).await
}

/// Cancel a series' visits from one on.
#[tauri::command]
pub async fn cancel_series(desk: State<'_, SharedDesk>, series_id: String, from: String) -> Result<usize> {
    off_main(&desk, move |desk| desk.cancel_series(&series_id, &from)).await
}

/// Move a booked visit.
#[tauri::command]
pub async fn move_appointment(
    desk: State<'_, SharedDesk>,
    id: String,
    starts_at: String,
    therapist_id: Option<String>,
) -> Result<Appointment> {
    off_main(&desk, move |desk| {
        desk.move_appointment(&id, &starts_at, therapist_id.as_deref())
    })
    .await
}

/// The clinic's quick text.
#[tauri::command]
pub async fn quick_texts(desk: State<'_, SharedDesk>) -> Result<Vec<QuickText>> {
    off_main(&desk, move |desk| desk.quick_texts()).await
}

/// Add or replace a phrase or template line.
#[tauri::command]
pub async fn add_quick_text(
    desk: State<'_, SharedDesk>,
    used_as: QuickTextUse,
    text: String,
) -> Result<Vec<QuickText>> {
    off_main(&desk, move |desk| desk.add_quick_text(&used_as, &text)).await
}

/// Retire a phrase or template line.
#[tauri::command]
pub async fn retire_quick_text(desk: State<'_, SharedDesk>, id: String) -> Result<Vec<QuickText>> {
    off_main(&desk, move |desk| desk.retire_quick_text(&id)).await
}

/// Set the clinic's opening hours (administrators).
#[tauri::command]
pub async fn set_clinic_hours(
    desk: State<'_, SharedDesk>,
    opens_at: String,
    closes_at: String,
    open_days: Vec<u8>,
) -> Result<stride_protocol::hours::ClinicHours> {
    off_main(&desk, move |desk| {
        desk.set_clinic_hours(&opens_at, &closes_at, &open_days)
    })
    .await
}

/// The days the clinic is closed from today on.
#[tauri::command]
pub async fn clinic_closures(desk: State<'_, SharedDesk>) -> Result<Vec<stride_protocol::hours::Closure>> {
    off_main(&desk, move |desk| desk.clinic_closures()).await
}

/// Close the clinic on a day (administrators).
#[tauri::command]
pub async fn close_clinic_on(
    desk: State<'_, SharedDesk>,
    day: String,
    reason: String,
) -> Result<stride_chart::calendar::ClosureMade> {
    off_main(&desk, move |desk| desk.close_clinic_on(&day, &reason)).await
}

/// Open the clinic again on a closed day (administrators).
#[tauri::command]
pub async fn reopen_clinic_on(desk: State<'_, SharedDesk>, day: String) -> Result<()> {
    off_main(&desk, move |desk| desk.reopen_clinic_on(&day)).await
}

/// Check in, no-show, cancel.
#[tauri::command]
pub async fn set_appointment_status(desk: State<'_, SharedDesk>, id: String, status: String) -> Result<()> {
    off_main(&desk, move |desk| desk.set_appointment_status(&id, &status)).await
}

/// Patient search as you type.
#[tauri::command]
pub async fn search_patients(desk: State<'_, SharedDesk>, text: String) -> Result<Vec<Patient>> {
    off_main(&desk, move |desk| desk.search_patients(&text)).await
}

/// ICD-10-CM codes matching what is typed.
#[tauri::command]
pub async fn search_diagnoses(desk: State<'_, SharedDesk>, text: String) -> Result<Vec<crate::desk::DiagnosisOption>> {
    off_main(&desk, move |desk| desk.search_diagnoses(&text)).await
}

/// Register a patient.
#[tauri::command]
pub async fn add_patient(desk: State<'_, SharedDesk>, patient: NewPatient) -> Result<Patient> {
    off_main(&desk, move |desk| desk.add_patient(patient)).await
}

/// The clinic's payers.
#[tauri::command]
pub async fn payers(desk: State<'_, SharedDesk>) -> Result<Vec<Payer>> {
    off_main(&desk, move |desk| desk.payers()).await
}

/// Add a payer.
#[tauri::command]
pub async fn add_payer(desk: State<'_, SharedDesk>, name: String, method: String) -> Result<Payer> {
    off_main(&desk, move |desk| desk.add_payer(&name, &method)).await
}

/// Open an episode of care.
#[tauri::command]
pub async fn add_episode(desk: State<'_, SharedDesk>, episode: NewEpisode) -> Result<Episode> {
    off_main(&desk, move |desk| desk.add_episode(episode)).await
}

/// A patient's chart.
#[tauri::command]
pub async fn patient_chart(desk: State<'_, SharedDesk>, patient_id: String) -> Result<ChartView> {
    off_main(&desk, move |desk| desk.patient_chart(&patient_id)).await
}

/// Start a note.
#[tauri::command]
pub async fn create_note(
    desk: State<'_, SharedDesk>,
    episode_id: String,
    kind: String,
    date: String,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.create_note(&episode_id, &kind, &date)).await
}

/// The note of a visit on the schedule (started if need be).
#[tauri::command]
pub async fn open_visit_note(desk: State<'_, SharedDesk>, appointment_id: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.open_visit_note(&appointment_id)).await
}

/// A note with its billing.
#[tauri::command]
pub async fn note(desk: State<'_, SharedDesk>, id: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.note(&id)).await
}

/// Autosave a draft's fields.
#[tauri::command]
pub async fn save_note(desk: State<'_, SharedDesk>, id: String, edit: NoteEdit) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.save_note(&id, edit)).await
}

/// Set an intervention's minutes.
#[tauri::command]
pub async fn set_service(
    desk: State<'_, SharedDesk>,
    id: String,
    code: String,
    minutes: u32,
    pta_minutes: Option<u32>,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.set_service(&id, &code, minutes, pta_minutes)).await
}

/// Mark (or unmark) an NCCI pair as done in separate, distinct time intervals.
#[tauri::command]
pub async fn set_distinct_pair(
    desk: State<'_, SharedDesk>,
    id: String,
    first: String,
    second: String,
    distinct: bool,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| {
        desk.set_distinct_pair(&id, [&first, &second], distinct)
    })
    .await
}

/// Write a plan of care.
#[tauri::command]
pub async fn add_plan(
    desk: State<'_, SharedDesk>,
    plan: stride_chart::plans::NewPlan,
) -> Result<stride_chart::plans::Plan> {
    off_main(&desk, move |desk| desk.add_plan(plan)).await
}

/// Record the physician's certification of a plan of care.
#[tauri::command]
pub async fn certify_plan(
    desk: State<'_, SharedDesk>,
    plan_id: String,
    signed_on: String,
    method: String,
) -> Result<stride_chart::plans::Plan> {
    off_main(&desk, move |desk| desk.certify_plan(&plan_id, &signed_on, &method)).await
}

/// Say in a draft where a goal stands (no status: take the draft's word back).
#[tauri::command]
pub async fn assess_goal(
    desk: State<'_, SharedDesk>,
    id: String,
    goal_id: String,
    status: Option<stride_chart::goals::GoalStatus>,
    comment: String,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.assess_goal(&id, &goal_id, status, &comment)).await
}

/// Replace a draft's flowsheet.
#[tauri::command]
pub async fn set_flowsheet(
    desk: State<'_, SharedDesk>,
    id: String,
    rows: Vec<stride_chart::notes::FlowsheetRow>,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.set_flowsheet(&id, rows)).await
}

/// Remove an intervention.
#[tauri::command]
pub async fn remove_service(desk: State<'_, SharedDesk>, id: String, code: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.remove_service(&id, &code)).await
}

/// Sign a note.
#[tauri::command]
pub async fn sign_note(desk: State<'_, SharedDesk>, id: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.sign_note(&id)).await
}

/// Co-sign a PTA's note.
#[tauri::command]
pub async fn cosign_note(desk: State<'_, SharedDesk>, id: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.cosign_note(&id)).await
}

/// Add a signed addendum.
#[tauri::command]
pub async fn add_addendum(desk: State<'_, SharedDesk>, id: String, text: String) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.add_addendum(&id, &text)).await
}

/// The outcome measures Stride scores.
#[tauri::command]
pub async fn measure_forms(desk: State<'_, SharedDesk>) -> Result<Vec<crate::desk::MeasureForm>> {
    off_main(&desk, move |desk| desk.measure_forms()).await
}

/// Score answers as the form is filled.
#[tauri::command]
pub async fn score_measure(
    desk: State<'_, SharedDesk>,
    measure_id: String,
    answers: stride_measures::Answers,
) -> Result<crate::desk::ScoreView> {
    off_main(&desk, move |desk| desk.score_measure(&measure_id, &answers)).await
}

/// Record a measure; returns the episode's history of it and its trend.
#[tauri::command]
pub async fn record_measure(
    desk: State<'_, SharedDesk>,
    episode_id: String,
    measure_id: String,
    date: String,
    answers: stride_measures::Answers,
) -> Result<crate::trend::MeasureHistory> {
    off_main(&desk, move |desk| {
        desk.record_measure(&episode_id, &measure_id, &date, &answers)
    })
    .await
}

/// An episode's history of one measure and its trend.
#[tauri::command]
pub async fn measure_history(
    desk: State<'_, SharedDesk>,
    episode_id: String,
    measure_id: String,
) -> Result<crate::trend::MeasureHistory> {
    off_main(&desk, move |desk| desk.measure_history(&episode_id, &measure_id)).await
}

/// Every compliance alert.
#[tauri::command]
pub async fn alerts(desk: State<'_, SharedDesk>) -> Result<Vec<Alert>> {
    off_main(&desk, move |desk| desk.alerts()).await
}

/// First run on a machine joining a clinic server (async: off the window's thread).
#[tauri::command]
pub async fn join_clinic(desk: State<'_, SharedDesk>, join: JoinClinic) -> Result<UserView> {
    desk.join_clinic(join).await
}

/// Sync now.
#[tauri::command]
pub fn sync_now(desk: State<'_, SharedDesk>) {
    desk.sync_now();
}

/// Open sync issues and refused changes.
#[tauri::command]
pub async fn sync_issues(desk: State<'_, SharedDesk>) -> Result<SyncIssuesView> {
    off_main(&desk, move |desk| desk.sync_issues()).await
}

/// Settle a sync issue, keeping the record's version or taking the other.
#[tauri::command]
pub async fn resolve_sync_issue(desk: State<'_, SharedDesk>, issue_id: String, use_other: bool) -> Result<()> {
    off_main(&desk, move |desk| desk.resolve_sync_issue(&issue_id, use_other)).await
}

/// The billing screen: claims, denials, A/R.
#[tauri::command]
pub async fn billing(desk: State<'_, SharedDesk>) -> Result<BillingView> {
    off_main(&desk, move |desk| desk.billing()).await
}

/// Build draft claims from the signed notes of a period.
#[tauri::command]
pub async fn build_claims(desk: State<'_, SharedDesk>, from: String, to: String) -> Result<BuildReport> {
    off_main(&desk, move |desk| desk.build_claims(&from, &to)).await
}

/// One claim and its scrubber findings.
#[tauri::command]
pub async fn claim(desk: State<'_, SharedDesk>, id: String) -> Result<ClaimScreen> {
    off_main(&desk, move |desk| desk.claim(&id)).await
}

/// Mark clean draft claims ready; returns those left as drafts.
#[tauri::command]
pub async fn mark_claims_ready(desk: State<'_, SharedDesk>, ids: Vec<String>) -> Result<Vec<(String, String)>> {
    off_main(&desk, move |desk| desk.mark_ready(&ids)).await
}

/// Move a claim from the status shown to another.
#[tauri::command]
pub async fn set_claim_status(
    desk: State<'_, SharedDesk>,
    id: String,
    from: ClaimStatus,
    to: ClaimStatus,
    reason: Option<String>,
) -> Result<()> {
    off_main(&desk, move |desk| {
        desk.set_claim_status(&id, from, to, reason.as_deref())
    })
    .await
}

/// Change one line of a draft claim.
#[tauri::command]
pub async fn edit_claim_line(
    desk: State<'_, SharedDesk>,
    id: String,
    position: u32,
    edit: LineEdit,
) -> Result<ClaimScreen> {
    off_main(&desk, move |desk| desk.edit_claim_line(&id, position, &edit)).await
}

/// Void a claim and bill its notes again.
#[tauri::command]
pub async fn rebuild_claim(desk: State<'_, SharedDesk>, id: String) -> Result<BuildReport> {
    off_main(&desk, move |desk| desk.rebuild_claim(&id)).await
}

/// Write the ready claims as an 837P file and mark them submitted.
#[tauri::command]
pub async fn export_837(desk: State<'_, SharedDesk>) -> Result<ExportView> {
    off_main(&desk, move |desk| desk.export_837()).await
}

/// Post an 835 remittance.
#[tauri::command]
pub async fn import_835(desk: State<'_, SharedDesk>, contents: String) -> Result<ImportReport> {
    off_main(&desk, move |desk| desk.import_835(&contents)).await
}

/// Record what was done about a denial.
#[tauri::command]
pub async fn resolve_denial(desk: State<'_, SharedDesk>, id: String, status: String) -> Result<()> {
    off_main(&desk, move |desk| desk.resolve_denial(&id, &status)).await
}

/// Write a patient's superbill PDF; returns its path.
#[tauri::command]
pub async fn superbill(desk: State<'_, SharedDesk>, patient_id: String, from: String, to: String) -> Result<String> {
    off_main(&desk, move |desk| desk.superbill(&patient_id, &from, &to)).await
}

/// The demo clinic's made-up payer writes an 835 for the submitted claims; returns its path.
#[tauri::command]
pub async fn demo_remittance(desk: State<'_, SharedDesk>) -> Result<String> {
    off_main(&desk, move |desk| desk.demo_remittance()).await
}

/// Charges and payments by payer and therapist for claims in a period.
#[tauri::command]
pub async fn production(desk: State<'_, SharedDesk>, from: String, to: String) -> Result<Vec<ProductionRow>> {
    off_main(&desk, move |desk| desk.production(&from, &to)).await
}

/// The clinic's billing details, charges and clinicians.
#[tauri::command]
pub async fn billing_setup(desk: State<'_, SharedDesk>) -> Result<BillingSetup> {
    off_main(&desk, move |desk| desk.billing_setup()).await
}

/// Set the clinic's billing details.
#[tauri::command]
pub async fn set_billing_profile(desk: State<'_, SharedDesk>, profile: BillingProfile) -> Result<()> {
    off_main(&desk, move |desk| desk.set_billing_profile(&profile)).await
}

/// Set the clinic's charge per unit of a code.
#[tauri::command]
pub async fn set_clinic_fee(desk: State<'_, SharedDesk>, code: String, cents: i64) -> Result<()> {
    off_main(&desk, move |desk| desk.set_clinic_fee(&code, cents)).await
}

/// Set how a payer is billed.
#[tauri::command]
pub async fn set_payer_billing(desk: State<'_, SharedDesk>, payer_id: String, billing: PayerBilling) -> Result<()> {
    off_main(&desk, move |desk| desk.set_payer_billing(&payer_id, &billing)).await
}

/// Set a patient's postal address.
#[tauri::command]
pub async fn set_patient_address(
    desk: State<'_, SharedDesk>,
    patient_id: String,
    address: PostalAddress,
) -> Result<()> {
    off_main(&desk, move |desk| desk.set_patient_address(&patient_id, &address)).await
}

/// Record the therapy other providers billed a patient in a year (it counts toward KX).
#[tauri::command]
pub async fn set_outside_therapy(desk: State<'_, SharedDesk>, patient_id: String, year: i32, cents: i64) -> Result<()> {
    off_main(&desk, move |desk| desk.set_outside_therapy(&patient_id, year, cents)).await
}

/// Set a clinician's NPI.
#[tauri::command]
pub async fn set_user_npi(desk: State<'_, SharedDesk>, user_id: String, npi: String) -> Result<()> {
    off_main(&desk, move |desk| desk.set_user_npi(&user_id, &npi)).await
}

/// The code lists the insurance and note forms offer (MSP types, places of service,
/// relationships), in words.
#[tauri::command]
pub fn code_lists() -> CodeLists {
    crate::insurance::code_lists()
}

/// A patient's insurance details: coverage terms, QMB, authorizations.
#[tauri::command]
pub async fn insurance(desk: State<'_, SharedDesk>, patient_id: String) -> Result<InsuranceView> {
    off_main(&desk, move |desk| desk.insurance(&patient_id)).await
}

/// Record a coverage's insured (null: the patient is the insured).
#[tauri::command]
pub async fn set_coverage_insured(
    desk: State<'_, SharedDesk>,
    coverage_id: String,
    insured: Option<Insured>,
) -> Result<()> {
    off_main(&desk, move |desk| desk.set_coverage_insured(&coverage_id, insured)).await
}

/// Record why Medicare pays second on a coverage (null clears it).
#[tauri::command]
pub async fn set_msp_type(desk: State<'_, SharedDesk>, coverage_id: String, msp_type: Option<String>) -> Result<()> {
    off_main(&desk, move |desk| desk.set_msp_type(&coverage_id, msp_type)).await
}

/// Record whether a patient is a Qualified Medicare Beneficiary.
#[tauri::command]
pub async fn set_qmb(desk: State<'_, SharedDesk>, patient_id: String, qmb: bool) -> Result<()> {
    off_main(&desk, move |desk| desk.set_qmb(&patient_id, qmb)).await
}

/// Add a payer's authorization to an episode.
#[tauri::command]
pub async fn add_authorization(
    desk: State<'_, SharedDesk>,
    episode_id: String,
    authorization: NewAuthorization,
) -> Result<()> {
    off_main(&desk, move |desk| desk.add_authorization(&episode_id, authorization)).await
}

/// Set where a draft note's visit took place (null: the clinic's usual place).
#[tauri::command]
pub async fn set_place_of_service(
    desk: State<'_, SharedDesk>,
    id: String,
    place: Option<String>,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.set_place_of_service(&id, place)).await
}

/// Choose the episode's diagnoses a service on a draft treats (pointers, 1 the first).
#[tauri::command]
pub async fn set_service_diagnoses(
    desk: State<'_, SharedDesk>,
    id: String,
    code: String,
    pointers: Vec<u8>,
) -> Result<NoteScreen> {
    off_main(&desk, move |desk| desk.set_service_diagnoses(&id, &code, &pointers)).await
}

/// The patient banner: who, and what not to miss, for an episode (default: the open one).
#[tauri::command]
pub async fn patient_banner(
    desk: State<'_, SharedDesk>,
    patient_id: String,
    episode_id: Option<String>,
) -> Result<PatientBanner> {
    off_main(&desk, move |desk| {
        desk.patient_banner(&patient_id, episode_id.as_deref())
    })
    .await
}

/// Record a patient's allergies and precautions.
#[tauri::command]
pub async fn set_patient_safety(
    desk: State<'_, SharedDesk>,
    patient_id: String,
    allergies: Option<String>,
    precautions: Option<String>,
) -> Result<()> {
    off_main(&desk, move |desk| {
        desk.set_patient_safety(&patient_id, allergies.as_deref(), precautions.as_deref())
    })
    .await
}

/// The user is still there (the page saw them type, click or scroll): the idle lock's
/// clock starts again.
#[tauri::command]
pub async fn still_here(desk: State<'_, SharedDesk>) -> Result<()> {
    off_main(&desk, move |desk| desk.still_here()).await
}

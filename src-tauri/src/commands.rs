//! Tauri commands: one per operation, each a line over [`crate::desk::Desk`].

use crate::billing::{BillingSetup, BillingView, ClaimScreen, ExportView};
use crate::desk::{ChartView, Desk, DeskStatus, NewClinic, NoteScreen, ScheduleRow, UserView};
use crate::error::Result;
use crate::insurance::{CodeLists, InsuranceView};
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
use stride_chart::schedule::Appointment;
use tauri::State;

/// What the app should show first.
#[tauri::command]
pub fn status(desk: State<'_, Desk>) -> Result<DeskStatus> {
    desk.status()
}

/// First run: create the clinic and its owner.
#[tauri::command]
pub fn create_clinic(desk: State<'_, Desk>, clinic: NewClinic) -> Result<UserView> {
    desk.create_clinic(clinic)
}

/// Open the clinic's chart.
#[tauri::command]
pub fn unlock_chart(desk: State<'_, Desk>, passphrase: Option<String>) -> Result<()> {
    desk.unlock_chart(passphrase)
}

/// Open (making it on first use) the demo clinic.
#[tauri::command]
pub fn open_demo(desk: State<'_, Desk>) -> Result<UserView> {
    desk.open_demo()
}

/// Sign in, or unlock the locked screen.
#[tauri::command]
pub async fn sign_in(desk: State<'_, Desk>, name: String, password: String) -> Result<UserView> {
    desk.sign_in(&name, &password).await
}

/// Unlock the locked screen with a PIN.
#[tauri::command]
pub fn unlock_with_pin(desk: State<'_, Desk>, pin: String) -> Result<UserView> {
    desk.unlock_with_pin(&pin)
}

/// Set the signed-in user's PIN.
#[tauri::command]
pub fn set_pin(desk: State<'_, Desk>, pin: String) -> Result<()> {
    desk.set_pin(&pin)
}

/// Lock the screen.
#[tauri::command]
pub fn lock(desk: State<'_, Desk>) -> Result<()> {
    desk.lock()
}

/// A day's schedule.
#[tauri::command]
pub fn schedule(desk: State<'_, Desk>, day: Option<String>) -> Result<Vec<ScheduleRow>> {
    desk.schedule(day)
}

/// Book an appointment with the signed-in clinician.
#[tauri::command]
pub fn book_appointment(
    desk: State<'_, Desk>,
    patient_id: String,
    episode_id: Option<String>,
    starts_at: String,
    minutes: u32,
) -> Result<Appointment> {
    desk.book(&patient_id, episode_id.as_deref(), &starts_at, minutes)
}

/// Check in, no-show, cancel.
#[tauri::command]
pub fn set_appointment_status(desk: State<'_, Desk>, id: String, status: String) -> Result<()> {
    desk.set_appointment_status(&id, &status)
}

/// Patient search as you type.
#[tauri::command]
pub fn search_patients(desk: State<'_, Desk>, text: String) -> Result<Vec<Patient>> {
    desk.search_patients(&text)
}

/// ICD-10-CM codes matching what is typed.
#[tauri::command]
pub fn search_diagnoses(desk: State<'_, Desk>, text: String) -> Result<Vec<crate::desk::DiagnosisOption>> {
    desk.search_diagnoses(&text)
}

/// Register a patient.
#[tauri::command]
pub fn add_patient(desk: State<'_, Desk>, patient: NewPatient) -> Result<Patient> {
    desk.add_patient(patient)
}

/// The clinic's payers.
#[tauri::command]
pub fn payers(desk: State<'_, Desk>) -> Result<Vec<Payer>> {
    desk.payers()
}

/// Add a payer.
#[tauri::command]
pub fn add_payer(desk: State<'_, Desk>, name: String, method: String) -> Result<Payer> {
    desk.add_payer(&name, &method)
}

/// Open an episode of care.
#[tauri::command]
pub fn add_episode(desk: State<'_, Desk>, episode: NewEpisode) -> Result<Episode> {
    desk.add_episode(episode)
}

/// A patient's chart.
#[tauri::command]
pub fn patient_chart(desk: State<'_, Desk>, patient_id: String) -> Result<ChartView> {
    desk.patient_chart(&patient_id)
}

/// Start a note.
#[tauri::command]
pub fn create_note(desk: State<'_, Desk>, episode_id: String, kind: String, date: String) -> Result<NoteScreen> {
    desk.create_note(&episode_id, &kind, &date)
}

/// The note of a visit on the schedule (started if need be).
#[tauri::command]
pub fn open_visit_note(desk: State<'_, Desk>, appointment_id: String) -> Result<NoteScreen> {
    desk.open_visit_note(&appointment_id)
}

/// A note with its billing.
#[tauri::command]
pub fn note(desk: State<'_, Desk>, id: String) -> Result<NoteScreen> {
    desk.note(&id)
}

/// Autosave a draft's fields.
#[tauri::command]
pub fn save_note(desk: State<'_, Desk>, id: String, edit: NoteEdit) -> Result<NoteScreen> {
    desk.save_note(&id, edit)
}

/// Set an intervention's minutes.
#[tauri::command]
pub fn set_service(
    desk: State<'_, Desk>,
    id: String,
    code: String,
    minutes: u32,
    pta_minutes: Option<u32>,
) -> Result<NoteScreen> {
    desk.set_service(&id, &code, minutes, pta_minutes)
}

/// Mark (or unmark) an NCCI pair as done in separate, distinct time intervals.
#[tauri::command]
pub fn set_distinct_pair(
    desk: State<'_, Desk>,
    id: String,
    first: String,
    second: String,
    distinct: bool,
) -> Result<NoteScreen> {
    desk.set_distinct_pair(&id, [&first, &second], distinct)
}

/// Replace a draft's flowsheet.
#[tauri::command]
pub fn set_flowsheet(
    desk: State<'_, Desk>,
    id: String,
    rows: Vec<stride_chart::notes::FlowsheetRow>,
) -> Result<NoteScreen> {
    desk.set_flowsheet(&id, rows)
}

/// Remove an intervention.
#[tauri::command]
pub fn remove_service(desk: State<'_, Desk>, id: String, code: String) -> Result<NoteScreen> {
    desk.remove_service(&id, &code)
}

/// Sign a note.
#[tauri::command]
pub fn sign_note(desk: State<'_, Desk>, id: String) -> Result<NoteScreen> {
    desk.sign_note(&id)
}

/// Co-sign a PTA's note.
#[tauri::command]
pub fn cosign_note(desk: State<'_, Desk>, id: String) -> Result<NoteScreen> {
    desk.cosign_note(&id)
}

/// Add a signed addendum.
#[tauri::command]
pub fn add_addendum(desk: State<'_, Desk>, id: String, text: String) -> Result<NoteScreen> {
    desk.add_addendum(&id, &text)
}

/// The outcome measures Stride scores.
#[tauri::command]
pub fn measure_forms(desk: State<'_, Desk>) -> Result<Vec<crate::desk::MeasureForm>> {
    desk.measure_forms()
}

/// Score answers as the form is filled.
#[tauri::command]
pub fn score_measure(
    desk: State<'_, Desk>,
    measure_id: String,
    answers: stride_measures::Answers,
) -> Result<crate::desk::ScoreView> {
    desk.score_measure(&measure_id, &answers)
}

/// Record a measure; returns the episode's history of it.
#[tauri::command]
pub fn record_measure(
    desk: State<'_, Desk>,
    episode_id: String,
    measure_id: String,
    date: String,
    answers: stride_measures::Answers,
) -> Result<Vec<stride_chart::measures::MeasureResult>> {
    desk.record_measure(&episode_id, &measure_id, &date, &answers)
}

/// An episode's history of one measure.
#[tauri::command]
pub fn measure_history(
    desk: State<'_, Desk>,
    episode_id: String,
    measure_id: String,
) -> Result<Vec<stride_chart::measures::MeasureResult>> {
    desk.measure_history(&episode_id, &measure_id)
}

/// Every compliance alert.
#[tauri::command]
pub fn alerts(desk: State<'_, Desk>) -> Result<Vec<Alert>> {
    desk.alerts()
}

/// First run on a machine joining a clinic server (async: off the window's thread).
#[tauri::command]
pub async fn join_clinic(desk: State<'_, Desk>, join: JoinClinic) -> Result<UserView> {
    desk.join_clinic(join).await
}

/// Sync now.
#[tauri::command]
pub fn sync_now(desk: State<'_, Desk>) {
    desk.sync_now();
}

/// Open sync issues and refused changes.
#[tauri::command]
pub fn sync_issues(desk: State<'_, Desk>) -> Result<SyncIssuesView> {
    desk.sync_issues()
}

/// Settle a sync issue, keeping the record's version or taking the other.
#[tauri::command]
pub fn resolve_sync_issue(desk: State<'_, Desk>, issue_id: String, use_other: bool) -> Result<()> {
    desk.resolve_sync_issue(&issue_id, use_other)
}

/// The billing screen: claims, denials, A/R.
#[tauri::command]
pub fn billing(desk: State<'_, Desk>) -> Result<BillingView> {
    desk.billing()
}

/// Build draft claims from the signed notes of a period.
#[tauri::command]
pub fn build_claims(desk: State<'_, Desk>, from: String, to: String) -> Result<BuildReport> {
    desk.build_claims(&from, &to)
}

/// One claim and its scrubber findings.
#[tauri::command]
pub fn claim(desk: State<'_, Desk>, id: String) -> Result<ClaimScreen> {
    desk.claim(&id)
}

/// Mark clean draft claims ready; returns those left as drafts.
#[tauri::command]
pub fn mark_claims_ready(desk: State<'_, Desk>, ids: Vec<String>) -> Result<Vec<(String, String)>> {
    desk.mark_ready(&ids)
}

/// Move a claim from the status shown to another.
#[tauri::command]
pub fn set_claim_status(
    desk: State<'_, Desk>,
    id: String,
    from: ClaimStatus,
    to: ClaimStatus,
    reason: Option<String>,
) -> Result<()> {
    desk.set_claim_status(&id, from, to, reason.as_deref())
}

/// Change one line of a draft claim.
#[tauri::command]
pub fn edit_claim_line(desk: State<'_, Desk>, id: String, position: u32, edit: LineEdit) -> Result<ClaimScreen> {
    desk.edit_claim_line(&id, position, &edit)
}

/// Void a claim and bill its notes again.
#[tauri::command]
pub fn rebuild_claim(desk: State<'_, Desk>, id: String) -> Result<BuildReport> {
    desk.rebuild_claim(&id)
}

/// Write the ready claims as an 837P file and mark them submitted.
#[tauri::command]
pub fn export_837(desk: State<'_, Desk>) -> Result<ExportView> {
    desk.export_837()
}

/// Post an 835 remittance.
#[tauri::command]
pub fn import_835(desk: State<'_, Desk>, contents: String) -> Result<ImportReport> {
    desk.import_835(&contents)
}

/// Record what was done about a denial.
#[tauri::command]
pub fn resolve_denial(desk: State<'_, Desk>, id: String, status: String) -> Result<()> {
    desk.resolve_denial(&id, &status)
}

/// Write a patient's superbill PDF; returns its path.
#[tauri::command]
pub fn superbill(desk: State<'_, Desk>, patient_id: String, from: String, to: String) -> Result<String> {
    desk.superbill(&patient_id, &from, &to)
}

/// The demo clinic's made-up payer writes an 835 for the submitted claims; returns its path.
#[tauri::command]
pub fn demo_remittance(desk: State<'_, Desk>) -> Result<String> {
    desk.demo_remittance()
}

/// Charges and payments by payer and therapist for claims in a period.
#[tauri::command]
pub fn production(desk: State<'_, Desk>, from: String, to: String) -> Result<Vec<ProductionRow>> {
    desk.production(&from, &to)
}

/// The clinic's billing details, charges and clinicians.
#[tauri::command]
pub fn billing_setup(desk: State<'_, Desk>) -> Result<BillingSetup> {
    desk.billing_setup()
}

/// Set the clinic's billing details.
#[tauri::command]
pub fn set_billing_profile(desk: State<'_, Desk>, profile: BillingProfile) -> Result<()> {
    desk.set_billing_profile(&profile)
}

/// Set the clinic's charge per unit of a code.
#[tauri::command]
pub fn set_clinic_fee(desk: State<'_, Desk>, code: String, cents: i64) -> Result<()> {
    desk.set_clinic_fee(&code, cents)
}

/// Set how a payer is billed.
#[tauri::command]
pub fn set_payer_billing(desk: State<'_, Desk>, payer_id: String, billing: PayerBilling) -> Result<()> {
    desk.set_payer_billing(&payer_id, &billing)
}

/// Set a patient's postal address.
#[tauri::command]
pub fn set_patient_address(desk: State<'_, Desk>, patient_id: String, address: PostalAddress) -> Result<()> {
    desk.set_patient_address(&patient_id, &address)
}

/// Record the therapy other providers billed a patient in a year (it counts toward KX).
#[tauri::command]
pub fn set_outside_therapy(desk: State<'_, Desk>, patient_id: String, year: i32, cents: i64) -> Result<()> {
    desk.set_outside_therapy(&patient_id, year, cents)
}

/// Set a clinician's NPI.
#[tauri::command]
pub fn set_user_npi(desk: State<'_, Desk>, user_id: String, npi: String) -> Result<()> {
    desk.set_user_npi(&user_id, &npi)
}

/// The code lists the insurance and note forms offer (MSP types, places of service,
/// relationships), in words.
#[tauri::command]
pub fn code_lists() -> CodeLists {
    crate::insurance::code_lists()
}

/// A patient's insurance details: coverage terms, QMB, authorizations.
#[tauri::command]
pub fn insurance(desk: State<'_, Desk>, patient_id: String) -> Result<InsuranceView> {
    desk.insurance(&patient_id)
}

/// Record a coverage's insured (null: the patient is the insured).
#[tauri::command]
pub fn set_coverage_insured(desk: State<'_, Desk>, coverage_id: String, insured: Option<Insured>) -> Result<()> {
    desk.set_coverage_insured(&coverage_id, insured)
}

/// Record why Medicare pays second on a coverage (null clears it).
#[tauri::command]
pub fn set_msp_type(desk: State<'_, Desk>, coverage_id: String, msp_type: Option<String>) -> Result<()> {
    desk.set_msp_type(&coverage_id, msp_type)
}

/// Record whether a patient is a Qualified Medicare Beneficiary.
#[tauri::command]
pub fn set_qmb(desk: State<'_, Desk>, patient_id: String, qmb: bool) -> Result<()> {
    desk.set_qmb(&patient_id, qmb)
}

/// Add a payer's authorization to an episode.
#[tauri::command]
pub fn add_authorization(desk: State<'_, Desk>, episode_id: String, authorization: NewAuthorization) -> Result<()> {
    desk.add_authorization(&episode_id, authorization)
}

/// Set where a draft note's visit took place (null: the clinic's usual place).
#[tauri::command]
pub fn set_place_of_service(desk: State<'_, Desk>, id: String, place: Option<String>) -> Result<NoteScreen> {
    desk.set_place_of_service(&id, place)
}

/// Choose the episode's diagnoses a service on a draft treats (pointers, 1 the first).
#[tauri::command]
pub fn set_service_diagnoses(desk: State<'_, Desk>, id: String, code: String, pointers: Vec<u8>) -> Result<NoteScreen> {
    desk.set_service_diagnoses(&id, &code, &pointers)
}

/// The patient banner: who, and what not to miss, for an episode (default: the open one).
#[tauri::command]
pub fn patient_banner(desk: State<'_, Desk>, patient_id: String, episode_id: Option<String>) -> Result<PatientBanner> {
    desk.patient_banner(&patient_id, episode_id.as_deref())
}

/// Record a patient's allergies and precautions.
#[tauri::command]
pub fn set_patient_safety(
    desk: State<'_, Desk>,
    patient_id: String,
    allergies: Option<String>,
    precautions: Option<String>,
) -> Result<()> {
    desk.set_patient_safety(&patient_id, allergies.as_deref(), precautions.as_deref())
}

//! The claim scrubber's rules: everything that would get a claim rejected or denied,
//! found before it is sent. Each finding says what is wrong, how to fix it, and where.
//!
//! The rules are pure functions of a [`ClaimFacts`] value, which `stride-chart` fills with
//! plain queries. The coding edits (NCCI, MUE, KX) are not written here: they are
//! `stride_coding::edits`, the same functions the coding engine runs, so the scrubber and
//! the engine cannot disagree about a day's lines.

use crate::npi;
pub use crate::progress::VisitKind;
use crate::progress::progress_period;
use crate::x12::claim837::{Responsibility, is_msp_type, msp_type_required};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use stride_coding::code_table::Lookup;
use stride_coding::edits::{self, BilledLine};
use stride_coding::units::units_for_minutes;
use stride_coding::{Cents, FindingKind, Modifier, RuleSet, Timing, UnitMethod};
use stride_icd10::Releases;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScrubLevel"))]
pub enum Level {
    /// The claim cannot be marked ready.
    Error,
    /// Worth a look; does not block.
    Warning,
}

/// What kind of problem: stable names a UI and tests can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScrubCheck"))]
pub enum Check {
    /// The patient's address, birth date or name is incomplete.
    Demographics,
    /// No coverage with the payer, or it does not cover the dates.
    Coverage,
    /// The member id is missing.
    MemberId,
    /// An NPI is missing or fails its check digit.
    Npi,
    /// The clinic's billing details (tax id, address, clearinghouse) are incomplete.
    BillingProvider,
    /// The payer has no electronic payer id.
    PayerId,
    /// A note on the claim is not signed, or waits for a co-signature.
    Signature,
    /// No certified plan of care covers a date of service.
    PlanOfCare,
    /// A progress report was overdue on a date of service.
    ProgressReport,
    /// The authorization does not cover the visit or is used up.
    Authorization,
    /// An NCCI procedure-to-procedure pair.
    Ncci,
    /// More units than the medically unlikely edit allows.
    Mue,
    /// KX is missing above the therapy threshold.
    Kx,
    /// The documented minutes do not support the billed units.
    Minutes,
    /// No diagnosis, or a line without a charge.
    Claim,
}

/// Where to fix a finding: a screen and the record to open there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixAt {
    /// patient, episode, note, plan, payer, clinic, user, claim.
    pub screen: &'static str,
    /// The record.
    pub id: String,
}

/// One problem with a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ScrubFinding"))]
pub struct Finding {
    /// Error or warning.
    pub level: Level,
    /// What kind.
    pub check: Check,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
    /// Where.
    pub at: FixAt,
    /// A modifier that fixes it on one line, when one does.
    pub add_modifier: Option<ModifierFix>,
}

/// A modifier that fixes a finding on the line billing `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModifierFix {
    /// The line's code.
    pub code: String,
    /// The modifier to add.
    pub modifier: String,
    /// When it applies, in words.
    pub words: String,
}

/// The clinic as billing provider: the same for every claim.
#[derive(Debug, Clone, Default)]
pub struct ProviderFacts {
    /// The clinic's id (where its details are fixed).
    pub clinic_id: String,
    /// The group NPI.
    pub npi: Option<String>,
    /// Named details a claim needs, each with its value: tax id, address, phone,
    /// submitter and clearinghouse ids.
    pub details: Vec<(&'static str, Option<String>)>,
}

/// The payer's rules that the scrubber applies.
#[derive(Debug, Clone)]
pub struct PayerFacts {
    /// Id.
    pub id: String,
    /// Name, for messages.
    pub name: String,
    /// Electronic payer id.
    pub payer_code: Option<String>,
    /// Unit method.
    pub method: UnitMethod,
    /// Traditional Medicare rules (certified plan of care, referring physician).
    pub medicare: bool,
    /// Whether the KX threshold applies.
    pub kx_applies: bool,
    /// Treatment days between progress reports.
    pub progress_interval: u32,
    /// Whether visits billed past the progress-report period are denied (an error) rather
    /// than worth a look (a warning).
    pub denies_past_progress_period: bool,
    /// The modifier the payer takes for NCCI pairs done in distinct intervals.
    pub distinct_modifier: Modifier,
}

/// The claim's coverage with the payer.
#[derive(Debug, Clone)]
pub struct CoverageFacts {
    /// Member id.
    pub member_id: String,
    /// First day covered, if limited.
    pub valid_from: Option<NaiveDate>,
    /// Last day covered, if limited.
    pub valid_to: Option<NaiveDate>,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub priority: u8,
    /// The Medicare Secondary Payer type recorded on it (SBR05), if any.
    pub msp_type: Option<String>,
}

/// The rendering clinician.
#[derive(Debug, Clone)]
pub struct ClinicianFacts {
    /// User id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Individual NPI.
    pub npi: Option<String>,
    /// Whether they are a physical therapist.
    pub is_pt: bool,
}

/// A note behind the claim's lines.
#[derive(Debug, Clone)]
pub struct NoteFacts {
    /// Id.
    pub id: String,
    /// Date of service.
    pub date: NaiveDate,
    /// Signed.
    pub signed: bool,
    /// Needs a PT's co-signature.
    pub cosign_required: bool,
    /// Co-signed.
    pub cosigned: bool,
}

/// A plan of care's certification.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    /// First day certified.
    pub cert_start: NaiveDate,
    /// Last day certified.
    pub cert_end: NaiveDate,
    /// Whether the physician signed it.
    pub physician_signed: bool,
}

/// An authorization and what it has used up to the claim's last date in its window.
#[derive(Debug, Clone)]
pub struct AuthorizationFacts {
    /// The payer's reference.
    pub reference: Option<String>,
    /// First day covered.
    pub valid_from: NaiveDate,
    /// Last day covered.
    pub valid_to: NaiveDate,
    /// Visits authorized, if limited.
    pub visits: Option<u32>,
    /// Units authorized, if limited.
    pub units: Option<u32>,
    /// Visits and units used through [`last_claim_date_in`], when the claim has a date
    /// in the window.
    pub used: Option<(u32, u32)>,
}

impl AuthorizationFacts {
    fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_to
    }
}

/// A claim line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    /// Position on the claim, from 1.
    pub position: u32,
    /// Date of service.
    pub date: NaiveDate,
    /// Code.
    pub code: String,
    /// Modifiers in claim order.
    pub modifiers: Vec<Modifier>,
    /// Units.
    pub units: u32,
    /// The clinic's charge.
    pub charge_cents: i64,
    /// The payer's allowed amount, when known.
    pub allowed_cents: Option<i64>,
    /// The biller's description of the service, for an unlisted code.
    pub description: Option<String>,
}

impl BilledLine for LineFacts {
    fn code(&self) -> &str {
        &self.code
    }
    fn units(&self) -> u32 {
        self.units
    }
    fn modifiers(&self) -> &[Modifier] {
        &self.modifiers
    }
    fn allowed(&self) -> Option<Cents> {
        self.allowed_cents.map(Cents)
    }
}

/// A patient's postal address fields, by name.
pub type Address = [(&'static str, Option<String>); 4];

/// Everything the scrubber judges one claim by.
#[derive(Debug, Clone)]
pub struct ClaimFacts {
    /// The claim.
    pub claim_id: String,
    /// The clinic (where charges are set).
    pub clinic_id: String,
    /// The patient.
    pub patient_id: String,
    /// The patient's street address, city, state and ZIP.
    pub address: Address,
    /// The episode.
    pub episode_id: String,
    /// First and last dates of service.
    pub service_from: NaiveDate,
    /// Last date of service.
    pub service_to: NaiveDate,
    /// The payer.
    pub payer: PayerFacts,
    /// The coverage the claim bills, if any.
    pub coverage: Option<CoverageFacts>,
    /// The rendering clinician.
    pub rendering: ClinicianFacts,
    /// The referring provider's name and NPI, if any.
    pub referring: Option<(String, String)>,
    /// The notes behind the lines.
    pub notes: Vec<NoteFacts>,
    /// Unsigned notes of the episode dated up to the claim's last date: (id, date).
    pub drafts: Vec<(String, NaiveDate)>,
    /// Every signed note of the episode: (date, kind), oldest first.
    pub signed_visits: Vec<(NaiveDate, VisitKind)>,
    /// The episode's plans of care.
    pub plans: Vec<PlanFacts>,
    /// The episode's authorizations.
    pub authorizations: Vec<AuthorizationFacts>,
    /// The claim's ICD-10-CM codes, in pointer order.
    pub diagnoses: Vec<String>,
    /// The lines.
    pub lines: Vec<LineFacts>,
    /// Per date of service, the minutes documented per code in the day's signed notes.
    pub documented_minutes: BTreeMap<NaiveDate, BTreeMap<String, u32>>,
    /// Per date of service, the patient's therapy allowed amounts this year before it.
    pub ytd_before: BTreeMap<NaiveDate, Cents>,
}

/// The claim's last date of service inside an authorization's window: what its use is
/// counted through, so visits signed after it do not use up the authorization this claim
/// was billed under.
pub fn last_claim_date_in(lines: &[LineFacts], from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
    lines.iter().map(|l| l.date).filter(|d| from <= *d && *d <= to).max()
}

/// A claim's findings, errors first: the clinic's own (`provider`, the same for every
/// claim), then the claim's.
pub fn scrub(claim: &ClaimFacts, provider: &[Finding], rules: &RuleSet, codes: &Releases) -> Vec<Finding> {
    let mut f = Findings(provider.to_vec());
    check_patient(&mut f, claim);
    check_providers(&mut f, claim);
    check_notes(&mut f, claim);
    check_plan_and_progress(&mut f, claim);
    check_authorizations(&mut f, claim);
    let at = ("claim", claim.claim_id.as_str());
    let mut by_date: BTreeMap<NaiveDate, Vec<LineFacts>> = BTreeMap::new();
    for l in &claim.lines {
        by_date.entry(l.date).or_default().push(l.clone());
    }
    for (date, lines) in &by_date {
        let ytd = claim.ytd_before.get(date).copied().unwrap_or(Cents(0));
        for finding in line_edits(rules, &claim.payer, *date, lines, ytd) {
            let fix = distinct_fix(rules, &claim.payer, *date, &finding);
            f.0.push(Finding {
                add_modifier: fix,
                ..finding_at(at, finding)
            });
        }
        let documented = claim.documented_minutes.get(date).cloned().unwrap_or_default();
        check_minutes(&mut f, at, rules, claim.payer.method, *date, lines, &documented);
    }
    check_diagnoses(&mut f, claim, codes);
    for l in claim.lines.iter().filter(|l| l.charge_cents == 0) {
        f.error(
            Check::Claim,
            ("clinic", &claim.clinic_id),
            format!("line {} ({}) has no charge", l.position, l.code),
            "set the clinic's charge for the code in the fee schedule, then rebuild the claim",
        );
    }
    for l in claim
        .lines
        .iter()
        .filter(|l| stride_coding::is_unlisted(&l.code) && blank(&l.description))
    {
        f.error(
            Check::Claim,
            at,
            format!(
                "line {} ({}) is an unlisted code with no description of the service",
                l.position, l.code
            ),
            "describe what was done on the claim line (up to 80 characters); payers may also ask for the note",
        );
    }
    let mut findings = f.0;
    findings.sort_by_key(|x| x.level == Level::Warning);
    findings
}

/// The coding edits a date's lines fail, as `stride_coding::edits` judges them (the same
/// functions the coding engine runs over the lines it builds).
pub fn line_edits(
    rules: &RuleSet,
    payer: &PayerFacts,
    date: NaiveDate,
    lines: &[LineFacts],
    ytd_before: Cents,
) -> Vec<stride_coding::Finding> {
    let mut findings = edits::ncci_findings(rules, date, lines, payer.distinct_modifier);
    findings.extend(edits::mue_findings(rules, lines));
    if payer.kx_applies
        && let Some(thresholds) = rules.thresholds.for_year(chrono::Datelike::year(&date))
    {
        findings.extend(edits::kx_findings(&thresholds, ytd_before, lines));
    }
    findings
}

/// A coding edit as a claim finding: where it is fixed and how.
/// The distinct-service modifier (59, or the payer's X modifier) that settles an NCCI
/// pair billed without it, on the line the edit says carries it.
fn distinct_fix(
    rules: &RuleSet,
    payer: &PayerFacts,
    date: NaiveDate,
    finding: &stride_coding::Finding,
) -> Option<ModifierFix> {
    if finding.kind != FindingKind::NcciNeedsDistinct {
        return None;
    }
    let [a, b] = finding.codes.as_slice() else {
        return None;
    };
    let edit = rules.ptp.edit_between(a, b, date)?;
    Some(ModifierFix {
        code: edits::distinct_modifier_goes_on(edit).to_owned(),
        modifier: payer.distinct_modifier.to_string(),
        words: "the services were in separate time intervals".into(),
    })
}

fn finding_at(at: (&'static str, &str), finding: stride_coding::Finding) -> Finding {
    let (check, fix) = match finding.kind {
        FindingKind::NcciNotAllowed | FindingKind::NcciBundled => (
            Check::Ncci,
            "remove the column-2 line: it is not payable; the note keeps the service documented",
        ),
        FindingKind::NcciNeedsDistinct => (
            Check::Ncci,
            "if the services were in separate time intervals, add 59 (or XU) to the line; otherwise remove one",
        ),
        FindingKind::MueExceeded | FindingKind::MueCapped => (
            Check::Mue,
            "bill no more than the limit, or send documentation with an appeal",
        ),
        _ => (
            Check::Kx,
            "confirm the care is medically necessary and documented, then add KX to the line",
        ),
    };
    let level = match finding.severity {
        stride_coding::Severity::Error => Level::Error,
        stride_coding::Severity::Warning => Level::Warning,
    };
    Finding {
        level,
        check,
        message: finding.message,
        fix: fix.to_owned(),
        at: FixAt {
            screen: at.0,
            id: at.1.to_owned(),
        },
        add_modifier: None,
    }
}

/// What is missing from the clinic's own billing details.
pub fn provider_findings(p: &ProviderFacts) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    let at = ("clinic", p.clinic_id.as_str());
    let fix = "complete the clinic's billing details (Billing > Billing setup)";
    if !valid_npi(&p.npi) {
        f.error(Check::Npi, at, "the clinic's NPI is missing or invalid".into(), fix);
    }
    let missing: Vec<&str> = p.details.iter().filter(|(_, v)| blank(v)).map(|(n, _)| *n).collect();
    if !missing.is_empty() {
        f.error(
            Check::BillingProvider,
            at,
            format!("the clinic's billing details lack: {}", missing.join(", ")),
            fix,
        );
    }
    f.0
}

/// Each diagnosis must be a billable ICD-10-CM code on every date of service, checked
/// against the release in force that day (the first not an external cause).
fn check_diagnoses(f: &mut Findings, claim: &ClaimFacts, codes: &Releases) {
    let at = ("episode", claim.episode_id.as_str());
    if claim.diagnoses.is_empty() {
        f.error(
            Check::Claim,
            at,
            "the claim has no diagnosis".into(),
            "add the ICD-10-CM codes to the episode, then rebuild the claim",
        );
    }
    let mut dates: Vec<NaiveDate> = claim.lines.iter().map(|l| l.date).collect();
    dates.sort();
    dates.dedup();
    for (i, code) in claim.diagnoses.iter().enumerate() {
        // One finding per code: the first date it fails on says enough.
        if let Some(problem) = dates.iter().find_map(|d| codes.check_on(code, i == 0, *d).err()) {
            f.error(
                Check::Claim,
                at,
                problem.to_string(),
                "correct the episode's diagnoses, then rebuild the claim",
            );
        }
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, level: Level, check: Check, at: (&'static str, &str), message: String, fix: &str) {
        self.0.push(Finding {
            level,
            check,
            message,
            fix: fix.to_owned(),
            at: FixAt {
                screen: at.0,
                id: at.1.to_owned(),
            },
            add_modifier: None,
        });
    }

    fn error(&mut self, check: Check, at: (&'static str, &str), message: String, fix: &str) {
        self.add(Level::Error, check, at, message, fix);
    }
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn valid_npi(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|n| npi::is_valid(n.trim()))
}

fn check_patient(f: &mut Findings, claim: &ClaimFacts) {
    let at = ("patient", claim.patient_id.as_str());
    let missing: Vec<&str> = claim
        .address
        .iter()
        .filter(|(_, v)| blank(v))
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        let list = match missing.as_slice() {
            [one] => format!("{one} is"),
            _ => format!("{} are", missing.join(", ")),
        };
        f.error(
            Check::Demographics,
            at,
            format!("the patient's {list} missing"),
            "complete the patient's address (the patient's chart > Address)",
        );
    }
    let payer = &claim.payer.name;
    let Some(coverage) = &claim.coverage else {
        f.error(
            Check::Coverage,
            at,
            format!("the patient has no coverage with {payer}"),
            "add the patient's insurance (payer and member id), then rebuild the claim",
        );
        return;
    };
    if coverage.member_id.trim().is_empty() {
        f.error(
            Check::MemberId,
            at,
            "the coverage has no member id".into(),
            "enter the member id from the insurance card",
        );
    }
    let order = Responsibility::from_priority(coverage.priority);
    if msp_type_required(claim.payer.medicare, order) && !coverage.msp_type.as_deref().is_some_and(is_msp_type) {
        f.error(
            Check::Coverage,
            at,
            format!("{payer} pays second for this patient, but the coverage does not say why (its Medicare Secondary Payer type)"),
            "record the Medicare Secondary Payer type from the eligibility response on the Medicare coverage (12 working aged, 14 no-fault, 15 workers' compensation, 47 liability, ...)",
        );
    }
    let (first, last) = (claim.service_from, claim.service_to);
    if coverage.valid_from.is_some_and(|v| v > first) || coverage.valid_to.is_some_and(|v| v < last) {
        f.error(
            Check::Coverage,
            at,
            format!("the coverage with {payer} does not cover {first} to {last}"),
            "check the coverage dates with the payer, or bill the right payer",
        );
    }
}

fn check_providers(f: &mut Findings, claim: &ClaimFacts) {
    let r = &claim.rendering;
    if !valid_npi(&r.npi) {
        f.error(
            Check::Npi,
            ("user", &r.id),
            format!("{}, the rendering clinician, has no valid NPI", r.name),
            "enter the clinician's individual NPI (Billing > Billing setup)",
        );
    }
    if !r.is_pt {
        f.error(
            Check::Signature,
            ("user", &r.id),
            format!(
                "{} is not a physical therapist: a PTA's services are billed under the supervising PT",
                r.name
            ),
            "have a PT co-sign the notes, then rebuild the claim",
        );
    }
    let episode = ("episode", claim.episode_id.as_str());
    match &claim.referring {
        Some((name, npi)) if !npi::is_valid(npi.trim()) => f.error(
            Check::Npi,
            episode,
            format!("the referring provider {name} has an invalid NPI"),
            "correct the referring provider's NPI",
        ),
        None if claim.payer.medicare => f.error(
            Check::Npi,
            episode,
            "Medicare requires the referring (certifying) physician on therapy claims".into(),
            "add the referring provider to the episode, then rebuild the claim",
        ),
        _ => {}
    }
    if blank(&claim.payer.payer_code) {
        f.error(
            Check::PayerId,
            ("payer", &claim.payer.id),
            format!("{} has no electronic payer id", claim.payer.name),
            "enter the payer id from the clearinghouse's payer list (Billing > Billing setup)",
        );
    }
}

fn check_notes(f: &mut Findings, claim: &ClaimFacts) {
    for n in &claim.notes {
        if !n.signed {
            f.error(
                Check::Signature,
                ("note", &n.id),
                format!("the note of {} is not signed", n.date),
                "sign the note",
            );
        } else if n.cosign_required && !n.cosigned {
            f.error(
                Check::Signature,
                ("note", &n.id),
                format!("the PTA's note of {} waits for a PT's co-signature", n.date),
                "have the supervising PT co-sign the note",
            );
        }
    }
    for (id, date) in &claim.drafts {
        f.add(
            Level::Warning,
            Check::Signature,
            ("note", id),
            format!("the note of {date} is still a draft, so that visit is not on this claim"),
            "sign the note, then build claims again to bill it",
        );
    }
}

fn check_plan_and_progress(f: &mut Findings, claim: &ClaimFacts) {
    let episode = ("episode", claim.episode_id.as_str());
    let mut dates: Vec<NaiveDate> = claim.lines.iter().map(|l| l.date).collect();
    dates.sort_unstable();
    dates.dedup();
    for d in dates {
        let kind = claim.signed_visits.iter().find(|(v, _)| *v == d).map(|(_, k)| *k);
        if claim.payer.medicare && kind != Some(VisitKind::Evaluation) {
            let certified = claim
                .plans
                .iter()
                .any(|p| p.cert_start <= d && d <= p.cert_end && p.physician_signed);
            if !certified {
                f.error(
                    Check::PlanOfCare,
                    episode,
                    format!("no plan of care certified by the physician covers {d}"),
                    "record the physician's signature on the plan of care (or recertify it)",
                );
            }
        }
        let days = progress_period(NaiveDate::MIN, &claim.signed_visits, Some(d)).treatment_days;
        let every = claim.payer.progress_interval;
        if kind == Some(VisitKind::Daily) && days > every {
            let level = if claim.payer.denies_past_progress_period {
                Level::Error
            } else {
                Level::Warning
            };
            f.add(
                level,
                Check::ProgressReport,
                episode,
                format!(
                    "a progress report was overdue on {d}: treatment day {days}, and {} requires one every {every} days",
                    claim.payer.name
                ),
                "write the progress report; the visits after it are billable, this one needs review",
            );
        }
    }
}

fn check_authorizations(f: &mut Findings, claim: &ClaimFacts) {
    let episode = ("episode", claim.episode_id.as_str());
    for a in &claim.authorizations {
        let Some((visits, units)) = a.used else {
            continue;
        };
        let over_visits = a.visits.is_some_and(|v| visits > v);
        let over_units = a.units.is_some_and(|u| units > u);
        if over_visits || over_units {
            let allowed = match (a.visits, a.units) {
                (Some(v), Some(u)) => format!("{v} visits and {u} units"),
                (Some(v), None) => format!("{v} visits"),
                (None, Some(u)) => format!("{u} units"),
                (None, None) => "no limit".into(),
            };
            f.error(
                Check::Authorization,
                episode,
                format!(
                    "the authorization {} is used up: {visits} visits and {units} units signed, {allowed} allowed",
                    a.reference.as_deref().unwrap_or("without a number"),
                ),
                "ask the payer for more visits and record the new authorization",
            );
        }
    }
    if claim.authorizations.is_empty() {
        return;
    }
    let mut dates: Vec<NaiveDate> = claim.lines.iter().map(|l| l.date).collect();
    dates.sort_unstable();
    dates.dedup();
    for d in dates {
        if !claim.authorizations.iter().any(|a| a.covers(d)) {
            f.error(
                Check::Authorization,
                episode,
                format!("no authorization covers {d}"),
                "record the payer's authorization for these dates",
            );
        }
    }
}

/// Billed timed units against the minutes the day's notes document: pooled under the CMS
/// method, per code under the AMA method (the unit table of `stride_coding::units`).
fn check_minutes(
    f: &mut Findings,
    at: (&'static str, &str),
    rules: &RuleSet,
    method: UnitMethod,
    date: NaiveDate,
    lines: &[LineFacts],
    documented: &BTreeMap<String, u32>,
) {
    let timed =
        |code: &str| matches!(rules.codes.lookup(code, date), Lookup::Found(def) if def.timing == Timing::Timed);
    let mut billed: BTreeMap<&str, u32> = BTreeMap::new();
    for l in lines.iter().filter(|l| timed(&l.code)) {
        *billed.entry(l.code.as_str()).or_default() += l.units;
    }
    let fix = "bill the units the minutes support, or correct the note with an addendum";
    match method {
        UnitMethod::Cms => {
            let minutes: u32 = documented.iter().filter(|(c, _)| timed(c)).map(|(_, m)| m).sum();
            let units: u32 = billed.values().sum();
            let supported = units_for_minutes(minutes);
            if units > supported {
                f.error(
                    Check::Minutes,
                    at,
                    format!(
                        "{units} timed units on {date}, but {minutes} timed minutes support {supported} (8-minute rule)"
                    ),
                    fix,
                );
            }
        }
        UnitMethod::Ama => {
            for (code, units) in &billed {
                let minutes = documented.get(*code).copied().unwrap_or(0);
                let supported = units_for_minutes(minutes);
                if *units > supported {
                    f.error(
                        Check::Minutes,
                        at,
                        format!("{units} units of {code} on {date}, but {minutes} minutes support {supported}"),
                        fix,
                    );
                }
            }
        }
    }
}

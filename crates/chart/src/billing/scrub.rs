//! The claim scrubber: everything that would get a claim rejected or denied, found
//! before it is sent. Each finding says what is wrong, how to fix it, and where.

use super::claims::{ClaimDetail, ClaimLine};
use crate::chart::Chart;
use crate::compliance;
use crate::error::Result;
use crate::validate;
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use stride_coding::ncci::ModifierIndicator;
use stride_coding::units::units_for_minutes;
use stride_coding::{Timing, UnitMethod};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The claim cannot be marked ready.
    Error,
    /// Worth a look; does not block.
    Warning,
}

/// What kind of problem: stable names a UI and tests can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
pub struct FixAt {
    /// patient, episode, note, plan, payer, clinic, user, claim.
    pub screen: &'static str,
    /// The record.
    pub id: String,
}

/// One problem with a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
}

/// The scrubber's findings for one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScrubReport {
    /// The claim.
    pub claim_id: String,
    /// Its control number.
    pub control_number: String,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl ScrubReport {
    /// The findings that block the claim.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Error)
    }

    /// Whether the claim may be marked ready.
    pub fn clean(&self) -> bool {
        self.errors().next().is_none()
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
        });
    }

    fn error(&mut self, check: Check, at: (&'static str, &str), message: String, fix: &str) {
        self.add(Level::Error, check, at, message, fix);
    }
}

/// Facts about the claim's patient, payer and episode, read once.
struct Context {
    patient_id: String,
    episode_id: String,
    payer_id: String,
    payer_name: String,
    method: UnitMethod,
    medicare: bool,
    kx_applies: bool,
    progress_interval: u32,
    payer_code: Option<String>,
    referring: Option<(String, String)>,
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

impl Chart {
    /// Scrubs one claim.
    pub fn scrub_claim(&self, claim_id: &str) -> Result<ScrubReport> {
        self.scrub_with(&self.billing_provider_findings()?, claim_id)
    }

    /// Scrubs one claim; `provider` holds the findings about the clinic itself, which are
    /// the same for every claim (read once when scrubbing many).
    fn scrub_with(&self, provider: &[Finding], claim_id: &str) -> Result<ScrubReport> {
        let claim = self.claim(claim_id)?;
        let mut f = Findings(provider.to_vec());
        let ctx = self.scrub_context(&claim)?;
        self.check_patient(&mut f, &claim, &ctx)?;
        self.check_providers(&mut f, &claim, &ctx)?;
        self.check_notes(&mut f, &claim, &ctx)?;
        self.check_plan_and_authorization(&mut f, &claim, &ctx)?;
        self.check_coding(&mut f, &claim, &ctx)?;
        if claim.diagnoses.is_empty() {
            f.error(
                Check::Claim,
                ("episode", &ctx.episode_id),
                "the claim has no diagnosis".into(),
                "add the ICD-10-CM codes to the episode, then rebuild the claim",
            );
        }
        for l in claim.lines.iter().filter(|l| l.charge_cents == 0) {
            f.error(
                Check::Claim,
                ("clinic", self.clinic_id()),
                format!("line {} ({}) has no charge", l.position, l.code),
                "set the clinic's charge for the code in the fee schedule, then rebuild the claim",
            );
        }
        let mut findings = f.0;
        findings.sort_by_key(|x| x.level == Level::Warning);
        Ok(ScrubReport {
            claim_id: claim.summary.id.clone(),
            control_number: claim.summary.control_number.clone(),
            findings,
        })
    }

    /// Scrubs every draft and ready claim.
    pub fn scrub_open_claims(&self) -> Result<Vec<ScrubReport>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM claim WHERE status IN ('draft', 'ready') ORDER BY service_from, id")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let provider = self.billing_provider_findings()?;
        ids.iter().map(|id| self.scrub_with(&provider, id)).collect()
    }

    fn scrub_context(&self, claim: &ClaimDetail) -> Result<Context> {
        let (episode_id, payer_id) = (&claim.episode_id, &claim.summary.payer_id);
        let payer = self.payer(payer_id)?;
        let payer_code: Option<String> = self
            .conn
            .prepare_cached("SELECT payer_code FROM payer WHERE id = ?1")?
            .query_row([payer_id], |r| r.get(0))?;
        let referring = self
            .conn
            .prepare_cached(
                "SELECT r.name, r.npi FROM claim c JOIN referring_provider r ON r.id = c.referring_provider_id
                 WHERE c.id = ?1",
            )?
            .query_row([&claim.summary.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(Context {
            patient_id: claim.summary.patient_id.clone(),
            episode_id: episode_id.clone(),
            payer_id: payer_id.clone(),
            payer_name: payer.name,
            method: payer.method,
            medicare: payer.medicare,
            kx_applies: payer.kx_applies,
            progress_interval: payer.progress_interval_visits,
            payer_code,
            referring,
        })
    }

    /// What is missing from the clinic's own billing details.
    fn billing_provider_findings(&self) -> Result<Vec<Finding>> {
        let mut f = Findings(Vec::new());
        let p = self.billing_profile()?;
        let at = ("clinic", self.clinic_id());
        let fix = "complete the clinic's billing details (Billing > Billing setup)";
        if p.npi.as_deref().is_none_or(|n| validate::npi("NPI", n).is_err()) {
            f.error(Check::Npi, at, "the clinic's NPI is missing or invalid".into(), fix);
        }
        let mut missing = Vec::new();
        for (name, value) in [
            ("tax id", &p.tax_id),
            ("street address", &p.address_line),
            ("city", &p.city),
            ("state", &p.state),
            ("ZIP+4", &p.zip),
            ("billing phone", &p.phone),
            ("submitter id", &p.submitter_id),
            ("clearinghouse id", &p.receiver_id),
        ] {
            if blank(value) {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            f.error(
                Check::BillingProvider,
                at,
                format!("the clinic's billing details lack: {}", missing.join(", ")),
                fix,
            );
        }
        Ok(f.0)
    }

    fn check_patient(&self, f: &mut Findings, claim: &ClaimDetail, ctx: &Context) -> Result<()> {
        let patient = self.patient(&ctx.patient_id)?;
        let at = ("patient", ctx.patient_id.as_str());
        let mut missing = Vec::new();
        for (name, value) in [
            ("street address", &patient.address),
            ("city", &patient.city),
            ("state", &patient.state),
            ("ZIP", &patient.zip),
        ] {
            if blank(value) {
                missing.push(name);
            }
        }
        if !missing.is_empty() {
            f.error(
                Check::Demographics,
                at,
                format!("the patient's {} missing", list_is_are(&missing)),
                "complete the patient's address (the patient's chart > Address)",
            );
        }
        let coverage: Option<(String, Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT v.member_id, v.valid_from, v.valid_to FROM claim c JOIN coverage v ON v.id = c.coverage_id
                 WHERE c.id = ?1",
            )?
            .query_row([&claim.summary.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        match coverage {
            None => f.error(
                Check::Coverage,
                at,
                format!("the patient has no coverage with {}", ctx.payer_name),
                "add the patient's insurance (payer and member id), then rebuild the claim",
            ),
            Some((member_id, valid_from, valid_to)) => {
                if member_id.trim().is_empty() {
                    f.error(
                        Check::MemberId,
                        at,
                        "the coverage has no member id".into(),
                        "enter the member id from the insurance card",
                    );
                }
                let (first, last) = (&claim.summary.service_from, &claim.summary.service_to);
                if valid_from.as_ref().is_some_and(|v| v > first) || valid_to.as_ref().is_some_and(|v| v < last) {
                    f.error(
                        Check::Coverage,
                        at,
                        format!("the coverage with {} does not cover {first} to {last}", ctx.payer_name),
                        "check the coverage dates with the payer, or bill the right payer",
                    );
                }
            }
        }
        Ok(())
    }

    fn check_providers(&self, f: &mut Findings, claim: &ClaimDetail, ctx: &Context) -> Result<()> {
        let rendering = &claim.summary.rendering_id;
        let (name, npi): (String, Option<String>) = self
            .conn
            .prepare_cached("SELECT name, npi FROM user WHERE id = ?1")?
            .query_row([rendering], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if npi.as_deref().is_none_or(|n| validate::npi("NPI", n).is_err()) {
            f.error(
                Check::Npi,
                ("user", rendering),
                format!("{name}, the rendering clinician, has no valid NPI"),
                "enter the clinician's individual NPI (Billing > Billing setup)",
            );
        }
        let is_pt: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM user_role WHERE user_id = ?1 AND role = 'pt')")?
            .query_row([rendering], |r| r.get(0))?;
        if !is_pt {
            f.error(
                Check::Signature,
                ("user", rendering),
                format!("{name} is not a physical therapist: a PTA's services are billed under the supervising PT"),
                "have a PT co-sign the notes, then rebuild the claim",
            );
        }
        match &ctx.referring {
            Some((name, npi)) if validate::npi("NPI", npi).is_err() => f.error(
                Check::Npi,
                ("episode", &ctx.episode_id),
                format!("the referring provider {name} has an invalid NPI"),
                "correct the referring provider's NPI",
            ),
            None if ctx.medicare => f.error(
                Check::Npi,
                ("episode", &ctx.episode_id),
                "Medicare requires the referring (certifying) physician on therapy claims".into(),
                "add the referring provider to the episode, then rebuild the claim",
            ),
            _ => {}
        }
        if blank(&ctx.payer_code) {
            f.error(
                Check::PayerId,
                ("payer", &ctx.payer_id),
                format!("{} has no electronic payer id", ctx.payer_name),
                "enter the payer id from the clearinghouse's payer list (Billing > Billing setup)",
            );
        }
        Ok(())
    }

    fn check_notes(&self, f: &mut Findings, claim: &ClaimDetail, ctx: &Context) -> Result<()> {
        let notes: BTreeSet<&str> = claim.lines.iter().map(|l| l.note_id.as_str()).collect();
        for note_id in notes {
            let (signed, cosign_required, cosigned, date): (bool, bool, bool, String) = self
                .conn
                .prepare_cached(
                    "SELECT signed_at IS NOT NULL, cosign_required, cosigned_at IS NOT NULL, date_of_service
                     FROM note WHERE id = ?1",
                )?
                .query_row([note_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            if !signed {
                f.error(
                    Check::Signature,
                    ("note", note_id),
                    format!("the note of {date} is not signed"),
                    "sign the note",
                );
            } else if cosign_required && !cosigned {
                f.error(
                    Check::Signature,
                    ("note", note_id),
                    format!("the PTA's note of {date} waits for a PT's co-signature"),
                    "have the supervising PT co-sign the note",
                );
            }
        }
        let mut drafts = self.conn.prepare_cached(
            "SELECT id, date_of_service FROM note WHERE episode_id = ?1 AND signed_at IS NULL
               AND date_of_service <= ?2",
        )?;
        let rows = drafts.query_map((&ctx.episode_id, &claim.summary.service_to), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, date) = row?;
            f.add(
                Level::Warning,
                Check::Signature,
                ("note", &id),
                format!("the note of {date} is still a draft, so that visit is not on this claim"),
                "sign the note, then build claims again to bill it",
            );
        }
        Ok(())
    }

    fn check_plan_and_authorization(&self, f: &mut Findings, claim: &ClaimDetail, ctx: &Context) -> Result<()> {
        let episode = &ctx.episode_id;
        // (date, kind) of every signed note of the episode, in order.
        let mut stmt = self.conn.prepare_cached(
            "SELECT date_of_service, kind FROM note WHERE episode_id = ?1 AND signed_at IS NOT NULL
             ORDER BY date_of_service",
        )?;
        let signed: Vec<(String, String)> = stmt
            .query_map([episode], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        let kind_on: BTreeMap<&str, &str> = claim
            .lines
            .iter()
            .filter_map(|l| {
                signed
                    .iter()
                    .find(|(d, _)| *d == l.date_of_service)
                    .map(|(d, k)| (d.as_str(), k.as_str()))
            })
            .collect();
        let dates: BTreeSet<&str> = claim.lines.iter().map(|l| l.date_of_service.as_str()).collect();
        let plans = self.plans_of(episode)?;
        for d in &dates {
            let is_eval = kind_on.get(d).is_some_and(|k| *k == "eval");
            if ctx.medicare && !is_eval {
                let certified = plans.iter().any(|p| {
                    p.cert_start.as_str() <= *d && *d <= p.cert_end.as_str() && p.physician_signed_on.is_some()
                });
                if !certified {
                    f.error(
                        Check::PlanOfCare,
                        ("episode", episode),
                        format!("no plan of care certified by the physician covers {d}"),
                        "record the physician's signature on the plan of care (or recertify it)",
                    );
                }
            }
            let days = treatment_days_before_report(&signed, d);
            if kind_on.get(d).is_some_and(|k| *k == "daily") && days > ctx.progress_interval {
                f.error(
                    Check::ProgressReport,
                    ("episode", episode),
                    format!(
                        "a progress report was overdue on {d}: treatment day {days}, and {} requires one every {} days",
                        ctx.payer_name, ctx.progress_interval
                    ),
                    "write the progress report; the visits after it are billable, this one needs review",
                );
            }
        }
        let authorizations = self.authorizations(episode)?;
        for a in &authorizations {
            // Counted up to the claim's last day in the window: visits signed after it do
            // not use up the authorization this claim was billed under.
            let Some(last) = dates
                .iter()
                .rev()
                .find(|d| a.valid_from.as_str() <= **d && **d <= a.valid_to.as_str())
            else {
                continue;
            };
            let (visits, units) = self.authorization_use(episode, &a.valid_from, last)?;
            let over_visits = a.visits.is_some_and(|v| visits > v);
            let over_units = a.units.is_some_and(|u| units > u);
            if over_visits || over_units {
                f.error(
                    Check::Authorization,
                    ("episode", episode),
                    format!(
                        "the authorization {} is used up: {visits} visits and {units} units signed, {} allowed",
                        a.reference.as_deref().unwrap_or("without a number"),
                        match (a.visits, a.units) {
                            (Some(v), Some(u)) => format!("{v} visits and {u} units"),
                            (Some(v), None) => format!("{v} visits"),
                            (None, Some(u)) => format!("{u} units"),
                            (None, None) => "no limit".into(),
                        }
                    ),
                    "ask the payer for more visits and record the new authorization",
                );
            }
        }
        if !authorizations.is_empty() {
            for d in &dates {
                if !authorizations
                    .iter()
                    .any(|a| a.valid_from.as_str() <= *d && *d <= a.valid_to.as_str())
                {
                    f.error(
                        Check::Authorization,
                        ("episode", episode),
                        format!("no authorization covers {d}"),
                        "record the payer's authorization for these dates",
                    );
                }
            }
        }
        Ok(())
    }

    fn check_coding(&self, f: &mut Findings, claim: &ClaimDetail, ctx: &Context) -> Result<()> {
        let mut by_date: BTreeMap<&str, Vec<&ClaimLine>> = BTreeMap::new();
        for l in &claim.lines {
            by_date.entry(&l.date_of_service).or_default().push(l);
        }
        let at = ("claim", claim.summary.id.as_str());
        for (d, lines) in &by_date {
            let day = date(d);
            self.check_ncci_and_mue(f, at, d, day, lines);
            self.check_minutes(f, claim, ctx, d, day, lines)?;
            if ctx.kx_applies
                && let Some(threshold) = self.rules.thresholds.for_year(day.year())
            {
                // The coding engine's rule, asked the same way: which of the date's lines
                // carry KX given the patient's year before it.
                let before = match day.pred_opt().filter(|d| d.year() == day.year()) {
                    Some(day_before) => compliance::therapy_allowed_this_year(self, &ctx.patient_id, day_before)?,
                    None => 0,
                };
                let allowed: Vec<Option<stride_coding::Cents>> = lines
                    .iter()
                    .map(|l| l.allowed_cents.map(stride_coding::Cents))
                    .collect();
                let needs = threshold.kx_lines(stride_coding::Cents(before), &allowed);
                for (l, running) in lines.iter().zip(needs) {
                    if let Some(running) = running
                        && !l.modifiers.iter().any(|m| m == "KX")
                    {
                        f.error(
                            Check::Kx,
                            at,
                            format!(
                                "line {} ({}) on {d} needs KX: with it the patient's therapy this year reaches {running} (threshold {})",
                                l.position, l.code, threshold.kx
                            ),
                            "confirm the care is medically necessary and documented, then add KX to the line",
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn check_ncci_and_mue(
        &self,
        f: &mut Findings,
        at: (&'static str, &str),
        d: &str,
        day: NaiveDate,
        lines: &[&ClaimLine],
    ) {
        let codes: BTreeSet<&str> = lines.iter().map(|l| l.code.as_str()).collect();
        for a in &codes {
            for b in codes.iter().filter(|b| a < *b) {
                let Some(edit) = self.rules.ptp.edit_between(a, b, day) else {
                    continue;
                };
                match edit.indicator {
                    ModifierIndicator::NotAllowed => f.error(
                        Check::Ncci,
                        at,
                        format!(
                            "{} and {} are never billed together on one day (NCCI), on {d}",
                            edit.column1, edit.column2
                        ),
                        "remove one of the lines, or correct the note with an addendum and rebuild",
                    ),
                    ModifierIndicator::Allowed => {
                        let distinct = lines.iter().filter(|l| l.code == edit.column2).all(|l| {
                            l.modifiers
                                .iter()
                                .any(|m| ["59", "XE", "XS", "XP", "XU"].contains(&m.as_str()))
                        });
                        if !distinct {
                            f.error(
                                Check::Ncci,
                                at,
                                format!(
                                    "{} with {} on {d} needs 59 or an X modifier on {} (NCCI)",
                                    edit.column2, edit.column1, edit.column2
                                ),
                                "if the services were in separate time intervals, add 59 (or XU) to that line",
                            );
                        }
                    }
                    ModifierIndicator::NotApplicable => {}
                }
            }
        }
        for code in &codes {
            let Some(mue) = self.rules.mue.get(code) else {
                continue;
            };
            let units: u32 = lines.iter().filter(|l| l.code == *code).map(|l| l.units).sum();
            if units > mue.max_units {
                f.error(
                    Check::Mue,
                    at,
                    format!(
                        "{units} units of {code} on {d} exceed the limit of {} (MUE)",
                        mue.max_units
                    ),
                    "bill no more than the limit, or send documentation with an appeal",
                );
            }
        }
    }

    fn check_minutes(
        &self,
        f: &mut Findings,
        claim: &ClaimDetail,
        ctx: &Context,
        d: &str,
        day: NaiveDate,
        lines: &[&ClaimLine],
    ) -> Result<()> {
        let timed = |code: &str| {
            matches!(
                self.rules.codes.lookup(code, day),
                stride_coding::code_table::Lookup::Found(def) if def.timing == Timing::Timed
            )
        };
        // Documented minutes per timed code on the notes behind these lines.
        let notes: BTreeSet<&str> = lines.iter().map(|l| l.note_id.as_str()).collect();
        let mut documented: BTreeMap<String, u32> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, minutes FROM note_service WHERE note_id = ?1")?;
        for note in notes {
            for row in stmt.query_map([note], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))? {
                let (code, minutes) = row?;
                if timed(&code) {
                    *documented.entry(code).or_default() += minutes;
                }
            }
        }
        let mut billed: BTreeMap<&str, u32> = BTreeMap::new();
        for l in lines.iter().filter(|l| timed(&l.code)) {
            *billed.entry(l.code.as_str()).or_default() += l.units;
        }
        let at = ("claim", claim.summary.id.as_str());
        match ctx.method {
            UnitMethod::Cms => {
                let minutes: u32 = documented.values().sum();
                let units: u32 = billed.values().sum();
                let supported = units_for_minutes(minutes);
                if units > supported {
                    f.error(
                        Check::Minutes,
                        at,
                        format!(
                            "{units} timed units on {d}, but {minutes} timed minutes support {supported} (8-minute rule)"
                        ),
                        "bill the units the minutes support, or correct the note with an addendum",
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
                            format!("{units} units of {code} on {d}, but {minutes} minutes support {supported}"),
                            "bill the units the minutes support, or correct the note with an addendum",
                        );
                    }
                }
            }
        }
        Ok(())
    }
}

/// Treatment days counted on `day` since the last progress report before it (a
/// re-evaluation or discharge summary counts as one), `day` included.
fn treatment_days_before_report(signed: &[(String, String)], day: &str) -> u32 {
    let mut days = BTreeSet::new();
    for (d, kind) in signed.iter().filter(|(d, _)| d.as_str() <= day) {
        if matches!(kind.as_str(), "progress" | "reeval" | "discharge") && d.as_str() < day {
            days.clear();
            continue;
        }
        days.insert(d.as_str());
    }
    u32::try_from(days.len()).unwrap_or(u32::MAX)
}

fn list_is_are(items: &[&str]) -> String {
    match items {
        [one] => format!("{one} is"),
        _ => format!("{} are", items.join(", ")),
    }
}

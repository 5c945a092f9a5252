//! Reading claims, editing a draft's lines, and moving claims through their lifecycle
//! with compare-and-set (`stride_billing::status`).

use super::BILLING_ROLES;
use crate::chart::{Chart, Write};
use crate::error::{ChartError, Result};
use crate::users::Session;
use crate::validate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use stride_billing::status::check_transition;
use stride_billing::x12::claim837::Adjustment;
use stride_billing::{ClaimStatus, TransitionError, TransitionSource};
use stride_coding::Modifier;

/// A claim in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClaimSummary {
    /// Id.
    pub id: String,
    /// Patient control number (CLM01).
    pub control_number: String,
    /// Patient.
    pub patient_id: String,
    /// "Last, First".
    pub patient_name: String,
    /// Payer.
    pub payer_id: String,
    /// Payer's name.
    pub payer_name: String,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub responsibility: u8,
    /// Where it stands.
    pub status: ClaimStatus,
    /// Rendering clinician.
    pub rendering_id: String,
    /// First date of service.
    pub service_from: String,
    /// Last date of service.
    pub service_to: String,
    /// Total charge.
    pub charge_cents: i64,
    /// Paid by the payer.
    pub paid_cents: i64,
    /// Written off.
    pub written_off_cents: i64,
    /// Left to the patient.
    pub patient_resp_cents: i64,
    /// What the payer still owes: the charge (on a secondary claim, what the primary
    /// payer left to the patient) less payment, write-offs and patient share.
    pub balance_cents: i64,
    /// When it was sent.
    pub submitted_on: Option<String>,
}

/// One line of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClaimLine {
    /// 1..=50.
    pub position: u32,
    /// The signed note it bills.
    pub note_id: String,
    /// Date of service.
    pub date_of_service: String,
    /// Code.
    pub code: String,
    /// Modifiers in claim order.
    #[cfg_attr(feature = "ts", ts(as = "Vec<String>"))]
    pub modifiers: Vec<Modifier>,
    /// Units.
    pub units: u32,
    /// The code's documented minutes.
    pub minutes: u32,
    /// Charge for all units.
    pub charge_cents: i64,
    /// What the payer's fee schedule allows, if known.
    pub allowed_cents: Option<i64>,
    /// Diagnosis pointers (1-12).
    pub dx_pointers: Vec<u8>,
    /// Paid.
    pub paid_cents: i64,
    /// Written off.
    pub written_off_cents: i64,
    /// Patient's share.
    pub patient_resp_cents: i64,
    /// The payer's adjustments, each in words.
    pub adjustments: Vec<AdjustmentView>,
    /// Where its visit happened (a place-of-service code).
    pub place_of_service: Option<String>,
    /// What was done, for an unlisted code.
    pub description: Option<String>,
    /// Whether its code is unlisted, so the claim must describe what was done.
    pub needs_description: bool,
}

/// One payer adjustment, with its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdjustmentView {
    /// CO, PR, OA, PI, CR.
    pub group: String,
    /// CARC.
    pub reason: String,
    /// Amount.
    pub cents: i64,
    /// What it means.
    pub words: String,
    /// What its group means for who pays.
    pub group_words: String,
}

impl AdjustmentView {
    /// An adjustment with its words.
    pub fn of(a: &Adjustment) -> AdjustmentView {
        AdjustmentView {
            group: a.group.clone(),
            reason: a.reason.clone(),
            cents: a.cents,
            words: stride_billing::codes::describe_adjustment(&a.group, &a.reason),
            group_words: stride_billing::codes::group_words(&a.group).to_owned(),
        }
    }
}

/// One step of a claim's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClaimEvent {
    /// When.
    pub at: String,
    /// Who (none for a remittance).
    pub user_id: Option<String>,
    /// From.
    pub from_status: Option<String>,
    /// To.
    pub to_status: String,
    /// clinic or remittance.
    pub source: String,
    /// Why.
    pub reason: Option<String>,
}

/// A claim with its lines, diagnoses and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClaimDetail {
    /// The summary.
    #[serde(flatten)]
    pub summary: ClaimSummary,
    /// The episode.
    pub episode_id: String,
    /// ICD-10-CM codes in pointer order.
    pub diagnoses: Vec<String>,
    /// Lines.
    pub lines: Vec<ClaimLine>,
    /// History, oldest first.
    pub history: Vec<ClaimEvent>,
    /// The statuses a person may move it to now (the lifecycle's, less a payer's and the
    /// export's).
    pub steps: Vec<ClaimStatus>,
    /// Whether it may be voided and billed again from its notes ([`Chart::rebuild_claim`]).
    pub rebuildable: bool,
}

impl ClaimDetail {
    /// The claim as it was sent, for a (made-up) payer's remittance.
    pub fn as_sent(&self) -> stride_billing::synthetic::SentClaim {
        stride_billing::synthetic::SentClaim {
            control_number: self.summary.control_number.clone(),
            charge_cents: self.summary.charge_cents,
            lines: self
                .lines
                .iter()
                .map(|l| stride_billing::synthetic::SentLine {
                    code: l.code.clone(),
                    modifiers: l.modifiers.clone(),
                    charge_cents: l.charge_cents,
                    units: l.units,
                    date: chrono::NaiveDate::parse_from_str(&l.date_of_service, "%Y-%m-%d").unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// A change to one line of a draft claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct LineEdit {
    /// New units.
    pub units: Option<u32>,
    /// New modifiers (replacing the old ones).
    pub modifiers: Option<Vec<String>>,
    /// New diagnosis pointers.
    pub dx_pointers: Option<Vec<u8>>,
    /// What was done, for an unlisted code (sent as SV101-7; empty text clears it).
    pub description: Option<String>,
}

const SUMMARY: &str = "SELECT c.id, c.control_number, c.patient_id, p.last_name || ', ' || p.first_name, c.payer_id,
    y.name, c.responsibility, c.status, c.rendering_id, c.service_from, c.service_to, c.charge_cents, c.paid_cents,
    c.written_off_cents, c.patient_resp_cents, c.submitted_on,
    coalesce((SELECT f.patient_resp_cents FROM claim f WHERE f.id = c.primary_claim_id), c.charge_cents)
    FROM claim c JOIN patient p ON p.id = c.patient_id JOIN payer y ON y.id = c.payer_id";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClaimSummary> {
    let status: String = r.get(7)?;
    let (charge, paid, off, patient): (i64, i64, i64, i64) = (r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?);
    // What the payer is asked to settle: the charge, or, on a secondary claim, what the
    // primary payer left to the patient.
    let asked: i64 = r.get(16)?;
    Ok(ClaimSummary {
        id: r.get(0)?,
        control_number: r.get(1)?,
        patient_id: r.get(2)?,
        patient_name: r.get(3)?,
        payer_id: r.get(4)?,
        payer_name: r.get(5)?,
        responsibility: r.get(6)?,
        status: ClaimStatus::parse(&status).unwrap_or(ClaimStatus::Draft),
        rendering_id: r.get(8)?,
        service_from: r.get(9)?,
        service_to: r.get(10)?,
        charge_cents: charge,
        paid_cents: paid,
        written_off_cents: off,
        patient_resp_cents: patient,
        balance_cents: asked - paid - off - patient,
        submitted_on: r.get(15)?,
    })
}

/// Parses stored diagnosis pointers ("1,2").
pub(crate) fn pointers(text: &str) -> Vec<u8> {
    text.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}

impl Chart {
    /// Claims, newest service first; only those in `status` when given.
    pub fn claims(&self, status: Option<ClaimStatus>) -> Result<Vec<ClaimSummary>> {
        let sql = format!(
            "{SUMMARY} WHERE (?1 IS NULL OR c.status = ?1) ORDER BY c.service_from DESC, p.last_name, c.control_number"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([status.map(ClaimStatus::as_str)], summary_row)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// One claim's summary.
    pub fn claim_summary(&self, claim_id: &str) -> Result<ClaimSummary> {
        self.conn
            .prepare_cached(&format!("{SUMMARY} WHERE c.id = ?1"))?
            .query_row([claim_id], summary_row)
            .optional()?
            .ok_or_else(|| ChartError::not_found("claim", claim_id))
    }

    /// One claim with its lines, diagnoses and history.
    pub fn claim(&self, claim_id: &str) -> Result<ClaimDetail> {
        let summary = self.claim_summary(claim_id)?;
        let episode_id: String = self
            .conn
            .prepare_cached("SELECT episode_id FROM claim WHERE id = ?1")?
            .query_row([claim_id], |r| r.get(0))?;
        let diagnoses = self
            .conn
            .prepare_cached("SELECT icd10 FROM claim_diagnosis WHERE claim_id = ?1 ORDER BY position")?
            .query_map([claim_id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let lines = self.claim_lines(claim_id)?;
        let history = self
            .conn
            .prepare_cached(
                "SELECT at, user_id, from_status, to_status, source, reason FROM claim_event
                 WHERE claim_id = ?1 ORDER BY seq",
            )?
            .query_map([claim_id], |r| {
                Ok(ClaimEvent {
                    at: r.get(0)?,
                    user_id: r.get(1)?,
                    from_status: r.get(2)?,
                    to_status: r.get(3)?,
                    source: r.get(4)?,
                    reason: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let steps = summary.status.manual_steps();
        let rebuildable = self.rebuild_refusal(claim_id, summary.status)?.is_none();
        Ok(ClaimDetail {
            steps,
            rebuildable,
            summary,
            episode_id,
            diagnoses,
            lines,
            history,
        })
    }

    /// A claim's lines in order.
    pub fn claim_lines(&self, claim_id: &str) -> Result<Vec<ClaimLine>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, note_id, date_of_service, code, modifiers, units, minutes, charge_cents, allowed_cents,
                    dx_pointers, paid_cents, written_off_cents, patient_resp_cents, adjustments, place_of_service,
                    description
             FROM claim_line WHERE claim_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([claim_id], |r| {
            let modifiers = crate::chart::modifiers_column(r, 4)?;
            let pointer_text: String = r.get(9)?;
            let adjustments: String = r.get(13)?;
            let adjustments: Vec<Adjustment> = serde_json::from_str(&adjustments).unwrap_or_default();
            Ok(ClaimLine {
                position: r.get(0)?,
                note_id: r.get(1)?,
                date_of_service: r.get(2)?,
                code: r.get(3)?,
                modifiers,
                units: r.get(5)?,
                minutes: r.get(6)?,
                charge_cents: r.get(7)?,
                allowed_cents: r.get(8)?,
                dx_pointers: pointers(&pointer_text),
                paid_cents: r.get(10)?,
                written_off_cents: r.get(11)?,
                patient_resp_cents: r.get(12)?,
                adjustments: adjustments.iter().map(AdjustmentView::of).collect(),
                place_of_service: r.get(14)?,
                description: r.get(15)?,
                needs_description: stride_coding::is_unlisted(&r.get::<_, String>(3)?),
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Changes one line of a draft claim: units, modifiers or diagnosis pointers. The
    /// note is never touched; the scrubber checks the result against it.
    pub fn edit_claim_line(&mut self, by: &Session, claim_id: &str, position: u32, edit: &LineEdit) -> Result<()> {
        by.require("editing a claim", BILLING_ROLES)?;
        let claim = self.claim(claim_id)?;
        if !claim.summary.status.editable() {
            return Err(ChartError::State(format!(
                "this claim is {}: only a draft can be edited (move it back to draft first)",
                claim.summary.status
            )));
        }
        let Some(line) = claim.lines.iter().find(|l| l.position == position) else {
            return Err(ChartError::not_found("claim line", position));
        };
        let units = edit.units.unwrap_or(line.units);
        if !(1..=999).contains(&units) {
            return Err(ChartError::invalid("units", "must be between 1 and 999"));
        }
        let modifiers = match &edit.modifiers {
            Some(m) => m
                .iter()
                .filter(|m| !m.trim().is_empty())
                .map(|m| Modifier::parse(m))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| ChartError::invalid("modifiers", e.to_string()))?,
            None => line.modifiers.clone(),
        };
        if modifiers.len() > 4 {
            return Err(ChartError::invalid(
                "modifiers",
                "a claim line carries at most four modifiers",
            ));
        }
        let dx = edit.dx_pointers.clone().unwrap_or_else(|| line.dx_pointers.clone());
        if dx.is_empty() || dx.len() > 4 || dx.iter().any(|p| *p == 0 || usize::from(*p) > claim.diagnoses.len()) {
            return Err(ChartError::invalid(
                "diagnosis pointers",
                format!("one to four of the claim's {} diagnoses", claim.diagnoses.len()),
            ));
        }
        let unit_charge = if line.units == 0 {
            0
        } else {
            line.charge_cents / i64::from(line.units)
        };
        let pointer_text = dx.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        let description = match &edit.description {
            Some(text) => validate::optional(&Some(text.clone())),
            None => line.description.clone(),
        };
        if description.as_ref().is_some_and(|d| d.chars().count() > 80) {
            return Err(ChartError::invalid(
                "description",
                "a claim line's description has at most 80 characters",
            ));
        }
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE claim_line SET units = ?3, modifiers = ?4, dx_pointers = ?5, charge_cents = ?6, description = ?7
                 WHERE claim_id = ?1 AND position = ?2",
                rusqlite::params![
                    claim_id,
                    position,
                    units,
                    Modifier::join(&modifiers),
                    pointer_text,
                    unit_charge * i64::from(units),
                    description
                ],
            )?;
            w.exec(
                "UPDATE claim SET charge_cents = (SELECT sum(charge_cents) FROM claim_line WHERE claim_id = ?1),
                    updated_at = ?2 WHERE id = ?1",
                (claim_id, &w.at),
            )?;
            w.record(
                "edit",
                "claim",
                claim_id,
                serde_json::json!({ "id": claim_id, "line": position, "units": units, "modifiers": modifiers }),
            )
        })
    }

    /// Moves a claim from `expected` to `to`, as a person in the clinic asks. Refused if
    /// the claim is no longer `expected` (someone moved it first), if the lifecycle has
    /// no such step, if only a remittance may take it, or, for `ready`, if the scrubber
    /// finds errors.
    pub fn set_claim_status(
        &mut self,
        by: &Session,
        claim_id: &str,
        expected: ClaimStatus,
        to: ClaimStatus,
        reason: Option<&str>,
    ) -> Result<()> {
        by.require("changing a claim's status", BILLING_ROLES)?;
        let actual = self.claim_summary(claim_id)?.status;
        check_transition(expected, actual, to, TransitionSource::Clinic).map_err(transition_error)?;
        if to == ClaimStatus::Ready {
            let report = self.scrub_claim(claim_id)?;
            if let Some(first) = report.errors().next() {
                return Err(ChartError::State(format!(
                    "the scrubber found {} problem(s) to fix before this claim is ready; first: {}",
                    report.errors().count(),
                    first.message
                )));
            }
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        self.write(Some(by), |w| {
            transition(w, claim_id, actual, to, TransitionSource::Clinic, reason)
        })
    }
}

impl Chart {
    /// Marks the clean drafts among `ids` ready, in one transaction. Returns the claims
    /// left as drafts, each with the reason (the scrubber's count and first error).
    pub fn mark_ready(&mut self, by: &Session, ids: &[String]) -> Result<Vec<(String, String)>> {
        by.require("changing a claim's status", BILLING_ROLES)?;
        self.batch(|chart| {
            let mut refused = Vec::new();
            for id in ids {
                match chart.set_claim_status(by, id, ClaimStatus::Draft, ClaimStatus::Ready, None) {
                    Ok(()) => {}
                    Err(ChartError::State(why)) => refused.push((id.clone(), why)),
                    Err(e) => return Err(e),
                }
            }
            Ok(refused)
        })
    }
}

/// A refused transition in a clinician's words.
pub(crate) fn transition_error(e: TransitionError) -> ChartError {
    ChartError::State(e.to_string())
}

/// Writes one status change inside an action: the claim row, its history and the op.
/// The caller has checked the step.
pub(crate) fn transition(
    w: &Write<'_>,
    claim_id: &str,
    from: ClaimStatus,
    to: ClaimStatus,
    source: TransitionSource,
    reason: Option<&str>,
) -> Result<()> {
    let changed = w.exec(
        "UPDATE claim SET status = ?3, updated_at = ?4 WHERE id = ?1 AND status = ?2",
        (claim_id, from.as_str(), to.as_str(), &w.at),
    )?;
    if changed != 1 {
        return Err(ChartError::State(
            "the claim changed while this was being done: reload and try again".into(),
        ));
    }
    append_event(w, claim_id, Some(from), to, source, reason)?;
    w.audit("transition", "claim", claim_id)?;
    w.op(
        "claim.transition",
        claim_id,
        serde_json::json!({ "id": claim_id, "from": from, "to": to, "source": source, "reason": reason }),
    )
}

/// Appends a step to a claim's history.
pub(crate) fn append_event(
    w: &Write<'_>,
    claim_id: &str,
    from: Option<ClaimStatus>,
    to: ClaimStatus,
    source: TransitionSource,
    reason: Option<&str>,
) -> Result<()> {
    let source = match source {
        TransitionSource::Clinic => "clinic",
        TransitionSource::Remittance => "remittance",
    };
    w.exec(
        "INSERT INTO claim_event (claim_id, seq, at, user_id, from_status, to_status, source, reason)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM claim_event WHERE claim_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            claim_id,
            w.at,
            w.actor,
            from.map(ClaimStatus::as_str),
            to.as_str(),
            source,
            reason
        ],
    )?;
    Ok(())
}

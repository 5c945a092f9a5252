//! Posting an 835 remittance: every claim in it is matched by its control number and
//! its lines by code, modifiers and date; payments and adjustments are posted, the
//! claim moves to paid, partially paid or denied, denied lines join the denial queue,
//! and whatever cannot be matched or posted is kept with the reason, never dropped.
//! The file is read whole before anything is written, and posted in one transaction.

use super::BILLING_ROLES;
use super::claims::{ClaimLine, append_event};
use crate::chart::{Chart, Write, new_id};
use crate::error::{ChartError, Result};
use crate::users::Session;
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use stride_billing::posting::settle;
use stride_billing::status::check_transition;
use stride_billing::x12::remit835::{RemitClaim, RemitLine, Remittance, parse_835};
use stride_billing::{ClaimStatus, TransitionSource};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The stored remittance.
    pub remittance_id: String,
    /// Payer.
    pub payer_name: String,
    /// Check or EFT number.
    pub trace_number: String,
    /// The payment's total.
    pub total_paid_cents: i64,
    /// Claims posted.
    pub posted: Vec<Posted>,
    /// Claims or lines kept but not posted, and why.
    pub unmatched: Vec<Unmatched>,
    /// Denied lines added to the denial queue.
    pub denials: usize,
}

/// One claim posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posted {
    /// The claim.
    pub claim_id: String,
    /// Its control number.
    pub control_number: String,
    /// Its new status (none when a person must decide).
    pub status: Option<ClaimStatus>,
    /// Paid on it by this remittance.
    pub paid_cents: i64,
}

/// Something in the file Stride could not post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    /// The control number the payer sent.
    pub control_number: String,
    /// Why it was not posted.
    pub reason: String,
}

/// One remittance claim with where it lands.
struct Plan<'r> {
    remit: &'r RemitClaim,
    claim: Option<(String, ClaimStatus)>,
    problem: Option<String>,
}

impl Chart {
    /// Imports an 835 file (billers). A malformed file changes nothing; the same file
    /// twice is refused.
    pub fn import_835(&mut self, by: &Session, bytes: &[u8]) -> Result<ImportReport> {
        by.require("posting remittances", BILLING_ROLES)?;
        let remittance = parse_835(bytes).map_err(|e| ChartError::invalid("835 file", e.to_string()))?;
        let hash = hex::encode(Sha256::digest(bytes));
        let earlier: Option<String> = self
            .conn
            .prepare_cached("SELECT imported_at FROM remittance WHERE file_sha256 = ?1")?
            .query_row([&hash], |r| r.get(0))
            .optional()?;
        if let Some(at) = earlier {
            return Err(ChartError::State(format!(
                "this remittance file was already imported ({at}); nothing was posted twice"
            )));
        }
        let mut plans = Vec::with_capacity(remittance.claims.len());
        for remit in &remittance.claims {
            plans.push(self.plan_posting(remit)?);
        }
        let id = new_id();
        let mut report = ImportReport {
            remittance_id: id.clone(),
            payer_name: remittance.payer_name.clone(),
            trace_number: remittance.trace_number.clone(),
            total_paid_cents: remittance.total_paid_cents,
            posted: Vec::new(),
            unmatched: Vec::new(),
            denials: 0,
        };
        self.batch(|chart| {
            chart.write(Some(by), |w| store_remittance(w, &id, &hash, &remittance))?;
            for (position, plan) in plans.iter().enumerate() {
                let lines = match &plan.claim {
                    Some((claim_id, _)) if plan.problem.is_none() => chart.claim_lines(claim_id)?,
                    _ => Vec::new(),
                };
                let outcome = chart.write(Some(by), |w| {
                    post_claim(w, &id, position + 1, plan, &lines, &remittance)
                })?;
                let (posted, denials, unmatched) = outcome;
                report.posted.extend(posted);
                report.denials += denials;
                report.unmatched.extend(unmatched);
            }
            Ok(())
        })?;
        Ok(report)
    }

    /// Finds the claim a remittance claim settles and whether it can be posted to it.
    fn plan_posting<'r>(&self, remit: &'r RemitClaim) -> Result<Plan<'r>> {
        let claim: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT id, status FROM claim WHERE control_number = ?1")?
            .query_row([&remit.control_number], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((id, status)) = claim else {
            return Ok(Plan {
                remit,
                claim: None,
                problem: Some(format!(
                    "no claim has the control number {}: it may have been sent by another system",
                    remit.control_number
                )),
            });
        };
        let status = ClaimStatus::parse(&status).unwrap_or(ClaimStatus::Draft);
        let problem = (!status.outstanding())
            .then(|| format!("the claim is {status}, so nothing is owed on it: review this payment by hand"));
        Ok(Plan {
            remit,
            claim: Some((id, status)),
            problem,
        })
    }
}

fn store_remittance(w: &Write<'_>, id: &str, hash: &str, r: &Remittance) -> Result<()> {
    w.exec(
        "INSERT INTO remittance (id, file_sha256, payer_name, payer_code, trace_number, paid_on, total_paid_cents,
            provider_adjustment_cents, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            id,
            hash,
            r.payer_name,
            r.payer_id,
            r.trace_number,
            r.paid_on.map(|d| d.to_string()),
            r.total_paid_cents,
            r.provider_adjustment_cents,
            w.at,
            w.actor
        ],
    )?;
    w.record(
        "import",
        "remittance",
        id,
        serde_json::json!({ "id": id, "claims": r.claims.len(), "total_paid_cents": r.total_paid_cents }),
    )
}

/// The claim line a remittance line settles: same code and date, then same modifiers,
/// each claim line used once.
fn match_line<'l>(line: &RemitLine, lines: &'l [ClaimLine], used: &[u32]) -> Option<&'l ClaimLine> {
    let date = line.date.map(|d| d.to_string());
    let candidates = lines
        .iter()
        .filter(|l| !used.contains(&l.position) && l.code == line.code)
        .filter(|l| date.as_ref().is_none_or(|d| *d == l.date_of_service));
    let mut best = None;
    for l in candidates {
        if l.modifiers == line.modifiers {
            return Some(l);
        }
        best = best.or(Some(l));
    }
    best
}

/// The claim posted (if it was), denials queued, and what could not be posted.
type PostOutcome = (Option<Posted>, usize, Vec<Unmatched>);

/// Posts one remittance claim: the remit_claim row always; payments, status and
/// denials when it matched an outstanding claim.
fn post_claim(
    w: &Write<'_>,
    remittance_id: &str,
    position: usize,
    plan: &Plan<'_>,
    lines: &[ClaimLine],
    remittance: &Remittance,
) -> Result<PostOutcome> {
    let remit = plan.remit;
    let mut unmatched = Vec::new();
    let mut problem = plan.problem.clone();
    let mut used = Vec::new();
    let mut matched = Vec::new();
    if problem.is_none() {
        for line in &remit.lines {
            match match_line(line, lines, &used) {
                Some(l) => {
                    used.push(l.position);
                    matched.push((line, l.position));
                }
                None => unmatched.push(Unmatched {
                    control_number: remit.control_number.clone(),
                    reason: format!(
                        "the payer's line {} on {} matches no line of the claim: post it by hand",
                        line.code,
                        line.date.map(|d| d.to_string()).unwrap_or_default()
                    ),
                }),
            }
        }
    }
    if let Some(p) = &problem {
        unmatched.push(Unmatched {
            control_number: remit.control_number.clone(),
            reason: p.clone(),
        });
    } else if !unmatched.is_empty() {
        problem = Some(
            unmatched
                .iter()
                .map(|u| u.reason.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        );
    }
    let claim_id = plan.claim.as_ref().map(|(id, _)| id.as_str());
    w.exec(
        "INSERT INTO remit_claim (remittance_id, position, claim_id, control_number, status_code, charge_cents,
            paid_cents, patient_resp_cents, detail, problem)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            remittance_id,
            i64::try_from(position).unwrap_or(i64::MAX),
            claim_id,
            remit.control_number,
            remit.status_code,
            remit.charge_cents,
            remit.paid_cents,
            remit.patient_resp_cents,
            serde_json::to_string(remit).unwrap_or_default(),
            problem
        ],
    )?;
    let (Some((claim_id, status)), None) = (&plan.claim, &plan.problem) else {
        return Ok((None, 0, unmatched));
    };
    for (line, position) in &matched {
        let (mut off, mut patient) = (0, 0);
        for a in &line.adjustments {
            if a.group == "PR" {
                patient += a.cents;
            } else if !line.denied() {
                off += a.cents;
            }
        }
        w.exec(
            "UPDATE claim_line SET paid_cents = paid_cents + ?3, written_off_cents = written_off_cents + ?4,
                patient_resp_cents = patient_resp_cents + ?5, adjustments = ?6
             WHERE claim_id = ?1 AND position = ?2",
            rusqlite::params![
                claim_id,
                position,
                line.paid_cents,
                off,
                patient,
                serde_json::to_string(&line.adjustments).unwrap_or_default()
            ],
        )?;
    }
    let settlement = settle(remit);
    w.exec(
        "UPDATE claim SET paid_cents = paid_cents + ?2, written_off_cents = written_off_cents + ?3,
            patient_resp_cents = patient_resp_cents + ?4, adjudicated_on = ?5, updated_at = ?6
         WHERE id = ?1",
        rusqlite::params![
            claim_id,
            settlement.paid_cents,
            settlement.written_off_cents,
            settlement.patient_resp_cents,
            remittance.paid_on.map(|d| d.to_string()),
            w.at
        ],
    )?;
    let reason = format!("835 {} from {}", remittance.trace_number, remittance.payer_name);
    match settlement.status {
        Some(to) if to != *status => {
            match check_transition(*status, *status, to, TransitionSource::Remittance) {
                Ok(()) => {
                    w.exec("UPDATE claim SET status = ?2 WHERE id = ?1", (claim_id, to.as_str()))?;
                    append_event(w, claim_id, Some(*status), to, TransitionSource::Remittance, Some(&reason))?;
                }
                Err(e) => unmatched.push(Unmatched {
                    control_number: remit.control_number.clone(),
                    reason: format!("the amounts are posted, but the status stays: {e}"),
                }),
            }
        }
        Some(_) => {}
        None => unmatched.push(Unmatched {
            control_number: remit.control_number.clone(),
            reason: format!(
                "claim status code {} (a reversal or a code Stride does not know): the amounts are posted, set the status by hand",
                remit.status_code
            ),
        }),
    }
    let denials = queue_denials(w, claim_id, remittance_id, remit, &matched)?;
    w.audit("post", "claim", claim_id)?;
    w.op(
        "claim.post",
        claim_id,
        serde_json::json!({ "id": claim_id, "remittance_id": remittance_id, "status": settlement.status }),
    )?;
    let posted = Posted {
        claim_id: claim_id.clone(),
        control_number: remit.control_number.clone(),
        status: settlement.status,
        paid_cents: remit.paid_cents,
    };
    Ok((Some(posted), denials, unmatched))
}

/// Adds the denied lines (or the whole claim, when denied without lines) to the queue.
fn queue_denials(
    w: &Write<'_>,
    claim_id: &str,
    remittance_id: &str,
    remit: &RemitClaim,
    matched: &[(&RemitLine, u32)],
) -> Result<usize> {
    let mut count = 0;
    let mut add = |position: Option<u32>, code: &str, cents: i64, reasons: Vec<String>, remarks: &[String]| {
        count += 1;
        w.exec(
            "INSERT INTO denial (id, claim_id, line_position, remittance_id, code, cents, reasons, remarks, status,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?9)",
            rusqlite::params![
                new_id(),
                claim_id,
                position,
                remittance_id,
                code,
                cents,
                serde_json::to_string(&reasons).unwrap_or_default(),
                serde_json::to_string(remarks).unwrap_or_default(),
                w.at
            ],
        )
        .map(|_| ())
    };
    let reasons = |adjustments: &[stride_billing::x12::claim837::Adjustment]| {
        adjustments
            .iter()
            .map(|a| format!("{}-{}", a.group, a.reason))
            .collect::<Vec<_>>()
    };
    for (line, position) in matched.iter().filter(|(l, _)| l.denied()) {
        add(
            Some(*position),
            &line.code,
            line.charge_cents,
            reasons(&line.adjustments),
            &line.remarks,
        )?;
    }
    if remit.lines.is_empty() && remit.status_code == "4" {
        add(
            None,
            "claim",
            remit.charge_cents,
            reasons(&remit.adjustments),
            &remit.remarks,
        )?;
    }
    Ok(count)
}

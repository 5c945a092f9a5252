//! Posting an 835 remittance file: each payment in it (ST/SE) is stored, every claim in
//! it is matched by its control number and its lines by line control number, code,
//! modifiers and date; payments and adjustments are posted, the claim moves to paid,
//! partially paid or denied, denied lines join the denial queue, and whatever cannot be
//! matched or posted is kept with the reason, never dropped. Claims post in file order,
//! so a reversal (CLP02 22) takes its payment back and reopens the claim before the
//! corrected claim that follows it posts. A claim the payer forwarded (a crossover) is
//! marked so its secondary claim is not built, and the crossover payer's own remittance
//! for it posts to it. Provider-level adjustments (PLB) are kept with their reasons and
//! references, linked to the claim a reference names. The file is read whole before
//! anything is written, and posted in one transaction.

use super::BILLING_ROLES;
use super::claims::append_event;
use crate::chart::{Chart, Write, new_id};
use crate::error::{ChartError, Result};
use crate::users::Session;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use stride_billing::posting::{ClaimPosting, ClaimState, OpenLine, forwarded_to, post, route};
use stride_billing::x12::remit835::{RemitClaim, Remittance, parse_835};
use stride_billing::{ClaimStatus, TransitionSource};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    /// The payments in the file (one per ST/SE transaction), each stored.
    pub payments: Vec<Payment>,
    /// Claims posted.
    pub posted: Vec<Posted>,
    /// Claims or lines kept but not posted, and why.
    pub unmatched: Vec<Unmatched>,
    /// Denied lines added to the denial queue.
    pub denials: usize,
    /// On a chart linked to a clinic server, the server posts the remittance: the
    /// claims' payments and statuses arrive with the next sync.
    pub server_posts: bool,
}

/// One payment of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportedPayment"))]
pub struct Payment {
    /// The stored remittance.
    pub remittance_id: String,
    /// Payer.
    pub payer_name: String,
    /// Check or EFT number.
    pub trace_number: String,
    /// The payment's total.
    pub total_paid_cents: i64,
    /// Payments taken back by reversals (CLP02 22), as a positive amount.
    pub taken_back_cents: i64,
    /// Its provider-level adjustments, each in words.
    pub provider_adjustments: Vec<ProviderAdjustmentView>,
}

/// A provider-level adjustment (PLB) as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderAdjustmentView {
    /// The reason code (WO, FB, L6, ...).
    pub reason: String,
    /// What it means.
    pub words: String,
    /// The payer's reference.
    pub reference: String,
    /// Amount: positive when withheld from the payment.
    pub cents: i64,
    /// The claim its reference names (by control number or the payer's claim number).
    pub claim_id: Option<String>,
}

/// One claim posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PostedClaim"))]
pub struct Posted {
    /// The claim.
    pub claim_id: String,
    /// Its control number.
    pub control_number: String,
    /// Its status after posting.
    pub status: Option<ClaimStatus>,
    /// Paid on it by this remittance.
    pub paid_cents: i64,
}

/// Something in the file Stride could not post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "UnmatchedClaim"))]
pub struct Unmatched {
    /// The control number the payer sent.
    pub control_number: String,
    /// Why it was not posted.
    pub reason: String,
}

/// One remittance claim with where it lands and what posting it does.
struct Plan<'r> {
    remit: &'r RemitClaim,
    claim: Option<(String, ClaimStatus)>,
    /// Why it is not posted at all.
    problem: Option<String>,
    posting: Option<ClaimPosting>,
}

impl Plan<'_> {
    /// Everything about this claim that could not be posted.
    fn problems(&self) -> Vec<String> {
        let mut all: Vec<String> = self.problem.iter().cloned().collect();
        all.extend(self.posting.iter().flat_map(|p| p.problems.iter().cloned()));
        all
    }
}

impl Chart {
    /// Imports an 835 file (billers): every payment in it. A malformed file changes
    /// nothing; the same file or payment twice is refused.
    pub fn import_835(&mut self, by: &Session, bytes: &[u8]) -> Result<ImportReport> {
        by.require("posting remittances", BILLING_ROLES)?;
        let payments = parse_835(bytes).map_err(|e| ChartError::invalid("835 file", e.to_string()))?;
        let hash = hex::encode(Sha256::digest(bytes));
        // One write transaction (BEGIN IMMEDIATE) from the duplicate checks to the last
        // posting: no other writer can change a claim between its plan and its posting.
        self.batch(|chart| {
            let earlier: Option<String> = chart
                .conn
                .prepare_cached("SELECT imported_at FROM remittance WHERE file_sha256 = ?1")?
                .query_row([&hash], |r| r.get(0))
                .optional()?;
            if let Some(at) = earlier {
                return Err(ChartError::State(format!(
                    "this remittance file was already imported ({at}); nothing was posted twice"
                )));
            }
            let mut report = ImportReport {
                payments: Vec::new(),
                posted: Vec::new(),
                unmatched: Vec::new(),
                denials: 0,
                server_posts: chart.linked,
            };
            for remittance in &payments {
                chart.import_payment(by, &hash, remittance, &mut report)?;
            }
            Ok(report)
        })
    }

    /// Stores and posts one payment of a file, adding what it did to `report`.
    fn import_payment(
        &mut self,
        by: &Session,
        hash: &str,
        remittance: &Remittance,
        report: &mut ImportReport,
    ) -> Result<()> {
        // The same payment sent again in a new envelope (or imported on another device and
        // synced here) has the same payer and trace number.
        let same_payment: Option<String> = self
            .conn
            .prepare_cached("SELECT imported_at FROM remittance WHERE payer_code = ?1 AND trace_number = ?2")?
            .query_row((&remittance.payer_id, &remittance.trace_number), |r| r.get(0))
            .optional()?;
        if let Some(at) = same_payment {
            return Err(ChartError::State(format!(
                "payment {} from {} was already imported ({at}); nothing was posted twice",
                remittance.trace_number, remittance.payer_name
            )));
        }
        let mut adjustments = Vec::with_capacity(remittance.provider_adjustments.len());
        for a in &remittance.provider_adjustments {
            adjustments.push(ProviderAdjustmentView {
                reason: a.reason.clone(),
                words: a.reason_words().to_owned(),
                reference: a.reference.clone(),
                cents: a.cents,
                claim_id: self.claim_named_by(&a.reference)?,
            });
        }
        let id = new_id();
        self.write(Some(by), |w| store_payment(w, &id, hash, remittance, &adjustments))?;
        // Claims post in file order, each planned after the one before it posted: a
        // reversal reopens its claim before the correction that follows it.
        let mut plans = Vec::with_capacity(remittance.claims.len());
        for remit in &remittance.claims {
            let plan = self.plan_posting(remit, &remittance.payer_id)?;
            if let (Some((claim_id, status)), Some(posting)) = (&plan.claim, &plan.posting) {
                self.write(Some(by), |w| {
                    apply_posting(w, &id, claim_id, *status, posting, remittance)?;
                    if remit.forwarded() {
                        w.exec(
                            "UPDATE claim SET forwarded_to = ?2 WHERE id = ?1",
                            (claim_id, forwarded_to(remit)),
                        )?;
                    }
                    Ok(())
                })?;
                report.denials += posting.denials.len();
                report.posted.push(Posted {
                    claim_id: claim_id.clone(),
                    control_number: remit.control_number.clone(),
                    status: Some(posting.status.unwrap_or(*status)),
                    paid_cents: remit.paid_cents,
                });
            }
            report
                .unmatched
                .extend(plan.problems().into_iter().map(|reason| Unmatched {
                    control_number: remit.control_number.clone(),
                    reason,
                }));
            plans.push(plan);
        }
        self.write(Some(by), |w| store_remit_claims(w, &id, remittance, &plans))?;
        report.payments.push(Payment {
            remittance_id: id,
            payer_name: remittance.payer_name.clone(),
            trace_number: remittance.trace_number.clone(),
            total_paid_cents: remittance.total_paid_cents,
            taken_back_cents: remittance
                .claims
                .iter()
                .filter(|c| c.is_reversal())
                .map(|c| -c.paid_cents)
                .sum(),
            provider_adjustments: adjustments,
        });
        Ok(())
    }

    /// The claim a payer's reference names: Stride's control number, or the payer's own
    /// claim number from an earlier remittance.
    fn claim_named_by(&self, reference: &str) -> Result<Option<String>> {
        if reference.trim().is_empty() {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM claim WHERE control_number = ?1
                 UNION ALL SELECT claim_id FROM remit_claim
                   WHERE claim_id IS NOT NULL AND json_extract(detail, '$.payer_claim_number') = ?1
                 LIMIT 1",
            )?
            .query_row([reference], |r| r.get(0))
            .optional()?)
    }

    /// Finds the claim a remittance claim settles and whether it can be posted to it.
    fn plan_posting<'r>(&self, remit: &'r RemitClaim, payer_code: &str) -> Result<Plan<'r>> {
        let claim: Option<(String, String, Option<String>, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.status, c.forwarded_to, y.payer_code FROM claim c JOIN payer y ON y.id = c.payer_id
                 WHERE c.control_number = ?1",
            )?
            .query_row([&remit.control_number], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((id, status, forwarded, claim_payer)) = claim else {
            return Ok(Plan {
                remit,
                claim: None,
                problem: Some(format!(
                    "no claim has the control number {}: it may have been sent by another system",
                    remit.control_number
                )),
                posting: None,
            });
        };
        let status = ClaimStatus::parse(&status).unwrap_or(ClaimStatus::Draft);
        let state = ClaimState {
            status,
            forwarded: forwarded.is_some(),
            payer_code: claim_payer.as_deref(),
        };
        let (to_post, problem) = match route(state, payer_code, remit) {
            Ok(to_post) => (Some(to_post), None),
            Err(problem) => (None, Some(problem)),
        };
        // On a linked chart the clinic server posts remittances: it owns those
        // transitions, and its results arrive by sync.
        let posting = match to_post {
            Some(to_post) if !self.linked => {
                let open: Vec<OpenLine> = self
                    .claim_lines(&id)?
                    .into_iter()
                    .map(|l| OpenLine {
                        position: l.position,
                        code: l.code,
                        modifiers: l.modifiers,
                        date: l.date_of_service,
                        charge_cents: l.charge_cents,
                    })
                    .collect();
                Some(post(status, &open, &to_post))
            }
            _ => None,
        };
        Ok(Plan {
            remit,
            claim: Some((id, status)),
            problem,
            posting,
        })
    }
}

/// The payment as received, before its claims post (their denials name it).
fn store_payment(
    w: &Write<'_>,
    id: &str,
    hash: &str,
    r: &Remittance,
    adjustments: &[ProviderAdjustmentView],
) -> Result<()> {
    w.exec(
        "INSERT INTO remittance (id, file_sha256, payer_name, payer_code, trace_number, paid_on, total_paid_cents,
            provider_adjustment_cents, provider_adjustments, imported_at, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        rusqlite::params![
            id,
            hash,
            r.payer_name,
            r.payer_id,
            r.trace_number,
            r.paid_on.map(|d| d.to_string()),
            r.total_paid_cents,
            r.provider_adjustment_cents(),
            serde_json::to_string(adjustments).unwrap_or_else(|_| "[]".into()),
            w.at,
            w.actor
        ],
    )?;
    Ok(())
}

/// Each claim of a payment as received (with what could not be posted), then the
/// payment's op, so that the op's image holds them all.
fn store_remit_claims(w: &Write<'_>, id: &str, r: &Remittance, plans: &[Plan<'_>]) -> Result<()> {
    for (position, plan) in plans.iter().enumerate() {
        let remit = plan.remit;
        let problems = plan.problems();
        w.exec(
            "INSERT INTO remit_claim (remittance_id, position, claim_id, control_number, status_code, charge_cents,
                paid_cents, patient_resp_cents, detail, problem)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                id,
                i64::try_from(position + 1).unwrap_or(i64::MAX),
                plan.claim.as_ref().map(|(c, _)| c),
                remit.control_number,
                remit.status_code,
                remit.charge_cents,
                remit.paid_cents,
                remit.patient_resp_cents,
                serde_json::to_string(remit).unwrap_or_default(),
                (!problems.is_empty()).then(|| problems.join("; "))
            ],
        )?;
    }
    w.record(
        "import",
        "remittance",
        id,
        serde_json::json!({ "id": id, "claims": r.claims.len(), "total_paid_cents": r.total_paid_cents }),
    )
}

/// Applies one claim's posting: line and claim amounts, the status with its history
/// step, the denials queued; one audit event and one op.
fn apply_posting(
    w: &Write<'_>,
    remittance_id: &str,
    claim_id: &str,
    status: ClaimStatus,
    posting: &ClaimPosting,
    remittance: &Remittance,
) -> Result<()> {
    for l in &posting.lines {
        w.exec(
            "UPDATE claim_line SET paid_cents = paid_cents + ?3, written_off_cents = written_off_cents + ?4,
                patient_resp_cents = patient_resp_cents + ?5,
                adjustments = (SELECT json_group_array(json(value)) FROM
                    (SELECT value FROM json_each(adjustments) UNION ALL SELECT value FROM json_each(?6)))
             WHERE claim_id = ?1 AND position = ?2",
            rusqlite::params![
                claim_id,
                l.position,
                l.paid_cents,
                l.written_off_cents,
                l.patient_resp_cents,
                serde_json::to_string(&l.adjustments).unwrap_or_default()
            ],
        )?;
    }
    let s = &posting.settlement;
    w.exec(
        "UPDATE claim SET paid_cents = paid_cents + ?2, written_off_cents = written_off_cents + ?3,
            patient_resp_cents = patient_resp_cents + ?4, adjudicated_on = ?5, updated_at = ?6
         WHERE id = ?1",
        rusqlite::params![
            claim_id,
            s.paid_cents,
            s.written_off_cents,
            s.patient_resp_cents,
            remittance.paid_on.map(|d| d.to_string()),
            w.at
        ],
    )?;
    if let Some(to) = posting.status {
        let changed = w.exec(
            "UPDATE claim SET status = ?2 WHERE id = ?1 AND status = ?3",
            (claim_id, to.as_str(), status.as_str()),
        )?;
        if changed != 1 {
            return Err(ChartError::State(
                "a claim changed while the remittance was being posted: nothing was posted; import it again".into(),
            ));
        }
        let reason = format!("835 {} from {}", remittance.trace_number, remittance.payer_name);
        append_event(
            w,
            claim_id,
            Some(status),
            to,
            TransitionSource::Remittance,
            Some(&reason),
        )?;
    }
    for d in &posting.denials {
        let id = new_id();
        w.exec(
            "INSERT INTO denial (id, claim_id, line_position, remittance_id, code, cents, reasons, remarks, status,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?9)",
            rusqlite::params![
                id,
                claim_id,
                d.position,
                remittance_id,
                d.code,
                d.cents,
                serde_json::to_string(&d.reasons).unwrap_or_default(),
                serde_json::to_string(&d.remarks).unwrap_or_default(),
                w.at
            ],
        )?;
        w.record(
            "create",
            "denial",
            &id,
            serde_json::json!({ "id": id, "claim_id": claim_id }),
        )?;
    }
    w.audit("post", "claim", claim_id)?;
    w.op(
        "claim.post",
        claim_id,
        serde_json::json!({ "id": claim_id, "status": posting.status, "paid_cents": s.paid_cents }),
    )
}

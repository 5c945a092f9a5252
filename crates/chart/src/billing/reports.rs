//! What the clinic is owed and has been paid: A/R aging by payer, patient balances,
//! charges and payments by payer and by therapist, the denial queue, patient payments.

use super::BILLING_ROLES;
use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::BTreeMap;
use stride_billing::ClaimStatus;
use stride_billing::aging::AgingBucket;

/// Balances by age, in cents: 0-30, 31-60, 61-90, 90+ days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Buckets {
    /// 0 to 30 days.
    #[serde(rename = "0-30")]
    pub current: i64,
    /// 31 to 60 days.
    #[serde(rename = "31-60")]
    pub days_31_60: i64,
    /// 61 to 90 days.
    #[serde(rename = "61-90")]
    pub days_61_90: i64,
    /// More than 90 days.
    #[serde(rename = "90+")]
    pub over_90: i64,
    /// All of them.
    pub total: i64,
}

impl Buckets {
    fn add(&mut self, bucket: AgingBucket, cents: i64) {
        match bucket {
            AgingBucket::Current => self.current += cents,
            AgingBucket::Days31To60 => self.days_31_60 += cents,
            AgingBucket::Days61To90 => self.days_61_90 += cents,
            AgingBucket::Over90 => self.over_90 += cents,
        }
        self.total += cents;
    }
}

/// One payer's outstanding claims by age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayerAging {
    /// Payer.
    pub payer_id: String,
    /// Name.
    pub payer_name: String,
    /// Claims with a balance.
    pub claims: u32,
    /// Balances by age.
    pub buckets: Buckets,
}

/// A patient's balance: what they owe after their insurers, less what they paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatientBalance {
    /// Patient.
    pub patient_id: String,
    /// "Last, First".
    pub patient_name: String,
    /// Left to the patient by the last payer of each claim (deductible, coinsurance,
    /// copay); a claim a secondary payer is working on counts that payer's share.
    pub insurance_resp_cents: i64,
    /// Self-pay charges.
    pub self_pay_cents: i64,
    /// Payments received from the patient.
    pub paid_cents: i64,
    /// What the patient owes now.
    pub balance_cents: i64,
}

/// The A/R report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArReport {
    /// The day the ages are counted to.
    pub as_of: String,
    /// Insurance A/R by payer (a secondary claim counts what the primary left).
    pub payers: Vec<PayerAging>,
    /// All payers.
    pub total: Buckets,
    /// Patients who owe something (a negative balance is a credit, also among `refunds`).
    pub patients: Vec<PatientBalance>,
    /// Money received beyond what was owed, to refund: each overpaid claim's excess (the
    /// payer's, or one it took back before paying again) and each patient's credit.
    pub refunds: Vec<Refund>,
}

/// An overpayment to refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refund {
    /// `payer`: a payer paid a claim more than it owed; `patient`: a patient paid more
    /// than they owe.
    pub owed_to: &'static str,
    /// The payer (a payer's overpayment).
    pub payer_name: Option<String>,
    /// The claim overpaid (a payer's overpayment).
    pub claim_id: Option<String>,
    /// Its control number.
    pub control_number: Option<String>,
    /// The patient.
    pub patient_id: String,
    /// "Last, First".
    pub patient_name: String,
    /// How much to refund.
    pub cents: i64,
}

/// Charges and payments for one payer and therapist over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductionRow {
    /// Payer.
    pub payer_name: String,
    /// Rendering therapist.
    pub therapist_name: String,
    /// Claims.
    pub claims: u32,
    /// Charges billed (counted once, on the claim built from the notes).
    pub charge_cents: i64,
    /// Paid by payers.
    pub paid_cents: i64,
    /// Written off.
    pub written_off_cents: i64,
    /// Left to patients.
    pub patient_resp_cents: i64,
}

/// A denied line waiting for work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Denial {
    /// Id.
    pub id: String,
    /// The claim.
    pub claim_id: String,
    /// Its control number.
    pub control_number: String,
    /// "Last, First".
    pub patient_name: String,
    /// Payer.
    pub payer_name: String,
    /// The claim line, if a line was denied.
    pub line_position: Option<u32>,
    /// Code denied.
    pub code: String,
    /// Amount.
    pub cents: i64,
    /// Each reason in words.
    pub reasons: Vec<String>,
    /// Each remark in words.
    pub remarks: Vec<String>,
    /// open, appealed, corrected, written_off.
    pub status: String,
    /// When it arrived.
    pub created_at: String,
}

impl Chart {
    /// A/R aging as of `today`: each outstanding claim's balance by the days since it
    /// was sent; and patient balances.
    pub fn ar_report(&self, today: NaiveDate) -> Result<ArReport> {
        // What each sent claim's payer still owes: the charge (on a secondary claim, what
        // the primary left to the patient) less payment, write-offs and patient share.
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.payer_id, y.name, coalesce(c.submitted_on, c.service_to),
                    coalesce((SELECT f.patient_resp_cents FROM claim f WHERE f.id = c.primary_claim_id), c.charge_cents)
                      - c.paid_cents - c.written_off_cents - c.patient_resp_cents,
                    c.status, c.id, c.control_number, c.patient_id, p.last_name || ', ' || p.first_name
             FROM claim c JOIN payer y ON y.id = c.payer_id JOIN patient p ON p.id = c.patient_id
             WHERE c.submitted_on IS NOT NULL AND c.status <> 'void'
             ORDER BY p.last_name, p.first_name, c.control_number",
        )?;
        let mut payers: BTreeMap<(String, String), (u32, Buckets)> = BTreeMap::new();
        let mut total = Buckets::default();
        let mut refunds = Vec::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                (r.get::<_, String>(5)?, r.get::<_, String>(6)?),
                (r.get::<_, String>(7)?, r.get::<_, String>(8)?),
            ))
        })?;
        for row in rows {
            let ((payer_id, name, since), balance, status, (claim_id, control_number), (patient_id, patient_name)) =
                row?;
            if balance < 0 {
                refunds.push(Refund {
                    owed_to: "payer",
                    payer_name: Some(name.clone()),
                    claim_id: Some(claim_id),
                    control_number: Some(control_number),
                    patient_id,
                    patient_name,
                    cents: -balance,
                });
                continue;
            }
            if balance == 0 || !ClaimStatus::parse(&status).is_some_and(ClaimStatus::outstanding) {
                continue;
            }
            let since = NaiveDate::parse_from_str(&since, "%Y-%m-%d").unwrap_or(today);
            let bucket = AgingBucket::of(since, today);
            let entry = payers.entry((name, payer_id)).or_default();
            entry.0 += 1;
            entry.1.add(bucket, balance);
            total.add(bucket, balance);
        }
        let payers = payers
            .into_iter()
            .map(|((payer_name, payer_id), (claims, buckets))| PayerAging {
                payer_id,
                payer_name,
                claims,
                buckets,
            })
            .collect();
        let patients = self.patient_balances()?;
        refunds.extend(patients.iter().filter(|b| b.balance_cents < 0).map(|b| Refund {
            owed_to: "patient",
            payer_name: None,
            claim_id: None,
            control_number: None,
            patient_id: b.patient_id.clone(),
            patient_name: b.patient_name.clone(),
            cents: -b.balance_cents,
        }));
        Ok(ArReport {
            as_of: today.to_string(),
            payers,
            total,
            patients,
            refunds,
        })
    }

    /// Every patient who owes something.
    pub fn patient_balances(&self) -> Result<Vec<PatientBalance>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH resp AS (SELECT c.patient_id, sum(c.patient_resp_cents) AS cents FROM claim c
                           WHERE c.status <> 'void'
                             AND NOT EXISTS (SELECT 1 FROM claim s WHERE s.primary_claim_id = c.id AND s.status <> 'void')
                             -- A Qualified Medicare Beneficiary never owes Medicare's cost sharing.
                             AND NOT (c.payer_id IN (SELECT id FROM payer WHERE medicare = 1)
                                      AND c.patient_id IN (SELECT id FROM patient WHERE qmb = 1))
                           GROUP BY c.patient_id),
                  self_pay AS (SELECT l.patient_id, sum(coalesce(f.cents, 0) * l.units) AS cents
                           FROM day_line l JOIN payer y ON y.id = l.payer_id AND y.self_pay = 1
                           LEFT JOIN clinic_fee f ON f.code = l.code
                           GROUP BY l.patient_id),
                  paid AS (SELECT patient_id, sum(cents) AS cents FROM patient_payment GROUP BY patient_id)
             SELECT p.id, p.last_name || ', ' || p.first_name, coalesce(resp.cents, 0), coalesce(self_pay.cents, 0),
                    coalesce(paid.cents, 0)
             FROM patient p LEFT JOIN resp ON resp.patient_id = p.id LEFT JOIN self_pay ON self_pay.patient_id = p.id
             LEFT JOIN paid ON paid.patient_id = p.id
             WHERE resp.cents IS NOT NULL OR self_pay.cents IS NOT NULL OR paid.cents IS NOT NULL
             ORDER BY p.last_name, p.first_name",
        )?;
        let rows = stmt.query_map([], |r| {
            let (resp, self_pay, paid): (i64, i64, i64) = (r.get(2)?, r.get(3)?, r.get(4)?);
            Ok(PatientBalance {
                patient_id: r.get(0)?,
                patient_name: r.get(1)?,
                insurance_resp_cents: resp,
                self_pay_cents: self_pay,
                paid_cents: paid,
                balance_cents: resp + self_pay - paid,
            })
        })?;
        let all: Vec<PatientBalance> = rows.collect::<std::result::Result<_, _>>()?;
        Ok(all.into_iter().filter(|b| b.balance_cents != 0).collect())
    }

    /// Charges and payments of claims with service from `from` to `to`, by payer and
    /// rendering therapist.
    pub fn production(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ProductionRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT y.name, u.name, count(*), sum(CASE WHEN c.primary_claim_id IS NULL THEN c.charge_cents ELSE 0 END),
                    sum(c.paid_cents), sum(c.written_off_cents), sum(c.patient_resp_cents)
             FROM claim c JOIN payer y ON y.id = c.payer_id JOIN user u ON u.id = c.rendering_id
             WHERE c.status <> 'void' AND c.service_from <= ?2 AND c.service_to >= ?1
             GROUP BY y.name, u.name ORDER BY y.name, u.name",
        )?;
        let rows = stmt.query_map((from.to_string(), to.to_string()), |r| {
            Ok(ProductionRow {
                payer_name: r.get(0)?,
                therapist_name: r.get(1)?,
                claims: r.get(2)?,
                charge_cents: r.get(3)?,
                paid_cents: r.get(4)?,
                written_off_cents: r.get(5)?,
                patient_resp_cents: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The denial work queue: open denials, oldest first (or all, with `all`).
    pub fn denials(&self, all: bool) -> Result<Vec<Denial>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.claim_id, c.control_number, p.last_name || ', ' || p.first_name, y.name, d.line_position,
                    d.code, d.cents, d.reasons, d.remarks, d.status, d.created_at
             FROM denial d JOIN claim c ON c.id = d.claim_id JOIN patient p ON p.id = c.patient_id
             JOIN payer y ON y.id = c.payer_id
             WHERE ?1 OR d.status = 'open' ORDER BY d.created_at, d.id",
        )?;
        let rows = stmt.query_map([all], |r| {
            let reasons: String = r.get(8)?;
            let remarks: String = r.get(9)?;
            let reasons: Vec<String> = serde_json::from_str(&reasons).unwrap_or_default();
            let remarks: Vec<String> = serde_json::from_str(&remarks).unwrap_or_default();
            Ok(Denial {
                id: r.get(0)?,
                claim_id: r.get(1)?,
                control_number: r.get(2)?,
                patient_name: r.get(3)?,
                payer_name: r.get(4)?,
                line_position: r.get(5)?,
                code: r.get(6)?,
                cents: r.get(7)?,
                reasons: reasons
                    .iter()
                    .map(|g| match g.split_once('-') {
                        Some((group, reason)) => stride_billing::codes::describe_adjustment(group, reason),
                        None => g.clone(),
                    })
                    .collect(),
                remarks: remarks
                    .iter()
                    .map(|c| stride_billing::codes::describe_remark(c))
                    .collect(),
                status: r.get(10)?,
                created_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Records what was done about a denial: appealed, corrected or written off.
    pub fn resolve_denial(&mut self, by: &Session, denial_id: &str, status: &str) -> Result<()> {
        by.require("working denials", BILLING_ROLES)?;
        if !["open", "appealed", "corrected", "written_off"].contains(&status) {
            return Err(ChartError::invalid(
                "status",
                "use open, appealed, corrected or written_off",
            ));
        }
        self.write(Some(by), |w| {
            let (old, claim_id, line, cents): (String, String, Option<u32>, i64) = w
                .tx
                .prepare_cached("SELECT status, claim_id, line_position, cents FROM denial WHERE id = ?1")?
                .query_row([denial_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?
                .ok_or_else(|| ChartError::not_found("denial", denial_id))?;
            w.exec(
                "UPDATE denial SET status = ?2, updated_at = ?3 WHERE id = ?1",
                (denial_id, status, &w.at),
            )?;
            // Writing a denial off moves its amount out of A/R; reopening moves it back.
            let delta = match (old == "written_off", status == "written_off") {
                (false, true) => cents,
                (true, false) => -cents,
                _ => 0,
            };
            if delta != 0 {
                w.exec(
                    "UPDATE claim SET written_off_cents = written_off_cents + ?2 WHERE id = ?1",
                    (&claim_id, delta),
                )?;
                w.exec(
                    "UPDATE claim_line SET written_off_cents = written_off_cents + ?3 WHERE claim_id = ?1 AND position = ?2",
                    (&claim_id, line, delta),
                )?;
                // A linked chart's clinic server moves the claim's money itself when the
                // denial's new status reaches it; only a chart alone records it as an op.
                if !w.linked {
                    w.op(
                        "claim.edit",
                        &claim_id,
                        serde_json::json!({ "id": claim_id, "written_off_cents": delta }),
                    )?;
                }
            }
            w.record(
                "update",
                "denial",
                denial_id,
                serde_json::json!({ "id": denial_id, "status": status }),
            )
        })
    }

    /// Records a payment from a patient (front desk and billers).
    pub fn record_patient_payment(
        &mut self,
        by: &Session,
        patient_id: &str,
        received_on: &str,
        cents: i64,
        method: &str,
    ) -> Result<String> {
        by.require(
            "recording a patient's payment",
            &[Role::Frontdesk, Role::Biller, Role::Admin],
        )?;
        self.patient(patient_id)?;
        let received_on = validate::date("received on", received_on)?;
        if !(1..=10_000_000).contains(&cents) {
            return Err(ChartError::invalid("amount", "must be between $0.01 and $100,000"));
        }
        if !["cash", "check", "card", "other"].contains(&method) {
            return Err(ChartError::invalid("method", "use cash, check, card or other"));
        }
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO patient_payment (id, patient_id, received_on, cents, method, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![id, patient_id, received_on.to_string(), cents, method, w.at, w.actor],
            )?;
            w.record(
                "create",
                "patient_payment",
                &id,
                serde_json::json!({ "id": id, "cents": cents }),
            )?;
            Ok(id)
        })
    }
}

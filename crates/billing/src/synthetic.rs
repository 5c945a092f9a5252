//! A payer's side, made up: the 835 a payer would send for claims Stride sent, each
//! line settled as the caller decides. The demo clinic's "demo payer", the tests and
//! the benchmarks use it; Stride itself never sends an 835.

use crate::x12::claim837::{Adjustment, line_control_number};
use crate::x12::remit835::{RemitClaim, RemitEnvelope, RemitLine, Remittance, write_835};
use chrono::NaiveDate;
use stride_coding::Modifier;

/// A claim as it was sent, for a payer to settle.
#[derive(Debug, Clone)]
pub struct SentClaim {
    /// CLM01.
    pub control_number: String,
    /// Total charge.
    pub charge_cents: i64,
    /// Lines.
    pub lines: Vec<SentLine>,
}

/// A line as it was sent.
#[derive(Debug, Clone)]
pub struct SentLine {
    /// Code.
    pub code: String,
    /// Modifiers.
    pub modifiers: Vec<Modifier>,
    /// Charge.
    pub charge_cents: i64,
    /// Units.
    pub units: u32,
    /// Date of service.
    pub date: NaiveDate,
}

/// How the payer settles one line: paid, adjustments, remark codes.
pub type LineDecision = (i64, Vec<Adjustment>, Vec<String>);

/// An adjustment.
pub fn adjustment(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment {
        group: group.into(),
        reason: reason.into(),
        cents,
    }
}

/// The payer of a made-up payment, as its 835 names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayerSide {
    /// N1*PR name.
    pub name: String,
    /// N1*PR id (the payer id claims are sent to).
    pub id: String,
    /// The payment's trace (EFT) number.
    pub trace_number: String,
}

/// One payment (one ST/SE of an 835) from `payer` settling `claims`, each line as
/// `decide(claim, line)` says; a claim with nothing paid on any line is denied (CLP02 4).
pub fn payment(
    payer: &PayerSide,
    claims: &[SentClaim],
    paid_on: NaiveDate,
    decide: impl Fn(usize, usize) -> LineDecision,
) -> Remittance {
    let claims: Vec<RemitClaim> = claims
        .iter()
        .enumerate()
        .map(|(c, claim)| {
            let lines: Vec<RemitLine> = claim
                .lines
                .iter()
                .enumerate()
                .map(|(l, line)| {
                    let (paid, adjustments, remarks) = decide(c, l);
                    RemitLine {
                        code: line.code.clone(),
                        modifiers: line.modifiers.clone(),
                        // Payers return the line control number the claim sent.
                        line_control: Some(line_control_number(&claim.control_number, l + 1)),
                        submitted_code: None,
                        charge_cents: line.charge_cents,
                        paid_cents: paid,
                        units: line.units,
                        date: Some(line.date),
                        allowed_cents: None,
                        adjustments,
                        remarks,
                    }
                })
                .collect();
            let paid: i64 = lines.iter().map(|l| l.paid_cents).sum();
            RemitClaim {
                control_number: claim.control_number.clone(),
                status_code: if paid == 0 && lines.iter().all(RemitLine::denied) {
                    "4"
                } else {
                    "1"
                }
                .into(),
                charge_cents: claim.charge_cents,
                paid_cents: paid,
                patient_resp_cents: lines.iter().map(RemitLine::patient_resp_cents).sum(),
                payer_claim_number: format!("PCN{c:05}"),
                adjustments: Vec::new(),
                remarks: Vec::new(),
                lines,
                crossover_payer: None,
            }
        })
        .collect();
    Remittance {
        payer_name: payer.name.clone(),
        payer_id: payer.id.clone(),
        payee_npi: "1234567893".into(),
        trace_number: payer.trace_number.clone(),
        paid_on: Some(paid_on),
        total_paid_cents: claims.iter().map(|c| c.paid_cents).sum(),
        provider_adjustments: Vec::new(),
        claims,
    }
}

/// The payer's reversal of a claim it paid (CLP02 22): every amount negated, as the
/// payer takes its payment back before paying a corrected claim.
pub fn reversal(paid: &RemitClaim) -> RemitClaim {
    let negate = |a: &Adjustment| adjustment(&a.group, &a.reason, -a.cents);
    RemitClaim {
        status_code: "22".into(),
        charge_cents: -paid.charge_cents,
        paid_cents: -paid.paid_cents,
        patient_resp_cents: -paid.patient_resp_cents,
        adjustments: paid.adjustments.iter().map(negate).collect(),
        lines: paid
            .lines
            .iter()
            .map(|l| RemitLine {
                charge_cents: -l.charge_cents,
                paid_cents: -l.paid_cents,
                adjustments: l.adjustments.iter().map(negate).collect(),
                ..l.clone()
            })
            .collect(),
        ..paid.clone()
    }
}

/// An 835 interchange's envelope from a made-up payer, made early on `paid_on`.
pub fn envelope(paid_on: NaiveDate, control_number: u32) -> RemitEnvelope {
    RemitEnvelope {
        sender_id: "PAYER".into(),
        receiver_id: "STRIDE".into(),
        control_number,
        created: paid_on.and_hms_opt(6, 0, 0).unwrap_or_default(),
    }
}

/// The 835 the demo payer would send for `claims`: one payment, each line settled as
/// `decide(claim, line)` says.
pub fn remittance(claims: &[SentClaim], paid_on: NaiveDate, decide: impl Fn(usize, usize) -> LineDecision) -> String {
    let payer = PayerSide {
        name: "DEMO PAYER".into(),
        id: "00952".into(),
        trace_number: format!(
            "EFT{}",
            claims.first().map(|c| c.control_number.as_str()).unwrap_or("0")
        ),
    };
    write_835(&envelope(paid_on, 1), &[payment(&payer, claims, paid_on, decide)])
}

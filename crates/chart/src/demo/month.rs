//! The demo clinic's billing: the insurance cases a clinic meets in its first month, the
//! weeks before "today" already billed, sent and paid, and the demo payers who settle what
//! the clinic sends.
//!
//! The cases, each a named patient treated over the last six weeks:
//! - Lily Ashworth, 12, a dependant on her mother's Blue Cross plan (loop 2000C);
//! - Karim Farah, treated by Sofia Rivera, an independent therapist who bills in her own
//!   name under her Type 1 NPI (a billing provider of her own);
//! - Walter Pruitt, still working at 68: his employer's plan pays first and Medicare
//!   second (Medicare Secondary Payer type 12, working aged);
//! - Dolores Castellano, Medicare with a Medigap plan that Medicare forwards her claims to (a
//!   crossover; the Medigap plan's own payment follows);
//! - Kenji Sato, Medicare, whose first payment Medicare reverses and pays again corrected.
//!
//! The payers' 835s come several payments to a file, as clearinghouses send them.

use super::{EpisodeShape, MEDICARE_FEES, Setting, episode};
use crate::Chart;
use crate::billing::claims::ClaimDetail;
use crate::billing::profile::PayerBilling;
use crate::error::{ChartError, Result};
use crate::insured::Insured;
use crate::patients::NewPatient;
use crate::payers::Payer;
use crate::users::{Role, Session};
use crate::validate;
use chrono::{Datelike, Duration, NaiveDate};
use stride_billing::ClaimStatus;
use stride_billing::synthetic::{LineDecision, PayerSide, SentClaim, adjustment, envelope, payment, reversal};
use stride_billing::x12::remit835::{ProviderAdjustment, Remittance, write_835};
use stride_coding::UnitMethod;

/// How many patients [`cases`] registers.
pub(super) const CASES: u32 = 5;

/// The Medigap plan Medicare crosses claims over to.
const MEDIGAP: &str = "Medigap Plan G";
/// Walter Pruitt's employer plan, which pays before Medicare.
const EMPLOYER_PLAN: &str = "Summit Employer Health Plan";
/// Medicare's payer id in the demo.
const MEDICARE_ID: &str = "00952";

/// What the past weeks' billing came to.
pub(super) struct Billed {
    /// Claims sent and paid.
    pub claims: u32,
    /// Payments posted.
    pub payments: u32,
}

/// One case patient: who, how insured, by whom treated.
struct Case<'a> {
    first: &'a str,
    last: &'a str,
    dob: String,
    sex: &'a str,
    /// (payer, member id) in priority order.
    coverages: Vec<(String, &'a str)>,
    diagnosis: &'a str,
    therapist: Option<&'a Session>,
    /// The insured of the primary coverage, when not the patient.
    insured: Option<Insured>,
    /// The Medicare Secondary Payer type of the secondary coverage (Medicare).
    msp_type: Option<&'a str>,
}

/// Registers the case patients, their payers and the therapist who bills in her own
/// name, each with six weeks of signed visits; returns the notes written.
pub(super) fn cases(chart: &mut Chart, s: &Setting, dice: &mut super::Dice, today: NaiveDate) -> Result<u32> {
    let owner = s.therapists[0].clone();
    let medigap = demo_payer(chart, &owner, MEDIGAP, "MGAP1", 12)?;
    let employer = demo_payer(chart, &owner, EMPLOYER_PLAN, "SUMMT", 13)?;
    let rivera = chart.add_user(&owner, "rivera", super::DEMO_PASSWORD, &[Role::Pt])?;
    chart.set_user_npi(&owner, &rivera, &validate::npi_from_base(100_300_046))?;
    chart.set_own_billing(&owner, &rivera, Some("98-7654321"))?;
    let rivera = chart.session_for(&rivera)?;
    let child_born = NaiveDate::from_ymd_opt(today.year() - 12, 4, 9).unwrap_or(today);
    let cases = [
        Case {
            first: "Lily",
            last: "Ashworth",
            dob: child_born.to_string(),
            sex: "female",
            coverages: vec![(s.commercial.clone(), "XJB884120301")],
            diagnosis: "M25.561",
            therapist: None,
            // Her mother's plan: the claim names the mother as subscriber.
            insured: Some(Insured {
                relationship: "child".into(),
                first_name: "Erin".into(),
                last_name: "Ashworth".into(),
                dob: "1984-05-14".into(),
                sex: "female".into(),
                address: "20 Prairie Lane".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                zip: "62704".into(),
            }),
            msp_type: None,
        },
        Case {
            first: "Karim",
            last: "Farah",
            dob: "1979-08-30".into(),
            sex: "male",
            coverages: vec![(s.commercial.clone(), "XJB551907714")],
            diagnosis: "M75.101",
            therapist: Some(&rivera),
            insured: None,
            msp_type: None,
        },
        Case {
            first: "Walter",
            last: "Pruitt",
            dob: "1958-02-17".into(),
            sex: "male",
            coverages: vec![(employer, "SEP5521007"), (s.medicare.clone(), "1EG4TE5MK74")],
            diagnosis: "M17.11",
            therapist: None,
            insured: None,
            // Medicare pays second behind a current employer's plan: working aged.
            msp_type: Some("12"),
        },
        Case {
            first: "Dolores",
            last: "Castellano",
            dob: "1946-11-02".into(),
            sex: "female",
            coverages: vec![(s.medicare.clone(), "2FH7UJ8NK21"), (medigap, "MGP7700312")],
            diagnosis: "R26.89",
            therapist: None,
            insured: None,
            msp_type: None,
        },
        Case {
            first: "Kenji",
            last: "Sato",
            dob: "1950-06-21".into(),
            sex: "male",
            coverages: vec![(s.medicare.clone(), "3GJ5VK9PL44")],
            diagnosis: "M54.50",
            therapist: None,
            insured: None,
            msp_type: None,
        },
    ];
    let mut notes = 0;
    for (n, case) in cases.iter().enumerate() {
        let patient = chart.add_patient(
            &owner,
            &NewPatient {
                first_name: case.first.into(),
                last_name: case.last.into(),
                dob: case.dob.clone(),
                phone: Some(format!("555-010-{:04}", 7000 + n)),
                sex: Some(case.sex.into()),
                address: Some(format!("{} Prairie Lane", 20 + n * 7)),
                city: Some("Springfield".into()),
                state: Some("IL".into()),
                zip: Some("62704".into()),
                ..NewPatient::default()
            },
        )?;
        let mut coverage_ids = Vec::new();
        for (priority, (payer, member)) in case.coverages.iter().enumerate() {
            coverage_ids.push(chart.add_coverage(&owner, &patient, payer, member, priority as u8 + 1)?);
        }
        if let Some(insured) = &case.insured {
            chart.set_coverage_insured(&owner, &coverage_ids[0], Some(insured))?;
        }
        if let (Some(msp_type), Some(medicare)) = (case.msp_type, coverage_ids.get(1)) {
            chart.set_msp_type(&owner, medicare, Some(msp_type))?;
        }
        let shape = EpisodeShape {
            patient_id: &patient,
            payer: &case.coverages[0].0,
            start: today - Duration::days(40),
            visits: 13,
            discharge: false,
            therapist: case.therapist,
            diagnosis: Some(case.diagnosis),
        };
        notes += episode(chart, s, dice, shape)?;
    }
    Ok(notes)
}

/// A payer of the cases, with its payer id and fees `tenths`/10 of Medicare's.
fn demo_payer(chart: &mut Chart, owner: &Session, name: &str, code: &str, tenths: i64) -> Result<String> {
    let payer = chart.add_payer(owner, &Payer::with_defaults(name, UnitMethod::Ama))?;
    for (cpt, cents) in MEDICARE_FEES {
        chart.set_fee(owner, &payer, cpt, cents * tenths / 10)?;
    }
    let billing = PayerBilling {
        payer_code: Some(code.into()),
        claim_filing: "CI".into(),
        self_pay: false,
    };
    chart.set_payer_billing(owner, &payer, &billing)?;
    Ok(payer)
}

/// Bills everything signed more than two weeks before `today` as the clinic's biller
/// would have: claims built, scrubbed and sent; the payers' first file posted (several
/// payments, Dolores Castellano's claim crossed over to her Medigap plan); Walter Pruitt's
/// secondary claim to Medicare built and sent; the second file posted (Medicare pays the
/// secondary claim, reverses Kenji Sato's payment and pays it again corrected, with a
/// little interest).
pub(super) fn bill_the_past(chart: &mut Chart, s: &Setting, today: NaiveDate) -> Result<Billed> {
    let biller = &s.biller;
    let from = (today - Duration::days(400)).to_string();
    let to = (today - Duration::days(15)).to_string();
    let mut billed = Billed { claims: 0, payments: 0 };
    billed.claims += send_clean_claims(chart, biller, &from, &to, today - Duration::days(14))?;
    let paid_on = today - Duration::days(10);
    let first = payments(chart, paid_on)?;
    let file = write_835(&envelope(paid_on, 1), &first);
    billed.payments += chart.import_835(biller, file.as_bytes())?.payments.len() as u32;

    // The primary claims are settled: the secondary claims follow.
    billed.claims += send_clean_claims(chart, biller, &from, &to, today - Duration::days(8))?;
    let paid_on = today - Duration::days(3);
    let mut second = payments(chart, paid_on)?;
    correct_a_payment(chart, &first, &mut second, paid_on)?;
    let file = write_835(&envelope(paid_on, 2), &second);
    billed.payments += chart.import_835(biller, file.as_bytes())?.payments.len() as u32;
    Ok(billed)
}

/// Builds the claims for `from`..=`to`, marks the clean ones ready and sends them on
/// `sent_on`; returns how many were sent.
fn send_clean_claims(chart: &mut Chart, biller: &Session, from: &str, to: &str, sent_on: NaiveDate) -> Result<u32> {
    let built = chart.build_claims(biller, from, to)?;
    let mut ready = 0;
    for id in &built.claims {
        if chart.scrub_claim(id)?.errors().next().is_none() {
            chart.set_claim_status(biller, id, ClaimStatus::Draft, ClaimStatus::Ready, None)?;
            ready += 1;
        }
    }
    if ready > 0 {
        let file = chart.prepare_837(biller, None, sent_on.and_hms_opt(9, 0, 0).unwrap_or_default())?;
        chart.mark_submitted(biller, &file, sent_on)?;
    }
    Ok(ready)
}

/// Medicare takes back what it paid Kenji Sato's first claim and pays it again, a
/// little less after review, in its payment of `second`, with 0.37 interest.
fn correct_a_payment(
    chart: &Chart,
    first: &[Remittance],
    second: &mut Vec<Remittance>,
    paid_on: NaiveDate,
) -> Result<()> {
    let Some(hiro) = chart
        .claims(None)?
        .into_iter()
        .rev()
        .find(|c| c.patient_name == "Sato, Kenji" && c.responsibility == 1)
    else {
        return Ok(());
    };
    let Some(paid) = first
        .iter()
        .flat_map(|r| &r.claims)
        .find(|c| c.control_number == hiro.control_number)
    else {
        return Ok(());
    };
    let sent = chart.claim(&hiro.id)?.as_sent();
    let corrected = payment(
        &medicare_side(paid_on, &hiro.control_number),
        std::slice::from_ref(&sent),
        paid_on,
        |_, l| {
            let charge = sent.lines[l].charge_cents;
            let share = charge * 16 / 100;
            let written_off = charge * 26 / 100;
            (
                charge - share - written_off,
                vec![adjustment("CO", "45", written_off), adjustment("PR", "2", share)],
                Vec::new(),
            )
        },
    );
    let medicare = match second.iter().position(|r| r.payer_id == MEDICARE_ID) {
        Some(i) => &mut second[i],
        None => {
            second.push(Remittance {
                claims: Vec::new(),
                ..corrected.clone()
            });
            let last = second.len() - 1;
            &mut second[last]
        }
    };
    medicare.claims.push(reversal(paid));
    medicare.claims.extend(corrected.claims);
    medicare.provider_adjustments.push(ProviderAdjustment {
        reason: "L6".into(),
        reference: hiro.control_number.clone(),
        cents: -37,
    });
    medicare.total_paid_cents =
        medicare.claims.iter().map(|c| c.paid_cents).sum::<i64>() - medicare.provider_adjustment_cents();
    Ok(())
}

/// How a demo payer settles the claims it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Settle {
    /// A primary payer: 64% paid, 16% the patient's coinsurance, 20% contractual.
    Primary,
    /// The same, and the payer forwards the claim to the patient's Medigap plan.
    CrossedOver,
    /// A primary line denied as not medically necessary.
    Denied,
    /// A secondary payer: the primary's coinsurance paid, the rest the primary's (OA-23).
    Secondary,
}

impl Settle {
    fn line(self, charge: i64) -> LineDecision {
        let share = charge * 16 / 100;
        match self {
            Settle::Primary | Settle::CrossedOver => {
                let written_off = charge * 20 / 100;
                (
                    charge - share - written_off,
                    vec![adjustment("CO", "45", written_off), adjustment("PR", "2", share)],
                    Vec::new(),
                )
            }
            Settle::Denied => (0, vec![adjustment("CO", "50", charge)], vec!["N115".into()]),
            Settle::Secondary => (share, vec![adjustment("OA", "23", charge - share)], Vec::new()),
        }
    }
}

/// The demo payer's 835 for every claim waiting for payment, one payment per payer: each
/// primary line 64% paid, 16% coinsurance and the rest contractual, except the last line
/// of every seventh claim, denied as not medically necessary (CO-50), so the denial queue
/// has work; Medicare forwards the claims of patients with a Medigap plan (a crossover)
/// and the Medigap plan pays their coinsurance; a secondary payer pays what the primary
/// left. `None` when no claim waits. For practice in the demo clinic only: refused in
/// any other chart.
pub fn payer_remittance(chart: &Chart, paid_on: NaiveDate) -> Result<Option<String>> {
    if !super::is_demo(chart)? {
        return Err(ChartError::State(
            "the demo payer only pays the demo clinic's claims".into(),
        ));
    }
    let payments = payments(chart, paid_on)?;
    if payments.is_empty() {
        return Ok(None);
    }
    Ok(Some(write_835(&envelope(paid_on, 1), &payments)))
}

/// The payments settling every submitted claim, one per payer, the Medigap plan's last.
fn payments(chart: &Chart, paid_on: NaiveDate) -> Result<Vec<Remittance>> {
    let medigap = chart.payers()?.into_iter().find(|p| p.name == MEDIGAP).map(|p| p.id);
    let mut by_payer: Vec<(String, Vec<(ClaimDetail, Settle)>)> = Vec::new();
    for (n, summary) in chart.claims(Some(ClaimStatus::Submitted))?.into_iter().enumerate() {
        let detail = chart.claim(&summary.id)?;
        let crossed = summary.responsibility == 1
            && chart.payer(&summary.payer_id)?.medicare
            && chart
                .coverages(&summary.patient_id)?
                .iter()
                .any(|v| v.priority == 2 && Some(&v.payer_id) == medigap.as_ref());
        let settle = match (summary.responsibility, crossed) {
            (1, true) => Settle::CrossedOver,
            (1, false) if n % 7 == 3 => Settle::Denied,
            (1, false) => Settle::Primary,
            _ => Settle::Secondary,
        };
        match by_payer.iter_mut().find(|(payer, _)| *payer == summary.payer_id) {
            Some((_, claims)) => claims.push((detail, settle)),
            None => by_payer.push((summary.payer_id.clone(), vec![(detail, settle)])),
        }
    }
    let mut payments = Vec::new();
    let mut forwarded: Vec<SentClaim> = Vec::new();
    for (payer_id, claims) in &by_payer {
        let side = PayerSide {
            name: chart.payer(payer_id)?.name.to_uppercase(),
            id: chart.payer_billing(payer_id)?.payer_code.unwrap_or_default(),
            trace_number: trace(paid_on, &claims[0].0.summary.control_number),
        };
        let sent: Vec<SentClaim> = claims.iter().map(|(c, _)| c.as_sent()).collect();
        let mut remit = payment(&side, &sent, paid_on, |c, l| {
            let settle = match claims[c].1 {
                Settle::Denied if l + 1 < sent[c].lines.len() => Settle::Primary,
                other => other,
            };
            settle.line(sent[c].lines[l].charge_cents)
        });
        for (claim, (detail, settle)) in remit.claims.iter_mut().zip(claims) {
            match settle {
                Settle::CrossedOver => {
                    claim.status_code = "19".into();
                    claim.crossover_payer = Some(MEDIGAP.to_uppercase());
                    forwarded.push(detail.as_sent());
                }
                Settle::Secondary => claim.status_code = "2".into(),
                Settle::Primary | Settle::Denied => {}
            }
        }
        payments.push(remit);
    }
    if let (Some(medigap), false) = (medigap, forwarded.is_empty()) {
        let side = PayerSide {
            name: MEDIGAP.to_uppercase(),
            id: chart.payer_billing(&medigap)?.payer_code.unwrap_or_default(),
            trace_number: trace(paid_on, &format!("X{}", forwarded[0].control_number)),
        };
        let mut remit = payment(&side, &forwarded, paid_on, |c, l| {
            Settle::Secondary.line(forwarded[c].lines[l].charge_cents)
        });
        for claim in &mut remit.claims {
            claim.status_code = "2".into();
        }
        payments.push(remit);
    }
    Ok(payments)
}

/// Medicare as the payer of a payment.
fn medicare_side(paid_on: NaiveDate, first_claim: &str) -> PayerSide {
    PayerSide {
        name: "MEDICARE PART B".into(),
        id: MEDICARE_ID.into(),
        trace_number: trace(paid_on, first_claim),
    }
}

/// A payment's trace number, unique as a payer's are: the day paid and the control
/// number of its first claim.
fn trace(paid_on: NaiveDate, first_claim: &str) -> String {
    format!("{}{first_claim}", paid_on.format("%y%m%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_settlement_balances_to_the_charge() {
        for settle in [Settle::Primary, Settle::CrossedOver, Settle::Denied, Settle::Secondary] {
            for charge in [1, 99, 3215, 10_450, 123_457] {
                let (paid, adjustments, _) = settle.line(charge);
                let adjusted: i64 = adjustments.iter().map(|a| a.cents).sum();
                assert_eq!(paid + adjusted, charge, "{settle:?} {charge}");
            }
        }
    }
}

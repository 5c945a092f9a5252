//! How a remittance settles a claim: the status it moves to, and where the money went.

use crate::status::ClaimStatus;
use crate::x12::remit835::RemitClaim;
use serde::Serialize;

/// A claim's settlement by one remittance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// The status the remittance moves the claim to; `None` when a person must decide
    /// (a reversal, or a status code Stride does not know).
    pub status: Option<ClaimStatus>,
    /// Paid by the payer.
    pub paid_cents: i64,
    /// Written off (CO, OA, PI and CR adjustments of lines that were paid).
    pub written_off_cents: i64,
    /// Adjustments of denied lines (or of a denied claim): left open for the denial
    /// queue, where a biller appeals, corrects or writes them off.
    pub denied_cents: i64,
    /// Left to the patient (PR adjustments).
    pub patient_resp_cents: i64,
    /// Charge not accounted for by payment or adjustment (an underpayment to chase).
    pub unexplained_cents: i64,
    /// Lines denied outright.
    pub denied_lines: usize,
}

/// Settles one claim from its remittance.
pub fn settle(c: &RemitClaim) -> Settlement {
    let claim_denied = c.status_code == "4" || (c.lines.is_empty() && c.paid_cents == 0);
    let claim_level = c.adjustments.iter().map(|a| (a, claim_denied));
    let line_level = c
        .lines
        .iter()
        .flat_map(|l| l.adjustments.iter().map(move |a| (a, l.denied())));
    let (mut written_off, mut denied, mut patient) = (0i64, 0i64, 0i64);
    for (a, in_denial) in claim_level.chain(line_level) {
        match (a.group.as_str(), in_denial) {
            ("PR", _) => patient += a.cents,
            (_, true) => denied += a.cents,
            (_, false) => written_off += a.cents,
        }
    }
    let denied_lines = c.lines.iter().filter(|l| l.denied()).count();
    let unexplained = c.charge_cents - c.paid_cents - written_off - denied - patient;
    let status = match c.status_code.as_str() {
        "4" => Some(ClaimStatus::Denied),
        "1" | "2" | "3" | "19" | "20" | "21" | "23" => Some(if c.lines.is_empty() {
            if c.paid_cents == 0 && patient == 0 {
                ClaimStatus::Denied
            } else if unexplained > 0 {
                ClaimStatus::PartiallyPaid
            } else {
                ClaimStatus::Paid
            }
        } else if denied_lines == c.lines.len() {
            ClaimStatus::Denied
        } else if denied_lines > 0 || unexplained > 0 {
            ClaimStatus::PartiallyPaid
        } else {
            ClaimStatus::Paid
        }),
        _ => None,
    };
    Settlement {
        status,
        paid_cents: c.paid_cents,
        written_off_cents: written_off,
        denied_cents: denied,
        patient_resp_cents: patient,
        unexplained_cents: unexplained,
        denied_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x12::claim837::Adjustment;
    use crate::x12::remit835::RemitLine;

    fn adj(group: &str, reason: &str, cents: i64) -> Adjustment {
        Adjustment {
            group: group.into(),
            reason: reason.into(),
            cents,
        }
    }

    fn line(charge: i64, paid: i64, adjustments: Vec<Adjustment>) -> RemitLine {
        RemitLine {
            code: "97110".into(),
            charge_cents: charge,
            paid_cents: paid,
            units: 1,
            adjustments,
            ..RemitLine::default()
        }
    }

    fn claim(lines: Vec<RemitLine>) -> RemitClaim {
        RemitClaim {
            control_number: "C1".into(),
            status_code: "1".into(),
            charge_cents: lines.iter().map(|l| l.charge_cents).sum(),
            paid_cents: lines.iter().map(|l| l.paid_cents).sum(),
            lines,
            ..RemitClaim::default()
        }
    }

    #[test]
    fn paid_with_contractual_and_coinsurance_is_paid() {
        let s = settle(&claim(vec![line(
            10000,
            6000,
            vec![adj("CO", "45", 2500), adj("PR", "2", 1500)],
        )]));
        assert_eq!(s.status, Some(ClaimStatus::Paid));
        assert_eq!(
            (s.written_off_cents, s.patient_resp_cents, s.unexplained_cents),
            (2500, 1500, 0)
        );
    }

    #[test]
    fn one_denied_line_makes_it_partial() {
        let s = settle(&claim(vec![
            line(10000, 8000, vec![adj("CO", "45", 2000)]),
            line(5000, 0, vec![adj("CO", "97", 5000)]),
        ]));
        assert_eq!(s.status, Some(ClaimStatus::PartiallyPaid));
        assert_eq!(s.denied_lines, 1);
        // The denied line's amount stays open for the denial queue.
        assert_eq!(
            (s.written_off_cents, s.denied_cents, s.unexplained_cents),
            (2000, 5000, 0)
        );
    }

    #[test]
    fn all_lines_denied_or_status_4_is_denied() {
        let mut c = claim(vec![line(5000, 0, vec![adj("CO", "119", 5000)])]);
        assert_eq!(settle(&c).status, Some(ClaimStatus::Denied));
        c.status_code = "4".into();
        assert_eq!(settle(&c).status, Some(ClaimStatus::Denied));
    }

    #[test]
    fn the_deductible_is_not_a_denial() {
        let s = settle(&claim(vec![line(5000, 0, vec![adj("PR", "1", 5000)])]));
        assert_eq!(s.status, Some(ClaimStatus::Paid));
        assert_eq!(s.patient_resp_cents, 5000);
    }

    #[test]
    fn an_unexplained_shortfall_is_partial_and_a_reversal_needs_a_person() {
        let mut c = claim(vec![line(10000, 7000, vec![])]);
        assert_eq!(settle(&c).status, Some(ClaimStatus::PartiallyPaid));
        assert_eq!(settle(&c).unexplained_cents, 3000);
        c.status_code = "22".into();
        assert_eq!(settle(&c).status, None);
    }
}

//! How a remittance settles a claim: the status it moves to, and where the money went.

use crate::status::ClaimStatus;
use crate::x12::claim837::line_control_number;
use crate::x12::remit835::{RemitClaim, RemitLine};
use serde::Serialize;
use stride_coding::Modifier;

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
    // A claim-level settlement with nothing paid and nothing left to the patient is a
    // denial; with a deductible (PR) it is processed, and its other adjustments are
    // written off, as the status below says.
    let claim_denied = c.status_code == "4"
        || (c.lines.is_empty() && c.paid_cents == 0 && !c.adjustments.iter().any(|a| a.group == "PR"));
    let claim_level = c.adjustments.iter().map(|a| (a, claim_denied));
    let line_level = c
        .lines
        .iter()
        .flat_map(|l| l.adjustments.iter().map(move |a| (a, l.denied())));
    let (mut written_off, mut denied, mut patient) = (0i64, 0i64, 0i64);
    for (a, in_denial) in claim_level.chain(line_level) {
        // Saturating: amounts are capped when read, but a claim may have many lines.
        match (a.group.as_str(), in_denial) {
            ("PR", _) => patient = patient.saturating_add(a.cents),
            (_, true) => denied = denied.saturating_add(a.cents),
            (_, false) => written_off = written_off.saturating_add(a.cents),
        }
    }
    let denied_lines = c.lines.iter().filter(|l| l.denied()).count();
    let unexplained = c
        .charge_cents
        .saturating_sub(c.paid_cents)
        .saturating_sub(written_off)
        .saturating_sub(denied)
        .saturating_sub(patient);
    let status = match c.status_code.as_str() {
        // A reversal takes the payment back: the claim waits on the payer again, for the
        // correction that follows.
        "22" => Some(ClaimStatus::Submitted),
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

/// The crossover payer's own remittance for a claim the primary forwarded to it, as a
/// settlement of that claim: what it paid comes off what the patient owed (its other
/// adjustments, OA-23 and the primary's write-offs, were posted with the primary's
/// payment). Post the result with [`post`].
pub fn as_crossover_payment(remit: &RemitClaim) -> RemitClaim {
    let covered = |paid: i64| {
        vec![crate::x12::claim837::Adjustment {
            group: "PR".into(),
            reason: "23".into(),
            cents: -paid,
        }]
    };
    RemitClaim {
        status_code: "2".into(),
        charge_cents: 0,
        patient_resp_cents: -remit.paid_cents,
        adjustments: if remit.lines.is_empty() {
            covered(remit.paid_cents)
        } else {
            Vec::new()
        },
        lines: remit
            .lines
            .iter()
            .map(|l| RemitLine {
                charge_cents: 0,
                adjustments: covered(l.paid_cents),
                ..l.clone()
            })
            .collect(),
        ..remit.clone()
    }
}

/// A claim line as posting sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    /// Its position on the claim.
    pub position: u32,
    /// Code.
    pub code: String,
    /// Modifiers, in claim order.
    pub modifiers: Vec<Modifier>,
    /// Date of service, YYYY-MM-DD.
    pub date: String,
    /// Its charge: the weight a claim-level adjustment is spread by.
    pub charge_cents: i64,
}

/// A denied line (or claim) for the denial queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Denied {
    /// The claim line, or `None` for a claim denied as a whole.
    pub position: Option<u32>,
    /// The code denied (`claim` for a whole claim).
    pub code: String,
    /// Its charge.
    pub cents: i64,
    /// Adjustment codes as "CO-50".
    pub reasons: Vec<String>,
    /// Remark codes.
    pub remarks: Vec<String>,
}

/// What a remittance does to one claim line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinePosting {
    /// The claim line.
    pub position: u32,
    /// Paid on it.
    pub paid_cents: i64,
    /// Written off (contractual adjustments of a paid line).
    pub written_off_cents: i64,
    /// Left to the patient.
    pub patient_resp_cents: i64,
    /// The payer's adjustments, as sent.
    pub adjustments: Vec<crate::x12::claim837::Adjustment>,
}

/// What a remittance does to one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimPosting {
    /// The amounts.
    pub settlement: Settlement,
    /// Each matched line's amounts.
    pub lines: Vec<LinePosting>,
    /// The status to move to, when it changes and the lifecycle allows it.
    pub status: Option<ClaimStatus>,
    /// Denied lines (or the whole claim) for the queue.
    pub denials: Vec<Denied>,
    /// What could not be posted, in words; the rest is posted all the same.
    pub problems: Vec<String>,
}

/// The claim line a remittance line settles, each claim line used once: the line whose
/// control number (REF*6R) the payer returned, even when the payer recoded the line; else
/// the same date and the code as submitted (SVC06, when the payer recoded the line) or as
/// paid, preferring the same modifiers.
fn match_line<'l>(line: &RemitLine, claim_control: &str, lines: &'l [OpenLine], used: &[u32]) -> Option<&'l OpenLine> {
    if let Some(control) = &line.line_control
        && let Some(open) = lines.iter().find(|l| {
            !used.contains(&l.position) && line_control_number(claim_control, l.position as usize) == *control
        })
    {
        return Some(open);
    }
    let date = line.date.map(|d| d.to_string());
    let code = line.submitted_code.as_deref().unwrap_or(&line.code);
    let mut candidates = lines
        .iter()
        .filter(|l| !used.contains(&l.position) && l.code == code)
        .filter(|l| date.as_ref().is_none_or(|d| *d == l.date));
    let first = candidates.clone().next();
    candidates.find(|l| l.modifiers == line.modifiers).or(first)
}

fn reasons(adjustments: &[crate::x12::claim837::Adjustment]) -> Vec<String> {
    adjustments
        .iter()
        .map(|a| format!("{}-{}", a.group, a.reason))
        .collect()
}

/// Posts one remittance claim to a claim whose status is `current` and whose lines are
/// `lines`. Pure: the chart and the clinic server both apply what it returns.
pub fn post(current: ClaimStatus, lines: &[OpenLine], remit: &RemitClaim) -> ClaimPosting {
    let settlement = settle(remit);
    let mut problems = Vec::new();
    let mut used = Vec::new();
    let mut posted = Vec::new();
    let mut denials = Vec::new();
    let mut denied_lines = Vec::new();
    for line in &remit.lines {
        let Some(open) = match_line(line, &remit.control_number, lines, &used) else {
            problems.push(format!(
                "the payer's line {} on {} matches no line of the claim: post it by hand",
                line.code,
                line.date.map(|d| d.to_string()).unwrap_or_default()
            ));
            continue;
        };
        used.push(open.position);
        if line.denied() {
            denied_lines.push(open.position);
        }
        let patient = line.patient_resp_cents();
        let off = if line.denied() {
            0
        } else {
            line.adjustments
                .iter()
                .filter(|a| a.group != "PR")
                .fold(0i64, |sum, a| sum.saturating_add(a.cents))
        };
        if line.denied() && !remit.is_reversal() {
            denials.push(Denied {
                position: Some(open.position),
                code: line.code.clone(),
                cents: line.charge_cents,
                reasons: reasons(&line.adjustments),
                remarks: line.remarks.clone(),
            });
        }
        posted.push(LinePosting {
            position: open.position,
            paid_cents: line.paid_cents,
            written_off_cents: off,
            patient_resp_cents: patient,
            adjustments: line.adjustments.clone(),
        });
    }
    spread_claim_level(remit, lines, &settlement, &denied_lines, &mut posted);
    if remit.lines.is_empty() && settlement.status == Some(ClaimStatus::Denied) {
        denials.push(Denied {
            position: None,
            code: "claim".into(),
            cents: remit.charge_cents,
            reasons: reasons(&remit.adjustments),
            remarks: remit.remarks.clone(),
        });
    }
    let status = match settlement.status {
        Some(to) if to == current => None,
        Some(to) => match crate::status::check_transition(current, current, to, crate::TransitionSource::Remittance) {
            Ok(()) => Some(to),
            Err(e) => {
                problems.push(format!("the amounts are posted, but the status stays: {e}"));
                None
            }
        },
        None => {
            problems.push(format!(
                "claim status code {} is one Stride does not know: the amounts are posted, set the status by hand",
                remit.status_code
            ));
            None
        }
    };
    ClaimPosting {
        settlement,
        lines: posted,
        status,
        denials,
        problems,
    }
}

/// Brings what the payer settled at the claim level down to the lines, so that the lines'
/// amounts add up to the claim's: each claim-level adjustment (CAS in loop 2100) is spread
/// over the lines it settled, in proportion to their charges. A payment with no line
/// detail spreads its adjustments over every line of the claim; its payment stays at the
/// claim level, as the payer reported it (a secondary claim then has no 2430). A claim
/// denied as a whole keeps its adjustments at the claim level, for the denial queue. The
/// lines' own lists of adjustments stay as the payer sent them (a secondary claim reports
/// claim-level adjustments in 2320 and line-level ones in 2430).
fn spread_claim_level(
    remit: &RemitClaim,
    lines: &[OpenLine],
    settlement: &Settlement,
    denied: &[u32],
    posted: &mut Vec<LinePosting>,
) {
    if settlement.status == Some(ClaimStatus::Denied) && remit.lines.is_empty() {
        return;
    }
    if remit.lines.is_empty() {
        posted.extend(lines.iter().map(|l| LinePosting {
            position: l.position,
            paid_cents: 0,
            written_off_cents: 0,
            patient_resp_cents: 0,
            adjustments: Vec::new(),
        }));
    }
    // A denied line's amount waits in the denial queue, so it takes no share.
    let settled: Vec<(usize, i64)> = posted
        .iter()
        .enumerate()
        .filter(|(_, p)| !denied.contains(&p.position))
        .filter_map(|(i, p)| {
            let open = lines.iter().find(|l| l.position == p.position)?;
            Some((i, open.charge_cents))
        })
        .collect();
    if settled.is_empty() {
        return;
    }
    let weights: Vec<i64> = settled.iter().map(|&(_, w)| w).collect();
    for a in &remit.adjustments {
        for (&(i, _), part) in settled.iter().zip(spread(a.cents, &weights)) {
            let line = &mut posted[i];
            if a.group == "PR" {
                line.patient_resp_cents = line.patient_resp_cents.saturating_add(part);
            } else {
                line.written_off_cents = line.written_off_cents.saturating_add(part);
            }
        }
    }
}

/// Splits `cents` into parts in proportion to `weights` (all of them equal when none
/// weighs anything), rounding down, with what rounding left over on the last part: the
/// parts always add up to `cents`.
pub fn spread(cents: i64, weights: &[i64]) -> Vec<i64> {
    let Some(last) = weights.len().checked_sub(1) else {
        return Vec::new();
    };
    let weights: Vec<i128> = if weights.iter().all(|w| *w <= 0) {
        vec![1; weights.len()]
    } else {
        weights.iter().map(|w| i128::from((*w).max(0))).collect()
    };
    let total: i128 = weights.iter().sum();
    let mut parts: Vec<i64> = weights
        .iter()
        .map(|w| i64::try_from(i128::from(cents) * w / total).unwrap_or(0))
        .collect();
    let given: i64 = parts.iter().fold(0i64, |sum, p| sum.saturating_add(*p));
    parts[last] = parts[last].saturating_add(cents.saturating_sub(given));
    parts
}

/// Where a claim stands when a remittance names it: what routing needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimState<'a> {
    /// Its status.
    pub status: ClaimStatus,
    /// Whether the payer it was sent to forwarded it to another (a crossover).
    pub forwarded: bool,
    /// The payer id (as in the 835's N1*PR) of the payer it was sent to.
    pub payer_code: Option<&'a str>,
}

/// Decides how one claim of a payment applies to the claim it names: the remittance
/// claim to post with [`post`] (the crossover payer's payment reshaped by
/// [`as_crossover_payment`]), or why it cannot post, in words for the biller. A reversal
/// takes back a payment on a settled claim; the crossover payer's payment posts to the
/// claim the primary forwarded to it; anything else needs the claim to be waiting on a
/// payer. The chart and the clinic server both route with it.
pub fn route(claim: ClaimState<'_>, payer_code: &str, remit: &RemitClaim) -> Result<RemitClaim, String> {
    let crossover = claim.forwarded && claim.payer_code != Some(payer_code);
    let postable = claim.status.outstanding()
        || crossover
        || (remit.is_reversal() && matches!(claim.status, ClaimStatus::Paid | ClaimStatus::PartiallyPaid));
    if !postable {
        return Err(format!(
            "the claim is {}, so nothing is owed on it: review this payment by hand",
            claim.status
        ));
    }
    Ok(if crossover {
        as_crossover_payment(remit)
    } else {
        remit.clone()
    })
}

/// Whom a forwarded claim went to: the crossover payer's name, when the payer gave it.
pub fn forwarded_to(remit: &RemitClaim) -> String {
    remit
        .crossover_payer
        .clone()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "the next payer".into())
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
    fn a_claim_applied_to_the_deductible_is_paid_and_its_contractual_part_written_off() {
        let s = settle(&RemitClaim {
            adjustments: vec![adj("PR", "1", 6000), adj("CO", "45", 4000)],
            charge_cents: 10000,
            ..claim(vec![])
        });
        assert_eq!(s.status, Some(ClaimStatus::Paid));
        assert_eq!(
            (s.written_off_cents, s.denied_cents, s.patient_resp_cents),
            (4000, 0, 6000)
        );
        assert_eq!(s.unexplained_cents, 0);
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

    fn open(position: u32, code: &str) -> OpenLine {
        OpenLine {
            position,
            code: code.into(),
            modifiers: vec![Modifier::GP],
            date: "2026-03-03".into(),
            charge_cents: 10_000,
        }
    }

    #[test]
    fn posting_matches_lines_queues_denials_and_moves_the_status() {
        let mut c = claim(vec![
            line(10000, 8000, vec![adj("CO", "45", 2000)]),
            line(5000, 0, vec![adj("CO", "50", 5000)]),
        ]);
        for (l, code) in c.lines.iter_mut().zip(["97110", "97140"]) {
            l.code = code.into();
            l.modifiers = vec![Modifier::GP];
            l.date = chrono::NaiveDate::from_ymd_opt(2026, 3, 3);
        }
        let lines = [open(1, "97140"), open(2, "97110")];
        let p = post(ClaimStatus::Submitted, &lines, &c);
        assert_eq!(p.status, Some(ClaimStatus::PartiallyPaid));
        assert_eq!(
            p.lines.iter().map(|l| (l.position, l.paid_cents)).collect::<Vec<_>>(),
            [(2, 8000), (1, 0)]
        );
        assert_eq!(p.lines[1].written_off_cents, 0, "a denied line stays in A/R");
        assert_eq!(p.denials.len(), 1);
        assert_eq!(
            (p.denials[0].position, p.denials[0].reasons.clone()),
            (Some(1), vec!["CO-50".to_owned()])
        );
        assert!(p.problems.is_empty());
        // A line the claim does not have is reported, and a settled claim keeps its status.
        let p = post(ClaimStatus::Paid, &lines[..1], &c);
        assert_eq!(p.status, None);
        assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
    }

    #[test]
    fn a_recoded_line_posts_by_its_line_control_number() {
        // Issue 14: lines match by REF*6R first. The payer paid the claim's line 2 (97110)
        // as 97530; by code it would match nothing, by its control number it is line 2.
        let mut c = claim(vec![line(10000, 8000, vec![adj("CO", "45", 2000)])]);
        c.lines[0].code = "97530".into();
        c.lines[0].line_control = Some(crate::x12::claim837::line_control_number("C1", 2));
        let lines = [open(1, "97110"), open(2, "97110")];
        let p = post(ClaimStatus::Submitted, &lines, &c);
        assert_eq!(p.lines.iter().map(|l| l.position).collect::<Vec<_>>(), [2]);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        // Without it, the recoded line matches no line of the claim...
        c.lines[0].line_control = None;
        assert_eq!(post(ClaimStatus::Submitted, &lines, &c).problems.len(), 1);
        // ...unless the payer says what was submitted (SVC06).
        c.lines[0].submitted_code = Some("97110".into());
        let p = post(ClaimStatus::Submitted, &lines, &c);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.lines.len(), 1);
    }

    #[test]
    fn an_unexplained_shortfall_is_partial_and_an_unknown_status_needs_a_person() {
        let mut c = claim(vec![line(10000, 7000, vec![])]);
        assert_eq!(settle(&c).status, Some(ClaimStatus::PartiallyPaid));
        assert_eq!(settle(&c).unexplained_cents, 3000);
        c.status_code = "99".into();
        assert_eq!(settle(&c).status, None);
    }

    #[test]
    fn a_reversal_takes_the_payment_back_and_reopens_the_claim() {
        // The payment as first posted, then reversed (CLP02 22: every amount negated).
        let paid = claim(vec![line(
            10000,
            7000,
            vec![adj("CO", "45", 2000), adj("PR", "2", 1000)],
        )]);
        let first = post(ClaimStatus::Submitted, &[open(1, "97110")], &paid);
        assert_eq!(first.status, Some(ClaimStatus::Paid));
        let mut reversal = claim(vec![line(
            -10000,
            -7000,
            vec![adj("CO", "45", -2000), adj("PR", "2", -1000)],
        )]);
        reversal.status_code = "22".into();
        reversal.charge_cents = -10000;
        reversal.paid_cents = -7000;
        let back = post(ClaimStatus::Paid, &[open(1, "97110")], &reversal);
        assert_eq!(back.status, Some(ClaimStatus::Submitted), "{:?}", back.problems);
        assert!(back.denials.is_empty(), "a take-back is not a denial");
        let line = &back.lines[0];
        assert_eq!(
            (line.paid_cents, line.written_off_cents, line.patient_resp_cents),
            (-7000, -2000, -1000)
        );
        // Posted together, the two leave nothing on the line.
        assert_eq!(first.lines[0].paid_cents + line.paid_cents, 0);
        assert_eq!(back.settlement.unexplained_cents, 0);
    }

    #[test]
    fn routing_takes_reversals_on_settled_claims_and_crossover_payments_off_the_patient() {
        let paid = claim(Vec::new());
        let settled = ClaimState {
            status: ClaimStatus::Paid,
            forwarded: false,
            payer_code: Some("00952"),
        };
        assert!(
            route(settled, "00952", &paid).is_err(),
            "a paid claim owes nothing more"
        );
        let mut reversal = paid.clone();
        reversal.status_code = "22".into();
        assert_eq!(route(settled, "00952", &reversal), Ok(reversal.clone()));
        let forwarded = ClaimState {
            forwarded: true,
            ..settled
        };
        let gap = route(forwarded, "MGAP1", &paid).expect("the crossover payer's payment posts");
        assert_eq!(gap, as_crossover_payment(&paid));
        assert!(
            route(forwarded, "00952", &paid).is_err(),
            "the primary's own payment again is not"
        );
    }

    #[test]
    fn claim_level_adjustments_reach_the_lines_in_proportion_to_their_charges() {
        // Two lines of 10,000 and one denied: the claim-level deductible and sequestration
        // split over the two paid lines; the lines then add up to the claim.
        let mut remit = claim(vec![
            line(10_000, 6_000, vec![adj("CO", "45", 2_000)]),
            RemitLine {
                code: "97112".into(),
                ..line(10_000, 0, vec![adj("CO", "50", 10_000)])
            },
            RemitLine {
                code: "97140".into(),
                ..line(10_000, 5_000, vec![adj("CO", "45", 2_000)])
            },
        ]);
        remit.adjustments = vec![adj("PR", "1", 2_999), adj("CO", "253", 1)];
        remit.paid_cents = 11_000;
        let lines = [open(1, "97110"), open(2, "97112"), open(3, "97140")];
        let posting = post(ClaimStatus::Submitted, &lines, &remit);
        let by_line: Vec<(u32, i64, i64)> = posting
            .lines
            .iter()
            .map(|l| (l.position, l.patient_resp_cents, l.written_off_cents))
            .collect();
        assert_eq!(by_line, [(1, 1_499, 2_000), (2, 0, 0), (3, 1_500, 2_001)]);
        let patient: i64 = posting.lines.iter().map(|l| l.patient_resp_cents).sum();
        assert_eq!(patient, posting.settlement.patient_resp_cents);
        // The lines' adjustment lists stay as the payer sent them (2430 of a secondary).
        assert_eq!(posting.lines[0].adjustments, [adj("CO", "45", 2_000)]);
    }

    #[test]
    fn a_payment_without_line_detail_spreads_its_adjustments_over_every_line() {
        let mut remit = claim(Vec::new());
        remit.charge_cents = 20_000;
        remit.paid_cents = 12_001;
        remit.adjustments = vec![adj("CO", "45", 4_000), adj("PR", "2", 3_999)];
        let posting = post(ClaimStatus::Submitted, &[open(1, "97110"), open(2, "97140")], &remit);
        let lines: Vec<(i64, i64, i64)> = posting
            .lines
            .iter()
            .map(|l| (l.paid_cents, l.written_off_cents, l.patient_resp_cents))
            .collect();
        assert_eq!(lines, [(0, 2_000, 1_999), (0, 2_000, 2_000)]);
        assert_eq!(posting.settlement.paid_cents, 12_001, "the payment stays on the claim");
    }

    proptest::proptest! {
        #[test]
        fn spread_parts_always_add_up(
            cents in -1_000_000_000i64..1_000_000_000,
            weights in proptest::collection::vec(0i64..10_000_000, 1..50),
        ) {
            let parts = spread(cents, &weights);
            proptest::prop_assert_eq!(parts.len(), weights.len());
            proptest::prop_assert_eq!(parts.iter().sum::<i64>(), cents);
            // Every part but the last (which takes the rounding) has the sign of the whole
            // and is no bigger.
            for p in &parts[..parts.len() - 1] {
                proptest::prop_assert!(p.abs() <= cents.abs() && (*p == 0 || p.signum() == cents.signum()));
            }
        }
    }
}

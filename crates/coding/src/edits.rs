//! Billing edits over a date of service's lines as billed: NCCI procedure-to-procedure
//! pairs, medically unlikely edits and the KX threshold.
//!
//! These functions judge lines, not documentation, and they are the only place these rules
//! live: the coding engine runs them over the lines it builds, and the claim scrubber runs
//! them over a claim's lines (which a biller may have edited), so the two cannot disagree.

use crate::explanation::UnitCount;
use crate::findings::{Finding, FindingKind};
use crate::modifier::Modifier;
use crate::money::Cents;
use crate::mue::MueScope;
use crate::ncci::{ModifierIndicator, PtpEdit};
use crate::rules::RuleSet;
use crate::thresholds::YearThresholds;
use chrono::NaiveDate;

/// The re-evaluation code: in an NCCI pair the payer denies the 97164 line when it lacks
/// the distinct-service modifier, whichever column it is in (billing-rules errata, 2026-12).
const REEVALUATION: &str = "97164";

/// A claim line as the edits see it.
pub trait BilledLine {
    /// CPT or HCPCS code.
    fn code(&self) -> &str;
    /// Units billed.
    fn units(&self) -> u32;
    /// Modifiers on the line.
    fn modifiers(&self) -> &[Modifier];
    /// Allowed amount, when the fee schedule has the code.
    fn allowed(&self) -> Option<Cents>;
}

/// Whether a line carries a distinct-service modifier.
pub fn has_distinct_modifier(line: &impl BilledLine) -> bool {
    line.modifiers().iter().any(|m| m.is_distinct_service())
}

/// The code of an indicator-1 pair that must carry the distinct-service modifier, when
/// only one will do: 97164 when the pair includes it. Otherwise either code may carry it
/// (Medicare Part B since 2019-07-01), and Stride puts it on column 2.
pub fn distinct_modifier_goes_on(edit: &PtpEdit) -> &str {
    if edit.column1 == REEVALUATION {
        &edit.column1
    } else {
        &edit.column2
    }
}

/// Whether an indicator-1 pair is billed as distinct: the modifier on either code's lines,
/// or on the 97164 lines when the pair includes it.
fn billed_as_distinct<L: BilledLine>(edit: &PtpEdit, lines: &[L]) -> bool {
    let marked = |code: &str| {
        let mut of_code = lines.iter().filter(|l| l.code() == code).peekable();
        of_code.peek().is_some() && of_code.all(has_distinct_modifier)
    };
    if edit.column1 == REEVALUATION || edit.column2 == REEVALUATION {
        marked(REEVALUATION)
    } else {
        marked(&edit.column1) || marked(&edit.column2)
    }
}

/// The NCCI pairs among a date's lines that the payer would deny: an indicator-0 pair
/// billed at all, an indicator-1 pair without the distinct-service modifier.
pub fn ncci_findings<L: BilledLine>(rules: &RuleSet, date: NaiveDate, lines: &[L], modifier: Modifier) -> Vec<Finding> {
    let mut codes: Vec<&str> = lines.iter().map(BilledLine::code).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut findings = Vec::new();
    for (i, &a) in codes.iter().enumerate() {
        for &b in &codes[i + 1..] {
            let Some(edit) = rules.ptp.edit_between(a, b, date) else {
                continue;
            };
            let (c1, c2) = (edit.column1.as_str(), edit.column2.as_str());
            match edit.indicator {
                ModifierIndicator::NotAllowed => findings.push(Finding::error(
                    FindingKind::NcciNotAllowed,
                    &[c1, c2],
                    format!(
                        "{c2} is not payable with {c1} on the same date (NCCI edit, modifier indicator 0: {}); no modifier allows it. Keep both documented as furnished, and leave {c2} off the claim.",
                        edit.rationale
                    ),
                )),
                ModifierIndicator::Allowed if !billed_as_distinct(edit, lines) => {
                    let on = distinct_modifier_goes_on(edit);
                    findings.push(Finding::error(
                        FindingKind::NcciNeedsDistinct,
                        &[c1, c2],
                        format!(
                            "{c1} and {c2} are an NCCI pair: {c2} is denied unless the two were done in separate, distinct time intervals and the claim says so with {modifier} on {on}. If they were, mark the pair \"done in a separate interval\" in the note; if not, bill only one of them."
                        ),
                    ));
                }
                ModifierIndicator::Allowed | ModifierIndicator::NotApplicable => {}
            }
        }
    }
    findings
}

/// Units above a code's medically unlikely edit, judged as its indicator says (billing-
/// rules errata, 2026-12): MAI 1 per claim line, MAI 2 and 3 per date of service across
/// the date's lines. Each is an error: a line above its MUE is denied whole.
pub fn mue_findings<L: BilledLine>(rules: &RuleSet, lines: &[L]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut judged: Vec<&str> = Vec::new();
    for line in lines {
        let code = line.code();
        let Some(mue) = rules.mue.get(code) else {
            continue;
        };
        let units = match mue.scope {
            MueScope::ClaimLine => line.units(),
            MueScope::DayPolicy | MueScope::DayClinical if judged.contains(&code) => continue,
            MueScope::DayPolicy | MueScope::DayClinical => {
                judged.push(code);
                lines.iter().filter(|l| l.code() == code).map(BilledLine::units).sum()
            }
        };
        if units <= mue.max_units {
            continue;
        }
        let (max, billed) = (UnitCount(mue.max_units), UnitCount(units));
        let message = match mue.scope {
            MueScope::ClaimLine => format!(
                "{code} bills {billed} on one claim line, above its medically unlikely edit of {max}: the line would be denied whole. Bill no more than {max} on a line."
            ),
            MueScope::DayPolicy => format!(
                "{code} bills {billed} on one date of service, above its medically unlikely edit of {max}, which is policy and cannot be appealed: bill no more than {max}."
            ),
            MueScope::DayClinical => format!(
                "{code} bills {billed} on one date of service, above its medically unlikely edit of {max}. Units above it are denied unless the notes document why they were medically necessary: decide whether to bill them, and appeal with the notes if so."
            ),
        };
        findings.push(Finding::error(FindingKind::MueExceeded, &[code], message));
    }
    findings
}

/// Lines that need KX and lack it: once the patient's allowed amounts this year (`before`
/// the date, then each line in claim order) reach the threshold, every line needs KX.
pub fn kx_findings<L: BilledLine>(thresholds: &YearThresholds, before: Cents, lines: &[L]) -> Vec<Finding> {
    let allowed: Vec<Option<Cents>> = lines.iter().map(BilledLine::allowed).collect();
    lines
        .iter()
        .zip(thresholds.kx_lines(before, &allowed))
        .filter_map(|(line, running)| {
            let running = running?;
            (!line.modifiers().contains(&Modifier::KX)).then(|| {
                Finding::error(
                    FindingKind::KxMissing,
                    &[line.code()],
                    format!(
                        "{} needs KX: with it the patient's therapy this year reaches {running}, at or above the {} threshold, and Medicare denies such lines without KX. Confirm the notes show why continued therapy is medically necessary, then add KX.",
                        line.code(),
                        thresholds.kx
                    ),
                )
            })
        })
        .collect()
}

//! One visit through the rules: units, modifiers, edits, thresholds, findings.

use crate::assistant::{self, AssistantSplit};
use crate::code_table::{CodeDef, CodeKind, Lookup, Timing, is_unlisted};
use crate::edits::{self, BilledLine};
use crate::error::CodingError;
use crate::explanation::{AssistantNote, Explanation, ModifierNote, TieNote, UnitCount, UnitsReason};
use crate::findings::{Finding, FindingKind, Severity};
use crate::modifier::Modifier;
use crate::money::Cents;
use crate::mue::MueScope;
use crate::ncci::ModifierIndicator;
use crate::rules::RuleSet;
use crate::units::{self, CmsAllocation, TimedCode};
use crate::visit::{UnitMethod, Visit};
use chrono::Datelike;
use serde::Serialize;

/// Minutes in a day: no service, and no code's total, can exceed it.
pub const MINUTES_PER_DAY: u32 = 1440;

/// CQ lines are paid at 85% of the fee schedule amount (SSA §1834(v), from 2022).
const CQ_PERCENT: i64 = 85;

/// One claim line: a code, its units and modifiers, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChargeLine {
    /// CPT or HCPCS code.
    pub code: String,
    /// Units billed on this line (always at least 1).
    pub units: u32,
    /// Modifiers in claim order: GP, then CQ, KX, and 59 or XU.
    #[cfg_attr(feature = "ts", ts(as = "Vec<String>"))]
    pub modifiers: Vec<Modifier>,
    /// The code's documented minutes (all of its lines together).
    pub minutes: u32,
    /// Allowed amount for this line, when the fee schedule has the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_cents: Option<Cents>,
    /// Why this line bills these units with these modifiers (a sentence when serialized).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub explanation: Explanation,
}

/// A documented code that earned no unit, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Unbilled {
    /// CPT or HCPCS code.
    pub code: String,
    /// Its documented minutes.
    pub minutes: u32,
    /// Why no unit was billed (a sentence when serialized).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub reason: UnitsReason,
}

/// The coded visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coding {
    /// The unit method used.
    pub method: UnitMethod,
    /// Claim lines, in the order the codes were first entered.
    pub lines: Vec<ChargeLine>,
    /// Minutes of 15-minute timed codes (the CMS pool; add-on and 30-minute codes excluded).
    pub timed_minutes: u32,
    /// Units those minutes earn (lines bill fewer only where a policy MUE caps a code,
    /// and `unbilled` says so).
    pub timed_units: u32,
    /// Warnings and errors a biller should see.
    pub findings: Vec<Finding>,
    /// Documented codes that earned no unit.
    pub unbilled: Vec<Unbilled>,
}

impl BilledLine for ChargeLine {
    fn code(&self) -> &str {
        &self.code
    }
    fn units(&self) -> u32 {
        self.units
    }
    fn modifiers(&self) -> &[Modifier] {
        &self.modifiers
    }
    fn allowed(&self) -> Option<Cents> {
        self.allowed_cents
    }
}

impl Coding {
    /// The findings of one severity, as sentences.
    pub fn messages(&self, severity: Severity) -> Vec<String> {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .map(|f| f.message.clone())
            .collect()
    }

    /// Total units on all lines.
    pub fn total_units(&self) -> u32 {
        self.lines.iter().map(|l| l.units).sum()
    }
}

/// A code's merged minutes and the units it earned.
struct CodedService<'a> {
    def: &'a CodeDef,
    minutes: u32,
    pta_minutes: u32,
    units: u32,
    reason: UnitsReason,
    /// The code documented, when the payer bills it as `def` (97014 as G0283).
    documented_as: Option<&'static str>,
}

/// Codes one visit.
pub fn code_visit(visit: &Visit, rules: &RuleSet) -> Result<Coding, CodingError> {
    let merged = merge_services(visit, rules)?;
    let mut findings = Vec::new();
    let (coded, timed_minutes, timed_units) = assign_units(visit, merged);

    let mut unbilled: Vec<Unbilled> = coded
        .iter()
        .filter(|c| c.units == 0 && (c.minutes > 0 || c.def.timing != Timing::Timed))
        .map(|c| Unbilled {
            code: c.def.code.clone(),
            minutes: c.minutes,
            reason: c.reason.clone(),
        })
        .collect();

    let mut lines = build_lines(visit, &coded);
    settle_ncci(visit, rules, &mut lines, &mut unbilled, &mut findings);
    cap_policy_mues(rules, &mut lines, &mut unbilled, &mut findings);
    price_lines(visit, &mut lines);
    apply_kx(visit, rules, &mut lines, &mut findings);
    for line in &mut lines {
        line.modifiers.sort_by_key(|m| modifier_rank(*m));
    }
    // What a payer's edits would still deny on the finished lines: the same functions
    // the claim scrubber runs.
    findings.extend(edits::ncci_findings(
        rules,
        visit.date,
        &lines,
        visit.payer.distinct_modifier.modifier(),
    ));
    findings.extend(edits::mue_findings(rules, &lines));
    check_documentation(visit, &coded, timed_minutes, timed_units, &mut findings);
    check_inputs_used(visit, &coded, &lines, &mut findings);

    Ok(Coding {
        method: visit.method,
        lines,
        timed_minutes,
        timed_units,
        findings,
        unbilled,
    })
}

/// Claim order of modifiers: the discipline (GP), the assistant's (CQ), the threshold
/// attestation (KX), then the NCCI distinct-service modifier.
fn modifier_rank(modifier: Modifier) -> u8 {
    match modifier {
        Modifier::GP => 0,
        Modifier::CQ => 1,
        Modifier::KX => 2,
        _ => 3,
    }
}

/// Codes a payer following Medicare does not accept, and what it pays the same service as:
/// (documented code, billed code). 97014, unattended electrical stimulation, is G0283 for
/// Medicare (non-wound care; G0281 for qualifying chronic wounds is a clinician's choice).
const MEDICARE_CODE_FOR: &[(&str, &str)] = &[("97014", "G0283")];

/// A code's services merged: its minutes, the PTA's part, and the code documented when the
/// payer bills it under another.
struct Merged<'r> {
    def: &'r CodeDef,
    minutes: u32,
    pta_minutes: u32,
    documented_as: Option<&'static str>,
}

/// Validates each service and merges repeated codes, keeping first-entered order.
fn merge_services<'r>(visit: &Visit, rules: &'r RuleSet) -> Result<Vec<Merged<'r>>, CodingError> {
    let mut merged: Vec<Merged<'r>> = Vec::new();
    for (index, s) in visit.services.iter().enumerate() {
        if s.minutes > MINUTES_PER_DAY {
            return Err(CodingError::MinutesOutOfRange {
                index,
                minutes: i64::from(s.minutes),
            });
        }
        if s.pta_minutes > s.minutes {
            return Err(CodingError::PtaMinutesOutOfRange {
                index,
                pta_minutes: i64::from(s.pta_minutes),
                minutes: i64::from(s.minutes),
            });
        }
        let def = match rules.codes.lookup(&s.code, visit.date) {
            Lookup::Found(def) => def,
            Lookup::Unknown => {
                return Err(CodingError::UnknownCode {
                    index,
                    code: s.code.clone(),
                });
            }
            Lookup::NotInEffect(validity) => {
                return Err(CodingError::CodeNotInEffect {
                    index,
                    code: s.code.clone(),
                    date: visit.date,
                    validity,
                });
            }
        };
        let replaced = MEDICARE_CODE_FOR
            .iter()
            .filter(|_| visit.payer.medicare)
            .find(|(documented, _)| *documented == def.code)
            .and_then(|&(documented, billed)| match rules.codes.lookup(billed, visit.date) {
                Lookup::Found(billed) => Some((billed, documented)),
                _ => None,
            });
        let (def, documented_as) = match replaced {
            Some((billed, documented)) => (billed, Some(documented)),
            None => (def, None),
        };
        match merged.iter_mut().find(|m| m.def.code == def.code) {
            Some(m) => {
                m.minutes += s.minutes;
                m.pta_minutes += s.pta_minutes;
                m.documented_as = m.documented_as.or(documented_as);
                if m.minutes > MINUTES_PER_DAY {
                    return Err(CodingError::DayOverflow {
                        code: def.code.clone(),
                        minutes: m.minutes,
                    });
                }
            }
            None => merged.push(Merged {
                def,
                minutes: s.minutes,
                pta_minutes: s.pta_minutes,
                documented_as,
            }),
        }
    }
    Ok(merged)
}

/// Units per code by the visit's method; returns the coded services and the timed pool.
fn assign_units<'r>(visit: &Visit, merged: Vec<Merged<'r>>) -> (Vec<CodedService<'r>>, u32, u32) {
    let pooled: Vec<usize> = (0..merged.len())
        .filter(|&i| merged[i].def.timing == Timing::Timed)
        .collect();
    let timed: Vec<TimedCode<'_>> = pooled
        .iter()
        .map(|&i| {
            let code = merged[i].def.code.as_str();
            TimedCode {
                code,
                minutes: merged[i].minutes,
                fee: visit.fees.get(code).copied(),
                preference: visit.tie_break.iter().position(|c| c == code),
                assistant: visit.payer.cq && merged[i].pta_minutes > 0 && merged[i].def.kind != CodeKind::Evaluation,
            }
        })
        .collect();
    let cms = (visit.method == UnitMethod::Cms).then(|| units::allocate_cms(&timed));

    let present = |code: &str| merged.iter().any(|m| m.def.code == code);
    let mut coded = Vec::with_capacity(merged.len());
    for (i, m) in merged.iter().enumerate() {
        let (def, minutes, pta_minutes) = (m.def, m.minutes, m.pta_minutes);
        let (units_billed, reason) = match def.timing {
            Timing::Timed => match &cms {
                Some(alloc) => {
                    let k = pooled.iter().position(|&p| p == i).unwrap_or(0);
                    (alloc.units[k], cms_reason(alloc, &timed, k))
                }
                None => {
                    let units = units::units_for_minutes(minutes);
                    (units, UnitsReason::AmaPerCode { minutes, units })
                }
            },
            Timing::Untimed => (1, UnitsReason::Untimed { minutes }),
            Timing::Initial30 => {
                let billed = minutes >= 16;
                (u32::from(billed), UnitsReason::Initial30 { minutes, billed })
            }
            Timing::AddOn15 => {
                let base = def.base.clone().unwrap_or_default();
                let base_present = present(&base);
                let units = if base_present {
                    units::units_for_minutes(minutes)
                } else {
                    0
                };
                let reason = UnitsReason::AddOn15 {
                    minutes,
                    units,
                    base,
                    base_present,
                };
                (units, reason)
            }
        };
        coded.push(CodedService {
            def,
            minutes,
            pta_minutes,
            units: units_billed,
            reason,
            documented_as: m.documented_as,
        });
    }
    let timed_minutes = timed.iter().map(|t| t.minutes).sum();
    let timed_units = pooled.iter().map(|&i| coded[i].units).sum();
    (coded, timed_minutes, timed_units)
}

/// Why the CMS allocation gave timed code `k` its units.
fn cms_reason(alloc: &CmsAllocation, timed: &[TimedCode<'_>], k: usize) -> UnitsReason {
    let tie = alloc
        .tie
        .as_ref()
        .filter(|t| t.winners.contains(&k) || t.losers.contains(&k))
        .map(|t| TieNote {
            others: t
                .winners
                .iter()
                .chain(&t.losers)
                .filter(|&&j| j != k)
                .map(|&j| timed[j].code.to_owned())
                .collect(),
            leftover: t.leftover,
            won: t.winners.contains(&k),
            reason: t.reason,
        });
    UnitsReason::CmsPooled {
        pool_minutes: alloc.total_minutes,
        pool_units: alloc.total_units,
        minutes: timed[k].minutes,
        remaining_units: alloc.remaining_units,
        took_remaining: alloc.took_remaining[k],
        tie,
    }
}

/// Claim lines: each code split into plain and CQ lines, GP on every line.
fn build_lines(visit: &Visit, coded: &[CodedService<'_>]) -> Vec<ChargeLine> {
    let mut lines = Vec::with_capacity(coded.len() + 1);
    for c in coded.iter().filter(|c| c.units > 0) {
        // Evaluations are the PT's alone (Pub 100-02 Ch.15 §230.1): a PTA's minutes on
        // one never make a CQ line; `check_documentation` reports them as an error.
        let split = if !visit.payer.cq || c.def.kind == CodeKind::Evaluation {
            AssistantSplit::all_plain(c.units, c.minutes, c.pta_minutes)
        } else if matches!(c.def.timing, Timing::Timed | Timing::AddOn15) {
            assistant::split_timed(c.units, c.minutes, c.pta_minutes)
        } else {
            assistant::split_whole_service(c.units, c.minutes, c.pta_minutes)
        };
        for (units, cq_line) in [(split.plain, false), (split.cq, true)] {
            if units == 0 {
                continue;
            }
            let mut modifiers = vec![Modifier::GP];
            if cq_line {
                modifiers.push(Modifier::CQ);
            }
            let assistant =
                (c.pta_minutes > 0 && visit.payer.cq && c.def.kind != CodeKind::Evaluation).then(|| AssistantNote {
                    split: split.clone(),
                    cq_line,
                });
            lines.push(ChargeLine {
                code: c.def.code.clone(),
                units,
                modifiers,
                minutes: c.minutes,
                allowed_cents: None,
                explanation: Explanation {
                    code: c.def.code.clone(),
                    description: c.def.description.clone(),
                    code_units: c.units,
                    units: c.reason.clone(),
                    assistant,
                    modifiers: Vec::new(),
                    documented_as: c.documented_as,
                },
            });
        }
    }
    lines
}

/// Each billed code once, in line order (lines of one code sit together).
fn billed_codes(lines: &[ChargeLine]) -> Vec<String> {
    let mut codes: Vec<String> = lines.iter().map(|l| l.code.clone()).collect();
    codes.dedup();
    codes
}

/// NCCI procedure-to-procedure edits the engine settles itself: the column-2 code of an
/// indicator-0 pair is left off the bill (shown as unbilled, with the reason: it stays
/// documented, Pub 100-02 Ch.15 §220.3), and an indicator-1 pair the clinician marked as
/// done in separate intervals gets the payer's distinct-service modifier. Pairs left
/// unmarked are reported by [`edits::ncci_findings`] over the finished lines.
fn settle_ncci(
    visit: &Visit,
    rules: &RuleSet,
    lines: &mut Vec<ChargeLine>,
    unbilled: &mut Vec<Unbilled>,
    findings: &mut Vec<Finding>,
) {
    let codes = billed_codes(lines);
    let modifier = visit.payer.distinct_modifier.modifier();
    for (i, a) in codes.iter().enumerate() {
        for b in &codes[i + 1..] {
            let Some(edit) = rules.ptp.edit_between(a, b, visit.date) else {
                continue;
            };
            let (c1, c2) = (edit.column1.as_str(), edit.column2.as_str());
            match edit.indicator {
                ModifierIndicator::NotAllowed if lines.iter().any(|l| l.code == c2) => {
                    let minutes = lines.iter().find(|l| l.code == c2).map_or(0, |l| l.minutes);
                    lines.retain(|l| l.code != c2);
                    unbilled.push(Unbilled {
                        code: c2.to_owned(),
                        minutes,
                        reason: UnitsReason::NcciBundled {
                            column1: c1.to_owned(),
                            rationale: edit.rationale.clone(),
                        },
                    });
                    findings.push(Finding::warning(
                        FindingKind::NcciBundled,
                        &[c1, c2],
                        format!(
                            "{c2} is not billed: it is not payable with {c1} on the same date (NCCI edit, modifier indicator 0: {}). It stays documented as furnished.",
                            edit.rationale
                        ),
                    ));
                }
                ModifierIndicator::Allowed if visit.marked_distinct(c1, c2) => {
                    let on = edits::distinct_modifier_goes_on(edit);
                    let other = if on == c1 { c2 } else { c1 };
                    for line in lines.iter_mut().filter(|l| l.code == on) {
                        line.modifiers.push(modifier);
                        line.explanation.modifiers.push(ModifierNote::Distinct {
                            modifier,
                            other: other.to_owned(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
}

/// Policy MUEs (MAI 2) are absolute: the day's units above the edit are not billed, and
/// the excess is shown as unbilled with the reason (billing-rules errata, 2026-12). Other
/// indicators are judged by [`edits::mue_findings`] over the finished lines.
fn cap_policy_mues(
    rules: &RuleSet,
    lines: &mut Vec<ChargeLine>,
    unbilled: &mut Vec<Unbilled>,
    findings: &mut Vec<Finding>,
) {
    for code in billed_codes(lines) {
        let Some(mue) = rules.mue.get(&code).filter(|m| m.scope == MueScope::DayPolicy) else {
            continue;
        };
        let units: u32 = lines.iter().filter(|l| l.code == code).map(|l| l.units).sum();
        if units <= mue.max_units {
            continue;
        }
        let excess = units - mue.max_units;
        cap_units(lines, &code, excess);
        unbilled.push(Unbilled {
            code: code.clone(),
            minutes: 0,
            reason: UnitsReason::MueCapped {
                max: mue.max_units,
                excess,
            },
        });
        findings.push(Finding::warning(
            FindingKind::MueCapped,
            &[&code],
            format!(
                "{code} is limited to {} a day by a medically unlikely edit that is policy and cannot be appealed: {} not billed.",
                UnitCount(mue.max_units),
                UnitCount(excess)
            ),
        ));
    }
    lines.retain(|l| l.units > 0);
}

/// Takes `excess` units off a code's lines, the last line first.
fn cap_units(lines: &mut [ChargeLine], code: &str, mut excess: u32) {
    for line in lines.iter_mut().rev().filter(|l| l.code == code) {
        let off = excess.min(line.units);
        line.units -= off;
        excess -= off;
    }
}

/// Allowed amounts from the fee schedule; CQ lines at 85%.
fn price_lines(visit: &Visit, lines: &mut [ChargeLine]) {
    for line in lines {
        if let Some(fee) = visit.fees.get(&line.code) {
            let full = fee.times(line.units);
            let cq = line.modifiers.contains(&Modifier::CQ);
            line.allowed_cents = Some(if cq { full.percent(CQ_PERCENT) } else { full });
        }
    }
}

/// KX on the line whose allowed amount brings the year's total to the threshold, and on
/// every line after it; a warning at the medical review threshold.
fn apply_kx(visit: &Visit, rules: &RuleSet, lines: &mut [ChargeLine], findings: &mut Vec<Finding>) {
    let Some(ytd) = visit.ytd_allowed.filter(|_| visit.payer.kx) else {
        return;
    };
    let year = visit.date.year();
    let Some(thresholds) = rules.thresholds.for_year(year) else {
        findings.push(Finding::warning(
            FindingKind::KxUnknownYear,
            &[],
            format!("Stride has no KX threshold for {year}, so KX was not checked. Update Stride's threshold table."),
        ));
        return;
    };
    let allowed: Vec<Option<Cents>> = lines.iter().map(|l| l.allowed_cents).collect();
    let kx = thresholds.kx_lines(ytd, &allowed);
    let running = ytd.plus(Cents(allowed.iter().flatten().map(|c| c.0).sum()));
    let kx_added = kx.iter().any(Option::is_some);
    for (line, with) in lines.iter_mut().zip(&kx) {
        if let Some(running) = *with {
            line.modifiers.push(Modifier::KX);
            line.explanation.modifiers.push(ModifierNote::Kx {
                year,
                running,
                threshold: thresholds.kx,
            });
        }
    }
    let mut no_fee: Vec<&str> = lines
        .iter()
        .filter(|l| l.allowed_cents.is_none())
        .map(|l| l.code.as_str())
        .collect();
    no_fee.dedup();
    if !no_fee.is_empty() {
        findings.push(Finding::warning(
            FindingKind::KxMissingFee,
            &no_fee,
            format!(
                "No fee is set for {}, so the year's therapy amounts leave them out and may be counted short; KX goes on them all the same once the threshold is reached. Add them to the payer's fee schedule.",
                no_fee.join(", ")
            ),
        ));
    }
    if kx_added {
        findings.push(Finding::warning(
            FindingKind::KxApplied,
            &[],
            format!(
                "KX added: this patient's {year} therapy amounts reach the {} threshold. KX attests that the notes show why continued therapy is medically necessary; make sure they do.",
                thresholds.kx
            ),
        ));
    }
    findings.extend(edits::kx_findings(&thresholds, ytd, lines));
    if running >= thresholds.review {
        findings.push(Finding::warning(
            FindingKind::ReviewThreshold,
            &[],
            format!(
                "This patient's {year} therapy amounts reach {running}, at or above the {} targeted medical review threshold: Medicare may review these claims, so the notes must justify each visit.",
                thresholds.review
            ),
        ));
    }
}

/// Documentation and payer-policy checks.
fn check_documentation(
    visit: &Visit,
    coded: &[CodedService<'_>],
    timed_minutes: u32,
    timed_units: u32,
    findings: &mut Vec<Finding>,
) {
    let timed: Vec<&CodedService<'_>> = coded.iter().filter(|c| c.def.timing == Timing::Timed).collect();
    match visit.method {
        UnitMethod::Cms if timed_minutes > 0 && timed_units == 0 => findings.push(Finding::warning(
            FindingKind::UnderEightMinutes,
            &timed.iter().map(|c| c.def.code.as_str()).collect::<Vec<_>>(),
            format!("The visit has only {timed_minutes} timed minutes; at least 8 are needed to bill one timed unit."),
        )),
        UnitMethod::Ama => {
            for c in timed.iter().filter(|c| c.minutes > 0 && c.units == 0) {
                findings.push(Finding::warning(
                    FindingKind::UnderEightMinutes,
                    &[&c.def.code],
                    format!(
                        "{} has {} minutes; under the per-code rule at least 8 are needed to bill a unit.",
                        c.def.code, c.minutes
                    ),
                ));
            }
        }
        UnitMethod::Cms => {}
    }
    if let Some(total) = visit.total_treatment_minutes
        && total < timed_minutes
    {
        findings.push(Finding::warning(
            FindingKind::TotalTimeBelowTimed,
            &[],
            format!(
                "Total treatment time ({total} minutes) is less than the {timed_minutes} timed minutes documented. Correct one of them: billing must agree with the documented minutes."
            ),
        ));
    }
    for c in coded
        .iter()
        .filter(|c| c.def.kind == CodeKind::Evaluation && c.pta_minutes > 0)
    {
        findings.push(Finding::error(
            FindingKind::PtaEvaluation,
            &[c.def.code.as_str()],
            format!(
                "{} is an evaluation, which only a PT furnishes (Pub 100-02 Ch.15 §230.1): a PTA's {} minutes on it cannot be billed, with or without CQ. Record the PT's evaluation, or move the PTA's minutes to the treatment they gave.",
                c.def.code, c.pta_minutes
            ),
        ));
    }
    let has = |code: &str| coded.iter().any(|c| c.def.code == code && c.units > 0);
    if visit.payer.medicare {
        if has("97010") {
            findings.push(Finding::warning(
                FindingKind::MedicareBundled,
                &["97010"],
                "Medicare bundles hot or cold packs (97010) into the other services and does not pay them separately; keep it documented, but expect no payment.",
            ));
        }
        let needling: Vec<&str> = ["20560", "20561"].into_iter().filter(|c| has(c)).collect();
        if !needling.is_empty() {
            findings.push(Finding::warning(
                FindingKind::MedicareNotCovered,
                &needling,
                "Medicare does not cover dry needling furnished by a physical therapist (it covers needling only for chronic low back pain, as acupuncture by physicians and qualified practitioners, NCD 30.3.3). Keep it documented; bill the patient under an Advance Beneficiary Notice, or send it with the payer's non-covered modifier if the clinic wants a denial on file.",
            ));
        }
        if has("G0282") {
            findings.push(Finding::warning(
                FindingKind::MedicareNotCovered,
                &["G0282"],
                "Medicare does not cover electrical stimulation for wounds other than qualifying chronic ulcers (G0282).",
            ));
        }
    }
    check_group(visit, coded, timed_minutes, findings);
    for c in coded.iter().filter(|c| c.units > 0 && is_unlisted(&c.def.code)) {
        findings.push(Finding::warning(
            FindingKind::UnlistedCode,
            &[&c.def.code],
            format!(
                "{} is an unlisted code: the claim must describe the service, and payers often ask for the notes.",
                c.def.code
            ),
        ));
    }
    for c in coded
        .iter()
        .filter(|c| c.def.timing == Timing::AddOn15 && c.minutes > 0 && c.units == 0)
    {
        let base = c.def.base.as_deref().unwrap_or("its primary code");
        findings.push(Finding::warning(
            FindingKind::AddOnWithoutBase,
            &[&c.def.code],
            format!(
                "{} is an add-on and bills only with {base} on the same date; document {base} or move these minutes to it.",
                c.def.code
            ),
        ));
    }
}

/// Group therapy minutes must not also be counted as one-on-one minutes.
fn check_group(visit: &Visit, coded: &[CodedService<'_>], timed_minutes: u32, findings: &mut Vec<Finding>) {
    let Some(group) = coded.iter().find(|c| c.def.kind == CodeKind::Group) else {
        return;
    };
    if timed_minutes == 0 {
        return;
    }
    let message = match visit.total_treatment_minutes {
        Some(total) if total < timed_minutes + group.minutes => format!(
            "Group therapy (97150, {} minutes) and one-on-one timed codes ({timed_minutes} minutes) add up to more than the {total} minutes of total treatment time: group time appears to be counted as one-on-one time. One-on-one minutes must be separate from the group session.",
            group.minutes
        ),
        Some(_) => return,
        None => format!(
            "Group therapy (97150) is billed with one-on-one timed codes: the {timed_minutes} one-on-one minutes must not include any of the group session. Enter the total treatment time so Stride can check."
        ),
    };
    findings.push(Finding::warning(FindingKind::GroupWithOneOnOne, &["97150"], message));
}

/// Inputs that changed nothing are worth saying, so a typo does not pass silently.
fn check_inputs_used(visit: &Visit, coded: &[CodedService<'_>], lines: &[ChargeLine], findings: &mut Vec<Finding>) {
    for code in &visit.tie_break {
        if !coded.iter().any(|c| &c.def.code == code) {
            findings.push(Finding::warning(
                FindingKind::UnusedInput,
                &[code],
                format!("The tie-break choice names {code}, which is not documented on this date."),
            ));
        }
    }
    for [a, b] in &visit.distinct_pairs {
        let billed = |code: &str| lines.iter().any(|l| l.code == code);
        if !(billed(a) && billed(b)) {
            findings.push(Finding::warning(
                FindingKind::UnusedInput,
                &[a, b],
                format!("{a} and {b} are marked as done in distinct time intervals, but they are not both billed on this date."),
            ));
        }
    }
}

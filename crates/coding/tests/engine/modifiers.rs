//! GP, CQ, KX and 59/XU.

use crate::{day, run, visit};
use chrono::NaiveDate;
use stride_coding::UnitMethod::{Ama, Cms};
use stride_coding::{Cents, ChargeLine, Coding, DistinctModifier, FindingKind, Modifier, Service, UnitMethod, Visit};

fn with_pta(method: UnitMethod, services: &[(&str, u32, u32)]) -> Visit {
    Visit::new(
        day(),
        method,
        services
            .iter()
            .map(|&(code, minutes, pta_minutes)| Service {
                code: code.to_owned(),
                minutes,
                pta_minutes,
            })
            .collect(),
    )
}

fn line<'a>(c: &'a Coding, code: &str, cq: bool) -> Option<&'a ChargeLine> {
    c.lines
        .iter()
        .find(|l| l.code == code && l.modifiers.iter().any(|m| m == "CQ") == cq)
}

#[test]
fn gp_leads_every_line() {
    let c = run(&visit(
        Cms,
        &[("97110", 30), ("97161", 30), ("G0283", 15), ("97550", 30)],
    ));
    assert_eq!(c.lines.len(), 4);
    assert!(c.lines.iter().all(|l| l.modifiers.first() == Some(&Modifier::GP)));
}

#[test]
fn cq_cms_scenario_one() {
    // PTA 23 min + PT 13 min of 97110; PT 30 min of 97140: 66 minutes, 4 units.
    let c = run(&with_pta(Cms, &[("97110", 36, 23), ("97140", 30, 0)]));
    assert_eq!(c.timed_units, 4);
    assert_eq!(crate::units_of(&c, "97110"), 2);
    assert_eq!(line(&c, "97140", false).map(|l| l.units), Some(2));
    assert!(line(&c, "97140", true).is_none());
    // The PTA's full unit always carries CQ; Stride's rule also puts CQ on the second
    // unit, which holds 8 PTA minutes (more than 10% of it).
    assert_eq!(line(&c, "97110", true).map(|l| l.units), Some(2));
    assert_eq!(
        line(&c, "97110", true).map(|l| l.modifiers.clone()),
        Some(vec![Modifier::GP, Modifier::CQ])
    );
}

#[test]
fn cq_splits_a_code_into_two_lines_when_units_differ() {
    // PT 12 + PTA 12 minutes: two units, one each (CY2022 two-units-left case).
    let c = run(&with_pta(Cms, &[("97110", 24, 12)]));
    assert_eq!(line(&c, "97110", false).map(|l| l.units), Some(1));
    assert_eq!(line(&c, "97110", true).map(|l| l.units), Some(1));
    let explained = &line(&c, "97110", true).expect("cq line").explanation;
    assert!(explained.to_string().contains("PTA"), "{explained}");
}

#[test]
fn cq_de_minimis() {
    let c = run(&with_pta(Cms, &[("97110", 30, 1)]));
    assert!(line(&c, "97110", true).is_none(), "1 PTA minute of a 30-minute service");
    let c = run(&with_pta(Cms, &[("97110", 30, 30)]));
    assert_eq!(line(&c, "97110", true).map(|l| l.units), Some(2), "all PTA");
    // An untimed service a PTA may furnish (not an evaluation: see below).
    let c = run(&with_pta(Ama, &[("G0283", 40, 5)]));
    assert!(
        line(&c, "G0283", true).is_some(),
        "untimed: 5 of 40 minutes is over 10%"
    );
    let c = run(&with_pta(Ama, &[("G0283", 40, 4)]));
    assert!(
        line(&c, "G0283", true).is_none(),
        "untimed: 4 of 40 minutes is 10%, not over"
    );
}

#[test]
fn cq_off_when_the_payer_does_not_use_it() {
    let mut v = with_pta(Ama, &[("97110", 30, 30)]);
    v.payer.cq = false;
    let c = run(&v);
    assert!(line(&c, "97110", true).is_none());
}

fn kx_visit(ytd: i64, date: NaiveDate) -> Visit {
    let mut v = visit(Cms, &[("97110", 30), ("97140", 15)]);
    v.date = date;
    v.ytd_allowed = Some(Cents(ytd));
    v.fees = [("97110".to_owned(), Cents(3000)), ("97140".to_owned(), Cents(2500))].into();
    v
}

fn kx_on(c: &Coding, code: &str) -> bool {
    c.lines
        .iter()
        .any(|l| l.code == code && l.modifiers.iter().any(|m| m == "KX"))
}

#[test]
fn kx_exact_threshold_cases() {
    let date = day();
    // ytd + 6000 reaches 248000 exactly on the 97110 line.
    let c = run(&kx_visit(242_000, date));
    assert!(kx_on(&c, "97110") && kx_on(&c, "97140"));
    // One cent less: 97110 leaves the total at 247999; 97140 crosses.
    let c = run(&kx_visit(241_999, date));
    assert!(!kx_on(&c, "97110") && kx_on(&c, "97140"));
    // Far below: no KX at all.
    let c = run(&kx_visit(100_000, date));
    assert!(!kx_on(&c, "97110") && !kx_on(&c, "97140"));
    assert!(!crate::has_finding(&c, FindingKind::KxApplied));
    // Already over: every line.
    let c = run(&kx_visit(300_000, date));
    assert!(kx_on(&c, "97110") && kx_on(&c, "97140"));
    assert!(crate::has_finding(&c, FindingKind::KxApplied));
    assert!(crate::has_finding(&c, FindingKind::ReviewThreshold));
}

#[test]
fn kx_uses_each_years_threshold() {
    let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).expect("date");
    // 232,000 + 8,500 = 240,500: over 2024's $2,330, under 2025's $2,410.
    assert!(kx_on(&run(&kx_visit(232_000, d(2024))), "97140"));
    assert!(!kx_on(&run(&kx_visit(232_000, d(2025))), "97140"));
    assert!(kx_on(&run(&kx_visit(233_000, d(2025))), "97140"));
    assert!(!kx_on(&run(&kx_visit(233_000, d(2026))), "97140"));
    let c = run(&kx_visit(300_000, d(2030)));
    assert!(crate::has_finding(&c, FindingKind::KxUnknownYear));
    assert!(!kx_on(&c, "97110"));
}

#[test]
fn kx_counts_cq_lines_at_85_percent_and_flags_missing_fees() {
    let mut v = with_pta(Cms, &[("97110", 15, 15), ("97112", 15, 0)]);
    v.fees = [("97110".to_owned(), Cents(3000))].into();
    v.ytd_allowed = Some(Cents(0));
    let c = run(&v);
    assert_eq!(line(&c, "97110", true).and_then(|l| l.allowed_cents), Some(Cents(2550)));
    assert!(crate::has_finding(&c, FindingKind::KxMissingFee));
}

#[test]
fn kx_goes_on_a_line_without_a_fee_once_the_threshold_is_reached() {
    // Errata 2026-12 of billing-rules.md (Noridian: claims above the threshold without KX
    // are denied): a missing fee is never a reason to leave KX off past the threshold.
    let mut v = kx_visit(300_000, day());
    v.fees = [("97110".to_owned(), Cents(3000))].into();
    let c = run(&v);
    assert!(
        kx_on(&c, "97110") && kx_on(&c, "97140"),
        "97140 has no fee and still carries KX"
    );
    assert!(crate::has_finding(&c, FindingKind::KxMissingFee));
    // Below the threshold a line without a fee adds nothing and carries no KX.
    let mut v = kx_visit(100_000, day());
    v.fees.clear();
    assert!(!kx_on(&run(&v), "97140"));
}

#[test]
fn kx_off_for_payers_without_it() {
    let mut v = kx_visit(300_000, day());
    v.payer.kx = false;
    let c = run(&v);
    assert!(!kx_on(&c, "97110"));
}

#[test]
fn distinct_pairs_get_59_on_column_two() {
    let mut v = visit(Cms, &[("97530", 23), ("97140", 23)]);
    let c = run(&v);
    assert!(crate::has_finding(&c, FindingKind::NcciNeedsDistinct));
    assert!(c.lines.iter().all(|l| l.modifiers == ["GP"]));

    v.distinct_pairs = vec![["97140".into(), "97530".into()]];
    let c = run(&v);
    assert!(!crate::has_finding(&c, FindingKind::NcciNeedsDistinct));
    let l140 = c.lines.iter().find(|l| l.code == "97140").expect("97140");
    assert_eq!(l140.modifiers, ["GP", "59"]);
    let l530 = c.lines.iter().find(|l| l.code == "97530").expect("97530");
    assert_eq!(l530.modifiers, ["GP"], "column 1 takes no modifier");

    v.payer.distinct_modifier = DistinctModifier::Xu;
    let c = run(&v);
    let l140 = c.lines.iter().find(|l| l.code == "97140").expect("97140");
    assert_eq!(l140.modifiers, ["GP", "XU"]);
}

/// A line as a claim holds it: code and modifiers, one unit.
struct Billed(&'static str, Vec<Modifier>);

impl stride_coding::edits::BilledLine for Billed {
    fn code(&self) -> &str {
        self.0
    }
    fn units(&self) -> u32 {
        1
    }
    fn modifiers(&self) -> &[Modifier] {
        &self.1
    }
    fn allowed(&self) -> Option<Cents> {
        None
    }
}

fn billed(code: &'static str, modifiers: &[&str]) -> Billed {
    Billed(
        code,
        modifiers
            .iter()
            .map(|m| Modifier::parse(m).expect("a modifier"))
            .collect(),
    )
}

fn ncci_kinds(lines: &[Billed]) -> Vec<FindingKind> {
    stride_coding::edits::ncci_findings(crate::rules(), day(), lines, Modifier::DISTINCT_59)
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

#[test]
fn a_distinct_modifier_on_either_code_of_the_pair_is_accepted() {
    // Billing-rules errata 2026-12: Medicare Part B accepts 59 or an X modifier on either
    // code of an indicator-1 pair (FCSO, since 2019-07-01). 97530/97140 is indicator 1.
    assert_eq!(
        ncci_kinds(&[billed("97530", &["GP"]), billed("97140", &["GP"])]),
        [FindingKind::NcciNeedsDistinct]
    );
    for lines in [
        [billed("97530", &["GP"]), billed("97140", &["GP", "59"])],
        [billed("97530", &["GP", "XU"]), billed("97140", &["GP"])],
        [billed("97530", &["GP", "XS"]), billed("97140", &["GP", "XE"])],
    ] {
        assert!(ncci_kinds(&lines).is_empty());
    }
    // GP or CQ is not a distinct-service modifier.
    assert!(!ncci_kinds(&[billed("97530", &["GP", "CQ"]), billed("97140", &["GP"])]).is_empty());
}

#[test]
fn reevaluation_pairs_need_the_modifier_on_97164() {
    // Billing-rules errata 2026-12 (and §4.4): payers deny the 97164 line of a pair when
    // it lacks the modifier, so the modifier on the other code does not do.
    assert_eq!(
        ncci_kinds(&[billed("97164", &["GP"]), billed("97530", &["GP", "59"])]),
        [FindingKind::NcciNeedsDistinct]
    );
    assert!(ncci_kinds(&[billed("97164", &["GP", "59"]), billed("97530", &["GP"])]).is_empty());
    // The engine puts it there when the clinician marks the pair.
    let mut v = visit(Cms, &[("97164", 0), ("97530", 23)]);
    v.distinct_pairs = vec![["97530".into(), "97164".into()]];
    let c = run(&v);
    let reeval = c.lines.iter().find(|l| l.code == "97164").expect("97164");
    assert_eq!(reeval.modifiers, ["GP", "59"]);
    assert!(!crate::has_finding(&c, FindingKind::NcciNeedsDistinct));
}

#[test]
fn a_tied_unit_between_pt_and_pta_is_the_assistants_whatever_the_order() {
    // 97110 by the PT alone and 97140 by the PTA alone, 10 minutes each: 20 pooled minutes
    // bill one unit (Pub 100-04 Ch.5 §20.2), tied on leftover minutes. The de minimis
    // standard (Pub 100-04 Ch.5 §20.1; CY 2022 PFS final rule) puts the PTA's minutes
    // in that unit, so it bills with CQ, and typing order or a tie-break choice cannot
    // move it to the PT.
    for services in [
        [("97110", 10, 0), ("97140", 10, 10)],
        [("97140", 10, 10), ("97110", 10, 0)],
    ] {
        let mut v = with_pta(Cms, &services);
        v.tie_break = vec!["97110".into()];
        let c = run(&v);
        assert_eq!(c.lines.len(), 1, "{c:?}");
        assert_eq!(c.lines[0].code, "97140");
        assert_eq!(c.lines[0].modifiers, ["GP", "CQ"]);
        assert!(
            c.lines[0]
                .explanation
                .to_string()
                .contains("PT assistant furnished part of it"),
            "{}",
            c.lines[0].explanation
        );
    }
}

#[test]
fn modifier_order_is_gp_cq_kx_59() {
    let mut v = with_pta(Cms, &[("97530", 23, 0), ("97140", 23, 23)]);
    v.distinct_pairs = vec![["97530".into(), "97140".into()]];
    v.ytd_allowed = Some(Cents(300_000));
    v.fees = [("97530".to_owned(), Cents(3500)), ("97140".to_owned(), Cents(3000))].into();
    let c = run(&v);
    let l = line(&c, "97140", true).expect("97140 CQ line");
    assert_eq!(l.modifiers, ["GP", "CQ", "KX", "59"]);
}

#[test]
fn pta_minutes_on_an_evaluation_are_an_error_never_cq() {
    // Pub 100-02 Ch.15 §230.1: a PTA may not furnish evaluative or assessment services;
    // errata 2026-12 of billing-rules.md: PTA minutes on 97161-97164 are an error, never CQ.
    for code in ["97161", "97162", "97163", "97164"] {
        let c = run(&with_pta(Cms, &[(code, 40, 20), ("97110", 30, 30)]));
        assert!(line(&c, code, true).is_none(), "{code} never carries CQ");
        let finding = c
            .findings
            .iter()
            .find(|f| f.kind == FindingKind::PtaEvaluation)
            .expect("an error about the PTA's minutes");
        assert_eq!(finding.severity, stride_coding::Severity::Error);
        assert_eq!(finding.codes, [code]);
        // The PTA's treatment minutes still carry CQ as before.
        assert!(line(&c, "97110", true).is_some());
    }
    // A PT's evaluation alone raises nothing.
    let c = run(&with_pta(Cms, &[("97161", 40, 0)]));
    assert!(c.findings.iter().all(|f| f.kind != FindingKind::PtaEvaluation));
}

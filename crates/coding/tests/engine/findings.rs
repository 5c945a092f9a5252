//! NCCI, MUE and the biller's warnings.

use crate::{has_finding, run, units_of, visit};
use chrono::NaiveDate;
use stride_coding::FindingKind::*;
use stride_coding::UnitMethod::{Ama, Cms};
use stride_coding::mue::MueTable;
use stride_coding::ncci::PtpTable;
use stride_coding::{RuleSet, Severity, code_visit};

#[test]
fn timed_minutes_under_eight() {
    let c = run(&visit(Cms, &[("97110", 5), ("97140", 2)]));
    assert!(has_finding(&c, UnderEightMinutes));
    assert!(c.lines.is_empty());
    let c = run(&visit(Ama, &[("97110", 23), ("97140", 5)]));
    let f = c
        .findings
        .iter()
        .find(|f| f.kind == UnderEightMinutes)
        .expect("AMA per-code warning");
    assert_eq!(f.codes, ["97140"]);
    let c = run(&visit(Cms, &[("97110", 8)]));
    assert!(!has_finding(&c, UnderEightMinutes));
}

#[test]
fn total_treatment_time_below_timed_minutes() {
    let mut v = visit(Cms, &[("97110", 30), ("97140", 10)]);
    v.total_treatment_minutes = Some(39);
    assert!(has_finding(&run(&v), TotalTimeBelowTimed));
    v.total_treatment_minutes = Some(40);
    assert!(!has_finding(&run(&v), TotalTimeBelowTimed));
}

#[test]
fn medicare_and_97014() {
    // Errata 2026-12 of billing-rules.md: 97014 is not payable by Medicare; the line is
    // G0283 (unattended electrical stimulation, not for wound care), and says why.
    let c = run(&visit(Cms, &[("97014", 15)]));
    let codes: Vec<&str> = c.lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["G0283"]);
    let why = c.lines[0].explanation.to_string();
    assert!(
        why.contains("Documented as 97014") && why.contains("billed as G0283"),
        "{why}"
    );
    // Documented under both codes, one line.
    let both = run(&visit(Cms, &[("97014", 10), ("G0283", 5)]));
    assert_eq!(both.lines.len(), 1);
    assert_eq!(both.lines[0].minutes, 15);
    let mut v = visit(Ama, &[("97014", 15)]);
    assert_eq!(run(&v).lines[0].code, "97014", "commercial payers take 97014");
    v.payer.medicare = true;
    assert_eq!(run(&v).lines[0].code, "G0283");
    assert!(has_finding(&run(&visit(Cms, &[("97010", 10)])), MedicareBundled));
}

#[test]
fn group_time_pooled_with_one_on_one() {
    let mut v = visit(Cms, &[("97150", 30), ("97110", 25)]);
    assert!(has_finding(&run(&v), GroupWithOneOnOne), "no total: ask to confirm");
    v.total_treatment_minutes = Some(40);
    let c = run(&v);
    assert!(
        has_finding(&c, GroupWithOneOnOne),
        "55 minutes claimed in a 40-minute session"
    );
    assert_eq!(units_of(&c, "97150"), 1);
    assert_eq!(c.timed_minutes, 25, "group minutes never join the timed pool");
    v.total_treatment_minutes = Some(55);
    assert!(!has_finding(&run(&v), GroupWithOneOnOne));
}

#[test]
fn ncci_indicator_zero_leaves_column_two_off_the_bill() {
    // MLN1783722: with modifier indicator 0 column 1 is paid and column 2 denied, and no
    // modifier bypasses it. The service stays documented (Pub 100-02 Ch.15 §220.3); the
    // bill shows which code is not payable and why.
    let c = run(&visit(Cms, &[("97163", 60), ("97161", 30)]));
    assert_eq!(units_of(&c, "97161"), 0, "never on the bill");
    assert_eq!(units_of(&c, "97163"), 1);
    let unbilled = c
        .unbilled
        .iter()
        .find(|u| u.code == "97161")
        .expect("shown as unbilled");
    assert!(
        unbilled.reason.to_string().contains("not payable with 97163"),
        "{}",
        unbilled.reason
    );
    let f = c.findings.iter().find(|f| f.kind == NcciBundled).expect("said");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.kind.is_billing_edit());
    assert!(!has_finding(&c, NcciNotAllowed), "nothing on the lines left to deny");
}

#[test]
fn ncci_edits_follow_the_date_of_service() {
    let mut v = visit(Cms, &[("97161", 45), ("97530", 23)]);
    v.date = NaiveDate::from_ymd_opt(2020, 1, 10).expect("date");
    assert!(has_finding(&run(&v), NcciBundled), "in force in early January 2020");
    v.date = NaiveDate::from_ymd_opt(2020, 2, 10).expect("date");
    assert!(!has_finding(&run(&v), NcciBundled), "deleted after advocacy");
}

#[test]
fn units_above_mue() {
    // 97032 is MAI 3 (clinical) at 4 in the sample: five units are an error that needs a
    // person's decision, and nothing is cut silently.
    let c = run(&visit(Cms, &[("97032", 75)]));
    assert_eq!(units_of(&c, "97032"), 5);
    let f = c.findings.iter().find(|f| f.kind == MueExceeded).expect("over the MUE");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.kind.is_billing_edit(), "it never stops a signature");
    assert!(!has_finding(&run(&visit(Cms, &[("97032", 60)])), MueExceeded));
}

#[test]
fn mue_adjudication_follows_its_indicator() {
    // Billing-rules errata 2026-12 (Palmetto GBA: a line above its MUE is denied whole):
    // MAI 1 per line, MAI 2 per date and absolute (cap, show the excess unbilled), MAI 3
    // per date and clinical (an error for a person's decision).
    let table = |mai: &str| {
        let mut rules = RuleSet::builtin().expect("rules");
        rules.mue = MueTable::parse_cms_practitioner(format!("97110,2,\"{mai}\",x\n").as_bytes()).expect("mue");
        rules
    };
    let four_units = visit(Cms, &[("97110", 60)]);
    let policy = code_visit(&four_units, &table("2 Date of Service Edit: Policy")).expect("codes");
    assert_eq!(units_of(&policy, "97110"), 2, "capped at the edit");
    let capped = policy
        .unbilled
        .iter()
        .find(|u| u.code == "97110")
        .expect("the excess, unbilled");
    assert!(
        capped.reason.to_string().contains("2 units not billed"),
        "{}",
        capped.reason
    );
    assert!(
        policy
            .findings
            .iter()
            .any(|f| f.kind == MueCapped && f.severity == Severity::Warning)
    );
    assert!(!has_finding(&policy, MueExceeded), "nothing above the edit is billed");
    // Split between a PT's and a PTA's lines, the day is capped as a whole.
    let mut split = visit(Cms, &[("97110", 60)]);
    split.services[0].pta_minutes = 30;
    let c = code_visit(&split, &table("2 Date of Service Edit: Policy")).expect("codes");
    assert_eq!(units_of(&c, "97110"), 2);
    assert!(c.lines.iter().all(|l| l.units > 0));
    let clinical = code_visit(&four_units, &table("3 Date of Service Edit: Clinical")).expect("codes");
    assert_eq!(
        units_of(&clinical, "97110"),
        4,
        "billed as documented, for a person to decide"
    );
    assert!(
        clinical
            .findings
            .iter()
            .any(|f| f.kind == MueExceeded && f.severity == Severity::Error)
    );
    let line = code_visit(&four_units, &table("1 Line Edit")).expect("codes");
    assert!(
        line.findings
            .iter()
            .any(|f| f.kind == MueExceeded && f.severity == Severity::Error)
    );
}

#[test]
fn imported_tables_replace_the_samples() {
    let mut rules = RuleSet::builtin().expect("rules");
    rules.ptp = PtpTable::parse_cms_practitioner(b"97110\t97112\t\t20200101\t*\t0\tMutually exclusive procedures\r\n")
        .expect("ptp");
    rules.mue = MueTable::parse_cms_practitioner(b"97110,1,\"2 Date of Service Edit: Policy\",x\n").expect("mue");
    let c = code_visit(&visit(Cms, &[("97110", 30), ("97112", 15)]), &rules).expect("codes");
    assert!(has_finding(&c, NcciBundled));
    assert!(has_finding(&c, MueCapped));
    let c = code_visit(&visit(Cms, &[("97530", 23), ("97140", 23)]), &rules).expect("codes");
    assert!(!has_finding(&c, NcciNeedsDistinct), "the sample pair is gone");
}

#[test]
fn unused_inputs_are_reported() {
    let mut v = visit(Cms, &[("97110", 30)]);
    v.tie_break = vec!["97112".into()];
    v.distinct_pairs = vec![["97530".into(), "97140".into()]];
    let c = run(&v);
    assert_eq!(c.findings.iter().filter(|f| f.kind == UnusedInput).count(), 2);
}

#[test]
fn unlisted_codes_need_a_description() {
    assert!(has_finding(&run(&visit(Cms, &[("97139", 15)])), UnlistedCode));
}

#[test]
fn dry_needling_is_untimed_never_pooled_and_not_covered_by_medicare() {
    // Errata 2026-12 of billing-rules.md: CPT 20560 (1-2 muscles) and 20561 (3+), untimed,
    // one unit, not pooled with the 15-minute codes; Medicare does not cover dry needling
    // furnished by a PT (NCD 30.3.3 covers it only as acupuncture for chronic low back pain).
    let mut v = visit(Ama, &[("20561", 12), ("97110", 30)]);
    let commercial = run(&v);
    assert_eq!(units_of(&commercial, "20561"), 1);
    assert_eq!(
        commercial.timed_minutes, 30,
        "needling minutes never join the timed pool"
    );
    assert!(
        !has_finding(&commercial, MedicareNotCovered),
        "commercial payers decide for themselves"
    );
    v.payer.medicare = true;
    let medicare = run(&v);
    let finding = medicare
        .findings
        .iter()
        .find(|f| f.kind == MedicareNotCovered)
        .expect("not covered");
    assert_eq!(finding.codes, ["20561"]);
    let cms = run(&visit(Cms, &[("20560", 10), ("97140", 8)]));
    assert_eq!((units_of(&cms, "20560"), cms.timed_units), (1, 1));
}

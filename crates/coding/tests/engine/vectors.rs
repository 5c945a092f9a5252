//! Golden vectors from billing-rules.md.

use crate::{run, units_of, visit};
use stride_coding::UnitMethod::{Ama, Cms};

/// Checks that `services` bill `expected` (code, units) and `total` timed units.
fn check(method: stride_coding::UnitMethod, services: &[(&str, u32)], expected: &[(&str, u32)], total: u32) {
    let c = run(&visit(method, services));
    assert_eq!(c.timed_units, total, "{method:?} {services:?}: total");
    for &(code, units) in expected {
        assert_eq!(units_of(&c, code), units, "{method:?} {services:?}: {code}");
    }
    assert_eq!(c.total_units(), total, "{method:?} {services:?}: lines add up");
    assert!(c.lines.iter().all(|l| l.units > 0), "only lines with units appear");
}

#[test]
fn cms_example_1_more_units_to_the_longer_service() {
    check(Cms, &[("97112", 24), ("97110", 23)], &[("97112", 2), ("97110", 1)], 3);
}

#[test]
fn cms_example_2_equal_times_never_three_of_one() {
    let c = run(&visit(Cms, &[("97112", 20), ("97110", 20)]));
    assert_eq!(c.timed_units, 3);
    let (a, b) = (units_of(&c, "97112"), units_of(&c, "97110"));
    assert!((a, b) == (2, 1) || (a, b) == (1, 2), "{a} {b}");
    // The documented tie-break: the lower code, whatever the order typed, and the line
    // says so.
    assert_eq!((a, b), (1, 2));
    let reversed = run(&visit(Cms, &[("97110", 20), ("97112", 20)]));
    assert_eq!((units_of(&reversed, "97112"), units_of(&reversed, "97110")), (1, 2));
    assert!(
        c.lines[1].explanation.to_string().contains("tied with 97112"),
        "{}",
        c.lines[1].explanation
    );
}

#[test]
fn cms_example_3_seven_minutes_beats_a_smaller_leftover() {
    check(Cms, &[("97110", 33), ("97140", 7)], &[("97110", 2), ("97140", 1)], 3);
}

#[test]
fn cms_example_4_four_codes_three_units() {
    check(
        Cms,
        &[("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)],
        &[("97110", 1), ("97140", 1), ("97116", 1), ("97035", 0)],
        3,
    );
    let c = run(&visit(
        Cms,
        &[("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)],
    ));
    assert_eq!(c.unbilled.len(), 1);
    assert_eq!(c.unbilled[0].code, "97035");
}

#[test]
fn cms_example_5_three_sevens_bill_one_unit() {
    let c = run(&visit(Cms, &[("97112", 7), ("97110", 7), ("97140", 7)]));
    assert_eq!(c.timed_units, 1);
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.unbilled.len(), 2);
}

#[test]
fn cms_boundary_vectors() {
    check(Cms, &[("97110", 7)], &[("97110", 0)], 0);
    check(Cms, &[("97110", 8)], &[("97110", 1)], 1);
    check(Cms, &[("97110", 22)], &[("97110", 1)], 1);
    check(Cms, &[("97110", 23)], &[("97110", 2)], 2);
    check(Cms, &[("97110", 5), ("97140", 3)], &[("97110", 1), ("97140", 0)], 1);
    check(Cms, &[("97110", 16), ("97140", 6)], &[("97110", 1), ("97140", 0)], 1);
    check(Cms, &[("97110", 15), ("97140", 8)], &[("97110", 1), ("97140", 1)], 2);
    check(Cms, &[("97110", 30), ("97140", 8)], &[("97110", 2), ("97140", 1)], 3);
    check(Cms, &[("97110", 45), ("97140", 7)], &[("97110", 3), ("97140", 0)], 3);
    check(Cms, &[("97110", 45), ("97140", 8)], &[("97110", 3), ("97140", 1)], 4);
    check(
        Cms,
        &[("97110", 14), ("97140", 14), ("97112", 14)],
        &[("97110", 1), ("97140", 1), ("97112", 1)],
        3,
    );
    check(Cms, &[("97110", 29), ("97140", 16)], &[("97110", 2), ("97140", 1)], 3);
    // Tie at 5/5 leftovers: more total minutes takes it by default.
    check(Cms, &[("97110", 20), ("97112", 5)], &[("97110", 2), ("97112", 0)], 2);
}

#[test]
fn cms_three_tens_tie_two_units() {
    let c = run(&visit(Cms, &[("97110", 10), ("97140", 10), ("97112", 10)]));
    assert_eq!(c.timed_units, 2);
    assert_eq!(c.lines.len(), 2);
    assert!(c.lines.iter().all(|l| l.units == 1));
}

#[test]
fn clinician_override_takes_the_tied_unit() {
    let mut v = visit(Cms, &[("97112", 20), ("97110", 20)]);
    v.tie_break = vec!["97110".into()];
    let c = run(&v);
    assert_eq!((units_of(&c, "97112"), units_of(&c, "97110")), (1, 2));
    let line = c.lines.iter().find(|l| l.code == "97110").expect("97110 line");
    assert!(
        line.explanation.to_string().contains("the clinician chose it"),
        "{}",
        line.explanation
    );
}

#[test]
fn same_code_entered_twice_is_merged() {
    check(
        Cms,
        &[("97110", 10), ("97140", 7), ("97110", 13)],
        &[("97110", 2), ("97140", 0)],
        2,
    );
    let c = run(&visit(Cms, &[("97110", 10), ("97110", 13)]));
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].minutes, 23);
}

#[test]
fn ama_comparison_table() {
    check(
        Ama,
        &[("97110", 10), ("97140", 10), ("97112", 10)],
        &[("97110", 1), ("97140", 1), ("97112", 1)],
        3,
    );
    check(Ama, &[("97112", 24), ("97110", 23)], &[("97112", 2), ("97110", 2)], 4);
    check(Ama, &[("97110", 33), ("97140", 7)], &[("97110", 2), ("97140", 0)], 2);
    check(Ama, &[("97112", 20), ("97110", 20)], &[("97112", 1), ("97110", 1)], 2);
    check(
        Ama,
        &[("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8)],
        &[("97110", 1), ("97140", 1), ("97116", 1), ("97035", 1)],
        4,
    );
    check(Ama, &[("97110", 5), ("97140", 3)], &[], 0);
    check(Ama, &[("97110", 23), ("97035", 7)], &[("97110", 2), ("97035", 0)], 2);
}

#[test]
fn cms_in_touch_example() {
    check(Cms, &[("97110", 23), ("97035", 7)], &[("97110", 2), ("97035", 0)], 2);
}

#[test]
fn untimed_codes_bill_one_unit_and_never_pool() {
    for method in [Cms, Ama] {
        let c = run(&visit(method, &[("97162", 45), ("97110", 5), ("97012", 15)]));
        assert_eq!(units_of(&c, "97162"), 1, "{method:?}");
        assert_eq!(units_of(&c, "97012"), 1, "{method:?}");
        assert_eq!(units_of(&c, "97110"), 0, "the eval's minutes do not help 97110");
        assert_eq!(c.timed_minutes, 5);
        assert_eq!(c.timed_units, 0);
    }
    let c = run(&visit(Cms, &[("97164", 0)]));
    assert_eq!(units_of(&c, "97164"), 1, "untimed bills whatever its minutes");
}

#[test]
fn caregiver_codes_are_counted_apart() {
    let c = run(&visit(Cms, &[("97550", 30), ("97551", 15), ("97110", 5)]));
    assert_eq!(units_of(&c, "97550"), 1);
    assert_eq!(units_of(&c, "97551"), 1);
    assert_eq!(units_of(&c, "97110"), 0, "caregiver minutes never pool with 97110");
    let c = run(&visit(Cms, &[("97550", 15)]));
    assert_eq!(
        units_of(&c, "97550"),
        0,
        "15 minutes does not pass the 30-minute mid-point"
    );
    let c = run(&visit(Cms, &[("97551", 20)]));
    assert_eq!(units_of(&c, "97551"), 0, "an add-on without its base");
    assert!(crate::has_finding(&c, stride_coding::FindingKind::AddOnWithoutBase));
}

#[test]
fn every_line_explains_itself() {
    let c = run(&visit(Cms, &[("97112", 24), ("97110", 23), ("97161", 40)]));
    let l = c.lines.iter().find(|l| l.code == "97112").expect("97112");
    assert!(
        l.explanation.to_string().contains("47 timed minutes allow 3 units"),
        "{}",
        l.explanation
    );
    assert!(
        l.explanation.to_string().contains("9 leftover minutes"),
        "{}",
        l.explanation
    );
    let eval = c.lines.iter().find(|l| l.code == "97161").expect("97161");
    assert!(eval.explanation.to_string().contains("untimed"), "{}", eval.explanation);
    let ama = run(&visit(Ama, &[("97110", 33)]));
    assert!(
        ama.lines[0].explanation.to_string().contains("23-37 minute range"),
        "{}",
        ama.lines[0].explanation
    );
}

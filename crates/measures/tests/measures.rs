//! Integration tests of outcome-measure scoring.
//!
//! - every test vector of pt-emr-landscape.md §5 (ODI, NDI, QuickDASH, LEFS, Berg, PSFS);
//! - MCID and MDC boundaries, exact at the threshold, and the trend's MCID band on them;
//! - direction (lower is better for ODI, NDI, QuickDASH, TUG);
//! - errors a clinician can act on, and no panics;
//! - PSFS re-rating;
//! - proptest invariants over every built-in measure.

use proptest::prelude::*;
use stride_measures::{
    Activity, Answers, Decimal, Direction, Fraction, McidBand, MeasureCatalog, MeasureDef, MeasureError,
    NotReratedReason, Score, ScoreStatus, Trend, check_rerated, compare, mcid_band, score,
};

fn def(id: &str) -> &'static MeasureDef {
    MeasureCatalog::builtin()
        .expect("builtin catalog")
        .get(id)
        .expect("measure in the catalog")
}

fn frac(n: i64, d: i64) -> Fraction {
    Fraction::new(n, d).expect("fraction")
}

fn scored(id: &str, answers: &Answers) -> Score {
    score(def(id), answers).expect("valid answers")
}

/// Whole-number answers: `answered` of them spread to sum to `sum`, then `None`s up to `len`.
fn answers_summing(len: usize, answered: usize, sum: i32, min: i32, max: i32) -> Answers {
    let mut left = sum - min * answered as i32;
    let mut items = Vec::with_capacity(len);
    for _ in 0..answered {
        let v = left.min(max - min);
        left -= v;
        items.push(Some(min + v));
    }
    assert_eq!(left, 0, "sum {sum} not reachable");
    items.resize(len, None);
    Answers::whole(&items)
}

fn psfs(ratings: &[(&str, Option<i32>)]) -> Answers {
    Answers::Activities(
        ratings
            .iter()
            .map(|&(id, r)| Activity::new(id, format!("Activity {id}"), r))
            .collect(),
    )
}

fn lefs_total(total: i32) -> Score {
    scored("lefs", &answers_summing(20, 20, total, 0, 4))
}

fn decimal(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

// ---------------------------------------------------------------------------------------
// The §5 test vectors.

#[test]
fn odi_all_ten_answered_sum_16_is_32_percent() {
    let s = scored("odi", &answers_summing(10, 10, 16, 0, 5));
    assert_eq!(s.value, Some(frac(32, 1)));
    assert_eq!(s.status, ScoreStatus::Complete);
    assert_eq!((s.answered, s.asked), (10, 10));
    assert_eq!(s.display(), "32.0%");
}

#[test]
fn ndi_all_ten_answered_sum_16_is_32_percent() {
    let s = scored("ndi", &answers_summing(10, 10, 16, 0, 5));
    assert_eq!(s.value, Some(frac(32, 1)));
    assert_eq!(s.display(), "32.0%");
}

#[test]
fn odi_nine_answered_sum_16_is_16_of_45() {
    let s = scored("odi", &answers_summing(10, 9, 16, 0, 5));
    // Exact: 16/45 × 100 = 320/9 = 35.555…; half-up only when shown.
    assert_eq!(s.value, Some(frac(320, 9)));
    assert_eq!(s.status, ScoreStatus::Partial);
    assert_eq!((s.answered, s.asked), (9, 10));
    assert_eq!(s.rounded(), Some(decimal("35.56")));
    assert_eq!(s.display(), "35.6%");
    assert_ne!(s.rounded(), Some(decimal("35.5")), "truncation is not the rule");
}

#[test]
fn ndi_nine_answered_sum_16_is_16_of_45() {
    let s = scored("ndi", &answers_summing(10, 9, 16, 0, 5));
    assert_eq!(s.value, Some(frac(320, 9)));
}

#[test]
fn odi_missing_section_can_be_any_one() {
    let mut items = vec![Some(2); 10];
    items[7] = None; // the section most often left blank
    let s = scored("odi", &Answers::whole(&items));
    assert_eq!(s.value, Some(frac(40, 1))); // 18/45
}

#[test]
fn quickdash_eleven_answered_sum_33_is_50() {
    let s = scored("quickdash", &answers_summing(11, 11, 33, 1, 5));
    assert_eq!(s.value, Some(frac(50, 1)));
    assert_eq!(s.status, ScoreStatus::Complete);
    assert_eq!(s.display(), "50.0");
}

#[test]
fn quickdash_ten_answered_sum_30_is_50() {
    let s = scored("quickdash", &answers_summing(11, 10, 30, 1, 5));
    assert_eq!(s.value, Some(frac(50, 1)));
    assert_eq!(s.status, ScoreStatus::Partial);
}

#[test]
fn quickdash_nine_answered_is_no_score() {
    let s = scored("quickdash", &answers_summing(11, 9, 27, 1, 5));
    assert_eq!(s.value, None);
    assert!(!s.is_scored());
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 10 });
    assert_eq!((s.answered, s.asked), (9, 11));
    assert_eq!(s.display(), "no score");
    assert_eq!(
        s.status_sentence(),
        "No score: 9 of 11 answered, and at least 10 are needed."
    );
}

#[test]
fn lefs_all_fours_is_80() {
    let s = scored("lefs", &Answers::whole(&[Some(4); 20]));
    assert_eq!(s.value, Some(frac(80, 1)));
    assert_eq!(s.display(), "80.0");
}

#[test]
fn berg_all_fours_is_56() {
    let s = scored("berg", &Answers::whole(&[Some(4); 14]));
    assert_eq!(s.value, Some(frac(56, 1)));
}

#[test]
fn psfs_3_5_7_is_5() {
    let s = scored("psfs", &psfs(&[("a", Some(3)), ("b", Some(5)), ("c", Some(7))]));
    assert_eq!(s.value, Some(frac(5, 1)));
    assert_eq!(s.display(), "5.0");
}

#[test]
fn psfs_change_of_2_is_real_change_and_1_is_not() {
    let d = def("psfs");
    let base = scored("psfs", &psfs(&[("a", Some(3)), ("b", Some(5)), ("c", Some(7))]));
    let plus2 = scored("psfs", &psfs(&[("a", Some(5)), ("b", Some(7)), ("c", Some(9))]));
    let c = compare(d, &base, &plus2);
    assert_eq!(c.trend, Trend::Improved);
    assert!(c.reaches_mdc());
    assert_eq!(c.difference, Some(frac(2, 1)));
    // 1 point on the average (3 points on one of three activities) is not a real change.
    let plus1 = scored("psfs", &psfs(&[("a", Some(6)), ("b", Some(5)), ("c", Some(7))]));
    let c = compare(d, &base, &plus1);
    assert_eq!(c.trend, Trend::Improved);
    assert!(!c.reaches_mdc());
    // 5/3 on the average is still below 2.
    let plus5_3 = scored("psfs", &psfs(&[("a", Some(8)), ("b", Some(5)), ("c", Some(7))]));
    assert!(!compare(d, &base, &plus5_3).reaches_mdc());
    // A drop of 2 is a real change too, the other way.
    let c = compare(d, &plus2, &base);
    assert_eq!(c.trend, Trend::Worsened);
    assert!(c.reaches_mdc());
}

// ---------------------------------------------------------------------------------------
// MCID and MDC boundaries.

#[test]
fn lefs_change_of_exactly_9_meets_the_mcid_and_8_does_not() {
    let d = def("lefs");
    let c = compare(d, &lefs_total(40), &lefs_total(49));
    assert_eq!(c.trend, Trend::Improved);
    assert!(c.reaches_mcid() && c.reaches_mdc() && c.is_important_improvement());
    assert_eq!(
        c.sentence,
        "LEFS improved by 9.0 points (40.0 to 49.0), reaching the MCID of 9 points and the MDC of 9 points."
    );
    let c = compare(d, &lefs_total(40), &lefs_total(48));
    assert_eq!(c.trend, Trend::Improved);
    assert!(!c.reaches_mcid() && !c.is_important_improvement());
    assert_eq!(
        c.sentence,
        "LEFS improved by 8.0 points (40.0 to 48.0), below the MCID of 9 points and the MDC of 9 points."
    );
}

#[test]
fn the_mcid_band_ends_where_an_improvement_reaches_the_mcid() {
    // LEFS, higher is better, MCID 9: from 40 up to 49, the score compare calls reached.
    let band = mcid_band(def("lefs"), &lefs_total(40)).expect("LEFS has an MCID");
    assert_eq!(
        band,
        McidBand {
            from: frac(40, 1),
            mcid: Decimal::whole(9),
            to: frac(49, 1)
        }
    );
    assert!(compare(def("lefs"), &lefs_total(40), &lefs_total(49)).is_important_improvement());
    // ODI, lower is better, MCID 6, from 320/9 % (nine sections answered): down to 266/9 %,
    // exactly, not a rounded 29.56.
    let odi = scored("odi", &answers_summing(10, 9, 16, 0, 5));
    let band = mcid_band(def("odi"), &odi).expect("ODI has an MCID");
    assert_eq!(
        band,
        McidBand {
            from: frac(320, 9),
            mcid: Decimal::whole(6),
            to: frac(266, 9)
        }
    );
}

#[test]
fn no_mcid_band_without_an_mcid_or_a_first_score() {
    let berg = scored("berg", &Answers::whole(&[Some(4); 14]));
    assert_eq!(mcid_band(def("berg"), &berg), None, "Stride holds no MCID for the Berg");
    let unscored = scored("lefs", &answers_summing(20, 10, 20, 0, 4));
    assert_eq!(unscored.value, None);
    assert_eq!(mcid_band(def("lefs"), &unscored), None);
}

#[test]
fn lefs_worsening_of_9_reaches_the_mcid_but_is_no_improvement() {
    let c = compare(def("lefs"), &lefs_total(60), &lefs_total(51));
    assert_eq!(c.trend, Trend::Worsened);
    assert!(c.reaches_mcid());
    assert!(!c.is_important_improvement());
    assert_eq!(c.difference, Some(frac(-9, 1)));
}

#[test]
fn odi_mcid_boundary_is_exact_even_with_a_missing_section() {
    let d = def("odi");
    let at = |answered: usize, sum: i32| scored("odi", &answers_summing(10, answered, sum, 0, 5));
    // 32% → 26%: exactly 6 percentage points.
    let c = compare(d, &at(10, 16), &at(10, 13));
    assert!(c.reaches_mcid() && !c.reaches_mdc());
    assert_eq!(
        c.sentence,
        "ODI improved by 6.0 percentage points (32.0% to 26.0%), reaching the MCID of 6 percentage points but \
         below the MDC of 10 percentage points."
    );
    // 320/9 % (35.56) → 30%: 5.56, below 6.
    let c = compare(d, &at(9, 16), &at(10, 15));
    assert!(!c.reaches_mcid());
    // 32% → 320/9 %: worse by 3.56.
    let c = compare(d, &at(10, 16), &at(9, 16));
    assert_eq!(c.trend, Trend::Worsened);
    assert_eq!(c.difference, Some(frac(32, 9)));
    assert_eq!(
        c.sentence,
        "ODI worsened by 3.6 percentage points (32.0% to 35.6%), below the MCID of 6 percentage points and the \
         MDC of 10 percentage points."
    );
}

#[test]
fn a_change_that_rounds_to_the_mcid_but_misses_it_says_so() {
    // LEFS prorated: 25 over 19 items (500/19 = 26.32) to 30 over 17 items (600/17 = 35.29).
    // The change is 2900/323 = 8.978…, which shows as 9.0 with one place but misses 9.
    let d = def("lefs");
    let from = scored("lefs", &answers_summing(20, 19, 25, 0, 4));
    let to = scored("lefs", &answers_summing(20, 17, 30, 0, 4));
    let c = compare(d, &from, &to);
    assert_eq!(c.difference, Some(frac(2900, 323)));
    assert!(!c.reaches_mcid());
    assert_eq!(
        c.sentence,
        "LEFS improved by 8.98 points (26.3 to 35.3), below the MCID of 9 points and the MDC of 9 points."
    );
    // Without a threshold at stake one place is enough: ODI 340/9 % to 32% is 5.8 points.
    let from = scored("odi", &answers_summing(10, 9, 17, 0, 5));
    let to = scored("odi", &answers_summing(10, 10, 16, 0, 5));
    let c = compare(def("odi"), &from, &to);
    assert!(!c.reaches_mcid());
    assert!(
        c.sentence.starts_with("ODI improved by 5.8 percentage points"),
        "{}",
        c.sentence
    );
}

#[test]
fn quickdash_mcid_is_14_points() {
    let q = def("quickdash");
    // 11 answered: each point of sum is 25/11 of score; use 10-answered scores (2.5 each).
    let at = |sum: i32| scored("quickdash", &answers_summing(11, 10, sum, 1, 5));
    let c = compare(q, &at(30), &at(24)); // 50 → 35: 15 points
    assert!(c.is_important_improvement());
    let c = compare(q, &at(30), &at(25)); // 50 → 37.5: 12.5 points
    assert!(!c.reaches_mcid());
    assert_eq!(c.mdc, None);
    assert_eq!(
        c.sentence,
        "QuickDASH improved by 12.5 points (50.0 to 37.5), below the MCID of 14 points."
    );
}

#[test]
fn six_minute_walk_mcid_is_17_8_metres_exactly() {
    let d = def("6mwt");
    let walk = |m: &str| scored("6mwt", &Answers::single(decimal(m)));
    let c = compare(d, &walk("300"), &walk("317.8"));
    assert!(c.is_important_improvement());
    assert_eq!(
        c.sentence,
        "6MWT improved by 17.8 m (300.0 m to 317.8 m), reaching the MCID of 17.8 m."
    );
    let c = compare(d, &walk("300"), &walk("317.7"));
    assert!(!c.reaches_mcid());
    assert_eq!(c.trend, Trend::Improved);
}

#[test]
fn berg_mdc_depends_on_the_earlier_score() {
    let d = def("berg");
    let berg = |total: i32| scored("berg", &answers_summing(14, 14, total, 0, 4));
    // Baseline 45-56: 4 points.
    assert!(compare(d, &berg(46), &berg(50)).reaches_mdc());
    assert!(!compare(d, &berg(46), &berg(49)).reaches_mdc());
    // Baseline 25-34: 7 points.
    assert!(!compare(d, &berg(30), &berg(36)).reaches_mdc());
    assert!(compare(d, &berg(30), &berg(37)).reaches_mdc());
    // Baseline 35-44: 5 points; the band of the earlier score applies.
    let c = compare(d, &berg(40), &berg(45));
    assert!(c.reaches_mdc());
    assert_eq!(c.mdc.map(|m| m.threshold), Some(Decimal::whole(5)));
    assert_eq!(c.mcid, None);
    assert_eq!(
        c.sentence,
        "Berg improved by 5.0 points (40.0 to 45.0), reaching the MDC of 5 points; Stride holds no MCID for Berg."
    );
    // Baseline 0-24: 5 points.
    assert!(compare(d, &berg(10), &berg(15)).reaches_mdc());
    assert!(!compare(d, &berg(10), &berg(14)).reaches_mdc());
}

// ---------------------------------------------------------------------------------------
// Direction.

#[test]
fn odi_going_down_is_improvement_and_up_is_worsening() {
    let d = def("odi");
    let at = |sum: i32| scored("odi", &answers_summing(10, 10, sum, 0, 5));
    assert_eq!(compare(d, &at(30), &at(20)).trend, Trend::Improved);
    assert_eq!(compare(d, &at(20), &at(30)).trend, Trend::Worsened);
    assert_eq!(compare(d, &at(20), &at(20)).trend, Trend::Unchanged);
    assert_eq!(
        compare(d, &at(20), &at(20)).sentence,
        "ODI did not change (40.0% both times)."
    );
}

#[test]
fn ndi_quickdash_and_tug_are_better_lower() {
    let ndi = |sum: i32| scored("ndi", &answers_summing(10, 10, sum, 0, 5));
    let c = compare(def("ndi"), &ndi(25), &ndi(14)); // 50% → 28%: 22 points
    assert_eq!(c.trend, Trend::Improved);
    assert!(c.reaches_mcid() && c.reaches_mdc());
    let c = compare(def("ndi"), &ndi(25), &ndi(15)); // 50% → 30%: 20 points
    assert!(c.reaches_mcid() && !c.reaches_mdc());

    let qd = |sum: i32| scored("quickdash", &answers_summing(11, 11, sum, 1, 5));
    assert_eq!(compare(def("quickdash"), &qd(40), &qd(20)).trend, Trend::Improved);

    let tug = |s: &str| scored("tug", &Answers::single(decimal(s)));
    let c = compare(def("tug"), &tug("14.0"), &tug("11.9"));
    assert_eq!(c.trend, Trend::Improved);
    assert_eq!((c.mcid, c.mdc), (None, None));
    assert_eq!(
        c.sentence,
        "TUG improved by 2.1 s (14.0 s to 11.9 s); Stride holds no MCID or MDC for TUG."
    );
    assert_eq!(compare(def("tug"), &tug("11.9"), &tug("14")).trend, Trend::Worsened);
}

#[test]
fn lefs_berg_psfs_and_6mwt_are_better_higher() {
    assert_eq!(
        compare(def("lefs"), &lefs_total(50), &lefs_total(45)).trend,
        Trend::Worsened
    );
    let berg = |total: i32| scored("berg", &answers_summing(14, 14, total, 0, 4));
    assert_eq!(compare(def("berg"), &berg(40), &berg(42)).trend, Trend::Improved);
    let walk = |m: i32| scored("6mwt", &Answers::single(Decimal::whole(m)));
    assert_eq!(compare(def("6mwt"), &walk(400), &walk(350)).trend, Trend::Worsened);
}

// ---------------------------------------------------------------------------------------
// Missing items.

#[test]
fn lefs_prorates_up_to_four_missing_items() {
    let mut items = vec![Some(3); 20];
    items[0] = None;
    let s = scored("lefs", &Answers::whole(&items)); // 57 × 20 / 19 = 60
    assert_eq!(s.value, Some(frac(60, 1)));
    assert_eq!(s.status, ScoreStatus::Partial);
    items[1..4].fill(None);
    let s = scored("lefs", &Answers::whole(&items)); // 48 × 20 / 16 = 60
    assert_eq!(s.value, Some(frac(60, 1)));
    let mut uneven = vec![Some(4); 20];
    uneven[..3].fill(None);
    uneven[3] = Some(1);
    let s = scored("lefs", &Answers::whole(&uneven)); // 65 × 20 / 17 = 1300/17
    assert_eq!(s.value, Some(frac(1300, 17)));
    assert_eq!(s.display(), "76.5");
    items[4] = None;
    let s = scored("lefs", &Answers::whole(&items));
    assert_eq!(s.value, None);
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 16 });
}

#[test]
fn odi_and_ndi_allow_two_missing_sections_not_three() {
    let s = scored("odi", &answers_summing(10, 8, 16, 0, 5));
    assert_eq!(s.value, Some(frac(40, 1))); // 16/40
    let s = scored("ndi", &answers_summing(10, 7, 16, 0, 5));
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 8 });
}

#[test]
fn berg_tug_and_6mwt_need_every_answer() {
    let mut items = vec![Some(4); 14];
    items[13] = None;
    let s = scored("berg", &Answers::whole(&items));
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 14 });
    let s = scored("tug", &Answers::Items(vec![None]));
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 1 });
    assert_eq!(
        s.status_sentence(),
        "No score: 0 of 1 answered, and at least 1 is needed."
    );
}

#[test]
fn psfs_scores_whatever_activities_were_rated() {
    let s = scored(
        "psfs",
        &psfs(&[("a", Some(4)), ("b", None), ("c", Some(7)), ("d", Some(6))]),
    );
    assert_eq!(s.value, Some(frac(17, 3)));
    assert_eq!(s.status, ScoreStatus::Partial);
    assert_eq!((s.answered, s.asked), (3, 4));
    assert_eq!(s.display(), "5.7");
    let s = scored("psfs", &psfs(&[("a", None), ("b", None), ("c", None)]));
    assert_eq!(s.status, ScoreStatus::TooFewAnswered { needed: 1 });
}

#[test]
fn a_score_without_value_is_not_compared() {
    let q = def("quickdash");
    let none = scored("quickdash", &answers_summing(11, 9, 27, 1, 5));
    let some = scored("quickdash", &answers_summing(11, 11, 33, 1, 5));
    let c = compare(q, &none, &some);
    assert_eq!(c.trend, Trend::NotComparable);
    assert_eq!(c.difference, None);
    assert_eq!(
        c.sentence,
        "Cannot compare: the earlier QuickDASH has no score (9 of 11 answered; at least 10 are needed)."
    );
    assert_eq!(compare(q, &some, &none).trend, Trend::NotComparable);
}

#[test]
fn scores_of_other_measures_or_versions_are_not_compared() {
    let lefs = lefs_total(40);
    let berg = scored("berg", &Answers::whole(&[Some(3); 14]));
    let c = compare(def("lefs"), &lefs, &berg);
    assert_eq!(c.trend, Trend::NotComparable);
    assert_eq!(
        c.sentence,
        "Cannot compare: these are not both LEFS scores (lefs and berg)."
    );
    let mut old = lefs_total(30);
    old.version = "0".into();
    let c = compare(def("lefs"), &old, &lefs);
    assert_eq!(c.trend, Trend::NotComparable);
    assert!(c.sentence.contains("versions 0 and 1"), "{}", c.sentence);
}

// ---------------------------------------------------------------------------------------
// Errors.

#[test]
fn out_of_range_answers_name_the_item() {
    let mut items = vec![Some(4); 20];
    items[5] = Some(5);
    let err = score(def("lefs"), &Answers::whole(&items)).expect_err("out of range");
    assert_eq!(
        err.to_string(),
        "LEFS item 6 (Squatting): 5 is outside the allowed range 0 to 4"
    );
    let err = score(def("quickdash"), &Answers::whole(&[Some(0); 11])).expect_err("below 1");
    assert_eq!(
        err.to_string(),
        "QuickDASH item 1 (Opening a tight jar): 0 is outside the allowed range 1 to 5"
    );
    let err = score(def("tug"), &Answers::single(Decimal::whole(-1))).expect_err("negative");
    assert!(matches!(err, MeasureError::OutOfRange { .. }));
}

#[test]
fn answers_between_steps_are_refused() {
    let mut items = vec![Some(Decimal::whole(2)); 14];
    items[2] = Some(decimal("2.5"));
    let err = score(def("berg"), &Answers::Items(items)).expect_err("half point");
    assert_eq!(
        err.to_string(),
        "Berg item 3 (Sitting without back support): 2.5 is not an allowed answer; answers go from 0 in steps of 1"
    );
    let err = score(def("tug"), &Answers::single(decimal("12.34"))).expect_err("two decimals");
    assert!(err.to_string().contains("steps of 0.1"), "{err}");
    assert!(score(def("tug"), &Answers::single(decimal("12.3"))).is_ok());
}

#[test]
fn wrong_counts_and_kinds_are_refused() {
    let err = score(def("lefs"), &Answers::whole(&[Some(4); 19])).expect_err("19 answers");
    assert_eq!(
        err.to_string(),
        "LEFS has 20 items but 19 answers were given; give one answer per item and leave unanswered items empty"
    );
    let err = score(def("tug"), &Answers::whole(&[Some(10), Some(11)])).expect_err("two trials");
    assert!(matches!(
        err,
        MeasureError::WrongItemCount {
            expected: 1,
            given: 2,
            ..
        }
    ));
    let err = score(def("odi"), &psfs(&[("a", Some(1)), ("b", Some(1)), ("c", Some(1))])).expect_err("kind");
    assert_eq!(
        err.to_string(),
        "ODI is answered item by item, not with patient-chosen activities"
    );
    let err = score(def("psfs"), &Answers::whole(&[Some(3), Some(5), Some(7)])).expect_err("kind");
    assert_eq!(
        err.to_string(),
        "PSFS is answered with the patient's own activities, each rated, not item by item"
    );
}

#[test]
fn psfs_needs_three_to_five_distinct_described_activities() {
    let d = def("psfs");
    let err = score(d, &psfs(&[("a", Some(3)), ("b", Some(5))])).expect_err("two");
    assert_eq!(
        err.to_string(),
        "PSFS needs 3 to 5 activities chosen by the patient; 2 were given"
    );
    let six = psfs(&[
        ("a", Some(1)),
        ("b", Some(1)),
        ("c", Some(1)),
        ("d", Some(1)),
        ("e", Some(1)),
        ("f", Some(1)),
    ]);
    assert!(matches!(
        score(d, &six),
        Err(MeasureError::WrongActivityCount { given: 6, .. })
    ));
    let err = score(d, &psfs(&[("a", Some(3)), ("a", Some(5)), ("c", Some(7))])).expect_err("dup");
    assert_eq!(
        err.to_string(),
        "PSFS lists the activity id \"a\" twice; each activity needs its own id"
    );
    let blank = Answers::Activities(vec![
        Activity::new("a", "Stairs", Some(3)),
        Activity::new("b", "  ", Some(5)),
        Activity::new("c", "Kneeling", Some(7)),
    ]);
    let err = score(d, &blank).expect_err("blank text");
    assert_eq!(
        err.to_string(),
        "PSFS activity 2 has no description; each activity needs an id and a description so that later visits \
         can re-rate it"
    );
    let err = score(d, &psfs(&[("a", Some(11)), ("b", Some(5)), ("c", Some(7))])).expect_err("11");
    assert_eq!(
        err.to_string(),
        "PSFS activity 1 (Activity a): 11 is outside the allowed range 0 to 10"
    );
}

#[test]
fn unknown_measures_list_the_known_ones() {
    let c = MeasureCatalog::builtin().expect("builtin");
    let err = c.require("koos-jr").expect_err("not shipped");
    assert_eq!(
        err.to_string(),
        "there is no outcome measure \"koos-jr\"; the measures Stride knows are lefs, odi, ndi, quickdash, psfs, \
         berg, tug, 6mwt"
    );
    let mut s = lefs_total(10);
    s.version = "9".into();
    let err = c.definition_of(&s).expect_err("no version 9");
    assert!(err.to_string().contains("\"lefs\" in version 9"), "{err}");
    s.version = "1".into();
    assert_eq!(c.definition_of(&s).map(MeasureDef::id), Ok("lefs"));
}

#[test]
fn answers_from_json_score_like_answers_built_in_code() {
    let answers: Answers = serde_json::from_str(r#"{"items": [16.5]}"#).expect("json");
    let s = scored("tug", &answers);
    assert_eq!(s.display(), "16.5 s");
    let bad = serde_json::from_str::<Answers>(r#"{"items": [16.55, 1]}"#).expect("two places are a Decimal");
    assert!(score(def("tug"), &bad).is_err());
    assert!(serde_json::from_str::<Answers>(r#"{"items": [16.555]}"#).is_err());
}

// ---------------------------------------------------------------------------------------
// PSFS re-rating.

#[test]
fn psfs_follow_up_reports_activities_not_rerated() {
    let first = psfs(&[("stairs", Some(3)), ("kneel", Some(5)), ("run", Some(7))]);
    let follow_up = psfs(&[("stairs", Some(6)), ("run", None), ("garden", Some(4))]);
    let missing = check_rerated(&first, &follow_up);
    assert_eq!(
        missing.iter().map(|m| (m.id.as_str(), m.reason)).collect::<Vec<_>>(),
        [("kneel", NotReratedReason::Dropped), ("run", NotReratedReason::Unrated)]
    );
    let all = psfs(&[
        ("run", Some(8)),
        ("stairs", Some(6)),
        ("kneel", Some(5)),
        ("garden", Some(4)),
    ]);
    assert!(check_rerated(&first, &all).is_empty());
}

// ---------------------------------------------------------------------------------------
// Storage round trip.

#[test]
fn scores_and_changes_round_trip_through_json() {
    let s = scored("odi", &answers_summing(10, 9, 16, 0, 5));
    let text = serde_json::to_string(&s).expect("serialize");
    assert_eq!(
        text,
        r#"{"measure":"odi","version":"1","unit":"percent","value":{"numerator":320,"denominator":9},"answered":9,"asked":10,"status":{"status":"partial"}}"#
    );
    let back: Score = serde_json::from_str(&text).expect("read back");
    assert_eq!(back, s);
    let c = compare(def("odi"), &back, &s);
    let back_change = serde_json::from_str(&serde_json::to_string(&c).expect("serialize")).expect("read back");
    assert_eq!(c, back_change);
}

#[test]
fn definitions_round_trip_through_json() {
    let c = MeasureCatalog::builtin().expect("builtin");
    for d in c.iter() {
        let text = serde_json::to_string(d).expect("serialize");
        let back: MeasureDef = serde_json::from_str(&text).expect("read back");
        assert_eq!(&back, d);
        assert!(!d.licence().is_empty() && !d.missing().note.is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// Properties over every built-in measure.

/// Valid answers for a definition: on-step values within the range, some left out.
fn valid_answers(d: &'static MeasureDef) -> BoxedStrategy<Answers> {
    let r = d.response();
    let steps = (r.max.hundredths() - r.min.hundredths()) / r.step.hundredths();
    let (min, step) = (r.min.hundredths(), r.step.hundredths());
    let value = proptest::option::weighted(
        0.9,
        (0..=steps).prop_map(move |k| Decimal::from_hundredths(min + k * step)),
    );
    match d.activities() {
        None => proptest::collection::vec(value, d.items().len())
            .prop_map(Answers::Items)
            .boxed(),
        Some(count) => proptest::collection::vec(value, count.min..=count.max)
            .prop_map(|ratings| {
                Answers::Activities(
                    ratings
                        .into_iter()
                        .enumerate()
                        .map(|(i, rating)| Activity {
                            id: format!("act-{i}"),
                            text: format!("Activity {i}"),
                            rating,
                        })
                        .collect(),
                )
            })
            .boxed(),
    }
}

fn any_measure_with_answers() -> impl Strategy<Value = (&'static MeasureDef, Answers)> {
    let defs: Vec<&'static MeasureDef> = MeasureCatalog::builtin().expect("builtin").iter().collect();
    proptest::sample::select(defs).prop_flat_map(|d| (Just(d), valid_answers(d)))
}

fn any_measure_with_two_administrations() -> impl Strategy<Value = (&'static MeasureDef, Answers, Answers)> {
    let defs: Vec<&'static MeasureDef> = MeasureCatalog::builtin().expect("builtin").iter().collect();
    proptest::sample::select(defs).prop_flat_map(|d| (Just(d), valid_answers(d), valid_answers(d)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn valid_answers_always_score_within_the_score_range((d, answers) in any_measure_with_answers()) {
        let s = score(d, &answers).expect("valid answers score");
        let missing = s.asked - s.answered;
        prop_assert_eq!(s.is_scored(), s.answered > 0 && missing <= d.missing().max_missing);
        match s.status {
            ScoreStatus::Complete => prop_assert_eq!(missing, 0),
            ScoreStatus::Partial => prop_assert!(missing > 0 && s.is_scored()),
            ScoreStatus::TooFewAnswered { needed } => prop_assert!(!s.is_scored() && s.answered < needed),
        }
        if let Some(v) = s.value {
            prop_assert!(d.score_range().contains(v), "{} scored {} outside its range", d.id(), s.display());
            // Display rounding agrees with the exact value to within half a step.
            let shown: f64 = v.display(1).parse().expect("number");
            prop_assert!((shown - v.to_f64()).abs() <= 0.05 + 1e-9);
        }
    }

    #[test]
    fn a_later_score_past_the_mcid_band_is_exactly_an_important_improvement(
        (d, a, b) in any_measure_with_two_administrations()
    ) {
        let (first, later) = (score(d, &a).expect("valid"), score(d, &b).expect("valid"));
        let (Some(band), Some(value)) = (mcid_band(d, &first), later.value) else {
            prop_assert!(d.mcid().is_none() || first.value.is_none() || later.value.is_none());
            return Ok(());
        };
        let past = match d.direction() {
            Direction::HigherIsBetter => value >= band.to,
            Direction::LowerIsBetter => value <= band.to,
        };
        prop_assert_eq!(past, compare(d, &first, &later).is_important_improvement());
    }

    #[test]
    fn compare_is_antisymmetric((d, a, b) in any_measure_with_two_administrations()) {
        let (sa, sb) = (score(d, &a).expect("valid"), score(d, &b).expect("valid"));
        let forward = compare(d, &sa, &sb);
        let back = compare(d, &sb, &sa);
        let mirrored = match forward.trend {
            Trend::Improved => Trend::Worsened,
            Trend::Worsened => Trend::Improved,
            other => other,
        };
        prop_assert_eq!(back.trend, mirrored);
        prop_assert_eq!(forward.trend == Trend::NotComparable, !(sa.is_scored() && sb.is_scored()));
        if forward.trend != Trend::NotComparable && d.mdc().is_some_and(|t| t.value.is_some()) {
            prop_assert_eq!(forward.reaches_mdc(), back.reaches_mdc());
        }
        prop_assert!(forward.sentence.ends_with('.'));
    }

    #[test]
    fn out_of_range_answers_are_errors_never_panics(
        (d, answers) in any_measure_with_answers(),
        index in 0usize..20,
        above in any::<bool>(),
        by in 1i64..1000,
    ) {
        let r = d.response();
        let bad = if above {
            Decimal::from_hundredths(r.max.hundredths() + by)
        } else {
            Decimal::from_hundredths(r.min.hundredths() - by)
        };
        let broken = match answers {
            Answers::Items(mut items) => {
                let i = index % items.len();
                items[i] = Some(bad);
                Answers::Items(items)
            }
            Answers::Activities(mut acts) => {
                let i = index % acts.len();
                acts[i].rating = Some(bad);
                Answers::Activities(acts)
            }
        };
        let is_out_of_range = matches!(score(d, &broken), Err(MeasureError::OutOfRange { .. }));
        prop_assert!(is_out_of_range);
    }

    #[test]
    fn decimals_read_back_what_they_display(h in -10_000_000i64..10_000_000) {
        let d = Decimal::from_hundredths(h);
        prop_assert_eq!(d.to_string().parse::<Decimal>(), Ok(d));
        let json = serde_json::to_string(&d).expect("serialize");
        prop_assert_eq!(serde_json::from_str::<Decimal>(&json).expect("read"), d);
    }
}

//! Outcome measures recorded in an episode.

use crate::Fixture;
use stride_measures::{Answers, Trend};

#[test]
fn lefs_scores_and_flags_the_mcid() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let episode = f.episode_id.clone();
    f.chart
        .record_measure(
            &owner,
            &episode,
            None,
            "lefs",
            "2026-03-02",
            &Answers::whole(&[Some(2); 20]),
        )
        .expect("baseline");
    f.chart
        .record_measure(
            &owner,
            &episode,
            None,
            "lefs",
            "2026-03-16",
            &Answers::whole(&[Some(2), Some(3)].repeat(10)),
        )
        .expect("follow-up");
    let history = f.chart.measure_history(&episode, "lefs").expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].display, "40.0");
    assert!(history[0].since_first.is_none());
    let change = history[1].since_first.as_ref().expect("compared");
    assert_eq!(change.trend, Trend::Improved);
    assert!(change.reaches_mcid(), "10 points passes the LEFS MCID of 9");
}

#[test]
fn odi_with_a_missing_section_and_bad_answers() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let episode = f.episode_id.clone();
    let mut answers = vec![
        Some(2),
        Some(2),
        Some(2),
        Some(2),
        Some(2),
        Some(2),
        Some(2),
        Some(1),
        Some(1),
    ];
    answers.push(None);
    f.chart
        .record_measure(&owner, &episode, None, "odi", "2026-03-02", &Answers::whole(&answers))
        .expect("ODI");
    let history = f.chart.measure_history(&episode, "odi").expect("history");
    assert_eq!(history[0].display, "35.6%", "16 of 45 points");
    let err = f
        .chart
        .record_measure(
            &owner,
            &episode,
            None,
            "odi",
            "2026-03-02",
            &Answers::whole(&[Some(9); 10]),
        )
        .expect_err("out of range");
    assert!(err.to_string().starts_with("answers:"), "{err}");
    assert!(
        f.chart
            .record_measure(&owner, &episode, None, "fooq", "2026-03-02", &Answers::whole(&[]))
            .is_err()
    );
    assert_eq!(
        f.chart.measure_history(&episode, "odi").expect("history").len(),
        1,
        "nothing half-written"
    );
}

#[test]
fn a_measure_is_not_attached_to_a_signed_note() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let episode = f.episode_id.clone();
    let note = f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let err = f
        .chart
        .record_measure(
            &owner,
            &episode,
            Some(&note),
            "berg",
            "2026-03-02",
            &Answers::whole(&[Some(4); 14]),
        )
        .expect_err("signed");
    assert!(err.to_string().contains("signed"), "{err}");
}

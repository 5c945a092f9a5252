use crate::Fixture;
use stride_chart::episodes::NewEpisode;
use stride_chart::goals::{GoalStatus, GoalSummary};
use stride_chart::notes::NoteKind;
use stride_chart::plans::{Goal, NewPlan};

/// A plan with a short-term and a long-term goal; returns the fixture's episode's plan id.
fn plan(f: &mut Fixture) -> String {
    let goal = |term: &str, text: &str| Goal {
        term: term.into(),
        text: text.into(),
        target_date: Some("2026-04-27".into()),
    };
    f.chart
        .add_plan(
            &f.owner,
            &NewPlan {
                episode_id: f.episode_id.clone(),
                cert_start: "2026-03-02".into(),
                cert_end: "2026-05-29".into(),
                frequency_per_week: 2,
                duration_weeks: 8,
                goals: vec![
                    goal("long", "Walk 1 km without an aid"),
                    goal("short", "Stairs step over step with a rail"),
                ],
                recertifies: None,
            },
        )
        .expect("plan")
}

fn statuses(summary: &GoalSummary) -> Vec<(&str, &str)> {
    summary
        .goals
        .iter()
        .map(|g| (g.text.as_str(), g.status_words.as_str()))
        .collect()
}

#[test]
fn a_signed_note_says_where_each_goal_stands() {
    let mut f = Fixture::new();
    plan(&mut f);
    let before = f.chart.goal_progress(&f.episode_id, None).expect("progress");
    assert_eq!(before.words, "0 of 2 goals met");
    assert_eq!(
        statuses(&before),
        [
            ("Stairs step over step with a rail", "not yet assessed"),
            ("Walk 1 km without an aid", "not yet assessed")
        ],
        "short-term goals first"
    );
    let (stairs, walk) = (before.goals[0].goal_id.clone(), before.goals[1].goal_id.clone());

    let note = f
        .chart
        .create_note(&f.owner, &f.episode_id, NoteKind::Progress, "2026-03-30", None)
        .expect("progress report");
    f.chart
        .assess_goal(
            &f.owner,
            &note,
            &stairs,
            Some((GoalStatus::Met, "  reciprocal, one rail  ")),
        )
        .expect("assess");
    f.chart
        .assess_goal(&f.owner, &note, &walk, Some((GoalStatus::Progressing, "")))
        .expect("assess");
    // A draft's word counts for nothing until it is signed, but the draft shows it.
    let unsigned = f.chart.goal_progress(&f.episode_id, None).expect("progress");
    assert_eq!(unsigned.words, "0 of 2 goals met");
    let drafting = f.chart.goal_progress(&f.episode_id, Some(&note)).expect("progress");
    let draft = drafting.goals[0].draft.as_ref().expect("the draft's word");
    assert_eq!(
        (draft.status, draft.comment.as_str()),
        (GoalStatus::Met, "reciprocal, one rail")
    );

    f.chart
        .set_service(&f.owner, &note, "97110", 30, None)
        .expect("service");
    f.chart.sign_note(&f.owner, &note).expect("sign");
    let view = f.chart.note(&note).expect("note");
    assert_eq!(view.goals.len(), 2);
    assert_eq!(view.hash_verified, Some(true));

    let after = f.chart.goal_progress(&f.episode_id, None).expect("progress");
    assert_eq!(after.words, "1 of 2 goals met");
    assert_eq!(after.met, 1);
    assert_eq!(after.goals[0].assessed_on.as_deref(), Some("2026-03-30"));
    assert_eq!(after.goals[0].comment, "reciprocal, one rail");
    assert_eq!(after.goals[1].status, Some(GoalStatus::Progressing));

    // The newest signed note's word stands.
    let discharge = f
        .chart
        .create_note(&f.owner, &f.episode_id, NoteKind::Progress, "2026-04-27", None)
        .expect("next report");
    f.chart
        .assess_goal(&f.owner, &discharge, &walk, Some((GoalStatus::Met, "1.2 km, no aid")))
        .expect("assess");
    f.chart
        .set_service(&f.owner, &discharge, "97110", 30, None)
        .expect("service");
    f.chart.sign_note(&f.owner, &discharge).expect("sign");
    let last = f.chart.goal_progress(&f.episode_id, None).expect("progress");
    assert_eq!(last.words, "2 of 2 goals met");
    assert_eq!(
        last.goals[0].assessed_on.as_deref(),
        Some("2026-03-30"),
        "a goal the newer note left alone keeps its word"
    );
}

#[test]
fn a_signed_notes_goals_are_locked_and_only_the_plans_goals_are_assessed() {
    let mut f = Fixture::new();
    plan(&mut f);
    let goal = f.chart.goal_progress(&f.episode_id, None).expect("progress").goals[0]
        .goal_id
        .clone();
    let note = f
        .chart
        .create_note(&f.owner, &f.episode_id, NoteKind::Daily, "2026-03-03", None)
        .expect("note");
    let long = "x".repeat(2001);
    let refused = f
        .chart
        .assess_goal(&f.owner, &note, &goal, Some((GoalStatus::Met, &long)))
        .expect_err("too long");
    assert!(refused.to_string().contains("2000 characters"), "{refused}");
    f.chart
        .assess_goal(&f.owner, &note, &goal, Some((GoalStatus::PartiallyMet, "")))
        .expect("assess");
    f.chart.assess_goal(&f.owner, &note, &goal, None).expect("taken back");
    assert!(f.chart.note(&note).expect("note").goals.is_empty());
    f.chart
        .assess_goal(&f.owner, &note, &goal, Some((GoalStatus::PartiallyMet, "")))
        .expect("assess again");

    // Another episode's note cannot speak for this plan's goals.
    let other = f
        .chart
        .add_episode(
            &f.owner,
            &NewEpisode {
                patient_id: f.patient_id.clone(),
                payer_id: f.payer_id.clone(),
                diagnoses: vec!["M25.561".into()],
                start_date: Some("2026-03-02".into()),
                ..NewEpisode::default()
            },
        )
        .expect("episode");
    let elsewhere = f
        .chart
        .create_note(&f.owner, &other, NoteKind::Daily, "2026-03-03", None)
        .expect("note");
    let refused = f
        .chart
        .assess_goal(&f.owner, &elsewhere, &goal, Some((GoalStatus::Met, "")))
        .expect_err("not this episode's goal");
    assert!(refused.to_string().contains("not in this episode's plan"), "{refused}");

    f.chart
        .set_service(&f.owner, &note, "97110", 30, None)
        .expect("service");
    f.chart.sign_note(&f.owner, &note).expect("sign");
    let locked = f
        .chart
        .assess_goal(&f.owner, &note, &goal, Some((GoalStatus::Met, "")))
        .expect_err("signed");
    assert!(locked.to_string().contains("addendum"), "{locked}");
    // Below the API too: the triggers refuse.
    let conn = f.chart.connection();
    for sql in [
        "UPDATE note_goal SET status = 'met' WHERE note_id = ?1",
        "DELETE FROM note_goal WHERE note_id = ?1",
    ] {
        assert!(conn.execute(sql, [&note]).is_err(), "{sql} changed a signed note");
    }
    assert_eq!(
        GoalStatus::parse("Partially met").expect("parse"),
        GoalStatus::PartiallyMet
    );
    assert!(GoalStatus::parse("done").is_err());
}

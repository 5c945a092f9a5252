//! The schedule from the desk: a week by therapist, a recurring series booked with its
//! clashes shown first, a visit moved, and the rest of a series cancelled.

mod common;
use common::{desk, first_run};
use stride_chart::episodes::NewEpisode;
use stride_chart::patients::NewPatient;
use stride_chart::series::SeriesRequest;
use stride_desktop::desk::Desk;
use stride_desktop::error::ErrorKind;
use stride_desktop::schedule::ScheduleQuery;

/// A patient with an open episode; returns the patient's id.
fn patient(desk: &Desk, first: &str, last: &str) -> String {
    let payer = desk.payers().expect("payers").into_iter().next();
    let payer = match payer {
        Some(p) => p,
        None => desk.add_payer("Medicare Part B", "cms").expect("payer"),
    };
    let p = desk
        .add_patient(NewPatient {
            first_name: first.into(),
            last_name: last.into(),
            dob: "1950-04-12".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    desk.add_episode(NewEpisode {
        patient_id: p.id.clone(),
        payer_id: payer.id,
        diagnoses: vec!["M54.50".into()],
        start_date: Some("2026-12-01".into()),
        ..NewEpisode::default()
    })
    .expect("episode");
    p.id
}

fn twice_weekly(desk: &Desk, patient_id: &str) -> SeriesRequest {
    let me = desk
        .schedule(ScheduleQuery::day("2026-12-07"))
        .expect("schedule")
        .me
        .expect("maria treats");
    SeriesRequest {
        patient_id: patient_id.into(),
        episode_id: None,
        therapist_id: me,
        first: "2026-12-07T09:00".into(),
        weekdays: vec!["mon".into(), "thu".into()],
        weeks: 6,
        minutes: 45,
    }
}

#[test]
fn a_series_shows_its_clashes_before_anything_is_booked() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let ann = patient(&desk, "Ann", "Lee");
    let bob = patient(&desk, "Bob", "Stone");
    // Bob already has maria at 9:30 on Thursday the 17th.
    desk.book(&bob, None, None, "2026-12-17T09:30", 30)
        .expect("Bob's visit");

    let request = twice_weekly(&desk, &ann);
    let plan = desk.plan_series(request.clone()).expect("plan");
    assert_eq!(plan.visits.len(), 12, "2x/week for 6 weeks");
    assert_eq!(plan.clashing, 1);
    let clash = plan.visits.iter().find(|v| !v.clashes.is_empty()).expect("the clash");
    assert_eq!(clash.starts_at, "2026-12-17T09:00");
    assert_eq!(clash.clashes, ["Bob Stone with maria at 09:30"]);

    // Booking as asked refuses, and books nothing.
    let refused = desk.book_series(request.clone(), false).expect_err("a clash");
    assert_eq!(refused.kind, ErrorKind::Invalid);
    assert!(
        refused.message.contains("1 of the 12 visits clash"),
        "{}",
        refused.message
    );
    let week = |first: &str| {
        desk.schedule(ScheduleQuery {
            first: Some(first.into()),
            days: Some(7),
        })
        .expect("week")
    };
    assert_eq!(week("2026-12-14").rows.len(), 1, "only Bob's visit");
    // The clinic's weekdays-only hours close the weekend; the screen is told, not left to work it out.
    let closed: Vec<(String, Option<String>)> = week("2026-12-14")
        .closed
        .into_iter()
        .map(|c| (c.day, c.reason))
        .collect();
    assert_eq!(closed, [("2026-12-19".into(), None), ("2026-12-20".into(), None)]);

    // Booking the rest leaves the clash out.
    let booked = desk.book_series(request, true).expect("booked without the clash");
    assert_eq!(booked.booked.len(), 11);
    assert_eq!(booked.skipped, ["2026-12-17T09:00"]);
    assert!(
        booked
            .booked
            .iter()
            .all(|a| a.series_id.as_deref() == Some(booked.series_id.as_str()))
    );
    let w = week("2026-12-14");
    assert_eq!(w.first, "2026-12-14");
    assert_eq!(w.last, "2026-12-20");
    let names: Vec<&str> = w.rows.iter().map(|r| r.patient_name.as_str()).collect();
    assert_eq!(
        names,
        ["Ann Lee", "Bob Stone"],
        "Monday's series visit, then Bob on Thursday"
    );
}

#[test]
fn a_series_leaves_out_the_days_the_clinic_is_closed() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let ann = patient(&desk, "Ann", "Lee");
    let bob = patient(&desk, "Bob", "Stone");
    desk.book(&bob, None, None, "2026-12-24T11:00", 30)
        .expect("Bob's visit");
    // The owner (an administrator) closes Christmas Eve, a Thursday of the series; Bob's
    // visit that day stays booked, and is counted for the front desk to move.
    let made = desk.close_clinic_on("2026-12-24", "Christmas Eve").expect("closed");
    assert_eq!((made.closure.day.as_str(), made.booked), ("2026-12-24", 1));
    let refused = desk.close_clinic_on("2026-12-32", "Nothing").expect_err("no such day");
    assert_eq!(refused.kind, ErrorKind::Invalid);

    let plan = desk.plan_series(twice_weekly(&desk, &ann)).expect("plan");
    assert_eq!(plan.clashing, 1);
    let closed = plan.visits.iter().find(|v| v.closed.is_some()).expect("the closed day");
    assert_eq!(closed.starts_at, "2026-12-24T09:00");
    assert_eq!(closed.closed.as_deref(), Some("the clinic is closed: Christmas Eve"));
    let refused = desk
        .book_series(twice_weekly(&desk, &ann), false)
        .expect_err("a closed day");
    assert!(refused.message.contains("closed"), "{}", refused.message);
    let booked = desk.book_series(twice_weekly(&desk, &ann), true).expect("the rest");
    assert_eq!(booked.skipped, ["2026-12-24T09:00"]);

    // The week shows the holiday with its reason, beside the weekend the hours leave out.
    let week = desk
        .schedule(ScheduleQuery {
            first: Some("2026-12-21".into()),
            days: Some(7),
        })
        .expect("week");
    let closed: Vec<(&str, Option<&str>)> = week
        .closed
        .iter()
        .map(|c| (c.day.as_str(), c.reason.as_deref()))
        .collect();
    assert_eq!(
        closed,
        [
            ("2026-12-24", Some("Christmas Eve")),
            ("2026-12-26", None),
            ("2026-12-27", None)
        ]
    );

    // Opened again, the day books like any other.
    desk.reopen_clinic_on("2026-12-24").expect("opened");
    assert!(desk.reopen_clinic_on("2026-12-24").is_err(), "not closed any more");
    let plan = desk.plan_series(twice_weekly(&desk, &ann)).expect("plan");
    assert!(plan.visits.iter().all(|v| v.closed.is_none()));
}

#[test]
fn a_visit_moves_and_the_rest_of_a_series_is_cancelled_together() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let ann = patient(&desk, "Ann", "Lee");
    let booked = desk.book_series(twice_weekly(&desk, &ann), false).expect("series");
    let first = &booked.booked[0];

    let moved = desk
        .move_appointment(&first.id, "2026-12-07T10:15", None)
        .expect("moved");
    assert_eq!(moved.starts_at, "2026-12-07T10:15");
    desk.set_appointment_status(&first.id, "arrived").expect("checked in");
    let refused = desk
        .move_appointment(&first.id, "2026-12-07T11:00", None)
        .expect_err("checked in");
    assert!(
        refused.message.contains("only a booked visit moves"),
        "{}",
        refused.message
    );
    let bad = desk
        .move_appointment(&booked.booked[1].id, "next tuesday", None)
        .expect_err("no time");
    assert_eq!(bad.kind, ErrorKind::Invalid);

    // Cancel from the third visit on: the first two stay.
    let cancelled = desk
        .cancel_series(&booked.series_id, &booked.booked[2].starts_at)
        .expect("cancelled");
    assert_eq!(cancelled, 10);
    let rows = desk
        .schedule(ScheduleQuery {
            first: Some("2026-12-07".into()),
            days: Some(14),
        })
        .expect("two weeks")
        .rows;
    let statuses: Vec<&str> = rows.iter().map(|r| r.appointment.status.as_str()).collect();
    assert_eq!(statuses, ["arrived", "scheduled", "cancelled", "cancelled"]);
    // The screen lets only the booked one be dragged: Rust says which.
    let movable: Vec<bool> = rows.iter().map(|r| r.movable).collect();
    assert_eq!(movable, [false, true, false, false]);
}

#[test]
fn a_series_needs_an_open_episode() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let p = desk
        .add_patient(NewPatient {
            first_name: "Cy".into(),
            last_name: "Ng".into(),
            dob: "1980-01-01".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    let refused = desk.plan_series(twice_weekly(&desk, &p.id)).expect_err("no episode");
    assert!(
        refused.message.contains("no open episode of care"),
        "{}",
        refused.message
    );
}

//! Compliance alerts.

use crate::Fixture;
use chrono::{NaiveDate, Utc};
use stride_chart::alerts::{AlertKind, Urgency};
use stride_chart::episodes::NewAuthorization;
use stride_chart::plans::NewPlan;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn kinds(f: &Fixture, today: &str) -> Vec<(AlertKind, Urgency)> {
    f.chart
        .alerts(Utc::now(), day(today))
        .expect("alerts")
        .into_iter()
        .map(|a| (a.kind, a.urgency))
        .collect()
}

/// Signs daily notes on consecutive days from March 2.
fn visits(f: &mut Fixture, n: u32) {
    let owner = f.owner.clone();
    for i in 0..n {
        let date = day("2026-03-02") + chrono::Duration::days(i64::from(i));
        f.signed_daily(&owner, &date.to_string(), &[("97110", 30)]);
    }
}

#[test]
fn progress_report_due_then_overdue_never_blocking() {
    let mut f = Fixture::new();
    visits(&mut f, 8);
    assert!(!kinds(&f, "2026-03-10").contains(&(AlertKind::ProgressReport, Urgency::Warning)));
    visits_from(&mut f, "2026-03-10", 1);
    assert!(
        kinds(&f, "2026-03-11").contains(&(AlertKind::ProgressReport, Urgency::Warning)),
        "day 10 is next"
    );
    visits_from(&mut f, "2026-03-11", 1);
    assert!(kinds(&f, "2026-03-12").contains(&(AlertKind::ProgressReport, Urgency::Overdue)));
    // Care given is always documented: the 11th daily note signs, overdue or not.
    let owner = f.owner.clone();
    let id = f
        .chart
        .create_note(
            &owner,
            &f.episode_id,
            stride_chart::notes::NoteKind::Daily,
            "2026-03-12",
            None,
        )
        .expect("note");
    f.chart.set_service(&owner, &id, "97110", 30, None).expect("service");
    f.chart.sign_note(&owner, &id).expect("never blocked");
    // A signed progress report opens a new period.
    let report = f
        .chart
        .create_note(
            &owner,
            &f.episode_id,
            stride_chart::notes::NoteKind::Progress,
            "2026-03-12",
            None,
        )
        .expect("report");
    f.chart.sign_note(&owner, &report).expect("sign report");
    assert!(!kinds(&f, "2026-03-12").iter().any(|k| k.0 == AlertKind::ProgressReport));
    let next = f
        .chart
        .create_note(
            &owner,
            &f.episode_id,
            stride_chart::notes::NoteKind::Daily,
            "2026-03-13",
            None,
        )
        .expect("next");
    f.chart.sign_note(&owner, &next).expect("signs again");
}

fn visits_from(f: &mut Fixture, start: &str, n: u32) {
    let owner = f.owner.clone();
    for i in 0..n {
        let date = day(start) + chrono::Duration::days(i64::from(i));
        f.signed_daily(&owner, &date.to_string(), &[("97110", 30)]);
    }
}

#[test]
fn plan_certification_and_expiry() {
    let mut f = Fixture::new();
    visits(&mut f, 1);
    assert!(kinds(&f, "2026-03-02").contains(&(AlertKind::NoPlan, Urgency::Warning)));
    let owner = f.owner.clone();
    let plan = f
        .chart
        .add_plan(
            &owner,
            &NewPlan {
                episode_id: f.episode_id.clone(),
                cert_start: "2026-03-02".into(),
                cert_end: "2026-04-30".into(),
                frequency_per_week: 2,
                duration_weeks: 8,
                goals: Vec::new(),
                recertifies: None,
            },
        )
        .expect("plan");
    assert!(
        !kinds(&f, "2026-03-10")
            .iter()
            .any(|k| k.0 == AlertKind::CertificationUnsigned)
    );
    assert!(kinds(&f, "2026-03-24").contains(&(AlertKind::CertificationUnsigned, Urgency::Warning)));
    assert!(kinds(&f, "2026-04-01").contains(&(AlertKind::CertificationUnsigned, Urgency::Overdue)));
    f.chart
        .certify_plan(&owner, &plan, "2026-03-20", "signed")
        .expect("certify");
    assert!(
        !kinds(&f, "2026-04-01")
            .iter()
            .any(|k| k.0 == AlertKind::CertificationUnsigned)
    );
    assert!(kinds(&f, "2026-04-25").contains(&(AlertKind::PlanExpiring, Urgency::Warning)));
    assert!(kinds(&f, "2026-05-01").contains(&(AlertKind::PlanExpiring, Urgency::Overdue)));
}

#[test]
fn authorizations_running_out() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    f.chart
        .add_authorization(&owner, &f.episode_id, &auth(Some(4), Some(20)))
        .expect("auth");
    visits(&mut f, 2);
    assert!(
        kinds(&f, "2026-03-04").contains(&(AlertKind::Authorization, Urgency::Warning)),
        "2 of 4 left"
    );
    visits_from(&mut f, "2026-03-04", 2);
    assert!(
        kinds(&f, "2026-03-06").contains(&(AlertKind::Authorization, Urgency::Overdue)),
        "all used"
    );
    assert!(
        f.chart
            .add_authorization(&owner, &f.episode_id, &auth(None, None))
            .is_err()
    );
}

#[test]
fn kx_threshold_from_signed_charges() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let payer = f.payer_id.clone();
    // $300.00 a unit: three two-unit visits reach $1,800, four reach $2,400.
    f.chart.set_fee(&owner, &payer, "97110", 30_000).expect("fee");
    visits(&mut f, 3);
    assert!(!kinds(&f, "2026-03-05").iter().any(|k| k.0 == AlertKind::KxThreshold));
    visits_from(&mut f, "2026-03-05", 1);
    assert!(
        kinds(&f, "2026-03-06").iter().any(|k| k.0 == AlertKind::KxThreshold),
        "85% of $2,480"
    );
    let id = f.signed_daily(&owner, "2026-03-06", &[("97110", 30)]);
    let note = f.chart.note(&id).expect("note");
    assert!(
        note.charge_lines[0].modifiers.contains(&stride_coding::Modifier::KX),
        "the engine adds KX at signing"
    );
}

#[test]
fn drafts_unsigned_for_a_day() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    f.chart
        .create_note(
            &owner,
            &f.episode_id,
            stride_chart::notes::NoteKind::Daily,
            "2026-03-02",
            None,
        )
        .expect("draft");
    let now = Utc::now();
    let alerts = f.chart.alerts(now, day("2026-03-02")).expect("alerts");
    assert!(!alerts.iter().any(|a| a.kind == AlertKind::UnsignedNote));
    let later = f
        .chart
        .alerts(now + chrono::Duration::hours(25), day("2026-03-03"))
        .expect("alerts");
    assert!(
        later
            .iter()
            .any(|a| a.kind == AlertKind::UnsignedNote && a.note_id.is_some())
    );
}

#[test]
fn a_recertification_is_due_thirty_days_from_its_own_start() {
    let mut f = Fixture::new();
    visits(&mut f, 1);
    let owner = f.owner.clone();
    let plan = |start: &str, end: &str, recertifies: Option<String>| NewPlan {
        episode_id: f.episode_id.clone(),
        cert_start: start.into(),
        cert_end: end.into(),
        frequency_per_week: 2,
        duration_weeks: 8,
        goals: Vec::new(),
        recertifies,
    };
    let first = plan("2026-03-02", "2026-05-30", None);
    let first = f.chart.add_plan(&owner, &first).expect("plan");
    f.chart
        .certify_plan(&owner, &first, "2026-03-05", "signed")
        .expect("certified");
    let recert = plan("2026-05-31", "2026-08-28", Some(first));
    f.chart.add_plan(&owner, &recert).expect("recertification");
    assert!(
        !kinds(&f, "2026-06-05")
            .iter()
            .any(|k| k.0 == AlertKind::CertificationUnsigned)
    );
    assert!(kinds(&f, "2026-06-22").contains(&(AlertKind::CertificationUnsigned, Urgency::Warning)));
    assert!(kinds(&f, "2026-07-01").contains(&(AlertKind::CertificationUnsigned, Urgency::Overdue)));
}

#[test]
fn one_patients_alerts_leave_out_the_others() {
    let mut f = Fixture::new();
    visits(&mut f, 1); // no plan of care yet: an alert for the fixture's patient
    let owner = f.owner.clone();
    let other = f
        .chart
        .add_patient(
            &owner,
            &stride_chart::patients::NewPatient {
                first_name: "Other".into(),
                last_name: "Person".into(),
                dob: "1980-01-01".into(),
                ..Default::default()
            },
        )
        .expect("patient");
    let today = day("2026-03-03");
    let mine = f
        .chart
        .patient_alerts(&f.patient_id, Utc::now(), today)
        .expect("alerts");
    assert!(mine.iter().any(|a| a.kind == AlertKind::NoPlan));
    assert!(
        f.chart
            .patient_alerts(&other, Utc::now(), today)
            .expect("alerts")
            .is_empty()
    );
    assert_eq!(f.chart.alerts(Utc::now(), today).expect("all").len(), mine.len());
}

/// March's authorization of `visits` and `units`.
fn auth(visits: Option<u32>, units: Option<u32>) -> NewAuthorization {
    NewAuthorization {
        visits,
        units,
        valid_from: "2026-03-01".into(),
        valid_to: "2026-03-31".into(),
        reference: None,
    }
}

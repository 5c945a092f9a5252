//! Users and roles, patients and search, episodes, plans, appointments.

use crate::Fixture;
use stride_chart::episodes::NewEpisode;
use stride_chart::notes::NoteKind;
use stride_chart::patients::NewPatient;
use stride_chart::plans::{Goal, NewPlan};
use stride_chart::schedule::AppointmentStatus;
use stride_chart::{ChartError, Role};

fn patient(first: &str, last: &str, dob: &str, phone: &str) -> NewPatient {
    NewPatient {
        first_name: first.into(),
        last_name: last.into(),
        dob: dob.into(),
        phone: Some(phone.into()),
        ..NewPatient::default()
    }
}

#[test]
fn the_owner_holds_admin_and_their_clinical_role() {
    let f = Fixture::new();
    assert!(f.owner.has(Role::Pt) && f.owner.has(Role::Admin));
    assert!(matches!(
        f.chart.authenticate("maria", "wrong-password"),
        Err(ChartError::BadCredentials)
    ));
    assert!(matches!(
        f.chart.authenticate("nobody", "owner-password"),
        Err(ChartError::BadCredentials)
    ));
    assert!(
        f.chart.authenticate("Maria", "owner-password").is_ok(),
        "names are case-insensitive"
    );
}

#[test]
fn roles_limit_what_users_do() {
    let mut f = Fixture::new();
    let desk = f.user("dee", &[Role::Frontdesk]);
    let err = f
        .chart
        .add_user(&desk, "eve", "long-password", &[Role::Admin])
        .expect_err("front desk adds no users");
    assert!(matches!(err, ChartError::Forbidden { .. }), "{err}");
    assert!(err.to_string().contains("administrator"));
    // The front desk registers patients, but writes no notes.
    assert!(
        f.chart
            .add_patient(&desk, &patient("Al", "Bo", "1990-01-01", "555"))
            .is_ok()
    );
    assert!(
        f.chart
            .create_note(
                &desk,
                &f.episode_id,
                stride_chart::notes::NoteKind::Daily,
                "2026-03-02",
                None
            )
            .is_err()
    );
    assert!(
        f.chart.add_user(&f.owner, "dee", "long-password", &[Role::Pt]).is_err(),
        "names are unique"
    );
    assert!(
        f.chart.add_user(&f.owner, "fay", "short", &[Role::Pt]).is_err(),
        "passwords have a minimum"
    );
}

#[test]
fn patients_validate_and_get_an_mrn() {
    let mut f = Fixture::new();
    let id = f
        .chart
        .add_patient(&f.owner, &patient("Ann", "Lee", "1980-04-12", "555-123-4567"))
        .expect("add");
    let p = f.chart.patient(&id).expect("get");
    assert_eq!(p.mrn, "S000002");
    for (bad, field) in [
        (patient("", "Lee", "1980-04-12", "1"), "first name"),
        (patient("Ann", "Lee", "1980-13-12", "1"), "date of birth"),
        (patient("Ann", "Lee", "2999-01-01", "1"), "date of birth"),
    ] {
        let err = f.chart.add_patient(&f.owner, &bad).expect_err("invalid");
        assert!(err.to_string().starts_with(field), "{err}");
    }
    let dup = NewPatient {
        mrn: Some("S000002".into()),
        ..patient("Bob", "Ng", "1970-01-01", "1")
    };
    assert!(f.chart.add_patient(&f.owner, &dup).is_err(), "MRNs are unique");
    let by_hand = NewPatient {
        mrn: Some("S000003".into()),
        ..patient("Cy", "Ng", "1970-01-01", "1")
    };
    f.chart.add_patient(&f.owner, &by_hand).expect("an MRN given by hand");
    let next = f
        .chart
        .add_patient(&f.owner, &patient("Di", "Ng", "1971-01-01", "1"))
        .expect("next");
    assert_eq!(
        f.chart.patient(&next).expect("get").mrn,
        "S000004",
        "the counter skips numbers given by hand"
    );
    assert_eq!(f.chart.patients().expect("list").len(), 4);
}

#[test]
fn search_by_name_prefix_dob_mrn_and_phone() {
    let mut f = Fixture::new();
    let ann = f
        .chart
        .add_patient(&f.owner, &patient("Ann", "Leeds", "1980-04-12", "555-123-4567"))
        .expect("ann");
    f.chart
        .add_patient(&f.owner, &patient("Annabel", "Smith", "1975-09-30", "555-222-0000"))
        .expect("annabel");
    f.chart
        .add_patient(&f.owner, &patient("José", "García", "1966-02-01", "555-333-1111"))
        .expect("jose");
    let names = |q: &str| -> Vec<String> {
        f.chart
            .search_patients(q, 20)
            .expect("search")
            .into_iter()
            .map(|p| p.first_name)
            .collect()
    };
    assert_eq!(names("ann"), ["Ann", "Annabel"]);
    assert_eq!(names("ann lee"), ["Ann"]);
    assert_eq!(names("LEE"), ["Ann"]);
    assert_eq!(names("garcia jose"), ["José"], "accents fold");
    assert_eq!(names("1980-04-12"), ["Ann"]);
    assert_eq!(names("04/12/1980"), ["Ann"]);
    assert_eq!(names("(555) 123-45"), ["Ann"]);
    let mrn = f.chart.patient(&ann).expect("ann").mrn;
    assert_eq!(names(&mrn), ["Ann"]);
    assert!(names("zzz").is_empty());
    assert!(names("\"*^").is_empty(), "query syntax is never passed through");
}

#[test]
fn episodes_check_diagnoses_and_referrals() {
    let mut f = Fixture::new();
    let bad_dx = NewEpisode {
        patient_id: f.patient_id.clone(),
        payer_id: f.payer_id.clone(),
        diagnoses: vec!["back pain".into()],
        ..NewEpisode::default()
    };
    let err = f.chart.add_episode(&f.owner, &bad_dx).expect_err("bad dx");
    assert!(err.to_string().contains("ICD-10-CM"), "{err}");
    let err = f
        .chart
        .add_referring_provider(&f.owner, "Dr. Who", "1234567890")
        .expect_err("bad NPI");
    assert!(err.to_string().contains("check digit"), "{err}");
    let doc = f
        .chart
        .add_referring_provider(&f.owner, "Dr. Who", "1234567893")
        .expect("good NPI");
    // Against CMS's ICD-10-CM release: a heading is refused with the codes to pick from,
    // a code that does not exist is refused, and an external cause never comes first
    // (Official Guidelines I.C.20), though it may follow.
    for (diagnoses, words) in [
        (vec!["M54.5"], "pick one of M54.50"),
        (vec!["M54.99"], "not an ICD-10-CM code"),
        (vec!["W19.XXXA", "S83.511A"], "never the principal diagnosis"),
    ] {
        let e = NewEpisode {
            diagnoses: diagnoses.into_iter().map(str::to_owned).collect(),
            ..bad_dx.clone()
        };
        let err = f.chart.add_episode(&f.owner, &e).expect_err("refused");
        assert!(err.to_string().contains(words), "{err}");
    }
    let after_injury = NewEpisode {
        diagnoses: vec!["S83.511A".into(), "W19.XXXA".into()],
        ..bad_dx.clone()
    };
    f.chart
        .add_episode(&f.owner, &after_injury)
        .expect("an external cause after the injury");
    let ok = NewEpisode {
        diagnoses: vec!["m25561".into(), "S83.511A".into()],
        referring_provider_id: Some(doc),
        ..bad_dx
    };
    let id = f.chart.add_episode(&f.owner, &ok).expect("episode");
    assert_eq!(f.chart.episode(&id).expect("get").diagnoses, ["M25.561", "S83.511A"]);
    assert_eq!(f.chart.episodes_of(&f.patient_id).expect("list").len(), 3);
}

#[test]
fn plans_certify_at_most_ninety_days() {
    let mut f = Fixture::new();
    let episode_id = f.episode_id.clone();
    let plan = |end: &str| NewPlan {
        episode_id: episode_id.clone(),
        cert_start: "2026-03-02".into(),
        cert_end: end.into(),
        frequency_per_week: 2,
        duration_weeks: 8,
        goals: vec![Goal {
            term: "long".into(),
            text: "Walk 1 km without an aid".into(),
            target_date: Some("2026-04-27".into()),
        }],
        recertifies: None,
    };
    let err = f.chart.add_plan(&f.owner, &plan("2026-05-31")).expect_err("91 days");
    assert!(err.to_string().contains("91 days"), "{err}");
    let id = f.chart.add_plan(&f.owner, &plan("2026-05-30")).expect("90 days");
    assert!(f.chart.certify_plan(&f.owner, &id, "2026-03-05", "faxed").is_err());
    f.chart
        .certify_plan(&f.owner, &id, "2026-03-05", "verbal")
        .expect("certify");
    assert!(
        f.chart.certify_plan(&f.owner, &id, "2026-03-06", "signed").is_err(),
        "once"
    );
    let stored = f.chart.plan(&id).expect("plan");
    assert_eq!(stored.signature_method.as_deref(), Some("verbal"));
    assert_eq!(stored.goals.len(), 1);
    let pta = f.user("pat", &[Role::Pta]);
    assert!(
        f.chart.add_plan(&pta, &plan("2026-04-30")).is_err(),
        "a PTA writes no plan of care"
    );
}

/// A 45-minute visit of the fixture's patient with the owner, booked for 2026-03-02 09:00.
fn booked_visit(f: &mut Fixture) -> String {
    let owner_id = f.owner.user_id.clone();
    f.chart
        .add_appointment(
            &f.owner,
            &f.patient_id,
            Some(&f.episode_id),
            &owner_id,
            "2026-03-02T09:00",
            45,
        )
        .expect("book")
}

#[test]
fn appointments_move_through_their_statuses() {
    let mut f = Fixture::new();
    let owner_id = f.owner.user_id.clone();
    let id = booked_visit(&mut f);
    f.chart
        .set_appointment_status(&f.owner, &id, AppointmentStatus::Arrived)
        .expect("check in");
    assert_eq!(
        f.chart.appointment(&id).expect("get").status,
        AppointmentStatus::Arrived
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    assert_eq!(f.chart.schedule(day, Some(&owner_id)).expect("schedule").len(), 1);
    assert!(
        f.chart
            .schedule(day.succ_opt().expect("next"), None)
            .expect("schedule")
            .is_empty()
    );
    assert!(
        f.chart
            .add_appointment(&f.owner, &f.patient_id, None, &owner_id, "2026-03-02 9am", 45)
            .is_err()
    );
    let desk = f.user("dee", &[Role::Frontdesk]);
    let desk_id = desk.user_id.clone();
    assert!(
        f.chart
            .add_appointment(&desk, &f.patient_id, None, &desk_id, "2026-03-02T10:00", 30)
            .is_err(),
        "the front desk is not a therapist"
    );
    assert!(AppointmentStatus::parse("no-show").is_ok());
}

#[test]
fn a_visit_moves_only_through_the_steps_its_status_offers() {
    let mut f = Fixture::new();
    let id = booked_visit(&mut f);
    let mut set = |to| f.chart.set_appointment_status(&f.owner, &id, to);
    set(AppointmentStatus::Arrived).expect("check in");
    let refused = set(AppointmentStatus::Cancelled).expect_err("an arrived visit is not cancelled");
    assert!(refused.to_string().contains("cannot be set to cancelled"), "{refused}");
    assert!(set(AppointmentStatus::NoShow).is_err(), "nor marked a no-show");
    set(AppointmentStatus::Scheduled).expect("a check-in made by mistake is undone");
    set(AppointmentStatus::NoShow).expect("no-show");
    set(AppointmentStatus::Scheduled).expect("undo the no-show");
    set(AppointmentStatus::Cancelled).expect("cancel");
    let revived = set(AppointmentStatus::Arrived).expect_err("a cancelled visit stays cancelled");
    assert!(revived.to_string().contains("book a new visit"), "{revived}");
    assert!(set(AppointmentStatus::Scheduled).is_err());
    // No status offers itself as a step.
    for from in [
        AppointmentStatus::Scheduled,
        AppointmentStatus::Arrived,
        AppointmentStatus::NoShow,
        AppointmentStatus::Cancelled,
    ] {
        assert!(from.steps().iter().all(|s| s.to != from), "{from:?} offers itself");
    }
}

#[test]
fn a_documented_visit_keeps_its_check_in() {
    let mut f = Fixture::new();
    let id = booked_visit(&mut f);
    f.chart
        .set_appointment_status(&f.owner, &id, AppointmentStatus::Arrived)
        .expect("check in");
    f.chart
        .create_note(&f.owner, &f.episode_id, NoteKind::Daily, "2026-03-02", Some(&id))
        .expect("note");
    let refused = f
        .chart
        .set_appointment_status(&f.owner, &id, AppointmentStatus::Scheduled)
        .expect_err("the note says the patient came");
    assert!(refused.to_string().contains("has a note"), "{refused}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever is typed in the search box, search answers (perhaps with nothing) and
    /// never fails on FTS5 query syntax.
    #[test]
    fn any_typed_text_searches_safely(text in "\\PC{0,40}") {
        static CHART: std::sync::OnceLock<std::sync::Mutex<Fixture>> = std::sync::OnceLock::new();
        let f = CHART.get_or_init(|| std::sync::Mutex::new(Fixture::new()));
        let f = f.lock().expect("fixture");
        proptest::prop_assert!(f.chart.search_patients(&text, 10).is_ok(), "{text:?}");
    }
}

#[test]
fn a_pin_unlocks_only_its_user() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    assert!(!f.chart.has_pin(&owner.user_id).expect("has pin"));
    assert!(f.chart.set_pin(&owner, "12ab").is_err());
    assert!(f.chart.set_pin(&owner, "123").is_err());
    f.chart.set_pin(&owner, "2468").expect("pin");
    assert!(f.chart.has_pin(&owner.user_id).expect("has pin"));
    assert_eq!(f.chart.authenticate_pin(&owner.user_id, "2468").expect("unlock"), owner);
    assert!(matches!(
        f.chart.authenticate_pin(&owner.user_id, "1357"),
        Err(ChartError::BadCredentials)
    ));
    let other = f.user("sam", &[Role::Pt]);
    assert!(
        f.chart.authenticate_pin(&other.user_id, "2468").is_err(),
        "no PIN set for sam"
    );
}

/// The banner says whose record is open and what not to miss, for the day it is shown.
#[test]
fn the_patient_banner_says_who_and_what_not_to_miss() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let day = |d: &str| d.parse::<chrono::NaiveDate>().expect("date");
    let banner = f
        .chart
        .patient_banner(&f.patient_id, None, day("2026-03-10"))
        .expect("banner");
    assert_eq!((banner.name.as_str(), banner.age), ("Zebulon Quixote", 74));
    assert_eq!(
        banner.payer.as_deref(),
        Some("Medicare Part B (no insurance card on file)"),
        "no coverage yet: the episode's payer"
    );
    assert_eq!(banner.allergies, None, "never asked is not none known");
    let episode = banner.episode.expect("the open episode");
    assert_eq!(episode.diagnoses[0].code, "M54.50");
    assert!(
        episode.diagnoses[0]
            .description
            .to_lowercase()
            .contains("low back pain")
    );
    assert_eq!(episode.visit_words, "Visit 0");
    assert!(episode.certification_due && episode.certification.contains("No plan"));

    f.chart
        .add_coverage(&owner, &f.patient_id, &f.payer_id, "1EG4TE5MK73", 1)
        .expect("coverage");
    f.chart
        .set_patient_safety(
            &owner,
            &f.patient_id,
            Some("Latex"),
            Some("Fall risk; no lifting over 10 lb"),
        )
        .expect("safety");
    let biller = f.user("bea", &[Role::Biller]);
    assert!(
        f.chart
            .set_patient_safety(&biller, &f.patient_id, Some("none known"), None)
            .is_err(),
        "clinicians and the front desk record it"
    );
    let plan = f
        .chart
        .add_plan(
            &owner,
            &NewPlan {
                episode_id: f.episode_id.clone(),
                cert_start: "2026-03-02".into(),
                cert_end: "2026-05-29".into(),
                frequency_per_week: 2,
                duration_weeks: 6,
                goals: Vec::new(),
                recertifies: None,
            },
        )
        .expect("plan");
    f.signed_daily(&owner, "2026-03-03", &[("97110", 20)]);
    f.signed_daily(&owner, "2026-03-05", &[("97110", 20)]);
    let banner = f
        .chart
        .patient_banner(&f.patient_id, Some(&f.episode_id), day("2026-03-05"))
        .expect("banner");
    assert!(banner.payer.is_some_and(|p| p.contains("1EG4TE5MK73")));
    assert_eq!(banner.allergies.as_deref(), Some("Latex"));
    let episode = banner.episode.expect("episode");
    assert_eq!(episode.visit_words, "Visit 2 of 12 planned");
    assert!(episode.certification_due, "not yet certified");
    f.chart
        .certify_plan(&owner, &plan, "2026-03-06", "signed")
        .expect("certify");
    let authorization = stride_chart::episodes::NewAuthorization {
        visits: Some(8),
        valid_from: "2026-03-01".into(),
        valid_to: "2026-04-30".into(),
        ..Default::default()
    };
    f.chart
        .add_authorization(&owner, &f.episode_id, &authorization)
        .expect("authorization");
    let episode = f
        .chart
        .patient_banner(&f.patient_id, None, day("2026-03-05"))
        .expect("banner")
        .episode
        .expect("episode");
    assert_eq!(episode.visit_words, "Visit 2 of 8 authorized");
    assert_eq!(
        (episode.certification.as_str(), episode.certification_due),
        ("Plan certified through May 29, 2026", false)
    );
    let later = f
        .chart
        .patient_banner(&f.patient_id, None, day("2026-06-01"))
        .expect("banner");
    assert!(
        later
            .episode
            .is_some_and(|e| e.certification_due && e.certification.contains("expired"))
    );
}

#[test]
fn the_clinic_s_hours_are_set_by_an_administrator() {
    let mut f = Fixture::new();
    let hours = f.chart.clinic_hours().expect("hours");
    assert_eq!((hours.opens_at.as_str(), hours.closes_at.as_str()), ("07:00", "19:00"));
    assert_eq!(hours.open_days, [1, 2, 3, 4, 5]);
    let pt = f.user("pia", &[Role::Pt]);
    assert!(matches!(
        f.chart.set_clinic_hours(&pt, "08:00", "17:00", "1,2,3,4,5"),
        Err(ChartError::Forbidden { .. })
    ));
    let refused = f
        .chart
        .set_clinic_hours(&f.owner, "17:00", "08:00", "1")
        .expect_err("closes before it opens");
    assert!(refused.to_string().contains("close after it opens"), "{refused}");
    f.chart
        .set_clinic_hours(&f.owner, "7:30", "18:00", "6,1,2,3,4,5")
        .expect("the owner administers the clinic");
    let hours = f.chart.clinic_hours().expect("hours");
    assert_eq!(hours.opens_at, "07:30");
    assert_eq!(hours.open_days, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn the_clinic_closes_on_holidays_and_opens_again() {
    let mut f = Fixture::new();
    let day = |d: &str| -> chrono::NaiveDate { d.parse().expect("date") };
    let pt = f.user("pia", &[Role::Pt]);
    assert!(matches!(
        f.chart.close_clinic_on(&pt, "2026-12-25", "Christmas Day"),
        Err(ChartError::Forbidden { .. })
    ));
    let no_reason = f
        .chart
        .close_clinic_on(&f.owner, "2026-12-25", " ")
        .expect_err("a reason");
    assert!(no_reason.to_string().contains("say why"), "{no_reason}");
    let made = f
        .chart
        .close_clinic_on(&f.owner, "2026-12-25", "Christmas Day")
        .expect("closed");
    assert_eq!(made.booked, 0);
    // Closing it again gives the day another reason; it is still one closure.
    f.chart
        .close_clinic_on(&f.owner, "2026-12-25", "Christmas")
        .expect("renamed");
    let closures = f
        .chart
        .closures_between(day("2026-12-01"), day("2026-12-31"))
        .expect("closures");
    assert_eq!(closures.len(), 1);
    assert_eq!(closures[0].reason, "Christmas");

    let calendar = f
        .chart
        .clinic_calendar(day("2026-12-21"), day("2026-12-27"))
        .expect("calendar");
    assert!(calendar.open_on(day("2026-12-24")));
    let christmas = calendar.closed_on(day("2026-12-25")).expect("closed");
    assert_eq!(christmas.reason.as_deref(), Some("Christmas"));
    assert_eq!(christmas.words(), "the clinic is closed: Christmas");
    let saturday = calendar.closed_on(day("2026-12-26")).expect("the weekend");
    assert_eq!(
        (saturday.words(), saturday.reason),
        ("the clinic is not open on Saturdays".into(), None)
    );

    assert!(matches!(
        f.chart.reopen_clinic_on(&pt, "2026-12-25"),
        Err(ChartError::Forbidden { .. })
    ));
    f.chart.reopen_clinic_on(&f.owner, "2026-12-25").expect("opened");
    let calendar = f
        .chart
        .clinic_calendar(day("2026-12-25"), day("2026-12-25"))
        .expect("calendar");
    assert!(calendar.open_on(day("2026-12-25")));
    assert!(
        f.chart.reopen_clinic_on(&f.owner, "2026-12-25").is_err(),
        "not closed any more"
    );
}

#[test]
fn the_banner_names_diagnoses_without_reading_the_code_set() {
    let f = Fixture::new();
    let day: chrono::NaiveDate = "2026-03-10".parse().expect("day");
    let named = |chart: &stride_chart::Chart| {
        let banner = chart
            .patient_banner(&f.patient_id, Some(&f.episode_id), day)
            .expect("banner");
        banner.episode.expect("episode").diagnoses[0].description.clone()
    };
    let expected = stride_icd10::CodeSet::builtin()
        .get("M54.50")
        .expect("in the code set")
        .description
        .to_owned();
    // The episode's codes were checked on entry, and their words kept: a chart opened
    // afresh names them without reading the code set (about 9 MB) into memory.
    let chart = stride_chart::Chart::open(&f.path, &crate::key()).expect("open");
    assert_eq!(named(&chart), expected);
    assert!(!chart.holds_code_sets(), "the banner read the whole code set");
    // A code this device never checked (one a sync brought in) is named from the code set.
    chart
        .connection()
        .execute("DELETE FROM diagnosis_words", [])
        .expect("forget the words");
    assert_eq!(named(&chart), expected);
    assert!(chart.holds_code_sets());
}

#[test]
fn words_missing_for_codes_in_use_are_kept_once() {
    let f = Fixture::new();
    let chart = stride_chart::Chart::open(&f.path, &crate::key()).expect("open");
    assert_eq!(chart.keep_missing_diagnosis_words().expect("none missing"), 0);
    assert!(!chart.holds_code_sets(), "nothing missing, nothing read");
    // A chart from before the words were kept (or a code a sync brought in).
    chart
        .connection()
        .execute("DELETE FROM diagnosis_words", [])
        .expect("forget the words");
    assert_eq!(chart.keep_missing_diagnosis_words().expect("kept"), 1);
    let again = stride_chart::Chart::open(&f.path, &crate::key()).expect("open");
    assert_eq!(again.keep_missing_diagnosis_words().expect("none missing"), 0);
    let banner = again
        .patient_banner(&f.patient_id, Some(&f.episode_id), "2026-03-10".parse().expect("day"))
        .expect("banner");
    assert!(!banner.episode.expect("episode").diagnoses[0].description.is_empty());
    assert!(!again.holds_code_sets());
}

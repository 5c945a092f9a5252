//! The desktop app's operations, over a real chart file, without a window: a therapist's
//! first run and day, the lock screen, and the demo clinic.

use stride_chart::episodes::NewEpisode;
use stride_chart::notes::NoteEdit;
use stride_chart::patients::NewPatient;
use stride_desktop::desk::Desk;
use stride_desktop::error::ErrorKind;
use stride_desktop::schedule::ScheduleQuery;

mod common;
use common::{desk, first_run};

#[test]
fn a_visit_from_first_run_to_addendum() {
    let (dir, desk) = desk();
    first_run(&desk);
    let payer = desk.add_payer("Medicare Part B", "cms").expect("payer");
    let patient = desk
        .add_patient(NewPatient {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            dob: "1950-04-12".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    let episode = desk
        .add_episode(NewEpisode {
            patient_id: patient.id.clone(),
            payer_id: payer.id.clone(),
            diagnoses: vec!["M54.50".into()],
            start_date: Some("2026-03-02".into()),
            ..NewEpisode::default()
        })
        .expect("episode");
    let appointment = desk
        .book(&patient.id, Some(&episode.id), None, "2026-03-02T09:00", 45)
        .expect("book");
    let day = desk.schedule(ScheduleQuery::day("2026-03-02")).expect("schedule").rows;
    assert_eq!(day.len(), 1);
    assert_eq!(day[0].patient_name, "Ann Lee");
    desk.set_appointment_status(&appointment.id, "arrived")
        .expect("check in");
    let visit_note = desk.open_visit_note(&appointment.id).expect("the visit's note");
    assert_eq!(visit_note.note.date_of_service, "2026-03-02");
    let again = desk.open_visit_note(&appointment.id).expect("the same note again");
    assert_eq!(
        again.note.id, visit_note.note.id,
        "opening the visit's note twice opens one note"
    );

    let id = visit_note.note.id.clone();
    let units = |s: &stride_desktop::desk::NoteScreen| s.billing.as_ref().map(|b| b.total_units).unwrap_or(0);
    let s = desk.set_service(&id, "97112", 24, None).expect("service");
    assert_eq!(units(&s), 2);
    let s = desk.set_service(&id, "97110", 23, None).expect("service");
    assert_eq!(units(&s), 3, "47 timed minutes: 3 units");
    let s = desk.set_service(&id, "97140", 8, None).expect("service");
    assert_eq!(units(&s), 4, "55 timed minutes: 4 units");
    let s = desk.set_service(&id, "97140", 5, None).expect("service");
    assert_eq!(units(&s), 3, "52 timed minutes: back to 3");
    let edit = NoteEdit {
        subjective: Some("Back pain 4/10.".into()),
        total_treatment_minutes: Some(52),
        ..NoteEdit::default()
    };
    desk.save_note(&id, edit).expect("autosave");
    let signed = desk.sign_note(&id).expect("sign");
    assert!(signed.note.content_hash.is_some());
    assert!(signed.billing.is_none(), "a signed note shows its stored charge lines");
    let with_addendum = desk.add_addendum(&id, "Called: pain eased.").expect("addendum");
    // A flowsheet written on one visit is carried, marked, into the next visit's note.
    let second = desk
        .create_note(&episode.id, "daily", "2026-03-04")
        .expect("second note")
        .note
        .id;
    let row = stride_chart::notes::FlowsheetRow {
        exercise: "Bridge".into(),
        sets: Some(3),
        reps: Some(10),
        load: None,
        carried: false,
    };
    desk.set_flowsheet(&second, vec![row]).expect("flowsheet");
    let third = desk
        .create_note(&episode.id, "daily", "2026-03-06")
        .expect("third note");
    assert_eq!(third.note.flowsheet.len(), 1);
    assert!(third.note.flowsheet[0].carried, "copied forward and marked");
    assert_eq!(with_addendum.note.addenda.len(), 1);
    let chart = desk.patient_chart(&patient.id).expect("chart");
    assert_eq!(chart.timeline.len(), 3, "the signed note and two drafts");
    // A chart that is not linked to a clinic server has nothing waiting to sync.
    let status = desk.status().expect("status");
    assert_eq!((status.sync.state.as_str(), status.pending_changes), ("local only", 0));
    // Reading a note is in the audit trail, as in the command line: the visit's note was
    // opened again once, and now once more.
    desk.note(&id).expect("read the signed note");
    drop(desk);
    let chart = stride_chart::Chart::open(
        &dir.path().join("clinic.stride"),
        &stride_chart::KeySource::Passphrase("desk test passphrase".into()),
    )
    .expect("reopen");
    let opens: i64 = chart
        .connection()
        .query_row(
            "SELECT count(*) FROM audit_event WHERE action = 'open' AND entity = 'note' AND entity_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(opens, 2);
}

#[test]
fn the_lock_screen_loses_nothing() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let payer = desk.add_payer("Blue Cross", "ama").expect("payer");
    let patient = desk
        .add_patient(NewPatient {
            first_name: "Bo".into(),
            last_name: "Ng".into(),
            dob: "1970-01-01".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    let episode = desk
        .add_episode(NewEpisode {
            patient_id: patient.id,
            payer_id: payer.id,
            diagnoses: vec!["M25.561".into()],
            ..NewEpisode::default()
        })
        .expect("episode");
    let note = desk
        .create_note(&episode.id, "daily", &chrono::Local::now().date_naive().to_string())
        .expect("note");
    desk.save_note(
        &note.note.id,
        NoteEdit {
            subjective: Some("typed before the lock".into()),
            ..NoteEdit::default()
        },
    )
    .expect("autosave");
    desk.lock().expect("lock");
    let err = desk.note(&note.note.id).expect_err("locked");
    assert_eq!(err.kind, ErrorKind::Locked);
    assert_eq!(
        tauri::async_runtime::block_on(desk.sign_in("maria", "wrong"))
            .expect_err("wrong password")
            .kind,
        ErrorKind::BadCredentials
    );
    tauri::async_runtime::block_on(desk.sign_in("maria", "owner-password")).expect("unlock");
    assert_eq!(
        desk.note(&note.note.id).expect("note").note.subjective,
        "typed before the lock"
    );
}

#[test]
fn the_demo_clinic_opens_with_a_day_of_schedule() {
    let (_dir, desk) = desk();
    let user = desk.open_demo().expect("demo");
    assert_eq!(user.name, "demo");
    assert!(desk.status().expect("status").demo);
    assert!(
        !desk
            .schedule(ScheduleQuery::default())
            .expect("schedule")
            .rows
            .is_empty(),
        "the demo has appointments today"
    );
    assert!(!desk.search_patients("a").expect("search").is_empty());
}

#[test]
fn a_pin_unlocks_the_locked_screen_until_too_many_tries() {
    let (_dir, desk) = desk();
    first_run(&desk);
    desk.set_pin("2468").expect("pin");
    desk.lock().expect("lock");
    let status = desk.status().expect("status");
    assert_eq!(status.locked_user.map(|u| u.name), Some("maria".into()));
    assert!(status.pin_unlock);
    desk.unlock_with_pin("2468").expect("unlock");
    desk.lock().expect("lock again");
    for _ in 0..stride_desktop::desk::PIN_ATTEMPTS {
        assert_eq!(
            desk.unlock_with_pin("0000").expect_err("wrong").kind,
            ErrorKind::BadCredentials
        );
    }
    assert_eq!(
        desk.unlock_with_pin("2468").expect_err("too many").kind,
        ErrorKind::PinLocked
    );
    assert!(!desk.status().expect("status").pin_unlock);
    tauri::async_runtime::block_on(desk.sign_in("maria", "owner-password")).expect("the password still works");
}

#[test]
fn outcome_measures_score_as_filled_and_keep_their_history() {
    let (_dir, desk) = desk();
    desk.open_demo().expect("demo");
    let forms = desk.measure_forms().expect("forms");
    let lefs = forms.iter().find(|f| f.id == "lefs").expect("LEFS");
    assert_eq!(lefs.items.len(), 20);
    let mut partial = vec![Some(4); 10];
    partial.extend([None; 10]);
    let partial = stride_measures::Answers::whole(&partial);
    assert_eq!(
        desk.score_measure("lefs", &partial).expect("live score").display,
        "no score"
    );
    let patient = desk.search_patients("a").expect("patients").remove(0);
    let episode = desk.patient_chart(&patient.id).expect("chart").episodes.remove(0);
    // The demo has given its LEFS already; two more join that history.
    let before = desk
        .measure_history(&episode.id, "lefs")
        .expect("history")
        .results
        .len();
    desk.record_measure(
        &episode.id,
        "lefs",
        "2026-03-02",
        &stride_measures::Answers::whole(&[Some(2); 20]),
    )
    .expect("first");
    let history = desk
        .record_measure(
            &episode.id,
            "lefs",
            "2026-03-16",
            &stride_measures::Answers::whole(&[Some(3); 20]),
        )
        .expect("second");
    assert_eq!(history.results.len(), before + 2);
    let last = history.results.last().expect("the second");
    assert!(last.since_previous.as_ref().is_some_and(|c| c.reaches_mcid()));
    // The trend plots the same administrations, shaded from the first score up by LEFS's MCID.
    assert_eq!(history.trend.points.len(), history.results.len());
    let first = history.results[0].plotted.expect("the first is scored");
    let band = history.trend.mcid_band.expect("LEFS has an MCID");
    assert_eq!((band.from, band.to, band.mcid), (first, first + 9.0, 9.0));
    assert_eq!(
        history.trend.since_first.as_deref(),
        last.since_first.as_ref().map(|c| c.sentence.as_str())
    );
}

#[test]
fn a_biller_goes_from_signed_notes_to_a_posted_remittance() {
    let (dir, desk) = desk();
    desk.open_demo().expect("demo");
    let today = chrono::Local::now().date_naive();
    let from = (today - chrono::Duration::days(120)).to_string();
    let built = desk.build_claims(&from, &today.to_string()).expect("build");
    assert!(!built.claims.is_empty(), "the demo clinic has signed visits to bill");
    let view = desk.billing().expect("billing");
    let drafts = view
        .claims
        .iter()
        .filter(|c| c.status == stride_billing::ClaimStatus::Draft)
        .count();
    assert_eq!(
        drafts,
        built.claims.len(),
        "the demo's earlier weeks are billed already"
    );

    let refused = desk.mark_ready(&built.claims).expect("ready");
    assert!(refused.is_empty(), "the demo clinic bills clean: {refused:?}");
    let exported = desk.export_837().expect("export");
    assert_eq!(exported.claims, built.claims.len());
    assert!(
        exported
            .path
            .starts_with(&dir.path().join("exports").display().to_string())
    );
    let x12 = std::fs::read_to_string(&exported.path).expect("the 837P file");
    stride_billing::testing::both_readers("desk-demo.837", &x12).expect("the exported 837P is valid");

    let era = std::fs::read_to_string(desk.demo_remittance().expect("the demo payer's 835")).expect("835");
    stride_billing::testing::both_readers("desk-demo.835", &era).expect("the demo payer's 835 is valid");
    let posted = desk.import_835(&era).expect("import");
    // Claims Medicare crossed over post twice: Medicare's payment, then the Medigap plan's.
    assert!(posted.posted.len() > built.claims.len(), "{posted:?}");
    assert!(posted.payments.len() >= 3, "one payment per payer");
    let view = desk.billing().expect("billing");
    let sent_now = |id: &String| built.claims.contains(id);
    let partial = view
        .claims
        .iter()
        .filter(|c| sent_now(&c.id))
        .filter(|c| {
            // A line denied: partially paid, or denied when it was the claim's only line.
            matches!(
                c.status,
                stride_billing::ClaimStatus::PartiallyPaid | stride_billing::ClaimStatus::Denied
            )
        })
        .count();
    assert!(
        partial > 0 && partial <= built.claims.len().div_ceil(7),
        "every seventh primary claim has a line denied: {partial} of {}",
        built.claims.len()
    );
    let denials: Vec<_> = view.denials.iter().filter(|d| sent_now(&d.claim_id)).collect();
    assert_eq!(denials.len(), partial);
    assert!(denials[0].reasons[0].contains("medically necessary"));
    assert!(
        view.claims
            .iter()
            .all(|c| c.status != stride_billing::ClaimStatus::Submitted)
    );
    assert!(desk.demo_remittance().is_err(), "nothing waits for payment any more");
    let production = desk.production(&from, &today.to_string()).expect("production");
    let billed: i64 = production.iter().map(|r| r.charge_cents).sum();
    // Production counts a charge once (not again on its secondary claim), for claims
    // whose service overlaps the period.
    let charged: i64 = view
        .claims
        .iter()
        .filter(|c| c.responsibility == 1 && c.service_to >= from && c.status != stride_billing::ClaimStatus::Void)
        .map(|c| c.charge_cents)
        .sum();
    assert_eq!(billed, charged);
    // A damaged remittance is refused in words, and nothing changes.
    let err = desk.import_835(&era[..era.len() / 3]).expect_err("damaged");
    assert!(err.message.contains("835 file"), "{}", err.message);
}

#[test]
fn a_clinic_sets_up_billing_from_the_app() {
    let (_dir, desk) = desk();
    first_run(&desk);
    let payer = desk.add_payer("Medicare Part B", "cms").expect("payer");
    let patient = desk
        .add_patient(NewPatient {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            dob: "1950-04-12".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    let setup = desk.billing_setup().expect("setup");
    assert_eq!(setup.clinicians.len(), 1, "the owner is the clinic's PT");
    let profile = stride_chart::billing::profile::BillingProfile {
        npi: Some("1234567893".into()),
        tax_id: Some("12-3456789".into()),
        zip: Some("62701-1234".into()),
        ..setup.profile
    };
    desk.set_billing_profile(&profile).expect("profile");
    desk.set_clinic_fee("97110", 5000).expect("charge");
    let billing = stride_chart::billing::profile::PayerBilling {
        payer_code: Some("00952".into()),
        claim_filing: "MB".into(),
        self_pay: false,
    };
    desk.set_payer_billing(&payer.id, &billing).expect("payer id");
    let address = stride_chart::billing::profile::PostalAddress {
        line: "12 Oak Ave".into(),
        city: "Springfield".into(),
        state: "il".into(),
        zip: "62704".into(),
    };
    desk.set_patient_address(&patient.id, &address).expect("address");
    desk.set_user_npi(&setup.clinicians[0].0, "1003000126").expect("npi");
    let after = desk.billing_setup().expect("setup");
    assert_eq!(after.profile.tax_id.as_deref(), Some("123456789"));
    assert_eq!(after.charges, [("97110".to_owned(), 5000)]);
    assert_eq!(
        after.payers[&payer.id], billing,
        "the payer form starts from what is stored"
    );
    let chart = desk.patient_chart(&patient.id).expect("chart");
    assert_eq!(chart.patient.state.as_deref(), Some("IL"));
    // Bad input is refused in words.
    let err = desk
        .set_user_npi(&setup.clinicians[0].0, "1234567890")
        .expect_err("bad NPI");
    assert!(err.message.contains("check digit"), "{}", err.message);
}

/// The screen locks after the idle limit whatever the page does: the status the page
/// reads shows the lock, and any command is refused until the user signs in again; a
/// user the page reports still there keeps working.
#[test]
fn the_idle_lock_is_enforced_by_the_desk_itself() {
    let dir = tempfile::tempdir().expect("dir");
    let limit = std::time::Duration::from_millis(1000);
    let desk = Desk::new(dir.path().join("clinic.stride"), dir.path().join("demo.stride")).with_idle_limit(limit);
    first_run(&desk);
    // Someone working, or reported still there, never reaches the limit.
    for _ in 0..3 {
        std::thread::sleep(limit * 3 / 10);
        desk.still_here().expect("still here");
    }
    std::thread::sleep(limit * 3 / 10);
    desk.schedule(ScheduleQuery::default())
        .expect("a command keeps the session alive too");
    // Then nothing for longer than the limit.
    std::thread::sleep(limit + limit / 4);
    let status = desk.status().expect("status");
    assert_eq!(status.user, None, "locked");
    assert_eq!(status.locked_user.map(|u| u.name), Some("maria".into()));
    assert_eq!(
        desk.schedule(ScheduleQuery::default()).expect_err("locked").kind,
        ErrorKind::Locked
    );
    assert_eq!(desk.still_here().expect_err("locked").kind, ErrorKind::Locked);
    tauri::async_runtime::block_on(desk.sign_in("maria", "owner-password")).expect("sign in again");
    desk.schedule(ScheduleQuery::default()).expect("working again");
}

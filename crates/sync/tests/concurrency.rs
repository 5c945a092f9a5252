//! Devices that push and pull at the same time while their people keep working,
//! including two PTs co-signing the same note offline: every device converges, nothing
//! stays pending, and once caught up a sync moves nothing (no device loops).

mod harness;

use harness::{Device, TestServer};
use stride_chart::Session;
use stride_chart::episodes::NewEpisode;
use stride_chart::notes::{NoteEdit, NoteKind};
use stride_chart::patients::NewPatient;
use stride_chart::payers::Payer;
use stride_coding::UnitMethod;

fn patient(first: &str) -> NewPatient {
    NewPatient {
        first_name: first.into(),
        last_name: "Busy".into(),
        dob: "1955-05-06".into(),
        ..NewPatient::default()
    }
}

/// A new episode under the clinic's payer with a draft daily note; returns the note.
fn episode_and_note(device: &Device, who: &Session, first: &str) -> String {
    let mut chart = device.chart();
    let payer_id = chart.payers().expect("payers")[0].id.clone();
    let patient_id = chart.add_patient(who, &patient(first)).expect("patient");
    let episode = chart
        .add_episode(
            who,
            &NewEpisode {
                patient_id,
                payer_id,
                diagnoses: vec!["M54.50".into()],
                ..NewEpisode::default()
            },
        )
        .expect("episode");
    let note = chart
        .create_note(who, &episode, NoteKind::Daily, "2026-11-30", None)
        .expect("note");
    chart.set_service(who, &note, "97110", 30, None).expect("service");
    note
}

/// A person's day on one device: `rounds` changes, each followed by a sync, while the
/// other devices do the same.
async fn busy(device: &Device, user: &str, rounds: usize) {
    let who = device.session(user);
    for round in 0..rounds {
        let note = episode_and_note(device, &who, &format!("{user}{round}"));
        let text = NoteEdit::text_field("subjective", format!("round {round}")).expect("field");
        device.chart().edit_note(&who, &note, &text).expect("edit");
        if round % 2 == 0 {
            device.chart().sign_note(&who, &note).expect("sign");
        }
        // Faults are not injected here: a sync may still fail while another device's
        // transaction holds a lock, and is simply tried again next round.
        let _ = device.try_sync().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn devices_syncing_at_once_while_working_converge_and_two_cosignatures_settle() {
    let server = TestServer::start().await;
    let (a, b, c) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "eve").await,
        Device::join(&server.url, "pat").await,
    );
    a.sync().await;
    let dana = a.session("dana");
    a.chart()
        .add_payer(&dana, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
        .expect("payer");
    a.sync().await;
    b.sync().await;
    c.sync().await;
    // Pat (a PTA) signs a note that needs a PT's co-signature; both PTs get it.
    let pat = c.session("pat");
    let note = episode_and_note(&c, &pat, "Shared");
    c.chart().sign_note(&pat, &note).expect("PTA signs");
    c.sync().await;
    a.sync().await;
    b.sync().await;
    // Both PTs co-sign it offline.
    let eve = b.session("eve");
    a.chart().cosign_note(&dana, &note).expect("Dana co-signs");
    b.chart().cosign_note(&eve, &note).expect("Eve co-signs");

    // Everyone works and syncs at once.
    tokio::join!(busy(&a, "dana", 6), busy(&b, "eve", 6), busy(&c, "pat", 6));

    // Caught up: a few quiet rounds, then nothing moves.
    for _ in 0..3 {
        for d in [&a, &b, &c] {
            d.sync().await;
        }
    }
    for d in [&a, &b, &c] {
        let summary = d.sync().await;
        assert_eq!(
            (summary.pushed, summary.pulled),
            (0, 0),
            "a caught-up device moves nothing"
        );
        let state = d.chart().sync_state().expect("state");
        assert_eq!(state.pending, 0);
    }
    let reference = a.records();
    assert!(
        !reference
            .iter()
            .any(|(kind, id, _)| kind == "sync_issue" && id.starts_with("local:")),
        "no device failed to store a version"
    );
    assert_eq!(b.records(), reference);
    assert_eq!(c.records(), reference);
    // One co-signature stands everywhere; the other was refused and is listed as such.
    let cosigner = a.chart().note(&note).expect("note").cosigned_by.expect("co-signed");
    assert!([dana.user_id.clone(), eve.user_id.clone()].contains(&cosigner));
    let loser = if cosigner == dana.user_id { &b } else { &a };
    let refused = loser.chart().refused_ops().expect("refused");
    assert!(refused.iter().any(|r| r.op_type == "note.cosign"), "{refused:?}");
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        1 + 3 * 6
    );
}

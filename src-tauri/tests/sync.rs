//! Two desktop apps of one clinic, each joining a real clinic server on loopback: what
//! one writes reaches the other through the background worker, and the status bar says so.

use std::time::{Duration, Instant};
use stride_chart::patients::NewPatient;
use stride_desktop::desk::Desk;
use stride_desktop::sync::JoinClinic;
use stride_server::fixture::{Fixture, PASSWORD};

/// A clinic server on a fresh database, served from Tauri's own runtime.
fn server() -> String {
    tauri::async_runtime::block_on(async {
        let fixture = Fixture::create().await;
        let (url, _task) = stride_server::fixture::serve(fixture.pool).await;
        url
    })
}

fn join(dir: &tempfile::TempDir, name: &str, server: &str) -> Desk {
    let desk = Desk::new(
        dir.path().join(format!("{name}.stride")),
        dir.path().join("demo.stride"),
    );
    joined(desk, name, server)
}

/// `desk` joined to the clinic as `name`.
fn joined(desk: Desk, name: &str, server: &str) -> Desk {
    let user = tauri::async_runtime::block_on(desk.join_clinic(JoinClinic {
        server: server.into(),
        name: name.into(),
        password: PASSWORD.into(),
        device_name: format!("{name}'s computer"),
        passphrase: Some("desk passphrase".into()),
    }))
    .expect("join");
    assert_eq!(user.name, name);
    desk
}

/// Waits for `ok`, up to ten seconds (the worker syncs in the background).
fn eventually(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn two_desktops_sync_through_the_clinic_server() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let front_desk = join(&dir, "frank", &server);
    let therapist = Desk::new(dir.path().join("dana.stride"), dir.path().join("demo.stride"));
    // The therapist's window is told what sync brings, without asking.
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard = std::sync::Arc::clone(&told);
    therapist.on_change(std::sync::Arc::new(move |e| heard.lock().expect("events").push(e)));
    let therapist = joined(therapist, "dana", &server);
    assert_eq!(front_desk.status().expect("status").sync.state, "online");

    let patient = front_desk
        .add_patient(NewPatient {
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            dob: "1936-12-09".into(),
            ..NewPatient::default()
        })
        .expect("patient");
    // The front desk's change is pushed without anyone asking, and the therapist's worker
    // pulls it on its next pass (or sooner, when asked).
    eventually("the front desk's change is pushed", || {
        front_desk.status().expect("status").sync.pending == 0
    });
    therapist.sync_now();
    eventually("the therapist sees the patient", || {
        therapist
            .search_patients("Hopper")
            .expect("search")
            .iter()
            .any(|p| p.id == patient.id)
    });
    eventually("the therapist's window is told a sync brought records in", || {
        told.lock().expect("events").iter().any(|e| e.pulled > 0)
    });
    let status = therapist.status().expect("status");
    assert_eq!(status.sync.state, "online");
    assert!(status.sync.last_sync_at.is_some());
    assert_eq!(status.sync.open_issues, 0);
    assert!(therapist.sync_issues().expect("issues").issues.is_empty());
    // Closing, as the app does: each worker finishes what it is writing first.
    for desk in [&front_desk, &therapist] {
        desk.stop_sync();
        assert_eq!(desk.status().expect("status").sync.state, "local only");
    }
}

#[test]
fn joining_an_unreachable_server_leaves_no_chart_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let desk = Desk::new(dir.path().join("clinic.stride"), dir.path().join("demo.stride"));
    let err = tauri::async_runtime::block_on(desk.join_clinic(JoinClinic {
        server: "http://127.0.0.1:9".into(),
        name: "dana".into(),
        password: PASSWORD.into(),
        device_name: "laptop".into(),
        passphrase: Some("p".into()),
    }))
    .expect_err("no server");
    assert!(
        err.message.contains("could not reach the clinic server"),
        "{}",
        err.message
    );
    assert!(!dir.path().join("clinic.stride").exists());
    assert!(!desk.status().expect("status").chart_exists);
}

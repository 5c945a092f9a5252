//! The desktop app on a computer that joined a clinic server: a colleague who never
//! signed in on it signs in through the server (and offline afterwards), and when the
//! computer's sign-in to the server ends, the status bar asks for a sign-in and a sign-in
//! brings sync back. A real server on loopback over a fresh PostgreSQL database.

use std::time::Duration;
use stride_chart::patients::NewPatient;
use stride_desktop::desk::Desk;
use stride_desktop::error::ErrorKind;
use stride_desktop::sync::JoinClinic;
use stride_server::fixture::{Fixture, PASSWORD};

/// Waits (a little) for the status bar to show what `ready` looks for.
fn wait_for(desk: &Desk, ready: impl Fn(&stride_desktop::sync::SyncView) -> bool) -> stride_desktop::sync::SyncView {
    for _ in 0..100 {
        let view = desk.status().expect("status").sync;
        if ready(&view) {
            return view;
        }
        desk.sync_now();
        std::thread::sleep(Duration::from_millis(100));
    }
    desk.status().expect("status").sync
}

#[test]
fn a_colleague_signs_in_through_the_server_and_an_ended_sign_in_is_asked_for() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (fixture, url) = runtime.block_on(async {
        let fixture = Fixture::create().await;
        let url = stride_server::fixture::serve(fixture.pool.clone()).await.0;
        (fixture, url)
    });
    let dir = tempfile::tempdir().expect("dir");
    let desk = Desk::new(dir.path().join("clinic.stride"), dir.path().join("demo.stride"));
    tauri::async_runtime::block_on(desk.join_clinic(JoinClinic {
        server: url,
        name: "frank".into(),
        password: PASSWORD.into(),
        device_name: "Front desk".into(),
        passphrase: Some("desk passphrase".into()),
    }))
    .expect("join");
    // Eve never signed in on this computer: the server checks her password, once.
    desk.lock().expect("lock");
    assert_eq!(
        tauri::async_runtime::block_on(desk.sign_in("eve", "not her password"))
            .expect_err("wrong")
            .kind,
        ErrorKind::BadCredentials
    );
    tauri::async_runtime::block_on(desk.sign_in("eve", PASSWORD)).expect("eve through the server");
    desk.add_patient(NewPatient {
        first_name: "Seen".into(),
        last_name: "ByEve".into(),
        dob: "1980-01-01".into(),
        ..NewPatient::default()
    })
    .expect("patient");
    assert!(wait_for(&desk, |v| v.state == "online" && v.pending == 0).pending == 0);

    // Thirty days later, nobody renewed: every token of this computer has expired.
    runtime.block_on(async {
        fixture
            .pool
            .get()
            .await
            .expect("db")
            .execute("UPDATE device_token SET expires_at = now() - interval '1 minute'", &[])
            .await
            .expect("expire");
    });
    desk.add_patient(NewPatient {
        first_name: "Waiting".into(),
        last_name: "Offline".into(),
        dob: "1981-01-01".into(),
        ..NewPatient::default()
    })
    .expect("work goes on");
    let view = wait_for(&desk, |v| v.sign_in_needed);
    assert!(view.sign_in_needed, "{view:?}");
    assert!(
        view.last_error.as_deref().is_some_and(|e| e.contains("sign in again")),
        "{view:?}"
    );
    // Eve signs in again (offline, on this computer's verifier): sync comes back by itself.
    desk.lock().expect("lock");
    tauri::async_runtime::block_on(desk.sign_in("eve", PASSWORD)).expect("eve offline");
    let view = wait_for(&desk, |v| !v.sign_in_needed && v.pending == 0);
    assert_eq!((view.sign_in_needed, view.pending), (false, 0), "{view:?}");
    let synced: i64 = runtime.block_on(async {
        fixture
            .pool
            .get()
            .await
            .expect("db")
            .query_one("SELECT count(*) FROM record WHERE entity = 'patient'", &[])
            .await
            .expect("count")
            .get(0)
    });
    assert_eq!(synced, 2);
}

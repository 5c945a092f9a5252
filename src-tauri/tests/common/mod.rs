//! What the desk tests share: a desk over a fresh chart, and the clinic's first run.

use stride_desktop::desk::{Desk, NewClinic};

/// A desk over a fresh chart file in a temporary directory.
pub fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().expect("dir");
    let desk = Desk::new(dir.path().join("clinic.stride"), dir.path().join("demo.stride"));
    (dir, desk)
}

/// The first run: the clinic "Riverside PT" and its owner maria, a PT, signed in.
pub fn first_run(desk: &Desk) {
    let status = desk.status().expect("status");
    assert!(!status.chart_exists && !status.open);
    let owner = desk
        .create_clinic(NewClinic {
            clinic: "Riverside PT".into(),
            name: "maria".into(),
            password: "owner-password".into(),
            role: None,
            passphrase: Some("desk test passphrase".into()),
        })
        .expect("first run");
    assert_eq!(owner.name, "maria");
    let status = desk.status().expect("status");
    assert!(status.chart_exists && status.open && status.user.is_some());
    assert_eq!(status.sync.state, "local only");
}

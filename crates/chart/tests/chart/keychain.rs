//! The OS keychain path (`KeySource::Keychain`) against a real Secret Service.
//!
//! These tests lock and unlock the keychain, so they run only with `STRIDE_TEST_KEYRING=1`
//! inside `scripts/keyring-session.sh`, which gives them a throwaway gnome-keyring in a
//! private D-Bus session (`tests/run` does this):
//!
//! ```sh
//! scripts/keyring-session.sh env STRIDE_TEST_KEYRING=1 cargo test -p stride-chart --test chart keychain
//! ```
//!
//! Without the variable each test says on stderr that it was skipped.

use crate::{Fixture, PASSPHRASE};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use stride_chart::keys::read_salt;
use stride_chart::patients::NewPatient;
use stride_chart::{Chart, ChartError, KeySource, Role};

/// The collection the session script creates and unlocks; it is the default one.
const LOGIN: &str = "/org/freedesktop/secrets/collection/login";

/// One test at a time: they lock and unlock the same keychain.
static TURN: Mutex<()> = Mutex::new(());

/// The test keychain, unlocked (a failed test may have left it locked) and held for one
/// test; `None`, said on stderr, when the keychain tests were not asked for.
fn keychain(test: &str) -> Option<MutexGuard<'static, ()>> {
    if std::env::var("STRIDE_TEST_KEYRING").as_deref() != Ok("1") {
        // Written to the stderr handle itself, in one write: libtest swallows `eprintln!`
        // of passing tests.
        let line = format!(
            "SKIPPED keychain::{test}: needs a Secret Service; set STRIDE_TEST_KEYRING=1 and run it inside \
             scripts/keyring-session.sh (tests/run does)\n"
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
        return None;
    }
    assert!(
        std::env::var_os("STRIDE_KEYRING_CONTROL").is_some() && std::env::var_os("STRIDE_KEYRING_PASSWORD").is_some(),
        "STRIDE_TEST_KEYRING=1 locks and unlocks the keychain: run the tests inside scripts/keyring-session.sh, \
         which gives them a throwaway one"
    );
    let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if login_locked() {
        unlock_login();
    }
    Some(turn)
}

/// Runs `dbus-send` on the session bus and returns its output; panics if it fails.
fn dbus_send(args: &[&str]) -> String {
    let out = Command::new("dbus-send")
        .args(["--session", "--print-reply=literal", "--dest=org.freedesktop.secrets"])
        .args(args)
        .output()
        .expect("run dbus-send");
    assert!(
        out.status.success(),
        "dbus-send {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether the login collection is locked.
fn login_locked() -> bool {
    let reply = dbus_send(&[
        LOGIN,
        "org.freedesktop.DBus.Properties.Get",
        "string:org.freedesktop.Secret.Collection",
        "string:Locked",
    ]);
    reply.contains("true")
}

/// Locks the login collection, as the desktop does on a screen lock or a timeout.
fn lock_login() {
    dbus_send(&[
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.Lock",
        &format!("array:objpath:{LOGIN}"),
    ]);
    assert!(login_locked(), "the login collection did not lock");
}

/// Unlocks the login collection with its password, as signing in does: through the
/// daemon's control socket (gnome-keyring's daemon/control/gkd-control-client.c). Unlocking
/// over D-Bus would need a password prompt, which a headless session cannot show.
fn unlock_login() {
    let dir = std::env::var("STRIDE_KEYRING_CONTROL").expect("STRIDE_KEYRING_CONTROL");
    let password = std::env::var("STRIDE_KEYRING_PASSWORD").expect("STRIDE_KEYRING_PASSWORD");
    let mut socket =
        std::os::unix::net::UnixStream::connect(Path::new(&dir).join("control")).expect("gnome-keyring control socket");
    socket.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    // One zero byte (the daemon checks the peer's credentials), then one packet, all
    // numbers big-endian: its length, the operation (1: unlock the login keyring), the
    // password's length and the password. The answer: its length, then 0 for success.
    const OP_UNLOCK: u32 = 1;
    let length = u32::try_from(12 + password.len()).expect("short password");
    let mut packet = vec![0u8];
    packet.extend(length.to_be_bytes());
    packet.extend(OP_UNLOCK.to_be_bytes());
    packet.extend(u32::try_from(password.len()).expect("short password").to_be_bytes());
    packet.extend(password.as_bytes());
    socket.write_all(&packet).expect("write to the control socket");
    let mut answer = [0u8; 8];
    socket.read_exact(&mut answer).expect("gnome-keyring answers");
    assert_eq!(
        answer[4..],
        [0, 0, 0, 0],
        "gnome-keyring did not unlock the login keyring"
    );
    assert!(!login_locked(), "the login collection is still locked");
}

/// The keychain entry that holds the key of the chart at `path`.
fn entry(path: &Path) -> keyring::Entry {
    let salt = read_salt(path).expect("salt");
    keyring::Entry::new("stride-chart", &hex::encode(salt)).expect("keychain entry")
}

/// A chart keyed by the keychain, with one patient, closed again. Returns the patient's id.
fn keychain_chart(path: &Path) -> String {
    let (mut chart, owner) = Chart::create(
        path,
        &KeySource::Keychain,
        "Riverside PT",
        "maria",
        "owner-password",
        Role::Pt,
    )
    .expect("create a chart keyed by the keychain");
    chart
        .add_patient(
            &owner,
            &NewPatient {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                dob: "1950-04-12".into(),
                ..NewPatient::default()
            },
        )
        .expect("patient")
}

/// Every file in `dir` with its bytes, to show that a failed open changed nothing.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

/// Opens `path` with the keychain alone and checks the patient is there.
fn opens_with_the_keychain(path: &Path, patient_id: &str) {
    let chart = Chart::open(path, &KeySource::Keychain).expect("opens with the keychain alone");
    assert_eq!(chart.patient(patient_id).expect("patient").last_name, "Lee");
    chart.authenticate("maria", "owner-password").expect("owner signs in");
}

#[test]
fn a_keychain_chart_reopens_with_the_keychain_alone() {
    let Some(_keychain) = keychain("a_keychain_chart_reopens_with_the_keychain_alone") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clinic.stride");
    let patient_id = keychain_chart(&path);

    // The key is in the keychain, under service `stride-chart` and the chart's salt:
    // 32 random bytes in hex.
    let stored = entry(&path).get_password().expect("the chart's key is in the keychain");
    assert_eq!(hex::decode(&stored).expect("hex").len(), 32);

    opens_with_the_keychain(&path, &patient_id);
    // It is not a passphrase chart: no passphrase opens it, not even the key's own hex.
    for wrong in [PASSPHRASE, stored.as_str()] {
        let err = Chart::open(&path, &KeySource::Passphrase(wrong.into()))
            .err()
            .expect("a passphrase does not open a keychain chart");
        assert!(matches!(err, ChartError::WrongKey), "{err}");
    }
    opens_with_the_keychain(&path, &patient_id);
}

#[test]
fn a_locked_keychain_is_a_clear_error_and_never_a_new_key() {
    let Some(_keychain) = keychain("a_locked_keychain_is_a_clear_error_and_never_a_new_key") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clinic.stride");
    let patient_id = keychain_chart(&path);
    let stored = entry(&path).get_password().expect("the chart's key is in the keychain");
    let before = files(dir.path());

    lock_login();
    let err = Chart::open(&path, &KeySource::Keychain)
        .err()
        .expect("a locked keychain does not open the chart");
    assert!(matches!(err, ChartError::KeychainLocked), "{err}");
    assert_eq!(err.kind(), "keychain_locked");
    let message = err.to_string();
    for words in [
        "keychain is locked",
        "unlock your keychain",
        "try again",
        "STRIDE_PASSPHRASE",
        "unlock screen",
    ] {
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }

    // A new chart cannot get a key either: the same error, and nothing left behind.
    let second = dir.path().join("second.stride");
    let err = Chart::create(
        &second,
        &KeySource::Keychain,
        "Other PT",
        "someone",
        "owner-password",
        Role::Pt,
    )
    .err()
    .expect("a locked keychain cannot take a new chart's key");
    assert!(matches!(err, ChartError::KeychainLocked), "{err}");
    assert_eq!(files(dir.path()), before, "the failed open and create changed no file");

    // Unlocked again, the keychain holds the same key and the chart opens as before.
    unlock_login();
    assert_eq!(
        entry(&path).get_password().expect("key"),
        stored,
        "the key was not replaced"
    );
    opens_with_the_keychain(&path, &patient_id);
}

#[test]
fn a_key_missing_from_the_keychain_is_a_clear_error_and_never_a_new_key() {
    let Some(_keychain) = keychain("a_key_missing_from_the_keychain_is_a_clear_error_and_never_a_new_key") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("clinic.stride");
    let patient_id = keychain_chart(&path);
    let stored = entry(&path).get_password().expect("the chart's key is in the keychain");
    entry(&path).delete_credential().expect("delete the key");
    let before = files(dir.path());

    let err = Chart::open(&path, &KeySource::Keychain)
        .err()
        .expect("a chart whose key is gone does not open");
    assert!(matches!(err, ChartError::KeyNotInKeychain), "{err}");
    assert_eq!(err.kind(), "key_not_in_keychain");
    let message = err.to_string();
    for words in [
        "key is not in this computer's keychain",
        "will not make a new one",
        "STRIDE_PASSPHRASE",
        "stride restore",
    ] {
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }
    assert!(
        matches!(entry(&path).get_password(), Err(keyring::Error::NoEntry)),
        "opening stored no new key"
    );
    assert_eq!(files(dir.path()), before, "the failed open changed no file");

    // With the key back in the keychain the same file opens.
    entry(&path).set_password(&stored).expect("put the key back");
    opens_with_the_keychain(&path, &patient_id);
}

#[test]
fn a_passphrase_chart_opened_with_the_keychain_asks_for_its_passphrase() {
    let Some(_keychain) = keychain("a_passphrase_chart_opened_with_the_keychain_asks_for_its_passphrase") else {
        return;
    };
    let f = Fixture::new();
    let path = f.path.clone();
    drop(f.chart);
    let err = Chart::open(&path, &KeySource::Keychain)
        .err()
        .expect("a passphrase chart has no key in the keychain");
    assert!(matches!(err, ChartError::KeyNotInKeychain), "{err}");
    assert!(
        err.to_string().contains("if the chart has a passphrase, give it"),
        "{err}"
    );
    assert!(
        matches!(entry(&path).get_password(), Err(keyring::Error::NoEntry)),
        "opening stored no key"
    );
    Chart::open(&path, &KeySource::Passphrase(PASSPHRASE.into())).expect("opens with its passphrase");
}

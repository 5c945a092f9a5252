//! Backup, verify, restore.

use crate::{Fixture, PASSPHRASE, key};
use stride_chart::backup::{restore, verify_backup};
use stride_chart::patients::NewPatient;
use stride_chart::{Chart, ChartError, KeySource};

const BACKUP_PASSPHRASE: &str = "offsite drive passphrase";

#[test]
fn a_backup_verifies_and_restores_with_its_own_passphrase() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let note = f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let dir = f.dir.path().join("backups");
    let (file, manifest) = f.chart.backup_to(&owner, &dir, BACKUP_PASSPHRASE).expect("backup");
    assert_eq!((manifest.patients, manifest.notes), (1, 1));
    let check = verify_backup(&file, BACKUP_PASSPHRASE).expect("verify");
    assert!(check.ok(), "{check:?}");
    assert_eq!(check.manifest_ok, Some(true));
    assert!(matches!(verify_backup(&file, PASSPHRASE), Err(ChartError::WrongKey)));
    let bytes = std::fs::read(&file).expect("read");
    assert!(!bytes.windows(7).any(|w| w == b"Quixote"), "the backup is encrypted");

    // The laptop is lost: restore on a "new machine" with a new chart passphrase.
    let target = f.dir.path().join("restored.stride");
    let new_key = KeySource::Passphrase("new machine passphrase".into());
    restore(&file, BACKUP_PASSPHRASE, &target, &new_key, false).expect("restore");
    let restored = Chart::open(&target, &new_key).expect("open restored");
    let view = restored.note(&note).expect("note survives");
    assert_eq!(view.hash_verified, Some(true));
    assert!(restored.verify_audit().expect("audit").ok());
    assert_eq!(restored.patient(&f.patient_id).expect("patient").last_name, "Quixote");
}

/// Backs the fixture's chart up into its own folder; returns the backup file.
fn backup_here(f: &mut Fixture, owner: &stride_chart::Session) -> std::path::PathBuf {
    let dir = f.dir.path().to_owned();
    f.chart.backup_to(owner, &dir, BACKUP_PASSPHRASE).expect("backup").0
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_is_restored() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let file = backup_here(&mut f, &owner);
    let mut bytes = std::fs::read(&file).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).expect("write");
    let target = f.dir.path().join("restored.stride");
    assert!(restore(&file, BACKUP_PASSPHRASE, &target, &key(), false).is_err());
    assert!(!target.exists());
}

#[test]
fn restore_will_not_overwrite_a_chart_unless_asked() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let file = backup_here(&mut f, &owner);
    f.chart
        .add_patient(
            &owner,
            &NewPatient {
                first_name: "After".into(),
                last_name: "Backup".into(),
                dob: "1990-01-01".into(),
                ..NewPatient::default()
            },
        )
        .expect("later patient");
    let path = f.path.clone();
    drop(f.chart);
    assert!(matches!(
        restore(&file, BACKUP_PASSPHRASE, &path, &key(), false),
        Err(ChartError::ChartExists(_))
    ));
    restore(&file, BACKUP_PASSPHRASE, &path, &key(), true).expect("replace");
    let chart = Chart::open(&path, &key()).expect("open");
    assert_eq!(
        chart.patients().expect("patients").len(),
        1,
        "back to the backup's state"
    );
    let kept = std::fs::read_dir(f.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".replaced-"));
    assert!(kept, "the replaced chart is kept aside");
}

#[test]
fn a_backup_while_another_connection_writes() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let path = f.path.clone();
    let writer = std::thread::spawn(move || {
        let mut chart = Chart::open(&path, &key()).expect("second connection");
        let session = chart.authenticate("maria", "owner-password").expect("sign in");
        for i in 0..20 {
            chart
                .add_patient(
                    &session,
                    &NewPatient {
                        first_name: format!("Writer{i}"),
                        last_name: "Concurrent".into(),
                        dob: "1990-01-01".into(),
                        ..NewPatient::default()
                    },
                )
                .expect("write during backup");
        }
    });
    let file = backup_here(&mut f, &owner);
    writer.join().expect("writer");
    let check = verify_backup(&file, BACKUP_PASSPHRASE).expect("verify");
    assert!(check.ok(), "{check:?}");
    assert!((1..=21).contains(&check.patients));
}

#[test]
fn a_failed_restore_leaves_the_current_chart_in_place() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let file = backup_here(&mut f, &owner);
    let path = f.path.clone();
    drop(f.chart);
    // A wrong backup passphrase fails before anything is touched.
    assert!(restore(&file, "not the backup passphrase", &path, &key(), true).is_err());
    // So does a restore whose new key cannot be made (no keychain on a headless machine).
    let keychain = restore(&file, BACKUP_PASSPHRASE, &path, &KeySource::Keychain, true);
    if keychain.is_err() {
        let chart = Chart::open(&path, &key()).expect("the current chart is untouched");
        assert_eq!(chart.patients().expect("patients").len(), 1);
    }
    let leftovers = std::fs::read_dir(f.dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".restoring"));
    assert!(!leftovers, "no half-restored file is left behind");
}

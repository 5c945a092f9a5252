//! A kill at any point leaves the chart consistent: the process is killed (SIGKILL)
//! while it writes, and the chart is opened and checked.

use std::process::{Command, Stdio};
use std::time::Duration;
use stride_chart::{Chart, KeySource};

const PASSPHRASE: &str = "crash test passphrase";

/// Starts seeding a large demo clinic, kills it after `after`, returns the chart path.
fn seed_and_kill(dir: &std::path::Path, after: Duration) -> std::path::PathBuf {
    let db = dir.join("crash.stride");
    let mut child = Command::new(env!("CARGO_BIN_EXE_stride"))
        .args([
            "demo",
            "seed",
            "--patients",
            "100000",
            "--visits",
            "10",
            "--today",
            "2026-03-02",
        ])
        .env("STRIDE_DB", &db)
        .env("STRIDE_PASSPHRASE", PASSPHRASE)
        .env("STRIDE_USER", "owner")
        .env("STRIDE_PASSWORD", "owner-password")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("stride starts");
    std::thread::sleep(after);
    child.kill().expect("kill");
    let status = child.wait().expect("reaped");
    assert!(!status.success(), "it was still writing when killed");
    db
}

/// Checks the chart after a kill; returns how many patients it holds.
fn check_consistent(db: &std::path::Path) -> i64 {
    let chart = Chart::open(db, &KeySource::Passphrase(PASSPHRASE.into())).expect("the chart opens after a kill");
    let conn = chart.connection();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    assert!(chart.verify_audit().expect("audit").ok(), "the audit chain verifies");
    let (ops, max_seq): (i64, i64) = conn
        .query_row("SELECT count(*), coalesce(max(device_seq), 0) FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("outbox");
    assert_eq!(ops, max_seq, "the outbox sequence has no gaps");
    let patients: i64 = conn
        .query_row("SELECT count(*) FROM patient", [], |r| r.get(0))
        .expect("patients");
    assert_eq!(
        patients % 50,
        0,
        "patients arrive in whole batches of 50, never half a batch"
    );
    let unsigned: i64 = conn
        .query_row("SELECT count(*) FROM note WHERE signed_at IS NULL", [], |r| r.get(0))
        .expect("drafts");
    assert_eq!(unsigned, 0, "no half-written note survives");
    let mut stmt = conn
        .prepare("SELECT id FROM note ORDER BY random() LIMIT 50")
        .expect("stmt");
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("ids");
    for id in ids {
        assert_eq!(chart.note(&id).expect("note").hash_verified, Some(true), "note {id}");
    }
    patients
}

#[test]
fn killed_while_writing_the_chart_stays_consistent() {
    let mut most = 0;
    for millis in [150, 1500, 3000, 6000] {
        let dir = tempfile::tempdir().expect("dir");
        let db = seed_and_kill(dir.path(), Duration::from_millis(millis));
        if !db.exists() {
            // Killed before the chart was whole: it was never moved into place.
            continue;
        }
        most = most.max(check_consistent(&db));
    }
    assert!(most > 0, "at least one run was killed in the middle of writing records");
}

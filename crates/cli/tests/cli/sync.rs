//! `stride login` and `stride sync` against a real clinic server on loopback.

use crate::stride_env;
use std::process::Output;

use stride_server::fixture::{Fixture, PASSWORD};

/// A clinic server on a fresh database, in a runtime of its own; returns its URL.
fn server() -> (String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = runtime.block_on(async {
        let fixture = Fixture::create().await;
        stride_server::fixture::serve(fixture.pool).await.0
    });
    (url, runtime)
}

fn run(db: &str, user: &str, args: &[&str]) -> Output {
    let mut full = vec!["--db", db, "--user", user];
    full.extend_from_slice(args);
    stride_env(
        &full,
        b"",
        &[
            ("STRIDE_PASSWORD", PASSWORD),
            ("STRIDE_PASSPHRASE", "laptop passphrase"),
        ],
    )
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_new_laptop_joins_the_clinic_and_syncs_a_patient_to_another() {
    let (url, _runtime) = server();
    let dir = tempfile::tempdir().expect("dir");
    let (a, b) = (dir.path().join("a.stride"), dir.path().join("b.stride"));
    let (a, b) = (a.to_str().expect("path"), b.to_str().expect("path"));

    let joined = run(a, "frank", &["login", "--server", &url, "--device-name", "Front desk"]);
    assert!(joined.status.success(), "{}", text(&joined));
    assert!(text(&joined).contains("Signed in to Riverside PT"));
    assert!(run(a, "frank", &["sync"]).status.success());
    let added = run(
        a,
        "frank",
        &[
            "patient",
            "add",
            "--first",
            "Ada",
            "--last",
            "Lovelace",
            "--dob",
            "1960-01-02",
        ],
    );
    assert!(added.status.success(), "{}", text(&added));

    let status = run(a, "frank", &["sync", "status", "--json"]);
    let state: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert_eq!(state["pending"], 1);
    assert_eq!(state["server_url"], url.as_str());

    let synced = run(a, "frank", &["sync"]);
    assert!(text(&synced).contains("1 ops pushed"), "{}", text(&synced));
    assert!(run(b, "dana", &["login", "--server", &url]).status.success());
    assert!(run(b, "dana", &["sync"]).status.success());
    let listed = run(b, "dana", &["patient", "list"]);
    assert!(text(&listed).contains("Lovelace, Ada"), "{}", text(&listed));
    // Users come from the server: adding one on a linked chart is refused with directions.
    let refused = run(b, "dana", &["user", "add", "--name", "zed", "--role", "pt"]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("stride-server user add"), "{}", text(&refused));
}

#[test]
fn sync_with_the_server_unreachable_fails_clearly_and_changes_nothing() {
    let (url, runtime) = server();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("a.stride");
    let db = db.to_str().expect("path");
    assert!(run(db, "frank", &["login", "--server", &url]).status.success());
    assert!(run(db, "frank", &["sync"]).status.success());
    assert!(
        run(
            db,
            "frank",
            &[
                "patient",
                "add",
                "--first",
                "Offline",
                "--last",
                "Visit",
                "--dob",
                "1970-01-01"
            ]
        )
        .status
        .success()
    );
    drop(runtime); // the server goes away
    let before = std::fs::read(db).expect("chart");
    let failed = run(db, "frank", &["sync"]);
    assert!(!failed.status.success());
    let message = text(&failed);
    assert!(
        message.contains("could not reach the clinic server") && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert_eq!(std::fs::read(db).expect("chart"), before, "the chart file is untouched");
    let status = run(db, "frank", &["sync", "status", "--json"]);
    let state: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert_eq!(state["pending"], 1, "the change still waits");

    let elsewhere = dir.path().join("b.stride");
    let missing = run(
        elsewhere.to_str().expect("path"),
        "frank",
        &["login", "--server", "http://127.0.0.1:9"],
    );
    assert!(!missing.status.success());
    assert!(text(&missing).contains("could not reach"));
    // A linked chart signs in only to its own server; patient data never goes over
    // plain HTTP to another machine.
    let other = run(db, "frank", &["login", "--server", "https://other.example"]);
    assert!(
        text(&other).contains("belongs to the clinic server at"),
        "{}",
        text(&other)
    );
    let plain = run(
        elsewhere.to_str().expect("path"),
        "frank",
        &["login", "--server", "http://192.0.2.7:8443"],
    );
    assert!(text(&plain).contains("only over https://"), "{}", text(&plain));
}

/// The id a command printed alone on stdout.
fn id_of(o: &Output) -> String {
    assert!(o.status.success(), "{}", text(o));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

#[test]
fn an_overlapping_edit_is_worked_from_the_command_line() {
    let (url, _runtime) = server();
    let dir = tempfile::tempdir().expect("dir");
    let (a, b) = (dir.path().join("a.stride"), dir.path().join("b.stride"));
    let (a, b) = (a.to_str().expect("path"), b.to_str().expect("path"));
    for db in [a, b] {
        assert!(run(db, "dana", &["login", "--server", &url]).status.success());
        assert!(run(db, "dana", &["sync"]).status.success());
    }
    let payer = id_of(&run(a, "dana", &["payer", "add", "--name", "Acme", "--method", "ama"]));
    let patient = id_of(&run(
        a,
        "dana",
        &[
            "patient",
            "add",
            "--first",
            "Ann",
            "--last",
            "Lee",
            "--dob",
            "1950-04-12",
        ],
    ));
    let episode = id_of(&run(
        a,
        "dana",
        &[
            "episode",
            "add",
            "--patient",
            &patient,
            "--payer",
            &payer,
            "--dx",
            "M54.50",
        ],
    ));
    let note = id_of(&run(
        a,
        "dana",
        &[
            "note",
            "create",
            "--episode",
            &episode,
            "--kind",
            "daily",
            "--date",
            "2026-03-02",
        ],
    ));
    for db in [a, b, a, b] {
        assert!(run(db, "dana", &["sync"]).status.success());
    }
    assert!(
        run(a, "dana", &["note", "edit", &note, "--subjective", "Laptop A's words"])
            .status
            .success()
    );
    assert!(
        run(b, "dana", &["note", "edit", &note, "--subjective", "Laptop B's words"])
            .status
            .success()
    );
    assert!(run(a, "dana", &["sync"]).status.success());
    assert!(run(b, "dana", &["sync"]).status.success());

    let listed = run(b, "dana", &["sync", "issues", "--json"]);
    let issues: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let issue = &issues[0];
    assert_eq!(issue["field"], "subjective", "{issues}");
    assert_eq!(issue["kept"], "\"Laptop A's words\"");
    assert_eq!(issue["other"], "\"Laptop B's words\"");
    let words = run(b, "dana", &["sync", "issues"]);
    assert!(text(&words).contains("kept:  \"Laptop A's words\""), "{}", text(&words));
    let resolved = run(
        b,
        "dana",
        &["sync", "resolve", issue["id"].as_str().expect("id"), "--keep", "mine"],
    );
    assert!(resolved.status.success(), "{}", text(&resolved));
    for db in [b, a, b] {
        assert!(run(db, "dana", &["sync"]).status.success());
    }
    for db in [a, b] {
        let shown = run(db, "dana", &["note", "show", &note, "--json"]);
        let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
        assert_eq!(shown["subjective"], "Laptop B's words");
        let open = run(db, "dana", &["sync", "issues", "--json"]);
        assert_eq!(String::from_utf8_lossy(&open.stdout).trim(), "[]", "settled everywhere");
    }
}

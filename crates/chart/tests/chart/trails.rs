//! The audit chain and the outbox.

use crate::Fixture;
use stride_chart::audit::AuditProblem;

/// Drops the triggers that protect the audit trail, as someone with the key and a SQLite
/// shell could, so the tests can tamper.
fn unprotect(f: &Fixture) {
    f.chart
        .connection()
        .execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;")
        .expect("drop triggers");
}

#[test]
fn every_action_is_audited_and_the_chain_verifies() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let patient = f.patient_id.clone();
    f.chart.record_chart_open(&owner, &patient).expect("open");
    let report = f.chart.verify_audit().expect("verify");
    assert!(report.ok(), "{report:?}");
    // clinic, owner, payer, patient, episode, chart open
    assert_eq!(report.events, 6);
    let actions: Vec<String> = f
        .chart
        .connection()
        .prepare("SELECT action || ' ' || entity FROM audit_event ORDER BY seq")
        .expect("stmt")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("collect");
    assert_eq!(actions.last().map(String::as_str), Some("open patient"));
    assert!(
        f.chart
            .connection()
            .execute("DELETE FROM audit_event WHERE seq = 1", [])
            .is_err(),
        "append-only"
    );
}

#[test]
fn an_altered_event_is_found() {
    let f = Fixture::new();
    unprotect(&f);
    f.chart
        .connection()
        .execute("UPDATE audit_event SET action = 'view' WHERE seq = 3", [])
        .expect("tamper");
    let report = f.chart.verify_audit().expect("verify");
    assert_eq!(report.problems, [AuditProblem::Altered { seq: 3 }]);
}

#[test]
fn a_deleted_event_is_found() {
    let f = Fixture::new();
    unprotect(&f);
    f.chart
        .connection()
        .execute("DELETE FROM audit_event WHERE seq = 2", [])
        .expect("tamper");
    let problems = f.chart.verify_audit().expect("verify").problems;
    assert!(
        problems.contains(&AuditProblem::Missing { expected: 2, found: 3 }),
        "{problems:?}"
    );
    assert!(problems.contains(&AuditProblem::BrokenLink { seq: 3 }), "{problems:?}");
}

#[test]
fn a_deleted_newest_event_is_found() {
    let f = Fixture::new();
    unprotect(&f);
    f.chart
        .connection()
        .execute(
            "DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)",
            [],
        )
        .expect("tamper");
    let problems = f.chart.verify_audit().expect("verify").problems;
    assert!(
        matches!(problems.as_slice(), [AuditProblem::Truncated { found: 4, .. }]),
        "{problems:?}"
    );
}

#[test]
fn a_chart_alone_keeps_no_outbox_and_a_failed_action_writes_nothing() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    // Nothing will ever push them: a standalone chart records changes in its audit trail.
    assert!(f.chart.pending_ops().expect("ops").is_empty());
    assert_eq!(f.chart.pending_op_count().expect("count"), 0);
    let events = f.chart.verify_audit().expect("verify").events;
    assert!(events >= 8, "every change is in the audit trail: {events}");
    // A failed action writes no audit event.
    assert!(f.chart.add_patient(&owner, &Default::default()).is_err());
    assert_eq!(f.chart.verify_audit().expect("verify").events, events);
}

#[test]
fn a_linked_charts_outbox_is_contiguous_and_applied_ops_are_pruned_after_a_while() {
    use stride_chart::sync::Link;
    use stride_protocol::{OpResult, Outcome};
    let dir = tempfile::tempdir().expect("dir");
    let link = Link {
        server_url: "https://clinic.example".into(),
        token: "t".into(),
        token_expires_at: String::new(),
        user_id: "u1".into(),
        device_number: 3,
        device_secret: Some("s".into()),
    };
    let key = stride_chart::KeySource::Passphrase("linked passphrase".into());
    let mut chart = stride_chart::Chart::create_linked(&dir.path().join("c.stride"), &key, "clinic", "device", &link)
        .expect("linked chart");
    // A person as the server publishes them (no hash), who signed in here once.
    chart
        .connection()
        .execute_batch(
            "INSERT INTO clinic (id, name, created_at) VALUES ('clinic', 'Riverside PT', '2026-01-01T00:00:00Z');
             INSERT INTO user (id, name, password_hash, created_at) VALUES ('u1', 'frank', '!', '2026-01-01T00:00:00Z');
             INSERT INTO user_role (user_id, role) VALUES ('u1', 'frontdesk');",
        )
        .expect("user");
    assert!(
        chart.authenticate("frank", "desk password").is_err(),
        "no hash, no verifier"
    );
    chart.remember_password("u1", "desk password").expect("verifier");
    let frank = chart.authenticate("frank", "desk password").expect("sign in");
    for first in ["A", "B", "C"] {
        let p = stride_chart::patients::NewPatient {
            first_name: first.into(),
            last_name: "Linked".into(),
            dob: "1970-01-01".into(),
            ..Default::default()
        };
        chart.add_patient(&frank, &p).expect("patient");
    }
    let ops = chart.pending_ops().expect("ops");
    assert_eq!(ops.iter().map(|o| o.device_seq).collect::<Vec<_>>(), [1, 2, 3]);
    let result = |seq: i64, outcome| OpResult {
        device_seq: seq,
        op_id: ops[(seq - 1) as usize].op_id.clone(),
        outcome,
        reason: None,
        first_outcome: None,
    };
    chart
        .record_outcomes(&[
            result(1, Outcome::Applied),
            result(2, Outcome::Rejected),
            result(3, Outcome::Applied),
        ])
        .expect("outcomes");
    let count = |c: &stride_chart::Chart| -> i64 {
        c.connection()
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count(&chart), 3, "kept a while after the server took them");
    // A month later: the applied ones go, the refused one stays listed.
    chart
        .connection()
        .execute("UPDATE outbox SET acked_at = '2026-01-01T00:00:00.000000Z'", [])
        .expect("age");
    chart.record_outcomes(&[]).expect("prune");
    assert_eq!(count(&chart), 1);
    assert_eq!(chart.refused_ops().expect("refused").len(), 1);
    // Numbering goes on past the pruned ops.
    let p = stride_chart::patients::NewPatient {
        first_name: "D".into(),
        last_name: "Linked".into(),
        dob: "1970-01-01".into(),
        ..Default::default()
    };
    chart.add_patient(&frank, &p).expect("patient");
    let pending = chart.pending_ops().expect("ops");
    assert_eq!(pending.iter().map(|o| o.device_seq).collect::<Vec<_>>(), [4]);
    assert_eq!(chart.pending_op_count().expect("count"), 1);
}

#[test]
fn a_note_open_is_recorded_only_for_those_who_read_notes_and_only_for_a_note_that_exists() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let note = f.signed_daily(&owner, "2026-03-03", &[("97110", 23)]);
    let desk = f.user("fran", &[stride_chart::Role::Frontdesk]);
    let opens = |f: &Fixture| -> i64 {
        f.chart
            .connection()
            .query_row(
                "SELECT count(*) FROM audit_event WHERE action = 'open' AND entity = 'note'",
                [],
                |r| r.get(0),
            )
            .expect("count")
    };
    assert!(matches!(
        f.chart.record_note_open(&desk, &note),
        Err(stride_chart::ChartError::Forbidden { .. })
    ));
    assert!(matches!(
        f.chart.record_note_open(&owner, "no-such-note"),
        Err(stride_chart::ChartError::NotFound { .. })
    ));
    assert_eq!(opens(&f), 0, "nothing refused is recorded as an open");
    f.chart.record_note_open(&owner, &note).expect("recorded");
    assert_eq!(opens(&f), 1);
}

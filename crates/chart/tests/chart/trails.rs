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

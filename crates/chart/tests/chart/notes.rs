//! Drafts, copy-forward, signing, immutability, co-signature, addenda, charge lines.

use crate::Fixture;
use stride_chart::notes::{EvalComplexity, FlowsheetRow, NoteEdit, NoteKind};
use stride_chart::payers::Payer;
use stride_chart::signing::NoteStatus;
use stride_chart::{ChartError, Role};
use stride_coding::UnitMethod;

#[test]
fn a_daily_note_signs_with_charges_from_the_engine() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("create");
    let edit = NoteEdit {
        subjective: Some("Back pain 4/10.".into()),
        plan: Some("Continue plan.".into()),
        total_treatment_minutes: Some(47),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    f.chart.set_service(&owner, &id, "97112", 24, None).expect("service");
    f.chart.set_service(&owner, &id, "97110", 20, None).expect("service");
    f.chart
        .set_service(&owner, &id, "97110", 23, None)
        .expect("set again replaces");
    let hash = f.chart.sign_note(&owner, &id).expect("sign");
    assert_eq!(hash.len(), 64);
    let note = f.chart.note(&id).expect("view");
    assert_eq!(note.status, NoteStatus::Signed);
    assert_eq!(note.content_hash.as_deref(), Some(hash.as_str()));
    assert_eq!(note.hash_verified, Some(true));
    let units: Vec<(&str, u32)> = note.charge_lines.iter().map(|l| (l.code.as_str(), l.units)).collect();
    assert_eq!(units, [("97112", 2), ("97110", 1)], "CMS Example 1");
    assert!(note.charge_lines.iter().all(|l| l.modifiers == ["GP"]));
    assert!(note.charge_lines[0].explanation.contains("47 timed minutes"));
}

#[test]
fn the_payers_method_decides_the_units() {
    let mut f = Fixture::with_payer(Payer::with_defaults("Blue Plan", UnitMethod::Ama));
    let owner = f.owner.clone();
    let id = f.signed_daily(&owner, "2026-03-02", &[("97112", 24), ("97110", 23)]);
    let units: u32 = f
        .chart
        .note(&id)
        .expect("view")
        .charge_lines
        .iter()
        .map(|l| l.units)
        .sum();
    assert_eq!(units, 4, "AMA per code: 2 + 2");
}

#[test]
fn signed_notes_are_immutable_even_to_raw_sql() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let err = f
        .chart
        .edit_note(&owner, &id, &NoteEdit::default())
        .expect_err("no edits");
    assert!(err.to_string().contains("addendum"), "{err}");
    assert!(f.chart.set_service(&owner, &id, "97110", 45, None).is_err());
    assert!(f.chart.sign_note(&owner, &id).is_err(), "signed once");
    let conn = f.chart.connection();
    for sql in [
        "UPDATE note SET subjective = 'changed' WHERE id = ?1",
        "UPDATE note SET content_hash = 'x' WHERE id = ?1",
        "DELETE FROM note WHERE id = ?1",
        "UPDATE note_service SET minutes = 60 WHERE note_id = ?1",
        "DELETE FROM note_service WHERE note_id = ?1",
        "INSERT INTO note_service (note_id, position, code, minutes, pta_minutes) VALUES (?1, 9, '97140', 10, 0)",
        "UPDATE charge_line SET units = 9 WHERE note_id = ?1",
        "DELETE FROM charge_line WHERE note_id = ?1",
        "INSERT INTO flowsheet_row (note_id, position, exercise) VALUES (?1, 9, 'Bridge')",
    ] {
        let err = conn.execute(sql, [&id]).expect_err(sql);
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    assert_eq!(f.chart.note(&id).expect("view").hash_verified, Some(true));
}

#[test]
fn addenda_are_signed_on_their_own_and_immutable() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let draft = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("draft");
    assert!(
        f.chart.add_addendum(&owner, &draft, "Late entry").is_err(),
        "drafts are edited, not amended"
    );
    let id = f.signed_daily(&owner, "2026-03-03", &[("97110", 30)]);
    let add = f
        .chart
        .add_addendum(&owner, &id, "Patient called: pain eased after session.")
        .expect("addendum");
    assert!(f.chart.add_addendum(&owner, &id, "   ").is_err());
    let note = f.chart.note(&id).expect("view");
    assert_eq!(note.addenda.len(), 1);
    assert_eq!(note.addenda[0].id, add);
    assert_eq!(note.addenda[0].content_hash.len(), 64);
    assert_eq!(note.hash_verified, Some(true));
    let conn = f.chart.connection();
    assert!(
        conn.execute("UPDATE addendum SET text = 'x' WHERE id = ?1", [&add])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM addendum WHERE id = ?1", [&add]).is_err());
}

#[test]
fn a_ptas_note_waits_for_a_pt_cosignature_and_carries_cq() {
    let mut f = Fixture::new();
    let pta = f.user("pat", &[Role::Pta]);
    let id = f.signed_daily(&pta, "2026-03-02", &[("97110", 30)]);
    let note = f.chart.note(&id).expect("view");
    assert_eq!(note.status, NoteStatus::AwaitingCosign);
    assert_eq!(note.services[0].pta_minutes, 30, "a PTA's minutes are the PTA's");
    assert_eq!(note.charge_lines[0].modifiers, ["GP", "CQ"]);
    let err = f.chart.cosign_note(&pta, &id).expect_err("a PTA cannot co-sign");
    assert!(matches!(err, ChartError::Forbidden { .. }));
    let owner = f.owner.clone();
    f.chart.cosign_note(&owner, &id).expect("co-sign");
    let note = f.chart.note(&id).expect("view");
    assert_eq!(note.status, NoteStatus::Cosigned);
    assert_eq!(note.hash_verified, Some(true));
    assert!(f.chart.cosign_note(&owner, &id).is_err(), "once");
    assert!(
        f.chart
            .connection()
            .execute("UPDATE note SET cosigned_by = NULL WHERE id = ?1", [&id])
            .is_err(),
        "a co-signature is permanent"
    );
}

#[test]
fn a_pta_cannot_write_or_sign_evaluations() {
    let mut f = Fixture::new();
    let pta = f.user("pat", &[Role::Pta]);
    let err = f
        .chart
        .create_note(&pta, &f.episode_id, NoteKind::Eval, "2026-03-02", None)
        .expect_err("no eval");
    assert!(matches!(err, ChartError::Forbidden { .. }), "{err}");
}

#[test]
fn evaluations_bill_by_complexity() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = eval_draft(&mut f, &owner);
    f.chart.set_service(&owner, &id, "97110", 10, None).expect("service");
    let err = f.chart.sign_note(&owner, &id).expect_err("needs complexity");
    assert!(err.to_string().contains("complexity"), "{err}");
    let edit = NoteEdit {
        eval_complexity: Some(EvalComplexity::Moderate),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    f.chart.sign_note(&owner, &id).expect("sign");
    let note = f.chart.note(&id).expect("view");
    let codes: Vec<&str> = note.charge_lines.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["97110", "97162"]);
    assert_eq!(note.hash_verified, Some(true));
}

#[test]
fn flowsheets_copy_forward_marked_as_carried() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let first = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("note");
    let rows = vec![
        FlowsheetRow {
            exercise: "Bridge".into(),
            sets: Some(3),
            reps: Some(10),
            load: None,
            carried: false,
        },
        FlowsheetRow {
            exercise: "Row".into(),
            sets: Some(2),
            reps: Some(15),
            load: Some("red band".into()),
            carried: false,
        },
    ];
    f.chart.set_flowsheet(&owner, &first, &rows).expect("flowsheet");
    let next = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-04", None)
        .expect("next");
    let carried = f.chart.note(&next).expect("view").flowsheet;
    assert_eq!(carried.len(), 2);
    assert!(carried.iter().all(|r| r.carried));
    assert_eq!(carried[1].load.as_deref(), Some("red band"));
}

#[test]
fn only_the_author_edits_and_signs_a_draft() {
    let mut f = Fixture::new();
    let other = f.user("sam", &[Role::Pt]);
    let owner = f.owner.clone();
    let id = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("note");
    assert!(f.chart.edit_note(&other, &id, &NoteEdit::default()).is_err());
    assert!(f.chart.sign_note(&other, &id).is_err());
}

#[test]
fn bad_services_are_refused_and_nothing_is_written() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("note");
    let before = f.chart.verify_audit().expect("audit").events;
    for (code, minutes, pta) in [
        ("99999", 10, None),
        ("97110", 1441, None),
        ("97110", 10, Some(11)),
        ("97161", 5, None),
    ] {
        let result = f.chart.set_service(&owner, &id, code, minutes, pta);
        if code == "97161" {
            assert!(result.is_ok(), "an evaluation code on a daily note is allowed here");
            continue;
        }
        assert!(result.is_err(), "{code} {minutes}");
    }
    assert_eq!(
        f.chart.verify_audit().expect("audit").events,
        before + 1,
        "only the valid change was recorded"
    );
    assert!(
        f.chart
            .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-02-30", None)
            .is_err()
    );
    assert!(
        f.chart
            .create_note(&owner, "no-such-episode", NoteKind::Daily, "2026-03-02", None)
            .is_err()
    );
}

#[test]
fn the_timeline_lists_a_patients_notes_newest_first() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let pta = f.user("pat", &[Role::Pta]);
    f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let by_pta = f.signed_daily(&pta, "2026-03-04", &[("97110", 45)]);
    f.chart
        .add_addendum(&pta, &by_pta, "Called to check on soreness.")
        .expect("addendum");
    f.chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-06", None)
        .expect("draft");
    let timeline = f.chart.timeline(&f.patient_id).expect("timeline");
    let summary: Vec<(&str, NoteStatus, u32, u32)> = timeline
        .iter()
        .map(|t| (t.date_of_service.as_str(), t.status, t.units, t.addenda))
        .collect();
    assert_eq!(
        summary,
        [
            ("2026-03-06", NoteStatus::Draft, 0, 0),
            ("2026-03-04", NoteStatus::AwaitingCosign, 3, 1),
            ("2026-03-02", NoteStatus::Signed, 2, 0),
        ]
    );
}

#[test]
fn a_signed_discharge_summary_closes_the_episode() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    assert!(
        !f.chart.alerts(chrono::Utc::now(), today).expect("alerts").is_empty(),
        "no plan of care yet"
    );
    let summary = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Discharge, "2026-03-04", None)
        .expect("note");
    f.chart.sign_note(&owner, &summary).expect("sign");
    assert_eq!(f.chart.episode(&f.episode_id).expect("episode").status, "discharged");
    assert!(
        f.chart.alerts(chrono::Utc::now(), today).expect("alerts").is_empty(),
        "closed episodes raise no alerts"
    );
}

#[test]
fn an_evaluation_whose_code_is_already_documented_signs_once() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = eval_draft(&mut f, &owner);
    f.chart.set_service(&owner, &id, "97110", 10, None).expect("service");
    f.chart
        .set_service(&owner, &id, "97162", 40, None)
        .expect("the eval code by hand");
    let edit = NoteEdit {
        eval_complexity: Some(EvalComplexity::Moderate),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    f.chart.sign_note(&owner, &id).expect("sign");
    let note = f.chart.note(&id).expect("view");
    assert_eq!(note.services.iter().filter(|s| s.code == "97162").count(), 1);
    assert_eq!(note.hash_verified, Some(true));
}

#[test]
fn a_billing_edit_never_stops_a_signature_but_a_documentation_error_does() {
    // NCCI edits are billing edits: every service furnished is documented, billed or not
    // (Pub 100-02 Ch.15 §220.3); the claim settles what is payable.
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = eval_draft(&mut f, &owner);
    f.chart.set_service(&owner, &id, "97161", 20, None).expect("service");
    let edit = NoteEdit {
        eval_complexity: Some(EvalComplexity::High),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    let preview = f.chart.preview_coding(&id).expect("preview");
    let ncci = preview
        .findings
        .iter()
        .find(|x| x.kind == stride_coding::FindingKind::NcciBundled)
        .expect("97163 with 97161 is an NCCI indicator-0 pair");
    assert!(ncci.kind.is_billing_edit());
    assert!(ncci.message.contains("stays documented"), "{}", ncci.message);
    f.chart.sign_note(&owner, &id).expect("signs all the same");
    assert_eq!(f.chart.note(&id).expect("view").status, NoteStatus::Signed);

    // A PTA's minutes on an evaluation are a documentation error (§230.1): no signature.
    let id = eval_draft(&mut f, &owner);
    f.chart
        .set_service(&owner, &id, "97161", 20, Some(10))
        .expect("service");
    let edit = NoteEdit {
        eval_complexity: Some(EvalComplexity::Low),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    let err = f
        .chart
        .sign_note(&owner, &id)
        .expect_err("PTA minutes on an evaluation");
    assert!(err.to_string().contains("cannot be signed as coded"), "{err}");
    assert_eq!(
        f.chart.note(&id).expect("view").status,
        NoteStatus::Draft,
        "nothing was locked"
    );
}

#[test]
fn signed_content_cannot_be_replaced_or_smuggled_in() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let signed = f.signed_daily(&owner, "2026-03-02", &[("97110", 30)]);
    let draft = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-04", None)
        .expect("draft");
    f.chart.set_service(&owner, &draft, "97140", 15, None).expect("service");
    let conn = f.chart.connection();
    for (sql, id) in [
        (
            "UPDATE note_service SET note_id = ?1 WHERE note_id = '{draft}'",
            &signed,
        ),
        (
            "INSERT OR REPLACE INTO note (id, episode_id, kind, date_of_service, author_id, created_at, updated_at) SELECT id, episode_id, kind, date_of_service, author_id, created_at, updated_at FROM note WHERE id = ?1",
            &signed,
        ),
        ("UPDATE note SET id = 'renamed' WHERE id = ?1", &signed),
    ] {
        let sql = sql.replace("{draft}", &draft);
        let err = conn.execute(&sql, [id]).expect_err(&sql);
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    let sign_event: String = conn
        .query_row("SELECT detail FROM audit_event WHERE action = 'sign'", [], |r| r.get(0))
        .expect("sign event");
    assert_eq!(
        Some(sign_event),
        f.chart.note(&signed).expect("note").content_hash,
        "the audit trail holds the hash"
    );
}

#[test]
fn a_discharged_episode_takes_no_new_notes() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let summary = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Discharge, "2026-03-02", None)
        .expect("note");
    f.chart.sign_note(&owner, &summary).expect("sign");
    let err = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-03", None)
        .expect_err("discharged");
    assert!(err.to_string().contains("discharged"), "{err}");
}

#[test]
fn the_billing_preview_matches_what_signing_bills() {
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = eval_draft(&mut f, &owner);
    f.chart.set_service(&owner, &id, "97110", 33, None).expect("service");
    f.chart.set_service(&owner, &id, "97140", 7, None).expect("service");
    let edit = NoteEdit {
        eval_complexity: Some(EvalComplexity::Low),
        ..NoteEdit::default()
    };
    f.chart.edit_note(&owner, &id, &edit).expect("edit");
    let preview = f.chart.preview_coding(&id).expect("preview");
    let previewed: Vec<(String, u32)> = preview.lines.iter().map(|l| (l.code.clone(), l.units)).collect();
    assert_eq!(
        previewed,
        [
            ("97110".to_owned(), 2),
            ("97140".to_owned(), 1),
            ("97161".to_owned(), 1)
        ]
    );
    f.chart.sign_note(&owner, &id).expect("sign");
    let signed: Vec<(String, u32)> = f
        .chart
        .note(&id)
        .expect("note")
        .charge_lines
        .iter()
        .map(|l| (l.code.clone(), l.units))
        .collect();
    assert_eq!(signed, previewed);
}

/// A draft evaluation on the fixture's episode, dated 2026-03-02.
fn eval_draft(f: &mut Fixture, owner: &stride_chart::Session) -> String {
    f.chart
        .create_note(owner, &f.episode_id, NoteKind::Eval, "2026-03-02", None)
        .expect("eval")
}

#[test]
fn a_reevaluation_bills_97164_only_when_the_pt_documents_it() {
    // Pub 100-02 Ch.15 §220.3 C (billing-rules errata 2026-12): a re-evaluation is billed
    // when indicated and documented as such, not added to every re-evaluation-kind note.
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let routine = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Reeval, "2026-03-09", None)
        .expect("note");
    f.chart
        .set_service(&owner, &routine, "97110", 23, None)
        .expect("service");
    f.chart.sign_note(&owner, &routine).expect("sign");
    let codes: Vec<String> = f
        .chart
        .note(&routine)
        .expect("view")
        .charge_lines
        .into_iter()
        .map(|l| l.code)
        .collect();
    assert_eq!(codes, ["97110"], "nothing added by itself");

    let indicated = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Reeval, "2026-03-16", None)
        .expect("note");
    f.chart
        .set_service(&owner, &indicated, "97164", 0, None)
        .expect("service");
    f.chart.sign_note(&owner, &indicated).expect("sign");
    let lines = f.chart.note(&indicated).expect("view").charge_lines;
    assert_eq!(
        lines.iter().map(|l| (l.code.as_str(), l.units)).collect::<Vec<_>>(),
        [("97164", 1)]
    );
}

#[test]
fn an_ncci_pair_is_marked_distinct_at_the_point_of_care() {
    // MLN1783722 and APTA: with modifier indicator 1, 59 (or XU) is appended only when the
    // two services were done in separate, distinct time intervals, which only the
    // clinician knows; the note says so, and the day's coding adds the modifier.
    let mut f = Fixture::new();
    let owner = f.owner.clone();
    let id = f
        .chart
        .create_note(&owner, &f.episode_id, NoteKind::Daily, "2026-03-03", None)
        .expect("note");
    f.chart.set_service(&owner, &id, "97530", 23, None).expect("service");
    f.chart.set_service(&owner, &id, "97140", 23, None).expect("service");
    let needs = |f: &Fixture| {
        f.chart
            .preview_coding(&id)
            .expect("preview")
            .findings
            .iter()
            .any(|x| x.kind == stride_coding::FindingKind::NcciNeedsDistinct)
    };
    assert!(needs(&f));
    f.chart
        .set_distinct_pair(&owner, &id, ["97140", "97530"], true)
        .expect("mark");
    assert!(!needs(&f));
    let modifiers = |f: &Fixture| {
        let c = f.chart.preview_coding(&id).expect("preview");
        c.lines
            .iter()
            .find(|l| l.code == "97140")
            .map(|l| l.modifiers.clone())
            .unwrap_or_default()
    };
    assert_eq!(modifiers(&f), ["GP", "59"]);
    // Taken back, the pair needs a decision again.
    f.chart
        .set_distinct_pair(&owner, &id, ["97530", "97140"], false)
        .expect("unmark");
    assert!(needs(&f));
    f.chart
        .set_distinct_pair(&owner, &id, ["97530", "97140"], true)
        .expect("mark");
    f.chart.sign_note(&owner, &id).expect("sign");
    let signed = f.chart.note(&id).expect("view");
    assert_eq!(signed.distinct_pairs, [["97530".to_owned(), "97140".to_owned()]]);
    let line = signed.charge_lines.iter().find(|l| l.code == "97140").expect("line");
    assert_eq!(line.modifiers, ["GP", "59"]);
    assert!(
        f.chart
            .set_distinct_pair(&owner, &id, ["97530", "97140"], false)
            .is_err(),
        "a signed note's decision is fixed"
    );
    let raw = f
        .chart
        .connection()
        .execute("UPDATE note SET distinct_pairs = '[]' WHERE id = ?1", [&id]);
    assert!(raw.is_err(), "the chart refuses it below the API too");
}

//! Several devices of one clinic working offline, then syncing in different orders,
//! against a real server and a real PostgreSQL.

mod harness;

use chrono::NaiveDate;
use harness::{Device, TestServer, sync_all};
use stride_billing::ClaimStatus;
use stride_billing::synthetic::{PayerSide, adjustment, envelope, payment, remittance, reversal};
use stride_billing::x12::remit835::write_835;
use stride_chart::Session;
use stride_chart::billing::profile::{BillingProfile, PayerBilling};
use stride_chart::episodes::NewEpisode;
use stride_chart::goals::GoalStatus;
use stride_chart::notes::{NoteEdit, NoteKind};
use stride_chart::patients::NewPatient;
use stride_chart::payers::Payer;
use stride_chart::plans::{Goal, NewPlan};
use stride_chart::sync::issues::Resolution;
use stride_coding::UnitMethod;

fn patient(first: &str) -> NewPatient {
    NewPatient {
        first_name: first.into(),
        last_name: "Tester".into(),
        dob: "1950-03-04".into(),
        ..NewPatient::default()
    }
}

/// Dana (the owner, an admin) adds the clinic's payer on `device`; returns it.
fn payer_on(device: &Device) -> String {
    let owner = device.session("dana");
    device
        .chart()
        .add_payer(&owner, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
        .expect("payer")
}

/// A patient and an episode under the clinic's payer, made on `device`; returns the episode.
fn episode_on(device: &Device, by: &Session, first: &str) -> String {
    let mut chart = device.chart();
    let payer_id = chart
        .payers()
        .expect("payers")
        .into_iter()
        .next()
        .expect("the clinic's payer")
        .id;
    let patient_id = chart.add_patient(by, &patient(first)).expect("patient");
    chart
        .add_episode(
            by,
            &NewEpisode {
                patient_id,
                payer_id,
                diagnoses: vec!["M54.50".into()],
                ..NewEpisode::default()
            },
        )
        .expect("episode")
}

/// A plan of care for `episode` with one goal; returns the goal's id.
fn goal_on(device: &Device, by: &Session, episode: &str) -> String {
    let mut chart = device.chart();
    chart
        .add_plan(
            by,
            &NewPlan {
                episode_id: episode.to_owned(),
                cert_start: "2026-11-02".into(),
                cert_end: "2027-01-29".into(),
                frequency_per_week: 2,
                duration_weeks: 12,
                goals: vec![Goal {
                    term: "short".into(),
                    text: "Stairs step over step".into(),
                    target_date: None,
                }],
                recertifies: None,
            },
        )
        .expect("plan");
    let progress = chart.goal_progress(episode, None).expect("goals");
    progress.goals[0].goal_id.clone()
}

fn draft(device: &Device, by: &Session, episode: &str) -> String {
    device
        .chart()
        .create_note(by, episode, NoteKind::Daily, "2026-11-20", None)
        .expect("note")
}

/// Sets one SOAP field of a draft on `device`.
fn edit(device: &Device, by: &Session, note: &str, field: &str, text: &str) {
    let e = NoteEdit::text_field(field, text.into()).expect("a text field");
    device.chart().edit_note(by, note, &e).expect("edit");
}

/// An open sync issue: its kind, field, kept value and other value.
type IssueRow = (String, Option<String>, Option<String>, Option<String>);

fn open_issues(device: &Device) -> Vec<IssueRow> {
    let chart = device.chart();
    let mut stmt = chart
        .connection()
        .prepare("SELECT kind, field, kept, other FROM sync_issue WHERE resolved_at IS NULL ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("issues")
}

#[tokio::test(flavor = "multi_thread")]
async fn three_devices_working_offline_converge_whatever_the_order() {
    let server = TestServer::start().await;
    let (a, b, c) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "eve").await,
        Device::join(&server.url, "frank").await,
    );
    sync_all(&[&a, &b, &c], 1).await;
    payer_on(&a);
    sync_all(&[&a, &b, &c], 1).await;
    let (dana, eve, frank) = (a.session("dana"), b.session("eve"), c.session("frank"));

    // Offline: the front desk registers two patients; Dana documents and signs a visit;
    // Eve opens an episode and starts a note.
    c.chart().add_patient(&frank, &patient("Cleo")).expect("patient");
    c.chart().add_patient(&frank, &patient("Cyrus")).expect("patient");
    let dana_episode = episode_on(&a, &dana, "Ada");
    let goal = goal_on(&a, &dana, &dana_episode);
    let signed = draft(&a, &dana, &dana_episode);
    a.chart()
        .set_service(&dana, &signed, "97110", 23, None)
        .expect("service");
    a.chart()
        .assess_goal(&dana, &signed, &goal, Some((GoalStatus::Met, "12 stairs, one rail")))
        .expect("goal assessed");
    edit(&a, &dana, &signed, "subjective", "Stairs easier.");
    let hash = a.chart().sign_note(&dana, &signed).expect("sign");
    a.chart()
        .add_addendum(&dana, &signed, "Home program reviewed by phone.")
        .expect("addendum");
    let eve_episode = episode_on(&b, &eve, "Bea");
    let eve_note = draft(&b, &eve, &eve_episode);
    edit(&b, &eve, &eve_note, "plan", "Progress loading.");

    // Sync in one order, then another.
    c.sync().await;
    a.sync().await;
    b.sync().await;
    sync_all(&[&b, &a, &c], 2).await;

    let reference = a.records();
    assert_eq!(b.records(), reference, "B holds what A holds");
    assert_eq!(c.records(), reference, "C holds what A holds");
    // The signed note arrived intact everywhere, with its hash.
    for d in [&b, &c] {
        let note = d.chart().note(&signed).expect("signed note arrived");
        assert_eq!(note.content_hash.as_deref(), Some(hash.as_str()));
        assert_eq!(note.hash_verified, Some(true), "its goal assessment came with it");
        assert_eq!(note.addenda.len(), 1);
        let goals = d.chart().goal_progress(&dana_episode, None).expect("goals");
        assert_eq!(goals.words, "1 of 1 goal met");
    }
    // Nothing duplicated, nothing waiting, five patients with distinct MRNs.
    let patients = c.chart().patients().expect("patients");
    assert_eq!(patients.len(), 4);
    let mut mrns: Vec<_> = patients.iter().map(|p| p.mrn.clone()).collect();
    mrns.sort();
    mrns.dedup();
    assert_eq!(mrns.len(), 4, "MRNs made up offline never clash");
    for d in [&a, &b, &c] {
        assert_eq!(d.chart().sync_state().expect("state").pending, 0);
        assert!(d.chart().verify_audit().is_ok());
    }
    // Every op the devices made is in the server's archive exactly once.
    let pushed: i64 = [&a, &b, &c]
        .iter()
        .map(|d| {
            d.chart()
                .connection()
                .query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))
                .expect("n")
        })
        .sum();
    assert_eq!(server.count("SELECT count(*) FROM op_archive").await, pushed);
    assert_eq!(
        server
            .count("SELECT count(*) FROM op_archive WHERE outcome <> 'applied'")
            .await,
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn edits_to_different_fields_merge_and_overlapping_edits_keep_both() {
    let server = TestServer::start().await;
    // Dana's laptop and the clinic's desktop, both signed in as Dana.
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "dana").await,
    );
    sync_all(&[&a, &b], 1).await;
    let (dana, eve) = (a.session("dana"), b.session("dana"));
    payer_on(&a);
    let episode = episode_on(&a, &dana, "Ada");
    let note = draft(&a, &dana, &episode);
    sync_all(&[&a, &b], 1).await;

    // Different fields, offline on both: both edits survive.
    edit(&a, &dana, &note, "subjective", "Less pain.");
    edit(&b, &eve, &note, "objective", "Knee flexion 115.");
    sync_all(&[&a, &b, &a], 1).await;
    for d in [&a, &b] {
        let n = d.chart().note(&note).expect("note");
        assert_eq!(
            (n.subjective.as_str(), n.objective.as_str()),
            ("Less pain.", "Knee flexion 115.")
        );
    }
    assert!(open_issues(&a).is_empty());

    // The same field, differently: the first to reach the server is kept, the other is
    // kept beside it as an issue on both devices.
    edit(&a, &dana, &note, "assessment", "Improving.");
    edit(&b, &eve, &note, "assessment", "Plateaued.");
    a.sync().await;
    let summary = b.sync().await;
    assert_eq!(summary.conflicts, 1);
    a.sync().await;
    for d in [&a, &b] {
        assert_eq!(d.chart().note(&note).expect("note").assessment, "Improving.");
        let issues = open_issues(d);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].0, "conflict");
        assert_eq!(issues[0].1.as_deref(), Some("assessment"));
        assert_eq!(issues[0].2.as_deref(), Some("\"Improving.\""));
        assert_eq!(issues[0].3.as_deref(), Some("\"Plateaued.\""));
    }
    assert_eq!(a.records(), b.records());

    // A person settles it on one device by taking the other text: the note changes and
    // the issue closes everywhere.
    let issue = b.chart().sync_issues().expect("issues").remove(0);
    b.chart()
        .resolve_sync_issue(&eve, &issue.id, &Resolution::TakeOther)
        .expect("resolve");
    sync_all(&[&b, &a], 2).await;
    for d in [&a, &b] {
        assert_eq!(d.chart().note(&note).expect("note").assessment, "Plateaued.");
        assert!(open_issues(d).is_empty(), "resolved on every device");
    }
    assert!(
        b.chart()
            .resolve_sync_issue(&eve, &issue.id, &Resolution::KeepKept)
            .is_err(),
        "a settled issue stays settled"
    );
    assert_eq!(a.records(), b.records());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_signature_the_server_processes_fixes_the_note() {
    let server = TestServer::start().await;
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "dana").await,
    );
    sync_all(&[&a, &b], 1).await;
    let (dana, eve) = (a.session("dana"), b.session("dana"));
    payer_on(&a);
    let episode = episode_on(&a, &dana, "Ada");
    let note = draft(&a, &dana, &episode);
    a.chart().set_service(&dana, &note, "97110", 30, None).expect("service");
    sync_all(&[&a, &b], 1).await;

    // Both sign offline, with different text.
    edit(&a, &dana, &note, "subjective", "Dana's words.");
    let dana_hash = a.chart().sign_note(&dana, &note).expect("sign");
    edit(&b, &eve, &note, "subjective", "Eve's words.");
    b.chart().sign_note(&eve, &note).expect("sign");

    a.sync().await;
    let summary = b.sync().await;
    assert!(summary.rejected >= 1, "{summary:?}");
    a.sync().await;
    for d in [&a, &b] {
        let n = d.chart().note(&note).expect("note");
        assert_eq!(n.content_hash.as_deref(), Some(dana_hash.as_str()));
        assert_eq!(n.subjective, "Dana's words.");
        // Eve's version is kept as material for an addendum.
        assert!(
            open_issues(d)
                .iter()
                .any(|i| i.0 == "unincorporated" && i.3.as_deref().is_some_and(|o| o.contains("Eve's words.")))
        );
    }
    assert_eq!(a.records(), b.records());
}

/// On `device`, as Dana: everything a claim needs (billing details, the payer's id, the
/// patient's address and coverage, a referring physician, a certified plan) and two
/// signed visits; then the month's claim, built. Returns its id.
fn billable_claim_on(device: &Device) -> String {
    let dana = device.session("dana");
    let mut chart = device.chart();
    let profile = BillingProfile {
        npi: Some("1234567893".into()),
        tax_id: Some("123456789".into()),
        address_line: Some("100 Main St".into()),
        city: Some("Springfield".into()),
        state: Some("IL".into()),
        zip: Some("627011234".into()),
        phone: Some("2175550100".into()),
        submitter_id: Some("STRIDE01".into()),
        receiver_id: Some("CLEARHOUSE".into()),
        ..chart.billing_profile().expect("profile")
    };
    chart.set_billing_profile(&dana, &profile).expect("billing profile");
    for code in ["97110", "97140"] {
        chart.set_clinic_fee(&dana, code, 5000).expect("charge");
    }
    let payer = chart
        .add_payer(&dana, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
        .expect("payer");
    let billing = PayerBilling {
        payer_code: Some("00952".into()),
        claim_filing: "MB".into(),
        self_pay: false,
    };
    chart.set_payer_billing(&dana, &payer, &billing).expect("payer id");
    let patient = chart
        .add_patient(
            &dana,
            &NewPatient {
                address: Some("12 Oak Ave".into()),
                city: Some("Springfield".into()),
                state: Some("IL".into()),
                zip: Some("62704".into()),
                ..patient("Bea")
            },
        )
        .expect("patient");
    chart
        .add_coverage(&dana, &patient, &payer, "1EG4TE5MK73", 1)
        .expect("coverage");
    let referring = chart
        .add_referring_provider(&dana, "Grace Okafor MD", "1245319599")
        .expect("referring");
    let episode = chart
        .add_episode(
            &dana,
            &NewEpisode {
                patient_id: patient,
                payer_id: payer,
                diagnoses: vec!["M54.50".into()],
                referring_provider_id: Some(referring),
                start_date: Some("2026-11-02".into()),
                ..NewEpisode::default()
            },
        )
        .expect("episode");
    let plan = chart
        .add_plan(
            &dana,
            &NewPlan {
                episode_id: episode.clone(),
                cert_start: "2026-11-02".into(),
                cert_end: "2027-01-29".into(),
                frequency_per_week: 2,
                duration_weeks: 12,
                goals: Vec::new(),
                recertifies: None,
            },
        )
        .expect("plan");
    chart
        .certify_plan(&dana, &plan, "2026-11-03", "signed")
        .expect("certify");
    for (day, code) in [("2026-11-03", "97110"), ("2026-11-05", "97140")] {
        let note = chart
            .create_note(&dana, &episode, NoteKind::Daily, day, None)
            .expect("note");
        chart.set_service(&dana, &note, code, 30, None).expect("service");
        chart.sign_note(&dana, &note).expect("sign");
    }
    let built = chart.build_claims(&dana, "2026-11-01", "2026-11-30").expect("build");
    assert_eq!(built.claims.len(), 1, "{built:?}");
    built.claims[0].clone()
}

fn status_on(device: &Device, claim: &str) -> ClaimStatus {
    device.chart().claim_summary(claim).expect("claim").status
}

#[tokio::test(flavor = "multi_thread")]
async fn claims_move_by_compare_and_set_and_only_the_server_posts_remittances() {
    let server = TestServer::start().await;
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "dana").await,
    );
    sync_all(&[&a, &b], 1).await;
    let claim = billable_claim_on(&a);
    sync_all(&[&a, &b], 2).await;
    assert_eq!(
        status_on(&b, &claim),
        ClaimStatus::Draft,
        "the claim reached the other device"
    );
    assert_eq!(a.records(), b.records());

    // Two billers move the same claim offline: the first to reach the server wins.
    let dana = a.session("dana");
    a.chart()
        .set_claim_status(&dana, &claim, ClaimStatus::Draft, ClaimStatus::Ready, None)
        .expect("ready");
    b.chart()
        .set_claim_status(&dana, &claim, ClaimStatus::Draft, ClaimStatus::Void, None)
        .expect("void, offline");
    a.sync().await;
    let summary = b.sync().await;
    assert_eq!(summary.rejected, 1, "{summary:?}");
    let refused = b.chart().refused_ops().expect("refused");
    assert!(refused[0].reason.contains("someone changed it first"), "{refused:?}");
    assert_eq!(
        status_on(&b, &claim),
        ClaimStatus::Ready,
        "the server's version came back"
    );

    // A exports; then B imports the payer's 835. The server posts it, for everyone.
    let file = a
        .chart()
        .prepare_837(
            &dana,
            None,
            NaiveDate::from_ymd_opt(2026, 12, 1)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .expect("now"),
        )
        .expect("837P");
    a.chart()
        .mark_submitted(&dana, &file, NaiveDate::from_ymd_opt(2026, 12, 1).expect("day"))
        .expect("submitted");
    sync_all(&[&a, &b], 2).await;
    assert_eq!(status_on(&b, &claim), ClaimStatus::Submitted);
    let sent = b.chart().claim(&claim).expect("claim").as_sent();
    let era = remittance(
        &[sent],
        NaiveDate::from_ymd_opt(2026, 12, 20).expect("day"),
        |_, line| {
            if line == 0 {
                (
                    4000,
                    vec![adjustment("CO", "45", 1000), adjustment("PR", "2", 5000)],
                    Vec::new(),
                )
            } else {
                (0, vec![adjustment("CO", "50", 10_000)], Vec::new())
            }
        },
    );
    let report = b.chart().import_835(&dana, era.as_bytes()).expect("import");
    assert!(report.server_posts && report.unmatched.is_empty(), "{report:?}");
    assert_eq!(
        status_on(&b, &claim),
        ClaimStatus::Submitted,
        "a device does not post in a synced clinic"
    );
    // The other biller, offline, imports the same payment: the server posts it once.
    a.chart()
        .import_835(&dana, era.as_bytes())
        .expect("import on the other device");
    b.sync().await;
    let summary = a.sync().await;
    assert_eq!(summary.rejected, 1, "{summary:?}");
    let refused = a.chart().refused_ops().expect("refused");
    assert!(refused[0].reason.contains("already posted"), "{refused:?}");
    sync_all(&[&b, &a], 2).await;
    for d in [&a, &b] {
        let c = d.chart().claim(&claim).expect("claim");
        assert_eq!(c.summary.status, ClaimStatus::PartiallyPaid);
        assert_eq!((c.summary.paid_cents, c.summary.patient_resp_cents), (4000, 5000));
        assert_eq!(c.history.last().map(|e| e.source.as_str()), Some("remittance"));
        assert_eq!(d.chart().denials(false).expect("denials").len(), 1);
    }
    // Besides A's own refused import, kept on A and listed as refused, both hold the same.
    let refused_import = refused[0].entity_id.clone();
    let mut on_a = a.records();
    on_a.retain(|(kind, id, _)| !(kind == "remittance" && *id == refused_import));
    assert_eq!(on_a.len() + 1, a.records().len());
    assert_eq!(on_a, b.records());
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'denial'")
            .await,
        1
    );

    // A device cannot mark a claim paid itself, even by forging its row; writing a denial
    // off moves the claim's money on the server, which owns it, and the server's version
    // of the claim replaces the forged row.
    b.chart()
        .connection()
        .execute("UPDATE claim SET status = 'paid' WHERE id = ?1", [&claim])
        .expect("forged row");
    let denial = b.chart().denials(false).expect("denials")[0].clone();
    b.chart()
        .resolve_denial(&dana, &denial.id, "written_off")
        .expect("write off");
    let summary = b.sync().await;
    assert_eq!(summary.rejected, 0, "{summary:?}");
    assert_eq!(
        server
            .count(&format!(
                "SELECT count(*) FROM record WHERE entity = 'claim' AND image->>'status' = 'partially_paid'
                   AND (image->>'written_off_cents')::bigint >= {}",
                denial.cents
            ))
            .await,
        1
    );
    sync_all(&[&a, &b], 2).await;
    for d in [&a, &b] {
        let c = d.chart().claim(&claim).expect("claim");
        assert_eq!(
            c.summary.status,
            ClaimStatus::PartiallyPaid,
            "the forged status is gone"
        );
    }
    let mut on_a = a.records();
    on_a.retain(|(kind, id, _)| !(kind == "remittance" && *id == refused_import));
    assert_eq!(on_a, b.records(), "both devices hold the server's claim");
}

/// Medicare crosses the claim over to a Medigap plan; then one file brings the Medigap
/// plan's payment and Medicare's reversal of its own payment followed by the corrected
/// claim. The server posts them in file order, as the chart alone does.
#[tokio::test(flavor = "multi_thread")]
async fn the_server_posts_crossovers_and_a_reversal_followed_by_its_correction() {
    let server = TestServer::start().await;
    let a = Device::join(&server.url, "dana").await;
    a.sync().await;
    let claim = billable_claim_on(&a);
    let dana = a.session("dana");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("day");
    a.chart()
        .set_claim_status(&dana, &claim, ClaimStatus::Draft, ClaimStatus::Ready, None)
        .expect("ready");
    let file = a
        .chart()
        .prepare_837(&dana, None, day(1).and_hms_opt(9, 0, 0).expect("now"))
        .expect("837P");
    a.chart().mark_submitted(&dana, &file, day(1)).expect("submitted");
    a.sync().await;
    let sent = a.chart().claim(&claim).expect("claim").as_sent();
    let medicare = |trace: &str| PayerSide {
        name: "MEDICARE PART B".into(),
        id: "00952".into(),
        trace_number: trace.into(),
    };
    // Medicare pays 60%, leaves 20% coinsurance, forwards the claim.
    let charges: Vec<i64> = sent.lines.iter().map(|l| l.charge_cents).collect();
    let settle = |paid_percent: i64| {
        let charges = charges.clone();
        move |_: usize, l: usize| {
            let charge = charges[l];
            let share = charge / 5;
            let paid = charge * paid_percent / 100;
            (
                paid,
                vec![
                    adjustment("CO", "45", charge - paid - share),
                    adjustment("PR", "2", share),
                ],
                Vec::new(),
            )
        }
    };
    let mut first = payment(&medicare("EFT1"), std::slice::from_ref(&sent), day(10), settle(60));
    first.claims[0].status_code = "19".into();
    first.claims[0].crossover_payer = Some("MEDIGAP PLAN G".into());
    let text = write_835(&envelope(day(10), 1), std::slice::from_ref(&first));
    a.chart().import_835(&dana, text.as_bytes()).expect("import");
    a.sync().await;
    a.sync().await;
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'claim' AND image->>'forwarded_to' = 'MEDIGAP PLAN G'")
            .await,
        1,
        "the server marks the crossover"
    );
    let posted = a.chart().claim(&claim).expect("claim");
    let total = sent.charge_cents;
    assert_eq!(
        (posted.summary.paid_cents, posted.summary.patient_resp_cents),
        (total * 6 / 10, total / 5)
    );

    // One file: Medigap pays the coinsurance; Medicare reverses and pays 50%.
    let gap_side = PayerSide {
        name: "MEDIGAP PLAN G".into(),
        id: "MGAP1".into(),
        trace_number: "GAP1".into(),
    };
    let mut gap = payment(&gap_side, std::slice::from_ref(&sent), day(20), |_, l| {
        let charge = sent.lines[l].charge_cents;
        (
            charge / 5,
            vec![adjustment("OA", "23", charge - charge / 5)],
            Vec::new(),
        )
    });
    gap.claims[0].status_code = "2".into();
    let mut again = payment(&medicare("EFT2"), std::slice::from_ref(&sent), day(20), settle(50));
    again.claims.insert(0, reversal(&first.claims[0]));
    again.total_paid_cents = again.claims.iter().map(|c| c.paid_cents).sum();
    let text = write_835(&envelope(day(20), 2), &[gap, again]);
    a.chart().import_835(&dana, text.as_bytes()).expect("import");
    a.sync().await;
    a.sync().await;
    let settled = a.chart().claim(&claim).expect("claim");
    assert_eq!(settled.summary.status, ClaimStatus::Paid, "{:?}", settled.history);
    // Medicare's corrected half and Medigap's fifth; the patient owes nothing.
    assert_eq!(settled.summary.paid_cents, total * 7 / 10);
    assert_eq!(settled.summary.patient_resp_cents, 0);
    let reopened = settled
        .history
        .iter()
        .filter(|e| e.to_status == ClaimStatus::Submitted.as_str())
        .count();
    assert_eq!(reopened, 2, "sent, then reopened by the reversal");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_signed_on_two_devices_counts_once_on_every_device() {
    // Each signed note stores its whole day's lines; a day counts by its newest signed
    // note (the day_head table), whether that note was signed here, pulled as an update
    // of a draft this device had, or arrived new.
    let server = TestServer::start().await;
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "dana").await,
    );
    sync_all(&[&a, &b], 1).await;
    let (dana_a, dana_b) = (a.session("dana"), b.session("dana"));
    let payer = payer_on(&a);
    a.chart().set_fee(&dana_a, &payer, "97110", 3_000).expect("fee");
    a.chart().set_fee(&dana_a, &payer, "97112", 3_200).expect("fee");
    let episode = episode_on(&a, &dana_a, "Ada");
    let morning = draft(&a, &dana_a, &episode);
    a.chart()
        .set_service(&dana_a, &morning, "97110", 30, None)
        .expect("service");
    a.chart().sign_note(&dana_a, &morning).expect("sign");
    sync_all(&[&a, &b], 1).await;
    let afternoon = draft(&b, &dana_b, &episode);
    b.chart()
        .set_service(&dana_b, &afternoon, "97112", 15, None)
        .expect("service");
    b.chart().sign_note(&dana_b, &afternoon).expect("sign");
    sync_all(&[&a, &b], 2).await;
    let c = Device::join(&server.url, "dana").await;
    sync_all(&[&c], 1).await;

    let day = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    // 45 pooled minutes: 97110 x2 ($60) and 97112 x1 ($32), counted once.
    for d in [&a, &b, &c] {
        let chart = d.chart();
        let patient = chart.note(&afternoon).expect("note").patient_id;
        let ytd = stride_chart::compliance::therapy_allowed_this_year(&chart, &patient, day).expect("ytd");
        assert_eq!(ytd, 9_200);
        let head: String = chart
            .connection()
            .query_row("SELECT note_id FROM day_head", [], |r| r.get(0))
            .expect("the day's head");
        assert_eq!(head, afternoon, "the newest signed note heads the day");
    }
}

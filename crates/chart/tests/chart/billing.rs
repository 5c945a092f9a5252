//! Billing on a real chart: claims built from signed notes, the scrubber catching each
//! problem it knows, the lifecycle's guards, 837P files checked by two X12 readers, 835
//! remittances posted (and refused when damaged), secondary claims, superbills, A/R.

use super::Fixture;
use chrono::NaiveDate;
use stride_billing::ClaimStatus;
use stride_billing::synthetic::{LineDecision, adjustment as adj, remittance, reversal};
use stride_billing::testing::both_readers;
use stride_billing::x12::remit835::{ProviderAdjustment, RemitEnvelope, Remittance, parse_835, write_835};
use stride_chart::billing::claims::{ClaimDetail, LineEdit};
use stride_chart::billing::profile::{BillingProfile, PayerBilling, PostalAddress};
use stride_chart::billing::scrub::{Check, Level};
use stride_chart::episodes::{NewAuthorization, NewEpisode};
use stride_chart::insured::Insured;
use stride_chart::notes::NoteKind;
use stride_chart::payers::Payer;
use stride_chart::plans::NewPlan;
use stride_chart::validate::npi_from_base;
use stride_chart::{Role, Session};
use stride_coding::UnitMethod;

const CHARGE: i64 = 5000;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A clinic ready to bill: billing profile, charges, payer id, the patient's address and
/// Medicare coverage, an episode with a referring physician and a certified plan, and a
/// biller.
struct Clinic {
    f: Fixture,
    biller: Session,
}

/// What to leave out of [`Clinic::new`], to make one problem on purpose.
#[derive(Default)]
struct Omit {
    profile: bool,
    address: bool,
    coverage: bool,
    referring: bool,
    certification: bool,
    payer_code: bool,
}

impl Clinic {
    fn new(payer: Payer, omit: Omit) -> Clinic {
        let mut f = Fixture::with_payer(payer);
        let owner = f.owner.clone();
        let c = &mut f.chart;
        c.set_user_npi(&owner, &owner.user_id, &npi_from_base(100_300_012))
            .expect("npi");
        if !omit.profile {
            let profile = BillingProfile {
                npi: Some(npi_from_base(123_456_789)),
                tax_id: Some("12-3456789".into()),
                address_line: Some("100 Main St".into()),
                city: Some("Springfield".into()),
                state: Some("IL".into()),
                zip: Some("62701-1234".into()),
                phone: Some("(217) 555-0100".into()),
                submitter_id: Some("STRIDE01".into()),
                receiver_id: Some("CLEARHOUSE".into()),
                ..c.billing_profile().expect("profile")
            };
            c.set_billing_profile(&owner, &profile).expect("set profile");
        }
        for code in ["97110", "97112", "97140", "97530", "97116", "97161", "97162", "97164"] {
            c.set_clinic_fee(&owner, code, CHARGE).expect("fee");
        }
        let billing = PayerBilling {
            payer_code: (!omit.payer_code).then(|| "00952".into()),
            claim_filing: "MB".into(),
            self_pay: false,
        };
        c.set_payer_billing(&owner, &f.payer_id, &billing)
            .expect("payer billing");
        if !omit.address {
            let address = PostalAddress {
                line: "12 Oak Ave".into(),
                city: "Springfield".into(),
                state: "il".into(),
                zip: "62704".into(),
            };
            c.set_patient_address(&owner, &f.patient_id, &address).expect("address");
        }
        if !omit.coverage {
            c.add_coverage(&owner, &f.patient_id, &f.payer_id, "1EG4TE5MK73", 1)
                .expect("coverage");
        }
        let referring = (!omit.referring).then(|| {
            c.add_referring_provider(&owner, "Grace Okafor MD", &npi_from_base(124_531_959))
                .expect("referring")
        });
        let episode = c
            .add_episode(
                &owner,
                &NewEpisode {
                    patient_id: f.patient_id.clone(),
                    payer_id: f.payer_id.clone(),
                    diagnoses: vec!["M54.50".into(), "M25.561".into()],
                    referring_provider_id: referring,
                    start_date: Some("2026-03-02".into()),
                    ..NewEpisode::default()
                },
            )
            .expect("episode");
        let plan = c
            .add_plan(
                &owner,
                &NewPlan {
                    episode_id: episode.clone(),
                    cert_start: "2026-03-02".into(),
                    cert_end: "2026-05-29".into(),
                    frequency_per_week: 2,
                    duration_weeks: 12,
                    goals: Vec::new(),
                    recertifies: None,
                },
            )
            .expect("plan");
        if !omit.certification {
            c.certify_plan(&owner, &plan, "2026-03-04", "signed").expect("certify");
        }
        f.episode_id = episode;
        let biller = f.user("bea", &[Role::Biller]);
        Clinic { f, biller }
    }

    fn medicare(omit: Omit) -> Clinic {
        Clinic::new(Payer::with_defaults("Medicare Part B", UnitMethod::Cms), omit)
    }

    fn sign(&mut self, date: &str, services: &[(&str, u32)]) -> String {
        let owner = self.f.owner.clone();
        self.f.signed_daily(&owner, date, services)
    }

    /// Builds March's claims and returns the only one.
    fn build_one(&mut self) -> ClaimDetail {
        let report = self
            .f
            .chart
            .build_claims(&self.biller, "2026-03-01", "2026-03-31")
            .expect("build");
        assert_eq!(report.claims.len(), 1, "{report:?}");
        self.f.chart.claim(&report.claims[0]).expect("claim")
    }

    fn checks(&self, claim_id: &str) -> Vec<Check> {
        let report = self.f.chart.scrub_claim(claim_id).expect("scrub");
        report.errors().map(|f| f.check).collect()
    }

    fn ready(&mut self, claim_id: &str) {
        self.f
            .chart
            .set_claim_status(&self.biller, claim_id, ClaimStatus::Draft, ClaimStatus::Ready, None)
            .unwrap_or_else(|e| panic!("{e}: {:#?}", self.f.chart.scrub_claim(claim_id)));
    }

    fn submit(&mut self, today: &str) -> String {
        let file = self
            .f
            .chart
            .prepare_837(&self.biller, None, day(today).and_hms_opt(9, 0, 0).expect("time"))
            .expect("prepare 837");
        self.f
            .chart
            .mark_submitted(&self.biller, &file, day(today))
            .expect("mark submitted");
        file.text
    }
}

/// An 835 settling `claim`, each line as `decide` says, checked by both X12 readers.
fn remittance_for(claim: &ClaimDetail, decide: impl Fn(usize) -> LineDecision) -> String {
    let text = remittance(&[claim.as_sent()], day("2026-04-10"), |_, line| decide(line));
    both_readers(&format!("round-trip-{}.835", claim.summary.control_number), &text)
        .expect("the synthesized 835 is valid");
    text
}

#[test]
fn signed_notes_become_a_clean_claim_and_a_valid_837p() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 25), ("97140", 15)]);
    c.sign("2026-03-05", &[("97112", 20)]);
    let claim = c.build_one();
    assert_eq!(claim.summary.status, ClaimStatus::Draft);
    assert_eq!(
        (claim.summary.service_from.as_str(), claim.summary.service_to.as_str()),
        ("2026-03-03", "2026-03-05")
    );
    assert_eq!(claim.diagnoses, ["M54.50", "M25.561"]);
    let billed: Vec<(&str, &str, u32)> = claim
        .lines
        .iter()
        .map(|l| (l.date_of_service.as_str(), l.code.as_str(), l.units))
        .collect();
    assert_eq!(
        billed,
        [
            ("2026-03-03", "97110", 2),
            ("2026-03-03", "97140", 1),
            ("2026-03-05", "97112", 1)
        ]
    );
    assert!(
        claim
            .lines
            .iter()
            .all(|l| l.modifiers.first() == Some(&stride_coding::Modifier::GP))
    );
    assert!(
        claim
            .lines
            .iter()
            .all(|l| l.charge_cents == CHARGE * i64::from(l.units))
    );
    assert_eq!(claim.summary.charge_cents, CHARGE * 4);
    let report = c.f.chart.scrub_claim(&claim.summary.id).expect("scrub");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    c.ready(&claim.summary.id);
    let text = c.submit("2026-03-10");
    both_readers("chart-single.837", &text).expect("the exported 837P is valid");
    assert!(text.contains(&format!("CLM*{}*200***11:B:1*Y*A*Y*Y~", claim.summary.control_number)));
    assert!(text.contains("NM1*DN*1*OKAFOR*GRACE****XX*"));
    let sent = c.f.chart.claim(&claim.summary.id).expect("claim");
    assert_eq!(sent.summary.status, ClaimStatus::Submitted);
    assert_eq!(sent.summary.submitted_on.as_deref(), Some("2026-03-10"));
    assert_eq!(
        sent.history.iter().map(|e| e.to_status.as_str()).collect::<Vec<_>>(),
        ["draft", "ready", "submitted"]
    );
    // A note is billed once.
    let again =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert!(again.claims.is_empty(), "{again:?}");
}

#[test]
fn many_claims_with_pta_kx_and_59_lines_export_as_valid_837p() {
    let mut c = Clinic::new(
        Payer::with_defaults("Medicare Part B", UnitMethod::Cms),
        Omit::default(),
    );
    // A high allowed amount brings the patient over the KX threshold on the first visit.
    let owner = c.f.owner.clone();
    c.f.chart.set_fee(&owner, &c.f.payer_id, "97110", 150_000).expect("fee");
    let pta = c.f.user("pat", &[Role::Pta]);
    let jordan = c.f.user("jordan", &[Role::Pt]);
    c.f.chart
        .set_user_npi(&owner, &jordan.user_id, &npi_from_base(100_300_021))
        .expect("npi");
    c.sign("2026-03-03", &[("97110", 40), ("97140", 10)]);
    let pta_note = c.f.signed_daily(&pta, "2026-03-05", &[("97110", 30)]);
    c.f.chart.cosign_note(&jordan, &pta_note).expect("co-sign");
    let report =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert_eq!(report.claims.len(), 2, "one claim per rendering PT: {report:?}");
    for id in &report.claims {
        c.ready(id);
    }
    let text = c.submit("2026-03-10");
    both_readers("chart-batch.837", &text).expect("the exported 837P is valid");
    assert!(text.contains(":GP:CQ"), "the PTA's line carries CQ");
    assert!(text.contains(":KX"), "lines above the threshold carry KX");
    assert_eq!(text.matches("CLM*").count(), 2);
}

/// Builds the claim of a clinic with one signed visit and returns its scrubber errors.
fn errors_with(omit: Omit) -> Vec<Check> {
    let mut c = Clinic::medicare(omit);
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    c.checks(&claim.summary.id)
}

#[test]
fn the_scrubber_catches_missing_demographics_coverage_npi_and_ids() {
    let cases = [
        (Omit::default(), &[][..]),
        (
            Omit {
                address: true,
                ..Omit::default()
            },
            &[Check::Demographics][..],
        ),
        (
            Omit {
                coverage: true,
                ..Omit::default()
            },
            &[Check::Coverage][..],
        ),
        (
            Omit {
                referring: true,
                ..Omit::default()
            },
            &[Check::Npi][..],
        ),
        (
            Omit {
                payer_code: true,
                ..Omit::default()
            },
            &[Check::PayerId][..],
        ),
        (
            Omit {
                profile: true,
                ..Omit::default()
            },
            &[Check::Npi, Check::BillingProvider][..],
        ),
        (
            Omit {
                certification: true,
                ..Omit::default()
            },
            &[Check::PlanOfCare][..],
        ),
    ];
    for (omit, expected) in cases {
        assert_eq!(errors_with(omit), expected);
    }
    // A member id cannot be missing: coverage without one is refused where it is typed.
    let mut c = Clinic::medicare(Omit {
        coverage: true,
        ..Omit::default()
    });
    let owner = c.f.owner.clone();
    assert!(
        c.f.chart
            .add_coverage(&owner, &c.f.patient_id, &c.f.payer_id, "  ", 1)
            .is_err()
    );
}

#[test]
fn the_scrubber_catches_a_rendering_clinician_without_npi_and_an_unsigned_cosignature() {
    let mut c = Clinic::medicare(Omit::default());
    let kim = c.f.user("kim", &[Role::Pt]);
    c.f.signed_daily(&kim, "2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    assert_eq!(c.checks(&claim.summary.id), [Check::Npi]);

    let mut c = Clinic::medicare(Omit::default());
    let pta = c.f.user("pat", &[Role::Pta]);
    let note = c.f.signed_daily(&pta, "2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    let report = c.f.chart.scrub_claim(&claim.summary.id).expect("scrub");
    let signature: Vec<_> = report.errors().filter(|f| f.check == Check::Signature).collect();
    assert!(
        signature
            .iter()
            .any(|f| f.message.contains("co-signature") && f.at.id == note),
        "{report:#?}"
    );
    assert!(
        signature.iter().any(|f| f.message.contains("not a physical therapist")),
        "{report:#?}"
    );
    // A draft note in the period is pointed out, without blocking.
    let owner = c.f.owner.clone();
    c.f.chart
        .create_note(&owner, &c.f.episode_id, NoteKind::Daily, "2026-03-02", None)
        .expect("draft");
    let report = c.f.chart.scrub_claim(&claim.summary.id).expect("scrub");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.level == Level::Warning && f.message.contains("still a draft"))
    );
}

#[test]
fn the_scrubber_catches_an_overdue_progress_report_and_a_used_up_authorization() {
    // Medicare denies visits past the progress-report period: the scrubber holds them as
    // errors; the notes themselves were signed, since care given is always documented.
    let payer = Payer::with_defaults("Medicare Part B", UnitMethod::Cms);
    let mut c = Clinic::new(payer, Omit::default());
    for d in 0..11 {
        c.sign(&format!("2026-03-{:02}", 3 + d), &[("97110", 25)]);
    }
    let claim = c.build_one();
    let report = c.f.chart.scrub_claim(&claim.summary.id).expect("scrub");
    let overdue: Vec<_> = report.errors().filter(|f| f.check == Check::ProgressReport).collect();
    assert_eq!(overdue.len(), 1, "{report:#?}");
    assert!(
        overdue[0].message.contains("2026-03-13"),
        "the 11th treatment day: {}",
        overdue[0].message
    );

    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    c.f.chart
        .add_authorization(
            &owner,
            &c.f.episode_id,
            &NewAuthorization {
                visits: Some(1),
                valid_from: "2026-03-01".into(),
                valid_to: "2026-03-31".into(),
                ..NewAuthorization::default()
            },
        )
        .expect("authorization");
    c.sign("2026-03-03", &[("97110", 25)]);
    let first = c.build_one();
    c.sign("2026-03-05", &[("97110", 25)]);
    assert_eq!(
        c.checks(&first.summary.id),
        Vec::<Check>::new(),
        "a visit after the claim's does not use up what the claim was billed under"
    );
    c.f.chart
        .set_claim_status(
            &c.biller,
            &first.summary.id,
            ClaimStatus::Draft,
            ClaimStatus::Void,
            None,
        )
        .expect("void");
    let claim = c.build_one();
    assert_eq!(c.checks(&claim.summary.id), [Check::Authorization]);
}

#[test]
fn the_scrubber_catches_ncci_mue_kx_minutes_and_missing_charges() {
    // 97530 with 97140 is an NCCI pair that needs 59 on 97140 when the services were in
    // separate intervals; nothing marked them so, so the line has no 59.
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97530", 15), ("97140", 15)]);
    let claim = c.build_one();
    assert_eq!(c.checks(&claim.summary.id), [Check::Ncci]);

    // Units edited on the claim beyond what the minutes support, and beyond the MUE.
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    let edit = |units| LineEdit {
        units: Some(units),
        ..LineEdit::default()
    };
    c.f.chart
        .edit_claim_line(&c.biller, &claim.summary.id, 1, &edit(3))
        .expect("edit");
    assert_eq!(c.checks(&claim.summary.id), [Check::Minutes]);
    let after = c.f.chart.claim(&claim.summary.id).expect("claim");
    assert_eq!(after.summary.charge_cents, CHARGE * 3, "the charge follows the units");
    let note = c.f.chart.note(&claim.lines[0].note_id).expect("note");
    assert_eq!(
        note.charge_lines[0].units, 2,
        "editing a claim never edits the signed note"
    );

    // Two evaluations on one day: over the MUE of 1.
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let eval =
        c.f.chart
            .create_note(&owner, &c.f.episode_id, NoteKind::Eval, "2026-03-03", None)
            .expect("eval");
    let complexity = stride_chart::notes::NoteEdit {
        eval_complexity: Some(stride_chart::notes::EvalComplexity::Low),
        ..stride_chart::notes::NoteEdit::default()
    };
    c.f.chart.edit_note(&owner, &eval, &complexity).expect("complexity");
    c.f.chart.sign_note(&owner, &eval).expect("sign eval");
    let claim = c.build_one();
    let line = claim
        .lines
        .iter()
        .find(|l| l.code == "97161")
        .expect("the evaluation's line");
    c.f.chart
        .edit_claim_line(&c.biller, &claim.summary.id, line.position, &edit(2))
        .expect("edit");
    assert_eq!(c.checks(&claim.summary.id), [Check::Mue]);

    // KX taken off a line above the threshold.
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    c.f.chart.set_fee(&owner, &c.f.payer_id, "97110", 150_000).expect("fee");
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    assert!(
        claim.lines[0].modifiers.contains(&stride_coding::Modifier::KX),
        "{:?}",
        claim.lines[0]
    );
    let edit = LineEdit {
        modifiers: Some(vec!["GP".into()]),
        ..LineEdit::default()
    };
    c.f.chart
        .edit_claim_line(&c.biller, &claim.summary.id, 1, &edit)
        .expect("edit");
    assert_eq!(c.checks(&claim.summary.id), [Check::Kx]);

    // KX only from the line that reaches the threshold, as the engine adds it: the day's
    // first line, below it, is clean without KX.
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    c.f.chart.set_fee(&owner, &c.f.payer_id, "97140", 150_000).expect("fee");
    c.sign("2026-03-03", &[("97110", 30), ("97140", 23)]);
    let claim = c.build_one();
    let kx = |code: &str| {
        let line = claim.lines.iter().find(|l| l.code == code).expect("line");
        (line.position, line.modifiers.contains(&stride_coding::Modifier::KX))
    };
    assert_eq!((kx("97110"), kx("97140")), ((1, false), (2, true)), "{:?}", claim.lines);
    assert_eq!(c.checks(&claim.summary.id), Vec::<Check>::new());

    // A code the clinic has no charge for.
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97535", 25)]);
    let claim = c.build_one();
    assert_eq!(c.checks(&claim.summary.id), [Check::Claim]);
}

#[test]
fn a_claim_changed_after_its_file_was_made_is_not_marked_sent() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    let id = claim.summary.id.clone();
    c.ready(&id);
    let now = day("2026-03-10").and_hms_opt(9, 0, 0).expect("time");
    let file = c.f.chart.prepare_837(&c.biller, None, now).expect("file");
    // Meanwhile: back to draft, a line changed, ready again.
    let chart = &mut c.f.chart;
    chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Ready, ClaimStatus::Draft, None)
        .expect("draft");
    let edit = LineEdit {
        units: Some(1),
        ..LineEdit::default()
    };
    chart.edit_claim_line(&c.biller, &id, 1, &edit).expect("edit");
    chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Draft, ClaimStatus::Ready, None)
        .expect("ready");
    let err = chart
        .mark_submitted(&c.biller, &file, day("2026-03-10"))
        .expect_err("stale file");
    assert!(
        err.to_string().contains("changed after the 837P file was made"),
        "{err}"
    );
    assert_eq!(chart.claim_summary(&id).expect("claim").status, ClaimStatus::Ready);
}

#[test]
fn the_lifecycle_refuses_what_it_does_not_allow() {
    let mut c = Clinic::medicare(Omit {
        payer_code: true,
        ..Omit::default()
    });
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    let id = claim.summary.id.clone();
    let clinician = c.f.user("kim", &[Role::Pt]);
    let chart = &mut c.f.chart;
    let err = chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Draft, ClaimStatus::Ready, None)
        .expect_err("not clean");
    assert!(err.to_string().contains("electronic payer id"), "{err}");
    let err = chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Draft, ClaimStatus::Paid, None)
        .expect_err("never by hand");
    assert!(err.to_string().contains("cannot become"), "{err}");
    let owner = c.f.owner.clone();
    let billing = PayerBilling {
        payer_code: Some("00952".into()),
        claim_filing: "MB".into(),
        self_pay: false,
    };
    chart
        .set_payer_billing(&owner, &c.f.payer_id, &billing)
        .expect("payer id");
    chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Draft, ClaimStatus::Ready, None)
        .expect("ready");
    // Someone else's view is stale now.
    let err = chart
        .set_claim_status(&c.biller, &id, ClaimStatus::Draft, ClaimStatus::Void, None)
        .expect_err("stale");
    assert!(err.to_string().contains("someone changed it first"), "{err}");
    // A ready claim is not edited, by the app or by hand.
    assert!(chart.edit_claim_line(&c.biller, &id, 1, &LineEdit::default()).is_err());
    let raw = chart
        .connection()
        .execute("UPDATE claim_line SET units = 9 WHERE claim_id = ?1", [&id]);
    assert!(raw.is_err(), "the trigger refuses editing a claim that is not a draft");
    // Clinicians do not bill.
    assert!(chart.build_claims(&clinician, "2026-03-01", "2026-03-31").is_err());
    // Rebuild: the old claim is void, a new draft bills the same note.
    let rebuilt = c.f.chart.rebuild_claim(&c.biller, &id).expect("rebuild");
    assert_eq!(rebuilt.claims.len(), 1);
    assert_eq!(c.f.chart.claim_summary(&id).expect("old").status, ClaimStatus::Void);
    let new = c.f.chart.claim(&rebuilt.claims[0]).expect("new");
    assert_eq!(new.lines[0].note_id, claim.lines[0].note_id);
    assert_ne!(new.summary.control_number, claim.summary.control_number);
}

#[test]
fn a_remittance_posts_payments_denials_and_patient_balances() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 30), ("97112", 15)]);
    c.sign("2026-03-05", &[("97140", 20)]);
    let claim = c.build_one();
    c.ready(&claim.summary.id);
    c.submit("2026-03-10");
    let text = remittance_for(&claim, |i| match i {
        0 => (6000, vec![adj("CO", "45", 2000), adj("PR", "2", 2000)], Vec::new()),
        1 => (3000, vec![adj("CO", "45", 1000), adj("PR", "2", 1000)], Vec::new()),
        _ => (0, vec![adj("CO", "119", CHARGE)], vec!["N640".into()]),
    });
    let before = c.f.chart.ar_report(day("2026-04-01")).expect("A/R");
    assert_eq!(before.total.total, CHARGE * 4);

    let report = c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    assert_eq!(report.posted.len(), 1, "{report:?}");
    assert!(report.unmatched.is_empty(), "{report:?}");
    assert_eq!(report.denials, 1);
    let posted = c.f.chart.claim(&claim.summary.id).expect("claim");
    assert_eq!(posted.summary.status, ClaimStatus::PartiallyPaid);
    assert_eq!(posted.summary.paid_cents, 9000);
    assert_eq!(posted.summary.patient_resp_cents, 3000);
    assert_eq!(posted.summary.written_off_cents, 3000);
    assert_eq!(posted.summary.balance_cents, CHARGE, "the denied line stays open");
    assert!(posted.lines[0].adjustments[0].words.contains("fee schedule"));
    assert_eq!(posted.history.last().map(|e| e.source.as_str()), Some("remittance"));

    let denials = c.f.chart.denials(false).expect("denials");
    assert_eq!(denials.len(), 1);
    assert_eq!(denials[0].code, "97140");
    assert!(
        denials[0].reasons[0].contains("benefit maximum"),
        "{:?}",
        denials[0].reasons
    );
    assert!(denials[0].remarks[0].contains("KX"), "{:?}", denials[0].remarks);

    let ar = c.f.chart.ar_report(day("2026-05-01")).expect("A/R");
    assert_eq!(ar.total.days_31_60, CHARGE, "sent 2026-03-10, 52 days before");
    assert_eq!(ar.patients.len(), 1);
    assert_eq!(ar.patients[0].balance_cents, 3000);
    c.f.chart
        .record_patient_payment(&c.biller, &c.f.patient_id, "2026-04-20", 1200, "card")
        .expect("payment");
    assert_eq!(c.f.chart.patient_balances().expect("balances")[0].balance_cents, 1800);
    assert!(c.f.chart.ar_report(day("2026-05-01")).expect("A/R").refunds.is_empty());
    // Writing the denial off takes it out of A/R.
    c.f.chart
        .resolve_denial(&c.biller, &denials[0].id, "written_off")
        .expect("write off");
    assert_eq!(c.f.chart.ar_report(day("2026-05-01")).expect("A/R").total.total, 0);
    assert!(c.f.chart.denials(false).expect("denials").is_empty());
    let production =
        c.f.chart
            .production(day("2026-03-01"), day("2026-03-31"))
            .expect("production");
    assert_eq!(production.len(), 1);
    assert_eq!(
        (production[0].charge_cents, production[0].paid_cents),
        (CHARGE * 4, 9000)
    );

    // The same file again posts nothing twice.
    let err = c.f.chart.import_835(&c.biller, text.as_bytes()).expect_err("twice");
    assert!(err.to_string().contains("already imported"), "{err}");
    assert_eq!(
        c.f.chart.claim_summary(&claim.summary.id).expect("claim").paid_cents,
        9000
    );

    // The payer sends the same payment again under another trace number while the claim
    // is still open: the claim is overpaid, listed to refund.
    assert_eq!(
        c.f.chart.claim_summary(&claim.summary.id).expect("claim").status,
        ClaimStatus::PartiallyPaid
    );
    let mut again = parse_835(text.as_bytes()).expect("reads");
    again[0].trace_number = "EFT-DUPLICATE".into();
    let envelope = stride_billing::synthetic::envelope(day("2026-04-25"), 7);
    c.f.chart
        .import_835(&c.biller, write_835(&envelope, &again).as_bytes())
        .expect("import");
    let overpaid = c.f.chart.claim_summary(&claim.summary.id).expect("claim");
    let refunds = c.f.chart.ar_report(day("2026-05-01")).expect("A/R").refunds;
    let payer: Vec<(Option<&str>, i64)> = refunds
        .iter()
        .filter(|r| r.owed_to == "payer")
        .map(|r| (r.claim_id.as_deref(), r.cents))
        .collect();
    assert_eq!(
        payer,
        [(Some(claim.summary.id.as_str()), -overpaid.balance_cents)],
        "{refunds:?}"
    );
    assert!(overpaid.balance_cents < 0, "{overpaid:?}");
    // A patient who pays more than they owe has a credit to refund.
    let owes = c.f.chart.patient_balances().expect("balances")[0].balance_cents;
    c.f.chart
        .record_patient_payment(&c.biller, &c.f.patient_id, "2026-04-27", owes + 2500, "card")
        .expect("payment");
    let refunds = c.f.chart.ar_report(day("2026-05-01")).expect("A/R").refunds;
    assert_eq!(
        refunds.iter().find(|r| r.owed_to == "patient").map(|r| r.cents),
        Some(2500)
    );
}

fn table_counts(c: &Clinic) -> Vec<i64> {
    ["remittance", "remit_claim", "denial", "claim_event", "audit_event"]
        .iter()
        .map(|t| {
            c.f.chart
                .connection()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .expect("count")
        })
        .collect()
}

#[test]
fn an_appealed_line_paid_later_keeps_both_remittances_adjustments() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    c.ready(&claim.summary.id);
    c.submit("2026-03-10");
    let denied = remittance_for(&claim, |_| (0, vec![adj("CO", "119", CHARGE * 2)], vec!["N640".into()]));
    c.f.chart.import_835(&c.biller, denied.as_bytes()).expect("denial");
    c.f.chart
        .set_claim_status(
            &c.biller,
            &claim.summary.id,
            ClaimStatus::Denied,
            ClaimStatus::Appealed,
            Some("KX added"),
        )
        .expect("appealed");
    let paid = remittance_for(&claim, |_| (8000, vec![adj("CO", "45", 2000)], Vec::new()))
        .replace("TRN*1*EFT", "TRN*1*APPEAL");
    c.f.chart
        .import_835(&c.biller, paid.as_bytes())
        .expect("payment on appeal");
    let after = c.f.chart.claim(&claim.summary.id).expect("claim");
    assert_eq!(after.summary.status, ClaimStatus::Paid);
    let reasons: Vec<&str> = after.lines[0].adjustments.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(reasons, ["119", "45"], "both remittances' adjustments stay on the line");
    assert_eq!(after.lines[0].paid_cents, 8000);
}

#[test]
fn damaged_or_foreign_remittances_change_nothing_or_are_kept_aside() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    c.ready(&claim.summary.id);
    c.submit("2026-03-10");
    let text = remittance_for(&claim, |_| (0, vec![adj("CO", "50", CHARGE * 2)], Vec::new()));
    let before = table_counts(&c);
    let (header, body) = text.split_once('\n').expect("lines");
    for bad in [
        text[..text.len() / 2].to_owned(),
        // The header declares `*`, the segments use `|`.
        format!("{header}\n{}", body.replace('*', "|")),
        "not an 835 at all".to_owned(),
        text.replacen("*100*", "*1x0*", 1),
    ] {
        let err = c.f.chart.import_835(&c.biller, bad.as_bytes()).expect_err("refused");
        assert!(err.to_string().contains("835 file"), "{err}");
        assert_eq!(table_counts(&c), before, "a refused file changes nothing");
    }
    // A claim Stride never sent is kept, with the reason, and nothing else is touched.
    let foreign = text.replace(&claim.summary.control_number, "NOTOURS0001");
    let report = c.f.chart.import_835(&c.biller, foreign.as_bytes()).expect("import");
    assert!(report.posted.is_empty());
    assert!(
        report.unmatched[0]
            .reason
            .contains("no claim has the control number NOTOURS0001")
    );
    assert_eq!(
        c.f.chart.claim_summary(&claim.summary.id).expect("claim").status,
        ClaimStatus::Submitted
    );
    // The real one denies the claim outright.
    let report = c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    assert_eq!(report.posted[0].status, Some(ClaimStatus::Denied));
    assert_eq!(c.f.chart.denials(false).expect("denials").len(), 1);
    // The same payment in a new envelope is refused too.
    let resent = text
        .replace("000000001", "000000002")
        .replace("*1*X*", "*2*X*")
        .replace("GE*1*1~", "GE*1*2~");
    assert_ne!(resent, text);
    let err =
        c.f.chart
            .import_835(&c.biller, resent.as_bytes())
            .expect_err("the same payment");
    assert!(err.to_string().contains("already imported"), "{err}");

    // Corrected and sent again: a replacement claim naming the payer's claim number.
    let id = &claim.summary.id;
    c.f.chart
        .set_claim_status(
            &c.biller,
            id,
            ClaimStatus::Denied,
            ClaimStatus::Draft,
            Some("corrected"),
        )
        .expect("back to draft");
    c.ready(id);
    let corrected = c.submit("2026-04-20");
    both_readers("chart-corrected.837", &corrected).expect("the corrected 837P is valid");
    assert!(corrected.contains("11:B:7*Y*A*Y*Y~\nREF*F8*PCN00000~"), "{corrected}");
}

/// A child on a parent's plan, seen by a solo PT who bills in her own name, once at home,
/// under two authorizations: the 837P names the parent as subscriber (2000B) and the child
/// as patient (2000C), the PT as billing provider without a rendering loop, the home
/// visit's place on its line and each line's authorization.
#[test]
fn a_dependant_seen_by_a_solo_pt_at_home_under_two_authorizations() {
    let mut c = Clinic::new(Payer::with_defaults("Acme Health", UnitMethod::Ama), Omit::default());
    let owner = c.f.owner.clone();
    let coverage = c.f.chart.coverages(&c.f.patient_id).expect("coverages")[0].id.clone();
    let parent = Insured {
        relationship: "child".into(),
        first_name: "Rosa".into(),
        last_name: "Alvarez".into(),
        dob: "1985-02-11".into(),
        sex: "female".into(),
        address: "12 Oak Ave".into(),
        city: "Springfield".into(),
        state: "IL".into(),
        zip: "62704".into(),
    };
    let as_self = Insured {
        relationship: "self".into(),
        ..parent.clone()
    };
    assert!(
        c.f.chart
            .set_coverage_insured(&c.biller, &coverage, Some(&as_self))
            .is_err()
    );
    c.f.chart
        .set_coverage_insured(&c.biller, &coverage, Some(&parent))
        .expect("insured");
    let solo = BillingProfile {
        billing_clinician_id: Some(owner.user_id.clone()),
        ..c.f.chart.billing_profile().expect("profile")
    };
    c.f.chart.set_billing_profile(&owner, &solo).expect("solo billing");
    for (from, to, number) in [
        ("2026-03-01", "2026-03-15", "AUTH-A"),
        ("2026-03-16", "2026-03-31", "AUTH-B"),
    ] {
        let authorization = NewAuthorization {
            visits: Some(10),
            valid_from: from.into(),
            valid_to: to.into(),
            reference: Some(number.into()),
            ..NewAuthorization::default()
        };
        c.f.chart
            .add_authorization(&owner, &c.f.episode_id, &authorization)
            .expect("authorization");
    }
    c.sign("2026-03-03", &[("97110", 30)]);
    c.sign("2026-03-05", &[("97110", 30)]);
    let home =
        c.f.chart
            .create_note(&owner, &c.f.episode_id, NoteKind::Daily, "2026-03-17", None)
            .expect("note");
    c.f.chart
        .set_service(&owner, &home, "97110", 30, None)
        .expect("service");
    assert!(c.f.chart.set_place_of_service(&owner, &home, Some("55")).is_err());
    c.f.chart
        .set_place_of_service(&owner, &home, Some("12"))
        .expect("home visit");
    c.f.chart.sign_note(&owner, &home).expect("sign");
    assert!(
        c.f.chart.set_place_of_service(&owner, &home, Some("11")).is_err(),
        "a signed note's place is fixed"
    );
    let claim = c.build_one();
    c.ready(&claim.summary.id);
    let text = c.submit("2026-04-01");
    both_readers("chart-dependant-solo.837", &text).expect("valid 837P");
    // The parent is the subscriber, the child the patient.
    assert!(text.contains("NM1*IL*1*ALVAREZ*ROSA****MI*1EG4TE5MK73~"), "{text}");
    assert!(text.contains("HL*3*2*23*0~\nPAT*19~\nNM1*QC*1*"), "{text}");
    // The PT bills as a person under her own NPI; no rendering loop.
    let npi = npi_from_base(100_300_012);
    assert!(text.contains(&format!("NM1*85*1*MARIA*****XX*{npi}~")), "{text}");
    assert!(!text.contains("NM1*82*"), "{text}");
    // The claim is at the office; the home visit's line says so.
    assert!(text.contains("*11:B:1*Y*A*Y*Y~"));
    assert_eq!(text.matches("*UN*2*12**").count(), 1, "{text}");
    // Two authorizations over the claim's dates: each line names its own.
    assert_eq!(text.matches("REF*G1*AUTH-A~").count(), 2, "{text}");
    assert_eq!(text.matches("REF*G1*AUTH-B~").count(), 1);
}

/// Each service on a note points at the diagnoses it treats; its claim line carries them
/// (SV107), and services left alone point at the episode's diagnoses in order.
#[test]
fn each_service_points_at_the_diagnoses_it_treats() {
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let note =
        c.f.chart
            .create_note(&owner, &c.f.episode_id, NoteKind::Daily, "2026-03-03", None)
            .expect("note");
    for code in ["97110", "97112", "97140"] {
        c.f.chart.set_service(&owner, &note, code, 15, None).expect("service");
    }
    // The episode has two diagnoses: M54.50 then M25.561.
    for wrong in [&[3][..], &[1, 1], &[0], &[1, 2, 1, 2, 1]] {
        assert!(
            c.f.chart.set_service_diagnoses(&owner, &note, "97110", wrong).is_err(),
            "{wrong:?}"
        );
    }
    assert!(
        c.f.chart.set_service_diagnoses(&owner, &note, "97530", &[1]).is_err(),
        "not on the note"
    );
    c.f.chart
        .set_service_diagnoses(&owner, &note, "97110", &[2])
        .expect("knee only");
    c.f.chart
        .set_service_diagnoses(&owner, &note, "97112", &[2, 1])
        .expect("knee, then back");
    c.f.chart.sign_note(&owner, &note).expect("sign");
    let signed = c.f.chart.note(&note).expect("note");
    assert_eq!(signed.hash_verified, Some(true));
    assert_eq!(signed.services[1].diagnoses, [2, 1]);
    assert!(
        c.f.chart.set_service_diagnoses(&owner, &note, "97110", &[1]).is_err(),
        "fixed once signed"
    );
    let claim = c.build_one();
    let pointers: Vec<(&str, Vec<u8>)> = claim
        .lines
        .iter()
        .map(|l| (l.code.as_str(), l.dx_pointers.clone()))
        .collect();
    assert_eq!(
        pointers,
        [("97110", vec![2]), ("97112", vec![2, 1]), ("97140", vec![1, 2])]
    );
    c.ready(&claim.summary.id);
    let text = c.submit("2026-04-01");
    both_readers("chart-pointers.837", &text).expect("valid 837P");
    assert!(text.contains("*UN*1***2~"), "{text}");
    assert!(text.contains("*UN*1***2:1~"), "{text}");
    assert!(text.contains("*UN*1***1:2~"), "{text}");
}

/// A new ICD-10-CM release applies from its effective date: a code it deleted is refused
/// on a new episode and on a claim's later dates of service, and still stands before.
#[test]
fn a_diagnosis_deleted_by_an_imported_release_is_refused_from_its_effective_date() {
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let made_up = include_bytes!("../../../icd10/tests/fixtures/made-up-2027.xml");
    let desk = c.f.user("dee", &[Role::Frontdesk]);
    assert!(
        c.f.chart.import_icd10cm(&desk, made_up, None).is_err(),
        "billers and administrators only"
    );
    assert!(c.f.chart.import_icd10cm(&c.biller, b"<not-a-code-set/>", None).is_err());
    // Effective mid-March here, so that one month's claim spans both releases.
    let release =
        c.f.chart
            .import_icd10cm(&c.biller, made_up, Some("2026-03-15"))
            .expect("import");
    assert_eq!((release.version.as_str(), release.shipped), ("2027", false));
    let held = c.f.chart.icd10_releases().expect("releases");
    assert_eq!(
        held.iter().map(|r| r.version.as_str()).collect::<Vec<_>>(),
        ["2026", "2027"]
    );

    // The clinic's episode (M54.50, from March 2) bills a visit before and one after.
    c.sign("2026-03-03", &[("97110", 30)]);
    let before = c.build_one();
    assert!(
        !c.checks(&before.summary.id).contains(&Check::Claim),
        "valid before its deletion"
    );
    c.f.chart
        .set_claim_status(
            &c.biller,
            &before.summary.id,
            ClaimStatus::Draft,
            ClaimStatus::Void,
            None,
        )
        .expect("void");
    c.sign("2026-03-17", &[("97110", 30)]);
    let both = c.build_one();
    let report = c.f.chart.scrub_claim(&both.summary.id).expect("scrub");
    let deleted = report
        .errors()
        .find(|f| f.message.contains("M54.50") && f.message.contains("deleted"))
        .unwrap_or_else(|| panic!("{report:#?}"));
    assert!(
        deleted.message.contains("M54.51"),
        "names its replacement: {}",
        deleted.message
    );

    // A new episode from the effective date cannot start with it.
    let episode = |start: &str, code: &str| NewEpisode {
        patient_id: c.f.patient_id.clone(),
        payer_id: c.f.payer_id.clone(),
        diagnoses: vec![code.into()],
        start_date: Some(start.into()),
        ..NewEpisode::default()
    };
    let refused =
        c.f.chart
            .add_episode(&owner, &episode("2026-03-20", "M54.50"))
            .expect_err("deleted");
    assert!(refused.to_string().contains("deleted"), "{refused}");
    c.f.chart
        .add_episode(&owner, &episode("2026-03-20", "M54.52"))
        .expect("added by the release");
}

/// A therapist renting a room bills her own patients in her own name: her claims go in a
/// transaction set of their own, with her as the billing provider (NM1*85*1, her NPI and
/// tax id) and no rendering loop; the clinic's claims in the same file stay the clinic's.
#[test]
fn a_clinician_billing_in_her_own_name_gets_her_own_billing_provider() {
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let rivera = c.f.user("rivera", &[Role::Pt]);
    let assistant = c.f.user("pat", &[Role::Pta]);
    let npi = npi_from_base(100_300_038);
    c.f.chart.set_user_npi(&owner, &rivera.user_id, &npi).expect("npi");
    assert!(
        c.f.chart
            .set_own_billing(&owner, &assistant.user_id, Some("98-7654321"))
            .is_err(),
        "an assistant never bills in their own name"
    );
    assert!(
        c.f.chart
            .set_own_billing(&owner, &rivera.user_id, Some("98-76543"))
            .is_err()
    );
    assert!(
        c.f.chart
            .set_own_billing(&c.biller, &rivera.user_id, Some("98-7654321"))
            .is_err(),
        "administrators only"
    );
    c.f.chart
        .set_own_billing(&owner, &rivera.user_id, Some("98-7654321"))
        .expect("own billing");
    c.sign("2026-03-03", &[("97110", 30)]);
    c.f.signed_daily(&rivera, "2026-03-05", &[("97112", 30)]);
    let built =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert_eq!(built.claims.len(), 2, "{built:?}");
    for id in &built.claims {
        c.ready(id);
    }
    let text = c.submit("2026-04-01");
    both_readers("chart-own-billing.837", &text).expect("valid 837P");
    let sets: Vec<&str> = text.split("ST*837*").skip(1).collect();
    assert_eq!(sets.len(), 2, "{text}");
    let clinic_npi = npi_from_base(123_456_789);
    assert!(sets[0].contains("NM1*85*2*") && sets[0].contains(&format!("*XX*{clinic_npi}~")));
    assert!(sets[0].contains("97110") && !sets[0].contains("97112"), "{text}");
    assert!(sets[1].contains(&format!("NM1*85*1*RIVERA*****XX*{npi}~")), "{text}");
    assert!(sets[1].contains("REF*EI*987654321~"), "{text}");
    assert!(
        !sets[1].contains("NM1*82*"),
        "she is the billing provider: no rendering loop"
    );
    // Stopped: the clinic bills her claims again.
    c.f.chart.set_own_billing(&owner, &rivera.user_id, None).expect("off");
}

/// Medicare pays second behind an employer plan: the secondary claim needs the Medicare
/// Secondary Payer type (SBR05), and the scrubber says so before the file is made.
#[test]
fn medicare_as_secondary_needs_its_msp_type_and_unlisted_lines_their_description() {
    let mut c = Clinic::new(Payer::with_defaults("Acme Health", UnitMethod::Ama), Omit::default());
    let owner = c.f.owner.clone();
    c.f.chart.set_clinic_fee(&owner, "97139", CHARGE).expect("fee");
    let employer_plan = PayerBilling {
        payer_code: Some("ACME1".into()),
        claim_filing: "CI".into(),
        self_pay: false,
    };
    c.f.chart
        .set_payer_billing(&owner, &c.f.payer_id, &employer_plan)
        .expect("billing");
    let medicare =
        c.f.chart
            .add_payer(&owner, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
            .expect("payer");
    let billing = PayerBilling {
        payer_code: Some("00952".into()),
        claim_filing: "MB".into(),
        self_pay: false,
    };
    c.f.chart
        .set_payer_billing(&owner, &medicare, &billing)
        .expect("billing");
    let coverage =
        c.f.chart
            .add_coverage(&owner, &c.f.patient_id, &medicare, "1EG4TE5MK73", 2)
            .expect("Medicare second");
    c.sign("2026-03-03", &[("97110", 25), ("97139", 10)]);
    let claim = c.build_one();
    assert!(
        c.checks(&claim.summary.id).contains(&Check::Claim),
        "97139 needs a description"
    );
    c.f.chart
        .edit_claim_line(
            &c.biller,
            &claim.summary.id,
            2,
            &LineEdit {
                description: Some("Vasopneumatic compression".into()),
                ..LineEdit::default()
            },
        )
        .expect("describe");
    c.ready(&claim.summary.id);
    let text = c.submit("2026-03-10");
    assert!(text.contains("SV1*HC:97139:GP::::VASOPNEUMATIC COMPRESSION*"), "{text}");
    let claim = c.f.chart.claim(&claim.summary.id).expect("claim");
    let text = remittance_for(&claim, |line| {
        // Each line balances: 97110 x2 is 100.00, 97139 is 50.00.
        let share = if line == 0 { 2 } else { 1 };
        (
            3000 * share,
            vec![adj("CO", "45", 1000 * share), adj("PR", "3", 1000 * share)],
            Vec::new(),
        )
    });
    c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    let report =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    let secondary = report.claims[0].clone();
    assert!(
        c.checks(&secondary).contains(&Check::Coverage),
        "{:?}",
        c.checks(&secondary)
    );
    assert!(c.f.chart.set_msp_type(&c.biller, &coverage, Some("99")).is_err());
    c.f.chart
        .set_msp_type(&c.biller, &coverage, Some("12"))
        .expect("working aged");
    c.ready(&secondary);
    let text = c.submit("2026-04-20");
    both_readers("chart-msp.837", &text).expect("valid 837P");
    assert!(text.contains("SBR*S*18***12****MB~"), "{text}");
    // The primary's adjudication travels in 2320/2430 and balances.
    assert!(text.contains("SBR*P*18*******CI~\nAMT*D*90~"), "{text}");
    assert!(text.contains("SVD*ACME1*60*HC:97110:GP**2~\nCAS*CO*45*20~\nCAS*PR*3*20~"));
}

/// The 835 of `claim` as the synthetic payer writes it, read back as data to reshape.
fn payment_for(claim: &ClaimDetail, decide: impl Fn(usize) -> LineDecision) -> Remittance {
    let text = remittance_for(claim, decide);
    parse_835(text.as_bytes()).expect("reads").remove(0)
}

/// A Medicare patient with a Medigap plan second, and the Medicare claim for one visit,
/// sent: the clinic, the Medigap payer's id and the claim.
fn medicare_then_medigap() -> (Clinic, String, ClaimDetail) {
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let medigap =
        c.f.chart
            .add_payer(&owner, &Payer::with_defaults("Medigap Plan G", UnitMethod::Ama))
            .expect("payer");
    let billing = PayerBilling {
        payer_code: Some("MGAP1".into()),
        claim_filing: "CI".into(),
        self_pay: false,
    };
    c.f.chart
        .set_payer_billing(&owner, &medigap, &billing)
        .expect("billing");
    c.f.chart
        .add_coverage(&owner, &c.f.patient_id, &medigap, "XYZ123", 2)
        .expect("secondary coverage");
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    c.ready(&claim.summary.id);
    c.submit("2026-03-10");
    (c, medigap, claim)
}

/// Medicare forwards the claim to the Medigap plan itself (a crossover), withholds an
/// earlier overpayment (PLB), then reverses its payment and pays a corrected amount; the
/// Medigap plan's own payment arrives in the same file. A QMB patient never owes Medicare's
/// cost sharing.
#[test]
fn crossovers_reversals_provider_adjustments_and_several_payments_post() {
    let (mut c, _, claim) = medicare_then_medigap();
    let envelope = RemitEnvelope {
        sender_id: "PAYER".into(),
        receiver_id: "STRIDE".into(),
        control_number: 9,
        created: day("2026-04-10").and_hms_opt(6, 0, 0).expect("time"),
    };

    // Medicare pays 60.00, leaves 20.00 coinsurance, forwards the claim, and withholds
    // 5.00 of an earlier overpayment on this claim.
    let mut medicare = payment_for(&claim, |_| {
        (6000, vec![adj("CO", "45", 2000), adj("PR", "2", 2000)], Vec::new())
    });
    medicare.claims[0].status_code = "19".into();
    medicare.claims[0].crossover_payer = Some("MEDIGAP PLAN G".into());
    medicare.provider_adjustments = vec![ProviderAdjustment {
        reason: "WO".into(),
        reference: claim.summary.control_number.clone(),
        cents: 500,
    }];
    medicare.total_paid_cents = 5500;
    let text = write_835(&envelope, std::slice::from_ref(&medicare));
    both_readers("chart-crossover.835", &text).expect("valid 835");
    let report = c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    assert!(report.unmatched.is_empty(), "{report:?}");
    let plb = &report.payments[0].provider_adjustments[0];
    assert_eq!(
        (plb.words.as_str(), plb.claim_id.as_deref()),
        ("overpayment recovery", Some(claim.summary.id.as_str()))
    );
    // The patient owes the coinsurance until Medigap pays it, unless a QMB.
    assert_eq!(c.f.chart.patient_balances().expect("balances")[0].balance_cents, 2000);
    c.f.chart.set_qmb(&c.biller, &c.f.patient_id, true).expect("qmb");
    assert!(
        c.f.chart.patient_balances().expect("balances").is_empty(),
        "a QMB owes nothing"
    );
    c.f.chart.set_qmb(&c.biller, &c.f.patient_id, false).expect("not qmb");
    // Medicare forwarded it: no secondary claim is built.
    let built =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert!(built.claims.is_empty(), "{built:?}");

    // One file, two payments: Medigap pays the coinsurance; Medicare reverses its payment
    // and pays the corrected claim 50.00.
    let mut gap = payment_for(&claim, |_| (2000, vec![adj("OA", "23", 8000)], Vec::new()));
    gap.payer_name = "MEDIGAP PLAN G".into();
    gap.payer_id = "MGAP1".into();
    gap.trace_number = "GAP0001".into();
    gap.claims[0].status_code = "2".into();
    let paid = payment_for(&claim, |_| {
        (6000, vec![adj("CO", "45", 2000), adj("PR", "2", 2000)], Vec::new())
    });
    let reversal = reversal(&paid.claims[0]);
    let corrected = payment_for(&claim, |_| {
        (5000, vec![adj("CO", "45", 3000), adj("PR", "2", 2000)], Vec::new())
    });
    let mut again = corrected.clone();
    again.trace_number = "EFTCORRECTED".into();
    again.claims = vec![reversal, corrected.claims[0].clone()];
    again.total_paid_cents = -1000;
    let text = write_835(&envelope, &[gap, again]);
    both_readers("chart-two-payments.835", &text).expect("valid 835");
    let report = c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    assert!(report.unmatched.is_empty(), "{report:?}");
    assert_eq!(report.payments.len(), 2);
    assert_eq!(report.payments[1].taken_back_cents, 6000);
    let settled = c.f.chart.claim(&claim.summary.id).expect("claim");
    assert_eq!(settled.summary.status, ClaimStatus::Paid);
    // Medicare's corrected 50.00 and Medigap's 20.00; the patient owes nothing.
    assert_eq!(settled.summary.paid_cents, 7000);
    assert_eq!(settled.summary.written_off_cents, 3000);
    assert_eq!(settled.summary.patient_resp_cents, 0);
    assert!(c.f.chart.patient_balances().expect("balances").is_empty());
    assert_eq!(
        settled
            .history
            .iter()
            .filter(|e| e.to_status == ClaimStatus::Submitted.as_str())
            .count(),
        2,
        "sent, then reopened by the reversal"
    );
}

#[test]
fn a_settled_primary_claim_leads_to_a_valid_secondary_claim() {
    let (mut c, medigap, claim) = medicare_then_medigap();
    let text = remittance_for(&claim, |_| {
        (6000, vec![adj("CO", "45", 2000), adj("PR", "2", 2000)], Vec::new())
    });
    c.f.chart.import_835(&c.biller, text.as_bytes()).expect("import");
    let report =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert_eq!(report.claims.len(), 1, "{report:?}");
    let secondary = c.f.chart.claim(&report.claims[0]).expect("secondary");
    assert_eq!(
        (secondary.summary.responsibility, secondary.summary.payer_id.as_str()),
        (2, medigap.as_str())
    );
    c.ready(&secondary.summary.id);
    let text = c.submit("2026-04-15");
    both_readers("chart-secondary.837", &text).expect("the secondary 837P is valid");
    assert!(text.contains("SBR*S*18"), "{text}");
    assert!(text.contains("AMT*D*60~"));
    assert!(text.contains("SVD*00952*60*HC:97110:GP"));
    // The charge is counted once, and the secondary payer owes what the primary left.
    let production =
        c.f.chart
            .production(day("2026-03-01"), day("2026-03-31"))
            .expect("production");
    assert_eq!(production.iter().map(|r| r.charge_cents).sum::<i64>(), CHARGE * 2);
    assert_eq!(c.f.chart.ar_report(day("2026-04-20")).expect("A/R").total.total, 2000);
    assert!(
        c.f.chart.patient_balances().expect("balances").is_empty(),
        "the secondary payer works on it"
    );
}

#[test]
fn notes_under_a_secondary_coverage_are_billed_once() {
    let mut c = Clinic::medicare(Omit {
        coverage: true,
        ..Omit::default()
    });
    let owner = c.f.owner.clone();
    c.f.chart
        .add_coverage(&owner, &c.f.patient_id, &c.f.payer_id, "1EG4TE5MK73", 2)
        .expect("coverage as secondary");
    c.sign("2026-03-03", &[("97110", 25)]);
    let claim = c.build_one();
    assert_eq!(claim.summary.responsibility, 2);
    let again =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert!(again.claims.is_empty(), "{again:?}");
}

#[test]
fn self_pay_visits_get_a_superbill_not_a_claim() {
    let payer = Payer::with_defaults("Self-pay", UnitMethod::Ama);
    let mut c = Clinic::new(payer, Omit::default());
    let owner = c.f.owner.clone();
    let self_pay = PayerBilling {
        payer_code: None,
        claim_filing: "ZZ".into(),
        self_pay: true,
    };
    c.f.chart
        .set_payer_billing(&owner, &c.f.payer_id, &self_pay)
        .expect("self-pay");
    c.sign("2026-03-03", &[("97110", 25), ("97140", 10)]);
    let report =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert!(report.claims.is_empty());
    assert!(report.skipped[0].reason.contains("superbill"));
    let pdf =
        c.f.chart
            .superbill_pdf(
                &c.biller,
                &c.f.patient_id,
                "2026-03-01",
                "2026-03-31",
                day("2026-04-01"),
            )
            .expect("superbill");
    assert!(pdf.starts_with(b"%PDF-"));
    let path = c.f.dir.path().join("superbill.pdf");
    std::fs::write(&path, &pdf).expect("save");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", &path.to_string_lossy(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils; tests/run installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "Superbill",
        "Zebulon Quixote",
        "97110",
        "97140",
        "M54.50",
        "$150.00",
        "GP",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert_eq!(
        c.f.chart.patient_balances().expect("balances")[0].self_pay_cents,
        CHARGE * 3
    );
    // A second note on the same date joins its day: the patient owes for the day's
    // units once (each signed note stores the whole day's lines; the day_line view
    // counts the newest).
    c.sign("2026-03-03", &[("97112", 15)]);
    assert_eq!(
        c.f.chart.patient_balances().expect("balances")[0].self_pay_cents,
        CHARGE * 4
    );

    // A period spanning two episodes is refused in words: one episode's diagnoses head
    // the page.
    let second = NewEpisode {
        patient_id: c.f.patient_id.clone(),
        payer_id: c.f.payer_id.clone(),
        diagnoses: vec!["M25.561".into()],
        start_date: Some("2026-03-10".into()),
        ..NewEpisode::default()
    };
    c.f.episode_id = c.f.chart.add_episode(&owner, &second).expect("second episode");
    c.sign("2026-03-12", &[("97110", 25)]);
    let err =
        c.f.chart
            .superbill_pdf(
                &c.biller,
                &c.f.patient_id,
                "2026-03-01",
                "2026-03-31",
                day("2026-04-01"),
            )
            .expect_err("two episodes");
    assert!(err.to_string().contains("more than one episode"), "{err}");
}

#[test]
fn a_patients_day_is_billed_once_across_notes_and_clinicians() {
    // Pub 100-04 Ch.5 §20.2 (billing-rules errata 2026-12): under the CMS method all of a
    // patient's timed minutes on one date are pooled, across notes and clinicians. A PT's
    // 7 minutes of 97110 and a PTA's 10 minutes of 97140 bill nothing apart and one unit
    // together; it is the PTA's (the tied-leftover rule gives a unit with a PTA's minutes
    // in it to the PTA, with CQ).
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    let pta = c.f.user("pat", &[Role::Pta]);
    c.sign("2026-03-03", &[("97110", 7)]);
    let draft =
        c.f.chart
            .create_note(&pta, &c.f.episode_id, NoteKind::Daily, "2026-03-03", None)
            .expect("note");
    c.f.chart
        .set_service(&pta, &draft, "97140", 10, Some(10))
        .expect("service");
    // The second note's preview shows what the day will bill.
    let preview = c.f.chart.preview_coding(&draft).expect("preview");
    assert_eq!((preview.timed_minutes, preview.timed_units), (17, 1));
    assert_eq!(preview.lines.len(), 1);
    assert_eq!(
        (preview.lines[0].code.as_str(), preview.lines[0].modifiers.as_slice()),
        ("97140", &[stride_coding::Modifier::GP, stride_coding::Modifier::CQ][..])
    );
    c.f.chart.sign_note(&pta, &draft).expect("sign");
    c.f.chart.cosign_note(&owner, &draft).expect("co-sign");

    let claim = c.build_one();
    let billed: Vec<(&str, u32, &str)> = claim
        .lines
        .iter()
        .map(|l| (l.code.as_str(), l.units, l.note_id.as_str()))
        .collect();
    assert_eq!(
        billed,
        [("97140", 1, draft.as_str())],
        "one unit for the day, from the note that documents it"
    );
    assert_eq!(c.checks(&claim.summary.id), Vec::<Check>::new());
    // The day's allowed amount counts once toward the year's therapy total (KX).
    let once = stride_chart::compliance::therapy_allowed_this_year(&c.f.chart, &c.f.patient_id, day("2026-03-31"))
        .expect("ytd");
    let day_allowed: i64 = claim.lines.iter().filter_map(|l| l.allowed_cents).sum();
    assert_eq!(once, day_allowed);
}

#[test]
fn a_note_signed_after_its_day_was_billed_waits_for_a_rebuild() {
    let mut c = Clinic::medicare(Omit::default());
    c.sign("2026-03-03", &[("97110", 30)]);
    let claim = c.build_one();
    assert_eq!(claim.lines[0].units, 2);
    let late = c.sign("2026-03-03", &[("97112", 15)]);
    let report =
        c.f.chart
            .build_claims(&c.biller, "2026-03-01", "2026-03-31")
            .expect("build");
    assert!(report.claims.is_empty(), "never a second claim for the same day");
    let skipped = report.skipped.iter().find(|s| s.note_id == late).expect("said why");
    assert!(skipped.reason.contains("rebuild"), "{}", skipped.reason);
    // Rebuilding codes the whole day again: 45 pooled minutes, three units.
    let rebuilt = c.f.chart.rebuild_claim(&c.biller, &claim.summary.id).expect("rebuild");
    let claim = c.f.chart.claim(&rebuilt.claims[0]).expect("claim");
    let units: Vec<(&str, u32)> = claim.lines.iter().map(|l| (l.code.as_str(), l.units)).collect();
    assert_eq!(units, [("97110", 2), ("97112", 1)]);
}

#[test]
fn therapy_other_providers_billed_this_year_counts_toward_kx() {
    // Billing-rules errata 2026-12 (Noridian): the KX threshold counts the patient's
    // therapy with every provider this year; the amount other providers billed is what the
    // payer reports, and the front desk records it at intake.
    let mut c = Clinic::medicare(Omit::default());
    let owner = c.f.owner.clone();
    c.f.chart.set_fee(&owner, &c.f.payer_id, "97110", 3_000).expect("fee");
    let desk = c.f.user("dora", &[Role::Frontdesk]);
    c.f.chart
        .set_outside_therapy(&desk, &c.f.patient_id, 2026, 246_000)
        .expect("recorded");
    let ytd = |c: &Clinic, on: &str| {
        stride_chart::compliance::therapy_allowed_this_year(&c.f.chart, &c.f.patient_id, day(on)).expect("ytd")
    };
    assert_eq!(ytd(&c, "2026-03-02"), 246_000);
    c.sign("2026-03-03", &[("97110", 30)]);
    let claim = c.build_one();
    assert!(
        claim.lines[0].modifiers.contains(&stride_coding::Modifier::KX),
        "$2,460 elsewhere plus $60 here reaches the 2026 threshold of $2,480: {:?}",
        claim.lines[0]
    );
    assert_eq!(c.checks(&claim.summary.id), Vec::<Check>::new());
    c.f.chart
        .set_outside_therapy(&desk, &c.f.patient_id, 2025, 240_000)
        .expect("recorded");
    assert_eq!(ytd(&c, "2026-03-31"), 6_000, "the 2025 amount is not this year's");
    assert!(
        c.f.chart
            .set_outside_therapy(&c.biller, &c.f.patient_id, 2026, -1)
            .is_err(),
        "never negative"
    );
    let pt = c.f.user("pete", &[Role::Pt]);
    assert!(
        c.f.chart.set_outside_therapy(&pt, &c.f.patient_id, 2026, 1).is_err(),
        "not a clinician's entry"
    );
}

//! The demo clinic a newcomer opens: its first month's insurance cases already billed and
//! paid, and the biller's next month running clean from build to posted payments.

use super::key;
use chrono::NaiveDate;
use stride_billing::ClaimStatus;
use stride_billing::testing::both_readers;
use stride_chart::billing::claims::ClaimSummary;
use stride_chart::demo::{DemoOptions, payer_remittance, seed};
use stride_chart::{Chart, Role, Session};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).expect("date")
}

/// A small demo clinic with its billing history, and its biller.
fn demo_clinic(dir: &tempfile::TempDir) -> (Chart, Session) {
    let (mut chart, owner) = Chart::create(
        &dir.path().join("demo.stride"),
        &key(),
        "Demo",
        "demo",
        "owner-password",
        Role::Pt,
    )
    .expect("create");
    let options = DemoOptions {
        patients: 16,
        visits_per_patient: 8,
        today: today(),
        long_history: false,
        batch_size: 50,
        therapists: 2,
        billing_history: true,
    };
    let report = seed(&mut chart, &owner, &options).expect("seed");
    assert_eq!(report.patients, 21, "{report:?}");
    assert!(report.claims_billed > 16, "{report:?}");
    // Medicare, Blue Cross, the employer plan and the Medigap plan in the first file;
    // Medicare again (the secondary claim, a reversal and its correction) in the second.
    assert_eq!(report.payments_posted, 5, "{report:?}");
    let biller = chart
        .authenticate("bill", stride_chart::demo::DEMO_PASSWORD)
        .expect("biller");
    (chart, biller)
}

fn claims_of(chart: &Chart, patient: &str) -> Vec<ClaimSummary> {
    let claims: Vec<ClaimSummary> = chart
        .claims(None)
        .expect("claims")
        .into_iter()
        .filter(|c| c.patient_name == patient)
        .collect();
    assert!(!claims.is_empty(), "{patient} has claims");
    claims
}

#[test]
fn the_demo_clinic_holds_a_first_month_of_insurance_cases_billed_and_paid() {
    let dir = tempfile::tempdir().expect("dir");
    let (chart, _) = demo_clinic(&dir);
    assert!(
        chart.claims(None).expect("claims").iter().all(|c| !matches!(
            c.status,
            ClaimStatus::Draft | ClaimStatus::Ready | ClaimStatus::Submitted
        )),
        "everything from before the last two weeks is sent and settled"
    );
    // The employer plan pays first, then Medicare as secondary.
    let walter = claims_of(&chart, "Pruitt, Walter");
    assert!(
        walter
            .iter()
            .any(|c| c.responsibility == 1 && c.payer_name.contains("Employer"))
    );
    assert!(
        walter
            .iter()
            .any(|c| c.responsibility == 2 && c.payer_name == "Medicare Part B" && c.paid_cents > 0)
    );
    // Medicare crossed the claim over; the Medigap plan paid the coinsurance.
    for claim in claims_of(&chart, "Castellano, Dolores") {
        assert_eq!(claim.responsibility, 1, "a crossover needs no secondary claim");
        assert_eq!(claim.patient_resp_cents, 0, "{claim:?}");
        assert_eq!(claim.status, ClaimStatus::Paid);
    }
    // Medicare reversed its first payment to Kenji Sato and paid it again.
    let reopened = claims_of(&chart, "Sato, Kenji").iter().any(|c| {
        let detail = chart.claim(&c.id).expect("claim");
        detail
            .history
            .iter()
            .filter(|e| e.to_status == ClaimStatus::Submitted.as_str())
            .count()
            == 2
    });
    assert!(reopened, "a reversal reopened a claim");
    // The independent therapist's patient is billed under her own NPI.
    let karim = &claims_of(&chart, "Farah, Karim")[0];
    assert!(chart.own_tax_id(&karim.rendering_id).expect("user").is_some());
    assert!(claims_of(&chart, "Ashworth, Lily")[0].paid_cents > 0);
    let denials = chart.denials(false).expect("denials");
    assert!(!denials.is_empty(), "the denial queue has work");
}

#[test]
fn the_billers_next_month_runs_clean_from_build_to_posted_payments() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut chart, biller) = demo_clinic(&dir);
    let mut files = 0;
    // Primary claims first; once they are paid, the secondary claims they lead to.
    loop {
        let built = chart.build_claims(&biller, "2026-11-01", "2026-12-02").expect("build");
        assert!(built.skipped.is_empty(), "{:?}", built.skipped);
        if built.claims.is_empty() {
            break;
        }
        let refused = chart.mark_ready(&biller, &built.claims).expect("ready");
        assert!(refused.is_empty(), "every claim scrubs clean: {refused:?}");
        let sent_on = today();
        let file = chart
            .prepare_837(&biller, None, sent_on.and_hms_opt(9, 0, 0).expect("time"))
            .expect("837P");
        files += 1;
        let name = format!("demo-month-{files}.837");
        both_readers(&name, &file.text).expect("valid 837P, read alike");
        chart.mark_submitted(&biller, &file, sent_on).expect("sent");
        let answer = payer_remittance(&chart, today()).expect("payer").expect("claims wait");
        let name = format!("demo-month-{files}.835");
        both_readers(&name, &answer).expect("valid 835, read alike");
        let report = chart.import_835(&biller, answer.as_bytes()).expect("post");
        assert!(report.unmatched.is_empty(), "{:?}", report.unmatched);
        assert!(files < 4, "the month settles in a few rounds");
    }
    assert_eq!(files, 2, "primary claims, then the secondary claim to Medicare");
    assert!(chart.claims(Some(ClaimStatus::Submitted)).expect("claims").is_empty());
    assert!(payer_remittance(&chart, today()).expect("payer").is_none());
}

#[test]
fn the_demo_payer_pays_only_the_demo_clinic() {
    let mut f = super::Fixture::new();
    assert!(payer_remittance(&f.chart, today()).is_err());
    // A demo chart made before charts were marked is marked when the demo opens it.
    let owner = f.owner.clone();
    stride_chart::demo::mark(&mut f.chart, &owner).expect("mark");
    assert!(stride_chart::demo::is_demo(&f.chart).expect("read"));
    assert_eq!(
        payer_remittance(&f.chart, today()).expect("pays"),
        None,
        "nothing waits"
    );
}

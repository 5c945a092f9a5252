//! Billing from the command line: a demo clinic's signed notes built into claims,
//! scrubbed clean, exported as an 837P that both X12 readers accept, settled by an 835, and the
//! A/R report as JSON and CSV.

use crate::stride_env;
use chrono::NaiveDate;
use std::path::PathBuf;
use stride_billing::synthetic::{SentClaim, SentLine, adjustment, remittance};
use stride_billing::testing::both_readers;

struct Demo {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("demo.stride");
        let d = Demo { dir, db };
        d.ok(&[
            "demo",
            "seed",
            "--patients",
            "12",
            "--visits",
            "6",
            "--today",
            "2026-03-31",
        ]);
        d
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        let env = [
            ("STRIDE_DB", self.db.to_str().expect("utf8")),
            ("STRIDE_PASSPHRASE", "clinic passphrase"),
            ("STRIDE_USER", "maria"),
            ("STRIDE_PASSWORD", "owner-password"),
        ];
        stride_env(args, b"", &env)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.ok(&args)).expect("JSON")
    }
}

fn text(v: &serde_json::Value) -> String {
    v.as_str().expect("a string").to_owned()
}

/// A sent claim, from `stride claim show --json`.
fn sent(c: &serde_json::Value) -> SentClaim {
    SentClaim {
        control_number: text(&c["control_number"]),
        charge_cents: c["charge_cents"].as_i64().expect("charge"),
        lines: c["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| SentLine {
                code: text(&l["code"]),
                modifiers: serde_json::from_value(l["modifiers"].clone()).expect("modifiers"),
                charge_cents: l["charge_cents"].as_i64().expect("charge"),
                units: u32::try_from(l["units"].as_u64().expect("units")).expect("units"),
                date: NaiveDate::parse_from_str(&text(&l["date_of_service"]), "%Y-%m-%d").expect("date"),
            })
            .collect(),
    }
}

/// An 835 paying every line of `claims` at 80% with the rest written off, except each
/// claim's last line, denied as not medically necessary.
fn era(claims: &[serde_json::Value]) -> String {
    let sent: Vec<SentClaim> = claims.iter().map(sent).collect();
    remittance(&sent, NaiveDate::from_ymd_opt(2026, 4, 20).expect("date"), |c, l| {
        let line = &sent[c].lines[l];
        let last = l + 1 == sent[c].lines.len();
        let paid = if last { 0 } else { line.charge_cents * 8 / 10 };
        let reason = if last { "50" } else { "45" };
        (
            paid,
            vec![adjustment("CO", reason, line.charge_cents - paid)],
            Vec::new(),
        )
    })
}

#[test]
fn a_biller_goes_from_signed_notes_to_a_posted_remittance() {
    let d = Demo::new();
    let built = d.json(&["claim", "build", "--from", "2026-01-01", "--to", "2026-03-31"]);
    let claims = built["claims"].as_array().expect("claims").len();
    assert!(claims >= 12, "one claim or more per patient: {built}");
    // The demo clinic's claims are clean: the scrubber exits zero.
    let scrubbed = d.json(&["claim", "scrub"]);
    assert_eq!(scrubbed.as_array().expect("reports").len(), claims);
    let ready = d.ok(&["claim", "ready"]);
    assert_eq!(ready.lines().count(), claims);

    let file = d.dir.path().join("batch.837");
    let exported = d.json(&["claim", "export-837", "--out", file.to_str().expect("utf8")]);
    assert_eq!(exported["claims"].as_array().expect("claims").len(), claims);
    let x12 = std::fs::read_to_string(&file).expect("the 837P file");
    both_readers("cli-demo.837", &x12).expect("the exported 837P is valid");
    let again = d.run(&["claim", "export-837", "--out", file.to_str().expect("utf8")]);
    assert!(!again.status.success(), "nothing is ready any more");

    let submitted = d.json(&["claim", "list", "--status", "submitted"]);
    let details: Vec<serde_json::Value> = submitted
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| d.json(&["claim", "show", &text(&c["id"])]))
        .collect();
    let remit = d.dir.path().join("era.835");
    std::fs::write(&remit, era(&details)).expect("835");
    let posted = d.json(&["remit", "import-835", remit.to_str().expect("utf8")]);
    assert_eq!(posted["posted"].as_array().expect("posted").len(), claims, "{posted}");
    assert!(posted["unmatched"].as_array().expect("unmatched").is_empty());
    assert_eq!(posted["denials"].as_u64(), Some(claims as u64));
    let partial = d.json(&["claim", "list", "--status", "partially_paid"]);
    assert_eq!(partial.as_array().expect("claims").len(), claims);
    let denials = d.json(&["denial", "list"]);
    assert!(
        text(&denials[0]["reasons"][0]).contains("medically necessary"),
        "{denials}"
    );

    let ar = d.json(&["report", "ar", "--as-of", "2026-05-01"]);
    let denied: i64 = details
        .iter()
        .map(|c| {
            c["lines"].as_array().and_then(|l| l.last()).expect("line")["charge_cents"]
                .as_i64()
                .expect("cents")
        })
        .sum();
    assert_eq!(
        ar["total"]["total"].as_i64(),
        Some(denied),
        "what is left is the denied lines: {ar}"
    );
    let csv = d.ok(&["report", "ar", "--as-of", "2026-05-01", "--csv"]);
    assert_eq!(csv.lines().next(), Some("payer,claims,0-30,31-60,61-90,90+,total"));
    assert!(csv.lines().last().is_some_and(|l| l.starts_with("All payers,")));
    let production = d.ok(&[
        "report",
        "production",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--csv",
    ]);
    assert!(production.starts_with("payer,therapist,claims,charges,paid"));

    // Working a denial, a patient's payment, a superbill, the billing profile.
    let denial = text(&denials[0]["id"]);
    d.ok(&["denial", "resolve", &denial, "--status", "appealed"]);
    assert_eq!(
        d.json(&["denial", "list"]).as_array().expect("denials").len(),
        claims - 1
    );
    let patient = text(&details[0]["patient_id"]);
    let payment = d.ok(&[
        "billing",
        "payment",
        "--patient",
        &patient,
        "--cents",
        "2500",
        "--date",
        "2026-04-21",
    ]);
    assert_eq!(payment.len(), 36, "the payment's id");
    let pdf = d.dir.path().join("superbill.pdf");
    d.ok(&[
        "billing",
        "superbill",
        "--patient",
        &patient,
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--out",
        pdf.to_str().expect("utf8"),
    ]);
    assert!(std::fs::read(&pdf).expect("the PDF").starts_with(b"%PDF-"));
    let profile = d.json(&["billing", "profile", "--contact", "Billing Office"]);
    assert_eq!(profile["billing_contact"], "Billing Office");
    assert_eq!(profile["tax_id"], "123456789", "values not given stay");
    let refused = d.run(&["billing", "profile", "--npi", "1234567890"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("check digit"));
    // A payer's billing: what is not given stays as stored.
    let payer = text(&details[0]["payer_id"]);
    let payer_billing = |args: &[&str]| d.json(&[&["billing", "payer", "--payer", &payer][..], args].concat());
    assert_eq!(payer_billing(&["--filing", "BL"])["claim_filing"], "BL");
    let billing = payer_billing(&["--payer-id", "ZZ999"]);
    assert_eq!(
        (&billing["payer_code"], &billing["claim_filing"]),
        (&"ZZ999".into(), &"BL".into())
    );
    let billing = payer_billing(&["--self-pay", "true"]);
    assert_eq!(
        (&billing["payer_code"], &billing["self_pay"]),
        (&"ZZ999".into(), &true.into())
    );
    payer_billing(&["--self-pay", "false"]);
    let ar = d.json(&["report", "ar", "--as-of", "2026-05-01"]);

    // A damaged file is refused in one line, and nothing changes.
    std::fs::write(&remit, b"ISA*00*garbage").expect("write");
    let out = d.run(&["remit", "import-835", remit.to_str().expect("utf8")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("835 file"), "{err}");
    assert_eq!(d.json(&["report", "ar", "--as-of", "2026-05-01"]), ar);
}

/// The front desk records a dependant's insured, a Medicare Secondary Payer type and QMB
/// status from the command line; the claim file names the insured and the patient apart.
#[test]
fn insurance_details_recorded_at_the_desk_reach_the_claim_file() {
    let d = Demo::new();
    let patients = d.json(&["patient", "list"]);
    let patient = text(&patients[0]["id"]);
    let chart = d.json(&["patient", "show", &patient]);
    let coverage = text(&chart["coverages"][0]["id"]);
    let wrong = d.run(&["patient", "msp", "--coverage", &coverage, "--type", "99"]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("12 working aged"),
        "the refusal lists the types: {}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    let missing = d.run(&["patient", "insured", "--coverage", &coverage, "--relationship", "child"]);
    assert!(
        !missing.status.success(),
        "the insured's name, birth date and address are needed"
    );
    d.ok(&[
        "patient",
        "insured",
        "--coverage",
        &coverage,
        "--relationship",
        "child",
        "--first",
        "Rosa",
        "--last",
        "Alvarez",
        "--dob",
        "1985-02-11",
        "--sex",
        "female",
        "--address",
        "12 Oak Ave",
        "--city",
        "Springfield",
        "--state",
        "IL",
        "--zip",
        "62704",
    ]);
    d.ok(&["patient", "qmb", "--patient", &patient]);
    d.json(&["claim", "build", "--from", "2026-01-01", "--to", "2026-03-31"]);
    d.ok(&["claim", "ready"]);
    let file = d.dir.path().join("dependant.837");
    d.json(&["claim", "export-837", "--out", file.to_str().expect("utf8")]);
    let x12 = std::fs::read_to_string(&file).expect("the 837P file");
    both_readers("cli-dependant.837", &x12).expect("valid 837P");
    assert!(
        x12.contains("NM1*IL*1*ALVAREZ*ROSA****MI*"),
        "the insured is the subscriber"
    );
    let theirs = d
        .json(&["claim", "list", "--status", "submitted"])
        .as_array()
        .expect("claims")
        .iter()
        .filter(|c| text(&c["patient_id"]) == patient)
        .count();
    assert!(theirs > 0);
    assert_eq!(
        x12.matches("PAT*19~").count(),
        theirs,
        "only that patient's claims name a dependant"
    );
}

/// The billed demo clinic's next month from the command line, with its made-up payers
/// answering each file: primary claims, then the secondary claims they lead to, until
/// nothing waits for payment.
#[test]
fn the_billed_demo_month_runs_clean_with_the_demo_payers() {
    let dir = tempfile::tempdir().expect("dir");
    let d = Demo {
        db: dir.path().join("demo.stride"),
        dir,
    };
    let seeded = d.json(&[
        "demo",
        "seed",
        "--patients",
        "10",
        "--visits",
        "8",
        "--today",
        "2026-03-31",
        "--billed",
    ]);
    assert!(seeded["claims_billed"].as_u64() > Some(10), "{seeded}");
    assert_eq!(seeded["payments_posted"], 5, "{seeded}");
    let era = d.dir.path().join("era.835");
    let era = era.to_str().expect("utf8");
    for round in 1..=2 {
        let built = d.json(&["claim", "build", "--from", "2026-03-01", "--to", "2026-03-31"]);
        assert!(
            !built["claims"].as_array().expect("claims").is_empty(),
            "round {round}: {built}"
        );
        d.ok(&["claim", "ready"]);
        let file = d.dir.path().join(format!("round-{round}.837"));
        d.ok(&["claim", "export-837", "--out", file.to_str().expect("utf8")]);
        both_readers(
            &format!("cli-demo-round-{round}.837"),
            &std::fs::read_to_string(&file).expect("837P"),
        )
        .expect("valid 837P");
        let said = d.ok(&["demo", "payer", "--out", era]);
        assert!(said.contains("835 is saved"), "{said}");
        both_readers(
            &format!("cli-demo-round-{round}.835"),
            &std::fs::read_to_string(era).expect("835"),
        )
        .expect("valid 835");
        let posted = d.json(&["remit", "import-835", era]);
        assert!(
            posted["unmatched"].as_array().expect("unmatched").is_empty(),
            "{posted}"
        );
    }
    assert!(
        d.json(&["claim", "list", "--status", "submitted"])
            .as_array()
            .expect("claims")
            .is_empty()
    );
    let out = d.run(&["demo", "payer", "--out", era]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no claim waits"));
}

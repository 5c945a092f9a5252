//! Billing benchmarks at the scale: `cargo bench -p stride-chart --bench billing`.
//!
//! Seeds (once, then reuses) a 10-therapist demo clinic with about 4,000 signed visits
//! in one month under `target/bench-data/`, then, on a fresh copy each round, times:
//!
//! - building the month's claims from the signed notes, and scrubbing every one;
//! - marking the clean claims ready (each one scrubbed again, one transaction);
//! - writing the 837P file of every ready claim, and marking them submitted;
//! - importing an 835 that settles 1,000 of them (parse, match, post, denials).
//!
//! Prints a table; BENCHMARKS.md records the figures.

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use stride_billing::synthetic::{adjustment, remittance};
use stride_chart::demo::{DemoOptions, seed};
use stride_chart::{Chart, KeySource, Role};

const PASSPHRASE: &str = "benchmark passphrase";
const ROUNDS: usize = 3;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn seeded(dir: &Path, key: &KeySource) -> PathBuf {
    let path = dir.join("billing-month.stride");
    if path.exists() {
        return path;
    }
    let started = Instant::now();
    let building = dir.join("billing-month.building");
    let _ = std::fs::remove_file(&building);
    let (mut chart, owner) =
        Chart::create(&building, key, "Bench Clinic", "owner", "owner-password", Role::Pt).expect("create");
    // 1,000 patients with 4 visits each, all in the weeks before April 1.
    let options = DemoOptions {
        patients: 1000,
        visits_per_patient: 4,
        today: date(2026, 4, 1),
        long_history: false,
        batch_size: 250,
        therapists: 10,
        billing_history: false,
    };
    let report = seed(&mut chart, &owner, &options).expect("seed");
    drop(chart);
    std::fs::rename(&building, &path).expect("move into place");
    println!(
        "seeded {} patients, {} notes in {:.0?}",
        report.patients,
        report.notes,
        started.elapsed()
    );
    path
}

/// A fresh copy of the seeded chart (and its WAL, if any) to change.
fn copy(from: &Path, dir: &Path, round: usize) -> PathBuf {
    let to = dir.join(format!("billing-round-{round}.stride"));
    stride_chart::store::remove_database_files(&to);
    std::fs::copy(from, &to).expect("copy chart");
    to
}

/// An 835 paying 1,000 claims: every line at 80% with CO-45, every fifth claim's last
/// line denied.
fn era(chart: &Chart, ids: &[String]) -> String {
    let sent: Vec<_> = ids.iter().map(|id| chart.claim(id).expect("claim").as_sent()).collect();
    remittance(&sent, date(2026, 4, 20), |c, l| {
        let line = &sent[c].lines[l];
        let denied = c % 5 == 0 && l + 1 == sent[c].lines.len();
        let paid = if denied { 0 } else { line.charge_cents * 8 / 10 };
        let reason = if denied { "50" } else { "45" };
        (
            paid,
            vec![adjustment("CO", reason, line.charge_cents - paid)],
            Vec::new(),
        )
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let key = KeySource::Passphrase(PASSPHRASE.into());
    let seeded = seeded(&dir, &key);
    let mut times: [Vec<Duration>; 6] = Default::default();
    let mut shape = String::new();
    for round in 0..ROUNDS {
        let path = copy(&seeded, &dir, round);
        let mut chart = Chart::open(&path, &key).expect("open");
        let owner = chart.authenticate("owner", "owner-password").expect("sign in");

        let t = Instant::now();
        let built = chart.build_claims(&owner, "2026-02-01", "2026-03-31").expect("build");
        times[0].push(t.elapsed());
        let t = Instant::now();
        let reports = chart.scrub_open_claims().expect("scrub");
        times[1].push(t.elapsed());
        let clean = reports.iter().filter(|r| r.clean()).count();

        let t = Instant::now();
        let refused = chart.mark_ready(&owner, &built.claims).expect("ready");
        times[2].push(t.elapsed());

        let now = date(2026, 4, 2).and_hms_opt(9, 0, 0).expect("time");
        let t = Instant::now();
        let file = chart.prepare_837(&owner, None, now).expect("837P");
        times[3].push(t.elapsed());
        chart
            .mark_submitted(&owner, &file, date(2026, 4, 2))
            .expect("submitted");

        let paid: Vec<String> = file.claim_ids.iter().take(1000).cloned().collect();
        let era = era(&chart, &paid);
        let t = Instant::now();
        let posted = chart.import_835(&owner, era.as_bytes()).expect("835");
        times[4].push(t.elapsed());
        let t = Instant::now();
        stride_billing::x12::remit835::parse_835(era.as_bytes()).expect("parse");
        times[5].push(t.elapsed());
        shape = format!(
            "{} notes billed on {} claims ({} lines); {clean} clean, {} refused; 837P {} bytes; 835 of {} claims, {} bytes: {} posted, {} denials",
            built.notes,
            built.claims.len(),
            built.lines,
            refused.len(),
            file.text.len(),
            paid.len(),
            era.len(),
            posted.posted.len(),
            posted.denials
        );
        drop(chart);
        stride_chart::store::remove_database_files(&path);
    }
    println!("{shape}");
    println!("| step | median of {ROUNDS} | target |");
    println!("|---|---|---|");
    let build_and_scrub = median(times[0].clone()) + median(times[1].clone());
    for (name, i, target) in [
        ("build claims", 0, ""),
        ("scrub every claim", 1, ""),
        ("mark clean claims ready (scrubs again)", 2, ""),
        ("write the 837P", 3, "< 1 s"),
        ("import a 1,000-claim 835", 4, "< 1 s"),
        ("  of which parsing the 835", 5, ""),
    ] {
        println!("| {name} | {} ms | {target} |", median(times[i].clone()).as_millis());
    }
    println!("| build + scrub | {} ms | < 2 s |", build_and_scrub.as_millis());
}

//! Chart-store benchmarks at clinic scale: `cargo bench -p stride-chart`.
//!
//! Seeds (once, then reuses) a demo chart of `STRIDE_BENCH_PATIENTS` patients (default
//! 100,000) with 10 signed notes each, plus one patient with five years of notes, under
//! `target/bench-data/`. Then times, on that chart:
//!
//! - patient search as you type (p50, p99 over varied queries);
//! - opening the five-year chart (patient, episodes, plans, notes timeline);
//! - saving a draft edit and signing a note, each a durable commit;
//! - a bare SQLite insert-and-commit of the same bytes with `synchronous=FULL` on the same
//!   disk, and the ratio of each commit to it.
//!
//! Prints a table; BENCHMARKS.md records the figures.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use stride_chart::demo::{DemoOptions, seed};
use stride_chart::notes::{NoteEdit, NoteKind};
use stride_chart::{Chart, KeySource, Role};

const PASSPHRASE: &str = "benchmark passphrase";

fn main() {
    let patients: u32 = std::env::var("STRIDE_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("chart-{patients}.stride"));
    let key = KeySource::Passphrase(PASSPHRASE.into());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    if !path.exists() {
        let started = Instant::now();
        let building = dir.join(format!("chart-{patients}.building"));
        let _ = std::fs::remove_file(&building);
        let (mut chart, owner) =
            Chart::create(&building, &key, "Bench Clinic", "owner", "owner-password", Role::Pt).expect("create");
        let options = DemoOptions {
            patients,
            visits_per_patient: 10,
            today,
            long_history: true,
            batch_size: 500,
            therapists: 2,
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
    }
    let mut chart = Chart::open(&path, &key).expect("open");
    let owner = chart.authenticate("owner", "owner-password").expect("sign in");
    let counts: (i64, i64) = chart
        .connection()
        .query_row(
            "SELECT (SELECT count(*) FROM patient), (SELECT count(*) FROM note)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("counts");
    println!(
        "chart: {} patients, {} notes, {} bytes",
        counts.0,
        counts.1,
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
    );

    // Where the bytes go, in payload terms.
    for (what, sql) in [
        (
            "outbox payloads",
            "SELECT count(*), coalesce(sum(length(payload)), 0) FROM outbox",
        ),
        (
            "charge-line explanations",
            "SELECT count(*), coalesce(sum(length(explanation)), 0) FROM charge_line",
        ),
        (
            "note text",
            "SELECT count(*), coalesce(sum(length(subjective) + length(objective) + length(assessment) + length(plan)), 0) FROM note",
        ),
        ("audit events", "SELECT count(*), count(*) * 200 FROM audit_event"),
    ] {
        let (rows, bytes): (i64, i64) = chart
            .connection()
            .query_row(sql, [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("sizes");
        println!("  {what:<26} {rows:>9} rows {:>7.1} MB", bytes as f64 / 1e6);
    }

    // STRIDE_BENCH_COMMITS_ONLY skips the read benchmarks (for profiling the commits).
    let reads = std::env::var_os("STRIDE_BENCH_COMMITS_ONLY").is_none();

    // Search as you type: prefixes of names, phone digits, MRNs, dates of birth.
    let queries = [
        "o",
        "ok",
        "oka",
        "okafor",
        "ava",
        "ava o",
        "lind",
        "nguyen pr",
        "555-01",
        "5550123",
        "S0001",
        "S000123",
        "1951",
        "1960-01",
        "zhou f",
        "mat",
        "quinn j",
        "del",
        "haddad om",
        "ibar",
    ];
    let mut times = Vec::new();
    for _ in 0..if reads { 50 } else { 1 } {
        for q in queries {
            let t = Instant::now();
            let found = chart.search_patients(q, 25).expect("search");
            times.push(t.elapsed());
            std::hint::black_box(found);
        }
    }
    report("patient search (25 results)", &mut times);

    // Opening the five-year chart.
    let long = chart
        .connection()
        .query_row(
            "SELECT e.patient_id FROM episode e GROUP BY e.patient_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .expect("long-history patient");
    let mut times = Vec::new();
    let mut notes = 0;
    for _ in 0..if reads { 100 } else { 1 } {
        let t = Instant::now();
        let patient = chart.patient(&long).expect("patient");
        let episodes = chart.episodes_of(&long).expect("episodes");
        let plans: usize = episodes
            .iter()
            .map(|e| chart.plans_of(&e.id).map(|p| p.len()).unwrap_or(0))
            .sum();
        let timeline = chart.timeline(&long).expect("timeline");
        times.push(t.elapsed());
        notes = timeline.len();
        std::hint::black_box((patient, plans));
    }
    report(&format!("open a chart of 5 years ({notes} notes)"), &mut times);

    // Durable commits: a draft edit, and signing a daily note, each on a new patient's
    // first visit (so no run's leftovers make the next one slower).
    let payer = chart
        .payers()
        .expect("payers")
        .into_iter()
        .find(|p| p.medicare)
        .expect("Medicare")
        .id;
    let note_bytes = 600;
    // The bare baseline: the same bytes inserted and committed, same pragmas, same disk,
    // timed between the chart's commits so that both see the same disk (its fsync latency
    // drifts by tens of percent within a minute on a shared machine).
    let bare_path = dir.join("bare.sqlite");
    let _ = std::fs::remove_file(&bare_path);
    let bare = rusqlite::Connection::open(&bare_path).expect("bare");
    bare.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB);",
    )
    .expect("bare schema");
    let body = vec![b's'; note_bytes];
    let mut bare_times = Vec::new();
    let mut edit_times = Vec::new();
    let mut sign_times = Vec::new();
    let mut preview_times = Vec::new();
    for i in 0..if reads { 200 } else { 2000 } {
        let note = first_visit_draft(&mut chart, &owner, &payer, today, &format!("Patient{i}"));
        let edit = NoteEdit {
            subjective: Some("s".repeat(note_bytes)),
            ..NoteEdit::default()
        };
        let t = Instant::now();
        chart.edit_note(&owner, &note, &edit).expect("edit");
        edit_times.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(chart.preview_coding(&note).expect("preview"));
        preview_times.push(t.elapsed());
        let t = Instant::now();
        chart.sign_note(&owner, &note).expect("sign");
        sign_times.push(t.elapsed());
        let t = Instant::now();
        bare.execute("INSERT INTO t (body) VALUES (?1)", [&body])
            .expect("insert");
        bare_times.push(t.elapsed());
    }
    let edit_p50 = report("save a draft edit (durable commit)", &mut edit_times);
    let sign_p50 = report("sign a note (durable commit)", &mut sign_times);
    report("code the note's day, as signing does (no write)", &mut preview_times);
    pages_signatures_write(&mut chart, &owner, &payer, &path, today);

    let bare_p50 = report("bare SQLite insert-and-commit", &mut bare_times);
    println!(
        "ratios to the bare commit (p50): draft edit {:.2}x, sign {:.2}x",
        edit_p50.as_secs_f64() / bare_p50.as_secs_f64(),
        sign_p50.as_secs_f64() / bare_p50.as_secs_f64()
    );
}

/// A new patient's first daily note under `payer`, a draft with two timed services.
fn first_visit_draft(
    chart: &mut Chart,
    owner: &stride_chart::Session,
    payer: &str,
    today: chrono::NaiveDate,
    last_name: &str,
) -> String {
    let patient = chart
        .add_patient(
            owner,
            &stride_chart::patients::NewPatient {
                first_name: "Bench".into(),
                last_name: last_name.to_owned(),
                dob: "1960-01-01".into(),
                ..Default::default()
            },
        )
        .expect("patient");
    let episode = chart
        .add_episode(
            owner,
            &stride_chart::episodes::NewEpisode {
                patient_id: patient,
                payer_id: payer.to_owned(),
                diagnoses: vec!["M54.50".into()],
                start_date: Some(today.to_string()),
                ..Default::default()
            },
        )
        .expect("episode");
    let note = chart
        .create_note(owner, &episode, NoteKind::Daily, &today.to_string(), None)
        .expect("note");
    chart.set_service(owner, &note, "97110", 23, None).expect("service");
    chart.set_service(owner, &note, "97140", 15, None).expect("service");
    note
}

/// What signatures write, page by page, summed over several signatures (a b-tree page
/// split now and then adds pages).
fn pages_signatures_write(
    chart: &mut Chart,
    owner: &stride_chart::Session,
    payer: &str,
    path: &std::path::Path,
    today: chrono::NaiveDate,
) {
    const SIGNATURES: usize = 20;
    let mut owners: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for _ in 0..SIGNATURES {
        for (name, count) in pages_one_signature_writes(chart, owner, payer, path, today) {
            *owners.entry(name).or_default() += count;
        }
    }
    let total: usize = owners.values().sum();
    println!(
        "pages a signature writes, over {SIGNATURES} signatures: {total} ({:.1} each)",
        total as f64 / SIGNATURES as f64
    );
    for (name, count) in owners {
        println!("  {count:>4} x {name}");
    }
}

/// One signature: the WAL emptied, a draft made ready, then one note signed; each WAL
/// frame is a page the commit wrote, named by the table or index it belongs to (SQLite's
/// `dbstat` table; the frame headers are not encrypted).
fn pages_one_signature_writes(
    chart: &mut Chart,
    owner: &stride_chart::Session,
    payer: &str,
    path: &std::path::Path,
    today: chrono::NaiveDate,
) -> std::collections::BTreeMap<String, usize> {
    let note = first_visit_draft(chart, owner, payer, today, "Counted");
    chart
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    chart.sign_note(owner, &note).expect("sign");
    let wal = std::fs::read(format!("{}-wal", path.display())).expect("the WAL");
    // The WAL header gives the page size (bytes 8..12, big-endian).
    let page_size = wal
        .get(8..12)
        .map_or(4096, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let mut pages: Vec<u32> = wal
        .get(32..)
        .unwrap_or_default()
        .chunks(24 + page_size)
        .filter_map(|frame| frame.get(..4))
        .map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut owners: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for page in &pages {
        let name: String = chart
            .connection()
            .query_row(
                "SELECT coalesce((SELECT name FROM dbstat WHERE pageno = ?1), 'page 1 (schema) or free')",
                [page],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| format!("unknown ({e})"));
        *owners.entry(name).or_default() += 1;
    }
    owners
}

/// Prints p50 and p99 of `times`; returns p50.
fn report(what: &str, times: &mut [Duration]) -> Duration {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what:<45} p50 {:>9.3?}  p99 {:>9.3?}  (n={})",
        at(0.5),
        at(0.99),
        times.len()
    );
    at(0.5)
}

//! The desktop app's operations at clinic scale, without a window:
//! `STRIDE_BENCH_PATIENTS=100000 cargo bench -p stride-desktop`.
//!
//! Uses the chart the stride-chart benchmark seeds (`target/bench-data/chart-N.stride`;
//! run `cargo bench -p stride-chart` first). Measures opening the chart and signing in
//! (the app's cold start up to an interactive schedule, less the window itself), the
//! schedule, opening a five-year chart, the engine's feedback after a minutes change (the
//! whole round trip: durable save plus recomputed billing), and resident memory with the
//! chart open.

use std::path::PathBuf;
use std::time::{Duration, Instant};
use stride_desktop::desk::Desk;
use stride_desktop::schedule::ScheduleQuery;

fn main() {
    let patients: u32 = std::env::var("STRIDE_BENCH_PATIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    let chart = dir.join(format!("chart-{patients}.stride"));
    if !chart.exists() {
        eprintln!(
            "no {}: run `STRIDE_BENCH_PATIENTS={patients} cargo bench -p stride-chart` first",
            chart.display()
        );
        return;
    }
    // The passphrase the chart benchmark seeds with.
    let key = "benchmark passphrase";

    let t = Instant::now();
    let desk = Desk::new(chart.clone(), dir.join("unused-demo.stride"));
    desk.unlock_chart(Some(key.into())).expect("open");
    tauri::async_runtime::block_on(desk.sign_in("owner", "owner-password")).expect("sign in");
    let schedule = desk.schedule(ScheduleQuery::day("2026-03-02")).expect("schedule");
    println!(
        "{:<52} {:>10.1?}  ({} visits)",
        "cold open + sign-in + schedule",
        t.elapsed(),
        schedule.rows.len()
    );

    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let status = desk.status().expect("status");
        times.push(t.elapsed());
        std::hint::black_box(status);
    }
    report("status bar (sign-in state, pending changes)", &mut times);

    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let rows = desk.schedule(ScheduleQuery::day("2026-03-02")).expect("schedule");
        times.push(t.elapsed());
        std::hint::black_box(rows);
    }
    report("schedule for a day", &mut times);

    let long = desk.search_patients("555-099-9999").expect("search");
    let long_id = long.first().map(|p| p.id.clone());
    let found = desk.search_patients("a").expect("search");
    let patient = long_id
        .or_else(|| found.first().map(|p| p.id.clone()))
        .expect("a patient");
    let mut times = Vec::new();
    let mut notes = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let view = desk.patient_chart(&patient).expect("chart");
        times.push(t.elapsed());
        notes = view.timeline.len();
    }
    report(&format!("open a patient's chart ({notes} notes)"), &mut times);

    // Engine feedback: change a minute on a draft, get the recomputed billing back.
    let chart_view = desk.patient_chart(&patient).expect("chart");
    let episode = chart_view.episodes.first().expect("episode").id.clone();
    let note = desk
        .create_note(&episode, "daily", "2026-03-03")
        .expect("draft")
        .note
        .id;
    let mut times = Vec::new();
    for i in 0..200u32 {
        let t = Instant::now();
        let screen = desk.set_service(&note, "97110", 8 + i % 30, None).expect("minutes");
        times.push(t.elapsed());
        std::hint::black_box(screen);
    }
    report("minutes change -> saved + billing back", &mut times);

    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS")).map(str::to_owned))
        .unwrap_or_default();
    println!(
        "{:<52} {}",
        "resident memory with the chart open",
        rss.trim_start_matches("VmRSS:").trim()
    );
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what:<52} p50 {:>9.3?}  p99 {:>9.3?}  (n={})",
        at(0.5),
        at(0.99),
        times.len()
    );
}

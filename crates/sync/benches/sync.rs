//! Sync on loopback against a real PostgreSQL, run by hand (not in CI):
//!
//! ```text
//! cargo build --release -p stride-cli
//! cargo bench -p stride-sync --bench sync
//! ```
//!
//! - push and pull throughput (ops and records per second);
//! - a new device's first sync of a clinic of 10,000 patients and 100,000 notes of about
//!   2 KB, through `stride login` + `stride sync` (the real binary, its own process, so its
//!   peak memory is its own), compared with a bare PostgreSQL COPY of the same rows;
//! - a sync with one change, and with nothing to do;
//! - 50 devices syncing at once: latency percentiles.
//!
//! BENCHMARKS.md records the figures. `STRIDE_BENCH_NOTES` scales the clinic.

use std::sync::Mutex;
use std::time::{Duration, Instant};
use stride_chart::patients::NewPatient;
use stride_chart::{Chart, KeySource};
use stride_protocol::LoginRequest;
use stride_server::fixture::{Fixture, PASSWORD, serve};
use stride_sync::{Client, sync_once};

fn key() -> KeySource {
    KeySource::Passphrase("bench passphrase".into())
}

async fn device(dir: &std::path::Path, server: &str, user: &str, name: &str) -> (Mutex<Chart>, Client) {
    let device_id = uuid::Uuid::now_v7().to_string();
    let client = Client::new(server, None).expect("client");
    let request = LoginRequest {
        user: user.into(),
        password: PASSWORD.into(),
        device_id,
        device_name: name.into(),
        device_secret: None,
        predecessor: None,
    };
    let chart = stride_sync::join_clinic(&client, &dir.join(format!("{name}.stride")), &key(), &request)
        .await
        .expect("join");
    (Mutex::new(chart), client)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Fills the server with a clinic of `notes / 10` patients, one episode each, ten draft
/// notes of about 2 KB per episode: straight into the server's tables, as if synced.
async fn seed_clinic(fixture: &Fixture, notes: i64) {
    let db = fixture.pool.get().await.expect("db");
    let clinic = fixture.clinic_id;
    let dana: String = db
        .query_one("SELECT id::text FROM app_user WHERE name = 'dana'", &[])
        .await
        .expect("dana")
        .get(0);
    let patients = notes / 10;
    let text = "Patient reports steady progress with the home program; stairs remain the hardest task. ".repeat(6);
    let sql = format!(
        "WITH payer AS (
           SELECT jsonb_build_object('id', '00000000-0000-7000-8000-000000000001', 'name', 'Medicare Part B',
             'unit_method', 'cms', 'medicare', 1, 'cq_applies', 1, 'kx_applies', 1, 'progress_interval_visits', 10,
             'block_sign_when_overdue', 1, 'pta_cosign_required', 1, 'created_at', '2026-01-01T00:00:00.000000Z') AS image),
         rows AS (
           SELECT 'payer' AS entity, image->>'id' AS id, image, 1 AS rank, 0 AS n FROM payer
           UNION ALL
           SELECT 'patient', p.id, jsonb_build_object('id', p.id, 'mrn', 'B' || g, 'first_name', 'Pat' || g,
               'last_name', 'Bench', 'dob', '1960-01-01', 'sex', null, 'phone', '555-' || lpad(g::text, 7, '0'),
               'email', null, 'address', null, 'created_at', '2026-01-01T00:00:00.000000Z',
               'updated_at', '2026-01-01T00:00:00.000000Z'), 2, g
           FROM generate_series(1, {patients}) g, LATERAL (SELECT '00000000-0000-7000-9000-' || lpad(g::text, 12, '0') AS id) p
           UNION ALL
           SELECT 'episode', '00000000-0000-7000-a000-' || lpad(g::text, 12, '0'),
             jsonb_build_object('id', '00000000-0000-7000-a000-' || lpad(g::text, 12, '0'),
               'patient_id', '00000000-0000-7000-9000-' || lpad(g::text, 12, '0'),
               'payer_id', '00000000-0000-7000-8000-000000000001', 'referring_provider_id', null,
               'onset_date', null, 'referral_date', null, 'start_date', '2026-01-05', 'status', 'open',
               'created_at', '2026-01-01T00:00:00.000000Z', 'episode_diagnosis/1', jsonb_build_object('position', 1, 'icd10', 'M54.50')),
             3, g
           FROM generate_series(1, {patients}) g
           UNION ALL
           SELECT 'note', '00000000-0000-7000-b000-' || lpad(g::text, 12, '0'),
             jsonb_build_object('id', '00000000-0000-7000-b000-' || lpad(g::text, 12, '0'),
               'episode_id', '00000000-0000-7000-a000-' || lpad((1 + (g - 1) / 10)::text, 12, '0'),
               'kind', 'daily', 'date_of_service', '2026-02-01', 'author_id', '{dana}', 'appointment_id', null,
               'subjective', $1::text, 'objective', $1::text, 'assessment', $1::text, 'plan', $1::text,
               'eval_complexity', null, 'total_treatment_minutes', 40, 'created_at', '2026-02-01T00:00:00.000000Z',
               'updated_at', '2026-02-01T00:00:00.000000Z', 'signed_by', null, 'signed_at', null, 'content_hash', null,
               'cosign_required', 0, 'cosigned_by', null, 'cosigned_at', null,
               'note_service/1', jsonb_build_object('position', 1, 'code', '97110', 'minutes', 25, 'pta_minutes', 0)),
             5, g
           FROM generate_series(1, {notes}) g),
         numbered AS (
           SELECT *, (SELECT value FROM clinic_seq WHERE clinic_id = $2) + row_number() OVER (ORDER BY rank, n) AS seq FROM rows),
         logged AS (
           INSERT INTO change_log (clinic_id, server_seq, entity, entity_id, image)
           SELECT $2, seq, entity, id, image FROM numbered RETURNING 1)
         INSERT INTO record (clinic_id, entity, id, image, server_seq, rank, created_seq)
         SELECT $2, entity, id, image, seq, rank, seq FROM numbered"
    );
    db.execute(&sql, &[&text, &clinic]).await.expect("seed");
    db.execute(
        "UPDATE clinic_seq SET value = (SELECT max(server_seq) FROM change_log WHERE clinic_id = $1) WHERE clinic_id = $1",
        &[&clinic],
    )
    .await
    .expect("seq");
}

/// Runs `stride` with the chart's environment; returns how long it took and the peak
/// resident memory it reached (KiB, from /proc).
fn stride(args: &[&str], db: &std::path::Path) -> (Duration, u64) {
    let exe = std::env::var("STRIDE_BIN")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/stride").into());
    let start = Instant::now();
    let mut child = std::process::Command::new(exe)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("STRIDE_PASSPHRASE", "bench passphrase")
        .env("STRIDE_PASSWORD", PASSWORD)
        .env("STRIDE_USER", "eve")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("build the CLI first: cargo build --release -p stride-cli");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            peak = line
                .split_whitespace()
                .nth(1)
                .and_then(|v| v.parse().ok())
                .unwrap_or(peak)
                .max(peak);
        }
        if let Ok(Some(s)) = child.try_wait() {
            assert!(s.success(), "stride {args:?} failed");
            return (start.elapsed(), peak);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let notes: i64 = std::env::var("STRIDE_BENCH_NOTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("dir");

    // Push and pull throughput.
    let fixture = Fixture::create().await;
    let (server, _task) = serve(fixture.pool.clone()).await;
    let (writer, client) = device(dir.path(), &server, "frank", "writer").await;
    sync_once(&writer, &client).await.expect("first sync");
    let session = writer
        .lock()
        .expect("chart")
        .authenticate("frank", PASSWORD)
        .expect("frank");
    writer
        .lock()
        .expect("chart")
        .batch(|c| {
            for n in 0..5000 {
                let p = NewPatient {
                    first_name: format!("Push{n}"),
                    last_name: "Bench".into(),
                    dob: "1970-01-01".into(),
                    ..NewPatient::default()
                };
                c.add_patient(&session, &p)?;
            }
            Ok(())
        })
        .expect("patients");
    let t = Instant::now();
    let pushed = sync_once(&writer, &client).await.expect("push");
    let push = t.elapsed();
    println!(
        "push: {} ops in {} ({:.0} ops/s)",
        pushed.pushed,
        ms(push),
        pushed.pushed as f64 / push.as_secs_f64()
    );
    let (reader, reader_client) = device(dir.path(), &server, "eve", "reader").await;
    let t = Instant::now();
    let pulled = sync_once(&reader, &reader_client).await.expect("pull");
    let pull = t.elapsed();
    println!(
        "pull (first sync of those): {} records in {} ({:.0} records/s)",
        pulled.pulled,
        ms(pull),
        pulled.pulled as f64 / pull.as_secs_f64()
    );

    // One change, and nothing to do.
    let eve = reader
        .lock()
        .expect("chart")
        .authenticate("eve", PASSWORD)
        .expect("eve");
    let mut one = Vec::new();
    let mut nothing = Vec::new();
    for n in 0..200 {
        let p = NewPatient {
            first_name: format!("One{n}"),
            last_name: "Change".into(),
            dob: "1980-01-01".into(),
            ..NewPatient::default()
        };
        reader.lock().expect("chart").add_patient(&eve, &p).expect("patient");
        let t = Instant::now();
        sync_once(&reader, &reader_client).await.expect("sync");
        one.push(t.elapsed());
        let t = Instant::now();
        sync_once(&reader, &reader_client).await.expect("sync");
        nothing.push(t.elapsed());
    }
    one.sort();
    nothing.sort();
    println!(
        "sync with one change:   p50 {}  p99 {}",
        ms(percentile(&one, 0.5)),
        ms(percentile(&one, 0.99))
    );
    println!(
        "sync with nothing to do: p50 {}  p99 {}",
        ms(percentile(&nothing, 0.5)),
        ms(percentile(&nothing, 0.99))
    );

    // Fifty devices at once, each with one change.
    let mut devices = Vec::new();
    for n in 0..50 {
        let d = device(dir.path(), &server, "eve", &format!("d{n}")).await;
        sync_once(&d.0, &d.1).await.expect("first sync");
        devices.push(d);
    }
    for (n, (chart, _)) in devices.iter().enumerate() {
        let p = NewPatient {
            first_name: format!("Many{n}"),
            last_name: "Devices".into(),
            dob: "1990-01-01".into(),
            ..NewPatient::default()
        };
        chart.lock().expect("chart").add_patient(&eve, &p).expect("patient");
    }
    let devices = std::sync::Arc::new(devices);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let devices = std::sync::Arc::clone(&devices);
        tasks.push(tokio::spawn(async move {
            let (chart, client) = &devices[i];
            let t = Instant::now();
            sync_once(chart, client).await.expect("sync");
            t.elapsed()
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.push(t.await.expect("task"));
    }
    latencies.sort();
    println!(
        "50 devices syncing at once: p50 {}  p99 {}  max {}",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("some"))
    );

    // A new device's first sync of a big clinic, through the real CLI.
    let big = Fixture::create().await;
    seed_clinic(&big, notes).await;
    let (big_server, _big_task) = serve(big.pool.clone()).await;
    let db = dir.path().join("new-laptop.stride");
    stride(&["login", "--server", &big_server], &db);
    let (took, peak_kib) = stride(&["sync"], &db);
    let records = big
        .pool
        .get()
        .await
        .expect("db")
        .query_one("SELECT count(*) FROM record WHERE clinic_id = $1", &[&big.clinic_id])
        .await
        .expect("n")
        .get::<_, i64>(0);
    println!(
        "new device's first sync: {records} records ({notes} notes) in {} ({:.0} records/s), client peak memory {} MiB",
        ms(took),
        records as f64 / took.as_secs_f64(),
        peak_kib / 1024
    );
    let db_conn = big.pool.get().await.expect("db");
    let t = Instant::now();
    let copy = db_conn
        .copy_out(&format!(
            "COPY (SELECT entity, id, image FROM record WHERE clinic_id = '{}' ORDER BY rank, created_seq) TO STDOUT",
            big.clinic_id
        ))
        .await
        .expect("copy");
    use futures_util::StreamExt;
    let mut bytes = 0usize;
    let mut stream = std::pin::pin!(copy);
    while let Some(chunk) = stream.next().await {
        bytes += chunk.expect("chunk").len();
    }
    let copy_took = t.elapsed();
    println!(
        "bare COPY of the same rows: {} ({} MB); the first sync takes {:.1}x as long",
        ms(copy_took),
        bytes / 1_000_000,
        took.as_secs_f64() / copy_took.as_secs_f64()
    );
}

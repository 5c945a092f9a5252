//! The server under hostile load: hundreds of connections that open and send nothing
//! (stalled TLS handshakes) and a flood of wrong sign-ins, while a device keeps syncing.
//! New connections are still served, signed-in devices still sync, the flood is cut off
//! by the sign-in limits, and requests keep answering in bounded time. (The latencies it
//! prints are the figures in BENCHMARKS.md.)

mod harness;

use harness::{Device, TestServer};
use std::time::{Duration, Instant};
use stride_chart::patients::NewPatient;
use stride_protocol::LoginRequest;

/// How long any one probe may take under attack before the test calls the server
/// stalled: far above what it takes (milliseconds), far below forever.
const STALLED: Duration = Duration::from_secs(10);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::test(flavor = "multi_thread")]
async fn stalled_handshakes_and_sign_in_floods_stop_nobody() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = TestServer::start().await;
    // The same clinic served over TLS too, as in production.
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
    let dir = tempfile::tempdir().expect("dir");
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).expect("cert");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("key");
    let tls = stride_server::serve::tls_acceptor(&cert_path, &key_path).expect("tls");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let tls_addr = listener.local_addr().expect("addr");
    let state = stride_server::AppState {
        pool: server.pool.clone(),
    };
    let _tls_server = tokio::spawn(stride_server::serve::serve(
        listener,
        Some(tls),
        state,
        std::future::pending(),
    ));
    let https = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).expect("pem")])
        .resolve("localhost", tls_addr)
        .timeout(STALLED)
        .build()
        .expect("client");
    let health = format!("https://localhost:{}/health", tls_addr.port());

    let device = Device::join(&server.url, "frank").await;
    device.sync().await;
    let frank = device.session("frank");

    // 300 connections that never say a word.
    let mut silent = Vec::new();
    for _ in 0..300 {
        silent.push(tokio::net::TcpStream::connect(tls_addr).await.expect("connect"));
    }
    // A flood of wrong sign-ins for many names, over TLS.
    let flood = {
        let https = https.clone();
        let url = format!("https://localhost:{}/v1/login", tls_addr.port());
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for n in 0..200 {
                let request = LoginRequest {
                    user: format!("guess{}", n % 40),
                    password: "wrong password".into(),
                    device_id: uuid::Uuid::now_v7().to_string(),
                    device_name: "flood".into(),
                    device_secret: None,
                    predecessor: None,
                };
                if let Ok(r) = https.post(&url).json(&request).send().await {
                    statuses.push(r.status().as_u16());
                }
            }
            statuses
        })
    };

    // Meanwhile: new HTTPS connections are served, and the device keeps syncing.
    let mut health_times = Vec::new();
    let mut sync_times = Vec::new();
    for round in 0..20 {
        let fresh = https.clone();
        let started = Instant::now();
        let answer = fresh.get(&health).send().await.expect("health under attack");
        assert!(answer.status().is_success());
        health_times.push(started.elapsed());
        device
            .chart()
            .add_patient(
                &frank,
                &NewPatient {
                    first_name: format!("Load{round}"),
                    last_name: "Test".into(),
                    dob: "1970-01-01".into(),
                    ..NewPatient::default()
                },
            )
            .expect("patient");
        let started = Instant::now();
        tokio::time::timeout(STALLED, device.sync())
            .await
            .expect("a sync under attack finishes");
        sync_times.push(started.elapsed());
    }
    let statuses = flood.await.expect("flood");
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 100,
        "the sign-in limits cut the flood off: {} of {} refused as too many",
        statuses.iter().filter(|s| **s == 429).count(),
        statuses.len()
    );
    assert!(statuses.iter().all(|s| [401, 429].contains(s)), "{statuses:?}");
    drop(silent);
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        20
    );
    health_times.sort();
    sync_times.sort();
    eprintln!(
        "under attack (300 silent connections, 200 wrong sign-ins): HTTPS health on a new connection p50 {:?} p95 {:?} max {:?}; \
         a device's sync (push 1 op, pull) p50 {:?} p95 {:?} max {:?}",
        percentile(&health_times, 0.5),
        percentile(&health_times, 0.95),
        health_times.last().expect("times"),
        percentile(&sync_times, 0.5),
        percentile(&sync_times, 0.95),
        sync_times.last().expect("times"),
    );
}

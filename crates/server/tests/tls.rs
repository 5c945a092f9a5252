//! `stride-server serve --tls-cert --tls-key`: the real binary serving HTTPS with a
//! certificate made for the test, and refusing a key that does not fit it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn database() -> String {
    let base = std::env::var("STRIDE_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("stride_tls_{}", uuid::Uuid::new_v4().simple());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = stride_server::db::pool(&format!("{base}/postgres")).expect("pool");
        pool.get()
            .await
            .expect("PostgreSQL on 127.0.0.1:5432")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("database");
    });
    format!("{base}/{name}")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

#[test]
fn serves_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().expect("dir");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).expect("write");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_stride-server"))
        .args([
            "--database-url",
            &database(),
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .arg("--tls-cert")
        .arg(&cert_path)
        .arg("--tls-key")
        .arg(&key_path)
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts");
    let _server = Server(child);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let body = runtime.block_on(async {
        let trusted = reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).expect("pem");
        let client = reqwest::Client::builder()
            .tls_certs_only([trusted])
            .resolve("localhost", format!("127.0.0.1:{port}").parse().expect("addr"))
            .build()
            .expect("client");
        let start = Instant::now();
        loop {
            match client.get(format!("https://localhost:{port}/health")).send().await {
                Ok(r) => return r.text().await.expect("body"),
                Err(_) if start.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => panic!("no HTTPS answer: {e}"),
            }
        }
    });
    assert_eq!(body, "ok");
    // Plain HTTP to the TLS port gets no answer.
    let plain = runtime.block_on(async { reqwest::get(format!("http://127.0.0.1:{port}/health")).await });
    assert!(plain.is_err() || !plain.expect("response").status().is_success());
}

#[test]
fn refuses_to_start_with_a_key_that_is_not_the_certificates() {
    let dir = tempfile::tempdir().expect("dir");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
    let other = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("cert");
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).expect("write");
    std::fs::write(&key_path, other.signing_key.serialize_pem()).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_stride-server"))
        .args([
            "--database-url",
            &database(),
            "serve",
            "--listen",
            &format!("127.0.0.1:{}", free_port()),
        ])
        .arg("--tls-cert")
        .arg(&cert_path)
        .arg("--tls-key")
        .arg(&key_path)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("certificate and key"), "{stderr}");
}

/// PostgreSQL over TLS: with `sslmode=require` every connection is encrypted and the
/// server's certificate verified. Uses the machine's PostgreSQL, whose Debian certificate
/// (`ssl-cert-snakeoil`) names the machine; skipped where it does not name `localhost`.
#[test]
fn reaches_postgresql_over_tls_and_verifies_its_certificate() {
    let ca = std::path::Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem");
    let names_localhost = std::fs::read_to_string(ca).is_ok_and(|_| {
        Command::new("openssl")
            .args(["x509", "-noout", "-ext", "subjectAltName", "-in"])
            .arg(ca)
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("DNS:localhost"))
    });
    if !names_localhost {
        eprintln!("SKIPPED reaches_postgresql_over_tls: no PostgreSQL certificate for localhost here");
        return;
    }
    let url = "postgres://postgres@localhost:5432/postgres?sslmode=require";
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pool = stride_server::db::pool_with_ca(url, Some(ca)).expect("pool");
        let encrypted: bool = pool
            .get()
            .await
            .expect("a TLS connection")
            .query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[])
            .await
            .expect("query")
            .get(0);
        assert!(encrypted, "the connection is encrypted");
        // The public roots do not vouch for a self-made certificate: refused, not plain.
        let unverified = stride_server::db::pool(url).expect("pool");
        assert!(unverified.get().await.is_err(), "an unverified server is refused");
    });
}

//! Sync through a fault-injecting proxy, across server restarts and killed clients:
//! afterwards every device and the server hold the same records, no acknowledged op is
//! lost, and nothing is duplicated.

mod harness;

use harness::proxy::Proxy;
use harness::{Device, TestServer};
use proptest::prelude::*;
use stride_chart::episodes::NewEpisode;
use stride_chart::notes::{NoteEdit, NoteKind};
use stride_chart::patients::NewPatient;
use stride_chart::payers::Payer;
use stride_coding::UnitMethod;

/// A small reproducible random source.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn ids(device: &Device, sql: &str, user: &str) -> Vec<String> {
    let chart = device.chart();
    let mut stmt = chart.connection().prepare(sql).expect("prepare");
    stmt.query_map([user], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids")
}

/// One piece of a clinician's work on `device`, chosen by `action`. What the chart
/// refuses (a note another device signed meanwhile) is a person's error message, not a
/// sync failure, so refusals are ignored.
fn work(device: &Device, user: &str, action: usize, rng: &mut Rng, tag: &str) {
    let session = device.session(user);
    let mut chart = device.chart();
    let pick = |list: Vec<String>, rng: &mut Rng| (!list.is_empty()).then(|| list[rng.next(list.len())].clone());
    match action % 5 {
        0 => {
            let p = NewPatient {
                first_name: format!("P{tag}"),
                last_name: "Fault".into(),
                dob: "1961-02-03".into(),
                ..NewPatient::default()
            };
            let _ = chart.add_patient(&session, &p);
        }
        1 => {
            let payer = chart.payers().expect("payers")[0].id.clone();
            let Some(patient) = pick(
                chart.patients().expect("patients").into_iter().map(|p| p.id).collect(),
                rng,
            ) else {
                return;
            };
            let episode = NewEpisode {
                patient_id: patient,
                payer_id: payer,
                diagnoses: vec!["M25.561".into()],
                ..NewEpisode::default()
            };
            if let Ok(e) = chart.add_episode(&session, &episode)
                && let Ok(n) = chart.create_note(&session, &e, NoteKind::Daily, "2026-11-23", None)
            {
                let _ = chart.set_service(&session, &n, "97110", 20 + rng.next(20) as u32, None);
            }
        }
        2 | 3 => {
            drop(chart);
            let drafts = ids(
                device,
                "SELECT n.id FROM note n JOIN user u ON u.id = n.author_id WHERE n.signed_at IS NULL AND u.name = ?1",
                user,
            );
            let Some(note) = pick(drafts, rng) else { return };
            let text = format!("edit {tag}");
            let field = ["subjective", "objective", "assessment", "plan"][rng.next(4)];
            let edit = NoteEdit::text_field(field, text).expect("a text field");
            let mut chart = device.chart();
            if action % 5 == 3 && rng.next(2) == 0 {
                let _ = chart.sign_note(&session, &note);
            } else {
                let _ = chart.edit_note(&session, &note, &edit);
            }
        }
        _ => {
            drop(chart);
            let signed = ids(
                device,
                "SELECT n.id FROM note n JOIN user u ON u.id = n.author_id WHERE n.signed_at IS NOT NULL AND u.name = ?1",
                user,
            );
            let Some(note) = pick(signed, rng) else { return };
            let _ = device.chart().add_addendum(&session, &note, &format!("addendum {tag}"));
        }
    }
}

/// Syncs every device until a whole round changes nothing, with faults off.
async fn quiesce(devices: &[(&Device, &str)]) {
    for _ in 0..4 {
        for (d, _) in devices {
            d.sync().await;
        }
    }
}

/// The invariants: same records everywhere, every op archived once with an outcome, no
/// op left pending, audit chains intact.
async fn assert_converged(server: &TestServer, devices: &[(&Device, &str)]) {
    let reference = devices[0].0.records();
    assert!(
        !reference
            .iter()
            .any(|(k, id, _)| k == "sync_issue" && id.starts_with("local:")),
        "a device could not store a version"
    );
    let mut made = 0;
    for (d, _) in devices {
        assert_eq!(d.records(), reference, "every device holds the same records");
        let (ops, local_events) = {
            let chart = d.chart();
            let state = chart.sync_state().expect("state");
            assert_eq!(state.pending, 0);
            let (ops, answered): (i64, i64) = chart
                .connection()
                .query_row("SELECT count(*), count(outcome) FROM outbox", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .expect("outbox");
            assert_eq!(ops, answered, "every op has its outcome");
            let report = chart.verify_audit().expect("audit chain");
            assert!(report.ok(), "{report:?}");
            let events: i64 = chart
                .connection()
                .query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))
                .expect("events");
            (ops, events)
        };
        made += ops;
        let kept = server
            .count(&format!(
                "SELECT count(*) FROM device_audit WHERE device_id = '{}'",
                d.device_id
            ))
            .await;
        assert_eq!(
            kept, local_events,
            "the server verified and kept the device's whole audit chain"
        );
    }
    assert_eq!(
        server.count("SELECT count(*) FROM op_archive").await,
        made,
        "each op archived exactly once"
    );
    let server_records = server
        .count("SELECT count(*) FROM record WHERE entity NOT IN ('clinic')")
        .await;
    let device_records = reference.iter().filter(|(k, _, _)| k != "clinic").count() as i64;
    assert_eq!(server_records, device_records, "the server holds what the devices hold");
}

struct Clinic {
    server: TestServer,
    proxy: Proxy,
    devices: Vec<(Device, &'static str)>,
}

async fn clinic(seed: u64, rate: u64) -> Clinic {
    let server = TestServer::start().await;
    let proxy = Proxy::start(&server.url, seed, 0).await;
    let mut devices = Vec::new();
    for user in ["dana", "dana", "eve"] {
        devices.push((Device::join(&proxy.url, user).await, user));
    }
    devices[0].0.sync().await;
    let owner = devices[0].0.session("dana");
    devices[0]
        .0
        .chart()
        .add_payer(&owner, &Payer::with_defaults("Medicare Part B", UnitMethod::Cms))
        .expect("payer");
    for (d, _) in &devices {
        d.sync().await;
        d.sync().await;
    }
    proxy.set_rate(rate);
    Clinic { server, proxy, devices }
}

async fn run_with_faults(seed: u64, rate: u64, steps: &[(usize, usize)]) {
    let c = clinic(seed, rate).await;
    let mut rng = Rng(seed | 1);
    for (i, (who, action)) in steps.iter().enumerate() {
        let (device, user) = &c.devices[who % c.devices.len()];
        work(device, user, *action, &mut rng, &format!("{seed}-{i}"));
        if rng.next(3) == 0 {
            let _ = device.try_sync().await;
        }
    }
    if rate >= 30 && steps.len() >= 30 {
        // How many exchanges the random steps made is random too: keep syncing under
        // faults until a few have hit, so every such run exercises them.
        for i in 0..60 {
            if c.proxy.faults().len() >= 5 {
                break;
            }
            let _ = c.devices[i % c.devices.len()].0.try_sync().await;
        }
        assert!(
            c.proxy.faults().len() >= 5,
            "faults were injected: {:?}",
            c.proxy.faults()
        );
    }
    c.proxy.set_rate(0);
    // Let overtaken requests land before checking.
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let all: Vec<(&Device, &str)> = c.devices.iter().map(|(d, u)| (d, *u)).collect();
    quiesce(&all).await;
    assert_converged(&c.server, &all).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dropped_duplicated_delayed_and_overtaken_requests_lose_nothing() {
    let steps: Vec<(usize, usize)> = (0..60).map(|i| (i % 3, (i * 7 + i / 3) % 5)).collect();
    let c_seed = 0x5EED;
    run_with_faults(c_seed, 40, &steps).await;
}

/// Registers `n` patients offline on `device`: a backlog for one long push.
fn register(device: &Device, session: &stride_chart::Session, n: usize, last_name: &str) {
    for i in 0..n {
        let p = NewPatient {
            first_name: format!("P{i}"),
            last_name: last_name.into(),
            dob: "1970-01-01".into(),
            ..NewPatient::default()
        };
        device.chart().add_patient(session, &p).expect("patient");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_killed_mid_batch_loses_nothing() {
    let c = clinic(11, 0).await;
    let (device, user) = (&c.devices[2].0, "eve");
    let session = device.session(user);
    register(device, &session, 300, "Restart");
    // Kill the server while the push is under way.
    let sync = device.try_sync();
    let kill = async {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        c.server.restart().await
    };
    let (result, new_url) = tokio::join!(sync, kill);
    assert!(
        result.is_err() || server_done(&c.server).await,
        "the sync was cut short, or had finished"
    );
    c.proxy.set_upstream(&new_url);
    let all: Vec<(&Device, &str)> = c.devices.iter().map(|(d, u)| (d, *u)).collect();
    quiesce(&all).await;
    assert_converged(&c.server, &all).await;
    assert_eq!(c.devices[0].0.chart().patients().expect("patients").len(), 300);
}

async fn server_done(server: &TestServer) -> bool {
    server.count("SELECT count(*) FROM op_archive").await >= 300
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_killed_mid_sync_loses_nothing() {
    let c = clinic(13, 0).await;
    let (device, user) = (&c.devices[0].0, "dana");
    let session = device.session(user);
    register(device, &session, 300, "Client");
    // The app dies part-way through the sync (the future is dropped where it stands),
    // then starts again from its file.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(120), device.try_sync()).await;
    device.reopen();
    let integrity: String = device
        .chart()
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(integrity, "ok");
    let all: Vec<(&Device, &str)> = c.devices.iter().map(|(d, u)| (d, *u)).collect();
    quiesce(&all).await;
    assert_converged(&c.server, &all).await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Random work on three devices, random faults, random sync points: the invariants
    /// hold after every run.
    #[test]
    fn random_work_and_faults_converge(
        seed in 1u64..u64::MAX,
        rate in 0u64..60,
        steps in proptest::collection::vec((0usize..3, 0usize..5), 5..40),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        runtime.block_on(run_with_faults(seed, rate, &steps));
    }
}

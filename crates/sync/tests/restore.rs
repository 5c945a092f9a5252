//! Restores and injected failures: the server's database restored to an earlier point
//! (devices notice the new feed epoch, push again what the server lost, and take a fresh
//! snapshot), and an op that fails inside the database (it is refused on its own, with
//! nothing of it kept, and the rest of its batch goes on).

mod harness;

use harness::{Device, Raw, id};
use serde_json::json;
use std::net::SocketAddr;
use stride_chart::patients::NewPatient;
use stride_server::fixture::{Fixture, postgres_base};

fn patient(first: &str) -> NewPatient {
    NewPatient {
        first_name: first.into(),
        last_name: "Restore".into(),
        dob: "1958-07-08".into(),
        ..NewPatient::default()
    }
}

/// A server on a fixed address over one database, that can be stopped and started again.
struct Server {
    addr: SocketAddr,
    database: String,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    pool: Option<deadpool_postgres::Pool>,
}

impl Server {
    async fn start(database: &str, addr: SocketAddr) -> Server {
        let mut server = Server {
            addr,
            database: database.into(),
            task: None,
            pool: None,
        };
        server.run().await;
        server
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn run(&mut self) {
        let pool = stride_server::db::pool(&format!("{}/{}", postgres_base(), self.database)).expect("pool");
        let listener = tokio::net::TcpListener::bind(self.addr).await.expect("bind again");
        let state = stride_server::AppState { pool: pool.clone() };
        self.task = Some(tokio::spawn(stride_server::serve_plain(listener, state)));
        self.pool = Some(pool);
    }

    /// Stops serving and drops every connection to the database.
    async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
        if let Some(pool) = self.pool.take() {
            pool.close();
        }
        maintenance(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid()",
            self.database
        ))
        .await;
    }

    async fn count(&self, sql: &str) -> i64 {
        let pool = self.pool.as_ref().expect("running");
        pool.get()
            .await
            .expect("db")
            .query_one(sql, &[])
            .await
            .expect("count")
            .get(0)
    }
}

async fn maintenance(sql: &str) {
    let pool = stride_server::db::pool(&format!("{}/postgres", postgres_base())).expect("pool");
    pool.get()
        .await
        .expect("db")
        .batch_execute(sql)
        .await
        .expect("maintenance");
}

async fn sync_round(devices: &[&Device]) {
    for _ in 0..3 {
        for d in devices {
            d.sync().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_restored_from_a_backup_gets_back_what_it_lost() {
    let fixture = Fixture::create().await;
    let database = fixture.database.clone();
    fixture.pool.close();
    let addr = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port")
        .local_addr()
        .expect("addr");
    let mut server = Server::start(&database, addr).await;
    let (a, b) = (
        Device::join(&server.url(), "dana").await,
        Device::join(&server.url(), "eve").await,
    );
    sync_round(&[&a, &b]).await;
    let (dana, eve) = (a.session("dana"), b.session("eve"));
    a.chart().add_patient(&dana, &patient("BeforeBackup")).expect("patient");
    sync_round(&[&a, &b]).await;

    // The nightly backup.
    server.stop().await;
    let backup = format!("{database}_backup");
    maintenance(&format!("CREATE DATABASE {backup} TEMPLATE {database}")).await;
    server.run().await;

    // A day's work after it, all synced.
    a.chart().add_patient(&dana, &patient("AfterBackupA")).expect("patient");
    b.chart().add_patient(&eve, &patient("AfterBackupB")).expect("patient");
    sync_round(&[&a, &b]).await;
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        3
    );

    // The server's disk dies; the administrator restores last night's backup and says so.
    server.stop().await;
    maintenance(&format!("DROP DATABASE {database}")).await;
    maintenance(&format!("CREATE DATABASE {database} TEMPLATE {backup}")).await;
    server.run().await;
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        1
    );
    let restored = stride_server::db::new_epochs(server.pool.as_ref().expect("pool"))
        .await
        .expect("stride-server restored");
    assert_eq!(restored, 1);

    // The devices notice, push again what the server lost, and take a fresh snapshot.
    sync_round(&[&a, &b]).await;
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        3
    );
    assert_eq!(a.records(), b.records(), "both devices hold the same records");
    for d in [&a, &b] {
        let state = d.chart().sync_state().expect("state");
        assert_eq!((state.pending, state.rejected), (0, 0));
    }
    // Work goes on as before.
    b.chart().add_patient(&eve, &patient("Later")).expect("patient");
    sync_round(&[&a, &b]).await;
    assert_eq!(a.records(), b.records());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_op_that_fails_in_the_database_is_refused_alone_and_leaves_nothing() {
    let fixture = Fixture::create().await;
    let (url, _task) = stride_server::fixture::serve(fixture.pool.clone()).await;
    // An injected fault: the database refuses to publish one patient, midway through
    // applying its op (after the record was written).
    fixture
        .pool
        .get()
        .await
        .expect("db")
        .batch_execute(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
                 IF NEW.image->>'first_name' = 'Boom' THEN RAISE EXCEPTION 'injected fault'; END IF;
                 RETURN NEW;
             END $$;
             CREATE TRIGGER boom BEFORE INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION boom();",
        )
        .await
        .expect("fault");
    let raw = Raw::login(&url, "frank").await;
    let op = |seq: i64, first: &str| {
        let patient = id();
        json!({ "device_seq": seq, "op_id": id(), "op_type": "patient.create", "op_version": 1, "entity_id": patient,
            "created_at": "2026-11-27T10:00:00Z",
            "payload": { "actor": raw.user_id, "entity": "patient", "base_seq": 0, "prev_op": null,
                "image": { "id": patient, "mrn": format!("T-{first}"), "first_name": first, "last_name": "X",
                    "dob": "1970-01-01", "created_at": "2026-11-27T10:00:00Z", "updated_at": "2026-11-27T10:00:00Z" } } })
    };
    let (status, body) = raw.push(vec![op(1, "Before"), op(2, "Boom"), op(3, "After")]).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<&str> = (0..3)
        .map(|i| body["results"][i]["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(outcomes, ["applied", "rejected", "applied"]);
    let count = |sql: &'static str| {
        let pool = fixture.pool.clone();
        async move {
            pool.get()
                .await
                .expect("db")
                .query_one(sql, &[])
                .await
                .expect("count")
                .get::<_, i64>(0)
        }
    };
    assert_eq!(
        count("SELECT count(*) FROM record WHERE entity = 'patient' AND image->>'first_name' = 'Boom'").await,
        0,
        "nothing of the failed op was kept"
    );
    assert_eq!(count("SELECT count(*) FROM record WHERE entity = 'patient'").await, 2);
    assert_eq!(
        count("SELECT count(*) FROM op_archive").await,
        3,
        "each op has its outcome"
    );
    assert_eq!(count("SELECT last_seq FROM device WHERE name = 'raw'").await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_chart_restored_from_its_own_backup_becomes_a_new_device() {
    let server = harness::TestServer::start().await;
    let (a, b) = (
        Device::join(&server.url, "dana").await,
        Device::join(&server.url, "eve").await,
    );
    a.sync().await;
    b.sync().await;
    let dana = a.session("dana");
    a.chart().add_patient(&dana, &patient("BeforeBackup")).expect("patient");
    a.sync().await;
    let backups = tempfile::tempdir().expect("dir");
    let (backup, _) = a
        .chart()
        .backup_to(&dana, backups.path(), "backup passphrase")
        .expect("backup");
    // After the backup: a change pushed, and one made but never pushed.
    a.chart().add_patient(&dana, &patient("Pushed")).expect("patient");
    a.sync().await;
    a.chart().add_patient(&dana, &patient("NeverPushed")).expect("patient");
    let old_device = a.device_id.clone();

    // The laptop's disk is replaced; its chart comes back from the backup.
    let path = a.dir.path().join("chart.stride");
    stride_chart::backup::restore(&backup, "backup passphrase", &path, &harness::key(), true).expect("restore");
    a.reopen();
    let restored_id = a.chart().device_id().to_owned();
    assert_ne!(restored_id, old_device, "a new device");
    // Its sign-in is gone with the old device's numbers: Dana signs in again (offline
    // first, with what the backup kept), and the device registers as the old one's successor.
    assert!(a.chart().authenticate("dana", harness::PASSWORD).is_ok());
    assert!(matches!(a.try_sync().await, Err(stride_sync::SyncError::SignInNeeded)));
    a.sign_in("dana").await;
    for _ in 0..3 {
        a.sync().await;
        b.sync().await;
    }
    let a_records = a.records();
    assert_eq!(a_records, b.records(), "both devices hold the same records");
    assert!(
        a_records
            .iter()
            .any(|(k, _, image)| k == "patient" && image.contains("Pushed")),
        "what the old device pushed after the backup came back from the server"
    );
    assert_eq!(
        server
            .count("SELECT count(*) FROM record WHERE entity = 'patient'")
            .await,
        2,
        "the change made after the backup and never pushed is lost with the old disk, and nothing is doubled"
    );
    let state = a.chart().sync_state().expect("state");
    assert_eq!((state.pending, state.rejected), (0, 0));
    assert_eq!(
        server
            .count(&format!(
                "SELECT count(*) FROM device WHERE id = '{old_device}' AND revoked_at IS NOT NULL"
            ))
            .await,
        1,
        "the old device is revoked"
    );
    assert_eq!(
        server
            .count(&format!(
                "SELECT count(*) FROM device_audit WHERE device_id = '{restored_id}' AND seq = 1"
            ))
            .await,
        1,
        "the restored trail was verified from its start"
    );
}

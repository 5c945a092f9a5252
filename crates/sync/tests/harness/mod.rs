//! A real clinic server on loopback over a fresh PostgreSQL database, and devices with
//! real encrypted charts that join it.

#![allow(dead_code)]

pub mod proxy;

use serde_json::{Value, json};
use std::sync::Mutex;
use stride_chart::{Chart, KeySource, Session};
use stride_protocol::LoginRequest;
use stride_sync::{Client, Summary, sync_once};

pub use stride_server::fixture::{PASSWORD, postgres_base};

/// A server with one clinic (see [`stride_server::fixture::Fixture`]).
pub struct TestServer {
    pub url: String,
    pub pool: deadpool_postgres::Pool,
    pub clinic_id: uuid::Uuid,
    pub database: String,
    task: Mutex<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let fixture = stride_server::fixture::Fixture::create().await;
        let (url, task) = stride_server::fixture::serve(fixture.pool.clone()).await;
        TestServer {
            url,
            pool: fixture.pool,
            clinic_id: fixture.clinic_id,
            database: fixture.database,
            task: Mutex::new(task),
        }
    }

    /// Kills the server (whatever it is doing: open transactions roll back) and starts a
    /// fresh one on the same database; returns its URL.
    pub async fn restart(&self) -> String {
        self.task.lock().expect("task").abort();
        let pool = stride_server::db::pool(&format!("{}/{}", postgres_base(), self.database)).expect("pool");
        let (url, task) = stride_server::fixture::serve(pool).await;
        *self.task.lock().expect("task") = task;
        url
    }

    /// A count from the server's database.
    pub async fn count(&self, sql: &str) -> i64 {
        self.pool
            .get()
            .await
            .expect("db")
            .query_one(sql, &[])
            .await
            .expect("count")
            .get(0)
    }
}

/// Serves the API on a free loopback port; returns its URL.
pub async fn serve(pool: deadpool_postgres::Pool) -> String {
    stride_server::fixture::serve(pool).await.0
}

/// One device: its own chart file, signed in to the server.
pub struct Device {
    pub dir: tempfile::TempDir,
    pub chart: Mutex<Chart>,
    pub client: Client,
    pub device_id: String,
}

pub fn key() -> KeySource {
    KeySource::Passphrase("device passphrase".into())
}

impl Device {
    /// Signs a new device in as `user` and makes its chart.
    pub async fn join(server_url: &str, user: &str) -> Device {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("chart.stride");
        let device_id = uuid::Uuid::now_v7().to_string();
        let client = Client::new(server_url, None).expect("client");
        let request = LoginRequest {
            user: user.into(),
            password: PASSWORD.into(),
            device_id: device_id.clone(),
            device_name: format!("{user}'s laptop"),
            device_secret: None,
            predecessor: None,
        };
        let chart = stride_sync::join_clinic(&client, &path, &key(), &request)
            .await
            .expect("join");
        Device {
            dir,
            chart: Mutex::new(chart),
            client,
            device_id,
        }
    }

    pub async fn sync(&self) -> Summary {
        match sync_once(&self.chart, &self.client).await {
            Ok(s) => s,
            Err(e) => {
                let refused = self.chart().refused_ops().expect("refused");
                panic!("sync: {e:?}; refused here: {refused:#?}");
            }
        }
    }

    /// A sync that may fail (faults on the way).
    pub async fn try_sync(&self) -> Result<Summary, stride_sync::SyncError> {
        sync_once(&self.chart, &self.client).await
    }

    /// Another person signs in to the server on this device (a shared machine).
    pub async fn sign_in(&self, user: &str) {
        stride_sync::sign_in_on_device(&self.chart, user, PASSWORD, "shared")
            .await
            .expect("sign in on the device");
    }

    /// Closes the chart and opens it again from its file, as after the app was killed.
    pub fn reopen(&self) {
        let path = self.dir.path().join("chart.stride");
        let mut chart = self.chart.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *chart = Chart::open(&path, &key()).expect("reopen");
    }

    pub fn chart(&self) -> std::sync::MutexGuard<'_, Chart> {
        self.chart.lock().expect("chart lock")
    }

    pub fn session(&self, user: &str) -> Session {
        self.chart().authenticate(user, PASSWORD).expect("sign in")
    }

    /// Every synced record's image on this device, for comparing devices.
    pub fn records(&self) -> Vec<(String, String, String)> {
        let chart = self.chart();
        let mut out = Vec::new();
        for kind in stride_chart::sync::records::KINDS {
            let sql = format!("SELECT id FROM \"{}\" ORDER BY id", kind.name);
            let ids: Vec<String> = chart
                .connection()
                .prepare(&sql)
                .expect("prepare")
                .query_map([], |r| r.get(0))
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("ids");
            for id in ids {
                let image = stride_chart::sync::records::read_image(chart.connection(), kind, &id)
                    .expect("image")
                    .expect("exists");
                out.push((kind.name.to_owned(), id, serde_json::Value::Object(image).to_string()));
            }
        }
        out
    }
}

/// A raw device: a token and an id, for crafting requests the app would never send.
pub struct Raw {
    pub http: reqwest::Client,
    pub url: String,
    pub token: String,
    pub device_id: String,
    pub user_id: String,
}

impl Raw {
    pub async fn login(url: &str, user: &str) -> Raw {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let device_id = uuid::Uuid::now_v7().to_string();
        let request = LoginRequest {
            user: user.into(),
            password: PASSWORD.into(),
            device_id: device_id.clone(),
            device_name: "raw".into(),
            device_secret: None,
            predecessor: None,
        };
        let answer: Value = http
            .post(format!("{url}/v1/login"))
            .json(&request)
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("json");
        Raw {
            http,
            url: url.into(),
            token: answer["token"].as_str().expect("token").into(),
            device_id,
            user_id: answer["user_id"].as_str().expect("user").into(),
        }
    }

    pub async fn push_body(&self, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/v1/sync/push", self.url))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("push");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn push(&self, ops: Vec<Value>) -> (u16, Value) {
        self.push_body(&json!({ "device_id": self.device_id, "ops": ops }))
            .await
    }
}

/// A fresh id.
pub fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Syncs every device, in order, `rounds` times.
pub async fn sync_all(devices: &[&Device], rounds: usize) {
    for _ in 0..rounds {
        for d in devices {
            d.sync().await;
        }
    }
}

//! For tests of this crate's users (the sync client, the CLI, the desktop app): a fresh
//! database with one clinic and its staff, and the server on a free loopback port.
//! Compiled only with the `fixture` feature.

use crate::{AppState, admin, db};
use uuid::Uuid;

/// The password every fixture user has.
pub const PASSWORD: &str = "clinic-password";

/// Where PostgreSQL is (trust auth), without a database name: `STRIDE_TEST_POSTGRES`, or
/// the local server.
pub fn postgres_base() -> String {
    std::env::var("STRIDE_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh database holding one clinic, "Riverside PT": Dana (owner: admin and PT), Eve
/// (PT), Pat (PTA) and Frank (front desk); the PTs have NPIs.
pub struct Fixture {
    /// The database's name.
    pub database: String,
    /// A pool on it.
    pub pool: deadpool_postgres::Pool,
    /// The clinic.
    pub clinic_id: Uuid,
}

impl Fixture {
    /// Creates the database and the clinic.
    pub async fn create() -> Fixture {
        let database = format!("stride_test_{}", Uuid::new_v4().simple());
        let maintenance = db::pool(&format!("{}/postgres", postgres_base())).expect("pool");
        maintenance
            .get()
            .await
            .expect("PostgreSQL must run on 127.0.0.1:5432 (see README)")
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .await
            .expect("create database");
        let pool = db::pool(&format!("{}/{database}", postgres_base())).expect("pool");
        db::migrate(&pool).await.expect("migrate");
        let clinic_id = admin::create_clinic(&pool, "Riverside PT", None, "dana", PASSWORD, true)
            .await
            .expect("clinic");
        for (name, role) in [("eve", "pt"), ("pat", "pta"), ("frank", "frontdesk")] {
            admin::add_user(&pool, clinic_id, name, PASSWORD, &[role])
                .await
                .expect("user");
        }
        // The PTs render claims: they need NPIs.
        for (name, npi) in [("dana", "1003000126"), ("eve", "1245319599")] {
            admin::set_user_npi(&pool, clinic_id, name, npi).await.expect("npi");
        }
        Fixture {
            database,
            pool,
            clinic_id,
        }
    }

    /// A new pool on the fixture's database (as a second server process would have).
    pub fn new_pool(&self) -> deadpool_postgres::Pool {
        db::pool(&format!("{}/{}", postgres_base(), self.database)).expect("pool")
    }
}

/// Serves the API on a free loopback port; returns its URL and the serving task.
pub async fn serve(pool: deadpool_postgres::Pool) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    (url, tokio::spawn(crate::serve_plain(listener, AppState { pool })))
}

//! Stride's clinic server: accounts, devices and the clinic's sync feed, over PostgreSQL.
//! It keeps no state outside the database, so several instances can serve one clinic.
//!
//! - [`auth`]: passwords, device tokens, roles, sign-in rate limits.
//! - [`push`]: ops from devices, each processed once in its device's order.
//! - [`pull`]: the feed, snapshots, device status.
//! - [`feed`]: record versions in commit order.
//! - [`audit`]: each device's audit chain, verified as it arrives.
//! - [`admin`]: clinics, users and devices from the command line.
//! - [`db`]: pool and embedded migrations.
//! - [`serve`]: connections, TLS and their time limits.

#![forbid(unsafe_code)]

pub mod admin;
pub mod audit;
pub mod auth;
pub mod claims;
pub mod db;
pub mod error;
pub mod feed;
#[cfg(feature = "fixture")]
pub mod fixture;
pub mod pull;
pub mod push;
pub mod serve;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub pool: deadpool_postgres::Pool,
}

/// The HTTP API.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/login", post(auth::login))
        .route("/v1/token/renew", post(auth::renew))
        .route("/v1/sync/push", post(push::push))
        .route("/v1/sync/pull", get(pull::pull))
        .route("/v1/sync/snapshot", get(pull::snapshot))
        .route("/v1/sync/status", get(pull::status))
        .route("/v1/sync/audit", post(audit::push_audit))
        .layer(DefaultBodyLimit::max(stride_protocol::MAX_REQUEST_BYTES))
        .with_state(state)
}

/// Serves the API over plain HTTP on `listener` until the process ends (with TLS, and
/// with a shutdown signal: [`serve::serve`]).
pub async fn serve_plain(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve::serve(listener, None, state, std::future::pending()).await
}

/// `GET /health`: the server is up and reaches its database.
async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> error::ApiResult<&'static str> {
    state.pool.get().await?.query_one("SELECT 1", &[]).await?;
    Ok("ok")
}

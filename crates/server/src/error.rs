//! The server's errors, each with an HTTP status and words for the person at the device.
//! Database errors are logged by code only: their details can quote patient data.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use stride_protocol::ErrorBody;

/// An error answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid token: sign in again.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// The request itself is wrong.
    #[error("{0}")]
    Invalid(String),
    /// Too many failed sign-ins.
    #[error("too many failed sign-ins for this name: wait 15 minutes, or ask the clinic's administrator")]
    RateLimited,
    /// An op arrived ahead of the device's sequence.
    #[error("op {got} arrived before op {expected}: push from {expected}")]
    Gap {
        /// What the server expects next.
        expected: i64,
        /// What arrived.
        got: i64,
    },
    /// A replayed sequence number carries different content: two installs share one
    /// device id, or the device's database was replaced.
    #[error(
        "op {seq} from this device was already received with different content: this device's sync is stopped; \
         ask the clinic's administrator"
    )]
    ReplayMismatch {
        /// The sequence number.
        seq: i64,
    },
    /// The database failed.
    #[error("the clinic server's database failed; try again shortly")]
    Database(#[from] tokio_postgres::Error),
    /// No database connection was available.
    #[error("the clinic server is busy or cannot reach its database; try again shortly")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// Anything else that is the server's fault.
    #[error("the clinic server failed: {0}")]
    Internal(String),
}

impl ApiError {
    fn status_and_kind(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid"),
            ApiError::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Gap { .. } => (StatusCode::CONFLICT, "gap"),
            ApiError::ReplayMismatch { .. } => (StatusCode::CONFLICT, "replay_mismatch"),
            ApiError::Database(_) | ApiError::Pool(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind) = self.status_and_kind();
        match &self {
            ApiError::Database(e) => {
                let code = e.code().map(|c| c.code().to_owned()).unwrap_or_default();
                tracing::error!(sqlstate = %code, "database error");
            }
            ApiError::Pool(_) => tracing::error!("no database connection"),
            ApiError::Internal(why) => tracing::error!(%why, "internal error"),
            _ => tracing::info!(kind, "request refused"),
        }
        let expected_seq = match self {
            ApiError::Gap { expected, .. } => Some(expected),
            _ => None,
        };
        let body = ErrorBody {
            error: kind.to_owned(),
            message: self.to_string(),
            expected_seq,
        };
        (status, Json(body)).into_response()
    }
}

/// A handler's result.
pub type ApiResult<T> = std::result::Result<T, ApiError>;

//! The HTTP client of the clinic server's sync API.

use std::time::Duration;
use stride_protocol::{
    ErrorBody, LoginRequest, LoginResponse, PROTOCOL_VERSION, PullResponse, PushOp, PushRequest, PushResponse,
    SnapshotResponse,
};

/// Why a sync did not complete. Nothing local changes on any of these.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached (offline, wrong address, server down).
    #[error("could not reach the clinic server at {url}: {why}")]
    Unreachable {
        /// The server.
        url: String,
        /// What failed.
        why: String,
    },
    /// The device's sign-in is missing, expired or revoked.
    #[error("{0}")]
    Unauthorized(String),
    /// Changes made by a user who has not signed in to the server on this device wait.
    #[error("{user}'s changes wait until {user} signs in to the clinic server on this device")]
    NeedsSignIn {
        /// The user's name.
        user: String,
    },
    /// The server expects an earlier op first.
    #[error("the server expects op {expected} next")]
    Gap {
        /// The op it expects.
        expected: i64,
    },
    /// The server refused the request.
    #[error("the clinic server refused: {0}")]
    Refused(String),
    /// The server answered something this app cannot use.
    #[error("the clinic server's answer was not understood: {0}")]
    Protocol(String),
    /// No chart is open to sync (the app was locked or closed).
    #[error("no chart is open")]
    NoChart,
    /// The local chart failed.
    #[error(transparent)]
    Chart(#[from] stride_chart::ChartError),
}

/// A connection to one clinic server.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// A client of the server at `base_url`, authenticated by `token` once signed in.
    pub fn new(base_url: &str, token: Option<String>) -> Result<Client, SyncError> {
        // rustls with the ring provider; the error only says one was installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| SyncError::Protocol(format!("could not set up HTTP: {e}")))?;
        Ok(Client {
            http,
            base: base_url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    /// The same server, authenticated as someone else.
    pub fn with_token(&self, token: String) -> Client {
        Client {
            http: self.http.clone(),
            base: self.base.clone(),
            token: Some(token),
        }
    }

    fn unreachable(&self, e: reqwest::Error) -> SyncError {
        SyncError::Unreachable {
            url: self.base.clone(),
            why: without_url(e),
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, SyncError> {
        let mut request = request.header("X-Stride-Protocol", PROTOCOL_VERSION.to_string());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| self.unreachable(e))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| self.unreachable(e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| SyncError::Protocol(e.to_string()));
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        let message = body
            .as_ref()
            .map_or_else(|| format!("HTTP {status}"), |b| b.message.clone());
        Err(match (status.as_u16(), body) {
            (401, _) => SyncError::Unauthorized(message),
            (
                409,
                Some(ErrorBody {
                    expected_seq: Some(expected),
                    ..
                }),
            ) => SyncError::Gap { expected },
            (502..=504, _) => SyncError::Unreachable {
                url: self.base.clone(),
                why: message,
            },
            _ => SyncError::Refused(message),
        })
    }

    /// Signs a device in.
    pub async fn login(&self, request: &LoginRequest) -> Result<LoginResponse, SyncError> {
        self.send(self.http.post(format!("{}/v1/login", self.base)).json(request))
            .await
    }

    /// Pushes ops.
    pub async fn push(&self, device_id: &str, ops: Vec<PushOp>) -> Result<PushResponse, SyncError> {
        let body = PushRequest {
            device_id: device_id.to_owned(),
            ops,
        };
        self.send(self.http.post(format!("{}/v1/sync/push", self.base)).json(&body))
            .await
    }

    /// The feed after `after`.
    pub async fn pull(&self, after: i64, limit: i64) -> Result<PullResponse, SyncError> {
        let url = format!("{}/v1/sync/pull?after={after}&limit={limit}", self.base);
        self.send(self.http.get(url)).await
    }

    /// A snapshot page after `(rank, created_seq)`.
    pub async fn snapshot(&self, after: Option<(i32, i64)>, limit: i64) -> Result<SnapshotResponse, SyncError> {
        let mut url = format!("{}/v1/sync/snapshot?limit={limit}", self.base);
        if let Some((rank, seq)) = after {
            url.push_str(&format!("&rank={rank}&after={seq}"));
        }
        self.send(self.http.get(url)).await
    }

    /// Sends audit events for the server to verify.
    pub async fn push_audit(
        &self,
        device_id: &str,
        events: Vec<stride_protocol::audit::ChainedEvent>,
    ) -> Result<stride_protocol::AuditAck, SyncError> {
        let body = stride_protocol::AuditPush {
            device_id: device_id.to_owned(),
            events,
        };
        self.send(self.http.post(format!("{}/v1/sync/audit", self.base)).json(&body))
            .await
    }
}

/// reqwest's messages repeat the URL; the caller names the server once.
fn without_url(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

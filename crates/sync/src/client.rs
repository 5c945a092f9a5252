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
    /// The device's sign-in to the clinic server expired or was revoked: a person must
    /// sign in to the server again on this device. Nothing is lost meanwhile.
    #[error(
        "this device's sign-in to the clinic server has ended: sign in again to sync (your work stays here meanwhile)"
    )]
    SignInNeeded,
    /// A batch was too large for the server even alone.
    #[error("a change is too large for the clinic server to accept ({bytes} bytes)")]
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// The server's address is not one this app will talk to.
    #[error("{0}")]
    InsecureServer(String),
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
    /// Patient data travels only over TLS: an `http://` address is refused unless it
    /// names this machine itself (loopback), where nothing crosses a network.
    pub fn new(base_url: &str, token: Option<String>) -> Result<Client, SyncError> {
        check_address(base_url)?;
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

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
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
            (413, _) => SyncError::TooLarge { bytes: 0 },
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

    /// Trades the client's live token for a fresh one.
    pub async fn renew(&self) -> Result<stride_protocol::TokenRenewal, SyncError> {
        self.send(self.http.post(format!("{}/v1/token/renew", self.base))).await
    }

    /// The server's view of this device: what it has processed, and the feed's epoch.
    pub async fn status(&self) -> Result<stride_protocol::DeviceStatus, SyncError> {
        self.send(self.http.get(format!("{}/v1/sync/status", self.base))).await
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

/// Whether the app will talk to a server at `url`: HTTPS anywhere, plain HTTP only to
/// this machine.
fn check_address(url: &str) -> Result<(), SyncError> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err(SyncError::InsecureServer(format!(
            "{url} is not a clinic server address: it starts with https://"
        )));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(SyncError::InsecureServer(format!(
            "{url} is plain HTTP: patient data goes to a clinic server only over https:// (plain http:// only on this machine itself)"
        )))
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

#[cfg(test)]
mod tests {
    use super::check_address;

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "https://stride.clinic.example:8443",
            "http://127.0.0.1:8080",
            "http://localhost:9000/",
            "http://[::1]:8443",
            "HTTP://127.0.0.5",
        ] {
            assert!(check_address(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://192.168.1.10:8443",
            "http://stride.clinic.example",
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example:80",
            "ftp://127.0.0.1",
            "stride.clinic.example",
        ] {
            assert!(check_address(refused).is_err(), "{refused}");
        }
    }
}

//! Serving the API over TCP, plain or TLS, with the limits a server on a clinic's
//! network needs against a slow or hostile client:
//!
//! - each connection is handled in its own task, TLS handshake included, so a client
//!   that connects and sends nothing holds up nobody but itself;
//! - the handshake, the request headers and each whole request have time limits;
//! - at most [`MAX_CONNECTIONS`] connections are open at once; further ones are closed
//!   at once rather than queued.

use crate::{AppState, router};
use anyhow::Context;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tower::Service;

/// How long a client has to complete the TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client has to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one request may take, its body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// Connections open at once, beyond which new ones are closed.
pub const MAX_CONNECTIONS: usize = 1024;

/// TLS settings from a certificate chain and key in PEM files.
pub fn tls_acceptor(cert: &Path, key: &Path) -> anyhow::Result<TlsAcceptor> {
    let certs = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("could not read the certificate {}", cert.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("the certificate {} is not valid PEM", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key).with_context(|| format!("could not read the key {}", key.display()))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup failed")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the certificate and key do not form a usable pair")?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves the API on `listener` (over TLS when `tls` is given) until `shutdown`
/// completes; then stops accepting and gives open requests a few seconds to finish.
/// Dropping the future ends every connection it serves.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = router(state);
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    // The connections belong to this future: when it ends or is dropped, they end too.
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::warn!("too many connections: one closed");
            continue;
        };
        let (app, tls) = (app.clone(), tls.clone());
        connections.spawn(async move {
            let _permit = permit;
            connection(stream, peer, tls, app).await;
        });
    }
    // Give the open requests a little time to finish; the rest are cut off.
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// One connection: the handshake, then HTTP/1.1 requests until the client is done.
async fn connection(stream: TcpStream, peer: SocketAddr, tls: Option<TlsAcceptor>, app: axum::Router) {
    match tls {
        None => http(stream, peer, app).await,
        Some(acceptor) => match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => http(stream, peer, app).await,
            Ok(Err(e)) => tracing::info!(error = %e, "TLS handshake failed"),
            Err(_) => tracing::info!("TLS handshake timed out"),
        },
    }
}

async fn http<S>(stream: S, peer: SocketAddr, app: axum::Router)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        let mut app = app.clone();
        async move {
            match tokio::time::timeout(REQUEST_TIMEOUT, app.call(request.map(axum::body::Body::new))).await {
                Ok(response) => response,
                Err(_) => {
                    tracing::info!("request timed out");
                    Ok(axum::response::IntoResponse::into_response(
                        axum::http::StatusCode::REQUEST_TIMEOUT,
                    ))
                }
            }
        }
    });
    let served = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(e) = served {
        tracing::debug!(error = %e, "connection ended");
    }
}

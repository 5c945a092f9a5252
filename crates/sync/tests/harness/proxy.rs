//! A fault-injecting HTTP proxy between devices and the server: it drops requests, drops
//! responses after the server has acted on them, duplicates requests, delays them, and
//! lets a request overtake an earlier one. Lost answers look to the device as a gateway
//! timeout, as behind a real load balancer.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    DropRequest,
    DropResponse,
    Duplicate,
    Delay,
    Overtaken,
}

const FAULTS: [Fault; 5] = [
    Fault::DropRequest,
    Fault::DropResponse,
    Fault::Duplicate,
    Fault::Delay,
    Fault::Overtaken,
];

struct Plan {
    upstream: String,
    seed: u64,
    /// Percent of requests that get a fault.
    rate: u64,
    seen: Vec<Fault>,
}

impl Plan {
    /// xorshift64*: reproducible from the seed.
    fn next(&mut self) -> u64 {
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn choose(&mut self) -> Fault {
        let fault = if self.next() % 100 < self.rate {
            FAULTS[(self.next() % FAULTS.len() as u64) as usize]
        } else {
            Fault::Pass
        };
        self.seen.push(fault);
        fault
    }
}

/// A running proxy.
#[derive(Clone)]
pub struct Proxy {
    pub url: String,
    plan: Arc<Mutex<Plan>>,
    http: reqwest::Client,
}

impl Proxy {
    pub async fn start(upstream: &str, seed: u64, rate: u64) -> Proxy {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let plan = Arc::new(Mutex::new(Plan {
            upstream: upstream.into(),
            seed: seed | 1,
            rate,
            seen: Vec::new(),
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let proxy = Proxy {
            url,
            plan,
            http: reqwest::Client::new(),
        };
        let app = axum::Router::new().fallback(forward).with_state(proxy.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        proxy
    }

    /// Changes how often faults happen (0: never).
    pub fn set_rate(&self, rate: u64) {
        self.plan.lock().expect("plan").rate = rate;
    }

    /// Points the proxy at another server (a restarted one).
    pub fn set_upstream(&self, upstream: &str) {
        self.plan.lock().expect("plan").upstream = upstream.into();
    }

    /// The faults injected so far.
    pub fn faults(&self) -> Vec<Fault> {
        self.plan
            .lock()
            .expect("plan")
            .seen
            .iter()
            .copied()
            .filter(|f| *f != Fault::Pass)
            .collect()
    }

    async fn send(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Option<(StatusCode, Bytes)> {
        let upstream = self.plan.lock().expect("plan").upstream.clone();
        let url = format!("{upstream}{}", uri.path_and_query().map_or("/", |p| p.as_str()));
        let mut request = self.http.request(method.clone(), url).body(body.clone());
        for name in ["authorization", "content-type", "x-stride-protocol"] {
            if let Some(v) = headers.get(name) {
                request = request.header(name, v);
            }
        }
        let response = request.send().await.ok()?;
        let status = response.status();
        Some((status, response.bytes().await.ok()?))
    }
}

fn lost() -> Response {
    (StatusCode::GATEWAY_TIMEOUT, "the proxy lost this exchange").into_response()
}

async fn forward(State(proxy): State<Proxy>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let fault = proxy.plan.lock().expect("plan").choose();
    let reply = |r: Option<(StatusCode, Bytes)>| match r {
        Some((status, bytes)) => (status, bytes).into_response(),
        None => (StatusCode::BAD_GATEWAY, "upstream unreachable").into_response(),
    };
    match fault {
        Fault::Pass => reply(proxy.send(&method, &uri, &headers, &body).await),
        Fault::DropRequest => lost(),
        Fault::DropResponse => {
            let _ = proxy.send(&method, &uri, &headers, &body).await;
            lost()
        }
        Fault::Duplicate => {
            let _ = proxy.send(&method, &uri, &headers, &body).await;
            reply(proxy.send(&method, &uri, &headers, &body).await)
        }
        Fault::Delay => {
            tokio::time::sleep(Duration::from_millis(150)).await;
            reply(proxy.send(&method, &uri, &headers, &body).await)
        }
        Fault::Overtaken => {
            // The device gives up and retries; this copy arrives later, after the retry.
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let _ = proxy.send(&method, &uri, &headers, &body).await;
            });
            lost()
        }
    }
}

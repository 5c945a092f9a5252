//! The background worker: syncs when woken (a local change, connectivity, a person asking)
//! and on a timer, backs off with jitter while the server is unreachable, and publishes
//! its state for the status bar.

use crate::{ChartAccess, Client, Summary, SyncError, sync_once};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

/// How often to sync when nothing wakes the worker and nothing waits to be pushed.
const IDLE_INTERVAL: Duration = Duration::from_secs(30);
/// How often to try while changes wait: checked on every pass, so a failed push is
/// retried even when nothing new is written.
const PENDING_INTERVAL: Duration = Duration::from_secs(5);
/// The longest wait between attempts while the server is unreachable: the worker has no
/// network-change signal, so this is how soon it notices the network is back.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What the worker last saw, for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkerState {
    /// The last attempt reached the server.
    pub online: bool,
    /// When the last sync completed (RFC 3339).
    pub last_success_at: Option<String>,
    /// What the last sync did.
    pub last_summary: Option<Summary>,
    /// Why the last attempt failed, in words.
    pub last_error: Option<String>,
    /// The device's sign-in to the server has ended: the worker waits for a person to
    /// sign in again rather than retrying on a timer.
    pub sign_in_needed: bool,
}

/// Wait before attempt `failures + 1`: exponential, capped, with full jitter so that a
/// clinic's laptops do not all retry together after an outage.
pub fn backoff(failures: u32, jitter: f64) -> Duration {
    let ceiling = Duration::from_secs(1u64 << failures.min(5)).min(MAX_BACKOFF);
    ceiling.mul_f64(jitter.clamp(0.0, 1.0)).max(Duration::from_millis(250))
}

/// A cheap jitter source in [0, 1): the clock's sub-second noise is plenty here.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    f64::from(nanos % 1_000_000) / 1_000_000.0
}

/// Runs until `stop` is notified. `wake` makes it sync now.
pub async fn run<A: ChartAccess>(
    chart: Arc<A>,
    client: Client,
    wake: Arc<Notify>,
    stop: Arc<Notify>,
    state: watch::Sender<WorkerState>,
) {
    let mut failures = 0u32;
    loop {
        let outcome: Result<Summary, SyncError> = sync_once(chart.as_ref(), &client).await;
        let wait = match outcome {
            Ok(summary) => {
                failures = 0;
                state.send_modify(|s| {
                    s.online = true;
                    s.last_success_at = Some(chrono_now());
                    s.last_summary = Some(summary);
                    s.last_error = None;
                    s.sign_in_needed = false;
                });
                let pending = chart.with_chart(|c| c.pending_op_count().unwrap_or(0)).unwrap_or(0);
                if pending > 0 { PENDING_INTERVAL } else { IDLE_INTERVAL }
            }
            Err(SyncError::NoChart) => IDLE_INTERVAL,
            Err(e @ SyncError::SignInNeeded) => {
                state.send_modify(|s| {
                    s.online = true;
                    s.last_error = Some(e.to_string());
                    s.sign_in_needed = true;
                });
                // Nothing to retry until someone signs in (which wakes the worker).
                tokio::select! {
                    () = wake.notified() => continue,
                    () = stop.notified() => return,
                }
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let online = !matches!(e, SyncError::Unreachable { .. });
                state.send_modify(|s| {
                    s.online = online;
                    s.last_error = Some(e.to_string());
                });
                backoff(failures, jitter())
            }
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = wake.notified() => {}
            () = stop.notified() => return,
        }
    }
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::{MAX_BACKOFF, backoff};
    use std::time::Duration;

    #[test]
    fn backoff_grows_to_a_cap_and_never_spins() {
        let ceilings: Vec<Duration> = (1..12).map(|n| backoff(n, 1.0)).collect();
        assert!(ceilings.windows(2).all(|w| w[0] <= w[1]), "{ceilings:?}");
        assert_eq!(ceilings.last(), Some(&MAX_BACKOFF));
        assert_eq!(
            backoff(3, 0.0),
            Duration::from_millis(250),
            "full jitter still waits a little"
        );
        assert!(backoff(2, 0.5) < backoff(2, 1.0));
    }
}

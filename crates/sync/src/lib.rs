//! Stride's sync worker: pushes a linked chart's ops to the clinic server, then pulls the
//! clinic's changes, until both are caught up. Used by the desktop app (as a background
//! task, [`worker`]) and by `stride sync`.
//!
//! Rules it keeps:
//! - An op is done only when the server returned its outcome; a lost answer means the
//!   same ops are pushed again, and the server returns the stored outcomes.
//! - Push before pull, so that a pulled change never lands on top of an unpushed edit.
//! - The chart is locked only between network calls, never across one.

#![forbid(unsafe_code)]

pub mod client;
pub mod worker;

pub use client::{Client, SyncError};

use serde::Serialize;
use stride_chart::Chart;
use stride_chart::sync::PullPosition;
use stride_protocol::{MAX_PUSH_OPS, Outcome};

/// How many changes to ask for per pull.
const PULL_PAGE: i64 = 2000;

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Ops the server processed (any outcome).
    pub pushed: usize,
    /// Of those, applied with overlapping edits kept as sync issues.
    pub conflicts: usize,
    /// Of those, refused (kept, with reasons).
    pub rejected: usize,
    /// Record versions pulled and written.
    pub pulled: usize,
    /// Record versions pulled and skipped (already here, or under an unpushed edit).
    pub skipped: usize,
}

/// Access to the chart being synced. The chart is locked only for each short call, never
/// across a network request, so the person at the desk never waits for the network.
pub trait ChartAccess: Send + Sync {
    /// Runs `f` on the open chart; `None` when no chart is open (the app was locked or
    /// closed meanwhile).
    fn with_chart<R>(&self, f: impl FnOnce(&mut Chart) -> R) -> Option<R>;
}

impl ChartAccess for std::sync::Mutex<Chart> {
    fn with_chart<R>(&self, f: impl FnOnce(&mut Chart) -> R) -> Option<R> {
        let mut chart = self.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(f(&mut chart))
    }
}

fn with<A: ChartAccess, R>(chart: &A, f: impl FnOnce(&mut Chart) -> stride_chart::Result<R>) -> Result<R, SyncError> {
    Ok(chart.with_chart(f).ok_or(SyncError::NoChart)??)
}

/// Pushes every pending op, then pulls until caught up.
pub async fn sync_once<A: ChartAccess>(chart: &A, client: &Client) -> Result<Summary, SyncError> {
    let mut summary = Summary::default();
    push_all(chart, client, &mut summary).await?;
    push_audit(chart, client).await?;
    pull_all(chart, client, &mut summary).await?;
    with(chart, |c| c.mark_synced())?;
    Ok(summary)
}

async fn push_all<A: ChartAccess>(chart: &A, client: &Client, summary: &mut Summary) -> Result<(), SyncError> {
    let device_id = with(chart, |c| Ok(c.device_id().to_owned()))?;
    let mut from = None;
    loop {
        let mut ops = with(chart, |c| c.ops_to_push(from, MAX_PUSH_OPS))?;
        if ops.is_empty() {
            return Ok(());
        }
        // The server takes each op only with its author's token: push one author's run.
        let author = actor_of(&ops[0]);
        let run = ops.iter().take_while(|op| actor_of(op) == author).count();
        ops.truncate(run);
        let as_author = match &author {
            Some(user_id) => {
                // Bound first: the chart's lock is released before the match.
                let token = with(chart, |c| c.token_for(user_id))?;
                match token {
                    Some(token) => client.with_token(token),
                    None => {
                        return Err(SyncError::NeedsSignIn {
                            user: with(chart, |c| c.user_name(user_id))?,
                        });
                    }
                }
            }
            None => client.clone(),
        };
        let response = match as_author.push(&device_id, ops).await {
            // The server is missing ops it once acknowledged (restored from a backup):
            // push again from where it is. Ops are never deleted, so they are all here.
            Err(SyncError::Gap { expected }) if from != Some(expected) => {
                from = Some(expected);
                continue;
            }
            other => other?,
        };
        from = None;
        for r in &response.results {
            summary.pushed += 1;
            match r.outcome {
                Outcome::Conflict => summary.conflicts += 1,
                Outcome::Rejected => summary.rejected += 1,
                Outcome::Applied | Outcome::Duplicate => {}
            }
        }
        with(chart, |c| c.record_outcomes(&response.results))?;
        if response.results.is_empty() {
            return Err(SyncError::Protocol(
                "the server processed none of the pushed ops".into(),
            ));
        }
    }
}

/// The user who made an op, as its payload names them.
fn actor_of(op: &stride_protocol::PushOp) -> Option<String> {
    op.payload.get("actor").and_then(|a| a.as_str()).map(str::to_owned)
}

/// Sends the device's audit chain for the server to verify, from where the server is.
async fn push_audit<A: ChartAccess>(chart: &A, client: &Client) -> Result<(), SyncError> {
    const PAGE: usize = 2000;
    let device_id = with(chart, |c| Ok(c.device_id().to_owned()))?;
    let mut from = None;
    loop {
        let events = with(chart, |c| c.audit_to_push(from, PAGE))?;
        if events.is_empty() {
            return Ok(());
        }
        let ack = match client.push_audit(&device_id, events).await {
            Err(SyncError::Gap { expected }) if from != Some(expected) => {
                from = Some(expected);
                continue;
            }
            other => other?,
        };
        from = None;
        with(chart, |c| c.audit_confirmed(ack.through))?;
    }
}

async fn pull_all<A: ChartAccess>(chart: &A, client: &Client, summary: &mut Summary) -> Result<(), SyncError> {
    let start = with(chart, |c| c.pull_position())?;
    let mut next = Some(fetch(client, start));
    while let Some(page) = next.take() {
        let page = page
            .await
            .map_err(|e| SyncError::Protocol(format!("a pull was cut short: {e}")))??;
        // Fetch the following page while this one is written.
        next = page.following().map(|p| fetch(client, p));
        let applied = with(chart, |c| match &page {
            Page::Snapshot { page, cursor } => c.apply_snapshot_page(&page.changes, page.next, *cursor),
            Page::Feed { page, .. } => c.apply_changes(&page.changes, page.cursor),
        })?;
        summary.pulled += applied.written;
        summary.skipped += applied.skipped;
    }
    Ok(())
}

/// One page of what a device pulls.
enum Page {
    /// Current versions, for a device starting out; `cursor` is where the feed resumes.
    Snapshot {
        page: stride_protocol::SnapshotResponse,
        cursor: i64,
    },
    /// The feed after `after`.
    Feed { page: stride_protocol::PullResponse },
}

impl Page {
    /// Where the next page starts, if there is one.
    fn following(&self) -> Option<PullPosition> {
        match self {
            Page::Snapshot { page, cursor } => Some(match page.next {
                Some(n) => PullPosition::Snapshot {
                    rank: n.rank,
                    created_seq: n.created_seq,
                    cursor: *cursor,
                },
                None => PullPosition::Feed(*cursor),
            }),
            Page::Feed { page } => page.has_more.then_some(PullPosition::Feed(page.cursor)),
        }
    }
}

/// Starts fetching the page at `position` in the background.
fn fetch(client: &Client, position: PullPosition) -> tokio::task::JoinHandle<Result<Page, SyncError>> {
    let client = client.clone();
    tokio::spawn(async move {
        match position {
            PullPosition::Start => {
                let page = client.snapshot(None, PULL_PAGE).await?;
                Ok(Page::Snapshot {
                    cursor: page.cursor,
                    page,
                })
            }
            PullPosition::Snapshot {
                rank,
                created_seq,
                cursor,
            } => {
                let page = client.snapshot(Some((rank, created_seq)), PULL_PAGE).await?;
                Ok(Page::Snapshot { page, cursor })
            }
            PullPosition::Feed(after) => {
                let page = client.pull(after, PULL_PAGE).await?;
                check_monotonic(after, &page.changes)?;
                Ok(Page::Feed { page })
            }
        }
    })
}

/// Feed positions only ever grow: anything else is a server fault, and applying it could
/// skip changes.
fn check_monotonic(after: i64, changes: &[stride_protocol::Change]) -> Result<(), SyncError> {
    let mut last = after;
    for c in changes {
        if c.server_seq <= last {
            return Err(SyncError::Protocol(format!(
                "the server's feed went backwards ({} after {last})",
                c.server_seq
            )));
        }
        last = c.server_seq;
    }
    Ok(())
}

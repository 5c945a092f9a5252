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
use stride_protocol::{MAX_PUSH_OPS, Outcome, PushOp};

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

/// Joins a clinic: signs a new device in to the server with `request` (its device id a
/// fresh UUID), makes the empty linked chart at `path`, and keeps what lets the person
/// sign in on it offline. The clinic's records arrive with the first [`sync_once`].
pub async fn join_clinic(
    client: &Client,
    path: &std::path::Path,
    key: &stride_chart::KeySource,
    request: &stride_protocol::LoginRequest,
) -> Result<Chart, SyncError> {
    let answer = client.login(request).await?;
    let link = stride_chart::sync::Link::from_login(client.base_url(), &answer);
    let mut chart = Chart::create_linked(path, key, &answer.clinic_id, &request.device_id, &link)?;
    chart.remember_password(&answer.user_id, &request.password)?;
    Ok(chart)
}

/// Signs a person in to the clinic server on a device already linked (the device proves
/// it is itself with its secret): the server checks their password, the device keeps its
/// own verifier of it (so they can sign in here offline from now on), and their token
/// becomes the device's. This is how sync resumes after a sign-in ended.
pub async fn sign_in_on_device<A: ChartAccess>(
    chart: &A,
    user: &str,
    password: &str,
    device_name: &str,
) -> Result<stride_protocol::LoginResponse, SyncError> {
    let (link, device_id, predecessor) = with(chart, |c| Ok((c.link()?, c.device_id().to_owned(), c.predecessor()?)))?;
    let link = link.ok_or_else(|| SyncError::Refused("this chart is not linked to a clinic server".into()))?;
    let client = Client::new(&link.server_url, None)?;
    let request = stride_protocol::LoginRequest {
        user: user.to_owned(),
        password: password.to_owned(),
        device_id,
        device_name: device_name.to_owned(),
        device_secret: link.device_secret.clone(),
        predecessor,
    };
    let answer = client.login(&request).await?;
    let fresh = stride_chart::sync::Link::from_login(&link.server_url, &answer);
    with(chart, |c| {
        c.set_link(&fresh)?;
        c.remember_password(&answer.user_id, password)
    })?;
    Ok(answer)
}

/// Renew the device's token when it expires within this many days.
const RENEW_WITHIN_DAYS: i64 = 7;
/// The most bytes of ops one push carries (the server takes several times more: a batch
/// this size never meets its limit, and a larger single op still goes alone).
const PUSH_BYTES: usize = 4 * 1024 * 1024;

/// Pushes every pending op, then pulls until caught up, then sends the audit trail.
///
/// It signs in with the device's current token, renewed first when it nears its
/// expiry; an expired or revoked token is [`SyncError::SignInNeeded`]. The audit trail
/// goes last, so a refusal of it never holds up anyone's changes.
pub async fn sync_once<A: ChartAccess>(chart: &A, client: &Client) -> Result<Summary, SyncError> {
    let result = match sync_steps(chart, client).await {
        // That person's sign-in ended (they left, or their password was reset): another
        // person's on this device carries on, if there is one.
        Err(SyncError::Unauthorized(_)) if adopt_another_sign_in(chart, client).await? => {
            sync_steps(chart, client).await
        }
        other => other,
    };
    result.map_err(|e| match e {
        SyncError::Unauthorized(_) => SyncError::SignInNeeded,
        other => other,
    })
}

async fn sync_steps<A: ChartAccess>(chart: &A, client: &Client) -> Result<Summary, SyncError> {
    let client = signed_in(chart, client).await?;
    let mut summary = Summary::default();
    push_all(chart, &client, &mut summary).await?;
    if pull_all(chart, &client, &mut summary).await? == Pulled::ServerRestored {
        // The server was restored from a backup: it may lack ops it once acknowledged.
        // Push those again (they are kept for weeks after acknowledgement), then take
        // the fresh snapshot.
        let status = client.status().await?;
        with(chart, |c| c.unacknowledge_after(status.last_seq))?;
        push_all(chart, &client, &mut summary).await?;
        pull_all(chart, &client, &mut summary).await?;
    }
    with(chart, |c| c.mark_synced())?;
    push_audit(chart, &client).await?;
    Ok(summary)
}

/// Tries the other people's sign-ins on this device, renewing the first the server still
/// accepts into the device's own; forgets those it refuses. Whether one was found.
async fn adopt_another_sign_in<A: ChartAccess>(chart: &A, client: &Client) -> Result<bool, SyncError> {
    for (user, token) in with(chart, |c| c.other_sign_ins())? {
        match client.with_token(token).renew().await {
            Ok(renewed) => {
                with(chart, |c| c.adopt_token(&user, &renewed.token, &renewed.expires_at))?;
                return Ok(true);
            }
            Err(SyncError::Unauthorized(_)) => with(chart, |c| c.forget_sign_in(&user))?,
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// The client under the device's current token, renewed first when it expires soon.
async fn signed_in<A: ChartAccess>(chart: &A, client: &Client) -> Result<Client, SyncError> {
    let link = with(chart, |c| c.link())?
        .ok_or_else(|| SyncError::Refused("this chart is not linked to a clinic server".into()))?;
    let client = client.with_token(link.token);
    let renew_by = chrono::Utc::now() + chrono::Duration::days(RENEW_WITHIN_DAYS);
    // A device without its secret (registered before there were any) renews at once: the
    // renewal hands it its secret.
    let due = link.device_secret.is_none()
        || chrono::DateTime::parse_from_rfc3339(&link.token_expires_at)
            .ok()
            .is_none_or(|at| at < renew_by);
    if !due {
        return Ok(client);
    }
    let renewed = client.renew().await?;
    with(chart, |c| {
        c.renew_token(&renewed.token, &renewed.expires_at)?;
        match &renewed.device_secret {
            Some(secret) => c.keep_device_secret(secret),
            None => Ok(()),
        }
    })?;
    Ok(client.with_token(renewed.token))
}

/// The ops of a batch that fit in `budget` bytes (always the first).
fn within_bytes(ops: Vec<PushOp>, budget: usize) -> (Vec<PushOp>, usize) {
    let mut total = 0;
    let mut kept = Vec::with_capacity(ops.len());
    for op in ops {
        let size = serde_json::to_vec(&op).map_or(0, |b| b.len());
        if !kept.is_empty() && total + size > budget {
            break;
        }
        total += size;
        kept.push(op);
    }
    (kept, total)
}

/// Pushes the device's ops in sequence, in batches capped by count and bytes. Ops go
/// under the device's own token whoever made them: the server accepts each from a
/// person who has signed in on this device, so one person's ended sign-in never holds
/// up the others' work.
async fn push_all<A: ChartAccess>(chart: &A, client: &Client, summary: &mut Summary) -> Result<(), SyncError> {
    let device_id = with(chart, |c| Ok(c.device_id().to_owned()))?;
    let mut from = None;
    let mut budget = PUSH_BYTES;
    loop {
        let ops = with(chart, |c| c.ops_to_push(from, MAX_PUSH_OPS))?;
        if ops.is_empty() {
            return Ok(());
        }
        let (ops, bytes) = within_bytes(ops, budget);
        let count = ops.len();
        let first_seq = ops[0].device_seq;
        // One change larger than the server takes: it goes as a placeholder, which the
        // server records as refused, so the changes after it are not held up for ever.
        if bytes > stride_protocol::MAX_REQUEST_BYTES / 2 {
            with(chart, |c| c.replace_oversized_op(first_seq, bytes))?;
            continue;
        }
        let response = match client.push(&device_id, ops).await {
            // The server is missing ops it once acknowledged (restored from a backup):
            // push again from where it is. Ops are never deleted, so they are all here.
            Err(SyncError::Gap { expected }) if from != Some(expected) => {
                from = Some(expected);
                continue;
            }
            // Too large for the server: split the batch, down to one op.
            Err(SyncError::TooLarge { .. }) if count > 1 => {
                budget = bytes / 2;
                continue;
            }
            Err(SyncError::TooLarge { .. }) => {
                with(chart, |c| c.replace_oversized_op(first_seq, bytes))?;
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

/// How a pull ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pulled {
    /// Caught up with the feed.
    CaughtUp,
    /// The feed has a new epoch: the server was restored. The pull position is reset, and
    /// nothing of the new epoch was applied yet.
    ServerRestored,
}

async fn pull_all<A: ChartAccess>(chart: &A, client: &Client, summary: &mut Summary) -> Result<Pulled, SyncError> {
    let start = with(chart, |c| c.pull_position())?;
    let mut next = Some(fetch(client, start));
    while let Some(page) = next.take() {
        let page = page
            .await
            .map_err(|e| SyncError::Protocol(format!("a pull was cut short: {e}")))??;
        // A server restored from a backup hands out feed positions again: the next pull
        // starts over from a snapshot of what it has now.
        if with(chart, |c| c.adopt_feed_epoch(page.epoch()))? {
            return Ok(Pulled::ServerRestored);
        }
        // Fetch the following page while this one is written.
        next = page.following().map(|p| fetch(client, p));
        let applied = with(chart, |c| match &page {
            Page::Snapshot { page, cursor } => c.apply_snapshot_page(&page.changes, page.next, *cursor),
            Page::Feed { page, .. } => c.apply_changes(&page.changes, page.cursor),
        })?;
        summary.pulled += applied.written;
        summary.skipped += applied.skipped;
    }
    Ok(Pulled::CaughtUp)
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
    /// The epoch of the feed the page came from.
    fn epoch(&self) -> &str {
        match self {
            Page::Snapshot { page, .. } => &page.epoch,
            Page::Feed { page } => &page.epoch,
        }
    }

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

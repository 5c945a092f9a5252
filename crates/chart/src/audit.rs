//! The audit trail: an append-only, hash-chained log of who did what to which record.
//!
//! Each event's hash is SHA-256 over the previous event's hash and this event's fields,
//! so changing or removing any row breaks the chain from there on. The newest sequence
//! number and hash are also kept in `meta`, so removing the newest rows is caught too.
//! Events carry ids only, never patient data.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

pub use stride_protocol::audit::AuditEvent;
use stride_protocol::audit::{ChainedEvent, GENESIS, event_hash};

/// Appends an event in the caller's transaction.
pub(crate) fn append(
    tx: &Connection,
    at: &str,
    user_id: Option<&str>,
    (action, entity, entity_id): (&str, &str, &str),
    detail: Option<&str>,
) -> Result<()> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (last_seq, prev) = last.unwrap_or((0, GENESIS.to_owned()));
    let event = AuditEvent {
        seq: last_seq + 1,
        at: at.to_owned(),
        user_id: user_id.map(str::to_owned),
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_owned(),
        detail: detail.map(str::to_owned),
    };
    let hash = event_hash(&prev, &event);
    tx.prepare_cached(
        "INSERT INTO audit_event (seq, at, user_id, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        event.seq,
        event.at,
        event.user_id,
        event.action,
        event.entity,
        event.entity_id,
        event.detail,
        prev,
        hash
    ])?;
    tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
    )?
    .execute([format!("{}:{}", event.seq, hash)])?;
    Ok(())
}

/// One way the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AuditProblem {
    /// Sequence numbers skip: rows were removed.
    Missing {
        /// The sequence number expected next.
        expected: i64,
        /// The one found.
        found: i64,
    },
    /// A row's stored previous hash is not the previous row's hash.
    BrokenLink {
        /// The row.
        seq: i64,
    },
    /// A row's content does not match its hash: it was changed.
    Altered {
        /// The row.
        seq: i64,
    },
    /// The newest rows were removed (the recorded head is past the last row).
    Truncated {
        /// The head recorded when the last event was written.
        recorded: String,
        /// The last row actually present.
        found: i64,
    },
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Events checked.
    pub events: i64,
    /// Problems found; empty when the chain verifies.
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// Whether the chain verified end to end.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Recomputes the whole chain.
pub fn verify(conn: &Connection) -> Result<AuditReport> {
    let mut stmt = conn.prepare(&format!("SELECT {CHAINED_COLUMNS} FROM audit_event ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    let (mut expected, mut prev, mut events) = (1i64, GENESIS.to_owned(), 0i64);
    let mut last_hash = GENESIS.to_owned();
    while let Some(r) = rows.next()? {
        let ChainedEvent {
            event: e,
            prev_hash: stored_prev,
            hash: stored_hash,
        } = chained_event(r)?;
        if e.seq != expected {
            problems.push(AuditProblem::Missing { expected, found: e.seq });
        }
        if stored_prev != prev {
            problems.push(AuditProblem::BrokenLink { seq: e.seq });
        }
        if event_hash(&stored_prev, &e) != stored_hash {
            problems.push(AuditProblem::Altered { seq: e.seq });
        }
        expected = e.seq + 1;
        prev = stored_hash.clone();
        last_hash = stored_hash;
        events += 1;
    }
    let head: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'audit_head'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    if let Some(head) = head
        && head != format!("{}:{}", expected - 1, last_hash)
    {
        problems.push(AuditProblem::Truncated {
            recorded: head,
            found: expected - 1,
        });
    }
    Ok(AuditReport { events, problems })
}

/// The columns [`chained_event`] reads, in its order.
const CHAINED_COLUMNS: &str = "seq, at, user_id, action, entity, entity_id, detail, prev_hash, hash";

/// An event row with its links, as selected by [`CHAINED_COLUMNS`].
fn chained_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChainedEvent> {
    Ok(ChainedEvent {
        event: AuditEvent {
            seq: r.get(0)?,
            at: r.get(1)?,
            user_id: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            detail: r.get(6)?,
        },
        prev_hash: r.get(7)?,
        hash: r.get(8)?,
    })
}

/// The chain after event `after`, at most `limit` events, for the server to verify.
pub fn chain_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<ChainedEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CHAINED_COLUMNS} FROM audit_event WHERE seq > ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit as i64], chained_event)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

//! The sync outbox of a linked chart: every change also records an intent-level
//! operation, numbered by a contiguous per-device sequence, in the same transaction as the
//! change itself. The sync worker pushes them in order; the numbering lets the server spot
//! a gap or a replay. Ops the server applied are pruned after [`KEEP_ACKED_DAYS`] (long
//! enough to push them again to a server restored from a recent backup); refused ones
//! stay, listed for a person.

use crate::error::Result;
use rusqlite::{Connection, params};
use serde::Serialize;

/// The version of the op payload formats written by this build.
pub const OP_VERSION: i64 = 1;

/// One queued operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxOp {
    /// Contiguous per-device sequence, from 1.
    pub device_seq: i64,
    /// Globally unique op id (UUID).
    pub op_id: String,
    /// What the op does, e.g. `patient.create`, `note.sign`.
    pub op_type: String,
    /// Payload format version.
    pub op_version: i64,
    /// The record it is about.
    pub entity_id: String,
    /// The op's data.
    pub payload: serde_json::Value,
    /// When it was recorded.
    pub created_at: String,
    /// When the server acknowledged it, if it has.
    pub acked_at: Option<String>,
}

/// Appends an op in the caller's transaction; returns its device sequence number.
pub(crate) fn append(
    tx: &Connection,
    at: &str,
    op_type: &str,
    entity_id: &str,
    payload: &serde_json::Value,
) -> Result<i64> {
    // Past the newest op, and past every acknowledged one even when pruned.
    let seq: i64 = tx
        .prepare_cached(
            "SELECT max(coalesce((SELECT max(device_seq) FROM outbox), 0),
                        coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_acked_through'), 0)) + 1",
        )?
        .query_row([], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO outbox (device_seq, op_id, op_type, op_version, entity_id, payload, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        seq,
        uuid::Uuid::now_v7().to_string(),
        op_type,
        OP_VERSION,
        entity_id,
        payload.to_string(),
        at
    ])?;
    Ok(seq)
}

/// How long an op the server applied is kept after it was acknowledged.
pub const KEEP_ACKED_DAYS: i64 = 30;

/// Deletes the ops the server applied that were acknowledged more than
/// [`KEEP_ACKED_DAYS`] before `now` (refused ones stay); returns how many.
pub(crate) fn prune(conn: &Connection, now: chrono::DateTime<chrono::Utc>) -> Result<usize> {
    let before = crate::chart::timestamp(now - chrono::Duration::days(KEEP_ACKED_DAYS));
    Ok(conn
        .prepare_cached(
            "DELETE FROM outbox WHERE acked_at IS NOT NULL AND acked_at < ?1
               AND coalesce(outcome, 'applied') <> 'rejected'
               AND device_seq <= coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_acked_through'), 0)",
        )?
        .execute([before])?)
}

/// How many ops are not yet acknowledged. The server acknowledges a device's ops in
/// sequence order, so this is the newest sequence number less the last acknowledged one
/// (`meta.outbox_acked_through`), two index lookups however long the outbox grows.
pub fn pending_count(conn: &Connection) -> Result<u64> {
    let pending: i64 = conn
        .prepare_cached(
            "SELECT coalesce((SELECT max(device_seq) FROM outbox), 0)
                  - coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_acked_through'), 0)",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(pending).unwrap_or(0))
}

/// The columns [`outbox_op`] reads, in its order.
const COLUMNS: &str = "device_seq, op_id, op_type, op_version, entity_id, payload, created_at, acked_at";

fn outbox_op(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxOp> {
    let payload: String = r.get(5)?;
    Ok(OutboxOp {
        device_seq: r.get(0)?,
        op_id: r.get(1)?,
        op_type: r.get(2)?,
        op_version: r.get(3)?,
        entity_id: r.get(4)?,
        // Written by this code as JSON in the op's own transaction: unreadable only if the
        // file was damaged, which must stop a push rather than send nothing in its place.
        payload: serde_json::from_str(&payload)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e)))?,
        created_at: r.get(6)?,
        acked_at: r.get(7)?,
    })
}

/// Ops not yet acknowledged, oldest first.
pub fn pending(conn: &Connection) -> Result<Vec<OutboxOp>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE acked_at IS NULL ORDER BY device_seq"
    ))?;
    let rows = stmt.query_map([], outbox_op)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

/// Ops after sequence `after`, oldest first, at most `limit`.
pub fn after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<OutboxOp>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM outbox WHERE device_seq > ?1 ORDER BY device_seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after, limit as i64], outbox_op)?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

//! `POST /v1/sync/audit`: each device's audit chain, verified link by link (sequence,
//! previous hash, recomputed hash, and who each event names: only people who signed in
//! to the server on that device) before it is kept. A break is refused loudly and
//! nothing of the batch after it is kept.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::State;
use stride_protocol::audit::event_hash;
use stride_protocol::{AuditAck, AuditPush};

/// The most events one request may carry.
const MAX_EVENTS: usize = 5000;

/// Verifies and keeps a run of the caller's audit chain.
pub async fn push_audit(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<AuditPush>,
) -> ApiResult<Json<AuditAck>> {
    if req.device_id != caller.device_id.to_string() {
        return Err(ApiError::Forbidden("a device may send only its own audit trail".into()));
    }
    if req.events.len() > MAX_EVENTS {
        return Err(ApiError::Invalid(format!(
            "send at most {MAX_EVENTS} audit events at a time"
        )));
    }
    let mut db = state.pool.get().await?;
    let tx = db.transaction().await?;
    let head = tx
        .query_one(
            "SELECT audit_seq, audit_hash FROM device WHERE id = $1 FOR UPDATE",
            &[&caller.device_id],
        )
        .await?;
    let (mut seq, mut hash): (i64, String) = (head.get(0), head.get(1));
    // Who may appear in this device's trail: the people who signed in to the server on it,
    // or on the devices it succeeded (a chart restored from its own backup).
    let people: Vec<String> = tx
        .query(
            "WITH RECURSIVE line(id) AS (
                 SELECT $1::uuid
                 UNION SELECT d.predecessor FROM device d JOIN line ON d.id = line.id WHERE d.predecessor IS NOT NULL
             )
             SELECT DISTINCT t.user_id::text FROM device_token t JOIN line ON t.device_id = line.id",
            &[&caller.device_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for e in &req.events {
        let ev = &e.event;
        if ev.seq <= seq {
            let stored: Option<String> = tx
                .query_opt(
                    "SELECT hash FROM device_audit WHERE device_id = $1 AND seq = $2",
                    &[&caller.device_id, &ev.seq],
                )
                .await?
                .map(|r| r.get(0));
            if stored.as_deref() != Some(e.hash.as_str()) {
                tracing::warn!(device = %caller.device_id, seq = ev.seq, "audit event replayed with another hash");
                return Err(ApiError::Invalid(format!(
                    "audit event {} differs from the one already kept",
                    ev.seq
                )));
            }
            continue;
        }
        if ev.seq != seq + 1 {
            return Err(ApiError::Gap {
                expected: seq + 1,
                got: ev.seq,
            });
        }
        if e.prev_hash != hash || event_hash(&e.prev_hash, ev) != e.hash {
            tracing::warn!(device = %caller.device_id, seq = ev.seq, "broken audit chain");
            return Err(ApiError::Invalid(format!(
                "this device's audit trail is broken at event {}: it was changed after it was written",
                ev.seq
            )));
        }
        if let Some(user) = ev.user_id.as_deref().filter(|u| !people.iter().any(|p| p == u)) {
            tracing::warn!(device = %caller.device_id, seq = ev.seq, "audit event names someone who never signed in on the device");
            return Err(ApiError::Invalid(format!(
                "audit event {} names {user}, who has never signed in on this device: the trail is refused",
                ev.seq
            )));
        }
        tx.execute(
            "INSERT INTO device_audit (device_id, seq, at, user_id, action, entity, entity_id, detail, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &caller.device_id,
                &ev.seq,
                &ev.at,
                &ev.user_id,
                &ev.action,
                &ev.entity,
                &ev.entity_id,
                &ev.detail,
                &e.prev_hash,
                &e.hash,
            ],
        )
        .await?;
        (seq, hash) = (ev.seq, e.hash.clone());
    }
    tx.execute(
        "UPDATE device SET audit_seq = $2, audit_hash = $3 WHERE id = $1",
        &[&caller.device_id, &seq, &hash],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(AuditAck { through: seq }))
}

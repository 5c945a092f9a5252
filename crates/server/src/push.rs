//! `POST /v1/sync/push`: ops from one device, each processed exactly once, in its
//! device's sequence, with a recorded outcome.

use crate::AppState;
use crate::auth::{Caller, may_push};
use crate::error::{ApiError, ApiResult};
use crate::feed;
use axum::Json;
use axum::extract::State;
use deadpool_postgres::Transaction;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use stride_protocol::{
    FieldConflict, Image, MAX_PUSH_OPS, OpPayload, OpResult, Outcome, PushOp, PushRequest, PushResponse,
};
use uuid::Uuid;

/// The op payload version this server understands.
const KNOWN_OP_VERSION: i64 = 1;

/// Ops committed together: one durable commit per this many ops, while the clinic's
/// sequencer (and so every other writer of the clinic) waits no longer than a few
/// milliseconds.
const OPS_PER_TRANSACTION: usize = 50;

/// Processes a batch of ops in order, a few dozen per transaction; stops at the first that
/// cannot be processed in order.
pub async fn push(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    if req.device_id != caller.device_id.to_string() {
        return Err(ApiError::Forbidden("a device may push only its own ops".into()));
    }
    if req.ops.len() > MAX_PUSH_OPS {
        return Err(ApiError::Invalid(format!("push at most {MAX_PUSH_OPS} ops at a time")));
    }
    let mut results = Vec::with_capacity(req.ops.len());
    let mut db = state.pool.get().await?;
    for chunk in req.ops.chunks(OPS_PER_TRANSACTION) {
        let tx = db.transaction().await?;
        for op in chunk {
            match process(&tx, &caller, op).await {
                Ok(result) => results.push(result),
                Err(e) => {
                    // Keep the ops before this one (after a database error the
                    // transaction is void and keeps nothing); the device pushes again
                    // from its first unanswered op.
                    tx.commit().await?;
                    return Err(e);
                }
            }
        }
        tx.commit().await?;
    }
    let next_seq: i64 = db
        .query_one("SELECT last_seq + 1 FROM device WHERE id = $1", &[&caller.device_id])
        .await?
        .get(0);
    Ok(Json(PushResponse { results, next_seq }))
}

/// A stable hash of everything the op says, to tell a replay from a collision.
fn op_hash(op: &PushOp) -> Vec<u8> {
    // serde_json's maps are sorted, so equal ops serialize equally.
    let canonical = json!({
        "op_id": op.op_id, "op_type": op.op_type, "op_version": op.op_version,
        "entity_id": op.entity_id, "payload": op.payload, "created_at": op.created_at,
    });
    Sha256::digest(canonical.to_string().as_bytes()).to_vec()
}

async fn process(tx: &Transaction<'_>, caller: &Caller, op: &PushOp) -> ApiResult<OpResult> {
    let op_id = Uuid::parse_str(&op.op_id)
        .map_err(|_| ApiError::Invalid(format!("op {}: its id is not a UUID", op.device_seq)))?;
    let last_seq: i64 = tx
        .query_one(
            &crate::db::cached(tx, "SELECT last_seq FROM device WHERE id = $1 FOR UPDATE").await?,
            &[&caller.device_id],
        )
        .await?
        .get(0);
    let hash = op_hash(op);
    if op.device_seq <= last_seq {
        let stored = tx
            .query_opt(
                &crate::db::cached(
                    tx,
                    "SELECT payload_hash, outcome, reason FROM op_archive WHERE device_id = $1 AND device_seq = $2",
                )
                .await?,
                &[&caller.device_id, &op.device_seq],
            )
            .await?;
        let Some(stored) = stored.filter(|r| r.get::<_, Vec<u8>>(0) == hash) else {
            tracing::warn!(device = %caller.device_id, seq = op.device_seq, "replayed op with different content");
            return Err(ApiError::ReplayMismatch { seq: op.device_seq });
        };
        let earlier: String = stored.get(1);
        let first_outcome = match earlier.as_str() {
            "conflict" => Outcome::Conflict,
            "rejected" => Outcome::Rejected,
            _ => Outcome::Applied,
        };
        return Ok(OpResult {
            device_seq: op.device_seq,
            op_id: op.op_id.clone(),
            outcome: Outcome::Duplicate,
            reason: stored.get(2),
            first_outcome: Some(first_outcome),
        });
    }
    if op.device_seq != last_seq + 1 {
        return Err(ApiError::Gap {
            expected: last_seq + 1,
            got: op.device_seq,
        });
    }
    let (outcome, reason) = apply(tx, caller, op, op_id).await?;
    tx.execute(
        &crate::db::cached(
            tx,
            "INSERT INTO op_archive (op_id, clinic_id, device_id, device_seq, op_type, op_version, entity_id, payload,
            payload_hash, created_at, outcome, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .await?,
        &[
            &op_id,
            &caller.clinic_id,
            &caller.device_id,
            &op.device_seq,
            &op.op_type,
            &(op.op_version as i32),
            &op.entity_id,
            &op.payload,
            &hash,
            &op.created_at,
            &outcome.as_str(),
            &reason,
        ],
    )
    .await
    .map_err(|e| match e.code() {
        Some(c) if *c == tokio_postgres::error::SqlState::UNIQUE_VIOLATION => {
            ApiError::Invalid(format!("op {}: its id was already used by another op", op.device_seq))
        }
        _ => ApiError::Database(e),
    })?;
    tx.execute(
        &crate::db::cached(tx, "UPDATE device SET last_seq = $2 WHERE id = $1").await?,
        &[&caller.device_id, &op.device_seq],
    )
    .await?;
    Ok(OpResult {
        device_seq: op.device_seq,
        op_id: op.op_id.clone(),
        outcome,
        reason,
        first_outcome: None,
    })
}

/// What applying an op decided.
type Decision = (Outcome, Option<String>);

fn rejected(why: impl Into<String>) -> Decision {
    (Outcome::Rejected, Some(why.into()))
}

/// Applies one op's effect on the clinic's records. Refusals are outcomes, not errors: the
/// op is archived either way and the device shows the reason.
async fn apply(tx: &Transaction<'_>, caller: &Caller, op: &PushOp, op_id: Uuid) -> ApiResult<Decision> {
    let Some(entity) = stride_protocol::kinds::kind_for_op(&op.op_type) else {
        return Ok(rejected(format!(
            "kept, not applied: this server does not know {} ops (the app is newer than the server)",
            op.op_type
        )));
    };
    if op.op_version != KNOWN_OP_VERSION {
        return Ok(rejected(format!(
            "kept, not applied: this server does not know version {} of {} ops",
            op.op_version, op.op_type
        )));
    }
    let Ok(payload) = serde_json::from_value::<OpPayload>(op.payload.clone()) else {
        return Ok(rejected("the op's content is not in the expected form"));
    };
    if payload.entity != entity || payload.image.get("id").and_then(Value::as_str) != Some(op.entity_id.as_str()) {
        return Ok(rejected("the op's record does not match its id"));
    }
    let actor = match payload.actor.as_deref().map(Uuid::parse_str) {
        Some(Ok(a)) => a,
        Some(Err(_)) => return Ok(rejected("the op names an unknown user")),
        None => caller.user_id,
    };
    if actor != caller.user_id {
        // Checked before anything is stored, and not an outcome: the op stays pending on
        // the device until it is pushed with its author's own sign-in.
        return Err(ApiError::Forbidden(
            "this change was made by another user: it is accepted only with that user's own sign-in".into(),
        ));
    }
    let roles: Option<Vec<String>> = tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT roles FROM app_user WHERE id = $1 AND clinic_id = $2 AND active",
            )
            .await?,
            &[&actor, &caller.clinic_id],
        )
        .await?
        .map(|r| r.get(0));
    let Some(roles) = roles else {
        return Ok(rejected("the op's user is not an active user of this clinic"));
    };
    if let Err(why) = may_push(&op.op_type, &roles) {
        return Ok(rejected(why));
    }

    let clinic = caller.clinic_id;
    if let Some(why) = taken_mrn(tx, clinic, entity, &op.entity_id, &payload.image).await? {
        return Ok(rejected(why));
    }
    let current = feed::current(tx, clinic, entity, &op.entity_id).await?;
    if op.op_type == "remittance.import"
        && current.is_none()
        && let Some(why) = crate::claims::duplicate_payment(tx, clinic, &payload.image).await?
    {
        return Ok(rejected(why));
    }
    let base = match payload.prev_op {
        Some(prev) => tx
            .query_opt(
                &crate::db::cached(
                    tx,
                    "SELECT payload->'image' FROM op_archive WHERE device_id = $1 AND device_seq = $2",
                )
                .await?,
                &[&caller.device_id, &prev],
            )
            .await?
            .and_then(|r| feed::as_image(r.get(0))),
        None if payload.base_seq > 0 => feed::as_of(tx, clinic, entity, &op.entity_id, payload.base_seq).await?,
        None => None,
    }
    .unwrap_or_default();
    if entity == "claim"
        && let Some(why) = crate::claims::refused(&op.op_type, current.as_ref(), &base, &payload)
    {
        return Ok(rejected(why));
    }
    let mine = &payload.image;
    let issue = |kind: &str, field: Option<&str>, kept: Option<&Value>, other: Option<&Value>, reason: &str| Issue {
        kind: kind.to_owned(),
        field: field.map(str::to_owned),
        kept: kept.cloned(),
        other: other.cloned(),
        reason: reason.to_owned(),
    };

    let signed = |img: &Image| entity == "note" && img.get("signed_at").is_some_and(|v| !v.is_null());
    let mut issues = Vec::new();
    let (image, decision) = match (&current, op.op_type.as_str()) {
        (Some(theirs), "note.cosign") => {
            if !signed(theirs) {
                return Ok(rejected("only a signed note can be co-signed"));
            }
            let mut image = theirs.clone();
            for f in ["cosigned_by", "cosigned_at"] {
                image.insert(f.into(), mine.get(f).cloned().unwrap_or(Value::Null));
            }
            (image, (Outcome::Applied, None))
        }
        (Some(theirs), _) if signed(theirs) => {
            let why = "the note was already signed (on another device) when this change reached the server; \
                       the change is kept for an addendum";
            issues.push(issue(
                "unincorporated",
                None,
                None,
                Some(&Value::Object(mine.clone())),
                why,
            ));
            write_issues(tx, caller, op, op_id, actor, entity, &issues).await?;
            return Ok(rejected(why));
        }
        (theirs, "note.sign") => {
            if roles.iter().all(|r| r != "pt") && mine.get("cosign_required") != Some(&Value::from(1)) {
                return Ok(rejected("a PTA's signature needs a PT's co-signature"));
            }
            // The signature fixes the note as signed; others' changes it did not include are
            // kept, field by field, as addendum material.
            if let Some(theirs) = theirs {
                for (field, value) in theirs {
                    if base.get(field) != Some(value) && mine.get(field) != Some(value) && field != "updated_at" {
                        issues.push(issue(
                            "unincorporated",
                            Some(field),
                            mine.get(field),
                            Some(value),
                            "changed on another device but not included in the signed note",
                        ));
                    }
                }
            }
            (mine.clone(), (Outcome::Applied, None))
        }
        (None, _) => (mine.clone(), (Outcome::Applied, None)),
        (Some(theirs), _) => {
            let merged = stride_protocol::merge(&base, mine, theirs);
            for FieldConflict { field, kept, other } in &merged.conflicts {
                issues.push(issue(
                    "conflict",
                    Some(field),
                    kept.as_ref(),
                    other.as_ref(),
                    "changed differently on two devices: both versions are kept; choose one",
                ));
            }
            let decision = if merged.conflicts.is_empty() {
                (Outcome::Applied, None)
            } else {
                let fields: Vec<&str> = merged.conflicts.iter().map(|c| c.field.as_str()).collect();
                (
                    Outcome::Conflict,
                    Some(format!("changed differently on another device: {}", fields.join(", "))),
                )
            };
            (merged.image, decision)
        }
    };
    // A conflict republishes the record even when nothing changed, so that the device
    // that sent the losing value pulls the kept one.
    if current.as_ref() != Some(&image) || !issues.is_empty() {
        feed::publish(tx, clinic, entity, &op.entity_id, &image, Some(op_id)).await?;
    }
    if op.op_type == "remittance.import" && current.is_none() {
        crate::claims::post_remittance(tx, clinic, &image, op_id).await?;
    }
    write_issues(tx, caller, op, op_id, actor, entity, &issues).await?;
    Ok(decision)
}

/// A patient's MRN must be the clinic's only one: devices make up MRNs with their own
/// prefix, but a typed one can clash.
async fn taken_mrn(
    tx: &Transaction<'_>,
    clinic: Uuid,
    entity: &str,
    id: &str,
    image: &Image,
) -> ApiResult<Option<String>> {
    let Some(mrn) = image.get("mrn").and_then(Value::as_str).filter(|_| entity == "patient") else {
        return Ok(None);
    };
    let other = tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT 1 FROM record WHERE clinic_id = $1 AND entity = 'patient' AND image->>'mrn' = $2 AND id <> $3",
            )
            .await?,
            &[&clinic, &mrn, &id],
        )
        .await?;
    Ok(other.map(|_| format!("MRN {mrn} already belongs to another patient: give this patient another MRN")))
}

/// Something a person must settle, recorded as a `sync_issue` record.
struct Issue {
    kind: String,
    field: Option<String>,
    kept: Option<Value>,
    other: Option<Value>,
    reason: String,
}

async fn write_issues(
    tx: &Transaction<'_>,
    caller: &Caller,
    op: &PushOp,
    op_id: Uuid,
    actor: Uuid,
    entity: &str,
    issues: &[Issue],
) -> ApiResult<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    for (n, issue) in issues.iter().enumerate() {
        let id = format!("{}:{}", op.op_id, n + 1);
        let image = json!({
            "id": id, "kind": issue.kind, "entity": entity, "entity_id": op.entity_id,
            "field": issue.field,
            "kept": issue.kept.as_ref().map(Value::to_string),
            "other": issue.other.as_ref().map(Value::to_string),
            "device_id": caller.device_id.to_string(), "user_id": actor.to_string(), "op_id": op.op_id,
            "reason": issue.reason, "created_at": now, "resolved_at": null, "resolved_by": null,
        });
        let image = feed::as_image(image).unwrap_or_default();
        feed::publish(tx, caller.clinic_id, "sync_issue", &id, &image, Some(op_id)).await?;
    }
    Ok(())
}

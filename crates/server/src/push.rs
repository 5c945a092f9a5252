//! `POST /v1/sync/push`: ops from one device, each processed exactly once, in its
//! device's sequence, with a recorded outcome.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::feed;
use axum::Json;
use axum::extract::State;
use deadpool_postgres::Transaction;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use stride_protocol::{
    FieldConflict, Image, MAX_PUSH_OPS, OpPayload, OpResult, Outcome, PushOp, PushRequest, PushResponse, policy,
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
    let mut batch = Batch::default();
    let mut db = state.pool.get().await?;
    for chunk in req.ops.chunks(OPS_PER_TRANSACTION) {
        let mut tx = db.transaction().await?;
        // The clinic's sequencer first, as sign-in takes it, then the device's row: one
        // lock order everywhere, so two writers never wait on each other in a circle.
        tx.execute(
            &crate::db::cached(&tx, "SELECT 1 FROM clinic_seq WHERE clinic_id = $1 FOR UPDATE").await?,
            &[&caller.clinic_id],
        )
        .await?;
        for op in chunk {
            match process(&mut tx, &caller, op, &mut batch).await {
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

async fn process(tx: &mut Transaction<'_>, caller: &Caller, op: &PushOp, batch: &mut Batch) -> ApiResult<OpResult> {
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
    // An op PostgreSQL could not even archive (a NUL character, an id longer than any
    // record's) or whose id another op already holds is refused on its own, with what can
    // be kept of it, so the device's sequence goes on.
    let unstorable = unstorable(op);
    let reused = exists(tx, "SELECT 1 FROM op_archive WHERE op_id = $1", &[&op_id]).await?;
    let (outcome, reason) = match (&unstorable, reused) {
        (Some(why), _) => rejected(why.clone()),
        (None, true) => rejected("this change's id was already used by another change: it was not applied"),
        (None, false) => apply_in_savepoint(tx, caller, op, op_id, batch).await?,
    };
    let archived_id = if reused { Uuid::now_v7() } else { op_id };
    let (op_type, entity_id, created_at, payload) = match unstorable {
        Some(_) => (
            storable(&op.op_type),
            storable(&op.entity_id),
            storable(&op.created_at),
            json!({ "unstorable": true }),
        ),
        None => (
            op.op_type.clone(),
            op.entity_id.clone(),
            op.created_at.clone(),
            op.payload.clone(),
        ),
    };
    tx.execute(
        &crate::db::cached(
            tx,
            "INSERT INTO op_archive (op_id, clinic_id, device_id, device_seq, op_type, op_version, entity_id, payload,
            payload_hash, created_at, outcome, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .await?,
        &[
            &archived_id,
            &caller.clinic_id,
            &caller.device_id,
            &op.device_seq,
            &op_type,
            &(op.op_version as i32),
            &entity_id,
            &payload,
            &hash,
            &created_at,
            &outcome.as_str(),
            &reason,
        ],
    )
    .await?;
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

/// The longest op type, record id or timestamp an op may carry.
const MAX_OP_TEXT: usize = 200;

/// Why an op cannot be stored as sent, if it cannot: PostgreSQL refuses NUL characters in
/// text and JSON, and an over-long id is nobody's.
fn unstorable(op: &PushOp) -> Option<String> {
    fn has_nul(v: &Value) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(items) => items.iter().any(has_nul),
            Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    let texts = [&op.op_type, &op.entity_id, &op.created_at];
    if texts.iter().any(|t| t.chars().count() > MAX_OP_TEXT) {
        return Some("the change's type, record id or time is too long to be one".into());
    }
    (texts.iter().any(|t| t.contains('\0')) || has_nul(&op.payload))
        .then(|| "the change holds a NUL character, which the clinic server cannot store: retype the text".into())
}

/// Text made storable: NUL characters dropped, at most [`MAX_OP_TEXT`] characters kept.
fn storable(text: &str) -> String {
    text.chars().filter(|c| *c != '\0').take(MAX_OP_TEXT).collect()
}

/// What applying an op decided.
type Decision = (Outcome, Option<String>);

fn rejected(why: impl Into<String>) -> Decision {
    (Outcome::Rejected, Some(why.into()))
}

/// Applies one op inside a savepoint of its own: an op the database refuses (a trigger, a
/// unique key, a check) becomes a recorded rejection with nothing of it kept, and the
/// rest of the batch goes on. Only a failure of the database itself (a lost connection,
/// a serialization failure) ends the request, to be retried.
async fn apply_in_savepoint(
    tx: &mut Transaction<'_>,
    caller: &Caller,
    op: &PushOp,
    op_id: Uuid,
    batch: &mut Batch,
) -> ApiResult<Decision> {
    let savepoint = tx.savepoint("op").await?;
    match apply(&savepoint, caller, op, op_id, &mut batch.authors).await {
        Ok(decision) => {
            savepoint.commit().await?;
            // A placeholder for a change too large to send leaves the device's own version
            // where it is: that is where the change is kept.
            if decision.0 == Outcome::Rejected && op.payload.get("too_large").is_none() {
                republish_current(tx, caller.clinic_id, op, op_id, &mut batch.republished).await?;
            }
            Ok(decision)
        }
        Err(ApiError::Database(e)) if refusal_of(&e).is_some() => {
            savepoint.rollback().await?;
            let why = refusal_of(&e).unwrap_or_default();
            tracing::info!(device = %caller.device_id, seq = op.device_seq, sqlstate = %e.code().map(|c| c.code()).unwrap_or_default(), "op refused by the database");
            republish_current(tx, caller.clinic_id, op, op_id, &mut batch.republished).await?;
            Ok(rejected(why))
        }
        Err(e) => Err(e),
    }
}

/// Words for an error the database raised because of what an op carries, as opposed to
/// a failure of the database itself.
fn refusal_of(e: &tokio_postgres::Error) -> Option<&'static str> {
    use tokio_postgres::error::SqlState;
    let code = e.code()?;
    Some(if *code == SqlState::UNIQUE_VIOLATION {
        "another record already holds one of this record's unique values (an MRN or a claim number)"
    } else if *code == SqlState::RAISE_EXCEPTION {
        "the clinic's records refuse this change (a signed note, or a record that cannot change any more)"
    } else if ["23", "22", "54"].iter().any(|class| code.code().starts_with(class)) {
        "the clinic server could not store this change as it is"
    } else {
        return None;
    })
}

/// The roles of an op's author, if they may author this device's changes (see `apply`).
async fn author_roles(tx: &Transaction<'_>, caller: &Caller, actor: Uuid) -> ApiResult<Option<Vec<String>>> {
    Ok(tx
        .query_opt(
            &crate::db::cached(
                tx,
                "SELECT u.roles FROM app_user u WHERE u.id = $1 AND u.clinic_id = $2 AND u.active
                   AND (EXISTS (SELECT 1 FROM device_token t
                                WHERE t.device_id = $3 AND t.user_id = u.id AND t.revoked_at IS NULL)
                        OR EXISTS (WITH RECURSIVE line(id) AS (
                                       SELECT predecessor FROM device WHERE id = $3 AND predecessor IS NOT NULL
                                       UNION SELECT d.predecessor FROM device d JOIN line ON d.id = line.id
                                             WHERE d.predecessor IS NOT NULL)
                                   SELECT 1 FROM device_token t JOIN line ON t.device_id = line.id
                                   WHERE t.user_id = u.id))",
            )
            .await?,
            &[&actor, &caller.clinic_id, &caller.device_id],
        )
        .await?
        .map(|r| r.get(0)))
}

/// What one push request remembers from op to op.
#[derive(Default)]
struct Batch {
    /// Records already republished after a refusal.
    republished: HashSet<String>,
    /// Each author's roles, when they may author this device's changes (asked once).
    authors: HashMap<Uuid, Option<Vec<String>>>,
}

/// Publishes the record's current version again after an op on it was refused, so the
/// device that held the version back while its op was pending fetches it now; once per
/// record per request, however many of its ops were refused.
async fn republish_current(
    tx: &Transaction<'_>,
    clinic: Uuid,
    op: &PushOp,
    op_id: Uuid,
    republished: &mut HashSet<String>,
) -> ApiResult<()> {
    let Some(entity) = stride_protocol::kinds::kind_for_op(&op.op_type) else {
        return Ok(());
    };
    if !republished.insert(format!("{entity}/{}", op.entity_id)) {
        return Ok(());
    }
    if let Some(current) = feed::current(tx, clinic, entity, &op.entity_id).await? {
        feed::publish(tx, clinic, entity, &op.entity_id, &current, Some(op_id)).await?;
    }
    Ok(())
}

/// Applies one op's effect on the clinic's records. Refusals are outcomes, not errors: the
/// op is archived either way and the device shows the reason.
async fn apply(
    tx: &Transaction<'_>,
    caller: &Caller,
    op: &PushOp,
    op_id: Uuid,
    authors: &mut HashMap<Uuid, Option<Vec<String>>>,
) -> ApiResult<Decision> {
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
    if let Some(bytes) = op.payload.get("too_large").and_then(Value::as_u64) {
        return Ok(rejected(format!(
            "this change was too large to send ({} MB): it is kept on the device that made it",
            bytes / 1_000_000
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
    // The author must be an active user of the clinic who has signed in to the server on
    // this device (their change was made there, signed in offline with what that sign-in
    // left on the device), by a sign-in that merely expired, not one an administrator ended
    // (a password reset, a revoked device); or on a device this one succeeded (a chart
    // restored from its own backup).
    let roles = match authors.get(&actor) {
        Some(known) => known.clone(),
        None => {
            let roles = author_roles(tx, caller, actor).await?;
            authors.insert(actor, roles.clone());
            roles
        }
    };
    let Some(roles) = roles else {
        return Ok(rejected(
            "the change's author is not an active user of this clinic who has signed in on this device",
        ));
    };

    let clinic = caller.clinic_id;

    let current = feed::current(tx, clinic, entity, &op.entity_id).await?;
    let base = match payload.prev_op {
        Some(prev) => tx
            .query_opt(
                &crate::db::cached(
                    tx,
                    // Only this device's own earlier change to the same record, and one the
                    // server took: a refused op's image is nobody's version.
                    "SELECT payload->'image' FROM op_archive WHERE device_id = $1 AND device_seq = $2
                       AND entity_id = $3 AND outcome <> 'rejected'",
                )
                .await?,
                &[&caller.device_id, &prev, &op.entity_id],
            )
            .await?
            .and_then(|r| feed::as_image(r.get(0))),
        // A base from before a restore of this server names a position the restored feed
        // may have handed out again: the change is merged as if its base were unknown.
        None if payload.base_seq > 0 && same_epoch(tx, clinic, payload.base_epoch.as_deref()).await? => {
            feed::as_of(tx, clinic, entity, &op.entity_id, payload.base_seq).await?
        }
        None => None,
    }
    .unwrap_or_default();
    let actor_id = actor.to_string();
    let request = policy::Request {
        op_type: &op.op_type,
        roles: &roles,
        actor: &actor_id,
        current: current.as_ref(),
        base: &base,
        image: &payload.image,
    };
    if let Err(why) = policy::decide(&request) {
        return Ok(rejected(why));
    }
    if let Some(why) = owned_elsewhere(tx, clinic, entity, &op.entity_id, &payload.image).await? {
        return Ok(rejected(why));
    }
    if let Some(why) = dangling_reference(tx, clinic, current.as_ref(), &payload.image).await? {
        return Ok(rejected(why));
    }
    if entity == "note"
        && let Some(why) = goal_outside_episode(tx, clinic, current.as_ref(), &payload.image).await?
    {
        return Ok(rejected(why));
    }
    if let Some(why) = taken_mrn(tx, clinic, entity, &op.entity_id, &payload.image).await? {
        return Ok(rejected(why));
    }
    if op.op_type == "remittance.import"
        && let Some(why) = crate::claims::duplicate_payment(tx, clinic, &payload.image).await?
    {
        return Ok(rejected(why));
    }
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
    match (op.op_type.as_str(), &current) {
        ("remittance.import", _) => crate::claims::post_remittance(tx, clinic, &image, op_id).await?,
        ("denial.update", Some(before)) => crate::claims::write_off(tx, clinic, before, &image, op_id).await?,
        _ => {}
    }
    write_issues(tx, caller, op, op_id, actor, entity, &issues).await?;
    Ok(decision)
}

/// Whether an op's base belongs to the feed's current epoch (an op that names none is
/// from an app that predates epochs, and is trusted as before).
async fn same_epoch(tx: &Transaction<'_>, clinic: Uuid, base_epoch: Option<&str>) -> ApiResult<bool> {
    let Some(base_epoch) = base_epoch else {
        return Ok(true);
    };
    let current: String = tx
        .query_one(
            &crate::db::cached(tx, "SELECT epoch::text FROM clinic_seq WHERE clinic_id = $1").await?,
            &[&clinic],
        )
        .await?
        .get(0);
    Ok(current == base_epoch)
}

/// Why an op is refused for pointing nowhere, if it is: each reference it sets (or
/// changes) must name a record of the right kind in the clinic.
async fn dangling_reference(
    tx: &Transaction<'_>,
    clinic: Uuid,
    current: Option<&Image>,
    image: &Image,
) -> ApiResult<Option<String>> {
    for (field, value) in image {
        let Some(kinds) = stride_protocol::kinds::referenced_kinds(field) else {
            continue;
        };
        if value.is_null() || current.and_then(|c| c.get(field)) == Some(value) {
            continue;
        }
        let Some(id) = value.as_str() else {
            return Ok(Some(format!("{field} is not a record's id")));
        };
        let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
        let found = exists(
            tx,
            "SELECT 1 FROM record WHERE clinic_id = $1 AND entity = ANY($2) AND id = $3",
            &[&clinic, &kinds, &id],
        )
        .await?;
        if !found {
            return Ok(Some(format!(
                "{field} names a record the clinic does not have (it may have been refused): this change is kept, not applied"
            )));
        }
    }
    Ok(None)
}

/// Why a note's goal assessments are refused, if they are: each must assess a goal of a
/// plan of care of the note's own episode. A chart only offers those; a row naming any
/// other goal (another patient's, or one the clinic does not have) would put words about
/// it in this patient's note. Rows the server already holds unchanged are not asked
/// again, so a later change to a plan never wedges an edit of the note.
async fn goal_outside_episode(
    tx: &Transaction<'_>,
    clinic: Uuid,
    current: Option<&Image>,
    image: &Image,
) -> ApiResult<Option<String>> {
    let episode = image.get("episode_id").and_then(Value::as_str).unwrap_or_default();
    for (field, row) in image {
        let Some(goal_id) = field.strip_prefix("note_goal/") else {
            continue;
        };
        if current.and_then(|c| c.get(field)) == Some(row) {
            continue;
        }
        let in_plan = exists(
            tx,
            "SELECT 1 FROM record WHERE clinic_id = $1 AND entity = 'plan_of_care'
               AND image->>'episode_id' = $2 AND image ? $3",
            &[&clinic, &episode, &format!("goal/{goal_id}")],
        )
        .await?;
        if !in_plan {
            return Ok(Some(format!(
                "{field} assesses a goal that is not in a plan of care of this note's episode"
            )));
        }
    }
    Ok(None)
}

/// Why an op's owned rows are refused, if they are: a row with its own id (a plan's goal)
/// that another record already owns cannot be moved under this one.
async fn owned_elsewhere(
    tx: &Transaction<'_>,
    clinic: Uuid,
    entity: &str,
    id: &str,
    image: &Image,
) -> ApiResult<Option<String>> {
    let Some(kind) = stride_protocol::kinds::kind_named(entity) else {
        return Ok(None);
    };
    for field in image.keys() {
        if kind.owned_rows_of(field).is_some_and(|rows| rows.key == ["id"]) {
            let other = exists(
                tx,
                "SELECT 1 FROM record WHERE clinic_id = $1 AND entity = $2 AND id <> $3 AND image ? $4",
                &[&clinic, &entity, &id, &field],
            )
            .await?;
            if other {
                return Ok(Some(format!(
                    "{field} belongs to another {entity}: an owned row cannot move"
                )));
            }
        }
    }
    Ok(None)
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
    let other = exists(
        tx,
        "SELECT 1 FROM record WHERE clinic_id = $1 AND entity = 'patient' AND image->>'mrn' = $2 AND id <> $3",
        &[&clinic, &mrn, &id],
    )
    .await?;
    Ok(other.then(|| format!("MRN {mrn} already belongs to another patient: give this patient another MRN")))
}

/// Whether a query (through the connection's statement cache) finds a row.
async fn exists(
    tx: &Transaction<'_>,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> ApiResult<bool> {
    Ok(tx
        .query_opt(&crate::db::cached(tx, sql).await?, params)
        .await?
        .is_some())
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

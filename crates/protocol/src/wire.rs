//! The JSON bodies of the HTTP API (`/v1/...`). Frozen by golden tests: a change here
//! must stay readable by older apps and servers.

use crate::merge::Image;
use serde::{Deserialize, Serialize};

/// The protocol version this build speaks (sent as `X-Stride-Protocol`).
pub const PROTOCOL_VERSION: u32 = 1;

/// The most ops one push may carry.
pub const MAX_PUSH_OPS: usize = 500;

/// The largest request body the server accepts: a push of this size at most (the client
/// sends a change larger than this as a placeholder the server records as refused).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// The most changes one pull page may carry.
pub const MAX_PULL_LIMIT: i64 = 2000;

/// `POST /v1/login`: a person signs a device in to the clinic server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    /// The user's name.
    pub user: String,
    /// The user's password.
    pub password: String,
    /// The device's own id (a UUID it made).
    pub device_id: String,
    /// A name for the device people recognize ("Front desk", "Dana's laptop").
    pub device_name: String,
    /// The secret the server gave this device when it registered: without it, nobody
    /// can sign in as an already registered device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
    /// For a chart restored from its own backup, registering as a new device: the old
    /// device's id and secret, proving this is its successor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<DeviceProof>,
}

/// A device's id and secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceProof {
    /// The device.
    pub device_id: String,
    /// Its secret.
    pub secret: String,
}

/// The answer to a login: the device's token and the clinic it joined.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginResponse {
    /// A bearer token for this device; keep it secret.
    pub token: String,
    /// When the token expires (RFC 3339).
    pub expires_at: String,
    /// The clinic.
    pub clinic_id: String,
    /// The clinic's name.
    pub clinic_name: String,
    /// The signed-in user.
    pub user_id: String,
    /// The device, as registered.
    pub device_id: String,
    /// The device's number in the clinic (it prefixes the MRNs the device makes up).
    pub device_number: i64,
    /// The device's secret, given once, when it registers: keep it with the chart and
    /// send it with every later sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
}

/// `POST /v1/token/renew`: a fresh token for the same person and device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRenewal {
    /// The new bearer token.
    pub token: String,
    /// When it expires (RFC 3339).
    pub expires_at: String,
    /// For a device registered before devices had secrets: its secret, given once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
}

/// One op as pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushOp {
    /// Contiguous per-device sequence, from 1.
    pub device_seq: i64,
    /// Globally unique op id.
    pub op_id: String,
    /// What it does (`patient.create`, `note.sign`).
    pub op_type: String,
    /// Payload format version.
    pub op_version: i64,
    /// The record it changes.
    pub entity_id: String,
    /// The op's data ([`OpPayload`] for the current version).
    pub payload: serde_json::Value,
    /// When the device recorded it (RFC 3339; informational, never decides anything).
    pub created_at: String,
}

/// The payload of a version-1 op from a linked chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpPayload {
    /// The user who acted on the device.
    pub actor: Option<String>,
    /// The kind of record (`note`).
    pub entity: String,
    /// The record as the op left it on the device.
    pub image: Image,
    /// The server sequence of the record version the device had when it acted (0: none).
    pub base_seq: i64,
    /// The device's previous op on this record since that version, if any: the op's
    /// image is then the base.
    pub prev_op: Option<i64>,
    /// The feed epoch `base_seq` belongs to: a base from another epoch (a server
    /// restored since) is not trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_epoch: Option<String>,
    /// The intent, as the device recorded it.
    #[serde(default)]
    pub intent: serde_json::Value,
}

/// `POST /v1/sync/push`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushRequest {
    /// The pushing device.
    pub device_id: String,
    /// Ops in sequence order, starting at or before the server's next expected one.
    pub ops: Vec<PushOp>,
}

/// What the server did with an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Applied as sent (possibly merged with others' changes to other fields).
    Applied,
    /// Already processed earlier: the stored result is returned again.
    Duplicate,
    /// Applied except for fields someone else changed differently; both values are kept
    /// as a sync issue for a person to resolve.
    Conflict,
    /// Not applied, for the reason given; the op is kept on the server.
    Rejected,
}

impl Outcome {
    /// The outcome's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Duplicate => "duplicate",
            Outcome::Conflict => "conflict",
            Outcome::Rejected => "rejected",
        }
    }
}

/// The recorded result of one op.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    /// The op's sequence number.
    pub device_seq: i64,
    /// The op's id.
    pub op_id: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why, in words, for conflicts and rejections.
    pub reason: Option<String>,
    /// For a duplicate: what the server decided the first time (the device may never have
    /// heard, if that answer was lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_outcome: Option<Outcome>,
}

/// The answer to a push.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per op, in order.
    pub results: Vec<OpResult>,
    /// The sequence number the server expects next from this device.
    pub next_seq: i64,
}

/// One record version in the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Its position in the clinic's feed (commit order).
    pub server_seq: i64,
    /// The kind of record.
    pub entity: String,
    /// The record's id.
    pub id: String,
    /// The record as of this version.
    pub image: Image,
}

/// `GET /v1/sync/pull?after=N&limit=M`: the feed after a position.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullResponse {
    /// Changes in feed order.
    pub changes: Vec<Change>,
    /// Where to continue from.
    pub cursor: i64,
    /// Whether more changes wait.
    pub has_more: bool,
    /// The feed's epoch: it changes when the server's database is restored from a
    /// backup, and positions from another epoch mean nothing (take a fresh snapshot).
    #[serde(default)]
    pub epoch: String,
}

/// `GET /v1/sync/snapshot?rank=R&after=S&limit=M`: current records for a new device, in
/// creation order, then the feed from `cursor` onwards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapshotResponse {
    /// The records, each at its current version.
    pub changes: Vec<Change>,
    /// Where the next page starts (`None`: the snapshot is complete).
    pub next: Option<SnapshotPosition>,
    /// The feed position the snapshot was taken at: pull from here afterwards.
    pub cursor: i64,
    /// The feed's epoch (see [`PullResponse::epoch`]).
    #[serde(default)]
    pub epoch: String,
}

/// A position in a snapshot: records are sent by kind rank, then creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotPosition {
    /// The rank of the last record sent.
    pub rank: i32,
    /// The creation sequence of the last record sent.
    pub created_seq: i64,
}

/// `GET /v1/sync/status`: the server's view of this device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceStatus {
    /// The device.
    pub device_id: String,
    /// The last op sequence the server has processed from it.
    pub last_seq: i64,
    /// The clinic feed's newest position.
    pub feed_head: i64,
    /// The feed's epoch (see [`PullResponse::epoch`]).
    #[serde(default)]
    pub epoch: String,
}

/// An error body: a machine-readable kind and words for a person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// `unauthorized`, `forbidden`, `invalid`, `gap`, `replay_mismatch`, `too_large`, …
    pub error: String,
    /// What went wrong and what to do.
    pub message: String,
    /// For `gap`: the sequence number the server expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_seq: Option<i64>,
}

/// `POST /v1/sync/audit`: a device's audit events, in chain order, for the server to
/// verify and keep.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditPush {
    /// The device whose chain this is.
    pub device_id: String,
    /// Events from the server's next expected one.
    pub events: Vec<crate::audit::ChainedEvent>,
}

/// The answer: how far the server has verified the chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditAck {
    /// The last event verified and kept.
    pub through: i64,
}

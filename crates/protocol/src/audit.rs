//! The audit event and its chained hash, shared by the chart (which writes the chain) and
//! the server (which verifies each device's chain as it arrives). Events carry ids, never
//! patient data.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the device's chain, from 1.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who, if a user was signed in.
    pub user_id: Option<String>,
    /// What: create, update, sign, cosign, addendum, open, export, ...
    pub action: String,
    /// Which kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: String,
    /// A detail that is not patient data: for a signature, the content hash it fixed.
    pub detail: Option<String>,
}

/// An event as chained: with the hash before it and its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainedEvent {
    /// The event.
    #[serde(flatten)]
    pub event: AuditEvent,
    /// The previous event's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// This event's hash: [`event_hash`] of the two.
    pub hash: String,
}

/// SHA-256 over the previous hash and the event's fields, each length-prefixed, in hex.
pub fn event_hash(prev: &str, e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &e.seq.to_string(),
        &e.at,
        e.user_id.as_deref().unwrap_or(""),
        &e.action,
        &e.entity,
        &e.entity_id,
        e.detail.as_deref().unwrap_or(""),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

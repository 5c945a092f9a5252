//! The chart's side of sync with a clinic server: linking a chart to the server, the
//! record images captured with every op, the outcomes the server recorded, and applying
//! the clinic's changes pulled from the feed. The HTTP side lives in `stride-sync`.
//!
//! A chart made by `stride login` is *linked*: its ops carry record images, and its users
//! and clinic come from the server. A chart made by `stride init` stays standalone.

pub mod issues;
pub mod records;

use crate::chart::{Chart, timestamp};
use crate::error::{ChartError, Result};
use crate::keys::KeySource;
use crate::store;
use records::{kind, kind_for_op, read_image, write_image};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::path::Path;
use stride_protocol::{Change, OpResult, Outcome, PushOp};

/// The link between a chart and its clinic server, kept in the (encrypted) chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The server's base URL.
    pub server_url: String,
    /// This device's bearer token: the newest any person's sign-in here gave it.
    pub token: String,
    /// When the token expires (RFC 3339); the sync worker renews it before then.
    pub token_expires_at: String,
    /// The user whose sign-in gave the token.
    pub user_id: String,
    /// The device's number in the clinic.
    pub device_number: i64,
    /// The secret the server gave this device when it registered; later sign-ins send it.
    pub device_secret: Option<String>,
}

impl Link {
    /// The link a sign-in to `server_url` answered with.
    pub fn from_login(server_url: &str, answer: &stride_protocol::LoginResponse) -> Link {
        Link {
            server_url: server_url.to_owned(),
            token: answer.token.clone(),
            token_expires_at: answer.expires_at.clone(),
            user_id: answer.user_id.clone(),
            device_number: answer.device_number,
            device_secret: answer.device_secret.clone(),
        }
    }
}

/// What a status bar or `stride sync status` shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SyncState {
    /// The clinic server, if the chart is linked.
    pub server_url: Option<String>,
    /// This device.
    pub device_id: String,
    /// Ops waiting to be pushed.
    pub pending: u64,
    /// Ops the server refused (kept, with reasons).
    pub rejected: u64,
    /// Sync issues (overlapping edits, unincorporated revisions) waiting for a person.
    pub open_issues: u64,
    /// The feed position pulled through.
    pub pulled_through: i64,
    /// When the last complete sync finished (RFC 3339).
    pub last_sync_at: Option<String>,
}

/// What applying one page of pulled changes did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// Records written.
    pub written: usize,
    /// Versions skipped: already here, older than what is here, or under a local change
    /// not yet pushed (its newer version comes back after the push).
    pub skipped: usize,
    /// Signed notes replaced because the server fixed another device's signature first.
    pub superseded: usize,
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")?
        .execute([key, value])?;
    Ok(())
}

/// The base an op on a record was written on: the feed version last pulled, and this
/// device's own op since then, if any.
pub(crate) fn base_of(conn: &Connection, entity: &str, id: &str) -> Result<(i64, Option<i64>)> {
    Ok(conn
        .prepare_cached("SELECT base_seq, last_op_seq FROM sync_entity WHERE entity = ?1 AND id = ?2")?
        .query_row([entity, id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, None)))
}

/// Wraps an op's intent with what the server needs to merge it: the record's image and
/// its base. Returns the payload, and the kind (to note the op against the record).
pub(crate) fn linked_payload(
    conn: &Connection,
    op_type: &str,
    entity_id: &str,
    actor: Option<&str>,
    intent: serde_json::Value,
) -> Result<(serde_json::Value, Option<&'static str>)> {
    let Some(kind) = kind_for_op(op_type) else {
        return Ok((intent, None));
    };
    let image = read_image(conn, kind, entity_id)?.unwrap_or_default();
    let (base_seq, prev_op) = base_of(conn, kind.name, entity_id)?;
    let payload = stride_protocol::OpPayload {
        actor: actor.map(str::to_owned),
        entity: kind.name.to_owned(),
        image,
        base_seq,
        prev_op,
        base_epoch: meta(conn, "sync_feed_epoch")?,
        intent,
    };
    Ok((serde_json::to_value(payload).unwrap_or_default(), Some(kind.name)))
}

/// Notes that `seq` is now this device's newest op on the record.
pub(crate) fn note_local_op(conn: &Connection, entity: &str, id: &str, seq: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_entity (entity, id, last_op_seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, id) DO UPDATE SET last_op_seq = ?3",
    )?
    .execute(params![entity, id, seq])?;
    Ok(())
}

fn acked_through(conn: &Connection) -> Result<i64> {
    Ok(meta(conn, "outbox_acked_through")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Triggers that guard signed notes: dropped and restored, inside one transaction, only
/// when the server fixed another device's signature on a note this device also signed.
const SIGNED_NOTE_TABLES: &str = "'note', 'note_service', 'flowsheet_row', 'note_goal', 'charge_line'";

impl Chart {
    /// Creates an empty chart for a device joining a clinic: its records (the clinic and
    /// its users included) arrive with the first sync.
    pub fn create_linked(path: &Path, key: &KeySource, clinic_id: &str, device_id: &str, link: &Link) -> Result<Chart> {
        let (conn, _) = store::create_new(path, key)?;
        let made = (|| {
            set_meta(&conn, "clinic_id", clinic_id)?;
            set_meta(&conn, "device_id", device_id)?;
            write_link(&conn, link)
        })();
        if let Err(e) = made {
            drop(conn);
            store::remove_database_files(path);
            return Err(e);
        }
        drop(conn);
        Chart::open(path, key)
    }

    /// Whether the chart is linked to a clinic server.
    pub fn is_linked(&self) -> bool {
        self.linked
    }

    /// The chart's link to its clinic server, if it has one.
    pub fn link(&self) -> Result<Option<Link>> {
        let (Some(server_url), Some(token), Some(user_id)) = (
            meta(&self.conn, "sync_server_url")?,
            meta(&self.conn, "sync_token")?,
            meta(&self.conn, "sync_user_id")?,
        ) else {
            return Ok(None);
        };
        let device_number = meta(&self.conn, "mrn_prefix")?
            .and_then(|p| p.trim_start_matches('S').trim_end_matches('-').parse().ok())
            .unwrap_or(0);
        Ok(Some(Link {
            server_url,
            token,
            token_expires_at: meta(&self.conn, "sync_token_expires")?.unwrap_or_default(),
            user_id,
            device_number,
            device_secret: meta(&self.conn, "sync_device_secret")?,
        }))
    }

    /// Stores a new link after a person signed in to the clinic server on this device:
    /// their token becomes the device's. Refuses to link a standalone chart: its records
    /// were never numbered for the server.
    pub fn set_link(&mut self, link: &Link) -> Result<()> {
        if !self.linked {
            return Err(ChartError::State(
                "this chart was made without a clinic server; sign in with a new chart file to join one".into(),
            ));
        }
        write_link(&self.conn, link)
    }

    /// The device this chart was before it was restored from its own backup, with the
    /// secret that proves it, until it has registered as a new device.
    pub fn predecessor(&self) -> Result<Option<stride_protocol::DeviceProof>> {
        Ok(
            match (
                meta(&self.conn, "sync_predecessor_id")?,
                meta(&self.conn, "sync_predecessor_secret")?,
            ) {
                (Some(device_id), Some(secret)) => Some(stride_protocol::DeviceProof { device_id, secret }),
                _ => None,
            },
        )
    }

    /// Keeps a renewed token in place of the old one.
    pub fn renew_token(&mut self, token: &str, expires_at: &str) -> Result<()> {
        let user = meta(&self.conn, "sync_user_id")?.unwrap_or_default();
        self.adopt_token(&user, token, expires_at)
    }

    /// Keeps the secret the server gave this device (once).
    pub fn keep_device_secret(&mut self, secret: &str) -> Result<()> {
        set_meta(&self.conn, "sync_device_secret", secret)
    }

    /// The server sign-ins of the other people who signed in on this device: (user id,
    /// token). When the device's own sign-in ends (that person left the clinic), one of
    /// theirs carries on.
    pub fn other_sign_ins(&self) -> Result<Vec<(String, String)>> {
        let current = meta(&self.conn, "sync_user_id")?.unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare("SELECT substr(key, 12), value FROM meta WHERE key LIKE 'sync_token:%' ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let all: Vec<(String, String)> = rows.collect::<std::result::Result<_, _>>()?;
        Ok(all.into_iter().filter(|(user, _)| *user != current).collect())
    }

    /// Makes a person's (renewed) token the device's.
    pub fn adopt_token(&mut self, user_id: &str, token: &str, expires_at: &str) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        set_meta(&tx, "sync_token", token)?;
        set_meta(&tx, "sync_token_expires", expires_at)?;
        set_meta(&tx, "sync_user_id", user_id)?;
        set_meta(&tx, &format!("sync_token:{user_id}"), token)?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets a person's server sign-in that the server no longer accepts.
    pub fn forget_sign_in(&mut self, user_id: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM meta WHERE key = ?1")?
            .execute([format!("sync_token:{user_id}")])?;
        Ok(())
    }

    /// Ops waiting for the server, oldest first, at most `limit`; from sequence `from`
    /// when the server asks for ops it once acknowledged (after a restore of its own).
    pub fn ops_to_push(&self, from: Option<i64>, limit: usize) -> Result<Vec<PushOp>> {
        let after = match from {
            Some(seq) => seq - 1,
            None => acked_through(&self.conn)?,
        };
        let ops = crate::outbox::after(&self.conn, after, limit)?;
        if let (Some(seq), Some(first)) = (from, ops.first())
            && first.device_seq != seq
        {
            return Err(ChartError::State(format!(
                "the clinic server asks for change {seq} again, which this device pruned {} days after the server \
                 took it: the server was restored from an older backup; ask its administrator",
                crate::outbox::KEEP_ACKED_DAYS
            )));
        }
        Ok(ops
            .into_iter()
            .map(|op| PushOp {
                device_seq: op.device_seq,
                op_id: op.op_id,
                op_type: op.op_type,
                op_version: op.op_version,
                entity_id: op.entity_id,
                payload: op.payload,
                created_at: op.created_at,
            })
            .collect())
    }

    /// Records the server's outcomes. An op counts as done only with a durable outcome
    /// from the server; the acknowledged mark advances only through a contiguous run.
    pub fn record_outcomes(&mut self, results: &[OpResult]) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = timestamp(chrono::Utc::now());
        let mut through = acked_through(&tx)?;
        for r in results {
            // A duplicate carries the outcome the server decided the first time, which
            // this device may never have heard.
            let outcome = match r.outcome {
                Outcome::Duplicate => r.first_outcome.map(Outcome::as_str),
                o => Some(o.as_str()),
            };
            tx.prepare_cached(
                "UPDATE outbox SET acked_at = coalesce(acked_at, ?2),
                    outcome = coalesce(?3, outcome, 'applied'), outcome_reason = coalesce(?4, outcome_reason)
                 WHERE device_seq = ?1 AND op_id = ?5",
            )?
            .execute(params![r.device_seq, now, outcome, r.reason, r.op_id])?;
            if r.device_seq == through + 1 {
                through = r.device_seq;
            }
        }
        set_meta(&tx, "outbox_acked_through", &through.to_string())?;
        crate::outbox::prune(&tx, chrono::Utc::now())?;
        tx.commit()?;
        Ok(())
    }

    /// Applies one page of the clinic's changes in one transaction, and moves the pull
    /// position to `cursor` with it (a crash re-applies the page, which is harmless).
    pub fn apply_changes(&mut self, changes: &[Change], cursor: i64) -> Result<Applied> {
        match self.apply_page(changes, cursor, false) {
            // A record on the page points at one this chart does not have: the page again,
            // each record's references checked as it is written, so that record alone
            // becomes a sync issue and the rest (and every later page) still applies.
            Err(ChartError::Storage(e)) if is_foreign_key_failure(&e) => self.apply_page(changes, cursor, true),
            other => other,
        }
    }

    fn apply_page(&mut self, changes: &[Change], cursor: i64, check_each: bool) -> Result<Applied> {
        let mut tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // A page can hold a record before one it refers to (a record's newest version
        // moves up the feed); the references are checked at commit.
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let through = acked_through(&tx)?;
        let now = timestamp(chrono::Utc::now());
        let mut applied = Applied::default();
        for c in changes {
            let Some(kind) = kind(&c.entity) else {
                applied.skipped += 1;
                continue;
            };
            let (base_seq, _) = base_of(&tx, kind.name, &c.id)?;
            let pending: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1 AND device_seq > ?2)")?
                .query_row(params![c.id, through], |r| r.get(0))?;
            if c.server_seq <= base_seq || pending {
                applied.skipped += 1;
                continue;
            }
            // Each record in its own savepoint: one this chart cannot store becomes a sync
            // issue for a person, and the rest of the page still applies.
            let sp = tx.savepoint()?;
            let superseding = supersedes_signature(&sp, kind.name, &c.id, &c.image)?;
            let written = if superseding {
                with_signed_note_triggers_lifted(&sp, || write_image(&sp, kind, &c.id, &c.image))
            } else {
                write_image(&sp, kind, &c.id, &c.image)
            }
            .and_then(|()| match check_each {
                true => records::references_hold(&sp, kind, &c.id),
                false => Ok(()),
            });
            match written {
                Ok(()) => {
                    sp.commit()?;
                    applied.written += 1;
                    applied.superseded += usize::from(superseding);
                }
                Err(e @ (ChartError::Storage(_) | ChartError::State(_))) => {
                    drop(sp);
                    store_failure(&tx, kind.name, c, &e, &now)?;
                    applied.skipped += 1;
                    // The version this chart holds is still the one it had: its next
                    // change is based on that, not on the version it could not store.
                    continue;
                }
                Err(e) => return Err(e),
            }
            tx.prepare_cached(
                "INSERT INTO sync_entity (entity, id, base_seq) VALUES (?1, ?2, ?3)
                 ON CONFLICT (entity, id) DO UPDATE SET base_seq = ?3, last_op_seq = NULL",
            )?
            .execute(params![kind.name, c.id, c.server_seq])?;
        }
        set_meta(&tx, "sync_pulled_through", &cursor.to_string())?;
        if applied.written > 0 {
            crate::audit::append(
                &tx,
                &now,
                None,
                ("sync-pull", "feed", &cursor.to_string()),
                Some(&format!("{} records", applied.written)),
            )?;
        }
        tx.commit()?;
        Ok(applied)
    }

    /// Takes note of the feed's epoch from a pulled page. When it differs from the one
    /// this chart pulled before, the server was restored from a backup: the pull position
    /// and every record's base are forgotten, so the next pull is a fresh snapshot (this
    /// chart's pending changes stay, and go to the server as changes on an unknown base,
    /// where any difference is kept for a person rather than merged blind). Returns
    /// whether it started over.
    pub fn adopt_feed_epoch(&mut self, epoch: &str) -> Result<bool> {
        if epoch.is_empty() {
            return Ok(false);
        }
        let known = meta(&self.conn, "sync_feed_epoch")?;
        if known.as_deref() == Some(epoch) {
            return Ok(false);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        set_meta(&tx, "sync_feed_epoch", epoch)?;
        let restarted = known.is_some();
        if restarted {
            tx.execute_batch(
                "DELETE FROM meta WHERE key IN ('sync_pulled_through', 'sync_snapshot_next');
                 UPDATE sync_entity SET base_seq = 0;",
            )?;
            crate::audit::append(
                &tx,
                &timestamp(chrono::Utc::now()),
                None,
                ("sync-restart", "feed", epoch),
                Some("the clinic server was restored: a fresh snapshot"),
            )?;
        }
        tx.commit()?;
        Ok(restarted)
    }

    /// Replaces an op too large for the server to take with a placeholder naming its
    /// size: the server records it as refused, and the record it changed stays as this
    /// device has it, listed among the refused changes.
    pub fn replace_oversized_op(&mut self, device_seq: i64, bytes: usize) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE outbox SET payload = json_object('too_large', ?2) WHERE device_seq = ?1")?
            .execute(params![device_seq, bytes as i64])?;
        Ok(())
    }

    /// After the server was restored to a point where it had processed this device's ops
    /// only through `last_seq`: the later ones are pending again, to be pushed anew.
    pub fn unacknowledge_after(&mut self, last_seq: i64) -> Result<()> {
        if last_seq >= acked_through(&self.conn)? {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached(
            "UPDATE outbox SET acked_at = NULL, outcome = NULL, outcome_reason = NULL WHERE device_seq > ?1",
        )?
        .execute([last_seq])?;
        set_meta(&tx, "outbox_acked_through", &last_seq.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Where the next pull starts: the snapshot position while a first sync is under way,
    /// then the feed position.
    pub fn pull_position(&self) -> Result<PullPosition> {
        if let Some(p) = meta(&self.conn, "sync_snapshot_next")? {
            let mut parts = p.splitn(3, ':');
            let mut num = || parts.next().and_then(|x| x.parse::<i64>().ok()).unwrap_or(-1);
            let (rank, created_seq, cursor) = (num(), num(), num());
            return Ok(PullPosition::Snapshot {
                rank: rank as i32,
                created_seq,
                cursor,
            });
        }
        match meta(&self.conn, "sync_pulled_through")? {
            Some(p) => Ok(PullPosition::Feed(p.parse().unwrap_or(0))),
            None => Ok(PullPosition::Start),
        }
    }

    /// Applies a snapshot page and remembers where the next one starts (`None`: the
    /// snapshot is done, and pulling continues from the feed at `cursor`).
    pub fn apply_snapshot_page(
        &mut self,
        changes: &[Change],
        next: Option<stride_protocol::SnapshotPosition>,
        cursor: i64,
    ) -> Result<Applied> {
        // The feed position stays at the snapshot's start until the snapshot is whole.
        let applied = self.apply_changes(changes, cursor)?;
        match next {
            Some(n) => set_meta(
                &self.conn,
                "sync_snapshot_next",
                &format!("{}:{}:{cursor}", n.rank, n.created_seq),
            )?,
            None => {
                self.conn
                    .prepare_cached("DELETE FROM meta WHERE key = 'sync_snapshot_next'")?
                    .execute([])?;
            }
        }
        Ok(applied)
    }

    /// Audit events the server has not confirmed yet, oldest first, at most `limit`; from
    /// `from` when the server asks for an earlier one.
    pub fn audit_to_push(&self, from: Option<i64>, limit: usize) -> Result<Vec<stride_protocol::audit::ChainedEvent>> {
        let after = match from {
            Some(seq) => seq - 1,
            None => meta(&self.conn, "sync_audit_through")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        };
        crate::audit::chain_after(&self.conn, after, limit)
    }

    /// Records how far the server has verified this device's audit chain.
    pub fn audit_confirmed(&mut self, through: i64) -> Result<()> {
        set_meta(&self.conn, "sync_audit_through", &through.to_string())
    }

    /// Records that a sync ran to completion.
    pub fn mark_synced(&mut self) -> Result<()> {
        set_meta(&self.conn, "sync_last_at", &timestamp(chrono::Utc::now()))
    }

    /// The sync state for a status bar.
    pub fn sync_state(&self) -> Result<SyncState> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(SyncState {
            server_url: meta(&self.conn, "sync_server_url")?,
            device_id: self.device_id().to_owned(),
            pending: self.pending_op_count()?,
            rejected: count("SELECT count(*) FROM outbox WHERE outcome = 'rejected'")?,
            open_issues: count("SELECT count(*) FROM sync_issue WHERE resolved_at IS NULL")?,
            pulled_through: meta(&self.conn, "sync_pulled_through")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            last_sync_at: meta(&self.conn, "sync_last_at")?,
        })
    }
}

/// Where pulling resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullPosition {
    /// Nothing pulled yet: start with a snapshot.
    Start,
    /// In the middle of a snapshot taken at feed position `cursor`.
    Snapshot {
        /// Rank of the last record received.
        rank: i32,
        /// Creation position of the last record received.
        created_seq: i64,
        /// The feed position the snapshot was taken at.
        cursor: i64,
    },
    /// Following the feed after this position.
    Feed(i64),
}

/// Makes a linked chart just restored from its own backup a new device: the old device's
/// sequence numbers are spent on the server (it may have pushed more after the backup),
/// so the chart takes a new device id and signs in afresh, proving with the old device's
/// secret that it succeeds it. Ops the old device had pushed are dropped; those it had not
/// are numbered anew from 1 with new ids (the server may refuse some as already made, and
/// says so); the audit trail goes to the server again from its start. Called on the
/// restored file before it is opened.
pub(crate) fn become_new_device(conn: &mut Connection) -> Result<()> {
    if meta(conn, "sync_server_url")?.is_none() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let (Some(old), Some(secret)) = (meta(&tx, "device_id")?, meta(&tx, "sync_device_secret")?) {
        set_meta(&tx, "sync_predecessor_id", &old)?;
        set_meta(&tx, "sync_predecessor_secret", &secret)?;
    }
    set_meta(&tx, "device_id", &uuid::Uuid::now_v7().to_string())?;
    // No token: the worker asks for a sign-in, which registers the new device.
    set_meta(&tx, "sync_token", "")?;
    set_meta(&tx, "sync_token_expires", "")?;
    tx.execute_batch(
        "DELETE FROM meta WHERE key = 'sync_device_secret' OR key LIKE 'sync_token:%';
         DELETE FROM outbox WHERE device_seq <= coalesce((SELECT CAST(value AS INTEGER) FROM meta
             WHERE key = 'outbox_acked_through'), 0);
         UPDATE meta SET value = '0' WHERE key IN ('outbox_acked_through', 'sync_audit_through');
         UPDATE sync_entity SET last_op_seq = NULL;",
    )?;
    let pending: Vec<i64> = tx
        .prepare("SELECT device_seq FROM outbox ORDER BY device_seq")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for (n, seq) in pending.iter().enumerate() {
        tx.prepare_cached(
            "UPDATE outbox SET device_seq = ?2, op_id = ?3, acked_at = NULL, outcome = NULL, outcome_reason = NULL,
                payload = json_set(payload, '$.prev_op', NULL) WHERE device_seq = ?1",
        )?
        .execute(params![seq, n as i64 + 1, uuid::Uuid::now_v7().to_string()])?;
    }
    tx.commit()?;
    Ok(())
}

/// Whether a storage error is SQLite's foreign-key check failing.
fn is_foreign_key_failure(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

/// Keeps a pulled version this chart could not store as a sync issue, with the reason.
fn store_failure(conn: &Connection, entity: &str, c: &Change, e: &ChartError, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_issue (id, kind, entity, entity_id, other, device_id, op_id, reason, created_at)
         VALUES (?1, 'rejected', ?2, ?3, ?4, 'this device', '', ?5, ?6)",
    )?
    .execute(params![
        format!("local:{entity}:{}:{}", c.id, c.server_seq),
        entity,
        c.id,
        serde_json::Value::Object(c.image.clone()).to_string(),
        format!("this device could not store the clinic's version: {e}"),
        now
    ])?;
    Ok(())
}

fn write_link(conn: &Connection, link: &Link) -> Result<()> {
    if link.device_secret.is_some() {
        // Registered (again): whatever this device succeeded is settled.
        conn.execute_batch("DELETE FROM meta WHERE key IN ('sync_predecessor_id', 'sync_predecessor_secret')")?;
    }
    set_meta(conn, "mrn_prefix", &format!("S{}-", link.device_number))?;
    set_meta(conn, "sync_server_url", &link.server_url)?;
    set_meta(conn, "sync_token", &link.token)?;
    set_meta(conn, &format!("sync_token:{}", link.user_id), &link.token)?;
    set_meta(conn, "sync_token_expires", &link.token_expires_at)?;
    if let Some(secret) = &link.device_secret {
        set_meta(conn, "sync_device_secret", secret)?;
    }
    set_meta(conn, "sync_user_id", &link.user_id)
}

/// Whether a pulled note replaces a different signature or co-signature this device
/// made: the server fixed another device's first, and this device's is kept there as an
/// unincorporated revision (or a refused co-signature).
fn supersedes_signature(conn: &Connection, entity: &str, id: &str, image: &records::Image) -> Result<bool> {
    if entity != "note" {
        return Ok(false);
    }
    let local: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT content_hash, cosigned_by FROM note WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let theirs = |field: &str| image.get(field).and_then(|v| v.as_str());
    Ok(match local {
        Some((Some(hash), cosigner)) => {
            theirs("content_hash") != Some(hash.as_str())
                || cosigner.is_some_and(|mine| theirs("cosigned_by") != Some(mine.as_str()))
        }
        _ => false,
    })
}

fn with_signed_note_triggers_lifted(conn: &Connection, write: impl FnOnce() -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ({SIGNED_NOTE_TABLES})
         AND name LIKE '%signed%'"
    );
    let triggers: Vec<(String, String)> = conn
        .prepare(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    let written = write();
    for (_, create) in &triggers {
        conn.execute_batch(create)?;
    }
    written
}

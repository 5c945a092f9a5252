//! [`Chart`]: one open chart file, and the transaction every user action runs in.

use crate::audit;
use crate::error::{ChartError, Result};
use crate::keys::KeySource;
use crate::outbox;
use crate::store;
use crate::users::{Role, Session};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Savepoint, TransactionBehavior};
use std::path::{Path, PathBuf};
use stride_coding::Modifier;

/// One open chart: the clinic's records in an encrypted SQLite file.
pub struct Chart {
    pub(crate) conn: Connection,
    /// Inside [`Chart::batch`]: actions nest as savepoints in the batch's transaction.
    in_batch: bool,
    pub(crate) rules: stride_coding::RuleSet,
    path: PathBuf,
    device_id: String,
    clinic_id: String,
    /// Linked to a clinic server: ops carry record images (see [`crate::sync`]).
    pub(crate) linked: bool,
    /// The ICD-10-CM releases, read on first use (see [`crate::diagnoses`]) and shared
    /// with the chart's readers.
    pub(crate) releases: crate::diagnoses::ReleaseCache,
    /// The key, for opening readers.
    key: crate::keys::ChartKey,
}

/// The transaction of one user action: domain rows, an audit event and a sync op
/// commit together or not at all. (A savepoint, so that actions can also nest inside a
/// [`Chart::batch`].)
pub(crate) struct Write<'c> {
    pub tx: Savepoint<'c>,
    pub at: String,
    pub actor: Option<String>,
    /// The chart is linked to a clinic server.
    pub linked: bool,
}

impl Write<'_> {
    /// Runs one statement through the connection's prepared-statement cache.
    pub fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        Ok(self.tx.prepare_cached(sql)?.execute(params)?)
    }

    /// Records an audit event for this action.
    pub fn audit(&self, action: &str, entity: &str, entity_id: &str) -> Result<()> {
        audit::append(
            &self.tx,
            &self.at,
            self.actor.as_deref(),
            (action, entity, entity_id),
            None,
        )
    }

    /// Records an audit event with a detail (a content hash, never patient data).
    pub fn audit_detail(&self, action: &str, entity: &str, entity_id: &str, detail: &str) -> Result<()> {
        audit::append(
            &self.tx,
            &self.at,
            self.actor.as_deref(),
            (action, entity, entity_id),
            Some(detail),
        )
    }

    /// Queues a sync op for this action, on a chart linked to a clinic server (a chart
    /// alone never syncs, so it keeps no outbox: its audit trail records every change).
    /// The op carries the record's image and what it was based on, for the server's merge.
    pub fn op(&self, op_type: &str, entity_id: &str, payload: serde_json::Value) -> Result<()> {
        if !self.linked {
            return Ok(());
        }
        let (payload, kind) =
            crate::sync::linked_payload(&self.tx, op_type, entity_id, self.actor.as_deref(), payload)?;
        let seq = outbox::append(&self.tx, &self.at, op_type, entity_id, &payload)?;
        match kind {
            Some(kind) => crate::sync::note_local_op(&self.tx, kind, entity_id, seq),
            None => Ok(()),
        }
    }

    /// Records both: the usual pair for a change.
    pub fn record(&self, action: &str, entity: &str, entity_id: &str, payload: serde_json::Value) -> Result<()> {
        self.audit(action, entity, entity_id)?;
        self.op(&format!("{entity}.{action}"), entity_id, payload)
    }
}

/// Runs `f` in `savepoint` with the action's time and actor; releases the savepoint when
/// `f` succeeds, rolls it back (on drop) when it fails.
fn run_write<T>(
    savepoint: Savepoint<'_>,
    actor: Option<&Session>,
    linked: bool,
    f: impl FnOnce(&Write<'_>) -> Result<T>,
) -> Result<T> {
    let w = Write {
        tx: savepoint,
        at: timestamp(Utc::now()),
        actor: actor.map(|s| s.user_id.clone()),
        linked,
    };
    let out = f(&w)?;
    w.tx.commit()?;
    Ok(out)
}

/// A stored modifier list (`"GP CQ"`, space-separated) read from column `index` of a row.
/// Lists are checked when written, so a value that does not read is a damaged row, and
/// the read fails rather than dropping a modifier.
pub(crate) fn modifiers_column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Vec<Modifier>> {
    let text: String = row.get(index)?;
    Modifier::parse_list(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
}

/// Now, as stored: RFC 3339 in UTC with microseconds.
pub(crate) fn timestamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A new client-made id.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Chart {
    /// Opens an existing chart.
    pub fn open(path: &Path, key: &KeySource) -> Result<Chart> {
        let (conn, chart_key) = store::open_existing(path, key)?;
        Self::from_connection(conn, path, chart_key)
    }

    /// A second connection to this chart that only reads: it sees every committed change,
    /// and in WAL mode its reads never wait on this connection's writes (nor block them).
    /// It shares this chart's ICD-10-CM code sets. Any write through it fails.
    pub fn reader(&self) -> Result<Chart> {
        let conn = store::open_reader(&self.path, &self.key)?;
        let mut reader = Self::from_connection(conn, &self.path, self.key.clone())?;
        reader.releases = self.releases.clone();
        Ok(reader)
    }

    /// Runs `f`'s reads as one read transaction, so that they all see the same committed
    /// state even while another connection writes.
    pub fn read<T, E: From<ChartError>>(
        &self,
        f: impl FnOnce(&Chart) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.in_batch || !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.execute_batch("BEGIN DEFERRED").map_err(ChartError::from)?;
        let out = f(self);
        // A read transaction has nothing to keep: ending it either way only releases its
        // snapshot.
        let end = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let out = out?;
        end.map_err(ChartError::from)?;
        Ok(out)
    }

    /// Creates a chart file for a new clinic with its first user, the owner, who holds
    /// `role` and the admin role. Returns the chart with the owner signed in.
    pub fn create(
        path: &Path,
        key: &KeySource,
        clinic_name: &str,
        owner_name: &str,
        owner_password: &str,
        role: Role,
    ) -> Result<(Chart, Session)> {
        let clinic_name = crate::validate::required("clinic name", clinic_name)?;
        crate::users::check_new_user(owner_name, owner_password)?;
        if path.exists() {
            return Err(ChartError::ChartExists(path.display().to_string()));
        }
        // Build the chart under a temporary name and move it into place only when it is
        // whole, so a crash during creation never leaves a half-made chart at `path`.
        let building = PathBuf::from(format!("{}.creating", path.display()));
        store::remove_database_files(&building);
        let (mut conn, chart_key) = store::create_new(&building, key)?;
        let created = (|| {
            let mut outer = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let owner = run_write(outer.savepoint()?, None, false, |w| {
                let clinic_id = new_id();
                w.exec(
                    "INSERT INTO clinic (id, name, created_at) VALUES (?1, ?2, ?3)",
                    (&clinic_id, &clinic_name, &w.at),
                )?;
                w.exec(
                    "INSERT INTO meta (key, value) VALUES ('clinic_id', ?1), ('device_id', ?2)",
                    (&clinic_id, new_id()),
                )?;
                w.record(
                    "create",
                    "clinic",
                    &clinic_id,
                    serde_json::json!({ "id": clinic_id, "name": clinic_name }),
                )?;
                let mut roles = vec![role, Role::Admin];
                roles.dedup();
                crate::users::insert_user(w, owner_name, owner_password, &roles)
            })?;
            outer.commit()?;
            Ok::<_, ChartError>(owner)
        })();
        let owner_id = match created {
            Ok(owner_id) => owner_id,
            Err(e) => {
                drop(conn);
                store::remove_database_files(&building);
                return Err(e);
            }
        };
        // Fold the write-ahead log into the file, close it, and move it into place.
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        drop(conn);
        std::fs::rename(&building, path).map_err(|e| ChartError::io("could not move the new chart into place", e))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Make the rename itself durable.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        let conn = store::open_with_key(path, &chart_key, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let chart = Self::from_connection(conn, path, chart_key)?;
        let session = chart.session_for(&owner_id)?;
        Ok((chart, session))
    }

    fn from_connection(conn: Connection, path: &Path, key: crate::keys::ChartKey) -> Result<Chart> {
        let meta = |key: &str| -> Result<String> {
            conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?
                .ok_or_else(|| ChartError::State(format!("the chart is incomplete: it has no {key}")))
        };
        let device_id = meta("device_id")?;
        let clinic_id = meta("clinic_id")?;
        let linked = meta("sync_server_url").is_ok();
        let rules = stride_coding::RuleSet::builtin()
            .map_err(|e| ChartError::State(format!("Stride's built-in billing rules are damaged: {e}")))?;
        Ok(Chart {
            conn,
            in_batch: false,
            rules,
            path: path.to_owned(),
            device_id,
            clinic_id,
            linked,
            releases: Default::default(),
            key,
        })
    }

    /// The chart file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This install's device id (numbering its sync ops).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The clinic this chart belongs to.
    pub fn clinic_id(&self) -> &str {
        &self.clinic_id
    }

    /// Read access for queries.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs one user action as one IMMEDIATE transaction (or, inside a batch, as a
    /// savepoint of the batch's transaction).
    pub(crate) fn write<T>(&mut self, actor: Option<&Session>, f: impl FnOnce(&Write<'_>) -> Result<T>) -> Result<T> {
        let linked = self.linked;
        if self.in_batch {
            return run_write(self.conn.savepoint()?, actor, linked, f);
        }
        let mut tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = run_write(tx.savepoint()?, actor, linked, f)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs many actions in one transaction: all of them commit, or none. For imports and
    /// demo data, where one fsync per action would be too slow; each action inside still
    /// writes its own audit event and sync op.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Chart) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return f(self);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_batch = true;
        let out = f(self);
        self.in_batch = false;
        match out {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK")?;
                Err(e)
            }
        }
    }

    /// Checks the audit chain end to end.
    pub fn verify_audit(&self) -> Result<audit::AuditReport> {
        audit::verify(&self.conn)
    }

    /// Sync ops not yet acknowledged by a server.
    pub fn pending_ops(&self) -> Result<Vec<outbox::OutboxOp>> {
        outbox::pending(&self.conn)
    }

    /// How many sync ops wait for a server: cheap enough for a status bar.
    pub fn pending_op_count(&self) -> Result<u64> {
        outbox::pending_count(&self.conn)
    }

    /// Records that `session` opened a patient's chart (an audit event, nothing else).
    pub fn record_chart_open(&mut self, session: &Session, patient_id: &str) -> Result<()> {
        self.write(Some(session), |w| w.audit("open", "patient", patient_id))
    }

    /// Records that `session` exported something (an audit event).
    pub fn record_export(&mut self, session: &Session, entity: &str, entity_id: &str) -> Result<()> {
        self.write(Some(session), |w| w.audit("export", entity, entity_id))
    }
}

//! Encrypted, consistent backups while the app may be writing (the SQLite online backup
//! API reads one snapshot), and restoring them. A single laptop is a single point of
//! failure: this is how a solo practice keeps its records.
//!
//! A backup is a SQLCipher file keyed by the *backup passphrase* (Argon2id with the
//! backup's own salt), so it opens on any machine, not only the one whose keychain holds
//! the chart key. Beside it, a JSON manifest records its SHA-256, schema version and
//! record counts. The file is written under a temporary name and renamed when complete.

use crate::audit;
use crate::chart::{Chart, timestamp};
use crate::error::{ChartError, Result};
use crate::keys::{self, KeySource};
use crate::migrations;
use crate::store;
use crate::users::{Role, Session};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Pages copied per backup step; small steps let the app keep writing between them.
const PAGES_PER_STEP: std::ffi::c_int = 256;

/// What a backup's manifest records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    /// Manifest format.
    pub format: String,
    /// When the backup was taken.
    pub created_at: String,
    /// The clinic it belongs to.
    pub clinic_id: String,
    /// Schema version of the backup.
    pub schema_version: i64,
    /// The backup file's name.
    pub file: String,
    /// SHA-256 of the backup file.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Patients in it.
    pub patients: i64,
    /// Notes in it.
    pub notes: i64,
    /// Audit events in it.
    pub audit_events: i64,
}

/// What checking a backup found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupCheck {
    /// The file checked.
    pub file: String,
    /// Schema version.
    pub schema_version: i64,
    /// Patients.
    pub patients: i64,
    /// Notes.
    pub notes: i64,
    /// Whether SQLite's integrity check passed.
    pub integrity_ok: bool,
    /// Whether the audit chain verified.
    pub audit_ok: bool,
    /// Whether the file matched its manifest (None when there is no manifest).
    pub manifest_ok: Option<bool>,
}

impl BackupCheck {
    /// Whether everything checked out.
    pub fn ok(&self) -> bool {
        self.integrity_ok && self.audit_ok && self.manifest_ok != Some(false)
    }
}

fn counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM patient), (SELECT count(*) FROM note), (SELECT count(*) FROM audit_event)",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

fn file_sha256(path: &Path) -> Result<(String, u64)> {
    let bytes = std::fs::read(path).map_err(|e| ChartError::io(format!("could not read {}", path.display()), e))?;
    Ok((hex::encode(Sha256::digest(&bytes)), bytes.len() as u64))
}

fn manifest_path(file: &Path) -> PathBuf {
    let mut p = file.as_os_str().to_owned();
    p.push(".json");
    PathBuf::from(p)
}

/// Copies every page of `from` into `to` through the online backup API.
fn copy_database(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(from, to)?;
    backup.run_to_completion(PAGES_PER_STEP, std::time::Duration::from_millis(0), None)?;
    Ok(())
}

/// Opens a backup file keyed by `passphrase`, without changing it.
fn open_backup(file: &Path, passphrase: &str) -> Result<Connection> {
    if !file.exists() {
        return Err(ChartError::NoChart(file.display().to_string()));
    }
    let key = keys::derive(passphrase, keys::read_salt(file)?)?;
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    store::apply_key(&conn, &key)?;
    Ok(conn)
}

impl Chart {
    /// Writes an encrypted backup into `dir`; returns the backup file's path.
    pub fn backup_to(&mut self, by: &Session, dir: &Path, passphrase: &str) -> Result<(PathBuf, BackupManifest)> {
        by.require("backing up the chart", &[Role::Admin])?;
        std::fs::create_dir_all(dir).map_err(|e| ChartError::io(format!("could not create {}", dir.display()), e))?;
        let now = chrono::Utc::now();
        let name = format!("stride-{}.backup", now.format("%Y%m%dT%H%M%S%.3fZ"));
        let file = dir.join(&name);
        let partial = dir.join(format!("{name}.partial"));
        let _ = std::fs::remove_file(&partial);
        let key = KeySource::Passphrase(passphrase.to_owned()).create_key()?;
        {
            let mut dest = Connection::open(&partial)?;
            store::apply_key(&dest, &key)?;
            copy_database(&self.conn, &mut dest)?;
            dest.pragma_update(None, "journal_mode", "DELETE")?;
        }
        let (sha256, bytes) = file_sha256(&partial)?;
        let check = open_backup(&partial, passphrase)?;
        let (patients, notes, audit_events) = counts(&check)?;
        let manifest = BackupManifest {
            format: "stride-backup-v1".into(),
            created_at: timestamp(now),
            clinic_id: self.clinic_id().to_owned(),
            schema_version: migrations::version(&check)?,
            file: name,
            sha256,
            bytes,
            patients,
            notes,
            audit_events,
        };
        drop(check);
        let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        std::fs::write(manifest_path(&file), json)
            .map_err(|e| ChartError::io("could not write the backup manifest", e))?;
        std::fs::rename(&partial, &file).map_err(|e| ChartError::io("could not finish the backup file", e))?;
        self.record_export(by, "backup", &manifest.file)?;
        Ok((file, manifest))
    }
}

/// Checks a backup: it opens with the passphrase, SQLite's integrity check passes, the
/// audit chain verifies, and it matches its manifest.
pub fn verify_backup(file: &Path, passphrase: &str) -> Result<BackupCheck> {
    let conn = open_backup(file, passphrase)?;
    let integrity: String = conn
        .prepare_cached("PRAGMA integrity_check")?
        .query_row([], |r| r.get(0))?;
    let (patients, notes, _) = counts(&conn)?;
    let audit_ok = audit::verify(&conn)?.ok();
    let schema_version = migrations::version(&conn)?;
    drop(conn);
    let manifest_ok = match std::fs::read(manifest_path(file)) {
        Ok(bytes) => {
            let manifest: Option<BackupManifest> = serde_json::from_slice(&bytes).ok();
            let (sha, _) = file_sha256(file)?;
            Some(manifest.is_some_and(|m| m.sha256 == sha))
        }
        Err(_) => None,
    };
    Ok(BackupCheck {
        file: file.display().to_string(),
        schema_version,
        patients,
        notes,
        integrity_ok: integrity == "ok",
        audit_ok,
        manifest_ok,
    })
}

/// Restores a backup into a new chart at `target`, keyed by `target_key` (a chart linked
/// to a clinic server becomes a new device, see `sync::become_new_device`). Refuses a
/// damaged backup, and refuses to overwrite an existing chart unless `replace` is set, in
/// which case the old files are kept beside it with a `.replaced-<time>` suffix.
pub fn restore(file: &Path, passphrase: &str, target: &Path, target_key: &KeySource, replace: bool) -> Result<()> {
    let check = verify_backup(file, passphrase)?;
    if !check.ok() {
        return Err(ChartError::State(format!(
            "the backup {} failed its checks (integrity {}, audit chain {}, manifest {:?}); nothing was restored",
            file.display(),
            check.integrity_ok,
            check.audit_ok,
            check.manifest_ok
        )));
    }
    if target.exists() && !replace {
        return Err(ChartError::ChartExists(target.display().to_string()));
    }
    // Build the restored chart beside the target, and swap it in only when it is whole:
    // a failure at any step leaves the current chart untouched.
    let building = PathBuf::from(format!("{}.restoring", target.display()));
    store::remove_database_files(&building);
    let built = (|| {
        let key = target_key.create_key()?;
        let source = open_backup(file, passphrase)?;
        let mut dest = store::open_with_key(
            &building,
            &key,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        copy_database(&source, &mut dest)?;
        migrations::migrate(&mut dest)?;
        crate::sync::become_new_device(&mut dest)?;
        dest.pragma_update(None, "journal_mode", "DELETE")?;
        Ok::<_, ChartError>(())
    })();
    if let Err(e) = built {
        store::remove_database_files(&building);
        return Err(e);
    }
    if target.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}.replaced-{stamp}", target.display()));
                std::fs::rename(&from, &to)
                    .map_err(|e| ChartError::io(format!("could not move {} aside", from.display()), e))?;
            }
        }
    }
    std::fs::rename(&building, target).map_err(|e| ChartError::io("could not move the restored chart into place", e))
}

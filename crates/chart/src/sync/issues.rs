//! What sync could not settle alone, for a person: overlapping edits, revisions a
//! signature did not include, records this device could not store, and ops the server
//! refused.

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::notes::NoteEdit;
use crate::users::Session;
use rusqlite::params;
use serde::Serialize;

/// An open sync issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncIssue {
    /// Id.
    pub id: String,
    /// `conflict`, `unincorporated` or `rejected`.
    pub kind: String,
    /// The kind of record (`note`).
    pub entity: String,
    /// The record.
    pub entity_id: String,
    /// The field, when one field is concerned.
    pub field: Option<String>,
    /// The value the record kept (JSON).
    pub kept: Option<String>,
    /// The other value, not applied (JSON).
    pub other: Option<String>,
    /// Why, in words.
    pub reason: String,
    /// When the server recorded it.
    pub created_at: String,
    /// The person whose change it was (`None`: this device's own, from a pull).
    pub user_id: Option<String>,
}

/// How a person settles a sync issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Keep the value the record kept (the server's).
    KeepKept,
    /// Take the other value, the one not applied (for a draft note's text).
    TakeOther,
    /// Write this text instead (for a draft note's text).
    Text(String),
}

/// An op the server refused, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefusedOp {
    /// The op's sequence number on this device.
    pub device_seq: i64,
    /// What it did (`patient.create`).
    pub op_type: String,
    /// The record it was about.
    pub entity_id: String,
    /// The server's reason.
    pub reason: String,
    /// When it was made here.
    pub created_at: String,
}

impl Chart {
    /// Sync issues waiting for a person, oldest first.
    pub fn sync_issues(&self) -> Result<Vec<SyncIssue>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, entity, entity_id, field, kept, other, reason, created_at, user_id FROM sync_issue
             WHERE resolved_at IS NULL ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SyncIssue {
                id: r.get(0)?,
                kind: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                field: r.get(4)?,
                kept: r.get(5)?,
                other: r.get(6)?,
                reason: r.get(7)?,
                created_at: r.get(8)?,
                user_id: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Ops the server refused, newest first.
    pub fn refused_ops(&self) -> Result<Vec<RefusedOp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT device_seq, op_type, entity_id, coalesce(outcome_reason, ''), created_at FROM outbox
             WHERE outcome = 'rejected' ORDER BY device_seq DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RefusedOp {
                device_seq: r.get(0)?,
                op_type: r.get(1)?,
                entity_id: r.get(2)?,
                reason: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Settles a sync issue: keeps the kept value, or writes the other value or a new text
    /// over a draft note's field (a new edit, synced like any). Either way the issue is marked
    /// resolved, by whom and when, on every device. An issue is settled by the person
    /// whose change it was, or an administrator (the server's rule,
    /// [`stride_protocol::policy::may_resolve`]); one this device raised about a record it
    /// could not store stays on this device, and anyone here may settle it.
    pub fn resolve_sync_issue(&mut self, by: &Session, issue_id: &str, resolution: &Resolution) -> Result<()> {
        let issue = self
            .sync_issues()?
            .into_iter()
            .find(|i| i.id == issue_id)
            .ok_or_else(|| ChartError::not_found("sync issue", issue_id))?;
        let local = issue.user_id.is_none() && issue.id.starts_with("local:");
        let roles: Vec<String> = by.roles.iter().map(|r| r.as_str().to_owned()).collect();
        if !local && !stride_protocol::policy::may_resolve(&roles, &by.user_id, issue.user_id.as_deref()) {
            return Err(ChartError::Forbidden {
                action: "settling another person's sync issue".into(),
                needed: "administrator".into(),
            });
        }
        let text = match resolution {
            Resolution::KeepKept => None,
            Resolution::TakeOther => Some(
                issue
                    .other
                    .as_deref()
                    .and_then(|o| serde_json::from_str::<String>(o).ok())
                    .ok_or_else(|| {
                        ChartError::State("the other version is not text: copy what you need by hand".into())
                    })?,
            ),
            Resolution::Text(text) => Some(text.clone()),
        };
        if let Some(text) = text {
            let edit = match (issue.entity.as_str(), issue.field.as_deref()) {
                ("note", Some(field)) => NoteEdit::text_field(field, text),
                _ => None,
            };
            let Some(edit) = edit else {
                return Err(ChartError::State(
                    "only a note's text can take another version here; copy what you need by hand".into(),
                ));
            };
            self.edit_note(by, &issue.entity_id, &edit)?;
        }
        self.write(Some(by), |w| {
            let changed = w.exec(
                "UPDATE sync_issue SET resolved_at = ?2, resolved_by = ?3 WHERE id = ?1 AND resolved_at IS NULL",
                params![issue_id, w.at, by.user_id],
            )?;
            if changed == 0 {
                return Err(ChartError::State("that issue was already resolved".into()));
            }
            if local {
                return w.audit("resolve", "sync_issue", issue_id);
            }
            w.record(
                "resolve",
                "sync_issue",
                issue_id,
                serde_json::json!({ "id": issue_id, "resolution": format!("{resolution:?}") }),
            )
        })
    }
}

//! Quick text: the clinic's own phrases (typed as `;shortcut` and a space in any part of a
//! note) and templates (the text a part of a note of one kind starts from, on request).
//! Clinic-wide and synced; a PT or the admin keeps them.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::notes::NoteKind;
use crate::users::{Role, Session};
use serde::{Deserialize, Serialize};

/// Who keeps the clinic's quick text.
const KEEPERS: [Role; 2] = [Role::Pt, Role::Admin];
/// The parts of a note a template can fill.
pub const FIELDS: [&str; 4] = ["subjective", "objective", "assessment", "plan"];

/// What a piece of quick text is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "use", rename_all = "snake_case")]
pub enum QuickTextUse {
    /// Typed as `;shortcut` and a space.
    Phrase {
        /// Letters and digits, 1 to 20 (`hep`).
        shortcut: String,
    },
    /// Where one part of a note of one kind starts from.
    Template {
        /// `eval`, `daily`, `progress`, `reeval` or `discharge`.
        note_kind: String,
        /// `subjective`, `objective`, `assessment` or `plan`.
        field: String,
    },
}

/// A piece of the clinic's quick text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuickText {
    /// Id.
    pub id: String,
    /// Phrase or template.
    #[serde(flatten)]
    pub used_as: QuickTextUse,
    /// The words.
    pub text: String,
}

impl QuickTextUse {
    /// Checks a shortcut, a note kind and a field; returns the use as stored.
    fn checked(&self) -> Result<QuickTextUse> {
        match self {
            QuickTextUse::Phrase { shortcut } => {
                let s = shortcut.trim().trim_start_matches(';').to_ascii_lowercase();
                if s.is_empty() || s.len() > 20 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err(ChartError::invalid(
                        "shortcut",
                        "1 to 20 letters or digits, typed after a semicolon (;hep)",
                    ));
                }
                Ok(QuickTextUse::Phrase { shortcut: s })
            }
            QuickTextUse::Template { note_kind, field } => {
                let kind = NoteKind::parse(note_kind)?;
                let field = field.trim().to_ascii_lowercase();
                if !FIELDS.contains(&field.as_str()) {
                    return Err(ChartError::invalid(
                        "field",
                        "a template fills subjective, objective, assessment or plan",
                    ));
                }
                Ok(QuickTextUse::Template {
                    note_kind: kind.as_str().to_owned(),
                    field,
                })
            }
        }
    }
}

impl Chart {
    /// Adds a phrase or a template line. A phrase whose shortcut is taken, or a template
    /// for a part that has one, replaces it (the old one is retired).
    pub fn add_quick_text(&mut self, by: &Session, used_as: &QuickTextUse, text: &str) -> Result<String> {
        by.require("keeping the clinic's quick text", &KEEPERS)?;
        let used_as = used_as.checked()?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 4000 {
            return Err(ChartError::invalid("text", "1 to 4000 characters"));
        }
        let replaced: Vec<String> = self
            .quick_texts()?
            .into_iter()
            .filter(|q| q.used_as == used_as)
            .map(|q| q.id)
            .collect();
        let (shortcut, note_kind, field) = match &used_as {
            QuickTextUse::Phrase { shortcut } => (Some(shortcut.as_str()), None, None),
            QuickTextUse::Template { note_kind, field } => (None, Some(note_kind.as_str()), Some(field.as_str())),
        };
        self.write(Some(by), |w| {
            for old in &replaced {
                retire(w, old)?;
            }
            let id = new_id();
            w.exec(
                "INSERT INTO quick_text (id, shortcut, note_kind, field, text, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                rusqlite::params![id, shortcut, note_kind, field, text, w.at],
            )?;
            w.record(
                "create",
                "quick_text",
                &id,
                serde_json::json!({ "id": id, "shortcut": shortcut, "note_kind": note_kind, "field": field, "text": text }),
            )?;
            Ok(id)
        })
    }

    /// Retires a phrase or template line: it is no longer offered.
    pub fn retire_quick_text(&mut self, by: &Session, id: &str) -> Result<()> {
        by.require("keeping the clinic's quick text", &KEEPERS)?;
        if !self.quick_texts()?.iter().any(|q| q.id == id) {
            return Err(ChartError::not_found("quick text", id));
        }
        self.write(Some(by), |w| retire(w, id))
    }

    /// The clinic's quick text in use: phrases by shortcut, then templates by kind and part.
    pub fn quick_texts(&self) -> Result<Vec<QuickText>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, shortcut, note_kind, field, text FROM quick_text WHERE retired = 0
             ORDER BY shortcut IS NULL, shortcut, note_kind, field, created_at",
        )?;
        let rows = stmt.query_map([], |r| {
            let shortcut: Option<String> = r.get(1)?;
            let used_as = match shortcut {
                Some(shortcut) => QuickTextUse::Phrase { shortcut },
                None => QuickTextUse::Template {
                    note_kind: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    field: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                },
            };
            Ok(QuickText {
                id: r.get(0)?,
                used_as,
                text: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

fn retire(w: &crate::chart::Write<'_>, id: &str) -> Result<()> {
    w.exec(
        "UPDATE quick_text SET retired = 1, updated_at = ?1 WHERE id = ?2",
        (&w.at, id),
    )?;
    w.record(
        "update",
        "quick_text",
        id,
        serde_json::json!({ "id": id, "retired": 1 }),
    )
}

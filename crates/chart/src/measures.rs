//! Outcome measures given during an episode: raw answers kept as given, scored by the
//! versioned definitions in `stride-measures`, and compared with the first and the
//! previous administration against the measure's MCID.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use serde::Serialize;
use stride_measures::{Answers, Change, MeasureCatalog, MeasureDef, Score, compare, score};

/// One administration of a measure, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MeasureResult {
    /// Id.
    pub id: String,
    /// Episode.
    pub episode_id: String,
    /// The note it was given with, if any.
    pub note_id: Option<String>,
    /// Measure id, e.g. `lefs`.
    pub measure_id: String,
    /// Definition version used.
    pub measure_version: String,
    /// Date given.
    pub administered_on: String,
    /// The raw answers.
    pub answers: Answers,
    /// The score.
    pub score: Score,
    /// The score as shown, e.g. `35.6%`.
    pub display: String,
    /// The score as the nearest `f64`, to plot a trend (never to compare or bill);
    /// `None` when no score could be given.
    pub plotted: Option<f64>,
    /// Change from the episode's first administration (later ones only).
    pub since_first: Option<Change>,
    /// Change from the previous administration (later ones only).
    pub since_previous: Option<Change>,
}

fn catalog() -> Result<&'static MeasureCatalog> {
    MeasureCatalog::builtin()
        .map_err(|e| ChartError::State(format!("Stride's outcome-measure definitions are damaged: {e}")))
}

fn definition(measure_id: &str) -> Result<&'static MeasureDef> {
    catalog()?
        .require(measure_id.trim())
        .map_err(|e| ChartError::invalid("measure", e.to_string()))
}

impl Chart {
    /// Scores and records a measure; returns its id.
    pub fn record_measure(
        &mut self,
        by: &Session,
        episode_id: &str,
        note_id: Option<&str>,
        measure_id: &str,
        administered_on: &str,
        answers: &Answers,
    ) -> Result<String> {
        by.require("recording an outcome measure", &[Role::Pt, Role::Pta])?;
        self.episode(episode_id)?;
        let date = validate::date("date given", administered_on)?;
        if let Some(n) = note_id {
            let note = self.note(n)?;
            if note.episode_id != episode_id {
                return Err(ChartError::invalid("note", "that note belongs to another episode"));
            }
            if note.content_hash.is_some() {
                return Err(ChartError::State(
                    "that note is signed: record the measure without it, or in an addendum".into(),
                ));
            }
        }
        let def = definition(measure_id)?;
        let scored = score(def, answers).map_err(|e| ChartError::invalid("answers", e.to_string()))?;
        self.write(Some(by), |w| {
            let id = new_id();
            let answers_json = serde_json::to_string(answers).unwrap_or_default();
            let score_json = serde_json::to_string(&scored).unwrap_or_default();
            w.exec(
                "INSERT INTO measure_result (id, episode_id, note_id, measure_id, measure_version, administered_on,
                    answers, score, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    id,
                    episode_id,
                    note_id,
                    def.id(),
                    def.version(),
                    date.to_string(),
                    answers_json,
                    score_json,
                    w.at
                ],
            )?;
            w.record(
                "create",
                "measure_result",
                &id,
                serde_json::json!({ "id": id, "episode_id": episode_id, "note_id": note_id, "measure_id": def.id(),
                    "measure_version": def.version(), "administered_on": date, "answers": answers }),
            )?;
            Ok(id)
        })
    }

    /// The measures given during an episode, in the order each was first given.
    pub fn measures_given(&self, episode_id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT measure_id FROM measure_result WHERE episode_id = ?1
             GROUP BY measure_id ORDER BY MIN(administered_on), MIN(created_at)",
        )?;
        Ok(stmt
            .query_map([episode_id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// An episode's administrations of one measure, oldest first, each compared with the
    /// first and the previous.
    pub fn measure_history(&self, episode_id: &str, measure_id: &str) -> Result<Vec<MeasureResult>> {
        let def = definition(measure_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id, episode_id, note_id, measure_id, measure_version, administered_on, answers, score
             FROM measure_result WHERE episode_id = ?1 AND measure_id = ?2 ORDER BY administered_on, created_at",
        )?;
        let rows = stmt.query_map((episode_id, def.id()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out: Vec<MeasureResult> = Vec::new();
        for row in rows {
            let (id, episode_id, note_id, measure_id, measure_version, administered_on, answers, stored) = row?;
            let answers: Answers = serde_json::from_str(&answers)
                .map_err(|e| ChartError::State(format!("stored answers of {id} are unreadable: {e}")))?;
            let version_def = catalog()?.get_version(&measure_id, &measure_version).unwrap_or(def);
            // Re-score from the raw answers; fall back to the stored score if the
            // definition it was given under is no longer shipped.
            let scored = match score(version_def, &answers) {
                Ok(s) => s,
                Err(_) => stored
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok())
                    .ok_or_else(|| ChartError::State(format!("{id} cannot be scored")))?,
            };
            let since_first = out.first().map(|f| compare(version_def, &f.score, &scored));
            let since_previous = out.last().map(|p| compare(version_def, &p.score, &scored));
            out.push(MeasureResult {
                id,
                episode_id,
                note_id,
                measure_id,
                measure_version,
                administered_on,
                answers,
                display: scored.display(),
                plotted: scored.value.map(|v| v.to_f64()),
                score: scored,
                since_first,
                since_previous,
            });
        }
        Ok(out)
    }
}

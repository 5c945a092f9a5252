//! Notes while they are drafts: creating, editing SOAP fields, interventions with minutes,
//! and flowsheet rows that copy forward from the last visit. Signing is in `signing.rs`.

use crate::chart::{Chart, Write, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use stride_coding::code_table::Lookup;
use stride_coding::engine::MINUTES_PER_DAY;

/// The kinds of note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum NoteKind {
    /// Initial evaluation (97161-97163 by complexity).
    Eval,
    /// Daily treatment note.
    Daily,
    /// Progress report.
    Progress,
    /// Re-evaluation (97164).
    Reeval,
    /// Discharge summary.
    Discharge,
}

impl NoteKind {
    /// Parses `eval`, `daily`, `progress`, `reeval` or `discharge`.
    pub fn parse(s: &str) -> Result<NoteKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eval" | "evaluation" => Ok(Self::Eval),
            "daily" => Ok(Self::Daily),
            "progress" => Ok(Self::Progress),
            "reeval" | "re-eval" | "reevaluation" => Ok(Self::Reeval),
            "discharge" => Ok(Self::Discharge),
            other => Err(ChartError::invalid(
                "kind",
                format!("{other:?} is not a note kind; use eval, daily, progress, reeval or discharge"),
            )),
        }
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eval => "eval",
            Self::Daily => "daily",
            Self::Progress => "progress",
            Self::Reeval => "reeval",
            Self::Discharge => "discharge",
        }
    }

    /// Whether this note starts a new progress-report period (Medicare accepts a
    /// re-evaluation or discharge summary as the report).
    pub fn is_progress_report(self) -> bool {
        matches!(self, Self::Progress | Self::Reeval | Self::Discharge)
    }
}

/// How complex an evaluation was: picks 97161, 97162 or 97163.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EvalComplexity {
    /// Low complexity: 97161.
    Low,
    /// Moderate complexity: 97162.
    Moderate,
    /// High complexity: 97163.
    High,
}

impl EvalComplexity {
    /// Parses `low`, `moderate` or `high`.
    pub fn parse(s: &str) -> Result<EvalComplexity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Self::Low),
            "moderate" => Ok(Self::Moderate),
            "high" => Ok(Self::High),
            other => Err(ChartError::invalid(
                "complexity",
                format!("{other:?} is not a complexity; use low, moderate or high"),
            )),
        }
    }

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }

    /// The evaluation code it bills.
    pub fn code(self) -> &'static str {
        match self {
            Self::Low => "97161",
            Self::Moderate => "97162",
            Self::High => "97163",
        }
    }
}

/// Changes to a draft; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteEdit {
    /// Subjective.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub subjective: Option<String>,
    /// Objective.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub objective: Option<String>,
    /// Assessment.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub assessment: Option<String>,
    /// Plan.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub plan: Option<String>,
    /// Evaluation complexity (evaluations only).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub eval_complexity: Option<EvalComplexity>,
    /// Total treatment minutes, timed and untimed.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub total_treatment_minutes: Option<u32>,
}

impl NoteEdit {
    /// An edit of one SOAP text field, named as its column is (`subjective`, `objective`,
    /// `assessment`, `plan`); `None` for any other name.
    pub fn text_field(field: &str, text: String) -> Option<NoteEdit> {
        let mut edit = NoteEdit::default();
        let slot = match field {
            "subjective" => &mut edit.subjective,
            "objective" => &mut edit.objective,
            "assessment" => &mut edit.assessment,
            "plan" => &mut edit.plan,
            _ => return None,
        };
        *slot = Some(text);
        Some(edit)
    }
}

/// A documented intervention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceRow {
    /// CPT or HCPCS code.
    pub code: String,
    /// Minutes.
    pub minutes: u32,
    /// Of which a PTA furnished alone.
    pub pta_minutes: u32,
    /// The episode's diagnoses it treats, as pointers (1 is the episode's first) in claim
    /// order; empty: the episode's first four in order. Left out of the signed content
    /// when empty, so notes signed before pointers existed verify as they did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<u8>,
}

/// The diagnoses a service's claim line points at: those chosen for it, else the
/// episode's first four (of `on_episode`) in order.
pub fn service_pointers(chosen: &[u8], on_episode: usize) -> Vec<u8> {
    if chosen.is_empty() {
        (1..=on_episode.min(4)).filter_map(|p| u8::try_from(p).ok()).collect()
    } else {
        chosen.to_vec()
    }
}

/// Diagnosis pointers as stored ("2,1"); anything unreadable is left out.
pub(crate) fn parse_pointers(text: &str) -> Vec<u8> {
    text.split(',').filter_map(|p| p.trim().parse().ok()).collect()
}

/// One exercise on the flowsheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FlowsheetRow {
    /// Exercise name.
    pub exercise: String,
    /// Sets.
    pub sets: Option<u32>,
    /// Repetitions.
    pub reps: Option<u32>,
    /// Load, as written ("5 lb", "red band").
    pub load: Option<String>,
    /// Copied forward from the last visit and not yet edited.
    pub carried: bool,
}

/// The places of service a visit may be documented at (CMS place-of-service codes).
pub const PLACES_OF_SERVICE: &[(&str, &str)] = &[
    ("02", "telehealth, not in the patient's home"),
    ("10", "telehealth in the patient's home"),
    ("11", "office"),
    ("12", "home"),
    ("22", "on-campus outpatient hospital"),
    ("31", "skilled nursing facility"),
    ("32", "nursing facility"),
    ("33", "custodial care facility"),
    ("99", "other place of service"),
];

impl Chart {
    /// Starts a draft note; flowsheet rows copy forward from the episode's last note that
    /// has any, marked as carried over. Returns the note id.
    pub fn create_note(
        &mut self,
        by: &Session,
        episode_id: &str,
        kind: NoteKind,
        date_of_service: &str,
        appointment_id: Option<&str>,
    ) -> Result<String> {
        by.require("writing a note", &[Role::Pt, Role::Pta])?;
        if by.has(Role::Pta) && !by.has(Role::Pt) && kind != NoteKind::Daily {
            return Err(ChartError::Forbidden {
                action: format!("writing a {} note", kind.as_str()),
                needed: Role::Pt.to_string(),
            });
        }
        let episode = self.episode(episode_id)?;
        let dos = validate::date("date of service", date_of_service)?;
        if episode.status != "open" {
            return Err(ChartError::State(
                "this episode is discharged: open a new episode (or write an addendum to the discharge summary)".into(),
            ));
        }
        if let Some(a) = appointment_id
            && self.appointment(a)?.patient_id != episode.patient_id
        {
            return Err(ChartError::invalid(
                "appointment",
                "that appointment is another patient's",
            ));
        }
        self.write(Some(by), |w| {
            let id = new_id();
            w.tx.prepare_cached(
                "INSERT INTO note (id, episode_id, kind, date_of_service, author_id, appointment_id, created_at,
                    updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(rusqlite::params![
                id,
                episode_id,
                kind.as_str(),
                dos.to_string(),
                by.user_id,
                appointment_id,
                w.at
            ])?;
            let carried = copy_forward_flowsheet(w, episode_id, &id)?;
            w.record(
                "create",
                "note",
                &id,
                serde_json::json!({ "id": id, "episode_id": episode_id, "kind": kind, "date_of_service": dos,
                    "author_id": by.user_id, "appointment_id": appointment_id, "flowsheet_carried": carried }),
            )?;
            Ok(id)
        })
    }

    /// The note written for an appointment, if there is one.
    pub fn note_for_appointment(&self, appointment_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM note WHERE appointment_id = ?1 ORDER BY created_at LIMIT 1")?
            .query_row([appointment_id], |r| r.get(0))
            .optional()?)
    }

    /// Where the note of a visit stands, if the visit has one.
    pub fn visit_note_status(&self, appointment_id: &str) -> Result<Option<crate::signing::NoteStatus>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT signed_at IS NOT NULL, cosign_required, cosigned_at IS NOT NULL FROM note
                 WHERE appointment_id = ?1 ORDER BY created_at LIMIT 1",
            )?
            .query_row([appointment_id], |r| {
                Ok(crate::signing::NoteStatus::of(r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Edits a draft's fields.
    pub fn edit_note(&mut self, by: &Session, note_id: &str, edit: &NoteEdit) -> Result<()> {
        let note = self.draft_for_edit(by, note_id)?;
        if edit.eval_complexity.is_some() && note.kind != NoteKind::Eval {
            return Err(ChartError::invalid("complexity", "only an evaluation has a complexity"));
        }
        if edit.total_treatment_minutes.is_some_and(|m| m > MINUTES_PER_DAY) {
            return Err(ChartError::invalid(
                "total treatment minutes",
                format!("between 0 and {MINUTES_PER_DAY}"),
            ));
        }
        self.write(Some(by), |w| {
            w.tx.prepare_cached(
                "UPDATE note SET subjective = coalesce(?1, subjective), objective = coalesce(?2, objective),
                    assessment = coalesce(?3, assessment), plan = coalesce(?4, plan),
                    eval_complexity = coalesce(?5, eval_complexity),
                    total_treatment_minutes = coalesce(?6, total_treatment_minutes), updated_at = ?7
                 WHERE id = ?8",
            )?
            .execute(rusqlite::params![
                edit.subjective,
                edit.objective,
                edit.assessment,
                edit.plan,
                edit.eval_complexity.map(EvalComplexity::as_str),
                edit.total_treatment_minutes,
                w.at,
                note_id
            ])?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "edit": edit }),
            )
        })
    }

    /// Marks (or unmarks) two services of a draft as done in separate, distinct time
    /// intervals, so the day's coding bills the NCCI pair with the payer's distinct-service
    /// modifier. The decision is the clinician's, at the point of care.
    pub fn set_distinct_pair(&mut self, by: &Session, note_id: &str, pair: [&str; 2], distinct: bool) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let [a, b] = pair.map(|c| c.trim().to_ascii_uppercase());
        if a == b || a.is_empty() || b.is_empty() {
            return Err(ChartError::invalid(
                "codes",
                "a distinct pair names two different codes",
            ));
        }
        let stored: String = self
            .conn
            .prepare_cached("SELECT distinct_pairs FROM note WHERE id = ?1")?
            .query_row([note_id], |r| r.get(0))?;
        let mut pairs = parse_pairs(&stored);
        pairs.retain(|[x, y]| !((*x == a && *y == b) || (*x == b && *y == a)));
        if distinct {
            pairs.push([a, b]);
        }
        let text = serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into());
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE note SET distinct_pairs = ?1, updated_at = ?2 WHERE id = ?3",
                (&text, &w.at, note_id),
            )?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "distinct_pairs": pairs }),
            )
        })
    }

    /// Records where a draft's visit happened, when not at the clinic's usual place of
    /// service (`None`: the usual place). Claims carry it on the visit's lines.
    pub fn set_place_of_service(&mut self, by: &Session, note_id: &str, place: Option<&str>) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let place = validate::optional_code("place of service", place, PLACES_OF_SERVICE)?;
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE note SET place_of_service = ?1, updated_at = ?2 WHERE id = ?3",
                (place, &w.at, note_id),
            )?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "place_of_service": place }),
            )
        })
    }

    /// Sets a code's minutes on a draft (adding the code if new). When a PTA documents and
    /// gives no PTA minutes, all the minutes are the PTA's.
    pub fn set_service(
        &mut self,
        by: &Session,
        note_id: &str,
        code: &str,
        minutes: u32,
        pta_minutes: Option<u32>,
    ) -> Result<()> {
        let note = self.draft_for_edit(by, note_id)?;
        let code = code.trim().to_ascii_uppercase();
        match self.rules.codes.lookup(&code, note.date) {
            Lookup::Found(_) => {}
            Lookup::Unknown => {
                return Err(ChartError::invalid(
                    "code",
                    format!("{code} is not a physical therapy code Stride knows"),
                ));
            }
            Lookup::NotInEffect(when) => {
                return Err(ChartError::invalid(
                    "code",
                    format!("{code} is not valid on {} ({when})", note.date),
                ));
            }
        }
        if minutes > MINUTES_PER_DAY {
            return Err(ChartError::invalid(
                "minutes",
                format!("between 0 and {MINUTES_PER_DAY}"),
            ));
        }
        let pta_only = by.has(Role::Pta) && !by.has(Role::Pt);
        let pta = pta_minutes.unwrap_or(if pta_only { minutes } else { 0 });
        if pta > minutes {
            return Err(ChartError::invalid(
                "PTA minutes",
                format!("{pta} is more than the service's {minutes} minutes"),
            ));
        }
        self.write(Some(by), |w| {
            let updated = w.tx.prepare_cached(
                "UPDATE note_service SET minutes = ?1, pta_minutes = ?2 WHERE note_id = ?3 AND code = ?4",
            )?
            .execute(
                (minutes, pta, note_id, &code),
            )?;
            if updated == 0 {
                w.tx.prepare_cached(
                    "INSERT INTO note_service (note_id, position, code, minutes, pta_minutes)
                     VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM note_service WHERE note_id = ?1), ?2, ?3, ?4)",
                )?
                .execute(
                    (note_id, &code, minutes, pta),
                )?;
            }
            w.exec("UPDATE note SET updated_at = ?1 WHERE id = ?2", (&w.at, note_id))?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "service": { "code": code, "minutes": minutes, "pta_minutes": pta } }),
            )
        })
    }

    /// Chooses the episode's diagnoses a service on a draft treats (`pointers`: 1 is the
    /// episode's first diagnosis), in the order its claim line lists them, at most four;
    /// empty goes back to the episode's first four in order.
    pub fn set_service_diagnoses(&mut self, by: &Session, note_id: &str, code: &str, pointers: &[u8]) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let code = code.trim().to_ascii_uppercase();
        let on_episode: u8 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM episode_diagnosis WHERE episode_id = (SELECT episode_id FROM note WHERE id = ?1)",
            )?
            .query_row([note_id], |r| r.get(0))?;
        if pointers.len() > 4 {
            return Err(ChartError::invalid(
                "diagnoses",
                "a claim line points at four diagnoses at most",
            ));
        }
        if let Some(p) = pointers.iter().find(|p| **p == 0 || **p > on_episode) {
            return Err(ChartError::invalid(
                "diagnoses",
                format!("the episode has {on_episode} diagnoses: {p} is not one of them"),
            ));
        }
        if pointers.iter().enumerate().any(|(i, p)| pointers[..i].contains(p)) {
            return Err(ChartError::invalid("diagnoses", "each diagnosis once"));
        }
        let stored = pointers.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        self.write(Some(by), |w| {
            let updated = w.exec(
                "UPDATE note_service SET diagnoses = ?1 WHERE note_id = ?2 AND code = ?3",
                (&stored, note_id, &code),
            )?;
            if updated == 0 {
                return Err(ChartError::invalid("code", format!("{code} is not on this note")));
            }
            w.exec("UPDATE note SET updated_at = ?1 WHERE id = ?2", (&w.at, note_id))?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "service": { "code": code, "diagnoses": stored } }),
            )
        })
    }

    /// Removes a code from a draft.
    pub fn remove_service(&mut self, by: &Session, note_id: &str, code: &str) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let code = code.trim().to_ascii_uppercase();
        self.write(Some(by), |w| {
            let removed =
                w.tx.prepare_cached("DELETE FROM note_service WHERE note_id = ?1 AND code = ?2")?
                    .execute((note_id, &code))?;
            if removed == 0 {
                return Err(ChartError::invalid("code", format!("{code} is not on this note")));
            }
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "remove_service": code }),
            )
        })
    }

    /// Replaces a draft's flowsheet.
    pub fn set_flowsheet(&mut self, by: &Session, note_id: &str, rows: &[FlowsheetRow]) -> Result<()> {
        self.draft_for_edit(by, note_id)?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok(FlowsheetRow {
                    exercise: validate::required("exercise", &r.exercise)?,
                    ..r.clone()
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.write(Some(by), |w| {
            w.exec("DELETE FROM flowsheet_row WHERE note_id = ?1", [note_id])?;
            for (i, r) in rows.iter().enumerate() {
                insert_flowsheet_row(w, note_id, i as i64 + 1, r)?;
            }
            w.exec("UPDATE note SET updated_at = ?1 WHERE id = ?2", (&w.at, note_id))?;
            w.record(
                "update",
                "note",
                note_id,
                serde_json::json!({ "id": note_id, "flowsheet": rows }),
            )
        })
    }

    /// A draft the user may edit: it exists, is unsigned, and is theirs.
    pub(crate) fn draft_for_edit(&self, by: &Session, note_id: &str) -> Result<DraftInfo> {
        by.require("editing a note", &[Role::Pt, Role::Pta])?;
        let (kind, date, author, signed): (String, String, String, Option<String>) = self
            .conn
            .prepare_cached("SELECT kind, date_of_service, author_id, signed_at FROM note WHERE id = ?1")?
            .query_row([note_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?
            .ok_or_else(|| ChartError::not_found("note", note_id))?;
        if signed.is_some() {
            return Err(ChartError::State(
                "this note is signed and cannot change: add an addendum instead".into(),
            ));
        }
        if author != by.user_id {
            return Err(ChartError::State("only the note's author can edit a draft".into()));
        }
        Ok(DraftInfo {
            kind: NoteKind::parse(&kind)?,
            date: validate::date("date of service", &date)?,
        })
    }
}

/// What editing needs to know about a draft.
pub(crate) struct DraftInfo {
    kind: NoteKind,
    date: chrono::NaiveDate,
}

fn insert_flowsheet_row(w: &Write<'_>, note_id: &str, position: i64, r: &FlowsheetRow) -> Result<()> {
    w.tx.prepare_cached(
        "INSERT INTO flowsheet_row (note_id, position, exercise, sets, reps, load, carried)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(rusqlite::params![
        note_id, position, r.exercise, r.sets, r.reps, r.load, r.carried
    ])?;
    Ok(())
}

/// Copies the flowsheet of the episode's latest other note that has one; returns how many
/// rows were carried.
fn copy_forward_flowsheet(w: &Write<'_>, episode_id: &str, note_id: &str) -> Result<usize> {
    let source: Option<String> =
        w.tx.prepare_cached(
            "SELECT n.id FROM note n WHERE n.episode_id = ?1 AND n.id <> ?2
               AND EXISTS (SELECT 1 FROM flowsheet_row f WHERE f.note_id = n.id)
             ORDER BY n.date_of_service DESC, n.created_at DESC LIMIT 1",
        )?
        .query_row((episode_id, note_id), |r| r.get(0))
        .optional()?;
    let Some(source) = source else {
        return Ok(0);
    };
    let copied =
        w.tx.prepare_cached(
            "INSERT INTO flowsheet_row (note_id, position, exercise, sets, reps, load, carried)
         SELECT ?1, position, exercise, sets, reps, load, 1 FROM flowsheet_row WHERE note_id = ?2",
        )?
        .execute((note_id, &source))?;
    Ok(copied)
}

/// A note's distinct pairs from their stored JSON; a damaged value reads as none.
pub(crate) fn parse_pairs(stored: &str) -> Vec<[String; 2]> {
    serde_json::from_str(stored).unwrap_or_default()
}

//! Signing: a draft's content is coded into charge lines, canonicalized, hashed with
//! SHA-256 and locked (triggers refuse any later change). After that a note only gains
//! addenda, each signed on its own, and, for a PTA's note where the payer asks, a PT's
//! co-signature.

use crate::chart::{Chart, Write, new_id};
use crate::compliance;
use crate::error::{ChartError, Result};
use crate::goals::GoalAssessment;
use crate::notes::{EvalComplexity, FlowsheetRow, NoteKind, ServiceRow};
use crate::users::{Role, Session};
use chrono::Datelike;
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use stride_coding::{Day, DayNote, Modifier, PayerRules, Service, Severity, code_day};

/// Where a note stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum NoteStatus {
    /// Editable.
    Draft,
    /// Signed and locked.
    Signed,
    /// Signed by a PTA, waiting for a PT's co-signature.
    AwaitingCosign,
    /// Signed and co-signed.
    Cosigned,
}

impl NoteStatus {
    /// Where a note stands from its signature, whether it needs a co-signature, and its
    /// co-signature.
    pub fn of(signed: bool, cosign_required: bool, cosigned: bool) -> NoteStatus {
        match (signed, cosign_required, cosigned) {
            (false, _, _) => NoteStatus::Draft,
            (true, _, true) => NoteStatus::Cosigned,
            (true, true, false) => NoteStatus::AwaitingCosign,
            (true, false, false) => NoteStatus::Signed,
        }
    }

    /// In words, for a schedule or a list.
    pub fn words(self) -> &'static str {
        match self {
            NoteStatus::Draft => "note in progress",
            NoteStatus::Signed => "note signed",
            NoteStatus::AwaitingCosign => "awaiting co-signature",
            NoteStatus::Cosigned => "note co-signed",
        }
    }
}

/// A charge line kept with a signed note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredChargeLine {
    /// Code.
    pub code: String,
    /// Units.
    pub units: u32,
    /// Modifiers in claim order.
    #[cfg_attr(feature = "ts", ts(as = "Vec<String>"))]
    pub modifiers: Vec<Modifier>,
    /// The code's documented minutes.
    pub minutes: u32,
    /// Allowed amount, when the payer's fee schedule has the code.
    pub allowed_cents: Option<i64>,
    /// Why.
    pub explanation: String,
}

/// An addendum to a signed note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Addendum {
    /// Id.
    pub id: String,
    /// Who wrote and signed it.
    pub author_id: String,
    /// The text.
    pub text: String,
    /// When it was signed.
    pub signed_at: String,
    /// SHA-256 of its canonical content.
    pub content_hash: String,
}

/// A note with everything in it, as `stride note show` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteView {
    /// Id.
    pub id: String,
    /// Episode.
    pub episode_id: String,
    /// Patient.
    pub patient_id: String,
    /// Kind.
    pub kind: NoteKind,
    /// Date of service.
    pub date_of_service: String,
    /// Author.
    pub author_id: String,
    /// Where it stands.
    pub status: NoteStatus,
    /// Subjective.
    pub subjective: String,
    /// Objective.
    pub objective: String,
    /// Assessment.
    pub assessment: String,
    /// Plan.
    pub plan: String,
    /// Evaluation complexity.
    pub eval_complexity: Option<EvalComplexity>,
    /// Total treatment minutes.
    pub total_treatment_minutes: Option<u32>,
    /// Where the visit took place (a CMS place-of-service code); `None`: the clinic's
    /// usual place.
    pub place_of_service: Option<String>,
    /// Interventions.
    pub services: Vec<ServiceRow>,
    /// Code pairs the clinician marked as done in separate, distinct time intervals.
    pub distinct_pairs: Vec<[String; 2]>,
    /// Flowsheet.
    pub flowsheet: Vec<FlowsheetRow>,
    /// Where the note says the plan's goals stand.
    pub goals: Vec<GoalAssessment>,
    /// Charge lines (signed notes).
    pub charge_lines: Vec<StoredChargeLine>,
    /// Signer.
    pub signed_by: Option<String>,
    /// When signed.
    pub signed_at: Option<String>,
    /// SHA-256 of the canonical signed content.
    pub content_hash: Option<String>,
    /// Whether the stored content still hashes to `content_hash` (signed notes).
    pub hash_verified: Option<bool>,
    /// Whether a PT's co-signature is needed.
    pub cosign_required: bool,
    /// Co-signer.
    pub cosigned_by: Option<String>,
    /// When co-signed.
    pub cosigned_at: Option<String>,
    /// Addenda, oldest first.
    pub addenda: Vec<Addendum>,
}

/// The canonical form of a signed note: fields in a fixed order, serialized as compact
/// JSON and hashed. Its layout is versioned by `format`; never change v1, add v2.
#[derive(Serialize)]
struct SignedContent<'a> {
    format: &'static str,
    id: &'a str,
    episode_id: &'a str,
    kind: NoteKind,
    date_of_service: &'a str,
    author_id: &'a str,
    subjective: &'a str,
    objective: &'a str,
    assessment: &'a str,
    plan: &'a str,
    eval_complexity: Option<EvalComplexity>,
    total_treatment_minutes: Option<u32>,
    services: &'a [ServiceRow],
    flowsheet: &'a [FlowsheetRow],
    /// Left out when the note assesses no goal, so notes signed before goals were
    /// assessed verify as they did.
    #[serde(skip_serializing_if = "<[GoalAssessment]>::is_empty")]
    goals: &'a [GoalAssessment],
    charge_lines: &'a [StoredChargeLine],
    signed_by: &'a str,
    signed_at: &'a str,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn content_hash(v: &NoteView, signed_by: &str, signed_at: &str) -> String {
    let content = SignedContent {
        format: "stride-note-v1",
        id: &v.id,
        episode_id: &v.episode_id,
        kind: v.kind,
        date_of_service: &v.date_of_service,
        author_id: &v.author_id,
        subjective: &v.subjective,
        objective: &v.objective,
        assessment: &v.assessment,
        plan: &v.plan,
        eval_complexity: v.eval_complexity,
        total_treatment_minutes: v.total_treatment_minutes,
        services: &v.services,
        flowsheet: &v.flowsheet,
        goals: &v.goals,
        charge_lines: &v.charge_lines,
        signed_by,
        signed_at,
    };
    sha256_hex(&serde_json::to_vec(&content).unwrap_or_default())
}

fn addendum_hash(note_hash: &str, a: &Addendum) -> String {
    let mut h = Sha256::new();
    for part in [
        "stride-addendum-v1",
        note_hash,
        &a.id,
        &a.author_id,
        &a.text,
        &a.signed_at,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Chart {
    /// Signs a draft: codes its services into charge lines with the episode payer's
    /// method, hashes the content and locks it. Returns the content hash.
    pub fn sign_note(&mut self, by: &Session, note_id: &str) -> Result<String> {
        // The draft as read now; signing commits only if it is still this draft.
        let draft_version = self.draft_version(note_id)?;
        let mut view = self.note(note_id)?;
        if view.status != NoteStatus::Draft {
            return Err(ChartError::State(
                "this note is already signed: add an addendum instead".into(),
            ));
        }
        if view.author_id != by.user_id {
            return Err(ChartError::State("only the note's author can sign it".into()));
        }
        let pta_only = by.has(Role::Pta) && !by.has(Role::Pt);
        if pta_only && view.kind != NoteKind::Daily {
            return Err(ChartError::Forbidden {
                action: format!("signing a {} note", view.kind.as_str()),
                needed: Role::Pt.to_string(),
            });
        }
        by.require("signing a note", &[Role::Pt, Role::Pta])?;
        let episode = self.episode(&view.episode_id)?;
        let payer = self.payer(&episode.payer_id)?;
        let dos = crate::validate::date("date of service", &view.date_of_service)?;

        // Evaluations bill their code by complexity; a re-evaluation bills 97164 only when
        // the PT adds it.
        if view.kind == NoteKind::Eval && view.eval_complexity.is_none() {
            return Err(ChartError::invalid(
                "complexity",
                "an evaluation needs its complexity (low, moderate or high)",
            ));
        }
        let added_eval_code = add_evaluation_code(&mut view);
        // Care that was given is always documented: an overdue progress report never stops
        // a signature. The chart's alerts say it is due, and the claim scrubber holds the
        // visits past it for review where the payer asks.

        let coding = self.code_day_with(&view, &episode, &payer, dos)?;
        // Billing edits (NCCI, MUE) are settled on the claim, never by leaving care out of
        // the record: they do not stop a signature.
        if let Some(error) = coding
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error && !f.kind.is_billing_edit())
        {
            return Err(ChartError::State(format!(
                "the note cannot be signed as coded: {}",
                error.message
            )));
        }
        view.charge_lines = coding
            .lines
            .iter()
            .map(|l| StoredChargeLine {
                code: l.code.clone(),
                units: l.units,
                modifiers: l.modifiers.clone(),
                minutes: l.minutes,
                allowed_cents: l.allowed_cents.map(|c| c.0),
                explanation: l.explanation.to_string(),
            })
            .collect();
        let cosign_required = pta_only && payer.pta_cosign_required;

        self.write(Some(by), |w| {
            let hash = content_hash(&view, &by.user_id, &w.at);
            if let Some(code) = added_eval_code {
                w.exec(
                    "INSERT INTO note_service (note_id, position, code, minutes, pta_minutes)
                     VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM note_service WHERE note_id = ?1), ?2, 0, 0)",
                    (note_id, code),
                )?;
            }
            insert_charge_lines(w, note_id, &view.charge_lines)?;
            let signed_rows = w.exec(
                "UPDATE note SET signed_by = ?1, signed_at = ?2, content_hash = ?3, cosign_required = ?4,
                    updated_at = ?2 WHERE id = ?5 AND signed_at IS NULL AND updated_at = ?6",
                rusqlite::params![by.user_id, w.at, hash, cosign_required, note_id, draft_version],
            )?;
            if signed_rows != 1 {
                return Err(ChartError::State(
                    "the note changed while it was being signed (in another window?): review it and sign again".into(),
                ));
            }
            if view.kind == NoteKind::Discharge {
                // The discharge summary closes the episode.
                w.exec(
                    "UPDATE episode SET status = 'discharged' WHERE id = ?1",
                    [&view.episode_id],
                )?;
            }
            w.audit_detail("sign", "note", note_id, &hash)?;
            let mut signed = view.clone();
            signed.status = NoteStatus::Signed;
            signed.signed_by = Some(by.user_id.clone());
            signed.signed_at = Some(w.at.clone());
            signed.content_hash = Some(hash.clone());
            signed.cosign_required = cosign_required;
            w.op("note.sign", note_id, serde_json::to_value(&signed).unwrap_or_default())?;
            Ok(hash)
        })
    }

    /// A PT co-signs a PTA's signed note.
    pub fn cosign_note(&mut self, by: &Session, note_id: &str) -> Result<()> {
        by.require("co-signing a note", &[Role::Pt])?;
        let view = self.note(note_id)?;
        match view.status {
            NoteStatus::AwaitingCosign => {}
            NoteStatus::Draft => return Err(ChartError::State("sign the note before it is co-signed".into())),
            NoteStatus::Cosigned => return Err(ChartError::State("this note is already co-signed".into())),
            NoteStatus::Signed => return Err(ChartError::State("this note does not need a co-signature".into())),
        }
        if view.author_id == by.user_id {
            return Err(ChartError::State(
                "a note is co-signed by someone other than its author".into(),
            ));
        }
        self.write(Some(by), |w| {
            let rows = w.exec(
                "UPDATE note SET cosigned_by = ?1, cosigned_at = ?2 WHERE id = ?3 AND cosigned_at IS NULL",
                (&by.user_id, &w.at, note_id),
            )?;
            if rows != 1 {
                return Err(ChartError::State("this note was co-signed meanwhile".into()));
            }
            w.audit_detail("cosign", "note", note_id, view.content_hash.as_deref().unwrap_or(""))?;
            w.op(
                "note.cosign",
                note_id,
                serde_json::json!({ "id": note_id, "cosigned_by": by.user_id, "cosigned_at": w.at,
                    "content_hash": view.content_hash }),
            )
        })
    }

    /// Adds a signed addendum to a signed note; returns the addendum id.
    pub fn add_addendum(&mut self, by: &Session, note_id: &str, text: &str) -> Result<String> {
        by.require("writing an addendum", &[Role::Pt, Role::Pta])?;
        let view = self.note(note_id)?;
        let Some(note_hash) = view.content_hash.clone() else {
            return Err(ChartError::State(
                "this note is still a draft: edit it instead of adding an addendum".into(),
            ));
        };
        let text = crate::validate::required("addendum", text)?;
        self.write(Some(by), |w| {
            let mut a = Addendum {
                id: new_id(),
                author_id: by.user_id.clone(),
                text,
                signed_at: w.at.clone(),
                content_hash: String::new(),
            };
            a.content_hash = addendum_hash(&note_hash, &a);
            w.tx.prepare_cached(
                "INSERT INTO addendum (id, note_id, author_id, text, signed_at, content_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((&a.id, note_id, &a.author_id, &a.text, &a.signed_at, &a.content_hash))?;
            w.audit_detail("addendum", "note", note_id, &a.content_hash)?;
            w.op(
                "note.addendum",
                &a.id,
                serde_json::json!({ "note_id": note_id, "addendum": a }),
            )?;
            Ok(a.id)
        })
    }

    /// Opens a note for a person to read: the roles that read clinical notes only, and
    /// recorded in the audit trail as an open of the note.
    pub fn open_note(&mut self, by: &Session, note_id: &str) -> Result<NoteView> {
        self.record_note_open(by, note_id)?;
        self.note(note_id)
    }

    /// Records that `by` opens a note to read, refused to roles that do not read clinical
    /// notes and for a note the chart does not have. Reads nothing else of it: the screen
    /// reads the note itself (on another connection).
    pub fn record_note_open(&mut self, by: &Session, note_id: &str) -> Result<()> {
        by.require(
            "reading a clinical note",
            &[Role::Pt, Role::Pta, Role::Biller, Role::Admin],
        )?;
        let known: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM note WHERE id = ?1)")?
            .query_row([note_id], |r| r.get(0))?;
        if !known {
            return Err(ChartError::not_found("note", note_id));
        }
        self.write(Some(by), |w| w.audit("open", "note", note_id))
    }

    /// A note with its services, flowsheet, charges and addenda; for a signed note the
    /// content is re-hashed and compared.
    pub fn note(&self, note_id: &str) -> Result<NoteView> {
        let mut v = self
            .conn
            .prepare_cached(
                "SELECT n.id, n.episode_id, e.patient_id, n.kind, n.date_of_service, n.author_id, n.subjective,
                    n.objective, n.assessment, n.plan, n.eval_complexity, n.total_treatment_minutes, n.signed_by,
                    n.signed_at, n.content_hash, n.cosign_required, n.cosigned_by, n.cosigned_at, n.distinct_pairs,
                    n.place_of_service
                 FROM note n JOIN episode e ON e.id = n.episode_id WHERE n.id = ?1",
            )?
            .query_row([note_id], |r| {
                let kind: String = r.get(3)?;
                let complexity: Option<String> = r.get(10)?;
                Ok(NoteView {
                    id: r.get(0)?,
                    episode_id: r.get(1)?,
                    patient_id: r.get(2)?,
                    kind: NoteKind::parse(&kind).unwrap_or(NoteKind::Daily),
                    date_of_service: r.get(4)?,
                    author_id: r.get(5)?,
                    status: NoteStatus::Draft,
                    subjective: r.get(6)?,
                    objective: r.get(7)?,
                    assessment: r.get(8)?,
                    plan: r.get(9)?,
                    eval_complexity: complexity.and_then(|c| EvalComplexity::parse(&c).ok()),
                    total_treatment_minutes: r.get(11)?,
                    place_of_service: r.get(19)?,
                    services: Vec::new(),
                    distinct_pairs: crate::notes::parse_pairs(&r.get::<_, String>(18)?),
                    flowsheet: Vec::new(),
                    goals: Vec::new(),
                    charge_lines: Vec::new(),
                    signed_by: r.get(12)?,
                    signed_at: r.get(13)?,
                    content_hash: r.get(14)?,
                    hash_verified: None,
                    cosign_required: r.get(15)?,
                    cosigned_by: r.get(16)?,
                    cosigned_at: r.get(17)?,
                    addenda: Vec::new(),
                })
            })
            .optional()?
            .ok_or_else(|| ChartError::not_found("note", note_id))?;
        v.services = self
            .conn
            .prepare_cached(
                "SELECT code, minutes, pta_minutes, diagnoses FROM note_service WHERE note_id = ?1 ORDER BY position",
            )?
            .query_map([note_id], |r| {
                Ok(ServiceRow {
                    code: r.get(0)?,
                    minutes: r.get(1)?,
                    pta_minutes: r.get(2)?,
                    diagnoses: crate::notes::parse_pointers(&r.get::<_, String>(3)?),
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        v.flowsheet = self
            .conn
            .prepare_cached(
                "SELECT exercise, sets, reps, load, carried FROM flowsheet_row WHERE note_id = ?1 ORDER BY position",
            )?
            .query_map([note_id], |r| {
                Ok(FlowsheetRow {
                    exercise: r.get(0)?,
                    sets: r.get(1)?,
                    reps: r.get(2)?,
                    load: r.get(3)?,
                    carried: r.get(4)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        v.goals = self.goal_assessments(note_id)?;
        v.charge_lines = self
            .conn
            .prepare_cached(
                "SELECT code, units, modifiers, minutes, allowed_cents, explanation FROM charge_line
                 WHERE note_id = ?1 ORDER BY position",
            )?
            .query_map([note_id], |r| {
                let modifiers = crate::chart::modifiers_column(r, 2)?;
                Ok(StoredChargeLine {
                    code: r.get(0)?,
                    units: r.get(1)?,
                    modifiers,
                    minutes: r.get(3)?,
                    allowed_cents: r.get(4)?,
                    explanation: r.get(5)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        v.addenda = self
            .conn
            .prepare_cached(
                "SELECT id, author_id, text, signed_at, content_hash FROM addendum WHERE note_id = ?1
                 ORDER BY signed_at, id",
            )?
            .query_map([note_id], |r| {
                Ok(Addendum {
                    id: r.get(0)?,
                    author_id: r.get(1)?,
                    text: r.get(2)?,
                    signed_at: r.get(3)?,
                    content_hash: r.get(4)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        if let (Some(by), Some(at), Some(hash)) = (&v.signed_by, &v.signed_at, &v.content_hash) {
            let notes_ok = content_hash(&v, by, at) == *hash;
            let addenda_ok = v.addenda.iter().all(|a| addendum_hash(hash, a) == a.content_hash);
            v.hash_verified = Some(notes_ok && addenda_ok);
            v.status = NoteStatus::of(true, v.cosign_required, v.cosigned_at.is_some());
        }
        Ok(v)
    }

    /// What the note's date of service would bill if the note were signed now: the live
    /// billing panel. A patient's day is coded as one (every signed note of that date
    /// under the episode's payer, and this one), so a second note on a date shows what
    /// the day will bill. For an evaluation the evaluation code is included as signing
    /// adds it.
    pub fn preview_coding(&self, note_id: &str) -> Result<stride_coding::Coding> {
        let mut view = self.note(note_id)?;
        let episode = self.episode(&view.episode_id)?;
        let payer = self.payer(&episode.payer_id)?;
        let dos = crate::validate::date("date of service", &view.date_of_service)?;
        add_evaluation_code(&mut view);
        self.code_day_with(&view, &episode, &payer, dos)
    }

    /// Codes the day `view` belongs to, with `view` as it stands (signed or not) and the
    /// other signed notes of the patient's date under the same payer, in the order they
    /// were signed; the payer's method, rules and fees; and the patient's therapy amounts
    /// this year before the date (for KX).
    fn code_day_with(
        &self,
        view: &NoteView,
        episode: &crate::episodes::Episode,
        payer: &crate::payers::Payer,
        dos: chrono::NaiveDate,
    ) -> Result<stride_coding::Coding> {
        let mut notes: Vec<DayNote> = self
            .signed_day_notes(&episode.patient_id, &payer.id, &view.date_of_service, &view.id)?
            .into_iter()
            .map(|(_, note)| note)
            .collect();
        notes.push(day_note(view));
        let year = compliance::TherapyYear::read(self, &episode.patient_id, dos.year())?;
        self.code_notes_of_day(payer, dos, notes, &year)
    }

    /// Codes a patient's date of service from its notes, with the payer's method, rules and
    /// fees, and the patient's therapy amounts this year before the date (for KX).
    pub(crate) fn code_notes_of_day(
        &self,
        payer: &crate::payers::Payer,
        date: chrono::NaiveDate,
        notes: Vec<DayNote>,
        year: &compliance::TherapyYear,
    ) -> Result<stride_coding::Coding> {
        let day = Day {
            date,
            method: payer.method,
            payer: PayerRules {
                medicare: payer.medicare,
                cq: payer.cq_applies,
                kx: payer.kx_applies,
                ..PayerRules::default_for(payer.method)
            },
            ytd_allowed: payer.kx_applies.then(|| stride_coding::Cents(year.before(date))),
            fees: self.fees(&payer.id)?,
            notes,
        };
        Ok(code_day(&day, &self.rules)?)
    }

    /// The signed notes of a patient's date of service under one payer, but `except`, in
    /// the order they were signed, each with its id.
    pub(crate) fn signed_day_notes(
        &self,
        patient_id: &str,
        payer_id: &str,
        date: &str,
        except: &str,
    ) -> Result<Vec<(String, DayNote)>> {
        // One query: each note's row joined with its services, in signing then entry order.
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.id, n.total_treatment_minutes, n.distinct_pairs, s.code, s.minutes, s.pta_minutes
             FROM note n JOIN episode e ON e.id = n.episode_id
             LEFT JOIN note_service s ON s.note_id = n.id
             WHERE e.patient_id = ?1 AND e.payer_id = ?2 AND n.date_of_service = ?3
               AND n.signed_at IS NOT NULL AND n.id <> ?4
             ORDER BY n.signed_at, n.id, s.position",
        )?;
        let mut rows = stmt.query((patient_id, payer_id, date, except))?;
        let mut notes: Vec<(String, DayNote)> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if notes.last().is_none_or(|(last, _)| *last != id) {
                let pairs: String = r.get(2)?;
                let note = DayNote {
                    total_treatment_minutes: r.get(1)?,
                    distinct_pairs: crate::notes::parse_pairs(&pairs),
                    ..DayNote::default()
                };
                notes.push((id, note));
            }
            if let (Some((_, note)), Some(code)) = (notes.last_mut(), r.get::<_, Option<String>>(3)?) {
                note.services.push(Service {
                    code,
                    minutes: r.get(4)?,
                    pta_minutes: r.get(5)?,
                });
            }
        }
        Ok(notes)
    }

    /// A draft's `updated_at`, which changes with every edit; refuses a signed note.
    fn draft_version(&self, note_id: &str) -> Result<String> {
        let (updated_at, signed): (String, Option<String>) = self
            .conn
            .prepare_cached("SELECT updated_at, signed_at FROM note WHERE id = ?1")?
            .query_row([note_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| ChartError::not_found("note", note_id))?;
        if signed.is_some() {
            return Err(ChartError::State(
                "this note is already signed: add an addendum instead".into(),
            ));
        }
        Ok(updated_at)
    }

    /// An episode's notes, oldest first.
    pub fn notes_of(&self, episode_id: &str) -> Result<Vec<NoteView>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM note WHERE episode_id = ?1 ORDER BY date_of_service, created_at")?;
        let ids: Vec<String> = stmt
            .query_map([episode_id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        ids.iter().map(|id| self.note(id)).collect()
    }
}

/// What a note contributes to its day: its services and total treatment time.
fn day_note(view: &NoteView) -> DayNote {
    DayNote {
        services: view
            .services
            .iter()
            .map(|s| Service {
                code: s.code.clone(),
                minutes: s.minutes,
                pta_minutes: s.pta_minutes,
            })
            .collect(),
        total_treatment_minutes: view.total_treatment_minutes,
        distinct_pairs: view.distinct_pairs.clone(),
        tie_break: Vec::new(),
    }
}

/// Adds the evaluation code an initial evaluation bills (97161-97163 by complexity) to
/// its services unless it is already there; returns the code added. A re-evaluation
/// note gets no code by itself: 97164 is billed only when the PT documents that a
/// re-evaluation was indicated, by adding it as a service (Pub 100-02 Ch.15 §220.3 C:
/// re-evaluation is not a routine, recurring service).
fn add_evaluation_code(view: &mut NoteView) -> Option<&'static str> {
    let code = match (view.kind, view.eval_complexity) {
        (NoteKind::Eval, Some(complexity)) => complexity.code(),
        _ => return None,
    };
    if view.services.iter().any(|s| s.code == code) {
        return None;
    }
    view.services.push(ServiceRow {
        code: code.to_owned(),
        minutes: 0,
        pta_minutes: 0,
        diagnoses: Vec::new(),
    });
    Some(code)
}

fn insert_charge_lines(w: &Write<'_>, note_id: &str, lines: &[StoredChargeLine]) -> Result<()> {
    for (i, l) in lines.iter().enumerate() {
        w.tx.prepare_cached(
            "INSERT INTO charge_line (note_id, position, code, units, modifiers, minutes, allowed_cents, explanation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(rusqlite::params![
            note_id,
            i as i64 + 1,
            l.code,
            l.units,
            Modifier::join(&l.modifiers),
            l.minutes,
            l.allowed_cents,
            l.explanation
        ])?;
    }
    Ok(())
}

/// One line of a patient's notes timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineEntry {
    /// The note.
    pub note_id: String,
    /// Its episode.
    pub episode_id: String,
    /// Kind.
    pub kind: NoteKind,
    /// Date of service.
    pub date_of_service: String,
    /// Author.
    pub author_id: String,
    /// Where it stands.
    pub status: NoteStatus,
    /// Units billed (signed notes).
    pub units: u32,
    /// Addenda.
    pub addenda: u32,
}

impl Chart {
    /// A patient's notes, newest first, in one query: what the chart screen lists.
    pub fn timeline(&self, patient_id: &str) -> Result<Vec<TimelineEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{TIMELINE} WHERE e.patient_id = ?1 ORDER BY n.date_of_service DESC, n.created_at DESC"
        ))?;
        let rows = stmt.query_map([patient_id], timeline_entry)?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The episode's last signed note dated on or before `date`, other than `note_id`:
    /// what a clinician reads beside the draft.
    pub fn previous_signed_note(&self, episode_id: &str, note_id: &str, date: &str) -> Result<Option<TimelineEntry>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "{TIMELINE} WHERE n.episode_id = ?1 AND n.id <> ?2 AND n.signed_at IS NOT NULL
                 AND n.date_of_service <= ?3 ORDER BY n.date_of_service DESC, n.created_at DESC LIMIT 1"
            ))?
            .query_row((episode_id, note_id, date), timeline_entry)
            .optional()?)
    }
}

/// A timeline entry's columns, for `timeline_entry`.
const TIMELINE: &str = "SELECT n.id, n.episode_id, n.kind, n.date_of_service, n.author_id, n.signed_at IS NOT NULL,
        n.cosign_required, n.cosigned_at IS NOT NULL,
        (SELECT coalesce(sum(units), 0) FROM charge_line c WHERE c.note_id = n.id),
        (SELECT count(*) FROM addendum a WHERE a.note_id = n.id)
     FROM note n JOIN episode e ON e.id = n.episode_id";

fn timeline_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<TimelineEntry> {
    let kind: String = r.get(2)?;
    let (signed, cosign_required, cosigned): (bool, bool, bool) = (r.get(5)?, r.get(6)?, r.get(7)?);
    Ok(TimelineEntry {
        note_id: r.get(0)?,
        episode_id: r.get(1)?,
        kind: NoteKind::parse(&kind).unwrap_or(NoteKind::Daily),
        date_of_service: r.get(3)?,
        author_id: r.get(4)?,
        status: NoteStatus::of(signed, cosign_required, cosigned),
        units: r.get(8)?,
        addenda: r.get(9)?,
    })
}

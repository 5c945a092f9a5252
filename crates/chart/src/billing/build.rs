//! Signed notes become draft claims. One claim per episode (so per patient and payer)
//! and rendering PT for the notes of one build run, 50 lines at most; one line per
//! charge line of a signed note, one date of service per line. A note is billed once to
//! its episode's payer: a later run skips notes already on a claim built from notes
//! (not a secondary claim) that is not void.
//! Settled primary claims of patients with a secondary coverage get a secondary claim.

use super::BILLING_ROLES;
use super::claims::append_event;
use crate::chart::{Chart, Write, new_id};
use crate::compliance::TherapyYear;
use crate::error::{ChartError, Result};
use crate::notes::{parse_pointers, service_pointers};
use crate::users::Session;
use crate::validate;
use chrono::Datelike;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeMap;
use stride_billing::x12::claim837::MAX_LINES;
use stride_billing::{ClaimStatus, TransitionSource};
use stride_coding::Modifier;

/// What one build run made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BuildReport {
    /// New draft claims.
    pub claims: Vec<String>,
    /// Signed notes billed by them.
    pub notes: usize,
    /// Lines written.
    pub lines: usize,
    /// Notes not billed, and why.
    pub skipped: Vec<Skipped>,
}

/// A signed note left off the claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SkippedNote"))]
pub struct Skipped {
    /// The note.
    pub note_id: String,
    /// Why.
    pub reason: String,
}

/// A signed note to bill.
struct Billable {
    note_id: String,
    episode_id: String,
    patient_id: String,
    payer_id: String,
    self_pay: bool,
    date: String,
    rendering_id: String,
}

/// What the clinic puts on every claim it builds: its charges and place of service.
struct ClinicTerms {
    fees: BTreeMap<String, i64>,
    place_of_service: String,
}

/// A line about to be written.
struct NewLine {
    note_id: String,
    charge_position: i64,
    date: String,
    code: String,
    modifiers: String,
    units: i64,
    minutes: i64,
    allowed_cents: Option<i64>,
}

/// A claim's control number (CLM01, at most 20 characters): the id's time prefix and
/// its 48 random bits, so claims made offline on different devices do not clash.
pub(crate) fn control_number(id: &str) -> String {
    let hex: String = id.chars().filter(char::is_ascii_hexdigit).collect();
    let (head, tail) = (&hex[..8.min(hex.len())], &hex[hex.len().saturating_sub(12)..]);
    format!("{head}{tail}").to_ascii_uppercase()
}

impl Chart {
    /// Builds draft claims from the signed notes dated `from` to `to` (inclusive) that
    /// are not billed yet, and secondary claims for settled primary claims (billers).
    pub fn build_claims(&mut self, by: &Session, from: &str, to: &str) -> Result<BuildReport> {
        by.require("building claims", BILLING_ROLES)?;
        let from = validate::date("from", from)?;
        let to = validate::date("to", to)?;
        if to < from {
            return Err(ChartError::invalid("to", "the period ends before it starts"));
        }
        let notes = self.billable_notes(
            "n.date_of_service BETWEEN ?1 AND ?2",
            params![from.to_string(), to.to_string()],
        )?;
        self.batch(|chart| {
            let mut report = chart.bill_notes(by, notes)?;
            report.claims.extend(chart.build_secondary_claims(by)?);
            Ok(report)
        })
    }

    /// Why a claim in `status` cannot be rebuilt from its notes, or `None` when it can:
    /// a secondary claim follows its primary, and the claim must be one a person may void.
    pub(crate) fn rebuild_refusal(&self, claim_id: &str, status: ClaimStatus) -> Result<Option<ChartError>> {
        let secondary: bool = self
            .conn
            .prepare_cached("SELECT primary_claim_id IS NOT NULL FROM claim WHERE id = ?1")?
            .query_row([claim_id], |r| r.get(0))?;
        if secondary {
            return Ok(Some(ChartError::State(
                "a secondary claim is rebuilt from its primary claim".into(),
            )));
        }
        Ok(
            stride_billing::status::check_transition(status, status, ClaimStatus::Void, TransitionSource::Clinic)
                .err()
                .map(super::claims::transition_error),
        )
    }

    /// Voids a claim that is not yet submitted (draft, ready) or was denied, and bills
    /// its notes again as a new draft: the way a correction made by an addendum, a new
    /// charge or a fixed coverage reaches the claim (billers).
    pub fn rebuild_claim(&mut self, by: &Session, claim_id: &str) -> Result<BuildReport> {
        by.require("rebuilding a claim", BILLING_ROLES)?;
        let status = self.claim_summary(claim_id)?.status;
        if let Some(refusal) = self.rebuild_refusal(claim_id, status)? {
            return Err(refusal);
        }
        self.batch(|chart| {
            chart.write(Some(by), |w| {
                super::claims::transition(
                    w,
                    claim_id,
                    status,
                    ClaimStatus::Void,
                    TransitionSource::Clinic,
                    Some("rebuilt from the notes"),
                )
            })?;
            // Every signed note of the claim's dates, so a note signed after the claim was
            // built joins its day.
            let notes = chart.billable_notes(
                "(e.patient_id, e.payer_id, n.date_of_service) IN
                    (SELECT c.patient_id, c.payer_id, l.date_of_service FROM claim_line l
                     JOIN claim c ON c.id = l.claim_id WHERE l.claim_id = ?1)",
                params![claim_id],
            )?;
            chart.bill_notes(by, notes)
        })
    }

    /// Signed notes with charge lines matching `filter` that no live primary claim bills.
    fn billable_notes(&self, filter: &str, args: impl rusqlite::Params) -> Result<Vec<Billable>> {
        let sql = format!(
            "SELECT n.id, n.episode_id, e.patient_id, e.payer_id, p.self_pay, n.date_of_service, n.signed_by,
                    n.cosigned_by,
                    EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = n.signed_by AND r.role = 'pt')
             FROM note n JOIN episode e ON e.id = n.episode_id JOIN payer p ON p.id = e.payer_id
             WHERE {filter} AND n.signed_at IS NOT NULL
               AND EXISTS (SELECT 1 FROM charge_line c WHERE c.note_id = n.id)
               AND NOT EXISTS (SELECT 1 FROM claim_line l JOIN claim c ON c.id = l.claim_id
                               WHERE l.note_id = n.id AND c.status <> 'void' AND c.primary_claim_id IS NULL)
             ORDER BY e.patient_id, n.episode_id, n.date_of_service, n.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            let signer: String = r.get(6)?;
            let cosigner: Option<String> = r.get(7)?;
            let signer_is_pt: bool = r.get(8)?;
            // A PTA is never the rendering provider: the supervising PT who co-signed is.
            let rendering_id = if signer_is_pt {
                signer.clone()
            } else {
                cosigner.unwrap_or(signer)
            };
            Ok(Billable {
                note_id: r.get(0)?,
                episode_id: r.get(1)?,
                patient_id: r.get(2)?,
                payer_id: r.get(3)?,
                self_pay: r.get(4)?,
                date: r.get(5)?,
                rendering_id,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Writes draft claims for `notes`, one per episode and rendering clinician. Lines
    /// come from each date of service coded as a whole (every signed note of the patient's
    /// date under the payer, pooled), so two notes on one date never bill twice.
    fn bill_notes(&mut self, by: &Session, notes: Vec<Billable>) -> Result<BuildReport> {
        let mut report = BuildReport::default();
        let clinic = ClinicTerms {
            fees: self.clinic_fees()?,
            place_of_service: self.billing_profile()?.place_of_service,
        };
        let mut days: BTreeMap<(String, String, String), Vec<Billable>> = BTreeMap::new();
        for n in notes {
            if n.self_pay {
                report.skipped.push(Skipped {
                    note_id: n.note_id,
                    reason: "self-pay: no claim is sent; give the patient a superbill".into(),
                });
                continue;
            }
            days.entry((n.patient_id.clone(), n.payer_id.clone(), n.date.clone()))
                .or_default()
                .push(n);
        }
        let mut groups: BTreeMap<(String, String), (Vec<Billable>, Vec<NewLine>)> = BTreeMap::new();
        let mut years: Option<(String, i32, TherapyYear)> = None;
        for ((patient, payer, date), day_notes) in days {
            if let Some(control) = self.day_claim(&patient, &payer, &date)? {
                for n in day_notes {
                    report.skipped.push(Skipped {
                        note_id: n.note_id,
                        reason: format!(
                            "{date} is already billed on claim {control}, coded before this note was signed: rebuild that claim to bill the whole day"
                        ),
                    });
                }
                continue;
            }
            // The patient's therapy year, read once per patient and year of a run (KX).
            let year = validate::date("date of service", &date)?.year();
            if years.as_ref().is_none_or(|(p, y, _)| *p != patient || *y != year) {
                years = Some((patient.clone(), year, TherapyYear::read(self, &patient, year)?));
            }
            let Some((_, _, therapy)) = years.as_ref() else {
                continue;
            };
            let lines = self.day_lines(&patient, &payer, &date, therapy)?;
            let first = &day_notes[0];
            let group = groups
                .entry((first.episode_id.clone(), first.rendering_id.clone()))
                .or_default();
            group.1.extend(lines);
            group.0.extend(day_notes);
        }
        for (notes, lines) in groups.into_values() {
            report.notes += notes.len();
            for chunk in lines.chunks(MAX_LINES) {
                report.lines += chunk.len();
                let id = self.write(Some(by), |w| write_claim(w, &notes[0], chunk, &clinic))?;
                report.claims.push(id);
            }
        }
        Ok(report)
    }

    /// The control number of a live primary claim that already bills the patient's date
    /// under the payer.
    fn day_claim(&self, patient_id: &str, payer_id: &str, date: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.control_number FROM claim c JOIN claim_line l ON l.claim_id = c.id
                 WHERE c.patient_id = ?1 AND c.payer_id = ?2 AND l.date_of_service = ?3
                   AND c.status <> 'void' AND c.primary_claim_id IS NULL LIMIT 1",
            )?
            .query_row((patient_id, payer_id, date), |r| r.get(0))
            .optional()?)
    }

    /// A date of service's claim lines: the day coded from all its signed notes, with the
    /// patient's therapy `year` (for KX). Each line names the first note (in signing
    /// order) that documents its code.
    fn day_lines(&self, patient_id: &str, payer_id: &str, date: &str, year: &TherapyYear) -> Result<Vec<NewLine>> {
        let notes = self.signed_day_notes(patient_id, payer_id, date, "")?;
        let Some((first_note, _)) = notes.first() else {
            return Ok(Vec::new());
        };
        let payer = self.payer(payer_id)?;
        let day = validate::date("date of service", date)?;
        let coding = self.code_notes_of_day(&payer, day, notes.iter().map(|(_, n)| n.clone()).collect(), year)?;
        Ok(coding
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let documented = l.explanation.documented_as.unwrap_or(&l.code);
                let note_id = notes
                    .iter()
                    .find(|(_, note)| note.services.iter().any(|s| s.code == documented || s.code == l.code))
                    .map_or(first_note, |(id, _)| id);
                NewLine {
                    note_id: note_id.clone(),
                    charge_position: i64::try_from(i + 1).unwrap_or(i64::MAX),
                    date: date.to_owned(),
                    code: l.code.clone(),
                    modifiers: Modifier::join(&l.modifiers),
                    units: i64::from(l.units),
                    minutes: i64::from(l.minutes),
                    allowed_cents: l.allowed_cents.map(|c| c.0),
                }
            })
            .collect())
    }

    /// Secondary claims for settled primary claims whose patient has a secondary
    /// coverage with a payer that takes claims, and that have none yet.
    fn build_secondary_claims(&mut self, by: &Session) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, v.id, v.payer_id FROM claim c
             JOIN coverage v ON v.patient_id = c.patient_id AND v.priority = c.responsibility + 1
             JOIN payer p ON p.id = v.payer_id AND p.self_pay = 0
             WHERE c.status IN ('paid', 'partially_paid') AND c.patient_resp_cents > 0 AND c.forwarded_to IS NULL
               AND NOT EXISTS (SELECT 1 FROM claim s WHERE s.primary_claim_id = c.id AND s.status <> 'void')",
        )?;
        let todo: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<std::result::Result<_, _>>()?;
        drop(stmt);
        let mut made = Vec::new();
        for (primary, coverage, payer) in todo {
            made.push(self.write(Some(by), |w| write_secondary(w, &primary, &coverage, &payer))?);
        }
        Ok(made)
    }
}

/// Writes one draft claim with its diagnoses and lines.
fn write_claim(w: &Write<'_>, first: &Billable, lines: &[NewLine], clinic: &ClinicTerms) -> Result<String> {
    let id = new_id();
    let (coverage_id, priority): (Option<String>, i64) =
        w.tx.prepare_cached(
            "SELECT id, priority FROM coverage WHERE patient_id = ?1 AND payer_id = ?2 ORDER BY priority LIMIT 1",
        )?
        .query_row((&first.patient_id, &first.payer_id), |r| {
            Ok((Some(r.get(0)?), r.get(1)?))
        })
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok((None, 1)),
            e => Err(e),
        })?;
    let from = lines.iter().map(|l| l.date.as_str()).min().unwrap_or(&first.date);
    let to = lines.iter().map(|l| l.date.as_str()).max().unwrap_or(&first.date);
    let charge = |l: &NewLine| clinic.fees.get(&l.code).copied().unwrap_or(0) * l.units;
    let total: i64 = lines.iter().map(charge).sum();
    w.exec(
        "INSERT INTO claim (id, control_number, patient_id, episode_id, payer_id, coverage_id, responsibility,
            rendering_id, referring_provider_id, place_of_service, service_from, service_to, status, charge_cents,
            created_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, e.referring_provider_id, ?9, ?10, ?11, 'draft', ?12, ?13, ?13
         FROM episode e WHERE e.id = ?4",
        params![
            id,
            control_number(&id),
            first.patient_id,
            first.episode_id,
            first.payer_id,
            coverage_id,
            priority,
            first.rendering_id,
            clinic.place_of_service,
            from,
            to,
            total,
            w.at
        ],
    )?;
    let diagnoses = w.exec(
        "INSERT INTO claim_diagnosis (claim_id, position, icd10)
         SELECT ?1, position, icd10 FROM episode_diagnosis WHERE episode_id = ?2 AND position <= 12",
        (&id, &first.episode_id),
    )?;
    for (i, l) in lines.iter().enumerate() {
        // The diagnoses the note chose for the service, else the episode's first four.
        let chosen: Option<String> =
            w.tx.prepare_cached("SELECT diagnoses FROM note_service WHERE note_id = ?1 AND code = ?2")?
                .query_row((&l.note_id, &l.code), |r| r.get(0))
                .optional()?;
        let pointers = service_pointers(&parse_pointers(&chosen.unwrap_or_default()), diagnoses)
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(",");
        w.exec(
            "INSERT INTO claim_line (claim_id, position, note_id, charge_position, date_of_service, code, modifiers,
                units, minutes, charge_cents, allowed_cents, dx_pointers, place_of_service)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, (SELECT place_of_service FROM note WHERE id = ?3))",
            params![
                id,
                i64::try_from(i + 1).unwrap_or(i64::MAX),
                l.note_id,
                l.charge_position,
                l.date,
                l.code,
                l.modifiers,
                l.units,
                l.minutes,
                charge(l),
                l.allowed_cents,
                pointers
            ],
        )?;
    }
    created(w, id, "built from signed notes")
}

/// A new draft claim's first history step and its audit event and op.
fn created(w: &Write<'_>, id: String, why: &str) -> Result<String> {
    append_event(w, &id, None, ClaimStatus::Draft, TransitionSource::Clinic, Some(why))?;
    w.record("create", "claim", &id, serde_json::json!({ "id": id }))?;
    Ok(id)
}

/// Writes a secondary claim copying a settled primary claim's lines and diagnoses.
fn write_secondary(w: &Write<'_>, primary: &str, coverage_id: &str, payer_id: &str) -> Result<String> {
    let id = new_id();
    w.exec(
        "INSERT INTO claim (id, control_number, patient_id, episode_id, payer_id, coverage_id, responsibility,
            primary_claim_id, rendering_id, referring_provider_id, place_of_service, service_from, service_to,
            status, charge_cents, created_at, updated_at)
         SELECT ?1, ?2, c.patient_id, c.episode_id, ?3, ?4, c.responsibility + 1, c.id, c.rendering_id,
                c.referring_provider_id, c.place_of_service, c.service_from, c.service_to, 'draft', c.charge_cents, ?5, ?5
         FROM claim c WHERE c.id = ?6",
        params![id, control_number(&id), payer_id, coverage_id, w.at, primary],
    )?;
    w.exec(
        "INSERT INTO claim_diagnosis (claim_id, position, icd10) SELECT ?1, position, icd10 FROM claim_diagnosis WHERE claim_id = ?2",
        (&id, primary),
    )?;
    w.exec(
        "INSERT INTO claim_line (claim_id, position, note_id, charge_position, date_of_service, code, modifiers, units,
            minutes, charge_cents, allowed_cents, dx_pointers, place_of_service, description)
         SELECT ?1, position, note_id, charge_position, date_of_service, code, modifiers, units, minutes, charge_cents,
                allowed_cents, dx_pointers, place_of_service, description FROM claim_line WHERE claim_id = ?2",
        (&id, primary),
    )?;
    created(w, id, "secondary claim after the primary payer settled")
}

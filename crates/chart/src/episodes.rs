//! Episodes of care: diagnoses, referral, authorizations; and referring providers.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// What it takes to open an episode of care.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEpisode {
    /// The patient.
    pub patient_id: String,
    /// The payer billed for this episode (its rules apply).
    pub payer_id: String,
    /// ICD-10-CM diagnoses, principal first (at most 12).
    pub diagnoses: Vec<String>,
    /// The referring or certifying physician, if any.
    pub referring_provider_id: Option<String>,
    /// Onset date, YYYY-MM-DD.
    pub onset_date: Option<String>,
    /// Referral date, YYYY-MM-DD.
    pub referral_date: Option<String>,
    /// First day of the episode (defaults to today).
    pub start_date: Option<String>,
}

/// An episode as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Episode {
    /// Id.
    pub id: String,
    /// The patient.
    pub patient_id: String,
    /// The payer.
    pub payer_id: String,
    /// Diagnoses, principal first.
    pub diagnoses: Vec<String>,
    /// Referring provider.
    pub referring_provider_id: Option<String>,
    /// Onset date.
    pub onset_date: Option<String>,
    /// Referral date.
    pub referral_date: Option<String>,
    /// First day of the episode.
    pub start_date: String,
    /// open or discharged.
    pub status: String,
}

/// A payer's authorization of visits or units over a date range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Authorization {
    /// Id.
    pub id: String,
    /// Visits authorized, if limited.
    pub visits: Option<u32>,
    /// Units authorized, if limited.
    pub units: Option<u32>,
    /// First day covered.
    pub valid_from: String,
    /// Last day covered.
    pub valid_to: String,
    /// The payer's reference number.
    pub reference: Option<String>,
}

/// What an authorization has used: an episode's days with a signed note, and the units
/// its days billed, between two dates (`?1` the episode, `?2` and `?3` the dates). It
/// starts from the episode's notes, and finds each day's head by its note (version 18's
/// index; the schema's tests hold that it never reads every head).
pub(crate) const AUTHORIZATION_USE: &str = "SELECT count(DISTINCT n.date_of_service),
        coalesce((SELECT sum(d.units) FROM day_line d
                  WHERE d.episode_id = ?1 AND d.date_of_service BETWEEN ?2 AND ?3), 0)
     FROM note n WHERE n.episode_id = ?1 AND n.signed_at IS NOT NULL AND n.date_of_service BETWEEN ?2 AND ?3";

/// Who may open and change episodes.
const CLINICAL: [Role; 3] = [Role::Pt, Role::Pta, Role::Admin];

fn optional_date(field: &str, text: &Option<String>) -> Result<Option<String>> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Ok(Some(validate::date(field, t)?.to_string())),
        None => Ok(None),
    }
}

/// A payer's authorization of visits or units over a span of dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewAuthorization {
    /// Visits authorized.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub visits: Option<u32>,
    /// Units authorized.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub units: Option<u32>,
    /// First date it covers, YYYY-MM-DD.
    pub valid_from: String,
    /// Last date it covers, YYYY-MM-DD.
    pub valid_to: String,
    /// The payer's authorization number, sent on claims (REF*G1).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reference: Option<String>,
}

impl Chart {
    /// Adds a referring provider after checking the NPI; returns the id.
    pub fn add_referring_provider(&mut self, by: &Session, name: &str, npi: &str) -> Result<String> {
        by.require(
            "adding a referring provider",
            &[Role::Pt, Role::Frontdesk, Role::Admin, Role::Biller],
        )?;
        let name = validate::required("provider name", name)?;
        let npi = validate::npi("NPI", npi)?;
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO referring_provider (id, name, npi, created_at) VALUES (?1, ?2, ?3, ?4)",
                (&id, &name, &npi, &w.at),
            )?;
            w.record(
                "create",
                "referring_provider",
                &id,
                serde_json::json!({ "id": id, "name": name, "npi": npi }),
            )?;
            Ok(id)
        })
    }

    /// Opens an episode of care; returns the id.
    pub fn add_episode(&mut self, by: &Session, e: &NewEpisode) -> Result<String> {
        by.require("opening an episode of care", &CLINICAL)?;
        self.patient(&e.patient_id)?;
        self.payer(&e.payer_id)?;
        if e.diagnoses.is_empty() {
            return Err(ChartError::invalid(
                "diagnosis",
                "an episode needs at least one ICD-10-CM diagnosis",
            ));
        }
        if e.diagnoses.len() > 12 {
            return Err(ChartError::invalid("diagnosis", "a claim carries at most 12 diagnoses"));
        }
        let start = optional_date("start date", &e.start_date)?
            .unwrap_or_else(|| chrono::Local::now().date_naive().to_string());
        // Checked against the release in force when the episode starts; each claim is
        // checked again on its own dates of service.
        let starts_on = validate::date("start date", &start)?;
        let codes = self.diagnosis_codes()?;
        let diagnoses = e
            .diagnoses
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let code = validate::icd10("diagnosis", d)?;
                let description = codes
                    .check_on(&code, i == 0, starts_on)
                    .map_err(|problem| ChartError::invalid("diagnosis", problem.to_string()))?
                    .description
                    .to_owned();
                Ok((code, description))
            })
            .collect::<Result<Vec<_>>>()?;
        let (diagnoses, descriptions): (Vec<String>, Vec<String>) = diagnoses.into_iter().unzip();
        if let Some(rp) = &e.referring_provider_id {
            let known = self
                .conn
                .prepare_cached("SELECT 1 FROM referring_provider WHERE id = ?1")?
                .query_row([rp], |_| Ok(()))
                .optional()?;
            known.ok_or_else(|| ChartError::not_found("referring provider", rp))?;
        }
        let onset = optional_date("onset date", &e.onset_date)?;
        let referral = optional_date("referral date", &e.referral_date)?;
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO episode (id, patient_id, payer_id, referring_provider_id, onset_date, referral_date,
                    start_date, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
                rusqlite::params![
                    id,
                    e.patient_id,
                    e.payer_id,
                    e.referring_provider_id,
                    onset,
                    referral,
                    start,
                    w.at
                ],
            )?;
            for (i, (dx, description)) in diagnoses.iter().zip(&descriptions).enumerate() {
                w.exec(
                    "INSERT INTO episode_diagnosis (episode_id, position, icd10) VALUES (?1, ?2, ?3)",
                    (&id, i as i64 + 1, dx),
                )?;
                crate::diagnoses::keep_words(w, dx, description)?;
            }
            w.record(
                "create",
                "episode",
                &id,
                serde_json::json!({ "id": id, "patient_id": e.patient_id, "payer_id": e.payer_id,
                    "diagnoses": diagnoses, "referring_provider_id": e.referring_provider_id,
                    "onset_date": onset, "referral_date": referral, "start_date": start }),
            )?;
            Ok(id)
        })
    }

    /// One episode.
    pub fn episode(&self, id: &str) -> Result<Episode> {
        let mut episode = self
            .conn
            .prepare_cached(
                "SELECT id, patient_id, payer_id, referring_provider_id, onset_date, referral_date, start_date, status
                 FROM episode WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(Episode {
                    id: r.get(0)?,
                    patient_id: r.get(1)?,
                    payer_id: r.get(2)?,
                    diagnoses: Vec::new(),
                    referring_provider_id: r.get(3)?,
                    onset_date: r.get(4)?,
                    referral_date: r.get(5)?,
                    start_date: r.get(6)?,
                    status: r.get(7)?,
                })
            })
            .optional()?
            .ok_or_else(|| ChartError::not_found("episode", id))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT icd10 FROM episode_diagnosis WHERE episode_id = ?1 ORDER BY position")?;
        episode.diagnoses = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(episode)
    }

    /// A patient's episodes, newest first.
    pub fn episodes_of(&self, patient_id: &str) -> Result<Vec<Episode>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM episode WHERE patient_id = ?1 ORDER BY start_date DESC, id DESC")?;
        let ids: Vec<String> = stmt
            .query_map([patient_id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        ids.iter().map(|id| self.episode(id)).collect()
    }

    /// Adds an authorization to an episode; returns its id.
    pub fn add_authorization(&mut self, by: &Session, episode_id: &str, a: &NewAuthorization) -> Result<String> {
        let NewAuthorization {
            visits,
            units,
            valid_from,
            valid_to,
            reference,
        } = a;
        let (visits, units) = (*visits, *units);
        by.require(
            "adding an authorization",
            &[Role::Pt, Role::Frontdesk, Role::Biller, Role::Admin],
        )?;
        self.episode(episode_id)?;
        if visits.is_none() && units.is_none() {
            return Err(ChartError::invalid(
                "authorization",
                "give the visits or the units authorized",
            ));
        }
        if visits == Some(0) || units == Some(0) {
            return Err(ChartError::invalid(
                "authorization",
                "authorized visits and units must be more than 0",
            ));
        }
        let from = validate::date("valid from", valid_from)?;
        let to = validate::date("valid to", valid_to)?;
        if to < from {
            return Err(ChartError::invalid("valid to", "ends before it starts"));
        }
        let reference = validate::optional(reference);
        if reference.as_ref().is_some_and(|r| r.chars().count() > 50) {
            return Err(ChartError::invalid(
                "authorization number",
                "a payer's authorization number has at most 50 characters",
            ));
        }
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO authorization (id, episode_id, visits, units, valid_from, valid_to, reference, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                rusqlite::params![
                    id,
                    episode_id,
                    visits,
                    units,
                    from.to_string(),
                    to.to_string(),
                    reference,
                    w.at
                ],
            )?;
            w.record(
                "create",
                "authorization",
                &id,
                serde_json::json!({ "id": id, "episode_id": episode_id, "visits": visits, "units": units,
                    "valid_from": from, "valid_to": to, "reference": reference }),
            )?;
            Ok(id)
        })
    }

    /// An episode's authorizations.
    pub fn authorizations(&self, episode_id: &str) -> Result<Vec<Authorization>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, visits, units, valid_from, valid_to, reference FROM authorization WHERE episode_id = ?1
             ORDER BY valid_from",
        )?;
        let rows = stmt.query_map([episode_id], |r| {
            Ok(Authorization {
                id: r.get(0)?,
                visits: r.get(1)?,
                units: r.get(2)?,
                valid_from: r.get(3)?,
                valid_to: r.get(4)?,
                reference: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Visits (days with a signed note) and billed units of an episode between two dates
    /// (inclusive, `YYYY-MM-DD`): what an authorization for those dates has used.
    pub fn authorization_use(&self, episode_id: &str, from: &str, to: &str) -> Result<(u32, u32)> {
        Ok(self
            .conn
            .prepare_cached(AUTHORIZATION_USE)?
            .query_row((episode_id, from, to), |r| Ok((r.get(0)?, r.get(1)?)))?)
    }
}

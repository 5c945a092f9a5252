//! The patient banner every patient screen shows, the note editor's included, so that a
//! clinician always sees whose record is open: name, age and date of birth, MRN, payer,
//! allergies and precautions, and for the episode its diagnoses, which visit this is of
//! those authorized or planned, and where the plan's certification stands. Everything is
//! decided here, in words; screens only lay it out.

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::plans::Certification;
use crate::users::{Role, Session};
use crate::validate;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Who may record a patient's allergies and precautions: clinicians and the front desk.
const SAFETY_EDITORS: [Role; 4] = [Role::Pt, Role::Pta, Role::Frontdesk, Role::Admin];

/// The banner of one patient, for one episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatientBanner {
    /// The patient.
    pub patient_id: String,
    /// "First Last".
    pub name: String,
    /// Date of birth.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub dob: NaiveDate,
    /// Age in whole years on the banner's day.
    pub age: u32,
    /// Sex, if recorded.
    pub sex: Option<String>,
    /// Medical record number.
    pub mrn: String,
    /// The primary payer's name and the member id; without a coverage, the episode's payer.
    pub payer: Option<String>,
    /// Allergies as recorded (`None`: not asked yet; "none known" is recorded as such).
    pub allergies: Option<String>,
    /// Precautions for treatment (fall risk, weight bearing, cardiac), as recorded.
    pub precautions: Option<String>,
    /// The episode shown, if any.
    pub episode: Option<EpisodeBanner>,
}

/// What the banner says about the episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EpisodeBanner {
    /// The episode.
    pub episode_id: String,
    /// Its diagnoses in claim order, each with its meaning.
    pub diagnoses: Vec<DiagnosisView>,
    /// Which visit this is: the distinct days with a note in the episode up to the day.
    pub visit: u32,
    /// "Visit 7 of 12 authorized", "visit 7 of 24 planned", or "visit 7".
    pub visit_words: String,
    /// Where the plan of care's certification stands, in words.
    pub certification: String,
    /// Whether the certification needs attention (none, unsigned, or expired).
    pub certification_due: bool,
}

/// A diagnosis and its meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiagnosisView {
    /// ICD-10-CM code.
    pub code: String,
    /// What it means (empty when the code set does not know it).
    pub description: String,
}

impl Chart {
    /// The banner for `patient_id` on `day`: for `episode_id` when given, else for the
    /// patient's newest open episode.
    pub fn patient_banner(&self, patient_id: &str, episode_id: Option<&str>, day: NaiveDate) -> Result<PatientBanner> {
        let p = self.patient(patient_id)?;
        let dob = validate::date("date of birth", &p.dob)?;
        let (allergies, precautions) = self.patient_safety(patient_id)?;
        let episode = match episode_id {
            Some(id) => Some(self.episode(id)?),
            None => self.episodes_of(patient_id)?.into_iter().find(|e| e.status == "open"),
        };
        // The primary coverage; else the episode's payer, without a card on file.
        let payer = match self.coverages(patient_id)?.into_iter().min_by_key(|c| c.priority) {
            Some(c) => Some(format!("{}, member {}", self.payer(&c.payer_id)?.name, c.member_id)),
            None => match &episode {
                Some(e) => Some(format!("{} (no insurance card on file)", self.payer(&e.payer_id)?.name)),
                None => None,
            },
        };
        let episode = episode.map(|e| e.id);
        let episode = episode.map(|id| self.episode_banner(&id, day)).transpose()?;
        Ok(PatientBanner {
            patient_id: p.id,
            name: format!("{} {}", p.first_name, p.last_name),
            dob,
            age: age_on(dob, day),
            sex: p.sex,
            mrn: p.mrn,
            payer,
            allergies,
            precautions,
            episode,
        })
    }

    fn episode_banner(&self, episode_id: &str, day: NaiveDate) -> Result<EpisodeBanner> {
        let episode = self.episode(episode_id)?;
        let descriptions = self.diagnosis_descriptions(&episode.diagnoses, day)?;
        let diagnoses = episode
            .diagnoses
            .iter()
            .zip(descriptions)
            .map(|(code, description)| DiagnosisView {
                code: code.clone(),
                description,
            })
            .collect();
        let visit: u32 = self
            .conn
            .prepare_cached(
                "SELECT count(DISTINCT date_of_service) FROM note WHERE episode_id = ?1 AND date_of_service <= ?2",
            )?
            .query_row((episode_id, day.to_string()), |r| r.get(0))?;
        let on = day.to_string();
        let authorized = self
            .authorizations(episode_id)?
            .into_iter()
            .filter(|a| a.valid_from <= on && on <= a.valid_to)
            .find_map(|a| a.visits);
        let plan = self.plans_of(episode_id)?.into_iter().next();
        let planned = plan.as_ref().map(|p| p.frequency_per_week * p.duration_weeks);
        let visit_words = match (authorized, planned) {
            (Some(of), _) => format!("Visit {visit} of {of} authorized"),
            (None, Some(of)) if of > 0 => format!("Visit {visit} of {of} planned"),
            _ => format!("Visit {visit}"),
        };
        let (certification, certification_due) = match &plan {
            None => ("No plan of care yet".to_owned(), true),
            Some(p) => match p.certification_on(day)? {
                Certification::Expired { ended } => {
                    (format!("Plan of care expired {}", crate::words::date(ended)), true)
                }
                Certification::Certified { through } => {
                    (format!("Plan certified through {}", crate::words::date(through)), false)
                }
                Certification::Unsigned { .. } => ("Plan of care not yet certified by the physician".to_owned(), true),
            },
        };
        Ok(EpisodeBanner {
            episode_id: episode_id.to_owned(),
            diagnoses,
            visit,
            visit_words,
            certification,
            certification_due,
        })
    }

    /// A patient's allergies and precautions.
    fn patient_safety(&self, patient_id: &str) -> Result<(Option<String>, Option<String>)> {
        Ok(self
            .conn
            .prepare_cached("SELECT allergies, precautions FROM patient WHERE id = ?1")?
            .query_row([patient_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// Records a patient's allergies and precautions (clinicians and the front desk);
    /// blank clears one.
    pub fn set_patient_safety(
        &mut self,
        by: &Session,
        patient_id: &str,
        allergies: Option<&str>,
        precautions: Option<&str>,
    ) -> Result<()> {
        by.require("recording allergies and precautions", &SAFETY_EDITORS)?;
        self.patient(patient_id)?;
        let clean = |field: &str, text: Option<&str>| -> Result<Option<String>> {
            let text = text.map(str::trim).filter(|t| !t.is_empty());
            if text.is_some_and(|t| t.chars().count() > 500) {
                return Err(ChartError::invalid(field, "500 characters at most"));
            }
            Ok(text.map(str::to_owned))
        };
        let allergies = clean("allergies", allergies)?;
        let precautions = clean("precautions", precautions)?;
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE patient SET allergies = ?2, precautions = ?3, updated_at = ?4 WHERE id = ?1",
                rusqlite::params![patient_id, allergies, precautions, w.at],
            )?;
            w.record("update", "patient", patient_id, serde_json::json!({ "id": patient_id }))
        })
    }
}

/// Whole years from `dob` to `day`.
fn age_on(dob: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = day.year() - dob.year();
    if (day.month(), day.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::age_on;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn age_turns_on_the_birthday() {
        assert_eq!(age_on(day("1958-02-17"), day("2026-02-16")), 67);
        assert_eq!(age_on(day("1958-02-17"), day("2026-02-17")), 68);
        assert_eq!(age_on(day("2024-02-29"), day("2025-02-28")), 0);
        assert_eq!(age_on(day("2024-02-29"), day("2025-03-01")), 1);
        assert_eq!(age_on(day("2027-01-01"), day("2026-01-01")), 0, "never negative");
    }
}

//! Patients: demographics, contact, MRN, coverages; and search as you type.

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

/// What it takes to register a patient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPatient {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth, YYYY-MM-DD.
    pub dob: String,
    /// Medical record number; made up when empty.
    pub mrn: Option<String>,
    /// female, male, other or unknown.
    pub sex: Option<String>,
    /// Phone number as typed.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Street line of the postal address.
    pub address: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// Two-letter state.
    #[serde(default)]
    pub state: Option<String>,
    /// ZIP code, 5 or 9 digits.
    #[serde(default)]
    pub zip: Option<String>,
}

/// A patient as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Patient {
    /// Id.
    pub id: String,
    /// Medical record number.
    pub mrn: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: String,
    /// Sex, if recorded.
    pub sex: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Street line of the address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// ZIP code.
    pub zip: Option<String>,
    /// The calendar year of `outside_therapy_cents`, when recorded.
    pub outside_therapy_year: Option<i32>,
    /// Therapy allowed amounts other providers billed that year, as the payer reports them.
    pub outside_therapy_cents: i64,
}

/// A patient's insurance with one payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Coverage {
    /// Id.
    pub id: String,
    /// The payer.
    pub payer_id: String,
    /// Member id on the insurance card.
    pub member_id: String,
    /// Group number.
    pub group_no: Option<String>,
    /// 1 primary, 2 secondary, 3 tertiary.
    pub priority: u8,
}

const SELECT: &str =
    "SELECT id, mrn, first_name, last_name, dob, sex, phone, email, address, city, state, zip, outside_therapy_year,
            outside_therapy_cents FROM patient";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Patient> {
    Ok(Patient {
        id: r.get(0)?,
        mrn: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        dob: r.get(4)?,
        sex: r.get(5)?,
        phone: r.get(6)?,
        email: r.get(7)?,
        address: r.get(8)?,
        city: r.get(9)?,
        state: r.get(10)?,
        zip: r.get(11)?,
        outside_therapy_year: r.get(12)?,
        outside_therapy_cents: r.get(13)?,
    })
}

/// Who may register and edit patients.
const REGISTRARS: [Role; 4] = [Role::Frontdesk, Role::Pt, Role::Pta, Role::Admin];

impl Chart {
    /// Registers a patient; returns the id.
    pub fn add_patient(&mut self, by: &Session, p: &NewPatient) -> Result<String> {
        by.require("registering a patient", &REGISTRARS)?;
        let first = validate::required("first name", &p.first_name)?;
        let last = validate::required("last name", &p.last_name)?;
        let dob = validate::date("date of birth", &p.dob)?;
        let today = chrono::Local::now().date_naive();
        if dob > today || dob < chrono::NaiveDate::from_ymd_opt(1890, 1, 1).unwrap_or(dob) {
            return Err(ChartError::invalid(
                "date of birth",
                format!("{dob} is not a plausible date of birth"),
            ));
        }
        let sex = validate::optional(&p.sex).map(|s| s.to_ascii_lowercase());
        if let Some(s) = &sex
            && !["female", "male", "other", "unknown"].contains(&s.as_str())
        {
            return Err(ChartError::invalid("sex", "use female, male, other or unknown"));
        }
        let email = validate::optional(&p.email);
        if let Some(e) = &email
            && !e.contains('@')
        {
            return Err(ChartError::invalid("email", format!("{e:?} is not an email address")));
        }
        let state = validate::optional(&p.state)
            .map(|s| crate::billing::profile::state_code("state", &s))
            .transpose()?;
        let zip = validate::optional(&p.zip)
            .map(|z| crate::billing::profile::zip_code("ZIP", &z))
            .transpose()?;
        self.write(Some(by), |w| {
            let id = new_id();
            let taken = |mrn: &str| -> Result<bool> {
                Ok(w.tx
                    .prepare_cached("SELECT 1 FROM patient WHERE mrn = ?1")?
                    .query_row([mrn], |_| Ok(()))
                    .optional()?
                    .is_some())
            };
            let mrn = match validate::optional(&p.mrn) {
                Some(m) if taken(&m)? => {
                    return Err(ChartError::invalid("MRN", format!("{m} belongs to another patient")));
                }
                Some(m) => m,
                None => loop {
                    // Skip numbers already given by hand.
                    let m = next_mrn(&w.tx)?;
                    if !taken(&m)? {
                        break m;
                    }
                },
            };
            let patient = Patient {
                id: id.clone(),
                mrn,
                first_name: first,
                last_name: last,
                dob: dob.to_string(),
                sex,
                phone: validate::optional(&p.phone),
                email,
                address: validate::optional(&p.address),
                city: validate::optional(&p.city),
                state,
                zip,
                outside_therapy_year: None,
                outside_therapy_cents: 0,
            };
            w.exec(
                "INSERT INTO patient (id, mrn, first_name, last_name, dob, sex, phone, email, address, city, state, zip,
                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
                rusqlite::params![
                    patient.id,
                    patient.mrn,
                    patient.first_name,
                    patient.last_name,
                    patient.dob,
                    patient.sex,
                    patient.phone,
                    patient.email,
                    patient.address,
                    patient.city,
                    patient.state,
                    patient.zip,
                    w.at
                ],
            )?;
            w.record(
                "create",
                "patient",
                &id,
                serde_json::to_value(&patient).unwrap_or_default(),
            )?;
            Ok(id)
        })
    }

    /// One patient.
    pub fn patient(&self, id: &str) -> Result<Patient> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or_else(|| ChartError::not_found("patient", id))
    }

    /// Every patient, by last then first name.
    pub fn patients(&self) -> Result<Vec<Patient>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT} ORDER BY last_name, first_name, dob"))?;
        Ok(stmt.query_map([], from_row)?.collect::<std::result::Result<_, _>>()?)
    }

    /// Patients matching what was typed: name prefixes, MRN, date of birth
    /// (YYYY-MM-DD or MM/DD/YYYY) or phone digits. Every word must match. At most `limit`,
    /// by name. (Matches are not ranked: ranking every match of a one-letter prefix in a
    /// large clinic costs more than typing one more letter.)
    pub fn search_patients(&self, text: &str, limit: usize) -> Result<Vec<Patient>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT} WHERE id IN (SELECT patient_id FROM patient_search WHERE patient_search MATCH ?1 LIMIT ?2)
             ORDER BY last_name, first_name, dob"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(stmt
            .query_map((query, limit), from_row)?
            .collect::<std::result::Result<_, _>>()?)
    }

    /// Adds a coverage to a patient; returns its id.
    pub fn add_coverage(
        &mut self,
        by: &Session,
        patient_id: &str,
        payer_id: &str,
        member_id: &str,
        priority: u8,
    ) -> Result<String> {
        by.require("adding insurance", &REGISTRARS)?;
        self.patient(patient_id)?;
        self.payer(payer_id)?;
        let member_id = validate::required("member id", member_id)?;
        if !(1..=3).contains(&priority) {
            return Err(ChartError::invalid(
                "priority",
                "use 1 (primary), 2 (secondary) or 3 (tertiary)",
            ));
        }
        self.write(Some(by), |w| {
            let id = new_id();
            w.exec(
                "INSERT INTO coverage (id, patient_id, payer_id, member_id, priority, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                (&id, patient_id, payer_id, &member_id, priority, &w.at),
            )?;
            w.record(
                "create",
                "coverage",
                &id,
                serde_json::json!({ "id": id, "patient_id": patient_id, "payer_id": payer_id,
                    "member_id": member_id, "priority": priority }),
            )?;
            Ok(id)
        })
    }

    /// A patient's coverages, primary first.
    pub fn coverages(&self, patient_id: &str) -> Result<Vec<Coverage>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, payer_id, member_id, group_no, priority FROM coverage WHERE patient_id = ?1 ORDER BY priority",
        )?;
        let rows = stmt.query_map([patient_id], |r| {
            Ok(Coverage {
                id: r.get(0)?,
                payer_id: r.get(1)?,
                member_id: r.get(2)?,
                group_no: r.get(3)?,
                priority: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

/// The next MRN of the form `S000123`, from a counter kept in `meta` (a scan for the
/// highest would cost a moment per thousand patients).
fn next_mrn(tx: &rusqlite::Connection) -> Result<String> {
    let n: i64 = tx
        .prepare_cached(
            "INSERT INTO meta (key, value) VALUES ('next_mrn', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
         RETURNING CAST(value AS INTEGER)",
        )?
        .query_row([], |r| r.get(0))?;
    // A linked chart's MRNs carry its device's number, so devices never clash.
    let prefix: String = tx
        .prepare_cached("SELECT coalesce((SELECT value FROM meta WHERE key = 'mrn_prefix'), 'S')")?
        .query_row([], |r| r.get(0))?;
    Ok(format!("{prefix}{n:06}"))
}

/// Turns typed text into an FTS5 query: each word a prefix term, all required. Dates
/// become phrases of their parts; punctuation that FTS5 would read as syntax is dropped.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    // A whole phone number, however punctuated, is one run of digits.
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || "()-+. ".contains(c));
    if phone_like && digits.len() >= 3 && as_iso_date(text.trim()).is_none() {
        return Some(format!("\"{digits}\"*"));
    }
    let mut terms = Vec::new();
    for word in text.split_whitespace() {
        if let Some(date) = as_iso_date(word) {
            terms.push(format!("\"{}\"", date.replace('-', " ")));
            continue;
        }
        for piece in word.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
            terms.push(format!("\"{}\"*", piece.to_lowercase()));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// `1980-04-12` or `04/12/1980` as `1980-04-12`.
fn as_iso_date(word: &str) -> Option<String> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(word, "%Y-%m-%d") {
        return Some(d.to_string());
    }
    chrono::NaiveDate::parse_from_str(word, "%m/%d/%Y")
        .ok()
        .map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn queries() {
        assert_eq!(fts_query("smi jo").as_deref(), Some("\"smi\"* \"jo\"*"));
        assert_eq!(fts_query("04/12/1980").as_deref(), Some("\"1980 04 12\""));
        assert_eq!(fts_query("(555) 123").as_deref(), Some("\"555123\"*"));
        assert_eq!(fts_query("555-1234").as_deref(), Some("\"5551234\"*"));
        assert_eq!(fts_query("o'brien").as_deref(), Some("\"o\"* \"brien\"*"));
        assert_eq!(fts_query("\"*^-").as_deref(), None);
        assert_eq!(fts_query("   ").as_deref(), None);
    }
}

//! Who a coverage insures and on what terms: the subscriber when the patient is a
//! dependant on someone else's plan, the Medicare Secondary Payer type when Medicare pays
//! second, and whether the patient is a Qualified Medicare Beneficiary. The front desk
//! records them from the insurance card and the eligibility response; claims read them.

use crate::billing::profile::{state_code, zip_code};
use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use serde::{Deserialize, Serialize};
use stride_billing::x12::claim837::{MSP_TYPES, Relationship};

/// Who records insurance details: the front desk, billers and administrators.
const INSURANCE_CLERKS: [Role; 3] = [Role::Frontdesk, Role::Biller, Role::Admin];

/// The insured of a coverage that is not the patient's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Insured {
    /// How the patient is related to the insured: `spouse`, `child`, `life_partner` or
    /// `other`.
    pub relationship: String,
    /// The insured's given name.
    pub first_name: String,
    /// The insured's family name.
    pub last_name: String,
    /// The insured's date of birth, YYYY-MM-DD.
    pub dob: String,
    /// `female`, `male` or `unknown`.
    pub sex: String,
    /// Street line.
    pub address: String,
    /// City.
    pub city: String,
    /// Two-letter state.
    pub state: String,
    /// ZIP, 5 or 9 digits.
    pub zip: String,
}

/// What a coverage records beyond its payer and member id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CoverageTerms {
    /// The insured, when not the patient.
    pub insured: Option<Insured>,
    /// Why Medicare pays second, when it does (SBR05).
    pub msp_type: Option<String>,
}

impl Chart {
    /// A coverage's insured and Medicare Secondary Payer type.
    pub fn coverage_terms(&self, coverage_id: &str) -> Result<CoverageTerms> {
        self.coverage_patient(coverage_id)?;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT relationship, subscriber_first_name, subscriber_last_name, subscriber_dob, subscriber_sex,
                        subscriber_address, subscriber_city, subscriber_state, subscriber_zip, msp_type
                 FROM coverage WHERE id = ?1",
            )?
            .query_row([coverage_id], |r| {
                let relationship: String = r.get(0)?;
                let text =
                    |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
                let insured = (relationship != Relationship::SelfInsured.name())
                    .then(|| -> rusqlite::Result<Insured> {
                        Ok(Insured {
                            relationship: relationship.clone(),
                            first_name: text(1)?,
                            last_name: text(2)?,
                            dob: text(3)?,
                            sex: text(4)?,
                            address: text(5)?,
                            city: text(6)?,
                            state: text(7)?,
                            zip: text(8)?,
                        })
                    })
                    .transpose()?;
                Ok(CoverageTerms {
                    insured,
                    msp_type: r.get(9)?,
                })
            })?)
    }

    /// Records who a coverage's insured is (`None`: the patient is the insured).
    pub fn set_coverage_insured(&mut self, by: &Session, coverage_id: &str, insured: Option<&Insured>) -> Result<()> {
        by.require("recording the insured of a coverage", &INSURANCE_CLERKS)?;
        self.coverage_patient(coverage_id)?;
        let checked = insured.map(check_insured).transpose()?;
        self.write(Some(by), |w| {
            match &checked {
                Some(i) => w.exec(
                    "UPDATE coverage SET relationship = ?2, subscriber_first_name = ?3, subscriber_last_name = ?4,
                        subscriber_dob = ?5, subscriber_sex = ?6, subscriber_address = ?7, subscriber_city = ?8,
                        subscriber_state = ?9, subscriber_zip = ?10 WHERE id = ?1",
                    rusqlite::params![
                        coverage_id,
                        i.relationship,
                        i.first_name,
                        i.last_name,
                        i.dob,
                        i.sex,
                        i.address,
                        i.city,
                        i.state,
                        i.zip
                    ],
                )?,
                None => w.exec(
                    "UPDATE coverage SET relationship = 'self', subscriber_first_name = NULL, subscriber_last_name = NULL,
                        subscriber_dob = NULL, subscriber_sex = NULL, subscriber_address = NULL, subscriber_city = NULL,
                        subscriber_state = NULL, subscriber_zip = NULL WHERE id = ?1",
                    [coverage_id],
                )?,
            };
            w.record("update", "coverage", coverage_id, serde_json::json!({ "id": coverage_id }))
        })
    }

    /// Records why Medicare pays second on a coverage (its MSP type), or clears it.
    pub fn set_msp_type(&mut self, by: &Session, coverage_id: &str, msp_type: Option<&str>) -> Result<()> {
        by.require("recording a Medicare Secondary Payer type", &INSURANCE_CLERKS)?;
        self.coverage_patient(coverage_id)?;
        let msp_type = validate::optional_code("Medicare Secondary Payer type", msp_type, MSP_TYPES)?;
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE coverage SET msp_type = ?2 WHERE id = ?1",
                (coverage_id, msp_type),
            )?;
            w.record(
                "update",
                "coverage",
                coverage_id,
                serde_json::json!({ "id": coverage_id }),
            )
        })
    }

    /// Records whether a patient is a Qualified Medicare Beneficiary: their Medicare
    /// deductible and coinsurance are then never put on their balance.
    pub fn set_qmb(&mut self, by: &Session, patient_id: &str, qmb: bool) -> Result<()> {
        by.require("recording Medicare QMB status", &INSURANCE_CLERKS)?;
        self.patient(patient_id)?;
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE patient SET qmb = ?2, updated_at = ?3 WHERE id = ?1",
                rusqlite::params![patient_id, qmb, w.at],
            )?;
            w.record("update", "patient", patient_id, serde_json::json!({ "id": patient_id }))
        })
    }

    /// Whether a patient is a Qualified Medicare Beneficiary.
    pub fn is_qmb(&self, patient_id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT qmb FROM patient WHERE id = ?1")?
            .query_row([patient_id], |r| r.get(0))?)
    }

    fn coverage_patient(&self, coverage_id: &str) -> Result<String> {
        use rusqlite::OptionalExtension;
        self.conn
            .prepare_cached("SELECT patient_id FROM coverage WHERE id = ?1")?
            .query_row([coverage_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ChartError::not_found("coverage", coverage_id))
    }
}

fn check_insured(i: &Insured) -> Result<Insured> {
    let relationship = i.relationship.trim().to_ascii_lowercase();
    match Relationship::parse(&relationship) {
        Some(Relationship::SelfInsured) | None => {
            return Err(ChartError::invalid(
                "relationship",
                "say how the patient is related to the insured: spouse, child, life_partner or other",
            ));
        }
        Some(_) => {}
    }
    let dob = validate::date("the insured's date of birth", &i.dob)?;
    let sex = i.sex.trim().to_ascii_lowercase();
    if !["female", "male", "unknown"].contains(&sex.as_str()) {
        return Err(ChartError::invalid("the insured's sex", "use female, male or unknown"));
    }
    Ok(Insured {
        relationship,
        first_name: validate::required("the insured's first name", &i.first_name)?,
        last_name: validate::required("the insured's last name", &i.last_name)?,
        dob: dob.to_string(),
        sex,
        address: validate::required("the insured's street address", &i.address)?,
        city: validate::required("the insured's city", &i.city)?,
        state: state_code("the insured's state", &i.state)?,
        zip: zip_code("the insured's ZIP", &i.zip)?,
    })
}

//! What a claim needs besides the notes: the clinic as billing provider and its
//! clearinghouse, its charge for each code, each payer's electronic id and filing
//! indicator, patients' postal addresses and clinicians' NPIs.

use super::BILLING_ROLES;
use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The clinic as the billing provider of its claims.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BillingProfile {
    /// The clinic's legal name.
    pub name: String,
    /// Type 2 NPI.
    pub npi: Option<String>,
    /// EIN, nine digits.
    pub tax_id: Option<String>,
    /// Street line (no PO box).
    pub address_line: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Two-letter state.
    pub state: Option<String>,
    /// ZIP+4, nine digits.
    pub zip: Option<String>,
    /// Billing phone.
    pub phone: Option<String>,
    /// Billing contact's name.
    pub billing_contact: Option<String>,
    /// Provider taxonomy (225100000X, physical therapist).
    pub taxonomy: String,
    /// The clinic's submitter id with its clearinghouse.
    pub submitter_id: Option<String>,
    /// The clearinghouse's receiver id.
    pub receiver_id: Option<String>,
    /// The clearinghouse's name.
    pub receiver_name: Option<String>,
    /// Usual place of service (11 office).
    pub place_of_service: String,
    /// A solo clinician who bills in their own name under their Type 1 NPI (the claims'
    /// billing provider is then this person); `None` for a group billing under the
    /// clinic's Type 2 NPI.
    #[serde(default)]
    pub billing_clinician_id: Option<String>,
}

/// A patient's postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PostalAddress {
    /// Street line.
    pub line: String,
    /// City.
    pub city: String,
    /// Two-letter state.
    pub state: String,
    /// ZIP, 5 or 9 digits.
    pub zip: String,
}

/// How a payer is billed electronically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PayerBilling {
    /// The payer's electronic id (from the clearinghouse's payer list).
    pub payer_code: Option<String>,
    /// Claim filing indicator (837P SBR09): MB, CI, BL, HM, MC, ...
    pub claim_filing: String,
    /// Self-pay: no claims; the patient gets a superbill.
    pub self_pay: bool,
}

const FILING_CODES: &[&str] = &[
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI", "HM", "LM", "MA", "MB", "MC", "OF",
    "TV", "VA", "WC", "ZZ",
];

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A two-letter state code, upper case.
pub(crate) fn state_code(field: &str, text: &str) -> Result<String> {
    let t = text.trim().to_ascii_uppercase();
    if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(ChartError::invalid(
            field,
            format!("{text:?} is not a two-letter state code"),
        ));
    }
    Ok(t)
}

/// A ZIP code of 5 or 9 digits, as digits.
pub(crate) fn zip_code(field: &str, text: &str) -> Result<String> {
    let d = digits(text);
    if d.len() != 5 && d.len() != 9 {
        return Err(ChartError::invalid(
            field,
            format!("{text:?} is not a ZIP code (5 or 9 digits)"),
        ));
    }
    Ok(d)
}

impl Chart {
    /// The clinic's billing profile.
    pub fn billing_profile(&self) -> Result<BillingProfile> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name, npi, tax_id, address_line, city, state, zip, phone, billing_contact, taxonomy,
                    submitter_id, receiver_id, receiver_name, place_of_service, billing_clinician_id FROM clinic WHERE id = ?1",
            )?
            .query_row([self.clinic_id()], |r| {
                Ok(BillingProfile {
                    name: r.get(0)?,
                    npi: r.get(1)?,
                    tax_id: r.get(2)?,
                    address_line: r.get(3)?,
                    city: r.get(4)?,
                    state: r.get(5)?,
                    zip: r.get(6)?,
                    phone: r.get(7)?,
                    billing_contact: r.get(8)?,
                    taxonomy: r.get(9)?,
                    submitter_id: r.get(10)?,
                    receiver_id: r.get(11)?,
                    receiver_name: r.get(12)?,
                    place_of_service: r.get(13)?,
                    billing_clinician_id: r.get(14)?,
                })
            })?)
    }

    /// Sets the clinic's billing profile (billers and administrators). Each value given
    /// is checked: NPI check digit, 9-digit tax id and ZIP+4, 10-digit phone.
    pub fn set_billing_profile(&mut self, by: &Session, p: &BillingProfile) -> Result<()> {
        by.require("setting the clinic's billing details", BILLING_ROLES)?;
        let npi = validate::optional(&p.npi)
            .map(|n| validate::npi("clinic NPI", &n))
            .transpose()?;
        let tax_id = validate::optional(&p.tax_id)
            .map(|t| tax_id("tax id", &t))
            .transpose()?;
        let zip = validate::optional(&p.zip).map(|z| digits(&z));
        if zip.as_ref().is_some_and(|z| z.len() != 9) {
            return Err(ChartError::invalid(
                "ZIP",
                "a billing provider's ZIP code needs all 9 digits (ZIP+4)",
            ));
        }
        let phone = validate::optional(&p.phone).map(|t| digits(&t));
        if phone.as_ref().is_some_and(|t| t.len() != 10) {
            return Err(ChartError::invalid("phone", "a phone number has 10 digits"));
        }
        let state = validate::optional(&p.state)
            .map(|s| state_code("state", &s))
            .transpose()?;
        let taxonomy = p.taxonomy.trim().to_ascii_uppercase();
        if taxonomy.len() != 10 {
            return Err(ChartError::invalid(
                "taxonomy",
                "a provider taxonomy code has 10 characters",
            ));
        }
        let place = p.place_of_service.trim();
        if place.len() != 2 || !place.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ChartError::invalid(
                "place of service",
                "a place of service is a 2-digit code (11 office)",
            ));
        }
        let solo = validate::optional(&p.billing_clinician_id);
        if let Some(id) = &solo {
            self.check_bills_in_own_name(id, "billing clinician")?;
        }
        let clinic_id = self.clinic_id().to_owned();
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE clinic SET billing_clinician_id = ?2 WHERE id = ?1",
                (&clinic_id, &solo),
            )?;
            w.exec(
                "UPDATE clinic SET npi = ?2, tax_id = ?3, address_line = ?4, city = ?5, state = ?6, zip = ?7,
                    phone = ?8, billing_contact = ?9, taxonomy = ?10, submitter_id = ?11, receiver_id = ?12,
                    receiver_name = ?13, place_of_service = ?14 WHERE id = ?1",
                rusqlite::params![
                    clinic_id,
                    npi,
                    tax_id,
                    validate::optional(&p.address_line),
                    validate::optional(&p.city),
                    state,
                    zip,
                    phone,
                    validate::optional(&p.billing_contact),
                    taxonomy,
                    validate::optional(&p.submitter_id),
                    validate::optional(&p.receiver_id),
                    validate::optional(&p.receiver_name),
                    place
                ],
            )?;
            w.record("billing", "clinic", &clinic_id, serde_json::json!({ "id": clinic_id }))
        })
    }

    /// Sets the clinic's charge for one unit of `code` (billers and administrators).
    pub fn set_clinic_fee(&mut self, by: &Session, code: &str, cents: i64) -> Result<()> {
        by.require("setting the clinic's charges", BILLING_ROLES)?;
        let code = code.trim().to_ascii_uppercase();
        if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ChartError::invalid(
                "code",
                format!("{code:?} is not a CPT or HCPCS code"),
            ));
        }
        if !(0..=10_000_000).contains(&cents) {
            return Err(ChartError::invalid("charge", "must be between $0 and $100,000"));
        }
        let clinic_id = self.clinic_id().to_owned();
        self.write(Some(by), |w| {
            w.exec(
                "INSERT INTO clinic_fee (clinic_id, code, cents) VALUES (?1, ?2, ?3)
                 ON CONFLICT (clinic_id, code) DO UPDATE SET cents = ?3",
                (&clinic_id, &code, cents),
            )?;
            w.record(
                "billing",
                "clinic",
                &clinic_id,
                serde_json::json!({ "id": clinic_id, "fee": { "code": code, "cents": cents } }),
            )
        })
    }

    /// The clinic's charges by code.
    pub fn clinic_fees(&self) -> Result<BTreeMap<String, i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, cents FROM clinic_fee WHERE clinic_id = ?1")?;
        let rows = stmt.query_map([self.clinic_id()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// How a payer is billed.
    pub fn payer_billing(&self, payer_id: &str) -> Result<PayerBilling> {
        self.payer(payer_id)?;
        Ok(self
            .conn
            .prepare_cached("SELECT payer_code, claim_filing, self_pay FROM payer WHERE id = ?1")?
            .query_row([payer_id], |r| {
                Ok(PayerBilling {
                    payer_code: r.get(0)?,
                    claim_filing: r.get(1)?,
                    self_pay: r.get(2)?,
                })
            })?)
    }

    /// Sets how a payer is billed (billers and administrators).
    pub fn set_payer_billing(&mut self, by: &Session, payer_id: &str, b: &PayerBilling) -> Result<()> {
        by.require("setting a payer's billing details", BILLING_ROLES)?;
        self.payer(payer_id)?;
        let filing = b.claim_filing.trim().to_ascii_uppercase();
        if !FILING_CODES.contains(&filing.as_str()) {
            return Err(ChartError::invalid(
                "claim filing indicator",
                format!(
                    "{filing:?} is not a claim filing indicator (MB Medicare Part B, CI commercial, BL Blue Cross, ...)"
                ),
            ));
        }
        let code = validate::optional(&b.payer_code);
        if code
            .as_ref()
            .is_some_and(|c| c.len() > 80 || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(ChartError::invalid("payer id", "a payer id is letters and digits"));
        }
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE payer SET payer_code = ?2, claim_filing = ?3, self_pay = ?4 WHERE id = ?1",
                rusqlite::params![payer_id, code, filing, b.self_pay],
            )?;
            w.record(
                "update",
                "payer",
                payer_id,
                serde_json::json!({ "payer_id": payer_id, "billing": b }),
            )
        })
    }

    /// Sets a patient's postal address (front desk, billers, administrators, clinicians).
    pub fn set_patient_address(&mut self, by: &Session, patient_id: &str, a: &PostalAddress) -> Result<()> {
        by.require(
            "changing a patient's address",
            &[Role::Frontdesk, Role::Biller, Role::Admin, Role::Pt, Role::Pta],
        )?;
        self.patient(patient_id)?;
        let line = validate::required("street address", &a.line)?;
        let city = validate::required("city", &a.city)?;
        let state = state_code("state", &a.state)?;
        let zip = zip_code("ZIP", &a.zip)?;
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE patient SET address = ?2, city = ?3, state = ?4, zip = ?5, updated_at = ?6 WHERE id = ?1",
                rusqlite::params![patient_id, line, city, state, zip, w.at],
            )?;
            w.record("update", "patient", patient_id, serde_json::json!({ "id": patient_id }))
        })
    }

    /// Records the therapy allowed amounts other providers billed for a patient in one
    /// calendar year, as the payer reports them (front desk, billers, administrators):
    /// the KX threshold counts them with the clinic's own.
    pub fn set_outside_therapy(&mut self, by: &Session, patient_id: &str, year: i32, cents: i64) -> Result<()> {
        by.require(
            "recording therapy billed by other providers",
            &[Role::Frontdesk, Role::Biller, Role::Admin],
        )?;
        self.patient(patient_id)?;
        if !(2000..=2100).contains(&year) {
            return Err(ChartError::invalid(
                "year",
                format!("{year} is not a calendar year Stride bills"),
            ));
        }
        if cents < 0 {
            return Err(ChartError::invalid("amount", "an amount billed is never negative"));
        }
        self.write(Some(by), |w| {
            w.exec(
                "UPDATE patient SET outside_therapy_year = ?2, outside_therapy_cents = ?3, updated_at = ?4 WHERE id = ?1",
                rusqlite::params![patient_id, year, cents, w.at],
            )?;
            w.record("update", "patient", patient_id, serde_json::json!({ "id": patient_id }))
        })
    }

    /// Sets a clinician's individual NPI (administrators), checked by its check digit.
    pub fn set_user_npi(&mut self, by: &Session, user_id: &str, npi: &str) -> Result<()> {
        by.require("setting a clinician's NPI", &[Role::Admin])?;
        if self.linked {
            return Err(ChartError::State(
                "users are managed on the clinic server: set the NPI there (stride-server user npi)".into(),
            ));
        }
        let npi = validate::npi("NPI", npi)?;
        self.user_name(user_id)?;
        self.write(Some(by), |w| {
            w.exec("UPDATE user SET npi = ?2 WHERE id = ?1", (user_id, &npi))?;
            w.record("update", "user", user_id, serde_json::json!({ "id": user_id }))
        })
    }

    /// Lets a physical therapist bill their own patients in their own name, under their
    /// Type 1 NPI and `tax_id` (an employer identification number), or stops it with
    /// `None` (administrators). Their claims then name them as the billing provider.
    pub fn set_own_billing(&mut self, by: &Session, user_id: &str, tax_id: Option<&str>) -> Result<()> {
        by.require("letting a clinician bill in their own name", &[Role::Admin])?;
        if self.linked {
            return Err(ChartError::State(
                "users are managed on the clinic server: set it there (stride-server user own-billing)".into(),
            ));
        }
        let tax_id = tax_id.map(|t| self::tax_id("tax id", t)).transpose()?;
        if tax_id.is_some() {
            self.check_bills_in_own_name(user_id, "clinician")?;
        } else {
            self.user_name(user_id)?;
        }
        self.write(Some(by), |w| {
            w.exec("UPDATE user SET own_tax_id = ?2 WHERE id = ?1", (user_id, &tax_id))?;
            w.record("update", "user", user_id, serde_json::json!({ "id": user_id }))
        })
    }

    /// The tax id a clinician bills under in their own name, if they do.
    pub fn own_tax_id(&self, user_id: &str) -> Result<Option<String>> {
        self.user_name(user_id)?;
        Ok(self
            .conn
            .prepare_cached("SELECT own_tax_id FROM user WHERE id = ?1")?
            .query_row([user_id], |r| r.get(0))?)
    }

    /// Refuses unless `user_id` is a physical therapist of this clinic with their own NPI:
    /// only such a person can be a billing provider.
    fn check_bills_in_own_name(&self, user_id: &str, field: &str) -> Result<()> {
        let npi: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT u.npi FROM user u JOIN user_role r ON r.user_id = u.id AND r.role = 'pt' WHERE u.id = ?1",
            )?
            .query_row([user_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| {
                ChartError::invalid(
                    field,
                    "only a physical therapist of this clinic can bill in their own name",
                )
            })?;
        if npi.is_none() {
            return Err(ChartError::invalid(
                field,
                "record the therapist's own NPI (Type 1) before billing in their name",
            ));
        }
        Ok(())
    }
}

/// An employer identification number as its 9 digits ("12-3456789" or "123456789").
fn tax_id(field: &str, text: &str) -> Result<String> {
    let digits = digits(text);
    if digits.len() != 9 {
        return Err(ChartError::invalid(
            field,
            "an employer identification number has 9 digits",
        ));
    }
    Ok(digits)
}

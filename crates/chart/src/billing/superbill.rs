//! The superbill a self-pay patient (or any patient) sends to their insurer: the signed
//! visits of a period with codes, modifiers, units and the clinic's charges.

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use stride_billing::superbill::{Superbill, SuperbillLine, render};
use stride_coding::Modifier;

/// One billed service of a signed visit.
struct Service {
    date: String,
    code: String,
    modifiers: String,
    units: u32,
    episode_id: String,
    therapist: String,
    npi: Option<String>,
}

impl Chart {
    /// A superbill PDF for a patient's signed visits from `from` to `to` (front desk,
    /// billers, administrators). Recorded in the audit trail as an export.
    pub fn superbill_pdf(
        &mut self,
        by: &Session,
        patient_id: &str,
        from: &str,
        to: &str,
        today: NaiveDate,
    ) -> Result<Vec<u8>> {
        by.require("printing a superbill", &[Role::Frontdesk, Role::Biller, Role::Admin])?;
        let from = validate::date("from", from)?;
        let to = validate::date("to", to)?;
        let patient = self.patient(patient_id)?;
        let profile = self.billing_profile()?;
        let fees = self.clinic_fees()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.date_of_service, c.code, c.modifiers, c.units, c.episode_id, u.name, u.npi
             FROM day_line c JOIN user u ON u.id = coalesce(c.cosigned_by, c.signed_by)
             WHERE c.patient_id = ?1 AND c.date_of_service BETWEEN ?2 AND ?3
             ORDER BY c.date_of_service, c.position",
        )?;
        let rows: Vec<Service> = stmt
            .query_map((patient_id, from.to_string(), to.to_string()), |r| {
                Ok(Service {
                    date: r.get(0)?,
                    code: r.get(1)?,
                    modifiers: r.get(2)?,
                    units: r.get(3)?,
                    episode_id: r.get(4)?,
                    therapist: r.get(5)?,
                    npi: r.get(6)?,
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        drop(stmt);
        let Some(first) = rows.first() else {
            return Err(ChartError::State(format!(
                "the patient has no signed visits from {from} to {to}"
            )));
        };
        // One episode's diagnoses and referral head the page: a period spanning two
        // episodes would print one's diagnoses over the other's visits.
        if rows.iter().any(|r| r.episode_id != first.episode_id) {
            return Err(ChartError::State(format!(
                "the visits from {from} to {to} belong to more than one episode of care: \
                 print a superbill for each episode's dates"
            )));
        }
        let episode = self.episode(&first.episode_id)?;
        let therapist = format!(
            "{}, NPI {}",
            first.therapist,
            first.npi.clone().unwrap_or_else(|| "not recorded".into())
        );
        let referring = match &episode.referring_provider_id {
            Some(id) => self
                .conn
                .prepare_cached("SELECT name || ', NPI ' || npi FROM referring_provider WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let mut lines = Vec::with_capacity(rows.len());
        for Service {
            date,
            code,
            modifiers,
            units,
            ..
        } in &rows
        {
            let day = validate::date("date of service", date)?;
            let description = match self.rules.codes.lookup(code, day) {
                stride_coding::code_table::Lookup::Found(def) => def.description.clone(),
                _ => String::new(),
            };
            lines.push(SuperbillLine {
                date: day,
                code: code.clone(),
                description,
                modifiers: Modifier::parse_list(modifiers)
                    .map_err(|e| ChartError::State(format!("a stored line of {date} is damaged: {e}")))?,
                units: *units,
                charge_cents: fees.get(code).copied().unwrap_or(0) * i64::from(*units),
            });
        }
        let paid: i64 = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(cents), 0) FROM patient_payment WHERE patient_id = ?1 AND received_on BETWEEN ?2 AND ?3",
            )?
            .query_row((patient_id, from.to_string(), to.to_string()), |r| r.get(0))?;
        let place = |city: &Option<String>, state: &Option<String>, zip: &Option<String>| {
            format!(
                "{}, {} {}",
                city.clone().unwrap_or_default(),
                state.clone().unwrap_or_default(),
                zip.clone().unwrap_or_default()
            )
        };
        let bill = Superbill {
            clinic_name: profile.name.clone(),
            clinic_address: vec![
                profile.address_line.clone().unwrap_or_default(),
                place(&profile.city, &profile.state, &profile.zip),
            ],
            clinic_npi: profile.npi.clone().unwrap_or_default(),
            tax_id: profile.tax_id.clone().unwrap_or_default(),
            phone: profile.phone.clone().unwrap_or_default(),
            therapist,
            referring,
            patient_name: format!("{} {}", patient.first_name, patient.last_name),
            patient_dob: validate::date("date of birth", &patient.dob)?,
            patient_address: vec![
                patient.address.clone().unwrap_or_default(),
                place(&patient.city, &patient.state, &patient.zip),
            ],
            diagnoses: episode.diagnoses.clone(),
            lines,
            paid_cents: paid,
            issued_on: today,
        };
        self.record_export(by, "superbill", patient_id)?;
        Ok(render(&bill))
    }
}

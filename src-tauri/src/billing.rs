//! The biller's desk: claims by status with the scrubber's findings, building, marking
//! ready, 837P export, 835 import, the denial queue and A/R. Files the desk writes (837P
//! batches, superbills) go to an `exports` folder beside the chart.

use crate::desk::Desk;
use crate::error::{CommandError, ErrorKind, Result};
use serde::Serialize;
use std::path::PathBuf;
use stride_billing::ClaimStatus;
use stride_chart::billing::build::BuildReport;
use stride_chart::billing::claims::{ClaimDetail, ClaimSummary, LineEdit};
use stride_chart::billing::profile::{BillingProfile, PayerBilling, PostalAddress};
use stride_chart::billing::remit::ImportReport;
use stride_chart::billing::reports::{ArReport, Denial, ProductionRow};
use stride_chart::billing::scrub::ScrubReport;
use stride_chart::files::write_durably;

/// The billing screen: every claim, the open denials and the A/R report.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BillingView {
    /// Claims, newest service first.
    pub claims: Vec<ClaimSummary>,
    /// Every status, in lifecycle order: the claim list's filter.
    pub statuses: Vec<ClaimStatus>,
    /// The statuses of open claims (`ClaimStatus::is_open`), which the list shows first.
    pub open_statuses: Vec<ClaimStatus>,
    /// The denial work queue.
    pub denials: Vec<Denial>,
    /// A/R aging and patient balances, as of today.
    pub ar: ArReport,
}

/// What billing needs besides the notes, for the setup panel.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct BillingSetup {
    /// The clinic as billing provider.
    pub profile: BillingProfile,
    /// The clinic's charge per unit, by code.
    pub charges: Vec<(String, i64)>,
    /// Physical therapists (who render claims): id and name.
    pub clinicians: Vec<(String, String)>,
    /// How each payer is billed, by payer id: the payer form starts from what is stored.
    pub payers: std::collections::BTreeMap<String, PayerBilling>,
}

/// One claim with its scrubber findings.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ClaimScreen {
    /// The claim.
    pub claim: ClaimDetail,
    /// What the scrubber finds now.
    pub scrub: ScrubReport,
}

/// An 837P file written.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportView {
    /// Where.
    pub path: String,
    /// Claims in it.
    pub claims: usize,
    /// Total charges.
    pub total_cents: i64,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

impl Desk {
    /// Where exported files go.
    fn exports_dir(&self) -> Result<PathBuf> {
        let dir = self
            .chart_path
            .parent()
            .map(|p| p.join("exports"))
            .unwrap_or_else(|| PathBuf::from("exports"));
        stride_chart::files::private_dir(&dir)
            .map_err(|e| CommandError::new(ErrorKind::Io, format!("could not make the exports folder: {e}")))?;
        Ok(dir)
    }

    /// The billing screen's data.
    pub fn billing(&self) -> Result<BillingView> {
        self.as_reader(|chart, _| {
            Ok(BillingView {
                claims: chart.claims(None)?,
                statuses: ClaimStatus::ALL.to_vec(),
                open_statuses: ClaimStatus::ALL.into_iter().filter(|s| s.is_open()).collect(),
                denials: chart.denials(false)?,
                ar: chart.ar_report(today())?,
            })
        })
    }

    /// The clinic's billing details, its charges, and the staff who may render claims.
    pub fn billing_setup(&self) -> Result<BillingSetup> {
        self.as_reader(|chart, _| {
            let mut payers = std::collections::BTreeMap::new();
            for payer in chart.payers()? {
                let billing = chart.payer_billing(&payer.id)?;
                payers.insert(payer.id, billing);
            }
            Ok(BillingSetup {
                profile: chart.billing_profile()?,
                charges: chart.clinic_fees()?.into_iter().collect(),
                clinicians: chart
                    .users()?
                    .into_iter()
                    .filter(|u| u.has(stride_chart::Role::Pt))
                    .map(|u| (u.user_id, u.name))
                    .collect(),
                payers,
            })
        })
    }

    /// Sets the clinic's billing details.
    pub fn set_billing_profile(&self, profile: &BillingProfile) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_billing_profile(me, profile)?))
    }

    /// Sets the clinic's charge for one unit of a code.
    pub fn set_clinic_fee(&self, code: &str, cents: i64) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_clinic_fee(me, code, cents)?))
    }

    /// Sets how a payer is billed.
    pub fn set_payer_billing(&self, payer_id: &str, billing: &PayerBilling) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_payer_billing(me, payer_id, billing)?))
    }

    /// Sets a patient's postal address.
    pub fn set_patient_address(&self, patient_id: &str, address: &PostalAddress) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_patient_address(me, patient_id, address)?))
    }

    /// Records the therapy other providers billed a patient in a year.
    pub fn set_outside_therapy(&self, patient_id: &str, year: i32, cents: i64) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_outside_therapy(me, patient_id, year, cents)?))
    }

    /// Sets a clinician's NPI.
    pub fn set_user_npi(&self, user_id: &str, npi: &str) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_user_npi(me, user_id, npi)?))
    }

    /// Charges and payments by payer and therapist for claims in a period.
    pub fn production(&self, from: &str, to: &str) -> Result<Vec<ProductionRow>> {
        let from = stride_chart::validate::date("from", from)?;
        let to = stride_chart::validate::date("to", to)?;
        self.as_reader(|chart, _| Ok(chart.production(from, to)?))
    }

    /// Builds draft claims from a period's signed notes.
    pub fn build_claims(&self, from: &str, to: &str) -> Result<BuildReport> {
        self.as_user(|chart, me| Ok(chart.build_claims(me, from, to)?))
    }

    /// One claim and what the scrubber finds.
    pub fn claim(&self, id: &str) -> Result<ClaimScreen> {
        self.as_reader(|chart, _| {
            Ok(ClaimScreen {
                claim: chart.claim(id)?,
                scrub: chart.scrub_claim(id)?,
            })
        })
    }

    /// Marks clean drafts ready; returns those left as drafts, with why.
    pub fn mark_ready(&self, ids: &[String]) -> Result<Vec<(String, String)>> {
        self.as_user(|chart, me| Ok(chart.mark_ready(me, ids)?))
    }

    /// Moves a claim from the status shown to another.
    pub fn set_claim_status(&self, id: &str, from: ClaimStatus, to: ClaimStatus, reason: Option<&str>) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_claim_status(me, id, from, to, reason)?))
    }

    /// Changes a draft claim's line.
    pub fn edit_claim_line(&self, id: &str, position: u32, edit: &LineEdit) -> Result<ClaimScreen> {
        self.as_user(|chart, me| Ok(chart.edit_claim_line(me, id, position, edit)?))?;
        self.claim(id)
    }

    /// Voids a claim and bills its notes again.
    pub fn rebuild_claim(&self, id: &str) -> Result<BuildReport> {
        self.as_user(|chart, me| Ok(chart.rebuild_claim(me, id)?))
    }

    /// Writes the ready claims to an 837P file in the exports folder and marks them
    /// submitted (the file is saved first).
    pub fn export_837(&self) -> Result<ExportView> {
        let dir = self.exports_dir()?;
        self.as_user(|chart, me| {
            let file = chart.prepare_837(me, None, chrono::Local::now().naive_local())?;
            let path = dir.join(format!("claims-{:09}.837", file.control_number));
            write_durably(&path, file.text.as_bytes())
                .map_err(|e| CommandError::new(ErrorKind::Io, format!("could not save the 837P file: {e}")))?;
            chart.mark_submitted(me, &file, today())?;
            Ok(ExportView {
                path: path.display().to_string(),
                claims: file.claim_ids.len(),
                total_cents: file.total_cents,
            })
        })
    }

    /// Posts an 835 file's contents.
    pub fn import_835(&self, contents: &str) -> Result<ImportReport> {
        self.as_user(|chart, me| Ok(chart.import_835(me, contents.as_bytes())?))
    }

    /// Records what was done about a denial.
    pub fn resolve_denial(&self, id: &str, status: &str) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.resolve_denial(me, id, status)?))
    }

    /// The demo clinic's made-up payer: writes an 835 settling the submitted claims to
    /// the exports folder, to practise posting it. The chart refuses it outside the demo
    /// clinic.
    pub fn demo_remittance(&self) -> Result<String> {
        self.as_reader(|chart, _| {
            let text = stride_chart::demo::payer_remittance(chart, today())?.ok_or_else(|| {
                CommandError::new(ErrorKind::State, "no claim waits for payment: export some claims first")
            })?;
            let path = self.exports_dir()?.join(format!(
                "demo-payer-{}.835",
                chrono::Local::now().format("%Y%m%d-%H%M%S")
            ));
            write_durably(&path, text.as_bytes())
                .map_err(|e| CommandError::new(ErrorKind::Io, format!("could not save the 835 file: {e}")))?;
            Ok(path.display().to_string())
        })
    }

    /// Writes a patient's superbill PDF to the exports folder; returns its path.
    pub fn superbill(&self, patient_id: &str, from: &str, to: &str) -> Result<String> {
        let dir = self.exports_dir()?;
        self.as_user(|chart, me| {
            let pdf = chart.superbill_pdf(me, patient_id, from, to, today())?;
            let short: String = patient_id.chars().take(8).collect();
            let path = dir.join(format!("superbill-{from}-{to}-{short}.pdf"));
            write_durably(&path, &pdf)
                .map_err(|e| CommandError::new(ErrorKind::Io, format!("could not save the superbill: {e}")))?;
            Ok(path.display().to_string())
        })
    }
}

//! Ready claims to one 837P file. Two steps, so a file is never lost: [`Chart::prepare_837`]
//! makes the file's text from the claims as they are; the caller saves it; then
//! [`Chart::mark_submitted`] moves exactly those claims to submitted (compare-and-set:
//! a claim that changed meanwhile stops the whole step).

use super::BILLING_ROLES;
use super::claims::{ClaimDetail, transition, transition_error};
use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::Session;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::OptionalExtension;
use serde::Serialize;
use stride_billing::status::check_transition;
use stride_billing::x12::claim837::{
    Address, Adjustment, BillingProvider, Envelope, LineAdjudication, PayerId, PersonName, PriorPayer,
    ProfessionalClaim, Provider, Responsibility, ServiceLine, Subscriber, write_837p,
};
use stride_billing::{ClaimStatus, TransitionSource};

/// An 837P file made from ready claims, not yet marked submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prepared837 {
    /// The file's text.
    pub text: String,
    /// The claims in it.
    pub claim_ids: Vec<String>,
    /// Each claim's version (`updated_at`) as written: a claim changed since is not
    /// marked submitted, since the file does not hold its change.
    pub versions: Vec<String>,
    /// Its interchange control number.
    pub control_number: u32,
    /// Total charges.
    pub total_cents: i64,
}

/// Who a claim names: the insured's coverage, the payer, the rendering clinician.
struct Parties {
    member_id: Option<String>,
    group_no: Option<String>,
    claim_filing: String,
    payer_code: Option<String>,
    responsibility: u8,
    rendering_name: String,
    rendering_npi: Option<String>,
    primary: Option<String>,
    place: String,
}

/// Credentials that may follow a provider's name ("Grace Okafor MD").
const CREDENTIALS: &[&str] = &["MD", "DO", "DPM", "NP", "PA", "PA-C", "PT", "DPT", "PTA", "DC", "MPT"];

/// "Dana Reyes, PT" or "Grace Okafor MD" as last and first name.
fn split_name(name: &str) -> PersonName {
    let name = name.split(',').next().unwrap_or(name).trim();
    let name = match name.rsplit_once(' ') {
        Some((rest, last)) if CREDENTIALS.contains(&last.trim_matches('.').to_ascii_uppercase().as_str()) => {
            rest.trim()
        }
        _ => name,
    };
    match name.rsplit_once(' ') {
        Some((first, last)) => PersonName {
            last: last.to_owned(),
            first: first.to_owned(),
        },
        None => PersonName {
            last: name.to_owned(),
            first: String::new(),
        },
    }
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    crate::validate::date("date", text)
}

impl Chart {
    /// Makes an 837P file of the ready claims (all of them, or those in `only`).
    /// Refuses when any of them cannot be written; nothing changes either way.
    pub fn prepare_837(&self, by: &Session, only: Option<&[String]>, now: NaiveDateTime) -> Result<Prepared837> {
        by.require("exporting claims", BILLING_ROLES)?;
        let ids: Vec<String> = match only {
            Some(ids) => ids.to_vec(),
            None => self
                .claims(Some(ClaimStatus::Ready))?
                .into_iter()
                .rev()
                .map(|c| c.id)
                .collect(),
        };
        if ids.is_empty() {
            return Err(ChartError::State(
                "no claims are ready: scrub draft claims and mark them ready first".into(),
            ));
        }
        let profile = self.billing_profile()?;
        let provider = BillingProvider {
            name: profile.name.clone(),
            npi: profile.npi.clone().unwrap_or_default(),
            tax_id: profile.tax_id.clone().unwrap_or_default(),
            address: Address {
                line: profile.address_line.clone().unwrap_or_default(),
                city: profile.city.clone().unwrap_or_default(),
                state: profile.state.clone().unwrap_or_default(),
                zip: profile.zip.clone().unwrap_or_default(),
            },
            taxonomy: profile.taxonomy.clone(),
            contact_name: profile.billing_contact.clone().unwrap_or_else(|| profile.name.clone()),
            contact_phone: profile.phone.clone().unwrap_or_default(),
        };
        let mut claims = Vec::with_capacity(ids.len());
        let mut versions = Vec::with_capacity(ids.len());
        for id in &ids {
            versions.push(self.claim_version(id)?);
            let detail = self.claim(id)?;
            if detail.summary.status != ClaimStatus::Ready {
                return Err(ChartError::State(format!(
                    "claim {} is {}, not ready: only ready claims are exported",
                    detail.summary.control_number, detail.summary.status
                )));
            }
            claims.push(self.professional_claim(&detail)?);
        }
        let control_number = self.next_interchange_number()?;
        let envelope = Envelope {
            sender_id: profile.submitter_id.unwrap_or_default(),
            receiver_id: profile.receiver_id.unwrap_or_default(),
            receiver_name: profile.receiver_name.unwrap_or_else(|| "CLEARINGHOUSE".into()),
            control_number,
            created: now,
            production: true,
        };
        let text = write_837p(&envelope, &provider, &claims).map_err(|e| ChartError::State(e.to_string()))?;
        Ok(Prepared837 {
            text,
            total_cents: claims.iter().map(ProfessionalClaim::total_cents).sum(),
            claim_ids: ids,
            versions,
            control_number,
        })
    }

    /// Marks the claims of a saved 837P file submitted, all or none.
    pub fn mark_submitted(&mut self, by: &Session, file: &Prepared837, today: NaiveDate) -> Result<()> {
        by.require("exporting claims", BILLING_ROLES)?;
        let batch = format!("{:09}", file.control_number);
        self.batch(|chart| {
            for (id, version) in file.claim_ids.iter().zip(&file.versions) {
                if chart.claim_version(id)? != *version {
                    return Err(ChartError::State(format!(
                        "claim {} changed after the 837P file was made: nothing was marked sent; make the file again",
                        chart.claim_summary(id)?.control_number
                    )));
                }
                let status = chart.claim_summary(id)?.status;
                check_transition(
                    ClaimStatus::Ready,
                    status,
                    ClaimStatus::Submitted,
                    TransitionSource::Clinic,
                )
                .map_err(transition_error)?;
                chart.write(Some(by), |w| {
                    w.exec(
                        "UPDATE claim SET submitted_on = ?2, export_batch = ?3 WHERE id = ?1",
                        (id, today.to_string(), &batch),
                    )?;
                    transition(
                        w,
                        id,
                        ClaimStatus::Ready,
                        ClaimStatus::Submitted,
                        TransitionSource::Clinic,
                        Some(&format!("sent in 837P file {batch}")),
                    )
                })?;
            }
            chart.write(Some(by), |w| {
                w.exec(
                    "INSERT INTO meta (key, value) VALUES ('x12_interchange', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), ?1)",
                    [file.control_number],
                )?;
                w.audit("export", "claim_batch", &batch)
            })
        })
    }

    /// A claim's version: when it last changed.
    fn claim_version(&self, id: &str) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached("SELECT updated_at FROM claim WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    }

    /// The next interchange control number: one more than the last file marked sent.
    fn next_interchange_number(&self) -> Result<u32> {
        let last: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = 'x12_interchange'")?
            .query_row([], |r| r.get(0))
            .optional()?;
        let last: u32 = last.and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(if last >= 999_999_999 { 1 } else { last + 1 })
    }

    /// One claim in the 837P model.
    fn professional_claim(&self, c: &ClaimDetail) -> Result<ProfessionalClaim> {
        let patient = self.patient(&c.summary.patient_id)?;
        let Parties {
            member_id,
            group_no,
            claim_filing,
            payer_code,
            responsibility,
            rendering_name,
            rendering_npi,
            primary,
            place,
        } = self
            .conn
            .prepare_cached(
                "SELECT v.member_id, v.group_no, y.claim_filing, y.payer_code, c.responsibility, u.name, u.npi,
                        c.primary_claim_id, c.place_of_service
                 FROM claim c JOIN payer y ON y.id = c.payer_id JOIN user u ON u.id = c.rendering_id
                 LEFT JOIN coverage v ON v.id = c.coverage_id WHERE c.id = ?1",
            )?
            .query_row([&c.summary.id], |r| {
                Ok(Parties {
                    member_id: r.get(0)?,
                    group_no: r.get(1)?,
                    claim_filing: r.get(2)?,
                    payer_code: r.get(3)?,
                    responsibility: r.get(4)?,
                    rendering_name: r.get(5)?,
                    rendering_npi: r.get(6)?,
                    primary: r.get(7)?,
                    place: r.get(8)?,
                })
            })?;
        let referring: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT r.name, r.npi FROM claim c JOIN referring_provider r ON r.id = c.referring_provider_id WHERE c.id = ?1",
            )?
            .query_row([&c.summary.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let auth: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT reference FROM authorization WHERE episode_id = ?1 AND reference IS NOT NULL
                   AND valid_from <= ?2 AND valid_to >= ?3 ORDER BY valid_from DESC LIMIT 1",
            )?
            .query_row((&c.episode_id, &c.summary.service_from, &c.summary.service_to), |r| {
                r.get(0)
            })
            .optional()?;
        // A claim the payer already processed (denied, then corrected) goes again as a
        // replacement (frequency 7) naming the payer's own claim number.
        let payer_claim_number = self
            .conn
            .prepare_cached("SELECT detail FROM remit_claim WHERE claim_id = ?1 ORDER BY rowid DESC LIMIT 1")?
            .query_row([&c.summary.id], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|d| serde_json::from_str::<stride_billing::x12::remit835::RemitClaim>(&d).ok())
            .map(|r| r.payer_claim_number)
            .filter(|n| !n.trim().is_empty());
        let prior = match &primary {
            Some(primary) => Some(self.prior_payer(primary)?),
            None => None,
        };
        let primary_lines = match &primary {
            Some(primary) => self.claim_lines(primary)?,
            None => Vec::new(),
        };
        let mut lines = Vec::with_capacity(c.lines.len());
        for l in &c.lines {
            let prior_line = match (&prior, primary_lines.iter().find(|p| p.position == l.position)) {
                (Some(payer), Some(p)) => vec![LineAdjudication {
                    payer_id: payer.payer.id.clone(),
                    paid_cents: p.paid_cents,
                    units: p.units,
                    adjustments: p
                        .adjustments
                        .iter()
                        .map(|a| Adjustment {
                            group: a.group.clone(),
                            reason: a.reason.clone(),
                            cents: a.cents,
                        })
                        .collect(),
                    adjudicated_on: payer.adjudicated_on,
                }],
                _ => Vec::new(),
            };
            lines.push(ServiceLine {
                code: l.code.clone(),
                modifiers: l.modifiers.clone(),
                charge_cents: l.charge_cents,
                units: l.units,
                diagnosis_pointers: l.dx_pointers.clone(),
                date: parse_date(&l.date_of_service)?,
                prior: prior_line,
            });
        }
        Ok(ProfessionalClaim {
            control_number: c.summary.control_number.clone(),
            responsibility: Responsibility::from_priority(responsibility),
            claim_filing,
            subscriber: Subscriber {
                name: PersonName {
                    last: patient.last_name.clone(),
                    first: patient.first_name.clone(),
                },
                member_id: member_id.unwrap_or_default(),
                group_no,
                address: Address {
                    line: patient.address.clone().unwrap_or_default(),
                    city: patient.city.clone().unwrap_or_default(),
                    state: patient.state.clone().unwrap_or_default(),
                    zip: patient.zip.clone().unwrap_or_default(),
                },
                dob: parse_date(&patient.dob)?,
                sex: match patient.sex.as_deref() {
                    Some("female") => 'F',
                    Some("male") => 'M',
                    _ => 'U',
                },
            },
            payer: PayerId {
                name: c.summary.payer_name.clone(),
                id: payer_code.unwrap_or_default(),
            },
            place_of_service: place,
            frequency: if payer_claim_number.is_some() { '7' } else { '1' },
            diagnoses: c.diagnoses.clone(),
            referring: referring.map(|(name, npi)| Provider {
                name: split_name(&name),
                npi,
            }),
            rendering: Provider {
                name: split_name(&rendering_name),
                npi: rendering_npi.unwrap_or_default(),
            },
            rendering_taxonomy: "225100000X".into(),
            prior_authorization: auth,
            payer_claim_number,
            prior_payers: prior.into_iter().collect(),
            lines,
        })
    }

    /// How the primary payer settled `primary`, for a secondary claim.
    fn prior_payer(&self, primary: &str) -> Result<PriorPayer> {
        let (prior, adjudicated) = self
            .conn
            .prepare_cached(
                "SELECT y.name, y.payer_code, y.claim_filing, v.member_id, v.group_no,
                        coalesce(c.adjudicated_on, c.submitted_on), c.responsibility, c.paid_cents
                 FROM claim c JOIN payer y ON y.id = c.payer_id LEFT JOIN coverage v ON v.id = c.coverage_id
                 WHERE c.id = ?1",
            )?
            .query_row([primary], |r| {
                let prior = PriorPayer {
                    responsibility: Responsibility::from_priority(r.get(6)?),
                    claim_filing: r.get(2)?,
                    payer: PayerId {
                        name: r.get(0)?,
                        id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    },
                    member_id: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    group_no: r.get(4)?,
                    paid_cents: r.get(7)?,
                    adjudicated_on: NaiveDate::MIN,
                };
                Ok((prior, r.get::<_, Option<String>>(5)?))
            })?;
        Ok(PriorPayer {
            adjudicated_on: parse_date(&adjudicated.unwrap_or_default())?,
            ..prior
        })
    }
}

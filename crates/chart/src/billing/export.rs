//! Ready claims to one 837P file. Two steps, so a file is never lost: [`Chart::prepare_837`]
//! makes the file's text from the claims as they are; the caller saves it; then
//! [`Chart::mark_submitted`] moves exactly those claims to submitted (compare-and-set:
//! a claim that changed meanwhile stops the whole step).

use super::BILLING_ROLES;
use super::claims::{ClaimDetail, transition, transition_error};
use crate::chart::Chart;
use crate::episodes::Authorization;
use crate::error::{ChartError, Result};
use crate::users::Session;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::OptionalExtension;
use serde::Serialize;
use stride_billing::status::check_transition;
use stride_billing::x12::claim837::{
    Address, Adjustment, BillingGroup, BillingProvider, Dependant, Envelope, LineAdjudication, PayerId, PersonName,
    PriorPayer, ProfessionalClaim, Provider, Relationship, Responsibility, ServiceLine, Subscriber,
    write_837p_by_provider,
};
use stride_billing::x12::remit835::RemitClaim;
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
    insured: Option<CoverageInsured>,
    msp_type: Option<String>,
    claim_filing: String,
    payer_code: Option<String>,
    responsibility: u8,
    rendering_name: String,
    rendering_npi: Option<String>,
    primary: Option<String>,
    place: String,
}

/// A coverage's insured, when not the patient.
struct CoverageInsured {
    relationship: Relationship,
    name: PersonName,
    dob: Option<String>,
    sex: Option<String>,
    address: Address,
}

/// The insured columns of `coverage` as selected by [`INSURED_COLUMNS`], from `at`.
fn coverage_insured(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<CoverageInsured>> {
    let relationship: Option<String> = r.get(at)?;
    let Some(relationship) = relationship.as_deref().and_then(Relationship::parse) else {
        return Ok(None);
    };
    if relationship == Relationship::SelfInsured {
        return Ok(None);
    }
    let text = |n: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(at + n)?.unwrap_or_default()) };
    Ok(Some(CoverageInsured {
        relationship,
        name: PersonName {
            first: text(1)?,
            last: text(2)?,
        },
        dob: r.get(at + 3)?,
        sex: r.get(at + 4)?,
        address: Address {
            line: text(5)?,
            city: text(6)?,
            state: text(7)?,
            zip: text(8)?,
        },
    }))
}

/// The columns [`coverage_insured`] reads, of the coverage aliased `v`.
const INSURED_COLUMNS: &str = "v.relationship, v.subscriber_first_name, v.subscriber_last_name, v.subscriber_dob,
    v.subscriber_sex, v.subscriber_address, v.subscriber_city, v.subscriber_state, v.subscriber_zip";

/// The X12 sex code of a stored sex.
fn sex_code(sex: Option<&str>) -> char {
    match sex {
        Some("female") => 'F',
        Some("male") => 'M',
        _ => 'U',
    }
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
        // A solo clinician billing in their own name: the claims' billing provider is
        // that person, under their Type 1 NPI.
        let solo: Option<(String, Option<String>)> = match &profile.billing_clinician_id {
            Some(id) => Some(
                self.conn
                    .prepare_cached("SELECT name, npi FROM user WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?,
            ),
            None => None,
        };
        let provider = BillingProvider {
            name: profile.name.clone(),
            individual: solo.as_ref().map(|(name, _)| split_name(name)),
            npi: match &solo {
                Some((_, npi)) => npi.clone().unwrap_or_default(),
                None => profile.npi.clone().unwrap_or_default(),
            },
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
        // The clinic's claims first, then each clinician's who bills in their own name.
        let mut groups: Vec<(BillingProvider, Vec<ProfessionalClaim>)> = vec![(provider, Vec::new())];
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
            let claim = self.professional_claim(&detail)?;
            let billed_by = self.own_billing_provider(&detail, &groups[0].0)?;
            match billed_by {
                None => groups[0].1.push(claim),
                Some(own) => match groups.iter_mut().find(|(p, _)| p.npi == own.npi) {
                    Some((_, claims)) => claims.push(claim),
                    None => groups.push((own, vec![claim])),
                },
            }
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
        let batches: Vec<BillingGroup<'_>> = groups
            .iter()
            .filter(|(_, claims)| !claims.is_empty())
            .map(|(provider, claims)| BillingGroup { provider, claims })
            .collect();
        let text = write_837p_by_provider(&envelope, &batches).map_err(|e| ChartError::State(e.to_string()))?;
        Ok(Prepared837 {
            text,
            total_cents: groups
                .iter()
                .flat_map(|(_, claims)| claims)
                .map(ProfessionalClaim::total_cents)
                .sum(),
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

    /// The billing provider of a claim rendered by a clinician who bills in their own
    /// name: that person, under their Type 1 NPI and own tax id, at the clinic's address;
    /// `None` when the clinic bills it.
    fn own_billing_provider(&self, c: &ClaimDetail, clinic: &BillingProvider) -> Result<Option<BillingProvider>> {
        let own: Option<(String, Option<String>, String)> = self
            .conn
            .prepare_cached(
                "SELECT u.name, u.npi, u.own_tax_id FROM claim c JOIN user u ON u.id = c.rendering_id
                 WHERE c.id = ?1 AND u.own_tax_id IS NOT NULL",
            )?
            .query_row([&c.summary.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(own.map(|(name, npi, tax_id)| BillingProvider {
            name: name.clone(),
            individual: Some(split_name(&name)),
            npi: npi.unwrap_or_default(),
            tax_id,
            ..clinic.clone()
        }))
    }

    /// One claim in the 837P model.
    fn professional_claim(&self, c: &ClaimDetail) -> Result<ProfessionalClaim> {
        let patient = self.patient(&c.summary.patient_id)?;
        let Parties {
            member_id,
            group_no,
            insured,
            msp_type,
            claim_filing,
            payer_code,
            responsibility,
            rendering_name,
            rendering_npi,
            primary,
            place,
        } = self
            .conn
            .prepare_cached(&format!(
                "SELECT v.member_id, v.group_no, y.claim_filing, y.payer_code, c.responsibility, u.name, u.npi,
                        c.primary_claim_id, c.place_of_service, v.msp_type, {INSURED_COLUMNS}
                 FROM claim c JOIN payer y ON y.id = c.payer_id JOIN user u ON u.id = c.rendering_id
                 LEFT JOIN coverage v ON v.id = c.coverage_id WHERE c.id = ?1"
            ))?
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
                    msp_type: r.get(9)?,
                    insured: coverage_insured(r, 10)?,
                })
            })?;
        let referring: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT r.name, r.npi FROM claim c JOIN referring_provider r ON r.id = c.referring_provider_id WHERE c.id = ?1",
            )?
            .query_row([&c.summary.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // A claim the payer already has (it answered with its own claim number) goes
        // again as a replacement (frequency 7) naming that number, never as a new original.
        let payer_claim_number = self
            .latest_remit_claim(&c.summary.id)?
            .map(|r| r.payer_claim_number)
            .filter(|n| !n.trim().is_empty());
        let (prior, primary_remit) = match &primary {
            Some(primary) => (Some(self.prior_payer(primary)?), self.latest_remit_claim(primary)?),
            None => (None, None),
        };
        let primary_lines = match &primary {
            Some(primary) => self.claim_lines(primary)?,
            None => Vec::new(),
        };
        // Each line's authorization: one for the whole claim when its dates share one,
        // else each line names its own.
        let authorizations = self.authorizations(&c.episode_id)?;
        let line_auths: Vec<Option<String>> = c
            .lines
            .iter()
            .map(|l| authorization_on(&authorizations, &l.date_of_service))
            .collect();
        let shared_auth = line_auths.windows(2).all(|w| w[0] == w[1]);
        // The claim's place of service is its visits' most common one; lines elsewhere
        // carry their own.
        let line_places: Vec<String> = c
            .lines
            .iter()
            .map(|l| l.place_of_service.clone().unwrap_or_else(|| place.clone()))
            .collect();
        let claim_place = most_common(&line_places).unwrap_or(place);
        let mut lines = Vec::with_capacity(c.lines.len());
        for ((l, auth), line_place) in c.lines.iter().zip(&line_auths).zip(&line_places) {
            // A line the primary did not adjudicate has no 2430 loop.
            let adjudicated = primary_lines
                .iter()
                .find(|p| p.position == l.position)
                .filter(|p| p.paid_cents != 0 || !p.adjustments.is_empty());
            let prior_line = match (&prior, adjudicated) {
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
                place_of_service: (*line_place != claim_place).then(|| line_place.clone()),
                prior_authorization: if shared_auth { None } else { auth.clone() },
                description: l.description.clone(),
                prior: prior_line,
            });
        }
        let patient_address = Address {
            line: patient.address.clone().unwrap_or_default(),
            city: patient.city.clone().unwrap_or_default(),
            state: patient.state.clone().unwrap_or_default(),
            zip: patient.zip.clone().unwrap_or_default(),
        };
        let patient_name = PersonName {
            last: patient.last_name.clone(),
            first: patient.first_name.clone(),
        };
        let patient_dob = parse_date(&patient.dob)?;
        let (subscriber, dependant) = match insured {
            None => (
                Subscriber {
                    name: patient_name,
                    member_id: member_id.unwrap_or_default(),
                    group_no,
                    address: patient_address,
                    dob: patient_dob,
                    sex: sex_code(patient.sex.as_deref()),
                },
                None,
            ),
            Some(insured) => (
                Subscriber {
                    name: insured.name,
                    member_id: member_id.unwrap_or_default(),
                    group_no,
                    address: insured.address,
                    dob: insured
                        .dob
                        .as_deref()
                        .map(parse_date)
                        .transpose()?
                        .unwrap_or(patient_dob),
                    sex: sex_code(insured.sex.as_deref()),
                },
                Some(Dependant {
                    relationship: insured.relationship,
                    name: patient_name,
                    address: patient_address,
                    dob: patient_dob,
                    sex: sex_code(patient.sex.as_deref()),
                }),
            ),
        };
        let prior = prior.map(|p| PriorPayer {
            // The earlier payer's insured is the patient unless its coverage says otherwise.
            subscriber: if p.relationship == Relationship::SelfInsured {
                PersonName {
                    last: patient.last_name.clone(),
                    first: patient.first_name.clone(),
                }
            } else {
                p.subscriber.clone()
            },
            adjustments: primary_remit
                .as_ref()
                .map(|r| r.adjustments.clone())
                .unwrap_or_default(),
            remarks: primary_remit.as_ref().map(|r| r.remarks.clone()).unwrap_or_default(),
            ..p
        });
        Ok(ProfessionalClaim {
            control_number: c.summary.control_number.clone(),
            responsibility: Responsibility::from_priority(responsibility),
            claim_filing,
            subscriber,
            patient: dependant,
            insurance_type: msp_type,
            payer: PayerId {
                name: c.summary.payer_name.clone(),
                id: payer_code.unwrap_or_default(),
            },
            place_of_service: claim_place,
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
            prior_authorization: if shared_auth {
                line_auths.into_iter().next().flatten()
            } else {
                None
            },
            payer_claim_number,
            prior_payers: prior.into_iter().collect(),
            lines,
        })
    }

    /// The newest remittance's settlement of a claim, as the payer sent it.
    fn latest_remit_claim(&self, claim_id: &str) -> Result<Option<RemitClaim>> {
        Ok(self
            .conn
            .prepare_cached("SELECT detail FROM remit_claim WHERE claim_id = ?1 ORDER BY rowid DESC LIMIT 1")?
            .query_row([claim_id], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|d| serde_json::from_str::<RemitClaim>(&d).ok()))
    }

    /// How the primary payer settled `primary`, for a secondary claim.
    fn prior_payer(&self, primary: &str) -> Result<PriorPayer> {
        let (prior, adjudicated) = self
            .conn
            .prepare_cached(&format!(
                "SELECT y.name, y.payer_code, y.claim_filing, v.member_id, v.group_no,
                        coalesce(c.adjudicated_on, c.submitted_on), c.responsibility, c.paid_cents, {INSURED_COLUMNS}
                 FROM claim c JOIN payer y ON y.id = c.payer_id LEFT JOIN coverage v ON v.id = c.coverage_id
                 WHERE c.id = ?1"
            ))?
            .query_row([primary], |r| {
                let insured = coverage_insured(r, 8)?;
                let prior = PriorPayer {
                    responsibility: Responsibility::from_priority(r.get(6)?),
                    relationship: insured.as_ref().map_or(Relationship::SelfInsured, |i| i.relationship),
                    subscriber: insured.map_or_else(PersonName::default, |i| i.name),
                    adjustments: Vec::new(),
                    remarks: Vec::new(),
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

/// The most common of `values` (the first of the most common, on a tie).
fn most_common(values: &[String]) -> Option<String> {
    let mut best: Option<(&String, usize)> = None;
    for v in values {
        let n = values.iter().filter(|w| *w == v).count();
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((v, n));
        }
    }
    best.map(|(v, _)| v.clone())
}

/// The payer's number of the authorization covering `date` (YYYY-MM-DD, so text order is
/// date order), the latest-starting one when several do.
fn authorization_on(authorizations: &[Authorization], date: &str) -> Option<String> {
    authorizations
        .iter()
        .filter(|a| a.reference.is_some() && a.valid_from.as_str() <= date && date <= a.valid_to.as_str())
        .max_by(|a, b| a.valid_from.cmp(&b.valid_from))
        .and_then(|a| a.reference.clone())
}

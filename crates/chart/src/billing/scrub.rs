//! The claim scrubber, as storage: reads the facts a claim is judged by, once, and hands
//! them to `stride_billing::scrub`, where every rule lives. Nothing here decides.

use super::claims::ClaimDetail;
use crate::chart::Chart;
use crate::compliance;
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use stride_billing::scrub::{
    self as rules, AuthorizationFacts, ClaimFacts, ClinicianFacts, CoverageFacts, LineFacts, NoteFacts, PayerFacts,
    PlanFacts, ProviderFacts,
};
pub use stride_billing::scrub::{Check, Finding, FixAt, Level};
use stride_coding::{Cents, PayerRules};

/// The scrubber's findings for one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScrubReport {
    /// The claim.
    pub claim_id: String,
    /// Its control number.
    pub control_number: String,
    /// Findings, errors first.
    pub findings: Vec<Finding>,
}

impl ScrubReport {
    /// The findings that block the claim.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Error)
    }

    /// Whether the claim may be marked ready.
    pub fn clean(&self) -> bool {
        self.errors().next().is_none()
    }
}

/// A stored date; stored dates are validated on the way in.
fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

impl Chart {
    /// Scrubs one claim.
    pub fn scrub_claim(&self, claim_id: &str) -> Result<ScrubReport> {
        self.scrub_with(&rules::provider_findings(&self.provider_facts()?), claim_id)
    }

    /// Scrubs every draft and ready claim.
    pub fn scrub_open_claims(&self) -> Result<Vec<ScrubReport>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM claim WHERE status IN ('draft', 'ready') ORDER BY service_from, id")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        let provider = rules::provider_findings(&self.provider_facts()?);
        ids.iter().map(|id| self.scrub_with(&provider, id)).collect()
    }

    /// Scrubs one claim; `provider` holds the findings about the clinic itself, which are
    /// the same for every claim (read once when scrubbing many).
    fn scrub_with(&self, provider: &[Finding], claim_id: &str) -> Result<ScrubReport> {
        let claim = self.claim(claim_id)?;
        let facts = self.claim_facts(&claim)?;
        Ok(ScrubReport {
            claim_id: claim.summary.id.clone(),
            control_number: claim.summary.control_number.clone(),
            findings: rules::scrub(&facts, provider, &self.rules, &*self.diagnosis_codes()?),
        })
    }

    /// The clinic's billing details.
    fn provider_facts(&self) -> Result<ProviderFacts> {
        let p = self.billing_profile()?;
        Ok(ProviderFacts {
            clinic_id: self.clinic_id().to_owned(),
            npi: p.npi,
            details: vec![
                ("tax id", p.tax_id),
                ("street address", p.address_line),
                ("city", p.city),
                ("state", p.state),
                ("ZIP+4", p.zip),
                ("billing phone", p.phone),
                ("submitter id", p.submitter_id),
                ("clearinghouse id", p.receiver_id),
            ],
        })
    }

    /// Everything the scrubber judges `claim` by.
    fn claim_facts(&self, claim: &ClaimDetail) -> Result<ClaimFacts> {
        let s = &claim.summary;
        let episode_id = claim.episode_id.clone();
        let patient = self.patient(&s.patient_id)?;
        let payer = self.payer(&s.payer_id)?;
        // The lines were coded under the episode's payer (a secondary claim copies its
        // primary's): its method judges them, and its notes document them.
        let episode_payer = self.episode(&episode_id)?.payer_id;
        let coded_under = if episode_payer == payer.id {
            payer.clone()
        } else {
            self.payer(&episode_payer)?
        };
        let lines: Vec<LineFacts> = claim
            .lines
            .iter()
            .map(|l| LineFacts {
                position: l.position,
                date: date(&l.date_of_service),
                code: l.code.clone(),
                modifiers: l.modifiers.clone(),
                units: l.units,
                charge_cents: l.charge_cents,
                allowed_cents: l.allowed_cents,
                description: l.description.clone(),
            })
            .collect();
        let dates: BTreeSet<NaiveDate> = lines.iter().map(|l| l.date).collect();
        let documented_minutes =
            self.documented_minutes(&s.patient_id, &coded_under.id, &s.service_from, &s.service_to)?;
        let mut ytd_before = BTreeMap::new();
        // The patient's therapy year, read once for the claim's dates of that year.
        let mut year: Option<(i32, compliance::TherapyYear)> = None;
        for d in &dates {
            if year.as_ref().is_none_or(|(y, _)| *y != d.year()) {
                year = Some((d.year(), compliance::TherapyYear::read(self, &s.patient_id, d.year())?));
            }
            let before = year.as_ref().map_or(0, |(_, y)| y.before(*d));
            ytd_before.insert(*d, Cents(before));
        }
        let authorizations = self
            .authorizations(&episode_id)?
            .into_iter()
            .map(|a| {
                let (from, to) = (date(&a.valid_from), date(&a.valid_to));
                let used = match rules::last_claim_date_in(&lines, from, to) {
                    Some(last) => Some(self.authorization_use(&episode_id, &a.valid_from, &last.to_string())?),
                    None => None,
                };
                Ok(AuthorizationFacts {
                    reference: a.reference,
                    valid_from: from,
                    valid_to: to,
                    visits: a.visits,
                    units: a.units,
                    used,
                })
            })
            .collect::<Result<_>>()?;
        Ok(ClaimFacts {
            claim_id: s.id.clone(),
            clinic_id: self.clinic_id().to_owned(),
            patient_id: s.patient_id.clone(),
            address: [
                ("street address", patient.address),
                ("city", patient.city),
                ("state", patient.state),
                ("ZIP", patient.zip),
            ],
            service_from: date(&s.service_from),
            service_to: date(&s.service_to),
            payer: PayerFacts {
                id: payer.id.clone(),
                payer_code: self
                    .conn
                    .prepare_cached("SELECT payer_code FROM payer WHERE id = ?1")?
                    .query_row([&payer.id], |r| r.get(0))?,
                method: coded_under.method,
                medicare: payer.medicare,
                kx_applies: payer.kx_applies,
                progress_interval: payer.progress_interval_visits,
                denies_past_progress_period: payer.block_sign_when_overdue,
                distinct_modifier: PayerRules::default_for(coded_under.method).distinct_modifier.modifier(),
                name: payer.name,
            },
            coverage: self.claim_coverage(&s.id)?,
            rendering: self.clinician_facts(&s.rendering_id)?,
            referring: self
                .conn
                .prepare_cached(
                    "SELECT r.name, r.npi FROM claim c JOIN referring_provider r ON r.id = c.referring_provider_id
                     WHERE c.id = ?1",
                )?
                .query_row([&s.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            notes: self.line_notes(claim)?,
            drafts: self.drafts_through(&episode_id, &s.service_to)?,
            signed_visits: compliance::signed_visits(self, &episode_id)?,
            plans: self.plan_facts(&episode_id)?,
            authorizations,
            diagnoses: claim.diagnoses.clone(),
            lines,
            documented_minutes,
            ytd_before,
            episode_id,
        })
    }

    fn claim_coverage(&self, claim_id: &str) -> Result<Option<CoverageFacts>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT v.member_id, v.valid_from, v.valid_to, v.priority, v.msp_type FROM claim c JOIN coverage v ON v.id = c.coverage_id
                 WHERE c.id = ?1",
            )?
            .query_row([claim_id], |r| {
                let (from, to): (Option<String>, Option<String>) = (r.get(1)?, r.get(2)?);
                Ok(CoverageFacts {
                    member_id: r.get(0)?,
                    valid_from: from.as_deref().map(date),
                    valid_to: to.as_deref().map(date),
                    priority: r.get(3)?,
                    msp_type: r.get(4)?,
                })
            })
            .optional()?)
    }

    fn clinician_facts(&self, user_id: &str) -> Result<ClinicianFacts> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name, npi, EXISTS (SELECT 1 FROM user_role WHERE user_id = ?1 AND role = 'pt')
                 FROM user WHERE id = ?1",
            )?
            .query_row([user_id], |r| {
                Ok(ClinicianFacts {
                    id: user_id.to_owned(),
                    name: r.get(0)?,
                    npi: r.get(1)?,
                    is_pt: r.get(2)?,
                })
            })?)
    }

    /// The notes the claim's lines name.
    fn line_notes(&self, claim: &ClaimDetail) -> Result<Vec<NoteFacts>> {
        let ids: BTreeSet<&str> = claim.lines.iter().map(|l| l.note_id.as_str()).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT signed_at IS NOT NULL, cosign_required, cosigned_at IS NOT NULL, date_of_service
             FROM note WHERE id = ?1",
        )?;
        ids.into_iter()
            .map(|id| {
                Ok(stmt.query_row([id], |r| {
                    Ok(NoteFacts {
                        id: id.to_owned(),
                        signed: r.get(0)?,
                        cosign_required: r.get(1)?,
                        cosigned: r.get(2)?,
                        date: date(&r.get::<_, String>(3)?),
                    })
                })?)
            })
            .collect()
    }

    /// The episode's unsigned notes dated up to `through`.
    fn drafts_through(&self, episode_id: &str, through: &str) -> Result<Vec<(String, NaiveDate)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, date_of_service FROM note WHERE episode_id = ?1 AND signed_at IS NULL
               AND date_of_service <= ?2",
        )?;
        let rows = stmt.query_map((episode_id, through), |r| {
            Ok((r.get::<_, String>(0)?, date(&r.get::<_, String>(1)?)))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Per date from `from` to `to`, the minutes per code documented in the signed notes of
    /// a patient's days under a payer.
    fn documented_minutes(
        &self,
        patient_id: &str,
        payer_id: &str,
        from: &str,
        to: &str,
    ) -> Result<BTreeMap<NaiveDate, BTreeMap<String, u32>>> {
        let mut minutes: BTreeMap<NaiveDate, BTreeMap<String, u32>> = BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.date_of_service, s.code, s.minutes FROM note_service s JOIN note n ON n.id = s.note_id
             JOIN episode e ON e.id = n.episode_id
             WHERE e.patient_id = ?1 AND e.payer_id = ?2 AND n.date_of_service BETWEEN ?3 AND ?4
               AND n.signed_at IS NOT NULL",
        )?;
        for row in stmt.query_map((patient_id, payer_id, from, to), |r| {
            Ok((
                date(&r.get::<_, String>(0)?),
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })? {
            let (day, code, m) = row?;
            *minutes.entry(day).or_default().entry(code).or_insert(0) += m;
        }
        Ok(minutes)
    }

    /// The episode's plans of care, as certification is judged.
    fn plan_facts(&self, episode_id: &str) -> Result<Vec<PlanFacts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT cert_start, cert_end, physician_signed_on IS NOT NULL FROM plan_of_care WHERE episode_id = ?1",
        )?;
        let rows = stmt.query_map([episode_id], |r| {
            Ok(PlanFacts {
                cert_start: date(&r.get::<_, String>(0)?),
                cert_end: date(&r.get::<_, String>(1)?),
                physician_signed: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

//! The front desk's insurance details: who a coverage's insured is, why Medicare pays
//! second, whether a patient is a Qualified Medicare Beneficiary, a payer's authorization
//! of visits, and where a visit took place. The code lists the forms offer come from the
//! Rust side, in words.

use crate::desk::{Desk, NoteScreen, note_screen};
use crate::error::Result;
use serde::Serialize;
use stride_billing::x12::claim837::{MSP_TYPES, Relationship, Responsibility, msp_type_required};
use stride_chart::episodes::{Authorization, NewAuthorization};
use stride_chart::goals::GoalStatus;
use stride_chart::insured::{CoverageTerms, Insured};
use stride_chart::notes::PLACES_OF_SERVICE;

/// One choice of a code list: its code and what it means.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Choice {
    /// The code stored and sent.
    pub code: String,
    /// What it means, for the person choosing.
    pub words: String,
}

/// The code lists the insurance and note forms offer.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct CodeLists {
    /// Medicare Secondary Payer types (SBR05).
    pub msp_types: Vec<Choice>,
    /// Places of service a visit can take place in.
    pub places_of_service: Vec<Choice>,
    /// How a dependant is related to the insured.
    pub relationships: Vec<Choice>,
    /// Where a note may say a goal stands.
    pub goal_statuses: Vec<Choice>,
    /// The longest certification period a plan of care may have, in days.
    pub max_certification_days: u32,
}

fn choices(list: &[(&str, &str)]) -> Vec<Choice> {
    list.iter()
        .map(|(code, words)| Choice {
            code: (*code).to_owned(),
            words: (*words).to_owned(),
        })
        .collect()
}

/// The code lists, the same for every chart.
pub fn code_lists() -> CodeLists {
    CodeLists {
        msp_types: choices(MSP_TYPES),
        places_of_service: choices(PLACES_OF_SERVICE),
        relationships: Relationship::ALL
            .into_iter()
            .filter(|r| *r != Relationship::SelfInsured)
            .map(|r| Choice {
                code: r.name().to_owned(),
                words: r.words().to_owned(),
            })
            .collect(),
        max_certification_days: u32::try_from(stride_chart::plans::MAX_CERT_DAYS).unwrap_or(90),
        goal_statuses: GoalStatus::ALL
            .into_iter()
            .map(|g| Choice {
                code: g.as_str().to_owned(),
                words: g.words().to_owned(),
            })
            .collect(),
    }
}

/// A patient's insurance as the chart shows it: the terms of each coverage, QMB status,
/// and the authorizations of each episode.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct InsuranceView {
    /// Each coverage's insured and MSP type, by coverage id.
    pub terms: std::collections::BTreeMap<String, CoverageTerms>,
    /// The coverages whose claims need a Medicare Secondary Payer type: Medicare, with
    /// another payer before it.
    pub msp_asked: Vec<String>,
    /// Whether the patient is a Qualified Medicare Beneficiary.
    pub qmb: bool,
    /// Authorizations by episode id.
    pub authorizations: std::collections::BTreeMap<String, Vec<Authorization>>,
}

impl Desk {
    /// A patient's insurance details.
    pub fn insurance(&self, patient_id: &str) -> Result<InsuranceView> {
        self.as_reader(|chart, _| {
            let coverages = chart.coverages(patient_id)?;
            let terms = coverages
                .iter()
                .map(|c| Ok((c.id.clone(), chart.coverage_terms(&c.id)?)))
                .collect::<Result<_>>()?;
            let mut msp_asked = Vec::new();
            for c in &coverages {
                let medicare = chart.payer(&c.payer_id)?.medicare;
                if msp_type_required(medicare, Responsibility::from_priority(c.priority)) {
                    msp_asked.push(c.id.clone());
                }
            }
            let authorizations = chart
                .episodes_of(patient_id)?
                .into_iter()
                .map(|e| Ok((e.id.clone(), chart.authorizations(&e.id)?)))
                .collect::<Result<_>>()?;
            Ok(InsuranceView {
                terms,
                msp_asked,
                qmb: chart.is_qmb(patient_id)?,
                authorizations,
            })
        })
    }

    /// Records a coverage's insured (`None`: the patient is the insured).
    pub fn set_coverage_insured(&self, coverage_id: &str, insured: Option<Insured>) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_coverage_insured(me, coverage_id, insured.as_ref())?))
    }

    /// Records why Medicare pays second on a coverage, or clears it.
    pub fn set_msp_type(&self, coverage_id: &str, msp_type: Option<String>) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_msp_type(me, coverage_id, msp_type.as_deref())?))
    }

    /// Records whether a patient is a Qualified Medicare Beneficiary.
    pub fn set_qmb(&self, patient_id: &str, qmb: bool) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_qmb(me, patient_id, qmb)?))
    }

    /// Adds a payer's authorization of visits or units to an episode.
    pub fn add_authorization(&self, episode_id: &str, authorization: NewAuthorization) -> Result<()> {
        self.as_user(|chart, me| {
            chart.add_authorization(me, episode_id, &authorization)?;
            Ok(())
        })
    }

    /// Sets where a draft note's visit took place (`None`: the clinic's usual place).
    pub fn set_place_of_service(&self, note_id: &str, place: Option<String>) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.set_place_of_service(me, note_id, place.as_deref())?;
            note_screen(chart, note_id)
        })
    }
}

//! One visit as the engine sees it: a date of service, the payer's rules, and the
//! services documented with their minutes.

use crate::modifier::Modifier;
use crate::money::Cents;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a payer turns timed minutes into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum UnitMethod {
    /// CMS total-time ("8-minute rule"): pool all timed minutes, then allocate units.
    Cms,
    /// AMA/CPT per-code ("rule of eights"): each code's minutes on their own.
    Ama,
}

impl UnitMethod {
    /// Parses `cms` or `ama`.
    pub fn parse(s: &str) -> Option<UnitMethod> {
        match s {
            "cms" => Some(UnitMethod::Cms),
            "ama" => Some(UnitMethod::Ama),
            _ => None,
        }
    }
}

/// Which NCCI-associated modifier marks services done in distinct time intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DistinctModifier {
    /// 59, distinct procedural service.
    #[default]
    #[serde(rename = "59")]
    Distinct59,
    /// XU, unusual non-overlapping service.
    #[serde(rename = "XU")]
    Xu,
}

impl DistinctModifier {
    /// The modifier on a claim line.
    pub fn modifier(self) -> Modifier {
        match self {
            DistinctModifier::Distinct59 => Modifier::DISTINCT_59,
            DistinctModifier::Xu => Modifier::XU,
        }
    }
}

/// What the payer requires beyond the unit method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayerRules {
    /// Traditional Medicare (or a payer following it): 97014 is not accepted, 97010 is
    /// bundled, G0282 is not covered.
    pub medicare: bool,
    /// Whether PTA-furnished services carry CQ.
    pub cq: bool,
    /// Whether the KX threshold applies.
    pub kx: bool,
    /// The modifier for NCCI pairs done in distinct time intervals.
    pub distinct_modifier: DistinctModifier,
}

impl PayerRules {
    /// The defaults for a method when the payer says nothing more: a CMS-method payer is
    /// taken to be Medicare (KX applies); CQ is always applied, since leaving it off a
    /// PTA's service is the costlier mistake.
    pub fn default_for(method: UnitMethod) -> PayerRules {
        let medicare = method == UnitMethod::Cms;
        PayerRules {
            medicare,
            cq: true,
            kx: medicare,
            distinct_modifier: DistinctModifier::default(),
        }
    }
}

/// One documented service: a code and its minutes on the date of service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// CPT or HCPCS code.
    pub code: String,
    /// Minutes of direct treatment, 0..=1440.
    pub minutes: u32,
    /// The part of `minutes` a PT assistant furnished without the PT.
    pub pta_minutes: u32,
}

/// One patient's visit on one date of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The date of service.
    pub date: NaiveDate,
    /// The payer's unit method.
    pub method: UnitMethod,
    /// Documented services, in the order entered. The same code may appear more than once;
    /// its minutes are merged.
    pub services: Vec<Service>,
    /// The payer's other rules.
    pub payer: PayerRules,
    /// Allowed amounts of therapy already incurred this calendar year, for KX.
    pub ytd_allowed: Option<Cents>,
    /// Allowed amount per unit, by code.
    pub fees: BTreeMap<String, Cents>,
    /// Code pairs the clinician marked as done in separate, distinct time intervals.
    pub distinct_pairs: Vec<[String; 2]>,
    /// Total treatment minutes (timed and untimed) as documented, if given.
    pub total_treatment_minutes: Option<u32>,
    /// The clinician's choice of which codes take a tied unit, most preferred first.
    pub tie_break: Vec<String>,
}

impl Visit {
    /// A visit with the payer defaults for `method` and no optional data.
    pub fn new(date: NaiveDate, method: UnitMethod, services: Vec<Service>) -> Visit {
        Visit {
            date,
            method,
            services,
            payer: PayerRules::default_for(method),
            ytd_allowed: None,
            fees: BTreeMap::new(),
            distinct_pairs: Vec::new(),
            total_treatment_minutes: None,
            tie_break: Vec::new(),
        }
    }

    /// Whether the clinician marked `a` and `b` as done in distinct time intervals.
    pub fn marked_distinct(&self, a: &str, b: &str) -> bool {
        self.distinct_pairs
            .iter()
            .any(|[x, y]| (x == a && y == b) || (x == b && y == a))
    }
}

//! The JSON contract of `stride code`: one visit in, the coded visit out.
//!
//! Input (optional fields may be left out):
//!
//! ```json
//! {
//!   "date": "2026-03-02",
//!   "method": "cms",
//!   "services": [{"code": "97110", "minutes": 33, "pta_minutes": 0}],
//!   "payer": {"medicare": true, "cq": true, "kx": true, "distinct_modifier": "59"},
//!   "ytd_allowed_cents": 150000,
//!   "fees": {"97110": 3215},
//!   "distinct_intervals": [["97530", "97140"]],
//!   "total_treatment_minutes": 45,
//!   "tie_break": ["97112"]
//! }
//! ```
//!
//! Output: `lines` (code, units, modifiers, minutes, allowed_cents, explanation),
//! `timed_minutes`, `timed_units`, `total_units`, `warnings` and `errors` (sentences),
//! `findings` (the same, with severity, kind and codes), and `unbilled`.

use crate::engine::{ChargeLine, Coding, MINUTES_PER_DAY, Unbilled, code_visit};
use crate::error::CodingError;
use crate::findings::{Finding, Severity};
use crate::money::Cents;
use crate::rules::RuleSet;
use crate::visit::{DistinctModifier, PayerRules, Service, UnitMethod, Visit};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// Why a request could not be coded. Each message is one line and names the problem.
#[derive(Debug, Error)]
pub enum RequestError {
    /// Not JSON at all.
    #[error("input is not valid JSON: {0}")]
    Json(String),
    /// JSON, but the top level is not an object.
    #[error("input must be a JSON object describing one visit, not {0}")]
    NotAnObject(&'static str),
    /// A field is missing, unknown, or of the wrong type.
    #[error("{path}: {message}")]
    Field {
        /// Where, e.g. `services[0].minutes`.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The date is not a calendar date.
    #[error("date {0:?} is not a valid date; use YYYY-MM-DD")]
    Date(String),
    /// The method is neither `cms` nor `ama`.
    #[error("method {0:?} is unknown; use \"cms\" (CMS total time, the 8-minute rule) or \"ama\" (per code)")]
    Method(String),
    /// A money amount is negative.
    #[error("{0} must not be negative")]
    NegativeAmount(String),
    /// The visit itself is invalid.
    #[error(transparent)]
    Coding(#[from] CodingError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVisit {
    date: String,
    method: String,
    services: Vec<RawService>,
    #[serde(default)]
    payer: Option<RawPayer>,
    #[serde(default)]
    ytd_allowed_cents: Option<i64>,
    #[serde(default)]
    fees: BTreeMap<String, i64>,
    #[serde(default)]
    distinct_intervals: Vec<[String; 2]>,
    #[serde(default)]
    total_treatment_minutes: Option<i64>,
    #[serde(default)]
    tie_break: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    code: String,
    minutes: i64,
    #[serde(default)]
    pta_minutes: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPayer {
    #[serde(default)]
    medicare: Option<bool>,
    #[serde(default)]
    cq: Option<bool>,
    #[serde(default)]
    kx: Option<bool>,
    #[serde(default)]
    distinct_modifier: Option<DistinctModifier>,
}

/// Parses and validates one visit from JSON text.
pub fn parse_visit(json: &str) -> Result<Visit, RequestError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| RequestError::Json(e.to_string()))?;
    let kind = match &value {
        serde_json::Value::Object(_) => None,
        serde_json::Value::Null => Some("null"),
        serde_json::Value::Bool(_) => Some("a boolean"),
        serde_json::Value::Number(_) => Some("a number"),
        serde_json::Value::String(_) => Some("a string"),
        serde_json::Value::Array(_) => Some("an array"),
    };
    if let Some(kind) = kind {
        return Err(RequestError::NotAnObject(kind));
    }
    let raw: RawVisit = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        RequestError::Field {
            path: if path == "." { "input".to_owned() } else { path },
            message: e.into_inner().to_string(),
        }
    })?;
    raw.validate()
}

impl RawVisit {
    fn validate(self) -> Result<Visit, RequestError> {
        let date =
            NaiveDate::parse_from_str(&self.date, "%Y-%m-%d").map_err(|_| RequestError::Date(self.date.clone()))?;
        let method = UnitMethod::parse(&self.method).ok_or_else(|| RequestError::Method(self.method.clone()))?;
        let services = self
            .services
            .into_iter()
            .enumerate()
            .map(|(index, s)| s.validate(index))
            .collect::<Result<Vec<_>, _>>()?;
        let defaults = PayerRules::default_for(method);
        let payer = match self.payer {
            None => defaults,
            Some(p) => {
                let medicare = p.medicare.unwrap_or(defaults.medicare);
                PayerRules {
                    medicare,
                    cq: p.cq.unwrap_or(defaults.cq),
                    kx: p.kx.unwrap_or(medicare),
                    distinct_modifier: p.distinct_modifier.unwrap_or_default(),
                }
            }
        };
        let ytd_allowed = match self.ytd_allowed_cents {
            Some(c) if c < 0 => {
                return Err(RequestError::NegativeAmount("ytd_allowed_cents".into()));
            }
            other => other.map(Cents),
        };
        let mut fees = BTreeMap::new();
        for (code, cents) in self.fees {
            if cents < 0 {
                return Err(RequestError::NegativeAmount(format!("fees.{code}")));
            }
            fees.insert(normalize_code(&code), Cents(cents));
        }
        let total_treatment_minutes = match self.total_treatment_minutes {
            Some(m) if !(0..=i64::from(MINUTES_PER_DAY)).contains(&m) => {
                return Err(CodingError::TotalMinutesOutOfRange { minutes: m }.into());
            }
            other => other.and_then(|m| u32::try_from(m).ok()),
        };
        Ok(Visit {
            date,
            method,
            services,
            payer,
            ytd_allowed,
            fees,
            distinct_pairs: self
                .distinct_intervals
                .iter()
                .map(|[a, b]| [normalize_code(a), normalize_code(b)])
                .collect(),
            total_treatment_minutes,
            tie_break: self.tie_break.iter().map(|c| normalize_code(c)).collect(),
        })
    }
}

impl RawService {
    fn validate(self, index: usize) -> Result<Service, RequestError> {
        let minutes = u32::try_from(self.minutes)
            .ok()
            .filter(|&m| m <= MINUTES_PER_DAY)
            .ok_or(CodingError::MinutesOutOfRange {
                index,
                minutes: self.minutes,
            })?;
        let pta_minutes = u32::try_from(self.pta_minutes).ok().filter(|&m| m <= minutes).ok_or(
            CodingError::PtaMinutesOutOfRange {
                index,
                pta_minutes: self.pta_minutes,
                minutes: self.minutes,
            },
        )?;
        Ok(Service {
            code: normalize_code(&self.code),
            minutes,
            pta_minutes,
        })
    }
}

/// Codes are compared trimmed and upper-case (`g0283` is `G0283`).
fn normalize_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

/// The coded visit as `stride code` prints it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CodingReport {
    /// The unit method used.
    pub method: UnitMethod,
    /// Claim lines with at least one unit.
    pub lines: Vec<ChargeLine>,
    /// Pooled 15-minute timed minutes.
    pub timed_minutes: u32,
    /// Units billed for them.
    pub timed_units: u32,
    /// Units on all lines.
    pub total_units: u32,
    /// Warning sentences.
    pub warnings: Vec<String>,
    /// Error sentences: the claim would be denied as coded.
    pub errors: Vec<String>,
    /// Every finding, structured.
    pub findings: Vec<Finding>,
    /// Documented codes that earned no unit, and why.
    pub unbilled: Vec<Unbilled>,
}

impl From<Coding> for CodingReport {
    fn from(c: Coding) -> Self {
        CodingReport {
            method: c.method,
            timed_minutes: c.timed_minutes,
            timed_units: c.timed_units,
            total_units: c.total_units(),
            warnings: c.messages(Severity::Warning),
            errors: c.messages(Severity::Error),
            lines: c.lines,
            findings: c.findings,
            unbilled: c.unbilled,
        }
    }
}

/// Parses, validates and codes one visit.
pub fn code_json(json: &str, rules: &RuleSet) -> Result<CodingReport, RequestError> {
    let visit = parse_visit(json)?;
    Ok(code_visit(&visit, rules)?.into())
}

//! Integration tests of the timed-code engine.
//!
//! - `vectors`: every CMS example and boundary vector of billing-rules.md §1.4, §1.5 and
//!   the AMA comparison table of §2.
//! - `modifiers`: GP, CQ (per-unit de minimis), KX, 59/XU.
//! - `days`: a date of service coded as one, across notes and clinicians.
//! - `findings`: NCCI, MUE and the biller's warnings.
//! - `properties`: proptest invariants of both unit methods and the CQ split.
//! - `requests`: the JSON contract, good and bad input.

mod days;
mod findings;
mod modifiers;
mod properties;
mod requests;
mod vectors;

use chrono::NaiveDate;
use std::sync::LazyLock;
use stride_coding::{Coding, RuleSet, Service, UnitMethod, Visit, code_visit};

/// The date of service used unless a test needs another.
pub fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date")
}

/// A visit with PT-only minutes.
pub fn visit(method: UnitMethod, services: &[(&str, u32)]) -> Visit {
    Visit::new(
        day(),
        method,
        services
            .iter()
            .map(|&(code, minutes)| Service {
                code: code.to_owned(),
                minutes,
                pta_minutes: 0,
            })
            .collect(),
    )
}

/// The built-in rules, parsed once.
pub fn rules() -> &'static RuleSet {
    static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().expect("builtin rules"));
    &RULES
}

/// Codes a visit with the built-in rules.
pub fn run(v: &Visit) -> Coding {
    code_visit(v, rules()).expect("valid visit")
}

/// Units billed for a code over all its lines.
pub fn units_of(c: &Coding, code: &str) -> u32 {
    c.lines.iter().filter(|l| l.code == code).map(|l| l.units).sum()
}

/// Whether any finding is of this kind.
pub fn has_finding(c: &Coding, kind: stride_coding::FindingKind) -> bool {
    c.findings.iter().any(|f| f.kind == kind)
}

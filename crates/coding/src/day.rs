//! A date of service as billing sees it: every note a patient has on one date under one
//! payer, coded together.
//!
//! Under the CMS method all of a patient's timed minutes on one date are pooled before
//! units are counted, whoever furnished them and however many notes hold them (Pub
//! 100-04 Ch.5 §20.2: "the total number of minutes of service ... determines the number
//! of timed units billed"). A second note on the same date therefore changes what the
//! first one bills, and the day, not the note, is what is coded. Under the per-code
//! method the result is the same as coding each code's minutes together.

use crate::engine::{Coding, code_visit};
use crate::error::CodingError;
use crate::money::Cents;
use crate::rules::RuleSet;
use crate::visit::{PayerRules, Service, UnitMethod, Visit};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What one note contributes to its day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayNote {
    /// The note's documented services.
    pub services: Vec<Service>,
    /// The note's total treatment minutes, when documented.
    pub total_treatment_minutes: Option<u32>,
    /// Code pairs the clinician marked as done in separate, distinct time intervals.
    pub distinct_pairs: Vec<[String; 2]>,
    /// The clinician's tie-break choice, most preferred first.
    pub tie_break: Vec<String>,
}

/// One patient's date of service under one payer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    /// The date of service.
    pub date: NaiveDate,
    /// The payer's unit method.
    pub method: UnitMethod,
    /// The payer's other rules.
    pub payer: PayerRules,
    /// Therapy allowed amounts incurred this calendar year before this date (KX).
    pub ytd_allowed: Option<Cents>,
    /// Allowed amount per unit, by code.
    pub fees: BTreeMap<String, Cents>,
    /// The day's notes, in the order they were written.
    pub notes: Vec<DayNote>,
}

impl Day {
    /// The day as one visit: every note's services, in note order; total treatment time
    /// summed (known only when every note gives it); distinct pairs and tie-break choices
    /// from all notes.
    pub fn pooled(&self) -> Visit {
        let mut visit = Visit::new(self.date, self.method, Vec::new());
        visit.payer = self.payer;
        visit.ytd_allowed = self.ytd_allowed;
        visit.fees = self.fees.clone();
        visit.total_treatment_minutes = self
            .notes
            .iter()
            .try_fold(0u32, |sum, n| n.total_treatment_minutes.map(|m| sum.saturating_add(m)));
        for note in &self.notes {
            visit.services.extend(note.services.iter().cloned());
            for pair in &note.distinct_pairs {
                if !visit.marked_distinct(&pair[0], &pair[1]) {
                    visit.distinct_pairs.push(pair.clone());
                }
            }
            for code in &note.tie_break {
                if !visit.tie_break.contains(code) {
                    visit.tie_break.push(code.clone());
                }
            }
        }
        visit
    }
}

/// Codes one date of service: all its notes pooled, then coded as one visit.
pub fn code_day(day: &Day, rules: &RuleSet) -> Result<Coding, CodingError> {
    code_visit(&day.pooled(), rules)
}

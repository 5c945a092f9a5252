//! [`score`]: raw answers in, an exact [`Score`] with its missing-item status out.
//!
//! Steps:
//! 1. The answers must be of the measure's kind (items or activities) and count (one per
//!    item; 3–5 activities for PSFS, with unique, non-blank ids and descriptions).
//! 2. Every answer given must be within the response range and on a step of it.
//! 3. Unanswered items are counted. With more missing than the [`crate::MissingRule`]
//!    allows (or none answered at all), the result is a `Score` without a value whose status
//!    says how many answers were needed. That is not an error: the form is valid, it just
//!    cannot be scored.
//! 4. Otherwise the [`crate::ScoringRule`] computes the exact value, in 128-bit integer
//!    arithmetic over hundredths, as a reduced [`Fraction`].

use crate::answers::Answers;
use crate::decimal::Decimal;
use crate::definition::{MeasureDef, ScoreUnit, ScoringRule};
use crate::error::MeasureError;
use crate::fraction::Fraction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The result of scoring one administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Score {
    /// The measure's id.
    pub measure: String,
    /// The definition version that scored it.
    pub version: String,
    /// The unit of `value`.
    pub unit: ScoreUnit,
    /// The exact score; `None` when too many answers were missing. Round it only to show it
    /// ([`Score::display`], [`Score::rounded`]).
    #[cfg_attr(feature = "ts", ts(type = "{ numerator: number, denominator: number } | null"))]
    pub value: Option<Fraction>,
    /// Answers given (items answered, or activities rated).
    pub answered: usize,
    /// Answers asked for (items on the form, or activities listed).
    pub asked: usize,
    /// Whether a score could be given, and whether any answers were missing.
    pub status: ScoreStatus,
}

/// Missing-item status of a [`Score`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ScoreStatus {
    /// Every item answered (every listed activity rated).
    Complete,
    /// Scored although some answers were missing, as the measure's missing-item rule allows.
    Partial,
    /// No score: fewer answers than the measure needs.
    TooFewAnswered {
        /// Fewest answers that give a score.
        needed: usize,
    },
}

impl Score {
    /// Whether a score could be given.
    pub fn is_scored(&self) -> bool {
        self.value.is_some()
    }

    /// The score with one decimal place and its unit (`"35.6%"`, `"50.0"`, `"12.3 s"`), or
    /// `"no score"`. Rounds half-up from the exact value.
    pub fn display(&self) -> String {
        match self.value {
            Some(v) => self.unit.format_value(v),
            None => "no score".to_owned(),
        }
    }

    /// The score rounded half-up to two decimal places (ODI 320/9 % → 35.56), for reports
    /// that print two places. Keep [`Score::value`] for any further arithmetic.
    pub fn rounded(&self) -> Option<Decimal> {
        self.value.and_then(Fraction::to_decimal)
    }

    /// The missing-item status in one sentence.
    pub fn status_sentence(&self) -> String {
        match self.status {
            ScoreStatus::Complete => format!("All {} answered.", self.asked),
            ScoreStatus::Partial => format!(
                "Scored from {} of {} answers; the missing {} handled by the measure's rule.",
                self.answered,
                self.asked,
                if self.asked - self.answered == 1 {
                    "one is"
                } else {
                    "ones are"
                }
            ),
            ScoreStatus::TooFewAnswered { needed } => format!(
                "No score: {} of {} answered, and at least {needed} {} needed.",
                self.answered,
                self.asked,
                if needed == 1 { "is" } else { "are" }
            ),
        }
    }
}

/// Scores one administration of a measure from its raw answers.
///
/// Errors are answers that do not fit the measure (wrong kind or count, out of range,
/// between steps, blank or repeated activity ids). Too many unanswered items is not an
/// error; see [`ScoreStatus::TooFewAnswered`].
pub fn score(def: &MeasureDef, answers: &Answers) -> Result<Score, MeasureError> {
    let values = checked_values(def, answers)?;
    let asked = values.len();
    let given: Vec<Decimal> = values.iter().flatten().copied().collect();
    let answered = given.len();
    let missing = asked - answered;
    let max_missing = def.missing().max_missing;
    let mut result = Score {
        measure: def.id().to_owned(),
        version: def.version().to_owned(),
        unit: def.unit(),
        value: None,
        answered,
        asked,
        status: ScoreStatus::Complete,
    };
    if answered == 0 || missing > max_missing {
        result.status = ScoreStatus::TooFewAnswered {
            needed: asked.saturating_sub(max_missing).max(1),
        };
        return Ok(result);
    }
    if missing > 0 {
        result.status = ScoreStatus::Partial;
    }
    let too_large = || MeasureError::TooLarge {
        measure: def.short_name().to_owned(),
    };
    let value = compute(def, &given, asked).ok_or_else(too_large)?;
    result.value = Some(value);
    Ok(result)
}

/// The answers as one list (items, or activity ratings), each checked against the range.
fn checked_values(def: &MeasureDef, answers: &Answers) -> Result<Vec<Option<Decimal>>, MeasureError> {
    let measure = || def.short_name().to_owned();
    match (def.activities(), answers) {
        (None, Answers::Items(items)) => {
            if items.len() != def.items().len() {
                return Err(MeasureError::WrongItemCount {
                    measure: measure(),
                    expected: def.items().len(),
                    given: items.len(),
                });
            }
            for (i, value) in items.iter().enumerate() {
                if let Some(v) = value {
                    check_range(def, *v, || def.item_name(i))?;
                }
            }
            Ok(items.clone())
        }
        (Some(count), Answers::Activities(activities)) => {
            if activities.len() < count.min || activities.len() > count.max {
                return Err(MeasureError::WrongActivityCount {
                    measure: measure(),
                    min: count.min,
                    max: count.max,
                    given: activities.len(),
                });
            }
            let mut ids = BTreeSet::new();
            for (i, a) in activities.iter().enumerate() {
                let blank = |field| MeasureError::BlankActivity {
                    measure: measure(),
                    position: i + 1,
                    field,
                };
                if a.id.trim().is_empty() {
                    return Err(blank("id"));
                }
                if a.text.trim().is_empty() {
                    return Err(blank("description"));
                }
                if !ids.insert(a.id.as_str()) {
                    return Err(MeasureError::DuplicateActivity {
                        measure: measure(),
                        id: a.id.clone(),
                    });
                }
                if let Some(r) = a.rating {
                    check_range(def, r, || format!("activity {} ({})", i + 1, a.text))?;
                }
            }
            Ok(activities.iter().map(|a| a.rating).collect())
        }
        (None, Answers::Activities(_)) => Err(MeasureError::ItemsExpected { measure: measure() }),
        (Some(_), Answers::Items(_)) => Err(MeasureError::ActivitiesExpected { measure: measure() }),
    }
}

fn check_range(def: &MeasureDef, value: Decimal, name: impl Fn() -> String) -> Result<(), MeasureError> {
    let r = def.response();
    if value < r.min || value > r.max {
        return Err(MeasureError::OutOfRange {
            measure: def.short_name().to_owned(),
            answer: name(),
            value,
            min: r.min,
            max: r.max,
        });
    }
    // Both are within ±10^9 hundredths here, and the step is positive (definition invariant).
    if (value.hundredths() - r.min.hundredths()) % r.step.hundredths().max(1) != 0 {
        return Err(MeasureError::BetweenSteps {
            measure: def.short_name().to_owned(),
            answer: name(),
            value,
            min: r.min,
            step: r.step,
        });
    }
    Ok(())
}

/// The exact score from the answers given (at least one), `asked` being the number asked.
fn compute(def: &MeasureDef, given: &[Decimal], asked: usize) -> Option<Fraction> {
    let sum = given
        .iter()
        .try_fold(0i128, |acc, v| acc.checked_add(i128::from(v.hundredths())))?;
    let n = i128::try_from(given.len()).ok()?;
    let asked = i128::try_from(asked).ok()?;
    let r = def.response();
    let (min, max) = (i128::from(r.min.hundredths()), i128::from(r.max.hundredths()));
    // `sum`, `min` and `max` are in hundredths; each rule divides the 100 back out.
    match def.scoring() {
        ScoringRule::Sum => Fraction::from_wide(sum.checked_mul(asked)?, n.checked_mul(100)?),
        ScoringRule::PercentOfAnsweredMax => {
            Fraction::from_wide((sum - n * min).checked_mul(100)?, n.checked_mul(max - min)?)
        }
        ScoringRule::Quickdash => Fraction::from_wide((sum - 100 * n).checked_mul(25)?, 100 * n),
        ScoringRule::Mean => Fraction::from_wide(sum, 100 * n),
        ScoringRule::SingleValue => Fraction::from_wide(sum, 100),
    }
}

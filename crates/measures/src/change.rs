//! [`compare`]: the change between two administrations of a measure, judged against the
//! measure's direction, MCID and MDC.
//!
//! Rules:
//! - The difference is `later − earlier`, exact. It is an improvement when it goes the
//!   measure's better way (up for LEFS, down for ODI), a worsening otherwise.
//! - A threshold is reached when the size of the change is at least the threshold
//!   (`|difference| ≥ MCID`), whichever way it goes: a worsening as large as the MCID is as
//!   important to see as an improvement. Comparisons use the exact values, so a change of
//!   5.96 does not reach an MCID of 6 even though it shows as 6.0 with one decimal place;
//!   the sentence then shows more places (`5.96`) so it never contradicts itself.
//! - A threshold that depends on the baseline (Berg MDC) is taken for the earlier score.
//! - Scores of different measures or definition versions, and scores without a value, are
//!   not compared; the [`Change`] says why.
//!
//! [`mcid_band`] draws the same rule on a trend: the scores from the first administration up
//! to an improvement as large as the MCID, where [`compare`] starts to say it is reached.
//!
//! For PSFS a change only means something when the same activities were re-rated; see
//! [`crate::check_rerated`].

use crate::decimal::Decimal;
use crate::definition::{Direction, MeasureDef, Threshold};
use crate::fraction::Fraction;
use crate::score::{Score, ScoreStatus};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The change between two administrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Change {
    /// The measure's id.
    pub measure: String,
    /// Better, worse, the same, or not comparable.
    pub trend: Trend,
    /// `later − earlier`, exact, in the score's units; `None` when not comparable.
    #[cfg_attr(feature = "ts", ts(type = "{ numerator: number, denominator: number } | null"))]
    pub difference: Option<Fraction>,
    /// The change judged against the MCID; `None` when the measure has none (or when not
    /// comparable).
    pub mcid: Option<ThresholdCheck>,
    /// The change judged against the MDC; `None` when the measure has none (or when not
    /// comparable).
    pub mdc: Option<ThresholdCheck>,
    /// One sentence for the note, e.g. "LEFS improved by 9.0 points (40.0 to 49.0), reaching
    /// the MCID of 9 points and the MDC of 9 points."
    pub sentence: String,
}

/// Which way a measure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Trend {
    /// Moved the measure's better way.
    Improved,
    /// Moved the measure's worse way.
    Worsened,
    /// Exactly the same score.
    Unchanged,
    /// The two scores cannot be compared (see the sentence).
    NotComparable,
}

/// A change judged against one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThresholdCheck {
    /// The threshold that applied (for banded thresholds, the earlier score's band).
    #[cfg_attr(feature = "ts", ts(as = "f64"))]
    pub threshold: Decimal,
    /// Whether the size of the change is at least the threshold.
    pub reached: bool,
}

impl Change {
    /// Whether the change, either way, is at least the MCID.
    pub fn reaches_mcid(&self) -> bool {
        self.mcid.is_some_and(|c| c.reached)
    }

    /// Whether the change, either way, is at least the MDC: larger than measurement error,
    /// a real change.
    pub fn reaches_mdc(&self) -> bool {
        self.mdc.is_some_and(|c| c.reached)
    }

    /// Whether this is an improvement at least as large as the MCID.
    pub fn is_important_improvement(&self) -> bool {
        self.trend == Trend::Improved && self.reaches_mcid()
    }
}

/// The scores between a first administration and an improvement as large as the MCID: what
/// a trend shades, so that a later point outside it is an important improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct McidBand {
    /// The first score.
    pub from: Fraction,
    /// The MCID that applies to the first score.
    pub mcid: Decimal,
    /// The first score moved by `mcid`, the measure's better way. A later
    /// score here or beyond is an improvement that reaches the MCID ([`compare`]); one short of
    /// it is not.
    pub to: Fraction,
}

/// The MCID band from the first score, or `None` when the measure has no MCID or the score
/// has no value. The MCID is the one [`compare`] applies to that score (a banded threshold is
/// taken for it as the earlier score).
pub fn mcid_band(def: &MeasureDef, first: &Score) -> Option<McidBand> {
    let from = first.value?;
    let mcid = def.mcid()?.value_for(from)?;
    let to = match def.direction() {
        Direction::HigherIsBetter => from.checked_add(Fraction::from(mcid))?,
        Direction::LowerIsBetter => from.checked_sub(Fraction::from(mcid))?,
    };
    Some(McidBand { from, mcid, to })
}

/// Compares two scores of the same measure and definition version, `earlier` first.
pub fn compare(def: &MeasureDef, earlier: &Score, later: &Score) -> Change {
    let name = def.short_name();
    let not_comparable = |why: String| Change {
        measure: def.id().to_owned(),
        trend: Trend::NotComparable,
        difference: None,
        mcid: None,
        mdc: None,
        sentence: format!("Cannot compare: {why}."),
    };
    if earlier.measure != def.id() || later.measure != def.id() {
        return not_comparable(format!(
            "these are not both {name} scores ({} and {})",
            earlier.measure, later.measure
        ));
    }
    if earlier.version != def.version() || later.version != def.version() {
        return not_comparable(format!(
            "the scores come from {name} definition versions {} and {}, and this is version {}; re-score the \
             answers with one version",
            earlier.version,
            later.version,
            def.version()
        ));
    }
    let (from, to) = match (earlier.value, later.value) {
        (Some(from), Some(to)) => (from, to),
        (None, _) => return not_comparable(format!("the earlier {name} has no score ({})", why_unscored(earlier))),
        (_, None) => return not_comparable(format!("the later {name} has no score ({})", why_unscored(later))),
    };
    let Some(difference) = to.checked_sub(from) else {
        return not_comparable("the values are too large".to_owned());
    };

    let size = difference.abs();
    let check = |t: Option<&Threshold>| {
        let threshold = t?.value_for(from)?;
        Some(ThresholdCheck {
            threshold,
            reached: size >= Fraction::from(threshold),
        })
    };
    let (mcid, mdc) = (check(def.mcid()), check(def.mdc()));
    let trend = match (difference.signum(), def.direction()) {
        (Ordering::Equal, _) => Trend::Unchanged,
        (Ordering::Greater, Direction::HigherIsBetter) | (Ordering::Less, Direction::LowerIsBetter) => Trend::Improved,
        _ => Trend::Worsened,
    };

    let unit = def.unit();
    let sentence = if trend == Trend::Unchanged {
        format!("{name} did not change ({} both times).", unit.format_value(to))
    } else {
        let verb = if trend == Trend::Improved {
            "improved"
        } else {
            "worsened"
        };
        let amount = unit.with_change_unit(&amount_text(size, [mcid, mdc]));
        let mut s = format!(
            "{name} {verb} by {amount} ({} to {})",
            unit.format_value(from),
            unit.format_value(to)
        );
        let described = |label: &str, c: ThresholdCheck| {
            format!("the {label} of {}", unit.with_change_unit(&c.threshold.to_string()))
        };
        let mut reached = Vec::new();
        let mut below = Vec::new();
        for (label, c) in [("MCID", mcid), ("MDC", mdc)] {
            if let Some(c) = c {
                if c.reached { &mut reached } else { &mut below }.push(described(label, c));
            }
        }
        match (reached.is_empty(), below.is_empty()) {
            (false, false) => s += &format!(", reaching {} but below {}", reached.join(" and "), below.join(" and ")),
            (false, true) => s += &format!(", reaching {}", reached.join(" and ")),
            (true, false) => s += &format!(", below {}", below.join(" and ")),
            (true, true) => {}
        }
        match (mcid, mdc) {
            (None, None) => s += &format!("; Stride holds no MCID or MDC for {name}"),
            (None, Some(_)) => s += &format!("; Stride holds no MCID for {name}"),
            _ => {}
        }
        s + "."
    };
    Change {
        measure: def.id().to_owned(),
        trend,
        difference: Some(difference),
        mcid,
        mdc,
        sentence,
    }
}

/// The size of a change, with one decimal place unless that would show zero for a real
/// change or show a missed threshold's value (5.96 against an MCID of 6): then with up to
/// four places.
fn amount_text(size: Fraction, checks: [Option<ThresholdCheck>; 2]) -> String {
    let misleading = |places: u32, text: &str| {
        text.bytes().all(|b| b == b'0' || b == b'.')
            || checks
                .iter()
                .flatten()
                .any(|c| !c.reached && c.threshold.display_places(places) == text)
    };
    let mut text = size.display(1);
    for places in 2..=4 {
        if !misleading(places - 1, &text) {
            break;
        }
        text = size.display(places);
    }
    text
}

fn why_unscored(score: &Score) -> String {
    match score.status {
        ScoreStatus::TooFewAnswered { needed } => {
            format!(
                "{} of {} answered; at least {needed} {} needed",
                score.answered,
                score.asked,
                if needed == 1 { "is" } else { "are" }
            )
        }
        _ => "no value was recorded".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(threshold: i32, reached: bool) -> Option<ThresholdCheck> {
        Some(ThresholdCheck {
            threshold: Decimal::whole(threshold),
            reached,
        })
    }

    fn f(n: i64, d: i64) -> Fraction {
        Fraction::new(n, d).expect("fraction")
    }

    #[test]
    fn amounts_show_one_place_unless_that_misleads() {
        assert_eq!(amount_text(f(9, 1), [check(9, true), None]), "9.0");
        assert_eq!(amount_text(f(596, 100), [check(6, false), None]), "5.96");
        assert_eq!(amount_text(f(5999, 1000), [check(6, false), None]), "5.999");
        assert_eq!(amount_text(f(4, 100), [None, None]), "0.04");
        assert_eq!(amount_text(f(320, 9), [None, None]), "35.6");
    }
}

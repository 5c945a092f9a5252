//! [`MeasureDef`]: one version of one outcome measure, held as data.
//!
//! A definition says what a form asks (items and their response range, or a number of
//! patient-chosen activities), how answers become a score ([`ScoringRule`]), how many
//! answers may be missing ([`MissingRule`]), which way is better ([`Direction`]), and the
//! thresholds a change is judged by (MCID and MDC, [`Threshold`]), with the licence and
//! sources behind them.
//!
//! Invariants, checked when a definition is read (so scoring can rely on them):
//! - the response step is positive, `min < max`, and `max - min` is a whole number of steps;
//! - the scoring rule fits the form (a single value has one item; only `mean` takes
//!   activities; the QuickDASH formula needs 1–5 responses);
//! - `max_missing` leaves at least one answer to score;
//! - the declared score range is exactly the range the rule produces from the response
//!   range, so a typo in the data cannot go unnoticed;
//! - MCID and MDC values are positive, and baseline bands start at the bottom of the score
//!   range and go up.
//!
//! A definition's `version` must change whenever anything that affects a score or its
//! interpretation changes; scores of different versions are never compared.

use crate::decimal::Decimal;
use crate::error::CatalogError;
use crate::fraction::Fraction;
use serde::{Deserialize, Serialize};

/// Most items a form may have.
const MAX_ITEMS: usize = 200;
/// Most activities a patient may choose.
const MAX_ACTIVITIES: usize = 20;
/// Largest response magnitude, in hundredths (ten million units).
const MAX_RESPONSE: i64 = 1_000_000_000;

/// One version of one outcome measure. Read it from a [`crate::MeasureCatalog`]; every
/// definition has passed the checks listed in the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DefinitionData", into = "DefinitionData")]
pub struct MeasureDef(DefinitionData);

/// One item of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// A short label in Stride's own words (not the copyrighted item text).
    pub label: String,
}

/// The answers an item (or activity) accepts: `min`, `min + step`, …, `max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseRange {
    /// Lowest answer.
    pub min: Decimal,
    /// Highest answer.
    pub max: Decimal,
    /// Distance between allowed answers (1 for ordinal items, 0.1 for a time in seconds).
    pub step: Decimal,
    /// What the ends of the range mean, in Stride's own words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub anchors: String,
}

/// How many activities the patient chooses (PSFS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityCount {
    /// Fewest activities.
    pub min: usize,
    /// Most activities.
    pub max: usize,
}

/// How answers become a score. Each rule also fixes how missing answers are handled; the
/// [`MissingRule`] only says how many may be missing. `n` is the number answered, `N` the
/// number asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringRule {
    /// Sum of the answers (LEFS, Berg). With missing answers the sum is prorated:
    /// `sum × N / n`.
    Sum,
    /// Percent of the most the answered items could score (ODI, NDI):
    /// `(sum − n·min) / (n · (max − min)) × 100`. Each unanswered item takes its maximum off
    /// the denominator (16 of 45 rather than of 50 with one ODI section missing).
    PercentOfAnsweredMax,
    /// The QuickDASH formula `((sum / n) − 1) × 25` over the `n` answered items (1–5 each).
    Quickdash,
    /// Mean of the answers given (PSFS: of the activities rated).
    Mean,
    /// The one answer is the score (TUG seconds, 6MWT metres).
    SingleValue,
}

/// How many answers may be missing before no score can be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingRule {
    /// Most unanswered items (or unrated activities) that still give a score. A score also
    /// always needs at least one answer.
    pub max_missing: usize,
    /// The rule and its source in words.
    pub note: String,
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A higher score is better (LEFS, PSFS, Berg, 6MWT).
    HigherIsBetter,
    /// A lower score is better (ODI, NDI, QuickDASH, TUG).
    LowerIsBetter,
}

/// The unit a score is in; it decides how scores and changes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ScoreUnit {
    /// Points on the measure's own scale.
    Points,
    /// Percent (changes are in percentage points).
    Percent,
    /// Seconds.
    Seconds,
    /// Metres.
    Metres,
}

impl ScoreUnit {
    /// A value with one decimal place and its unit: `50.0`, `35.6%`, `12.3 s`, `350.0 m`.
    pub fn format_value(self, value: Fraction) -> String {
        self.with_unit(&value.display(1))
    }

    /// A number already written out, with its unit.
    pub(crate) fn with_unit(self, number: &str) -> String {
        match self {
            ScoreUnit::Points => number.to_owned(),
            ScoreUnit::Percent => format!("{number}%"),
            ScoreUnit::Seconds => format!("{number} s"),
            ScoreUnit::Metres => format!("{number} m"),
        }
    }

    /// A difference with its unit: `9.0 points`, `6.0 percentage points`, `2.1 s`.
    pub(crate) fn with_change_unit(self, number: &str) -> String {
        match self {
            ScoreUnit::Points => format!("{number} points"),
            ScoreUnit::Percent => format!("{number} percentage points"),
            ScoreUnit::Seconds => format!("{number} s"),
            ScoreUnit::Metres => format!("{number} m"),
        }
    }
}

/// The lowest and highest possible score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRange {
    /// Lowest possible score.
    pub min: Decimal,
    /// Highest possible score.
    pub max: Decimal,
}

impl ScoreRange {
    /// Whether a value lies within the range (ends included).
    pub fn contains(&self, value: Fraction) -> bool {
        Fraction::from(self.min) <= value && value <= Fraction::from(self.max)
    }
}

/// An MCID or MDC, in the score's units: one value, or a value that depends on the earlier
/// (baseline) score. Exactly one of `value` and `by_baseline` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The threshold whatever the baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// Thresholds by baseline score, lowest band first (Berg MDC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_baseline: Vec<BaselineBand>,
    /// Where the number comes from and for which population.
    pub note: String,
}

/// A baseline band of a [`Threshold`]: applies from `from` up to the next band's `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineBand {
    /// Lowest baseline score of the band.
    pub from: Decimal,
    /// The threshold for baselines in the band.
    pub value: Decimal,
}

impl Threshold {
    /// The threshold that applies when the earlier score was `baseline`.
    pub fn value_for(&self, baseline: Fraction) -> Option<Decimal> {
        if let Some(v) = self.value {
            return Some(v);
        }
        let mut bands = self.by_baseline.iter();
        let first = bands.next()?;
        let mut chosen = first.value;
        for band in bands {
            if Fraction::from(band.from) <= baseline {
                chosen = band.value;
            }
        }
        Some(chosen)
    }
}

/// The JSON shape of a definition (see `data/measures.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionData {
    id: String,
    version: String,
    short_name: String,
    name: String,
    unit: ScoreUnit,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    activities: Option<ActivityCount>,
    response: ResponseRange,
    scoring: ScoringRule,
    missing: MissingRule,
    direction: Direction,
    score_range: ScoreRange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mcid: Option<Threshold>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mdc: Option<Threshold>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    notes: String,
    licence: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
}

impl MeasureDef {
    /// Machine id, lowercase (`"lefs"`, `"odi"`, `"6mwt"`).
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// Version tag of this definition (`"1"`). Scores record it.
    pub fn version(&self) -> &str {
        &self.0.version
    }

    /// Abbreviation used in sentences (`"LEFS"`).
    pub fn short_name(&self) -> &str {
        &self.0.short_name
    }

    /// Full name (`"Lower Extremity Functional Scale"`).
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The unit of the score.
    pub fn unit(&self) -> ScoreUnit {
        self.0.unit
    }

    /// The items, in form order; empty for a measure answered with activities.
    pub fn items(&self) -> &[Item] {
        &self.0.items
    }

    /// How many activities the patient chooses, for a measure answered with activities.
    pub fn activities(&self) -> Option<ActivityCount> {
        self.0.activities
    }

    /// The answers each item (or activity rating) accepts.
    pub fn response(&self) -> &ResponseRange {
        &self.0.response
    }

    /// How answers become a score.
    pub fn scoring(&self) -> ScoringRule {
        self.0.scoring
    }

    /// How many answers may be missing.
    pub fn missing(&self) -> &MissingRule {
        &self.0.missing
    }

    /// Which way is better.
    pub fn direction(&self) -> Direction {
        self.0.direction
    }

    /// The lowest and highest possible score.
    pub fn score_range(&self) -> ScoreRange {
        self.0.score_range
    }

    /// The minimal clinically important difference, if Stride holds one.
    pub fn mcid(&self) -> Option<&Threshold> {
        self.0.mcid.as_ref()
    }

    /// The minimal detectable change, if Stride holds one.
    pub fn mdc(&self) -> Option<&Threshold> {
        self.0.mdc.as_ref()
    }

    /// Clinical notes: cut-offs, bands, population caveats, what to record. May be empty.
    pub fn notes(&self) -> &str {
        &self.0.notes
    }

    /// Licence and permission notes for embedding the measure.
    pub fn licence(&self) -> &str {
        &self.0.licence
    }

    /// Published sources of the scoring rule and thresholds.
    pub fn sources(&self) -> &[String] {
        &self.0.sources
    }

    /// How an answer is named in messages: `item 3 (Squatting)`.
    pub(crate) fn item_name(&self, index: usize) -> String {
        match self.0.items.get(index) {
            Some(item) => format!("item {} ({})", index + 1, item.label),
            None => format!("item {}", index + 1),
        }
    }
}

impl From<MeasureDef> for DefinitionData {
    fn from(def: MeasureDef) -> DefinitionData {
        def.0
    }
}

impl TryFrom<DefinitionData> for MeasureDef {
    type Error = CatalogError;

    fn try_from(data: DefinitionData) -> Result<MeasureDef, CatalogError> {
        validate(&data).map_err(|message| CatalogError::Invalid {
            id: data.id.clone(),
            version: data.version.clone(),
            message,
        })?;
        Ok(MeasureDef(data))
    }
}

/// Checks the invariants listed in the module documentation.
fn validate(d: &DefinitionData) -> Result<(), String> {
    if d.id.is_empty()
        || !d
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("id must be lowercase letters, digits and hyphens".into());
    }
    if d.version.trim().is_empty() || d.version.contains(char::is_whitespace) {
        return Err("version must be a non-empty tag without spaces".into());
    }
    for (field, text) in [
        ("short_name", &d.short_name),
        ("name", &d.name),
        ("licence", &d.licence),
        ("missing.note", &d.missing.note),
    ] {
        if text.trim().is_empty() {
            return Err(format!("{field} must not be empty"));
        }
    }
    if let Some(i) = d.items.iter().position(|item| item.label.trim().is_empty()) {
        return Err(format!("item {} has no label", i + 1));
    }
    if d.items.len() > MAX_ITEMS {
        return Err(format!(
            "{} items is more than the {MAX_ITEMS} Stride supports",
            d.items.len()
        ));
    }

    let r = &d.response;
    if r.step <= Decimal::ZERO {
        return Err("response step must be positive".into());
    }
    if r.min >= r.max {
        return Err(format!("response min {} must be below max {}", r.min, r.max));
    }
    if r.min.hundredths().abs() > MAX_RESPONSE || r.max.hundredths().abs() > MAX_RESPONSE {
        return Err("responses must lie within ±10,000,000".into());
    }
    if (r.max.hundredths() - r.min.hundredths()) % r.step.hundredths() != 0 {
        return Err(format!(
            "response range {} to {} is not a whole number of steps of {}",
            r.min, r.max, r.step
        ));
    }

    let asked = match (d.activities, d.items.len()) {
        (Some(_), n) if n > 0 => return Err("a measure has either items or activities, not both".into()),
        (Some(a), _) => {
            if a.min == 0 || a.min > a.max || a.max > MAX_ACTIVITIES {
                return Err(format!("activities must be 1 ≤ min ≤ max ≤ {MAX_ACTIVITIES}"));
            }
            if d.scoring != ScoringRule::Mean {
                return Err("a measure answered with activities is scored with the mean rule".into());
            }
            a.max
        }
        (None, 0) => return Err("a measure needs items or activities".into()),
        (None, n) => n,
    };
    if d.missing.max_missing >= asked {
        return Err(format!(
            "max_missing {} leaves no answer to score ({asked} asked)",
            d.missing.max_missing
        ));
    }

    let n = i64::try_from(d.items.len()).map_err(|_| "too many items".to_owned())?;
    let computed = match d.scoring {
        ScoringRule::Sum => (
            Decimal::from_hundredths(r.min.hundredths() * n),
            Decimal::from_hundredths(r.max.hundredths() * n),
        ),
        ScoringRule::PercentOfAnsweredMax => (Decimal::ZERO, Decimal::whole(100)),
        ScoringRule::Quickdash => {
            if r.min != Decimal::whole(1) || r.max != Decimal::whole(5) {
                return Err("the quickdash rule needs responses from 1 to 5".into());
            }
            (Decimal::ZERO, Decimal::whole(100))
        }
        ScoringRule::Mean => (r.min, r.max),
        ScoringRule::SingleValue => {
            if d.items.len() != 1 || d.missing.max_missing != 0 {
                return Err("the single_value rule needs exactly one item and max_missing 0".into());
            }
            (r.min, r.max)
        }
    };
    let declared = (d.score_range.min, d.score_range.max);
    if declared != computed {
        return Err(format!(
            "score_range {} to {} does not match what the rule gives ({} to {})",
            declared.0, declared.1, computed.0, computed.1
        ));
    }

    for (name, threshold) in [("mcid", &d.mcid), ("mdc", &d.mdc)] {
        if let Some(t) = threshold {
            validate_threshold(t, d.score_range).map_err(|m| format!("{name}: {m}"))?;
        }
    }
    Ok(())
}

fn validate_threshold(t: &Threshold, range: ScoreRange) -> Result<(), String> {
    if t.note.trim().is_empty() {
        return Err("note must not be empty".into());
    }
    match (t.value, t.by_baseline.as_slice()) {
        (Some(v), []) if v > Decimal::ZERO => Ok(()),
        (Some(_), []) => Err("value must be positive".into()),
        (None, [first, ..]) => {
            if first.from != range.min {
                return Err(format!("the first band must start at the lowest score, {}", range.min));
            }
            if t.by_baseline.windows(2).any(|w| w[0].from >= w[1].from) {
                return Err("bands must go up".into());
            }
            if t.by_baseline.iter().any(|b| b.from > range.max) {
                return Err("a band starts above the highest score".into());
            }
            if t.by_baseline.iter().any(|b| b.value <= Decimal::ZERO) {
                return Err("band values must be positive".into());
            }
            Ok(())
        }
        _ => Err("give exactly one of value and by_baseline".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berg_mdc() -> Threshold {
        Threshold {
            value: None,
            by_baseline: [(0, 5), (25, 7), (35, 5), (45, 4)]
                .map(|(from, value)| BaselineBand {
                    from: Decimal::whole(from),
                    value: Decimal::whole(value),
                })
                .to_vec(),
            note: "Donoghue & Stokes 2009".into(),
        }
    }

    #[test]
    fn baseline_bands_pick_the_band_of_the_earlier_score() {
        let t = berg_mdc();
        let at = |n: i64| t.value_for(Fraction::new(n, 1).expect("fraction"));
        assert_eq!(at(0), Some(Decimal::whole(5)));
        assert_eq!(at(24), Some(Decimal::whole(5)));
        assert_eq!(at(25), Some(Decimal::whole(7)));
        assert_eq!(at(34), Some(Decimal::whole(7)));
        assert_eq!(at(35), Some(Decimal::whole(5)));
        assert_eq!(at(44), Some(Decimal::whole(5)));
        assert_eq!(at(45), Some(Decimal::whole(4)));
        assert_eq!(at(56), Some(Decimal::whole(4)));
    }

    #[test]
    fn thresholds_must_be_one_kind_positive_and_banded_upwards() {
        let range = ScoreRange {
            min: Decimal::ZERO,
            max: Decimal::whole(56),
        };
        assert_eq!(validate_threshold(&berg_mdc(), range), Ok(()));
        let mut both = berg_mdc();
        both.value = Some(Decimal::whole(4));
        assert!(validate_threshold(&both, range).is_err());
        let mut down = berg_mdc();
        down.by_baseline.swap(1, 2);
        assert!(validate_threshold(&down, range).is_err());
        let mut late = berg_mdc();
        late.by_baseline[0].from = Decimal::whole(1);
        assert!(validate_threshold(&late, range).is_err());
        let zero = Threshold {
            value: Some(Decimal::ZERO),
            by_baseline: vec![],
            note: "x".into(),
        };
        assert!(validate_threshold(&zero, range).is_err());
    }

    #[test]
    fn units_write_values_and_changes() {
        let v = Fraction::new(320, 9).expect("fraction");
        assert_eq!(ScoreUnit::Percent.format_value(v), "35.6%");
        assert_eq!(ScoreUnit::Points.format_value(v), "35.6");
        assert_eq!(ScoreUnit::Seconds.with_unit("12.3"), "12.3 s");
        assert_eq!(ScoreUnit::Metres.with_change_unit("20.0"), "20.0 m");
        assert_eq!(ScoreUnit::Percent.with_change_unit("6"), "6 percentage points");
    }
}

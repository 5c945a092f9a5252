//! Errors: answers that cannot be scored, definitions that cannot be read, numbers that
//! cannot be parsed.
//!
//! Too many unanswered items is *not* an error: it is a [`crate::Score`] without a value,
//! whose status says how many answers were given and how many the measure needs. Errors are
//! for answers that make no sense for the measure (out of range, wrong count, wrong kind),
//! and every message names the measure and the item so a clinician can fix the form.

use crate::decimal::Decimal;
use thiserror::Error;

/// Why a set of answers could not be scored at all.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MeasureError {
    /// The catalog has no measure with this id (or not in this version).
    #[error("there is no outcome measure \"{id}\"{version_note}; the measures Stride knows are {known}")]
    UnknownMeasure {
        /// The id as given.
        id: String,
        /// Empty, or " in version …" when a version was asked for.
        version_note: String,
        /// The known ids, comma-separated.
        known: String,
    },
    /// Patient-chosen activities were given for an item-by-item measure.
    #[error("{measure} is answered item by item, not with patient-chosen activities")]
    ItemsExpected {
        /// The measure's short name.
        measure: String,
    },
    /// Item answers were given for a measure answered with patient-chosen activities (PSFS).
    #[error("{measure} is answered with the patient's own activities, each rated, not item by item")]
    ActivitiesExpected {
        /// The measure's short name.
        measure: String,
    },
    /// The number of item answers differs from the number of items.
    #[error(
        "{measure} has {expected} items but {given} answers were given; give one answer per item and leave \
         unanswered items empty"
    )]
    WrongItemCount {
        /// The measure's short name.
        measure: String,
        /// Items on the form.
        expected: usize,
        /// Answers given.
        given: usize,
    },
    /// The number of patient-chosen activities is outside what the measure allows.
    #[error("{measure} needs {min} to {max} activities chosen by the patient; {given} were given")]
    WrongActivityCount {
        /// The measure's short name.
        measure: String,
        /// Fewest activities allowed.
        min: usize,
        /// Most activities allowed.
        max: usize,
        /// Activities given.
        given: usize,
    },
    /// An activity has an empty id or an empty description.
    #[error(
        "{measure} activity {position} has no {field}; each activity needs an id and a description so that \
         later visits can re-rate it"
    )]
    BlankActivity {
        /// The measure's short name.
        measure: String,
        /// 1-based position of the activity.
        position: usize,
        /// `"id"` or `"description"`.
        field: &'static str,
    },
    /// Two activities share an id.
    #[error("{measure} lists the activity id \"{id}\" twice; each activity needs its own id")]
    DuplicateActivity {
        /// The measure's short name.
        measure: String,
        /// The repeated id.
        id: String,
    },
    /// An answer is below the lowest or above the highest allowed response.
    #[error("{measure} {answer}: {value} is outside the allowed range {min} to {max}")]
    OutOfRange {
        /// The measure's short name.
        measure: String,
        /// Which answer, e.g. `item 3 (Squatting)` or `activity 2 (Climbing stairs)`.
        answer: String,
        /// The answer as given.
        value: Decimal,
        /// Lowest allowed response.
        min: Decimal,
        /// Highest allowed response.
        max: Decimal,
    },
    /// An answer falls between the allowed responses (e.g. 2.5 on a 0–4 item).
    #[error("{measure} {answer}: {value} is not an allowed answer; answers go from {min} in steps of {step}")]
    BetweenSteps {
        /// The measure's short name.
        measure: String,
        /// Which answer, e.g. `item 3 (Squatting)`.
        answer: String,
        /// The answer as given.
        value: Decimal,
        /// Lowest allowed response.
        min: Decimal,
        /// Distance between allowed responses.
        step: Decimal,
    },
    /// The arithmetic would not fit Stride's exact number type. Unreachable with definitions
    /// that passed catalog validation; kept so that nothing can panic.
    #[error("{measure} could not be scored exactly: the numbers are too large")]
    TooLarge {
        /// The measure's short name.
        measure: String,
    },
}

/// Why a catalog of measure definitions could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// The text is not JSON of the catalog's shape.
    #[error("measure definitions: {message}")]
    Json {
        /// What serde_json reported, with line and column.
        message: String,
    },
    /// The `format` field names a layout this version of Stride cannot read.
    #[error("measure definitions: format {format} is not supported; this version of Stride reads format 1")]
    UnsupportedFormat {
        /// The format as given.
        format: u32,
    },
    /// One definition is inconsistent.
    #[error("measure {id} version {version}: {message}")]
    Invalid {
        /// The definition's id.
        id: String,
        /// The definition's version.
        version: String,
        /// What is wrong.
        message: String,
    },
    /// The same id and version appear twice.
    #[error("measure {id} version {version} is defined twice")]
    Duplicate {
        /// The repeated id.
        id: String,
        /// The repeated version.
        version: String,
    },
}

/// Why text could not be read as a [`Decimal`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a number at all.
    #[error("\"{0}\" is not a number")]
    NotANumber(String),
    /// More than two decimal places (other than trailing zeros).
    #[error("\"{0}\" has more than two decimal places")]
    TooPrecise(String),
    /// Too large to hold.
    #[error("\"{0}\" is too large")]
    TooLarge(String),
}

//! Errors: input the engine refuses, and rule data that cannot be read.

use thiserror::Error;

/// Why a visit could not be coded. Billing problems are not errors: they are
/// [`crate::Finding`]s on a successful result. These are inputs that make no sense.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CodingError {
    /// A service names a code that is not in the code table at all.
    #[error("services[{index}]: code \"{code}\" is not a physical therapy code Stride knows")]
    UnknownCode {
        /// Position of the service in the visit.
        index: usize,
        /// The code as given.
        code: String,
    },
    /// A service names a code that exists but is not valid on the date of service.
    #[error("services[{index}]: code {code} is not valid on {date} ({validity})")]
    CodeNotInEffect {
        /// Position of the service in the visit.
        index: usize,
        /// The code as given.
        code: String,
        /// The date of service.
        date: chrono::NaiveDate,
        /// When the code is valid, in words.
        validity: String,
    },
    /// Minutes outside 0..=1440.
    #[error("services[{index}]: minutes is {minutes}; it must be between 0 and 1440")]
    MinutesOutOfRange {
        /// Position of the service in the visit.
        index: usize,
        /// The minutes as given.
        minutes: i64,
    },
    /// PTA minutes outside 0..=minutes.
    #[error(
        "services[{index}]: pta_minutes is {pta_minutes}; it must be between 0 and the service's minutes ({minutes})"
    )]
    PtaMinutesOutOfRange {
        /// Position of the service in the visit.
        index: usize,
        /// The PTA minutes as given.
        pta_minutes: i64,
        /// The service's minutes.
        minutes: i64,
    },
    /// One code's minutes, added up over the visit, exceed a day.
    #[error("code {code} adds up to {minutes} minutes on one date of service; a day has 1440")]
    DayOverflow {
        /// The code.
        code: String,
        /// Its total minutes.
        minutes: u32,
    },
    /// Total treatment minutes outside 0..=1440.
    #[error("total_treatment_minutes is {minutes}; it must be between 0 and 1440")]
    TotalMinutesOutOfRange {
        /// The minutes as given.
        minutes: i64,
    },
}

/// Rule data (a code table, an NCCI or MUE file, a threshold table) that cannot be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DataError {
    /// A line or record is malformed.
    #[error("{source_name} line {line}: {message}")]
    Malformed {
        /// Which data set.
        source_name: String,
        /// 1-based line or record number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file holds no data rows at all.
    #[error("{source_name}: no data rows found; is this the right file?")]
    Empty {
        /// Which data set.
        source_name: String,
    },
}

impl DataError {
    /// A malformed-line error.
    pub(crate) fn malformed(source_name: &str, line: usize, message: impl Into<String>) -> Self {
        Self::Malformed {
            source_name: source_name.to_owned(),
            line,
            message: message.into(),
        }
    }
}

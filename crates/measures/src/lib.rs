//! Outcome-measure scoring: raw answers in; an exact score, its missing-item status and the
//! change against the MCID out.
//!
//! # Design
//!
//! - **Definitions are data.** Each measure (LEFS, ODI, NDI, QuickDASH, PSFS, Berg, TUG,
//!   6MWT) is one versioned [`MeasureDef`] in `data/measures.json`: items with Stride's own
//!   short labels, response range, a [`ScoringRule`] id, a [`MissingRule`], [`Direction`],
//!   score range, MCID and MDC ([`Threshold`]), licence note and sources. The file is
//!   embedded and parsed once ([`MeasureCatalog::builtin`]); every definition is checked on
//!   reading, including that its declared score range is what its rule produces. The code
//!   knows five scoring rules, not eight measures: a new questionnaire that fits a rule is a
//!   data change.
//! - **Raw answers are kept as given** ([`Answers`]): an unanswered item is `None`, a PSFS
//!   activity keeps its id and wording, a TUG time keeps its decimal. Answers are
//!   [`Decimal`]s (exact hundredths), never binary floats.
//! - **Scores are exact.** [`score()`] returns a [`Score`] whose value is a reduced
//!   [`Fraction`] (the ODI with 9 sections is 320/9 %, not 35.56), with how many answers
//!   were given and whether a score could be given ([`ScoreStatus`]). Rounding happens only
//!   when showing a value: half-up from the exact value, one place in [`Score::display`]
//!   (`35.6%`), two in [`Score::rounded`] (35.56).
//! - **Too many missing answers is a status, not an error.** Answers that do not fit the
//!   measure (out of range, between steps, wrong count or kind) are a [`MeasureError`] whose
//!   message names the measure and the item; nothing panics on input.
//! - **Change is judged by the measure's rules** ([`compare`]): improved or worsened in the
//!   measure's direction, whether it reaches the MCID and the MDC (exact comparison; a
//!   baseline-dependent MDC uses the earlier score), and one sentence for the note. Scores
//!   from different definition versions are not compared. For PSFS, [`check_rerated`] lists
//!   activities a follow-up did not re-rate. A trend's shaded band ([`mcid_band`]) is drawn
//!   from the same rule, so the chart and the sentence never disagree.
//!
//! The crate is pure: no I/O, no clock, no database. The same answers always give the
//! same score.
//!
//! ```
//! use stride_measures::{Answers, MeasureCatalog, Trend, compare, score};
//!
//! let catalog = MeasureCatalog::builtin()?;
//! let lefs = catalog.require("lefs")?;
//! let first = score(lefs, &Answers::whole(&[Some(2); 20]))?; // 40
//! let later = score(lefs, &Answers::whole(&[Some(2), Some(3)].repeat(10)))?; // 50
//! let change = compare(lefs, &first, &later);
//! assert_eq!(change.trend, Trend::Improved);
//! assert!(change.reaches_mcid());
//! assert_eq!(
//!     change.sentence,
//!     "LEFS improved by 10.0 points (40.0 to 50.0), reaching the MCID of 9 points and the MDC of 9 points."
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod answers;
pub mod catalog;
pub mod change;
pub mod decimal;
pub mod definition;
pub mod error;
pub mod fraction;
pub mod rerating;
pub mod score;

pub use answers::{Activity, Answers};
pub use catalog::MeasureCatalog;
pub use change::{Change, McidBand, ThresholdCheck, Trend, compare, mcid_band};
pub use decimal::Decimal;
pub use definition::{
    ActivityCount, BaselineBand, Direction, Item, MeasureDef, MissingRule, ResponseRange, ScoreRange, ScoreUnit,
    ScoringRule, Threshold,
};
pub use error::{CatalogError, DecimalError, MeasureError};
pub use fraction::Fraction;
pub use rerating::{NotRerated, NotReratedReason, check_rerated};
pub use score::{Score, ScoreStatus, score};

//! The timed-code engine: documented treatment minutes in, billed units, modifiers and
//! warnings out, with a sentence explaining every line.
//!
//! # How it fits together
//!
//! - [`code_table`] knows every physical-therapy code we bill, versioned by effective date.
//! - [`units`] turns minutes into units: the CMS total-time "8-minute rule" with its
//!   allocation among codes, or the AMA per-code rule, chosen per payer.
//! - [`assistant`] splits a code's units into plain and CQ units by the per-unit 10% de
//!   minimis rule for minutes a PT assistant furnished on their own.
//! - [`ncci`], [`mue`] and [`thresholds`] hold the rule data (NCCI procedure-to-procedure
//!   edits, medically unlikely edits, KX thresholds) and import the CMS quarterly files.
//! - [`engine::code_visit`] runs one visit through all of it and returns a [`Coding`]:
//!   charge lines, findings (warnings and errors), and the minutes that earned no unit.
//! - [`day::code_day`] codes a date of service: every note of the patient's day under one
//!   payer, pooled, then coded as one visit. Billing codes days, not notes.
//! - [`edits`] judges lines as billed (NCCI, MUE, KX): the engine and the claim scrubber
//!   both call it, so those rules live once.
//! - [`request`] is the JSON contract of `stride code`: parsing, validation, output.
//!
//! The crate is pure: no I/O, no clock, no randomness. Dates of service come in as
//! input; rule files come in as bytes. The same visit always codes the same way.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod assistant;
pub mod code_table;
pub mod day;
pub mod edits;
pub mod engine;
pub mod error;
pub mod explanation;
pub mod findings;
pub mod modifier;
pub mod money;
pub mod mue;
pub mod ncci;
pub mod request;
pub mod rules;
pub mod thresholds;
mod tsv;
pub mod units;
pub mod visit;

pub use code_table::{CodeDef, CodeTable, Timing, is_unlisted};
pub use day::{Day, DayNote, code_day};
pub use engine::{ChargeLine, Coding, Unbilled, code_visit};
pub use error::{CodingError, DataError};
pub use findings::{Finding, FindingKind, Severity};
pub use modifier::Modifier;
pub use money::Cents;
pub use rules::RuleSet;
pub use visit::{DistinctModifier, PayerRules, Service, UnitMethod, Visit};

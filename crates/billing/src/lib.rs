//! Claims as data, with no storage, network or clock: the claim lifecycle, the X12
//! 837P professional claim out, the 835 remittance in, adjustment and remark codes in
//! words, how a remittance settles a claim, the claim scrubber's rules, and A/R aging.
//!
//! `stride-chart` gathers the facts from the chart and stores the results; this crate
//! decides and formats. Keeping it pure means the X12 reader and writer are tested
//! (and fuzzed) on bytes alone, and the clinic server can apply the same rules.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aging;
pub mod codes;
pub mod npi;
pub mod posting;
pub mod progress;
pub mod scrub;
pub mod status;
pub mod superbill;
pub mod synthetic;
pub mod x12;

pub use status::{ClaimStatus, TransitionError, TransitionSource};
/// Claim-line modifiers, the type every line here carries.
pub use stride_coding::Modifier;
#[cfg(feature = "test-support")]
pub mod testing;

//! The sync protocol between a Stride device and its clinic server.
//!
//! Devices push intent-level ops, each numbered by a contiguous per-device sequence and
//! carrying the image of the record it leaves behind plus what that image was based on.
//! The server decides each op's outcome, merges images field by field ([`merge()`]), and
//! publishes every resulting record version in a per-clinic change feed ordered by a
//! commit-ordered sequence, which devices pull. Pure types and logic: no I/O.

#![forbid(unsafe_code)]

pub mod audit;
pub mod hours;
pub mod kinds;
pub mod merge;
pub mod policy;
pub mod wire;

pub use merge::{FieldConflict, Image, Merge, merge};
pub use wire::*;

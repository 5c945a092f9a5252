//! The rule data one coding run uses: code table, NCCI edits, MUEs and thresholds.

use crate::code_table::CodeTable;
use crate::error::DataError;
use crate::mue::MueTable;
use crate::ncci::PtpTable;
use crate::thresholds::KxThresholds;

/// Everything the engine consults besides the visit itself.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Codes and how they are counted.
    pub codes: CodeTable,
    /// NCCI procedure-to-procedure edits.
    pub ptp: PtpTable,
    /// Medically unlikely edits.
    pub mue: MueTable,
    /// KX and medical review thresholds by year.
    pub thresholds: KxThresholds,
}

impl RuleSet {
    /// Stride's shipped data: the full code table and thresholds, and the *sample*
    /// NCCI and MUE tables. A clinic replaces `ptp` and `mue` with the current quarter.
    pub fn builtin() -> Result<RuleSet, DataError> {
        Ok(RuleSet {
            codes: CodeTable::builtin()?,
            ptp: PtpTable::sample()?,
            mue: MueTable::sample()?,
            thresholds: KxThresholds::builtin()?,
        })
    }
}

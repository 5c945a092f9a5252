//! Medicare's per-beneficiary therapy thresholds by calendar year: the KX-modifier
//! threshold and the targeted medical review threshold. Data in `data/kx-thresholds.tsv`.

use crate::error::DataError;
use crate::money::Cents;
use crate::tsv;
use std::collections::BTreeMap;

/// One calendar year's thresholds for the physical therapy (PT + SLP) bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearThresholds {
    /// Allowed amounts at or above this need KX on the claim line.
    pub kx: Cents,
    /// Allowed amounts at or above this may be picked for targeted medical review.
    pub review: Cents,
}

impl YearThresholds {
    /// Which of a date's lines carry KX, in claim order: the patient's allowed amounts this
    /// year before the date (`before`), plus each line's allowed amount in turn; every
    /// line from the one that reaches the KX threshold onwards needs KX. A line with no
    /// allowed amount (the clinic set no fee) adds nothing, but still carries KX once the
    /// threshold is reached: a missing fee is never a reason to leave KX off (Noridian:
    /// claims above the threshold without KX are denied). For each line: the running total
    /// with it, when it needs KX. The coding engine and the claim scrubber both ask this.
    pub fn kx_lines(&self, before: Cents, allowed: &[Option<Cents>]) -> Vec<Option<Cents>> {
        let mut running = before;
        allowed
            .iter()
            .map(|a| {
                running = running.plus(a.unwrap_or(Cents(0)));
                (running >= self.kx).then_some(running)
            })
            .collect()
    }
}

/// Thresholds for every year we know.
#[derive(Debug, Clone, Default)]
pub struct KxThresholds {
    by_year: BTreeMap<i32, YearThresholds>,
}

const SOURCE: &str = "KX thresholds";

impl KxThresholds {
    /// The table Stride ships.
    pub fn builtin() -> Result<KxThresholds, DataError> {
        Self::parse(include_str!("../data/kx-thresholds.tsv"))
    }

    /// Reads a table in the `kx-thresholds.tsv` format.
    pub fn parse(text: &str) -> Result<KxThresholds, DataError> {
        let mut by_year = BTreeMap::new();
        for row in tsv::rows(SOURCE, text, &["year", "pt_slp", "ot", "review"])? {
            let num = |s: &str| {
                s.parse::<i64>()
                    .map_err(|_| DataError::malformed(SOURCE, row.line, format!("{s:?} is not a whole number")))
            };
            let year = i32::try_from(num(row.fields[0])?)
                .map_err(|_| DataError::malformed(SOURCE, row.line, "year out of range"))?;
            let thresholds = YearThresholds {
                kx: Cents(num(row.fields[1])?),
                review: Cents(num(row.fields[3])?),
            };
            if by_year.insert(year, thresholds).is_some() {
                return Err(DataError::malformed(SOURCE, row.line, format!("{year} appears twice")));
            }
        }
        Ok(KxThresholds { by_year })
    }

    /// The thresholds for a calendar year, if known.
    pub fn for_year(&self, year: i32) -> Option<YearThresholds> {
        self.by_year.get(&year).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_2024_to_2026() {
        let t = KxThresholds::builtin().expect("builtin thresholds parse");
        assert_eq!(t.for_year(2024).map(|y| y.kx), Some(Cents(233_000)));
        assert_eq!(t.for_year(2025).map(|y| y.kx), Some(Cents(241_000)));
        assert_eq!(t.for_year(2026).map(|y| y.kx), Some(Cents(248_000)));
        assert_eq!(t.for_year(2026).map(|y| y.review), Some(Cents(300_000)));
        assert_eq!(t.for_year(1999), None);
    }
}

//! Medically Unlikely Edits (MUEs): the most units of a code one provider bills one
//! patient on one date of service (or on one claim line) under most circumstances.
//!
//! [`MueTable::parse_cms_practitioner`] reads the CMS quarterly practitioner MUE table
//! (`MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY.csv`: Latin-1 CSV whose first record is
//! a quoted multi-line notice and whose header holds an embedded newline). The rows carry
//! no dates: the caller records the effective date with the import.

use crate::error::DataError;
use crate::ncci::{latin1, looks_like_code};
use serde::Serialize;
use std::collections::HashMap;

/// How an MUE is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MueScope {
    /// MAI 1: per claim line.
    ClaimLine,
    /// MAI 2: per date of service, absolute (policy); not appealable.
    DayPolicy,
    /// MAI 3: per date of service, clinical; appealable with documentation.
    DayClinical,
}

/// One code's MUE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Mue {
    /// The most units allowed.
    pub max_units: u32,
    /// How the limit is counted.
    pub scope: MueScope,
}

/// MUEs by code.
#[derive(Debug, Clone, Default)]
pub struct MueTable {
    by_code: HashMap<String, Mue>,
}

const SOURCE: &str = "MUE file";

impl MueTable {
    /// The sample table Stride ships (not the current CMS values).
    pub fn sample() -> Result<MueTable, DataError> {
        Self::parse_cms_practitioner(include_bytes!("../data/mue-practitioner-sample.csv"))
    }

    /// Reads a CMS practitioner MUE table.
    pub fn parse_cms_practitioner(bytes: &[u8]) -> Result<MueTable, DataError> {
        let text = latin1(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut by_code = HashMap::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| DataError::malformed(SOURCE, i + 1, format!("not valid CSV: {e}")))?;
            let code = record.get(0).unwrap_or("").trim();
            if !looks_like_code(code) {
                // The notice and the header come before the first row that starts with a code.
                if by_code.is_empty() {
                    continue;
                }
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Err(DataError::malformed(
                    SOURCE,
                    i + 1,
                    format!("{code:?} is not a CPT or HCPCS code"),
                ));
            }
            let mue = parse_mue_row(i + 1, &record)?;
            by_code.insert(code.to_owned(), mue);
        }
        if by_code.is_empty() {
            return Err(DataError::Empty {
                source_name: SOURCE.to_owned(),
            });
        }
        Ok(MueTable { by_code })
    }

    /// The MUE for a code, if the table has one.
    pub fn get(&self, code: &str) -> Option<Mue> {
        self.by_code.get(code).copied()
    }

    /// How many codes the table covers.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

fn parse_mue_row(record_no: usize, record: &csv::StringRecord) -> Result<Mue, DataError> {
    let bad = |message: String| DataError::malformed(SOURCE, record_no, message);
    let value = record.get(1).unwrap_or("").trim();
    let max_units = value
        .parse::<u32>()
        .map_err(|_| bad(format!("MUE value {value:?} is not a whole number")))?;
    let mai = record.get(2).unwrap_or("").trim();
    let scope = match mai.chars().next() {
        Some('1') => MueScope::ClaimLine,
        Some('2') => MueScope::DayPolicy,
        Some('3') => MueScope::DayClinical,
        _ => {
            return Err(bad(format!(
                "adjudication indicator {mai:?} does not start with 1, 2 or 3"
            )));
        }
    };
    Ok(Mue { max_units, scope })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_parses() {
        let t = MueTable::sample().expect("sample parses");
        assert_eq!(
            t.get("97161"),
            Some(Mue {
                max_units: 1,
                scope: MueScope::DayPolicy
            })
        );
        assert_eq!(t.get("97032").map(|m| m.scope), Some(MueScope::DayClinical));
        assert_eq!(t.get("97110"), None);
    }

    #[test]
    fn reads_the_cms_layout() {
        let file = b"\"CPT codes and descriptions only are copyright \xA9 2025 American Medical Association.\nAll Rights Reserved.\",,,\n\"HCPCS/\nCPT Code\",\"Practitioner Services MUE Values\",\"MUE Adjudication Indicator\",\"MUE Rationale\"\n97110,6,3 Date of Service Edit: Clinical,Clinical: Data\n\"97530\",\"4\",\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"\n97012,1,\"1 Line Edit\",\"Nature of Service/Procedure\"\n,,,\n";
        let t = MueTable::parse_cms_practitioner(file).expect("fixture parses");
        assert_eq!(t.len(), 3);
        assert_eq!(t.get("97110").map(|m| m.max_units), Some(6));
        assert_eq!(t.get("97012").map(|m| m.scope), Some(MueScope::ClaimLine));
    }

    #[test]
    fn malformed_rows_fail() {
        assert!(MueTable::parse_cms_practitioner(b"97110,six,3 Date,x\n").is_err());
        assert!(MueTable::parse_cms_practitioner(b"97110,6,Date,x\n").is_err());
        assert!(MueTable::parse_cms_practitioner(b"no codes here\n").is_err());
        assert!(MueTable::parse_cms_practitioner(b"97110,6,3 x,y\nnot-a-code,1,2,z\n").is_err());
    }
}

//! NCCI procedure-to-procedure (PTP) edits: pairs of codes that may not, or may only with
//! a distinct-service modifier, be billed together for one patient on one date.
//!
//! [`PtpTable::parse_cms_practitioner`] reads the CMS quarterly practitioner PTP files
//! (`ccipra-vNNNrN-fN.TXT`: tab-delimited, Latin-1, CRLF, a preamble before the data).
//! Stride ships a small sample in the same layout, clearly marked as a sample; a clinic
//! imports the current quarter.

use crate::error::DataError;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// What the NCCI modifier indicator allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModifierIndicator {
    /// 0: never billed together; no modifier bypasses the edit.
    NotAllowed,
    /// 1: billed together only with an NCCI-associated modifier (59, XU, ...) on column 2.
    Allowed,
    /// 9: the edit does not apply (deleted).
    NotApplicable,
}

/// One row of the PTP table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PtpEdit {
    /// The code that is paid.
    pub column1: String,
    /// The code that is denied unless the edit allows a modifier and one is present.
    pub column2: String,
    /// First date of service the edit applies.
    pub effective: NaiveDate,
    /// Last date of service the edit applied, if deleted. CMS gives the deletion date as
    /// the first day it no longer applies; we store the day before.
    pub last_day: Option<NaiveDate>,
    /// The modifier indicator.
    pub indicator: ModifierIndicator,
    /// CMS's rationale text.
    pub rationale: String,
}

impl PtpEdit {
    fn in_force_on(&self, date: NaiveDate) -> bool {
        self.effective <= date && self.last_day.is_none_or(|last| date <= last)
    }
}

/// PTP edits keyed by unordered code pair (the smaller code, then the larger), nested so
/// a lookup by two `&str` allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct PtpTable {
    by_pair: HashMap<String, HashMap<String, Vec<PtpEdit>>>,
    /// Number of rows read.
    pub rows: usize,
}

const SOURCE: &str = "NCCI PTP file";

impl PtpTable {
    /// The sample table Stride ships (not the current CMS edits).
    pub fn sample() -> Result<PtpTable, DataError> {
        let mut table = PtpTable::default();
        table.add_cms_practitioner(include_bytes!("../data/ncci-ptp-sample.txt"))?;
        Ok(table)
    }

    /// Reads one CMS practitioner PTP file. A quarter comes in four files: call
    /// [`PtpTable::add_cms_practitioner`] for each.
    pub fn parse_cms_practitioner(bytes: &[u8]) -> Result<PtpTable, DataError> {
        let mut table = PtpTable::default();
        table.add_cms_practitioner(bytes)?;
        Ok(table)
    }

    /// Adds the rows of one CMS practitioner PTP file to this table.
    pub fn add_cms_practitioner(&mut self, bytes: &[u8]) -> Result<(), DataError> {
        let text = latin1(bytes);
        let mut added = 0;
        let mut in_data = false;
        for (i, line) in text.split('\n').enumerate() {
            let line = line.trim_end_matches('\r');
            let fields: Vec<&str> = line.split('\t').collect();
            // The preamble runs until the first line whose first two fields are codes.
            if !in_data {
                if fields.len() >= 2 && looks_like_code(fields[0]) && looks_like_code(fields[1]) {
                    in_data = true;
                } else {
                    continue;
                }
            }
            if line.trim().is_empty() {
                continue;
            }
            let edit = parse_ptp_row(i + 1, &fields)?;
            self.insert(edit);
            added += 1;
        }
        if added == 0 {
            return Err(DataError::Empty {
                source_name: SOURCE.to_owned(),
            });
        }
        self.rows += added;
        Ok(())
    }

    fn insert(&mut self, edit: PtpEdit) {
        let (lo, hi) = ordered(&edit.column1, &edit.column2);
        let (lo, hi) = (lo.to_owned(), hi.to_owned());
        self.by_pair.entry(lo).or_default().entry(hi).or_default().push(edit);
    }

    /// The edit in force on `date` between two codes, in either column order.
    /// Edits with indicator 9 are never returned.
    pub fn edit_between(&self, a: &str, b: &str, date: NaiveDate) -> Option<&PtpEdit> {
        let (lo, hi) = ordered(a, b);
        self.by_pair
            .get(lo)?
            .get(hi)?
            .iter()
            .filter(|e| e.indicator != ModifierIndicator::NotApplicable && e.in_force_on(date))
            .max_by_key(|e| e.effective)
    }
}

fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Decodes Latin-1 (ISO-8859-1), in which every byte is the code point of the same value.
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A CPT or HCPCS code: five characters, letters and digits.
pub(crate) fn looks_like_code(s: &str) -> bool {
    s.len() == 5 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn parse_ptp_row(line: usize, fields: &[&str]) -> Result<PtpEdit, DataError> {
    let bad = |message: String| DataError::malformed(SOURCE, line, message);
    // Practitioner files have seven fields; Medicaid files lack the prior-1996 column.
    let (c1, c2, eff, del, mi, why) = match fields {
        [c1, c2, _prior, eff, del, mi, why] => (c1, c2, eff, del, mi, why),
        [c1, c2, eff, del, mi, why] => (c1, c2, eff, del, mi, why),
        _ => {
            return Err(bad(format!("expected 7 tab-separated fields, found {}", fields.len())));
        }
    };
    for code in [c1, c2] {
        if !looks_like_code(code) {
            return Err(bad(format!("{code:?} is not a CPT or HCPCS code")));
        }
    }
    let date = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y%m%d").map_err(|_| bad(format!("{s:?} is not a YYYYMMDD date")))
    };
    let effective = date(eff)?;
    let last_day = match del.trim() {
        "*" | "" => None,
        d => Some(date(d)?.pred_opt().unwrap_or(NaiveDate::MIN)),
    };
    let indicator = match mi.trim() {
        "0" => ModifierIndicator::NotAllowed,
        "1" => ModifierIndicator::Allowed,
        "9" => ModifierIndicator::NotApplicable,
        other => {
            return Err(bad(format!("modifier indicator {other:?} is not 0, 1 or 9")));
        }
    };
    Ok(PtpEdit {
        column1: (*c1).to_owned(),
        column2: (*c2).to_owned(),
        effective,
        last_day,
        indicator,
        rationale: why.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn sample_parses_and_picks_the_row_in_force() {
        let t = PtpTable::sample().expect("sample parses");
        assert!(t.rows > 10);
        let e = t.edit_between("97140", "97530", date("2026-03-02")).expect("pair");
        assert_eq!((e.column1.as_str(), e.column2.as_str()), ("97530", "97140"));
        let early = t
            .edit_between("97530", "97140", date("2020-02-01"))
            .expect("early pair");
        assert_eq!(early.column1, "97140");
        assert!(t.edit_between("97530", "97140", date("2020-06-01")).is_none());
        // Deleted in mid-January 2020: in force on the 14th, gone on the 15th.
        assert!(t.edit_between("97161", "97530", date("2020-01-14")).is_some());
        assert!(t.edit_between("97161", "97530", date("2020-01-15")).is_none());
        // Indicator 9 rows never apply.
        assert!(t.edit_between("G0283", "97014", date("2003-01-01")).is_none());
    }

    #[test]
    fn reads_the_cms_layout_with_latin1_and_preamble() {
        let mut file = b"CPT codes, descriptions and other data only are copyright \xA9 AMA\r\n".to_vec();
        file.extend_from_slice(b"Column1/Column2 Edits\r\nColumn 1\tColumn 2\t*=in existence\tEffective\r\nDate\tDeletion Date\r\n*=no data\tModifier\r\n0=not allowed\r\n");
        file.extend_from_slice(b"0001U\t0002U\t\t20170101\t*\t1\tMisuse of Column Two code with Column One code\r\n");
        file.extend_from_slice(b"97530\t97116\t*\t20201001\t*\t1\tMutually exclusive procedures\r\n");
        let t = PtpTable::parse_cms_practitioner(&file).expect("fixture parses");
        assert_eq!(t.rows, 2);
        assert!(t.edit_between("97116", "97530", date("2026-01-01")).is_some());
        // Medicaid layout: six fields.
        let medicaid = b"97530\t97116\t20201001\t*\t1\tMutually exclusive procedures\r\n";
        assert_eq!(PtpTable::parse_cms_practitioner(medicaid).expect("medicaid").rows, 1);
    }

    #[test]
    fn malformed_files_fail_with_the_line() {
        let err = PtpTable::parse_cms_practitioner(b"97530\t97116\t\t2020-10-01\t*\t1\tx\r\n").expect_err("bad date");
        assert!(err.to_string().contains("line 1"), "{err}");
        let err =
            PtpTable::parse_cms_practitioner(b"97530\t97116\t\t20201001\t*\t7\tx\r\n").expect_err("bad indicator");
        assert!(err.to_string().contains("indicator"), "{err}");
        assert!(PtpTable::parse_cms_practitioner(b"just some text\nnothing here\n").is_err());
        assert!(PtpTable::parse_cms_practitioner(b"").is_err());
    }
}

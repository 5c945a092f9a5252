//! The code table: every physical-therapy code Stride bills, with how it is counted,
//! versioned by effective date. The data lives in `data/codes.tsv`.

use crate::error::DataError;
use crate::tsv;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// How a code's minutes become units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Timing {
    /// "Each 15 minutes": minutes pool with other timed codes under the CMS total-time rule.
    Timed,
    /// Service-based: one unit per date of service, whatever the minutes.
    Untimed,
    /// An initial 30-minute service: one unit once the mid-point (16 minutes) is passed.
    /// Never pooled.
    Initial30,
    /// A 15-minute add-on to another code, units by the mid-point rule. Never pooled.
    AddOn15,
}

/// Whether the clinician must be with the patient throughout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    /// One-on-one, constant attendance.
    Constant,
    /// Supervised: the clinician need not be with the patient throughout.
    Supervised,
}

/// What sort of service a code is; drives some warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeKind {
    /// A therapeutic procedure.
    Procedure,
    /// A modality (heat, e-stim, ultrasound, ...).
    Modality,
    /// An evaluation or re-evaluation.
    Evaluation,
    /// Group therapy.
    Group,
    /// Caregiver training without the patient.
    Caregiver,
}

/// Whether `code` is an unlisted procedure ("unlisted modality", "unlisted therapeutic
/// procedure"): a claim line billing it must describe the service (837P SV101-7), and
/// payers often ask for the notes.
pub fn is_unlisted(code: &str) -> bool {
    matches!(code, "97039" | "97139")
}

/// One code, as valid over one span of dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeDef {
    /// The CPT or HCPCS code.
    pub code: String,
    /// How minutes become units.
    pub timing: Timing,
    /// Constant attendance or supervised.
    pub attendance: Attendance,
    /// Whether CMS lists it as "always therapy" (GP on every line, whoever furnishes it).
    pub always_therapy: bool,
    /// What sort of service it is.
    pub kind: CodeKind,
    /// First date of service on which it is valid.
    pub valid_from: NaiveDate,
    /// Last date of service on which it is valid, if it has been retired.
    pub valid_to: Option<NaiveDate>,
    /// For an add-on code, the primary code it must accompany.
    pub base: Option<String>,
    /// Stride's own short description.
    pub description: String,
}

impl CodeDef {
    /// Whether the code is valid on `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }

    fn validity(&self) -> String {
        match self.valid_to {
            Some(to) => format!("valid from {} to {}", self.valid_from, to),
            None => format!("valid from {}", self.valid_from),
        }
    }
}

/// Why a code could not be found for a date of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The code and its definition on that date.
    Found(&'a CodeDef),
    /// No such code in the table.
    Unknown,
    /// The code exists, but not on that date; the text says when it is valid.
    NotInEffect(String),
}

/// All code definitions, by code; a code may have several dated versions.
#[derive(Debug, Clone, Default)]
pub struct CodeTable {
    by_code: HashMap<String, Vec<CodeDef>>,
}

const SOURCE: &str = "code table";
const HEADER: [&str; 9] = [
    "code",
    "timing",
    "attendance",
    "therapy",
    "kind",
    "from",
    "to",
    "base",
    "description",
];

impl CodeTable {
    /// The table Stride ships, from `data/codes.tsv`.
    pub fn builtin() -> Result<CodeTable, DataError> {
        Self::parse(include_str!("../data/codes.tsv"))
    }

    /// Reads a table in the `codes.tsv` format.
    pub fn parse(text: &str) -> Result<CodeTable, DataError> {
        let mut table = CodeTable::default();
        for row in tsv::rows(SOURCE, text, &HEADER)? {
            let def = parse_row(&row)?;
            let versions = table.by_code.entry(def.code.clone()).or_default();
            if versions.iter().any(|v| overlaps(v, &def)) {
                return Err(DataError::malformed(
                    SOURCE,
                    row.line,
                    format!("{} has two versions valid on the same date", def.code),
                ));
            }
            versions.push(def);
        }
        for def in table.by_code.values().flatten() {
            if let Some(base) = &def.base
                && !table.by_code.contains_key(base)
            {
                return Err(DataError::malformed(
                    SOURCE,
                    0,
                    format!("{} is an add-on to {base}, which is not in the table", def.code),
                ));
            }
        }
        Ok(table)
    }

    /// The definition of `code` on `date`.
    pub fn lookup(&self, code: &str, date: NaiveDate) -> Lookup<'_> {
        match self.by_code.get(code) {
            None => Lookup::Unknown,
            Some(versions) => match versions.iter().find(|v| v.is_valid_on(date)) {
                Some(def) => Lookup::Found(def),
                None => Lookup::NotInEffect(versions.iter().map(CodeDef::validity).collect::<Vec<_>>().join("; ")),
            },
        }
    }

    /// Every definition, sorted by code and then by start date.
    pub fn all(&self) -> Vec<&CodeDef> {
        let mut all: Vec<&CodeDef> = self.by_code.values().flatten().collect();
        all.sort_by(|a, b| (&a.code, a.valid_from).cmp(&(&b.code, b.valid_from)));
        all
    }
}

fn overlaps(a: &CodeDef, b: &CodeDef) -> bool {
    let a_end = a.valid_to.unwrap_or(NaiveDate::MAX);
    let b_end = b.valid_to.unwrap_or(NaiveDate::MAX);
    a.valid_from <= b_end && b.valid_from <= a_end
}

fn parse_row(row: &tsv::Row<'_>) -> Result<CodeDef, DataError> {
    let bad = |message: String| DataError::malformed(SOURCE, row.line, message);
    let f = &row.fields;
    let timing = match f[1] {
        "timed" => Timing::Timed,
        "untimed" => Timing::Untimed,
        "initial30" => Timing::Initial30,
        "addon15" => Timing::AddOn15,
        other => return Err(bad(format!("unknown timing {other:?}"))),
    };
    let attendance = match f[2] {
        "constant" => Attendance::Constant,
        "supervised" => Attendance::Supervised,
        other => return Err(bad(format!("unknown attendance {other:?}"))),
    };
    let always_therapy = match f[3] {
        "always" => true,
        "sometimes" => false,
        other => return Err(bad(format!("unknown therapy list {other:?}"))),
    };
    let kind = match f[4] {
        "procedure" => CodeKind::Procedure,
        "modality" => CodeKind::Modality,
        "evaluation" => CodeKind::Evaluation,
        "group" => CodeKind::Group,
        "caregiver" => CodeKind::Caregiver,
        other => return Err(bad(format!("unknown kind {other:?}"))),
    };
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| bad(format!("bad date {s:?}: {e}")));
    let valid_from = date(f[5])?;
    let valid_to = if f[6] == "-" { None } else { Some(date(f[6])?) };
    if valid_to.is_some_and(|to| to < valid_from) {
        return Err(bad("the code ends before it starts".into()));
    }
    let base = (f[7] != "-").then(|| f[7].to_owned());
    if (timing == Timing::AddOn15) != base.is_some() {
        return Err(bad("add-on codes, and only they, name a base code".into()));
    }
    Ok(CodeDef {
        code: f[0].to_owned(),
        timing,
        attendance,
        always_therapy,
        kind,
        valid_from,
        valid_to,
        base,
        description: f[8].to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn builtin_table_has_every_reference_code() {
        let table = CodeTable::builtin().expect("builtin table parses");
        let day = date("2026-03-02");
        for code in [
            "97032", "97033", "97034", "97035", "97036", "97039", "97110", "97112", "97113", "97116", "97124", "97139",
            "97140", "97530", "97533", "97535", "97537", "97542", "97750", "97755", "97760", "97761", "97763",
        ] {
            let Lookup::Found(def) = table.lookup(code, day) else {
                panic!("{code} missing")
            };
            assert_eq!(def.timing, Timing::Timed, "{code}");
        }
        for code in [
            "97161", "97162", "97163", "97164", "97010", "97012", "97014", "G0283", "G0281", "G0282", "97016", "97018",
            "97022", "97024", "97026", "97028", "97150", "97552",
        ] {
            let Lookup::Found(def) = table.lookup(code, day) else {
                panic!("{code} missing")
            };
            assert_eq!(def.timing, Timing::Untimed, "{code}");
        }
    }

    #[test]
    fn versions_follow_the_date_of_service() {
        let table = CodeTable::builtin().expect("builtin table parses");
        assert!(matches!(table.lookup("97001", date("2016-12-31")), Lookup::Found(_)));
        assert!(matches!(
            table.lookup("97001", date("2017-01-01")),
            Lookup::NotInEffect(_)
        ));
        assert!(matches!(
            table.lookup("97161", date("2016-12-31")),
            Lookup::NotInEffect(_)
        ));
        assert!(matches!(
            table.lookup("97550", date("2023-12-31")),
            Lookup::NotInEffect(_)
        ));
        assert!(matches!(table.lookup("99999", date("2026-01-01")), Lookup::Unknown));
    }

    #[test]
    fn rejects_overlapping_versions_and_bad_rows() {
        let header = HEADER.join("\t");
        let row = "97110\ttimed\tconstant\talways\tprocedure\t2000-01-01\t-\t-\tx";
        let twice = format!("{header}\n{row}\n{row}\n");
        assert!(CodeTable::parse(&twice).is_err());
        let bad_timing = format!("{header}\n{}\n", row.replace("\ttimed\t", "\tsometimes\t"));
        let err = CodeTable::parse(&bad_timing).expect_err("bad timing");
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(CodeTable::parse("").is_err());
    }
}

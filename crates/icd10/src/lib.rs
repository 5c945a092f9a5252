//! The ICD-10-CM code set, as CMS publishes it: which diagnosis codes exist, which are
//! billable, and what each means.
//!
//! The data is CMS's tabular list (public domain), shipped as the official XML file
//! compressed (`data/`), and read once per process. A code is billable when it is a leaf
//! of the tabular list: a category or subcategory with no subdivision, or a code completed
//! by its 7th character. Codes that take a 7th character (the `sevenChrDef` of the code or
//! of an ancestor) are completed here the way the guidelines say (ICD-10-CM Official
//! Guidelines I.A.5 and I.B.1): the code padded with the placeholder `X` to six
//! characters, then the 7th character.
//!
//! Pure: no storage, no network, no clock. Dates of service and releases are the caller's.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod releases;
mod search;
mod tabular;

use std::io::Read;
use std::sync::{Arc, LazyLock, OnceLock};
use thiserror::Error;

pub use releases::{Release, Releases, fiscal_year_start};
pub use tabular::parse_tabular;

/// The shipped release: CMS's FY2026 tabular list, April 1, 2026 update.
const BUILTIN: &[u8] = include_bytes!("../data/icd10cm-tabular-2026-april.xml.gz");

/// Why a code-set file could not be read.
#[derive(Debug, Error)]
pub enum CodeSetError {
    /// The file is not gzip, or not UTF-8.
    #[error("the code-set file cannot be read: {0}")]
    Unreadable(String),
    /// The XML is malformed.
    #[error("the code-set file is not well-formed XML: {0}")]
    Xml(String),
    /// The XML is well-formed but is not CMS's ICD-10-CM tabular list.
    #[error("the file is not CMS's ICD-10-CM tabular list: {0}")]
    NotTabular(String),
}

/// One code of the set, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code<'a> {
    /// The code with its dot, as written on a claim form (`M54.50`, `S72.001A`).
    pub code: &'a str,
    /// What it means.
    pub description: &'a str,
    /// Whether a claim may carry it: a leaf of the tabular list.
    pub billable: bool,
}

/// Why a code cannot stand as a diagnosis on a claim, in words that say what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DiagnosisProblem {
    /// Not a code of the release.
    #[error(
        "{code} is not an ICD-10-CM code (release {version}): check it against the referral, or search the codes by words"
    )]
    Unknown {
        /// The code as given.
        code: String,
        /// The release checked.
        version: String,
    },
    /// A heading: a claim needs one of the codes below it.
    #[error("{code} ({description}) is a heading, not a billable code: pick one of {choices}")]
    Header {
        /// The code.
        code: String,
        /// What it means.
        description: String,
        /// The billable codes below it, the first few.
        choices: String,
    },
    /// A code an earlier release had and the release in force on the date of service
    /// deleted.
    #[error(
        "{code} ({description}) was deleted from ICD-10-CM in release {version}, in force for services from {effective}: pick one of {choices}"
    )]
    Deleted {
        /// The code.
        code: String,
        /// What it meant.
        description: String,
        /// The release that deleted it.
        version: String,
        /// The first date of service that release applies to.
        effective: chrono::NaiveDate,
        /// The codes nearest it in that release, the first few.
        choices: String,
    },
    /// An external-cause code (V00-Y99) given as the principal diagnosis.
    #[error(
        "{code} ({description}) is an external-cause code: it says how an injury happened and is never the principal diagnosis (ICD-10-CM Official Guidelines I.C.20); list the injury or condition first"
    )]
    ExternalCausePrincipal {
        /// The code.
        code: String,
        /// What it means.
        description: String,
    },
}

/// A release of ICD-10-CM.
///
/// About 98,000 codes, held compactly: every code and description in one string, and per
/// code only where its text lies. (Held as a string per code, with a hash index and a
/// sorted copy, the set took 33 MB of a desktop process that opens it for the patient
/// banner; held this way it takes about a third of that.)
#[derive(Debug)]
pub struct CodeSet {
    /// The release, as the file names it (`2026`).
    pub version: String,
    /// Every code's text followed by its description.
    text: String,
    /// Every code, in tabular order: where its text lies.
    entries: Vec<Entry>,
    /// The positions of the codes, in the order of their text: lookup and prefix search.
    /// (With the dot always after the third character, the order of the dotted texts is
    /// the order of the undotted ones.)
    sorted: Vec<u32>,
    /// The descriptions' words, built on the first search by words.
    words: OnceLock<search::WordIndex>,
}

/// Where one code's text and description lie in [`CodeSet::text`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    code_len: u8,
    description_len: u16,
    billable: bool,
}

/// What a code is in a code set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// A billable code.
    Billable(Code<'a>),
    /// A code that exists but is a heading: a claim needs one of the codes below it.
    Header {
        /// The code.
        code: Code<'a>,
        /// The billable codes under it, in tabular order.
        choices: Vec<Code<'a>>,
    },
    /// Not a code of this release.
    Unknown,
}

/// The shipped release, read once per process. The shipped file is tested to read (the
/// `builtin_reads` test); an empty set would only make every code unknown, never accept a
/// wrong one.
static SHIPPED: LazyLock<Arc<CodeSet>> =
    LazyLock::new(|| Arc::new(CodeSet::from_gzip(BUILTIN).unwrap_or_else(|_| CodeSet::empty())));

impl CodeSet {
    /// The shipped release, read on first use.
    pub fn builtin() -> &'static CodeSet {
        &SHIPPED
    }

    /// The shipped release, to hold beside imported ones.
    pub fn shared_builtin() -> Arc<CodeSet> {
        Arc::clone(&SHIPPED)
    }

    /// Reads CMS's tabular XML as a file holds it: gzip-compressed or plain.
    pub fn read(bytes: &[u8]) -> Result<CodeSet, CodeSetError> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return CodeSet::from_gzip(bytes);
        }
        let xml = std::str::from_utf8(bytes).map_err(|e| CodeSetError::Unreadable(e.to_string()))?;
        parse_tabular(xml)
    }

    /// Reads CMS's tabular XML, gzip-compressed.
    pub fn from_gzip(bytes: &[u8]) -> Result<CodeSet, CodeSetError> {
        let mut xml = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut xml)
            .map_err(|e| CodeSetError::Unreadable(e.to_string()))?;
        parse_tabular(&xml)
    }

    /// A set with no code: every code is unknown to it.
    fn empty() -> CodeSet {
        CodeSet::from_parts(String::new(), String::new(), Vec::new())
    }

    pub(crate) fn from_parts(version: String, mut text: String, mut entries: Vec<Entry>) -> CodeSet {
        text.shrink_to_fit();
        entries.shrink_to_fit();
        let mut set = CodeSet {
            version,
            text,
            entries,
            sorted: Vec::new(),
            words: OnceLock::new(),
        };
        let mut sorted: Vec<u32> = (0..set.entries.len()).filter_map(|i| u32::try_from(i).ok()).collect();
        sorted.sort_by(|&a, &b| set.code_text(a).cmp(set.code_text(b)));
        set.sorted = sorted;
        set
    }

    fn code_text(&self, position: u32) -> &str {
        self.at(position as usize).code
    }

    /// The code at `position` in tabular order.
    fn at(&self, position: usize) -> Code<'_> {
        let e = self.entries[position];
        let start = e.start as usize;
        let middle = start + usize::from(e.code_len);
        let end = middle + usize::from(e.description_len);
        Code {
            code: self.text.get(start..middle).unwrap_or_default(),
            description: self.text.get(middle..end).unwrap_or_default(),
            billable: e.billable,
        }
    }

    fn words(&self) -> &search::WordIndex {
        self.words.get_or_init(|| search::WordIndex::build(self.iter()))
    }

    /// How many codes the release has (headings included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the release has no code at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every code, in tabular order.
    pub fn iter(&self) -> impl Iterator<Item = Code<'_>> + '_ {
        (0..self.entries.len()).map(|i| self.at(i))
    }

    /// The positions (in tabular order) of the codes whose text starts with `dotted_key`,
    /// in the order of their text.
    fn positions_starting_with<'s>(&'s self, dotted_key: &'s str) -> impl Iterator<Item = usize> + 's {
        let start = self.sorted.partition_point(|&i| self.code_text(i) < dotted_key);
        self.sorted[start..]
            .iter()
            .take_while(move |&&i| self.code_text(i).starts_with(dotted_key))
            .map(|&i| i as usize)
    }

    /// The position of a code, in tabular order.
    fn position(&self, code: &str) -> Option<usize> {
        let key = dotted(code);
        let at = self.sorted.partition_point(|&i| self.code_text(i) < key.as_str());
        self.sorted
            .get(at)
            .filter(|&&i| self.code_text(i) == key)
            .map(|&i| i as usize)
    }

    /// A code by its text, with or without the dot, in any case.
    pub fn get(&self, code: &str) -> Option<Code<'_>> {
        self.position(code).map(|i| self.at(i))
    }

    /// Whether `code` may stand on a claim, first (`principal`) or after the first: a
    /// billable code of the release, and for the principal diagnosis not an external cause.
    pub fn check_diagnosis(&self, code: &str, principal: bool) -> Result<Code<'_>, DiagnosisProblem> {
        match self.lookup(code) {
            Lookup::Billable(found) if principal && is_external_cause(found.code) => {
                Err(DiagnosisProblem::ExternalCausePrincipal {
                    code: found.code.to_owned(),
                    description: found.description.to_owned(),
                })
            }
            Lookup::Billable(found) => Ok(found),
            Lookup::Header { code, choices } => Err(DiagnosisProblem::Header {
                code: code.code.to_owned(),
                description: code.description.to_owned(),
                choices: releases::listed(&choices),
            }),
            Lookup::Unknown => Err(DiagnosisProblem::Unknown {
                code: code.trim().to_owned(),
                version: self.version.clone(),
            }),
        }
    }

    /// What `code` is: billable, a heading (with the codes to pick from), or unknown.
    pub fn lookup(&self, code: &str) -> Lookup<'_> {
        let Some(i) = self.position(code) else {
            return Lookup::Unknown;
        };
        let found = self.at(i);
        if found.billable {
            return Lookup::Billable(found);
        }
        // In tabular order a heading's descendants follow it, and they all extend its text.
        let choices = (i + 1..self.entries.len())
            .map(|j| self.at(j))
            .take_while(|c| c.code.starts_with(found.code))
            .filter(|c| c.billable)
            .collect();
        Lookup::Header { code: found, choices }
    }
}

/// Whether a code is in chapter 20, external causes of morbidity (V00-Y99).
fn is_external_cause(code: &str) -> bool {
    matches!(code.as_bytes().first(), Some(b'V' | b'W' | b'X' | b'Y'))
}

/// A code's text without its dot, upper-case.
fn undotted(code: &str) -> String {
    code.trim()
        .chars()
        .filter(|&c| c != '.')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A code written with its dot after the third character, as claims and the tabular list
/// write it.
pub fn dotted(code: &str) -> String {
    let bare = undotted(code);
    match bare.get(..3).zip(bare.get(3..)) {
        Some((head, tail)) if !tail.is_empty() => format!("{head}.{tail}"),
        _ => bare,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_reads() {
        let set = CodeSet::builtin();
        assert_eq!(set.version, "2026");
        assert!(set.len() > 90_000, "{}", set.len());
    }

    #[test]
    fn leaves_bill_and_headings_offer_their_codes() {
        let set = CodeSet::builtin();
        assert!(matches!(set.lookup("M54.50"), Lookup::Billable(c) if c.description.contains("Low back pain")));
        assert!(
            matches!(set.lookup("m5450"), Lookup::Billable(_)),
            "any case, with or without the dot"
        );
        match set.lookup("M54.5") {
            Lookup::Header { choices, .. } => {
                let codes: Vec<&str> = choices.iter().map(|c| c.code).collect();
                assert_eq!(codes, ["M54.50", "M54.51", "M54.59"]);
            }
            other => panic!("M54.5 is a heading: {other:?}"),
        }
        assert_eq!(set.lookup("M54.99"), Lookup::Unknown);
    }

    #[test]
    fn a_diagnosis_is_checked_in_words_that_say_what_to_pick() {
        let set = CodeSet::builtin();
        assert!(set.check_diagnosis("m54.50", true).is_ok());
        let header = set.check_diagnosis("M54.5", true).expect_err("a heading");
        assert!(header.to_string().contains("pick one of M54.50"), "{header}");
        let unknown = set.check_diagnosis("M54.99", false).expect_err("not a code");
        assert!(unknown.to_string().contains("not an ICD-10-CM code"), "{unknown}");
        // Guidelines I.C.20: an external cause never comes first, but may follow.
        let fall = "W19.XXXA";
        assert!(matches!(
            set.check_diagnosis(fall, true),
            Err(DiagnosisProblem::ExternalCausePrincipal { .. })
        ));
        assert!(set.check_diagnosis(fall, false).is_ok());
    }

    #[test]
    fn seventh_characters_complete_a_code() {
        // Guidelines I.B.1: the placeholder X fills empty positions before the 7th.
        let set = CodeSet::builtin();
        let fracture = set.get("S72.001A").expect("S72.001A");
        assert!(fracture.billable);
        assert_eq!(
            fracture.description,
            "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture"
        );
        assert!(
            !set.get("S72.001").expect("S72.001").billable,
            "needs its 7th character"
        );
        assert!(set.get("T15.00XA").is_some_and(|c| c.billable));
        assert_eq!(dotted("t1500xa"), "T15.00XA");
        assert_eq!(dotted("M54"), "M54");
        // Whatever is typed, never a panic: the dot goes after the third byte only where a
        // character ends there.
        assert_eq!(dotted("Mé12"), "Mé.12");
        assert_eq!(dotted("éé12"), "éé12");
        assert_eq!(CodeSet::builtin().lookup("é.é"), Lookup::Unknown);
    }
}

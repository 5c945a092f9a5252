//! Claim-line modifiers as a type: two letters or digits, checked once where they enter
//! (a biller's edit, a stored line, a payer's remittance) and compared as values after
//! that, never as text joined and split again.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// A CPT or HCPCS Level II modifier: two ASCII letters or digits, upper-case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Modifier([u8; 2]);

/// Why text is not a modifier.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not a modifier: a modifier is two letters or digits, such as GP, CQ, KX or 59")]
pub struct ModifierError(pub String);

impl Modifier {
    /// GP: services under an outpatient physical therapy plan of care (Pub 100-04 Ch.5 §20.1).
    pub const GP: Modifier = Modifier(*b"GP");
    /// CQ: furnished in whole or in part by a physical therapist assistant.
    pub const CQ: Modifier = Modifier(*b"CQ");
    /// KX: the therapy threshold is reached and the notes show medical necessity.
    pub const KX: Modifier = Modifier(*b"KX");
    /// 59: distinct procedural service.
    pub const DISTINCT_59: Modifier = Modifier(*b"59");
    /// XE: separate encounter.
    pub const XE: Modifier = Modifier(*b"XE");
    /// XS: separate structure.
    pub const XS: Modifier = Modifier(*b"XS");
    /// XP: separate practitioner.
    pub const XP: Modifier = Modifier(*b"XP");
    /// XU: unusual non-overlapping service.
    pub const XU: Modifier = Modifier(*b"XU");

    /// The NCCI-associated modifiers that mark a service as distinct: 59 and the four X
    /// modifiers (MLN1783722, "Proper Use of Modifiers 59, XE, XP, XS, & XU").
    pub const DISTINCT_SERVICE: [Modifier; 5] = [
        Modifier::DISTINCT_59,
        Modifier::XE,
        Modifier::XS,
        Modifier::XP,
        Modifier::XU,
    ];

    /// Reads a modifier, trimmed and upper-cased (`gp` is `GP`).
    pub fn parse(text: &str) -> Result<Modifier, ModifierError> {
        match text.trim().as_bytes() {
            &[a, b] if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => {
                Ok(Modifier([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(ModifierError(text.to_owned())),
        }
    }

    /// Reads a list separated by spaces or commas (as a claim line stores them).
    pub fn parse_list(text: &str) -> Result<Vec<Modifier>, ModifierError> {
        text.split([' ', ','])
            .filter(|t| !t.trim().is_empty())
            .map(Modifier::parse)
            .collect()
    }

    /// A list as one space-separated string, in order.
    pub fn join(list: &[Modifier]) -> String {
        list.iter().map(Modifier::as_str).collect::<Vec<_>>().join(" ")
    }

    /// The two characters.
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters or digits by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// Whether it marks an NCCI pair's service as distinct (59 or an X modifier).
    pub fn is_distinct_service(self) -> bool {
        Modifier::DISTINCT_SERVICE.contains(&self)
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_str())
    }
}

impl TryFrom<String> for Modifier {
    type Error = ModifierError;
    fn try_from(text: String) -> Result<Modifier, ModifierError> {
        Modifier::parse(&text)
    }
}

impl From<Modifier> for String {
    fn from(m: Modifier) -> String {
        m.as_str().to_owned()
    }
}

impl PartialEq<str> for Modifier {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Modifier {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_are_two_letters_or_digits() {
        assert_eq!(Modifier::parse(" gp "), Ok(Modifier::GP));
        assert_eq!(Modifier::parse("59").map(Modifier::is_distinct_service), Ok(true));
        assert!(!Modifier::KX.is_distinct_service());
        for bad in ["", "G", "GPX", "G-", "é1"] {
            assert!(Modifier::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Modifier::parse_list("GP CQ,KX"),
            Ok(vec![Modifier::GP, Modifier::CQ, Modifier::KX])
        );
        assert_eq!(Modifier::join(&[Modifier::GP, Modifier::XU]), "GP XU");
        let json = serde_json::to_string(&[Modifier::GP, Modifier::CQ]).expect("json");
        assert_eq!(json, r#"["GP","CQ"]"#);
        assert!(serde_json::from_str::<Vec<Modifier>>(r#"["GP","C Q"]"#).is_err());
    }
}

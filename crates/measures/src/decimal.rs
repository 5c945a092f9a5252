//! [`Decimal`]: a number with at most two decimal places, held exactly as whole hundredths.
//!
//! Answers (an item's 0–4, a TUG time of 12.3 s), response ranges, score ranges and MCID
//! and MDC thresholds are all `Decimal`s, so nothing a clinician enters is ever turned into
//! a binary fraction. In JSON a `Decimal` is written as a number (`4`, `12.3`) and read from a
//! number or a string (`"12.3"`). A JSON number is read through its shortest decimal
//! spelling, so `12.3` is exactly 1230 hundredths.

use crate::error::DecimalError;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A decimal number with at most two places, stored as an integer count of hundredths.
///
/// Ordering and equality are exact. [`fmt::Display`] writes the shortest exact spelling
/// (`4`, `12.3`, `17.8`, `0.05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(i64);

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal(0);

    /// The decimal with this many hundredths (`from_hundredths(1230)` is 12.3).
    pub const fn from_hundredths(hundredths: i64) -> Decimal {
        Decimal(hundredths)
    }

    /// A whole number (`whole(4)` is 4). Takes `i32` so the result always fits.
    pub const fn whole(n: i32) -> Decimal {
        Decimal(n as i64 * 100)
    }

    /// The value as a count of hundredths.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// The value as the nearest `f64`, for charts and other displays only.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Writes the value with exactly `places` decimal places (at least 2 shows it exactly;
    /// fewer rounds half away from zero, like [`crate::Fraction::display`]).
    pub fn display_places(self, places: u32) -> String {
        crate::Fraction::from(self).display(places)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    /// Reads `4`, `-3`, `12.3`, `0.05`, `.5` or `12.300`; refuses `1e3`, `12.345` and text.
    fn from_str(text: &str) -> Result<Decimal, DecimalError> {
        let t = text.trim();
        let not_a_number = || DecimalError::NotANumber(text.to_owned());
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((whole, frac)) => (whole, Some(frac)),
            None => (body, None),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_none_or(str::is_empty)) || !digits(whole) || !frac.is_none_or(digits) {
            return Err(not_a_number());
        }
        let frac = frac.unwrap_or("").trim_end_matches('0');
        if frac.len() > 2 {
            return Err(DecimalError::TooPrecise(text.to_owned()));
        }
        let too_large = || DecimalError::TooLarge(text.to_owned());
        let mut hundredths: i64 = 0;
        for b in whole.bytes() {
            hundredths = hundredths
                .checked_mul(10)
                .and_then(|h| h.checked_add(i64::from(b - b'0')))
                .ok_or_else(too_large)?;
        }
        hundredths = hundredths.checked_mul(100).ok_or_else(too_large)?;
        let mut frac_value = 0i64;
        for (i, b) in frac.bytes().enumerate() {
            frac_value += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        hundredths = hundredths.checked_add(frac_value).ok_or_else(too_large)?;
        Ok(Decimal(if negative { -hundredths } else { hundredths }))
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            serializer.serialize_i64(self.0 / 100)
        } else {
            // The nearest double to k/100 prints as its shortest spelling, which is exact.
            serializer.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number with at most two decimal places")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        v.checked_mul(100)
            .map(Decimal)
            .ok_or_else(|| E::custom(DecimalError::TooLarge(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        i64::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(100))
            .map(Decimal)
            .ok_or_else(|| E::custom(DecimalError::TooLarge(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // Rust prints the shortest spelling that reads back as the same double, which is
        // the spelling the JSON had (12.3 prints as "12.3"), and never uses an exponent.
        format!("{v}").parse().map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        v.parse().map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("valid decimal")
    }

    #[test]
    fn parses_whole_and_decimal_spellings() {
        assert_eq!(d("4"), Decimal::whole(4));
        assert_eq!(d("12.3"), Decimal::from_hundredths(1230));
        assert_eq!(d("12.30"), Decimal::from_hundredths(1230));
        assert_eq!(d("12.300"), Decimal::from_hundredths(1230));
        assert_eq!(d("0.05"), Decimal::from_hundredths(5));
        assert_eq!(d(".5"), Decimal::from_hundredths(50));
        assert_eq!(d("-2.5"), Decimal::from_hundredths(-250));
        assert_eq!(d(" 7 "), Decimal::whole(7));
        assert_eq!(d("0.0"), Decimal::ZERO);
    }

    #[test]
    fn refuses_what_is_not_a_two_place_decimal() {
        for bad in ["", "-", ".", "abc", "1e3", "1.2.3", "4 5", "--1", "+-1"] {
            assert!(
                matches!(bad.parse::<Decimal>(), Err(DecimalError::NotANumber(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            "12.345".parse::<Decimal>(),
            Err(DecimalError::TooPrecise("12.345".to_owned()))
        );
        assert!(matches!(
            "99999999999999999999".parse::<Decimal>(),
            Err(DecimalError::TooLarge(_))
        ));
    }

    #[test]
    fn displays_the_shortest_exact_spelling() {
        assert_eq!(Decimal::whole(80).to_string(), "80");
        assert_eq!(Decimal::from_hundredths(1780).to_string(), "17.8");
        assert_eq!(Decimal::from_hundredths(2045).to_string(), "20.45");
        assert_eq!(Decimal::from_hundredths(5).to_string(), "0.05");
        assert_eq!(Decimal::from_hundredths(-250).to_string(), "-2.5");
        assert_eq!(Decimal::from_hundredths(1780).display_places(2), "17.80");
    }

    #[test]
    fn json_round_trip_is_exact() {
        let values: Vec<Decimal> = serde_json::from_str(r#"[4, 12.3, "0.1", 0.29, 1e2]"#).expect("decimals");
        assert_eq!(values, [400, 1230, 10, 29, 10000].map(Decimal::from_hundredths));
        let text = serde_json::to_string(&values).expect("serialize");
        assert_eq!(text, "[4,12.3,0.1,0.29,100]");
        assert!(serde_json::from_str::<Decimal>("12.345").is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
    }
}

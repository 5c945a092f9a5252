//! [`Fraction`]: the exact value of a score, and of a change between two scores.
//!
//! Scores are kept exact because several rules divide: the ODI with 9 of 10 sections
//! answered is 16/45 × 100 = 320/9 %, which no finite decimal holds. Storing the fraction
//! means a score compared with an MCID, or subtracted from a later score, is never off by a
//! rounding step. Rounding happens only when a value is shown: [`Fraction::display`] rounds
//! half away from zero, which is half-up for the non-negative scores (35.555… shows as 35.56
//! with two places and 35.6 with one). A display with fewer places is rounded from the exact
//! value, never from an already rounded one.

use crate::decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// An exact rational number: numerator over a positive denominator, in lowest terms.
///
/// In JSON: `{"numerator": 320, "denominator": 9}`. Reading reduces the fraction and refuses
/// a zero or negative denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "FractionData", into = "FractionData")]
pub struct Fraction {
    numerator: i64,
    denominator: i64,
}

impl Fraction {
    /// Zero.
    pub const ZERO: Fraction = Fraction {
        numerator: 0,
        denominator: 1,
    };

    /// `numerator / denominator` in lowest terms, or `None` when the denominator is zero or the
    /// reduced fraction does not fit 64-bit integers.
    pub fn new(numerator: i64, denominator: i64) -> Option<Fraction> {
        Fraction::from_wide(i128::from(numerator), i128::from(denominator))
    }

    /// Like [`Fraction::new`] for intermediate results computed in 128 bits.
    pub(crate) fn from_wide(numerator: i128, denominator: i128) -> Option<Fraction> {
        if denominator == 0 {
            return None;
        }
        let sign = if denominator < 0 { -1 } else { 1 };
        let g = gcd(numerator.unsigned_abs(), denominator.unsigned_abs()).max(1);
        let g = i128::try_from(g).ok()?;
        let numerator = i64::try_from(sign * (numerator / g)).ok()?;
        let denominator = i64::try_from(sign * (denominator / g)).ok()?;
        Some(Fraction { numerator, denominator })
    }

    /// The numerator (carries the sign).
    pub const fn numerator(self) -> i64 {
        self.numerator
    }

    /// The denominator (always positive).
    pub const fn denominator(self) -> i64 {
        self.denominator
    }

    /// `self + other`, or `None` if the result does not fit.
    pub fn checked_add(self, other: Fraction) -> Option<Fraction> {
        self.plus(other, 1)
    }

    /// `self - other`, or `None` if the result does not fit.
    pub fn checked_sub(self, other: Fraction) -> Option<Fraction> {
        self.plus(other, -1)
    }

    /// `self + sign × other` for a sign of 1 or -1, computed in 128 bits.
    fn plus(self, other: Fraction, sign: i128) -> Option<Fraction> {
        let (a, b) = (i128::from(self.numerator), i128::from(self.denominator));
        let (c, d) = (i128::from(other.numerator), i128::from(other.denominator));
        // Each product is below 2^126, so the sum or difference is below 2^127.
        Fraction::from_wide(a * d + sign * c * b, b * d)
    }

    /// The absolute value.
    pub fn abs(self) -> Fraction {
        Fraction {
            // |i64::MIN| does not fit; saturate (never reached by a score).
            numerator: self.numerator.checked_abs().unwrap_or(i64::MAX),
            denominator: self.denominator,
        }
    }

    /// Whether the value is below zero, zero or above.
    pub fn signum(self) -> Ordering {
        self.numerator.cmp(&0)
    }

    /// The value scaled by 10^places and rounded half away from zero, as an integer.
    fn scaled(self, places: u32) -> i128 {
        let scale = 10i128.pow(places.min(18));
        let n = i128::from(self.numerator) * scale;
        let d = i128::from(self.denominator);
        let (q, r) = (n / d, n % d);
        // Round half away from zero: compare twice the remainder with the denominator.
        if 2 * r.abs() >= d { q + n.signum() } else { q }
    }

    /// The value rounded half-up to two decimal places (35.555… → 35.56).
    pub fn to_decimal(self) -> Option<Decimal> {
        i64::try_from(self.scaled(2)).ok().map(Decimal::from_hundredths)
    }

    /// The value as the nearest `f64`, for charts only; never compare these.
    pub fn to_f64(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// Writes the value with exactly `places` decimal places (at most 18), rounded half away
    /// from zero from the exact value: 320/9 is `"35.6"` with 1 place, `"35.56"` with 2.
    pub fn display(self, places: u32) -> String {
        let places = places.min(18);
        let scaled = self.scaled(places);
        let sign = if scaled < 0 { "-" } else { "" };
        let abs = scaled.unsigned_abs();
        if places == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u128.pow(places);
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = places as usize)
    }
}

impl From<Decimal> for Fraction {
    fn from(d: Decimal) -> Fraction {
        Fraction::new(d.hundredths(), 100).unwrap_or(Fraction {
            numerator: d.hundredths(),
            denominator: 100,
        })
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Fraction) -> Ordering {
        // Denominators are positive, so cross-multiplying keeps the order; 128 bits hold it.
        (i128::from(self.numerator) * i128::from(other.denominator))
            .cmp(&(i128::from(other.numerator) * i128::from(self.denominator)))
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Fraction) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Fraction {
    /// Shows the value with one decimal place, the way scores are shown to clinicians.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(1))
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The JSON shape of a [`Fraction`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FractionData {
    numerator: i64,
    denominator: i64,
}

impl From<Fraction> for FractionData {
    fn from(f: Fraction) -> FractionData {
        FractionData {
            numerator: f.numerator,
            denominator: f.denominator,
        }
    }
}

impl TryFrom<FractionData> for Fraction {
    type Error = String;

    fn try_from(data: FractionData) -> Result<Fraction, String> {
        if data.denominator <= 0 {
            return Err(format!(
                "a fraction's denominator must be positive, not {}",
                data.denominator
            ));
        }
        Fraction::new(data.numerator, data.denominator).ok_or_else(|| "the fraction is too large".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i64, d: i64) -> Fraction {
        Fraction::new(n, d).expect("valid fraction")
    }

    #[test]
    fn reduces_to_lowest_terms_with_a_positive_denominator() {
        assert_eq!((f(160, 45).numerator(), f(160, 45).denominator()), (32, 9));
        assert_eq!((f(3, -6).numerator(), f(3, -6).denominator()), (-1, 2));
        assert_eq!(f(0, -7), Fraction::ZERO);
        assert_eq!(Fraction::new(1, 0), None);
    }

    #[test]
    fn rounds_half_up_only_when_displayed() {
        let odi = f(3200, 90); // 35.555…
        assert_eq!(odi.display(2), "35.56");
        assert_eq!(odi.display(1), "35.6");
        assert_eq!(odi.display(0), "36");
        assert_eq!(odi.to_decimal(), Some(Decimal::from_hundredths(3556)));
        assert_eq!(f(1, 20).display(1), "0.1"); // 0.05 → 0.1
        assert_eq!(f(1, 40).display(2), "0.03"); // 0.025 → 0.03
        assert_eq!(f(-1, 20).display(1), "-0.1"); // half away from zero
        assert_eq!(f(-1, 30).display(1), "0.0"); // no "-0.0"
        assert_eq!(f(32, 1).display(1), "32.0");
        assert_eq!(f(32, 1).to_string(), "32.0");
    }

    #[test]
    fn rounds_from_the_exact_value_not_twice() {
        // 0.2449… is 0.24 with two places and 0.2 with one (double rounding would give 0.3).
        let v = f(2449, 10000);
        assert_eq!(v.display(2), "0.24");
        assert_eq!(v.display(1), "0.2");
        let v = f(1449, 1000);
        assert_eq!(v.display(1), "1.4");
    }

    #[test]
    fn orders_adds_and_subtracts_exactly() {
        assert!(f(320, 9) > f(3555, 100));
        assert!(f(320, 9) < f(3556, 100));
        assert_eq!(f(1, 3).checked_sub(f(1, 2)), Some(f(-1, 6)));
        assert_eq!(f(1, 3).checked_add(f(1, 2)), Some(f(5, 6)));
        assert_eq!(f(320, 9).checked_add(f(-6, 1)), Some(f(266, 9)));
        assert_eq!(f(-1, 6).abs(), f(1, 6));
        assert_eq!(f(-1, 6).signum(), Ordering::Less);
        assert_eq!(Fraction::from(Decimal::from_hundredths(1780)), f(89, 5));
    }

    #[test]
    fn json_form_is_numerator_over_denominator() {
        let text = serde_json::to_string(&f(320, 9)).expect("serialize");
        assert_eq!(text, r#"{"numerator":320,"denominator":9}"#);
        let back: Fraction = serde_json::from_str(r#"{"numerator":640,"denominator":18}"#).expect("read");
        assert_eq!(back, f(320, 9));
        assert!(serde_json::from_str::<Fraction>(r#"{"numerator":1,"denominator":0}"#).is_err());
        assert!(serde_json::from_str::<Fraction>(r#"{"numerator":1,"denominator":-2}"#).is_err());
    }
}

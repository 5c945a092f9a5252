//! Money as integer cents.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in US cents. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cents(pub i64);

impl Cents {
    /// Zero dollars.
    pub const ZERO: Cents = Cents(0);

    /// This amount times a whole number of units, saturating rather than overflowing.
    pub fn times(self, units: u32) -> Cents {
        Cents(self.0.saturating_mul(i64::from(units)))
    }

    /// This amount scaled by `percent`/100, rounded half away from zero to the cent.
    pub fn percent(self, percent: i64) -> Cents {
        let scaled = self.0.saturating_mul(percent);
        let rounded = if scaled >= 0 {
            scaled.saturating_add(50) / 100
        } else {
            scaled.saturating_sub(50) / 100
        };
        Cents(rounded)
    }

    /// The sum, saturating rather than overflowing.
    pub fn plus(self, other: Cents) -> Cents {
        Cents(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}${}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut out = groups.pop().map(|g| g.to_string()).unwrap_or_default();
    for g in groups.iter().rev() {
        out.push_str(&format!(",{g:03}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_dollars_with_thousands() {
        assert_eq!(Cents(248_000).to_string(), "$2,480.00");
        assert_eq!(Cents(5).to_string(), "$0.05");
        assert_eq!(Cents(-123_456_789).to_string(), "-$1,234,567.89");
    }

    #[test]
    fn percent_rounds_half_up() {
        assert_eq!(Cents(3215).percent(85), Cents(2733)); // 2732.75
        assert_eq!(Cents(10).percent(85), Cents(9)); // 8.5 -> 9
        assert_eq!(Cents(-10).percent(85), Cents(-9));
    }
}

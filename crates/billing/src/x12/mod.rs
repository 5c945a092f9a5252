//! ASC X12 005010: the envelope, segments and elements, and the two transactions Stride
//! speaks, the 837P professional claim ([`claim837`]) and the 835 remittance
//! ([`remit835`]).

pub mod claim837;
mod read;
pub mod remit835;
mod write;

pub use read::{MAX_FILE_BYTES, Segment, X12Error};

/// Formats integer cents as an X12 decimal amount: no trailing zeros, no thousands
/// separators (`12500` -> `"125"`, `12550` -> `"125.5"`, `-5` -> `"-0.05"`).
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (dollars, rest) = (abs / 100, abs % 100);
    match rest {
        0 => format!("{sign}{dollars}"),
        r if r % 10 == 0 => format!("{sign}{dollars}.{}", r / 10),
        r => format!("{sign}{dollars}.{r:02}"),
    }
}

/// The largest amount Stride reads from a file, in cents ($100 billion).
pub const MAX_CENTS: i64 = 10_000_000_000_000;

/// Parses an X12 decimal amount into cents. More than two decimal places, or anything
/// that is not a number, is an error (a remittance is never rounded silently).
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if fraction.len() > 2 || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut frac: i64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    if fraction.len() == 1 {
        frac *= 10;
    }
    let cents = whole.checked_mul(100)?.checked_add(frac)?;
    // No real amount comes near $100 billion; refusing more keeps every sum of a file's
    // amounts far from overflow.
    if cents > MAX_CENTS {
        return None;
    }
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_drop_trailing_zeros() {
        assert_eq!(amount(12500), "125");
        assert_eq!(amount(12550), "125.5");
        assert_eq!(amount(12505), "125.05");
        assert_eq!(amount(0), "0");
        assert_eq!(amount(-5), "-0.05");
    }

    #[test]
    fn bad_amounts_are_refused() {
        for bad in ["", "-", ".", "1.234", "12a", "1,000", "--1", "1.-2", "100000000001"] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
        assert_eq!(parse_amount(".5"), Some(50));
        assert_eq!(parse_amount("7."), Some(700));
    }

    proptest! {
        #[test]
        fn amounts_round_trip(cents in -MAX_CENTS..=MAX_CENTS) {
            prop_assert_eq!(parse_amount(&amount(cents)), Some(cents));
        }
    }
}

//! Checks on values people type: NPIs, ICD-10-CM codes, dates, names.

use crate::error::{ChartError, Result};
use chrono::NaiveDate;

/// Parses a civil date written YYYY-MM-DD, between the years 1890 and 2200.
pub fn date(field: &str, text: &str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ChartError::invalid(field, format!("{text:?} is not a date; write it as YYYY-MM-DD")))?;
    if !(1890..=2200).contains(&chrono::Datelike::year(&date)) {
        return Err(ChartError::invalid(
            field,
            format!("{date} is out of range; check the year"),
        ));
    }
    Ok(date)
}

/// An optional text field: trimmed, and `None` when empty.
pub fn optional(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// An optional code from a list of `(code, meaning)`: trimmed, `None` when empty, and
/// refused, with the list in words, when not in it.
pub fn optional_code<'a>(field: &str, text: Option<&'a str>, codes: &[(&str, &str)]) -> Result<Option<&'a str>> {
    let Some(code) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if codes.iter().any(|(c, _)| *c == code) {
        return Ok(Some(code));
    }
    let known: Vec<String> = codes.iter().map(|(c, words)| format!("{c} {words}")).collect();
    Err(ChartError::invalid(
        field,
        format!("{code:?} is not one Stride knows; use {}", known.join("; ")),
    ))
}

/// Trims a required text field and refuses it empty.
pub fn required(field: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ChartError::invalid(field, "must not be empty"));
    }
    Ok(t.to_owned())
}

/// An NPI: ten digits whose last is the Luhn check digit over "80840" and the first nine.
pub fn npi(field: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.len() != 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ChartError::invalid(
            field,
            format!("{t:?} is not an NPI: an NPI has exactly 10 digits"),
        ));
    }
    if !stride_billing::npi::is_valid(t) {
        return Err(ChartError::invalid(
            field,
            format!("{t} is not a valid NPI: its check digit is wrong (check for a typo)"),
        ));
    }
    Ok(t.to_owned())
}

/// A valid NPI made from nine digits by adding their check digit (demo and test data).
pub fn npi_from_base(base: u32) -> String {
    let nine = format!("{:09}", base % 1_000_000_000);
    (0..10)
        .map(|d| format!("{nine}{d}"))
        .find(|n| stride_billing::npi::is_valid(n))
        .unwrap_or_default()
}

/// An ICD-10-CM code: a letter, a digit, a letter or digit, then optionally a dot and one
/// to four letters or digits. Returned upper-case with the dot after the third character.
pub fn icd10(field: &str, text: &str) -> Result<String> {
    let raw: String = text.trim().to_ascii_uppercase().chars().filter(|&c| c != '.').collect();
    let bad = || {
        ChartError::invalid(
            field,
            format!(
                "{:?} is not an ICD-10-CM code (like M54.50: a letter, two characters, then up to four more)",
                text.trim()
            ),
        )
    };
    let b = raw.as_bytes();
    if !(3..=7).contains(&b.len()) || !b[0].is_ascii_uppercase() || !b[1].is_ascii_digit() {
        return Err(bad());
    }
    if !b[2..].iter().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    Ok(if raw.len() > 3 {
        format!("{}.{}", &raw[..3], &raw[3..])
    } else {
        raw
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_npis_are_valid() {
        for base in [0, 123_456_789, 999_999_999, 100_000_001] {
            let n = npi_from_base(base);
            assert!(npi("NPI", &n).is_ok(), "{n}");
        }
    }

    #[test]
    fn npi_check_digit() {
        // The CMS example NPI 1234567893.
        assert!(npi("npi", "1234567893").is_ok());
        assert!(npi("npi", "1234567890").is_err());
        assert!(npi("npi", "123456789").is_err());
        assert!(npi("npi", "12345678a3").is_err());
        assert!(npi("npi", " 1245319599 ").is_ok());
    }

    #[test]
    fn icd10_format() {
        assert_eq!(icd10("dx", "m54.50").ok().as_deref(), Some("M54.50"));
        assert_eq!(icd10("dx", "M5450").ok().as_deref(), Some("M54.50"));
        assert_eq!(icd10("dx", "S83.511A").ok().as_deref(), Some("S83.511A"));
        assert_eq!(icd10("dx", "R26").ok().as_deref(), Some("R26"));
        for bad in ["", "54.50", "MM4.5", "M54.50000", "M5", "M54-50"] {
            assert!(icd10("dx", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(date("dob", "1980-02-29").is_ok());
        assert!(date("dob", "1981-02-29").is_err());
        assert!(date("dob", "02/03/1980").is_err());
        assert!(date("dos", "262143-12-31").is_err());
        assert!(date("dos", "1066-10-14").is_err());
    }
}

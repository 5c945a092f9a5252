//! The National Provider Identifier's check digit.

/// Whether `npi` is an NPI: ten digits whose last is the Luhn check digit computed over
/// the prefix 80840 and the first nine (45 CFR 162.406).
pub fn is_valid(npi: &str) -> bool {
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = "80840"
        .bytes()
        .chain(npi.bytes())
        .map(|b| u32::from(b - b'0'))
        .rev()
        .enumerate()
        .map(|(i, d)| match (i % 2 == 1, d * 2) {
            (true, doubled) if doubled > 9 => doubled - 9,
            (true, doubled) => doubled,
            (false, _) => d,
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert!(is_valid("1234567893"));
        assert!(!is_valid("1234567890"));
        assert!(!is_valid("123456789"));
        assert!(!is_valid("12345678a3"));
    }
}

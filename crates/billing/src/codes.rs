//! Adjustment group codes, claim adjustment reason codes (CARC) and remittance advice
//! remark codes (RARC) in words a biller reads at a glance. The wording is Stride's own
//! summary; the code lists are maintained by X12 (CARC) and CMS (RARC), and a code not
//! in this table is shown as its number with a note to look it up.

/// What a CAS group code means for who pays.
pub fn group_words(group: &str) -> &'static str {
    match group {
        "CO" => "contractual obligation: written off, not billable to the patient",
        "PR" => "patient responsibility: bill the patient",
        "OA" => "other adjustment",
        "PI" => "payer-initiated reduction",
        "CR" => "correction or reversal",
        _ => "unknown adjustment group",
    }
}

const CARC: &[(&str, &str)] = &[
    ("1", "Deductible"),
    ("2", "Coinsurance"),
    ("3", "Co-payment"),
    (
        "4",
        "A modifier is missing or does not fit the procedure (check GP, CQ, KX, 59)",
    ),
    ("5", "The procedure or bill type does not fit the place of service"),
    ("6", "The procedure does not fit the patient's age"),
    ("7", "The procedure does not fit the patient's sex"),
    ("9", "The diagnosis does not fit the patient's age"),
    ("11", "The diagnosis does not support the procedure"),
    ("15", "The authorization number is missing, invalid or does not apply"),
    (
        "16",
        "The claim lacks information or has billing errors; see the remark codes",
    ),
    ("18", "Exact duplicate of a claim or line already processed"),
    ("22", "Another payer may be primary (coordination of benefits)"),
    ("23", "Reduced by what a prior payer paid or allowed"),
    ("24", "Covered under a capitation or managed care plan"),
    ("26", "Service before coverage began"),
    ("27", "Service after coverage ended"),
    ("29", "Filed after the payer's time limit"),
    ("31", "The patient cannot be identified as the payer's insured"),
    ("45", "Charge above the fee schedule or contracted amount"),
    ("50", "Not deemed medically necessary by the payer"),
    ("55", "Procedure or treatment considered experimental by the payer"),
    ("96", "Non-covered charge"),
    ("97", "Included in the payment for another service (bundled)"),
    ("109", "Not covered by this payer: send the claim to the right payer"),
    (
        "119",
        "The benefit maximum for the period has been reached (for Medicare therapy: KX missing above the threshold)",
    ),
    ("151", "The information submitted does not support this many services"),
    ("167", "The diagnosis is not covered"),
    ("170", "Not paid when performed or billed by this type of provider"),
    ("181", "The procedure code was invalid on the date of service"),
    ("182", "The procedure modifier was invalid on the date of service"),
    ("185", "The rendering provider is not eligible to perform the service"),
    ("197", "Prior authorization or pre-certification is missing"),
    ("198", "More visits or units than the authorization allows"),
    ("204", "Not covered under the patient's current benefit plan"),
    (
        "222",
        "More than the maximum hours, days or units for this provider in the period",
    ),
    (
        "226",
        "Information requested from the provider was not sent or was incomplete",
    ),
    ("234", "The procedure is not paid separately"),
    (
        "236",
        "This procedure or modifier combination is not allowed with another on the same day (NCCI)",
    ),
    ("242", "Services not provided by network or primary care providers"),
    ("253", "Sequestration: the federal payment reduction"),
    (
        "B7",
        "The provider was not certified or eligible to be paid on this date",
    ),
    ("B15", "Needs another service or procedure to qualify for payment"),
    (
        "59",
        "Processed under multiple or concurrent procedure rules (therapy MPPR)",
    ),
];

const RARC: &[(&str, &str)] = &[
    (
        "M15",
        "Separately billed services or tests were bundled: they are not paid separately",
    ),
    ("M20", "The HCPCS code is missing or incomplete"),
    ("M51", "The procedure code is missing, incomplete or invalid"),
    ("M76", "The diagnosis is missing, incomplete or invalid"),
    (
        "M80",
        "Not covered when performed during the same session or date as another service",
    ),
    (
        "MA130",
        "The claim is incomplete or invalid: correct it and send a new claim, not an appeal",
    ),
    (
        "N4",
        "The prior insurer's explanation of benefits is missing or incomplete",
    ),
    (
        "N20",
        "Not paid when furnished by the same provider on the same day as another service",
    ),
    (
        "N56",
        "The procedure code billed is not correct or valid for the services billed",
    ),
    ("N115", "Decided by a local coverage determination (LCD)"),
    ("N290", "The rendering provider's NPI is missing, incomplete or invalid"),
    ("N362", "The units exceed the acceptable maximum (MUE or frequency)"),
    ("N386", "Decided by a national coverage determination (NCD)"),
    (
        "N432",
        "The adjustment reflects the patient's deductible and coinsurance",
    ),
    ("N640", "The exceeds-the-threshold KX modifier was not on the claim"),
];

/// The meaning of a claim adjustment reason code, if Stride's table has it.
pub fn carc_words(code: &str) -> Option<&'static str> {
    CARC.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// The meaning of a remittance remark code, if Stride's table has it.
pub fn rarc_words(code: &str) -> Option<&'static str> {
    RARC.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// A CARC as a line a biller reads: `"CO-45: Charge above the fee schedule ..."`.
pub fn describe_adjustment(group: &str, reason: &str) -> String {
    match carc_words(reason) {
        Some(words) => format!("{group}-{reason}: {words}"),
        None => format!("{group}-{reason}: reason code {reason} (not in Stride's table; look it up at x12.org)"),
    }
}

/// A RARC as a line a biller reads.
pub fn describe_remark(code: &str) -> String {
    match rarc_words(code) {
        Some(words) => format!("{code}: {words}"),
        None => format!("{code}: remark code {code} (not in Stride's table; look it up at x12.org)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_read_in_words() {
        assert_eq!(
            describe_adjustment("CO", "45"),
            "CO-45: Charge above the fee schedule or contracted amount"
        );
        assert!(describe_remark("N362").contains("units exceed"));
        assert!(group_words("PR").contains("bill the patient"));
    }

    #[test]
    fn unknown_codes_say_so_instead_of_vanishing() {
        assert!(describe_adjustment("OA", "999").contains("not in Stride's table"));
        assert!(describe_remark("ZZ9").contains("remark code ZZ9"));
    }

    #[test]
    fn every_code_is_listed_once() {
        for table in [CARC, RARC] {
            let mut codes: Vec<_> = table.iter().map(|(c, _)| c).collect();
            codes.sort();
            let before = codes.len();
            codes.dedup();
            assert_eq!(before, codes.len());
        }
    }
}

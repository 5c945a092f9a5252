//! The 837P writer and the 835 reader, checked against an independent validator
//! (pyx12, through `tests/x12/validate.py`) and against damaged and hostile files.

use chrono::NaiveDate;
use proptest::prelude::*;
use stride_billing::x12::X12Error;
use stride_billing::x12::claim837::*;
use stride_billing::x12::remit835::*;
use stride_coding::Modifier;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn envelope() -> Envelope {
    Envelope {
        sender_id: "STRIDE01".into(),
        receiver_id: "CLEARHOUSE".into(),
        receiver_name: "Example Clearinghouse".into(),
        control_number: 42,
        created: date("2026-11-27").and_hms_opt(14, 5, 0).expect("time"),
        production: false,
    }
}

fn provider() -> BillingProvider {
    BillingProvider {
        name: "Riverside Physical Therapy".into(),
        npi: "1234567893".into(),
        tax_id: "12-3456789".into(),
        address: Address {
            line: "100 Main St".into(),
            city: "Springfield".into(),
            state: "IL".into(),
            zip: "62701-1234".into(),
        },
        taxonomy: "225100000X".into(),
        contact_name: "Billing Office".into(),
        contact_phone: "(217) 555-0100".into(),
    }
}

fn line(code: &str, modifiers: &[&str], units: u32, cents: i64, day: &str) -> ServiceLine {
    ServiceLine {
        code: code.into(),
        modifiers: modifiers
            .iter()
            .map(|m| Modifier::parse(m).expect("a modifier"))
            .collect(),
        charge_cents: cents * i64::from(units),
        units,
        diagnosis_pointers: vec![1, 2],
        date: date(day),
        prior: Vec::new(),
    }
}

fn claim(control: &str, lines: Vec<ServiceLine>) -> ProfessionalClaim {
    ProfessionalClaim {
        control_number: control.into(),
        responsibility: Responsibility::Primary,
        claim_filing: "MB".into(),
        subscriber: Subscriber {
            name: PersonName {
                last: "Nuñez".into(),
                first: "María".into(),
            },
            member_id: "1EG4TE5MK73".into(),
            group_no: None,
            address: Address {
                line: "12 Oak Ave, Apt 3".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                zip: "62704".into(),
            },
            dob: date("1951-03-14"),
            sex: 'F',
        },
        payer: PayerId {
            name: "Medicare Part B".into(),
            id: "00952".into(),
        },
        place_of_service: "11".into(),
        frequency: '1',
        diagnoses: vec!["M54.50".into(), "M25.561".into()],
        referring: Some(Provider {
            name: PersonName {
                last: "Okafor".into(),
                first: "Grace".into(),
            },
            npi: "1245319599".into(),
        }),
        rendering: Provider {
            name: PersonName {
                last: "Reyes".into(),
                first: "Dana".into(),
            },
            npi: "1003000126".into(),
        },
        rendering_taxonomy: "225100000X".into(),
        prior_authorization: None,
        payer_claim_number: None,
        prior_payers: Vec::new(),
        lines,
    }
}

/// A month of ordinary therapy: GP lines, a PTA's CQ line, a KX line, a 59 pair.
fn therapy_claim(control: &str) -> ProfessionalClaim {
    claim(
        control,
        vec![
            line("97110", &["GP"], 2, 3500, "2026-11-02"),
            line("97140", &["GP", "59"], 1, 3200, "2026-11-02"),
            line("97530", &["GP", "CQ"], 1, 3900, "2026-11-04"),
            line("97110", &["GP", "KX"], 2, 3500, "2026-11-06"),
            line("97112", &["GP", "CQ", "KX"], 1, 3700, "2026-11-06"),
            line("97140", &["GP", "XU"], 1, 3200, "2026-11-06"),
            line("97164", &["GP"], 1, 9500, "2026-11-09"),
        ],
    )
}

fn secondary_claim() -> ProfessionalClaim {
    let mut c = claim(
        "SEC0001",
        vec![
            line("97110", &["GP"], 2, 3500, "2026-11-02"),
            line("97116", &["GP"], 1, 3100, "2026-11-02"),
        ],
    );
    c.responsibility = Responsibility::Secondary;
    c.claim_filing = "CI".into();
    c.payer = PayerId {
        name: "Blue Cross Medigap".into(),
        id: "BCBS1".into(),
    };
    c.subscriber.member_id = "XYZ123456".into();
    c.subscriber.group_no = Some("GRP-77".into());
    let adjudicated = date("2026-11-20");
    c.prior_payers = vec![PriorPayer {
        responsibility: Responsibility::Primary,
        claim_filing: "MB".into(),
        payer: PayerId {
            name: "Medicare Part B".into(),
            id: "00952".into(),
        },
        member_id: "1EG4TE5MK73".into(),
        group_no: None,
        paid_cents: 6000,
        adjudicated_on: adjudicated,
    }];
    c.lines[0].prior = vec![LineAdjudication {
        payer_id: "00952".into(),
        paid_cents: 4000,
        units: 2,
        adjustments: vec![
            Adjustment {
                group: "CO".into(),
                reason: "45".into(),
                cents: 2000,
            },
            Adjustment {
                group: "PR".into(),
                reason: "2".into(),
                cents: 1000,
            },
        ],
        adjudicated_on: adjudicated,
    }];
    c.lines[1].prior = vec![LineAdjudication {
        payer_id: "00952".into(),
        paid_cents: 2000,
        units: 1,
        adjustments: vec![Adjustment {
            group: "PR".into(),
            reason: "2".into(),
            cents: 1100,
        }],
        adjudicated_on: adjudicated,
    }];
    c
}

fn pyx12(name: &str, text: &str) -> String {
    stride_billing::testing::pyx12(name, text).err().unwrap_or_default()
}

#[test]
fn a_single_claim_is_valid_837p() {
    let text = write_837p(&envelope(), &provider(), &[therapy_claim("C0001")]).expect("writes");
    assert_eq!(pyx12("single.837", &text), "");
    assert!(text.contains("SV1*HC:97112:GP:CQ:KX*37*UN*1***1:2~"));
    // Each line carries its control number (REF*6R, 005010X222A1 loop 2400), which the 835
    // returns and posting matches first.
    assert!(text.contains("REF*6R*C0001-1~"), "{text}");
    assert!(text.contains("NM1*IL*1*NUNEZ*MARIA****MI*1EG4TE5MK73~"));
    assert!(text.contains("HI*ABK:M5450*ABF:M25561~"));
}

#[test]
fn many_claims_and_a_secondary_claim_are_valid_837p() {
    let mut claims: Vec<_> = (1..=40).map(|n| therapy_claim(&format!("C{n:04}"))).collect();
    claims.push(secondary_claim());
    // A corrected claim replacing one the payer processed, with a prior authorization.
    let mut corrected = therapy_claim("C0099");
    corrected.frequency = '7';
    corrected.payer_claim_number = Some("PCN-2026-0001".into());
    corrected.prior_authorization = Some("AUTH123".into());
    claims.push(corrected);
    let text = write_837p(&envelope(), &provider(), &claims).expect("writes");
    assert_eq!(pyx12("batch.837", &text), "");
    assert_eq!(text.matches("CLM*").count(), 42);
    assert!(text.contains("CLM*C0099*375***11:B:7*Y*A*Y*Y~\nREF*G1*AUTH123~\nREF*F8*PCN-2026-0001~"));
    assert!(text.contains("SBR*S*18*GRP-77******CI~"));
    assert!(text.contains("AMT*D*60~"));
    assert!(text.contains("SVD*00952*40*HC:97110:GP**2~"));
}

#[test]
fn claims_the_guide_forbids_are_not_written() {
    let mut too_many = therapy_claim("C1");
    too_many.lines = (0..51).map(|_| line("97110", &["GP"], 1, 3500, "2026-11-02")).collect();
    assert!(matches!(
        write_837p(&envelope(), &provider(), &[too_many]),
        Err(WriteError::Claim { .. })
    ));
    let mut bad_pointer = therapy_claim("C2");
    bad_pointer.lines[0].diagnosis_pointers = vec![3];
    assert!(write_837p(&envelope(), &provider(), &[bad_pointer]).is_err());
    let mut no_npi = provider();
    no_npi.npi = String::new();
    assert!(matches!(
        write_837p(&envelope(), &no_npi, &[therapy_claim("C3")]),
        Err(WriteError::Envelope(_))
    ));
    assert_eq!(write_837p(&envelope(), &provider(), &[]), Err(WriteError::NoClaims));
}

fn remit_envelope() -> RemitEnvelope {
    RemitEnvelope {
        sender_id: "MEDICARE".into(),
        receiver_id: "STRIDE01".into(),
        control_number: 7,
        created: date("2026-11-30").and_hms_opt(6, 0, 0).expect("time"),
    }
}

fn sample_remittance() -> Remittance {
    let adj = |group: &str, reason: &str, cents| Adjustment {
        group: group.into(),
        reason: reason.into(),
        cents,
    };
    Remittance {
        payer_name: "MEDICARE PART B".into(),
        payer_id: "00952".into(),
        payee_npi: "1234567893".into(),
        trace_number: "EFT000123".into(),
        paid_on: Some(date("2026-11-30")),
        total_paid_cents: 9000 - 500,
        provider_adjustment_cents: 500,
        claims: vec![
            RemitClaim {
                control_number: "C0001".into(),
                status_code: "1".into(),
                charge_cents: 13500,
                paid_cents: 9000,
                patient_resp_cents: 1500,
                payer_claim_number: "PCN1".into(),
                adjustments: Vec::new(),
                remarks: vec!["MA130".into()],
                lines: vec![
                    RemitLine {
                        code: "97110".into(),
                        modifiers: vec![Modifier::GP],
                        // The claim's line control number comes back (REF*6R, loop 2110),
                        // and the code as submitted when the payer recoded the line (SVC06).
                        line_control: Some("C0001-1".into()),
                        submitted_code: Some("97112".into()),
                        charge_cents: 7000,
                        paid_cents: 5000,
                        units: 2,
                        date: Some(date("2026-11-02")),
                        allowed_cents: Some(6000),
                        adjustments: vec![adj("CO", "45", 1000), adj("PR", "2", 1000)],
                        remarks: Vec::new(),
                    },
                    RemitLine {
                        code: "97140".into(),
                        modifiers: vec![Modifier::GP, Modifier::DISTINCT_59],
                        line_control: None,
                        // Paid as billed; the first line below was recoded by the payer.
                        submitted_code: None,
                        charge_cents: 6500,
                        paid_cents: 4000,
                        units: 2,
                        date: Some(date("2026-11-02")),
                        allowed_cents: None,
                        adjustments: vec![adj("CO", "45", 2000), adj("PR", "2", 500)],
                        remarks: vec!["N362".into()],
                    },
                ],
            },
            RemitClaim {
                control_number: "C0002".into(),
                status_code: "4".into(),
                charge_cents: 3500,
                paid_cents: 0,
                patient_resp_cents: 0,
                payer_claim_number: "PCN2".into(),
                adjustments: Vec::new(),
                remarks: Vec::new(),
                lines: vec![RemitLine {
                    code: "97110".into(),
                    modifiers: vec![Modifier::GP],
                    line_control: None,
                    submitted_code: None,
                    charge_cents: 3500,
                    paid_cents: 0,
                    units: 1,
                    date: Some(date("2026-11-03")),
                    allowed_cents: None,
                    adjustments: vec![adj("CO", "119", 3500)],
                    remarks: vec!["N640".into()],
                }],
            },
        ],
    }
}

#[test]
fn a_written_835_is_valid_and_reads_back_the_same() {
    let r = sample_remittance();
    let text = write_835(&remit_envelope(), &r);
    assert_eq!(pyx12("remit.835", &text), "");
    assert_eq!(parse_835(text.as_bytes()), Ok(r));
}

#[test]
fn separators_are_read_from_the_header() {
    let text = write_835(&remit_envelope(), &sample_remittance());
    // Same file with other separators and no line breaks.
    let other: String = text
        .replace('*', "|")
        .replace("|^|", "|U|")
        .replace('~', "'")
        .replace('\n', "")
        .replace("|:'", "|>'")
        .replace(':', ">");
    assert_eq!(parse_835(other.as_bytes()), Ok(sample_remittance()));
}

#[test]
fn damaged_files_get_clear_errors() {
    let text = write_835(&remit_envelope(), &sample_remittance());
    let cut = &text[..text.len() * 2 / 3];
    assert!(matches!(parse_835(cut.as_bytes()), Err(X12Error::Truncated { .. })));
    assert_eq!(parse_835(b""), Err(X12Error::Empty));
    assert!(matches!(parse_835(b"%PDF-1.7 not x12"), Err(X12Error::NotX12(_))));
    assert!(matches!(parse_835(&[0xff, 0xfe, 0x00]), Err(X12Error::NotX12(_))));
    // The element separator in the header is not the one the segments use.
    let wrong = text.replacen("ISA*", "ISA|", 1);
    assert!(matches!(parse_835(wrong.as_bytes()), Err(X12Error::BadHeader(_))));
    // An 837 is not a remittance.
    let claim = write_837p(&envelope(), &provider(), &[therapy_claim("C1")]).expect("writes");
    assert!(matches!(
        parse_835(claim.as_bytes()),
        Err(X12Error::WrongTransaction { .. })
    ));
    // A payment that does not balance.
    let unbalanced = text.replace("BPR*C*85*", "BPR*C*95*");
    let err = parse_835(unbalanced.as_bytes()).expect_err("unbalanced");
    assert!(err.to_string().contains("does not balance"), "{err}");
    // Amounts with too many decimals.
    let precise = text.replace("SVC*HC:97110:GP*70*50", "SVC*HC:97110:GP*70*50.001");
    let err = parse_835(precise.as_bytes()).expect_err("precise");
    assert!(err.to_string().contains("is not an amount"), "{err}");
    // Two payments in one file.
    let (st, ge) = (text.find("ST*835").expect("ST"), text.find("GE*").expect("GE"));
    let twice = format!("{}{}{}", &text[..ge], &text[st..ge], &text[ge..]).replace("GE*1*", "GE*2*");
    let err = parse_835(twice.as_bytes()).expect_err("two payments");
    assert!(err.to_string().contains("more than one payment"), "{err}");
    // A segment outside its transaction.
    let stray = text.replace("GE*1*", "NM1*QC*1*STRAY~\nGE*1*");
    let err = parse_835(stray.as_bytes()).expect_err("stray segment");
    assert!(err.to_string().contains("outside any transaction"), "{err}");
    // An amount too large to be real.
    let huge = text.replace("BPR*C*85*", "BPR*C*850000000000000*");
    let err = parse_835(huge.as_bytes()).expect_err("huge amount");
    assert!(
        err.to_string().contains("under $100 billion"),
        "refused as an amount, not as unbalanced: {err}"
    );
    // A segment count that lies.
    let lying = text.replace("\nSE*", "\nSE*9");
    assert!(parse_835(lying.as_bytes()).is_err());
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let huge = vec![b'A'; stride_billing::x12::MAX_FILE_BYTES + 1];
    assert!(matches!(parse_835(&huge), Err(X12Error::TooLarge { .. })));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever bytes arrive, the reader answers with data or an error, never a panic.
    #[test]
    fn the_reader_never_panics(cut in 0usize..4000, flips in prop::collection::vec((0usize..4000, any::<u8>()), 0..8)) {
        let text = write_835(&remit_envelope(), &sample_remittance());
        let mut bytes = text.into_bytes();
        for (at, byte) in flips {
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = parse_835(&bytes);
    }

    #[test]
    fn garbage_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut with_header = b"ISA*00*          *00*          *ZZ*A              *ZZ*B              *261127*1200*^*00501*000000001*0*P*:~".to_vec();
        with_header.extend(bytes);
        let _ = parse_835(&with_header);
    }
}

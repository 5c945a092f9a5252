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
        individual: None,
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
        place_of_service: None,
        prior_authorization: None,
        description: None,
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
        patient: None,
        insurance_type: None,
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
        relationship: Relationship::SelfInsured,
        subscriber: c.subscriber.name.clone(),
        claim_filing: "MB".into(),
        payer: PayerId {
            name: "Medicare Part B".into(),
            id: "00952".into(),
        },
        member_id: "1EG4TE5MK73".into(),
        group_no: None,
        paid_cents: 6000,
        adjustments: Vec::new(),
        remarks: Vec::new(),
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

fn cents(v: &serde_json::Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("{v} is not cents"))
}

/// Checks an 837P with both independent readers: pyx12 finds no error, and the totals
/// linuxforhealth-x12 reads agree with the claims written.
fn check_837(name: &str, text: &str, claims: &[ProfessionalClaim]) {
    assert_eq!(pyx12(name, text), "");
    let totals = stride_billing::testing::second_reader(name, text).unwrap_or_else(|e| panic!("{e}"));
    let read = totals["claims"].as_array().expect("claims");
    assert_eq!(read.len(), claims.len(), "{name}");
    for (r, c) in read.iter().zip(claims) {
        let prior_adjustments: i64 = c
            .prior_payers
            .iter()
            .flat_map(|p| &p.adjustments)
            .chain(c.lines.iter().flat_map(|l| l.prior.iter().flat_map(|p| &p.adjustments)))
            .map(|a| a.cents)
            .sum();
        let line_paid: i64 = c.lines.iter().flat_map(|l| &l.prior).map(|p| p.paid_cents).sum();
        assert_eq!(r["control_number"], c.control_number.as_str(), "{name}");
        assert_eq!(
            cents(&r["charge_cents"]),
            c.total_cents(),
            "{name} {}",
            c.control_number
        );
        assert_eq!(cents(&r["lines"]), c.lines.len() as i64);
        assert_eq!(
            cents(&r["prior_paid_cents"]),
            c.prior_payers.iter().map(|p| p.paid_cents).sum::<i64>()
        );
        assert_eq!(cents(&r["prior_line_paid_cents"]), line_paid);
        assert_eq!(cents(&r["prior_adjustment_cents"]), prior_adjustments);
    }
}

/// Checks an 835 with both independent readers: pyx12 finds no error, and each payment
/// linuxforhealth-x12 reads agrees with the remittance written.
fn check_835(name: &str, text: &str, remittances: &[Remittance]) {
    assert_eq!(pyx12(name, text), "");
    let totals = stride_billing::testing::second_reader(name, text).unwrap_or_else(|e| panic!("{e}"));
    let read = totals["payments"].as_array().expect("payments");
    assert_eq!(read.len(), remittances.len(), "{name}");
    for (p, r) in read.iter().zip(remittances) {
        assert_eq!(cents(&p["paid_cents"]), r.total_paid_cents, "{name}");
        assert_eq!(cents(&p["provider_adjustment_cents"]), r.provider_adjustment_cents());
        let claims = p["claims"].as_array().expect("claims");
        assert_eq!(claims.len(), r.claims.len());
        for (rc, c) in claims.iter().zip(&r.claims) {
            let adjusted: i64 = c
                .adjustments
                .iter()
                .chain(c.lines.iter().flat_map(|l| &l.adjustments))
                .map(|a| a.cents)
                .sum();
            assert_eq!(rc["control_number"], c.control_number.as_str());
            assert_eq!(rc["status"], c.status_code.as_str());
            assert_eq!(cents(&rc["charge_cents"]), c.charge_cents);
            assert_eq!(cents(&rc["paid_cents"]), c.paid_cents);
            assert_eq!(
                cents(&rc["line_paid_cents"]),
                c.lines.iter().map(|l| l.paid_cents).sum::<i64>()
            );
            assert_eq!(cents(&rc["adjustment_cents"]), adjusted);
        }
    }
}

#[test]
fn a_single_claim_is_valid_837p() {
    let claims = [therapy_claim("C0001")];
    let text = write_837p(&envelope(), &provider(), &claims).expect("writes");
    check_837("single.837", &text, &claims);
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
    check_837("batch.837", &text, &claims);
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

/// The 837P cases every clinic meets in its first month (005010X222A1, segments as the
/// guide lays them out), each file checked by pyx12.
mod first_month {
    use super::*;

    fn write(name: &str, provider: &BillingProvider, claims: &[ProfessionalClaim]) -> String {
        let text = write_837p(&envelope(), provider, claims).expect("writes");
        check_837(name, &text, claims);
        text
    }

    fn refusal(claim: ProfessionalClaim) -> String {
        match write_837p(&envelope(), &provider(), &[claim]) {
            Err(WriteError::Claim { reason, .. }) => reason,
            other => panic!("expected the claim to be refused, got {other:?}"),
        }
    }

    #[test]
    fn a_child_on_a_parents_plan_is_a_2000c_patient() {
        let mut c = therapy_claim("DEP0001");
        c.claim_filing = "CI".into();
        c.subscriber.group_no = Some("G-100".into());
        c.patient = Some(Dependant {
            relationship: Relationship::Child,
            name: PersonName {
                last: "Nuñez".into(),
                first: "Leo".into(),
            },
            address: c.subscriber.address.clone(),
            dob: date("2014-06-01"),
            sex: 'M',
        });
        // A second claim after it: the HL numbers keep counting.
        let text = write("dependant.837", &provider(), &[c, therapy_claim("C0002")]);
        // 2000B: HL04 = 1 (a child loop follows); SBR02 empty when the patient is not the
        // subscriber; 2010BA DMG only when the subscriber is the patient.
        assert!(text.contains("HL*2*1*22*1~\nSBR*P**G-100******CI~\nNM1*IL*1*NUNEZ*MARIA****MI*1EG4TE5MK73~"));
        let subscriber_loop =
            &text[text.find("HL*2*1*22*1~").expect("2000B")..text.find("HL*3*2*23*0~").expect("2000C")];
        assert!(!subscriber_loop.contains("DMG*"), "{subscriber_loop}");
        // 2000C: HL03 = 23, PAT01 = 19 (child), 2010CA NM1*QC with the patient's DMG.
        assert!(
            text.contains("HL*3*2*23*0~\nPAT*19~\nNM1*QC*1*NUNEZ*LEO~\nN3*12 OAK AVE, APT 3~\nN4*SPRINGFIELD*IL*62704~\nDMG*D8*20140601*M~\nCLM*DEP0001*"),
            "{text}"
        );
        assert!(text.contains("HL*4*1*22*0~\nSBR*P*18"), "{text}");
    }

    #[test]
    fn a_solo_clinician_bills_as_a_person_without_a_rendering_loop() {
        let mut solo = provider();
        solo.individual = Some(PersonName {
            last: "Reyes".into(),
            first: "Dana".into(),
        });
        solo.npi = "1003000126".into();
        let text = write("solo.837", &solo, &[therapy_claim("SOLO001")]);
        // 2010AA NM102 = 1 (person) with the Type 1 NPI; 2310B is sent only when the
        // rendering provider is not the billing provider.
        assert!(text.contains("NM1*85*1*REYES*DANA****XX*1003000126~"));
        assert!(text.contains("NM1*41*1*REYES*DANA****46*STRIDE01~"));
        assert!(!text.contains("NM1*82*"), "{text}");
        assert!(!text.contains("PRV*PE*"));
        // A group's claim keeps its rendering PT.
        let group = write("group.837", &provider(), &[therapy_claim("GRP001")]);
        assert!(group.contains("NM1*82*1*REYES*DANA****XX*1003000126~\nPRV*PE*PXC*225100000X~"));
    }

    #[test]
    fn medicare_as_secondary_carries_the_msp_type() {
        let mut c = secondary_claim();
        c.claim_filing = "MB".into();
        assert!(refusal(c.clone()).contains("SBR05"));
        c.insurance_type = Some("12".into());
        let text = write("msp.837", &provider(), &[c]);
        assert!(text.contains("SBR*S*18*GRP-77**12****MB~"), "{text}");
    }

    #[test]
    fn a_secondary_claim_carries_claim_level_adjustments_and_remarks_and_balances() {
        let mut c = secondary_claim();
        // The primary paid nothing on line 2 and settled it at claim level (no 2430).
        c.lines[1].prior.clear();
        c.prior_payers[0].paid_cents = 4000;
        c.prior_payers[0].adjustments = vec![Adjustment {
            group: "PR".into(),
            reason: "1".into(),
            cents: 3100,
        }];
        c.prior_payers[0].remarks = vec!["MA01".into(), "N130".into()];
        let text = write("balanced-secondary.837", &provider(), &[c.clone()]);
        // 2320: SBR, CAS, AMT*D, OI, MOA in the guide's order.
        assert!(
            text.contains("SBR*P*18*******MB~\nCAS*PR*1*31~\nAMT*D*40~\nOI***Y***Y~\nMOA***MA01*N130~\nNM1*IL*1*NUNEZ*MARIA****MI*1EG4TE5MK73~"),
            "{text}"
        );
        assert_eq!(text.matches("SVD*").count(), 1);
        // Charge 101 = paid 40 + claim CAS 31 + line CAS 30. One cent off is refused.
        c.prior_payers[0].adjustments[0].cents = 3099;
        assert!(refusal(c.clone()).contains("do not add up to the claim's charge"));
        c.prior_payers[0].adjustments[0].cents = 3100;
        c.lines[0].prior[0].paid_cents = 3999;
        assert!(refusal(c).contains("do not add up to the charge"));
    }

    #[test]
    fn corrections_and_voids_name_the_payers_claim() {
        let mut void = therapy_claim("VOID001");
        void.frequency = '8';
        assert!(refusal(void.clone()).contains("REF*F8"));
        void.payer_claim_number = Some("ICN-778899".into());
        let text = write("void.837", &provider(), &[void]);
        assert!(text.contains("*11:B:8*Y*A*Y*Y~\nREF*F8*ICN-778899~"));
        let mut odd = therapy_claim("ODD001");
        odd.frequency = '5';
        assert!(refusal(odd).contains("not 1, 7 or 8"));
    }

    #[test]
    fn unlisted_codes_carry_their_description_and_lines_their_place_and_authorization() {
        let mut c = therapy_claim("UNL001");
        c.lines.push(line("97139", &["GP"], 1, 4000, "2026-11-09"));
        assert!(refusal(c.clone()).contains("unlisted"));
        c.lines.last_mut().expect("a line").description = Some("Manual lymphatic drainage".into());
        // A home visit on a clinic claim, and a new authorization from 2026-11-06.
        c.lines[3].place_of_service = Some("12".into());
        for l in &mut c.lines {
            l.prior_authorization = Some(
                if l.date < date("2026-11-06") {
                    "AUTH-1"
                } else {
                    "AUTH-2"
                }
                .into(),
            );
        }
        let text = write("unlisted.837", &provider(), &[c]);
        // SV101-7 follows four (here empty) modifier positions.
        assert!(
            text.contains("SV1*HC:97139:GP::::MANUAL LYMPHATIC DRAINAGE*40*UN*1***1:2~"),
            "{text}"
        );
        // SV105 when the line's place differs from the claim's (CLM05-1).
        assert!(text.contains("SV1*HC:97110:GP:KX*70*UN*2*12**1:2~"), "{text}");
        // 2400 REF*G1 before REF*6R, as the guide orders loop 2400's REF segments.
        assert!(text.contains("DTP*472*D8*20261102~\nREF*G1*AUTH-1~\nREF*6R*UNL001-1~"));
        assert!(text.contains("DTP*472*D8*20261109~\nREF*G1*AUTH-2~"));
    }
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
        provider_adjustments: vec![ProviderAdjustment {
            reason: "WO".into(),
            reference: "PCN0".into(),
            cents: 500,
        }],
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
                crossover_payer: None,
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
                crossover_payer: None,
            },
        ],
    }
}

#[test]
fn a_written_835_is_valid_and_reads_back_the_same() {
    let r = sample_remittance();
    let text = write_835(&remit_envelope(), std::slice::from_ref(&r));
    check_835("remit.835", &text, std::slice::from_ref(&r));
    assert_eq!(parse_835(text.as_bytes()), Ok(vec![r]));
}

/// The 835 cases payers really send (005010X221A1), each read back the same and checked
/// by both independent readers.
mod payers_send {
    use super::*;

    fn round_trip(name: &str, payments: &[Remittance]) -> String {
        let text = write_835(&remit_envelope(), payments);
        check_835(name, &text, payments);
        assert_eq!(parse_835(text.as_bytes()).as_deref(), Ok(payments));
        text
    }

    #[test]
    fn a_file_of_several_payments_reads_as_several_remittances() {
        let first = sample_remittance();
        let mut second = sample_remittance();
        second.trace_number = "EFT000124".into();
        second.claims[0].control_number = "C0002".into();
        second.provider_adjustments.clear();
        second.total_paid_cents = 9000;
        let text = round_trip("two-payments.835", &[first, second]);
        assert!(text.contains("ST*835*0001~") && text.contains("ST*835*0002~"));
        assert!(text.contains("GE*2*7~"));
    }

    #[test]
    fn provider_adjustments_keep_their_reasons_and_references() {
        let mut r = sample_remittance();
        r.provider_adjustments = vec![
            ProviderAdjustment {
                reason: "WO".into(),
                reference: "PCN0".into(),
                cents: 800,
            },
            ProviderAdjustment {
                reason: "L6".into(),
                reference: "INTEREST".into(),
                cents: -300,
            },
        ];
        let text = round_trip("plb.835", &[r.clone()]);
        // PLB03 is the reason and its reference as a composite (X12 RFI 2370).
        assert!(
            text.contains("PLB*1512345678*20261231*WO:PCN0*8*L6:INTEREST*-3~"),
            "{text}"
        );
        let read = parse_835(text.as_bytes()).expect("reads");
        assert_eq!(read[0].provider_adjustments[1].reason_words(), "interest owed");
    }

    #[test]
    fn reversals_crossovers_and_prior_payer_settlements_read_back() {
        let mut r = sample_remittance();
        let original = r.claims[0].clone();
        // A reversal takes the whole payment back (CLP02 22, every amount negated), then the
        // corrected claim pays again (X12 835 guide, 1.10.2.8).
        let reversal = stride_billing::synthetic::reversal(&original);
        assert!(reversal.is_reversal());
        let mut crossover = original.clone();
        crossover.control_number = "C0003".into();
        crossover.status_code = "19".into();
        crossover.crossover_payer = Some("MEDIGAP PLAN G".into());
        r.claims = vec![reversal, original, crossover];
        r.total_paid_cents = 9000 - 500;
        let text = round_trip("reversal-crossover.835", &[r.clone()]);
        assert!(text.contains("NM1*TT*2*MEDIGAP PLAN G*****PI*CROSSOVER~"));
        let read = parse_835(text.as_bytes()).expect("reads");
        assert!(read[0].claims[2].forwarded());
        assert!(!read[0].claims[1].forwarded());
    }

    #[test]
    fn a_secondary_line_the_primary_covered_is_not_a_denial() {
        let line = RemitLine {
            code: "97110".into(),
            charge_cents: 7000,
            adjustments: vec![Adjustment {
                group: "OA".into(),
                reason: "23".into(),
                cents: 7000,
            }],
            ..RemitLine::default()
        };
        assert!(!line.denied(), "OA-23: the primary's payment settled it");
        let denied = RemitLine {
            adjustments: vec![Adjustment {
                group: "CO".into(),
                reason: "50".into(),
                cents: 7000,
            }],
            ..line
        };
        assert!(denied.denied());
    }
}

#[test]
fn separators_are_read_from_the_header() {
    let text = write_835(&remit_envelope(), &[sample_remittance()]);
    // Same file with other separators and no line breaks.
    let other: String = text
        .replace('*', "|")
        .replace("|^|", "|U|")
        .replace('~', "'")
        .replace('\n', "")
        .replace("|:'", "|>'")
        .replace(':', ">");
    assert_eq!(parse_835(other.as_bytes()), Ok(vec![sample_remittance()]));
}

#[test]
fn damaged_files_get_clear_errors() {
    let text = write_835(&remit_envelope(), &[sample_remittance()]);
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
    // A second payment that does not balance names its trace number.
    let (st, ge) = (text.find("ST*835").expect("ST"), text.find("GE*").expect("GE"));
    let second = text[st..ge]
        .replace("BPR*C*85*", "BPR*C*86*")
        .replace("TRN*1*EFT000123", "TRN*1*EFT000999");
    let twice = format!("{}{}{}", &text[..ge], second, &text[ge..]).replace("GE*1*", "GE*2*");
    let err = parse_835(twice.as_bytes()).expect_err("second payment unbalanced");
    assert!(err.to_string().contains("payment EFT000999"), "{err}");
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
        let text = write_835(&remit_envelope(), &[sample_remittance()]);
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

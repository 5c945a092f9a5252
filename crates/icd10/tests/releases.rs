//! Diagnoses checked on their date of service, against the release in force that day: the
//! shipped FY2026 release and a made-up "2027" one that deletes M54.50 and adds M54.52.

use chrono::NaiveDate;
use std::sync::Arc;
use stride_icd10::{CodeSet, DiagnosisProblem, Release, Releases, fiscal_year_start};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn with_2027() -> Releases {
    let codes = CodeSet::read(include_bytes!("fixtures/made-up-2027.xml")).expect("reads");
    assert_eq!(codes.version, "2027");
    let effective = fiscal_year_start(&codes.version).expect("a year");
    assert_eq!(effective, day("2026-10-01"));
    Releases::new(vec![Release {
        effective,
        codes: Arc::new(codes),
    }])
}

#[test]
fn each_date_of_service_is_checked_against_the_release_in_force_that_day() {
    let releases = with_2027();
    assert_eq!(releases.all().len(), 2);
    assert_eq!(releases.on(day("2026-09-30")).codes.version, "2026");
    assert_eq!(releases.on(day("2026-10-01")).codes.version, "2027");
    assert_eq!(
        releases.on(day("2001-01-01")).codes.version,
        "2026",
        "the oldest before any"
    );
    assert_eq!(releases.newest().codes.version, "2027");
    assert_eq!(releases.on(day("2026-09-30")).covers_through(), Some(day("2026-09-30")));

    // Valid before its deletion, refused after it, with what replaced it.
    assert!(releases.check_on("M54.50", true, day("2026-09-30")).is_ok());
    match releases.check_on("M54.50", true, day("2026-10-01")) {
        Err(DiagnosisProblem::Deleted {
            code,
            version,
            effective,
            choices,
            ..
        }) => {
            assert_eq!((code.as_str(), version.as_str()), ("M54.50", "2027"));
            assert_eq!(effective, day("2026-10-01"));
            assert!(
                choices.starts_with("M54.51 (Vertebrogenic low back pain), M54.52"),
                "{choices}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A new code is valid only from its release.
    assert!(releases.check_on("M54.52", true, day("2026-10-02")).is_ok());
    assert!(matches!(
        releases.check_on("M54.52", true, day("2026-09-02")),
        Err(DiagnosisProblem::Unknown { .. })
    ));
    // Headings stay headings; codes never seen stay unknown.
    assert!(matches!(
        releases.check_on("M54.5", true, day("2026-10-02")),
        Err(DiagnosisProblem::Header { .. })
    ));
    assert!(matches!(
        releases.check_on("Q99.99", false, day("2026-10-02")),
        Err(DiagnosisProblem::Unknown { .. })
    ));
}

#[test]
fn a_release_effective_the_same_day_replaces_the_one_held() {
    let again = CodeSet::read(include_bytes!("fixtures/made-up-2027.xml")).expect("reads");
    let releases = Releases::new(vec![
        Release {
            effective: day("2026-10-01"),
            codes: Arc::new(CodeSet::read(include_bytes!("fixtures/made-up-2027.xml")).expect("reads")),
        },
        Release {
            effective: day("2026-10-01"),
            codes: Arc::new(again),
        },
    ]);
    assert_eq!(releases.all().len(), 2);
}

#[test]
fn a_file_that_is_not_the_tabular_list_is_refused() {
    assert!(CodeSet::read(b"<ICD10CM.index><version>2027</version></ICD10CM.index>").is_err());
    assert!(CodeSet::read(&[0x1f, 0x8b, 0, 1, 2]).is_err());
    assert!(CodeSet::read(&[0xff, 0xfe, 0x00]).is_err());
}

//! Test support (feature `test-support`): [`pyx12`] checks an X12 file with pyx12, an
//! independent implementation of the 005010 implementation guides, through
//! `tests/x12/validate.py` (`STRIDE_X12_PYTHON` names a Python with pyx12 installed;
//! `tests/run` makes one in `target/pyx12`); [`remittance`] writes the 835 a payer would
//! send for claims Stride sent.

use crate::x12::claim837::Adjustment;
use crate::x12::remit835::{RemitClaim, RemitEnvelope, RemitLine, Remittance, write_835};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The folder X12 files checked by tests are kept in (`target/x12-artifacts`), so a
/// failure can be read after the run.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/x12-artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Saves `text` as `name` and validates it: `Ok` when pyx12 finds no error, else its
/// report. Panics when pyx12 cannot be run, so a missing validator never passes.
#[allow(clippy::disallowed_methods)] // test support: reads its setting from the environment
pub fn pyx12(name: &str, text: &str) -> Result<(), String> {
    let path = artifacts().join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot save {}: {e}", path.display()))?;
    let python = std::env::var("STRIDE_X12_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/x12/validate.py");
    let out = std::process::Command::new(&python)
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): set STRIDE_X12_PYTHON to a Python with pyx12"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !report.contains("No module named"),
        "pyx12 is not installed for {python}: run tests/run, or pip install pyx12 and set STRIDE_X12_PYTHON\n{report}"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{name} ({}):\n{report}", path.display()))
    }
}

/// A claim as it was sent, for a test payer to settle.
#[derive(Debug, Clone)]
pub struct SentClaim {
    /// CLM01.
    pub control_number: String,
    /// Total charge.
    pub charge_cents: i64,
    /// Lines.
    pub lines: Vec<SentLine>,
}

/// A line as it was sent.
#[derive(Debug, Clone)]
pub struct SentLine {
    /// Code.
    pub code: String,
    /// Modifiers.
    pub modifiers: Vec<String>,
    /// Charge.
    pub charge_cents: i64,
    /// Units.
    pub units: u32,
    /// Date of service.
    pub date: NaiveDate,
}

/// How a test payer settles one line: paid, adjustments, remark codes.
pub type LineDecision = (i64, Vec<Adjustment>, Vec<String>);

/// An adjustment.
pub fn adjustment(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment {
        group: group.into(),
        reason: reason.into(),
        cents,
    }
}

/// The 835 a payer would send for `claims`, each line settled as `decide(claim, line)`
/// says; a claim with nothing paid on any line is denied (CLP02 4).
pub fn remittance(claims: &[SentClaim], paid_on: NaiveDate, decide: impl Fn(usize, usize) -> LineDecision) -> String {
    let claims: Vec<RemitClaim> = claims
        .iter()
        .enumerate()
        .map(|(c, claim)| {
            let lines: Vec<RemitLine> = claim
                .lines
                .iter()
                .enumerate()
                .map(|(l, line)| {
                    let (paid, adjustments, remarks) = decide(c, l);
                    RemitLine {
                        code: line.code.clone(),
                        modifiers: line.modifiers.clone(),
                        charge_cents: line.charge_cents,
                        paid_cents: paid,
                        units: line.units,
                        date: Some(line.date),
                        allowed_cents: None,
                        adjustments,
                        remarks,
                    }
                })
                .collect();
            let paid: i64 = lines.iter().map(|l| l.paid_cents).sum();
            RemitClaim {
                control_number: claim.control_number.clone(),
                status_code: if paid == 0 && lines.iter().all(RemitLine::denied) {
                    "4"
                } else {
                    "1"
                }
                .into(),
                charge_cents: claim.charge_cents,
                paid_cents: paid,
                patient_resp_cents: lines.iter().map(RemitLine::patient_resp_cents).sum(),
                payer_claim_number: format!("PCN{c:05}"),
                adjustments: Vec::new(),
                remarks: Vec::new(),
                lines,
            }
        })
        .collect();
    let remit = Remittance {
        payer_name: "TEST PAYER".into(),
        payer_id: "00952".into(),
        payee_npi: "1234567893".into(),
        trace_number: format!(
            "EFT{}",
            claims.first().map(|c| c.control_number.as_str()).unwrap_or("0")
        ),
        paid_on: Some(paid_on),
        total_paid_cents: claims.iter().map(|c| c.paid_cents).sum(),
        provider_adjustment_cents: 0,
        claims,
    };
    let envelope = RemitEnvelope {
        sender_id: "PAYER".into(),
        receiver_id: "STRIDE".into(),
        control_number: 1,
        created: paid_on.and_hms_opt(6, 0, 0).unwrap_or_default(),
    };
    write_835(&envelope, &remit)
}

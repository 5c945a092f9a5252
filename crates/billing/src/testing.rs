//! Test support (feature `test-support`): two readers of X12 written by others, so
//! Stride's files are checked by more than Stride.
//!
//! - [`pyx12`] validates a file against the 005010 implementation guides, through
//!   `tests/x12/validate.py`. `STRIDE_X12_PYTHON` names a Python with pyx12 installed
//!   (`tests/run` makes one in `target/pyx12`).
//! - [`second_reader`] parses a file into linuxforhealth-x12's models and returns their
//!   money totals, through `tests/x12/second_reader.py`, for a test to compare with
//!   Stride's own. `STRIDE_X12_SECOND_PYTHON` names a Python with it installed
//!   (`tests/run` makes one in `target/lfh`).
//! - [`both_readers`] runs both and checks what the second reads against the file itself:
//!   each 837P claim's charge is the sum of its lines; each 835 payment's totals are those
//!   Stride's own reader finds.

use std::path::{Path, PathBuf};

/// The folder X12 files checked by tests are kept in (`target/x12-artifacts`), so a
/// failure can be read after the run.
pub fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/x12-artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// An independent X12 reader: a Python script of `tests/x12/` run by the Python the
/// environment variable names.
struct Reader {
    /// The script in `tests/x12/`.
    script: &'static str,
    /// The environment variable naming its Python.
    python_variable: &'static str,
    /// The Python package it needs, for the message when it is missing.
    package: &'static str,
}

/// What a reader printed, and whether it succeeded.
struct Answer {
    stdout: String,
    stderr: String,
    success: bool,
    /// Where the file was saved.
    path: PathBuf,
}

impl Reader {
    /// Saves `text` as `name` and runs the reader over it. Panics when the reader cannot
    /// be run or its package is missing, so a missing reader never passes.
    #[allow(clippy::disallowed_methods)] // test support: reads its setting from the environment
    fn read(&self, name: &str, text: &str) -> Result<Answer, String> {
        let path = artifacts().join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot save {}: {e}", path.display()))?;
        let python = std::env::var(self.python_variable).unwrap_or_else(|_| "python3".into());
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/x12")
            .join(self.script);
        let (variable, package) = (self.python_variable, self.package);
        let out = std::process::Command::new(&python)
            .arg(&script)
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {python} ({e}): set {variable} to a Python with {package}"));
        let answer = Answer {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            success: out.status.success(),
            path,
        };
        assert!(
            !answer.stdout.contains("No module named") && !answer.stderr.contains("No module named"),
            "{package} is not installed for {python}: run tests/run, or set {variable}\n{}",
            answer.stderr
        );
        Ok(answer)
    }
}

const PYX12: Reader = Reader {
    script: "validate.py",
    python_variable: "STRIDE_X12_PYTHON",
    package: "pyx12",
};

const LINUXFORHEALTH: Reader = Reader {
    script: "second_reader.py",
    python_variable: "STRIDE_X12_SECOND_PYTHON",
    package: "linuxforhealth-x12",
};

/// Saves `text` as `name` and validates it: `Ok` when pyx12 finds no error, else its
/// report. Panics when pyx12 cannot be run, so a missing validator never passes.
pub fn pyx12(name: &str, text: &str) -> Result<(), String> {
    let answer = PYX12.read(name, text)?;
    if answer.success {
        Ok(())
    } else {
        Err(format!(
            "{name} ({}):\n{}{}",
            answer.path.display(),
            answer.stdout,
            answer.stderr
        ))
    }
}

/// Saves `text` as `name` and reads it with linuxforhealth-x12: its totals as JSON (see
/// `tests/x12/second_reader.py` for their shape), or why it could not read the file.
/// Panics when the reader cannot be run, so a missing reader never passes.
pub fn second_reader(name: &str, text: &str) -> Result<serde_json::Value, String> {
    let answer = LINUXFORHEALTH.read(name, text)?;
    if !answer.success {
        return Err(format!("{name} ({}):\n{}", answer.path.display(), answer.stderr));
    }
    serde_json::from_str(&answer.stdout).map_err(|e| format!("{name}: the reader's output is not JSON: {e}"))
}

/// Checks `text` with both readers: pyx12 finds no error, and linuxforhealth-x12 reads it
/// to the same totals: for an 837P, each claim's charge equals its lines' charges; for an
/// 835, each payment's total, each claim's charge and payment, and the provider
/// adjustments equal what Stride's reader (`parse_835`) finds.
pub fn both_readers(name: &str, text: &str) -> Result<(), String> {
    pyx12(name, text)?;
    let totals = second_reader(name, text)?;
    let cents = |v: &serde_json::Value| v.as_i64().unwrap_or(i64::MIN);
    if let Some(claims) = totals["claims"].as_array() {
        for c in claims {
            if cents(&c["charge_cents"]) != cents(&c["line_charge_cents"]) {
                return Err(format!(
                    "{name}: claim {} does not add up as the second reader reads it: {c}",
                    c["control_number"]
                ));
            }
        }
        return Ok(());
    }
    let payments = totals["payments"]
        .as_array()
        .ok_or_else(|| format!("{name}: neither claims nor payments: {totals}"))?;
    let ours = crate::x12::remit835::parse_835(text.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
    if payments.len() != ours.len() {
        return Err(format!(
            "{name}: {} payments read, Stride reads {}",
            payments.len(),
            ours.len()
        ));
    }
    for (theirs, ours) in payments.iter().zip(&ours) {
        let claims = theirs["claims"].as_array().map(Vec::as_slice).unwrap_or_default();
        let agree = cents(&theirs["paid_cents"]) == ours.total_paid_cents
            && cents(&theirs["provider_adjustment_cents"]) == ours.provider_adjustment_cents()
            && claims.len() == ours.claims.len()
            && claims
                .iter()
                .zip(&ours.claims)
                .all(|(t, o)| cents(&t["charge_cents"]) == o.charge_cents && cents(&t["paid_cents"]) == o.paid_cents);
        if !agree {
            return Err(format!(
                "{name}: payment {} reads differently: {theirs}",
                ours.trace_number
            ));
        }
    }
    Ok(())
}

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

/// Saves `text` as `name` and reads it with linuxforhealth-x12: its totals as JSON (see
/// `tests/x12/second_reader.py` for their shape), or why it could not read the file.
/// Panics when the reader cannot be run, so a missing reader never passes.
#[allow(clippy::disallowed_methods)] // test support: reads its setting from the environment
pub fn second_reader(name: &str, text: &str) -> Result<serde_json::Value, String> {
    let path = artifacts().join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot save {}: {e}", path.display()))?;
    let python = std::env::var("STRIDE_X12_SECOND_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/x12/second_reader.py");
    let out = std::process::Command::new(&python)
        .arg(&script)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}): set STRIDE_X12_SECOND_PYTHON to a Python with linuxforhealth-x12")
        });
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(
        !errors.contains("No module named"),
        "linuxforhealth-x12 is not installed for {python}: run tests/run, or set STRIDE_X12_SECOND_PYTHON\n{errors}"
    );
    if !out.status.success() {
        return Err(format!("{name} ({}):\n{errors}", path.display()));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("{name}: the reader's output is not JSON: {e}"))
}

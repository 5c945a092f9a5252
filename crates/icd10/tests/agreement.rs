//! Stride's reading of the shipped ICD-10-CM release agrees with simple-icd-10-cm (PyPI),
//! an independent reader of the same CMS file, on every code: the same codes exist, and
//! the same ones are billable (issue 14). `tests/run` installs it; elsewhere set
//! `STRIDE_ICD10_PYTHON` to a Python that has it.

use std::path::Path;
use stride_icd10::CodeSet;

#[test]
fn every_code_agrees_with_simple_icd_10_cm() {
    let set = CodeSet::builtin();
    let listing: String = set
        .iter()
        .map(|c| format!("{}\t{}\n", c.code, u8::from(c.billable)))
        .collect();
    let dir = std::env::temp_dir().join(format!("stride-icd10-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("codes.tsv");
    std::fs::write(&file, listing).expect("write the listing");
    let python = std::env::var("STRIDE_ICD10_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/icd10/agree.py");
    let out = std::process::Command::new(&python)
        .arg(&script)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): set STRIDE_ICD10_PYTHON"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        !report.contains("No module named"),
        "simple-icd-10-cm is not installed for {python}: run tests/run, or pip install simple-icd-10-cm==1.5.0 and set STRIDE_ICD10_PYTHON\n{report}"
    );
    assert!(out.status.success(), "{report}");
    assert!(report.contains(" 0 disagreements"), "{report}");
}

//! `stride code`: the JSON contract on stdin and stdout, and its errors.

use crate::stride;

#[test]
fn code_prints_the_contract_json() {
    let out = stride(
        &["code"],
        br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 33, "pta_minutes": 0}, {"code": "97140", "minutes": 7, "pta_minutes": 0}]}"#,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["timed_minutes"], 40);
    assert_eq!(json["timed_units"], 3);
    assert_eq!(json["lines"][0]["code"], "97110");
    assert_eq!(json["lines"][0]["units"], 2);
    assert_eq!(json["lines"][0]["modifiers"], serde_json::json!(["GP"]));
    assert_eq!(json["lines"][1]["code"], "97140");
    assert_eq!(json["lines"][1]["units"], 1);
    assert!(json["warnings"].is_array());
}

#[test]
fn code_explain_prints_a_table() {
    let out = stride(
        &["code", "--explain"],
        br#"{"date": "2026-03-02", "method": "ama", "services": [{"code": "97110", "minutes": 33}]}"#,
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("97110") && text.contains("UNITS"), "{text}");
}

#[test]
fn code_refuses_bad_input_in_one_line() {
    let cases: [(&[u8], &str); 8] = [
        (b"not json", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "12345", "minutes": 10}]}"#, "12345"),
        (br#"{"date": "2026-03-02", "method": "rvu", "services": []}"#, "rvu"),
        (br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 1441}]}"#, "1441"),
        (br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": -3}]}"#, "-3"),
        (br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 10, "pta_minutes": 20}]}"#, "pta_minutes"),
        (b"\xff\xfe{}", "UTF-8"),
    ];
    for (input, expected) in cases {
        let out = stride(&["code"], input);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{expected}: should fail");
        assert!(out.stdout.is_empty(), "{expected}: nothing on stdout");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{expected}: one line: {stderr:?}");
        assert!(stderr.contains(expected), "{expected}: {stderr:?}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn code_help_documents_the_format() {
    let out = stride(&["code", "--help"], b"");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["pta_minutes", "\"method\"", "timed_units", "warnings"] {
        assert!(text.contains(needle), "help mentions {needle}");
    }
}

#[test]
fn code_imports_cms_rule_files() {
    let dir = std::env::temp_dir().join(format!("stride-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ptp = dir.join("ccipra-v322r0-f1.TXT");
    std::fs::write(
        &ptp,
        b"Copyright\r\nColumn1/Column2 Edits\r\n97110\t97112\t\t20200101\t*\t0\tMutually exclusive procedures\r\n",
    )
    .expect("write");
    let mue = dir.join("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv");
    std::fs::write(
        &mue,
        b"\"notice\nmore\",,,\n\"HCPCS/\nCPT Code\",\"v\",\"i\",\"r\"\n97110,1,\"2 Date of Service Edit: Policy\",x\n",
    )
    .expect("write");
    let visit = br#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 30}, {"code": "97112", "minutes": 15}]}"#;
    let out = stride(
        &[
            "code",
            "--ptp",
            ptp.to_str().expect("utf8"),
            "--mue",
            mue.to_str().expect("utf8"),
        ],
        visit,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // Both imported tables took effect: the indicator-0 pair leaves 97112 off the bill,
    // and the policy MUE caps 97110 at one unit.
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["ncci-bundled", "mue-capped"], "{json}");
    let out = stride(
        &["code", "--mue", dir.join("missing.csv").to_str().expect("utf8")],
        visit,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.csv"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn diagnosis_codes_are_found_by_code_or_words() {
    let out = stride(&["codes", "search", "low back pain", "--json", "--limit", "3"], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(rows[0]["code"], "M54.50");
    assert_eq!(rows[0]["billable"], true);
    let out = stride(&["codes", "search", "M54.5"], b"");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().last().is_some_and(|l| l.contains("heading")), "{text}");
}

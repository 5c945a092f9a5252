//! The JSON contract: what `stride code` accepts and refuses.

use stride_coding::RuleSet;
use stride_coding::request::code_json;

fn ok(json: &str) -> serde_json::Value {
    let rules = RuleSet::builtin().expect("rules");
    serde_json::to_value(code_json(json, &rules).expect("valid request")).expect("serializes")
}

fn err(json: &str) -> String {
    let rules = RuleSet::builtin().expect("rules");
    code_json(json, &rules).expect_err("invalid request").to_string()
}

#[test]
fn the_documented_example() {
    let out = ok(
        r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 33, "pta_minutes": 0}, {"code": "97140", "minutes": 7}]}"#,
    );
    assert_eq!(out["timed_minutes"], 40);
    assert_eq!(out["timed_units"], 3);
    assert_eq!(out["lines"][0]["code"], "97110");
    assert_eq!(out["lines"][0]["units"], 2);
    assert_eq!(out["lines"][0]["modifiers"], serde_json::json!(["GP"]));
    assert!(out["lines"][0]["explanation"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(out["lines"][1]["units"], 1);
    assert!(out["warnings"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn optional_fields() {
    let out = ok(r#"{"date": "2026-03-02", "method": "ama",
        "services": [{"code": " g0283 ", "minutes": 15}, {"code": "97530", "minutes": 23}, {"code": "97140", "minutes": 23}],
        "payer": {"medicare": true, "kx": true, "distinct_modifier": "XU"},
        "ytd_allowed_cents": 300000, "fees": {"97530": 3500, "97140": 3000, "G0283": 1200},
        "distinct_intervals": [["97530", "97140"]], "total_treatment_minutes": 61, "tie_break": []}"#);
    assert_eq!(out["lines"][0]["code"], "G0283");
    assert_eq!(out["lines"][2]["modifiers"], serde_json::json!(["GP", "KX", "XU"]));
    assert_eq!(out["lines"][1]["allowed_cents"], 7000);
    assert_eq!(out["total_units"], 5);
}

#[test]
fn bad_input_names_the_problem() {
    let cases = [
        ("{", "not valid JSON"),
        ("[1, 2]", "not an array"),
        ("42", "not a number"),
        (r#"{"method": "cms", "services": []}"#, "missing field `date`"),
        (
            r#"{"date": "2026-02-30", "method": "cms", "services": []}"#,
            "2026-02-30",
        ),
        (
            r#"{"date": "2026-03-02", "method": "medicaid", "services": []}"#,
            "method \"medicaid\" is unknown",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "99999", "minutes": 10}]}"#,
            "code \"99999\"",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 1441}]}"#,
            "services[0]: minutes is 1441",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": -1}]}"#,
            "minutes is -1",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 10, "pta_minutes": 11}]}"#,
            "pta_minutes is 11",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": "10"}]}"#,
            "services[0].minutes",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 10.5}]}"#,
            "services[0].minutes",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [], "colour": 1}"#,
            "unknown field `colour`",
        ),
        (
            r#"{"date": "2016-03-02", "method": "cms", "services": [{"code": "97161", "minutes": 10}]}"#,
            "not valid on 2016-03-02",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [{"code": "97110", "minutes": 900}, {"code": "97110", "minutes": 900}]}"#,
            "1800 minutes",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [], "fees": {"97110": -5}}"#,
            "fees.97110 must not be negative",
        ),
        (
            r#"{"date": "2026-03-02", "method": "cms", "services": [], "total_treatment_minutes": 2000}"#,
            "total_treatment_minutes is 2000",
        ),
    ];
    for (json, expected) in cases {
        let message = err(json);
        assert!(
            message.contains(expected),
            "{json}: {message:?} should contain {expected:?}"
        );
        assert!(!message.contains('\n'), "one line: {message:?}");
    }
}

#[test]
fn empty_visit_codes_to_nothing() {
    let out = ok(r#"{"date": "2026-03-02", "method": "cms", "services": []}"#);
    assert_eq!(out["lines"], serde_json::json!([]));
    assert_eq!(out["timed_units"], 0);
}

//! The chart commands end to end: a clinic set up, a visit documented and signed, and
//! bad input refused in one line with nothing written.

use crate::stride_env;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A chart file in a temporary folder and the environment that opens it as the owner.
struct Clinic {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Clinic {
    fn new() -> Clinic {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("clinic.stride");
        let c = Clinic { dir, db };
        let out = c.run(&["init", "--clinic", "Riverside PT", "--user", "maria", "--role", "pt"]);
        assert_eq!(id_of(&out).len(), 36);
        c
    }

    fn env(&self) -> Vec<(&str, &str)> {
        vec![
            ("STRIDE_DB", self.db.to_str().expect("utf8")),
            ("STRIDE_PASSPHRASE", "clinic passphrase"),
            ("STRIDE_USER", "maria"),
            ("STRIDE_PASSWORD", "owner-password"),
            ("STRIDE_BACKUP_PASSPHRASE", "backup passphrase"),
        ]
    }

    fn run(&self, args: &[&str]) -> Output {
        stride_env(args, b"", &self.env())
    }

    fn run_as(&self, user: &str, args: &[&str]) -> Output {
        let mut env = self.env();
        env.retain(|(k, _)| *k != "STRIDE_USER");
        env.push(("STRIDE_USER", user));
        stride_env(args, b"", &env)
    }

    /// Runs a command that must succeed and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Runs a command that must fail with one line on stderr; returns the line.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: one line: {stderr:?}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// Starts a daily note; returns its id.
    fn draft(&self, episode: &str, date: &str) -> String {
        self.ok(&[
            "note",
            "create",
            "--episode",
            episode,
            "--kind",
            "daily",
            "--date",
            date,
        ])
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.ok(&args)).expect("JSON")
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn id_of(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A payer, patient and episode; returns the episode id.
fn episode(c: &Clinic) -> (String, String) {
    let payer = c.ok(&["payer", "add", "--name", "Medicare Part B", "--method", "cms"]);
    let patient = c.ok(&[
        "patient",
        "add",
        "--first",
        "Zebulon",
        "--last",
        "Quixote",
        "--dob",
        "1951-07-04",
    ]);
    let episode = c.ok(&[
        "episode",
        "add",
        "--patient",
        &patient,
        "--payer",
        &payer,
        "--dx",
        "M54.50",
    ]);
    (patient, episode)
}

#[test]
fn a_visit_documented_signed_and_shown() {
    let c = Clinic::new();
    let (patient, episode) = episode(&c);
    let note = c.draft(&episode, "2026-03-02");
    c.ok(&[
        "note",
        "edit",
        &note,
        "--subjective",
        "Pain 4/10",
        "--plan",
        "Continue",
        "--total-minutes",
        "47",
    ]);
    c.ok(&["note", "service", &note, "--code", "97112", "--minutes", "24"]);
    c.ok(&[
        "note",
        "service",
        &note,
        "--code",
        "97110",
        "--minutes",
        "23",
        "--pta-minutes",
        "0",
    ]);
    let hash = c.ok(&["note", "sign", &note]);
    assert_eq!(hash.len(), 64);
    let addendum = c.ok(&["note", "addendum", &note, "--text", "Patient called: better."]);
    let shown = c.json(&["note", "show", &note]);
    assert_eq!(shown["status"], "signed");
    assert_eq!(shown["subjective"], "Pain 4/10");
    assert_eq!(shown["content_hash"], hash.as_str());
    assert_eq!(shown["hash_verified"], true);
    assert_eq!(shown["services"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["charge_lines"][0]["code"], "97112");
    assert_eq!(shown["charge_lines"][0]["units"], 2);
    assert_eq!(shown["charge_lines"][1]["units"], 1);
    assert_eq!(shown["addenda"][0]["id"], addendum.as_str());
    let found = c.json(&["patient", "search", "quix"]);
    assert_eq!(found[0]["id"], patient.as_str());
    assert_eq!(c.json(&["patient", "list"]).as_array().map(Vec::len), Some(1));
    assert!(c.ok(&["audit", "verify"]).contains("chain intact"));
    let alerts = c.json(&["alerts"]);
    assert!(
        alerts
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["kind"] == "no_plan"))
    );
}

#[test]
fn an_ncci_pair_marked_distinct_from_the_command_line() {
    // MLN1783722: an indicator-1 pair bills with 59 when the services were done in separate
    // intervals; the clinician says so with `note distinct`.
    let c = Clinic::new();
    let (_, episode) = episode(&c);
    let note = c.draft(&episode, "2026-03-02");
    c.ok(&["note", "service", &note, "--code", "97530", "--minutes", "23"]);
    c.ok(&["note", "service", &note, "--code", "97140", "--minutes", "23"]);
    let err = c.fails(&["note", "distinct", &note, "--pair", "97530"]);
    assert!(err.contains("pair"), "{err}");
    c.ok(&["note", "distinct", &note, "--pair", "97530", "97140"]);
    c.ok(&["note", "sign", &note]);
    let shown = c.json(&["note", "show", &note]);
    let line = shown["charge_lines"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["code"] == "97140")
        .cloned()
        .expect("the 97140 line");
    assert_eq!(line["modifiers"], serde_json::json!(["GP", "59"]));
    assert_eq!(shown["distinct_pairs"], serde_json::json!([["97530", "97140"]]));
}

#[test]
fn a_pta_documents_and_a_pt_cosigns() {
    let c = Clinic::new();
    let (_, episode) = episode(&c);
    let out = stride_env(
        &["user", "add", "--name", "pat", "--role", "pta"],
        b"",
        &[c.env(), vec![("STRIDE_NEW_PASSWORD", "pta-password")]].concat(),
    );
    assert_eq!(id_of(&out).len(), 36);
    let pta_env = |args: &[&str]| {
        let mut env = c.env();
        env.retain(|(k, _)| *k != "STRIDE_USER" && *k != "STRIDE_PASSWORD");
        env.extend([("STRIDE_USER", "pat"), ("STRIDE_PASSWORD", "pta-password")]);
        stride_env(args, b"", &env)
    };
    let note = id_of(&pta_env(&[
        "note",
        "create",
        "--episode",
        &episode,
        "--kind",
        "daily",
        "--date",
        "2026-03-02",
    ]));
    id_of(&pta_env(&[
        "note",
        "service",
        &note,
        "--code",
        "97110",
        "--minutes",
        "30",
    ]));
    id_of(&pta_env(&["note", "sign", &note]));
    assert_eq!(c.json(&["note", "show", &note])["status"], "awaiting_cosign");
    assert!(!pta_env(&["note", "cosign", &note]).status.success());
    c.ok(&["note", "cosign", &note]);
    let shown = c.json(&["note", "show", &note]);
    assert_eq!(shown["status"], "cosigned");
    assert_eq!(shown["charge_lines"][0]["modifiers"], serde_json::json!(["GP", "CQ"]));
    // The PTA's password is their own, not the owner's.
    let as_pta = c.run_as("pat", &["patient", "list"]);
    assert!(
        !as_pta.status.success(),
        "the owner's password does not sign the PTA in"
    );
    assert!(String::from_utf8_lossy(&as_pta.stderr).contains("user name or password is wrong"));
}

#[test]
fn bad_input_is_one_line_and_writes_nothing() {
    let c = Clinic::new();
    let (_, episode) = episode(&c);
    let note = c.draft(&episode, "2026-03-02");
    let before = c.json(&["note", "show", &note]);
    let audit_before = c.ok(&["audit", "verify"]);
    for args in [
        vec!["note", "service", &note, "--code", "99999", "--minutes", "10"],
        vec!["note", "service", &note, "--code", "97110", "--minutes", "2000"],
        vec![
            "note",
            "service",
            &note,
            "--code",
            "97110",
            "--minutes",
            "10",
            "--pta-minutes",
            "11",
        ],
        vec!["note", "service", &note, "--code", "97110", "--minutes", "-5"],
        vec![
            "note",
            "create",
            "--episode",
            &episode,
            "--kind",
            "weekly",
            "--date",
            "2026-03-02",
        ],
        vec![
            "note",
            "create",
            "--episode",
            &episode,
            "--kind",
            "daily",
            "--date",
            "2026-02-30",
        ],
        vec![
            "note",
            "create",
            "--episode",
            "nope",
            "--kind",
            "daily",
            "--date",
            "2026-03-02",
        ],
        vec!["note", "sign", "no-such-note"],
        vec!["note", "addendum", &note, "--text", "too early"],
        vec!["patient", "add", "--first", "A", "--last", "B", "--dob", "tomorrow"],
        vec!["patient", "add", "--first", "A"],
        vec!["episode", "add", "--patient", "x", "--payer", "y", "--dx", "M54.50"],
        vec!["payer", "add", "--name", "X", "--method", "rvu"],
        vec!["referrer", "add", "--name", "Dr", "--npi", "1234567890"],
        vec!["frobnicate"],
    ] {
        let line = c.fails(&args);
        assert!(line.starts_with("stride: "), "{line}");
    }
    assert_eq!(c.json(&["note", "show", &note])["services"], before["services"]);
    // Only the second `note show` chart open was added to the audit trail.
    let count = |s: &str| s.split_whitespace().find_map(|w| w.parse::<u32>().ok()).unwrap_or(0);
    assert_eq!(count(&c.ok(&["audit", "verify"])), count(&audit_before) + 1);
}

#[test]
fn wrong_credentials_and_missing_settings() {
    let c = Clinic::new();
    let wrong_key = stride_env(
        &["patient", "list"],
        b"",
        &[
            ("STRIDE_DB", c.db.to_str().expect("utf8")),
            ("STRIDE_PASSPHRASE", "nope"),
            ("STRIDE_USER", "maria"),
            ("STRIDE_PASSWORD", "owner-password"),
        ],
    );
    assert!(String::from_utf8_lossy(&wrong_key.stderr).contains("does not open this chart"));
    let wrong_password = c.run_as("maria", &["patient", "list", "--user", "nobody"]);
    assert!(String::from_utf8_lossy(&wrong_password.stderr).contains("user name or password is wrong"));
    let no_db = stride_env(&["patient", "list"], b"", &[]);
    assert!(String::from_utf8_lossy(&no_db.stderr).contains("--db"));
    let again = c.run(&["init", "--clinic", "Again", "--user", "maria"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn backup_verify_and_restore() {
    let c = Clinic::new();
    let (patient, _) = episode(&c);
    let dir = c.path().join("backups");
    let file = c.ok(&["backup", "--to", dir.to_str().expect("utf8")]);
    assert!(c.ok(&["backup", "verify", &file]).contains("backup verified"));
    let target = c.path().join("restored.stride");
    let mut env = c.env();
    env.retain(|(k, _)| *k != "STRIDE_DB");
    env.push(("STRIDE_DB", target.to_str().expect("utf8")));
    let out = stride_env(&["restore", "--from", &file], b"", &env);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown = stride_env(&["patient", "show", &patient], b"", &env);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Quixote"));
    let refused = stride_env(&["restore", "--from", &file], b"", &env);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
}

#[test]
fn outcome_measures_from_the_command_line() {
    let c = Clinic::new();
    let (_, episode) = episode(&c);
    let first = ["2"; 20].join(",");
    let later = ["2", "3"].repeat(10).join(",");
    c.ok(&[
        "measure",
        "record",
        "--episode",
        &episode,
        "--measure",
        "lefs",
        "--date",
        "2026-03-02",
        "--answers",
        &first,
    ]);
    c.ok(&[
        "measure",
        "record",
        "--episode",
        &episode,
        "--measure",
        "lefs",
        "--date",
        "2026-03-16",
        "--answers",
        &later,
    ]);
    let history = c.json(&["measure", "history", "--episode", &episode, "--measure", "lefs"]);
    assert_eq!(history[1]["display"], "50.0");
    assert!(
        history[1]["since_first"]["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("MCID"))
    );
    c.ok(&[
        "measure", "record", "--episode", &episode, "--measure", "psfs", "--date", "2026-03-02", "--answers-json",
        r#"{"activities": [{"id": "stairs", "text": "Stairs at home", "rating": 3}, {"id": "walk", "text": "Walk dog", "rating": 5}, {"id": "lift", "text": "Lift grandchild", "rating": 7}]}"#,
    ]);
    assert_eq!(
        c.json(&["measure", "history", "--episode", &episode, "--measure", "psfs"])[0]["display"],
        "5.0"
    );
    for bad in ["4,x", "9,9"] {
        let args = [
            "measure",
            "record",
            "--episode",
            &episode,
            "--measure",
            "lefs",
            "--date",
            "2026-03-02",
            "--answers",
            bad,
        ];
        c.fails(&args);
    }
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let c = Clinic::new();
    episode(&c);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stride"))
        .args(["patient", "list"])
        .envs(c.env())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("stride starts");
    // The reader goes away before stride writes (like `stride patient list | head -0`).
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("stride finishes");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn demo_data_never_goes_into_an_existing_chart() {
    let c = Clinic::new();
    let line = c.fails(&["demo", "seed", "--patients", "1"]);
    assert!(line.contains("already exists"), "{line}");
}

#[test]
fn a_new_icd10cm_release_is_imported_and_listed() {
    let c = Clinic::new();
    let made_up = concat!(env!("CARGO_MANIFEST_DIR"), "/../icd10/tests/fixtures/made-up-2027.xml");
    let said = c.ok(&["codes", "import-icd10cm", made_up]);
    assert!(
        said.contains("ICD-10-CM 2027 imported") && said.contains("from 2026-10-01"),
        "{said}"
    );
    let listed = c.ok(&["codes", "releases"]);
    assert!(listed.contains("2026") && listed.contains("(shipped)"), "{listed}");
    assert!(
        listed.contains("2027") && listed.contains("through 2027-09-30  (imported)"),
        "{listed}"
    );
    // Search offers the newest release's codes when a chart is given.
    let found = c.ok(&["codes", "search", "axial low back"]);
    assert!(found.starts_with("M54.52"), "{found}");
    let refused = c.fails(&["codes", "import-icd10cm", "/nonexistent/icd10cm.xml"]);
    assert!(refused.contains("cannot read"), "{refused}");
}

#[test]
fn a_recurring_series_and_the_clinic_s_quick_text_from_the_command_line() {
    let c = Clinic::new();
    let users = c.ok(&["user", "list"]);
    let maria = users.split('\t').next().expect("maria's id").to_owned();
    let (patient, episode) = episode(&c);
    let series = |extra: &[&str]| {
        let mut args = vec![
            "appointment",
            "series",
            "--patient",
            &patient,
            "--episode",
            &episode,
            "--therapist",
            &maria,
            "--first",
            "2026-12-07T09:00",
            "--days",
            "mon,thu",
            "--weeks",
            "6",
        ];
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |args: Vec<String>| c.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let planned: serde_json::Value = serde_json::from_str(&run(series(&["--plan"]))).expect("plan");
    assert_eq!(planned.as_array().expect("visits").len(), 12);
    let booked: serde_json::Value = serde_json::from_str(&run(series(&[]))).expect("booked");
    assert_eq!(booked["booked"].as_array().expect("booked").len(), 12);
    // The same series again clashes with every visit: refused in one line, nothing booked.
    let again: Vec<String> = series(&[]);
    let refused = c.fails(&again.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(refused.contains("12 of the 12 visits clash"), "{refused}");

    let first = booked["booked"][0]["id"].as_str().expect("id").to_owned();
    let moved: serde_json::Value =
        serde_json::from_str(&c.ok(&["appointment", "move", &first, "--at", "2026-12-07T10:30"])).expect("moved");
    assert_eq!(moved["starts_at"], "2026-12-07T10:30");
    let series_id = booked["series_id"].as_str().expect("series").to_owned();
    assert_eq!(
        c.ok(&["appointment", "cancel-series", &series_id, "--from", "2026-12-14T00:00"]),
        "10"
    );
    let week: serde_json::Value =
        serde_json::from_str(&c.ok(&["appointment", "list", "--day", "2026-12-07", "--days", "7"])).expect("week");
    assert_eq!(week.as_array().expect("visits").len(), 2);
    let hours: serde_json::Value = serde_json::from_str(&c.ok(&["appointment", "hours"])).expect("hours");
    assert_eq!(hours["opens_at"], "07:00");
    let set: serde_json::Value = serde_json::from_str(&c.ok(&[
        "appointment",
        "hours",
        "--opens",
        "8:00",
        "--closes",
        "17:30",
        "--days",
        "mon,tue,wed,thu,fri,sat",
    ]))
    .expect("hours set");
    assert_eq!(set["open_days"], serde_json::json!([1, 2, 3, 4, 5, 6]));
    let wrong = c.fails(&[
        "appointment",
        "hours",
        "--opens",
        "17:00",
        "--closes",
        "08:00",
        "--days",
        "mon",
    ]);
    assert!(wrong.contains("close after it opens"), "{wrong}");
    let made: serde_json::Value = serde_json::from_str(&c.ok(&[
        "appointment",
        "closed",
        "--on",
        "2026-12-25",
        "--reason",
        "Christmas Day",
    ]))
    .expect("closed");
    assert_eq!(made["closure"]["reason"], "Christmas Day");
    let closed: serde_json::Value =
        serde_json::from_str(&c.ok(&["appointment", "closed", "--from", "2026-12-01"])).expect("closures");
    assert_eq!(
        closed,
        serde_json::json!([{ "day": "2026-12-25", "reason": "Christmas Day" }])
    );
    let wrong = c.fails(&["appointment", "closed", "--on", "2026-13-01", "--reason", "Nothing"]);
    assert!(wrong.contains("not a date"), "{wrong}");
    c.ok(&["appointment", "closed", "--reopen", "2026-12-25"]);
    assert_eq!(c.ok(&["appointment", "closed", "--from", "2026-12-01"]).trim(), "[]");

    let phrase = c.ok(&[
        "quicktext",
        "add",
        "--shortcut",
        "hep",
        "--text",
        "Reviewed the home program.",
    ]);
    assert_eq!(phrase.len(), 36);
    c.ok(&[
        "quicktext",
        "add",
        "--template",
        "daily",
        "--field",
        "plan",
        "--text",
        "Continue plan of care.",
    ]);
    let listed: serde_json::Value = serde_json::from_str(&c.ok(&["quicktext", "list"])).expect("list");
    assert_eq!(listed[0]["use"], "phrase");
    assert_eq!(listed[0]["shortcut"], "hep");
    assert_eq!(listed[1]["note_kind"], "daily");
    let bad = c.fails(&[
        "quicktext",
        "add",
        "--template",
        "daily",
        "--field",
        "billing",
        "--text",
        "x",
    ]);
    assert!(bad.contains("subjective, objective, assessment or plan"), "{bad}");
    c.ok(&["quicktext", "retire", &phrase]);
    let listed: serde_json::Value = serde_json::from_str(&c.ok(&["quicktext", "list"])).expect("list");
    assert_eq!(listed.as_array().expect("list").len(), 1);
}

#[test]
fn goals_are_assessed_in_a_note_and_read_from_the_command_line() {
    let c = Clinic::new();
    let (_, episode) = episode(&c);
    c.ok(&[
        "plan",
        "add",
        "--episode",
        &episode,
        "--from",
        "2026-03-02",
        "--to",
        "2026-05-29",
        "--per-week",
        "2",
        "--weeks",
        "8",
        "--short-goal",
        "Stairs step over step",
    ]);
    let goals: serde_json::Value =
        serde_json::from_str(&c.ok(&["plan", "goals", "--episode", &episode])).expect("goals");
    assert_eq!(goals["words"], "0 of 1 goal met");
    let goal = goals["goals"][0]["goal_id"].as_str().expect("goal id").to_owned();
    let note = c.ok(&[
        "note",
        "create",
        "--episode",
        &episode,
        "--kind",
        "progress",
        "--date",
        "2026-03-30",
    ]);
    let wrong = c.fails(&["note", "goal", &note, "--goal", &goal, "--status", "done"]);
    assert!(wrong.contains("not a goal status"), "{wrong}");
    c.ok(&[
        "note",
        "goal",
        &note,
        "--goal",
        &goal,
        "--status",
        "met",
        "--comment",
        "12 stairs",
    ]);
    c.ok(&["note", "service", &note, "--code", "97110", "--minutes", "15"]);
    c.ok(&["note", "sign", &note]);
    let goals: serde_json::Value =
        serde_json::from_str(&c.ok(&["plan", "goals", "--episode", &episode])).expect("goals");
    assert_eq!(goals["words"], "1 of 1 goal met");
    assert_eq!(goals["goals"][0]["comment"], "12 stairs");
}

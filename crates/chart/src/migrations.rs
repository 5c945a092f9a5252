//! Schema migrations from `migrations/chart/`, embedded at compile time and applied in
//! order on open, each in its own transaction with the schema version it reaches.

use crate::error::{ChartError, Result};
use rusqlite::Connection;

/// The migrations, oldest first. Never edit a shipped one: add a new file.
const MIGRATIONS: [&str; 20] = [
    include_str!("../../../migrations/chart/0001_initial.sql"),
    include_str!("../../../migrations/chart/0002_search_and_fees.sql"),
    include_str!("../../../migrations/chart/0003_sync.sql"),
    include_str!("../../../migrations/chart/0004_billing.sql"),
    include_str!("../../../migrations/chart/0005_device_credentials.sql"),
    include_str!("../../../migrations/chart/0006_billing_facts.sql"),
    include_str!("../../../migrations/chart/0007_claim_parties.sql"),
    include_str!("../../../migrations/chart/0008_own_billing.sql"),
    include_str!("../../../migrations/chart/0009_icd10_releases.sql"),
    include_str!("../../../migrations/chart/0010_service_diagnoses.sql"),
    include_str!("../../../migrations/chart/0011_patient_safety.sql"),
    include_str!("../../../migrations/chart/0012_schedule_series.sql"),
    include_str!("../../../migrations/chart/0013_quick_text.sql"),
    include_str!("../../../migrations/chart/0014_goal_progress.sql"),
    include_str!("../../../migrations/chart/0015_clinic_hours.sql"),
    include_str!("../../../migrations/chart/0016_clinic_closures.sql"),
    include_str!("../../../migrations/chart/0017_diagnosis_words.sql"),
    include_str!("../../../migrations/chart/0018_day_head_by_note.sql"),
    include_str!("../../../migrations/chart/0019_day_line_date_from_head.sql"),
    include_str!("../../../migrations/chart/0020_diagnosis_words_wanted.sql"),
];

/// The newest schema version this build knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The schema version of an open database.
pub fn version(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("PRAGMA user_version")?
        .query_row([], |r| r.get(0))?)
}

/// Applies every migration newer than the database, up to `target`.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = version(conn)?;
    check_not_too_new(current)?;
    if current >= target {
        return Ok(());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let to = i as i64 + 1;
        if to > target {
            break;
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Read the version inside the write lock: another process may have migrated.
        if version(&tx)? >= to {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
    }
    Ok(())
}

fn check_not_too_new(current: i64) -> Result<()> {
    if current > LATEST {
        return Err(ChartError::TooNew {
            found: current,
            known: LATEST,
        });
    }
    Ok(())
}

/// Applies every migration this build knows.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How SQLite would run `sql` on the newest schema: one line per step.
    fn plan(sql: &str) -> Vec<String> {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        migrate(&mut conn).expect("migrations");
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let nulls = std::iter::repeat_n(rusqlite::types::Null, stmt.parameter_count());
        stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
            .expect("plan rows")
            .collect::<std::result::Result<_, _>>()
            .expect("plan steps")
    }

    #[test]
    fn an_authorizations_use_finds_each_days_head_by_its_note() {
        // Without version 18 this read every head of the chart once per charge line.
        let steps = plan(crate::episodes::AUTHORIZATION_USE);
        assert!(
            steps.iter().any(|s| s.contains("day_head_note")),
            "the heads are found by note: {steps:?}"
        );
        assert!(
            !steps.iter().any(|s| s.starts_with("SCAN h")),
            "no head is read in passing: {steps:?}"
        );
    }

    #[test]
    fn a_patients_therapy_year_seeks_its_dates_in_the_heads_key() {
        // Before version 19 the date came from the note: every day the patient ever had was
        // read to find the year's, twice on each save of a note.
        let steps = plan(crate::compliance::THERAPY_YEAR);
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SEARCH h USING PRIMARY KEY") && s.contains("date_of_service>?")),
            "the heads are sought by patient, payer and date: {steps:?}"
        );
    }

    #[test]
    fn the_codes_wanting_words_follow_the_diagnoses_and_the_words_kept() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        migrate(&mut conn).expect("migrations");
        let wanted = |conn: &Connection| -> Vec<String> {
            conn.prepare("SELECT code FROM diagnosis_words_wanted ORDER BY code")
                .expect("wanted")
                .query_map([], |r| r.get(0))
                .expect("rows")
                .collect::<std::result::Result<_, _>>()
                .expect("codes")
        };
        conn.execute_batch(
            // Diagnoses alone, without their episodes: only the triggers are under test.
            "PRAGMA foreign_keys = OFF;
             INSERT INTO diagnosis_words (code, description) VALUES ('M54.50', 'Low back pain, unspecified');
             INSERT INTO episode_diagnosis (episode_id, position, icd10) VALUES ('e1', 1, 'M54.50'), ('e1', 2, 'M17.11');",
        )
        .expect("diagnoses");
        assert_eq!(wanted(&conn), ["M17.11"], "only the code without words is wanted");
        conn.execute_batch("UPDATE episode_diagnosis SET icd10 = 'S83.511A' WHERE position = 1")
            .expect("a code changed");
        assert_eq!(wanted(&conn), ["M17.11", "S83.511A"]);
        conn.execute_batch(
            "INSERT INTO diagnosis_words (code, description) VALUES ('M17.11', 'Unilateral primary osteoarthritis, right knee')",
        )
        .expect("words kept");
        assert_eq!(wanted(&conn), ["S83.511A"], "kept words are no longer wanted");
        conn.execute_batch("DELETE FROM diagnosis_words WHERE code = 'M17.11'")
            .expect("words forgotten");
        assert_eq!(
            wanted(&conn),
            ["M17.11", "S83.511A"],
            "forgotten words of a code in use are wanted again"
        );
    }
}

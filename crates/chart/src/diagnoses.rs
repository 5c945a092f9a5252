//! The ICD-10-CM releases the chart checks diagnoses against: the one Stride ships and
//! those imported since from CMS's files (a release each October 1, sometimes an update
//! on April 1). Each applies to dates of service from its effective date; imported
//! releases are kept in the chart, compressed, and read once per open chart.

use crate::chart::Chart;
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use crate::validate;
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use stride_icd10::{CodeSet, Release, Releases, fiscal_year_start};

/// Who imports a code set: administrators and billers.
const IMPORTERS: [Role; 2] = [Role::Admin, Role::Biller];

/// A release the chart holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseSummary {
    /// CMS's name for it (the fiscal year, `2027`).
    pub version: String,
    /// The first date of service it applies to.
    pub effective_from: NaiveDate,
    /// The last date of service its fiscal year covers, when its version names a year.
    pub covers_through: Option<NaiveDate>,
    /// How many codes it has (headings and billable codes).
    pub codes: usize,
    /// Whether it is the release Stride ships (else imported).
    pub shipped: bool,
}

impl ReleaseSummary {
    fn of(release: &Release) -> ReleaseSummary {
        ReleaseSummary {
            version: release.codes.version.clone(),
            effective_from: release.effective,
            covers_through: release.covers_through(),
            codes: release.codes.len(),
            shipped: Arc::ptr_eq(&release.codes, &CodeSet::shared_builtin()),
        }
    }
}

impl Chart {
    /// Imports CMS's ICD-10-CM tabular list (`icd10cm-tabular-*.xml`, plain or gzip) as
    /// the release for dates of service from `effective` (by default October 1 before the
    /// fiscal year it names). A release already held for that date is replaced.
    pub fn import_icd10cm(&mut self, by: &Session, file: &[u8], effective: Option<&str>) -> Result<ReleaseSummary> {
        by.require("importing the ICD-10-CM code set", &IMPORTERS)?;
        let codes = CodeSet::read(file).map_err(|e| ChartError::invalid("ICD-10-CM file", e.to_string()))?;
        if codes.iter().all(|c| !c.billable) {
            return Err(ChartError::invalid("ICD-10-CM file", "it holds no billable code"));
        }
        let effective = match effective {
            Some(date) => validate::date("effective date", date)?,
            None => fiscal_year_start(&codes.version).ok_or_else(|| {
                ChartError::invalid(
                    "effective date",
                    format!(
                        "the file's version ({}) names no fiscal year: give the first date of service it applies to",
                        codes.version
                    ),
                )
            })?,
        };
        let compressed = if file.starts_with(&[0x1f, 0x8b]) {
            file.to_vec()
        } else {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(file)
                .and_then(|()| gz.finish())
                .map_err(|e| ChartError::State(format!("the code set could not be compressed: {e}")))?
        };
        let summary = ReleaseSummary::of(&Release {
            effective,
            codes: Arc::new(codes),
        });
        let hash = hex::encode(Sha256::digest(file));
        self.write(Some(by), |w| {
            w.exec(
                "INSERT OR REPLACE INTO icd10_release
                    (version, effective_from, codes, file_sha256, tabular_gz, imported_at, imported_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    summary.version,
                    effective.to_string(),
                    i64::try_from(summary.codes).unwrap_or(i64::MAX),
                    hash,
                    compressed,
                    w.at,
                    w.actor
                ],
            )?;
            w.audit("import", "icd10_release", &effective.to_string())
        })?;
        *self.releases.slot() = None;
        Ok(summary)
    }

    /// The releases held, oldest first.
    pub fn icd10_releases(&self) -> Result<Vec<ReleaseSummary>> {
        Ok(self.diagnosis_codes()?.all().iter().map(ReleaseSummary::of).collect())
    }

    /// The releases diagnoses are checked against, read on first use.
    pub fn diagnosis_codes(&self) -> Result<Arc<Releases>> {
        // Held while reading, so that the chart and its readers read them once between them.
        let mut slot = self.releases.slot();
        if let Some(releases) = slot.as_ref() {
            return Ok(Arc::clone(releases));
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT effective_from, tabular_gz FROM icd10_release ORDER BY effective_from")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
        let mut imported = Vec::new();
        for row in rows {
            let (effective, gz) = row?;
            let codes = CodeSet::from_gzip(&gz)
                .map_err(|e| ChartError::State(format!("the ICD-10-CM release for {effective} is damaged: {e}")))?;
            imported.push(Release {
                effective: validate::date("effective date", &effective)?,
                codes: Arc::new(codes),
            });
        }
        let releases = Arc::new(Releases::new(imported));
        *slot = Some(Arc::clone(&releases));
        Ok(releases)
    }
}

/// Keeps what `code` means (as the code set checked on entry says) for naming it later
/// without the code set (`diagnosis_words`, migration 0017).
pub(crate) fn keep_words(w: &crate::chart::Write<'_>, code: &str, description: &str) -> Result<()> {
    w.exec(
        "INSERT INTO diagnosis_words (code, description) VALUES (?1, ?2)
         ON CONFLICT (code) DO UPDATE SET description = ?2",
        (code, description),
    )?;
    Ok(())
}

impl Chart {
    /// What each of `codes` means, for naming diagnoses on screens: as kept when the code
    /// was checked on entry, else (a code this device has not checked, such as one a
    /// sync brought in) from the release in force on `day`. Only the second reads the
    /// code set into memory. An unknown code gets an empty description.
    pub fn diagnosis_descriptions(&self, codes: &[String], day: NaiveDate) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT description FROM diagnosis_words WHERE code = ?1")?;
        let kept = codes
            .iter()
            .map(|code| Ok(stmt.query_row([code], |r| r.get::<_, String>(0)).optional()?))
            .collect::<Result<Vec<Option<String>>>>()?;
        if kept.iter().all(Option::is_some) {
            return Ok(kept.into_iter().flatten().collect());
        }
        let releases = self.diagnosis_codes()?;
        let release = releases.on(day);
        Ok(codes
            .iter()
            .zip(kept)
            .map(|(code, kept)| {
                kept.unwrap_or_else(|| {
                    release
                        .codes
                        .get(code)
                        .map(|c| c.description.to_owned())
                        .unwrap_or_default()
                })
            })
            .collect())
    }

    /// Keeps the words of every code the chart's episodes use that has none kept (a chart
    /// from before version 17, a code a sync brought in), from the newest release, so
    /// that screens name them without the code set from then on. Reads the code set only
    /// when a code is missing; returns how many were kept. Derived data: nothing is
    /// audited or synced.
    pub fn keep_missing_diagnosis_words(&self) -> Result<usize> {
        // The triggers of version 20 keep this list, so nothing reads every episode.
        let missing: Vec<String> = self
            .conn
            .prepare_cached("SELECT code FROM diagnosis_words_wanted")?
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        if missing.is_empty() {
            return Ok(0);
        }
        let releases = self.diagnosis_codes()?;
        let newest = &releases.newest().codes;
        let tx = self.conn.unchecked_transaction()?;
        let mut kept = 0;
        for code in &missing {
            if let Some(found) = newest.get(code) {
                kept += tx.execute(
                    "INSERT INTO diagnosis_words (code, description) VALUES (?1, ?2) ON CONFLICT (code) DO NOTHING",
                    (code, found.description),
                )?;
            }
        }
        tx.commit()?;
        Ok(kept)
    }

    /// Whether this chart has read its ICD-10-CM releases into memory (about 9 MB for the
    /// shipped one): only searching, checking or naming an unkept code does.
    pub fn holds_code_sets(&self) -> bool {
        self.releases.slot().is_some()
    }
}

/// The releases a chart read, shared by the chart and its readers (see
/// [`Chart::reader`]); emptied when a release is imported, to be read again.
#[derive(Clone, Default)]
pub(crate) struct ReleaseCache(Arc<Mutex<Option<Arc<Releases>>>>);

impl ReleaseCache {
    fn slot(&self) -> MutexGuard<'_, Option<Arc<Releases>>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

//! The releases of ICD-10-CM a clinic holds, each applying to dates of service from its
//! effective date: CMS publishes a release each fiscal year (October 1) and sometimes an
//! update (April 1). A diagnosis is checked against the release in force on the date of
//! service, so a code deleted in a later release is refused for services after its
//! deletion, with its replacement named, and still accepted for services before.

use crate::{Code, CodeSet, DiagnosisProblem, dotted, undotted};
use chrono::NaiveDate;
use std::sync::Arc;

/// One release and the first date of service it applies to.
#[derive(Debug, Clone)]
pub struct Release {
    /// The first date of service it applies to.
    pub effective: NaiveDate,
    /// Its codes.
    pub codes: Arc<CodeSet>,
}

impl Release {
    /// The last date of service its fiscal year covers (September 30 of the year it is
    /// named for); `None` when its version does not name a year.
    pub fn covers_through(&self) -> Option<NaiveDate> {
        let year: i32 = self.codes.version.trim().parse().ok()?;
        NaiveDate::from_ymd_opt(year, 9, 30)
    }
}

/// The first date of service a release applies to by default: October 1 before the fiscal
/// year it is named for (release `2027` applies from 2026-10-01).
pub fn fiscal_year_start(version: &str) -> Option<NaiveDate> {
    let year: i32 = version.trim().parse().ok()?;
    NaiveDate::from_ymd_opt(year - 1, 10, 1)
}

/// The releases held, oldest first.
#[derive(Debug, Clone)]
pub struct Releases {
    held: Vec<Release>,
}

impl Releases {
    /// The shipped release alone.
    pub fn builtin() -> Releases {
        Releases::new(Vec::new())
    }

    /// The shipped release and `imported`; of two effective on the same day, the one
    /// given later wins.
    pub fn new(imported: Vec<Release>) -> Releases {
        let shipped = CodeSet::shared_builtin();
        let effective = fiscal_year_start(&shipped.version).unwrap_or(NaiveDate::MIN);
        let mut held = vec![Release {
            effective,
            codes: shipped,
        }];
        for release in imported {
            held.retain(|r| r.effective != release.effective);
            held.push(release);
        }
        held.sort_by_key(|r| r.effective);
        Releases { held }
    }

    /// Every release held, oldest first.
    pub fn all(&self) -> &[Release] {
        &self.held
    }

    /// The release in force on `date`: the newest effective on or before it (the oldest
    /// for dates before any).
    pub fn on(&self, date: NaiveDate) -> &Release {
        let at = self.held.partition_point(|r| r.effective <= date);
        &self.held[at.saturating_sub(1)]
    }

    /// The newest release, for searching codes to pick today.
    pub fn newest(&self) -> &Release {
        &self.held[self.held.len() - 1]
    }

    /// Whether `code` may stand on a claim for a service on `date`, first (`principal`)
    /// or after the first, checked against the release in force that day. A code an
    /// earlier release had and this one does not was deleted: refused with the codes that
    /// took its place.
    pub fn check_on(&self, code: &str, principal: bool, date: NaiveDate) -> Result<Code<'_>, DiagnosisProblem> {
        let release = self.on(date);
        match release.codes.check_diagnosis(code, principal) {
            Err(DiagnosisProblem::Unknown { .. }) => {
                let earlier = self
                    .held
                    .iter()
                    .rev()
                    .filter(|r| r.effective < release.effective)
                    .find_map(|r| r.codes.get(code));
                match earlier {
                    Some(old) => Err(DiagnosisProblem::Deleted {
                        code: old.code.to_owned(),
                        description: old.description.to_owned(),
                        version: release.codes.version.clone(),
                        effective: release.effective,
                        choices: listed(&release.codes.near(code)),
                    }),
                    None => Err(DiagnosisProblem::Unknown {
                        code: code.trim().to_owned(),
                        version: release.codes.version.clone(),
                    }),
                }
            }
            other => other,
        }
    }
}

/// Codes as a list a person reads: the first few, then how many more.
pub(crate) fn listed(codes: &[Code<'_>]) -> String {
    const SHOWN: usize = 6;
    let mut listed: Vec<String> = codes
        .iter()
        .take(SHOWN)
        .map(|c| format!("{} ({})", c.code, c.description))
        .collect();
    if codes.len() > SHOWN {
        listed.push(format!("or one of {} more", codes.len() - SHOWN));
    }
    if listed.is_empty() {
        return "a code found by searching its words".into();
    }
    listed.join(", ")
}

impl CodeSet {
    /// The billable codes nearest `code` in this release: those under its longest
    /// leading part (at least the 3-character category) that has any.
    pub fn near(&self, code: &str) -> Vec<Code<'_>> {
        let key = undotted(code);
        for len in (3..=key.len()).rev() {
            let Some(prefix) = key.get(..len) else {
                continue;
            };
            let mut found: Vec<usize> = self
                .positions_starting_with(&dotted(prefix))
                .filter(|&i| self.at(i).billable)
                .collect();
            if !found.is_empty() {
                found.sort_unstable();
                return found.into_iter().map(|i| self.at(i)).collect();
            }
        }
        Vec::new()
    }
}

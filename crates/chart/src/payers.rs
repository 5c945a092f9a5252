//! Payers and their rules: unit method, CQ, KX, progress-report interval, co-signature;
//! and each payer's fee schedule (allowed cents per unit).

use crate::chart::{Chart, new_id};
use crate::error::{ChartError, Result};
use crate::users::{Role, Session};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use stride_coding::UnitMethod;

/// A payer and how it wants therapy billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Payer {
    /// Id.
    pub id: String,
    /// Name, e.g. "Medicare Part B".
    pub name: String,
    /// CMS total time or AMA per code.
    pub method: UnitMethod,
    /// Traditional Medicare rules (97014, bundled 97010, KX thresholds).
    pub medicare: bool,
    /// Whether PTA services carry CQ.
    pub cq_applies: bool,
    /// Whether the KX threshold applies.
    pub kx_applies: bool,
    /// Treatment days between progress reports.
    pub progress_interval_visits: u32,
    /// Whether the payer denies visits billed past the progress-report period, so the
    /// claim scrubber holds them as errors rather than warnings. (The name is historical:
    /// it is the synced column's. Signing is never blocked for care that was given.)
    pub block_sign_when_overdue: bool,
    /// Whether a PTA's note needs a PT's co-signature.
    pub pta_cosign_required: bool,
}

impl Payer {
    /// A payer with the usual rules for its method: a CMS-method payer gets Medicare's
    /// rules (CQ, KX, progress report every 10 treatment days, claims past it held); an
    /// AMA-method payer gets CQ only.
    pub fn with_defaults(name: &str, method: UnitMethod) -> Payer {
        let medicare = method == UnitMethod::Cms;
        Payer {
            id: String::new(),
            name: name.trim().to_owned(),
            method,
            medicare,
            cq_applies: true,
            kx_applies: medicare,
            progress_interval_visits: 10,
            block_sign_when_overdue: medicare,
            pta_cosign_required: medicare,
        }
    }
}

const SELECT: &str = "SELECT id, name, unit_method, medicare, cq_applies, kx_applies, progress_interval_visits,
    block_sign_when_overdue, pta_cosign_required FROM payer";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Payer> {
    let method: String = r.get(2)?;
    Ok(Payer {
        id: r.get(0)?,
        name: r.get(1)?,
        method: UnitMethod::parse(&method).unwrap_or(UnitMethod::Cms),
        medicare: r.get(3)?,
        cq_applies: r.get(4)?,
        kx_applies: r.get(5)?,
        progress_interval_visits: r.get(6)?,
        block_sign_when_overdue: r.get(7)?,
        pta_cosign_required: r.get(8)?,
    })
}

impl Chart {
    /// Adds a payer (admins and billers).
    pub fn add_payer(&mut self, by: &Session, payer: &Payer) -> Result<String> {
        by.require("adding a payer", &[Role::Admin, Role::Biller])?;
        let name = crate::validate::required("payer name", &payer.name)?;
        if !(1..=100).contains(&payer.progress_interval_visits) {
            return Err(ChartError::invalid(
                "progress interval",
                "must be between 1 and 100 treatment days",
            ));
        }
        self.write(Some(by), |w| {
            let id = new_id();
            let method = match payer.method {
                UnitMethod::Cms => "cms",
                UnitMethod::Ama => "ama",
            };
            w.exec(
                "INSERT INTO payer (id, name, unit_method, medicare, cq_applies, kx_applies, progress_interval_visits,
                    block_sign_when_overdue, pta_cosign_required, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                rusqlite::params![
                    id,
                    name,
                    method,
                    payer.medicare,
                    payer.cq_applies,
                    payer.kx_applies,
                    payer.progress_interval_visits,
                    payer.block_sign_when_overdue,
                    payer.pta_cosign_required,
                    w.at
                ],
            )?;
            let mut stored = payer.clone();
            stored.id = id.clone();
            stored.name = name;
            w.record(
                "create",
                "payer",
                &id,
                serde_json::to_value(&stored).unwrap_or_default(),
            )?;
            Ok(id)
        })
    }

    /// One payer.
    pub fn payer(&self, id: &str) -> Result<Payer> {
        self.conn
            .prepare_cached(&format!("{SELECT} WHERE id = ?1"))?
            .query_row([id], from_row)
            .optional()?
            .ok_or_else(|| ChartError::not_found("payer", id))
    }

    /// Every payer, by name.
    pub fn payers(&self) -> Result<Vec<Payer>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT} ORDER BY name"))?;
        Ok(stmt.query_map([], from_row)?.collect::<std::result::Result<_, _>>()?)
    }

    /// Sets a payer's allowed amount per unit of a code (admins and billers).
    pub fn set_fee(&mut self, by: &Session, payer_id: &str, code: &str, cents: i64) -> Result<()> {
        by.require("setting a fee", &[Role::Admin, Role::Biller])?;
        self.payer(payer_id)?;
        if cents < 0 {
            return Err(ChartError::invalid("fee", "must not be negative"));
        }
        let code = code.trim().to_ascii_uppercase();
        self.write(Some(by), |w| {
            w.exec(
                "INSERT INTO fee_schedule (payer_id, code, cents) VALUES (?1, ?2, ?3)
                 ON CONFLICT(payer_id, code) DO UPDATE SET cents = ?3",
                (payer_id, &code, cents),
            )?;
            w.record(
                "update",
                "payer",
                payer_id,
                serde_json::json!({ "payer_id": payer_id, "fee": { "code": code, "cents": cents } }),
            )
        })
    }

    /// A payer's fee schedule, by code.
    pub fn fees(&self, payer_id: &str) -> Result<std::collections::BTreeMap<String, stride_coding::Cents>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, cents FROM fee_schedule WHERE payer_id = ?1")?;
        let rows = stmt.query_map([payer_id], |r| {
            Ok((r.get::<_, String>(0)?, stride_coding::Cents(r.get(1)?)))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }
}

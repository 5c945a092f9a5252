//! What every chart command shares: which chart, whose key, who is acting, how to print.

/// Writes a line to stdout, as `println!` does, but returns the error instead of
/// panicking, so that a closed pipe (`stride patient list | head`) ends the command quietly.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(anyhow::Error::from)
    }};
}
pub(crate) use out;

use anyhow::{Context, Result, anyhow};
use clap::Args;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use stride_chart::{Chart, ChartError, KeySource, Session};

/// Options every command accepts.
#[derive(Args)]
pub struct Global {
    /// The chart file.
    #[arg(long, global = true, env = "STRIDE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The acting user (password from STRIDE_PASSWORD).
    #[arg(long, global = true, env = "STRIDE_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Print JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

impl Global {
    /// The chart path, or a clear error.
    pub fn db_path(&self) -> Result<PathBuf> {
        self.db
            .clone()
            .ok_or_else(|| anyhow!("no chart given: pass --db PATH or set STRIDE_DB"))
    }
}

/// The key source: STRIDE_PASSPHRASE when set, else the OS keychain.
pub fn key_source() -> KeySource {
    match std::env::var("STRIDE_PASSPHRASE") {
        Ok(p) if !p.is_empty() => KeySource::Passphrase(p),
        _ => KeySource::Keychain,
    }
}

/// Runs `f` with the key source, falling back to a typed passphrase when there is no
/// keychain and a person is at the terminal.
pub fn with_key<T>(f: impl Fn(&KeySource) -> stride_chart::Result<T>) -> Result<T> {
    let source = key_source();
    match f(&source) {
        Err(e @ (ChartError::NoKeychain(_) | ChartError::KeyNotInKeychain)) if std::io::stdin().is_terminal() => {
            eprintln!("{e}");
            let typed = rpassword::prompt_password("Chart passphrase: ").context("could not read the passphrase")?;
            Ok(f(&KeySource::Passphrase(typed))?)
        }
        other => Ok(other?),
    }
}

/// The acting user's password.
pub fn password() -> Result<String> {
    match std::env::var("STRIDE_PASSWORD") {
        Ok(p) if !p.is_empty() => Ok(p),
        _ if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("Password: ").context("could not read the password")
        }
        _ => Err(anyhow!("no password: set STRIDE_PASSWORD")),
    }
}

/// Opens the chart and signs the acting user in.
pub fn open(g: &Global) -> Result<(Chart, Session)> {
    let path = g.db_path()?;
    let chart = with_key(|k| Chart::open(&path, k))?;
    let name = g
        .user
        .clone()
        .ok_or_else(|| anyhow!("no user given: pass --user NAME or set STRIDE_USER"))?;
    let session = chart.authenticate(&name, &password()?)?;
    Ok((chart, session))
}

/// Prints a value as pretty JSON.
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// Today in the clinic's local time zone.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

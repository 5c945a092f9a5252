//! `stride login` and `stride sync`: joining a clinic server, and syncing with it.

use crate::context::{Global, open, out, password, print_json, with_key};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use std::sync::Mutex;
use stride_chart::Chart;
use stride_chart::sync::Link;
use stride_chart::sync::issues::Resolution;
use stride_protocol::LoginRequest;
use stride_sync::{Client, SyncError, sync_once};

/// `stride login`.
#[derive(Args)]
pub struct LoginArgs {
    /// The clinic server, e.g. `https://stride.clinic.example:8443`
    #[arg(long)]
    server: String,
    /// A name for this device, as the clinic's administrator will see it.
    #[arg(long, default_value = "Stride device")]
    device_name: String,
}

/// `stride sync` and `stride sync status`.
#[derive(Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
}

#[derive(Subcommand)]
enum SyncCommand {
    /// What waits to be pushed, what the server refused, and what needs a person.
    Status,
    /// The open sync issues, each with both values side by side.
    Issues,
    /// Settles a sync issue: keep the kept value (`theirs`), take yours (`mine`), or
    /// write a new text.
    Resolve {
        /// The issue's id (from `stride sync issues`).
        id: String,
        /// `theirs` (the value the record kept), `mine` (the value not applied), or the
        /// text to write instead.
        #[arg(long)]
        keep: String,
    },
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    // Two threads: the next page downloads while the last one is written.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the sync runtime")
}

/// Signs this device in to a clinic server, creating the local chart when there is none.
pub fn login(g: &Global, args: &LoginArgs) -> Result<()> {
    let path = g.db_path()?;
    let user = g
        .user
        .clone()
        .ok_or_else(|| anyhow!("no user given: pass --user NAME or set STRIDE_USER"))?;
    let password = password()?;
    let answer = if path.exists() {
        let chart = with_key(|k| Chart::open(&path, k))?;
        match chart.link()? {
            Some(link) if link.server_url.trim_end_matches('/') != args.server.trim_end_matches('/') => bail!(
                "this chart belongs to the clinic server at {}; sign in there, or use a new chart file",
                link.server_url
            ),
            _ => {}
        }
        let chart = Mutex::new(chart);
        runtime()?.block_on(stride_sync::sign_in_on_device(
            &chart,
            &user,
            &password,
            &args.device_name,
        ))?
    } else {
        let client = Client::new(&args.server, None)?;
        let request = LoginRequest {
            user,
            password,
            device_id: uuid::Uuid::now_v7().to_string(),
            device_name: args.device_name.clone(),
            device_secret: None,
            predecessor: None,
        };
        let answer = runtime()?.block_on(client.login(&request))?;
        let link = Link::from_login(&args.server, &answer);
        let mut chart = with_key(|k| Chart::create_linked(&path, k, &answer.clinic_id, &request.device_id, &link))?;
        // What lets this person sign in here offline from now on.
        chart.remember_password(&answer.user_id, &request.password)?;
        answer
    };
    out!(
        "Signed in to {} as device {}. Run `stride sync` to bring the clinic's records here.",
        answer.clinic_name,
        answer.device_id
    )
}

/// Syncs until caught up, or shows the sync state.
pub fn sync(g: &Global, args: &SyncArgs) -> Result<()> {
    let path = g.db_path()?;
    if let Some(SyncCommand::Resolve { id, keep }) = &args.command {
        return resolve(g, id, keep);
    }
    let chart = with_key(|k| Chart::open(&path, k))?;
    if let Some(SyncCommand::Issues) = args.command {
        return issues(g, &chart);
    }
    if let Some(SyncCommand::Status) = args.command {
        let state = chart.sync_state()?;
        if g.json {
            return print_json(&state);
        }
        out!(
            "server:          {}",
            state.server_url.as_deref().unwrap_or("none (local only)")
        )?;
        out!("device:          {}", state.device_id)?;
        out!("waiting to push: {}", state.pending)?;
        out!("refused ops:     {}", state.rejected)?;
        out!("open issues:     {}", state.open_issues)?;
        return out!("last sync:       {}", state.last_sync_at.as_deref().unwrap_or("never"));
    }
    let link = chart
        .link()?
        .ok_or_else(|| anyhow!("this chart is not linked to a clinic server: run `stride login --server URL` first"))?;
    let client = Client::new(&link.server_url, Some(link.token))?;
    let chart = Mutex::new(chart);
    let summary = runtime()?.block_on(sync_once(&chart, &client)).map_err(|e| match e {
        SyncError::Unreachable { .. } => {
            anyhow!("{e}; nothing was changed, and your work stays here until the next sync")
        }
        other => anyhow::Error::from(other),
    })?;
    if g.json {
        return print_json(&summary);
    }
    out!(
        "Synced: {} ops pushed ({} with conflicts, {} refused), {} records pulled.",
        summary.pushed,
        summary.conflicts,
        summary.rejected,
        summary.pulled
    )
}

/// `stride sync issues`: each open issue with both values side by side.
fn issues(g: &Global, chart: &Chart) -> Result<()> {
    let issues = chart.sync_issues()?;
    if g.json {
        return print_json(&issues);
    }
    if issues.is_empty() {
        return out!("No sync issues wait for a person.");
    }
    for i in &issues {
        let place = i.field.as_deref().map_or_else(String::new, |f| format!(" {f}"));
        out!("{}  {} {}{place}: {}", i.id, i.entity, i.entity_id, i.reason)?;
        out!("    kept:  {}", i.kept.as_deref().unwrap_or("(nothing)"))?;
        out!("    other: {}", i.other.as_deref().unwrap_or("(nothing)"))?;
    }
    Ok(())
}

/// `stride sync resolve ID --keep mine|theirs|TEXT`.
fn resolve(g: &Global, id: &str, keep: &str) -> Result<()> {
    let resolution = match keep {
        "theirs" => Resolution::KeepKept,
        "mine" => Resolution::TakeOther,
        text => Resolution::Text(text.to_owned()),
    };
    let (mut chart, session) = open(g)?;
    chart.resolve_sync_issue(&session, id, &resolution)?;
    out!("Resolved {id}; it syncs with the next `stride sync`.")
}

//! The desk's side of sync: joining a clinic server on first run, the background worker
//! while a linked chart is open, what the status bar shows, and the sync issues a person
//! settles.

use crate::desk::{Desk, OpenCharts, UserView};
use crate::error::{CommandError, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use stride_chart::Chart;
use stride_chart::sync::issues::{RefusedOp, Resolution, SyncIssue};
use stride_protocol::LoginRequest;
use stride_sync::worker::{self, WorkerState};
use stride_sync::{ChartAccess, Client, sync_once};
use tokio::sync::{Notify, watch};

/// The running worker of the open chart.
pub struct SyncHandle {
    state: watch::Receiver<WorkerState>,
    wake: Arc<Notify>,
    stop: Arc<Notify>,
    /// The worker's task, to wait for when the app closes.
    task: Option<tauri::async_runtime::JoinHandle<()>>,
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

/// What the join form sends.
#[derive(Debug, Clone, Deserialize)]
pub struct JoinClinic {
    /// The clinic server's address.
    pub server: String,
    /// The user's name on the server.
    pub name: String,
    /// Their password.
    pub password: String,
    /// What to call this machine.
    pub device_name: String,
    /// A passphrase for the chart, where the machine has no keychain.
    pub passphrase: Option<String>,
}

/// The status bar's sync line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SyncView {
    /// `local only`, `connecting` (before the first attempt ends), `online` or `offline`.
    pub state: String,
    /// Changes waiting to be pushed.
    pub pending: u64,
    /// When the last sync completed.
    pub last_sync_at: Option<String>,
    /// Sync issues waiting for a person.
    pub open_issues: u64,
    /// Ops the server refused.
    pub refused: u64,
    /// Why the last attempt failed, if it did.
    pub last_error: Option<String>,
    /// The device's sign-in to the server has ended: sync waits for someone to sign in.
    pub sign_in_needed: bool,
}

/// Sync issues and refused ops, for the panel the status bar opens.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SyncIssuesView {
    /// Open issues.
    pub issues: Vec<SyncIssue>,
    /// Refused ops.
    pub refused: Vec<RefusedOp>,
}

impl ChartAccess for OpenCharts {
    /// The writing connection: the worker never touches the sign-in state the window
    /// needs, and the window's reads never wait on the worker.
    fn with_chart<R>(&self, f: impl FnOnce(&mut Chart) -> R) -> Option<R> {
        let open = self.current()?;
        let mut chart = open.writer().ok()?;
        Some(f(&mut chart))
    }
}

fn unreachable(e: stride_sync::SyncError) -> CommandError {
    CommandError::new(ErrorKind::Sync, e.to_string())
}

impl Desk {
    /// First run on a machine joining a clinic: signs the device in to the server, makes
    /// the (empty, linked) chart, brings the clinic's records, and signs the person in.
    /// Async: a big clinic's first sync takes seconds, and the window must not freeze.
    pub async fn join_clinic(&self, j: JoinClinic) -> Result<UserView> {
        if self.chart_path.exists() {
            return Err(CommandError::new(
                ErrorKind::ChartExists,
                "this machine already has a clinic chart",
            ));
        }
        if let Some(dir) = self.chart_path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| CommandError::new(ErrorKind::Io, e.to_string()))?;
        }
        let device_id = uuid::Uuid::now_v7().to_string();
        let client = Client::new(&j.server, None).map_err(unreachable)?;
        let request = LoginRequest {
            user: j.name.clone(),
            password: j.password.clone(),
            device_id: device_id.clone(),
            device_name: j.device_name.clone(),
            device_secret: None,
            predecessor: None,
        };
        let key = crate::desk::key_for(j.passphrase);
        let chart = stride_sync::join_clinic(&client, &self.chart_path, &key, &request)
            .await
            .map_err(unreachable)?;
        let chart = std::sync::Mutex::new(chart);
        if let Err(e) = sync_once(&chart, &client).await {
            // Keep nothing half-made: the next attempt starts afresh.
            drop(chart);
            stride_chart::store::remove_database_files(&self.chart_path);
            return Err(unreachable(e));
        }
        let chart = chart
            .into_inner()
            .map_err(|_| CommandError::new(ErrorKind::State, "the chart is unavailable"))?;
        let session = chart.authenticate(&j.name, &j.password)?;
        let user = UserView::from(&session);
        self.replace_open(chart, Some(session), false)?;
        Ok(user)
    }

    /// Starts the worker when the open chart is linked to a server (and stops any other).
    pub(crate) fn start_sync(&self) {
        let link = self.open.with_chart(|c| c.link().ok().flatten()).flatten();
        let mut slot = self.sync.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = None;
        let Some(link) = link else { return };
        let Ok(client) = Client::new(&link.server_url, Some(link.token)) else {
            return;
        };
        let (tx, rx) = watch::channel(WorkerState::default());
        self.forward_changes(rx.clone());
        let (wake, stop) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let task = tauri::async_runtime::spawn(worker::run(
            Arc::clone(&self.open),
            client,
            wake.clone(),
            stop.clone(),
            tx,
        ));
        *slot = Some(SyncHandle {
            state: rx,
            wake,
            stop,
            task: Some(task),
        });
    }

    /// Tells the listener of each change of the worker's state, until the worker ends.
    fn forward_changes(&self, mut state: watch::Receiver<WorkerState>) {
        let listener = self
            .listener
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let Some(listener) = listener else { return };
        tauri::async_runtime::spawn(async move {
            while state.changed().await.is_ok() {
                let pulled = state.borrow_and_update().last_summary.as_ref().map_or(0, |s| s.pulled);
                listener(crate::desk::DeskEvent { pulled });
            }
        });
    }

    /// Stops the worker and waits for it to finish the sync it is in, so that closing the
    /// app never ends a process with the worker still writing to the chart.
    pub fn stop_sync(&self) {
        let handle = self
            .sync
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(mut handle) = handle {
            handle.stop.notify_one();
            if let Some(task) = handle.task.take() {
                // The worker returns at its next wait; a failure to join is a task that
                // already ended.
                let _ = tauri::async_runtime::block_on(task);
            }
        }
    }

    /// Asks the worker to sync now (after a change, or from the status bar).
    pub fn sync_now(&self) {
        if let Some(h) = self
            .sync
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            h.wake.notify_one();
        }
    }

    /// The status bar's sync line.
    pub(crate) fn sync_view(&self, chart: &Chart) -> SyncView {
        if !chart.is_linked() {
            return SyncView {
                state: "local only".into(),
                ..SyncView::default()
            };
        }
        let state = chart.sync_state().ok();
        let worker = self
            .sync
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(|h| h.state.borrow().clone());
        let pending = chart.pending_op_count().unwrap_or(0);
        match (state, worker) {
            (Some(s), Some(w)) if s.server_url.is_some() => SyncView {
                state: match (&w.last_success_at, &w.last_error, w.online) {
                    (None, None, _) => "connecting",
                    (_, _, true) => "online",
                    _ => "offline",
                }
                .into(),
                pending,
                last_sync_at: s.last_sync_at,
                open_issues: s.open_issues,
                refused: s.rejected,
                last_error: w.last_error,
                sign_in_needed: w.sign_in_needed,
            },
            _ => SyncView {
                state: "local only".into(),
                pending,
                ..SyncView::default()
            },
        }
    }

    /// The sync issues panel.
    pub fn sync_issues(&self) -> Result<SyncIssuesView> {
        self.as_reader(|chart, _| {
            Ok(SyncIssuesView {
                issues: chart.sync_issues()?,
                refused: chart.refused_ops()?,
            })
        })
    }

    /// Settles a sync issue (see [`Chart::resolve_sync_issue`]).
    pub fn resolve_sync_issue(&self, issue_id: &str, use_other: bool) -> Result<()> {
        let resolution = if use_other {
            Resolution::TakeOther
        } else {
            Resolution::KeepKept
        };
        self.as_user(|chart, session| Ok(chart.resolve_sync_issue(session, issue_id, &resolution)?))?;
        self.sync_now();
        Ok(())
    }

    /// Signs a person in to the clinic server on this device (see [`sign_in_on_server`])
    /// and wakes the worker.
    pub(crate) async fn sign_in_to_server(&self, name: &str, password: &str) -> Result<()> {
        sign_in_on_server(&self.open, name, password).await?;
        self.sync_now();
        Ok(())
    }

    /// After an offline sign-in on a device whose server sign-in has ended: signs in to
    /// the server in the background with the same password, so sync resumes. (If that
    /// fails, the status bar still says a sign-in is needed.)
    pub(crate) fn renew_sign_in_if_ended(&self, name: &str, password: &str) {
        let wake = self
            .sync
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .filter(|h| h.state.borrow().sign_in_needed)
            .map(|h| h.wake.clone());
        let Some(wake) = wake else { return };
        let open = Arc::clone(&self.open);
        let (name, password) = (name.to_owned(), password.to_owned());
        tauri::async_runtime::spawn(async move {
            if sign_in_on_server(&open, &name, &password).await.is_ok() {
                wake.notify_one();
            }
        });
    }
}

/// Signs a person in to the clinic server on this device (see
/// [`stride_sync::sign_in_on_device`]), in words for the sign-in screen.
async fn sign_in_on_server(open: &OpenCharts, name: &str, password: &str) -> Result<()> {
    stride_sync::sign_in_on_device(open, name, password, "Stride desktop")
        .await
        .map(|_| ())
        .map_err(|e| match e {
            stride_sync::SyncError::Unauthorized(_) => {
                CommandError::new(ErrorKind::BadCredentials, "that name and password do not match")
            }
            unreachable @ stride_sync::SyncError::Unreachable { .. } => CommandError::new(
                ErrorKind::Sync,
                format!(
                    "{name} has not signed in on this computer before, so the clinic server must check the password, \
                     and it could not be reached: {unreachable}"
                ),
            ),
            // The server's own words: a revoked or replaced device, a lockout, ...
            other => CommandError::new(ErrorKind::Sync, other.to_string()),
        })
}

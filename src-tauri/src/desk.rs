//! The desk: everything the window can ask for, as plain functions over the open chart.
//! Tauri commands (`commands.rs`) are one-line adapters over these, so all of it is
//! tested without a window.

use crate::error::{CommandError, ErrorKind, Result};
use crate::trend::{MeasureHistory, measure_trend};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use stride_chart::alerts::Alert;
use stride_chart::episodes::{Episode, NewEpisode};
use stride_chart::goals::{GoalStatus, GoalSummary};
use stride_chart::notes::{NoteEdit, NoteKind};
use stride_chart::patients::{Coverage, NewPatient, Patient};
use stride_chart::payers::Payer;
use stride_chart::signing::{NoteView, TimelineEntry};
use stride_chart::{Chart, ChartError, KeySource, Role, Session};
use stride_coding::request::CodingReport;

/// The demo clinic's public passphrase: its data is synthetic.
pub const DEMO_PASSPHRASE: &str = "stride demo";
/// The demo clinic's owner.
pub const DEMO_OWNER: &str = "demo";

/// The open chart, shared with the sync worker: held only long enough to take a
/// reference to the [`OpenChart`], never while the chart works.
pub(crate) struct OpenCharts(Mutex<Option<Arc<OpenChart>>>);

impl OpenCharts {
    /// The open chart, if any.
    pub(crate) fn current(&self) -> Option<Arc<OpenChart>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Opens `chart` in place of whatever was open.
    fn replace(&self, chart: Option<OpenChart>) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = chart.map(Arc::new);
    }
}

/// Where the charts live and what is open.
pub struct Desk {
    pub(crate) chart_path: PathBuf,
    demo_path: PathBuf,
    pub(crate) open: Arc<OpenCharts>,
    /// The sync worker of the open chart, when it is linked to a clinic server.
    pub(crate) sync: Mutex<Option<crate::sync::SyncHandle>>,
    /// How long the signed-in user may do nothing before the screen locks.
    idle_limit: Duration,
    /// Who is told when something changes behind the screen's back (the window: a Tauri
    /// event), so that it need not poll.
    pub(crate) listener: Mutex<Option<Listener>>,
    /// The background work on the open chart (`keep_diagnosis_words`), joined before
    /// another starts and before the desk goes ([`Desk::shutdown`], `Drop`): a thread
    /// still closing the chart while the process exits races SQLCipher's own shutdown.
    background: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.finish_background();
    }
}

/// What the desk tells its window without being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeskEvent {
    /// Records the last sync brought in from the clinic: the screen shows them once read again.
    pub pulled: usize,
}

/// Told of each [`DeskEvent`].
pub type Listener = Arc<dyn Fn(DeskEvent) + Send + Sync>;

/// An open chart: one connection that writes, one that reads, and who is signed in.
///
/// Screens read through the reader, which in WAL mode never waits on a write (a sync
/// applying the clinic's changes, a batch of claims): each read is one read transaction
/// over the last committed state. Changes, and reads that record themselves in the audit
/// trail, go through the writer one at a time.
///
/// Lock order: `sign_in` before either connection, never the other way round. `sign_in`
/// is held only for a moment, except while a PIN is checked (so that PINs tried at once
/// are all counted): the screen is locked then, and nothing else could run anyway.
pub(crate) struct OpenChart {
    /// Every change goes through this connection (the sync worker's too).
    pub(crate) writer: Mutex<Chart>,
    /// A read-only connection for what the screens show.
    reader: Mutex<Chart>,
    /// Who is signed in, and the idle lock.
    sign_in: Mutex<SignIn>,
    pub(crate) demo: bool,
}

/// Who is signed in at the window, and when they last did something.
struct SignIn {
    session: Option<Session>,
    /// Who locked the screen, and how many wrong PINs have been tried since.
    locked: Option<(Session, u32)>,
    /// When the signed-in user last did something (the idle lock counts from it).
    active_at: Instant,
}

impl SignIn {
    /// Signs `session` in: the screen is unlocked, and the idle clock starts again.
    fn sign_in(&mut self, session: Session) {
        self.session = Some(session);
        self.locked = None;
        self.active_at = Instant::now();
    }

    /// Locks the screen: nobody is signed in; the user who was may come back.
    fn lock(&mut self) {
        if let Some(session) = self.session.take() {
            self.locked = Some((session, 0));
        }
    }

    /// Locks the screen when the signed-in user has done nothing for `limit`.
    fn lock_if_idle(&mut self, limit: Duration) {
        if self.session.is_some() && self.active_at.elapsed() >= limit {
            self.lock();
        }
    }

    /// The signed-in user, who has just done something: refused when the screen is locked
    /// (or locks now, idle for `limit`).
    fn active(&mut self, limit: Duration) -> Result<Session> {
        self.lock_if_idle(limit);
        let session = self.session.clone().ok_or_else(CommandError::locked)?;
        self.active_at = Instant::now();
        Ok(session)
    }
}

impl OpenChart {
    /// Opens `chart` with a reader beside it.
    fn new(chart: Chart, session: Option<Session>, demo: bool) -> Result<OpenChart> {
        let reader = chart.reader()?;
        Ok(OpenChart {
            writer: Mutex::new(chart),
            reader: Mutex::new(reader),
            sign_in: Mutex::new(SignIn {
                session,
                locked: None,
                active_at: Instant::now(),
            }),
            demo,
        })
    }

    /// The writing connection, waiting for any change under way.
    pub(crate) fn writer(&self) -> Result<MutexGuard<'_, Chart>> {
        self.writer.lock().map_err(|_| unavailable())
    }

    /// The reading connection.
    fn reader(&self) -> Result<MutexGuard<'_, Chart>> {
        self.reader.lock().map_err(|_| unavailable())
    }

    /// Who is signed in. (A panic elsewhere cannot leave this half-changed: each change
    /// to it is a plain assignment.)
    fn sign_in(&self) -> MutexGuard<'_, SignIn> {
        self.sign_in.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A connection whose last user panicked.
fn unavailable() -> CommandError {
    CommandError::new(ErrorKind::State, "the chart is unavailable; restart Stride")
}

/// How long a signed-in user may do nothing before the screen locks, whatever the page
/// does.
pub const IDLE_LOCK: Duration = Duration::from_secs(10 * 60);

/// Wrong PINs allowed before the password is required.
pub const PIN_ATTEMPTS: u32 = 5;

/// The signed-in user, as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Roles.
    pub roles: Vec<Role>,
}

impl From<&Session> for UserView {
    fn from(s: &Session) -> Self {
        UserView {
            id: s.user_id.clone(),
            name: s.name.clone(),
            roles: s.roles.clone(),
        }
    }
}

/// What the app should show first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DeskStatus {
    /// Whether the clinic's chart exists (else: first run).
    pub chart_exists: bool,
    /// Whether a chart is open.
    pub open: bool,
    /// Whether the open chart is the demo clinic.
    pub demo: bool,
    /// Who is signed in.
    pub user: Option<UserView>,
    /// Who locked the screen, when it is locked.
    pub locked_user: Option<UserView>,
    /// Whether the locked screen may be unlocked with a PIN.
    pub pin_unlock: bool,
    /// The sync state for the status bar.
    pub sync: crate::sync::SyncView,
    /// Changes waiting to sync.
    pub pending_changes: u64,
}

/// What the first-run form sends.
#[derive(Debug, Clone, Deserialize)]
pub struct NewClinic {
    /// The clinic's name.
    pub clinic: String,
    /// The owner's user name.
    pub name: String,
    /// The owner's password.
    pub password: String,
    /// The owner's clinical role (pt unless said).
    pub role: Option<String>,
    /// A passphrase for the chart, where the machine has no keychain.
    pub passphrase: Option<String>,
}

/// A patient's chart.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ChartView {
    /// Demographics.
    pub patient: Patient,
    /// Insurance.
    pub coverages: Vec<Coverage>,
    /// Episodes, newest first.
    pub episodes: Vec<Episode>,
    /// Plans of care by episode id, newest certification first.
    pub plans: std::collections::BTreeMap<String, Vec<stride_chart::plans::Plan>>,
    /// Notes, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Alerts for this patient.
    pub alerts: Vec<Alert>,
    /// The next visit booked, if any.
    pub next_visit: Option<crate::overview::NextVisit>,
    /// The active episode's outcome measures as trends.
    pub trends: Vec<crate::trend::MeasureTrend>,
    /// The active episode's goals and where each stands; `None` without an open episode.
    pub goals: Option<GoalSummary>,
}

/// An outcome measure as the form shows it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MeasureForm {
    /// Id, e.g. `lefs`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Item labels (empty for patient-chosen activities).
    pub items: Vec<String>,
    /// Whether the patient chooses the activities (PSFS).
    pub activities: bool,
    /// Lowest answer.
    pub min: String,
    /// Highest answer.
    pub max: String,
    /// Step between answers.
    pub step: String,
}

/// A live score while the form is filled.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ScoreView {
    /// The score as shown ("35.6%", or "no score").
    pub display: String,
    /// What the missing-answer rule made of the answers.
    pub status: String,
}

/// An ICD-10-CM code offered as a diagnosis is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DiagnosisOption {
    /// The code, with its dot.
    pub code: String,
    /// What it means.
    pub description: String,
    /// Whether a claim may carry it (a heading needs a code below it).
    pub billable: bool,
}

/// A note with its live billing.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct NoteScreen {
    /// The note.
    pub note: NoteView,
    /// What it bills now (drafts) or billed (signed notes: from the stored lines).
    pub billing: Option<CodingReport>,
    /// A message when the billing could not be computed.
    pub billing_error: Option<String>,
    /// The alerts of the note's episode, shown before signing.
    pub alerts: Vec<Alert>,
    /// The episode's diagnoses in order: what a service's pointers (1, 2, ...) name.
    pub diagnoses: Vec<String>,
    /// The diagnoses each service's claim line will point at, in the order of the note's
    /// services (chosen, else the episode's first four).
    pub treats: Vec<Vec<u8>>,
    /// The episode's last signed note before this one, to read beside a draft.
    pub previous: Option<TimelineEntry>,
    /// Whether the note reports progress (a progress report, re-evaluation or discharge
    /// summary: `NoteKind::is_progress_report`), so the editor opens on the goals.
    pub reports_progress: bool,
    /// The goals of the episode's current plan of care, where each stands, and (for a
    /// draft) what the draft says of each.
    pub goals: GoalSummary,
}

/// The chart key: a passphrase typed in the app, else STRIDE_PASSPHRASE, else the keychain.
pub(crate) fn key_for(passphrase: Option<String>) -> KeySource {
    match passphrase.filter(|p| !p.is_empty()) {
        Some(p) => KeySource::Passphrase(p),
        None => match std::env::var("STRIDE_PASSPHRASE") {
            Ok(p) if !p.is_empty() => KeySource::Passphrase(p),
            _ => KeySource::Keychain,
        },
    }
}

impl Desk {
    /// A desk over the clinic chart at `chart_path`, with the demo clinic in `demo_path`.
    pub fn new(chart_path: PathBuf, demo_path: PathBuf) -> Desk {
        Desk {
            chart_path,
            demo_path,
            open: Arc::new(OpenCharts(Mutex::new(None))),
            sync: Mutex::new(None),
            idle_limit: IDLE_LOCK,
            listener: Mutex::new(None),
            background: Mutex::new(None),
        }
    }

    /// Tells `listener` whenever the sync worker's state changes (a sync done, failed, or a
    /// sign-in needed) instead of the window asking every few seconds.
    pub fn on_change(&self, listener: Listener) {
        *self.listener.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(listener);
    }

    /// The same desk with another idle limit (tests).
    pub fn with_idle_limit(mut self, idle_limit: Duration) -> Desk {
        self.idle_limit = idle_limit;
        self
    }

    /// The signed-in user is still there (the page saw them type, click or scroll): the
    /// idle clock starts again. Refused when the screen has locked meanwhile.
    pub fn still_here(&self) -> Result<()> {
        self.open_chart()?.sign_in().active(self.idle_limit).map(drop)
    }

    /// The open chart.
    pub(crate) fn open_chart(&self) -> Result<Arc<OpenChart>> {
        self.open
            .current()
            .ok_or_else(|| CommandError::new(ErrorKind::NoChart, "open the clinic's chart first"))
    }

    /// Runs `f` as the signed-in user on the writing connection; wakes the sync worker
    /// when `f` queued changes.
    pub(crate) fn as_user<T>(&self, f: impl FnOnce(&mut Chart, &Session) -> Result<T>) -> Result<T> {
        let open = self.open_chart()?;
        let session = open.sign_in().active(self.idle_limit)?;
        let (out, queued) = {
            let mut chart = open.writer()?;
            let before = chart.pending_op_count().unwrap_or(0);
            let out = f(&mut chart, &session)?;
            let queued = chart.pending_op_count().unwrap_or(0) > before;
            (out, queued)
        };
        if queued {
            self.sync_now();
        }
        Ok(out)
    }

    /// Runs `f` as the signed-in user on the reading connection, as one read transaction:
    /// it never waits on a change under way.
    pub(crate) fn as_reader<T>(&self, f: impl FnOnce(&Chart, &Session) -> Result<T>) -> Result<T> {
        let open = self.open_chart()?;
        let session = open.sign_in().active(self.idle_limit)?;
        let chart = open.reader()?;
        chart.read(|chart| f(chart, &session))
    }

    /// What to show first.
    pub fn status(&self) -> Result<DeskStatus> {
        let Some(open) = self.open.current() else {
            return Ok(DeskStatus {
                chart_exists: self.chart_path.exists(),
                open: false,
                demo: false,
                user: None,
                locked_user: None,
                pin_unlock: false,
                pending_changes: 0,
                sync: crate::sync::SyncView {
                    state: "local only".into(),
                    ..Default::default()
                },
            });
        };
        let (user, locked) = {
            let mut sign_in = open.sign_in();
            // The screen locks here too, so the page (which reads this when it wakes)
            // shows the lock even when nobody asks for anything else.
            sign_in.lock_if_idle(self.idle_limit);
            (sign_in.session.clone(), sign_in.locked.clone())
        };
        let reader = open.reader()?;
        let sync = self.sync_view(&reader);
        let pin_unlock = locked
            .as_ref()
            .is_some_and(|(s, tries)| *tries < PIN_ATTEMPTS && reader.has_pin(&s.user_id).unwrap_or(false));
        Ok(DeskStatus {
            chart_exists: self.chart_path.exists(),
            open: true,
            demo: open.demo,
            user: user.as_ref().map(UserView::from),
            pending_changes: sync.pending,
            sync,
            locked_user: locked.as_ref().map(|(s, _)| UserView::from(s)),
            pin_unlock,
        })
    }

    /// First run: creates the clinic's chart and its owner, and signs them in.
    pub fn create_clinic(&self, c: NewClinic) -> Result<UserView> {
        if let Some(dir) = self.chart_path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CommandError::new(ErrorKind::Io, format!("cannot create {}: {e}", dir.display())))?;
        }
        let role = Role::parse(c.role.as_deref().unwrap_or("pt"))?;
        let (chart, session) = Chart::create(
            &self.chart_path,
            &key_for(c.passphrase),
            &c.clinic,
            &c.name,
            &c.password,
            role,
        )?;
        let user = UserView::from(&session);
        self.replace_open(chart, Some(session), false)?;
        Ok(user)
    }

    /// Opens the clinic's chart (its key from the keychain, or the passphrase given).
    pub fn unlock_chart(&self, passphrase: Option<String>) -> Result<()> {
        let chart = Chart::open(&self.chart_path, &key_for(passphrase))?;
        self.replace_open(chart, None, false)
    }

    /// Opens the demo clinic, making it on first use, and signs in its owner.
    pub fn open_demo(&self) -> Result<UserView> {
        let key = KeySource::Passphrase(DEMO_PASSPHRASE.into());
        let (chart, session) = if self.demo_path.exists() {
            let mut chart = Chart::open(&self.demo_path, &key)?;
            let session = chart.authenticate(DEMO_OWNER, stride_chart::demo::DEMO_PASSWORD)?;
            stride_chart::demo::mark(&mut chart, &session)?;
            (chart, session)
        } else {
            if let Some(dir) = self.demo_path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| CommandError::new(ErrorKind::Io, e.to_string()))?;
            }
            let (mut chart, session) = Chart::create(
                &self.demo_path,
                &key,
                "Stride Demo Clinic",
                DEMO_OWNER,
                stride_chart::demo::DEMO_PASSWORD,
                Role::Pt,
            )?;
            let options = stride_chart::demo::DemoOptions::newcomer(chrono::Local::now().date_naive());
            stride_chart::demo::seed(&mut chart, &session, &options)?;
            (chart, session)
        };
        let user = UserView::from(&session);
        self.replace_open(chart, Some(session), true)?;
        Ok(user)
    }

    pub(crate) fn replace_open(&self, chart: Chart, session: Option<Session>, demo: bool) -> Result<()> {
        self.open.replace(Some(OpenChart::new(chart, session, demo)?));
        self.start_sync();
        self.keep_diagnosis_words();
        Ok(())
    }

    /// Keeps, in the background on the writer, the words of the diagnosis codes the chart
    /// uses that it has none for yet (`Chart::keep_missing_diagnosis_words`), so screens
    /// name them without the code set. Reads go on meanwhile; a failure only means the
    /// code set names them instead, so it is reported on standard error (the error's
    /// words: storage or code-set trouble, never a patient's data) and nothing else.
    fn keep_diagnosis_words(&self) {
        let Some(open) = self.open.current() else { return };
        self.finish_background();
        let work = std::thread::spawn(move || {
            let kept = open
                .writer()
                .and_then(|chart| Ok(chart.keep_missing_diagnosis_words()?));
            if let Err(e) = kept {
                eprintln!("stride-desktop: the diagnosis codes' words were not kept: {e}");
            }
        });
        *self
            .background
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(work);
    }

    /// Waits for the background work on the chart to end.
    fn finish_background(&self) {
        let work = self
            .background
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(work) = work
            && work.join().is_err()
        {
            eprintln!("stride-desktop: the background work on the chart stopped early");
        }
    }

    /// Before the app closes: the sync worker finishes what it is writing, and the
    /// background work on the chart ends, so that no thread still holds the chart while
    /// the process exits.
    pub fn shutdown(&self) {
        self.stop_sync();
        self.finish_background();
    }

    /// Signs a user in (also how a locked screen is unlocked).
    pub async fn sign_in(&self, name: &str, password: &str) -> Result<UserView> {
        let open = self.open_chart()?;
        // A linked chart verifies offline only people who have signed in to the clinic
        // server on this device; anyone else signs in through the server first.
        let offline = open.reader()?.can_sign_in_offline(name)?;
        if !offline {
            self.sign_in_to_server(name, password).await?;
        }
        // A pure read that takes a password hash's time: the reader, so no change waits on it.
        let session = open.reader()?.authenticate(name, password)?;
        let user = UserView::from(&session);
        open.sign_in().sign_in(session);
        if offline {
            self.renew_sign_in_if_ended(name, password);
        }
        Ok(user)
    }

    /// Locks the screen: the chart stays open, nobody is signed in; the user who locked
    /// it may come back with their PIN or password.
    pub fn lock(&self) -> Result<()> {
        self.open_chart()?.sign_in().lock();
        Ok(())
    }

    /// Unlocks the locked screen with the PIN of the user who locked it. After
    /// [`PIN_ATTEMPTS`] wrong PINs only the password will do.
    pub fn unlock_with_pin(&self, pin: &str) -> Result<UserView> {
        let open = self.open_chart()?;
        // Held throughout, so that PINs tried at once are all counted.
        let mut sign_in = open.sign_in();
        let Some((locked, tries)) = sign_in.locked.as_mut() else {
            return Err(CommandError::new(ErrorKind::State, "the screen is not locked"));
        };
        if *tries >= PIN_ATTEMPTS {
            return Err(CommandError::new(
                ErrorKind::PinLocked,
                "too many wrong PINs: sign in with your password",
            ));
        }
        let checked = open.reader()?.authenticate_pin(&locked.user_id, pin);
        match checked {
            Ok(session) => {
                let user = UserView::from(&session);
                sign_in.sign_in(session);
                Ok(user)
            }
            Err(e) => {
                *tries += 1;
                Err(e.into())
            }
        }
    }

    /// Sets the signed-in user's PIN.
    pub fn set_pin(&self, pin: &str) -> Result<()> {
        self.as_user(|chart, me| Ok(chart.set_pin(me, pin)?))
    }

    /// Patient search as you type.
    pub fn search_patients(&self, text: &str) -> Result<Vec<Patient>> {
        self.as_reader(|chart, _| Ok(chart.search_patients(text, 25)?))
    }

    /// ICD-10-CM codes matching what is typed (by code or words), billable first.
    pub fn search_diagnoses(&self, text: &str) -> Result<Vec<DiagnosisOption>> {
        self.as_reader(|chart, _| {
            Ok(chart
                .diagnosis_codes()?
                .newest()
                .codes
                .search(text, 8)
                .into_iter()
                .map(|c| DiagnosisOption {
                    code: c.code.to_owned(),
                    description: c.description.to_owned(),
                    billable: c.billable,
                })
                .collect())
        })
    }

    /// Registers a patient.
    pub fn add_patient(&self, p: NewPatient) -> Result<Patient> {
        self.as_user(|chart, me| {
            let id = chart.add_patient(me, &p)?;
            Ok(chart.patient(&id)?)
        })
    }

    /// The clinic's payers.
    pub fn payers(&self) -> Result<Vec<Payer>> {
        self.as_reader(|chart, _| Ok(chart.payers()?))
    }

    /// Adds a payer with the usual rules for its method.
    pub fn add_payer(&self, name: &str, method: &str) -> Result<Payer> {
        self.as_user(|chart, me| {
            let method = stride_coding::UnitMethod::parse(method)
                .ok_or_else(|| CommandError::new(ErrorKind::Invalid, "method: use cms or ama"))?;
            let id = chart.add_payer(me, &Payer::with_defaults(name, method))?;
            Ok(chart.payer(&id)?)
        })
    }

    /// Writes a plan of care (PTs); returns it.
    pub fn add_plan(&self, plan: stride_chart::plans::NewPlan) -> Result<stride_chart::plans::Plan> {
        self.as_user(|chart, me| {
            let id = chart.add_plan(me, &plan)?;
            Ok(chart.plan(&id)?)
        })
    }

    /// Records the physician's certification of a plan: the day signed, and how
    /// (`signed` or `verbal`).
    pub fn certify_plan(&self, plan_id: &str, signed_on: &str, method: &str) -> Result<stride_chart::plans::Plan> {
        self.as_user(|chart, me| {
            chart.certify_plan(me, plan_id, signed_on, method)?;
            Ok(chart.plan(plan_id)?)
        })
    }

    /// Opens an episode of care.
    pub fn add_episode(&self, e: NewEpisode) -> Result<Episode> {
        self.as_user(|chart, me| {
            let id = chart.add_episode(me, &e)?;
            Ok(chart.episode(&id)?)
        })
    }

    /// A patient's chart; recorded in the audit trail as a chart open.
    pub fn patient_chart(&self, patient_id: &str) -> Result<ChartView> {
        // The trail holds the open before anything is shown.
        self.as_user(|chart, me| Ok(chart.record_chart_open(me, patient_id)?))?;
        self.as_reader(|chart, _| {
            let patient = chart.patient(patient_id)?;
            let today = chrono::Local::now().date_naive();
            let alerts = chart.patient_alerts(patient_id, chrono::Utc::now(), today)?;
            let episodes = chart.episodes_of(patient_id)?;
            let plans = episodes
                .iter()
                .map(|e| Ok((e.id.clone(), chart.plans_of(&e.id)?)))
                .collect::<Result<_>>()?;
            Ok(ChartView {
                coverages: chart.coverages(patient_id)?,
                next_visit: crate::overview::next_visit(chart, patient_id)?,
                trends: crate::overview::trends(chart, &episodes)?,
                goals: crate::overview::active_episode(&episodes)
                    .map(|e| chart.goal_progress(&e.id, None))
                    .transpose()?,
                plans,
                episodes,
                timeline: chart.timeline(patient_id)?,
                alerts,
                patient,
            })
        })
    }

    /// Starts a note.
    pub fn create_note(&self, episode_id: &str, kind: &str, date: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            let id = chart.create_note(me, episode_id, NoteKind::parse(kind)?, date, None)?;
            note_screen(chart, &id)
        })
    }

    /// The note of a visit on the schedule: the one already started, or a new daily note
    /// for the appointment's episode on its date.
    pub fn open_visit_note(&self, appointment_id: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            if let Some(id) = chart.note_for_appointment(appointment_id)? {
                chart.open_note(me, &id)?;
                return note_screen(chart, &id);
            }
            let a = chart.appointment(appointment_id)?;
            let episode = a.episode_id.clone().ok_or_else(|| {
                CommandError::new(
                    ErrorKind::State,
                    "this visit has no episode of care: open one in the patient's chart first",
                )
            })?;
            let date = a.starts_at.get(..10).unwrap_or(&a.starts_at);
            let id = chart.create_note(me, &episode, NoteKind::Daily, date, Some(appointment_id))?;
            note_screen(chart, &id)
        })
    }

    /// A note with its billing; recorded in the audit trail as an open of the note.
    pub fn note(&self, id: &str) -> Result<NoteScreen> {
        // Refused to those who may not read notes; the trail holds the open before
        // anything is shown.
        self.as_user(|chart, me| Ok(chart.record_note_open(me, id)?))?;
        self.as_reader(|chart, _| note_screen(chart, id))
    }

    /// Saves a draft's fields (autosave).
    pub fn save_note(&self, id: &str, edit: NoteEdit) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.edit_note(me, id, &edit)?;
            note_screen(chart, id)
        })
    }

    /// Chooses the diagnoses a service treats.
    pub fn set_service_diagnoses(&self, id: &str, code: &str, pointers: &[u8]) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.set_service_diagnoses(me, id, code, pointers)?;
            note_screen(chart, id)
        })
    }

    /// Sets an intervention's minutes; the billing comes back recomputed.
    pub fn set_service(&self, id: &str, code: &str, minutes: u32, pta_minutes: Option<u32>) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.set_service(me, id, code, minutes, pta_minutes)?;
            note_screen(chart, id)
        })
    }

    /// Marks (or unmarks) an NCCI pair as done in separate intervals; the billing comes
    /// back recomputed.
    pub fn set_distinct_pair(&self, id: &str, pair: [&str; 2], distinct: bool) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.set_distinct_pair(me, id, pair, distinct)?;
            note_screen(chart, id)
        })
    }

    /// Says in a draft where a goal stands; `None` takes the draft's word back.
    pub fn assess_goal(
        &self,
        id: &str,
        goal_id: &str,
        status: Option<GoalStatus>,
        comment: &str,
    ) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.assess_goal(me, id, goal_id, status.map(|s| (s, comment)))?;
            note_screen(chart, id)
        })
    }

    /// Replaces a draft's flowsheet.
    pub fn set_flowsheet(&self, id: &str, rows: Vec<stride_chart::notes::FlowsheetRow>) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.set_flowsheet(me, id, &rows)?;
            note_screen(chart, id)
        })
    }

    /// Removes an intervention.
    pub fn remove_service(&self, id: &str, code: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.remove_service(me, id, code)?;
            note_screen(chart, id)
        })
    }

    /// Signs a note.
    pub fn sign_note(&self, id: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.sign_note(me, id)?;
            note_screen(chart, id)
        })
    }

    /// A PT co-signs a PTA's note.
    pub fn cosign_note(&self, id: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.cosign_note(me, id)?;
            note_screen(chart, id)
        })
    }

    /// Adds a signed addendum.
    pub fn add_addendum(&self, id: &str, text: &str) -> Result<NoteScreen> {
        self.as_user(|chart, me| {
            chart.add_addendum(me, id, text)?;
            note_screen(chart, id)
        })
    }

    /// The outcome measures Stride scores.
    pub fn measure_forms(&self) -> Result<Vec<MeasureForm>> {
        Ok(measure_catalog()?
            .iter()
            .map(|d| MeasureForm {
                id: d.id().to_owned(),
                name: d.name().to_owned(),
                short_name: d.short_name().to_owned(),
                items: d.items().iter().map(|i| i.label.clone()).collect(),
                activities: d.activities().is_some(),
                min: d.response().min.to_string(),
                max: d.response().max.to_string(),
                step: d.response().step.to_string(),
            })
            .collect())
    }

    /// Scores answers as the form is filled (nothing is saved).
    pub fn score_measure(&self, measure_id: &str, answers: &stride_measures::Answers) -> Result<ScoreView> {
        let def = measure_def(measure_catalog()?, measure_id)?;
        let score =
            stride_measures::score(def, answers).map_err(|e| CommandError::new(ErrorKind::Invalid, e.to_string()))?;
        Ok(ScoreView {
            display: score.display(),
            status: score.status_sentence(),
        })
    }

    /// Records a measure and returns the episode's history of it.
    pub fn record_measure(
        &self,
        episode_id: &str,
        measure_id: &str,
        date: &str,
        answers: &stride_measures::Answers,
    ) -> Result<MeasureHistory> {
        self.as_user(|chart, me| {
            chart.record_measure(me, episode_id, None, measure_id, date, answers)?;
            history_of(chart, episode_id, measure_id)
        })
    }

    /// An episode's history of one measure, with change against the MCID, and its trend.
    pub fn measure_history(&self, episode_id: &str, measure_id: &str) -> Result<MeasureHistory> {
        self.as_reader(|chart, _| history_of(chart, episode_id, measure_id))
    }

    /// Every compliance alert.
    pub fn alerts(&self) -> Result<Vec<Alert>> {
        self.as_reader(|chart, _| Ok(chart.alerts(chrono::Utc::now(), chrono::Local::now().date_naive())?))
    }
}

/// The outcome measures Stride ships (read once per process).
pub(crate) fn measure_catalog() -> Result<&'static stride_measures::MeasureCatalog> {
    stride_measures::MeasureCatalog::builtin().map_err(|e| CommandError::new(ErrorKind::State, e.to_string()))
}

/// One of them by id, refused in words when Stride has no such measure.
fn measure_def<'c>(
    catalog: &'c stride_measures::MeasureCatalog,
    measure_id: &str,
) -> Result<&'c stride_measures::MeasureDef> {
    catalog
        .require(measure_id)
        .map_err(|e| CommandError::new(ErrorKind::Invalid, e.to_string()))
}

/// An episode's history of one measure and its trend.
fn history_of(chart: &Chart, episode_id: &str, measure_id: &str) -> Result<MeasureHistory> {
    let catalog = measure_catalog()?;
    // The chart refuses an unknown measure first, in its words.
    let results = chart.measure_history(episode_id, measure_id)?;
    let def = measure_def(catalog, measure_id.trim())?;
    Ok(MeasureHistory {
        trend: measure_trend(catalog, def, &results),
        results,
    })
}

/// A note and its billing: the live preview for a draft.
pub(crate) fn note_screen(chart: &Chart, id: &str) -> Result<NoteScreen> {
    let note = chart.note(id)?;
    let (billing, billing_error) = if note.content_hash.is_none() {
        match chart.preview_coding(id) {
            Ok(coding) => (Some(CodingReport::from(coding)), None),
            Err(ChartError::Coding(e)) => (None, Some(e.to_string())),
            Err(e) => return Err(e.into()),
        }
    } else {
        (None, None)
    };
    let today = chrono::Local::now().date_naive();
    let alerts = chart
        .patient_alerts(&note.patient_id, chrono::Utc::now(), today)?
        .into_iter()
        .filter(|a| a.episode_id == note.episode_id)
        .collect();
    let diagnoses = chart.episode(&note.episode_id)?.diagnoses;
    let treats = note
        .services
        .iter()
        .map(|s| stride_chart::notes::service_pointers(&s.diagnoses, diagnoses.len()))
        .collect();
    let previous = chart.previous_signed_note(&note.episode_id, &note.id, &note.date_of_service)?;
    let draft = note.content_hash.is_none().then_some(note.id.as_str());
    let goals = chart.goal_progress(&note.episode_id, draft)?;
    Ok(NoteScreen {
        reports_progress: note.kind.is_progress_report(),
        note,
        billing,
        billing_error,
        alerts,
        diagnoses,
        treats,
        previous,
        goals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A desk over a new clinic, its owner signed in.
    fn clinic(dir: &tempfile::TempDir) -> Desk {
        let desk = Desk::new(dir.path().join("clinic.stride"), dir.path().join("demo.stride"));
        desk.create_clinic(NewClinic {
            clinic: "Riverside PT".into(),
            name: "maria".into(),
            password: "owner-password".into(),
            role: None,
            passphrase: Some("desk test passphrase".into()),
        })
        .expect("first run");
        desk
    }

    #[test]
    fn screens_read_while_a_change_holds_the_writer() {
        let dir = tempfile::tempdir().expect("dir");
        let desk = clinic(&dir);
        let open = desk.open_chart().expect("open");
        let (done, read) = mpsc::channel();
        std::thread::scope(|scope| {
            // A long change (a sync applying the clinic's records, say) holds the writer.
            let writer = open.writer().expect("writer");
            scope.spawn(|| {
                let schedule = desk.schedule(crate::schedule::ScheduleQuery::day("2026-12-07"));
                let search = desk.search_patients("Quixote");
                let status = desk.status();
                done.send((schedule.is_ok(), search.is_ok(), status.is_ok()))
                    .expect("send");
            });
            let answered = read.recv_timeout(Duration::from_secs(20));
            drop(writer);
            assert_eq!(
                answered,
                Ok((true, true, true)),
                "the schedule, a search and the status bar were kept waiting by a change"
            );
        });
    }

    #[test]
    fn a_change_is_seen_by_the_next_read() {
        let dir = tempfile::tempdir().expect("dir");
        let desk = clinic(&dir);
        assert!(desk.search_patients("Quixote").expect("search").is_empty());
        desk.add_patient(NewPatient {
            first_name: "Zebulon".into(),
            last_name: "Quixote".into(),
            dob: "1951-07-04".into(),
            ..NewPatient::default()
        })
        .expect("add");
        assert_eq!(desk.search_patients("Quixote").expect("search").len(), 1);
    }

    #[test]
    fn the_desk_goes_only_once_its_background_work_on_the_chart_has_ended() {
        let dir = tempfile::tempdir().expect("dir");
        let desk = clinic(&dir);
        let open = desk.open_chart().expect("open");
        let chart = Arc::downgrade(&open);
        // The work opening the chart started is done; the next waits for the writer, held
        // here as a long change would hold it.
        desk.finish_background();
        let writer = open.writer().expect("writer");
        desk.keep_diagnosis_words();
        let going = std::thread::spawn(move || drop(desk));
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            !going.is_finished(),
            "the desk went while its background work still held the chart"
        );
        drop(writer);
        drop(open);
        going.join().expect("the desk goes");
        assert!(
            chart.upgrade().is_none(),
            "no thread holds the chart once the desk has gone"
        );
    }

    #[test]
    fn reads_are_refused_while_the_screen_is_locked() {
        let dir = tempfile::tempdir().expect("dir");
        let desk = clinic(&dir);
        desk.lock().expect("lock");
        let refused = desk.search_patients("Quixote").expect_err("locked");
        assert_eq!(refused.kind, ErrorKind::Locked);
    }
}

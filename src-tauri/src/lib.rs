//! The Stride desktop app: a Tauri window over the local chart store.
//!
//! - [`desk`]: every operation the window can ask for, as plain functions over the open
//!   chart (tested without a window).
//! - [`commands`]: the Tauri commands, one line each over the desk.
//! - [`error`]: the one error type that crosses into the UI, `{ kind, message }`.
//! - [`sync`]: joining a clinic server, the background sync worker, sync issues.
//! - `webkit` (Linux): keeps WebKitGTK's memory small (environment and view settings).
//!
//! The chart lives in the app's data folder (`clinic.stride`, and `demo.stride` for the
//! demo clinic); `STRIDE_DB` and `STRIDE_DEMO_DB` move them (the end-to-end tests do).

#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub mod allocator;
pub mod banner;
pub mod billing;
pub mod commands;
pub mod contract;
pub mod desk;
pub mod error;
pub mod insurance;
pub mod overview;
pub mod quicktext;
pub mod schedule;
pub mod sync;
pub mod trend;
#[cfg(target_os = "linux")]
pub mod webkit;

use std::path::PathBuf;
use tauri::{Emitter, Manager};

/// Where the charts live: `STRIDE_DB` / `STRIDE_DEMO_DB`, else the app's data folder.
fn chart_paths(data_dir: PathBuf) -> (PathBuf, PathBuf) {
    let env_path = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
    (
        env_path("STRIDE_DB").unwrap_or_else(|| data_dir.join("clinic.stride")),
        env_path("STRIDE_DEMO_DB").unwrap_or_else(|| data_dir.join("demo.stride")),
    )
}

/// Starts the app.
pub fn run() -> Result<(), String> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    allocator::prepare_allocator();
    #[cfg(target_os = "linux")]
    webkit::prepare_process();
    tauri::Builder::default()
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            let (chart, demo) = chart_paths(data_dir);
            let desk = desk::Desk::new(chart, demo);
            let handle = app.handle().clone();
            // Sync's news reaches the window as an event; a window that is gone misses it.
            desk.on_change(std::sync::Arc::new(move |event| {
                let _ = handle.emit("desk-changed", event);
            }));
            app.manage(std::sync::Arc::new(desk));
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                window.with_webview(|webview| webkit::lighten_view(&webview.inner()))?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::create_clinic,
            commands::unlock_chart,
            commands::open_demo,
            commands::sign_in,
            commands::lock,
            commands::unlock_with_pin,
            commands::set_pin,
            commands::schedule,
            commands::book_appointment,
            commands::set_appointment_status,
            commands::set_clinic_hours,
            commands::clinic_closures,
            commands::close_clinic_on,
            commands::reopen_clinic_on,
            commands::plan_series,
            commands::book_series,
            commands::cancel_series,
            commands::move_appointment,
            commands::quick_texts,
            commands::add_quick_text,
            commands::retire_quick_text,
            commands::search_patients,
            commands::search_diagnoses,
            commands::add_patient,
            commands::payers,
            commands::add_payer,
            commands::add_episode,
            commands::patient_chart,
            commands::create_note,
            commands::open_visit_note,
            commands::note,
            commands::save_note,
            commands::set_service,
            commands::set_distinct_pair,
            commands::remove_service,
            commands::set_flowsheet,
            commands::assess_goal,
            commands::add_plan,
            commands::certify_plan,
            commands::sign_note,
            commands::cosign_note,
            commands::add_addendum,
            commands::measure_forms,
            commands::score_measure,
            commands::record_measure,
            commands::measure_history,
            commands::alerts,
            commands::join_clinic,
            commands::sync_now,
            commands::sync_issues,
            commands::resolve_sync_issue,
            commands::billing,
            commands::build_claims,
            commands::claim,
            commands::mark_claims_ready,
            commands::set_claim_status,
            commands::edit_claim_line,
            commands::rebuild_claim,
            commands::export_837,
            commands::import_835,
            commands::resolve_denial,
            commands::superbill,
            commands::demo_remittance,
            commands::production,
            commands::billing_setup,
            commands::set_billing_profile,
            commands::set_clinic_fee,
            commands::set_payer_billing,
            commands::set_patient_address,
            commands::set_outside_therapy,
            commands::set_user_npi,
            commands::code_lists,
            commands::insurance,
            commands::set_coverage_insured,
            commands::set_msp_type,
            commands::set_qmb,
            commands::add_authorization,
            commands::set_place_of_service,
            commands::set_service_diagnoses,
            commands::patient_banner,
            commands::set_patient_safety,
            commands::still_here,
        ])
        .build(tauri::generate_context!())
        .map_err(|e| e.to_string())?
        .run(|app, event| {
            // Closing: let the sync worker and the background work on the chart finish
            // what they are writing first.
            if let tauri::RunEvent::Exit = event {
                app.state::<commands::SharedDesk>().shutdown();
            }
        });
    Ok(())
}

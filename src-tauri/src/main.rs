//! The `stride-desktop` binary.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    match stride_desktop::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stride-desktop: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

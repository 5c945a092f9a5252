//! The baseline Tauri v2 window: the shape of create-tauri-app's template (a heading,
//! three logos, a greeting form and its `greet` command), built as Stride's window is and
//! with the same WebKitGTK and allocator settings (`stride_desktop::webkit`,
//! `stride_desktop::allocator`), so that Stride's memory can be told as a ratio to what
//! the simplest Tauri app on this machine costs (`tests/e2e/perf.mjs`, BENCHMARKS.md).

#[cfg(target_os = "linux")]
use tauri::Manager;

/// The template's one command: a greeting for the name typed.
#[tauri::command]
fn greet(name: &str) -> String {
    format!("Hello, {name}! You've been greeted from Rust!")
}

fn main() -> std::process::ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    stride_desktop::allocator::prepare_allocator();
    #[cfg(target_os = "linux")]
    stride_desktop::webkit::prepare_process();
    let built = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![greet])
        .setup(|_app| {
            #[cfg(target_os = "linux")]
            if let Some(window) = _app.get_webview_window("main") {
                window.with_webview(|webview| stride_desktop::webkit::lighten_view(&webview.inner()))?;
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    match built {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stride-blank-window: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

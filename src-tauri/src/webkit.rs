//! Keeps WebKitGTK lean: Stride's screens are forms and lists, and WebKit's browser
//! defaults (a JavaScript JIT, GPU compositing, GL in every process, browser-sized
//! caches) cost memory that buys nothing here. BENCHMARKS.md has the figures.
//!
//! Two steps: [`prepare_process`] before the window exists (environment that WebKit and
//! its child processes read once), and [`lighten_view`] on the created view (settings).

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void};
use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

/// What WebKit and its web process read from the environment, and the value Stride wants.
/// A value the user has set already wins: these are also WebKit's troubleshooting knobs.
const WEBKIT_ENVIRONMENT: [(&str, &str); 3] = [
    // JavaScriptCore's JIT keeps compiled code and its own pools resident (about 15 MB)
    // and, for a page this small, opens the chart slower than the interpreter does.
    ("JSC_useJIT", "false"),
    // Without GPU compositing there are no GPU frames to hand over as DMA-BUFs.
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    // GTK's own GL is for GL widgets and GPU frames: the window has neither.
    ("GDK_GL", "disable"),
];

/// `EGL_EXTENSIONS`, from `EGL/egl.h`.
const EGL_EXTENSIONS: c_int = 0x3055;

#[link(name = "EGL")]
unsafe extern "C" {
    /// libglvnd's entry point; with no display it lists client extensions, and the first
    /// call of any EGL function loads the vendor libraries (Mesa, a GPU driver) once.
    fn eglQueryString(display: *mut c_void, name: c_int) -> *const c_char;
}

/// Sets WebKit's environment and keeps GL out of the window's own process.
///
/// With painting in software the window process only copies the web process's finished
/// bitmaps to the screen: it needs no GL. WebKit still asks EGL for a display there, and
/// on Debian that loads Mesa with all of LLVM (about 25 MB resident). libglvnd picks its
/// vendor libraries once per process, at the first EGL call, from
/// `__EGL_VENDOR_LIBRARY_FILENAMES`: pointing it at no vendor for that first call leaves
/// this process without GL, and removing the variable again gives the web process
/// (which paints with Skia, and needs EGL) the machine's normal drivers.
///
/// Must run first in `main`, while the process has one thread: it changes the
/// environment.
pub fn prepare_process() {
    // SAFETY: called at the top of `run`, from `main`, before Tauri, GTK or any other
    // thread starts, so nothing reads the environment while it changes.
    unsafe {
        for (name, value) in WEBKIT_ENVIRONMENT {
            if std::env::var_os(name).is_none() {
                std::env::set_var(name, value);
            }
        }
        if std::env::var_os("__EGL_VENDOR_LIBRARY_FILENAMES").is_none() {
            std::env::set_var(
                "__EGL_VENDOR_LIBRARY_FILENAMES",
                "/nonexistent/stride-no-egl-vendor.json",
            );
            eglQueryString(std::ptr::null_mut(), EGL_EXTENSIONS);
            std::env::remove_var("__EGL_VENDOR_LIBRARY_FILENAMES");
        }
    }
}

/// Turns off what the view's defaults spend memory on: GPU compositing, WebGL and the
/// browser-sized caches. Without compositing WebKit paints in software, which such pages
/// do easily.
///
/// Also gives the page a language when the environment names none: under the `C` or
/// `POSIX` locale (a minimal system, a service account, CI) WebKit passes `C` on as
/// `navigator.language`, which is not a language tag, and a library that hands it to
/// `Intl` throws. The page then speaks US English, as the `C` locale's messages do; a
/// real locale is left to WebKit.
pub fn lighten_view(view: &webkit2gtk::WebView) {
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
        let names = webkit2gtk::glib::language_names();
        if !names_a_language(names.first().map(|name| name.as_str())) {
            context.set_preferred_languages(&[FALLBACK_LANGUAGE]);
        }
    }
    if let Some(settings) = WebViewExt::settings(view) {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        settings.set_enable_webgl(false);
    }
}

/// The page's language when the environment's locale names none.
const FALLBACK_LANGUAGE: &str = "en-US";

/// Whether the locale GLib puts first (`en_US.UTF-8`, `de_DE@euro`, `C.UTF-8`) names a
/// language WebKit can pass to the page: not `C` or `POSIX`, the locales of no language.
fn names_a_language(locale: Option<&str>) -> bool {
    let Some(locale) = locale else { return false };
    let language = locale.split(['_', '.', '@']).next().unwrap_or_default();
    (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::names_a_language;

    #[test]
    fn a_locale_names_a_language_unless_it_is_c_or_posix() {
        for real in ["en_US.UTF-8", "en_GB", "de_DE@euro", "fr", "fil_PH.UTF-8"] {
            assert!(names_a_language(Some(real)), "{real}");
        }
        for none in ["C", "C.UTF-8", "POSIX", "", "c"] {
            assert!(!names_a_language(Some(none)), "{none}");
        }
        assert!(!names_a_language(None));
    }
}

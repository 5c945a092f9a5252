//! Release builds on Linux link the functions a working session runs side by side.
//!
//! The kernel maps a program's code 64 KB at a time around each page it runs, so code
//! scattered over the binary keeps far more of it resident than the code that runs. The
//! package's `hot-text.ld` (made by `scripts/symbol-order` from a session of
//! `tests/e2e/perf.mjs`) names those functions; handed to the linker, it places them in one
//! output section before the rest of the code. Shared by Stride's window and the template
//! app it is measured against, so that both are built the same way.

use std::path::Path;

/// Gives the package's binaries `hot-text.ld` when building for release on Linux.
pub fn link_hot_text_together() {
    let Ok(manifest) = std::env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let script = Path::new(&manifest).join("hot-text.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if release && linux && script.is_file() {
        // The compiler driver's own `-T`, with the path as its own argument: `-Wl,` would
        // split a path with a comma in it.
        println!("cargo:rustc-link-arg-bins=-T");
        println!("cargo:rustc-link-arg-bins={}", script.display());
    }
}

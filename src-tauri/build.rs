//! Builds the Tauri context (configuration, capabilities, icons), and links a release
//! build's running code side by side (`build-support/hot_text.rs`).

#[path = "build-support/hot_text.rs"]
mod hot_text;

fn main() {
    tauri_build::build();
    hot_text::link_hot_text_together();
}

//! Builds the Tauri context of the blank window, and links its release build as Stride's
//! is (`src-tauri/build-support/hot_text.rs`).

#[path = "../../src-tauri/build-support/hot_text.rs"]
mod hot_text;

fn main() {
    tauri_build::build();
    hot_text::link_hot_text_together();
}

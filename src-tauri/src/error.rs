//! The one error type that crosses into the UI: a stable kind and a sentence.

use serde::Serialize;

/// An error as the UI receives it: `kind` to branch on, `message` to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// A stable code: `wrong_key`, `bad_credentials`, `invalid`, `forbidden`, `not_found`,
    /// `state`, `locked`, `no_chart`, ...
    pub kind: String,
    /// What went wrong, in words a clinician can act on.
    pub message: String,
}

impl CommandError {
    /// An error of a kind of the app's own.
    pub fn new(kind: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            kind: kind.to_owned(),
            message: message.into(),
        }
    }

    /// Nobody is signed in (or the screen is locked).
    pub fn locked() -> CommandError {
        CommandError::new("locked", "sign in to continue")
    }
}

impl From<stride_chart::ChartError> for CommandError {
    fn from(e: stride_chart::ChartError) -> Self {
        CommandError::new(e.kind(), e.to_string())
    }
}

/// Result of a desk operation.
pub type Result<T> = std::result::Result<T, CommandError>;

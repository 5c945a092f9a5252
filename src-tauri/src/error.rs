//! The one error type that crosses into the UI: a stable kind and a sentence.

use serde::Serialize;

/// What kind of failure an error is: the UI branches on it (never on the message). Its
/// names are the `ErrorKind` union of the generated `ui/src/lib/contract.ts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[derive(ts_rs::TS)]
pub enum ErrorKind {
    /// The chart's key is wrong.
    WrongKey,
    /// This computer has no keychain to keep the key in.
    NoKeychain,
    /// The keychain is locked.
    KeychainLocked,
    /// The keychain holds no key for the chart.
    KeyNotInKeychain,
    /// There is no chart yet.
    NoChart,
    /// A chart exists already where one was to be made.
    ChartExists,
    /// The chart was written by a newer Stride.
    TooNew,
    /// The name and password do not match.
    BadCredentials,
    /// The user's roles do not allow it.
    Forbidden,
    /// The record does not exist.
    NotFound,
    /// Input that cannot be accepted, naming the field.
    Invalid,
    /// The records are not in a state that allows it.
    State,
    /// The timed-code engine cannot code the visit.
    Coding,
    /// A file could not be read or written.
    Io,
    /// The chart's storage failed.
    Storage,
    /// Nobody is signed in, or the screen is locked.
    Locked,
    /// Too many wrong PINs: the password is needed.
    PinLocked,
    /// The clinic server could not be reached or refused.
    Sync,
}

/// An error as the UI receives it: `kind` to branch on, `message` to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct CommandError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// What went wrong, in words a clinician can act on.
    pub message: String,
}

impl CommandError {
    /// An error of a kind of the app's own.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> CommandError {
        CommandError {
            kind,
            message: message.into(),
        }
    }

    /// Nobody is signed in (or the screen is locked).
    pub fn locked() -> CommandError {
        CommandError::new(ErrorKind::Locked, "sign in to continue")
    }
}

impl From<stride_chart::ChartError> for CommandError {
    fn from(e: stride_chart::ChartError) -> Self {
        use stride_chart::ChartError as E;
        let kind = match &e {
            E::WrongKey => ErrorKind::WrongKey,
            E::NoKeychain(_) => ErrorKind::NoKeychain,
            E::KeychainLocked => ErrorKind::KeychainLocked,
            E::KeyNotInKeychain => ErrorKind::KeyNotInKeychain,
            E::NoChart(_) => ErrorKind::NoChart,
            E::ChartExists(_) => ErrorKind::ChartExists,
            E::TooNew { .. } => ErrorKind::TooNew,
            E::BadCredentials => ErrorKind::BadCredentials,
            E::Forbidden { .. } => ErrorKind::Forbidden,
            E::NotFound { .. } => ErrorKind::NotFound,
            E::Invalid { .. } => ErrorKind::Invalid,
            E::State(_) => ErrorKind::State,
            E::Coding(_) => ErrorKind::Coding,
            E::Io { .. } => ErrorKind::Io,
            E::Storage(_) => ErrorKind::Storage,
        };
        CommandError::new(kind, e.to_string())
    }
}

/// Result of a desk operation.
pub type Result<T> = std::result::Result<T, CommandError>;

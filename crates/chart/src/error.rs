//! What can go wrong in the chart store, in words a clinician can act on.

use thiserror::Error;

/// Result of a chart operation.
pub type Result<T> = std::result::Result<T, ChartError>;

/// Why a chart operation failed. Every message is one line a clinician can act on;
/// [`ChartError::kind`] gives a stable code for a UI to key on.
#[derive(Debug, Error)]
pub enum ChartError {
    /// The key (passphrase or keychain entry) does not open this chart.
    #[error("the passphrase or key does not open this chart (wrong passphrase, or the file is not a Stride chart)")]
    WrongKey,
    /// No keychain is available and no passphrase was given.
    #[error("this machine has no usable keychain ({0}); set STRIDE_PASSPHRASE to protect the chart with a passphrase")]
    NoKeychain(String),
    /// The keychain is there but locked (or refused Stride access), so the chart's key
    /// could not be read or stored.
    #[error(
        "the keychain is locked, so Stride cannot get this chart's key: unlock your keychain (sign in to this computer again, or unlock the Login keyring in your passwords app) and try again; a chart that has a passphrase opens with it instead (STRIDE_PASSPHRASE, or the unlock screen)"
    )]
    KeychainLocked,
    /// The keychain works but holds no key for this chart. Stride never makes a new key
    /// for an existing chart: it would not open the file.
    #[error(
        "this chart's key is not in this computer's keychain, and Stride will not make a new one (the chart is unchanged): if the chart has a passphrase, give it (STRIDE_PASSPHRASE, or the unlock screen); if not, its key was removed or is on another computer or user account: open the chart there, or restore the latest backup with `stride restore`"
    )]
    KeyNotInKeychain,
    /// The chart file does not exist.
    #[error("no chart at {0}: create one first with `stride init`")]
    NoChart(String),
    /// A chart already exists where one was to be created.
    #[error("a chart already exists at {0}")]
    ChartExists(String),
    /// The chart was written by a newer Stride.
    #[error(
        "this chart was written by a newer version of Stride (schema {found}, this build knows {known}); update Stride"
    )]
    TooNew {
        /// Schema version in the file.
        found: i64,
        /// Newest schema version this build knows.
        known: i64,
    },
    /// A user name and password did not match an active user.
    #[error("user name or password is wrong")]
    BadCredentials,
    /// The acting user lacks the role an action needs.
    #[error("{action} needs the {needed} role")]
    Forbidden {
        /// What was attempted.
        action: String,
        /// The role it needs, in words.
        needed: String,
    },
    /// A record that was asked for does not exist.
    #[error("no {entity} with id {id}")]
    NotFound {
        /// The kind of record.
        entity: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A value the user gave is not acceptable.
    #[error("{field}: {message}")]
    Invalid {
        /// Which field.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The action is not allowed in the record's current state.
    #[error("{0}")]
    State(String),
    /// The engine refused the note's services.
    #[error("the note's services cannot be coded: {0}")]
    Coding(#[from] stride_coding::CodingError),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The database refused an operation.
    #[error("the chart database refused the change: {0}")]
    Storage(#[from] rusqlite::Error),
}

impl ChartError {
    /// A stable, machine-readable code for the kind of error.
    pub fn kind(&self) -> &'static str {
        match self {
            ChartError::WrongKey => "wrong_key",
            ChartError::NoKeychain(_) => "no_keychain",
            ChartError::KeychainLocked => "keychain_locked",
            ChartError::KeyNotInKeychain => "key_not_in_keychain",
            ChartError::NoChart(_) => "no_chart",
            ChartError::ChartExists(_) => "chart_exists",
            ChartError::TooNew { .. } => "too_new",
            ChartError::BadCredentials => "bad_credentials",
            ChartError::Forbidden { .. } => "forbidden",
            ChartError::NotFound { .. } => "not_found",
            ChartError::Invalid { .. } => "invalid",
            ChartError::State(_) => "state",
            ChartError::Coding(_) => "coding",
            ChartError::Io { .. } => "io",
            ChartError::Storage(_) => "storage",
        }
    }

    /// An invalid-input error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ChartError {
        ChartError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A not-found error.
    pub fn not_found(entity: &'static str, id: impl ToString) -> ChartError {
        ChartError::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// An I/O error with context.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> ChartError {
        ChartError::Io {
            context: context.into(),
            source,
        }
    }
}

//! Errors the runner returns to its caller. A program that misbehaves is never an error: it is
//! an [`Outcome`](crate::Outcome) with a status. These are the cases where no run happened.

use std::io;

/// Why the runner could not start, or refused a job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The sandbox cannot work on this machine (bwrap missing, user namespaces disabled, …).
    #[error("sandbox unavailable: {0}")]
    SandboxUnavailable(String),
    /// The configuration is inconsistent.
    #[error("invalid runner configuration: {0}")]
    Config(String),
    /// The job asked for a language this runner does not know or cannot run here.
    #[error("language {language} is not available: {reason}")]
    LanguageUnavailable { language: String, reason: String },
    /// The job itself is malformed (too large, no test case, …).
    #[error("invalid job: {0}")]
    InvalidJob(String),
    /// Setting up host resources (mounts, cgroups, files) failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: impl Into<io::Error>) -> Self {
        Error::Io { context: context.into(), source: source.into() }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

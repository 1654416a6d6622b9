//! Errors of chart loading, values and dependencies: Helm's message text, plus the file the
//! error is about when there is one (so callers can point at it).

use std::fmt;
use std::path::PathBuf;

/// An error with Helm's wording in `message` (what `helm template` prints after `Error: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The file or chart folder the error is about, when known.
    pub path: Option<PathBuf>,
    /// 1-based line in `path`, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            path: None,
            line: None,
            message: message.into(),
        }
    }

    pub fn at(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error {
            path: Some(path.into()),
            line: None,
            message: message.into(),
        }
    }

    /// Helm's `errors.Wrap(err, context)`: `context: message`.
    pub fn wrap(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.into());
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

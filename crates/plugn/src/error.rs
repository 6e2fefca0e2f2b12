use std::io;
use std::path::PathBuf;

/// Errors raised by plugn operations. Each carries the exit status the CLI uses for it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid {kind} name '{name}': it must be non-empty and must not contain '/', '..', a newline or NUL")]
    InvalidName { kind: &'static str, name: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {message}")]
    Toml { path: PathBuf, message: String },
    /// A failure whose message was already printed (by plugn or a child process).
    #[error("exit status {0}")]
    Status(i32),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The exit status plugn ends with for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Status(code) => *code,
            _ => 1,
        }
    }
}

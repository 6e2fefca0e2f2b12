//! The error type every command returns. The binary's `main` (see [`crate::plugin`]) is the
//! only place that prints it and exits, so library code never calls `process::exit`.

use std::fmt;
use std::io;

/// How an error is shown when it reaches `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ` !     <message>` on stderr (dokku's `LogFail`).
    Prefixed,
    /// ` !     <message>` on stderr unless `DOKKU_QUIET_OUTPUT` is set (`LogFailWithErrorQuiet`).
    PrefixedQuiet,
    /// The message as-is on stderr (the `prop` CLI prints raw error text).
    Raw,
    /// Nothing is printed; only the exit status matters (e.g. `prop exists`).
    Silent,
}

/// A failure carrying the message and the exit status the process ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    code: i32,
    style: Style,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit status for a missing app (`App <app> does not exist`).
pub const APP_DOES_NOT_EXIST_EXIT: i32 = 20;

impl Error {
    /// A failure with exit status 1, shown as ` !     msg`.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            code: 1,
            style: Style::Prefixed,
        }
    }

    /// A failure with an explicit exit status, shown as ` !     msg`.
    pub fn with_code(message: impl Into<String>, code: i32) -> Self {
        Error {
            message: message.into(),
            code,
            style: Style::Prefixed,
        }
    }

    /// A failure that prints nothing and only sets the exit status.
    pub fn silent(code: i32) -> Self {
        Error {
            message: String::new(),
            code,
            style: Style::Silent,
        }
    }

    /// `App <app> does not exist`, exit 20.
    pub fn app_does_not_exist(app: &str) -> Self {
        Error::with_code(format!("App {app} does not exist"), APP_DOES_NOT_EXIST_EXIT)
    }

    /// Same error, printed without the ` !     ` prefix.
    pub fn raw(mut self) -> Self {
        if self.style != Style::Silent {
            self.style = Style::Raw;
        }
        self
    }

    /// Same error, printed only when `DOKKU_QUIET_OUTPUT` is unset.
    pub fn quiet(mut self) -> Self {
        if self.style == Style::Prefixed {
            self.style = Style::PrefixedQuiet;
        }
        self
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn code(&self) -> i32 {
        self.code
    }

    pub fn style(&self) -> Style {
        self.style
    }

    /// Whether this is the "app does not exist" failure (exit 20).
    pub fn is_app_missing(&self) -> bool {
        self.code == APP_DOES_NOT_EXIST_EXIT
    }

    /// The bytes written to stderr for this error, given the quiet setting.
    pub fn rendered(&self, quiet: bool) -> String {
        match self.style {
            Style::Silent => String::new(),
            _ if self.message.is_empty() => String::new(),
            Style::PrefixedQuiet if quiet => String::new(),
            Style::Prefixed | Style::PrefixedQuiet => format!(" !     {}\n", self.message),
            Style::Raw => format!("{}\n", self.message),
        }
    }

    /// Print to stderr (honouring the quiet setting) and return the exit status.
    pub fn report(&self) -> i32 {
        let text = self.rendered(crate::env::quiet());
        if !text.is_empty() {
            crate::log::write_stderr(&text);
        }
        self.code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(err: io::Error) -> Self {
        Error::new(err.to_string())
    }
}

impl From<plugn::Error> for Error {
    fn from(err: plugn::Error) -> Self {
        match err {
            // plugn already printed whatever explains a bare status.
            plugn::Error::Status(code) => Error::silent(code),
            other => Error::new(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering() {
        assert_eq!(Error::new("boom").rendered(false), " !     boom\n");
        assert_eq!(Error::new("boom").code(), 1);
        assert_eq!(Error::new("boom").raw().rendered(false), "boom\n");
        assert_eq!(Error::new("boom").quiet().rendered(true), "");
        assert_eq!(Error::new("boom").quiet().rendered(false), " !     boom\n");
        assert_eq!(Error::new("boom").rendered(true), " !     boom\n");
        assert_eq!(Error::silent(3).rendered(false), "");
        assert_eq!(Error::silent(3).code(), 3);
    }

    #[test]
    fn missing_app() {
        let e = Error::app_does_not_exist("web");
        assert_eq!(e.message(), "App web does not exist");
        assert_eq!(e.code(), 20);
        assert!(e.is_app_missing());
    }
}

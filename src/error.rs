//! Errors: one type for the whole tool, each carrying where it happened (`path:line`) and
//! mapping to a documented exit code.

use std::fmt;
use std::path::Path;

/// What went wrong, and where.
#[derive(Debug)]
pub enum Error {
    /// A dictionary row or header is malformed: `path:line: message`.
    Dict {
        /// The dictionary file.
        path: String,
        /// 1-based line number (0 when the file as a whole is at fault).
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// A file could not be read or written.
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// An input file is malformed (gold JSON, graph JSON, …).
    Input {
        /// The file.
        path: String,
        /// What is wrong.
        msg: String,
    },
    /// The command line asks for something impossible.
    Usage(String),
    /// A thread could not be started, or stopped with a panic: `what: message`.
    Thread {
        /// Which thread (or pool) failed.
        what: String,
        /// What happened (the panic's message, or the OS error).
        msg: String,
    },
    /// A value could not be serialized as JSON: `cannot serialize what as JSON: error`.
    Json {
        /// What was being serialized (`the report`, `the graph`…).
        what: String,
        /// The serializer's error.
        source: serde_json::Error,
    },
}

impl Error {
    /// A dictionary error at `path:line`.
    pub(crate) fn dict(path: &str, line: usize, msg: impl Into<String>) -> Error {
        Error::Dict {
            path: path.to_string(),
            line,
            msg: msg.into(),
        }
    }

    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A thread (or pool) `what` that could not start or that stopped with a panic.
    pub(crate) fn thread(what: impl Into<String>, msg: impl Into<String>) -> Error {
        Error::Thread {
            what: what.into(),
            msg: msg.into(),
        }
    }

    /// A thread that panicked: the message its `join` returned, when it is a string.
    pub(crate) fn panicked(what: impl Into<String>, payload: &(dyn std::any::Any + Send)) -> Error {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Error::thread(what, format!("stopped with a panic ({msg})"))
    }

    /// A value (`what`) that could not be serialized as JSON.
    pub(crate) fn json(what: impl Into<String>, source: serde_json::Error) -> Error {
        Error::Json {
            what: what.into(),
            source,
        }
    }

    /// A malformed input file.
    pub(crate) fn input(path: &str, msg: impl Into<String>) -> Error {
        Error::Input {
            path: path.to_string(),
            msg: msg.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Dict { path, line: 0, msg } => write!(f, "{path}: {msg}"),
            Error::Dict { path, line, msg } => write!(f, "{path}:{line}: {msg}"),
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Input { path, msg } => write!(f, "{path}: {msg}"),
            Error::Usage(msg) => write!(f, "{msg}"),
            Error::Thread { what, msg } => write!(f, "{what}: {msg}"),
            Error::Json { what, source } => write!(f, "cannot serialize {what} as JSON: {source}"),
        }
    }
}

impl std::error::Error for Error {}

/// The tool's result type.
pub type Result<T> = std::result::Result<T, Error>;

//! The crate's error type.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Errors from configuring or starting the simulator.
///
/// Nothing a client sends over HTTP produces a `SimError`: bad requests
/// become cloudFault responses, exactly like on a real deployment.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The users file could not be read or is not a valid user list.
    #[error("users file {}: {message}", path.display())]
    UsersFile {
        /// The file that was read.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The configured users are inconsistent (duplicates, empty fields…).
    #[error("invalid user list: {0}")]
    InvalidUsers(String),
    /// A configuration value is unusable (e.g. a zero block size).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address we tried to bind.
        addr: SocketAddr,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Another I/O error while starting the server.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

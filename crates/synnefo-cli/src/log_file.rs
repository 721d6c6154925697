//! kamaki's `log_file`: the HTTP traffic of each run, appended to a file.
//!
//! kamaki writes `~/.kamaki.log` on every run, set or not (a weakness: a
//! log nobody asked for, growing forever). `snf` writes one only when the
//! config file (or `--options`) sets `log_file`; `log_data = on` adds the
//! bodies and `log_pid = on` tags each line with its thread, as kamaki
//! tags them. Tokens are masked by the transport before anything is
//! logged, as on stderr. The file is created readable by its owner only.

use crate::config::{Config, ValueSource, expand_home};
use std::fs::File;
use std::path::PathBuf;

/// A log file the config asks for.
#[derive(Debug)]
pub(crate) struct LogFile {
    /// Where.
    pub(crate) path: PathBuf,
    /// `log_data`: bodies too.
    pub(crate) data: bool,
    /// `log_pid`: each line tagged with its thread.
    pub(crate) pid: bool,
}

impl LogFile {
    /// The log file `config` sets, if it sets one (kamaki's default of
    /// `~/.kamaki.log` does not count).
    pub(crate) fn from_config(config: &Config) -> Option<LogFile> {
        let (file, source) = config.get_with_source("log_file").ok().flatten()?;
        if source == ValueSource::Default || file.trim().is_empty() {
            return None;
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        Some(LogFile {
            path: expand_home(file.trim(), home.as_deref()),
            data: config.flag("log_data").unwrap_or(false),
            pid: config.flag("log_pid").unwrap_or(false),
        })
    }

    /// The filter of what goes to the file.
    pub(crate) fn filter(&self) -> &'static str {
        if self.data {
            "warn,snf=info,synnefo_core=trace"
        } else {
            "warn,snf=info,synnefo_core=debug"
        }
    }

    /// Opens it for appending, created with mode 0600.
    pub(crate) fn open(&self) -> std::io::Result<File> {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(&self.path)
    }
}

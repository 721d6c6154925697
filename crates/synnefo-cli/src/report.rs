//! Logging setup and error reporting: one line that says what failed, why,
//! and what to try.

use crate::args::GlobalArgs;
use crate::config::ConfigError;
use crate::log_file::LogFile;
use std::process::ExitCode;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Sends tracing output to stderr: warnings always (such as the insecure-TLS
/// one), requests with `-v`, bodies with `-vv` or `-d`. Tokens are masked by
/// the transport before anything is logged. `SNF_LOG` overrides the filter.
/// With a `log_file`, the HTTP traffic also goes there (see
/// [`crate::log_file`]).
pub(crate) fn init_logging(global: &GlobalArgs, log_file: Option<&LogFile>) {
    let default = if global.debug {
        "debug,synnefo_core=trace,hyper_util=info"
    } else if global.verbose > 1 {
        // kamaki's -vv (--verbose-with-data): bodies too.
        "warn,synnefo_core=trace"
    } else if global.verbose > 0 {
        "warn,synnefo_core=debug"
    } else {
        "warn"
    };
    let filter = EnvFilter::try_from_env("SNF_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_filter(filter);
    let file = log_file.and_then(|log| match log.open() {
        Ok(file) => Some(
            tracing_subscriber::fmt::layer()
                .with_writer(std::sync::Mutex::new(file))
                .with_ansi(false)
                .with_target(false)
                .with_thread_ids(log.pid)
                .with_filter(EnvFilter::new(log.filter())),
        ),
        Err(error) => {
            eprintln!(
                "snf: warning: cannot write the log file {} ({error}); logging to it is off",
                log.path.display()
            );
            None
        }
    });
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init();
}

/// Prints `error` as `snf: <what>: <why> (hint: <what to try>)` and gives
/// the exit status.
pub(crate) fn print_error(error: &anyhow::Error) -> ExitCode {
    let hint = error.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<synnefo_core::Error>() {
            e.hint().map(str::to_owned)
        } else {
            cause.downcast_ref::<ConfigError>().and(None::<String>)
        }
    });
    let mut line = format!("snf: {error:#}");
    if let Some(hint) = hint {
        line.push_str(&format!(" (hint: {hint})"));
    }
    eprintln!("{}", line.replace('\n', " "));
    ExitCode::FAILURE
}

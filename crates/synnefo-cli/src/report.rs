//! Logging setup and error reporting: one line that says what failed, why,
//! and what to try.

use crate::args::GlobalArgs;
use crate::config::ConfigError;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// Sends tracing output to stderr: warnings always (such as the insecure-TLS
/// one), requests with `-v`, bodies with `-d`. Tokens are masked by the
/// transport before anything is logged. `SNF_LOG` overrides the filter.
pub(crate) fn init_logging(global: &GlobalArgs) {
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
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
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

//! `snf`: a kamaki-compatible command-line tool for Synnefo clouds.
//!
//! The binary is a thin `main` over [`main`]; the library exposes the
//! pieces other tools may reuse, such as the lossless `~/.kamakirc`
//! support in [`config`].

mod args;
mod commands;
pub mod config;
mod history;
mod local_path;
mod log_file;
mod output;
mod progress;
mod report;
mod session;

use clap::Parser;
use std::process::ExitCode;

/// Parses the command line, runs the command, prints any error as one line
/// and returns the exit status.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // A config that cannot be read is the command's error to report; here
    // it only means no log file and no history.
    let config = session::load_config(&cli.global).ok();
    let log_file = config.as_ref().and_then(log_file::LogFile::from_config);
    report::init_logging(&cli.global, log_file.as_ref());
    if let (Some(secrets), Some(config)) = (commands::history::recordable(&cli.command), &config) {
        let args: Vec<String> = std::env::args_os()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let line = history::record(config, &args, &secrets);
        tracing::info!(target: "snf", "{line}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("snf: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report::print_error(&error),
    }
}

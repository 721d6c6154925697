//! `snf history …`: the command lines run so far (kamaki's history file).

use crate::args::{Command, ConfigCommand, GlobalArgs, OutputFormat, UserCommand};
use crate::history::{Selection, from_config};
use crate::{output, session};
use anyhow::{Context, Result};
use clap::Subcommand;

/// `snf history` commands.
#[derive(Debug, Subcommand)]
pub(crate) enum HistoryCommand {
    /// Show recorded command lines, numbered.
    Show {
        /// Which: N, N: (from N), :N (up to N), N:M; negative numbers count
        /// back from the newest (-1) [default: all].
        #[arg(allow_hyphen_values = true, value_name = "CMD_NUMBERS")]
        cmd_numbers: Option<String>,
        /// Only lines containing every one of these words.
        #[arg(long = "match", value_name = "TERMS")]
        terms: Option<String>,
    },
    /// Forget every recorded command line.
    Clean,
}

/// What of `command` the history may keep: `None` for a command not
/// recorded at all (`config set`, whose value may be a token, as kamaki
/// skips it), else the secrets in its arguments to mask.
pub(crate) fn recordable(command: &Command) -> Option<Vec<String>> {
    match command {
        Command::Config(ConfigCommand::Set { .. }) => None,
        Command::User(UserCommand::Authenticate { token: Some(token) }) => {
            Some(vec![token.clone()])
        }
        _ => Some(Vec::new()),
    }
}

pub(crate) fn run(global: &GlobalArgs, command: &HistoryCommand) -> Result<()> {
    let config = session::load_config(global)?;
    let (history, _) = from_config(&config);
    let what = || format!("cannot read the history in {}", history.path().display());
    match command {
        HistoryCommand::Show { cmd_numbers, terms } => {
            let selection = match cmd_numbers {
                Some(text) => Selection::parse(text).map_err(anyhow::Error::msg)?,
                None => Selection::ALL,
            };
            let lines = history
                .show(selection, terms.as_deref().unwrap_or(""))
                .with_context(what)?;
            match global.output {
                OutputFormat::Json => {
                    let entries: Vec<serde_json::Value> = lines
                        .iter()
                        .map(|(n, line)| serde_json::json!({"number": n, "command": line}))
                        .collect();
                    output::json(&entries)
                }
                OutputFormat::Table => {
                    for (number, line) in &lines {
                        println!("{number}.\t{}", output::printable(line));
                    }
                    Ok(())
                }
            }
        }
        HistoryCommand::Clean => history
            .clean()
            .with_context(|| format!("cannot clean the history in {}", history.path().display())),
    }
}

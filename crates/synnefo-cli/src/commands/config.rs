//! `snf config …`: kamaki's config commands, editing the file in place.

use crate::args::{ConfigCommand, GlobalArgs, OutputFormat};
use crate::{output, session};
use anyhow::{Result, bail};
use synnefo_core::REDACTED;

pub(crate) fn run(global: &GlobalArgs, command: &ConfigCommand) -> Result<()> {
    let mut config = session::load_config(global)?;
    match command {
        ConfigCommand::Get { option } => match config.get(option)? {
            Some(value) => {
                println!("{value}");
                Ok(())
            }
            None => bail!("option {option} is not set (see `snf config list`)"),
        },
        ConfigCommand::Set { option, value } => {
            config.set(option, value)?;
            config.save()?;
            Ok(())
        }
        ConfigCommand::Delete { option } => {
            if !config.delete(option)? {
                bail!("option {option} is not set in {}", config.path().display());
            }
            config.save()?;
            Ok(())
        }
        ConfigCommand::List => {
            let entries: Vec<(String, String)> = config
                .list()
                .into_iter()
                .map(|(option, value)| {
                    let shown = if is_token_option(&option) && !value.is_empty() {
                        REDACTED.to_owned()
                    } else {
                        value
                    };
                    (option, shown)
                })
                .collect();
            match global.output {
                OutputFormat::Json => {
                    let map: serde_json::Map<String, serde_json::Value> = entries
                        .into_iter()
                        .map(|(k, v)| (k, serde_json::Value::String(v)))
                        .collect();
                    output::json(&map)
                }
                OutputFormat::Table => {
                    for (option, value) in entries {
                        println!("{option} = {}", output::printable(&value));
                    }
                    Ok(())
                }
            }
        }
    }
}

/// Whether an option holds tokens (`cloud.X.token`, `cloud.X.pithos_token`…),
/// which `config list` masks; `config get` shows them on request.
fn is_token_option(option: &str) -> bool {
    option == "token" || option.ends_with(".token") || option.ends_with("_token")
}

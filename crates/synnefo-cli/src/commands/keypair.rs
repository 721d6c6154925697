//! `snf keypair …`: SSH key pairs to install on new servers.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{cyclades, fields, iso8601, table, text};
use crate::commands::pithos_util::NameFilters;
use crate::output;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::time::SystemTime;
use synnefo_compute::Keypair;
use synnefo_cyclades::CycladesClient;

/// `snf keypair …`
#[derive(Debug, Subcommand)]
pub(crate) enum KeypairCommand {
    /// List your key pairs.
    List {
        /// Show the public keys too.
        #[arg(short = 'l', long)]
        details: bool,
        #[command(flatten)]
        filters: NameFilters,
    },
    /// Show a key pair.
    Info {
        /// The key pair's name.
        name: String,
    },
    /// Delete a key pair.
    Delete {
        /// The key pair's name.
        name: String,
    },
    /// Upload a public key.
    Upload(KeypairUpload),
    /// Have the cloud generate a key pair, and print its private key (shown
    /// this once).
    Generate {
        /// The name [default: snf-key_autogen_<date>_<random>].
        #[arg(long, value_name = "NAME")]
        key_name: Option<String>,
        /// Replace a key pair of the same name.
        #[arg(short = 'f', long)]
        force: bool,
    },
}

/// `snf keypair upload`
#[derive(Debug, Args)]
pub(crate) struct KeypairUpload {
    /// The public key: its text, or a file holding it (e.g.
    /// ~/.ssh/id_ed25519.pub).
    #[arg(long, value_name = "KEY_OR_FILE")]
    public_key: String,
    /// The name [default: snf-key_autogen_<date>_<random>].
    #[arg(long, value_name = "NAME")]
    key_name: Option<String>,
    /// Replace a key pair of the same name.
    #[arg(short = 'f', long)]
    force: bool,
}

pub(crate) async fn run(global: &GlobalArgs, command: &KeypairCommand) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    match command {
        KeypairCommand::List { details, filters } => {
            let keys: Vec<Keypair> = client
                .list_keypairs()
                .await
                .context("cannot list key pairs")?
                .into_iter()
                .filter(|k| filters.matches(&k.name))
                .collect();
            match global.output {
                OutputFormat::Json => output::json(&keys),
                OutputFormat::Table => {
                    let mut header = vec!["NAME", "FINGERPRINT"];
                    if *details {
                        header.push("PUBLIC KEY");
                    }
                    let rows = keys
                        .iter()
                        .map(|k| {
                            let mut row = vec![k.name.clone(), text(&k.fingerprint)];
                            if *details {
                                row.push(text(&k.public_key).trim().to_owned());
                            }
                            row
                        })
                        .collect();
                    table(&header, rows, false)
                }
            }
        }
        KeypairCommand::Info { name } => {
            let key = client
                .get_keypair_details(name)
                .await
                .with_context(|| format!("cannot show key pair {name:?}"))?;
            show(global.output, &key)
        }
        KeypairCommand::Delete { name } => client
            .delete_keypair(name)
            .await
            .with_context(|| format!("cannot delete key pair {name:?}")),
        KeypairCommand::Upload(args) => {
            let public_key = match std::fs::read_to_string(&args.public_key) {
                Ok(contents) => contents.trim().to_owned(),
                Err(_) => args.public_key.trim().to_owned(),
            };
            let name = args.key_name.clone().unwrap_or_else(autogen_name);
            let key = create(&client, &name, Some(&public_key), args.force).await?;
            show(global.output, &key)
        }
        KeypairCommand::Generate { key_name, force } => {
            let name = key_name.clone().unwrap_or_else(autogen_name);
            let key = create(&client, &name, None, *force).await?;
            show(global.output, &key)
        }
    }
}

/// Uploads or generates a key pair; with `force`, a name in use (`409`)
/// is deleted and created again.
async fn create(
    client: &CycladesClient,
    name: &str,
    public_key: Option<&str>,
    force: bool,
) -> Result<Keypair> {
    let what = || format!("cannot create key pair {name:?}");
    let attempt = || async {
        match public_key {
            Some(key) => client.upload_keypair(name, key).await,
            None => client.create_keypair(name).await,
        }
    };
    match attempt().await {
        Ok(key) => Ok(key),
        Err(error) if force && error.status().map(|s| s.as_u16()) == Some(409) => {
            client.delete_keypair(name).await.with_context(what)?;
            attempt().await.with_context(what)
        }
        Err(error) if error.status().map(|s| s.as_u16()) == Some(409) => {
            Err(anyhow::Error::new(error).context(format!(
                "cannot create key pair {name:?}: the name is in use (pass -f to replace it)"
            )))
        }
        Err(error) => Err(anyhow::Error::new(error).context(what())),
    }
}

/// kamaki's default name, with snf's prefix:
/// `snf-key_autogen_<mm_dd_HH_MM_SS_micro>_<8 hex>`.
fn autogen_name() -> String {
    let now = SystemTime::now();
    let iso = iso8601(now);
    // YYYY-MM-DDTHH:MM:SSZ
    let stamp = format!(
        "{}_{}_{}_{}_{}",
        &iso[5..7],
        &iso[8..10],
        &iso[11..13],
        &iso[14..16],
        &iso[17..19]
    );
    let micros = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_micros())
        .unwrap_or(0);
    format!(
        "snf-key_autogen_{stamp}_{micros:06}_{:08x}",
        fastrand::u32(..)
    )
}

fn show(format: OutputFormat, key: &Keypair) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(key),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("name".to_owned(), key.name.clone()),
                ("fingerprint".to_owned(), text(&key.fingerprint)),
            ];
            if let Some(created) = &key.created_at {
                pairs.push(("created".to_owned(), created.clone()));
            }
            if let Some(public) = &key.public_key {
                pairs.push(("public key".to_owned(), public.trim().to_owned()));
            }
            fields(&pairs)?;
            if let Some(private) = &key.private_key {
                // Verbatim, so that it can be saved as it is.
                println!("private key:\n{}", private.trim_end());
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autogenerated_names_look_like_kamakis() {
        let name = autogen_name();
        let rest = name.strip_prefix("snf-key_autogen_").unwrap_or_default();
        let parts: Vec<&str> = rest.split('_').collect();
        assert_eq!(parts.len(), 7, "{name}");
        assert_eq!(parts[5].len(), 6, "{name}");
        assert_eq!(parts[6].len(), 8, "{name}");
        assert_ne!(autogen_name(), autogen_name());
    }
}

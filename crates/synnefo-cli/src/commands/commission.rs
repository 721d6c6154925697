//! `snf commission …`: quota commissions, for services (they need a
//! service token: `--service-token`, or the cloud's token when it is one).

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::account::client;
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use synnefo_astakos::Commission;

/// `snf commission [--service-token T] …`
#[derive(Debug, Args)]
pub(crate) struct CommissionArgs {
    /// The service (component) token to send instead of the cloud's.
    #[arg(long, global = true, value_name = "TOKEN")]
    service_token: Option<String>,
    #[command(subcommand)]
    command: CommissionCommand,
}

/// The commission commands.
#[derive(Debug, Subcommand)]
pub(crate) enum CommissionCommand {
    /// List the serials of pending commissions.
    Pending,
    /// Show a pending commission.
    Info {
        /// The serial.
        serial: u64,
    },
    /// Accept a pending commission.
    Accept {
        /// The serial.
        serial: u64,
    },
    /// Reject a pending commission.
    Reject {
        /// The serial.
        serial: u64,
    },
    /// Accept and reject several commissions at once.
    #[command(group(clap::ArgGroup::new("serials").required(true).multiple(true).args(["accept", "reject"])))]
    Resolve {
        /// Serials to accept (comma-separated).
        #[arg(long, value_delimiter = ',', value_name = "SERIALS")]
        accept: Vec<u64>,
        /// Serials to reject (comma-separated).
        #[arg(long, value_delimiter = ',', value_name = "SERIALS")]
        reject: Vec<u64>,
    },
    /// Issue a commission charging a user in a project; the provisions file
    /// is a JSON object `{"RESOURCE": QUANTITY, …}`. Prints the serial.
    Issue {
        /// The user charged.
        #[arg(long, value_name = "UUID")]
        uuid: String,
        /// The project charged.
        #[arg(long, value_name = "PROJECT")]
        source: String,
        /// The JSON file of quantities by resource.
        #[arg(long, value_name = "FILE")]
        provisions_file: PathBuf,
        /// A description.
        #[arg(long, default_value = "")]
        description: String,
        /// Skip the limit checks.
        #[arg(long)]
        force: bool,
        /// Accept it at once.
        #[arg(long)]
        accept: bool,
    },
}

pub(crate) async fn run(global: &GlobalArgs, args: &CommissionArgs) -> Result<()> {
    let account = client(global, args.service_token.as_deref()).await?;
    match &args.command {
        CommissionCommand::Pending => {
            let serials = account
                .get_pending_commissions()
                .await
                .context("cannot list pending commissions")?;
            match global.output {
                OutputFormat::Json => output::json(&serials),
                OutputFormat::Table => {
                    let rows: Vec<Vec<String>> =
                        serials.iter().map(|s| vec![s.to_string()]).collect();
                    output::table(&["SERIAL"], &rows)
                }
            }
        }
        CommissionCommand::Info { serial } => {
            let commission = account
                .get_commission_info(*serial)
                .await
                .with_context(|| format!("cannot show commission {serial}"))?;
            show(global.output, &commission)
        }
        CommissionCommand::Accept { serial } => account
            .accept_commission(*serial)
            .await
            .with_context(|| format!("cannot accept commission {serial}")),
        CommissionCommand::Reject { serial } => account
            .reject_commission(*serial)
            .await
            .with_context(|| format!("cannot reject commission {serial}")),
        CommissionCommand::Resolve { accept, reject } => {
            let resolution = account
                .resolve_commissions(accept, reject)
                .await
                .context("cannot resolve commissions")?;
            match global.output {
                OutputFormat::Json => output::json(&resolution),
                OutputFormat::Table => {
                    let joined = |serials: &[u64]| {
                        serials
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let mut pairs = vec![
                        ("accepted".to_owned(), joined(&resolution.accepted)),
                        ("rejected".to_owned(), joined(&resolution.rejected)),
                    ];
                    for (serial, fault) in &resolution.failed {
                        pairs.push((format!("failed {serial}"), fault.to_string()));
                    }
                    output::fields(&pairs)
                }
            }
        }
        CommissionCommand::Issue {
            uuid,
            source,
            provisions_file,
            description,
            force,
            accept,
        } => {
            let text = std::fs::read_to_string(provisions_file)
                .with_context(|| format!("cannot read {}", provisions_file.display()))?;
            let quantities: BTreeMap<String, i64> =
                serde_json::from_str(&text).with_context(|| {
                    format!(
                        "{} is not a JSON object of quantities by resource",
                        provisions_file.display()
                    )
                })?;
            if quantities.is_empty() {
                bail!("{} names no resource", provisions_file.display());
            }
            let changes: Vec<(&str, &str, i64)> = quantities
                .iter()
                .map(|(resource, q)| (source.as_str(), resource.as_str(), *q))
                .collect();
            let serial = account
                .issue_one_commission(uuid, &changes, description, *force, *accept)
                .await
                .context("cannot issue the commission")?;
            match global.output {
                OutputFormat::Json => output::json(&json!({ "serial": serial })),
                OutputFormat::Table => output::fields(&[("serial", serial.to_string())]),
            }
        }
    }
}

fn show(format: OutputFormat, c: &Commission) -> Result<()> {
    if format == OutputFormat::Json {
        return output::json(c);
    }
    let mut pairs = vec![
        ("serial".to_owned(), c.serial.to_string()),
        ("name".to_owned(), c.name.clone()),
        ("issued".to_owned(), c.issue_time.clone()),
    ];
    for p in &c.provisions {
        let holder = match &p.source {
            Some(source) => format!("{} in {source}", p.holder),
            None => p.holder.clone(),
        };
        pairs.push((
            format!("provision {}", p.resource),
            format!("{holder}: {:+}", p.quantity),
        ));
    }
    output::fields(&pairs)
}

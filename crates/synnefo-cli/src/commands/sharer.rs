//! `snf sharer …`: the accounts that share objects with you.

use crate::args::{GlobalArgs, OutputFormat, SharerCommand};
use crate::commands::pithos_location::PithosSession;
use crate::commands::pithos_util::{format_size, http_date};
use crate::output;
use anyhow::{Context, Result};
use serde_json::json;

pub(crate) async fn run(global: &GlobalArgs, command: &SharerCommand) -> Result<()> {
    let session = PithosSession::connect(global).await?;
    match command {
        SharerCommand::List { details, marker } => {
            let mut accounts = session
                .client
                .sharing_accounts()
                .await
                .context("cannot list the accounts sharing with you")?;
            accounts.sort_by(|a, b| a.name.cmp(&b.name));
            if let Some(marker) = marker {
                accounts.retain(|a| a.name.as_str() > marker.as_str());
            }
            let uuids: Vec<&str> = accounts.iter().map(|a| a.name.as_str()).collect();
            // Names are a convenience: list the UUIDs even if they fail.
            let names = session
                .cloud
                .uuids_to_names(&uuids)
                .await
                .unwrap_or_default();
            match global.output {
                OutputFormat::Json => {
                    let values: Vec<_> = accounts
                        .iter()
                        .map(|a| {
                            json!({
                                "uuid": a.name,
                                "name": names.get(&a.name),
                                "last_modified": a.last_modified,
                            })
                        })
                        .collect();
                    output::json(&values)
                }
                OutputFormat::Table => {
                    let mut header = vec!["UUID", "NAME"];
                    if *details {
                        header.push("MODIFIED");
                    }
                    let rows: Vec<Vec<String>> = accounts
                        .iter()
                        .map(|a| {
                            let mut row = vec![
                                a.name.clone(),
                                names.get(&a.name).cloned().unwrap_or_default(),
                            ];
                            if *details {
                                row.push(a.last_modified.clone().unwrap_or_default());
                            }
                            row
                        })
                        .collect();
                    output::table(&header, &rows)
                }
            }
        }
        SharerCommand::Info { account } => {
            let client = session.account_client(account.as_deref()).await?;
            let info = client
                .account_info(None)
                .await
                .with_context(|| format!("cannot show account {}", client.account()))?;
            match global.output {
                OutputFormat::Json => output::json(&info),
                OutputFormat::Table => {
                    let name = session
                        .cloud
                        .uuids_to_names(&[client.account()])
                        .await
                        .ok()
                        .and_then(|names| names.get(client.account()).cloned());
                    let mut pairs: Vec<(String, String)> = vec![
                        ("account".into(), client.account().to_owned()),
                        ("name".into(), name.unwrap_or_default()),
                    ];
                    let optional = [
                        ("containers", info.container_count.map(|n| n.to_string())),
                        ("bytes used", info.bytes_used.map(format_size)),
                        ("quota", info.quota.map(format_size)),
                        ("last modified", info.last_modified.map(http_date)),
                    ];
                    output::push_present(&mut pairs, optional);
                    for (group, members) in &info.groups {
                        pairs.push((format!("group {group}"), members.join(", ")));
                    }
                    output::push_meta(&mut pairs, &info.meta);
                    output::fields(&pairs)
                }
            }
        }
    }
}

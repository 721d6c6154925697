//! `snf group …`: the user groups of your Pithos+ account, for sharing
//! (`--read-permission OWNER_UUID:GROUP`).

use crate::args::{GlobalArgs, GroupCommand, OutputFormat};
use crate::commands::pithos_location::PithosSession;
use crate::output;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;

pub(crate) async fn run(global: &GlobalArgs, command: &GroupCommand) -> Result<()> {
    let session = PithosSession::connect(global).await?;
    let client = &session.client;
    match command {
        GroupCommand::List => {
            let groups = client
                .account_groups()
                .await
                .context("cannot list your groups")?;
            match global.output {
                OutputFormat::Json => output::json(&groups),
                OutputFormat::Table => {
                    let uuids: Vec<&str> = groups.values().flatten().map(String::as_str).collect();
                    let names: BTreeMap<String, String> = session
                        .cloud
                        .uuids_to_names(&uuids)
                        .await
                        .unwrap_or_default();
                    let rows: Vec<Vec<String>> = groups
                        .iter()
                        .map(|(group, members)| {
                            let members: Vec<String> = members
                                .iter()
                                .map(|m| match names.get(m) {
                                    Some(name) => format!("{m} ({name})"),
                                    None => m.clone(),
                                })
                                .collect();
                            vec![group.clone(), members.join(", ")]
                        })
                        .collect();
                    output::table(&["GROUP", "MEMBERS"], &rows)
                }
            }
        }
        GroupCommand::Create {
            name,
            uuid,
            username,
        } => {
            let mut members: Vec<String> = Vec::new();
            for user in uuid.iter().chain(username) {
                let user = user.trim();
                if user.is_empty() {
                    continue;
                }
                let resolved = session
                    .resolve_account(user)
                    .await
                    .with_context(|| format!("cannot create group {name}"))?;
                if !members.contains(&resolved) {
                    members.push(resolved);
                }
            }
            if members.is_empty() {
                bail!("cannot create group {name}: give at least one member");
            }
            client
                .set_account_group(name, &members)
                .await
                .with_context(|| format!("cannot create group {name}"))
        }
        GroupCommand::Delete { name } => {
            let what = || format!("cannot delete group {name}");
            let groups = client.account_groups().await.with_context(what)?;
            if !groups.contains_key(&name.to_lowercase()) {
                bail!("{}: you have no such group (see `snf group list`)", what());
            }
            client.delete_account_group(name).await.with_context(what)
        }
    }
}

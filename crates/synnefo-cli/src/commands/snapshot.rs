//! `snf snapshot …`: snapshots of volumes.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{IdFilters, block_storage, fields, limited, table, text};
use crate::commands::pithos_util::NameFilters;
use crate::output;
use anyhow::{Context, Result};
use clap::{ArgGroup, Subcommand};
use synnefo_cyclades::{CreateSnapshot, Snapshot, UpdateSnapshot};

/// `snf snapshot …`
#[derive(Debug, Subcommand)]
pub(crate) enum SnapshotCommand {
    /// List snapshots (-l for status, size and volume).
    List {
        /// Show details (status, size, volume, created).
        #[arg(short = 'l', long)]
        details: bool,
        /// Show at most N snapshots.
        #[arg(short = 'n', long = "number", value_name = "N")]
        limit: Option<usize>,
        /// Number the lines.
        #[arg(long)]
        enumerate: bool,
        #[command(flatten)]
        filters: NameFilters,
        #[command(flatten)]
        ids: IdFilters,
    },
    /// Show a snapshot.
    Info {
        /// The snapshot id.
        snapshot_id: String,
    },
    /// Snapshot a volume.
    Create {
        /// The volume to snapshot.
        #[arg(long, value_name = "VOLUME")]
        volume_id: String,
        /// The name [default: the cloud's, e.g. "Snapshot of volume 'ID'"].
        #[arg(long)]
        name: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Rename a snapshot or change its description.
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args([
        "name", "description"
    ])))]
    Modify {
        /// The snapshot id.
        snapshot_id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a snapshot.
    Delete {
        /// The snapshot id.
        snapshot_id: String,
    },
}

pub(crate) async fn run(global: &GlobalArgs, command: &SnapshotCommand) -> Result<()> {
    let client = block_storage(global).await?;
    match command {
        SnapshotCommand::List {
            details,
            limit,
            enumerate,
            filters,
            ids,
        } => {
            let snapshots = if *details {
                client.list_snapshots_detail().await
            } else {
                client.list_snapshots().await
            }
            .context("cannot list snapshots")?;
            let snapshots: Vec<Snapshot> = snapshots
                .into_iter()
                .filter(|s| {
                    filters.matches(s.display_name.as_deref().unwrap_or_default())
                        && ids.matches(&s.id)
                })
                .collect();
            let snapshots = limited(snapshots, *limit);
            match global.output {
                OutputFormat::Json => output::json(&snapshots),
                OutputFormat::Table if *details => {
                    let rows = snapshots
                        .iter()
                        .map(|s| {
                            vec![
                                s.id.clone(),
                                text(&s.display_name),
                                text(&s.status),
                                s.size.map(|n| format!("{n}GiB")).unwrap_or_default(),
                                text(&s.volume_id),
                                text(&s.created_at),
                            ]
                        })
                        .collect();
                    table(
                        &["ID", "NAME", "STATUS", "SIZE", "VOLUME", "CREATED"],
                        rows,
                        *enumerate,
                    )
                }
                OutputFormat::Table => {
                    let rows = snapshots
                        .iter()
                        .map(|s| vec![s.id.clone(), text(&s.display_name)])
                        .collect();
                    table(&["ID", "NAME"], rows, *enumerate)
                }
            }
        }
        SnapshotCommand::Info { snapshot_id } => {
            let snapshot = client
                .get_snapshot_details(snapshot_id)
                .await
                .with_context(|| format!("cannot show snapshot {snapshot_id}"))?;
            show(global.output, &snapshot)
        }
        SnapshotCommand::Create {
            volume_id,
            name,
            description,
        } => {
            let mut create = CreateSnapshot::new(volume_id);
            create.display_name = name.clone();
            create.display_description = description.clone();
            let snapshot = client
                .create_snapshot(&create)
                .await
                .with_context(|| format!("cannot snapshot volume {volume_id}"))?;
            show(global.output, &snapshot)
        }
        SnapshotCommand::Modify {
            snapshot_id,
            name,
            description,
        } => {
            let update = UpdateSnapshot {
                display_name: name.clone(),
                display_description: description.clone(),
            };
            let snapshot = client
                .update_snapshot(snapshot_id, &update)
                .await
                .with_context(|| format!("cannot modify snapshot {snapshot_id}"))?;
            if global.output == OutputFormat::Json {
                output::json(&snapshot)?;
            }
            Ok(())
        }
        SnapshotCommand::Delete { snapshot_id } => client
            .delete_snapshot(snapshot_id)
            .await
            .with_context(|| format!("cannot delete snapshot {snapshot_id}")),
    }
}

fn show(format: OutputFormat, snapshot: &Snapshot) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(snapshot),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), snapshot.id.clone()),
                ("name".to_owned(), text(&snapshot.display_name)),
            ];
            let optional = [
                ("status", text(&snapshot.status)),
                (
                    "size",
                    snapshot.size.map(|n| format!("{n}GiB")).unwrap_or_default(),
                ),
                ("volume", text(&snapshot.volume_id)),
                ("description", text(&snapshot.display_description)),
                ("progress", text(&snapshot.progress)),
                ("user", text(&snapshot.user_id)),
                ("created", text(&snapshot.created_at)),
            ];
            output::push_present(&mut pairs, optional);
            output::push_meta(&mut pairs, &snapshot.metadata);
            fields(&pairs)
        }
    }
}

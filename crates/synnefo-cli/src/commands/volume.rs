//! `snf volume …`: block storage volumes, their types, and waits on them.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{
    IdFilters, WaitFlags, WaitSettings, block_storage, fields, limited, table, text, volume_is,
    wait_error, wait_goal, wait_volume,
};
use crate::commands::pithos_util::{NameFilters, parse_key_value};
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use synnefo_cyclades::{BlockStorageClient, CreateVolume, UpdateVolume, Volume, VolumeType};

/// kamaki's wait on volumes.
const VOLUME_TIMEOUT: u64 = 60;

/// `snf volume …`
#[derive(Debug, Subcommand)]
pub(crate) enum VolumeCommand {
    /// List volumes (-l for status, size, type and server).
    List(VolumeList),
    /// Show a volume.
    Info {
        /// The volume id.
        volume_id: String,
    },
    /// Create a volume (empty, or from a snapshot or an image).
    Create(VolumeCreate),
    /// Rename a volume, or change its description or deletion policy.
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args([
        "name", "description", "delete_on_termination"
    ])))]
    Modify {
        /// The volume id.
        volume_id: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
        /// Whether to delete the volume with its server (true or false).
        #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
        delete_on_termination: Option<bool>,
    },
    /// Charge a volume to another project.
    Reassign {
        /// The volume id.
        volume_id: String,
        /// The project.
        #[arg(long, value_name = "PROJECT")]
        project_id: String,
    },
    /// Delete a volume.
    Delete {
        /// The volume id.
        volume_id: String,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// List the volume types.
    Types,
    /// Show a volume type.
    Type {
        /// The volume type id.
        type_id: String,
    },
    /// Wait while a volume has a status, or until it has one.
    #[command(group(ArgGroup::new("condition").args(["while_status", "until"])))]
    Wait {
        /// The volume id.
        volume_id: String,
        /// Wait while the volume has this status [default: creating].
        #[arg(long = "while", value_name = "STATUS", value_enum, ignore_case = true)]
        while_status: Option<VolumeStatus>,
        /// Wait until the volume has this status.
        #[arg(long, value_name = "STATUS", value_enum, ignore_case = true)]
        until: Option<VolumeStatus>,
        /// Give up after SECS seconds, with an error.
        #[arg(long, value_name = "SECS", default_value_t = VOLUME_TIMEOUT)]
        timeout: u64,
        /// No progress bar.
        #[arg(short = 'N', long)]
        no_progress_bar: bool,
    },
}

/// `snf volume list`
#[derive(Debug, Args)]
pub(crate) struct VolumeList {
    /// Show details (status, size, type, server, project).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N volumes.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

/// `snf volume create`
#[derive(Debug, Args)]
pub(crate) struct VolumeCreate {
    /// The size in GiB.
    #[arg(long, value_name = "GB")]
    size: u64,
    /// The name.
    #[arg(long)]
    name: String,
    /// Attach it to this server at once.
    #[arg(long, value_name = "SERVER")]
    server_id: Option<u64>,
    /// A description.
    #[arg(long)]
    description: Option<String>,
    /// Make it from this snapshot.
    #[arg(long, value_name = "SNAPSHOT")]
    snapshot_id: Option<String>,
    /// Make it from this image.
    #[arg(long, value_name = "IMAGE")]
    image_id: Option<String>,
    /// The volume type (see `snf volume types`); required unless
    /// --server-id is given.
    #[arg(long, value_name = "TYPE")]
    volume_type: Option<String>,
    /// Metadata KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    metadata: Vec<(String, String)>,
    /// The project to charge.
    #[arg(long, value_name = "PROJECT")]
    project_id: Option<String>,
    #[command(flatten)]
    wait: WaitFlags,
}

/// A volume status to wait on (lower case in Synnefo).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub(crate) enum VolumeStatus {
    /// Being created.
    Creating,
    /// Ready, not attached.
    Available,
    /// Being attached.
    Attaching,
    /// Being detached.
    Detaching,
    /// Attached to a server.
    InUse,
    /// Being deleted.
    Deleting,
    /// Deleted (a volume no longer found counts too).
    Deleted,
    /// Failed.
    Error,
    /// Failed to delete.
    ErrorDeleting,
    /// Being backed up.
    BackingUp,
    /// Being restored.
    RestoringBackup,
    /// Failed to restore.
    ErrorRestoring,
}

impl VolumeStatus {
    fn as_str(self) -> &'static str {
        match self {
            VolumeStatus::Creating => "creating",
            VolumeStatus::Available => "available",
            VolumeStatus::Attaching => "attaching",
            VolumeStatus::Detaching => "detaching",
            VolumeStatus::InUse => "in_use",
            VolumeStatus::Deleting => "deleting",
            VolumeStatus::Deleted => "deleted",
            VolumeStatus::Error => "error",
            VolumeStatus::ErrorDeleting => "error_deleting",
            VolumeStatus::BackingUp => "backing_up",
            VolumeStatus::RestoringBackup => "restoring_backup",
            VolumeStatus::ErrorRestoring => "error_restoring",
        }
    }
}

pub(crate) async fn run(global: &GlobalArgs, command: &VolumeCommand) -> Result<()> {
    let client = block_storage(global).await?;
    match command {
        VolumeCommand::List(args) => list(global, &client, args).await,
        VolumeCommand::Info { volume_id } => {
            let volume = client
                .get_volume_details(volume_id)
                .await
                .with_context(|| format!("cannot show volume {volume_id}"))?;
            show(global.output, &volume)
        }
        VolumeCommand::Create(args) => create(global, &client, args).await,
        VolumeCommand::Modify {
            volume_id,
            name,
            description,
            delete_on_termination,
        } => {
            let update = UpdateVolume {
                display_name: name.clone(),
                display_description: description.clone(),
                delete_on_termination: *delete_on_termination,
                metadata: None,
            };
            let volume = client
                .update_volume(volume_id, &update)
                .await
                .with_context(|| format!("cannot modify volume {volume_id}"))?;
            if global.output == OutputFormat::Json {
                output::json(&volume)?;
            }
            Ok(())
        }
        VolumeCommand::Reassign {
            volume_id,
            project_id,
        } => client
            .reassign_volume(volume_id, project_id)
            .await
            .with_context(|| format!("cannot reassign volume {volume_id} to project {project_id}")),
        VolumeCommand::Delete { volume_id, wait } => {
            client
                .delete_volume(volume_id)
                .await
                .with_context(|| format!("cannot delete volume {volume_id}"))?;
            if wait.wait {
                let settings = wait.settings(VOLUME_TIMEOUT);
                wait_deleted(&client, volume_id, &settings).await?;
            }
            Ok(())
        }
        VolumeCommand::Types => {
            let types = client
                .list_volume_types()
                .await
                .context("cannot list volume types")?;
            match global.output {
                OutputFormat::Json => output::json(&types),
                OutputFormat::Table => {
                    let rows = types
                        .iter()
                        .map(|t| {
                            vec![
                                t.id.clone(),
                                text(&t.name),
                                text(&t.disk_template),
                                text(&t.detachable),
                            ]
                        })
                        .collect();
                    table(&["ID", "NAME", "TEMPLATE", "DETACHABLE"], rows, false)
                }
            }
        }
        VolumeCommand::Type { type_id } => {
            let volume_type: VolumeType = client
                .get_volume_type_details(type_id)
                .await
                .with_context(|| format!("cannot show volume type {type_id}"))?;
            match global.output {
                OutputFormat::Json => output::json(&volume_type),
                OutputFormat::Table => fields(&[
                    ("id".to_owned(), volume_type.id.clone()),
                    ("name".to_owned(), text(&volume_type.name)),
                    ("disk template".to_owned(), text(&volume_type.disk_template)),
                    ("detachable".to_owned(), text(&volume_type.detachable)),
                    ("deleted".to_owned(), text(&volume_type.deleted)),
                ]),
            }
        }
        VolumeCommand::Wait {
            volume_id,
            while_status,
            until,
            timeout,
            no_progress_bar,
        } => {
            let settings = WaitSettings::new(*timeout, !no_progress_bar);
            let (what, wanted, status) = wait_goal(
                &format!("volume {volume_id}"),
                *until,
                *while_status,
                VolumeStatus::Creating,
                VolumeStatus::as_str,
            );
            let result = wait_volume(&client, volume_id, &what, &settings, |v| {
                volume_is(v, status.as_str()) == wanted
            })
            .await;
            let volume = match result {
                Ok(volume) => volume,
                Err(error) if error.is_not_found() && wanted && status == VolumeStatus::Deleted => {
                    eprintln!("Volume {volume_id}: status is now deleted");
                    return Ok(());
                }
                Err(error) => return Err(wait_error(error)),
            };
            eprintln!("Volume {volume_id}: status is now {}", text(&volume.status));
            if global.output == OutputFormat::Json {
                output::json(&volume)?;
            }
            Ok(())
        }
    }
}

async fn list(global: &GlobalArgs, client: &BlockStorageClient, args: &VolumeList) -> Result<()> {
    let volumes = if args.details {
        client.list_volumes_detail().await
    } else {
        client.list_volumes().await
    }
    .context("cannot list volumes")?;
    let volumes: Vec<Volume> = volumes
        .into_iter()
        .filter(|v| {
            args.filters
                .matches(v.display_name.as_deref().unwrap_or_default())
                && args.ids.matches(&v.id)
        })
        .collect();
    let volumes = limited(volumes, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&volumes),
        OutputFormat::Table if args.details => {
            let rows = volumes
                .iter()
                .map(|v| {
                    vec![
                        v.id.clone(),
                        text(&v.display_name),
                        text(&v.status),
                        v.size.map(|s| format!("{s}GiB")).unwrap_or_default(),
                        text(&v.volume_type),
                        servers(v),
                        text(&v.tenant_id),
                    ]
                })
                .collect();
            table(
                &["ID", "NAME", "STATUS", "SIZE", "TYPE", "SERVER", "PROJECT"],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = volumes
                .iter()
                .map(|v| vec![v.id.clone(), text(&v.display_name)])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

/// The servers a volume is attached to, comma-separated.
fn servers(volume: &Volume) -> String {
    volume
        .attachments
        .iter()
        .filter_map(|a| a.server_id.map(|s| s.to_string()))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn create(
    global: &GlobalArgs,
    client: &BlockStorageClient,
    args: &VolumeCreate,
) -> Result<()> {
    let mut create = CreateVolume::new(args.size, &args.name);
    create.server_id = args.server_id;
    create.display_description = args.description.clone();
    create.snapshot_id = args.snapshot_id.clone();
    create.image_id = args.image_id.clone();
    create.volume_type = args.volume_type.clone();
    create.metadata = args.metadata.iter().cloned().collect();
    create.project = args.project_id.clone();
    let volume = client
        .create_volume(&create)
        .await
        .with_context(|| format!("cannot create volume {:?}", args.name))?;
    if !args.wait.wait {
        return show(global.output, &volume);
    }
    let settings = args.wait.settings(VOLUME_TIMEOUT);
    let what = format!("volume {} to leave creating", volume.id);
    let done = wait_volume(client, &volume.id, &what, &settings, |v| {
        !volume_is(v, "creating")
    })
    .await
    .map_err(wait_error)?;
    eprintln!("Volume {}: status is now {}", done.id, text(&done.status));
    show(global.output, &done)?;
    if volume_is(&done, "error") {
        bail!(
            "volume {} failed to be created: its status is error",
            done.id
        );
    }
    Ok(())
}

async fn wait_deleted(
    client: &BlockStorageClient,
    volume_id: &str,
    settings: &WaitSettings,
) -> Result<()> {
    let what = format!("volume {volume_id} to be deleted");
    match wait_volume(client, volume_id, &what, settings, |v| {
        volume_is(v, "deleted") || v.deleted == Some(true)
    })
    .await
    {
        Ok(_) => {}
        Err(error) if error.is_not_found() => {}
        Err(error) => return Err(wait_error(error)),
    }
    eprintln!("Volume {volume_id}: status is now deleted");
    Ok(())
}

fn show(format: OutputFormat, volume: &Volume) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(volume),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), volume.id.clone()),
                ("name".to_owned(), text(&volume.display_name)),
            ];
            let optional = [
                ("status", text(&volume.status)),
                (
                    "size",
                    volume.size.map(|s| format!("{s}GiB")).unwrap_or_default(),
                ),
                ("type", text(&volume.volume_type)),
                ("description", text(&volume.display_description)),
                ("server", servers(volume)),
                ("snapshot", text(&volume.snapshot_id)),
                ("image", text(&volume.image_id)),
                ("user", text(&volume.user_id)),
                ("project", text(&volume.tenant_id)),
                ("delete on termination", text(&volume.delete_on_termination)),
                ("created", text(&volume.created_at)),
            ];
            output::push_present(&mut pairs, optional);
            output::push_meta(&mut pairs, &volume.metadata);
            fields(&pairs)
        }
    }
}

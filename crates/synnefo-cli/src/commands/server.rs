//! `snf server …`: Cyclades virtual servers: list, show, create (one or a
//! cluster), change, delete, power actions, console, waits and volume
//! attachments.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{
    IdFilters, MetaFilter, WaitFlags, WaitSettings, cyclades, fields, iso8601, limited,
    meta_matches, note, parse_meta_filter, settled_in, table, text, user_filter, wait_error,
    wait_server, wait_server_deleted, wait_server_settled,
};
use crate::commands::pithos_util::{NameFilters, parse_date, parse_key_value};
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use futures_util::StreamExt;
use futures_util::future::join_all;
use indicatif::{MultiProgress, ProgressDrawTarget};
use std::path::Path;
use std::time::SystemTime;
use synnefo_compute::{
    CreateServer, ListServers, Personality, RebootType, Server, ServerDetails, ServerNetwork,
    ServerStatus,
};
use synnefo_cyclades::{ConsoleType, CycladesClient, FirewallProfile, VolumeAttachment};

/// kamaki's wait for a build (longer than the others).
const BUILD_TIMEOUT: u64 = 100;
/// kamaki's wait for everything else.
const ACTION_TIMEOUT: u64 = 60;

/// `snf server …`
#[derive(Debug, Subcommand)]
pub(crate) enum ServerCommand {
    /// List servers (-l for details; filters by flavor, image, user,
    /// status, metadata, name and id).
    List(ServerList),
    /// Show a server, or its NICs, statistics or diagnostics.
    Info(ServerInfo),
    /// Create a server (or a cluster of them) from a flavor and an image.
    Create(ServerCreate),
    /// Rename, resize, change the firewall or the metadata of a server.
    Modify(ServerModify),
    /// Charge a server to another project.
    Reassign {
        /// The server id.
        server_id: u64,
        /// The project.
        #[arg(long, value_name = "PROJECT")]
        project_id: String,
    },
    /// Delete servers (by id, or every server named PREFIX… with --cluster).
    Delete(ServerDelete),
    /// Reboot a server.
    Reboot {
        /// The server id.
        server_id: u64,
        /// SOFT (ask the OS) or HARD (power-cycle).
        #[arg(long = "type", value_enum, ignore_case = true, default_value = "SOFT")]
        reboot_type: RebootArg,
        /// A hard reboot (same as --type HARD).
        #[arg(short = 'f', long, hide = true)]
        force: bool,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Start a stopped server.
    Start {
        /// The server id.
        server_id: u64,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Shut a running server down.
    Shutdown {
        /// The server id.
        server_id: u64,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Boot a (stopped) server from a rescue image.
    Rescue {
        /// The server id.
        server_id: u64,
        /// The rescue image [default: the cloud's].
        #[arg(long, value_name = "IMAGE")]
        rescue_image_ref: Option<String>,
    },
    /// Leave rescue mode.
    Unrescue {
        /// The server id.
        server_id: u64,
    },
    /// Get a VNC console's connection details (host, port, password).
    Console {
        /// The server id.
        server_id: u64,
        /// vnc, vnc-ws or vnc-wss.
        #[arg(long = "type", value_name = "TYPE", default_value = "vnc", value_parser = parse_console)]
        console_type: ConsoleType,
    },
    /// Wait while a server has a status, or until it has one.
    Wait(ServerWait),
    /// Attach a volume to a server.
    Attach {
        /// The server id.
        server_id: u64,
        /// The volume.
        #[arg(long, value_name = "VOLUME")]
        volume_id: String,
    },
    /// Show one volume attachment of a server.
    Attachment {
        /// The server id.
        server_id: u64,
        /// The attachment.
        #[arg(long, value_name = "ATTACHMENT")]
        attachment_id: String,
    },
    /// List the volumes attached to a server.
    Attachments {
        /// The server id.
        server_id: u64,
    },
    /// Detach a volume from a server.
    #[command(group(ArgGroup::new("which").required(true).args(["attachment_id", "volume_id"])))]
    Detach {
        /// The server id.
        server_id: u64,
        /// The attachment to remove.
        #[arg(long, value_name = "ATTACHMENT")]
        attachment_id: Option<String>,
        /// The volume to detach (every attachment of it).
        #[arg(long, value_name = "VOLUME")]
        volume_id: Option<String>,
    },
}

/// `snf server list`
#[derive(Debug, Args)]
pub(crate) struct ServerList {
    /// Show details (status, flavor, image, addresses, project).
    #[arg(short = 'l', long)]
    details: bool,
    /// Only servers changed since DATE (deleted ones included).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<SystemTime>,
    /// Show at most N servers.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    /// Accepted for kamaki compatibility (pipe to a pager instead).
    #[arg(long, hide = true)]
    more: bool,
    /// Only servers of this flavor.
    #[arg(long, value_name = "FLAVOR")]
    flavor_id: Option<u64>,
    /// Only servers of this image.
    #[arg(long, value_name = "IMAGE")]
    image_id: Option<String>,
    /// Only servers of this user (UUID).
    #[arg(long, value_name = "UUID")]
    user_id: Option<String>,
    /// Only servers of this user (display name).
    #[arg(long, value_name = "NAME", conflicts_with = "user_id")]
    user_name: Option<String>,
    /// Only servers with this status (BUILD, ACTIVE, STOPPED, REBOOT,
    /// ERROR).
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Only servers with this metadata: KEY or KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY[=VALUE]", value_parser = parse_meta_filter)]
    metadata: Vec<MetaFilter>,
    /// Only servers whose metadata KEY contains VALUE (any case;
    /// repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta_filter)]
    metadata_like: Vec<MetaFilter>,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

/// `snf server info`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").args(["nics", "stats", "diagnostics"])))]
pub(crate) struct ServerInfo {
    /// The server id.
    server_id: u64,
    /// Show the network interfaces.
    #[arg(long)]
    nics: bool,
    /// Show where the usage graphs are.
    #[arg(long)]
    stats: bool,
    /// Show the diagnostic messages (build progress, errors).
    #[arg(long)]
    diagnostics: bool,
}

/// `snf server create`
#[derive(Debug, Args)]
pub(crate) struct ServerCreate {
    /// The name (with --cluster-size, the prefix of NAME1…NAMEN).
    #[arg(long)]
    name: String,
    /// The flavor (see `snf flavor list`).
    #[arg(long, value_name = "FLAVOR")]
    flavor_id: u64,
    /// The image (see `snf imagecompute list`).
    #[arg(long, value_name = "IMAGE")]
    image_id: String,
    /// The SSH key pair to install (see `snf keypair list`).
    #[arg(long, value_name = "NAME")]
    key_name: Option<String>,
    /// A local file to place on the server:
    /// LOCAL[,SERVER_PATH[,OWNER[,GROUP[,MODE]]]] (MODE in octal;
    /// repeatable).
    #[arg(short = 'p', long, value_name = "FILE_SPEC")]
    personality: Vec<String>,
    /// A NIC: NETWORK, NETWORK,IP, id=NETWORK[,ip=IP] or port=PORT
    /// (repeatable) [default: the cloud's policy].
    #[arg(long, value_name = "NIC", conflicts_with = "no_network")]
    network: Vec<String>,
    /// No network interfaces at all.
    #[arg(long)]
    no_network: bool,
    /// The project to charge.
    #[arg(long, value_name = "PROJECT")]
    project_id: Option<String>,
    /// Metadata KEY=VALUE (repeatable).
    #[arg(short = 'm', long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    metadata: Vec<(String, String)>,
    /// Create N servers at once, named NAME1…NAMEN.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    cluster_size: Option<u32>,
    /// How many creations run at once (with --cluster-size).
    #[arg(long, value_name = "N", default_value_t = 5, requires = "cluster_size",
          value_parser = clap::value_parser!(u32).range(1..))]
    threads: u32,
    #[command(flatten)]
    wait: WaitFlags,
}

/// `snf server modify`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args([
    "name", "flavor_id", "firewall", "metadata_set", "metadata_del"
])))]
pub(crate) struct ServerModify {
    /// The server id.
    server_id: u64,
    /// A new name.
    #[arg(long)]
    name: Option<String>,
    /// Resize to this flavor (the server must be stopped).
    #[arg(long, value_name = "FLAVOR")]
    flavor_id: Option<u64>,
    /// Set the firewall profile of a NIC: ENABLED, DISABLED or PROTECTED.
    #[arg(long, value_name = "PROFILE", value_parser = parse_firewall)]
    firewall: Option<FirewallProfile>,
    /// The NIC (port) of --firewall, or * for all [default: the server's
    /// only NIC].
    #[arg(long, value_name = "PORT", requires = "firewall")]
    port_id: Option<String>,
    /// Set metadata KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    metadata_set: Vec<(String, String)>,
    /// Delete metadata KEY (repeatable).
    #[arg(long, value_name = "KEY")]
    metadata_del: Vec<String>,
}

/// `snf server delete`
#[derive(Debug, Args)]
pub(crate) struct ServerDelete {
    /// The server ids (with --cluster, name prefixes).
    #[arg(required = true, value_name = "SERVER_ID")]
    servers: Vec<String>,
    /// Delete every server whose name starts with each argument (kamaki's
    /// `--cluster PREFIX`; careful).
    #[arg(long)]
    cluster: bool,
    #[command(flatten)]
    wait: WaitFlags,
}

/// `snf server wait`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("condition").args(["while_status", "until", "status"])))]
pub(crate) struct ServerWait {
    /// The server id.
    server_id: u64,
    /// Wait while the server has this status [default: BUILD].
    #[arg(long = "while", value_name = "STATUS", value_enum, ignore_case = true)]
    while_status: Option<StatusArg>,
    /// Wait until the server has this status.
    #[arg(long, value_name = "STATUS", value_enum, ignore_case = true)]
    until: Option<StatusArg>,
    /// Same as --while (kamaki's older name).
    #[arg(
        long,
        value_name = "STATUS",
        value_enum,
        ignore_case = true,
        hide = true
    )]
    status: Option<StatusArg>,
    /// Give up after SECS seconds, with an error.
    #[arg(long, value_name = "SECS", default_value_t = ACTION_TIMEOUT)]
    timeout: u64,
    /// No progress bar.
    #[arg(short = 'N', long)]
    no_progress_bar: bool,
}

/// A reboot type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RebootArg {
    /// Ask the operating system to restart.
    #[value(name = "SOFT")]
    Soft,
    /// Power-cycle the machine.
    #[value(name = "HARD")]
    Hard,
}

/// A server status to wait on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusArg {
    /// Being built.
    #[value(name = "BUILD")]
    Build,
    /// Running.
    #[value(name = "ACTIVE")]
    Active,
    /// Shut down.
    #[value(name = "STOPPED")]
    Stopped,
    /// Rebooting.
    #[value(name = "REBOOT")]
    Reboot,
    /// Being resized.
    #[value(name = "RESIZE")]
    Resize,
    /// Failed.
    #[value(name = "ERROR")]
    Error,
    /// Deleted (a server no longer found counts too).
    #[value(name = "DELETED")]
    Deleted,
}

impl StatusArg {
    fn status(self) -> ServerStatus {
        match self {
            StatusArg::Build => ServerStatus::Build,
            StatusArg::Active => ServerStatus::Active,
            StatusArg::Stopped => ServerStatus::Stopped,
            StatusArg::Reboot => ServerStatus::Reboot,
            StatusArg::Resize => ServerStatus::Resize,
            StatusArg::Error => ServerStatus::Error,
            StatusArg::Deleted => ServerStatus::Deleted,
        }
    }
}

fn parse_console(text: &str) -> Result<ConsoleType, String> {
    text.parse().map_err(|e: synnefo_core::Error| e.to_string())
}

fn parse_firewall(text: &str) -> Result<FirewallProfile, String> {
    text.parse().map_err(|e: synnefo_core::Error| e.to_string())
}

pub(crate) async fn run(global: &GlobalArgs, command: &ServerCommand) -> Result<()> {
    match command {
        ServerCommand::List(args) => list(global, args).await,
        ServerCommand::Info(args) => info(global, args).await,
        ServerCommand::Create(args) => create(global, args).await,
        ServerCommand::Modify(args) => modify(global, args).await,
        ServerCommand::Reassign {
            server_id,
            project_id,
        } => {
            let (_, client) = cyclades(global).await?;
            client
                .reassign_server(*server_id, project_id)
                .await
                .with_context(|| {
                    format!("cannot reassign server {server_id} to project {project_id}")
                })
        }
        ServerCommand::Delete(args) => delete(global, args).await,
        ServerCommand::Reboot {
            server_id,
            reboot_type,
            force,
            wait,
        } => {
            let (_, client) = cyclades(global).await?;
            let kind = if *force || *reboot_type == RebootArg::Hard {
                RebootType::Hard
            } else {
                RebootType::Soft
            };
            client
                .reboot_server(*server_id, kind)
                .await
                .with_context(|| format!("cannot reboot server {server_id}"))?;
            if wait.wait {
                let settings = wait.settings(ACTION_TIMEOUT);
                wait_server_settled(&client, *server_id, ServerStatus::Active, &settings, None)
                    .await?;
            }
            Ok(())
        }
        ServerCommand::Start { server_id, wait } => {
            power(global, *server_id, wait, ServerStatus::Active).await
        }
        ServerCommand::Shutdown { server_id, wait } => {
            power(global, *server_id, wait, ServerStatus::Stopped).await
        }
        ServerCommand::Rescue {
            server_id,
            rescue_image_ref,
        } => {
            let (_, client) = cyclades(global).await?;
            client
                .rescue_server(*server_id, rescue_image_ref.as_deref())
                .await
                .with_context(|| format!("cannot rescue server {server_id}"))
        }
        ServerCommand::Unrescue { server_id } => {
            let (_, client) = cyclades(global).await?;
            client
                .unrescue_server(*server_id)
                .await
                .with_context(|| format!("cannot unrescue server {server_id}"))
        }
        ServerCommand::Console {
            server_id,
            console_type,
        } => {
            let (_, client) = cyclades(global).await?;
            let console = client
                .get_server_console(*server_id, *console_type)
                .await
                .with_context(|| format!("cannot get the console of server {server_id}"))?;
            match global.output {
                OutputFormat::Json => output::json(&console),
                OutputFormat::Table => {
                    let mut pairs = vec![
                        ("type".to_owned(), text(&console.console_type)),
                        ("host".to_owned(), text(&console.host)),
                        ("port".to_owned(), text(&console.port)),
                        ("password".to_owned(), text(&console.password)),
                    ];
                    if let Some(url) = &console.url {
                        pairs.push(("url".to_owned(), url.clone()));
                    }
                    fields(&pairs)
                }
            }
        }
        ServerCommand::Wait(args) => wait_command(global, args).await,
        ServerCommand::Attach {
            server_id,
            volume_id,
        } => {
            let (_, client) = cyclades(global).await?;
            let attachment = client
                .attach_volume(*server_id, volume_id)
                .await
                .with_context(|| {
                    format!("cannot attach volume {volume_id} to server {server_id}")
                })?;
            show_attachments(global.output, std::slice::from_ref(&attachment), true)
        }
        ServerCommand::Attachment {
            server_id,
            attachment_id,
        } => {
            let (_, client) = cyclades(global).await?;
            let attachment = client
                .get_volume_attachment(*server_id, attachment_id)
                .await
                .with_context(|| {
                    format!("cannot show attachment {attachment_id} of server {server_id}")
                })?;
            show_attachments(global.output, std::slice::from_ref(&attachment), true)
        }
        ServerCommand::Attachments { server_id } => {
            let (_, client) = cyclades(global).await?;
            let attachments = client
                .list_volume_attachments(*server_id)
                .await
                .with_context(|| format!("cannot list the volumes of server {server_id}"))?;
            show_attachments(global.output, &attachments, false)
        }
        ServerCommand::Detach {
            server_id,
            attachment_id,
            volume_id,
        } => {
            let (_, client) = cyclades(global).await?;
            if let Some(attachment_id) = attachment_id {
                return client
                    .delete_volume_attachment(*server_id, attachment_id)
                    .await
                    .with_context(|| {
                        format!("cannot remove attachment {attachment_id} of server {server_id}")
                    });
            }
            let volume_id = volume_id.as_deref().unwrap_or_default();
            let removed = client
                .detach_volume(*server_id, volume_id)
                .await
                .with_context(|| {
                    format!("cannot detach volume {volume_id} from server {server_id}")
                })?;
            if removed.is_empty() {
                bail!(
                    "volume {volume_id} is not attached to server {server_id} \
                     (see `snf server attachments {server_id}`)"
                );
            }
            Ok(())
        }
    }
}

async fn list(global: &GlobalArgs, args: &ServerList) -> Result<()> {
    let (cloud, client) = cyclades(global).await?;
    let user_id = user_filter(&cloud, args.user_id.as_deref(), args.user_name.as_deref()).await?;
    let status = args.status.as_deref().map(ServerStatus::from);
    let needs_details = args.details
        || args.flavor_id.is_some()
        || args.image_id.is_some()
        || user_id.is_some()
        || status.is_some()
        || !args.metadata.is_empty()
        || !args.metadata_like.is_empty();
    let filtered_here = needs_details
        || args.ids.any()
        || args.filters.name_prefix.is_some()
        || args.filters.name_suffix.is_some()
        || args.filters.name_like.is_some();
    // What the API can filter goes to the server; everything is checked
    // again here, as Synnefo honours only `changes-since`.
    let query = ListServers {
        changes_since: args.since.map(iso8601),
        image: args.image_id.clone(),
        flavor: args.flavor_id,
        name: args.filters.name.clone(),
        status: status.clone(),
        limit: if filtered_here {
            None
        } else {
            args.limit.and_then(|n| u32::try_from(n).ok())
        },
        ..ListServers::default()
    };
    if !needs_details {
        let servers: Vec<Server> = client
            .list_servers(&query)
            .await
            .context("cannot list servers")?
            .into_iter()
            .filter(|s| args.filters.matches(&s.name) && args.ids.matches(&s.id.to_string()))
            .collect();
        let servers = limited(servers, args.limit);
        return match global.output {
            OutputFormat::Json => output::json(&servers),
            OutputFormat::Table => {
                let rows = servers
                    .iter()
                    .map(|s| vec![s.id.to_string(), s.name.clone()])
                    .collect();
                table(&["ID", "NAME"], rows, args.enumerate)
            }
        };
    }
    let servers: Vec<ServerDetails> = client
        .list_servers_detail(&query)
        .await
        .context("cannot list servers")?
        .into_iter()
        .filter(|s| {
            args.filters.matches(&s.name)
                && args.ids.matches(&s.id.to_string())
                && args
                    .flavor_id
                    .is_none_or(|f| s.flavor.as_ref().is_some_and(|r| r.id == f))
                && args
                    .image_id
                    .as_deref()
                    .is_none_or(|i| s.image.as_ref().is_some_and(|r| r.id == i))
                && user_id
                    .as_deref()
                    .is_none_or(|u| s.user_id.as_deref() == Some(u))
                && status.as_ref().is_none_or(|st| &s.status == st)
                && meta_matches(&s.metadata, &args.metadata, &args.metadata_like)
        })
        .collect();
    let servers = limited(servers, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&servers),
        OutputFormat::Table if args.details => {
            let rows = servers
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.name.clone(),
                        s.status.to_string(),
                        s.flavor
                            .as_ref()
                            .map(|f| f.id.to_string())
                            .unwrap_or_default(),
                        s.image.as_ref().map(|i| i.id.clone()).unwrap_or_default(),
                        addresses(s),
                        text(&s.tenant_id),
                    ]
                })
                .collect();
            table(
                &[
                    "ID",
                    "NAME",
                    "STATUS",
                    "FLAVOR",
                    "IMAGE",
                    "ADDRESSES",
                    "PROJECT",
                ],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = servers
                .iter()
                .map(|s| vec![s.id.to_string(), s.name.clone()])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

/// A server's IP addresses, comma-separated.
fn addresses(server: &ServerDetails) -> String {
    let mut all: Vec<&str> = Vec::new();
    for nic in &server.attachments {
        for ip in [&nic.ipv4, &nic.ipv6].into_iter().flatten() {
            if !ip.is_empty() {
                all.push(ip);
            }
        }
    }
    if all.is_empty() {
        for address in server.addresses.values().flatten() {
            all.push(&address.addr);
        }
    }
    all.join(", ")
}

async fn info(global: &GlobalArgs, args: &ServerInfo) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    let id = args.server_id;
    if args.nics {
        let nics = client
            .get_server_nics(id)
            .await
            .with_context(|| format!("cannot list the NICs of server {id}"))?;
        return match global.output {
            OutputFormat::Json => output::json(&nics),
            OutputFormat::Table => {
                let rows = nics
                    .attachments
                    .iter()
                    .map(|n| {
                        vec![
                            n.id.clone(),
                            text(&n.network_id),
                            text(&n.mac_address),
                            text(&n.ipv4),
                            text(&n.ipv6),
                            text(&n.firewall_profile),
                        ]
                    })
                    .collect();
                table(
                    &["ID", "NETWORK", "MAC", "IPV4", "IPV6", "FIREWALL"],
                    rows,
                    false,
                )
            }
        };
    }
    if args.stats {
        let stats = client
            .get_server_stats(id)
            .await
            .with_context(|| format!("cannot get the statistics of server {id}"))?;
        return match global.output {
            OutputFormat::Json => output::json(&stats),
            OutputFormat::Table => fields(&[
                ("server".to_owned(), text(&stats.server_ref)),
                ("refresh".to_owned(), text(&stats.refresh)),
                ("cpu bar".to_owned(), text(&stats.cpu_bar)),
                ("cpu time series".to_owned(), text(&stats.cpu_time_series)),
                ("net bar".to_owned(), text(&stats.net_bar)),
                ("net time series".to_owned(), text(&stats.net_time_series)),
            ]),
        };
    }
    if args.diagnostics {
        let diagnostics = client
            .get_server_diagnostics(id)
            .await
            .with_context(|| format!("cannot get the diagnostics of server {id}"))?;
        return match global.output {
            OutputFormat::Json => output::json(&diagnostics),
            OutputFormat::Table => {
                let rows = diagnostics
                    .iter()
                    .map(|d| {
                        vec![
                            text(&d.created),
                            text(&d.level),
                            text(&d.source),
                            text(&d.message),
                        ]
                    })
                    .collect();
                table(&["CREATED", "LEVEL", "SOURCE", "MESSAGE"], rows, false)
            }
        };
    }
    let server = client
        .get_server_details(id)
        .await
        .with_context(|| format!("cannot show server {id}"))?;
    match global.output {
        OutputFormat::Json => output::json(&server),
        OutputFormat::Table => fields(&server_fields(&server)),
    }
}

/// A server for people, one `key: value` line each.
fn server_fields(s: &ServerDetails) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("id".to_owned(), s.id.to_string()),
        ("name".to_owned(), s.name.clone()),
        ("status".to_owned(), s.status.to_string()),
    ];
    if s.status == ServerStatus::Build
        && let Some(progress) = s.progress
    {
        pairs.push(("progress".to_owned(), format!("{progress}%")));
    }
    if let Some(task) = s.task_state.as_deref().filter(|t| !t.is_empty()) {
        pairs.push(("task".to_owned(), task.to_owned()));
    }
    pairs.extend([
        (
            "flavor".to_owned(),
            s.flavor
                .as_ref()
                .map(|f| f.id.to_string())
                .unwrap_or_default(),
        ),
        (
            "image".to_owned(),
            s.image.as_ref().map(|i| i.id.clone()).unwrap_or_default(),
        ),
        ("user".to_owned(), text(&s.user_id)),
        ("project".to_owned(), text(&s.tenant_id)),
        ("created".to_owned(), text(&s.created)),
        ("updated".to_owned(), text(&s.updated)),
    ]);
    if let Some(fqdn) = s.fqdn.as_deref().filter(|f| !f.is_empty()) {
        pairs.push(("fqdn".to_owned(), fqdn.to_owned()));
    }
    let keys = if s.key_names.is_empty() {
        text(&s.key_name)
    } else {
        s.key_names.join(", ")
    };
    if !keys.is_empty() {
        pairs.push(("key pairs".to_owned(), keys));
    }
    if !s.volumes.is_empty() {
        pairs.push(("volumes".to_owned(), s.volumes.join(", ")));
    }
    for nic in &s.attachments {
        let mut parts = vec![format!("network {}", text(&nic.network_id))];
        for (label, value) in [
            ("ipv4", &nic.ipv4),
            ("ipv6", &nic.ipv6),
            ("firewall", &nic.firewall_profile),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{label} {value}"));
            }
        }
        pairs.push((format!("nic {}", nic.id), parts.join(", ")));
    }
    if s.rescue == Some(true) {
        pairs.push(("rescue".to_owned(), "yes".to_owned()));
    }
    if s.suspended == Some(true) {
        pairs.push(("suspended".to_owned(), "yes".to_owned()));
    }
    crate::output::push_meta(&mut pairs, &s.metadata);
    if let Some(password) = &s.admin_pass {
        pairs.push(("admin password".to_owned(), password.clone()));
    }
    pairs
}

/// Reads `LOCAL[,SERVER_PATH[,OWNER[,GROUP[,MODE]]]]`.
fn parse_personality(spec: &str) -> Result<Personality> {
    let terms: Vec<&str> = spec.split(',').collect();
    if terms.len() > 5 {
        bail!(
            "invalid --personality {spec:?}: expected LOCAL[,SERVER_PATH[,OWNER[,GROUP[,MODE]]]]"
        );
    }
    let local = terms[0];
    let contents = std::fs::read(local)
        .with_context(|| format!("cannot read the personality file {local:?}"))?;
    let server_path = terms
        .get(1)
        .filter(|p| !p.is_empty())
        .map(|p| (*p).to_owned())
        .unwrap_or_else(|| {
            Path::new(local)
                .canonicalize()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| local.to_owned())
        });
    let mut personality = Personality::new(server_path, contents);
    if let Some(owner) = terms.get(2).filter(|o| !o.is_empty()) {
        personality = personality.owner(*owner);
    }
    if let Some(group) = terms.get(3).filter(|g| !g.is_empty()) {
        personality = personality.group(*group);
    }
    if let Some(mode) = terms.get(4).filter(|m| !m.is_empty()) {
        let bits = u32::from_str_radix(mode.trim_start_matches("0o"), 8).with_context(|| {
            format!("invalid mode {mode:?} in --personality {spec:?}: expected octal, e.g. 0644")
        })?;
        personality = personality.mode(bits);
    }
    Ok(personality)
}

/// Reads `NETWORK`, `NETWORK,IP`, `id=NETWORK[,ip=IP]` or `port=PORT`.
fn parse_network(spec: &str) -> Result<ServerNetwork> {
    let invalid = || {
        anyhow::anyhow!(
            "invalid --network {spec:?}: expected NETWORK, NETWORK,IP, id=NETWORK,ip=IP or port=PORT"
        )
    };
    let mut network = None;
    let mut ip = None;
    let mut port = None;
    for (i, term) in spec.split(',').enumerate() {
        let term = term.trim();
        match term.split_once('=') {
            Some(("id" | "uuid" | "network", value)) => network = Some(value),
            Some(("ip" | "fixed_ip", value)) => ip = Some(value),
            Some(("port", value)) => port = Some(value),
            Some(_) => return Err(invalid()),
            None if i == 0 => network = Some(term),
            None if i == 1 => ip = Some(term),
            None => return Err(invalid()),
        }
    }
    match (network, ip, port) {
        (Some(network), None, None) if !network.is_empty() => Ok(ServerNetwork::network(network)),
        (Some(network), Some(ip), None) if !network.is_empty() && !ip.is_empty() => {
            Ok(ServerNetwork::network_with_ip(network, ip))
        }
        (None, None, Some(port)) if !port.is_empty() => Ok(ServerNetwork::port(port)),
        _ => Err(invalid()),
    }
}

async fn create(global: &GlobalArgs, args: &ServerCreate) -> Result<()> {
    let mut create = CreateServer::new(&args.name, args.flavor_id, &args.image_id);
    create.key_name = args.key_name.clone();
    create.project = args.project_id.clone();
    create.metadata = args.metadata.iter().cloned().collect();
    create.personality = args
        .personality
        .iter()
        .map(|spec| parse_personality(spec))
        .collect::<Result<_>>()?;
    create.networks = if args.no_network {
        Some(Vec::new())
    } else if args.network.is_empty() {
        None
    } else {
        Some(
            args.network
                .iter()
                .map(|spec| parse_network(spec))
                .collect::<Result<_>>()?,
        )
    };
    let (_, client) = cyclades(global).await?;
    let settings = args.wait.settings(BUILD_TIMEOUT);
    let Some(size) = args.cluster_size else {
        let server = client
            .create_server(&create)
            .await
            .with_context(|| format!("cannot create server {:?}", args.name))?;
        show_created(global.output, std::slice::from_ref(&server), false)?;
        if args.wait.wait {
            wait_built(&client, server.id, &settings, None).await?;
        }
        return Ok(());
    };
    let creates: Vec<CreateServer> = (1..=size)
        .map(|i| CreateServer {
            name: format!("{}{i}", args.name),
            ..create.clone()
        })
        .collect();
    let client = &client;
    let results: Vec<(String, synnefo_core::Result<ServerDetails>)> =
        futures_util::stream::iter(creates)
            .map(|create| async move {
                let result = client.create_server(&create).await;
                (create.name, result)
            })
            .buffered(args.threads as usize)
            .collect()
            .await;
    let mut created = Vec::new();
    let mut failed = Vec::new();
    for (name, result) in results {
        match result {
            Ok(server) => created.push(server),
            Err(error) => failed.push((name, error)),
        }
    }
    show_created(global.output, &created, true)?;
    if let Some((name, error)) = failed.first() {
        let made: Vec<String> = created
            .iter()
            .map(|s| format!("{} ({})", s.id, s.name))
            .collect();
        bail!(
            "cannot create {} of {size} servers; first failure: {name}: {error}; created: {}",
            failed.len(),
            if made.is_empty() {
                "none".to_owned()
            } else {
                made.join(", ")
            }
        );
    }
    if args.wait.wait {
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let waits = created
            .iter()
            .map(|s| wait_built(client, s.id, &settings, Some(&multi)));
        let errors: Vec<anyhow::Error> = join_all(waits)
            .await
            .into_iter()
            .filter_map(Result::err)
            .collect();
        if let Some(first) = errors.into_iter().next() {
            return Err(first);
        }
    }
    Ok(())
}

/// Prints new servers with their one-time administrator passwords.
fn show_created(format: OutputFormat, servers: &[ServerDetails], cluster: bool) -> Result<()> {
    match (format, cluster) {
        (OutputFormat::Json, false) => match servers.first() {
            Some(server) => output::json(server),
            None => Ok(()),
        },
        (OutputFormat::Json, true) => output::json(servers),
        (OutputFormat::Table, false) => match servers.first() {
            Some(server) => fields(&server_fields(server)),
            None => Ok(()),
        },
        (OutputFormat::Table, true) => {
            let rows = servers
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string(),
                        s.name.clone(),
                        s.status.to_string(),
                        text(&s.admin_pass),
                    ]
                })
                .collect();
            table(&["ID", "NAME", "STATUS", "ADMIN PASSWORD"], rows, false)
        }
    }
}

/// Waits for a new server to leave `BUILD`; `ERROR` is a failure.
async fn wait_built(
    client: &CycladesClient,
    server_id: u64,
    settings: &WaitSettings,
    multi: Option<&MultiProgress>,
) -> Result<()> {
    let what = format!("server {server_id} to leave BUILD");
    let server = wait_server(client, server_id, &what, settings, multi, |s| {
        s.status != ServerStatus::Build
    })
    .await
    .map_err(wait_error)?;
    if server.status == ServerStatus::Error {
        bail!(
            "server {server_id} failed to build: its status is ERROR \
             (see `snf server info {server_id} --diagnostics`)"
        );
    }
    note(
        multi,
        &format!("Server {server_id}: status is now {}", server.status),
    );
    Ok(())
}

async fn modify(global: &GlobalArgs, args: &ServerModify) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    let id = args.server_id;
    let what = || format!("cannot modify server {id}");
    if let Some(name) = &args.name {
        client
            .update_server_name(id, name)
            .await
            .with_context(what)?;
    }
    if let Some(flavor) = args.flavor_id {
        client
            .resize_server(id, flavor)
            .await
            .with_context(|| format!("cannot resize server {id} to flavor {flavor}"))?;
    }
    if let Some(profile) = args.firewall {
        let ports: Vec<String> = match args.port_id.as_deref() {
            Some(port) if port != "*" => vec![port.to_owned()],
            wanted => {
                let server = client.get_server_details(id).await.with_context(what)?;
                let all: Vec<String> = server.attachments.iter().map(|n| n.id.clone()).collect();
                if wanted.is_none() && all.len() != 1 {
                    bail!(
                        "server {id} has {} NICs: name one with --port-id PORT (or * for all; \
                         see `snf server info {id} --nics`)",
                        all.len()
                    );
                }
                all
            }
        };
        for port in &ports {
            client
                .set_firewall_profile(id, profile, port)
                .await
                .with_context(|| {
                    format!("cannot set the firewall of NIC {port} of server {id} to {profile}")
                })?;
        }
    }
    if !args.metadata_set.is_empty() {
        let metadata = args.metadata_set.iter().cloned().collect();
        client
            .update_server_metadata(id, &metadata)
            .await
            .with_context(what)?;
    }
    for key in &args.metadata_del {
        client
            .delete_server_metadata(id, key)
            .await
            .with_context(|| format!("cannot delete metadata {key:?} of server {id}"))?;
    }
    Ok(())
}

async fn delete(global: &GlobalArgs, args: &ServerDelete) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    let ids: Vec<u64> = if args.cluster {
        let servers = client
            .list_servers(&ListServers::default())
            .await
            .context("cannot list servers")?;
        let mut ids = Vec::new();
        for prefix in &args.servers {
            let matching: Vec<u64> = servers
                .iter()
                .filter(|s| s.name.starts_with(prefix.as_str()))
                .map(|s| s.id)
                .collect();
            if matching.is_empty() {
                bail!("no server name starts with {prefix:?} (see `snf server list`)");
            }
            ids.extend(matching);
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    } else {
        args.servers
            .iter()
            .map(|id| {
                id.parse::<u64>().with_context(|| {
                    format!("invalid server id {id:?} (to delete by name prefix, add --cluster)")
                })
            })
            .collect::<Result<_>>()?
    };
    let client = &client;
    let results: Vec<(u64, synnefo_core::Result<()>)> = futures_util::stream::iter(ids)
        .map(|id| async move { (id, client.delete_server(id).await) })
        .buffered(5)
        .collect()
        .await;
    let mut deleted = Vec::new();
    let mut first_error = None;
    for (id, result) in results {
        match result {
            Ok(()) => deleted.push(id),
            Err(error) if first_error.is_none() => {
                first_error =
                    Some(anyhow::Error::new(error).context(format!("cannot delete server {id}")));
            }
            Err(_) => {}
        }
    }
    if args.wait.wait {
        let settings = args.wait.settings(ACTION_TIMEOUT);
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let multi = (deleted.len() > 1).then_some(&multi);
        let waits = deleted
            .iter()
            .map(|id| wait_server_deleted(client, *id, &settings, multi));
        for result in join_all(waits).await {
            if let Err(error) = result
                && first_error.is_none()
            {
                first_error = Some(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// `start` and `shutdown`: refused when the server is already there (as
/// kamaki does), then the action, then optionally the wait.
async fn power(
    global: &GlobalArgs,
    server_id: u64,
    wait: &WaitFlags,
    target: ServerStatus,
) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    let verb = if target == ServerStatus::Active {
        "start"
    } else {
        "shut down"
    };
    let server = client
        .get_server_details(server_id)
        .await
        .with_context(|| format!("cannot {verb} server {server_id}"))?;
    if settled_in(&server, &target) {
        bail!("server {server_id} is already {target}: nothing to {verb}");
    }
    let result = if target == ServerStatus::Active {
        client.start_server(server_id).await
    } else {
        client.shutdown_server(server_id).await
    };
    result.with_context(|| {
        format!(
            "cannot {verb} server {server_id} (its status is {})",
            server.status
        )
    })?;
    if wait.wait {
        let settings = wait.settings(ACTION_TIMEOUT);
        wait_server_settled(&client, server_id, target, &settings, None).await?;
    }
    Ok(())
}

async fn wait_command(global: &GlobalArgs, args: &ServerWait) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    let id = args.server_id;
    let settings = WaitSettings::new(args.timeout, !args.no_progress_bar);
    let (what, until, status) = match (args.until, args.while_status.or(args.status)) {
        (Some(until), _) => {
            let status = until.status();
            (format!("server {id} to become {status}"), true, status)
        }
        (None, current) => {
            let status = current.unwrap_or(StatusArg::Build).status();
            (format!("server {id} to leave {status}"), false, status)
        }
    };
    let result = wait_server(&client, id, &what, &settings, None, |s| {
        (s.status == status) == until
    })
    .await;
    let server = match result {
        Ok(server) => server,
        Err(error) if error.is_not_found() && until && status == ServerStatus::Deleted => {
            eprintln!("Server {id}: status is now DELETED");
            return Ok(());
        }
        Err(error) => return Err(wait_error(error)),
    };
    eprintln!("Server {id}: status is now {}", server.status);
    if global.output == OutputFormat::Json {
        output::json(&server)?;
    }
    Ok(())
}

fn show_attachments(
    format: OutputFormat,
    attachments: &[VolumeAttachment],
    single: bool,
) -> Result<()> {
    match format {
        OutputFormat::Json if single => match attachments.first() {
            Some(attachment) => output::json(attachment),
            None => Ok(()),
        },
        OutputFormat::Json => output::json(attachments),
        OutputFormat::Table if single => match attachments.first() {
            Some(a) => fields(&[
                ("id".to_owned(), a.id.clone()),
                ("volume".to_owned(), text(&a.volume_id)),
                ("server".to_owned(), text(&a.server_id)),
                ("device".to_owned(), text(&a.device)),
            ]),
            None => Ok(()),
        },
        OutputFormat::Table => {
            let rows = attachments
                .iter()
                .map(|a| {
                    vec![
                        a.id.clone(),
                        text(&a.volume_id),
                        text(&a.server_id),
                        text(&a.device),
                    ]
                })
                .collect();
            table(&["ID", "VOLUME", "SERVER", "DEVICE"], rows, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_specs() {
        let net = |s: &str| parse_network(s).ok();
        assert_eq!(net("12"), Some(ServerNetwork::network("12")));
        assert_eq!(
            net("12,10.0.0.2"),
            Some(ServerNetwork::network_with_ip("12", "10.0.0.2"))
        );
        assert_eq!(
            net("id=12,ip=10.0.0.2"),
            Some(ServerNetwork::network_with_ip("12", "10.0.0.2"))
        );
        assert_eq!(net("port=p-1"), Some(ServerNetwork::port("p-1")));
        for bad in ["", "a,b,c", "port=p,ip=1", "x=1", "id="] {
            assert!(parse_network(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn personality_specs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("motd");
        std::fs::write(&file, "hello\n").unwrap_or_else(|e| panic!("{e}"));
        let spec = format!("{},/etc/motd,root,root,0644", file.display());
        let p = parse_personality(&spec).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.path, "/etc/motd");
        assert_eq!(p.contents, b"hello\n");
        assert_eq!(p.mode, Some(0o644));
        assert_eq!(p.owner.as_deref(), Some("root"));
        assert!(parse_personality(&format!("{},/x,a,b,9", file.display())).is_err());
        assert!(parse_personality("/no/such/file").is_err());
    }
}

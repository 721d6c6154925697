//! `snf network …`: private networks, and connecting servers to them.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{IdFilters, WaitFlags, fields, limited, table, text};
use crate::commands::network_util::{PORT_TIMEOUT, connect, network, wait_port_gone};
use crate::commands::pithos_util::NameFilters;
use crate::commands::port::{self, PortArgs};
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use synnefo_network::{CreateNetwork, Network, NetworkClient, NetworkType, UpdateNetwork};

/// `snf network …`
#[derive(Debug, Subcommand)]
pub(crate) enum NetworkCommand {
    /// List the networks you see (-l for status, type and subnets).
    List(NetworkList),
    /// Show a network.
    Info {
        /// The network id.
        network_id: String,
    },
    /// Create a private network.
    Create(NetworkCreate),
    /// Rename a network.
    Modify {
        /// The network id.
        network_id: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Charge a network to another project.
    Reassign {
        /// The network id.
        network_id: String,
        /// The project.
        #[arg(long, value_name = "PROJECT")]
        project_id: String,
    },
    /// Delete a network (it must have no ports).
    Delete {
        /// The network id.
        network_id: String,
    },
    /// Connect servers to a network: one new port per server.
    Connect {
        /// The network id.
        network_id: String,
        /// A server to connect (repeatable).
        #[arg(long, value_name = "SERVER", required = true)]
        device_id: Vec<String>,
        #[command(flatten)]
        port: PortArgs,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Disconnect servers from a network: delete their ports on it.
    Disconnect {
        /// The network id.
        network_id: String,
        /// A server to disconnect (repeatable).
        #[arg(long, value_name = "SERVER", required = true)]
        device_id: Vec<String>,
        #[command(flatten)]
        wait: WaitFlags,
    },
}

/// `snf network list`
#[derive(Debug, Args)]
pub(crate) struct NetworkList {
    /// Show details (status, type, public, subnets, project).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N networks.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    /// Only the networks of this user.
    #[arg(long, value_name = "UUID")]
    user_id: Option<String>,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

/// `snf network create`
#[derive(Debug, Args)]
pub(crate) struct NetworkCreate {
    /// The name.
    #[arg(long)]
    name: Option<String>,
    /// The network type: MAC_FILTERED, CUSTOM, IP_LESS_ROUTED or
    /// PHYSICAL_VLAN.
    #[arg(long = "type", value_name = "TYPE", default_value = "MAC_FILTERED")]
    network_type: NetworkType,
    /// Share it (Neutron's `shared`).
    #[arg(long)]
    shared: bool,
    /// The project to charge.
    #[arg(long, value_name = "PROJECT")]
    project_id: Option<String>,
}

pub(crate) async fn run(global: &GlobalArgs, command: &NetworkCommand) -> Result<()> {
    let client = network(global).await?;
    match command {
        NetworkCommand::List(args) => list(global, &client, args).await,
        NetworkCommand::Info { network_id } => {
            let network = client
                .get_network_details(network_id)
                .await
                .with_context(|| format!("cannot show network {network_id}"))?;
            show(global.output, &network)
        }
        NetworkCommand::Create(args) => {
            let create = CreateNetwork {
                name: args.name.clone(),
                shared: args.shared.then_some(true),
                project: args.project_id.clone(),
                ..CreateNetwork::new(args.network_type)
            };
            let network = client
                .create_network(&create)
                .await
                .context("cannot create the network")?;
            show(global.output, &network)
        }
        NetworkCommand::Modify { network_id, name } => {
            let network = client
                .update_network(network_id, &UpdateNetwork::name(name))
                .await
                .with_context(|| format!("cannot modify network {network_id}"))?;
            if global.output == OutputFormat::Json {
                output::json(&network)?;
            }
            Ok(())
        }
        NetworkCommand::Reassign {
            network_id,
            project_id,
        } => client
            .reassign_network(network_id, project_id)
            .await
            .with_context(|| {
                format!("cannot reassign network {network_id} to project {project_id}")
            }),
        NetworkCommand::Delete { network_id } => client
            .delete_network(network_id)
            .await
            .with_context(|| format!("cannot delete network {network_id}")),
        NetworkCommand::Connect {
            network_id,
            device_id,
            port,
            wait,
        } => {
            let mut ports = Vec::new();
            for device in device_id {
                let created =
                    connect(&client, network_id, Some(device), &port.options(), wait).await?;
                ports.push(created);
            }
            match global.output {
                OutputFormat::Json => output::json(&ports),
                OutputFormat::Table => ports
                    .iter()
                    .try_for_each(|p| port::show(OutputFormat::Table, p)),
            }
        }
        NetworkCommand::Disconnect {
            network_id,
            device_id,
            wait,
        } => disconnect(&client, network_id, device_id, wait).await,
    }
}

/// Deletes the ports of `devices` on `network_id`; a device without one
/// is an error (after the others are done).
async fn disconnect(
    client: &NetworkClient,
    network_id: &str,
    devices: &[String],
    wait: &WaitFlags,
) -> Result<()> {
    let ports = client.list_ports().await.context("cannot list ports")?;
    let mut missing = Vec::new();
    let mut deleted = Vec::new();
    for device in devices {
        let mine: Vec<&str> = ports
            .iter()
            .filter(|p| {
                p.network_id.as_deref() == Some(network_id)
                    && p.device_id.as_deref() == Some(device.as_str())
            })
            .map(|p| p.id.as_str())
            .collect();
        if mine.is_empty() {
            missing.push(device.as_str());
        }
        for port in mine {
            client.delete_port(port).await.with_context(|| {
                format!("cannot disconnect server {device} from network {network_id}")
            })?;
            deleted.push(port);
        }
    }
    if wait.wait {
        let settings = wait.settings(PORT_TIMEOUT);
        for port in deleted {
            wait_port_gone(client, port, &settings).await?;
        }
    }
    if !missing.is_empty() {
        bail!(
            "server {} has no port on network {network_id}",
            missing.join(", ")
        );
    }
    Ok(())
}

async fn list(global: &GlobalArgs, client: &NetworkClient, args: &NetworkList) -> Result<()> {
    let networks = if args.details {
        client.list_networks_detail().await
    } else {
        client.list_networks().await
    }
    .context("cannot list networks")?;
    let networks: Vec<Network> = networks
        .into_iter()
        .filter(|n| {
            args.filters.matches(n.name.as_deref().unwrap_or_default())
                && args.ids.matches(&n.id)
                && args
                    .user_id
                    .as_deref()
                    .is_none_or(|u| n.user_id.as_deref() == Some(u))
        })
        .collect();
    let networks = limited(networks, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&networks),
        OutputFormat::Table if args.details => {
            let rows = networks
                .iter()
                .map(|n| {
                    vec![
                        n.id.clone(),
                        text(&n.name),
                        text(&n.status),
                        text(&n.network_type),
                        text(&n.public),
                        n.subnets.join(", "),
                        text(&n.tenant_id),
                    ]
                })
                .collect();
            table(
                &[
                    "ID", "NAME", "STATUS", "TYPE", "PUBLIC", "SUBNETS", "PROJECT",
                ],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = networks
                .iter()
                .map(|n| vec![n.id.clone(), text(&n.name)])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

fn show(format: OutputFormat, network: &Network) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(network),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), network.id.clone()),
                ("name".to_owned(), text(&network.name)),
            ];
            let optional = [
                ("status", text(&network.status)),
                ("type", text(&network.network_type)),
                ("public", text(&network.public)),
                ("floating ip pool", text(&network.floating_ip_pool)),
                ("subnets", network.subnets.join(", ")),
                ("user", text(&network.user_id)),
                ("project", text(&network.tenant_id)),
                ("shared to project", text(&network.shared_to_project)),
                ("created", text(&network.created)),
                ("updated", text(&network.updated)),
            ];
            output::push_present(&mut pairs, optional);
            fields(&pairs)
        }
    }
}

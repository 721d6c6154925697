//! `snf port …`: ports (network interfaces of servers), and waits on them.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{
    IdFilters, WaitFlags, WaitSettings, fields, limited, table, text, wait_error, wait_goal,
};
use crate::commands::network_util::{
    PORT_TIMEOUT, PortOptions, PortStatus, connect, network, port_is, wait_port, wait_port_gone,
};
use crate::commands::pithos_util::NameFilters;
use crate::output;
use anyhow::{Context, Result};
use clap::{ArgGroup, Args, Subcommand};
use synnefo_network::{NetworkClient, Port, UpdatePort};

/// `snf port …`
#[derive(Debug, Subcommand)]
pub(crate) enum PortCommand {
    /// List your ports (-l for status, network, server and addresses).
    List(PortList),
    /// Show a port.
    Info {
        /// The port id.
        port_id: String,
    },
    /// Create a port on a network, attached to a server.
    Create(PortCreate),
    /// Rename a port.
    Modify {
        /// The port id.
        port_id: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
    /// Delete a port (detaching it from its server).
    Delete {
        /// The port id.
        port_id: String,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Wait while a port has a status, or until it has one.
    #[command(group(ArgGroup::new("condition").args(["while_status", "until"])))]
    Wait {
        /// The port id.
        port_id: String,
        /// Wait while the port has this status [default: BUILD].
        #[arg(
            long = "while",
            alias = "status",
            value_name = "STATUS",
            value_enum,
            ignore_case = true
        )]
        while_status: Option<PortStatus>,
        /// Wait until the port has this status.
        #[arg(long, value_name = "STATUS", value_enum, ignore_case = true)]
        until: Option<PortStatus>,
        /// Give up after SECS seconds, with an error.
        #[arg(long, value_name = "SECS", default_value_t = PORT_TIMEOUT)]
        timeout: u64,
        /// No progress bar.
        #[arg(short = 'N', long)]
        no_progress_bar: bool,
    },
}

/// `snf port list`
#[derive(Debug, Args)]
pub(crate) struct PortList {
    /// Show details (status, network, server, addresses).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N ports.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    /// Only the ports of this user.
    #[arg(long, value_name = "UUID")]
    user_id: Option<String>,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

/// `snf port create`
#[derive(Debug, Args)]
pub(crate) struct PortCreate {
    /// The network.
    #[arg(long, value_name = "NETWORK")]
    network_id: String,
    /// The server to attach the port to.
    #[arg(long, value_name = "SERVER")]
    device_id: String,
    #[command(flatten)]
    port: PortArgs,
    #[command(flatten)]
    wait: WaitFlags,
}

/// The options of a new port of a server (`port create`, `network
/// connect`, `ip attach`).
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct PortArgs {
    /// A name for the port.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// A security group (repeatable).
    #[arg(short = 'g', long = "security-group", value_name = "GROUP")]
    pub(crate) security_groups: Vec<String>,
    /// The subnet of --ip-address.
    #[arg(long, value_name = "SUBNET", requires = "ip_address")]
    pub(crate) subnet_id: Option<String>,
    /// The address the port gets (on a public network: one of your
    /// floating IPs).
    #[arg(long, value_name = "IP")]
    pub(crate) ip_address: Option<String>,
}

impl PortArgs {
    /// The options as the shared connect helper takes them.
    pub(crate) fn options(&self) -> PortOptions {
        PortOptions {
            name: self.name.clone(),
            security_groups: self.security_groups.clone(),
            subnet_id: self.subnet_id.clone(),
            ip_address: self.ip_address.clone(),
        }
    }
}

pub(crate) async fn run(global: &GlobalArgs, command: &PortCommand) -> Result<()> {
    let client = network(global).await?;
    match command {
        PortCommand::List(args) => list(global, &client, args).await,
        PortCommand::Info { port_id } => {
            let port = client
                .get_port_details(port_id)
                .await
                .with_context(|| format!("cannot show port {port_id}"))?;
            show(global.output, &port)
        }
        PortCommand::Create(args) => {
            let port = connect(
                &client,
                &args.network_id,
                Some(&args.device_id),
                &args.port.options(),
                &args.wait,
            )
            .await?;
            show(global.output, &port)
        }
        PortCommand::Modify { port_id, name } => {
            let port = client
                .update_port(port_id, &UpdatePort::name(name))
                .await
                .with_context(|| format!("cannot modify port {port_id}"))?;
            if global.output == OutputFormat::Json {
                output::json(&port)?;
            }
            Ok(())
        }
        PortCommand::Delete { port_id, wait } => {
            client
                .delete_port(port_id)
                .await
                .with_context(|| format!("cannot delete port {port_id}"))?;
            if wait.wait {
                wait_port_gone(&client, port_id, &wait.settings(PORT_TIMEOUT)).await?;
            }
            Ok(())
        }
        PortCommand::Wait {
            port_id,
            while_status,
            until,
            timeout,
            no_progress_bar,
        } => {
            let settings = WaitSettings::new(*timeout, !no_progress_bar);
            let (what, wanted, status) = wait_goal(
                &format!("port {port_id}"),
                *until,
                *while_status,
                PortStatus::Build,
                PortStatus::as_str,
            );
            let port = wait_port(&client, port_id, &what, &settings, |p| {
                port_is(p, status.as_str()) == wanted
            })
            .await
            .map_err(wait_error)?;
            eprintln!("Port {port_id}: status is now {}", text(&port.status));
            if global.output == OutputFormat::Json {
                output::json(&port)?;
            }
            Ok(())
        }
    }
}

async fn list(global: &GlobalArgs, client: &NetworkClient, args: &PortList) -> Result<()> {
    let ports = client.list_ports().await.context("cannot list ports")?;
    let ports: Vec<Port> = ports
        .into_iter()
        .filter(|p| {
            args.filters.matches(p.name.as_deref().unwrap_or_default())
                && args.ids.matches(&p.id)
                && args
                    .user_id
                    .as_deref()
                    .is_none_or(|u| p.user_id.as_deref() == Some(u))
        })
        .collect();
    let ports = limited(ports, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&ports),
        OutputFormat::Table if args.details => {
            let rows = ports
                .iter()
                .map(|p| {
                    vec![
                        p.id.clone(),
                        text(&p.name),
                        text(&p.status),
                        text(&p.network_id),
                        text(&p.device_id),
                        addresses(p),
                    ]
                })
                .collect();
            table(
                &["ID", "NAME", "STATUS", "NETWORK", "SERVER", "ADDRESSES"],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = ports
                .iter()
                .map(|p| vec![p.id.clone(), text(&p.name)])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

/// A port's addresses, comma-separated.
fn addresses(port: &Port) -> String {
    port.fixed_ips
        .iter()
        .filter_map(|ip| ip.ip_address.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn show(format: OutputFormat, port: &Port) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(port),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), port.id.clone()),
                ("name".to_owned(), text(&port.name)),
            ];
            let optional = [
                ("status", text(&port.status)),
                ("network", text(&port.network_id)),
                ("server", text(&port.device_id)),
                ("owner", text(&port.device_owner)),
                ("mac address", text(&port.mac_address)),
                ("addresses", addresses(port)),
                ("security groups", port.security_groups.join(", ")),
                ("user", text(&port.user_id)),
                ("created", text(&port.created)),
                ("updated", text(&port.updated)),
            ];
            output::push_present(&mut pairs, optional);
            fields(&pairs)
        }
    }
}

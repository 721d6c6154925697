//! `snf ip …`: floating IPs, and attaching them to servers through ports.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{WaitFlags, fields, table, text};
use crate::commands::network_util::{PORT_TIMEOUT, connect, network, wait_port_gone};
use crate::commands::port::{self, PortArgs};
use crate::output;
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use synnefo_network::{CreateFloatingIp, FloatingIp, NetworkClient};

/// `snf ip …`
#[derive(Debug, Subcommand)]
pub(crate) enum IpCommand {
    /// List your floating IPs.
    List,
    /// Show a floating IP.
    Info {
        /// The floating IP's id or address.
        ip: String,
    },
    /// Allocate a floating IP.
    Create(IpCreate),
    /// Release a floating IP (it must be detached).
    Delete {
        /// The floating IP's id or address.
        ip: String,
    },
    /// Attach a floating IP to a server (a new port on its network).
    Attach {
        /// The floating IP's id or address.
        ip: String,
        /// The server.
        #[arg(long, value_name = "SERVER")]
        server_id: String,
        /// A name for the port.
        #[arg(long)]
        name: Option<String>,
        /// A security group (repeatable).
        #[arg(short = 'g', long = "security-group", value_name = "GROUP")]
        security_groups: Vec<String>,
        /// The subnet of the address.
        #[arg(long, value_name = "SUBNET")]
        subnet_id: Option<String>,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Detach a floating IP from its server (delete its port).
    Detach {
        /// The floating IP's id or address.
        ip: String,
        #[command(flatten)]
        wait: WaitFlags,
    },
    /// Charge a floating IP to another project.
    Reassign {
        /// The floating IP's id or address.
        ip: String,
        /// The project.
        #[arg(long, value_name = "PROJECT")]
        project_id: String,
    },
}

/// `snf ip create`
#[derive(Debug, Args)]
pub(crate) struct IpCreate {
    /// The network to allocate from [default: any public pool].
    #[arg(long, value_name = "NETWORK")]
    network_id: Option<String>,
    /// A chosen address.
    #[arg(long, value_name = "IP")]
    address: Option<String>,
    /// The project to charge.
    #[arg(long, value_name = "PROJECT")]
    project_id: Option<String>,
}

pub(crate) async fn run(global: &GlobalArgs, command: &IpCommand) -> Result<()> {
    let client = network(global).await?;
    match command {
        IpCommand::List => {
            let ips = client
                .list_floatingips()
                .await
                .context("cannot list floating IPs")?;
            match global.output {
                OutputFormat::Json => output::json(&ips),
                OutputFormat::Table => {
                    let rows = ips
                        .iter()
                        .map(|ip| {
                            vec![
                                ip.id.clone(),
                                text(&ip.floating_ip_address),
                                text(&ip.floating_network_id),
                                text(&ip.port_id),
                                text(&ip.instance_id),
                            ]
                        })
                        .collect();
                    table(&["ID", "ADDRESS", "NETWORK", "PORT", "SERVER"], rows, false)
                }
            }
        }
        IpCommand::Info { ip } => {
            let found = find(&client, ip).await?;
            show(global.output, &found)
        }
        IpCommand::Create(args) => {
            let create = CreateFloatingIp {
                floating_network_id: args.network_id.clone(),
                floating_ip_address: args.address.clone(),
                project: args.project_id.clone(),
                ..CreateFloatingIp::default()
            };
            let ip = client
                .create_floatingip(&create)
                .await
                .context("cannot allocate a floating IP")?;
            show(global.output, &ip)
        }
        IpCommand::Delete { ip } => {
            let found = find(&client, ip).await?;
            client
                .delete_floatingip(&found.id)
                .await
                .with_context(|| format!("cannot release floating IP {ip}"))
        }
        IpCommand::Attach {
            ip,
            server_id,
            name,
            security_groups,
            subnet_id,
            wait,
        } => {
            let found = find(&client, ip).await?;
            let network = found
                .floating_network_id
                .clone()
                .ok_or_else(|| anyhow!("floating IP {ip} names no network"))?;
            let options = PortArgs {
                name: name.clone(),
                security_groups: security_groups.clone(),
                subnet_id: subnet_id.clone(),
                ip_address: found.floating_ip_address.clone(),
            }
            .options();
            let port = connect(&client, &network, Some(server_id), &options, wait)
                .await
                .with_context(|| format!("cannot attach floating IP {ip}"))?;
            port::show(global.output, &port)
        }
        IpCommand::Detach { ip, wait } => {
            let found = find(&client, ip).await?;
            let port = found
                .port_id
                .ok_or_else(|| anyhow!("floating IP {ip} is not attached"))?;
            client
                .delete_port(&port)
                .await
                .with_context(|| format!("cannot detach floating IP {ip}"))?;
            if wait.wait {
                wait_port_gone(&client, &port, &wait.settings(PORT_TIMEOUT)).await?;
            }
            Ok(())
        }
        IpCommand::Reassign { ip, project_id } => {
            let found = find(&client, ip).await?;
            client
                .reassign_floating_ip(&found.id, project_id)
                .await
                .with_context(|| {
                    format!("cannot reassign floating IP {ip} to project {project_id}")
                })
        }
    }
}

/// A floating IP of the user by id or address.
async fn find(client: &NetworkClient, ip: &str) -> Result<FloatingIp> {
    let ips = client
        .list_floatingips()
        .await
        .context("cannot list floating IPs")?;
    ips.into_iter()
        .find(|f| f.id == ip || f.floating_ip_address.as_deref() == Some(ip))
        .ok_or_else(|| anyhow!("no floating IP {ip} (see `snf ip list`)"))
}

fn show(format: OutputFormat, ip: &FloatingIp) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(ip),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), ip.id.clone()),
                ("address".to_owned(), text(&ip.floating_ip_address)),
            ];
            let optional = [
                ("network", text(&ip.floating_network_id)),
                ("port", text(&ip.port_id)),
                ("server", text(&ip.instance_id)),
                ("user", text(&ip.user_id)),
                ("project", text(&ip.tenant_id)),
            ];
            output::push_present(&mut pairs, optional);
            fields(&pairs)
        }
    }
}

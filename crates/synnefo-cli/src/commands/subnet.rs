//! `snf subnet …`: the address ranges of networks.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{IdFilters, fields, limited, table, text};
use crate::commands::network_util::network;
use crate::commands::pithos_util::NameFilters;
use crate::output;
use anyhow::{Context, Result};
use clap::{ArgGroup, Args, Subcommand};
use synnefo_network::{AllocationPool, CreateSubnet, Gateway, NetworkClient, Subnet, UpdateSubnet};

/// `snf subnet …`
#[derive(Debug, Subcommand)]
pub(crate) enum SubnetCommand {
    /// List the subnets you see (-l for network, CIDR and gateway).
    List(SubnetList),
    /// Show a subnet.
    Info {
        /// The subnet id.
        subnet_id: String,
    },
    /// Create a subnet on one of your networks.
    Create(SubnetCreate),
    /// Rename a subnet.
    Modify {
        /// The subnet id.
        subnet_id: String,
        /// The new name.
        #[arg(long)]
        name: String,
    },
}

/// `snf subnet list`
#[derive(Debug, Args)]
pub(crate) struct SubnetList {
    /// Show details (network, CIDR, gateway, IP version, DHCP).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N subnets.
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

/// `snf subnet create`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("gateway_choice").args(["gateway", "no_gateway"])))]
#[command(group(ArgGroup::new("dhcp").args(["with_dhcp", "without_dhcp"])))]
pub(crate) struct SubnetCreate {
    /// The network.
    #[arg(long, value_name = "NETWORK")]
    network_id: String,
    /// The address range, e.g. 10.0.0.0/24.
    #[arg(long)]
    cidr: String,
    /// A name.
    #[arg(long)]
    name: Option<String>,
    /// An allocation pool START,END (repeatable).
    #[arg(long = "alloc-pool", value_name = "START,END", value_parser = parse_pool)]
    alloc_pools: Vec<AllocationPool>,
    /// The gateway [default: the first address of the range].
    #[arg(long, value_name = "IP")]
    gateway: Option<String>,
    /// No gateway.
    #[arg(long)]
    no_gateway: bool,
    /// A chosen subnet id.
    #[arg(long = "id", value_name = "ID")]
    subnet_id: Option<String>,
    /// An IPv6 subnet.
    #[arg(long)]
    ipv6: bool,
    /// Turn DHCP on.
    #[arg(long)]
    with_dhcp: bool,
    /// Turn DHCP off.
    #[arg(long)]
    without_dhcp: bool,
}

/// Parses `START,END`.
fn parse_pool(text: &str) -> Result<AllocationPool, String> {
    match text.split_once(',') {
        Some((start, end)) if !start.trim().is_empty() && !end.trim().is_empty() => {
            Ok(AllocationPool::new(start.trim(), end.trim()))
        }
        _ => Err(format!("expected START,END, not {text:?}")),
    }
}

pub(crate) async fn run(global: &GlobalArgs, command: &SubnetCommand) -> Result<()> {
    let client = network(global).await?;
    match command {
        SubnetCommand::List(args) => list(global, &client, args).await,
        SubnetCommand::Info { subnet_id } => {
            let subnet = client
                .get_subnet_details(subnet_id)
                .await
                .with_context(|| format!("cannot show subnet {subnet_id}"))?;
            show(global.output, &subnet)
        }
        SubnetCommand::Create(args) => {
            let gateway = match (&args.gateway, args.no_gateway) {
                (_, true) => Gateway::Disabled,
                (Some(ip), false) => Gateway::Address(ip.clone()),
                (None, false) => Gateway::Default,
            };
            let enable_dhcp = match (args.with_dhcp, args.without_dhcp) {
                (true, _) => Some(true),
                (false, true) => Some(false),
                (false, false) => None,
            };
            let create = CreateSubnet {
                name: args.name.clone(),
                ipv6: args.ipv6,
                allocation_pools: args.alloc_pools.clone(),
                gateway,
                subnet_id: args.subnet_id.clone(),
                enable_dhcp,
                ..CreateSubnet::new(&args.network_id, &args.cidr)
            };
            let subnet = client.create_subnet(&create).await.with_context(|| {
                format!(
                    "cannot create subnet {} on network {}",
                    args.cidr, args.network_id
                )
            })?;
            show(global.output, &subnet)
        }
        SubnetCommand::Modify { subnet_id, name } => {
            let subnet = client
                .update_subnet(subnet_id, &UpdateSubnet::name(name))
                .await
                .with_context(|| format!("cannot modify subnet {subnet_id}"))?;
            if global.output == OutputFormat::Json {
                output::json(&subnet)?;
            }
            Ok(())
        }
    }
}

async fn list(global: &GlobalArgs, client: &NetworkClient, args: &SubnetList) -> Result<()> {
    let subnets = client.list_subnets().await.context("cannot list subnets")?;
    let subnets: Vec<Subnet> = subnets
        .into_iter()
        .filter(|s| {
            args.filters.matches(s.name.as_deref().unwrap_or_default()) && args.ids.matches(&s.id)
        })
        .collect();
    let subnets = limited(subnets, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&subnets),
        OutputFormat::Table if args.details => {
            let rows = subnets
                .iter()
                .map(|s| {
                    vec![
                        s.id.clone(),
                        text(&s.name),
                        text(&s.network_id),
                        text(&s.cidr),
                        text(&s.gateway_ip),
                        text(&s.ip_version),
                        text(&s.enable_dhcp),
                    ]
                })
                .collect();
            table(
                &["ID", "NAME", "NETWORK", "CIDR", "GATEWAY", "IPV", "DHCP"],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = subnets
                .iter()
                .map(|s| vec![s.id.clone(), text(&s.name)])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

/// A subnet's pools, `START-END` comma-separated.
fn pools(subnet: &Subnet) -> String {
    subnet
        .allocation_pools
        .iter()
        .map(|p| format!("{}-{}", p.start, p.end))
        .collect::<Vec<_>>()
        .join(", ")
}

fn show(format: OutputFormat, subnet: &Subnet) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(subnet),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), subnet.id.clone()),
                ("name".to_owned(), text(&subnet.name)),
            ];
            let optional = [
                ("network", text(&subnet.network_id)),
                ("cidr", text(&subnet.cidr)),
                ("ip version", text(&subnet.ip_version)),
                ("gateway", text(&subnet.gateway_ip)),
                ("dhcp", text(&subnet.enable_dhcp)),
                ("allocation pools", pools(subnet)),
                ("user", text(&subnet.user_id)),
            ];
            output::push_present(&mut pairs, optional);
            fields(&pairs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_parse() {
        assert_eq!(
            parse_pool("10.0.0.2, 10.0.0.9"),
            Ok(AllocationPool::new("10.0.0.2", "10.0.0.9"))
        );
        assert!(parse_pool("10.0.0.2").is_err());
        assert!(parse_pool(",10.0.0.9").is_err());
    }
}

//! `snf flavor …`: the hardware of servers.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{IdFilters, cyclades, fields, limited, table, text};
use crate::commands::pithos_util::NameFilters;
use crate::output;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use synnefo_compute::Flavor;
use synnefo_cyclades::FlavorFilter;

/// `snf flavor …`
#[derive(Debug, Subcommand)]
pub(crate) enum FlavorCommand {
    /// List flavors (-l for CPUs, RAM, disk and template).
    List(Box<FlavorList>),
    /// Show a flavor.
    Info {
        /// The flavor id.
        flavor_id: u64,
    },
}

/// `snf flavor list`
#[derive(Debug, Args)]
pub(crate) struct FlavorList {
    /// Show details (CPUs, RAM, disk, disk template, access).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N flavors.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    /// Accepted for kamaki compatibility (pipe to a pager instead).
    #[arg(long, hide = true)]
    more: bool,
    /// Only flavors with this much RAM (MiB).
    #[arg(long, value_name = "MIB")]
    ram: Option<u64>,
    /// Only flavors with this many virtual CPUs.
    #[arg(long, value_name = "N")]
    vcpus: Option<u64>,
    /// Only flavors with this much disk (GiB).
    #[arg(long, value_name = "GIB")]
    disk: Option<u64>,
    /// Only flavors of this disk template (e.g. ext_archipelago).
    #[arg(long, value_name = "TEMPLATE")]
    disk_template: Option<String>,
    /// Only flavors this project grants access to.
    #[arg(long, value_name = "PROJECT")]
    project: Option<String>,
    /// Only public flavors.
    #[arg(long)]
    public: bool,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

pub(crate) async fn run(global: &GlobalArgs, command: &FlavorCommand) -> Result<()> {
    let (_, client) = cyclades(global).await?;
    match command {
        FlavorCommand::List(args) => {
            let filter = FlavorFilter {
                is_public: args.public.then_some(true),
                project: args.project.clone(),
            };
            let needs_details = args.details
                || args.ram.is_some()
                || args.vcpus.is_some()
                || args.disk.is_some()
                || args.disk_template.is_some();
            let flavors = if needs_details {
                client.list_flavors_detail(&filter).await
            } else {
                client.list_flavors(&filter).await
            }
            .context("cannot list flavors")?;
            let flavors: Vec<Flavor> = flavors
                .into_iter()
                .filter(|f| {
                    args.filters.matches(&f.name)
                        && args.ids.matches(&f.id.to_string())
                        && args.ram.is_none_or(|r| f.ram == Some(r))
                        && args.vcpus.is_none_or(|c| f.vcpus == Some(c))
                        && args.disk.is_none_or(|d| f.disk == Some(d))
                        && args
                            .disk_template
                            .as_deref()
                            .is_none_or(|t| f.disk_template.as_deref() == Some(t))
                })
                .collect();
            let flavors = limited(flavors, args.limit);
            match global.output {
                OutputFormat::Json => output::json(&flavors),
                OutputFormat::Table if args.details => {
                    let rows = flavors
                        .iter()
                        .map(|f| {
                            vec![
                                f.id.to_string(),
                                f.name.clone(),
                                text(&f.vcpus),
                                f.ram.map(|r| format!("{r}MiB")).unwrap_or_default(),
                                f.disk.map(|d| format!("{d}GiB")).unwrap_or_default(),
                                text(&f.disk_template),
                                text(&f.is_public),
                            ]
                        })
                        .collect();
                    table(
                        &["ID", "NAME", "VCPUS", "RAM", "DISK", "TEMPLATE", "PUBLIC"],
                        rows,
                        args.enumerate,
                    )
                }
                OutputFormat::Table => {
                    let rows = flavors
                        .iter()
                        .map(|f| vec![f.id.to_string(), f.name.clone()])
                        .collect();
                    table(&["ID", "NAME"], rows, args.enumerate)
                }
            }
        }
        FlavorCommand::Info { flavor_id } => {
            let flavor = client
                .get_flavor_details(*flavor_id)
                .await
                .with_context(|| format!("cannot show flavor {flavor_id}"))?;
            match global.output {
                OutputFormat::Json => output::json(&flavor),
                OutputFormat::Table => fields(&[
                    ("id".to_owned(), flavor.id.to_string()),
                    ("name".to_owned(), flavor.name.clone()),
                    ("vcpus".to_owned(), text(&flavor.vcpus)),
                    (
                        "ram".to_owned(),
                        flavor.ram.map(|r| format!("{r}MiB")).unwrap_or_default(),
                    ),
                    (
                        "disk".to_owned(),
                        flavor.disk.map(|d| format!("{d}GiB")).unwrap_or_default(),
                    ),
                    ("disk template".to_owned(), text(&flavor.disk_template)),
                    ("volume type".to_owned(), text(&flavor.volume_type)),
                    ("public".to_owned(), text(&flavor.is_public)),
                    ("allow create".to_owned(), text(&flavor.allow_create)),
                    ("projects".to_owned(), flavor.flavor_access.join(", ")),
                ]),
            }
        }
    }
}

//! `snf quota list` and `snf resource list`.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::account::{client, quantity};
use crate::output;
use anyhow::{Context, Result};
use clap::Subcommand;
use synnefo_astakos::Quotas;

/// `snf quota …`
#[derive(Debug, Subcommand)]
pub(crate) enum QuotaCommand {
    /// Show your quotas: limit, usage and pending usage per project and
    /// resource (sizes for people unless --bytes).
    List {
        /// Only resources whose name starts with this (e.g. `cyclades`).
        #[arg(long, value_name = "PREFIX")]
        resource: Option<String>,
        /// Only this project.
        #[arg(long, value_name = "PROJECT")]
        project_id: Option<String>,
        /// Show sizes in bytes.
        #[arg(long)]
        bytes: bool,
    },
}

/// `snf resource …`
#[derive(Debug, Subcommand)]
pub(crate) enum ResourceCommand {
    /// List the resources the cloud accounts for.
    List,
}

pub(crate) async fn quotas(global: &GlobalArgs, command: &QuotaCommand) -> Result<()> {
    let QuotaCommand::List {
        resource,
        project_id,
        bytes,
    } = command;
    let account = client(global, None).await?;
    let mut quotas: Quotas = account.get_quotas().await.context("cannot list quotas")?;
    quotas.retain(|project, _| project_id.as_deref().is_none_or(|p| p == project));
    for per_resource in quotas.values_mut() {
        per_resource.retain(|name, _| resource.as_deref().is_none_or(|p| name.starts_with(p)));
    }
    if let Some(project) = project_id
        && quotas.is_empty()
    {
        anyhow::bail!("no quotas in project {project} (are you a member?)");
    }
    match global.output {
        OutputFormat::Json => output::json(&quotas),
        OutputFormat::Table => {
            let units = account
                .get_resources()
                .await
                .context("cannot list resources")?;
            let is_bytes = |name: &str| units.get(name).is_some_and(|r| r.is_bytes());
            let rows: Vec<Vec<String>> = quotas
                .iter()
                .flat_map(|(project, per_resource)| {
                    per_resource.iter().map(move |(name, q)| (project, name, q))
                })
                .map(|(project, name, q)| {
                    let b = is_bytes(name);
                    vec![
                        project.clone(),
                        name.clone(),
                        quantity(q.usage, b, *bytes),
                        quantity(q.limit, b, *bytes),
                        quantity(q.pending, b, *bytes),
                    ]
                })
                .collect();
            output::table(&["PROJECT", "RESOURCE", "USAGE", "LIMIT", "PENDING"], &rows)
        }
    }
}

pub(crate) async fn resources(global: &GlobalArgs, command: &ResourceCommand) -> Result<()> {
    let ResourceCommand::List = command;
    let account = client(global, None).await?;
    let resources = account
        .get_resources()
        .await
        .context("cannot list resources")?;
    match global.output {
        OutputFormat::Json => output::json(&resources),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = resources
                .iter()
                .map(|(name, r)| {
                    vec![
                        name.clone(),
                        r.service.clone(),
                        r.unit.clone().unwrap_or_default(),
                        r.description.clone(),
                    ]
                })
                .collect();
            output::table(&["NAME", "SERVICE", "UNIT", "DESCRIPTION"], &rows)
        }
    }
}

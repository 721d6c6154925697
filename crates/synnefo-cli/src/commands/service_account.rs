//! `snf service uuid2username|username2uuid|quotas`: the account views a
//! service (component) sees with its service token.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::account::{client, quantity};
use crate::output;
use anyhow::{Context, Result};
use clap::Args;

/// `snf service uuid2username`
#[derive(Debug, Args)]
pub(crate) struct ServiceUuids {
    /// The service token.
    #[arg(long, value_name = "TOKEN")]
    service_token: String,
    /// The user UUIDs (repeatable).
    #[arg(long = "uuid", value_name = "UUID", required = true)]
    uuids: Vec<String>,
}

/// `snf service username2uuid`
#[derive(Debug, Args)]
pub(crate) struct ServiceNames {
    /// The service token.
    #[arg(long, value_name = "TOKEN")]
    service_token: String,
    /// The display names (repeatable).
    #[arg(long = "username", value_name = "NAME", required = true)]
    names: Vec<String>,
}

/// `snf service quotas`
#[derive(Debug, Args)]
pub(crate) struct ServiceQuotas {
    /// The service token.
    #[arg(long, value_name = "TOKEN")]
    service_token: String,
    /// Only this user [default: every user].
    #[arg(long, value_name = "UUID")]
    uuid: Option<String>,
}

/// UUIDs to names.
pub(crate) async fn uuids_to_names(global: &GlobalArgs, args: &ServiceUuids) -> Result<()> {
    let account = client(global, Some(&args.service_token)).await?;
    let found = account
        .service_usernames(&args.uuids)
        .await
        .context("cannot translate UUIDs")?;
    super::user::print_translation(global.output, &args.uuids, &found, "UUID", "NAME")
}

/// Names to UUIDs.
pub(crate) async fn names_to_uuids(global: &GlobalArgs, args: &ServiceNames) -> Result<()> {
    let account = client(global, Some(&args.service_token)).await?;
    let found = account
        .service_uuids(&args.names)
        .await
        .context("cannot translate names")?;
    super::user::print_translation(global.output, &args.names, &found, "NAME", "UUID")
}

/// Users' quotas in the service's resources.
pub(crate) async fn quotas(global: &GlobalArgs, args: &ServiceQuotas) -> Result<()> {
    let account = client(global, Some(&args.service_token)).await?;
    let users: Vec<&str> = args.uuid.as_deref().into_iter().collect();
    let quotas = account
        .service_get_quotas(&users, &[])
        .await
        .context("cannot list quotas")?;
    match global.output {
        OutputFormat::Json => output::json(&quotas),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = quotas
                .iter()
                .flat_map(|(user, projects)| {
                    projects.iter().flat_map(move |(project, resources)| {
                        resources.iter().map(move |(name, q)| {
                            vec![
                                user.clone(),
                                project.clone(),
                                name.clone(),
                                quantity(q.usage, false, true),
                                quantity(q.limit, false, true),
                            ]
                        })
                    })
                })
                .collect();
            output::table(&["USER", "PROJECT", "RESOURCE", "USAGE", "LIMIT"], &rows)
        }
    }
}

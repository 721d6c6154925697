//! `snf user …`: who the token belongs to, UUID ⇄ name translation, and
//! the cloud's other users ([`user_session`]).

use crate::args::{GlobalArgs, OutputFormat, UserCommand};
use crate::commands::user_session;
use crate::{output, session};
use anyhow::{Context, Result};
use serde_json::json;
use synnefo_astakos::{Access, IdentityClient};
use synnefo_core::Token;

pub(crate) async fn run(global: &GlobalArgs, command: &UserCommand) -> Result<()> {
    match command {
        UserCommand::Authenticate { token } => authenticate(global, token.as_deref()).await,
        UserCommand::Info { uuid, username } => match uuid.as_deref().or(username.as_deref()) {
            Some(wanted) => {
                let user = user_session::user_named(global, wanted).await?;
                show_user(global.output, &user, None)
            }
            None => {
                let cloud = session::connect(global).await?;
                show_user(global.output, cloud.user(), Some(cloud.token_info()))
            }
        },
        UserCommand::Uuid2name { uuids } => {
            let cloud = session::connect(global).await?;
            let found = cloud
                .uuids_to_names(uuids)
                .await
                .context("cannot translate UUIDs")?;
            print_translation(global.output, uuids, &found, "UUID", "NAME")
        }
        UserCommand::Name2uuid { names } => {
            let cloud = session::connect(global).await?;
            let found = cloud
                .names_to_uuids(names)
                .await
                .context("cannot translate names")?;
            print_translation(global.output, names, &found, "NAME", "UUID")
        }
        UserCommand::Add { token } => user_session::add(global, token).await,
        UserCommand::List { details } => user_session::list(global, *details).await,
        UserCommand::Select { user } => user_session::select(global, user).await,
        UserCommand::Delete { user } => user_session::delete(global, user).await,
    }
}

/// Authenticates the given token (or the cloud's) and shows its user.
async fn authenticate(global: &GlobalArgs, token: Option<&str>) -> Result<()> {
    let config = session::load_config(global)?;
    let choice = session::choose_cloud(global, &config)?;
    let http = session::http_client(global, &config)?;
    let token = token.map(Token::new).unwrap_or(choice.token);
    let identity = IdentityClient::new(&http, &choice.url, token)?;
    let access: Access = identity
        .authenticate(None)
        .await
        .with_context(|| format!("cannot authenticate to cloud {:?}", choice.name))?;
    match &access.user {
        Some(user) => show_user(global.output, user, access.token.as_ref()),
        None => anyhow::bail!("the cloud answered without a user"),
    }
}

fn show_user(
    format: OutputFormat,
    user: &synnefo_astakos::User,
    token: Option<&synnefo_astakos::TokenInfo>,
) -> Result<()> {
    let expires = token.and_then(|t| t.expires.clone());
    let project = token.and_then(|t| t.tenant.as_ref()).map(|t| t.id.clone());
    match format {
        OutputFormat::Json => output::json(&json!({
            "id": user.id,
            "name": user.name,
            "roles": user.roles,
            "projects": user.projects,
            "default_project": project,
            "token_expires": expires,
        })),
        OutputFormat::Table => {
            let roles: Vec<&str> = user.roles.iter().map(|r| r.name.as_str()).collect();
            output::fields(&[
                ("uuid", user.id.clone()),
                ("name", user.name.clone().unwrap_or_default()),
                ("roles", roles.join(", ")),
                ("projects", user.projects.join(", ")),
                ("default project", project.unwrap_or_default()),
                ("token expires", expires.unwrap_or_default()),
            ])
        }
    }
}

/// Prints a UUID ⇄ name translation of `asked`, saying on stderr which
/// were not found.
pub(super) fn print_translation(
    format: OutputFormat,
    asked: &[String],
    found: &std::collections::BTreeMap<String, String>,
    from: &str,
    to: &str,
) -> Result<()> {
    for key in asked.iter().filter(|k| !found.contains_key(*k)) {
        eprintln!("snf: no user with {from} {key:?}");
    }
    match format {
        OutputFormat::Json => output::json(found),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = asked
                .iter()
                .filter_map(|k| found.get(k).map(|v| vec![k.clone(), v.clone()]))
                .collect();
            output::table(&[from, to], &rows)
        }
    }
}

//! `snf user add|list|select|delete`: the users of a cloud, one per token
//! of `cloud.<name>.token` (space-separated; the first is the active user).
//! kamaki keeps them in an interactive session; snf keeps them in the
//! config file, so each change is saved there.

use crate::args::{GlobalArgs, OutputFormat};
use crate::{output, session};
use anyhow::{Context, Result, bail};
use serde_json::json;
use synnefo_astakos::{IdentityClient, User};
use synnefo_core::Token;

/// One token of the cloud and its user (`None` when the cloud refused it).
struct Known {
    token: String,
    user: Option<User>,
}

/// Authenticates every token of the selected cloud.
async fn known_users(global: &GlobalArgs) -> Result<(String, Vec<Known>)> {
    let config = session::load_config(global)?;
    let choice = session::choose_cloud(global, &config)?;
    let http = session::http_client(global, &config)?;
    let mut known = Vec::new();
    for token in &choice.settings.tokens {
        let identity = IdentityClient::new(&http, &choice.url, Token::new(token))?;
        let user = match identity.authenticate(None).await {
            Ok(access) => access.user,
            Err(error) if error.is_unauthorized() => None,
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot authenticate to cloud {:?}", choice.name));
            }
        };
        known.push(Known {
            token: token.clone(),
            user,
        });
    }
    Ok((choice.name, known))
}

/// Saves the cloud's tokens in this order.
fn save_tokens(global: &GlobalArgs, cloud: &str, tokens: &[&str]) -> Result<()> {
    let mut config = session::load_config(global)?;
    config.set(&format!("cloud.{cloud}.token"), &tokens.join(" "))?;
    config.save().context("cannot save the config file")?;
    Ok(())
}

/// The index of the user named by UUID or name (as `snf user list`
/// shows it; case-insensitive).
fn find(known: &[Known], wanted: &str) -> Result<usize> {
    known
        .iter()
        .position(|k| {
            k.user.as_ref().is_some_and(|u| {
                u.id == wanted
                    || u.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
            })
        })
        .with_context(|| {
            format!("no user {wanted:?} among the cloud's tokens (see `snf user list`)")
        })
}

fn show_user(format: OutputFormat, user: &User) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(user),
        OutputFormat::Table => output::fields(&[
            ("uuid", user.id.clone()),
            ("name", user.name.clone().unwrap_or_default()),
        ]),
    }
}

/// The user of the cloud's tokens named by UUID or name (`snf user info
/// --uuid|--username`).
pub(crate) async fn user_named(global: &GlobalArgs, wanted: &str) -> Result<User> {
    let (_, mut known) = known_users(global).await?;
    let index = find(&known, wanted)?;
    known
        .swap_remove(index)
        .user
        .with_context(|| format!("the cloud refused the token of {wanted:?}"))
}

/// `snf user add --token T`: authenticates `T` and appends it to the
/// cloud's tokens.
pub(crate) async fn add(global: &GlobalArgs, token: &str) -> Result<()> {
    let config = session::load_config(global)?;
    let choice = session::choose_cloud(global, &config)?;
    let http = session::http_client(global, &config)?;
    let identity = IdentityClient::new(&http, &choice.url, Token::new(token))?;
    let access = identity
        .authenticate(None)
        .await
        .context("cannot authenticate the new token")?;
    let Some(user) = access.user else {
        bail!("the cloud answered without a user");
    };
    let mut tokens: Vec<&str> = choice.settings.tokens.iter().map(String::as_str).collect();
    if !tokens.contains(&token) {
        tokens.push(token);
        save_tokens(global, &choice.name, &tokens)?;
    }
    show_user(global.output, &user)
}

/// `snf user list [-l]`: every user of the cloud, the active one first.
pub(crate) async fn list(global: &GlobalArgs, details: bool) -> Result<()> {
    let (_, known) = known_users(global).await?;
    match global.output {
        OutputFormat::Json => {
            let users: Vec<_> = known
                .iter()
                .enumerate()
                .map(|(i, k)| json!({"active": i == 0, "user": k.user}))
                .collect();
            output::json(&users)
        }
        OutputFormat::Table => {
            let mut header = vec!["UUID", "NAME", "ACTIVE"];
            if details {
                header.push("PROJECTS");
            }
            let rows: Vec<Vec<String>> = known
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let (id, name, projects) = match &k.user {
                        Some(u) => (
                            u.id.clone(),
                            u.name.clone().unwrap_or_default(),
                            u.projects.join(", "),
                        ),
                        None => ("(refused token)".to_owned(), String::new(), String::new()),
                    };
                    let mut row = vec![id, name, if i == 0 { "yes" } else { "" }.to_owned()];
                    if details {
                        row.push(projects);
                    }
                    row
                })
                .collect();
            output::table(&header, &rows)
        }
    }
}

/// `snf user select --user U`: makes `U`'s token the cloud's first (the
/// active user from now on).
pub(crate) async fn select(global: &GlobalArgs, wanted: &str) -> Result<()> {
    let (cloud, known) = known_users(global).await?;
    let index = find(&known, wanted)?;
    let mut tokens: Vec<&str> = known.iter().map(|k| k.token.as_str()).collect();
    let chosen = tokens.remove(index);
    tokens.insert(0, chosen);
    save_tokens(global, &cloud, &tokens)?;
    match known[index].user.as_ref() {
        Some(user) => show_user(global.output, user),
        None => Ok(()),
    }
}

/// `snf user delete --user U`: removes `U`'s token from the cloud (not the
/// active user's).
pub(crate) async fn delete(global: &GlobalArgs, wanted: &str) -> Result<()> {
    let (cloud, known) = known_users(global).await?;
    let index = find(&known, wanted)?;
    if index == 0 {
        bail!("{wanted:?} is the active user: select another one first (`snf user select`)");
    }
    let tokens: Vec<&str> = known
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, k)| k.token.as_str())
        .collect();
    save_tokens(global, &cloud, &tokens)
}

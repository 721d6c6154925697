//! `snf membership …`: project memberships and their actions.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::account::client;
use crate::output;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use synnefo_astakos::{Membership, MembershipAction};

/// `snf membership …`
#[derive(Debug, Subcommand)]
pub(crate) enum MembershipCommand {
    /// List your memberships and those of the projects you own.
    List {
        /// Only memberships of this project.
        #[arg(long, value_name = "PROJECT")]
        project_id: Option<String>,
    },
    /// Show a membership.
    Info {
        /// The membership id.
        membership_id: u64,
    },
    /// Leave a project.
    Leave(MembershipActionArgs),
    /// Withdraw your request to join.
    Cancel(MembershipActionArgs),
    /// Accept a request to join or leave (project owners).
    Accept(MembershipActionArgs),
    /// Refuse a request to join or leave (project owners).
    Reject(MembershipActionArgs),
    /// Remove a member (project owners).
    Remove(MembershipActionArgs),
}

/// `snf membership leave|cancel|accept|reject|remove`
#[derive(Debug, Args)]
pub(crate) struct MembershipActionArgs {
    /// The membership id.
    membership_id: u64,
    /// Why.
    #[arg(long, default_value = "")]
    reason: String,
}

pub(crate) async fn run(global: &GlobalArgs, command: &MembershipCommand) -> Result<()> {
    let account = client(global, None).await?;
    let (args, action) = match command {
        MembershipCommand::List { project_id } => {
            let memberships = account
                .get_memberships(project_id.as_deref())
                .await
                .context("cannot list memberships")?;
            return list(global.output, &memberships);
        }
        MembershipCommand::Info { membership_id } => {
            let membership = account
                .get_membership(*membership_id)
                .await
                .with_context(|| format!("cannot show membership {membership_id}"))?;
            return show(global.output, &membership);
        }
        MembershipCommand::Leave(args) => (args, MembershipAction::Leave),
        MembershipCommand::Cancel(args) => (args, MembershipAction::Cancel),
        MembershipCommand::Accept(args) => (args, MembershipAction::Accept),
        MembershipCommand::Reject(args) => (args, MembershipAction::Reject),
        MembershipCommand::Remove(args) => (args, MembershipAction::Remove),
    };
    account
        .membership_action(args.membership_id, action, &args.reason)
        .await
        .with_context(|| {
            format!(
                "cannot {} membership {}",
                action.as_str(),
                args.membership_id
            )
        })
}

fn list(format: OutputFormat, memberships: &[Membership]) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(memberships),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = memberships
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.project.clone(),
                        m.user.clone(),
                        m.state.clone(),
                        m.allowed_actions.join(", "),
                    ]
                })
                .collect();
            output::table(&["ID", "PROJECT", "USER", "STATE", "ALLOWED"], &rows)
        }
    }
}

fn show(format: OutputFormat, m: &Membership) -> Result<()> {
    if format == OutputFormat::Json {
        return output::json(m);
    }
    let mut pairs = vec![
        ("id".to_owned(), m.id.to_string()),
        ("project".to_owned(), m.project.clone()),
        ("user".to_owned(), m.user.clone()),
        ("state".to_owned(), m.state.clone()),
    ];
    output::push_present(
        &mut pairs,
        [("allowed actions", m.allowed_actions.join(", "))],
    );
    for (state, when) in &m.dates {
        if let Some(when) = when.as_str() {
            pairs.push((state.clone(), when.to_owned()));
        }
    }
    output::fields(&pairs)
}

//! `snf project …`: list, show, apply for, change and act on projects.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::account::client;
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde_json::json;
use std::path::PathBuf;
use synnefo_astakos::{
    AccountClient, ApplicationAction, ApplicationReceipt, Project, ProjectAction, ProjectFilter,
    ProjectSpec, ResourceGrant,
};

/// `snf project …`
#[derive(Debug, Subcommand)]
pub(crate) enum ProjectCommand {
    /// List the projects you own or are a member of (and your system
    /// project).
    List {
        /// Only projects with this name.
        #[arg(long, value_name = "NAME")]
        with_name: Option<String>,
        /// Only projects in this state (uninitialized, active, suspended,
        /// terminated, deleted).
        #[arg(long, value_name = "STATE")]
        with_state: Option<String>,
        /// Only projects of this owner (UUID).
        #[arg(long, value_name = "UUID")]
        with_owner: Option<String>,
        /// Show details (owner, end date, policies).
        #[arg(short = 'l', long)]
        details: bool,
    },
    /// Show a project.
    Info {
        /// The project id.
        project_id: String,
    },
    /// Apply for a new project (it stays uninitialized until approved).
    Create(ProjectCreate),
    /// Apply for changes to a project.
    Modify(ProjectModify),
    /// Suspend a project (administrators).
    Suspend(ProjectActionArgs),
    /// Resume a suspended project (administrators).
    Unsuspend(ProjectActionArgs),
    /// Terminate a project (administrators).
    Terminate(ProjectActionArgs),
    /// Bring back a terminated project (administrators).
    Reinstate(ProjectActionArgs),
    /// Approve a project's application (administrators).
    Approve(ApplicationActionArgs),
    /// Deny a project's application (administrators).
    Deny(ApplicationActionArgs),
    /// Acknowledge the denial of your application.
    Dismiss(ApplicationActionArgs),
    /// Withdraw your pending application.
    Cancel(ApplicationActionArgs),
    /// Ask to join a project; prints the membership id.
    Join {
        /// The project id.
        project_id: String,
    },
    /// Enroll a user in a project you own; prints the membership id.
    Enroll {
        /// The project id.
        project_id: String,
        /// The user's e-mail (display name).
        #[arg(long)]
        email: String,
    },
}

/// A join or leave policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Policy {
    /// Anyone, at once.
    Auto,
    /// The owner decides.
    Moderated,
    /// Nobody.
    Closed,
}

impl Policy {
    fn as_str(self) -> &'static str {
        match self {
            Policy::Auto => "auto",
            Policy::Moderated => "moderated",
            Policy::Closed => "closed",
        }
    }
}

/// The fields of a project application.
#[derive(Debug, Args)]
pub(crate) struct SpecFields {
    /// The name (domain-like, e.g. `test.example.org`).
    #[arg(long)]
    name: Option<String>,
    /// The owner's UUID [default: you].
    #[arg(long, value_name = "UUID")]
    owner: Option<String>,
    /// A web page.
    #[arg(long, value_name = "URL")]
    homepage: Option<String>,
    /// A description.
    #[arg(long)]
    description: Option<String>,
    /// The most members.
    #[arg(long, value_name = "N")]
    max_members: Option<u64>,
    /// When it starts (ISO 8601).
    #[arg(long, value_name = "DATE")]
    start_date: Option<String>,
    /// When it ends (ISO 8601, e.g. 2030-12-31T00:00:00Z).
    #[arg(long, value_name = "DATE")]
    end_date: Option<String>,
    /// Who may join.
    #[arg(long, value_enum)]
    join_policy: Option<Policy>,
    /// Who may leave.
    #[arg(long, value_enum)]
    leave_policy: Option<Policy>,
    /// A grant `RESOURCE=MEMBER_CAPACITY,PROJECT_CAPACITY` (repeatable).
    #[arg(long = "resource", value_name = "RES=MEMBER,PROJECT", value_parser = parse_grant)]
    resources: Vec<(String, ResourceGrant)>,
}

/// `snf project create`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).multiple(true).args(["spec_file", "name"])))]
pub(crate) struct ProjectCreate {
    /// A JSON file with the application (keys `name`, `owner`,
    /// `homepage`, `description`, `comments`, `max_members`, `private`,
    /// `start_date`, `end_date`, `join_policy`, `leave_policy`,
    /// `resources`); the other options override it.
    #[arg(long, value_name = "FILE")]
    spec_file: Option<PathBuf>,
    #[command(flatten)]
    fields: SpecFields,
    /// Whether only members see it.
    #[arg(long, value_name = "BOOL")]
    private: Option<bool>,
}

/// `snf project modify`
#[derive(Debug, Args)]
pub(crate) struct ProjectModify {
    /// The project id.
    project_id: String,
    /// A JSON file with the changes (as for `create`).
    #[arg(long, value_name = "FILE")]
    spec_file: Option<PathBuf>,
    #[command(flatten)]
    fields: SpecFields,
    /// Make it visible to members only.
    #[arg(long, conflicts_with = "public")]
    private: bool,
    /// Make it visible to everyone.
    #[arg(long)]
    public: bool,
}

/// `snf project suspend|unsuspend|terminate|reinstate`
#[derive(Debug, Args)]
pub(crate) struct ProjectActionArgs {
    /// The project id.
    project_id: String,
    /// Why.
    #[arg(long, default_value = "")]
    reason: String,
}

/// `snf project approve|deny|dismiss|cancel`
#[derive(Debug, Args)]
pub(crate) struct ApplicationActionArgs {
    /// The project id.
    project_id: String,
    /// The application (the project's latest).
    #[arg(long, value_name = "ID")]
    app_id: u64,
    /// Why.
    #[arg(long, default_value = "")]
    reason: String,
}

/// Parses `RESOURCE=MEMBER,PROJECT`.
fn parse_grant(text: &str) -> Result<(String, ResourceGrant), String> {
    let bad = || format!("{text:?} is not RESOURCE=MEMBER_CAPACITY,PROJECT_CAPACITY");
    let (name, capacities) = text.split_once('=').ok_or_else(bad)?;
    let (member, project) = capacities.split_once(',').ok_or_else(bad)?;
    let member = member.trim().parse().map_err(|_| bad())?;
    let project = project.trim().parse().map_err(|_| bad())?;
    if name.is_empty() {
        return Err(bad());
    }
    Ok((
        name.to_owned(),
        ResourceGrant {
            project_capacity: project,
            member_capacity: member,
        },
    ))
}

/// The spec file (if any) with the options on top.
fn build_spec(
    file: Option<&PathBuf>,
    fields: &SpecFields,
    private: Option<bool>,
) -> Result<ProjectSpec> {
    let mut spec = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a project specification", path.display()))?
        }
        None => ProjectSpec::default(),
    };
    let set = |slot: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            slot.clone_from(value);
        }
    };
    set(&mut spec.name, &fields.name);
    set(&mut spec.owner, &fields.owner);
    set(&mut spec.homepage, &fields.homepage);
    set(&mut spec.description, &fields.description);
    set(&mut spec.start_date, &fields.start_date);
    set(&mut spec.end_date, &fields.end_date);
    if let Some(n) = fields.max_members {
        spec.max_members = Some(n);
    }
    if let Some(p) = fields.join_policy {
        spec.join_policy = Some(p.as_str().to_owned());
    }
    if let Some(p) = fields.leave_policy {
        spec.leave_policy = Some(p.as_str().to_owned());
    }
    if private.is_some() {
        spec.private = private;
    }
    spec.resources.extend(fields.resources.iter().cloned());
    Ok(spec)
}

pub(crate) async fn run(global: &GlobalArgs, command: &ProjectCommand) -> Result<()> {
    let account = client(global, None).await?;
    match command {
        ProjectCommand::List {
            with_name,
            with_state,
            with_owner,
            details,
        } => {
            let filter = ProjectFilter {
                name: with_name.clone(),
                state: with_state.clone(),
                owner: with_owner.clone(),
                mode: None,
            };
            let projects = account
                .get_projects(&filter)
                .await
                .context("cannot list projects")?;
            list(global.output, &projects, *details)
        }
        ProjectCommand::Info { project_id } => {
            let project = account
                .get_project(project_id)
                .await
                .with_context(|| format!("cannot show project {project_id}"))?;
            show(global.output, &project)
        }
        ProjectCommand::Create(args) => {
            let spec = build_spec(args.spec_file.as_ref(), &args.fields, args.private)?;
            if spec.name.is_none() || spec.end_date.is_none() {
                bail!(
                    "a new project needs a name and an end date (--name, --end-date or --spec-file)"
                );
            }
            let receipt = account
                .create_project(&spec)
                .await
                .context("cannot apply for the project")?;
            show_receipt(global.output, &receipt)
        }
        ProjectCommand::Modify(args) => {
            let private = match (args.private, args.public) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let spec = build_spec(args.spec_file.as_ref(), &args.fields, private)?;
            if spec == ProjectSpec::default() {
                bail!("nothing to change: give at least one option or --spec-file");
            }
            let receipt = account
                .modify_project(&args.project_id, &spec)
                .await
                .with_context(|| format!("cannot modify project {}", args.project_id))?;
            show_receipt(global.output, &receipt)
        }
        ProjectCommand::Suspend(a) => project_action(&account, a, ProjectAction::Suspend).await,
        ProjectCommand::Unsuspend(a) => project_action(&account, a, ProjectAction::Unsuspend).await,
        ProjectCommand::Terminate(a) => project_action(&account, a, ProjectAction::Terminate).await,
        ProjectCommand::Reinstate(a) => project_action(&account, a, ProjectAction::Reinstate).await,
        ProjectCommand::Approve(a) => app_action(&account, a, ApplicationAction::Approve).await,
        ProjectCommand::Deny(a) => app_action(&account, a, ApplicationAction::Deny).await,
        ProjectCommand::Dismiss(a) => app_action(&account, a, ApplicationAction::Dismiss).await,
        ProjectCommand::Cancel(a) => app_action(&account, a, ApplicationAction::Cancel).await,
        ProjectCommand::Join { project_id } => {
            let id = account
                .join_project(project_id)
                .await
                .with_context(|| format!("cannot join project {project_id}"))?;
            show_membership_id(global.output, id)
        }
        ProjectCommand::Enroll { project_id, email } => {
            let id = account
                .enroll_member(project_id, email)
                .await
                .with_context(|| format!("cannot enroll {email} in project {project_id}"))?;
            show_membership_id(global.output, id)
        }
    }
}

async fn project_action(
    account: &AccountClient,
    args: &ProjectActionArgs,
    action: ProjectAction,
) -> Result<()> {
    account
        .project_action(&args.project_id, action, &args.reason)
        .await
        .with_context(|| format!("cannot {} project {}", action.as_str(), args.project_id))
}

async fn app_action(
    account: &AccountClient,
    args: &ApplicationActionArgs,
    action: ApplicationAction,
) -> Result<()> {
    account
        .application_action(&args.project_id, args.app_id, action, &args.reason)
        .await
        .with_context(|| {
            format!(
                "cannot {} application {} of project {}",
                action.as_str(),
                args.app_id,
                args.project_id
            )
        })
}

fn show_receipt(format: OutputFormat, receipt: &ApplicationReceipt) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(receipt),
        OutputFormat::Table => output::fields(&[
            ("id", receipt.id.clone()),
            ("application", receipt.application.to_string()),
        ]),
    }
}

/// Prints a new membership's id.
pub(crate) fn show_membership_id(format: OutputFormat, id: u64) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&json!({ "id": id })),
        OutputFormat::Table => output::fields(&[("membership", id.to_string())]),
    }
}

fn list(format: OutputFormat, projects: &[Project], details: bool) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(projects),
        OutputFormat::Table => {
            let mut header = vec!["ID", "NAME", "STATE"];
            if details {
                header.extend(["OWNER", "END DATE", "JOIN", "LEAVE"]);
            }
            let rows: Vec<Vec<String>> = projects
                .iter()
                .map(|p| {
                    let mut row = vec![p.id.clone(), p.name.clone(), p.state.clone()];
                    if details {
                        row.extend([
                            p.owner.clone().unwrap_or_default(),
                            p.end_date.clone().unwrap_or_default(),
                            p.join_policy.clone().unwrap_or_default(),
                            p.leave_policy.clone().unwrap_or_default(),
                        ]);
                    }
                    row
                })
                .collect();
            output::table(&header, &rows)
        }
    }
}

fn show(format: OutputFormat, p: &Project) -> Result<()> {
    if format == OutputFormat::Json {
        return output::json(p);
    }
    let mut pairs = vec![
        ("id".to_owned(), p.id.clone()),
        ("name".to_owned(), p.name.clone()),
        ("state".to_owned(), p.state.clone()),
        ("system project".to_owned(), p.system_project.to_string()),
        ("private".to_owned(), p.private.to_string()),
    ];
    output::push_present(
        &mut pairs,
        [
            ("owner", p.owner.clone()),
            ("homepage", p.homepage.clone()),
            ("description", p.description.clone()),
            ("created", p.creation_date.clone()),
            ("end date", p.end_date.clone()),
            ("join policy", p.join_policy.clone()),
            ("leave policy", p.leave_policy.clone()),
            ("max members", p.max_members.map(|n| n.to_string())),
            ("deactivated", p.deactivation_date.clone()),
        ],
    );
    for (name, grant) in &p.resources {
        pairs.push((
            format!("resource {name}"),
            format!(
                "member {}, project {}",
                grant.member_capacity, grant.project_capacity
            ),
        ));
    }
    if let Some(app) = &p.last_application {
        pairs.push((
            "last application".to_owned(),
            format!("{} ({})", app.id, app.state),
        ));
    }
    output::fields(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_read_member_then_project() {
        let (name, grant) = parse_grant("cyclades.vm=2,10").unwrap_or_default();
        assert_eq!(name, "cyclades.vm");
        assert_eq!((grant.member_capacity, grant.project_capacity), (2, 10));
        assert!(parse_grant("cyclades.vm=2").is_err());
        assert!(parse_grant("=1,2").is_err());
        assert!(parse_grant("x=a,2").is_err());
    }
}

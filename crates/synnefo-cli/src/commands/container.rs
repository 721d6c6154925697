//! `snf container …`: list, show, create, change and delete containers.

use crate::args::{ContainerCommand, ContainerList, GlobalArgs, OutputFormat, VersioningArg};
use crate::commands::file::{ListParams, list_objects};
use crate::commands::pithos_location::{PithosSession, Target};
use crate::commands::pithos_util::{confirm, format_size, http_date};
use crate::output;
use anyhow::{Context, Result, bail};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use synnefo_pithos::{
    ContainerCreation, ContainerEntry, ContainerInfo, ContainerOptions, DeleteContainer,
    ListObjectsOptions, ListOptions, PithosClient, Versioning,
};

pub(crate) async fn run(global: &GlobalArgs, command: &ContainerCommand) -> Result<()> {
    let session = PithosSession::connect(global).await?;
    match command {
        ContainerCommand::List(args) => list(global, &session, args).await,
        ContainerCommand::Info {
            container,
            account,
            until,
            metadata,
            size_limit,
            bytes,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            let info = target
                .client
                .container_info(&target.container, *until)
                .await
                .with_context(|| format!("cannot show container {}", target.container))?;
            if *metadata {
                show_meta(global.output, &info)
            } else if *size_limit {
                show_limit(global.output, &info, *bytes)
            } else {
                show_info(global.output, &info, *bytes)
            }
        }
        ContainerCommand::Create {
            container,
            account,
            versioning,
            limit,
            meta,
            project_id,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            let what = || format!("cannot create container {}", target.container);
            match target.client.container_info(&target.container, None).await {
                Ok(_) => bail!("{}: it already exists", what()),
                Err(error) if error.is_not_found() => {}
                Err(error) => return Err(anyhow::Error::new(error).context(what())),
            }
            let options = ContainerOptions {
                quota: *limit,
                versioning: versioning.map(versioning_of),
                project: project_id.clone(),
                meta: meta.iter().cloned().collect(),
            };
            let created = target
                .client
                .create_container(&target.container, &options)
                .await
                .with_context(what)?;
            if created == ContainerCreation::AlreadyExists {
                bail!("{}: it already exists", what());
            }
            Ok(())
        }
        ContainerCommand::Modify {
            container,
            account,
            metadata_add,
            metadata_del,
            size_limit,
            versioning,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            let (client, name) = (&target.client, target.container.as_str());
            let what = || format!("cannot modify container {name}");
            if !metadata_add.is_empty() {
                client
                    .set_container_meta(name, metadata_add.iter().cloned())
                    .await
                    .with_context(what)?;
            }
            if !metadata_del.is_empty() {
                client
                    .delete_container_meta(name, metadata_del)
                    .await
                    .with_context(what)?;
            }
            if let Some(limit) = size_limit {
                client
                    .set_container_quota(name, *limit)
                    .await
                    .with_context(what)?;
            }
            if let Some(versioning) = versioning {
                client
                    .set_container_versioning(name, versioning_of(*versioning))
                    .await
                    .with_context(what)?;
            }
            Ok(())
        }
        ContainerCommand::Reassign {
            container,
            account,
            project_id,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            target
                .client
                .set_container_project(&target.container, project_id)
                .await
                .with_context(|| {
                    format!(
                        "cannot reassign container {} to project {project_id}",
                        target.container
                    )
                })
        }
        ContainerCommand::Delete {
            container,
            account,
            yes,
            recursive,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            let question = if *recursive {
                format!(
                    "delete container {} and every object in it",
                    target.container
                )
            } else {
                format!("delete container {}", target.container)
            };
            confirm(&question, *yes)?;
            delete(&target, *recursive).await
        }
        ContainerCommand::Empty {
            container,
            account,
            yes,
        } => {
            let target = session
                .container_target(account.account.as_deref(), container)
                .await?;
            confirm(
                &format!("delete every object of container {}", target.container),
                *yes,
            )?;
            empty(&target.client, &target.container)
                .await
                .with_context(|| format!("cannot empty container {}", target.container))
        }
    }
}

fn versioning_of(arg: VersioningArg) -> Versioning {
    match arg {
        VersioningArg::Auto => Versioning::Auto,
        VersioningArg::Disabled => Versioning::Disabled,
    }
}

/// Deletes every object of the container, keeping the container.
pub(crate) async fn empty(client: &PithosClient, container: &str) -> synnefo_core::Result<()> {
    let options = DeleteContainer {
        until: None,
        delimiter: Some('/'),
    };
    client.delete_container(container, &options).await
}

async fn delete(target: &Target, recursive: bool) -> Result<()> {
    let (client, name) = (&target.client, target.container.as_str());
    let what = || format!("cannot delete container {name}");
    if recursive {
        empty(client, name).await.with_context(what)?;
    }
    match client
        .delete_container(name, &DeleteContainer::default())
        .await
    {
        Ok(()) => Ok(()),
        Err(error) if error.status().map(|s| s.as_u16()) == Some(409) => {
            bail!(
                "{}: it is not empty (pass -r to delete its objects too, or \
                 `snf container empty {name}` first)",
                what()
            )
        }
        Err(error) => Err(anyhow::Error::new(error).context(what())),
    }
}

async fn list(global: &GlobalArgs, session: &PithosSession, args: &ContainerList) -> Result<()> {
    if let Some(container) = &args.container {
        let target = session
            .container_target(args.account.account.as_deref(), container)
            .await?;
        let params = ListParams {
            details: args.details,
            enumerate: args.enumerate,
            filters: args.filters.clone(),
            options: ListObjectsOptions {
                limit: args.limit,
                marker: args.marker.clone(),
                delimiter: if args.recursive { None } else { Some('/') },
                shared: args.shared,
                public: args.public,
                until: args.until,
                if_modified_since: args.if_modified_since,
                if_unmodified_since: args.if_unmodified_since,
                ..ListObjectsOptions::default()
            },
        };
        return list_objects(global.output, &target, &params).await;
    }
    let client = session
        .account_client(args.account.account.as_deref())
        .await?;
    let options = ListOptions {
        limit: args.limit,
        marker: args.marker.clone(),
        shared: args.shared,
        public: args.public,
        until: args.until,
        if_modified_since: args.if_modified_since,
        if_unmodified_since: args.if_unmodified_since,
    };
    let what = || format!("cannot list the containers of account {}", client.account());
    let containers: Vec<ContainerEntry> = if args.limit.is_some() {
        client.list_containers(&options).await.with_context(what)?
    } else {
        client
            .list_containers_stream(&options)
            .try_collect()
            .await
            .with_context(what)?
    };
    let containers: Vec<ContainerEntry> = containers
        .into_iter()
        .filter(|c| args.filters.matches(&c.name))
        .collect();
    if args.recursive {
        return list_recursive(global.output, &client, &containers, args).await;
    }
    match global.output {
        OutputFormat::Json => output::json(&containers),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = containers
                .iter()
                .enumerate()
                .map(|(i, c)| container_row(i, c, args))
                .collect();
            output::table(&container_header(args), &rows)
        }
    }
}

fn container_header(args: &ContainerList) -> Vec<&'static str> {
    let mut header = Vec::new();
    if args.enumerate {
        header.push("#");
    }
    header.extend(["NAME", "OBJECTS", "SIZE", "MODIFIED"]);
    if args.details {
        header.extend(["LIMIT", "VERSIONING", "PROJECT"]);
    }
    header
}

fn container_row(index: usize, c: &ContainerEntry, args: &ContainerList) -> Vec<String> {
    let mut row = Vec::new();
    if args.enumerate {
        row.push((index + 1).to_string());
    }
    row.extend([
        c.name.clone(),
        c.object_count.map(|n| n.to_string()).unwrap_or_default(),
        c.bytes_used.map(format_size).unwrap_or_default(),
        c.last_modified.clone().unwrap_or_default(),
    ]);
    if args.details {
        row.extend([
            match c.policy.quota {
                None => String::new(),
                Some(0) => "unlimited".to_owned(),
                Some(q) => format_size(q),
            },
            c.policy.versioning.clone().unwrap_or_default(),
            c.policy.project.clone().unwrap_or_default(),
        ]);
    }
    row
}

/// Every container and, under each, its objects.
async fn list_recursive(
    format: OutputFormat,
    client: &PithosClient,
    containers: &[ContainerEntry],
    args: &ContainerList,
) -> Result<()> {
    let mut all = Vec::new();
    for container in containers {
        let options = ListObjectsOptions {
            shared: args.shared,
            public: args.public,
            until: args.until,
            ..ListObjectsOptions::default()
        };
        let entries: Vec<_> = client
            .list_objects_stream(&container.name, &options)
            .try_collect()
            .await
            .with_context(|| format!("cannot list container {}", container.name))?;
        all.push((container, entries));
    }
    match format {
        OutputFormat::Json => {
            let value: Vec<Value> = all
                .iter()
                .map(|(container, entries)| {
                    let mut value = serde_json::to_value(container).unwrap_or(Value::Null);
                    if let Value::Object(map) = &mut value {
                        map.insert(
                            "objects".to_owned(),
                            Value::Array(
                                entries
                                    .iter()
                                    .map(crate::commands::file::entry_json)
                                    .collect(),
                            ),
                        );
                    }
                    value
                })
                .collect();
            output::json(&value)
        }
        OutputFormat::Table => {
            let mut rows = Vec::new();
            for (i, (container, entries)) in all.iter().enumerate() {
                rows.push(container_row(i, container, args));
                for entry in entries {
                    let mut row = Vec::new();
                    if args.enumerate {
                        row.push(String::new());
                    }
                    let (name, size) = match entry {
                        synnefo_pithos::ListingEntry::Object(o) => {
                            (o.name.clone(), format_size(o.bytes))
                        }
                        synnefo_pithos::ListingEntry::Subdir(s) => (s.clone(), String::new()),
                    };
                    row.extend([format!("  {name}"), String::new(), size]);
                    rows.push(row);
                }
            }
            output::table(&container_header(args), &rows)
        }
    }
}

fn limit_text(quota: Option<u64>, bytes: bool) -> String {
    match quota {
        None | Some(0) => "unlimited".to_owned(),
        Some(q) if bytes => q.to_string(),
        Some(q) => format_size(q),
    }
}

fn size_text(size: Option<u64>, bytes: bool) -> String {
    match size {
        None => String::new(),
        Some(n) if bytes => n.to_string(),
        Some(n) => format!("{} ({n} bytes)", format_size(n)),
    }
}

fn show_info(format: OutputFormat, info: &ContainerInfo, bytes: bool) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(info),
        OutputFormat::Table => {
            let mut pairs: Vec<(String, String)> = vec![
                ("name".into(), info.name.clone()),
                (
                    "objects".into(),
                    info.object_count.map(|n| n.to_string()).unwrap_or_default(),
                ),
                ("bytes used".into(), size_text(info.bytes_used, bytes)),
                ("size limit".into(), limit_text(info.quota, bytes)),
                (
                    "versioning".into(),
                    info.versioning.map(|v| v.to_string()).unwrap_or_default(),
                ),
                ("project".into(), info.project.clone().unwrap_or_default()),
                ("block size".into(), size_text(Some(info.block_size), bytes)),
                ("block hash".into(), info.block_hash.clone()),
                (
                    "last modified".into(),
                    info.last_modified.map(http_date).unwrap_or_default(),
                ),
            ];
            if let Some(until) = info.until_timestamp {
                pairs.push(("until".into(), http_date(until)));
            }
            if !info.object_meta.is_empty() {
                pairs.push(("object meta keys".into(), info.object_meta.join(", ")));
            }
            output::push_meta(&mut pairs, &info.meta);
            output::fields(&pairs)
        }
    }
}

fn show_meta(format: OutputFormat, info: &ContainerInfo) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&info.meta),
        OutputFormat::Table => {
            let pairs: Vec<(&str, String)> = info
                .meta
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            output::fields(&pairs)
        }
    }
}

fn show_limit(format: OutputFormat, info: &ContainerInfo, bytes: bool) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&json!({
            "container": info.name,
            "limit": info.quota.filter(|&q| q > 0),
        })),
        OutputFormat::Table => {
            println!("{}", limit_text(info.quota, bytes));
            Ok(())
        }
    }
}

//! `snf file …`: list, show, change, copy, move and delete objects; the
//! transfers (upload, download, cat, append, overwrite) are in
//! [`super::file_transfer`].

use crate::args::{
    FileCommand, FileCopy, FileDelete, FileInfo, FileList, FileModify, FileMove, GlobalArgs,
    OutputFormat, PithosArgs, TransferTarget,
};
use crate::commands::file_transfer;
use crate::commands::pithos_location::{Location, PithosSession, Target};
use crate::commands::pithos_util::{
    NameFilters, confirm, format_size, guess_content_type, http_date, is_uuid,
};
use crate::output;
use anyhow::{Context, Result, bail};
use futures_util::TryStreamExt;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use synnefo_pithos::{
    Conditional, CopyOptions, DeleteContainer, DeleteObject, ListObjectsOptions, ListingEntry,
    MetaFilter, ObjectInfo, ObjectInfoOptions, Permissions, PithosClient,
};

pub(crate) async fn run(global: &GlobalArgs, command: &FileCommand) -> Result<()> {
    let session = PithosSession::connect(global).await?;
    match command {
        FileCommand::List(args) => list(global, &session, args).await,
        FileCommand::Info(args) => info(global, &session, args).await,
        FileCommand::Modify(args) => modify(&session, args).await,
        FileCommand::Publish { path, pithos } => {
            let target = object_target(&session, pithos, path).await?;
            let url = target
                .client
                .publish_object(&target.container, &target.path)
                .await
                .with_context(|| format!("cannot publish {}", target.display()))?;
            println!("{}", session.full_public_url(&url));
            Ok(())
        }
        FileCommand::Unpublish { path, pithos } => {
            let target = object_target(&session, pithos, path).await?;
            target
                .client
                .unpublish_object(&target.container, &target.path)
                .await
                .with_context(|| format!("cannot unpublish {}", target.display()))
        }
        FileCommand::Create {
            path,
            content_type,
            pithos,
        } => {
            let target = object_target(&session, pithos, path).await?;
            let content_type = content_type
                .as_deref()
                .or_else(|| guess_content_type(&target.path))
                .unwrap_or("application/octet-stream");
            target
                .client
                .create_object(&target.container, &target.path, content_type)
                .await
                .with_context(|| format!("cannot create {}", target.display()))?;
            Ok(())
        }
        FileCommand::Mkdir { path, pithos } => {
            let target = object_target(&session, pithos, path).await?;
            let name = target.path.trim_end_matches('/');
            if name.is_empty() {
                bail!("cannot create directory {path:?}: name a directory");
            }
            target
                .client
                .create_directory(&target.container, name)
                .await
                .with_context(|| format!("cannot create directory {}", target.display()))?;
            Ok(())
        }
        FileCommand::Delete(args) => delete(&session, args).await,
        FileCommand::Copy(args) => copy_or_move(&session, args.into(), false).await,
        FileCommand::Move(args) => copy_or_move(&session, args.into(), true).await,
        FileCommand::Truncate { path, size, pithos } => {
            let target = object_target(&session, pithos, path).await?;
            target
                .client
                .truncate_object(&target.container, &target.path, *size)
                .await
                .with_context(|| format!("cannot truncate {}", target.display()))?;
            Ok(())
        }
        FileCommand::Append(args) => file_transfer::append(&session, args).await,
        FileCommand::Overwrite(args) => file_transfer::overwrite(&session, args).await,
        FileCommand::Upload(args) => file_transfer::upload(&session, args).await,
        FileCommand::Download(args) => file_transfer::download(&session, args).await,
        FileCommand::Cat(args) => file_transfer::cat(&session, args).await,
    }
}

/// A location that must name an object (not just a container).
pub(crate) async fn object_target(
    session: &PithosSession,
    pithos: &PithosArgs,
    location: &str,
) -> Result<Target> {
    let target = session.target(pithos, location).await?;
    if target.path.is_empty() {
        bail!(
            "{location:?} names container {:?} but no object: give CONTAINER/PATH or a path",
            target.container
        );
    }
    Ok(target)
}

/// How to list objects.
pub(crate) struct ListParams {
    pub(crate) details: bool,
    pub(crate) enumerate: bool,
    pub(crate) filters: NameFilters,
    pub(crate) options: ListObjectsOptions,
}

async fn list(global: &GlobalArgs, session: &PithosSession, args: &FileList) -> Result<()> {
    let target = match &args.path {
        Some(path) => session.target(&args.pithos, path).await?,
        None => session.container_only(&args.pithos).await?,
    };
    let meta = args
        .meta
        .iter()
        .map(|m| m.parse::<MetaFilter>())
        .collect::<Result<Vec<_>, _>>()?;
    let delimiter = match (args.delimiter, args.recursive) {
        (Some(d), _) => Some(d),
        (None, true) => None,
        (None, false) => Some('/'),
    };
    let prefix = match delimiter {
        _ if target.path.is_empty() => None,
        Some(d) if !target.path.ends_with(d) => Some(format!("{}{d}", target.path)),
        None if !target.path.ends_with('/') => Some(format!("{}/", target.path)),
        _ => Some(target.path.clone()),
    };
    let params = ListParams {
        details: args.details,
        enumerate: args.enumerate,
        filters: args.filters.clone(),
        options: ListObjectsOptions {
            prefix,
            delimiter,
            marker: args.marker.clone(),
            limit: args.limit,
            meta,
            shared: args.shared_by_me,
            public: args.public,
            until: args.until,
            if_modified_since: args.if_modified_since,
            if_unmodified_since: args.if_unmodified_since,
            ..ListObjectsOptions::default()
        },
    };
    list_objects(global.output, &target, &params).await
}

/// Lists a container's objects under `params.options.prefix`; when that
/// lists nothing and the target names an object, shows that object.
pub(crate) async fn list_objects(
    format: OutputFormat,
    target: &Target,
    params: &ListParams,
) -> Result<()> {
    let what = || format!("cannot list {}", target.display());
    let entries: Vec<ListingEntry> = if params.options.limit.is_some() {
        let page = target
            .client
            .list_objects(&target.container, &params.options)
            .await
            .with_context(what)?;
        let mut entries: Vec<ListingEntry> = page
            .objects
            .into_iter()
            .map(ListingEntry::Object)
            .chain(page.subdirs.into_iter().map(ListingEntry::Subdir))
            .collect();
        entries.sort_by(|a, b| a.name().cmp(b.name()));
        entries
    } else {
        target
            .client
            .list_objects_stream(&target.container, &params.options)
            .try_collect()
            .await
            .with_context(what)?
    };
    let mut entries: Vec<ListingEntry> = entries
        .into_iter()
        .filter(|e| params.filters.matches(e.name()))
        .collect();
    if entries.is_empty() && !target.path.is_empty() && params.options.marker.is_none() {
        // `file list NAME` of an object shows that object, as `ls` does.
        let listed = target
            .client
            .list_objects(
                &target.container,
                &ListObjectsOptions {
                    // With a delimiter the server reads the prefix as a
                    // directory (it appends the delimiter).
                    prefix: Some(target.path.clone()),
                    delimiter: None,
                    limit: Some(1),
                    ..params.options.clone()
                },
            )
            .await
            .with_context(what)?;
        entries.extend(
            listed
                .objects
                .into_iter()
                .filter(|o| o.name == target.path)
                .map(ListingEntry::Object),
        );
    }
    match format {
        OutputFormat::Json => {
            let values: Vec<Value> = entries.iter().map(entry_json).collect();
            output::json(&values)
        }
        OutputFormat::Table => {
            // A directory object and the subdirectory of its contents are
            // one line for people.
            let directories: BTreeSet<String> = entries
                .iter()
                .filter_map(|e| match e {
                    ListingEntry::Object(o) if o.is_directory() => Some(o.name.clone()),
                    _ => None,
                })
                .collect();
            entries.retain(|e| match e {
                ListingEntry::Subdir(name) => {
                    let mut chars = name.chars();
                    chars.next_back();
                    !directories.contains(chars.as_str())
                }
                ListingEntry::Object(_) => true,
            });
            let mut header = Vec::new();
            if params.enumerate {
                header.push("#");
            }
            header.extend(["NAME", "SIZE", "TYPE", "MODIFIED"]);
            if params.details {
                header.extend(["VERSION", "HASH", "SHARING", "PUBLIC"]);
            }
            let rows: Vec<Vec<String>> = entries
                .iter()
                .enumerate()
                .map(|(i, entry)| {
                    let mut row = Vec::new();
                    if params.enumerate {
                        row.push((i + 1).to_string());
                    }
                    match entry {
                        ListingEntry::Object(o) => {
                            row.extend([
                                o.name.clone(),
                                if o.is_directory() {
                                    String::new()
                                } else {
                                    format_size(o.bytes)
                                },
                                o.content_type.clone().unwrap_or_default(),
                                o.last_modified.clone().unwrap_or_default(),
                            ]);
                            if params.details {
                                row.extend([
                                    o.version.map(|v| v.to_string()).unwrap_or_default(),
                                    o.object_hash.clone().unwrap_or_default(),
                                    o.sharing
                                        .clone()
                                        .or_else(|| o.allowed_to.clone())
                                        .unwrap_or_default(),
                                    o.public_url.clone().unwrap_or_default(),
                                ]);
                            }
                        }
                        ListingEntry::Subdir(name) => {
                            row.extend([
                                name.clone(),
                                String::new(),
                                "(directory)".to_owned(),
                                String::new(),
                            ]);
                        }
                    }
                    row
                })
                .collect();
            output::table(&header, &rows)
        }
    }
}

/// A listing entry as JSON: the object as the server describes it, or
/// `{"subdir": NAME}` as the server's own listings have it.
pub(crate) fn entry_json(entry: &ListingEntry) -> Value {
    match entry {
        ListingEntry::Object(object) => serde_json::to_value(object).unwrap_or(Value::Null),
        ListingEntry::Subdir(name) => json!({ "subdir": name }),
    }
}

/// The read options of `--object-version` and the `--if-…` conditions.
pub(crate) fn read_options(
    version: Option<u64>,
    conditions: &crate::args::ReadConditions,
) -> ObjectInfoOptions {
    ObjectInfoOptions {
        version,
        if_match: conditions.if_match.clone(),
        if_none_match: conditions.if_none_match.clone(),
        if_modified_since: conditions.if_modified_since,
        if_unmodified_since: conditions.if_unmodified_since,
    }
}

async fn info(global: &GlobalArgs, session: &PithosSession, args: &FileInfo) -> Result<()> {
    let target = object_target(session, &args.pithos, &args.path).await?;
    let (client, container, path) = (&target.client, &target.container, &target.path);
    let what = || format!("cannot show {}", target.display());
    let options = read_options(args.object_version, &args.conditions);
    if args.object_versions {
        let versions = client
            .object_versions(container, path)
            .await
            .with_context(what)?;
        return match global.output {
            OutputFormat::Json => output::json(&versions),
            OutputFormat::Table => {
                let rows: Vec<Vec<String>> = versions
                    .iter()
                    .map(|v| {
                        vec![
                            v.version.to_string(),
                            v.time().map(http_date).unwrap_or_default(),
                        ]
                    })
                    .collect();
                output::table(&["VERSION", "CREATED"], &rows)
            }
        };
    }
    if args.hashmap {
        let hashmap = match client
            .object_hashmap(container, path, &options)
            .await
            .with_context(what)?
        {
            Conditional::Modified(hashmap) => hashmap,
            Conditional::NotModified { .. } => return not_modified(&target),
        };
        return match global.output {
            OutputFormat::Json => output::json(&hashmap),
            OutputFormat::Table => {
                output::fields(&[
                    ("block size", hashmap.block_size.to_string()),
                    ("block hash", hashmap.block_hash.clone()),
                    ("bytes", hashmap.bytes.to_string()),
                    ("blocks", hashmap.hashes.len().to_string()),
                ])?;
                for hash in &hashmap.hashes {
                    println!("  {hash}");
                }
                Ok(())
            }
        };
    }
    let info = match client
        .object_info(container, path, &options)
        .await
        .with_context(what)?
    {
        Conditional::Modified(info) => info,
        Conditional::NotModified { .. } => return not_modified(&target),
    };
    if args.sharing {
        let sharing = info.sharing.clone().unwrap_or_default();
        return match global.output {
            OutputFormat::Json => output::json(&json!({
                "read": sharing.read,
                "write": sharing.write,
                "shared_by": info.shared_by,
            })),
            OutputFormat::Table => {
                let mut pairs = vec![
                    ("read", sharing.read.join(", ")),
                    ("write", sharing.write.join(", ")),
                ];
                if let Some(shared_by) = &info.shared_by {
                    pairs.push(("inherited from", shared_by.clone()));
                }
                output::fields(&pairs)
            }
        };
    }
    if args.metadata {
        return match global.output {
            OutputFormat::Json => output::json(&info.meta),
            OutputFormat::Table => {
                let pairs: Vec<(&str, String)> = info
                    .meta
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                output::fields(&pairs)
            }
        };
    }
    match global.output {
        OutputFormat::Json => output::json(&info),
        OutputFormat::Table => show_object(&target, &info),
    }
}

fn not_modified(target: &Target) -> Result<()> {
    eprintln!("snf: {} was not modified", target.display());
    Ok(())
}

fn show_object(target: &Target, info: &ObjectInfo) -> Result<()> {
    let mut pairs: Vec<(String, String)> = vec![
        ("name".into(), target.path.clone()),
        ("container".into(), target.container.clone()),
        (
            "size".into(),
            format!("{} ({} bytes)", format_size(info.size), info.size),
        ),
        (
            "content type".into(),
            info.content_type.clone().unwrap_or_default(),
        ),
    ];
    let optional = [
        ("hash", info.object_hash.clone()),
        ("etag", info.etag.clone()),
        ("uuid", info.uuid.clone()),
        ("version", info.version.map(|v| v.to_string())),
        ("version timestamp", info.version_timestamp.map(http_date)),
        ("last modified", info.last_modified.map(http_date)),
        ("modified by", info.modified_by.clone()),
        (
            "sharing",
            info.sharing
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(Permissions::to_header),
        ),
        ("shared by", info.shared_by.clone()),
        ("allowed to", info.allowed_to.clone()),
        ("public url", info.public_url.clone()),
        ("manifest", info.manifest.clone()),
        ("content encoding", info.content_encoding.clone()),
        ("content disposition", info.content_disposition.clone()),
    ];
    output::push_present(&mut pairs, optional);
    output::push_meta(&mut pairs, &info.meta);
    output::fields(&pairs)
}

/// Sharing entries as the server takes them: `*`, `OWNER:GROUP` and UUIDs
/// as given, display names translated to UUIDs.
pub(crate) async fn resolve_grantees(
    session: &PithosSession,
    entries: &[String],
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        let resolved = if entry == "*" || entry.contains(':') || is_uuid(entry) {
            entry.to_owned()
        } else {
            session.resolve_account(entry).await.with_context(|| {
                format!("cannot grant access to {entry:?} (for a group, give OWNER_UUID:GROUP)")
            })?
        };
        if !out.contains(&resolved) {
            out.push(resolved);
        }
    }
    Ok(out)
}

async fn modify(session: &PithosSession, args: &FileModify) -> Result<()> {
    let target = object_target(session, &args.pithos, &args.path).await?;
    let (client, container, path) = (&target.client, &target.container, &target.path);
    let what = || format!("cannot modify {}", target.display());
    let read = resolve_grantees(session, &args.read_permission).await?;
    let write = resolve_grantees(session, &args.write_permission).await?;
    if args.no_permissions || !read.is_empty() || !write.is_empty() {
        let mut permissions = if args.no_permissions {
            Permissions::default()
        } else {
            let info = client
                .object_info(container, path, &ObjectInfoOptions::default())
                .await
                .with_context(what)?
                .into_value(&target.display())?;
            // Permissions inherited from a directory are not the object's.
            match (info.sharing, info.shared_by) {
                (Some(own), None) => own,
                _ => Permissions::default(),
            }
        };
        for entry in read {
            if !permissions.read.contains(&entry) {
                permissions.read.push(entry);
            }
        }
        for entry in write {
            if !permissions.write.contains(&entry) {
                permissions.write.push(entry);
            }
        }
        client
            .set_object_sharing(container, path, &permissions)
            .await
            .with_context(what)?;
    }
    if !args.metadata_add.is_empty() {
        client
            .set_object_meta(container, path, args.metadata_add.iter().cloned())
            .await
            .with_context(what)?;
    }
    if !args.metadata_del.is_empty() {
        client
            .delete_object_meta(container, path, &args.metadata_del)
            .await
            .with_context(what)?;
    }
    Ok(())
}

async fn delete(session: &PithosSession, args: &FileDelete) -> Result<()> {
    let target = match &args.path {
        Some(path) => session.target(&args.pithos, path).await?,
        None => session.container_only(&args.pithos).await?,
    };
    let (client, container) = (&target.client, target.container.as_str());
    if target.path.is_empty() {
        if let Some(until) = args.until {
            confirm(
                &format!(
                    "purge the history of container {container} up to {}",
                    http_date(until)
                ),
                args.yes,
            )?;
            let options = DeleteContainer {
                until: Some(until),
                delimiter: None,
            };
            return client
                .delete_container(container, &options)
                .await
                .with_context(|| format!("cannot purge container {container}"));
        }
        confirm(
            &format!("delete every object of container {container}"),
            args.yes,
        )?;
        return crate::commands::container::empty(client, container)
            .await
            .with_context(|| format!("cannot empty container {container}"));
    }
    let path = target.path.trim_end_matches('/');
    let path = if path.is_empty() {
        target.path.as_str()
    } else {
        path
    };
    let delimiter = if args.recursive {
        Some('/')
    } else {
        args.delimiter
    };
    let display = format!("{container}/{path}");
    let question = match (args.until, delimiter) {
        (Some(until), _) => format!("purge the versions of {display} up to {}", http_date(until)),
        (None, Some(d)) => format!("delete {display} and everything under {display}{d}"),
        (None, None) => format!("delete {display}"),
    };
    confirm(&question, args.yes)?;
    let what = || format!("cannot delete {display}");
    let options = DeleteObject {
        until: args.until,
        delimiter,
    };
    match client.delete_object(container, path, &options).await {
        Ok(()) => {}
        Err(error) if error.is_not_found() && delimiter.is_some() && args.until.is_none() => {
            // A virtual directory (no object of its own): delete what is
            // under it one by one.
            let prefix = format!("{path}{}", delimiter.unwrap_or('/'));
            let names = names_under(client, container, &prefix)
                .await
                .with_context(what)?;
            if names.is_empty() {
                return Err(anyhow::Error::new(error).context(what()));
            }
            for name in names {
                client
                    .delete_object(container, &name, &DeleteObject::default())
                    .await
                    .with_context(|| format!("cannot delete {container}/{name}"))?;
            }
        }
        Err(error) => return Err(anyhow::Error::new(error).context(what())),
    }
    if delimiter.is_none() && args.until.is_none() {
        let left = names_under(client, container, &format!("{path}/"))
            .await
            .unwrap_or_default();
        if !left.is_empty() {
            eprintln!(
                "snf: note: {} object(s) under {display}/ were kept (use -r to delete them too)",
                left.len()
            );
        }
    }
    Ok(())
}

/// The names of every object under `prefix`.
pub(crate) async fn names_under(
    client: &PithosClient,
    container: &str,
    prefix: &str,
) -> synnefo_core::Result<Vec<String>> {
    let options = ListObjectsOptions {
        prefix: Some(prefix.to_owned()),
        ..ListObjectsOptions::default()
    };
    let entries: Vec<ListingEntry> = client
        .list_objects_stream(container, &options)
        .try_collect()
        .await?;
    Ok(entries
        .into_iter()
        .filter_map(|e| match e {
            ListingEntry::Object(o) => Some(o.name),
            ListingEntry::Subdir(_) => None,
        })
        .collect())
}

/// Copy and move share their options.
struct CopyArgs<'a> {
    source: &'a str,
    destination: Option<&'a str>,
    pithos: &'a PithosArgs,
    to: &'a TransferTarget,
    source_version: Option<u64>,
}

impl<'a> From<&'a FileCopy> for CopyArgs<'a> {
    fn from(args: &'a FileCopy) -> Self {
        CopyArgs {
            source: &args.source,
            destination: args.destination.as_deref(),
            pithos: &args.pithos,
            to: &args.to,
            source_version: args.source_version,
        }
    }
}

impl<'a> From<&'a FileMove> for CopyArgs<'a> {
    fn from(args: &'a FileMove) -> Self {
        CopyArgs {
            source: &args.source,
            destination: args.destination.as_deref(),
            pithos: &args.pithos,
            to: &args.to,
            source_version: None,
        }
    }
}

async fn copy_or_move(session: &PithosSession, args: CopyArgs<'_>, is_move: bool) -> Result<()> {
    let verb = if is_move { "move" } else { "copy" };
    let source = object_target(session, args.pithos, args.source).await?;
    let src_path = source.path.trim_end_matches('/').to_owned();
    let src_path = if src_path.is_empty() {
        source.path.clone()
    } else {
        src_path
    };
    // The destination: its own account and container win over --to-….
    let parsed = match args.destination {
        Some(text) => Location::parse(text)?,
        None => Location::default(),
    };
    let dst_account = match (&parsed.account, &args.to.to_account) {
        (Some(a), Some(b)) if *a != session.resolve_account(b).await? => {
            bail!("the destination names account {a} but --to-account says {b}: give only one")
        }
        (Some(a), _) => session.resolve_account(a).await?,
        (None, Some(b)) => session.resolve_account(b).await?,
        (None, None) => source.client.account().to_owned(),
    };
    let dst_container = match (&parsed.container, &args.to.to_container) {
        (Some(a), Some(b)) if a != b => {
            bail!("the destination names container {a:?} but --to-container says {b:?}")
        }
        (Some(a), _) => a.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => source.container.clone(),
    };
    let base_name = src_path.rsplit('/').next().unwrap_or(&src_path).to_owned();
    let dst_path = if parsed.path.is_empty() {
        if parsed.container.is_some() {
            base_name.clone()
        } else {
            src_path.clone()
        }
    } else if parsed.path.ends_with('/') {
        format!("{}{base_name}", parsed.path)
    } else {
        parsed.path.clone()
    };
    let dst_client = source.client.with_account(dst_account.clone());
    if dst_account == source.client.account()
        && dst_container == source.container
        && dst_path == src_path
    {
        bail!(
            "cannot {verb} {}: the source and the destination are the same",
            source.display()
        );
    }
    // What to transfer: the object itself (if it exists) and, with -r,
    // everything under it.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let exists = source
        .client
        .object_info(
            &source.container,
            &src_path,
            &ObjectInfoOptions {
                version: args.source_version,
                ..ObjectInfoOptions::default()
            },
        )
        .await;
    match exists {
        Ok(_) => pairs.push((src_path.clone(), dst_path.clone())),
        Err(error) if error.is_not_found() && args.to.recursive => {}
        Err(error) => {
            return Err(anyhow::Error::new(error)
                .context(format!("cannot {verb} {}/{src_path}", source.container)));
        }
    }
    if args.to.recursive {
        let prefix = format!("{src_path}/");
        let names = names_under(&source.client, &source.container, &prefix)
            .await
            .with_context(|| format!("cannot list {}/{prefix}", source.container))?;
        for name in names {
            let rest = &name[prefix.len()..];
            pairs.push((name.clone(), format!("{dst_path}/{rest}")));
        }
    }
    if pairs.is_empty() {
        bail!(
            "cannot {verb} {}/{src_path}: no such object",
            source.container
        );
    }
    if !args.to.force {
        let existing: BTreeSet<String> = if args.to.recursive {
            names_under(&dst_client, &dst_container, &format!("{dst_path}/"))
                .await
                .unwrap_or_default()
                .into_iter()
                .collect()
        } else {
            BTreeSet::new()
        };
        for (_, dst) in &pairs {
            let taken = existing.contains(dst)
                || (dst == &dst_path
                    && dst_client
                        .object_info(&dst_container, dst, &ObjectInfoOptions::default())
                        .await
                        .is_ok());
            if taken {
                bail!(
                    "cannot {verb} to {dst_container}/{dst}: it already exists (pass -f to \
                     replace it)"
                );
            }
        }
    }
    let options = CopyOptions {
        source_account: Some(source.client.account().to_owned()),
        destination_account: (dst_account != source.client.account()).then_some(dst_account),
        source_version: args.source_version,
        content_type: args.to.content_type.clone(),
        public: args.to.public.then_some(true),
        ..CopyOptions::default()
    };
    for (src, dst) in &pairs {
        let result = if is_move {
            source
                .client
                .move_object(&source.container, src, &dst_container, dst, &options)
                .await
        } else {
            source
                .client
                .copy_object(&source.container, src, &dst_container, dst, &options)
                .await
        };
        result.with_context(|| {
            format!(
                "cannot {verb} {}/{src} to {dst_container}/{dst}",
                source.container
            )
        })?;
    }
    if args.to.public {
        for (_, dst) in &pairs {
            let info = dst_client
                .object_info(&dst_container, dst, &ObjectInfoOptions::default())
                .await
                .ok()
                .and_then(Conditional::modified);
            if let Some(url) = info.and_then(|i| i.public_url) {
                println!("{}", session.full_public_url(&url));
            }
        }
    }
    Ok(())
}

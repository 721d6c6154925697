//! The transfers of `snf file …`: upload (a file or a folder tree),
//! download (an object or a directory tree), cat, append and overwrite,
//! each with a progress bar on stderr (off with `-N`, hidden when stderr is
//! not a terminal).

use crate::args::{FileAppend, FileCat, FileDownload, FileOverwrite, FileUpload};
use crate::commands::file::{object_target, read_options, resolve_grantees};
use crate::commands::pithos_location::{PithosSession, Target};
use crate::commands::pithos_util::{format_size, guess_content_type};
use crate::local_path::local_path;
use crate::progress::TransferBar;
use anyhow::{Context, Result, bail};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use synnefo_pithos::{
    ByteRange, Conditional, DownloadOptions, DownloadOutcome, ListObjectsOptions, ListingEntry,
    ObjectInfoOptions, Permissions, PithosClient, PutHashmapOutcome, PutOptions, UploadOptions,
};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Block size to use when the container's cannot be read (another user's).
const FALLBACK_CHUNK: u64 = 4 * 1024 * 1024;

/// A byte-counting bar driven by hand, for the transfers the engine does
/// not run (append, overwrite, ranges): same look as [`TransferBar`].
struct ByteBar(indicatif::ProgressBar);

impl ByteBar {
    fn new(label: &str, total: u64, enabled: bool) -> ByteBar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if !enabled {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let style = indicatif::ProgressStyle::with_template(
            "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(label.to_owned());
        ByteBar(bar)
    }

    fn inc(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// The last component of an object path (`a/b/` → `b`).
fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// The block size of the container, or a default when it cannot be read.
async fn chunk_size(client: &PithosClient, container: &str) -> u64 {
    client
        .container_info(container, None)
        .await
        .map(|info| info.block_size)
        .unwrap_or(FALLBACK_CHUNK)
        .max(1)
}

// ---------------------------------------------------------------- upload

/// What every uploaded object gets.
struct UploadSettings {
    content_type: Option<String>,
    content_encoding: Option<String>,
    content_disposition: Option<String>,
    sharing: Permissions,
    concurrency: usize,
    progress: bool,
    public: bool,
}

impl UploadSettings {
    fn content_type_for(&self, name: &str) -> Option<String> {
        self.content_type
            .clone()
            .or_else(|| guess_content_type(name).map(str::to_owned))
    }

    fn put_options(&self, name: &str, etag: Option<String>) -> PutOptions {
        PutOptions {
            content_type: self.content_type_for(name),
            content_encoding: self.content_encoding.clone(),
            content_disposition: self.content_disposition.clone(),
            sharing: (!self.sharing.is_empty()).then(|| self.sharing.clone()),
            etag,
            ..PutOptions::default()
        }
    }
}

pub(crate) async fn upload(session: &PithosSession, args: &FileUpload) -> Result<()> {
    let local = &args.local;
    let metadata = tokio::fs::metadata(local)
        .await
        .with_context(|| format!("cannot upload {}", local.display()))?;
    let file_name = local
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .or_else(|| {
            // `.` or `..`: the folder's own name.
            std::fs::canonicalize(local)
                .ok()
                .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        })
        .with_context(|| {
            format!(
                "cannot upload {}: its name is not UTF-8 text; name the object",
                local.display()
            )
        })?;
    let mut target = match &args.remote {
        Some(remote) => session.target(&args.pithos, remote).await?,
        None => session.container_only(&args.pithos).await?,
    };
    if target.path.is_empty() || target.path.ends_with('/') {
        target.path.push_str(&file_name);
    }
    let read = resolve_grantees(session, &args.read_permission).await?;
    let write = resolve_grantees(session, &args.write_permission).await?;
    let settings = UploadSettings {
        content_type: args.content_type.clone(),
        content_encoding: args.content_encoding.clone(),
        content_disposition: args.content_disposition.clone(),
        sharing: Permissions { read, write },
        concurrency: args.threads.max(1),
        progress: !args.no_progress_bar,
        public: args.public,
    };
    if metadata.is_dir() {
        if !args.recursive {
            bail!(
                "cannot upload {}: it is a folder (pass -r to upload it and everything in it)",
                local.display()
            );
        }
        return upload_tree(session, &target, local, &settings, args.force).await;
    }
    let what = || format!("cannot upload {} to {}", local.display(), target.display());
    let replaced = existing_size(&target.client, &target.container, &target.path)
        .await
        .with_context(what)?;
    if replaced.is_some() && !args.force {
        bail!("{}: it already exists (pass -f to replace it)", what());
    }
    check_room(
        &target.client,
        &target.container,
        metadata.len(),
        replaced.unwrap_or(0),
    )
    .await
    .with_context(what)?;
    if args.source_is_hashmap {
        return upload_hashmap(&target, local, &settings)
            .await
            .with_context(what);
    }
    if args.unchunked {
        let data = tokio::fs::read(local)
            .await
            .with_context(|| format!("cannot read {}", local.display()))?;
        let bar = ByteBar::new(&target.path, data.len() as u64, settings.progress);
        let size = data.len() as u64;
        let result = target
            .client
            .put_object_bytes(
                &target.container,
                &target.path,
                Bytes::from(data),
                &settings.put_options(&target.path, args.etag.clone()),
            )
            .await;
        bar.inc(size);
        bar.finish();
        result.with_context(what)?;
    } else {
        upload_one(
            &target.client,
            &target.container,
            &target.path,
            local,
            &settings,
        )
        .await
        .with_context(what)?;
    }
    if settings.public {
        publish(
            session,
            &target.client,
            &target.container,
            &target.path,
            false,
        )
        .await?;
    }
    Ok(())
}

/// The size of an existing object, `None` when there is none.
async fn existing_size(
    client: &PithosClient,
    container: &str,
    path: &str,
) -> synnefo_core::Result<Option<u64>> {
    match client
        .object_info(container, path, &ObjectInfoOptions::default())
        .await
    {
        Ok(info) => Ok(info.modified().map(|i| i.size)),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

/// Refuses an upload the container's size limit cannot take (the server
/// would refuse it at the end); also says when the container is missing.
async fn check_room(
    client: &PithosClient,
    container: &str,
    size: u64,
    replaced: u64,
) -> Result<()> {
    let info = match client.container_info(container, None).await {
        Ok(info) => info,
        Err(error) if error.is_not_found() => bail!(
            "container {container} does not exist (create it with `snf container create \
             {container}`)"
        ),
        // Another user's container may not answer HEAD: let the server judge.
        Err(_) => return Ok(()),
    };
    if let (Some(limit), Some(used)) = (info.quota.filter(|&q| q > 0), info.bytes_used) {
        let free = limit.saturating_sub(used).saturating_add(replaced);
        if size > free {
            bail!(
                "container {container} has {} free of its {} limit, and this needs {}",
                format_size(free),
                format_size(limit),
                format_size(size)
            );
        }
    }
    Ok(())
}

async fn upload_one(
    client: &PithosClient,
    container: &str,
    path: &str,
    local: &Path,
    settings: &UploadSettings,
) -> Result<()> {
    let bar = TransferBar::new(path, settings.progress);
    let options = UploadOptions {
        put: settings.put_options(path, None),
        concurrency: settings.concurrency,
        progress: Some(bar.progress(true)),
        ..UploadOptions::default()
    };
    let result = client.upload_file(container, path, local, &options).await;
    bar.finish();
    result?;
    Ok(())
}

/// `--source-is-hashmap`: the local file holds `{"bytes": N, "hashes":
/// [...]}` of blocks the server has.
async fn upload_hashmap(target: &Target, local: &Path, settings: &UploadSettings) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct LocalHashmap {
        bytes: u64,
        hashes: Vec<String>,
    }
    let text = tokio::fs::read(local)
        .await
        .with_context(|| format!("cannot read {}", local.display()))?;
    let hashmap: LocalHashmap = serde_json::from_slice(&text).with_context(|| {
        format!(
            "{} is not a JSON hashmap ({{\"bytes\": N, \"hashes\": [...]}})",
            local.display()
        )
    })?;
    let outcome = target
        .client
        .put_hashmap(
            &target.container,
            &target.path,
            hashmap.bytes,
            &hashmap.hashes,
            &settings.put_options(&target.path, None),
        )
        .await?;
    match outcome {
        PutHashmapOutcome::Created { .. } => Ok(()),
        PutHashmapOutcome::Missing(missing) => bail!(
            "the server lacks {} of the hashmap's {} blocks: upload the data itself",
            missing.len(),
            hashmap.hashes.len()
        ),
    }
}

/// Publishes an uploaded object and prints its URL (with its name when
/// several are printed).
async fn publish(
    session: &PithosSession,
    client: &PithosClient,
    container: &str,
    path: &str,
    with_name: bool,
) -> Result<()> {
    let url = client
        .publish_object(container, path)
        .await
        .with_context(|| format!("cannot publish {container}/{path}"))?;
    let url = session.full_public_url(&url);
    if with_name {
        println!("{path}  {url}");
    } else {
        println!("{url}");
    }
    Ok(())
}

/// A local folder tree: directories (relative, parents first) and files
/// (relative path, size).
struct LocalTree {
    dirs: Vec<String>,
    files: Vec<(String, PathBuf, u64)>,
}

/// Walks `root` without following symbolic links to folders (no loops, no
/// surprises); links to files are uploaded as files.
fn walk(root: &Path) -> Result<LocalTree> {
    let mut tree = LocalTree {
        dirs: Vec::new(),
        files: Vec::new(),
    };
    let mut pending = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, relative)) = pending.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read folder {}", dir.display()))?
            .collect::<std::io::Result<_>>()
            .with_context(|| format!("cannot read folder {}", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().into_string().map_err(|name| {
                anyhow::anyhow!(
                    "cannot upload {}: the name {name:?} is not UTF-8 text",
                    path.display()
                )
            })?;
            let child = if relative.is_empty() {
                name.clone()
            } else {
                format!("{relative}/{name}")
            };
            let link = entry
                .file_type()
                .with_context(|| format!("cannot read {}", path.display()))?;
            let metadata = std::fs::metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            if metadata.is_dir() {
                if link.is_symlink() {
                    eprintln!(
                        "snf: skipping {}: a link to a folder is not followed",
                        path.display()
                    );
                } else {
                    subdirs.push((path, child));
                }
            } else if metadata.is_file() {
                tree.files.push((child, path, metadata.len()));
            } else {
                eprintln!("snf: skipping {}: not a regular file", path.display());
            }
        }
        for (path, child) in subdirs.into_iter().rev() {
            tree.dirs.push(child.clone());
            pending.push((path, child));
        }
    }
    tree.dirs.sort();
    tree.files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(tree)
}

async fn upload_tree(
    session: &PithosSession,
    target: &Target,
    local: &Path,
    settings: &UploadSettings,
    force: bool,
) -> Result<()> {
    let root = target.path.trim_end_matches('/').to_owned();
    let what = || format!("cannot upload {} to {}", local.display(), target.display());
    let tree = walk(local).with_context(what)?;
    let (client, container) = (&target.client, target.container.as_str());
    // What exists already under the root.
    let listing = ListObjectsOptions {
        prefix: Some(format!("{root}/")),
        ..ListObjectsOptions::default()
    };
    let listed: Vec<ListingEntry> = match client
        .list_objects_stream(container, &listing)
        .try_collect()
        .await
    {
        Ok(entries) => entries,
        Err(error) if error.is_not_found() => bail!(
            "{}: container {container} does not exist (create it with `snf container create \
             {container}`)",
            what()
        ),
        Err(error) => return Err(anyhow::Error::new(error).context(what())),
    };
    // What exists already under the root, with sizes.
    let existing: BTreeMap<String, u64> = listed
        .into_iter()
        .filter_map(|e| match e {
            ListingEntry::Object(o) => Some((o.name, o.bytes)),
            ListingEntry::Subdir(_) => None,
        })
        .collect();
    let object_of = |relative: &str| format!("{root}/{relative}");
    let clashes: Vec<String> = tree
        .files
        .iter()
        .map(|(relative, _, _)| object_of(relative))
        .filter(|name| existing.contains_key(name))
        .collect();
    if !clashes.is_empty() && !force {
        bail!(
            "{}: {} object(s) already exist, such as {container}/{} (pass -f to replace them)",
            what(),
            clashes.len(),
            clashes[0]
        );
    }
    let total: u64 = tree.files.iter().map(|(_, _, size)| size).sum();
    let replaced: u64 = tree
        .files
        .iter()
        .filter_map(|(relative, _, _)| existing.get(&object_of(relative)))
        .sum();
    check_room(client, container, total, replaced)
        .await
        .with_context(what)?;
    // Directory objects: the root, then each folder, parents first.
    let root_is_dir = match client
        .object_info(container, &root, &ObjectInfoOptions::default())
        .await
    {
        Ok(info) => info
            .modified()
            .and_then(|i| i.content_type)
            .is_some_and(|t| t.starts_with("application/directory")),
        Err(error) if error.is_not_found() => false,
        Err(error) => return Err(anyhow::Error::new(error).context(what())),
    };
    if !root_is_dir {
        client
            .create_directory(container, &root)
            .await
            .with_context(|| format!("cannot create directory {container}/{root}"))?;
    }
    for dir in &tree.dirs {
        let name = object_of(dir);
        if existing.contains_key(&name) {
            continue;
        }
        client
            .create_directory(container, &name)
            .await
            .with_context(|| format!("cannot create directory {container}/{name}"))?;
    }
    for (relative, path, _) in &tree.files {
        let name = object_of(relative);
        upload_one(client, container, &name, path, settings)
            .await
            .with_context(|| format!("cannot upload {} to {container}/{name}", path.display()))?;
    }
    if settings.public {
        for (relative, _, _) in &tree.files {
            publish(session, client, container, &object_of(relative), true).await?;
        }
    }
    Ok(())
}

// -------------------------------------------------------------- download

/// The `--range` list: `a-b`, `a-`, `-n`, or kamaki's `a` (= `0-a`).
fn parse_ranges(text: &str) -> Result<Vec<ByteRange>> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            if part.contains('-') {
                part.parse::<ByteRange>().map_err(anyhow::Error::new)
            } else {
                let end: u64 = part.parse().with_context(|| {
                    format!(
                        "invalid byte range {part:?}: expected START-END, START-, -COUNT or END"
                    )
                })?;
                Ok(ByteRange::Span { start: 0, end })
            }
        })
        .collect::<Result<Vec<_>>>()
        .and_then(|ranges| {
            if ranges.is_empty() {
                bail!("invalid byte ranges {text:?}: none given")
            }
            Ok(ranges)
        })
}

/// A range clipped to an object of `size` bytes (ends past the end are
/// cut; a start past the end is an error).
fn clip(range: ByteRange, size: u64) -> Result<(u64, u64)> {
    let past =
        || anyhow::anyhow!("byte range {range} starts past the end of the object ({size} bytes)");
    if size == 0 {
        return Err(past());
    }
    match range {
        ByteRange::Span { start, end } if start < size => Ok((start, end.min(size - 1))),
        ByteRange::From(start) if start < size => Ok((start, size - 1)),
        ByteRange::Last(n) => Ok((size - n.min(size), size - 1)),
        _ => Err(past()),
    }
}

/// Reads `ranges` of the object in chunks, handing each chunk to `sink`;
/// the object is pinned to one ETag so that a change midway fails.
async fn read_ranges<F>(
    target: &Target,
    ranges: &[ByteRange],
    options: ObjectInfoOptions,
    progress: bool,
    mut sink: F,
) -> Result<bool>
where
    F: FnMut(Bytes) -> Result<bool>,
{
    let (client, container, path) = (&target.client, &target.container, &target.path);
    let info = match client.object_info(container, path, &options).await? {
        Conditional::Modified(info) => info,
        Conditional::NotModified { .. } => return Ok(false),
    };
    let spans = ranges
        .iter()
        .map(|r| clip(*r, info.size))
        .collect::<Result<Vec<_>>>()?;
    let total: u64 = spans.iter().map(|(s, e)| e - s + 1).sum();
    let chunk = chunk_size(client, container).await;
    let pinned = ObjectInfoOptions {
        version: options.version,
        if_match: info.etag.clone().or(options.if_match.clone()),
        ..ObjectInfoOptions::default()
    };
    let bar = ByteBar::new(path, total, progress);
    for (start, end) in spans {
        let mut offset = start;
        while offset <= end {
            let last = end.min(offset.saturating_add(chunk - 1));
            let part = client
                .get_object_range(container, path, ByteRange::span(offset, last)?, &pinned)
                .await?
                .into_value(&target.display())?;
            bar.inc(part.data.len() as u64);
            if !sink(part.data)? {
                bar.finish();
                return Ok(true);
            }
            offset = last + 1;
        }
    }
    bar.finish();
    Ok(true)
}

fn download_options(args: &FileDownload, overwrite: bool) -> DownloadOptions {
    DownloadOptions {
        concurrency: args.threads.max(1),
        conditions: super::file::read_options(args.object_version, &args.conditions),
        overwrite,
        resume: true,
        ..DownloadOptions::default()
    }
}

/// The engine's hidden partial file for `target` (it resumes from it).
fn partial_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".into());
    target.with_file_name(format!(".{name}.snf-partial"))
}

/// Decides what to do with an existing local file: refuse, replace, or
/// (with `--resume`) let the engine reuse its blocks. Returns whether the
/// engine may overwrite.
async fn prepare_local(local: &Path, force: bool, resume: bool) -> Result<bool> {
    let Ok(metadata) = tokio::fs::symlink_metadata(local).await else {
        return Ok(false);
    };
    if metadata.is_dir() {
        bail!(
            "{} is a folder (name a file, or pass -r to download a directory)",
            local.display()
        );
    }
    if resume {
        let partial = partial_path(local);
        if !tokio::fs::try_exists(&partial).await.unwrap_or(false) && metadata.is_file() {
            // The engine resumes from its partial file: start it from the
            // existing file (a copy, so a failure leaves the file as it was).
            tokio::fs::copy(local, &partial)
                .await
                .with_context(|| format!("cannot resume {}", local.display()))?;
        }
        return Ok(true);
    }
    if force {
        return Ok(true);
    }
    bail!(
        "{} already exists (pass -f to replace it, or --resume to continue it)",
        local.display()
    )
}

async fn download_one(
    target: &Target,
    path: &str,
    local: &Path,
    options: &DownloadOptions,
    progress: bool,
) -> Result<()> {
    let bar = TransferBar::new(path, progress);
    let options = DownloadOptions {
        progress: Some(bar.progress(false)),
        ..options.clone()
    };
    let result = target
        .client
        .download_file(&target.container, path, local, &options)
        .await;
    bar.finish();
    if result? == DownloadOutcome::NotModified {
        eprintln!(
            "snf: {}/{path} was not modified; nothing was downloaded",
            target.container
        );
    }
    Ok(())
}

pub(crate) async fn download(session: &PithosSession, args: &FileDownload) -> Result<()> {
    let target = session.target(&args.pithos, &args.remote).await?;
    if args.recursive {
        return download_tree(&target, args).await;
    }
    if target.path.is_empty() {
        bail!(
            "cannot download container {}: name an object, or pass -r to download everything in it",
            target.container
        );
    }
    let what = || format!("cannot download {}", target.display());
    let name = base_name(&target.path);
    let local = match &args.local {
        Some(local) if local.is_dir() => local.join(name),
        Some(local) => local.clone(),
        None => local_path(Path::new("."), name, &target.path).with_context(what)?,
    };
    if let Some(ranges) = &args.range {
        let ranges = parse_ranges(ranges)?;
        if !args.force && tokio::fs::try_exists(&local).await.unwrap_or(false) {
            bail!(
                "{}: {} already exists (pass -f to replace it)",
                what(),
                local.display()
            );
        }
        return download_range(&target, &local, &ranges, args)
            .await
            .with_context(what);
    }
    let overwrite = prepare_local(&local, args.force, args.resume)
        .await
        .with_context(what)?;
    download_one(
        &target,
        &target.path,
        &local,
        &download_options(args, overwrite),
        !args.no_progress_bar,
    )
    .await
    .with_context(what)
}

/// `download --range`: the bytes of the ranges, in order, as the file.
async fn download_range(
    target: &Target,
    local: &Path,
    ranges: &[ByteRange],
    args: &FileDownload,
) -> Result<()> {
    let partial = partial_path(local);
    let mut file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let options = read_options(args.object_version, &args.conditions);
    let written = read_ranges(target, ranges, options, !args.no_progress_bar, |data| {
        file.write_all(&data)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        Ok(true)
    })
    .await
    .and_then(|modified| {
        file.sync_all()
            .with_context(|| format!("cannot write {}", partial.display()))?;
        Ok(modified)
    });
    drop(file);
    match written {
        Ok(true) => tokio::fs::rename(&partial, local)
            .await
            .with_context(|| format!("cannot write {}", local.display())),
        Ok(false) => {
            let _ = tokio::fs::remove_file(&partial).await;
            eprintln!(
                "snf: {} was not modified; nothing was downloaded",
                target.display()
            );
            Ok(())
        }
        Err(error) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(error)
        }
    }
}

/// One file of a recursive download.
struct Planned {
    name: String,
    local: PathBuf,
}

async fn download_tree(target: &Target, args: &FileDownload) -> Result<()> {
    let (client, container) = (&target.client, target.container.as_str());
    let what = || format!("cannot download {}", target.display());
    let root_path = target.path.trim_end_matches('/').to_owned();
    let prefix = if root_path.is_empty() {
        String::new()
    } else {
        format!("{root_path}/")
    };
    let local_root = match &args.local {
        Some(local) => local.clone(),
        None => {
            let name = if root_path.is_empty() {
                container
            } else {
                base_name(&root_path)
            };
            local_path(Path::new("."), name, &target.display()).with_context(what)?
        }
    };
    let options = ListObjectsOptions {
        prefix: (!prefix.is_empty()).then(|| prefix.clone()),
        ..ListObjectsOptions::default()
    };
    let entries: Vec<ListingEntry> = client
        .list_objects_stream(container, &options)
        .try_collect()
        .await
        .with_context(what)?;
    let objects: Vec<_> = entries
        .into_iter()
        .filter_map(|e| match e {
            ListingEntry::Object(o) => Some(o),
            ListingEntry::Subdir(_) => None,
        })
        .collect();
    if objects.is_empty() && !root_path.is_empty() {
        // Not a directory: a single object downloads as itself.
        match client
            .object_info(container, &root_path, &ObjectInfoOptions::default())
            .await
        {
            Ok(_) => {
                let local = match &args.local {
                    Some(local) if local.is_dir() => local.join(base_name(&root_path)),
                    _ => local_root.clone(),
                };
                let overwrite = prepare_local(&local, args.force, args.resume)
                    .await
                    .with_context(what)?;
                return download_one(
                    target,
                    &root_path,
                    &local,
                    &download_options(args, overwrite),
                    !args.no_progress_bar,
                )
                .await
                .with_context(what);
            }
            Err(error) => return Err(anyhow::Error::new(error).context(what())),
        }
    }
    // Plan everything before writing anything: one unsafe name refuses the
    // whole download.
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let mut files: Vec<Planned> = Vec::new();
    for object in &objects {
        let relative = &object.name[prefix.len()..];
        if relative.is_empty() {
            continue;
        }
        let local = local_path(&local_root, relative, &object.name)
            .map_err(|e| anyhow::anyhow!("{e}; nothing was downloaded"))
            .with_context(what)?;
        if object.is_directory() {
            dirs.insert(local);
        } else {
            if let Some(parent) = local.parent() {
                dirs.insert(parent.to_path_buf());
            }
            files.push(Planned {
                name: object.name.clone(),
                local,
            });
        }
    }
    dirs.insert(local_root.clone());
    // A name that is both a directory and a file cannot be written.
    for file in &files {
        if dirs.contains(&file.local) {
            bail!(
                "{}: {container}/{} is both a file and a directory; nothing was downloaded",
                what(),
                file.name
            );
        }
    }
    // Never write through a symbolic link inside the target folder.
    for path in dirs.iter().chain(files.iter().map(|f| &f.local)) {
        check_no_links(&local_root, path).with_context(what)?;
    }
    if !args.force && !args.resume {
        let clashes: Vec<&Planned> = files.iter().filter(|f| f.local.exists()).collect();
        if let Some(first) = clashes.first() {
            bail!(
                "{}: {} local file(s) already exist, such as {} (pass -f to replace them, or \
                 --resume to continue them); nothing was downloaded",
                what(),
                clashes.len(),
                first.local.display()
            );
        }
    }
    for dir in &dirs {
        if let Ok(metadata) = std::fs::symlink_metadata(dir)
            && !metadata.is_dir()
        {
            bail!("{}: {} exists and is not a folder", what(), dir.display());
        }
        tokio::fs::create_dir_all(dir)
            .await
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
    }
    for file in &files {
        let overwrite = prepare_local(&file.local, args.force, args.resume).await?;
        download_one(
            target,
            &file.name,
            &file.local,
            &download_options(args, overwrite),
            !args.no_progress_bar,
        )
        .await
        .with_context(|| format!("cannot download {container}/{}", file.name))?;
    }
    Ok(())
}

/// Refuses a path under `root` that goes through an existing symbolic link.
fn check_no_links(root: &Path, path: &Path) -> Result<()> {
    let Ok(relative) = path.strip_prefix(root) else {
        return Ok(());
    };
    let mut current = root.to_path_buf();
    for component in relative.components() {
        current.push(component);
        if let Ok(metadata) = std::fs::symlink_metadata(&current)
            && metadata.file_type().is_symlink()
        {
            bail!(
                "refusing to write through the symbolic link {}",
                current.display()
            );
        }
    }
    Ok(())
}

// ------------------------------------------------------------------- cat

pub(crate) async fn cat(session: &PithosSession, args: &FileCat) -> Result<()> {
    let target = object_target(session, &args.pithos, &args.path).await?;
    let what = || format!("cannot read {}", target.display());
    let write = |data: &[u8]| -> Result<bool> {
        let mut out = std::io::stdout().lock();
        match out.write_all(data).and_then(|()| out.flush()) {
            Ok(()) => Ok(true),
            // The reader went away (`snf file cat x | head`): stop quietly.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
            Err(error) => Err(anyhow::Error::new(error).context("cannot write to stdout")),
        }
    };
    if let Some(ranges) = &args.range {
        let ranges = parse_ranges(ranges)?;
        let options = read_options(args.object_version, &args.conditions);
        let modified = read_ranges(&target, &ranges, options, false, |data| write(&data))
            .await
            .with_context(what)?;
        if !modified {
            eprintln!("snf: {} was not modified", target.display());
        }
        return Ok(());
    }
    let options = DownloadOptions {
        concurrency: args.buffer_blocks.max(1),
        conditions: super::file::read_options(args.object_version, &args.conditions),
        ..DownloadOptions::default()
    };
    let Some(stream) = target
        .client
        .download_stream(&target.container, &target.path, &options)
        .await
        .with_context(what)?
    else {
        eprintln!("snf: {} was not modified", target.display());
        return Ok(());
    };
    let mut stream = std::pin::pin!(stream);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.with_context(what)?;
        if !write(&chunk)? {
            break;
        }
    }
    Ok(())
}

// ---------------------------------------------------- append, overwrite

pub(crate) async fn append(session: &PithosSession, args: &FileAppend) -> Result<()> {
    let target = object_target(session, &args.pithos, &args.remote).await?;
    let what = || {
        format!(
            "cannot append {} to {}",
            args.local.display(),
            target.display()
        )
    };
    let mut file = tokio::fs::File::open(&args.local)
        .await
        .with_context(what)?;
    let size = file.metadata().await.with_context(what)?.len();
    let chunk = chunk_size(&target.client, &target.container).await;
    let bar = ByteBar::new(&target.path, size, !args.no_progress_bar);
    let mut sent = 0u64;
    while sent < size {
        let len = chunk.min(size - sent);
        let data = read_exact(&mut file, len, &args.local)
            .await
            .with_context(what)?;
        // One at a time, in order: parallel appends could land reordered.
        target
            .client
            .append_object_bytes(&target.container, &target.path, data)
            .await
            .with_context(what)?;
        sent += len;
        bar.inc(len);
    }
    bar.finish();
    Ok(())
}

pub(crate) async fn overwrite(session: &PithosSession, args: &FileOverwrite) -> Result<()> {
    let target = object_target(session, &args.pithos, &args.path).await?;
    let what = || {
        format!(
            "cannot overwrite bytes {}-{} of {}",
            args.from,
            args.to,
            target.display()
        )
    };
    if args.to < args.from {
        bail!("{}: --to must not be less than --from", what());
    }
    let size = existing_size(&target.client, &target.container, &target.path)
        .await
        .with_context(what)?
        .with_context(|| format!("{}: no such object", what()))?;
    if args.from > size {
        bail!(
            "{}: --from is past the end of the object ({size} bytes)",
            what()
        );
    }
    let mut file = tokio::fs::File::open(&args.local)
        .await
        .with_context(what)?;
    let file_size = file.metadata().await.with_context(what)?.len();
    let wanted = args.to - args.from + 1;
    let total = wanted.min(file_size);
    if total == 0 {
        bail!("{}: {} is empty", what(), args.local.display());
    }
    if total < wanted {
        eprintln!(
            "snf: note: {} holds only {file_size} bytes: overwriting bytes {}-{}",
            args.local.display(),
            args.from,
            args.from + total - 1
        );
    }
    file.seek(std::io::SeekFrom::Start(0))
        .await
        .with_context(what)?;
    let chunk = chunk_size(&target.client, &target.container).await;
    let bar = ByteBar::new(&target.path, total, !args.no_progress_bar);
    let mut done = 0u64;
    while done < total {
        let len = chunk.min(total - done);
        let data = read_exact(&mut file, len, &args.local)
            .await
            .with_context(what)?;
        let start = args.from + done;
        target
            .client
            .overwrite_object_range(
                &target.container,
                &target.path,
                start,
                start + len - 1,
                data,
            )
            .await
            .with_context(what)?;
        done += len;
        bar.inc(len);
    }
    bar.finish();
    Ok(())
}

/// Reads exactly `len` bytes.
async fn read_exact(file: &mut tokio::fs::File, len: u64, path: &Path) -> Result<Bytes> {
    let len = usize::try_from(len).context("chunk too large for memory")?;
    let mut buffer = vec![0u8; len];
    file.read_exact(&mut buffer)
        .await
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Bytes::from(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_clip() {
        let ranges = parse_ranges("5,10-20,-5, 30-").unwrap();
        assert_eq!(
            ranges,
            [
                ByteRange::Span { start: 0, end: 5 },
                ByteRange::Span { start: 10, end: 20 },
                ByteRange::Last(5),
                ByteRange::From(30),
            ]
        );
        assert_eq!(clip(ranges[0], 100).unwrap(), (0, 5));
        assert_eq!(clip(ranges[1], 15).unwrap(), (10, 14));
        assert_eq!(clip(ranges[2], 3).unwrap(), (0, 2));
        assert_eq!(clip(ranges[3], 100).unwrap(), (30, 99));
        assert!(clip(ranges[3], 30).is_err());
        assert!(clip(ranges[0], 0).is_err());
        assert!(parse_ranges("").is_err());
        assert!(parse_ranges("x").is_err());
        assert!(parse_ranges("9-3").is_err());
    }

    #[test]
    fn base_names_and_partials() {
        assert_eq!(base_name("a/b/c.txt"), "c.txt");
        assert_eq!(base_name("a/b/"), "b");
        assert_eq!(base_name("c"), "c");
        assert_eq!(
            partial_path(Path::new("/tmp/x/a.txt")),
            Path::new("/tmp/x/.a.txt.snf-partial")
        );
    }
}

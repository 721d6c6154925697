//! `snf scripts verifyfs`: kamaki's contrib script that checks (and on
//! request fixes) the directory markers of a container.
//!
//! Unlike kamaki, the fixes asked for all run, in the only order that
//! works (conflicts, then backslashes, then missing markers), each on a
//! fresh listing; a renamed conflict never overwrites an existing object;
//! and the listing is complete, not its first 10,000 names.

use crate::args::{AccountArg, GlobalArgs, OutputFormat};
use crate::commands::pithos_location::{PithosSession, Target};
use crate::commands::pithos_util::confirm;
use crate::output;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use std::collections::BTreeSet;
use synnefo_pithos::{
    CopyOptions, DirectoryCheck, ListObjectsOptions, ListingEntry, ObjectEntry, check_directories,
};

/// `snf scripts` commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ScriptsCommand {
    /// Check the directory markers of a container; fix them on request.
    Verifyfs(Verifyfs),
}

/// `snf scripts verifyfs`.
#[derive(Debug, Args)]
pub(crate) struct Verifyfs {
    /// The container.
    container: String,
    #[command(flatten)]
    account: AccountArg,
    /// Rename objects whose names are folders of other objects to
    /// `NAME_orig_DATE`, so that markers can take their place.
    #[arg(long)]
    fix_conflicts: bool,
    /// Rename markers with backslashes to use slashes.
    #[arg(long = "fix-dir-names")]
    fix_names: bool,
    /// Create the missing markers.
    #[arg(long = "fix-missing-dirs")]
    fix_missing: bool,
    /// Do not ask before changing anything.
    #[arg(long)]
    yes: bool,
}

pub(crate) async fn run(global: &GlobalArgs, command: &ScriptsCommand) -> Result<()> {
    let ScriptsCommand::Verifyfs(args) = command;
    let session = PithosSession::connect(global).await?;
    let target = session
        .container_target(args.account.account.as_deref(), &args.container)
        .await?;
    let mut fixed: Vec<String> = Vec::new();
    let mut listing = objects(&target).await?;
    let mut check = check_directories(&listing);
    if args.fix_conflicts && !check.conflicts.is_empty() {
        confirm(
            &format!("rename {} conflicting objects", check.conflicts.len()),
            args.yes,
        )?;
        let taken: BTreeSet<&str> = listing.iter().map(|o| o.name.as_str()).collect();
        let today = today();
        for conflict in &check.conflicts {
            let backup = free_name(&format!("{conflict}_orig_{today}"), &taken);
            move_object(&target, conflict, &backup).await?;
            fixed.push(format!("renamed {conflict} to {backup}"));
        }
        listing = objects(&target).await?;
        check = check_directories(&listing);
    }
    if args.fix_names && !check.backslash_names.is_empty() {
        confirm(
            &format!(
                "rename {} markers with backslashes",
                check.backslash_names.len()
            ),
            args.yes,
        )?;
        let taken: BTreeSet<&str> = listing.iter().map(|o| o.name.as_str()).collect();
        for wrong in &check.backslash_names {
            let right = wrong.replace('\\', "/");
            if taken.contains(right.as_str()) {
                // Both spellings exist: the slash one is kept as it is.
                fixed.push(format!("left {wrong}: {right} exists already"));
                continue;
            }
            move_object(&target, wrong, &right).await?;
            fixed.push(format!("renamed {wrong} to {right}"));
        }
        listing = objects(&target).await?;
        check = check_directories(&listing);
    }
    if args.fix_missing && !check.missing.is_empty() && check.conflicts.is_empty() {
        confirm(
            &format!("create {} directory markers", check.missing.len()),
            args.yes,
        )?;
        // Parents sort before their children: created top down.
        for missing in &check.missing {
            target
                .client
                .create_directory(&target.container, missing)
                .await
                .with_context(|| format!("cannot create the directory marker {missing}"))?;
            fixed.push(format!("created {missing}"));
        }
        listing = objects(&target).await?;
        check = check_directories(&listing);
    }
    report(global.output, &target.container, &check, &fixed)?;
    if check.is_consistent() {
        Ok(())
    } else {
        bail!("{}", problems(&check))
    }
}

/// Every object of the container.
async fn objects(target: &Target) -> Result<Vec<ObjectEntry>> {
    let entries: Vec<ListingEntry> = target
        .client
        .list_objects_stream(&target.container, &ListObjectsOptions::default())
        .try_collect()
        .await
        .with_context(|| format!("cannot list container {}", target.container))?;
    Ok(entries
        .into_iter()
        .filter_map(|entry| match entry {
            ListingEntry::Object(object) => Some(object),
            ListingEntry::Subdir(_) => None,
        })
        .collect())
}

async fn move_object(target: &Target, from: &str, to: &str) -> Result<()> {
    target
        .client
        .move_object(
            &target.container,
            from,
            &target.container,
            to,
            &CopyOptions::default(),
        )
        .await
        .with_context(|| format!("cannot rename {from} to {to}"))?;
    Ok(())
}

/// `name`, or `name_2`, `name_3`… if it is taken.
fn free_name(name: &str, taken: &BTreeSet<&str>) -> String {
    if !taken.contains(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name}_{n}"))
        .find(|candidate| !taken.contains(candidate.as_str()))
        .unwrap_or_else(|| name.to_owned())
}

/// Today's date as `YYYY-MM-DD` (UTC), as kamaki suffixes its backups.
fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The problems left, in one line, with what to do about each.
fn problems(check: &DirectoryCheck) -> String {
    let list = |names: &BTreeSet<String>| names.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !check.conflicts.is_empty() {
        parts.push(format!(
            "objects named like folders: {} (--fix-conflicts renames them)",
            list(&check.conflicts)
        ));
    }
    if !check.backslash_names.is_empty() {
        parts.push(format!(
            "markers with backslashes: {} (--fix-dir-names)",
            list(&check.backslash_names)
        ));
    }
    if !check.missing.is_empty() {
        parts.push(format!(
            "missing directory markers: {} (--fix-missing-dirs{})",
            list(&check.missing),
            if check.conflicts.is_empty() {
                ""
            } else {
                ", after the conflicts"
            }
        ));
    }
    format!("the directory tree is inconsistent: {}", parts.join("; "))
}

fn report(
    format: OutputFormat,
    container: &str,
    check: &DirectoryCheck,
    fixed: &[String],
) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&serde_json::json!({
            "container": container,
            "directories": check.directories,
            "files": check.files,
            "conflicts": check.conflicts,
            "backslash_names": check.backslash_names,
            "missing": check.missing,
            "fixed": fixed,
        })),
        OutputFormat::Table => {
            for line in fixed {
                eprintln!(" * {line}");
            }
            println!(
                "{container}: {} directory markers, {} files{}",
                check.directories,
                check.files,
                if check.is_consistent() {
                    ", consistent"
                } else {
                    ""
                }
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_never_take_an_existing_one() {
        assert_eq!(today().len(), 10);
        let taken = BTreeSet::from(["a_orig", "a_orig_2"]);
        assert_eq!(free_name("b_orig", &taken), "b_orig");
        assert_eq!(free_name("a_orig", &taken), "a_orig_3");
    }
}

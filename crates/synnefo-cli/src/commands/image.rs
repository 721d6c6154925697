//! `snf image …`: the Plankton image registry (list, info, modify,
//! register, unregister), as kamaki's `image` group.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{
    IdFilters, MetaFilter, fields, limited, meta_matches, parse_meta_filter, table, text,
    user_filter,
};
use crate::commands::image_register::{RegisterArgs, register};
use crate::commands::pithos_location::PithosSession;
use crate::commands::pithos_util::{NameFilters, format_size, parse_key_value, parse_size};
use crate::config::Service as ConfigService;
use crate::output;
use crate::session;
use anyhow::{Context, Result};
use clap::{ArgGroup, Args, Subcommand};
use synnefo_astakos::Cloud;
use synnefo_image::{Image, ImageClient, ImageLocation, ImageMeta, ListImages, UpdateImage};
use synnefo_pithos::Conditional;

/// `snf image …`
#[derive(Debug, Subcommand)]
pub(crate) enum ImageCommand {
    /// List images (-l for status, size, owner and visibility).
    List(Box<ImageList>),
    /// Show an image's metadata (and, with --hashmap, its file's hashmap).
    Info {
        /// The image id.
        image_id: String,
        /// Show the Pithos hashmap of the image file instead.
        #[arg(long)]
        hashmap: bool,
    },
    /// Change an image: name, formats, status, visibility, properties,
    /// members.
    Modify(Box<ModifyArgs>),
    /// Register a Pithos file (uploaded first with --upload-image-file) as
    /// an image.
    Register(Box<RegisterArgs>),
    /// Unregister an image (its Pithos file stays).
    Unregister {
        /// The image id.
        image_id: String,
    },
}

/// `snf image list`
#[derive(Debug, Args)]
pub(crate) struct ImageList {
    /// Show details (status, size, disk format, owner, visibility).
    #[arg(short = 'l', long)]
    details: bool,
    /// Show at most N images.
    #[arg(short = 'n', long = "number", value_name = "N")]
    limit: Option<usize>,
    /// Number the lines.
    #[arg(long)]
    enumerate: bool,
    /// Accepted for kamaki compatibility (pipe to a pager instead).
    #[arg(long, hide = true)]
    more: bool,
    /// Only images of this container format.
    #[arg(long, value_name = "FORMAT")]
    container_format: Option<String>,
    /// Only images of this disk format.
    #[arg(long, value_name = "FORMAT")]
    disk_format: Option<String>,
    /// Only images with this status.
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Only images of at least this size (bytes, or 2GiB, 500MB…).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    size_min: Option<u64>,
    /// Only images of at most this size.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    size_max: Option<u64>,
    /// Order by FIELD (id, name, status, size, disk_format,
    /// container_format, created_at, updated_at); `-FIELD` for descending.
    #[arg(long, value_name = "[-]FIELD", allow_hyphen_values = true)]
    order: Option<String>,
    /// Only images of this owner (UUID).
    #[arg(long, value_name = "UUID")]
    owner: Option<String>,
    /// Only images of this owner (display name).
    #[arg(long, value_name = "NAME", conflicts_with = "owner")]
    owner_name: Option<String>,
    /// Only images with this property: KEY or KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY[=VALUE]", value_parser = parse_meta_filter)]
    property: Vec<MetaFilter>,
    /// Only images whose property KEY contains VALUE (any case;
    /// repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta_filter)]
    property_like: Vec<MetaFilter>,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

/// `snf image modify`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args([
    "name", "disk_format", "container_format", "status", "public", "private",
    "property_set", "property_del", "member_add", "member_del"
])))]
pub(crate) struct ModifyArgs {
    /// The image id.
    image_id: String,
    /// New name.
    #[arg(long)]
    name: Option<String>,
    /// New disk format (diskdump, extdump, ntfsdump).
    #[arg(long, value_name = "FORMAT")]
    disk_format: Option<String>,
    /// New container format (bare, aki, ari, ami, ovf).
    #[arg(long, value_name = "FORMAT")]
    container_format: Option<String>,
    /// New status (AVAILABLE, UNAVAILABLE, ERROR).
    #[arg(long)]
    status: Option<String>,
    /// Make it readable by everybody.
    #[arg(long, conflicts_with = "private")]
    public: bool,
    /// Make it readable by its owner and members only.
    #[arg(long)]
    private: bool,
    /// Set property KEY=VALUE (repeatable).
    #[arg(short = 'p', long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    property_set: Vec<(String, String)>,
    /// Delete property KEY (repeatable).
    #[arg(long, value_name = "KEY")]
    property_del: Vec<String>,
    /// Share with this user (UUID; repeatable).
    #[arg(long, value_name = "UUID")]
    member_add: Vec<String>,
    /// Stop sharing with this user (UUID; repeatable).
    #[arg(long, value_name = "UUID")]
    member_del: Vec<String>,
}

/// The cloud and its image client (`plankton_url` or the catalog's
/// `image` endpoint).
pub(crate) async fn plankton(global: &GlobalArgs) -> Result<(Cloud, ImageClient)> {
    let (cloud, settings) = session::connect_with_settings(global).await?;
    let client = session::service_client(&cloud, &settings, ConfigService::Plankton)?;
    Ok((cloud, client))
}

pub(crate) async fn run(global: &GlobalArgs, command: &ImageCommand) -> Result<()> {
    match command {
        ImageCommand::List(args) => list(global, args).await,
        ImageCommand::Info { image_id, hashmap } => {
            let (_, client) = plankton(global).await?;
            let image = client
                .get_meta(image_id)
                .await
                .with_context(|| format!("cannot show image {image_id}"))?;
            if *hashmap {
                return show_hashmap(global, &image).await;
            }
            show(global.output, &image)
        }
        ImageCommand::Modify(args) => modify(global, args).await,
        ImageCommand::Register(args) => register(global, args).await,
        ImageCommand::Unregister { image_id } => {
            let (_, client) = plankton(global).await?;
            client
                .unregister(image_id)
                .await
                .with_context(|| format!("cannot unregister image {image_id}"))
        }
    }
}

async fn list(global: &GlobalArgs, args: &ImageList) -> Result<()> {
    let (cloud, client) = plankton(global).await?;
    let owner = user_filter(&cloud, args.owner.as_deref(), args.owner_name.as_deref()).await?;
    let needs_details = args.details
        || owner.is_some()
        || !args.property.is_empty()
        || !args.property_like.is_empty();
    // Everything the API takes is sent; Plankton ignores the filters, so
    // they are all applied here too.
    let mut query = ListImages {
        name: args.filters.name.clone(),
        status: args.status.clone(),
        size_min: args.size_min,
        size_max: args.size_max,
        disk_format: args.disk_format.clone(),
        container_format: args.container_format.clone(),
        ..ListImages::default()
    };
    if let Some(order) = &args.order {
        query = query.order(order);
    }
    let images = client
        .list_public(needs_details, &query)
        .await
        .context("cannot list images")?;
    let images: Vec<Image> = images
        .into_iter()
        .filter(|i| {
            let same = |want: &Option<String>, have: &Option<String>| {
                want.is_none() || want.as_deref() == have.as_deref()
            };
            args.filters.matches(&i.name)
                && args.ids.matches(&i.id)
                && same(&args.status, &i.status)
                && same(&args.disk_format, &i.disk_format)
                && same(&args.container_format, &i.container_format)
                && same(&owner, &i.owner)
                && args
                    .size_min
                    .is_none_or(|min| i.size.is_some_and(|s| s >= min))
                && args
                    .size_max
                    .is_none_or(|max| i.size.is_some_and(|s| s <= max))
                && meta_matches(&i.properties, &args.property, &args.property_like)
        })
        .collect();
    let images = limited(images, args.limit);
    match global.output {
        OutputFormat::Json => output::json(&images),
        OutputFormat::Table if args.details => {
            let rows = images
                .iter()
                .map(|i| {
                    vec![
                        i.id.clone(),
                        i.name.clone(),
                        text(&i.status),
                        i.size.map(format_size).unwrap_or_default(),
                        text(&i.disk_format),
                        text(&i.owner),
                        text(&i.is_public),
                    ]
                })
                .collect();
            table(
                &[
                    "ID",
                    "NAME",
                    "STATUS",
                    "SIZE",
                    "DISK FORMAT",
                    "OWNER",
                    "PUBLIC",
                ],
                rows,
                args.enumerate,
            )
        }
        OutputFormat::Table => {
            let rows = images
                .iter()
                .map(|i| vec![i.id.clone(), i.name.clone()])
                .collect();
            table(&["ID", "NAME"], rows, args.enumerate)
        }
    }
}

/// Prints an image: JSON, or one line per field and property.
pub(crate) fn show(format: OutputFormat, image: &ImageMeta) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(image),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("id".to_owned(), image.id.clone()),
                ("name".to_owned(), image.name.clone()),
            ];
            let optional = [
                ("status", text(&image.status)),
                ("size", image.size.map(format_size).unwrap_or_default()),
                ("disk format", text(&image.disk_format)),
                ("container format", text(&image.container_format)),
                ("location", text(&image.location)),
                ("checksum", text(&image.checksum)),
                ("owner", text(&image.owner)),
                ("public", text(&image.is_public)),
                ("snapshot", text(&image.is_snapshot)),
                ("description", text(&image.description)),
                ("created", text(&image.created_at)),
                ("updated", text(&image.updated_at)),
            ];
            output::push_present(&mut pairs, optional);
            output::push_meta(&mut pairs, &image.properties);
            fields(&pairs)
        }
    }
}

/// `image info --hashmap`: the Pithos hashmap of the image's file.
async fn show_hashmap(global: &GlobalArgs, image: &ImageMeta) -> Result<()> {
    let text = image
        .location
        .as_deref()
        .with_context(|| format!("image {} has no location", image.id))?;
    let location = ImageLocation::parse(text)?;
    let pithos = PithosSession::connect(global).await?;
    let client = pithos.client.with_account(location.account.clone());
    let hashmap = match client
        .object_hashmap(&location.container, &location.object, &Default::default())
        .await
        .with_context(|| format!("cannot read the hashmap of {text}"))?
    {
        Conditional::Modified(hashmap) => hashmap,
        Conditional::NotModified { .. } => anyhow::bail!("the server sent no hashmap for {text}"),
    };
    match global.output {
        OutputFormat::Json => output::json(&hashmap),
        OutputFormat::Table => {
            let mut pairs = vec![
                ("block size".to_owned(), hashmap.block_size.to_string()),
                ("block hash".to_owned(), hashmap.block_hash.clone()),
                ("bytes".to_owned(), hashmap.bytes.to_string()),
            ];
            pairs.extend(
                hashmap
                    .hashes
                    .iter()
                    .enumerate()
                    .map(|(i, h)| (format!("block {i}"), h.clone())),
            );
            fields(&pairs)
        }
    }
}

async fn modify(global: &GlobalArgs, args: &ModifyArgs) -> Result<()> {
    let (_, client) = plankton(global).await?;
    let id = &args.image_id;
    let mut update = UpdateImage {
        name: args.name.clone(),
        disk_format: args.disk_format.clone(),
        container_format: args.container_format.clone(),
        status: args.status.clone(),
        is_public: (args.public || args.private).then_some(args.public),
        properties: args.property_set.iter().cloned().collect(),
        ..UpdateImage::default()
    };
    // Plankton deletes a property sent empty (kamaki's --property-del sent
    // nothing, §6 #30).
    for key in &args.property_del {
        update.delete_property(key.clone());
    }
    if !update.is_empty() {
        client
            .update_image(id, &update)
            .await
            .with_context(|| format!("cannot modify image {id}"))?;
    }
    for member in &args.member_add {
        client
            .add_member(id, member)
            .await
            .with_context(|| format!("cannot share image {id} with {member}"))?;
    }
    for member in &args.member_del {
        client
            .remove_member(id, member)
            .await
            .with_context(|| format!("cannot stop sharing image {id} with {member}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::args::Cli;
    use clap::Parser;

    fn parses(args: &[&str]) -> bool {
        let mut all = vec!["snf", "image"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).is_ok()
    }

    #[test]
    fn image_arguments() {
        assert!(parses(&[
            "list",
            "-l",
            "--order",
            "-name",
            "--size-max",
            "2GiB"
        ]));
        assert!(parses(&[
            "list",
            "--property",
            "os",
            "--property-like",
            "os=deb"
        ]));
        assert!(!parses(&["list", "--owner", "u", "--owner-name", "n"]));
        assert!(!parses(&["list", "--size-min", "big"]));
        assert!(parses(&["info", "i", "--hashmap"]));
        assert!(!parses(&["modify", "i"]));
        assert!(!parses(&["modify", "i", "--public", "--private"]));
        assert!(parses(&[
            "modify",
            "i",
            "--property-del",
            "k",
            "--member-add",
            "u"
        ]));
        assert!(!parses(&["modify", "i", "-p", "no-equals-sign"]));
        assert!(!parses(&["register", "--name", "n"]));
        assert!(parses(&[
            "register",
            "--name",
            "n",
            "--location",
            "/c/p",
            "-f",
            "-N"
        ]));
        assert!(!parses(&[
            "register",
            "--name",
            "n",
            "--location",
            "/c/p",
            "--uuid",
            "u",
            "--owner-name",
            "o"
        ]));
        assert!(parses(&["unregister", "i"]));
    }
}

//! `snf imagecompute …`: images as the compute API shows them.

use crate::args::{GlobalArgs, OutputFormat};
use crate::commands::compute_util::{
    IdFilters, MetaFilter, cyclades, fields, limited, meta_matches, parse_meta_filter, table, text,
    user_filter,
};
use crate::commands::pithos_util::{NameFilters, parse_key_value};
use crate::output;
use anyhow::{Context, Result};
use clap::{ArgGroup, Args, Subcommand};
use synnefo_compute::{Image, ListImages};

/// `snf imagecompute …`
#[derive(Debug, Subcommand)]
pub(crate) enum ImagecomputeCommand {
    /// List images (-l for status, owner and properties).
    List(Box<ImageList>),
    /// Show an image.
    Info {
        /// The image id.
        image_id: String,
    },
    /// Delete an image.
    Delete {
        /// The image id.
        image_id: String,
    },
    /// Add or delete image properties.
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args([
        "property_add", "property_del"
    ])))]
    Modify {
        /// The image id.
        image_id: String,
        /// Set property KEY=VALUE (repeatable).
        #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
        property_add: Vec<(String, String)>,
        /// Delete property KEY (repeatable).
        #[arg(long, value_name = "KEY")]
        property_del: Vec<String>,
    },
}

/// `snf imagecompute list`
#[derive(Debug, Args)]
pub(crate) struct ImageList {
    /// Show details (status, owner, public, properties).
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
    /// Only images of this user (UUID).
    #[arg(long, value_name = "UUID")]
    user_id: Option<String>,
    /// Only images of this user (display name).
    #[arg(long, value_name = "NAME", conflicts_with = "user_id")]
    user_name: Option<String>,
    /// Only images with this property: KEY or KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY[=VALUE]", value_parser = parse_meta_filter)]
    metadata: Vec<MetaFilter>,
    /// Only images whose property KEY contains VALUE (any case;
    /// repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_meta_filter)]
    metadata_like: Vec<MetaFilter>,
    #[command(flatten)]
    filters: NameFilters,
    #[command(flatten)]
    ids: IdFilters,
}

pub(crate) async fn run(global: &GlobalArgs, command: &ImagecomputeCommand) -> Result<()> {
    let (cloud, client) = cyclades(global).await?;
    match command {
        ImagecomputeCommand::List(args) => {
            let user_id =
                user_filter(&cloud, args.user_id.as_deref(), args.user_name.as_deref()).await?;
            let needs_details = args.details
                || user_id.is_some()
                || !args.metadata.is_empty()
                || !args.metadata_like.is_empty();
            // The name goes to the server too; everything is checked here
            // as well, as clouds differ in the filters they honour.
            let query = ListImages {
                name: args.filters.name.clone(),
                ..ListImages::default()
            };
            let images = if needs_details {
                client.list_images_detail(&query).await
            } else {
                client.list_images(&query).await
            }
            .context("cannot list images")?;
            let images: Vec<Image> = images
                .into_iter()
                .filter(|i| {
                    args.filters.matches(&i.name)
                        && args.ids.matches(&i.id)
                        && user_id
                            .as_deref()
                            .is_none_or(|u| i.user_id.as_deref() == Some(u))
                        && meta_matches(&i.metadata, &args.metadata, &args.metadata_like)
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
                                text(&i.user_id),
                                text(&i.public),
                                i.metadata.get("os").cloned().unwrap_or_default(),
                            ]
                        })
                        .collect();
                    table(
                        &["ID", "NAME", "STATUS", "OWNER", "PUBLIC", "OS"],
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
        ImagecomputeCommand::Info { image_id } => {
            let image = client
                .get_image_details(image_id)
                .await
                .with_context(|| format!("cannot show image {image_id}"))?;
            match global.output {
                OutputFormat::Json => output::json(&image),
                OutputFormat::Table => {
                    let mut pairs = vec![
                        ("id".to_owned(), image.id.clone()),
                        ("name".to_owned(), image.name.clone()),
                        ("status".to_owned(), text(&image.status)),
                        ("progress".to_owned(), text(&image.progress)),
                        ("owner".to_owned(), text(&image.user_id)),
                        ("public".to_owned(), text(&image.public)),
                        ("snapshot".to_owned(), text(&image.is_snapshot)),
                        ("created".to_owned(), text(&image.created)),
                        ("updated".to_owned(), text(&image.updated)),
                    ];
                    for (key, value) in &image.metadata {
                        pairs.push((format!("property {key}"), value.clone()));
                    }
                    fields(&pairs)
                }
            }
        }
        ImagecomputeCommand::Delete { image_id } => client
            .delete_image(image_id)
            .await
            .with_context(|| format!("cannot delete image {image_id}")),
        ImagecomputeCommand::Modify {
            image_id,
            property_add,
            property_del,
        } => {
            if !property_add.is_empty() {
                let metadata = property_add.iter().cloned().collect();
                client
                    .update_image_metadata(image_id, &metadata)
                    .await
                    .with_context(|| format!("cannot set properties of image {image_id}"))?;
            }
            for key in property_del {
                client
                    .delete_image_metadata(image_id, key)
                    .await
                    .with_context(|| {
                        format!("cannot delete property {key:?} of image {image_id}")
                    })?;
            }
            Ok(())
        }
    }
}

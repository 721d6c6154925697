//! `snf image register`: optionally upload the image file to Pithos+,
//! register it with Plankton, and keep its metadata next to it as
//! `<file>.meta` (kamaki's metafile), as kamaki does.

use crate::args::GlobalArgs;
use crate::commands::image::show;
use crate::commands::pithos_location::{Location, PithosSession};
use crate::commands::pithos_util::{parse_key_value, parse_size};
use crate::config::Service as ConfigService;
use crate::progress::TransferBar;
use crate::session;
use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::Args;
use serde_json::Value;
use std::path::PathBuf;
use synnefo_image::{ImageClient, ImageLocation, RegisterImage};
use synnefo_pithos::{Conditional, PithosClient, PutOptions, UploadOptions};

/// `snf image register`
#[derive(Debug, Args)]
pub(crate) struct RegisterArgs {
    /// The image name.
    #[arg(long)]
    name: String,
    /// The image file: pithos://UUID/CONTAINER/PATH or /CONTAINER/PATH
    /// (in your account, or that of --uuid / --owner-name).
    #[arg(long, value_name = "LOCATION")]
    location: String,
    /// Upload this local file to the location first.
    #[arg(long, value_name = "LOCAL")]
    upload_image_file: Option<PathBuf>,
    /// Overwrite an existing image file or metafile.
    #[arg(short = 'f', long)]
    force: bool,
    /// Read properties and formats from this local JSON metafile (as
    /// written next to registered images); options given here win.
    #[arg(long, value_name = "FILE")]
    metafile: Option<PathBuf>,
    /// Do not upload the image's metadata as LOCATION.meta.
    #[arg(long)]
    no_metafile_upload: bool,
    /// The file's Pithos hash (checked by the server).
    #[arg(long)]
    checksum: Option<String>,
    /// The container format (bare, aki, ari, ami, ovf) [server default:
    /// bare].
    #[arg(long, value_name = "FORMAT")]
    container_format: Option<String>,
    /// The disk format (diskdump, extdump, ntfsdump) [server default:
    /// diskdump].
    #[arg(long, value_name = "FORMAT")]
    disk_format: Option<String>,
    /// The file's size (Synnefo refuses any value: better left out).
    #[arg(long, value_parser = parse_size)]
    size: Option<u64>,
    /// Make the image readable by everybody.
    #[arg(long)]
    public: bool,
    /// Property KEY=VALUE (repeatable).
    #[arg(short = 'p', long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    property: Vec<(String, String)>,
    /// The account of a /CONTAINER/PATH location, by display name.
    #[arg(long, value_name = "NAME", conflicts_with = "uuid")]
    owner_name: Option<String>,
    /// The account of a /CONTAINER/PATH location, by UUID.
    #[arg(long)]
    uuid: Option<String>,
    /// No progress bar while uploading.
    #[arg(short = 'N', long)]
    no_progress_bar: bool,
}

/// The image file's location: the command's account, container and path.
async fn resolve_location(pithos: &PithosSession, args: &RegisterArgs) -> Result<ImageLocation> {
    let parsed = Location::parse(&args.location)?;
    let (Some(container), false) = (parsed.container.clone(), parsed.path.is_empty()) else {
        bail!(
            "invalid image location {:?}: expected pithos://UUID/CONTAINER/PATH or /CONTAINER/PATH",
            args.location
        );
    };
    let account = match (&parsed.account, &args.uuid, &args.owner_name) {
        (Some(account), _, _) => pithos.resolve_account(account).await?,
        (None, Some(uuid), _) => uuid.clone(),
        (None, None, Some(name)) => pithos.resolve_account(name).await?,
        (None, None, None) => pithos.client.account().to_owned(),
    };
    Ok(ImageLocation::new(account, container, parsed.path))
}

/// Fails when `container/object` exists (without `-f`).
async fn refuse_existing(client: &PithosClient, container: &str, object: &str) -> Result<()> {
    match client
        .object_info(container, object, &Default::default())
        .await
    {
        Ok(_) => bail!("{container}/{object} exists already: use -f to overwrite it"),
        Err(error) if error.is_not_found() => Ok(()),
        Err(error) => {
            Err(error).with_context(|| format!("cannot check whether {container}/{object} exists"))
        }
    }
}

/// A metafile value as text (numbers and booleans rendered).
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The first of `keys` present in `meta`, as text.
fn field(meta: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| meta.get(*k).and_then(as_text))
}

/// Fills what a metafile (an image's JSON, ours or kamaki's) says and
/// the registration does not set yet: formats, visibility, properties.
pub(crate) fn apply_metafile(register: &mut RegisterImage, meta: &Value) -> Result<()> {
    if !meta.is_object() {
        bail!("a metafile holds a JSON object");
    }
    if register.disk_format.is_none() {
        register.disk_format = field(meta, &["disk_format", "disk-format"]);
    }
    if register.container_format.is_none() {
        register.container_format = field(meta, &["container_format", "container-format"]);
    }
    if register.is_public.is_none() {
        register.is_public = field(meta, &["is_public", "is-public"])
            .map(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1"));
    }
    if let Some(properties) = meta.get("properties").and_then(Value::as_object) {
        for (key, value) in properties {
            if let Some(value) = as_text(value) {
                register.properties.entry(key.clone()).or_insert(value);
            }
        }
    }
    Ok(())
}

/// What to register: the command line first, then the metafile.
async fn registration(args: &RegisterArgs, location: ImageLocation) -> Result<RegisterImage> {
    let mut register = RegisterImage::new(&args.name, location);
    register.checksum = args.checksum.clone();
    register.container_format = args.container_format.clone();
    register.disk_format = args.disk_format.clone();
    register.size = args.size;
    register.is_public = args.public.then_some(true);
    register.properties = args.property.iter().cloned().collect();
    if let Some(path) = &args.metafile {
        let text = tokio::fs::read(path)
            .await
            .with_context(|| format!("cannot read the metafile {}", path.display()))?;
        let meta: Value = serde_json::from_slice(&text)
            .with_context(|| format!("the metafile {} is not JSON", path.display()))?;
        apply_metafile(&mut register, &meta)
            .with_context(|| format!("cannot use the metafile {}", path.display()))?;
    }
    Ok(register)
}

pub(crate) async fn register(global: &GlobalArgs, args: &RegisterArgs) -> Result<()> {
    let pithos = PithosSession::connect(global).await?;
    let settings = session::choose_cloud(global, &session::load_config(global)?)?.settings;
    let images: ImageClient =
        session::service_client(&pithos.cloud, &settings, ConfigService::Plankton)?;
    let location = resolve_location(&pithos, args).await?;
    let client = pithos.client.with_account(location.account.clone());
    let container = location.container.clone();
    let metafile = format!("{}.meta", location.object);
    if !args.force {
        if args.upload_image_file.is_some() {
            refuse_existing(&client, &container, &location.object).await?;
        }
        if !args.no_metafile_upload {
            refuse_existing(&client, &container, &metafile).await?;
        }
    }
    if let Some(local) = &args.upload_image_file {
        let bar = TransferBar::new(&location.object, !args.no_progress_bar);
        let options = UploadOptions {
            progress: Some(bar.progress(true)),
            ..UploadOptions::default()
        };
        let result = client
            .upload_file(&container, &location.object, local, &options)
            .await;
        bar.finish();
        result.with_context(|| {
            format!(
                "cannot upload {} to {container}/{}",
                local.display(),
                location.object
            )
        })?;
    }
    let register = registration(args, location.clone()).await?;
    let image = images
        .register(&register)
        .await
        .with_context(|| format!("cannot register {} as an image", args.location))?;
    if !args.no_metafile_upload {
        upload_metafile(&client, &location, &metafile, &image).await?;
    }
    show(global.output, &image)
}

/// Uploads the image's metadata (JSON, indented) as `<file>.meta`, shared
/// like the image file.
async fn upload_metafile(
    client: &PithosClient,
    location: &ImageLocation,
    metafile: &str,
    image: &synnefo_image::ImageMeta,
) -> Result<()> {
    let container = &location.container;
    let sharing = match client
        .object_info(container, &location.object, &Default::default())
        .await
        .with_context(|| format!("cannot read the sharing of {container}/{}", location.object))?
    {
        Conditional::Modified(info) => info.sharing.filter(|s| !s.is_empty()),
        Conditional::NotModified { .. } => None,
    };
    let json = serde_json::to_vec_pretty(image).context("cannot write the image's metadata")?;
    let options = UploadOptions {
        put: PutOptions {
            content_type: Some("application/json".to_owned()),
            sharing,
            ..PutOptions::default()
        },
        ..UploadOptions::default()
    };
    client
        .upload_bytes(container, metafile, Bytes::from(json), &options)
        .await
        .with_context(|| format!("cannot upload the metafile {container}/{metafile}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metafile_fills_what_the_command_line_leaves_open() {
        let mut register = RegisterImage::new("n", ImageLocation::new("u", "c", "o"));
        register.disk_format = Some("extdump".into());
        register.properties.insert("os".into(), "mine".into());
        let meta = json!({
            "disk-format": "diskdump",
            "container_format": "bare",
            "is_public": "True",
            "properties": {"os": "theirs", "users": "root", "sortorder": 3, "gone": null}
        });
        apply_metafile(&mut register, &meta).unwrap();
        assert_eq!(register.disk_format.as_deref(), Some("extdump"));
        assert_eq!(register.container_format.as_deref(), Some("bare"));
        assert_eq!(register.is_public, Some(true));
        assert_eq!(register.properties["os"], "mine");
        assert_eq!(register.properties["users"], "root");
        assert_eq!(register.properties["sortorder"], "3");
        assert!(!register.properties.contains_key("gone"));
        assert!(apply_metafile(&mut register, &json!([1])).is_err());
    }
}

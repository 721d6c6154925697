//! `POST /images`: registering a Pithos file as an image (wire §7.1).

use std::collections::BTreeSet;

use super::location::Location;
use super::meta_headers::{MetaHeaders, with_image};
use crate::compute::Ctx;
use crate::compute::image::{Image, ImageStatus, check_properties};
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::pithos::image_file::ImageFile;
use crate::request::ApiRequest;
use crate::response::{ApiResponse, ApiResult};
use crate::state::SimState;

/// The fields a registration may carry.
const REGISTER_FIELDS: &[&str] = &[
    "id",
    "name",
    "location",
    "disk-format",
    "container-format",
    "size",
    "checksum",
    "is-public",
    "owner",
    "store",
];

/// A checked registration, ready to apply.
pub(crate) struct Registration {
    meta: MetaHeaders,
    location: Location,
    file: ImageFile,
    public: bool,
    disk_format: Option<String>,
    container_format: Option<String>,
}

/// Checks a registration and reads its file from Pithos (done before the
/// Cyclades lock is taken).
pub(crate) fn prepare(
    state: &SimState,
    user: &str,
    req: &ApiRequest,
) -> Result<Registration, Fault> {
    let meta = MetaHeaders::read(req, REGISTER_FIELDS, "Invalid parameters")?;
    match meta.get("name") {
        None => return Err(Fault::bad_request("Image 'name' parameter is required")),
        Some("") => return Err(Fault::bad_request("Invalid image name")),
        Some(_) => {}
    }
    let raw_location = meta
        .get("location")
        .ok_or_else(|| Fault::bad_request("'location' parameter is required"))?;
    let location = Location::parse(raw_location)?;
    if meta.get("id").is_some() {
        return Err(Fault::bad_request("Setting the image ID is not supported"));
    }
    if let Some(store) = meta.get("store")
        && store != "pithos"
    {
        return Err(Fault::bad_request(format!("Invalid store type '{store}'")));
    }
    meta.check_owner(user)?;
    let public = meta.is_public().unwrap_or(false);
    let disk_format = meta.disk_format()?;
    let container_format = meta.container_format()?;
    check_properties(meta.properties.iter())?;
    let file = state.pithos.image_file(
        user,
        &location.account,
        &location.container,
        &location.object,
    )?;
    // Plankton compares the header text with an integer: any size fails.
    if meta.get("size").is_some() {
        return Err(Fault::bad_request("Invalid size"));
    }
    if let Some(checksum) = meta.get("checksum")
        && checksum != file.hash
    {
        return Err(Fault::bad_request("Invalid checksum"));
    }
    Ok(Registration {
        meta,
        location,
        file,
        public,
        disk_format,
        container_format,
    })
}

/// Registers (or re-registers: same file, same id, metadata merged) and
/// answers `200` with the image in headers.
pub(crate) fn register(ctx: &Ctx<'_>, world: &mut World, reg: Registration) -> ApiResult {
    let name = reg.meta.get("name").unwrap_or_default().to_owned();
    let image = world
        .images
        .entry(reg.file.uuid.clone())
        .or_insert_with(|| Image {
            id: reg.file.uuid.clone(),
            name: name.clone(),
            owner: ctx.user.to_owned(),
            public: false,
            is_snapshot: false,
            status: ImageStatus::Available,
            status_override: None,
            location: String::new(),
            checksum: String::new(),
            disk_format: "diskdump".to_owned(),
            container_format: "bare".to_owned(),
            members: BTreeSet::new(),
            size: 0,
            properties: Default::default(),
            description: String::new(),
            volume_id: None,
            created: ctx.now,
            updated: ctx.now,
            ready_at: None,
        });
    image.name = name;
    image.location = reg.location.to_url();
    image.size = reg.file.size;
    image.checksum = reg.file.hash;
    // Registering rewrites the file's read permission: earlier members go.
    image.public = reg.public;
    image.members.clear();
    if let Some(format) = reg.disk_format {
        image.disk_format = format;
    }
    if let Some(format) = reg.container_format {
        image.container_format = format;
    }
    image.properties.extend(reg.meta.properties);
    image.updated = ctx.now;
    Ok(with_image(ApiResponse::empty(200), image))
}

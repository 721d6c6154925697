//! One image: `HEAD` (metadata), `GET` (501), `PUT` (update), `DELETE`
//! (unregister) on `/images/<id>` (wire §7.3–7.5).

use super::meta_headers::{MetaHeaders, with_image};
use crate::compute::Ctx;
use crate::compute::image::check_properties;
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// The fields an update may carry.
const UPDATE_FIELDS: &[&str] = &[
    "name",
    "disk-format",
    "container-format",
    "is-public",
    "owner",
    "status",
];

/// `HEAD /images/<id>`: `200` with the image in headers.
pub(crate) fn head(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let image = world.visible_image(ctx.user, id)?;
    Ok(with_image(ApiResponse::empty(200), image))
}

/// `GET /images/<id>` (the image data): not implemented by Plankton.
pub(crate) fn get() -> ApiResult {
    Err(Fault::new(501, "Not Implemented"))
}

/// `PUT /images/<id>`: changes fields and merges properties (an empty
/// value deletes one); owner only.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let meta = MetaHeaders::read(ctx.req, UPDATE_FIELDS, "Invalid metadata")?;
    meta.check_owner(ctx.user)?;
    let public = meta.is_public();
    let disk_format = meta.disk_format()?;
    let container_format = meta.container_format()?;
    // Any status is stored as given; `HEAD` shows the ones it knows.
    let status = meta.get("status").map(str::to_owned);
    check_properties(meta.properties.iter())?;
    let image = world.own_image(ctx.user, id)?;
    if let Some(name) = meta.get("name") {
        image.name = name.to_owned();
    }
    if let Some(public) = public {
        image.public = public;
    }
    if let Some(format) = disk_format {
        image.disk_format = format;
    }
    if let Some(format) = container_format {
        image.container_format = format;
    }
    if status.is_some() {
        image.status_override = status;
    }
    for (key, value) in meta.properties {
        if value.is_empty() {
            image.properties.remove(&key);
        } else {
            image.properties.insert(key, value);
        }
    }
    image.updated = ctx.now;
    Ok(with_image(ApiResponse::empty(200), image))
}

/// `DELETE /images/<id>`: unregisters (the Pithos file stays) → `204`.
pub(crate) fn unregister(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    world.own_image(ctx.user, id)?;
    world.images.remove(id);
    Ok(ApiResponse::empty(204))
}

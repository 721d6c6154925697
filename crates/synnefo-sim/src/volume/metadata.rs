//! Volume and snapshot metadata (wire §5.1, §5.2):
//! `/volumes/<id>/metadata[/<key>]`, `/snapshots/<id>/metadata[/<key>]`.

use serde_json::json;

use super::attrs;
use crate::compute::Ctx;
use crate::compute::image::check_properties;
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

/// Most metadata items per volume.
pub(crate) const MAX_ITEMS: usize = 10;
/// Longest key.
pub(crate) const MAX_KEY: usize = 64;
/// Longest value.
pub(crate) const MAX_VALUE: usize = 255;

/// `GET /volumes/<id>/metadata`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let volume = world.volume_for(ctx.user, &id.to_string(), Fault::item_not_found)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": volume.metadata }),
    ))
}

/// `POST` (merge) or `PUT` (`reset`: replace) `/volumes/<id>/metadata`
/// `{"metadata": {...}}` → 200 with all items.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: u64, reset: bool) -> ApiResult {
    let body = ctx.req.json_body()?;
    let body = attrs::object(&body);
    let metadata =
        attrs::dict(&body, "metadata", true)?.ok_or_else(|| attrs::missing("metadata"))?;
    let items = attrs::string_map(
        metadata,
        MAX_KEY,
        MAX_VALUE,
        "Metadata key is too long.",
        "Metadata value is too long.",
    )?;
    let volume = world.live_volume(ctx.user, &id.to_string(), Fault::item_not_found)?;
    let total = if reset {
        items.len()
    } else {
        let added = items
            .iter()
            .filter(|(k, _)| !volume.metadata.contains_key(k))
            .count();
        volume.metadata.len() + added
    };
    if total > MAX_ITEMS {
        return Err(Fault::bad_request(format!(
            "Volumes cannot have more than {MAX_ITEMS} metadata items"
        )));
    }
    let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
    if reset {
        volume.metadata.clear();
    }
    volume.metadata.extend(items);
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": volume.metadata }),
    ))
}

/// `DELETE /volumes/<id>/metadata/<key>` → 200; a missing key is a 400.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: u64, key: &str) -> ApiResult {
    world.live_volume(ctx.user, &id.to_string(), Fault::item_not_found)?;
    let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
    if volume.metadata.remove(key).is_none() {
        return Err(Fault::bad_request("Metadata key not found"));
    }
    Ok(ApiResponse::empty(200))
}

/// `GET /snapshots/<id>/metadata`: the snapshot's properties.
pub(crate) fn snapshot_list(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let snapshot = world.snapshot(ctx.user, id, Fault::item_not_found)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": snapshot.properties }),
    ))
}

/// `POST`/`PUT /snapshots/<id>/metadata` → 200 with all properties.
pub(crate) fn snapshot_update(
    ctx: &Ctx<'_>,
    world: &mut World,
    id: &str,
    reset: bool,
) -> ApiResult {
    let body = ctx.req.json_body()?;
    world.snapshot(ctx.user, id, Fault::item_not_found)?;
    let body = attrs::object(&body);
    let metadata =
        attrs::dict(&body, "metadata", true)?.ok_or_else(|| attrs::missing("metadata"))?;
    let items = attrs::string_map(metadata, usize::MAX, usize::MAX, "", "")?;
    check_properties(items.iter().map(|(k, v)| (k, v)))?;
    let snapshot = world.own_image(ctx.user, id)?;
    if reset {
        snapshot.properties.clear();
    }
    snapshot.properties.extend(items);
    snapshot.updated = ctx.now;
    Ok(ApiResponse::json(
        200,
        &json!({ "metadata": snapshot.properties }),
    ))
}

/// `DELETE /snapshots/<id>/metadata/<key>` → 200, missing keys too.
pub(crate) fn snapshot_delete(ctx: &Ctx<'_>, world: &mut World, id: &str, key: &str) -> ApiResult {
    world.snapshot(ctx.user, id, Fault::item_not_found)?;
    let snapshot = world.own_image(ctx.user, id)?;
    if snapshot.properties.remove(key).is_some() {
        snapshot.updated = ctx.now;
    }
    Ok(ApiResponse::empty(200))
}

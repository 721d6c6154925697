//! Snapshots (wire §5.2): images of the owner with `is_snapshot`, taken
//! from attached `ext_*` volumes; `CREATING` for `action_delay`, then
//! `AVAILABLE`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::attrs;
use super::format::snapshot_json;
use super::model::VolumeStatus;
use crate::compute::Ctx;
use crate::compute::changes_since;
use crate::compute::image::{Image, ImageStatus, check_properties};
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::json::py_str;
use crate::response::{ApiResponse, ApiResult};

/// `GET /snapshots[/detail]`: the caller's snapshots by id
/// (`changes-since` filters; never 304, like the server).
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let snapshots: Vec<Value> = world
        .images
        .values()
        .filter(|i| i.is_snapshot && i.owner == ctx.user)
        .filter(|i| since.is_none_or(|t| i.updated >= t))
        .map(|i| snapshot_json(ctx.urls, i))
        .collect();
    Ok(ApiResponse::json(200, &json!({ "snapshots": snapshots })))
}

/// `POST /snapshots` `{"snapshot": {"volume_id", …}}` → 202.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let body = attrs::object(&body);
    let request =
        attrs::dict(&body, "snapshot", true)?.ok_or_else(|| attrs::missing("snapshot"))?;
    let volume_id = attrs::attr(request, "volume_id")
        .map(py_str)
        .ok_or_else(|| attrs::missing("volume_id"))?;
    let metadata = attrs::dict(request, "metadata", false)?
        .cloned()
        .unwrap_or_default();
    let name = attrs::string(request, "display_name", false)?.map_or_else(
        || format!("Snapshot of volume '{volume_id}'"),
        str::to_owned,
    );
    let description = attrs::string(request, "display_description", false)?
        .unwrap_or("")
        .to_owned();
    attrs::boolean(&body, "force")?;

    let volume = world.live_volume(ctx.user, &volume_id, Fault::bad_request)?;
    let Some(server) = volume.machine else {
        return Err(Fault::bad_request("Cannot snapshot a detached volume!"));
    };
    if !matches!(volume.status, VolumeStatus::Available | VolumeStatus::InUse) {
        return Err(Fault::bad_request(format!(
            "Cannot create snapshot while volume is in '{}' status",
            volume.status.name()
        )));
    }
    let vt = world
        .volume_type(volume.volume_type)
        .ok_or_else(Fault::unexpected)?;
    if !vt.disk_template.starts_with("ext_") {
        return Err(Fault::bad_request(format!(
            "Cannot take a snapshot from a volume with volume type '{}' and '{}' disk template",
            vt.id, vt.disk_template
        )));
    }
    let mut properties: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in &metadata {
        properties.insert(key.clone(), py_str(value));
    }
    properties.insert("exclude_all_tasks".to_owned(), "yes".to_owned());
    properties.insert("description".to_owned(), description.clone());
    if volume.index == Some(0)
        && let Some(server) = world.servers.get(&server)
    {
        for key in ["OS", "users"] {
            if let Some(value) = server.metadata.get(key) {
                properties.insert(key.to_owned(), value.clone());
            }
        }
    }
    check_properties(properties.iter())?;
    let (volume, size) = (volume.id, volume.size);
    let id = world.new_uuid();
    let ready = World::after(ctx.now, world.action_delay);
    if let Some(volume) = world.volumes.get_mut(&volume) {
        volume.snapshot_counter += 1;
    }
    let location = format!(
        "pithos://{}/snapshots/{}",
        ctx.user,
        crate::image::quote(&name)
    );
    let snapshot = Image {
        id: id.clone(),
        name,
        owner: ctx.user.to_owned(),
        public: false,
        is_snapshot: true,
        status: ImageStatus::Unavailable,
        status_override: None,
        location,
        checksum: String::new(),
        disk_format: "diskdump".to_owned(),
        container_format: "bare".to_owned(),
        members: std::collections::BTreeSet::new(),
        size: size << 30,
        properties,
        description,
        volume_id: Some(volume_id),
        created: ctx.now,
        updated: ctx.now,
        ready_at: Some(ready),
    };
    let reply = json!({ "snapshot": snapshot_json(ctx.urls, &snapshot) });
    world.images.insert(id, snapshot);
    Ok(ApiResponse::json(202, &reply))
}

/// `GET /snapshots/<id>`.
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let snapshot = world.snapshot(ctx.user, id, Fault::item_not_found)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "snapshot": snapshot_json(ctx.urls, snapshot) }),
    ))
}

/// `PUT /snapshots/<id>` `{"snapshot": {display_name,
/// display_description}}` → 200.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    let body = ctx.req.json_body()?;
    world.snapshot(ctx.user, id, Fault::item_not_found)?;
    let body = attrs::object(&body);
    let request =
        attrs::dict(&body, "snapshot", true)?.ok_or_else(|| attrs::missing("snapshot"))?;
    let name = attrs::string(request, "display_name", false)?.map(str::to_owned);
    let description = attrs::string(request, "display_description", false)?.map(str::to_owned);
    if name.is_none() && description.is_none() {
        return Err(Fault::bad_request("Nothing to update."));
    }
    let snapshot = world.own_image(ctx.user, id)?;
    if let Some(name) = name {
        snapshot.name = name;
    }
    if let Some(description) = description {
        snapshot.description = description;
    }
    snapshot.updated = ctx.now;
    Ok(ApiResponse::json(
        200,
        &json!({ "snapshot": snapshot_json(ctx.urls, snapshot) }),
    ))
}

/// `DELETE /snapshots/<id>` → 202.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: &str) -> ApiResult {
    world.snapshot(ctx.user, id, Fault::item_not_found)?;
    world.own_image(ctx.user, id)?;
    world.images.remove(id);
    Ok(ApiResponse::empty(202))
}

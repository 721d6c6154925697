//! Volumes (wire §5.1): list, detail, create, update, delete, reassign.

use serde_json::{Value, json};

use super::attrs;
use super::create::{SourceRequest, VolumeRequest, check, check_termination};
use super::format::volume_json;
use super::metadata::{MAX_ITEMS, MAX_KEY, MAX_VALUE};
use super::model::{VolumeChange, VolumeStatus};
use crate::compute::quota::{GIB, Resource, qty};
use crate::compute::server::JobKind;
use crate::compute::validate::{Action, validate};
use crate::compute::world::World;
use crate::compute::{Ctx, changes_since, not_modified};
use crate::fault_body::Fault;
use crate::json::py_truthy;
use crate::response::{ApiResponse, ApiResult};

/// `GET /volumes[/detail]`, with `changes-since`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, detail: bool) -> ApiResult {
    let since = changes_since(ctx.req, ctx.now)?;
    let volumes: Vec<Value> = world
        .volumes
        .values()
        .filter(|v| v.user == ctx.user)
        .filter(|v| since.map_or(!v.deleted, |t| v.updated >= t))
        .map(|v| volume_json(ctx.urls, v, detail))
        .collect();
    if since.is_some() && volumes.is_empty() {
        return Err(not_modified());
    }
    Ok(ApiResponse::json(200, &json!({ "volumes": volumes })))
}

/// `GET /volumes/<id>` (deleted volumes too).
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let volume = world.volume_for(ctx.user, &id.to_string(), Fault::item_not_found)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "volume": volume_json(ctx.urls, volume, true) }),
    ))
}

/// `POST /volumes` → 202 with the summary form only.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let body = attrs::object(&body);
    let volume = attrs::dict(&body, "volume", true)?.ok_or_else(|| attrs::missing("volume"))?;
    let name = attrs::string(volume, "display_name", true)?;
    let size_text =
        attrs::string_or_int(volume, "size", true)?.ok_or_else(|| attrs::missing("size"))?;
    let size = size_text
        .trim()
        .parse::<i128>()
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| {
            Fault::bad_request(format!(
                "Volume 'size' needs to be a positive integer value. '{size_text}' cannot be accepted."
            ))
        })?;
    let project = match attrs::attr(volume, "project") {
        Some(Value::String(p)) => p.clone(),
        Some(other) => crate::json::py_str(other),
        None => ctx.user.to_owned(),
    };
    let shared = attrs::attr(volume, "shared_to_project").is_some_and(py_truthy);
    let type_id = attrs::string_or_int(volume, "volume_type", false)?;
    let description = attrs::string(volume, "display_description", false)?.unwrap_or("");
    let metadata = attrs::dict(volume, "metadata", false)?
        .cloned()
        .unwrap_or_default();
    let text = |key: &str| attrs::attr(volume, key).map(crate::json::py_str);
    let source_volume = text("source_volid");
    let snapshot = text("snapshot_id");
    let image = text("imageRef");
    let server_id = attrs::attr(volume, "server_id").filter(|v| py_truthy(v));

    // `volumes.create`.
    let server = match server_id {
        None => None,
        Some(value) => {
            let text = crate::json::py_str(value);
            let id: u64 = text
                .trim()
                .parse()
                .map_err(|_| Fault::bad_request("Invalid server ID."))?;
            world
                .server(ctx.user, id)
                .map_err(|_| Fault::bad_request(format!("Server {text} not found")))?;
            Some(world.live_server(ctx.user, id)?.id)
        }
    };
    let volume_type = match (server, &type_id) {
        (Some(server), given) => {
            let flavor = world.servers.get(&server).map(|s| s.flavor);
            let server_type = flavor
                .and_then(|f| world.flavor(f))
                .and_then(|f| world.volume_type(f.volume_type))
                .cloned()
                .ok_or_else(Fault::unexpected)?;
            match given {
                Some(id) => {
                    let vt = world
                        .get_volume_type(id, false, Fault::bad_request)?
                        .clone();
                    if vt.template() != server_type.template() {
                        return Err(Fault::bad_request(format!(
                            "Cannot create a volume with template '{}' to a server with volume template '{}'.",
                            vt.template(),
                            server_type.template()
                        )));
                    }
                    vt
                }
                None => server_type,
            }
        }
        (None, given) => world
            .get_volume_type(
                given.as_deref().unwrap_or("None"),
                false,
                Fault::bad_request,
            )?
            .clone(),
    };
    if server.is_none() && !volume_type.detachable() {
        return Err(Fault::bad_request(format!(
            "Volume type '{}' is not detachable",
            volume_type.name
        )));
    }
    let sources = [&source_volume, &snapshot, &image]
        .iter()
        .filter(|s| s.is_some())
        .count();
    if sources > 1 {
        return Err(Fault::bad_request(
            "Volume can not have more than one source!",
        ));
    }
    if metadata.len() > MAX_ITEMS {
        return Err(Fault::bad_request(format!(
            "Volumes cannot have more than {MAX_ITEMS} metadata items"
        )));
    }
    let source = match (source_volume, snapshot, image) {
        (Some(_), ..) => SourceRequest::Volume,
        (_, Some(snapshot), _) => SourceRequest::Snapshot(snapshot),
        (_, _, Some(image)) => SourceRequest::Image(image),
        _ => SourceRequest::Blank,
    };
    let mut new = check(
        world,
        &VolumeRequest {
            user: ctx.user,
            project: &project,
            size: Some(size),
            source,
            volume_type: &volume_type,
            index: None,
            name,
            description: Some(description),
            delete_on_termination: true,
        },
    )?;
    new.metadata = attrs::string_map(
        &metadata,
        MAX_KEY,
        MAX_VALUE,
        "Metadata key is too long",
        "Metadata value is too long",
    )?
    .into_iter()
    .collect();
    let id = match server {
        Some(server) => {
            let id = world.insert_volume(ctx.user, new, None, ctx.now);
            if let Some(volume) = world.volumes.get_mut(&id) {
                volume.charged = false;
            }
            if let Err(fault) = world.attach_volume(ctx.user, server, id, ctx.now) {
                world.volumes.remove(&id);
                return Err(fault);
            }
            id
        }
        None => {
            let provisions = [(new.project.clone(), Resource::Disk, qty(new.size) * GIB)];
            world.quotas.issue(ctx.user, &provisions)?;
            let id = world.insert_volume(ctx.user, new, None, ctx.now);
            let ready = World::after(ctx.now, world.action_delay);
            if let Some(volume) = world.volumes.get_mut(&id) {
                volume.pending = Some((VolumeChange::BecomeAvailable, ready));
            }
            id
        }
    };
    let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
    volume.shared_to_project = shared;
    Ok(ApiResponse::json(
        202,
        &json!({ "volume": volume_json(ctx.urls, volume, false) }),
    ))
}

/// `PUT /volumes/<id>` `{"volume": {display_name, display_description,
/// delete_on_termination}}` → 200 with the details.
pub(crate) fn update(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let body = attrs::object(&body);
    let request = attrs::dict(&body, "volume", true)?.ok_or_else(|| attrs::missing("volume"))?;
    let name = attrs::attr(request, "display_name");
    let description = attrs::attr(request, "display_description");
    let delete = attrs::boolean(request, "delete_on_termination")?;
    if name.is_none() && description.is_none() && delete.is_none() {
        return Err(Fault::bad_request("Nothing to update."));
    }
    let volume = world.live_volume(ctx.user, &id.to_string(), Fault::item_not_found)?;
    let text = |value: Option<&Value>, key: &str, message: &str| -> Result<Option<String>, Fault> {
        match value {
            None => Ok(None),
            Some(Value::String(s)) if s.chars().count() > super::create::MAX_TEXT => {
                Err(Fault::bad_request(message))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(attrs::invalid(key)),
        }
    };
    let name = text(name, "display_name", "Volume name is too long")?;
    let description = text(
        description,
        "display_description",
        "Volume description is too long",
    )?;
    if let Some(delete) = delete {
        let vt = world
            .volume_type(volume.volume_type)
            .ok_or_else(Fault::unexpected)?;
        check_termination(vt, delete)?;
    }
    let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
    if let Some(name) = name {
        volume.name = Some(name);
    }
    if let Some(description) = description {
        volume.description = Some(description);
    }
    if let Some(delete) = delete {
        volume.delete_on_termination = delete;
    }
    volume.updated = ctx.now;
    Ok(ApiResponse::json(
        200,
        &json!({ "volume": volume_json(ctx.urls, volume, true) }),
    ))
}

/// `DELETE /volumes/<id>` → 202: an attached (non-root) volume is removed
/// from its server by a job, a detached one is `deleting` for
/// `action_delay`. `cyclades.disk` is released at once.
pub(crate) fn delete(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let volume = world.live_volume(ctx.user, &id.to_string(), Fault::item_not_found)?;
    let release = volume.charged.then(|| {
        (
            volume.project.clone(),
            Resource::Disk,
            -qty(volume.size) * GIB,
        )
    });
    match volume.machine {
        Some(server) => {
            let server = world
                .servers
                .get(&server)
                .filter(|s| !s.deleted)
                .ok_or_else(|| {
                    Fault::bad_request(format!("Virtual machine '{server}' does not exist"))
                })?;
            if !matches!(volume.status, VolumeStatus::InUse | VolumeStatus::Error) {
                return Err(Fault::bad_request(format!(
                    "Cannot delete volume while volume is in '{}' status.",
                    volume.status.name()
                )));
            }
            if volume.index == Some(0) {
                return Err(Fault::bad_request(format!(
                    "Cannot delete the root volume of server {}.",
                    server.repr()
                )));
            }
            validate(server, Action::DeleteVolume)?;
            let server = server.id;
            world.quotas.issue(ctx.user, release.as_slice())?;
            let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
            volume.charged = false;
            volume.status = if volume.delete_on_termination {
                VolumeStatus::Deleting
            } else {
                VolumeStatus::Detaching
            };
            volume.updated = ctx.now;
            world.start_job(server, JobKind::DeleteVolume { volume: id }, ctx.now);
        }
        None => {
            if !matches!(volume.status, VolumeStatus::Available | VolumeStatus::Error) {
                return Err(Fault::bad_request(format!(
                    "Volume is in invalid state: {}",
                    volume.status.name()
                )));
            }
            world.quotas.issue(ctx.user, release.as_slice())?;
            let done = World::after(ctx.now, world.action_delay);
            let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
            volume.charged = false;
            volume.status = VolumeStatus::Deleting;
            volume.pending = Some((VolumeChange::Delete, done));
            volume.updated = ctx.now;
        }
    }
    Ok(ApiResponse::empty(202))
}

/// `POST /volumes/<id>/action` `{"reassign": {"project": …}}` → 200.
pub(crate) fn action(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let Value::Object(map) = &body else {
        return Err(Fault::bad_request("Malformed request"));
    };
    let Some(name) = map.keys().next() else {
        return Err(Fault::bad_request("Malformed request"));
    };
    if name != "reassign" {
        return Err(Fault::bad_request(format!("Action {name} not supported")));
    }
    let args = attrs::dict(map, "reassign", true)?.ok_or_else(|| attrs::missing("reassign"))?;
    if attrs::attr(args, "shared_to_project").is_some_and(py_truthy) {
        return Err(Fault::new(
            403,
            "Sharing resource to the members of the project is not permitted",
        ));
    }
    let project = attrs::attr(args, "project")
        .map(crate::json::py_str)
        .ok_or_else(|| Fault::bad_request("Missing 'project' attribute."))?;
    let volume = world.live_volume(ctx.user, &id.to_string(), Fault::item_not_found)?;
    if volume.index == Some(0) {
        return Err(Fault::new(
            409,
            format!("Cannot reassign: {id} is a system volume"),
        ));
    }
    if let Some(server) = volume.machine.and_then(|s| world.servers.get(&s)) {
        validate(server, Action::Reassign)?;
    }
    if volume.project == project {
        return Ok(ApiResponse::empty(200));
    }
    if volume.charged {
        let bytes = qty(volume.size) * GIB;
        let provisions = [
            (volume.project.clone(), Resource::Disk, -bytes),
            (project.clone(), Resource::Disk, bytes),
        ];
        world.quotas.issue(ctx.user, &provisions)?;
    }
    let volume = world.volumes.get_mut(&id).ok_or_else(Fault::unexpected)?;
    volume.project = project;
    volume.updated = ctx.now;
    Ok(ApiResponse::empty(200))
}

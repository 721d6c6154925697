//! Volume attachments through compute (wire §3.6):
//! `/servers/<id>/os-volume_attachments[/<volume>]`, and the attach rules
//! the volume API shares.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::quota::{GIB, Resource, qty};
use super::server::JobKind;
use super::validate::{Action, validate};
use super::world::World;
use super::{Ctx, body_dict};
use crate::fault_body::Fault;
use crate::json::py_str;
use crate::response::{ApiResponse, ApiResult};
use crate::volume::model::{Volume, VolumeStatus};

/// Most disks per server (`GANETI_MAX_DISKS_PER_INSTANCE`).
const MAX_DISKS: usize = 8;

/// `{"id", "volumeId", "serverId", "device"}`.
fn attachment_json(volume: &Volume) -> Value {
    json!({
        "id": volume.id,
        "volumeId": volume.id,
        "serverId": volume.machine,
        "device": "",
    })
}

impl World {
    /// Attaches a volume of `user` to server `id` (`server_attachments.
    /// attach_volume`): the volume must be available (and detachable) or
    /// being created, of the server's template, and the server must have
    /// fewer than 8 disks and accept the action.
    pub(crate) fn attach_volume(
        &mut self,
        user: &str,
        id: u64,
        volume: u64,
        now: OffsetDateTime,
    ) -> Result<(), Fault> {
        let server = self.server(user, id)?;
        let record = self
            .volumes
            .get(&volume)
            .ok_or_else(|| Fault::bad_request(format!("Volume {volume} not found")))?;
        let vt = self
            .volume_type(record.volume_type)
            .ok_or_else(Fault::unexpected)?;
        match record.status {
            VolumeStatus::Available if !vt.detachable() => {
                return Err(Fault::bad_request(format!(
                    "Volume type '{}' is not detachable",
                    vt.name
                )));
            }
            VolumeStatus::Available | VolumeStatus::Creating if record.machine.is_none() => {}
            status => {
                return Err(Fault::bad_request(format!(
                    "Cannot attach volume while volume is in '{}' status.",
                    status.name()
                )));
            }
        }
        let server_vt = self
            .flavor(server.flavor)
            .and_then(|f| self.volume_type(f.volume_type))
            .ok_or_else(Fault::unexpected)?;
        if vt.template() != server_vt.template() {
            return Err(Fault::bad_request(format!(
                "Volume and server must have the same volume template. Volume has volume template'{}' while server has '{}'",
                vt.template(),
                server_vt.template()
            )));
        }
        let disks: Vec<u32> = self
            .volumes
            .values()
            .filter(|v| v.machine == Some(id) && !v.deleted)
            .filter_map(|v| v.index)
            .collect();
        if disks.len() >= MAX_DISKS {
            return Err(Fault::bad_request(
                "Maximum volumes per server limit reached",
            ));
        }
        validate(server, Action::AttachVolume)?;
        if !record.charged {
            let provisions = [(
                record.project.clone(),
                Resource::Disk,
                qty(record.size) * GIB,
            )];
            self.quotas.issue(user, &provisions)?;
        }
        let index = disks.iter().max().map_or(0, |max| max + 1);
        if let Some(record) = self.volumes.get_mut(&volume) {
            record.machine = Some(id);
            record.index = Some(index);
            record.charged = true;
            record.pending = None;
            if record.status == VolumeStatus::Available {
                record.status = VolumeStatus::Attaching;
            }
            record.updated = now;
        }
        self.start_job(id, JobKind::AttachVolume { volume }, now);
        Ok(())
    }
}

/// `GET /servers/<id>/os-volume_attachments`.
pub(crate) fn list(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    world.server(ctx.user, id)?;
    let attachments: Vec<Value> = world
        .volumes
        .values()
        .filter(|v| v.machine == Some(id) && !v.deleted)
        .map(attachment_json)
        .collect();
    Ok(ApiResponse::json(
        200,
        &json!({ "volumeAttachments": attachments }),
    ))
}

/// `POST /servers/<id>/os-volume_attachments` `{"volumeAttachment":
/// {"volumeId": …}}` → 202.
pub(crate) fn attach(ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let body = ctx.req.json_body()?;
    let attachment = body_dict(&body, "volumeAttachment")?;
    let volume = attachment
        .get("volumeId")
        .filter(|v| !v.is_null())
        .map(py_str)
        .ok_or_else(|| Fault::bad_request("Malformed request. Missing attribute 'volumeId'."))?;
    world.live_server(ctx.user, id)?;
    let volume = world.live_volume(ctx.user, &volume, Fault::bad_request)?.id;
    world.attach_volume(ctx.user, id, volume, ctx.now)?;
    let volume = world.volumes.get(&volume).ok_or_else(Fault::unexpected)?;
    Ok(ApiResponse::json(
        202,
        &json!({ "volumeAttachment": attachment_json(volume) }),
    ))
}

/// `GET /servers/<id>/os-volume_attachments/<volume>` (400 when not
/// attached there).
pub(crate) fn get(ctx: &Ctx<'_>, world: &mut World, id: u64, volume: u64) -> ApiResult {
    let server = world.server(ctx.user, id)?;
    let record = world.live_volume(ctx.user, &volume.to_string(), Fault::bad_request)?;
    if record.machine != Some(id) {
        return Err(Fault::bad_request(format!(
            "Volume '{volume}' is not attached to server '{}'",
            server.repr()
        )));
    }
    Ok(ApiResponse::json(
        200,
        &json!({ "volumeAttachment": attachment_json(record) }),
    ))
}

/// `DELETE /servers/<id>/os-volume_attachments/<volume>` → 202; the volume
/// is `detaching`, then `available`.
pub(crate) fn detach(ctx: &Ctx<'_>, world: &mut World, id: u64, volume: u64) -> ApiResult {
    let server = world.live_server(ctx.user, id)?;
    let record = world.live_volume(ctx.user, &volume.to_string(), Fault::bad_request)?;
    let vt = world
        .volume_type(record.volume_type)
        .ok_or_else(Fault::unexpected)?;
    if !vt.detachable() {
        return Err(Fault::bad_request(format!(
            "Volume type '{}' is not detachable",
            vt.name
        )));
    }
    if record.machine != Some(id) {
        return Err(Fault::bad_request(format!(
            "Volume '{volume}' is not attached to server '{}'",
            server.repr()
        )));
    }
    if !matches!(record.status, VolumeStatus::InUse | VolumeStatus::Error) {
        return Err(Fault::bad_request(format!(
            "Cannot detach volume while volume is in '{}' status.",
            record.status.name()
        )));
    }
    if record.index == Some(0) {
        return Err(Fault::bad_request(format!(
            "Cannot detach the root volume of server {}.",
            server.repr()
        )));
    }
    validate(server, Action::DetachVolume)?;
    if let Some(record) = world.volumes.get_mut(&volume) {
        record.status = VolumeStatus::Detaching;
        record.updated = ctx.now;
    }
    world.start_job(id, JobKind::DetachVolume { volume }, ctx.now);
    Ok(ApiResponse::empty(202))
}

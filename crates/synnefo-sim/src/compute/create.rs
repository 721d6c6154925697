//! `POST /servers` (wire §3.2): every check in the server's order, then
//! the server, its ports and volumes, the quota charge and the build job.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::base64;
use super::quota::{GIB, MIB, Provision, Resource, qty};
use super::server::{JobKind, OperState, Server, Tag};
use super::servers::MAX_NAME;
use super::tags::check_tag;
use super::world::{IdKind, World};
use super::{Ctx, over_limit};
use crate::fault_body::Fault;
use crate::json::{py_str, py_truthy};
use crate::response::{ApiResponse, ApiResult};
use crate::volume::create::{NewVolume, SourceRequest, VolumeRequest, check};
use crate::volume::model::VolumeStatus;

/// Most metadata items per server.
pub(crate) const MAX_METADATA: usize = 10;
/// Longest metadata key.
pub(crate) const MAX_META_KEY: usize = 50;
/// Longest metadata value.
pub(crate) const MAX_META_VALUE: usize = 500;
/// Most tags per server.
pub(crate) const MAX_TAGS: usize = 50;
/// Most personality files.
const MAX_PERSONALITY: usize = 5;
/// Largest personality file (decoded, and encoded length too).
const MAX_PERSONALITY_SIZE: usize = 10240;

/// One entry of `block_device_mapping_v2`.
#[derive(Clone, Debug)]
struct Device {
    source_type: String,
    uuid: Option<String>,
    size: Option<i128>,
    delete_on_termination: bool,
}

/// A disk of the new server: an existing volume or a new one.
enum DiskPlan {
    Existing(u64, bool),
    New(NewVolume),
}

/// Parses `block_device_mapping_v2`.
fn parse_devices(value: &Value) -> Result<Vec<Device>, Fault> {
    const TYPES: &[&str] = &["image", "volume", "blank", "snapshot"];
    let invalid = |what: &str| Fault::bad_request(format!("Block Device Mapping is Invalid{what}"));
    let Value::Array(items) = value else {
        return Err(invalid(""));
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(item) = item else {
                return Err(invalid(""));
            };
            let source_type = match item.get("source_type") {
                None | Some(Value::Null) => return Err(invalid(": Invalid source_type field")),
                Some(Value::String(t)) if TYPES.contains(&t.as_str()) => t.clone(),
                Some(_) => {
                    return Err(invalid(&format!(
                        ": source_type must be on of {}",
                        TYPES.join(", ")
                    )));
                }
            };
            let uuid = item.get("uuid").filter(|v| !v.is_null()).map(py_str);
            if uuid.is_none() && source_type != "blank" {
                return Err(invalid(&format!(": uuid of {source_type} is missing")));
            }
            let size = match item.get("volume_size") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => Some(
                    n.as_i64()
                        .map(i128::from)
                        .or_else(|| n.as_f64().map(|f| f.trunc() as i128))
                        .ok_or_else(|| invalid(": Invalid size field"))?,
                ),
                Some(Value::String(s)) => Some(
                    s.trim()
                        .parse::<i128>()
                        .map_err(|_| invalid(": Invalid size field"))?,
                ),
                Some(_) => return Err(invalid(": Invalid size field")),
            };
            let delete_on_termination = match item.get("delete_on_termination") {
                None | Some(Value::Null) => source_type != "volume",
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(invalid(": Invalid delete_on_termination field")),
            };
            Ok(Device {
                source_type,
                uuid,
                size,
                delete_on_termination,
            })
        })
        .collect()
}

/// `verify_personality`: ≤5 well-formed files of ≤10240 bytes (413 for
/// limits, 400 for the rest).
fn verify_personality(personality: &[Value]) -> Result<(), Fault> {
    const KEYS: &[&str] = &["contents", "group", "mode", "owner", "path"];
    if personality.len() > MAX_PERSONALITY {
        return Err(over_limit("Maximum number of personalities exceeded"));
    }
    let malformed = || Fault::bad_request("Malformed personality in request");
    for file in personality {
        let Value::Object(file) = file else {
            return Err(malformed());
        };
        if !file.keys().all(|k| KEYS.contains(&k.as_str())) {
            return Err(malformed());
        }
        let Some(Value::String(contents)) = file.get("contents") else {
            return Err(malformed());
        };
        if contents.len() > MAX_PERSONALITY_SIZE {
            return Err(over_limit("Maximum size of personality exceeded"));
        }
        let decoded = base64::decode(contents).ok_or_else(malformed)?;
        if decoded.len() > MAX_PERSONALITY_SIZE {
            return Err(over_limit("Maximum size of personality exceeded"));
        }
    }
    Ok(())
}

/// `is_password_strong`: ≥10 characters with upper, lower and digit.
fn strong(password: &str) -> bool {
    password.chars().count() >= 10
        && password.chars().any(char::is_uppercase)
        && password.chars().any(char::is_lowercase)
        && password.chars().any(|c| c.is_ascii_digit())
}

/// An optional member that must be a list (400 `Malformed request`).
fn list_member<'a>(server: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], Fault> {
    match server.get(key) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(Fault::bad_request("Malformed request")),
    }
}

/// An optional member that must be a string or null.
fn string_member<'a>(server: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Fault> {
    match server.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Fault::bad_request("Malformed request")),
    }
}

/// `POST /servers`.
pub(crate) fn create(ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let body = ctx.req.json_body()?;
    let malformed = || Fault::bad_request("Malformed request");
    let server = body
        .get("server")
        .and_then(Value::as_object)
        .ok_or_else(malformed)?;
    let name = server.get("name").ok_or_else(malformed)?;
    let metadata = match server.get("metadata") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(malformed()),
    };
    let tags = list_member(server, "tags")?;
    let image_ref = server.get("imageRef").ok_or_else(malformed)?;
    let flavor_ref = server.get("flavorRef").ok_or_else(malformed)?;
    let personality = list_member(server, "personality")?;
    let networks = match server.get("networks") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(items),
        Some(_) => return Err(malformed()),
    };
    let project = string_member(server, "project")?
        .unwrap_or(ctx.user)
        .to_owned();
    let shared = server.get("shared_to_project").is_some_and(py_truthy);
    let key_name = string_member(server, "key_name")?;
    let password = string_member(server, "adminPass")?;
    let user_data = string_member(server, "user_data")?.unwrap_or("");
    let key_names = list_member(server, "SNF:key_names")?;

    let devices = match server.get("block_device_mapping_v2") {
        None | Some(Value::Null) => None,
        Some(value) => Some(parse_devices(value)?),
    };
    verify_personality(personality)?;
    if !base64::is_base64(user_data) {
        return Err(Fault::bad_request("Marformed user_data request"));
    }
    let flavor = world
        .get_flavor(flavor_ref, &ctx.projects, false, Some(&project))?
        .clone();
    if !flavor.allow_create {
        return Err(Fault::new(
            403,
            format!(
                "It is not allowed to create a server from flavor with id '{}', see 'allow_create' flavor attribute",
                flavor.id
            ),
        ));
    }
    let password = match password.filter(|p| !p.is_empty()) {
        Some(p) if !strong(p) => {
            return Err(Fault::bad_request(
                "Password not strong (must contain upper case, lower case, digits and be at least 10 characters!",
            ));
        }
        Some(p) => p.to_owned(),
        None => world.random_password(),
    };
    let key_names: Vec<String> = match key_name {
        Some(_) if !key_names.is_empty() => {
            return Err(Fault::bad_request(
                "Only one of the SNF:key_names andkey_name can be set",
            ));
        }
        Some(name) => vec![name.to_owned()],
        None => {
            let mut names: Vec<String> = Vec::new();
            for name in key_names {
                let name = name.as_str().ok_or_else(malformed)?.to_owned();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            names
        }
    };
    let tags: Vec<String> = tags
        .iter()
        .map(|t| t.as_str().map(str::to_owned).ok_or_else(malformed))
        .collect::<Result<_, _>>()?;

    // `servers.create`.
    let Value::String(name) = name else {
        return Err(malformed());
    };
    if name.chars().count() > MAX_NAME {
        return Err(Fault::bad_request("Server name is too long"));
    }
    let root_source = devices.as_ref().and_then(|d| d.first()).and_then(|d| {
        matches!(d.source_type.as_str(), "image" | "snapshot")
            .then(|| d.uuid.clone())
            .flatten()
    });
    let image_ref = Some(py_str(image_ref)).filter(|_| py_truthy(image_ref));
    let image_id = match (image_ref, root_source) {
        (Some(image), Some(root)) if image != root => {
            return Err(Fault::bad_request(
                "The specified server's image is different from the the source of the first volume.",
            ));
        }
        (Some(image), _) => image,
        (None, Some(root)) => root,
        (None, None) => {
            return Err(Fault::bad_request(
                "You need to specify either an image or a block device mapping.",
            ));
        }
    };
    if metadata.len() > MAX_METADATA {
        return Err(Fault::bad_request(format!(
            "Virtual Machines cannot have more than {MAX_METADATA} metadata items"
        )));
    }
    if tags.len() > MAX_TAGS {
        return Err(Fault::bad_request(format!(
            "Virtual Machines cannot have more than {MAX_TAGS} tags"
        )));
    }
    world
        .visible_image(ctx.user, &image_id)
        .map_err(|_| Fault::item_not_found(format!("Image '{image_id}' not found")))?;
    let devices = devices.filter(|d| !d.is_empty()).unwrap_or_else(|| {
        vec![Device {
            source_type: "image".to_owned(),
            uuid: Some(image_id.clone()),
            size: Some(qty(flavor.disk)),
            delete_on_termination: true,
        }]
    });
    if devices[0].source_type == "blank" {
        return Err(Fault::bad_request("Root volume cannot be blank"));
    }
    for key in &key_names {
        if !world
            .keypairs
            .contains_key(&(ctx.user.to_owned(), key.clone()))
        {
            return Err(Fault::item_not_found(format!("Keypair {key} not found.")));
        }
    }

    // `_db_create_server`.
    let ports = world.plan_ports(ctx.user, networks)?;
    let disks = plan_disks(ctx, world, &devices, &project, flavor.volume_type)?;
    let mut meta = BTreeMap::new();
    for (key, value) in &metadata {
        let Value::String(value) = value else {
            return Err(malformed());
        };
        if key.chars().count() > MAX_META_KEY {
            return Err(Fault::bad_request("Metadata key is too long"));
        }
        if value.chars().count() > MAX_META_VALUE {
            return Err(Fault::bad_request("Metadata value is too long"));
        }
        meta.insert(key.clone(), value.clone());
    }
    for tag in &tags {
        check_tag(tag)?;
    }
    let new_disk: i128 = disks
        .iter()
        .map(|d| match d {
            DiskPlan::New(v) => qty(v.size) * GIB,
            DiskPlan::Existing(..) => 0,
        })
        .sum();
    let provisions: Vec<Provision> = vec![
        (project.clone(), Resource::Vm, 1),
        (project.clone(), Resource::TotalCpu, qty(flavor.cpu)),
        (project.clone(), Resource::Cpu, qty(flavor.cpu)),
        (project.clone(), Resource::TotalRam, qty(flavor.ram) * MIB),
        (project.clone(), Resource::Ram, qty(flavor.ram) * MIB),
        (project.clone(), Resource::Disk, new_disk),
    ];
    world.quotas.issue(ctx.user, &provisions)?;

    // Everything checked: record it.
    let now = ctx.now;
    let id = world.ids.next(IdKind::Server);
    let build_done = World::after(now, world.build_delay);
    let fail_build = world.failing_builds > 0;
    world.failing_builds = world.failing_builds.saturating_sub(1);
    world.servers.insert(
        id,
        Server {
            id,
            name: name.clone(),
            user: ctx.user.to_owned(),
            project,
            shared_to_project: shared,
            flavor: flavor.id,
            image: image_id,
            key_names,
            operstate: OperState::Build,
            deleted: false,
            build_percentage: 0,
            task: None,
            fail_build,
            metadata: meta,
            tags: tags
                .into_iter()
                .map(|name| Tag {
                    name,
                    active_at: build_done,
                })
                .collect(),
            diagnostics: Vec::new(),
            created: now,
            updated: now,
        },
    );
    world.apply_ports(ctx.user, id, ports, now);
    for (index, disk) in disks.into_iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        match disk {
            DiskPlan::Existing(volume, delete) => {
                if let Some(volume) = world.volumes.get_mut(&volume) {
                    volume.machine = Some(id);
                    volume.index = Some(index);
                    volume.delete_on_termination = delete;
                    volume.updated = now;
                }
            }
            DiskPlan::New(new) => {
                world.insert_volume(ctx.user, new, Some((id, index)), now);
            }
        }
    }
    world.passwords.insert(id, password.clone());
    world.start_job(id, JobKind::Build, now);
    let server = world.server(ctx.user, id)?;
    let mut detail = world.server_detail(ctx.urls, server, now);
    detail["status"] = json!("BUILD");
    detail["adminPass"] = json!(password);
    Ok(ApiResponse::json(202, &json!({ "server": detail })))
}

/// Checks the disks of a new server.
fn plan_disks(
    ctx: &Ctx<'_>,
    world: &World,
    devices: &[Device],
    project: &str,
    volume_type: u64,
) -> Result<Vec<DiskPlan>, Fault> {
    let Some(vt) = world.volume_type(volume_type) else {
        return Err(Fault::unexpected());
    };
    let mut plans = Vec::new();
    for (index, device) in devices.iter().enumerate() {
        let uuid = device.uuid.clone().unwrap_or_default();
        if device.source_type == "volume" {
            let volume = world.volume_for(ctx.user, &uuid, Fault::bad_request)?;
            if volume.deleted {
                return Err(Fault::bad_request(format!(
                    "Volume '{uuid}' has been deleted."
                )));
            }
            if volume.volume_type != vt.id {
                return Err(Fault::bad_request(format!(
                    "Volume '{}' has type '{}' while flavor's volume type is '{}'",
                    volume.id, volume.volume_type, vt.id
                )));
            }
            if volume.status != VolumeStatus::Available || volume.machine.is_some() {
                return Err(Fault::bad_request(format!(
                    "Cannot use volume while it is in {} status",
                    volume.status.name()
                )));
            }
            plans.push(DiskPlan::Existing(volume.id, device.delete_on_termination));
            continue;
        }
        let source = match device.source_type.as_str() {
            "image" => SourceRequest::Image(uuid),
            "snapshot" => SourceRequest::Snapshot(uuid),
            _ => SourceRequest::Blank,
        };
        let new = check(
            world,
            &VolumeRequest {
                user: ctx.user,
                project,
                size: device.size,
                source,
                volume_type: vt,
                index: Some(u32::try_from(index).unwrap_or(u32::MAX)),
                name: None,
                description: None,
                delete_on_termination: device.delete_on_termination,
            },
        )?;
        plans.push(DiskPlan::New(new));
    }
    Ok(plans)
}

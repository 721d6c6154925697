//! Volume types (wire §5.3): `/types`, `/types/<id>`.

use serde_json::{Value, json};

use super::format::type_json;
use super::model::VolumeType;
use crate::compute::Ctx;
use crate::compute::world::World;
use crate::fault_body::Fault;
use crate::response::{ApiResponse, ApiResult};

impl World {
    /// `util.get_volume_type`: an integer id (400 otherwise), deleted types
    /// only with `include_deleted`, `not_found(message)` when there is none.
    pub(crate) fn get_volume_type(
        &self,
        id: &str,
        include_deleted: bool,
        not_found: impl Fn(String) -> Fault,
    ) -> Result<&VolumeType, Fault> {
        let parsed: u64 = id
            .trim()
            .parse()
            .map_err(|_| Fault::bad_request(format!("Invalid volume type id: {id}")))?;
        self.volume_types
            .iter()
            .find(|t| t.id == parsed && (include_deleted || !t.deleted))
            .ok_or_else(|| not_found(format!("Volume type {parsed} not found")))
    }
}

/// `GET /types`.
pub(crate) fn list(_ctx: &Ctx<'_>, world: &mut World) -> ApiResult {
    let types: Vec<Value> = world
        .volume_types
        .iter()
        .filter(|t| !t.deleted)
        .map(type_json)
        .collect();
    Ok(ApiResponse::json(200, &json!({ "volume_types": types })))
}

/// `GET /types/<id>` (deleted types too).
pub(crate) fn get(_ctx: &Ctx<'_>, world: &mut World, id: u64) -> ApiResult {
    let volume_type = world.get_volume_type(&id.to_string(), true, Fault::item_not_found)?;
    Ok(ApiResponse::json(
        200,
        &json!({ "volume_type": type_json(volume_type) }),
    ))
}

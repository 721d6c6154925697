//! Finding a user's volume by the id in a URL or body (`util.get_volume`).

use super::model::Volume;
use crate::compute::world::World;
use crate::fault_body::Fault;

impl World {
    /// A volume of `user`: 400 `Invalid volume id` for a non-integer id,
    /// `not_found(message)` when there is none.
    pub(crate) fn volume_for(
        &self,
        user: &str,
        id: &str,
        not_found: impl Fn(String) -> Fault,
    ) -> Result<&Volume, Fault> {
        let parsed: u64 = id
            .trim()
            .parse()
            .map_err(|_| Fault::bad_request(format!("Invalid volume id: {id}")))?;
        self.volumes
            .get(&parsed)
            .filter(|v| v.user == user)
            .ok_or_else(|| not_found(format!("Volume {parsed} not found")))
    }

    /// As [`World::volume_for`], refusing deleted volumes (400).
    pub(crate) fn live_volume(
        &self,
        user: &str,
        id: &str,
        not_found: impl Fn(String) -> Fault,
    ) -> Result<&Volume, Fault> {
        let volume = self.volume_for(user, id, not_found)?;
        if volume.deleted {
            return Err(Fault::bad_request(format!(
                "Volume '{}' has been deleted.",
                volume.id
            )));
        }
        Ok(volume)
    }
}

//! What Plankton reads of a Pithos object it registers as an image: the
//! current version's size, Merkle hash and UUID, after Plankton's access
//! checks (wire §7.1).

use super::Pithos;
use super::object_read::check_read;
use crate::fault_body::Fault;

/// The Pithos facts of an image file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ImageFile {
    /// The object's UUID (the image id).
    pub(crate) uuid: String,
    /// Bytes.
    pub(crate) size: u64,
    /// Merkle root, hex (the image checksum).
    pub(crate) hash: String,
}

impl Pithos {
    /// The current version of `account/container/name` for `user`, who
    /// must own it: `404` when it does not exist, `403` when it is
    /// another user's (readable or not, as Pithos refuses the access or
    /// Plankton the permission rewrite).
    pub(crate) fn image_file(
        &self,
        user: &str,
        account: &str,
        container: &str,
        name: &str,
    ) -> Result<ImageFile, Fault> {
        let store = self.read();
        let version = store
            .node(account, container, name)
            .and_then(|node| node.current())
            .ok_or_else(|| Fault::item_not_found(format!("Object {name} not found")))?;
        if user != account {
            check_read(&store, user, account, container, name)?;
            return Err(Fault::new(
                403,
                "Only the owner of an object can register it as an image",
            ));
        }
        Ok(ImageFile {
            uuid: version.uuid.clone(),
            size: version.size,
            hash: version.hash.clone(),
        })
    }
}

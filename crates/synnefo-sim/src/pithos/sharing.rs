//! Object permissions (`X-Object-Sharing`), their inheritance from
//! directory objects, and who may read or write what (wire §6.13).

use crate::fault_body::Fault;

use super::store::{ObjectNode, Store};

/// Read and write lists of an object path. Entries are user UUIDs,
/// `<owner>:<group>` or `*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Permissions {
    /// Who may read.
    pub(crate) read: Vec<String>,
    /// Who may write (and read).
    pub(crate) write: Vec<String>,
}

impl Permissions {
    /// Whether nothing is granted (setting this clears the permissions).
    pub(crate) fn is_empty(&self) -> bool {
        self.read.is_empty() && self.write.is_empty()
    }

    /// The `X-Object-Sharing` form: `read=a,b; write=c`.
    pub(crate) fn header_value(&self) -> String {
        let mut parts = Vec::new();
        if !self.read.is_empty() {
            parts.push(format!("read={}", self.read.join(",")));
        }
        if !self.write.is_empty() {
            parts.push(format!("write={}", self.write.join(",")));
        }
        parts.join("; ")
    }
}

/// What a user may do with an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Access {
    /// Read only.
    Read,
    /// Read and write.
    Write,
}

impl Access {
    /// The `X-Object-Allowed-To` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// Parses an `X-Object-Sharing` value like the server: `~` and spaces are
/// dropped, entries lower-cased and deduplicated, `*` absorbs the others,
/// a user in both lists keeps only write; an empty value means "no
/// permissions".
pub(crate) fn parse_sharing(value: &str) -> Result<Permissions, Fault> {
    let cleaned: String = value.chars().filter(|&c| c != '~' && c != ' ').collect();
    let mut permissions = Permissions::default();
    if cleaned.is_empty() {
        return Ok(permissions);
    }
    for part in cleaned.split(';') {
        let (list, target) = if let Some(list) = part.strip_prefix("read=") {
            (list, &mut permissions.read)
        } else if let Some(list) = part.strip_prefix("write=") {
            (list, &mut permissions.write)
        } else {
            return Err(Fault::bad_request(
                "Bad X-Object-Sharing header value: missing prefix",
            ));
        };
        let mut entries: Vec<String> = list
            .split(',')
            .filter(|entry| !entry.is_empty())
            .map(str::to_lowercase)
            .collect();
        entries.sort();
        entries.dedup();
        if entries.iter().any(|entry| entry == "*") {
            entries = vec!["*".to_owned()];
        }
        if entries.is_empty() {
            return Err(Fault::bad_request(
                "Bad X-Object-Sharing header value: invalid length",
            ));
        }
        *target = entries;
    }
    let write = permissions.write.clone();
    permissions
        .read
        .retain(|entry| entry == "*" || !write.contains(entry));
    Ok(permissions)
}

/// Whether `entries` name `user` (directly, through a group of its owner,
/// or with `*`).
fn names_user(store: &Store, entries: &[String], user: &str) -> bool {
    entries.iter().any(|entry| {
        entry == "*"
            || entry == user
            || entry
                .split_once(':')
                .is_some_and(|(owner, group)| store.in_group(owner, group, user))
    })
}

/// What `permissions` grant `user`.
pub(crate) fn granted(store: &Store, permissions: &Permissions, user: &str) -> Option<Access> {
    if names_user(store, &permissions.write, user) {
        Some(Access::Write)
    } else if names_user(store, &permissions.read, user) {
        Some(Access::Read)
    } else {
        None
    }
}

/// The permissions that apply to an object path: its own, else those of the
/// closest directory object above it (`a/b/c` looks at `a/b/`, `a/b`, `a/`,
/// `a`). Returns the name of the path they are set on.
pub(crate) fn effective<'s>(
    store: &'s Store,
    account: &str,
    container: &str,
    name: &str,
) -> Option<(String, &'s Permissions)> {
    let container = store.container(account, container)?;
    let own = |name: &str| -> Option<&'s ObjectNode> {
        container
            .objects
            .get(name)
            .filter(|node| node.permissions.as_ref().is_some_and(|p| !p.is_empty()))
    };
    if let Some(permissions) = own(name).and_then(|node| node.permissions.as_ref()) {
        return Some((name.to_owned(), permissions));
    }
    // Every leading run of path segments, with and without a trailing
    // slash, closest (longest) first.
    let trimmed = name.trim_end_matches('/');
    let mut candidates = Vec::new();
    for (at, _) in trimmed.match_indices('/').chain([(trimmed.len(), "")]) {
        let sub = &trimmed[..at];
        if sub.is_empty() {
            continue;
        }
        candidates.push(sub.to_owned());
        candidates.push(format!("{sub}/"));
    }
    candidates.sort();
    candidates.reverse();
    candidates
        .iter()
        .filter(|candidate| candidate.as_str() != name)
        .find_map(|candidate| {
            let node = own(candidate).filter(|node| node.is_directory())?;
            Some((candidate.clone(), node.permissions.as_ref()?))
        })
}

/// What `user` may do with an object of another account through sharing.
#[cfg(test)]
pub(crate) fn access(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
    name: &str,
) -> Option<Access> {
    let (_, permissions) = effective(store, account, container, name)?;
    granted(store, permissions, user)
}

/// Names in a container whose own permissions grant `user` something,
/// with whether each is a directory (then everything under `<name>/` is
/// accessible too).
pub(crate) fn granted_paths(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
) -> Vec<(String, bool)> {
    let Some(c) = store.container(account, container) else {
        return Vec::new();
    };
    c.objects
        .iter()
        .filter(|(_, node)| {
            node.permissions
                .as_ref()
                .is_some_and(|p| granted(store, p, user).is_some())
        })
        .map(|(name, node)| (name.clone(), node.is_directory()))
        .collect()
}

/// Whether anything in a container is shared with `user`.
pub(crate) fn container_shared_with(
    store: &Store,
    user: &str,
    account: &str,
    container: &str,
) -> bool {
    store.container(account, container).is_some_and(|c| {
        c.objects.values().any(|node| {
            node.permissions
                .as_ref()
                .is_some_and(|p| granted(store, p, user).is_some())
        })
    })
}

/// Whether anything in an account is shared with `user`.
pub(crate) fn account_shared_with(store: &Store, user: &str, account: &str) -> bool {
    store.accounts.get(account).is_some_and(|a| {
        a.containers
            .keys()
            .any(|c| container_shared_with(store, user, account, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        let p = parse_sharing("read=B, a ;write=c,A").unwrap();
        assert_eq!(p.read, vec!["b"]);
        assert_eq!(p.write, vec!["a", "c"]);
        assert_eq!(p.header_value(), "read=b; write=a,c");
        let p = parse_sharing("read=*,x").unwrap();
        assert_eq!(p.read, vec!["*"]);
        assert!(parse_sharing("").unwrap().is_empty());
        assert!(parse_sharing(" ~ ").unwrap().is_empty());
        assert_eq!(
            parse_sharing("read=").unwrap_err().message,
            "Bad X-Object-Sharing header value: invalid length"
        );
        assert_eq!(
            parse_sharing("foo=a").unwrap_err().message,
            "Bad X-Object-Sharing header value: missing prefix"
        );
        assert!(parse_sharing("read=a;").is_err());
        let p = parse_sharing("read=a;write=a").unwrap();
        assert!(p.read.is_empty());
        assert_eq!(p.header_value(), "write=a");
    }

    #[test]
    fn inheritance_from_directories() {
        use crate::pithos::store::{Cluster, Container, Meta, Policy, Version};
        use std::sync::Arc;
        let version = |content_type: &str| Version {
            serial: 1,
            mtime: 1,
            size: 0,
            content_type: content_type.into(),
            hash: String::new(),
            hashmap: Arc::new(Vec::new()),
            checksum: String::new(),
            muser: "o".into(),
            uuid: "u".into(),
            cluster: Cluster::Normal,
            meta: Arc::new(Meta::new()),
        };
        let mut store = Store::default();
        let account = store.account_mut("o");
        let mut c = Container::new(0, Policy::default_for("o"));
        c.push_version("dir", version("application/directory"));
        c.push_version("file", version("text/plain"));
        c.push_version("dir/sub/x", version("text/plain"));
        let perms = parse_sharing("read=u").unwrap();
        for name in ["dir", "file"] {
            c.objects.get_mut(name).unwrap().permissions = Some(perms.clone());
        }
        account.containers.insert("c".into(), c);
        assert_eq!(
            effective(&store, "o", "c", "dir/sub/x").map(|(p, _)| p),
            Some("dir".to_owned())
        );
        assert_eq!(access(&store, "u", "o", "c", "dir/new"), Some(Access::Read));
        assert_eq!(access(&store, "u", "o", "c", "file/x"), None);
        assert_eq!(access(&store, "v", "o", "c", "file"), None);
        assert!(account_shared_with(&store, "u", "o"));
        assert_eq!(granted_paths(&store, "u", "o", "c").len(), 2);
    }
}

//! Whether a container's directory markers form a consistent tree (kamaki's
//! `scripts verifyfs`): every folder of a name has its marker, no folder of
//! a name is a plain object, and no marker has a backslash for a slash.
//!
//! Pithos+ has no real folders: `a/b/c` is one object, and clients (the web
//! UI, file-system mounts) expect an `application/directory` object at `a`
//! and `a/b`. Uploads by tools that skip them, or from Windows paths, leave
//! trees those clients show wrongly.

use crate::ObjectEntry;
use std::collections::BTreeSet;

/// What [`check_directories`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DirectoryCheck {
    /// Directory markers.
    pub directories: usize,
    /// Other objects (files), empty ones included.
    pub files: usize,
    /// Folders of some name that are plain objects, not markers (they
    /// must be renamed before a marker can take their place).
    pub conflicts: BTreeSet<String>,
    /// Directory markers with a backslash in their name (a Windows path).
    pub backslash_names: BTreeSet<String>,
    /// Folders of some name that have no marker.
    pub missing: BTreeSet<String>,
}

impl DirectoryCheck {
    /// Whether nothing needs fixing.
    pub fn is_consistent(&self) -> bool {
        self.conflicts.is_empty() && self.backslash_names.is_empty() && self.missing.is_empty()
    }
}

/// Checks the objects of one container (all of them, as a full listing
/// gives them).
pub fn check_directories<'a>(objects: impl IntoIterator<Item = &'a ObjectEntry>) -> DirectoryCheck {
    let mut directories = BTreeSet::new();
    let mut files = BTreeSet::new();
    for object in objects {
        if object.is_directory() {
            directories.insert(object.name.as_str());
        } else {
            files.insert(object.name.as_str());
        }
    }
    let mut check = DirectoryCheck {
        directories: directories.len(),
        files: files.len(),
        ..DirectoryCheck::default()
    };
    for name in files.iter().chain(directories.iter()) {
        for (end, _) in name.match_indices('/') {
            let folder = &name[..end];
            if folder.is_empty() {
                continue; // a leading slash: no folder named ""
            }
            if files.contains(folder) {
                check.conflicts.insert(folder.to_owned());
            } else if !directories.contains(folder) {
                check.missing.insert(folder.to_owned());
            }
        }
    }
    check.backslash_names = directories
        .iter()
        .filter(|d| d.contains('\\'))
        .map(|d| (*d).to_owned())
        .collect();
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, directory: bool) -> ObjectEntry {
        let json = serde_json::json!({
            "name": name,
            "bytes": 0,
            "content_type": if directory { "application/directory" } else { "text/plain" },
        });
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn finds_missing_conflicting_and_backslashed_folders() {
        let objects = [
            entry("docs", true),
            entry("docs/a/b.txt", false),
            entry("notes", false),
            entry("notes/x.txt", false),
            entry(r"win\dir", true),
            entry("top.txt", false),
        ];
        let check = check_directories(&objects);
        assert_eq!(check.directories, 2);
        assert_eq!(check.files, 4);
        assert_eq!(check.missing, BTreeSet::from(["docs/a".to_owned()]));
        assert_eq!(check.conflicts, BTreeSet::from(["notes".to_owned()]));
        assert_eq!(
            check.backslash_names,
            BTreeSet::from([r"win\dir".to_owned()])
        );
        assert!(!check.is_consistent());
    }

    #[test]
    fn a_full_tree_is_consistent() {
        let objects = [
            entry("a", true),
            entry("a/b", true),
            entry("a/b/c.txt", false),
            entry("/odd", false),
        ];
        assert!(check_directories(&objects).is_consistent());
    }
}

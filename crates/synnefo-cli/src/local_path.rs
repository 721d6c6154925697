//! Mapping object names to local paths without ever leaving the target
//! folder.
//!
//! Object names come from the server and can be anything: `../../.bashrc`,
//! `/etc/passwd`, `a/../../b`. A recursive download must refuse those
//! instead of writing outside the folder the user chose.

use std::path::{Component, Path, PathBuf};

/// Why an object name cannot be written under the target folder.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("refusing to download object {name:?}: {reason}")]
pub(crate) struct UnsafeName {
    /// The object name as the server gave it.
    pub(crate) name: String,
    /// What is wrong with it.
    pub(crate) reason: &'static str,
}

/// The local path for `relative` (an object name with the listed prefix
/// removed) under `root`: only plain components, so the result is always
/// inside `root`.
pub(crate) fn local_path(
    root: &Path,
    relative: &str,
    full_name: &str,
) -> Result<PathBuf, UnsafeName> {
    let refuse = |reason| UnsafeName {
        name: full_name.to_owned(),
        reason,
    };
    if relative.contains('\0') {
        return Err(refuse("it contains a NUL byte"));
    }
    if relative.starts_with('/') || relative.starts_with('\\') {
        return Err(refuse("it is an absolute path"));
    }
    if cfg!(windows) && relative.contains('\\') {
        return Err(refuse("it contains a backslash"));
    }
    let trimmed = relative.trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(refuse("it names no file"));
    }
    let mut path = root.to_path_buf();
    for part in trimmed.split('/') {
        match part {
            "" => return Err(refuse("it contains an empty path component (`//`)")),
            "." | ".." => return Err(refuse("it contains `.` or `..` components")),
            _ => {}
        }
        let mut components = Path::new(part).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => path.push(part),
            _ => return Err(refuse("it contains a component that is not a plain name")),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_inside() {
        let root = Path::new("/tmp/target");
        assert_eq!(
            local_path(root, "photos/2024/a b.jpg", "photos/2024/a b.jpg").unwrap(),
            Path::new("/tmp/target/photos/2024/a b.jpg")
        );
        assert_eq!(
            local_path(root, "dir/", "dir/").unwrap(),
            Path::new("/tmp/target/dir")
        );
        assert_eq!(
            local_path(root, "..hidden", "..hidden").unwrap(),
            Path::new("/tmp/target/..hidden")
        );
    }

    #[test]
    fn escapes_are_refused() {
        let root = Path::new("/tmp/target");
        for name in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a/./b",
            "a//b",
            "..",
            "",
            "a\0b",
        ] {
            let error = local_path(root, name, name).unwrap_err();
            assert!(
                error.to_string().starts_with("refusing to download object"),
                "{name:?}"
            );
        }
    }
}

//! The block storage URL patterns (below `/v2.0/` or `/v2/`) and their
//! methods.

/// A block storage resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `volumes`.
    Volumes,
    /// `volumes/detail`.
    VolumesDetail,
    /// `volumes/<id>`.
    Volume(u64),
    /// `volumes/<id>/metadata`.
    VolumeMetadata(u64),
    /// `volumes/<id>/metadata/<key>`.
    VolumeMetadataItem(u64, String),
    /// `volumes/<id>/action`.
    VolumeAction(u64),
    /// `types`.
    Types,
    /// `types/<id>`.
    Type(u64),
    /// `snapshots`.
    Snapshots,
    /// `snapshots/detail`.
    SnapshotsDetail,
    /// `snapshots/<id>`.
    Snapshot(String),
    /// `snapshots/<id>/metadata`.
    SnapshotMetadata(String),
    /// `snapshots/<id>/metadata/<key>`.
    SnapshotMetadataItem(String, String),
}

impl Route {
    /// The methods the resource answers, and whether a wrong method gets
    /// Django's bare 405 (empty body) rather than a JSON `notAllowed`.
    pub(crate) fn allowed(&self) -> (&'static [&'static str], bool) {
        match self {
            Self::Volumes | Self::Snapshots => (&["GET", "POST"], true),
            Self::Volume(_) | Self::Snapshot(_) => (&["GET", "PUT", "DELETE"], true),
            Self::VolumeMetadata(_) | Self::SnapshotMetadata(_) => (&["GET", "POST", "PUT"], true),
            Self::VolumeMetadataItem(..) | Self::SnapshotMetadataItem(..) => (&["DELETE"], true),
            Self::VolumeAction(_) => (&["POST"], false),
            Self::VolumesDetail | Self::Types | Self::Type(_) | Self::SnapshotsDetail => {
                (&["GET"], false)
            }
        }
    }
}

/// Leading digits of `s` as an id (`u64::MAX` when too large) and the rest.
fn leading_id(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    (end > 0).then(|| (s[..end].parse().unwrap_or(u64::MAX), &s[end..]))
}

/// Leading `[\w-]` characters of `s` and the rest.
fn leading_word(s: &str) -> Option<(&str, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    (end > 0).then(|| (&s[..end], &s[end..]))
}

/// `metadata`, `metadata/`, `metadata.json`, `metadata/.json` → `None`;
/// `metadata/<key>` → `Some(key)`.
fn metadata_tail(s: &str) -> Option<Option<String>> {
    let rest = s.strip_prefix("/metadata")?;
    match rest {
        "" | "/" | ".json" | "/.json" => Some(None),
        _ => {
            let key = rest.strip_prefix('/')?;
            (!key.is_empty()).then(|| Some(key.to_owned()))
        }
    }
}

/// The route of a path below the version prefix.
pub(crate) fn parse(path: &str) -> Option<Route> {
    if let Some(rest) = path.strip_prefix("volumes") {
        if matches!(rest, "" | "/" | ".json" | "/.json") {
            return Some(Route::Volumes);
        }
        let rest = rest.strip_prefix('/')?;
        if matches!(rest, "detail" | "detail.json") {
            return Some(Route::VolumesDetail);
        }
        let (id, rest) = leading_id(rest)?;
        return match rest {
            "" | ".json" => Some(Route::Volume(id)),
            "/action" | "/action.json" | "/action.xml" => Some(Route::VolumeAction(id)),
            _ => match metadata_tail(rest)? {
                None => Some(Route::VolumeMetadata(id)),
                Some(key) => Some(Route::VolumeMetadataItem(id, key)),
            },
        };
    }
    if let Some(rest) = path.strip_prefix("types") {
        if matches!(rest, "" | "/" | ".json" | "/.json") {
            return Some(Route::Types);
        }
        let (id, rest) = leading_id(rest.strip_prefix('/')?)?;
        return matches!(rest, "" | ".json").then_some(Route::Type(id));
    }
    if let Some(rest) = path.strip_prefix("snapshots") {
        if matches!(rest, "" | "/" | ".json" | "/.json") {
            return Some(Route::Snapshots);
        }
        let rest = rest.strip_prefix('/')?;
        if rest == "detail" {
            return Some(Route::SnapshotsDetail);
        }
        let (id, rest) = leading_word(rest)?;
        let id = id.to_owned();
        return match rest {
            "" | ".json" => Some(Route::Snapshot(id)),
            _ => match metadata_tail(rest)? {
                None => Some(Route::SnapshotMetadata(id)),
                Some(key) => Some(Route::SnapshotMetadataItem(id, key)),
            },
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(parse("volumes"), Some(Route::Volumes));
        assert_eq!(parse("volumes/"), Some(Route::Volumes));
        assert_eq!(parse("volumes/detail"), Some(Route::VolumesDetail));
        assert_eq!(parse("volumes/12"), Some(Route::Volume(12)));
        assert_eq!(parse("volumes/12/"), None);
        assert_eq!(parse("volumes/x"), None);
        assert_eq!(
            parse("volumes/12/metadata/"),
            Some(Route::VolumeMetadata(12))
        );
        assert_eq!(
            parse("volumes/12/metadata/a.json"),
            Some(Route::VolumeMetadataItem(12, "a.json".into()))
        );
        assert_eq!(parse("volumes/12/action"), Some(Route::VolumeAction(12)));
        assert_eq!(parse("types/2"), Some(Route::Type(2)));
        assert_eq!(parse("snapshots/detail"), Some(Route::SnapshotsDetail));
        assert_eq!(
            parse("snapshots/ab-12.json"),
            Some(Route::Snapshot("ab-12".into()))
        );
        assert_eq!(
            parse("snapshots/ab-12/metadata/k"),
            Some(Route::SnapshotMetadataItem("ab-12".into(), "k".into()))
        );
        assert_eq!(parse("backups"), None);
    }
}

//! The Plankton URL patterns (below `/v1.0/` or `/v1/`) and their methods.

/// A Plankton resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `images` (trailing slash optional): list, register.
    Images,
    /// `images/detail`.
    ImagesDetail,
    /// `images/<id>`.
    Image(String),
    /// `images/<id>/members`.
    Members(String),
    /// `images/<id>/members/<member>`.
    Member(String, String),
    /// `shared-images/<member>`.
    SharedImages(String),
}

impl Route {
    /// The methods the resource answers (a wrong one gets Django's bare
    /// 405).
    pub(crate) fn allowed(&self) -> &'static [&'static str] {
        match self {
            Self::Images => &["GET", "POST"],
            Self::ImagesDetail | Self::SharedImages(_) => &["GET"],
            Self::Image(_) => &["GET", "HEAD", "PUT", "DELETE"],
            Self::Members(_) => &["GET", "PUT"],
            Self::Member(..) => &["PUT", "DELETE"],
        }
    }
}

/// A non-empty segment without `/`, an optional trailing `/` allowed.
fn one_segment(s: &str) -> Option<String> {
    let s = s.strip_suffix('/').unwrap_or(s);
    (!s.is_empty() && !s.contains('/')).then(|| s.to_owned())
}

/// The route of a path below the version prefix.
pub(crate) fn parse(path: &str) -> Option<Route> {
    if let Some(member) = path.strip_prefix("shared-images/") {
        return one_segment(member).map(Route::SharedImages);
    }
    let rest = path.strip_prefix("images")?;
    if matches!(rest, "" | "/") {
        return Some(Route::Images);
    }
    let rest = rest.strip_prefix('/')?;
    if matches!(rest, "detail" | "detail/") {
        return Some(Route::ImagesDetail);
    }
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if id.is_empty() {
        return None;
    }
    let id = id.to_owned();
    match tail {
        "" => Some(Route::Image(id)),
        "members" | "members/" => Some(Route::Members(id)),
        _ => {
            let member = tail.strip_prefix("members/")?;
            one_segment(member).map(|member| Route::Member(id, member))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(parse("images"), Some(Route::Images));
        assert_eq!(parse("images/"), Some(Route::Images));
        assert_eq!(parse("images/detail"), Some(Route::ImagesDetail));
        assert_eq!(parse("images/ab-1"), Some(Route::Image("ab-1".into())));
        assert_eq!(
            parse("images/ab-1/members"),
            Some(Route::Members("ab-1".into()))
        );
        assert_eq!(
            parse("images/ab-1/members/u1"),
            Some(Route::Member("ab-1".into(), "u1".into()))
        );
        assert_eq!(
            parse("shared-images/u1"),
            Some(Route::SharedImages("u1".into()))
        );
        assert_eq!(parse("images/ab-1/other"), None);
        assert_eq!(parse("shared-images/"), None);
        assert_eq!(parse("imagesx"), None);
    }
}

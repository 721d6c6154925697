//! The network API URL patterns (below `/v2.0/`) and their methods.

/// A network API resource. Ids are kept as text: the views answer `400`
/// for ids that are not integers, as the server does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// `networks` and `networks/detail`.
    Networks {
        /// Whether the path was `networks/detail`.
        detail: bool,
    },
    /// `networks/<id>`.
    Network(String),
    /// `networks/<id>/action`.
    NetworkAction(String),
    /// `subnets` and `subnets/detail`.
    Subnets {
        /// Whether the path was `subnets/detail`.
        detail: bool,
    },
    /// `subnets/<id>`.
    Subnet(String),
    /// `ports` and `ports/detail`.
    Ports {
        /// Whether the path was `ports/detail`.
        detail: bool,
    },
    /// `ports/<id>`.
    Port(String),
    /// `floatingips` and `floatingips/detail`.
    FloatingIps {
        /// Whether the path was `floatingips/detail`.
        detail: bool,
    },
    /// `floatingips/<id>`.
    FloatingIp(String),
    /// `floatingips/<id>/action`.
    FloatingIpAction(String),
}

impl Route {
    /// The methods the resource answers (405 `notAllowed` otherwise).
    pub(crate) fn allowed(&self) -> &'static [&'static str] {
        match self {
            Self::Networks { detail: false }
            | Self::Subnets { detail: false }
            | Self::Ports { detail: false }
            | Self::FloatingIps { detail: false } => &["GET", "POST"],
            Self::Networks { .. }
            | Self::Subnets { .. }
            | Self::Ports { .. }
            | Self::FloatingIps { .. } => &["GET"],
            Self::Network(_) | Self::Subnet(_) | Self::Port(_) | Self::FloatingIp(_) => {
                &["GET", "PUT", "DELETE"]
            }
            Self::NetworkAction(_) | Self::FloatingIpAction(_) => &["POST"],
        }
    }
}

/// `<collection>`, `<collection>/detail`, `<collection>/<id>` and
/// `<collection>/<id>/action`, each with an optional `/` or `.json`.
enum Shape {
    List { detail: bool },
    Item(String),
    Action(String),
}

fn shape(rest: &str) -> Option<Shape> {
    let rest = rest.strip_suffix(".json").unwrap_or(rest);
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Some(Shape::List { detail: false });
    }
    let rest = rest.strip_prefix('/')?;
    if rest == "detail" {
        return Some(Shape::List { detail: true });
    }
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let word = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !word {
        return None;
    }
    match tail {
        "" => Some(Shape::Item(id.to_owned())),
        "action" => Some(Shape::Action(id.to_owned())),
        _ => None,
    }
}

/// The route of a path below the version prefix.
pub(crate) fn parse(path: &str) -> Option<Route> {
    // Longest names first: `networks` is not a prefix of the others, but
    // a collection name must be followed by the end or a separator.
    for (name, kind) in [
        ("floatingips", 3),
        ("networks", 0),
        ("subnets", 1),
        ("ports", 2),
    ] {
        let Some(rest) = path.strip_prefix(name) else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('.')) {
            return None;
        }
        return match (kind, shape(rest)?) {
            (0, Shape::List { detail }) => Some(Route::Networks { detail }),
            (0, Shape::Item(id)) => Some(Route::Network(id)),
            (0, Shape::Action(id)) => Some(Route::NetworkAction(id)),
            (1, Shape::List { detail }) => Some(Route::Subnets { detail }),
            (1, Shape::Item(id)) => Some(Route::Subnet(id)),
            (2, Shape::List { detail }) => Some(Route::Ports { detail }),
            (2, Shape::Item(id)) => Some(Route::Port(id)),
            (3, Shape::List { detail }) => Some(Route::FloatingIps { detail }),
            (3, Shape::Item(id)) => Some(Route::FloatingIp(id)),
            (3, Shape::Action(id)) => Some(Route::FloatingIpAction(id)),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert_eq!(parse("networks"), Some(Route::Networks { detail: false }));
        assert_eq!(parse("networks/"), Some(Route::Networks { detail: false }));
        assert_eq!(
            parse("networks/detail"),
            Some(Route::Networks { detail: true })
        );
        assert_eq!(parse("networks/12"), Some(Route::Network("12".into())));
        assert_eq!(parse("networks/x.json"), Some(Route::Network("x".into())));
        assert_eq!(
            parse("networks/12/action"),
            Some(Route::NetworkAction("12".into()))
        );
        assert_eq!(parse("subnets/3"), Some(Route::Subnet("3".into())));
        assert_eq!(parse("subnets/3/action"), None);
        assert_eq!(parse("ports/detail"), Some(Route::Ports { detail: true }));
        assert_eq!(
            parse("floatingips/4/action"),
            Some(Route::FloatingIpAction("4".into()))
        );
        assert_eq!(parse("networksx"), None);
        assert_eq!(parse("routers"), None);
        assert_eq!(parse("ports/1/2"), None);
    }
}

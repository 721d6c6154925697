//! Object listings (`GET /<account>/<container>`, wire §6.4): `prefix`,
//! `delimiter`, `path`, `marker`, `limit`, `meta` filters, `shared`,
//! `public`, `until`, in text, JSON or XML.

use std::ops::Bound;

use serde_json::{Map, Value, json};

use crate::fault_body::Fault;
use crate::response::ApiResult;

use super::Ctx;
use super::account::limit_param;
use super::conditional::check_modified;
use super::container::container_headers;
use super::format::{Ser, body_response, decimal_time, iso_time, json_bytes, until_param};
use super::format::{xml_entry, xml_escape};
use super::headers::format_header_key;
use super::sharing::{effective, granted, granted_paths};
use super::store::{Container, Micros, ObjectNode, Store, Version};

/// A `meta` filter term.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Filter {
    /// The key exists.
    Has(String),
    /// The key does not exist.
    Lacks(String),
    /// The key's value compares (as a string) with `op` to the value.
    Compare(String, &'static str, String),
}

/// Parses the `meta` parameter like the server (`parse_filters`): terms
/// that do not parse are ignored; keys are normalised.
fn parse_filters(value: &str) -> Vec<Filter> {
    const OPS: [&str; 6] = ["!=", "<=", ">=", "=", "<", ">"];
    let key = |k: &str| format_header_key(&format!("X-Object-Meta-{k}"));
    value
        .split(',')
        .map(str::trim)
        .filter(|term| !term.is_empty())
        .filter_map(|term| {
            let (negated, rest) = match term.strip_prefix('!') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, term),
            };
            // The first operator after a non-empty, space-free key.
            let operator = rest.char_indices().skip(1).find_map(|(at, _)| {
                OPS.iter()
                    .find(|op| rest[at..].starts_with(*op))
                    .map(|op| (at, *op))
            });
            match operator {
                Some((at, op)) => {
                    let name = rest[..at].trim_end();
                    let operand = rest[at + op.len()..].trim();
                    if name.is_empty()
                        || name.contains(char::is_whitespace)
                        || operand.contains(char::is_whitespace)
                    {
                        return None;
                    }
                    Some(if negated {
                        Filter::Lacks(key(name))
                    } else {
                        Filter::Compare(key(name), op, operand.to_owned())
                    })
                }
                None => {
                    let name = rest.trim();
                    if name.is_empty() || name.contains(char::is_whitespace) {
                        return None;
                    }
                    Some(if negated {
                        Filter::Lacks(key(name))
                    } else {
                        Filter::Has(key(name))
                    })
                }
            }
        })
        .collect()
}

fn passes(filters: &[Filter], version: &Version) -> bool {
    filters.iter().all(|filter| match filter {
        Filter::Has(key) => version.meta.contains_key(key),
        Filter::Lacks(key) => !version.meta.contains_key(key),
        Filter::Compare(key, op, operand) => version.meta.get(key).is_some_and(|value| {
            let value = value.as_str();
            let operand = operand.as_str();
            match *op {
                "=" => value == operand,
                "!=" => value != operand,
                "<=" => value <= operand,
                ">=" => value >= operand,
                "<" => value < operand,
                _ => value > operand,
            }
        }),
    })
}

/// Which objects a listing may show.
pub(crate) enum Scope {
    /// Everything (the owner).
    All,
    /// Only these names, and everything under `<name>/` of the directories
    /// (`(name, is_directory)`).
    Paths(Vec<(String, bool)>),
}

impl Scope {
    fn allows(&self, name: &str) -> bool {
        match self {
            Self::All => true,
            Self::Paths(paths) => paths.iter().any(|(path, directory)| {
                name == path
                    || (*directory
                        && name
                            .strip_prefix(path.trim_end_matches('/'))
                            .is_some_and(|rest| rest.starts_with('/')))
            }),
        }
    }
}

/// A listing request.
pub(crate) struct Query<'q> {
    /// Names must start with this.
    pub(crate) prefix: &'q str,
    /// Collapse names at this delimiter (after the prefix).
    pub(crate) delimiter: Option<&'q str>,
    /// Report collapsed names as `subdir` entries (false for `path`).
    pub(crate) virtual_dirs: bool,
    /// Only names after this.
    pub(crate) marker: Option<&'q str>,
    /// Page size.
    pub(crate) limit: usize,
    /// State as of this time.
    pub(crate) until: Option<Micros>,
    /// Meta filters.
    filters: Vec<Filter>,
    /// Visible objects.
    pub(crate) scope: Scope,
    /// Only public objects.
    pub(crate) public_only: bool,
}

impl<'q> Query<'q> {
    /// A plain listing of names starting with `prefix`.
    pub(crate) fn prefixed(prefix: &'q str) -> Self {
        Self {
            prefix,
            delimiter: None,
            virtual_dirs: false,
            marker: None,
            limit: super::account::LIST_LIMIT,
            until: None,
            filters: Vec::new(),
            scope: Scope::All,
            public_only: false,
        }
    }
}

/// One listing entry.
pub(crate) enum Entry<'s> {
    /// An object with the version listed.
    Object(&'s str, &'s ObjectNode, &'s Version),
    /// A virtual directory.
    Subdir(String),
}

/// Runs a listing over a container, in name order.
pub(crate) fn list<'s>(container: &'s Container, query: &Query<'_>) -> Vec<Entry<'s>> {
    let mut entries = Vec::new();
    let start = match query.marker {
        Some(marker) if marker >= query.prefix => Bound::Excluded(marker.to_owned()),
        _ => Bound::Included(query.prefix.to_owned()),
    };
    let mut range = container
        .objects
        .range::<String, _>((start, Bound::Unbounded));
    let mut last_subdir: Option<String> = None;
    while entries.len() < query.limit {
        let Some((name, node)) = range.next() else {
            break;
        };
        if !name.starts_with(query.prefix) {
            break;
        }
        let Some(version) = node.as_of(query.until) else {
            continue;
        };
        if !query.scope.allows(name)
            || (query.public_only && node.public.is_none())
            || !passes(&query.filters, version)
        {
            continue;
        }
        if let Some(delimiter) = query.delimiter.filter(|d| !d.is_empty()) {
            let after = &name[query.prefix.len()..];
            if let Some(at) = after.find(delimiter) {
                let end = query.prefix.len() + at + delimiter.len();
                if end != name.len() {
                    let subdir = name[..end].to_owned();
                    if last_subdir.as_deref() == Some(subdir.as_str()) {
                        continue;
                    }
                    // Skip everything under the subdir.
                    let mut next = subdir.clone();
                    next.push(char::MAX);
                    range = container
                        .objects
                        .range::<String, _>((Bound::Excluded(next), Bound::Unbounded));
                    if query.virtual_dirs && query.marker.is_none_or(|m| subdir.as_str() > m) {
                        entries.push(Entry::Subdir(subdir.clone()));
                    }
                    last_subdir = Some(subdir);
                    continue;
                }
            }
        }
        entries.push(Entry::Object(name, node, version));
    }
    entries
}

/// `GET /<account>/<container>`: the object listing.
pub(crate) fn objects(ctx: &Ctx<'_>, account: &str, container: &str) -> ApiResult {
    let until = until_param(ctx.req);
    let store = ctx.pithos.read();
    let (out, modified) = container_headers(ctx, &store, account, container, until)?;
    check_modified(&ctx.headers, modified)?;
    let owner = ctx.is_owner(account);

    let mut prefix = ctx.req.query_param("prefix").unwrap_or("").to_owned();
    let mut delimiter = ctx
        .req
        .query_param("delimiter")
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    let mut virtual_dirs = true;
    if let Some(path) = ctx.req.query_param("path").filter(|p| !p.is_empty()) {
        prefix = path.to_owned();
        delimiter = Some("/".to_owned());
        virtual_dirs = false;
    }
    if let Some(delimiter) = &delimiter
        && !prefix.is_empty()
        && !prefix.ends_with(delimiter.as_str())
    {
        prefix.push_str(delimiter);
    }
    let prefix = prefix.trim_start_matches('/').to_owned();
    let filters = ctx
        .req
        .query_param("meta")
        .map(parse_filters)
        .unwrap_or_default();
    let shared = ctx.flag("shared");
    let public = ctx.flag("public");
    if public && !owner {
        return Err(Fault::new(
            403,
            "PUblic object listing is not allowed to non path owners",
        ));
    }
    let c = store
        .container(account, container)
        .ok_or_else(|| Fault::item_not_found("Container does not exist"))?;
    let scope = if owner {
        if shared {
            let mut paths: Vec<(String, bool)> = c
                .objects
                .iter()
                .filter(|(_, node)| node.permissions.as_ref().is_some_and(|p| !p.is_empty()))
                .map(|(name, node)| (name.clone(), node.is_directory()))
                .collect();
            if public {
                paths.extend(
                    c.objects
                        .iter()
                        .filter(|(_, node)| node.public.is_some())
                        .map(|(name, _)| (name.clone(), false)),
                );
            }
            Scope::Paths(paths)
        } else {
            Scope::All
        }
    } else {
        let full = prefix.trim_end_matches('/');
        let paths: Vec<(String, bool)> = granted_paths(&store, ctx.user, account, container)
            .into_iter()
            .filter(|(path, _)| path.starts_with(full) || full.starts_with(path.as_str()))
            .collect();
        if paths.is_empty() {
            return Err(Fault::new(
                403,
                "Browsing other account's history is not allowed",
            ));
        }
        Scope::Paths(paths)
    };
    let query = Query {
        prefix: &prefix,
        delimiter: delimiter.as_deref(),
        virtual_dirs,
        marker: ctx.req.query_param("marker").filter(|m| !m.is_empty()),
        limit: limit_param(ctx),
        until,
        filters,
        scope,
        public_only: public && !shared,
    };
    let entries = list(c, &query);
    let mut response = match ctx.ser {
        Ser::Text if entries.is_empty() => body_response(204, Ser::Text, ""),
        Ser::Text => {
            let text: String = entries
                .iter()
                .map(|entry| match entry {
                    Entry::Object(name, ..) => format!("{name}\n"),
                    Entry::Subdir(subdir) => format!("{subdir}\n"),
                })
                .collect();
            body_response(200, Ser::Text, text)
        }
        ser => {
            let items: Vec<Map<String, Value>> = entries
                .iter()
                .map(|entry| match entry {
                    Entry::Subdir(subdir) => {
                        let mut item = Map::new();
                        item.insert("subdir".into(), json!(subdir));
                        item
                    }
                    Entry::Object(name, node, version) => {
                        object_entry(ctx, &store, account, container, name, node, version, until)
                    }
                })
                .collect();
            let body = if ser == Ser::Xml {
                let mut out = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container name=\"{}\">\n",
                    xml_escape(container)
                );
                for item in &items {
                    match item.get("subdir").and_then(Value::as_str) {
                        Some(subdir) if item.len() == 1 => {
                            out.push_str(&format!(
                                "  <subdir name=\"{}\" />\n",
                                xml_escape(subdir)
                            ));
                        }
                        _ => out.push_str(&xml_entry("object", item)),
                    }
                }
                out.push_str("</container>\n");
                out.into()
            } else {
                json_bytes(&Value::Array(
                    items.into_iter().map(Value::Object).collect(),
                ))
            };
            body_response(200, ser, body)
        }
    };
    response.headers = out.into_map();
    Ok(response)
}

/// The JSON of one object in a listing.
#[allow(clippy::too_many_arguments)]
fn object_entry(
    ctx: &Ctx<'_>,
    store: &Store,
    account: &str,
    container: &str,
    name: &str,
    node: &ObjectNode,
    version: &Version,
    until: Option<Micros>,
) -> Map<String, Value> {
    let mut item = Map::new();
    item.insert("name".into(), json!(name));
    item.insert("bytes".into(), json!(version.size));
    item.insert("content_type".into(), json!(version.content_type));
    item.insert("hash".into(), json!(version.checksum));
    item.insert("x_object_hash".into(), json!(version.hash));
    item.insert("x_object_uuid".into(), json!(version.uuid));
    item.insert("x_object_version".into(), json!(version.serial));
    item.insert(
        "x_object_version_timestamp".into(),
        json!(decimal_time(version.mtime)),
    );
    if until.is_none() {
        item.insert("last_modified".into(), json!(iso_time(version.mtime)));
    }
    item.insert("x_object_modified_by".into(), json!(version.muser));
    item.insert("available".into(), json!(1));
    item.insert("map_check_timestamp".into(), Value::Null);
    if until.is_none() {
        // Sharing details only for paths with their own permissions.
        if let Some(permissions) = node.permissions.as_ref().filter(|p| !p.is_empty()) {
            item.insert("x_object_sharing".into(), json!(permissions.header_value()));
            if !ctx.is_owner(account) {
                let allowed = granted(store, permissions, ctx.user)
                    .or_else(|| {
                        effective(store, account, container, name)
                            .and_then(|(_, p)| granted(store, p, ctx.user))
                    })
                    .map_or("read", |access| access.as_str());
                item.insert("x_object_allowed_to".into(), json!(allowed));
            }
        }
        if ctx.is_owner(account)
            && let Some(token) = &node.public
        {
            item.insert("x_object_public".into(), json!(ctx.public_url(token)));
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pithos::store::{Cluster, Meta, Policy};
    use std::sync::Arc;

    fn container(names: &[&str]) -> Container {
        let mut c = Container::new(0, Policy::default_for("a"));
        for (i, name) in names.iter().enumerate() {
            let mut meta = Meta::new();
            meta.insert("X-Object-Meta-Index".into(), i.to_string());
            c.push_version(
                name,
                Version {
                    serial: i as u64 + 1,
                    mtime: i as i64 + 1,
                    size: 1,
                    content_type: "text/plain".into(),
                    hash: String::new(),
                    hashmap: Arc::new(Vec::new()),
                    checksum: String::new(),
                    muser: "a".into(),
                    uuid: String::new(),
                    cluster: Cluster::Normal,
                    meta: Arc::new(meta),
                },
            );
        }
        c
    }

    fn names(entries: &[Entry<'_>]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match e {
                Entry::Object(n, ..) => (*n).to_owned(),
                Entry::Subdir(s) => format!("[{s}]"),
            })
            .collect()
    }

    const TREE: &[&str] = &[
        "photos/animals/cats/x",
        "photos/animals/dogs/y",
        "photos/me.jpg",
        "photos/plants/z",
        "photos/trips/",
        "readme",
    ];

    #[test]
    fn delimiter_and_path() {
        let c = container(TREE);
        let mut query = Query::prefixed("photos/");
        query.delimiter = Some("/");
        query.virtual_dirs = true;
        assert_eq!(
            names(&list(&c, &query)),
            [
                "[photos/animals/]",
                "photos/me.jpg",
                "[photos/plants/]",
                "photos/trips/"
            ]
        );
        query.virtual_dirs = false;
        assert_eq!(names(&list(&c, &query)), ["photos/me.jpg", "photos/trips/"]);
        let mut query = Query::prefixed("");
        query.delimiter = Some("/");
        query.virtual_dirs = true;
        query.limit = 1;
        assert_eq!(names(&list(&c, &query)), ["[photos/]"]);
        query.marker = Some("photos/");
        assert_eq!(names(&list(&c, &query)), ["readme"]);
    }

    #[test]
    fn marker_limit_and_filters() {
        let c = container(TREE);
        let mut query = Query::prefixed("");
        query.marker = Some("photos/me.jpg");
        query.limit = 2;
        assert_eq!(
            names(&list(&c, &query)),
            ["photos/plants/z", "photos/trips/"]
        );
        let mut query = Query::prefixed("");
        query.filters = parse_filters("index>=4, !missing");
        assert_eq!(names(&list(&c, &query)), ["photos/trips/", "readme"]);
        query.filters = parse_filters("index=0");
        assert_eq!(names(&list(&c, &query)), ["photos/animals/cats/x"]);
        query.filters = parse_filters("missing");
        assert!(list(&c, &query).is_empty());
        query.scope = Scope::Paths(vec![("photos/animals".into(), true)]);
        query.filters = Vec::new();
        assert_eq!(
            names(&list(&c, &query)),
            ["photos/animals/cats/x", "photos/animals/dogs/y"]
        );
    }

    #[test]
    fn filter_syntax() {
        assert_eq!(
            parse_filters("a, !b ,c!=d,e<=f, g = h, bad term,"),
            vec![
                Filter::Has("X-Object-Meta-A".into()),
                Filter::Lacks("X-Object-Meta-B".into()),
                Filter::Compare("X-Object-Meta-C".into(), "!=", "d".into()),
                Filter::Compare("X-Object-Meta-E".into(), "<=", "f".into()),
                Filter::Compare("X-Object-Meta-G".into(), "=", "h".into()),
            ]
        );
    }
}

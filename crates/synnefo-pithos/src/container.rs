//! Container operations: create, details, metadata and policies, delete,
//! and object listings (one page, or every page as a stream).

use crate::PithosClient;
use crate::account::{MAX_PAGE, json_list, split_list};
use crate::headers::{
    decoded_headers, format_until, parse_date, parse_u64, with_date, with_deleted_keys,
    with_keyed_headers, with_prefix,
};
use crate::models::{
    ContainerCreation, ContainerInfo, ContainerUsage, ListingEntry, MetaFilter, ObjectEntry,
    ObjectList, Versioning,
};
use futures_core::Stream;
use futures_util::StreamExt;
use http::{Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::SystemTime;
use synnefo_core::http::HeaderMap;
use synnefo_core::{CloudFault, Error, HttpError, Page, Request, Response, Result, paginate};

/// Options of [`PithosClient::create_container`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerOptions {
    /// The quota in bytes (0 = unlimited).
    pub quota: Option<u64>,
    /// The versioning policy (the server's default is `auto`).
    pub versioning: Option<Versioning>,
    /// The project charged for the container's space (default: the user's
    /// own).
    pub project: Option<String>,
    /// User metadata.
    pub meta: BTreeMap<String, String>,
}

/// Options of [`PithosClient::delete_container`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteContainer {
    /// Purge the history: drop the non-current versions (and deletion
    /// markers) made up to this moment (whole seconds, rounded down);
    /// current objects and the container stay.
    pub until: Option<SystemTime>,
    /// With `'/'`: delete every object in the container (the container
    /// stays).
    pub delimiter: Option<char>,
}

/// Options of [`PithosClient::list_objects`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListObjectsOptions {
    /// Only names starting with this.
    pub prefix: Option<String>,
    /// Collapse names that hold this character after the prefix into
    /// "virtual directories" ([`ListingEntry::Subdir`]).
    pub delimiter: Option<char>,
    /// The objects directly under this path (`prefix` = `path/`, delimiter
    /// `/`, no subdirs); takes precedence over `prefix` and `delimiter`.
    pub path: Option<String>,
    /// Start after this name.
    pub marker: Option<String>,
    /// At most this many entries (the server caps pages at 10,000; for the
    /// stream, the page size).
    pub limit: Option<u32>,
    /// Filters on object metadata, all of which must hold.
    pub meta: Vec<MetaFilter>,
    /// Only shared objects.
    pub shared: bool,
    /// Only public objects (owner only).
    pub public: bool,
    /// The container as it was at this moment (owner only).
    pub until: Option<SystemTime>,
    /// `If-Modified-Since`: an unchanged container gives
    /// [`ObjectList::not_modified`].
    pub if_modified_since: Option<SystemTime>,
    /// `If-Unmodified-Since`: a changed container fails with `412`.
    pub if_unmodified_since: Option<SystemTime>,
}

impl PithosClient {
    /// `PUT /<account>/<container>` with policy and metadata headers.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or meta key.
    pub fn create_container_request(
        &self,
        container: &str,
        options: &ContainerOptions,
    ) -> Result<Request> {
        check_container(container)?;
        let request = self
            .container_request(Request::put(), container)
            .expect([StatusCode::CREATED, StatusCode::ACCEPTED]);
        let request = policy_headers(
            request,
            options.quota,
            options.versioning,
            options.project.as_deref(),
        )?;
        with_keyed_headers(request, "metadata", "X-Container-Meta-", &options.meta)
    }

    /// Creates a container (kamaki `create_container`). If it exists
    /// already the server merges the given policies and metadata into it
    /// and this returns [`ContainerCreation::AlreadyExists`].
    ///
    /// # Errors
    /// [`Error::Http`] (400 for an invalid policy, 413 over quota).
    pub async fn create_container(
        &self,
        container: &str,
        options: &ContainerOptions,
    ) -> Result<ContainerCreation> {
        let response = self
            .endpoint()
            .send(self.create_container_request(container, options)?)
            .await?;
        Ok(if response.status() == StatusCode::CREATED {
            ContainerCreation::Created
        } else {
            ContainerCreation::AlreadyExists
        })
    }

    /// `HEAD /<account>/<container>[?until=]`.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name.
    pub fn container_info_request(
        &self,
        container: &str,
        until: Option<SystemTime>,
    ) -> Result<Request> {
        check_container(container)?;
        Ok(self
            .container_request(Request::head(), container)
            .query("until", until.map(format_until))
            .expect([StatusCode::NO_CONTENT, StatusCode::OK]))
    }

    /// The container's details: counts, block size and hash, policies,
    /// metadata, the object metadata keys in use (kamaki
    /// `get_container_info`, `get_container_meta`,
    /// `get_container_object_meta`).
    ///
    /// # Errors
    /// [`Error::Http`] (404 for an unknown container),
    /// [`Error::InvalidResponse`] for missing or malformed headers.
    pub async fn container_info(
        &self,
        container: &str,
        until: Option<SystemTime>,
    ) -> Result<ContainerInfo> {
        let response = self
            .endpoint()
            .send(self.container_info_request(container, until)?)
            .await?;
        parse_container_info(container, response.headers()).map_err(|problem| {
            let headers = response.headers();
            if crate::swift::is_plain_swift(headers)
                && crate::swift::flavor_of(headers) == crate::swift::ServerFlavor::Swift
            {
                // No block size or hash: not a problem of this response,
                // a server without Pithos+ (see `swift_container_info`).
                crate::swift::lacks_extension(&format!(
                    "the Pithos+ details of container {container:?} ({problem}; \
                     `swift_container_info` reads what Swift has)"
                ))
            } else {
                response.invalid(format!("container {container:?}: {problem}"))
            }
        })
    }

    /// The container's user metadata, keys in lower case (kamaki
    /// `get_container_meta`).
    ///
    /// # Errors
    /// As [`PithosClient::container_info`].
    pub async fn container_meta(&self, container: &str) -> Result<BTreeMap<String, String>> {
        Ok(self.container_info(container, None).await?.meta)
    }

    /// The container's use and limit (kamaki `get_container_limit`).
    ///
    /// # Errors
    /// As [`PithosClient::container_info`].
    pub async fn container_usage(&self, container: &str) -> Result<ContainerUsage> {
        let info = self.container_info(container, None).await?;
        Ok(ContainerUsage {
            bytes_used: info.bytes_used,
            object_count: info.object_count,
            limit: info.quota.filter(|&q| q > 0),
            project: info.project,
        })
    }

    /// The container's quota in bytes, `None` when unlimited (kamaki
    /// `get_container_limit`).
    ///
    /// # Errors
    /// As [`PithosClient::container_info`].
    pub async fn container_limit(&self, container: &str) -> Result<Option<u64>> {
        Ok(self.container_usage(container).await?.limit)
    }

    /// The container's versioning policy (kamaki `get_container_versioning`).
    ///
    /// # Errors
    /// As [`PithosClient::container_info`].
    pub async fn container_versioning(&self, container: &str) -> Result<Option<Versioning>> {
        Ok(self.container_info(container, None).await?.versioning)
    }

    /// `POST /<account>/<container>?update&format=json` with
    /// `X-Container-Meta-*` headers.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or key.
    pub fn set_container_meta_request<I, K, V>(&self, container: &str, meta: I) -> Result<Request>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let request = self.container_update_request(container)?;
        with_keyed_headers(request, "metadata", "X-Container-Meta-", meta)
    }

    /// Sets container metadata, leaving other keys alone (kamaki
    /// `set_container_meta`); an empty value deletes the key.
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container, 400 too many keys).
    pub async fn set_container_meta<I, K, V>(&self, container: &str, meta: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.endpoint()
            .send(self.set_container_meta_request(container, meta)?)
            .await?;
        Ok(())
    }

    /// `POST …?update&format=json` with an empty `X-Container-Meta-<key>`
    /// per key.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or key.
    pub fn delete_container_meta_request<I, K>(&self, container: &str, keys: I) -> Result<Request>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        let request = self.container_update_request(container)?;
        with_deleted_keys(request, "metadata", "X-Container-Meta-", keys)
    }

    /// Deletes container metadata keys (kamaki `del_container_meta`).
    ///
    /// # Errors
    /// As [`PithosClient::set_container_meta`].
    pub async fn delete_container_meta<I, K>(&self, container: &str, keys: I) -> Result<()>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        self.endpoint()
            .send(self.delete_container_meta_request(container, keys)?)
            .await?;
        Ok(())
    }

    /// `POST …?update&format=json` with `X-Container-Policy-Quota`.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name.
    pub fn set_container_quota_request(&self, container: &str, quota: u64) -> Result<Request> {
        policy_headers(
            self.container_update_request(container)?,
            Some(quota),
            None,
            None,
        )
    }

    /// Sets the container's quota in bytes, 0 for unlimited (kamaki
    /// `set_container_limit`).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container).
    pub async fn set_container_quota(&self, container: &str, quota: u64) -> Result<()> {
        self.endpoint()
            .send(self.set_container_quota_request(container, quota)?)
            .await?;
        Ok(())
    }

    /// `POST …?update&format=json` with `X-Container-Policy-Versioning`.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name.
    pub fn set_container_versioning_request(
        &self,
        container: &str,
        versioning: Versioning,
    ) -> Result<Request> {
        policy_headers(
            self.container_update_request(container)?,
            None,
            Some(versioning),
            None,
        )
    }

    /// Sets the container's versioning policy (kamaki
    /// `set_container_versioning`).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container).
    pub async fn set_container_versioning(
        &self,
        container: &str,
        versioning: Versioning,
    ) -> Result<()> {
        self.endpoint()
            .send(self.set_container_versioning_request(container, versioning)?)
            .await?;
        Ok(())
    }

    /// `POST …?update&format=json` with `X-Container-Policy-Project`.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or project.
    pub fn set_container_project_request(&self, container: &str, project: &str) -> Result<Request> {
        if project.trim().is_empty() {
            return Err(Error::Config("the project UUID must not be empty".into()));
        }
        policy_headers(
            self.container_update_request(container)?,
            None,
            None,
            Some(project),
        )
    }

    /// Charges the container's space to another project (kamaki
    /// `reassign_container`).
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container, 413 when the project lacks
    /// the space).
    pub async fn set_container_project(&self, container: &str, project: &str) -> Result<()> {
        self.endpoint()
            .send(self.set_container_project_request(container, project)?)
            .await?;
        Ok(())
    }

    /// `DELETE /<account>/<container>[?until=][&delimiter=]`, accepting
    /// `409` so that it can be reported clearly.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name.
    pub fn delete_container_request(
        &self,
        container: &str,
        options: &DeleteContainer,
    ) -> Result<Request> {
        check_container(container)?;
        Ok(self
            .container_request(Request::delete(), container)
            .query("until", options.until.map(format_until))
            .query("delimiter", options.delimiter)
            .expect([StatusCode::NO_CONTENT, StatusCode::CONFLICT]))
    }

    /// Deletes a container (kamaki `del_container`), or with options purges
    /// its history (`until`) or deletes all its objects (`delimiter: '/'`).
    ///
    /// # Errors
    /// [`Error::Http`] with status 409 and a message saying so when the
    /// container is not empty, 404 when it does not exist.
    pub async fn delete_container(&self, container: &str, options: &DeleteContainer) -> Result<()> {
        let response = self
            .endpoint()
            .send(self.delete_container_request(container, options)?)
            .await?;
        if response.status() == StatusCode::CONFLICT {
            return Err(conflict(
                &response,
                Method::DELETE,
                format!(
                    "container {container:?} is not empty: delete its objects first \
                     (DeleteContainer {{ delimiter: Some('/') }} deletes them all)"
                ),
            ));
        }
        Ok(())
    }

    /// Drops the container's history up to now: old versions and deletion
    /// markers go, current objects stay (kamaki `purge_container`).
    ///
    /// # Errors
    /// As [`PithosClient::delete_container`].
    pub async fn purge_container(&self, container: &str) -> Result<()> {
        // `until` is in whole seconds: round up so that this second's
        // history goes too.
        let options = DeleteContainer {
            until: Some(SystemTime::now() + std::time::Duration::from_secs(1)),
            delimiter: None,
        };
        self.delete_container(container, &options).await
    }

    /// `GET /<account>/<container>?format=json` with the listing options.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty container name or an invalid
    /// metadata filter.
    pub fn list_objects_request(
        &self,
        container: &str,
        options: &ListObjectsOptions,
    ) -> Result<Request> {
        check_container(container)?;
        let mut request = self
            .container_request(Request::get(), container)
            .query("format", Some("json"))
            .query("limit", options.limit)
            .query("marker", options.marker.as_deref());
        request = match &options.path {
            Some(path) => request.query("path", Some(path)),
            None => request
                .query("prefix", options.prefix.as_deref())
                .query("delimiter", options.delimiter),
        };
        for filter in &options.meta {
            filter.check()?;
        }
        let meta = (!options.meta.is_empty()).then(|| {
            options
                .meta
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        let request = request
            .flag_if("shared", options.shared)
            .flag_if("public", options.public)
            .query("meta", meta)
            .query("until", options.until.map(format_until))
            .expect([
                StatusCode::OK,
                StatusCode::NO_CONTENT,
                StatusCode::NOT_MODIFIED,
            ]);
        let request = with_date(request, "If-Modified-Since", options.if_modified_since)?;
        with_date(request, "If-Unmodified-Since", options.if_unmodified_since)
    }

    /// One page of the container's objects, with virtual directories when a
    /// delimiter is given (kamaki `list_objects`, `list_objects_in_path`).
    /// [`ObjectList::next_marker`] is set when the page is full.
    ///
    /// # Errors
    /// [`Error::Http`] (404 unknown container, 403 `public` on another
    /// account), [`Error::InvalidResponse`] for a malformed listing.
    pub async fn list_objects(
        &self,
        container: &str,
        options: &ListObjectsOptions,
    ) -> Result<ObjectList> {
        let response = self
            .endpoint()
            .send(self.list_objects_request(container, options)?)
            .await?;
        let (entries, not_modified) = parse_listing(&response, container)?;
        let page = options.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE) as usize;
        let next_marker = (entries.len() >= page)
            .then(|| entries.last().map(|e| e.name().to_owned()))
            .flatten();
        let mut list = ObjectList {
            next_marker,
            not_modified,
            ..ObjectList::default()
        };
        for entry in entries {
            match entry {
                ListingEntry::Object(object) => list.objects.push(object),
                ListingEntry::Subdir(prefix) => list.subdirs.push(prefix),
            }
        }
        Ok(list)
    }

    /// Every entry of the container listing, in name order, fetched page
    /// by page (of `limit`, default 10,000) as the stream is read, so
    /// containers of any size list in bounded memory. `marker` starts the
    /// walk after that name.
    ///
    /// The server may repeat a virtual directory at the start of the page
    /// after it; the stream drops such repeats.
    pub fn list_objects_stream(
        &self,
        container: &str,
        options: &ListObjectsOptions,
    ) -> impl Stream<Item = Result<ListingEntry>> + Send + 'static {
        let client = self.clone();
        let container = container.to_owned();
        let mut options = options.clone();
        // Two at least, so that a page holding only a repeated subdir
        // still moves forward.
        let page_size = options.limit.unwrap_or(MAX_PAGE).clamp(2, MAX_PAGE);
        options.limit = Some(page_size);
        let first_marker = options.marker.take();
        paginate(move |marker: Option<String>| {
            let client = client.clone();
            let container = container.clone();
            let mut options = options.clone();
            let marker = marker.or_else(|| first_marker.clone());
            async move {
                options.marker = marker.clone();
                let response = client
                    .endpoint()
                    .send(client.list_objects_request(&container, &options)?)
                    .await?;
                let (mut items, _) = parse_listing(&response, &container)?;
                let next_marker = (items.len() >= page_size as usize)
                    .then(|| items.last().map(|e| e.name().to_owned()))
                    .flatten();
                if let (Some(ListingEntry::Subdir(first)), Some(marker)) =
                    (items.first(), marker.as_ref())
                    && first == marker
                {
                    items.remove(0);
                }
                Ok(Page { items, next_marker })
            }
        })
        .boxed()
    }

    /// `POST /<account>/<container>?update&format=json`, accepting `202`,
    /// safe to repeat.
    fn container_update_request(&self, container: &str) -> Result<Request> {
        check_container(container)?;
        Ok(self
            .container_request(Request::post(), container)
            .flag("update")
            .query("format", Some("json"))
            .expect([StatusCode::ACCEPTED, StatusCode::NO_CONTENT])
            .idempotent(true))
    }
}

/// Refuses an empty container name, which would address the account.
pub(crate) fn check_container(container: &str) -> Result<()> {
    if container.is_empty() {
        return Err(Error::Config("the container name must not be empty".into()));
    }
    Ok(())
}

/// Adds the `X-Container-Policy-*` headers that are given.
fn policy_headers(
    request: Request,
    quota: Option<u64>,
    versioning: Option<Versioning>,
    project: Option<&str>,
) -> Result<Request> {
    request
        .header_opt("X-Container-Policy-Quota", quota.map(|q| q.to_string()))?
        .header_opt(
            "X-Container-Policy-Versioning",
            versioning.map(|v| v.as_str()),
        )?
        .header_opt(
            "X-Container-Policy-Project",
            project.map(crate::headers::encode_value),
        )
}

/// An [`Error::Http`] for a `409` the operation accepted in order to
/// explain it: the server's fault is kept in `details`.
pub(crate) fn conflict(response: &Response, method: Method, message: String) -> Error {
    let server = CloudFault::parse(response.body());
    let details = server.as_ref().map(ToString::to_string).or_else(|| {
        let text = String::from_utf8_lossy(response.body()).trim().to_owned();
        (!text.is_empty()).then(|| text.chars().take(200).collect())
    });
    Error::Http(Box::new(HttpError {
        method,
        url: response.url().to_owned(),
        status: response.status(),
        fault: Some(CloudFault {
            name: server.map_or_else(|| "conflict".to_owned(), |f| f.name),
            code: Some(response.status().as_u16()),
            message: Some(message),
            details,
        }),
        body_excerpt: None,
        retry_after: None,
        attempts: 1,
    }))
}

/// The container model from `HEAD` response headers.
pub(crate) fn parse_container_info(
    name: &str,
    headers: &HeaderMap,
) -> Result<ContainerInfo, String> {
    let headers = decoded_headers(headers);
    let block_size = parse_u64(&headers, "x-container-block-size")?
        .ok_or("the X-Container-Block-Size header is missing")?;
    if block_size == 0 {
        return Err("the block size is 0".into());
    }
    let block_hash = headers
        .get("x-container-block-hash")
        .map(|h| h.trim().to_owned())
        .ok_or("the X-Container-Block-Hash header is missing")?;
    let policies = with_prefix(&headers, "x-container-policy-");
    let versioning = match policies.get("versioning") {
        None => None,
        Some(text) if text.trim().is_empty() => None,
        Some(text) => Some(
            text.parse::<Versioning>()
                .map_err(|_| format!("unknown versioning policy {text:?}"))?,
        ),
    };
    let quota = match policies.get("quota") {
        None => None,
        Some(text) => Some(
            text.trim()
                .parse()
                .map_err(|_| format!("the quota {text:?} is not a number"))?,
        ),
    };
    let object_meta = headers
        .get("x-container-object-meta")
        .map(|list| {
            split_list(list)
                .into_iter()
                .map(|k| k.to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    Ok(ContainerInfo {
        name: name.to_owned(),
        object_count: parse_u64(&headers, "x-container-object-count")?,
        bytes_used: parse_u64(&headers, "x-container-bytes-used")?,
        block_size,
        block_hash,
        quota,
        versioning,
        project: policies.get("project").cloned().filter(|p| !p.is_empty()),
        policies,
        meta: with_prefix(&headers, "x-container-meta-"),
        object_meta,
        last_modified: parse_date(&headers, "last-modified")?,
        until_timestamp: parse_date(&headers, "x-container-until-timestamp")?,
        headers,
    })
}

/// The entries of a JSON container listing, and whether it was a `304`.
fn parse_listing(response: &Response, container: &str) -> Result<(Vec<ListingEntry>, bool)> {
    let not_modified = response.status() == StatusCode::NOT_MODIFIED;
    let values: Vec<Value> = json_list(response)?;
    let entries = values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            parse_entry(value).map_err(|problem| {
                response.invalid(format!(
                    "entry {index} of the listing of container {container:?}: {problem}"
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((entries, not_modified))
}

/// One listing entry: `{"subdir": "p/"}` or an object.
pub(crate) fn parse_entry(value: Value) -> Result<ListingEntry, String> {
    if let Some(object) = value.as_object()
        && !object.contains_key("name")
        && let Some(subdir) = object.get("subdir")
    {
        return subdir
            .as_str()
            .map(|s| ListingEntry::Subdir(s.to_owned()))
            .ok_or_else(|| format!("the subdir {subdir} is not text"));
    }
    serde_json::from_value::<ObjectEntry>(value)
        .map(ListingEntry::Object)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{accepted, client, header, header_names, line};
    use std::time::{Duration, UNIX_EPOCH};
    use synnefo_core::http::HeaderValue;

    /// kamaki's test container; `@` goes out as `%40`.
    const CONTAINER: &str = "c0nt@1n3r_i";

    #[test]
    fn create_container_with_policies_and_meta() {
        let pithos = client();
        let request = pithos
            .create_container_request(CONTAINER, &ContainerOptions::default())
            .unwrap();
        assert_eq!(line(&request), "PUT /ac0un7-1d-5tr1ng/c0nt%401n3r_i");
        assert_eq!(accepted(&request), [201, 202]);
        assert!(header_names(&request).is_empty());
        // kamaki's create_container(cont, 42, 'auto', meta, 'prid') [wire].
        let options = ContainerOptions {
            quota: Some(42),
            versioning: Some(Versioning::Auto),
            project: Some("prid".into()),
            meta: [("κ".to_owned(), "ν".to_owned())].into(),
        };
        let request = pithos
            .create_container_request(CONTAINER, &options)
            .unwrap();
        assert_eq!(header(&request, "x-container-policy-quota"), Some("42"));
        assert_eq!(
            header(&request, "x-container-policy-versioning"),
            Some("auto")
        );
        assert_eq!(header(&request, "x-container-policy-project"), Some("prid"));
        assert_eq!(header(&request, "x-container-meta-%CE%BA"), Some("%CE%BD"));
        assert!(
            pithos
                .create_container_request("", &ContainerOptions::default())
                .is_err()
        );
    }

    #[test]
    fn container_head_and_updates() {
        let pithos = client();
        let request = pithos.container_info_request(CONTAINER, None).unwrap();
        assert_eq!(line(&request), "HEAD /ac0un7-1d-5tr1ng/c0nt%401n3r_i");
        let until = UNIX_EPOCH + Duration::from_millis(1_500);
        let request = pithos
            .container_info_request(CONTAINER, Some(until))
            .unwrap();
        assert_eq!(
            line(&request),
            "HEAD /ac0un7-1d-5tr1ng/c0nt%401n3r_i?until=1"
        );

        let update = "POST /ac0un7-1d-5tr1ng/c0nt%401n3r_i?update&format=json";
        let request = pithos
            .set_container_meta_request(CONTAINER, [("k", "v")])
            .unwrap();
        assert_eq!(line(&request), update);
        assert_eq!(header(&request, "x-container-meta-k"), Some("v"));
        assert!(request.is_idempotent());
        assert!(request.body_ref().is_empty());
        assert!(
            header(&request, "content-type").is_none(),
            "not a block upload"
        );
        let request = pithos
            .delete_container_meta_request(CONTAINER, ["k"])
            .unwrap();
        assert_eq!(header(&request, "x-container-meta-k"), Some(""));
        let request = pithos.set_container_quota_request(CONTAINER, 0).unwrap();
        assert_eq!(line(&request), update);
        assert_eq!(header(&request, "x-container-policy-quota"), Some("0"));
        assert_eq!(header_names(&request), ["x-container-policy-quota"]);
        let request = pithos
            .set_container_versioning_request(CONTAINER, Versioning::Disabled)
            .unwrap();
        assert_eq!(
            header(&request, "x-container-policy-versioning"),
            Some("none")
        );
        let request = pithos
            .set_container_project_request(CONTAINER, "P")
            .unwrap();
        assert_eq!(header(&request, "x-container-policy-project"), Some("P"));
        assert!(
            pithos
                .set_container_project_request(CONTAINER, " ")
                .is_err()
        );
    }

    #[test]
    fn delete_container_query() {
        let pithos = client();
        let request = pithos
            .delete_container_request(CONTAINER, &DeleteContainer::default())
            .unwrap();
        assert_eq!(line(&request), "DELETE /ac0un7-1d-5tr1ng/c0nt%401n3r_i");
        assert_eq!(accepted(&request), [204, 409]);
        let options = DeleteContainer {
            until: Some(UNIX_EPOCH + Duration::from_secs(7)),
            delimiter: Some('/'),
        };
        let request = pithos
            .delete_container_request(CONTAINER, &options)
            .unwrap();
        assert_eq!(
            line(&request),
            "DELETE /ac0un7-1d-5tr1ng/c0nt%401n3r_i?until=7&delimiter=%2F"
        );
    }

    #[test]
    fn list_objects_query() {
        let pithos = client();
        let request = pithos
            .list_objects_request(CONTAINER, &ListObjectsOptions::default())
            .unwrap();
        assert_eq!(
            line(&request),
            "GET /ac0un7-1d-5tr1ng/c0nt%401n3r_i?format=json"
        );
        assert_eq!(accepted(&request), [200, 204, 304]);
        let options = ListObjectsOptions {
            prefix: Some("photos".into()),
            delimiter: Some('/'),
            marker: Some("photos/a".into()),
            limit: Some(2),
            meta: vec![
                MetaFilter::exists("k1"),
                MetaFilter::absent("k2"),
                MetaFilter::eq("k3", "v"),
            ],
            shared: true,
            public: true,
            until: Some(UNIX_EPOCH + Duration::from_secs(9)),
            if_unmodified_since: Some(UNIX_EPOCH + Duration::from_secs(1_322_813_441)),
            ..ListObjectsOptions::default()
        };
        let request = pithos.list_objects_request(CONTAINER, &options).unwrap();
        // The meta list as kamaki's wire has it: `meta=k1%2C%21k2%2Ck3%3Dv`.
        assert_eq!(
            line(&request),
            "GET /ac0un7-1d-5tr1ng/c0nt%401n3r_i?format=json&limit=2&marker=photos%2Fa\
             &prefix=photos&delimiter=%2F&shared&public&meta=k1%2C%21k2%2Ck3%3Dv&until=9"
        );
        assert_eq!(
            header(&request, "if-unmodified-since"),
            Some("Fri, 02 Dec 2011 08:10:41 GMT")
        );
        // `path` replaces prefix and delimiter.
        let options = ListObjectsOptions {
            path: Some("photos".into()),
            prefix: Some("ignored".into()),
            delimiter: Some('/'),
            ..ListObjectsOptions::default()
        };
        let request = pithos.list_objects_request(CONTAINER, &options).unwrap();
        assert_eq!(
            line(&request),
            "GET /ac0un7-1d-5tr1ng/c0nt%401n3r_i?format=json&path=photos"
        );
        let options = ListObjectsOptions {
            meta: vec![MetaFilter::eq("k", "a,b")],
            ..ListObjectsOptions::default()
        };
        assert!(pithos.list_objects_request(CONTAINER, &options).is_err());
    }

    #[test]
    fn container_headers_parse() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-container-object-count", "3"),
            ("x-container-bytes-used", "77"),
            ("x-container-block-size", "4194304"),
            ("x-container-block-hash", "sha256"),
            ("x-container-object-meta", "Color,Foo-Bar"),
            ("x-container-policy-quota", "0"),
            ("x-container-policy-versioning", "auto"),
            ("x-container-policy-project", "P"),
            ("x-container-meta-shelf", "top"),
            ("last-modified", "Fri, 02 Dec 2011 08:10:41 GMT"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let info = parse_container_info("c", &headers).unwrap();
        assert_eq!(info.name, "c");
        assert_eq!(info.object_count, Some(3));
        assert_eq!(info.bytes_used, Some(77));
        assert_eq!(info.block_size, 4_194_304);
        assert_eq!(info.block_hash, "sha256");
        assert_eq!(info.object_meta, ["color", "foo-bar"]);
        assert_eq!(info.quota, Some(0));
        assert_eq!(info.versioning, Some(Versioning::Auto));
        assert_eq!(info.project.as_deref(), Some("P"));
        assert_eq!(info.policies.len(), 3);
        assert_eq!(info.meta["shelf"], "top");

        headers.insert(
            "x-container-policy-versioning",
            HeaderValue::from_static("sometimes"),
        );
        assert!(parse_container_info("c", &headers).is_err());
        headers.remove("x-container-policy-versioning");
        headers.remove("x-container-block-size");
        let problem = parse_container_info("c", &headers).unwrap_err();
        assert!(problem.contains("Block-Size"), "{problem}");
    }

    #[test]
    fn listing_entries() {
        let subdir = parse_entry(serde_json::json!({"subdir": "photos/animals/"})).unwrap();
        assert_eq!(subdir, ListingEntry::Subdir("photos/animals/".into()));
        let object = parse_entry(serde_json::json!({"name": "photos/me.jpg", "bytes": 3})).unwrap();
        assert_eq!(object.name(), "photos/me.jpg");
        assert!(matches!(object, ListingEntry::Object(ref o) if o.bytes == 3));
        assert!(parse_entry(serde_json::json!({"subdir": 5})).is_err());
        assert!(parse_entry(serde_json::json!({"bytes": 5})).is_err());
        assert!(parse_entry(serde_json::json!("x")).is_err());
    }
}

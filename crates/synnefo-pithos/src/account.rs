//! Account operations: details, metadata, groups, quota, container
//! listing, and the accounts sharing with the caller.
//!
//! Every metadata or group change is a `POST ?update`, which merges: keys
//! not named are left alone (a `POST` without `update` would wipe them).

use crate::PithosClient;
use crate::headers::{
    decoded_headers, format_until, parse_date, parse_u64, with_date, with_deleted_keys,
    with_keyed_headers, with_prefix,
};
use crate::models::{AccountInfo, AccountQuota, ContainerEntry, SharingAccount};
use futures_core::Stream;
use http::StatusCode;
use std::collections::BTreeMap;
use std::time::SystemTime;
use synnefo_core::http::HeaderMap;
use synnefo_core::{Error, Page, Request, Response, Result, paginate};

/// The most entries a Pithos+ listing returns per request.
pub(crate) const MAX_PAGE: u32 = 10_000;

/// Options of [`PithosClient::list_containers`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// At most this many containers (the server caps pages at 10,000).
    pub limit: Option<u32>,
    /// Start after this name.
    pub marker: Option<String>,
    /// Only containers holding shared objects (`?shared`).
    pub shared: bool,
    /// Only containers holding public objects (`?public`, owner only).
    pub public: bool,
    /// The account as it was at this moment (owner only).
    pub until: Option<SystemTime>,
    /// `If-Modified-Since`: an unchanged account gives an empty list.
    pub if_modified_since: Option<SystemTime>,
    /// `If-Unmodified-Since`: a changed account fails with `412`.
    pub if_unmodified_since: Option<SystemTime>,
}

impl PithosClient {
    /// `HEAD /<account>[?until=]`.
    ///
    /// # Errors
    /// [`Error::Config`] never in practice (the request has no user text).
    pub fn account_info_request(&self, until: Option<SystemTime>) -> Result<Request> {
        Ok(self
            .account_request(Request::head())
            .query("until", until.map(format_until))
            .expect([StatusCode::NO_CONTENT, StatusCode::OK]))
    }

    /// The account's details: container count, bytes used, quota, groups,
    /// metadata (kamaki `get_account_info`, `get_account_meta`,
    /// `get_account_group`). With `until`, the account as it was then.
    ///
    /// # Errors
    /// [`Error::Http`] (403 for an account that shares nothing with the
    /// caller), [`Error::InvalidResponse`] for malformed headers.
    pub async fn account_info(&self, until: Option<SystemTime>) -> Result<AccountInfo> {
        let response = self
            .endpoint()
            .send(self.account_info_request(until)?)
            .await?;
        parse_account_info(response.headers())
            .map_err(|problem| response.invalid(format!("account {}: {problem}", self.account())))
    }

    /// `POST /<account>?update` with `X-Account-Meta-<key>: <value>` headers.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty key.
    pub fn set_account_meta_request<I, K, V>(&self, meta: I) -> Result<Request>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let request = self.account_update_request();
        with_keyed_headers(request, "metadata", "X-Account-Meta-", meta)
    }

    /// Sets account metadata, leaving other keys alone (kamaki
    /// `set_account_meta`). Keys are case-insensitive (`_` becomes `-`); an
    /// empty value deletes the key.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty key, [`Error::Http`] for a refused
    /// request (400 for too many or too long keys).
    pub async fn set_account_meta<I, K, V>(&self, meta: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.endpoint()
            .send(self.set_account_meta_request(meta)?)
            .await?;
        Ok(())
    }

    /// `POST /<account>` (no `update`) with `X-Account-Meta-*` headers.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty key.
    pub fn replace_account_meta_request<I, K, V>(&self, meta: I) -> Result<Request>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let request = self
            .account_request(Request::post())
            .expect([StatusCode::ACCEPTED, StatusCode::NO_CONTENT])
            .idempotent(true);
        with_keyed_headers(request, "metadata", "X-Account-Meta-", meta)
    }

    /// Replaces **all** account metadata with `meta`: keys not named are
    /// deleted, and an empty `meta` clears everything (kamaki
    /// `replace_account_meta`). To change some keys only, use
    /// [`PithosClient::set_account_meta`].
    ///
    /// # Errors
    /// As [`PithosClient::set_account_meta`].
    pub async fn replace_account_meta<I, K, V>(&self, meta: I) -> Result<()>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.endpoint()
            .send(self.replace_account_meta_request(meta)?)
            .await?;
        Ok(())
    }

    /// `POST /<account>?update` with an empty `X-Account-Meta-<key>` per key.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty key.
    pub fn delete_account_meta_request<I, K>(&self, keys: I) -> Result<Request>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        with_deleted_keys(
            self.account_update_request(),
            "metadata",
            "X-Account-Meta-",
            keys,
        )
    }

    /// Deletes account metadata keys, leaving the others alone (kamaki
    /// `del_account_meta`). Deleting an absent key is not an error.
    ///
    /// # Errors
    /// As [`PithosClient::set_account_meta`].
    pub async fn delete_account_meta<I, K>(&self, keys: I) -> Result<()>
    where
        I: IntoIterator<Item = K>,
        K: AsRef<str>,
    {
        self.endpoint()
            .send(self.delete_account_meta_request(keys)?)
            .await?;
        Ok(())
    }

    /// The account's user groups: name (lower case) to members (kamaki
    /// `get_account_group`).
    ///
    /// # Errors
    /// As [`PithosClient::account_info`].
    pub async fn account_groups(&self) -> Result<BTreeMap<String, Vec<String>>> {
        Ok(self.account_info(None).await?.groups)
    }

    /// `POST /<account>?update` with `X-Account-Group-<name>: m1,m2`.
    ///
    /// The members are joined with plain commas: kamaki percent-encoded the
    /// whole list (`m1%2Cm2`, its bug #21).
    ///
    /// # Errors
    /// [`Error::Config`] for an empty name, or a member that is empty or
    /// holds a comma.
    pub fn set_account_group_request<I, S>(&self, name: &str, members: I) -> Result<Request>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let members = members
            .into_iter()
            .map(|m| {
                let m = m.as_ref().trim();
                if m.is_empty() || m.contains(',') {
                    Err(Error::Config(format!(
                        "invalid member {m:?} for group {name:?}: expected a user UUID"
                    )))
                } else {
                    Ok(m.to_owned())
                }
            })
            .collect::<Result<Vec<_>>>()?;
        with_keyed_headers(
            self.account_update_request(),
            "group",
            "X-Account-Group-",
            [(name, members.join(","))],
        )
    }

    /// Creates or replaces a user group of the account (kamaki
    /// `set_account_group`). Members are user UUIDs; an empty list deletes
    /// the group. The server lower-cases the name and refuses names with
    /// `-` or `_` (400).
    ///
    /// # Errors
    /// As [`PithosClient::set_account_group_request`], and [`Error::Http`]
    /// for a refused request (400 for an invalid name, too many groups or
    /// members).
    pub async fn set_account_group<I, S>(&self, name: &str, members: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.endpoint()
            .send(self.set_account_group_request(name, members)?)
            .await?;
        Ok(())
    }

    /// `POST /<account>?update` with an empty `X-Account-Group-<name>`.
    ///
    /// # Errors
    /// [`Error::Config`] for an empty name.
    pub fn delete_account_group_request(&self, name: &str) -> Result<Request> {
        with_deleted_keys(
            self.account_update_request(),
            "group",
            "X-Account-Group-",
            [name],
        )
    }

    /// Deletes a user group (kamaki `del_account_group`).
    ///
    /// # Errors
    /// As [`PithosClient::set_account_group`].
    pub async fn delete_account_group(&self, name: &str) -> Result<()> {
        self.endpoint()
            .send(self.delete_account_group_request(name)?)
            .await?;
        Ok(())
    }

    /// The account's storage quota and use (kamaki `get_account_quota`).
    ///
    /// # Errors
    /// As [`PithosClient::account_info`].
    pub async fn account_quota(&self) -> Result<AccountQuota> {
        let info = self.account_info(None).await?;
        Ok(AccountQuota {
            limit: info.quota,
            used: info.bytes_used,
            per_project: info.project_quotas,
        })
    }

    /// `GET /<account>?format=json` with the listing options.
    ///
    /// # Errors
    /// [`Error::Config`] never in practice.
    pub fn list_containers_request(&self, options: &ListOptions) -> Result<Request> {
        let request = self
            .account_request(Request::get())
            .query("format", Some("json"))
            .query("limit", options.limit)
            .query("marker", options.marker.as_deref())
            .flag_if("shared", options.shared)
            .flag_if("public", options.public)
            .query("until", options.until.map(format_until))
            .expect([
                StatusCode::OK,
                StatusCode::NO_CONTENT,
                StatusCode::NOT_MODIFIED,
            ]);
        let request = with_date(request, "If-Modified-Since", options.if_modified_since)?;
        with_date(request, "If-Unmodified-Since", options.if_unmodified_since)
    }

    /// One page of the account's containers (kamaki `list_containers`);
    /// another user's account lists only containers holding objects shared
    /// with the caller. An account unchanged since `if_modified_since`
    /// gives an empty list.
    ///
    /// # Errors
    /// [`Error::Http`] (403 for `public` on another account),
    /// [`Error::InvalidResponse`] for a malformed listing.
    pub async fn list_containers(&self, options: &ListOptions) -> Result<Vec<ContainerEntry>> {
        let response = self
            .endpoint()
            .send(self.list_containers_request(options)?)
            .await?;
        json_list(&response)
    }

    /// Every container of the account, fetched page by page as the stream
    /// is read (`limit` sets the page size).
    pub fn list_containers_stream(
        &self,
        options: &ListOptions,
    ) -> impl Stream<Item = Result<ContainerEntry>> + Send + 'static {
        let client = self.clone();
        let options = options.clone();
        let page_size = options.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
        paginate(move |marker: Option<String>| {
            let client = client.clone();
            let mut options = options.clone();
            async move {
                if marker.is_some() {
                    options.marker = marker;
                }
                options.limit = Some(page_size);
                let items = client.list_containers(&options).await?;
                let next_marker = (items.len() >= page_size as usize)
                    .then(|| items.last().map(|c| c.name.clone()))
                    .flatten();
                Ok(Page { items, next_marker })
            }
        })
    }

    /// `GET /?format=json` on the service root.
    ///
    /// # Errors
    /// [`Error::Config`] never in practice.
    pub fn sharing_accounts_request(&self) -> Result<Request> {
        // The root with its trailing slash, as kamaki and the server use it.
        Ok(Request::get()
            .segment("")
            .query("format", Some("json"))
            .expect([StatusCode::OK, StatusCode::NO_CONTENT]))
    }

    /// The accounts that share something with the caller (kamaki
    /// `get_sharing_accounts`); the caller's own account is not listed.
    ///
    /// # Errors
    /// [`Error::Http`], [`Error::InvalidResponse`] for a malformed listing.
    pub async fn sharing_accounts(&self) -> Result<Vec<SharingAccount>> {
        let response = self
            .endpoint()
            .send(self.sharing_accounts_request()?)
            .await?;
        json_list(&response)
    }

    /// `POST /<account>?update`, accepting `202`, safe to repeat.
    fn account_update_request(&self) -> Request {
        self.account_request(Request::post())
            .flag("update")
            .expect([StatusCode::ACCEPTED, StatusCode::NO_CONTENT])
            .idempotent(true)
    }
}

/// A JSON list body; `204`, `304` and an empty body are an empty list.
pub(crate) fn json_list<T: serde::de::DeserializeOwned>(response: &Response) -> Result<Vec<T>> {
    if matches!(
        response.status(),
        StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
    ) || response.body().iter().all(u8::is_ascii_whitespace)
    {
        return Ok(Vec::new());
    }
    response.json()
}

/// The account model from `HEAD` response headers.
pub(crate) fn parse_account_info(headers: &HeaderMap) -> Result<AccountInfo, String> {
    let headers = decoded_headers(headers);
    let policies = with_prefix(&headers, "x-account-policy-");
    let mut project_quotas = BTreeMap::new();
    for (key, value) in &policies {
        if let Some(project) = key.strip_prefix("quota-") {
            let limit = value.trim().parse().map_err(|_| {
                format!("the quota of project {project} is not a number: {value:?}")
            })?;
            project_quotas.insert(project.to_owned(), limit);
        }
    }
    let groups = with_prefix(&headers, "x-account-group-")
        .into_iter()
        .map(|(name, members)| (name, split_list(&members)))
        .collect();
    Ok(AccountInfo {
        container_count: parse_u64(&headers, "x-account-container-count")?,
        bytes_used: parse_u64(&headers, "x-account-bytes-used")?,
        quota: parse_u64(&headers, "x-account-policy-quota")?,
        project_quotas,
        policies,
        groups,
        meta: with_prefix(&headers, "x-account-meta-"),
        last_modified: parse_date(&headers, "last-modified")?,
        until_timestamp: parse_date(&headers, "x-account-until-timestamp")?,
        headers,
    })
}

/// A comma-separated header list, trimmed, empty items dropped.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{accepted, client, header, line};
    use std::time::{Duration, UNIX_EPOCH};
    use synnefo_core::http::HeaderValue;

    #[test]
    fn account_head() {
        let pithos = client();
        let request = pithos.account_info_request(None).unwrap();
        assert_eq!(line(&request), "HEAD /ac0un7-1d-5tr1ng");
        assert_eq!(accepted(&request), [204, 200]);
        let until = UNIX_EPOCH + Duration::from_secs(1_322_813_441);
        let request = pithos.account_info_request(Some(until)).unwrap();
        assert_eq!(line(&request), "HEAD /ac0un7-1d-5tr1ng?until=1322813441");
    }

    #[test]
    fn account_meta_is_an_update_and_encoded() {
        let pithos = client();
        let request = pithos
            .set_account_meta_request([("color", "blue"), ("κ", "ν 100%")])
            .unwrap();
        assert_eq!(line(&request), "POST /ac0un7-1d-5tr1ng?update");
        assert_eq!(header(&request, "x-account-meta-color"), Some("blue"));
        assert_eq!(
            header(&request, "x-account-meta-%CE%BA"),
            Some("%CE%BD 100%25")
        );
        assert_eq!(accepted(&request), [202, 204]);
        assert!(request.is_idempotent());
        let request = pithos.replace_account_meta_request([("k", "v")]).unwrap();
        assert_eq!(line(&request), "POST /ac0un7-1d-5tr1ng");
        assert_eq!(header(&request, "x-account-meta-k"), Some("v"));
        let request = pithos.delete_account_meta_request(["color"]).unwrap();
        assert_eq!(line(&request), "POST /ac0un7-1d-5tr1ng?update");
        assert_eq!(header(&request, "x-account-meta-color"), Some(""));
        assert!(pithos.set_account_meta_request([("", "v")]).is_err());
    }

    #[test]
    fn groups_are_comma_joined_not_encoded() {
        // kamaki sent `u1%2Cu2` (its bug #21).
        let pithos = client();
        let request = pithos
            .set_account_group_request("friends", ["u1", " u2 "])
            .unwrap();
        assert_eq!(line(&request), "POST /ac0un7-1d-5tr1ng?update");
        assert_eq!(header(&request, "x-account-group-friends"), Some("u1,u2"));
        let request = pithos.delete_account_group_request("friends").unwrap();
        assert_eq!(header(&request, "x-account-group-friends"), Some(""));
        assert!(
            pithos
                .set_account_group_request("friends", ["a,b"])
                .is_err()
        );
        assert!(pithos.set_account_group_request("", ["u1"]).is_err());
    }

    #[test]
    fn list_containers_query() {
        let pithos = client();
        let request = pithos
            .list_containers_request(&ListOptions::default())
            .unwrap();
        assert_eq!(line(&request), "GET /ac0un7-1d-5tr1ng?format=json");
        assert_eq!(accepted(&request), [200, 204, 304]);
        let options = ListOptions {
            limit: Some(10),
            marker: Some("a b".into()),
            shared: true,
            public: true,
            until: Some(UNIX_EPOCH + Duration::from_secs(5)),
            if_modified_since: Some(UNIX_EPOCH + Duration::from_secs(1_322_813_441)),
            if_unmodified_since: None,
        };
        let request = pithos.list_containers_request(&options).unwrap();
        // Bare flags (kamaki sent `shared=None`), values encoded once.
        assert_eq!(
            line(&request),
            "GET /ac0un7-1d-5tr1ng?format=json&limit=10&marker=a%20b&shared&public&until=5"
        );
        assert_eq!(
            header(&request, "if-modified-since"),
            Some("Fri, 02 Dec 2011 08:10:41 GMT")
        );
    }

    #[test]
    fn sharing_accounts_is_the_service_root() {
        let request = client().sharing_accounts_request().unwrap();
        assert_eq!(line(&request), "GET /?format=json");
        assert_eq!(accepted(&request), [200, 204]);
    }

    #[test]
    fn account_headers_parse() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-account-container-count", "2"),
            ("x-account-bytes-used", "1024"),
            ("x-account-policy-quota", "53687091200"),
            (
                "x-account-policy-quota-c18088be-16b1-4263-8180-043c54e22903",
                "1000",
            ),
            ("x-account-group-friends", "u1,u2"),
            ("x-account-group-empty", ""),
            ("x-account-meta-color", "blue"),
            ("x-account-meta-%CE%BA", "%CE%BD"),
            ("last-modified", "Fri, 02 Dec 2011 08:10:41 GMT"),
        ] {
            headers.append(name, HeaderValue::from_static(value));
        }
        let info = parse_account_info(&headers).unwrap();
        assert_eq!(info.container_count, Some(2));
        assert_eq!(info.bytes_used, Some(1024));
        assert_eq!(info.quota, Some(53_687_091_200));
        assert_eq!(
            info.project_quotas["c18088be-16b1-4263-8180-043c54e22903"],
            1000
        );
        assert_eq!(info.groups["friends"], ["u1", "u2"]);
        assert!(info.groups["empty"].is_empty());
        assert_eq!(info.meta["color"], "blue");
        assert_eq!(info.meta["κ"], "ν");
        assert!(info.last_modified.is_some());
        assert_eq!(info.headers["x-account-bytes-used"], "1024");

        headers.insert("x-account-bytes-used", HeaderValue::from_static("lots"));
        let problem = parse_account_info(&headers).unwrap_err();
        assert!(problem.contains("x-account-bytes-used"), "{problem}");
        // Another user's account: only Last-Modified.
        let mut headers = HeaderMap::new();
        headers.insert(
            "last-modified",
            HeaderValue::from_static("Fri, 02 Dec 2011 08:10:41 GMT"),
        );
        let info = parse_account_info(&headers).unwrap();
        assert_eq!(info.container_count, None);
    }
}

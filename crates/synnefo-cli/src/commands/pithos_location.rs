//! Where an object-storage command acts: the Pithos+ client built from the
//! session and the config file, and kamaki's location syntax
//! (`pithos://UUID/CONTAINER/PATH`, `/CONTAINER/PATH`, a bare `PATH` in
//! the default container) combined with `-A/--account` and
//! `-C/--container`.

use crate::args::{GlobalArgs, PithosArgs};
use crate::commands::pithos_util::is_uuid;
use crate::config::Service as ConfigService;
use crate::session;
use anyhow::{Context, Result, bail};
use synnefo_astakos::Cloud;
use synnefo_core::{Token, normalize_endpoint_url};
use synnefo_pithos::PithosClient;

/// The container kamaki uses when neither the command nor the config
/// names one.
pub(crate) const DEFAULT_CONTAINER: &str = "pithos";

/// A location as written on the command line, before defaults apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Location {
    /// The account (user UUID) of a `pithos://` URL.
    pub(crate) account: Option<String>,
    /// The container, when the location names one.
    pub(crate) container: Option<String>,
    /// The object path (possibly empty: the whole container).
    pub(crate) path: String,
}

impl Location {
    /// Parses `pithos://UUID[/CONTAINER[/PATH]]`, `/CONTAINER[/PATH]` or a
    /// bare `PATH`.
    pub(crate) fn parse(text: &str) -> Result<Location> {
        if let Some(rest) = text.strip_prefix("pithos://") {
            let mut parts = rest.splitn(3, '/');
            let account = parts.next().unwrap_or_default();
            if account.is_empty() {
                bail!(
                    "invalid location {text:?}: expected pithos://ACCOUNT/CONTAINER/PATH \
                     (the account is missing)"
                );
            }
            let container = parts.next().filter(|c| !c.is_empty());
            let path = parts.next().unwrap_or_default();
            if container.is_none() && !path.is_empty() {
                bail!("invalid location {text:?}: the container is missing");
            }
            return Ok(Location {
                account: Some(account.to_owned()),
                container: container.map(str::to_owned),
                path: path.to_owned(),
            });
        }
        if let Some(rest) = text.strip_prefix('/') {
            let (container, path) = rest.split_once('/').unwrap_or((rest, ""));
            if container.is_empty() {
                bail!("invalid location {text:?}: expected /CONTAINER/PATH");
            }
            return Ok(Location {
                account: None,
                container: Some(container.to_owned()),
                path: path.to_owned(),
            });
        }
        Ok(Location {
            account: None,
            container: None,
            path: text.to_owned(),
        })
    }
}

/// An authenticated Pithos+ session.
pub(crate) struct PithosSession {
    /// The authenticated cloud (for name ⇄ UUID translation).
    pub(crate) cloud: Cloud,
    /// The client of the default account (`pithos_uuid`, else the user's).
    pub(crate) client: PithosClient,
    /// The default container (`pithos_container`, else `pithos`).
    pub(crate) default_container: String,
}

/// Where a command acts: an account's client, a container, a path.
pub(crate) struct Target {
    /// The client of the account addressed.
    pub(crate) client: PithosClient,
    /// The container.
    pub(crate) container: String,
    /// The object path (possibly empty).
    pub(crate) path: String,
}

impl Target {
    /// `container/path` for messages.
    pub(crate) fn display(&self) -> String {
        if self.path.is_empty() {
            self.container.clone()
        } else {
            format!("{}/{}", self.container, self.path)
        }
    }
}

impl PithosSession {
    /// Authenticates and builds the Pithos+ client as kamaki does:
    /// `cloud.<c>.pithos_url` or the catalog's `object-store` endpoint
    /// (`pithos_type`, `pithos_version`), `pithos_token` or the session's
    /// token, `pithos_uuid` or the user's UUID.
    pub(crate) async fn connect(global: &GlobalArgs) -> Result<PithosSession> {
        let (cloud, settings) = session::connect_with_settings(global).await?;
        let service = ConfigService::Pithos;
        let url = match settings.service_url(service) {
            Some(url) => normalize_endpoint_url(url, "1"),
            None => cloud
                .endpoint_url(
                    settings.service_type(service).unwrap_or("object-store"),
                    settings.service_version(service),
                    "1",
                )
                .context("cannot find the object-store (Pithos+) service")?,
        };
        let token = match settings.service_token(service) {
            Some(token) => Token::new(token),
            None => cloud.token().clone(),
        };
        let endpoint = cloud
            .http()
            .endpoint(&url, Some(token))
            .with_context(|| format!("cannot use the Pithos+ URL {url:?}"))?;
        let account = settings
            .pithos_uuid
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| cloud.user().id.clone());
        let default_container = settings
            .pithos_container
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_CONTAINER.to_owned());
        Ok(PithosSession {
            client: PithosClient::new(endpoint, account),
            cloud,
            default_container,
        })
    }

    /// The UUID of an account given as a UUID or a display name.
    pub(crate) async fn resolve_account(&self, name_or_uuid: &str) -> Result<String> {
        let name_or_uuid = name_or_uuid.trim();
        if is_uuid(name_or_uuid) {
            return Ok(name_or_uuid.to_owned());
        }
        let found = self
            .cloud
            .names_to_uuids(&[name_or_uuid])
            .await
            .with_context(|| format!("cannot look up the user {name_or_uuid:?}"))?;
        match found.get(name_or_uuid) {
            Some(uuid) => Ok(uuid.clone()),
            None => bail!("no user named {name_or_uuid:?} (give a user UUID or display name)"),
        }
    }

    /// The client of the account `-A` names, or the default one.
    pub(crate) async fn account_client(&self, account: Option<&str>) -> Result<PithosClient> {
        match account {
            Some(account) => Ok(self
                .client
                .with_account(self.resolve_account(account).await?)),
            None => Ok(self.client.clone()),
        }
    }

    /// Resolves a file location with `-A`/`-C`: the location's own account
    /// and container win; giving different ones twice is an error.
    pub(crate) async fn target(&self, args: &PithosArgs, location: &str) -> Result<Target> {
        let parsed = Location::parse(location)?;
        let account = match (&parsed.account, &args.account) {
            (Some(url), Some(flag)) => {
                let flag_uuid = self.resolve_account(flag).await?;
                if *url != flag_uuid {
                    bail!(
                        "{location:?} names account {url} but --account says {flag}: give only one"
                    );
                }
                Some(url.clone())
            }
            (Some(url), None) => Some(self.resolve_account(url).await?),
            (None, Some(flag)) => Some(self.resolve_account(flag).await?),
            (None, None) => None,
        };
        let container = match (&parsed.container, &args.container) {
            (Some(own), Some(flag)) if own != flag => bail!(
                "{location:?} names container {own:?} but --container says {flag:?}: give only one"
            ),
            (Some(own), _) => own.clone(),
            (None, Some(flag)) => flag.clone(),
            (None, None) => self.default_container.clone(),
        };
        Ok(Target {
            client: match account {
                Some(uuid) => self.client.with_account(uuid),
                None => self.client.clone(),
            },
            container,
            path: parsed.path,
        })
    }

    /// The target of a file command given no location: the container of
    /// `-C` (or the default) as a whole.
    pub(crate) async fn container_only(&self, args: &PithosArgs) -> Result<Target> {
        Ok(Target {
            client: self.account_client(args.account.as_deref()).await?,
            container: args
                .container
                .clone()
                .unwrap_or_else(|| self.default_container.clone()),
            path: String::new(),
        })
    }

    /// The target of a container command: `NAME`, `/NAME` or
    /// `pithos://UUID/NAME`, with `-A`.
    pub(crate) async fn container_target(
        &self,
        account: Option<&str>,
        container: &str,
    ) -> Result<Target> {
        let location = if container.starts_with("pithos://") || container.starts_with('/') {
            container.to_owned()
        } else {
            format!("/{container}")
        };
        let args = PithosArgs {
            account: account.map(str::to_owned),
            container: None,
        };
        let target = self.target(&args, &location).await?;
        if !target.path.trim_matches('/').is_empty() {
            bail!(
                "{container:?} is not a container name (it has a path: {:?})",
                target.path
            );
        }
        if location.starts_with("pithos://") && Location::parse(&location)?.container.is_none() {
            bail!("{container:?} names no container");
        }
        Ok(Target {
            path: String::new(),
            ..target
        })
    }

    /// A public URL as a full URL: servers may answer a path.
    pub(crate) fn full_public_url(&self, url: &str) -> String {
        if !url.starts_with('/') {
            return url.to_owned();
        }
        let base = self.client.endpoint().base_url();
        let origin = base
            .find("://")
            .and_then(|scheme| {
                base[scheme + 3..]
                    .find('/')
                    .map(|slash| &base[..scheme + 3 + slash])
            })
            .unwrap_or(base);
        format!("{origin}{url}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            Location::parse("pithos://u-1/c/a/b.txt").unwrap(),
            Location {
                account: Some("u-1".into()),
                container: Some("c".into()),
                path: "a/b.txt".into()
            }
        );
        assert_eq!(
            Location::parse("pithos://u-1/c").unwrap(),
            Location {
                account: Some("u-1".into()),
                container: Some("c".into()),
                path: String::new()
            }
        );
        assert_eq!(
            Location::parse("pithos://u-1").unwrap().container,
            None::<String>
        );
        assert_eq!(
            Location::parse("/c/a//b/").unwrap(),
            Location {
                account: None,
                container: Some("c".into()),
                path: "a//b/".into()
            }
        );
        assert_eq!(Location::parse("/c").unwrap().path, "");
        assert_eq!(
            Location::parse("a/b").unwrap(),
            Location {
                account: None,
                container: None,
                path: "a/b".into()
            }
        );
        assert!(Location::parse("pithos:///c/p").is_err());
        assert!(Location::parse("//p").is_err());
    }
}

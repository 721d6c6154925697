//! `CloudUsers`: several authenticated users of one cloud, by UUID (kamaki's
//! `CachedAstakosClient`, which keeps every token it authenticated).

use crate::cloud::Cloud;
use crate::models::User;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use synnefo_core::{HttpClient, Result, Token};

/// The users of one cloud whose tokens were authenticated, each with its
/// own [`Cloud`] session; one of them is the current user.
///
/// ```no_run
/// # async fn example() -> synnefo_core::Result<()> {
/// use synnefo_astakos::CloudUsers;
/// use synnefo_core::{ClientConfig, HttpClient, Token};
///
/// let http = HttpClient::new(ClientConfig::default())?;
/// let mut users = CloudUsers::new(http, "https://accounts.example.org/identity/v2.0");
/// let alice = users.authenticate(Token::new("alice's token")).await?.user().id.clone();
/// users.authenticate(Token::new("bob's token")).await?;
/// assert_eq!(users.current().map(|c| c.user().id.as_str()), Some(alice.as_str()));
/// for user in users.list_users() {
///     println!("{} {}", user.id, user.name.as_deref().unwrap_or(""));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct CloudUsers {
    http: HttpClient,
    identity_url: String,
    sessions: BTreeMap<String, Cloud>,
    current: Option<String>,
}

impl CloudUsers {
    /// No users yet, for the cloud at `identity_url`.
    pub fn new(http: HttpClient, identity_url: impl Into<String>) -> CloudUsers {
        CloudUsers {
            http,
            identity_url: identity_url.into(),
            sessions: BTreeMap::new(),
            current: None,
        }
    }

    /// Authenticates `token` and keeps its session, replacing an earlier
    /// one of the same user (a new token for them); the first user becomes
    /// the current one (kamaki `authenticate`).
    ///
    /// # Errors
    /// As [`Cloud::connect`]; a refused token is not kept.
    pub async fn authenticate(&mut self, token: Token) -> Result<&Cloud> {
        let cloud = Cloud::connect(self.http.clone(), &self.identity_url, token).await?;
        let uuid = cloud.user().id.clone();
        if self.current.is_none() {
            self.current = Some(uuid.clone());
        }
        Ok(match self.sessions.entry(uuid) {
            Entry::Occupied(mut kept) => {
                kept.insert(cloud);
                kept.into_mut()
            }
            Entry::Vacant(slot) => slot.insert(cloud),
        })
    }

    /// The users kept, in UUID order (kamaki `list_users`).
    pub fn list_users(&self) -> Vec<&User> {
        self.sessions.values().map(Cloud::user).collect()
    }

    /// The session of the user `uuid`.
    pub fn user(&self, uuid: &str) -> Option<&Cloud> {
        self.sessions.get(uuid)
    }

    /// The token of the user `uuid` (kamaki `get_token`).
    pub fn token(&self, uuid: &str) -> Option<&Token> {
        self.sessions.get(uuid).map(Cloud::token)
    }

    /// The current user's session.
    pub fn current(&self) -> Option<&Cloud> {
        self.current
            .as_deref()
            .and_then(|uuid| self.sessions.get(uuid))
    }

    /// Makes `uuid` the current user; `false` for a user not kept.
    pub fn select(&mut self, uuid: &str) -> bool {
        let known = self.sessions.contains_key(uuid);
        if known {
            self.current = Some(uuid.to_owned());
        }
        known
    }

    /// Forgets the user `uuid` and gives their session back (kamaki
    /// `remove_user`). Removing the current user makes the first one left
    /// (in UUID order) current.
    pub fn remove_user(&mut self, uuid: &str) -> Option<Cloud> {
        let removed = self.sessions.remove(uuid)?;
        if self.current.as_deref() == Some(uuid) {
            self.current = self.sessions.keys().next().cloned();
        }
        Some(removed)
    }
}

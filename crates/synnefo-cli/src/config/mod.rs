//! The `snf` configuration file, compatible with kamaki's `~/.kamakirc`.
//!
//! The file is an INI document (see [`ini`]) with a `[global]` section and
//! one `[cloud "NAME"]` section per cloud:
//!
//! ```text
//! # Kamaki configuration file v0.16
//! [global]
//! default_cloud = mycloud
//!
//! [cloud "mycloud"]
//! url = https://accounts.example.com/identity/v2.0
//! token = TOKEN1 TOKEN2
//! ```
//!
//! Options are addressed as kamaki does: `KEY` or `global.KEY` for
//! `[global]`, `cloud.NAME.KEY` for a cloud, `cloud.NAME` for a whole cloud
//! (see [`OptionAddress`]). Unlike kamaki, editing keeps the user's comments,
//! order and spacing: only the changed lines are rewritten.

pub mod ini;

use std::ffi::OsStr;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use ini::IniDocument;

/// The first line of a configuration file created by `snf` (kamaki's).
pub const CONFIG_HEADER: &str = "# Kamaki configuration file v0.16";

/// Environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "KAMAKI_CONFIG";

/// Environment variable naming the default cloud.
pub const DEFAULT_CLOUD_ENV: &str = "KAMAKI_DEFAULT_CLOUD";

/// The section of global options.
const GLOBAL: &str = "global";

/// kamaki's defaults for `[global]` options, in documentation order.
pub const GLOBAL_DEFAULTS: &[(&str, &str)] = &[
    ("default_cloud", ""),
    ("colors", "off"),
    ("log_file", "~/.kamaki.log"),
    ("log_token", "off"),
    ("log_data", "off"),
    ("log_pid", "off"),
    ("history_file", "~/.kamaki.history"),
    ("history_limit", "0"),
    ("ignore_ssl", "off"),
    ("ca_certs", ""),
    ("user_cli", "astakos"),
    ("quota_cli", "astakos"),
    ("resource_cli", "astakos"),
    ("project_cli", "astakos"),
    ("membership_cli", "astakos"),
    ("file_cli", "pithos"),
    ("container_cli", "pithos"),
    ("sharer_cli", "pithos"),
    ("group_cli", "pithos"),
    ("server_cli", "cyclades"),
    ("flavor_cli", "cyclades"),
    ("keypair_cli", "cyclades"),
    ("network_cli", "network"),
    ("subnet_cli", "network"),
    ("port_cli", "network"),
    ("ip_cli", "network"),
    ("volume_cli", "blockstorage"),
    ("snapshot_cli", "blockstorage"),
    ("image_cli", "image"),
    ("imagecompute_cli", "image"),
    ("config_cli", "config"),
    ("history_cli", "history"),
    ("scripts_cli", "contrib.scripts"),
];

/// Everything that can go wrong with the configuration. Messages say what
/// is wrong and what to do, and never contain a token.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Neither `KAMAKI_CONFIG` nor `HOME` is set.
    #[error(
        "cannot locate the configuration file: neither {CONFIG_ENV} nor HOME is set; \
         set one of them or pass --config PATH"
    )]
    NoConfigPath,
    /// The file exists but cannot be read.
    #[error("cannot read configuration file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file cannot be written.
    #[error("cannot write configuration file {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The file is not UTF-8.
    #[error(
        "configuration file {} is not valid UTF-8 (line {line}): \
         re-save that line as UTF-8 or remove it",
        path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
    },
    /// A line of the file cannot be understood.
    #[error("configuration file {}, line {line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A section starts with `cloud ` but is not `cloud "NAME"` with a valid
    /// name (kamaki refuses such files too).
    #[error(
        "configuration file {}: section [{section}] is not a valid cloud section: \
         write it as [cloud \"NAME\"] where NAME contains only letters, digits and \
         _ ~ @ # $ . : -",
        path.display()
    )]
    InvalidCloudSection {
        /// The file.
        path: PathBuf,
        /// The section name, as written between the brackets.
        section: String,
    },
    /// An option address or key that cannot be used.
    #[error("invalid option `{option}`: {reason}")]
    InvalidOption {
        /// The option as given.
        option: String,
        /// Why, and what to write instead.
        reason: String,
    },
    /// A cloud name outside `[~@#$.:\-\w]+`.
    #[error(
        "invalid cloud name `{name}`: a cloud name may contain only letters, digits \
         and _ ~ @ # $ . : -"
    )]
    InvalidCloudName {
        /// The name as given.
        name: String,
    },
    /// A value that cannot be stored (the value itself is not shown).
    #[error("invalid value for {option}: {reason}")]
    InvalidValue {
        /// The option.
        option: String,
        /// Why.
        reason: String,
    },
    /// `cloud.NAME` used where a single option is needed.
    #[error(
        "`cloud.{cloud}` names a whole cloud, not an option: use cloud.{cloud}.KEY, \
         e.g. cloud.{cloud}.url or cloud.{cloud}.token"
    )]
    WholeCloud {
        /// The cloud.
        cloud: String,
    },
    /// No cloud is configured.
    #[error(
        "no cloud is configured; add one with\n  snf config set cloud.<name>.url <URL>\n  \
         snf config set cloud.<name>.token <TOKEN>"
    )]
    NoClouds,
    /// No cloud is configured but `[global]` has `url` or `token`: the
    /// pre-0.12 kamaki format, which kamaki converts interactively.
    #[error(
        "the configuration file uses kamaki's old (pre-0.12) format, with url/token \
         in [global]; move them to a cloud with\n  \
         snf config set cloud.default.url <URL>\n  \
         snf config set cloud.default.token <TOKEN>\n  \
         snf config delete global.url\n  snf config delete global.token"
    )]
    LegacyFormat,
    /// Several clouds and none chosen.
    #[error(
        "{} clouds are configured ({}) but none is the default; pick one with \
         --cloud NAME, or set a default with\n  snf config set default_cloud NAME\n\
         or the {DEFAULT_CLOUD_ENV} environment variable",
        clouds.len(),
        clouds.join(", ")
    )]
    NoDefaultCloud {
        /// The configured clouds.
        clouds: Vec<String>,
    },
    /// The chosen cloud has no section.
    #[error(
        "cloud \"{cloud}\" (chosen by {origin}) is not configured{}; to add it:\n  \
         snf config set cloud.{cloud}.url <URL>\n  snf config set cloud.{cloud}.token <TOKEN>",
        if configured.is_empty() { String::new() } else {
            format!(" (configured: {})", configured.join(", "))
        }
    )]
    UnknownCloud {
        /// The cloud name.
        cloud: String,
        /// What named it: `--cloud`, `global.default_cloud` or the
        /// environment variable.
        origin: &'static str,
        /// The configured clouds.
        configured: Vec<String>,
    },
    /// The chosen cloud has no `url`.
    #[error(
        "cloud \"{cloud}\" has no authentication URL; set it with\n  \
         snf config set cloud.{cloud}.url <URL>"
    )]
    MissingUrl {
        /// The cloud.
        cloud: String,
    },
    /// The chosen cloud has no `token`.
    #[error(
        "cloud \"{cloud}\" has no token; set it with\n  \
         snf config set cloud.{cloud}.token <TOKEN>"
    )]
    MissingToken {
        /// The cloud.
        cloud: String,
    },
}

/// A service with per-cloud overrides (`<service>_url`, `_token`, `_type`,
/// `_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Identity (`astakos_*`).
    Astakos,
    /// Compute (`cyclades_*`).
    Cyclades,
    /// Network (`network_*`).
    Network,
    /// Block storage (`volume_*`).
    Volume,
    /// Image (`plankton_*`).
    Plankton,
    /// Object storage (`pithos_*`).
    Pithos,
}

impl Service {
    /// Every service.
    pub const ALL: [Service; 6] = [
        Service::Astakos,
        Service::Cyclades,
        Service::Network,
        Service::Volume,
        Service::Plankton,
        Service::Pithos,
    ];

    /// The prefix of the service's keys, e.g. `pithos`.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Astakos => "astakos",
            Service::Cyclades => "cyclades",
            Service::Network => "network",
            Service::Volume => "volume",
            Service::Plankton => "plankton",
            Service::Pithos => "pithos",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `name` is a valid cloud name (`[~@#$.:\-\w]+`, ASCII `\w` as in
/// Python 2).
pub fn is_valid_cloud_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_~@#$.:-".contains(c))
}

fn check_cloud_name(name: &str) -> Result<String, ConfigError> {
    if is_valid_cloud_name(name) {
        Ok(name.to_owned())
    } else {
        Err(ConfigError::InvalidCloudName {
            name: name.to_owned(),
        })
    }
}

/// The INI section of a cloud.
fn cloud_section(cloud: &str) -> String {
    format!("cloud \"{cloud}\"")
}

/// `None` for a non-cloud section, else the cloud name or `Err` if the
/// section starts with `cloud ` but is malformed.
fn cloud_of_section(section: &str) -> Option<Result<&str, ()>> {
    let rest = section.strip_prefix("cloud ")?;
    Some(
        rest.strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .filter(|name| is_valid_cloud_name(name))
            .ok_or(()),
    )
}

/// Where an option lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OptionAddress {
    /// `KEY` or `global.KEY`.
    Global {
        /// The key, lower-cased.
        key: String,
    },
    /// `cloud.NAME.KEY`.
    Cloud {
        /// The cloud name (case-sensitive).
        cloud: String,
        /// The key, lower-cased.
        key: String,
    },
    /// `cloud.NAME`: a whole cloud.
    WholeCloud {
        /// The cloud name.
        cloud: String,
    },
}

impl OptionAddress {
    /// Parses an option as kamaki does: the key is after the last `.`, so
    /// `cloud.my.cloud.url` is key `url` of cloud `my.cloud`. Keys are
    /// lower-cased (`RawConfigParser` keys are case-insensitive).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidOption`] for an empty or unknown section or a
    /// key outside `[A-Za-z0-9_-]+`; [`ConfigError::InvalidCloudName`].
    pub fn parse(option: &str) -> Result<Self, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidOption {
            option: option.to_owned(),
            reason: reason.to_owned(),
        };
        let key_of = |key: &str| {
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                Ok(key.to_ascii_lowercase())
            } else if key.is_empty() {
                Err(invalid("the option name is empty"))
            } else {
                Err(invalid(
                    "option names may contain only letters, digits, `_` and `-`",
                ))
            }
        };
        match option.rsplit_once('.') {
            None if option == "cloud" => Err(invalid(
                "a cloud option needs a cloud name and a key: cloud.NAME.KEY",
            )),
            None => Ok(Self::Global {
                key: key_of(option)?,
            }),
            Some((GLOBAL, key)) => Ok(Self::Global { key: key_of(key)? }),
            Some(("cloud", cloud)) => Ok(Self::WholeCloud {
                cloud: check_cloud_name(cloud)?,
            }),
            Some((section, key)) => match section.strip_prefix("cloud.") {
                Some(cloud) => Ok(Self::Cloud {
                    cloud: check_cloud_name(cloud)?,
                    key: key_of(key)?,
                }),
                None => Err(invalid(&format!(
                    "unknown section `{section}`: write KEY or global.KEY for global \
                     options and cloud.NAME.KEY for cloud options"
                ))),
            },
        }
    }

    /// The INI section and key of a single option.
    fn location(&self) -> Result<(String, &str), ConfigError> {
        match self {
            Self::Global { key } => Ok((GLOBAL.to_owned(), key)),
            Self::Cloud { cloud, key } => Ok((cloud_section(cloud), key)),
            Self::WholeCloud { cloud } => Err(ConfigError::WholeCloud {
                cloud: cloud.clone(),
            }),
        }
    }
}

impl fmt::Display for OptionAddress {
    /// The canonical form: `global.KEY`, `cloud.NAME.KEY` or `cloud.NAME`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Global { key } => write!(f, "global.{key}"),
            Self::Cloud { cloud, key } => write!(f, "cloud.{cloud}.{key}"),
            Self::WholeCloud { cloud } => write!(f, "cloud.{cloud}"),
        }
    }
}

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// A per-run override (`-o SECTION.KEY=VALUE`).
    Override,
    /// The configuration file.
    File,
    /// kamaki's built-in default.
    Default,
}

/// The settings of one cloud. `Debug` does not show tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct CloudConfig {
    /// The cloud name.
    pub name: String,
    /// The identity (authentication) URL, if set and not empty.
    pub url: Option<String>,
    /// The tokens (the `token` value split on whitespace); the first is the
    /// active user.
    pub tokens: Vec<String>,
    /// The default Pithos container, if set.
    pub pithos_container: Option<String>,
    /// The default Pithos account UUID, if set.
    pub pithos_uuid: Option<String>,
    /// All options of the cloud (lower-case keys), in file order.
    options: Vec<(String, String)>,
}

impl CloudConfig {
    /// The active token (the first one).
    pub fn token(&self) -> Option<&str> {
        self.tokens.first().map(String::as_str)
    }

    /// Any option of the cloud by key (case-insensitive); empty values are
    /// `None`, as kamaki treats them as unset.
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Every option of the cloud as written (lower-case keys), in file
    /// order.
    pub fn options(&self) -> &[(String, String)] {
        &self.options
    }

    fn service_option(&self, service: Service, what: &str) -> Option<&str> {
        self.option(&format!("{}_{what}", service.as_str()))
    }

    /// `<service>_url`: an endpoint that bypasses the catalog.
    pub fn service_url(&self, service: Service) -> Option<&str> {
        self.service_option(service, "url")
    }

    /// `<service>_token`: a token used for this service only.
    pub fn service_token(&self, service: Service) -> Option<&str> {
        self.service_option(service, "token")
    }

    /// `<service>_type`: the catalog type to look up.
    pub fn service_type(&self, service: Service) -> Option<&str> {
        self.service_option(service, "type")
    }

    /// `<service>_version`: the catalog endpoint version to pick.
    pub fn service_version(&self, service: Service) -> Option<&str> {
        self.service_option(service, "version")
    }
}

impl fmt::Debug for CloudConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.options.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("CloudConfig")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("tokens", &format_args!("<{} redacted>", self.tokens.len()))
            .field("pithos_container", &self.pithos_container)
            .field("pithos_uuid", &self.pithos_uuid)
            .field("keys", &keys)
            .finish()
    }
}

/// The configuration file: a lossless document plus kamaki's semantics.
/// `Debug` does not show values.
#[derive(Clone)]
pub struct Config {
    path: PathBuf,
    doc: IniDocument,
    overrides: Vec<(OptionAddress, String)>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overridden: Vec<String> = self.overrides.iter().map(|(a, _)| a.to_string()).collect();
        f.debug_struct("Config")
            .field("path", &self.path)
            .field("doc", &self.doc)
            .field("overrides", &overridden)
            .finish()
    }
}

impl Config {
    /// The configuration path from the environment: `$KAMAKI_CONFIG`, else
    /// `~/.kamakirc` (`HOME`, or `USERPROFILE` on Windows).
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoConfigPath`] if neither is set.
    pub fn default_path() -> Result<PathBuf, ConfigError> {
        let home = std::env::var_os("HOME").or_else(|| {
            if cfg!(windows) {
                std::env::var_os("USERPROFILE")
            } else {
                None
            }
        });
        Self::default_path_from(std::env::var_os(CONFIG_ENV).as_deref(), home.as_deref())
    }

    /// [`Config::default_path`] with the environment given: `kamaki_config`
    /// (the value of `KAMAKI_CONFIG`) wins, else `home/.kamakirc`. Empty
    /// values count as unset.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoConfigPath`] if neither is given.
    pub fn default_path_from(
        kamaki_config: Option<&OsStr>,
        home: Option<&OsStr>,
    ) -> Result<PathBuf, ConfigError> {
        if let Some(path) = kamaki_config.filter(|v| !v.is_empty()) {
            Ok(PathBuf::from(path))
        } else if let Some(home) = home.filter(|v| !v.is_empty()) {
            Ok(Path::new(home).join(".kamakirc"))
        } else {
            Err(ConfigError::NoConfigPath)
        }
    }

    /// Loads the file at `path`. A missing (or empty) file gives an empty
    /// configuration (defaults only) that starts with [`CONFIG_HEADER`]
    /// when saved.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Read`], [`ConfigError::NotUtf8`],
    /// [`ConfigError::Parse`], [`ConfigError::InvalidCloudSection`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            ConfigError::NotUtf8 {
                path: path.to_path_buf(),
                line: 1 + e.as_bytes()[..valid]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count(),
            }
        })?;
        Self::from_text(&text, path)
    }

    /// Builds a configuration from `text` as if read from `path` (which
    /// [`Config::save`] writes to).
    ///
    /// # Errors
    ///
    /// As [`Config::load`], except I/O.
    pub fn from_text(text: &str, path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let mut doc = IniDocument::parse(text, path)?;
        if doc.is_empty() {
            doc = IniDocument::parse(&format!("{CONFIG_HEADER}\n"), path)?;
        }
        for section in doc.sections() {
            if let Some(Err(())) = cloud_of_section(section) {
                return Err(ConfigError::InvalidCloudSection {
                    path: path.to_path_buf(),
                    section: section.to_owned(),
                });
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            doc,
            overrides: Vec::new(),
        })
    }

    /// The file this configuration is read from and saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the configuration back atomically: a temporary file in the
    /// same directory (mode 0600 on Unix), then a rename over the file. A
    /// symbolic link is followed, so the link stays. Overrides are not
    /// saved.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Write`].
    pub fn save(&self) -> Result<(), ConfigError> {
        let target = match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
            }
            _ => self.path.clone(),
        };
        write_atomically(&target, self.doc.to_string().as_bytes()).map_err(|source| {
            ConfigError::Write {
                path: self.path.clone(),
                source,
            }
        })
    }

    /// Parses `option` like [`OptionAddress::parse`], then resolves the
    /// ambiguity of cloud names containing dots: `cloud.REST` names the
    /// whole cloud `REST` when such a cloud exists and the `cloud.NAME.KEY`
    /// reading names a cloud that does not exist, or when that reading is
    /// invalid but `REST` is a valid cloud name (so
    /// `cloud.dev.local:8443` is the cloud `dev.local:8443`, not the key
    /// `local:8443` of a cloud `dev`).
    fn resolve(&self, option: &str) -> Result<OptionAddress, ConfigError> {
        let parsed = OptionAddress::parse(option);
        let Some(rest) = option.strip_prefix("cloud.") else {
            return parsed;
        };
        let whole = || OptionAddress::WholeCloud {
            cloud: rest.to_owned(),
        };
        match parsed {
            Ok(OptionAddress::Cloud { cloud, .. })
                if !self.doc.has_section(&cloud_section(&cloud))
                    && self.doc.has_section(&cloud_section(rest)) =>
            {
                Ok(whole())
            }
            Err(_) if is_valid_cloud_name(rest) && !rest.ends_with('.') => Ok(whole()),
            parsed => parsed,
        }
    }

    /// Overrides an option for this run only (kamaki's `-o`); overrides win
    /// over the file and are never saved.
    ///
    /// # Errors
    ///
    /// As [`OptionAddress::parse`]; [`ConfigError::WholeCloud`].
    pub fn set_override(&mut self, option: &str, value: &str) -> Result<(), ConfigError> {
        let address = self.resolve(option)?;
        address.location()?;
        self.overrides.push((address, normalize(value).to_owned()));
        Ok(())
    }

    /// The effective value of an option, or `None` if it is neither set nor
    /// defaulted. Values are as written (`""` reads as empty, as in Python 2).
    ///
    /// # Errors
    ///
    /// As [`OptionAddress::parse`]; [`ConfigError::WholeCloud`] for
    /// `cloud.NAME` (use [`Config::cloud`] or [`Config::list`]). A cloud
    /// name with dots is recognized as a whole cloud when it exists.
    pub fn get(&self, option: &str) -> Result<Option<String>, ConfigError> {
        Ok(self.get_with_source(option)?.map(|(value, _)| value))
    }

    /// Like [`Config::get`], also telling where the value comes from.
    ///
    /// # Errors
    ///
    /// As [`Config::get`].
    pub fn get_with_source(
        &self,
        option: &str,
    ) -> Result<Option<(String, ValueSource)>, ConfigError> {
        let address = self.resolve(option)?;
        address.location()?;
        Ok(self.lookup(&address))
    }

    /// Whether a flag option is `on` (case-insensitive), as kamaki tests
    /// `colors`, `ignore_ssl`, `log_token`, `log_data` and `log_pid`.
    ///
    /// # Errors
    ///
    /// As [`Config::get`].
    pub fn flag(&self, option: &str) -> Result<bool, ConfigError> {
        Ok(self
            .get(option)?
            .is_some_and(|v| v.eq_ignore_ascii_case("on")))
    }

    fn lookup(&self, address: &OptionAddress) -> Option<(String, ValueSource)> {
        if let Some((_, value)) = self.overrides.iter().rev().find(|(a, _)| a == address) {
            return Some((value.clone(), ValueSource::Override));
        }
        let (section, key) = address.location().ok()?;
        if let Some(value) = self.doc.get(&section, key) {
            return Some((normalize(&value).to_owned(), ValueSource::File));
        }
        match address {
            OptionAddress::Global { key } => GLOBAL_DEFAULTS
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| ((*v).to_owned(), ValueSource::Default)),
            _ => None,
        }
    }

    /// Sets an option in the file (in memory; call [`Config::save`]). The
    /// value is trimmed. An existing line keeps its place; a new key goes to
    /// the end of its section; a new cloud section goes to the end.
    ///
    /// # Errors
    ///
    /// As [`OptionAddress::parse`]; [`ConfigError::WholeCloud`];
    /// [`ConfigError::InvalidValue`] for a value with a line break.
    pub fn set(&mut self, option: &str, value: &str) -> Result<(), ConfigError> {
        let address = self.resolve(option)?;
        let (section, key) = address.location()?;
        self.doc.set(&section, key, value).map_err(|e| match e {
            ConfigError::InvalidValue { reason, .. } => ConfigError::InvalidValue {
                option: address.to_string(),
                reason,
            },
            other => other,
        })
    }

    /// Deletes an option from the file, or a whole cloud for `cloud.NAME`
    /// (a name with dots, such as `cloud.dev.local:8443`, works when that
    /// cloud exists).
    /// A deleted global option falls back to its default. Returns whether
    /// anything was removed.
    ///
    /// # Errors
    ///
    /// As [`OptionAddress::parse`].
    pub fn delete(&mut self, option: &str) -> Result<bool, ConfigError> {
        Ok(match self.resolve(option)? {
            OptionAddress::WholeCloud { cloud } => self.doc.remove_section(&cloud_section(&cloud)),
            address => {
                let (section, key) = address.location()?;
                self.doc.remove_key(&section, key)
            }
        })
    }

    /// Every effective option as `(address, value)`: `[global]` first (the
    /// file's keys in file order, then the defaults not in the file), then
    /// each cloud's keys in file order. Overrides replace values; other
    /// sections are not listed.
    pub fn list(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let push = |address: OptionAddress, out: &mut Vec<(String, String)>| {
            if !out.iter().any(|(a, _)| *a == address.to_string())
                && let Some((value, _)) = self.lookup(&address)
            {
                out.push((address.to_string(), value));
            }
        };
        let global_keys = self.doc.keys(GLOBAL).into_iter().map(str::to_owned);
        let defaults = GLOBAL_DEFAULTS.iter().map(|(k, _)| (*k).to_owned());
        let overridden = self.overrides.iter().filter_map(|(a, _)| match a {
            OptionAddress::Global { key } => Some(key.clone()),
            _ => None,
        });
        for key in global_keys.chain(defaults).chain(overridden) {
            let key = key.to_ascii_lowercase();
            push(OptionAddress::Global { key }, &mut out);
        }
        for cloud in self.clouds() {
            for (key, _) in self.cloud_options(&cloud) {
                let cloud = cloud.clone();
                push(OptionAddress::Cloud { cloud, key }, &mut out);
            }
        }
        out
    }

    /// The configured clouds, in file order.
    pub fn clouds(&self) -> Vec<String> {
        self.doc
            .sections()
            .into_iter()
            .filter_map(|s| cloud_of_section(s)?.ok())
            .map(str::to_owned)
            .collect()
    }

    /// Effective options of a cloud (lower-case keys): the file's keys in
    /// file order, then override-only keys.
    fn cloud_options(&self, cloud: &str) -> Vec<(String, String)> {
        let section = cloud_section(cloud);
        let file_keys = self
            .doc
            .keys(&section)
            .into_iter()
            .map(str::to_ascii_lowercase);
        let overridden = self.overrides.iter().filter_map(|(a, _)| match a {
            OptionAddress::Cloud { cloud: c, key } if c == cloud => Some(key.clone()),
            _ => None,
        });
        let mut options: Vec<(String, String)> = Vec::new();
        for key in file_keys.chain(overridden) {
            if options.iter().any(|(k, _)| *k == key) {
                continue;
            }
            let address = OptionAddress::Cloud {
                cloud: cloud.to_owned(),
                key,
            };
            if let (Some((value, _)), OptionAddress::Cloud { key, .. }) =
                (self.lookup(&address), address)
            {
                options.push((key, value));
            }
        }
        options
    }

    /// The settings of cloud `name`, or `None` if it has no section.
    pub fn cloud(&self, name: &str) -> Option<CloudConfig> {
        if !self.doc.has_section(&cloud_section(name)) {
            return None;
        }
        let options = self.cloud_options(name);
        let get = |key: &str| {
            options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        Some(CloudConfig {
            name: name.to_owned(),
            url: get("url"),
            tokens: get("token")
                .map(|t| t.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            pithos_container: get("pithos_container"),
            pithos_uuid: get("pithos_uuid"),
            options,
        })
    }

    /// Picks the cloud to use, as kamaki does: `explicit` (`--cloud`), else
    /// `global.default_cloud`, else `env_default_cloud` (the value of
    /// `KAMAKI_DEFAULT_CLOUD`), else the only configured cloud. Empty names
    /// count as unset. The cloud must have a URL and a token.
    ///
    /// # Errors
    ///
    /// [`ConfigError::NoClouds`], [`ConfigError::LegacyFormat`],
    /// [`ConfigError::NoDefaultCloud`],
    /// [`ConfigError::UnknownCloud`], [`ConfigError::MissingUrl`],
    /// [`ConfigError::MissingToken`].
    pub fn select_cloud(
        &self,
        explicit: Option<&str>,
        env_default_cloud: Option<&str>,
    ) -> Result<CloudConfig, ConfigError> {
        let default_cloud = self
            .lookup(&OptionAddress::Global {
                key: "default_cloud".to_owned(),
            })
            .map(|(v, _)| v);
        let chosen = [
            (explicit.map(str::to_owned), "--cloud"),
            (default_cloud, "global.default_cloud"),
            (env_default_cloud.map(str::to_owned), DEFAULT_CLOUD_ENV),
        ]
        .into_iter()
        .find_map(|(name, origin)| Some((name.filter(|n| !n.is_empty())?, origin)));
        let clouds = self.clouds();
        let (name, origin) = match chosen {
            Some(chosen) => chosen,
            None => match clouds.as_slice() {
                [] if ["url", "token"]
                    .iter()
                    .any(|key| self.doc.get(GLOBAL, key).is_some()) =>
                {
                    return Err(ConfigError::LegacyFormat);
                }
                [] => return Err(ConfigError::NoClouds),
                [only] => (only.clone(), "being the only cloud"),
                _ => return Err(ConfigError::NoDefaultCloud { clouds }),
            },
        };
        let Some(cloud) = self.cloud(&name) else {
            return Err(ConfigError::UnknownCloud {
                cloud: name,
                origin,
                configured: clouds,
            });
        };
        if cloud.url.is_none() {
            Err(ConfigError::MissingUrl { cloud: name })
        } else if cloud.tokens.is_empty() {
            Err(ConfigError::MissingToken { cloud: name })
        } else {
            Ok(cloud)
        }
    }

    /// Removes `token` from `cloud.<cloud>.token` in the file (kamaki drops
    /// tokens answered with 401). Removing the last token leaves the key
    /// empty; note that kamaki keeps the list untouched when *every* token
    /// fails, so callers wanting that should not remove the last one.
    /// Returns whether the token was there.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidCloudName`].
    pub fn remove_token(&mut self, cloud: &str, token: &str) -> Result<bool, ConfigError> {
        let section = cloud_section(&check_cloud_name(cloud)?);
        let Some(value) = self.doc.get(&section, "token") else {
            return Ok(false);
        };
        let tokens: Vec<&str> = value.split_whitespace().collect();
        let kept: Vec<&str> = tokens.iter().copied().filter(|t| *t != token).collect();
        if kept.len() == tokens.len() {
            return Ok(false);
        }
        self.doc.set(&section, "token", &kept.join(" "))?;
        Ok(true)
    }
}

/// Python 2's `RawConfigParser` reads a value of `""` as empty.
fn normalize(value: &str) -> &str {
    let value = value.trim();
    if value == "\"\"" { "" } else { value }
}

/// Expands a leading `~` (alone or followed by `/`) to `home`, as kamaki
/// does for `log_file` and `history_file`.
pub fn expand_home(value: &str, home: Option<&Path>) -> PathBuf {
    match (value.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home.to_path_buf(),
        (Some(rest), Some(home)) if rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(value),
    }
}

/// Writes `bytes` to `path` through a 0600 temporary file in the same
/// directory and a rename, so readers never see a partial file.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let mut attempts = 0;
    let (tmp, mut file) = loop {
        attempts += 1;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => continue,
            Err(e) => return Err(e),
        }
    };
    let result = write_and_rename(&mut file, &tmp, path, bytes);
    drop(file);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    } else if let Ok(dir) = File::open(dir) {
        // Best effort: make the rename itself durable.
        let _ = dir.sync_all();
    }
    result
}

fn write_and_rename(file: &mut File, tmp: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KAMAKIRC: &str = "# Kamaki configuration file v0.16\n\
        [global]\n\
        default_cloud = okeanos\n\
        colors = on\n\
        Log_File = /var/log/kamaki.log\n\
        history_limit = 100\n\
        ca_certs = \"\"\n\
        \n\
        # production; careful\n\
        [cloud \"okeanos\"]\n\
        url = https://accounts.okeanos.grnet.gr/identity/v2.0\n\
        token = s0m3;t0k3n= 0th3r#t0k3n\n\
        pithos_container = images\n\
        pithos_uuid = 1234-abcd\n\
        cyclades_url = https://cyclades.example/compute/v2.0\n\
        Pithos_Type = object-store\n\
        plankton_version = v1\n\
        \n\
        [cloud \"dev.local:8443\"]\n\
        url: https://dev.local:8443/identity/v2.0\n\
        token=devtoken\n";

    fn config(text: &str) -> Config {
        Config::from_text(text, "/nonexistent/.kamakirc").expect("valid config")
    }

    fn get(config: &Config, option: &str) -> Option<String> {
        config.get(option).expect("valid option")
    }

    #[test]
    fn reads_a_kamaki_file() {
        let config = config(KAMAKIRC);
        assert_eq!(config.doc.to_string(), KAMAKIRC);
        assert_eq!(config.clouds(), ["okeanos", "dev.local:8443"]);
        assert_eq!(get(&config, "default_cloud").as_deref(), Some("okeanos"));
        assert_eq!(get(&config, "global.colors").as_deref(), Some("on"));
        assert_eq!(
            get(&config, "log_file").as_deref(),
            Some("/var/log/kamaki.log")
        );
        assert_eq!(get(&config, "ca_certs").as_deref(), Some(""));
        assert!(config.flag("colors").expect("flag"));
        assert!(!config.flag("ignore_ssl").expect("flag"));
        assert_eq!(
            get(&config, "cloud.okeanos.token").as_deref(),
            Some("s0m3;t0k3n= 0th3r#t0k3n")
        );
        assert_eq!(
            get(&config, "cloud.okeanos.TOKEN").as_deref(),
            Some("s0m3;t0k3n= 0th3r#t0k3n")
        );
        assert_eq!(get(&config, "cloud.okeanos.nothing"), None);
        assert_eq!(get(&config, "cloud.nowhere.url"), None);

        let cloud = config.cloud("okeanos").expect("cloud");
        assert_eq!(cloud.name, "okeanos");
        assert_eq!(
            cloud.url.as_deref(),
            Some("https://accounts.okeanos.grnet.gr/identity/v2.0")
        );
        assert_eq!(cloud.tokens, ["s0m3;t0k3n=", "0th3r#t0k3n"]);
        assert_eq!(cloud.token(), Some("s0m3;t0k3n="));
        assert_eq!(cloud.pithos_container.as_deref(), Some("images"));
        assert_eq!(cloud.pithos_uuid.as_deref(), Some("1234-abcd"));
        assert_eq!(
            cloud.service_url(Service::Cyclades),
            Some("https://cyclades.example/compute/v2.0")
        );
        assert_eq!(cloud.service_type(Service::Pithos), Some("object-store"));
        assert_eq!(cloud.service_version(Service::Plankton), Some("v1"));
        assert_eq!(cloud.service_token(Service::Pithos), None);
        assert_eq!(cloud.service_url(Service::Astakos), None);
        let debug = format!("{cloud:?} {config:?}");
        assert!(!debug.contains("t0k3n"), "{debug}");
        assert!(debug.contains("<2 redacted>"), "{debug}");
        assert!(config.cloud("missing").is_none());
        let dev = config.cloud("dev.local:8443").expect("cloud");
        assert_eq!(dev.tokens, ["devtoken"]);
        assert_eq!(dev.pithos_container, None);
    }

    #[test]
    fn list_is_in_file_order_with_defaults() {
        let config = config(KAMAKIRC);
        let list = config.list();
        let addresses: Vec<&str> = list.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            &addresses[..6],
            [
                "global.default_cloud",
                "global.colors",
                "global.log_file",
                "global.history_limit",
                "global.ca_certs",
                "global.log_token"
            ]
        );
        let globals = addresses
            .iter()
            .filter(|a| a.starts_with("global."))
            .count();
        assert_eq!(globals, GLOBAL_DEFAULTS.len());
        let clouds: Vec<(&str, &str)> = list
            .iter()
            .filter(|(a, _)| a.starts_with("cloud."))
            .map(|(a, v)| (a.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            clouds,
            [
                (
                    "cloud.okeanos.url",
                    "https://accounts.okeanos.grnet.gr/identity/v2.0"
                ),
                ("cloud.okeanos.token", "s0m3;t0k3n= 0th3r#t0k3n"),
                ("cloud.okeanos.pithos_container", "images"),
                ("cloud.okeanos.pithos_uuid", "1234-abcd"),
                (
                    "cloud.okeanos.cyclades_url",
                    "https://cyclades.example/compute/v2.0"
                ),
                ("cloud.okeanos.pithos_type", "object-store"),
                ("cloud.okeanos.plankton_version", "v1"),
                (
                    "cloud.dev.local:8443.url",
                    "https://dev.local:8443/identity/v2.0"
                ),
                ("cloud.dev.local:8443.token", "devtoken"),
            ]
        );
        assert!(list.contains(&("global.history_limit".to_owned(), "100".to_owned())));
        assert!(list.contains(&(
            "global.scripts_cli".to_owned(),
            "contrib.scripts".to_owned()
        )));
    }

    #[test]
    fn defaults_apply_when_not_in_the_file() {
        let mut config = config("");
        for (key, value) in GLOBAL_DEFAULTS {
            assert_eq!(
                config.get_with_source(key).expect("valid"),
                Some(((*value).to_owned(), ValueSource::Default)),
                "{key}"
            );
        }
        assert_eq!(get(&config, "log_file").as_deref(), Some("~/.kamaki.log"));
        assert_eq!(
            get(&config, "history_file").as_deref(),
            Some("~/.kamaki.history")
        );
        assert_eq!(get(&config, "history_limit").as_deref(), Some("0"));
        assert_eq!(get(&config, "server_cli").as_deref(), Some("cyclades"));
        assert_eq!(get(&config, "service_cli"), None);
        assert_eq!(get(&config, "no_such_key"), None);
        config.set("colors", "on").expect("set");
        assert_eq!(
            config.get_with_source("global.colors").expect("valid"),
            Some(("on".to_owned(), ValueSource::File))
        );
        assert!(config.delete("colors").expect("delete"));
        assert!(!config.delete("colors").expect("delete"));
        assert_eq!(
            config.get_with_source("colors").expect("valid"),
            Some(("off".to_owned(), ValueSource::Default))
        );
        assert_eq!(config.list().len(), GLOBAL_DEFAULTS.len());
    }

    #[test]
    fn option_addressing() {
        let global = |key: &str| OptionAddress::Global {
            key: key.to_owned(),
        };
        let cloud = |cloud: &str, key: &str| OptionAddress::Cloud {
            cloud: cloud.to_owned(),
            key: key.to_owned(),
        };
        let parse = |s: &str| OptionAddress::parse(s).expect("valid");
        assert_eq!(parse("colors"), global("colors"));
        assert_eq!(parse("global.Colors"), global("colors"));
        assert_eq!(parse("cloud.demo.URL"), cloud("demo", "url"));
        assert_eq!(parse("cloud.my.cloud.url"), cloud("my.cloud", "url"));
        assert_eq!(parse("cloud.~@#$:-_9.token"), cloud("~@#$:-_9", "token"));
        assert_eq!(
            parse("cloud.Demo"),
            OptionAddress::WholeCloud {
                cloud: "Demo".to_owned()
            }
        );
        assert_eq!(parse("cloud.demo.url").to_string(), "cloud.demo.url");
        assert_eq!(parse("colors").to_string(), "global.colors");
        assert_eq!(parse("cloud.demo").to_string(), "cloud.demo");

        for bad in [
            "cloud.my cloud.url",
            "cloud.\"x\".url",
            "cloud..url",
            "cloud.ωmega.url",
            "cloud.",
        ] {
            assert!(
                matches!(
                    OptionAddress::parse(bad),
                    Err(ConfigError::InvalidCloudName { .. })
                ),
                "{bad}"
            );
        }
        for bad in [
            "",
            "cloud",
            "global.",
            "foo.bar",
            "global.a.b",
            ".x",
            "cloud.x.",
            "a b",
            "k=v",
        ] {
            assert!(
                matches!(
                    OptionAddress::parse(bad),
                    Err(ConfigError::InvalidOption { .. })
                ),
                "{bad}"
            );
        }
        let err = OptionAddress::parse("foo.bar")
            .expect_err("bad")
            .to_string();
        // Dotted cloud names: kamaki's reading, unless only the whole name exists.
        let dotted =
            config("[cloud \"my.cloud\"]\nurl = u\n\n[cloud \"a\"]\nb = 1\n\n[cloud \"a.b\"]\n");
        assert_eq!(
            dotted.resolve("cloud.my.cloud").expect("valid"),
            OptionAddress::WholeCloud {
                cloud: "my.cloud".to_owned()
            }
        );
        assert_eq!(
            dotted.resolve("cloud.my.cloud.url").expect("valid"),
            cloud("my.cloud", "url")
        );
        assert_eq!(dotted.resolve("cloud.a.b").expect("valid"), cloud("a", "b"));
        assert_eq!(dotted.resolve("cloud.x.y").expect("valid"), cloud("x", "y"));
        assert!(matches!(
            dotted.get("cloud.my.cloud"),
            Err(ConfigError::WholeCloud { .. })
        ));
        assert!(err.contains("cloud.NAME.KEY"), "{err}");
        assert!(is_valid_cloud_name("a.b:c"));
        assert!(!is_valid_cloud_name(""));
    }

    #[test]
    fn set_and_delete_through_addresses() {
        let mut config = config(KAMAKIRC);
        config.set("global.colors", "off").expect("set");
        config.set("LOG_FILE", " /tmp/k.log ").expect("set");
        config
            .set("cloud.okeanos.pithos_container", "pithos")
            .expect("set");
        config
            .set("cloud.new-cloud.url", "https://new/identity/v2.0")
            .expect("set");
        config.set("cloud.new-cloud.token", "tok").expect("set");
        let expected = KAMAKIRC
            .replace("colors = on", "colors = off")
            .replace("Log_File = /var/log/kamaki.log", "Log_File = /tmp/k.log")
            .replace("pithos_container = images", "pithos_container = pithos")
            + "\n[cloud \"new-cloud\"]\nurl = https://new/identity/v2.0\ntoken = tok\n";
        assert_eq!(config.doc.to_string(), expected);
        assert_eq!(config.clouds(), ["okeanos", "dev.local:8443", "new-cloud"]);

        assert!(matches!(
            config.set("cloud.x", "y"),
            Err(ConfigError::WholeCloud { .. })
        ));
        assert!(matches!(
            config.get("cloud.x"),
            Err(ConfigError::WholeCloud { .. })
        ));
        match config.set("cloud.okeanos.token", "a\nsecret") {
            Err(e @ ConfigError::InvalidValue { .. }) => {
                let message = e.to_string();
                assert!(message.contains("cloud.okeanos.token"), "{message}");
                assert!(!message.contains("secret"), "{message}");
            }
            other => panic!("{other:?}"),
        }

        assert!(config.delete("cloud.okeanos.cyclades_url").expect("delete"));
        assert!(!config.delete("cloud.okeanos.cyclades_url").expect("delete"));
        assert!(config.delete("cloud.dev.local:8443").expect("delete"));
        assert!(!config.delete("cloud.dev.local:8443").expect("delete"));
        assert_eq!(config.clouds(), ["okeanos", "new-cloud"]);
        assert!(config.delete("foo.bar").is_err());
        let text = config.doc.to_string();
        assert!(
            !text.contains("cyclades_url") && !text.contains("dev.local"),
            "{text}"
        );
        assert!(
            text.contains("pithos_uuid = 1234-abcd\nPithos_Type"),
            "{text}"
        );
    }

    #[test]
    fn overrides_win_and_are_not_saved() {
        let mut config = config(KAMAKIRC);
        config.set_override("colors", "off").expect("override");
        config
            .set_override("cloud.okeanos.token", "override-token")
            .expect("override");
        config
            .set_override("cloud.okeanos.astakos_url", "https://a")
            .expect("override");
        assert!(config.set_override("cloud.okeanos", "x").is_err());
        assert_eq!(
            config.get_with_source("colors").expect("valid"),
            Some(("off".to_owned(), ValueSource::Override))
        );
        let cloud = config.cloud("okeanos").expect("cloud");
        assert_eq!(cloud.tokens, ["override-token"]);
        assert_eq!(cloud.service_url(Service::Astakos), Some("https://a"));
        assert!(config.list().contains(&(
            "cloud.okeanos.astakos_url".to_owned(),
            "https://a".to_owned()
        )));
        assert_eq!(config.doc.to_string(), KAMAKIRC);
        assert!(!format!("{config:?}").contains("override-token"));
    }

    const TWO_CLOUDS: &str = "[cloud \"a\"]\nurl = https://a\ntoken = ta\n\n\
                              [cloud \"b\"]\nurl = https://b\ntoken = tb1 tb2\n";

    #[test]
    fn cloud_selection_order() {
        let mut config = config(TWO_CLOUDS);
        let pick = |c: &Config, explicit, env| c.select_cloud(explicit, env).map(|c| c.name);
        assert_eq!(pick(&config, Some("b"), None).expect("b"), "b");
        assert_eq!(pick(&config, None, Some("b")).expect("env"), "b");
        assert_eq!(pick(&config, Some(""), Some("a")).expect("env"), "a");
        config.set("default_cloud", "a").expect("set");
        assert_eq!(pick(&config, None, Some("b")).expect("default"), "a");
        assert_eq!(pick(&config, Some("b"), Some("a")).expect("explicit"), "b");
        config.set("default_cloud", "").expect("set");
        assert_eq!(pick(&config, None, Some("b")).expect("env"), "b");
        let chosen = config.select_cloud(Some("b"), None).expect("b");
        assert_eq!(chosen.tokens, ["tb1", "tb2"]);
        assert_eq!(chosen.url.as_deref(), Some("https://b"));
    }

    #[test]
    fn cloud_selection_single_and_errors() {
        let only = config("[cloud \"solo\"]\nurl = https://s\ntoken = t\n");
        assert_eq!(only.select_cloud(None, None).expect("only").name, "solo");

        match config(TWO_CLOUDS).select_cloud(None, Some("")) {
            Err(e @ ConfigError::NoDefaultCloud { .. }) => {
                let message = e.to_string();
                assert!(message.contains("a, b"), "{message}");
                assert!(
                    message.contains("snf config set default_cloud"),
                    "{message}"
                );
                assert!(message.contains("--cloud"), "{message}");
            }
            other => panic!("{other:?}"),
        }

        match config("[global]\ncolors = on\n").select_cloud(None, None) {
            Err(e @ ConfigError::NoClouds) => {
                let message = e.to_string();
                assert!(
                    message.contains("snf config set cloud.<name>.url <URL>"),
                    "{message}"
                );
                assert!(
                    message.contains("snf config set cloud.<name>.token <TOKEN>"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }

        match config(TWO_CLOUDS).select_cloud(Some("c"), None) {
            Err(e @ ConfigError::UnknownCloud { .. }) => {
                let message = e.to_string();
                assert!(message.contains("--cloud"), "{message}");
                assert!(message.contains("configured: a, b"), "{message}");
                assert!(
                    message.contains("snf config set cloud.c.url <URL>"),
                    "{message}"
                );
                assert!(
                    message.contains("snf config set cloud.c.token <TOKEN>"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        match config("[global]\nurl = https://old\ntoken = old-secret\n").select_cloud(None, None) {
            Err(e @ ConfigError::LegacyFormat) => {
                let message = e.to_string();
                assert!(
                    message.contains("snf config set cloud.default.url <URL>"),
                    "{message}"
                );
                assert!(!message.contains("old-secret"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let stale = config("[global]\ndefault_cloud = gone\n");
        match stale.select_cloud(None, None) {
            Err(e @ ConfigError::UnknownCloud { .. }) => {
                assert!(e.to_string().contains("global.default_cloud"));
            }
            other => panic!("{other:?}"),
        }
        match stale.select_cloud(Some(""), None) {
            Err(ConfigError::UnknownCloud { cloud, .. }) => assert_eq!(cloud, "gone"),
            other => panic!("{other:?}"),
        }

        let no_url = config("[cloud \"x\"]\ntoken = secret-tok\n");
        match no_url.select_cloud(None, None) {
            Err(e @ ConfigError::MissingUrl { .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains("snf config set cloud.x.url <URL>"),
                    "{message}"
                );
                assert!(!message.contains("secret"));
            }
            other => panic!("{other:?}"),
        }
        let empty_url = config("[cloud \"x\"]\nurl =\ntoken = t\n");
        assert!(matches!(
            empty_url.select_cloud(None, None),
            Err(ConfigError::MissingUrl { .. })
        ));
        for text in [
            "[cloud \"x\"]\nurl = u\n",
            "[cloud \"x\"]\nurl = u\ntoken =   \n",
        ] {
            match config(text).select_cloud(Some("x"), None) {
                Err(e @ ConfigError::MissingToken { .. }) => {
                    let message = e.to_string();
                    assert!(
                        message.contains("snf config set cloud.x.token <TOKEN>"),
                        "{message}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn remove_token_edits_in_place() {
        let text = "[cloud \"c\"]\nurl = u\ntoken = one two three\n# end\n";
        let mut config = config(text);
        assert!(config.remove_token("c", "two").expect("remove"));
        assert_eq!(
            config.doc.to_string(),
            "[cloud \"c\"]\nurl = u\ntoken = one three\n# end\n"
        );
        assert!(!config.remove_token("c", "two").expect("remove"));
        assert!(!config.remove_token("missing", "one").expect("remove"));
        assert!(config.remove_token("c", "one").expect("remove"));
        assert_eq!(config.cloud("c").expect("cloud").token(), Some("three"));
        assert!(config.remove_token("c", "three").expect("remove"));
        assert!(config.cloud("c").expect("cloud").tokens.is_empty());
        assert!(matches!(
            config.remove_token("bad name", "x"),
            Err(ConfigError::InvalidCloudName { .. })
        ));
    }

    #[test]
    fn invalid_cloud_sections_and_quoted_empty_values() {
        for section in [
            "cloud \"my cloud\"",
            "cloud x",
            "cloud \"x\" y",
            "cloud \"\"",
        ] {
            let text = format!("[{section}]\nurl = u\n");
            match Config::from_text(&text, "f") {
                Err(e @ ConfigError::InvalidCloudSection { .. }) => {
                    assert!(e.to_string().contains(section), "{e}");
                }
                other => panic!("{section}: {other:?}"),
            }
        }
        let config = config("[cloud]\nx = 1\n\n[other]\ny = 2\n\n[global]\ncolors = \"\"\n");
        assert!(config.clouds().is_empty());
        assert_eq!(get(&config, "colors").as_deref(), Some(""));
        assert!(config.list().iter().all(|(a, _)| a.starts_with("global.")));
    }

    #[test]
    fn default_path_and_home_expansion() {
        let os = |s: &'static str| Some(OsStr::new(s));
        assert_eq!(
            Config::default_path_from(os("/etc/k.rc"), os("/home/u")).expect("path"),
            PathBuf::from("/etc/k.rc")
        );
        assert_eq!(
            Config::default_path_from(os(""), os("/home/u")).expect("path"),
            PathBuf::from("/home/u/.kamakirc")
        );
        assert_eq!(
            Config::default_path_from(None, os("/home/u")).expect("path"),
            PathBuf::from("/home/u/.kamakirc")
        );
        match Config::default_path_from(None, os("")) {
            Err(e @ ConfigError::NoConfigPath) => {
                let message = e.to_string();
                assert!(message.contains("KAMAKI_CONFIG") && message.contains("HOME"));
            }
            other => panic!("{other:?}"),
        }
        let home = Some(Path::new("/home/u"));
        assert_eq!(
            expand_home("~/.kamaki.log", home),
            PathBuf::from("/home/u/.kamaki.log")
        );
        assert_eq!(expand_home("~", home), PathBuf::from("/home/u"));
        assert_eq!(expand_home("~other/x", home), PathBuf::from("~other/x"));
        assert_eq!(expand_home("/abs", home), PathBuf::from("/abs"));
        assert_eq!(expand_home("~/x", None), PathBuf::from("~/x"));
    }

    #[test]
    fn load_missing_file_then_save_creates_it_with_header_and_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("kamakirc");
        let mut config = Config::load(&path).expect("missing file is fine");
        assert_eq!(config.path(), path);
        assert!(config.clouds().is_empty());
        assert_eq!(get(&config, "colors").as_deref(), Some("off"));
        assert!(!path.exists());
        config
            .set("cloud.demo.url", "https://demo/identity/v2.0")
            .expect("set");
        config.set("cloud.demo.token", "t0k3n").expect("set");
        config.save().expect("save");
        let text = fs::read_to_string(&path).expect("read");
        assert_eq!(
            text,
            "# Kamaki configuration file v0.16\n[cloud \"demo\"]\n\
             url = https://demo/identity/v2.0\ntoken = t0k3n\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let entries: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(entries.len(), 1, "no temporary file left behind");
        let again = Config::load(&path).expect("reload");
        assert_eq!(again.select_cloud(None, None).expect("demo").name, "demo");

        let empty = dir.path().join("empty");
        fs::write(&empty, "").expect("write");
        let config = Config::load(&empty).expect("empty file");
        config.save().expect("save");
        assert_eq!(
            fs::read_to_string(&empty).expect("read"),
            format!("{CONFIG_HEADER}\n")
        );
    }

    #[test]
    fn save_preserves_an_existing_file_and_tightens_its_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".kamakirc");
        fs::write(&path, KAMAKIRC).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        }
        let mut config = Config::load(&path).expect("load");
        config.save().expect("save unchanged");
        assert_eq!(fs::read_to_string(&path).expect("read"), KAMAKIRC);
        assert!(
            config
                .remove_token("okeanos", "s0m3;t0k3n=")
                .expect("remove")
        );
        config.save().expect("save");
        assert_eq!(
            fs::read_to_string(&path).expect("read"),
            KAMAKIRC.replace("token = s0m3;t0k3n= 0th3r#t0k3n", "token = 0th3r#t0k3n")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);

            // A symbolic link is followed and kept.
            let real = dir.path().join("real.rc");
            let link = dir.path().join("link.rc");
            fs::write(&real, "[global]\ncolors = on\n").expect("write");
            std::os::unix::fs::symlink(&real, &link).expect("symlink");
            let mut config = Config::load(&link).expect("load");
            config.set("colors", "off").expect("set");
            config.save().expect("save");
            assert!(
                fs::symlink_metadata(&link)
                    .expect("meta")
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(
                fs::read_to_string(&real).expect("read"),
                "[global]\ncolors = off\n"
            );
        }
    }

    #[test]
    fn load_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("bad");
        fs::write(&path, b"[global]\ncolors = on\nlog_file = \xff\xfe\n").expect("write");
        match Config::load(&path) {
            Err(e @ ConfigError::NotUtf8 { line: 3, .. }) => {
                assert!(e.to_string().contains("line 3"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        fs::write(
            &path,
            "[global]\ncolors = on\n\n[cloud \"x\"]\nt0k3n-pasted-alone\n",
        )
        .expect("write");
        match Config::load(&path) {
            Err(e @ ConfigError::Parse { line: 5, .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains("line 5") && message.contains("bad"),
                    "{message}"
                );
                assert!(!message.contains("t0k3n"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        match Config::load(dir.path()) {
            Err(e @ ConfigError::Read { .. }) => assert!(e.to_string().contains("cannot read")),
            other => panic!("{other:?}"),
        }
        let unwritable = Config::from_text("", dir.path().join("no/such/dir/rc")).expect("empty");
        assert!(matches!(unwritable.save(), Err(ConfigError::Write { .. })));
    }
}

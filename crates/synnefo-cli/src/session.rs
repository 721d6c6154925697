//! From the command line and the config file to an authenticated cloud.

use crate::args::GlobalArgs;
use crate::config::{CloudConfig, Config, Service as ConfigService, expand_home};
use anyhow::{Context, Result};
use std::path::PathBuf;
use synnefo_astakos::Cloud;
use synnefo_core::{ClientConfig, HttpClient, Service, TlsConfig, Token, normalize_endpoint_url};

/// The config file named on the command line, or kamaki's default.
pub(crate) fn load_config(global: &GlobalArgs) -> Result<Config> {
    let path = match &global.config {
        Some(path) => path.clone(),
        None => Config::default_path()?,
    };
    let mut config = Config::load(&path)?;
    for option in &global.overrides {
        let Some((key, value)) = option.split_once('=') else {
            anyhow::bail!("--options {option:?}: expected OPTION=VALUE, e.g. global.colors=on");
        };
        config
            .set_override(key.trim(), value)
            .with_context(|| format!("--options {option:?}"))?;
    }
    Ok(config)
}

/// The HTTP client, with TLS as the flags and the config say.
pub(crate) fn http_client(global: &GlobalArgs, config: &Config) -> Result<HttpClient> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let ca_file = match &global.ca_certs {
        Some(path) => Some(path.clone()),
        None => config
            .get("ca_certs")?
            .filter(|v| !v.trim().is_empty())
            .map(|v| expand_home(&v, home.as_deref())),
    };
    let insecure = global.insecure || config.flag("ignore_ssl")?;
    let client_config = ClientConfig {
        tls: TlsConfig { ca_file, insecure },
        ..ClientConfig::default()
    };
    HttpClient::new(client_config).context("cannot set up HTTPS")
}

/// The selected cloud's name, identity URL and token.
pub(crate) struct CloudChoice {
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) token: Token,
    /// Every setting of the cloud (`pithos_container`, `<service>_url`…).
    pub(crate) settings: CloudConfig,
}

/// Picks the cloud as kamaki does (`--cloud`, `default_cloud`,
/// `$KAMAKI_DEFAULT_CLOUD`, the only one).
pub(crate) fn choose_cloud(global: &GlobalArgs, config: &Config) -> Result<CloudChoice> {
    let env_default = std::env::var(crate::config::DEFAULT_CLOUD_ENV).ok();
    let cloud = config.select_cloud(global.cloud.as_deref(), env_default.as_deref())?;
    let url = cloud.url.clone().unwrap_or_default();
    let token = Token::new(cloud.token().unwrap_or_default());
    Ok(CloudChoice {
        name: cloud.name.clone(),
        url,
        token,
        settings: cloud,
    })
}

/// Authenticates the selected cloud's token.
pub(crate) async fn connect(global: &GlobalArgs) -> Result<Cloud> {
    Ok(connect_with_settings(global).await?.0)
}

/// Authenticates the selected cloud's token; also gives the cloud's
/// settings, for the per-service options of the config file.
pub(crate) async fn connect_with_settings(global: &GlobalArgs) -> Result<(Cloud, CloudConfig)> {
    let config = load_config(global)?;
    let choice = choose_cloud(global, &config)?;
    let http = http_client(global, &config)?;
    let cloud = Cloud::connect(http, &choice.url, choice.token)
        .await
        .with_context(|| format!("cannot authenticate to cloud {:?}", choice.name))?;
    Ok((cloud, choice.settings))
}

/// A client of service `S` as kamaki's `get_client` builds it: the URL is
/// `cloud.<c>.<service>_url` when set, else the catalog's endpoint of type
/// `<service>_type` (default `S::SERVICE_TYPE`) and version
/// `<service>_version`; the token is `<service>_token` or the session's.
pub(crate) fn service_client<S: Service>(
    cloud: &Cloud,
    settings: &CloudConfig,
    service: ConfigService,
) -> Result<S> {
    let url = match settings.service_url(service) {
        Some(url) => normalize_endpoint_url(url, S::DEFAULT_VERSION),
        None => {
            let service_type = settings.service_type(service).unwrap_or(S::SERVICE_TYPE);
            cloud
                .endpoint_url(
                    service_type,
                    settings.service_version(service),
                    S::DEFAULT_VERSION,
                )
                .with_context(|| format!("cannot find the {service_type} service ({service})"))?
        }
    };
    let token = match settings.service_token(service) {
        Some(token) => Token::new(token),
        None => cloud.token().clone(),
    };
    let endpoint = cloud
        .http()
        .endpoint(&url, Some(token))
        .with_context(|| format!("cannot use the {service} URL {url:?}"))?;
    Ok(S::for_user(endpoint, &cloud.user().id))
}

//! What the compute and block-storage commands share: their clients (with
//! the config file's per-service overrides), kamaki's id and metadata
//! filters, `-w/--wait` and the waits themselves (with a real timeout
//! error), and small formatting helpers.

use crate::args::GlobalArgs;
use crate::commands::wait_bar::WaitBar;
use crate::config::Service as ConfigService;
use crate::session;
use anyhow::{Context, Result, anyhow, bail};
use indicatif::MultiProgress;
use std::fmt::Display;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use synnefo_astakos::Cloud;
use synnefo_compute::{Metadata, ServerDetails, ServerStatus};
use synnefo_core::WaitOptions;
use synnefo_cyclades::{BlockStorageClient, CycladesClient, Volume};

/// The cloud and its compute client (`cyclades_url` or the catalog's
/// `compute` endpoint).
pub(crate) async fn cyclades(global: &GlobalArgs) -> Result<(Cloud, CycladesClient)> {
    let (cloud, settings) = session::connect_with_settings(global).await?;
    let client = session::service_client(&cloud, &settings, ConfigService::Cyclades)?;
    Ok((cloud, client))
}

/// The block storage client (`volume_url` or the catalog's `volume`
/// endpoint).
pub(crate) async fn block_storage(global: &GlobalArgs) -> Result<BlockStorageClient> {
    let (cloud, settings) = session::connect_with_settings(global).await?;
    session::service_client(&cloud, &settings, ConfigService::Volume)
}

/// The UUID of `--user-id`, or of `--user-name` looked up in Astakos.
pub(crate) async fn user_filter(
    cloud: &Cloud,
    user_id: Option<&str>,
    user_name: Option<&str>,
) -> Result<Option<String>> {
    match (user_id, user_name) {
        (Some(id), _) => Ok(Some(id.to_owned())),
        (None, Some(name)) => {
            let found = cloud
                .names_to_uuids(&[name])
                .await
                .with_context(|| format!("cannot look up the user {name:?}"))?;
            match found.get(name) {
                Some(uuid) => Ok(Some(uuid.clone())),
                None => bail!("no user named {name:?}"),
            }
        }
        (None, None) => Ok(None),
    }
}

/// kamaki's client-side id filters of listings.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct IdFilters {
    /// Only the item with this id.
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// Only items whose id starts with this.
    #[arg(long, value_name = "PREFIX")]
    pub(crate) id_prefix: Option<String>,
    /// Only items whose id ends with this.
    #[arg(long, value_name = "SUFFIX")]
    pub(crate) id_suffix: Option<String>,
    /// Only items whose id contains this (any case).
    #[arg(long, value_name = "TEXT")]
    pub(crate) id_like: Option<String>,
}

impl IdFilters {
    /// Whether `id` passes every filter given.
    pub(crate) fn matches(&self, id: &str) -> bool {
        self.id.as_deref().is_none_or(|i| id == i)
            && self.id_prefix.as_deref().is_none_or(|p| id.starts_with(p))
            && self.id_suffix.as_deref().is_none_or(|s| id.ends_with(s))
            && self
                .id_like
                .as_deref()
                .is_none_or(|l| id.to_lowercase().contains(&l.to_lowercase()))
    }

    /// Whether any filter is given.
    pub(crate) fn any(&self) -> bool {
        self.id.is_some()
            || self.id_prefix.is_some()
            || self.id_suffix.is_some()
            || self.id_like.is_some()
    }
}

/// A metadata filter: `KEY` (present) or `KEY=VALUE`.
pub(crate) type MetaFilter = (String, Option<String>);

/// Parses `KEY` or `KEY=VALUE`.
pub(crate) fn parse_meta_filter(text: &str) -> Result<MetaFilter, String> {
    let (key, value) = match text.split_once('=') {
        Some((key, value)) => (key.trim(), Some(value.to_owned())),
        None => (text.trim(), None),
    };
    if key.is_empty() {
        return Err(format!("invalid {text:?}: expected KEY or KEY=VALUE"));
    }
    Ok((key.to_owned(), value))
}

/// Whether `metadata` has every `exact` pair (same value) and every `like`
/// pair (a value containing it, any case).
pub(crate) fn meta_matches(metadata: &Metadata, exact: &[MetaFilter], like: &[MetaFilter]) -> bool {
    let exact_ok = exact
        .iter()
        .all(|(key, value)| match (metadata.get(key), value) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(have), Some(want)) => have == want,
        });
    let like_ok = like
        .iter()
        .all(|(key, value)| match (metadata.get(key), value) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(have), Some(want)) => have.to_lowercase().contains(&want.to_lowercase()),
        });
    exact_ok && like_ok
}

/// A time as ISO 8601 in UTC (`2013-01-01T00:00:00Z`), for
/// `changes-since`.
pub(crate) fn iso8601(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// An optional value as text (empty when absent).
pub(crate) fn text<T: Display>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// `items` cut to the first `limit`, if given.
pub(crate) fn limited<T>(mut items: Vec<T>, limit: Option<usize>) -> Vec<T> {
    if let Some(limit) = limit {
        items.truncate(limit);
    }
    items
}

/// Prints rows under a header, numbered with `--enumerate`.
pub(crate) fn table(header: &[&str], rows: Vec<Vec<String>>, enumerate: bool) -> Result<()> {
    if !enumerate {
        return crate::output::table(header, &rows);
    }
    let header: Vec<&str> = std::iter::once("#").chain(header.iter().copied()).collect();
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| std::iter::once((i + 1).to_string()).chain(row).collect())
        .collect();
    crate::output::table(&header, &rows)
}

pub(crate) use crate::output::fields;

/// `-w/--wait`, `-N/--no-progress-bar` and the wait's timeout.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct WaitFlags {
    /// Wait until the change is done, showing a progress bar on stderr.
    #[arg(short = 'w', long)]
    pub(crate) wait: bool,
    /// No progress bar while waiting.
    #[arg(short = 'N', long)]
    pub(crate) no_progress_bar: bool,
    /// Give up waiting after SECS seconds, with an error [default: 60; 100
    /// for a build].
    #[arg(long, value_name = "SECS", requires = "wait")]
    pub(crate) timeout: Option<u64>,
}

impl WaitFlags {
    /// The wait's settings, `default_secs` unless `--timeout` is given.
    pub(crate) fn settings(&self, default_secs: u64) -> WaitSettings {
        WaitSettings::new(self.timeout.unwrap_or(default_secs), !self.no_progress_bar)
    }
}

/// How long to wait, and whether to show a bar.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WaitSettings {
    pub(crate) timeout: Duration,
    pub(crate) progress_bar: bool,
}

impl WaitSettings {
    pub(crate) fn new(timeout_secs: u64, progress_bar: bool) -> WaitSettings {
        WaitSettings {
            timeout: Duration::from_secs(timeout_secs),
            progress_bar,
        }
    }

    /// Poll often at first (kamaki polls every second), then back off.
    pub(crate) fn options(&self) -> WaitOptions {
        WaitOptions {
            timeout: self.timeout,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(3),
            on_progress: None,
        }
    }
}

/// What a `wait` command waits for: until `until` is reached, else for
/// the status `while_status` (or `default`) to pass. Gives the words for
/// messages (`port 7 to become ACTIVE`), whether the status is the one
/// wanted (`until`) or the one to leave, and the status.
pub(crate) fn wait_goal<S: Copy>(
    what: &str,
    until: Option<S>,
    while_status: Option<S>,
    default: S,
    name: impl Fn(S) -> &'static str,
) -> (String, bool, S) {
    match until {
        Some(until) => (format!("{what} to become {}", name(until)), true, until),
        None => {
            let current = while_status.unwrap_or(default);
            (format!("{what} to leave {}", name(current)), false, current)
        }
    }
}

/// A wait's error for people: a timeout says how long, what for, and the
/// last status seen (kamaki returned the last state as if all was well).
pub(crate) fn wait_error(error: synnefo_core::Error) -> anyhow::Error {
    match error {
        synnefo_core::Error::WaitTimeout {
            what,
            waited,
            last_status,
        } => anyhow!(
            "timed out after {}s waiting for {what}; last status {last_status} \
             (hint: wait longer with --timeout SECS)",
            waited.as_secs_f64().round() as u64
        ),
        other => anyhow::Error::new(other),
    }
}

/// Polls a server until `done` accepts it, with a bar titled by its status
/// (a percentage while it reports build progress, else a countdown).
/// `what` names the wait in the timeout error.
pub(crate) async fn wait_server<F>(
    client: &CycladesClient,
    server_id: u64,
    what: &str,
    settings: &WaitSettings,
    multi: Option<&MultiProgress>,
    mut done: F,
) -> synnefo_core::Result<ServerDetails>
where
    F: FnMut(&ServerDetails) -> bool + Send,
{
    let bar = WaitBar::new(
        &format!("Server {server_id}: waiting"),
        settings.timeout,
        settings.progress_bar,
        multi,
    );
    let shown = &bar;
    client
        .wait_server_with(server_id, what, &settings.options(), move |server| {
            let finished = done(server);
            if !finished {
                if server.status == ServerStatus::Build
                    && let Some(progress) = server.progress
                {
                    shown.set_percent(progress);
                }
                shown.set_title(format!(
                    "Server {server_id}: status is still {}",
                    server.status
                ));
            }
            finished
        })
        .await
}

/// Prints an informational line on stderr, above any bars being drawn.
pub(crate) fn note(multi: Option<&MultiProgress>, message: &str) {
    match multi {
        Some(multi) => multi.suspend(|| eprintln!("{message}")),
        None => eprintln!("{message}"),
    }
}

/// Whether a server has reached `target` with no task pending (Synnefo
/// shows `SNF:task_state` while an action is queued).
pub(crate) fn settled_in(server: &ServerDetails, target: &ServerStatus) -> bool {
    &server.status == target && server.task_state.as_deref().unwrap_or("").is_empty()
}

/// Waits for a server to settle in `target` after an action; fails at
/// once if it goes to `ERROR`.
pub(crate) async fn wait_server_settled(
    client: &CycladesClient,
    server_id: u64,
    target: ServerStatus,
    settings: &WaitSettings,
    multi: Option<&MultiProgress>,
) -> Result<ServerDetails> {
    let what = format!("server {server_id} to become {target}");
    let server = wait_server(client, server_id, &what, settings, multi, |s| {
        settled_in(s, &target) || s.status == ServerStatus::Error
    })
    .await
    .map_err(wait_error)?;
    if server.status == ServerStatus::Error && target != ServerStatus::Error {
        bail!("server {server_id} went to ERROR instead of {target}");
    }
    note(
        multi,
        &format!("Server {server_id}: status is now {}", server.status),
    );
    Ok(server)
}

/// Waits for a server to be gone (`DELETED`, or no longer found).
pub(crate) async fn wait_server_deleted(
    client: &CycladesClient,
    server_id: u64,
    settings: &WaitSettings,
    multi: Option<&MultiProgress>,
) -> Result<()> {
    let what = format!("server {server_id} to be deleted");
    match wait_server(client, server_id, &what, settings, multi, |s| {
        s.status == ServerStatus::Deleted
    })
    .await
    {
        Ok(_) => {}
        Err(error) if error.is_not_found() => {}
        Err(error) => return Err(wait_error(error)),
    }
    note(multi, &format!("Server {server_id}: status is now DELETED"));
    Ok(())
}

/// Polls a volume until `done` accepts it, with a countdown bar.
pub(crate) async fn wait_volume<F>(
    client: &BlockStorageClient,
    volume_id: &str,
    what: &str,
    settings: &WaitSettings,
    mut done: F,
) -> synnefo_core::Result<Volume>
where
    F: FnMut(&Volume) -> bool + Send,
{
    let bar = WaitBar::new(
        &format!("Volume {volume_id}: waiting"),
        settings.timeout,
        settings.progress_bar,
        None,
    );
    let shown = &bar;
    client
        .wait_volume_with(volume_id, what, &settings.options(), move |volume| {
            let finished = done(volume);
            if !finished {
                shown.set_title(format!(
                    "Volume {volume_id}: status is still {}",
                    text(&volume.status)
                ));
            }
            finished
        })
        .await
}

/// Whether a volume's status is `status` (any case).
pub(crate) fn volume_is(volume: &Volume, status: &str) -> bool {
    volume
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            iso8601(UNIX_EPOCH + Duration::from_secs(1_356_998_400 + 3_723)),
            "2013-01-01T01:02:03Z"
        );
        assert_eq!(
            iso8601(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn id_and_metadata_filters() {
        let ids = IdFilters {
            id_prefix: Some("1".into()),
            id_like: Some("23".into()),
            ..IdFilters::default()
        };
        assert!(ids.matches("1234") && !ids.matches("2345") && !ids.matches("1999"));
        assert!(ids.any() && !IdFilters::default().any());
        let meta: Metadata = [("os".to_owned(), "Debian".to_owned())].into();
        let exact = [parse_meta_filter("os=Debian").unwrap_or_default()];
        let like = [parse_meta_filter("os=deb").unwrap_or_default()];
        let present = [parse_meta_filter("os").unwrap_or_default()];
        assert!(meta_matches(&meta, &exact, &like));
        assert!(meta_matches(&meta, &present, &[]));
        assert!(!meta_matches(&meta, &like, &[]));
        assert!(!meta_matches(
            &meta,
            &[parse_meta_filter("users").unwrap_or_default()],
            &[]
        ));
        assert!(parse_meta_filter("=x").is_err());
    }
}

//! What the network commands share (`snf network|subnet|port|ip …`): the
//! network client, port statuses and waits on ports (with the countdown
//! bar and a real timeout error), and creating the port that connects a
//! server.

use crate::args::GlobalArgs;
use crate::commands::compute_util::{WaitFlags, WaitSettings, text, wait_error};
use crate::commands::wait_bar::WaitBar;
use crate::config::Service as ConfigService;
use crate::session;
use anyhow::{Context, Result};
use clap::ValueEnum;
use synnefo_network::{CreatePort, NetworkClient, Port, PortAddress};

/// kamaki's wait on ports.
pub(crate) const PORT_TIMEOUT: u64 = 60;

/// The network client (`network_url` or the catalog's `network`
/// endpoint).
pub(crate) async fn network(global: &GlobalArgs) -> Result<NetworkClient> {
    let (cloud, settings) = session::connect_with_settings(global).await?;
    session::service_client(&cloud, &settings, ConfigService::Network)
}

/// A port status to wait on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub(crate) enum PortStatus {
    /// Being attached to its server.
    Build,
    /// Attached.
    Active,
    /// Not attached.
    Down,
    /// Failed.
    Error,
}

impl PortStatus {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PortStatus::Build => "BUILD",
            PortStatus::Active => "ACTIVE",
            PortStatus::Down => "DOWN",
            PortStatus::Error => "ERROR",
        }
    }
}

/// Whether a port's status is `status` (any case).
pub(crate) fn port_is(port: &Port, status: &str) -> bool {
    port.status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(status))
}

/// Polls a port until `done` accepts it, with a countdown bar.
pub(crate) async fn wait_port<F>(
    client: &NetworkClient,
    port_id: &str,
    what: &str,
    settings: &WaitSettings,
    mut done: F,
) -> synnefo_core::Result<Port>
where
    F: FnMut(&Port) -> bool + Send,
{
    let bar = WaitBar::new(
        &format!("Port {port_id}: waiting"),
        settings.timeout,
        settings.progress_bar,
        None,
    );
    let shown = &bar;
    client
        .wait_port_with(port_id, what, &settings.options(), move |port| {
            let finished = done(port);
            if !finished {
                shown.set_title(format!(
                    "Port {port_id}: status is still {}",
                    text(&port.status)
                ));
            }
            finished
        })
        .await
}

/// Waits until a port is `ACTIVE`; says so on stderr.
pub(crate) async fn wait_port_active(
    client: &NetworkClient,
    port_id: &str,
    settings: &WaitSettings,
) -> Result<Port> {
    let what = format!("port {port_id} to become ACTIVE");
    let port = wait_port(client, port_id, &what, settings, |p| {
        port_is(p, "ACTIVE") || port_is(p, "ERROR")
    })
    .await
    .map_err(wait_error)?;
    eprintln!("Port {port_id}: status is now {}", text(&port.status));
    if port_is(&port, "ERROR") {
        anyhow::bail!("port {port_id} failed to attach: its status is ERROR");
    }
    Ok(port)
}

/// Waits until a deleted port is gone (`404`); says so on stderr.
pub(crate) async fn wait_port_gone(
    client: &NetworkClient,
    port_id: &str,
    settings: &WaitSettings,
) -> Result<()> {
    let what = format!("port {port_id} to be deleted");
    match wait_port(client, port_id, &what, settings, |_| false).await {
        Err(error) if error.is_not_found() => {
            eprintln!("Port {port_id}: status is now DELETED");
            Ok(())
        }
        Err(error) => Err(wait_error(error)),
        Ok(_) => Ok(()),
    }
}

/// What a new port of a server needs besides its network and server.
#[derive(Clone, Debug, Default)]
pub(crate) struct PortOptions {
    /// Its name.
    pub(crate) name: Option<String>,
    /// Security group ids.
    pub(crate) security_groups: Vec<String>,
    /// The subnet of its address.
    pub(crate) subnet_id: Option<String>,
    /// Its address.
    pub(crate) ip_address: Option<String>,
}

/// Creates a port of `device_id` on `network_id` and, with `-w`, waits for
/// it to be `ACTIVE`.
pub(crate) async fn connect(
    client: &NetworkClient,
    network_id: &str,
    device_id: Option<&str>,
    options: &PortOptions,
    wait: &WaitFlags,
) -> Result<Port> {
    let mut create = CreatePort::new(network_id);
    create.device_id = device_id.map(str::to_owned);
    create.name = options.name.clone();
    if !options.security_groups.is_empty() {
        create.security_groups = Some(options.security_groups.clone());
    }
    if let Some(address) = &options.ip_address {
        create.fixed_ips.push(PortAddress {
            ip_address: address.clone(),
            subnet_id: options.subnet_id.clone(),
        });
    }
    let port = client
        .create_port(&create)
        .await
        .with_context(|| match device_id {
            Some(device) => format!("cannot connect server {device} to network {network_id}"),
            None => format!("cannot create a port on network {network_id}"),
        })?;
    if wait.wait && device_id.is_some() {
        return wait_port_active(client, &port.id, &wait.settings(PORT_TIMEOUT)).await;
    }
    Ok(port)
}

#[cfg(test)]
mod tests {
    use crate::args::{Cli, Command};
    use crate::commands::network_util::PortStatus;
    use crate::commands::port::PortCommand;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("snf").chain(args.iter().copied()))
    }

    #[test]
    fn network_commands_parse() {
        let ok = |args: &[&str]| parse(args).is_ok();
        // kamaki's `--status` is `--while`; statuses in any case.
        let Ok(cli) = parse(&["port", "wait", "7", "--status", "active"]) else {
            panic!("port wait --status does not parse");
        };
        let Command::Port(PortCommand::Wait { while_status, .. }) = cli.command else {
            panic!("not a port wait");
        };
        assert_eq!(while_status, Some(PortStatus::Active));
        assert!(!ok(&[
            "port", "wait", "7", "--while", "BUILD", "--until", "ACTIVE"
        ]));
        assert!(!ok(&["port", "wait", "7", "--until", "GONE"]));
        assert!(ok(&["network", "create", "--type", "mac_filtered"]));
        assert!(!ok(&["network", "create", "--type", "VLAN"]));
        assert!(!ok(&["network", "connect", "1"]));
        assert!(ok(&[
            "network",
            "connect",
            "1",
            "--device-id",
            "2",
            "--device-id",
            "3",
            "-w"
        ]));
        assert!(!ok(&[
            "port",
            "create",
            "--network-id",
            "1",
            "--device-id",
            "2",
            "--subnet-id",
            "3"
        ]));
        assert!(!ok(&[
            "subnet",
            "create",
            "--network-id",
            "1",
            "--cidr",
            "10.0.0.0/24",
            "--gateway",
            "10.0.0.1",
            "--no-gateway"
        ]));
        assert!(!ok(&[
            "subnet",
            "create",
            "--network-id",
            "1",
            "--cidr",
            "10.0.0.0/24",
            "--with-dhcp",
            "--without-dhcp"
        ]));
        assert!(ok(&[
            "ip",
            "attach",
            "203.0.113.5",
            "--server-id",
            "4",
            "-g",
            "sg",
            "-w"
        ]));
        assert!(!ok(&["ip", "detach", "1", "--timeout", "5"]));
    }
}

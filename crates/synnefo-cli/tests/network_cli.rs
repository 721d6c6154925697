//! The network commands (`snf network|subnet|port|ip …`) as a user runs
//! them: the real binary against synnefo-sim, with a throw-away config
//! file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use serde_json::Value;
use std::time::Duration;
use support::Env;
use synnefo_sim::{Sim, SimConfig, SimHandle};

/// The public Debian image of the simulator.
const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";

impl Env {
    /// Runs `snf` with arguments clap refuses (exit status 2); gives
    /// stderr.
    fn usage_error(&self, args: &[&str]) -> String {
        let output = self.snf(args);
        let err = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "snf {args:?}: {err}");
        err
    }

    /// Creates an active server without NICs; gives its id.
    fn server(&self, name: &str) -> String {
        let server = self.json(&[
            "server",
            "create",
            "--name",
            name,
            "--flavor-id",
            "1",
            "--image-id",
            DEBIAN,
            "--no-network",
            "-w",
        ]);
        server["id"].to_string()
    }
}

/// A simulator whose servers build in 300 ms and act in 200 ms.
async fn sim() -> SimHandle {
    Sim::start_with(SimConfig {
        build_delay: Duration::from_millis(300),
        action_delay: Duration::from_millis(200),
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_and_subnets() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let network = env.json(&["network", "create", "--name", "backend"]);
    assert_eq!(network["type"], "MAC_FILTERED");
    assert_eq!(network["status"], "ACTIVE");
    let id = text(&network["id"]);
    let table = env.ok(&["network", "list", "-l"]);
    assert!(table.starts_with("ID"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with(&id) && l.contains("backend") && l.contains("MAC_FILTERED")),
        "{table}"
    );
    let named = env.json(&["network", "list", "--name", "backend"]);
    assert_eq!(named.as_array().unwrap().len(), 1);
    env.ok(&["network", "modify", &id, "--name", "frontend"]);
    let info = env.ok(&["network", "info", &id]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("name:") && l.ends_with("frontend")),
        "{info}"
    );
    env.ok(&[
        "network",
        "reassign",
        &id,
        "--project-id",
        synnefo_sim::ALICE_UUID,
    ]);
    let err = env.fails(&["network", "create", "--type", "CUSTOM"]);
    assert!(err.contains("cannot create the network"), "{err}");
    let err = env.usage_error(&["network", "create", "--type", "VLAN"]);
    assert!(err.contains("unknown network type"), "{err}");

    // Synnefo takes IPv4 prefixes from /22 to /29 only.
    let err = env.fails(&[
        "subnet",
        "create",
        "--network-id",
        &id,
        "--cidr",
        "10.1.0.0/16",
    ]);
    assert!(err.contains("Unsupported network size"), "{err}");
    let subnet = env.json(&[
        "subnet",
        "create",
        "--network-id",
        &id,
        "--cidr",
        "10.0.0.0/24",
        "--name",
        "lan",
        "--alloc-pool",
        "10.0.0.10,10.0.0.20",
        "--no-gateway",
    ]);
    assert_eq!(subnet["gateway_ip"], Value::Null);
    assert_eq!(subnet["allocation_pools"][0]["start"], "10.0.0.10");
    let subnet_id = text(&subnet["id"]);
    let listed = env.ok(&["subnet", "list", "-l"]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with(&subnet_id) && l.contains("10.0.0.0/24")),
        "{listed}"
    );
    env.ok(&["subnet", "modify", &subnet_id, "--name", "office"]);
    let info = env.json(&["subnet", "info", &subnet_id]);
    assert_eq!(info["name"], "office");
    let err = env.usage_error(&[
        "subnet",
        "create",
        "--network-id",
        &id,
        "--cidr",
        "10.1.0.0/24",
        "--alloc-pool",
        "nonsense",
    ]);
    assert!(err.contains("START,END"), "{err}");

    env.ok(&["network", "delete", &id]);
    let err = env.fails(&["network", "info", &id]);
    assert!(err.contains(&format!("cannot show network {id}")), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ports_connect_servers_and_are_waited_on() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let network = text(&env.json(&["network", "create", "--name", "net"])["id"]);
    env.ok(&[
        "subnet",
        "create",
        "--network-id",
        &network,
        "--cidr",
        "10.0.0.0/24",
    ]);
    let server = env.server("vm");
    let (out, err) = env.run_ok(&[
        "port",
        "create",
        "--network-id",
        &network,
        "--device-id",
        &server,
        "--name",
        "eth1",
        "--ip-address",
        "10.0.0.7",
        "-w",
    ]);
    let port_id = out
        .lines()
        .find_map(|l| l.strip_prefix("id:"))
        .unwrap()
        .trim()
        .to_owned();
    assert!(
        err.contains(&format!("Port {port_id}: status is now ACTIVE")),
        "{err}"
    );
    assert!(out.contains("10.0.0.7"), "{out}");
    let listed = env.ok(&["port", "list", "-l"]);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with(&port_id) && l.contains("ACTIVE")),
        "{listed}"
    );
    env.ok(&["port", "modify", &port_id, "--name", "lan0"]);
    assert_eq!(env.json(&["port", "info", &port_id])["name"], "lan0");
    let (_, err) = env.run_ok(&["port", "wait", &port_id, "--until", "active", "-N"]);
    assert!(err.contains("status is now ACTIVE"), "{err}");
    let err = env.fails(&[
        "port",
        "wait",
        &port_id,
        "--while",
        "ACTIVE",
        "--timeout",
        "1",
        "-N",
    ]);
    assert!(err.contains("timed out after 1s waiting for port"), "{err}");
    let err = env.fails(&["network", "delete", &network]);
    assert!(
        err.contains(&format!("cannot delete network {network}")),
        "{err}"
    );
    let (_, err) = env.run_ok(&["port", "delete", &port_id, "-w", "-N"]);
    assert!(
        err.contains(&format!("Port {port_id}: status is now DELETED")),
        "{err}"
    );

    // network connect / disconnect: one port per server.
    let ports = env.json(&[
        "network",
        "connect",
        &network,
        "--device-id",
        &server,
        "-w",
        "-N",
    ]);
    assert_eq!(ports[0]["status"], "ACTIVE");
    assert_eq!(ports[0]["device_id"], server.as_str());
    let (_, err) = env.run_ok(&[
        "network",
        "disconnect",
        &network,
        "--device-id",
        &server,
        "-w",
        "-N",
    ]);
    assert!(err.contains("status is now DELETED"), "{err}");
    assert_eq!(env.json(&["port", "list"]), Value::Array(vec![]));
    let err = env.fails(&["network", "disconnect", &network, "--device-id", &server]);
    assert!(
        err.contains(&format!("server {server} has no port on network {network}")),
        "{err}"
    );
    env.ok(&["network", "delete", &network]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floating_ips_attach_and_detach() {
    let sim = sim().await;
    let env = Env::new(&sim, sim.token());
    let ip = env.json(&["ip", "create"]);
    let address = text(&ip["floating_ip_address"]);
    let id = text(&ip["id"]);
    let table = env.ok(&["ip", "list"]);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with(&id) && l.contains(&address)),
        "{table}"
    );
    let info = env.ok(&["ip", "info", &address]);
    assert!(
        info.lines()
            .any(|l| l.starts_with("id:") && l.ends_with(&id)),
        "{info}"
    );
    let server = env.server("vm");
    let (out, err) = env.run_ok(&["ip", "attach", &address, "--server-id", &server, "-w", "-N"]);
    assert!(err.contains("status is now ACTIVE"), "{err}");
    assert!(out.contains(&address), "{out}");
    let attached = env.json(&["ip", "info", &id]);
    assert_eq!(attached["instance_id"], server.as_str());
    let err = env.fails(&["ip", "delete", &id]);
    assert!(
        err.contains(&format!("cannot release floating IP {id}")),
        "{err}"
    );
    let (_, err) = env.run_ok(&["ip", "detach", &address, "-w", "-N"]);
    assert!(err.contains("status is now DELETED"), "{err}");
    let err = env.fails(&["ip", "detach", &address]);
    assert!(err.contains("is not attached"), "{err}");
    env.ok(&[
        "ip",
        "reassign",
        &address,
        "--project-id",
        synnefo_sim::ALICE_UUID,
    ]);
    env.ok(&["ip", "delete", &address]);
    assert_eq!(env.json(&["ip", "list"]), Value::Array(vec![]));
    let err = env.fails(&["ip", "info", &address]);
    assert!(err.contains("no floating IP"), "{err}");
}

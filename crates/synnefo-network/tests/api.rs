//! The network client over real HTTP against synnefo-sim: networks,
//! subnets, ports attached to servers and their waits, floating IPs,
//! batch creates, reassignment, and the raw calls (wire reference §4).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use serde_json::{Value, json};
use std::time::Duration;
use synnefo_astakos::Cloud;
use synnefo_compute::CreateServer;
use synnefo_core::http::{Method, StatusCode};
use synnefo_core::{ClientConfig, Error, HttpClient, Token, WaitOptions};
use synnefo_cyclades::CycladesClient;
use synnefo_network::{
    AllocationPool, Collection, CreateFloatingIp, CreateNetwork, CreatePort, CreateSubnet, Gateway,
    NetworkClient, NetworkType, PortAddress, UpdateFloatingIp, UpdateNetwork, UpdatePort,
    UpdateSubnet,
};
use synnefo_sim::{Sim, SimConfig, SimHandle};

/// The seeded Debian image.
const DEBIAN: &str = "0c1a4b5e-3d2f-4e6a-9b7c-000000000001";

/// A sim, the first user's network and Cyclades clients from the catalog,
/// and the user's UUID (also their system project).
struct Env {
    _sim: SimHandle,
    network: NetworkClient,
    cyclades: CycladesClient,
    user: String,
}

async fn setup() -> Env {
    let sim = Sim::start_with(SimConfig {
        build_delay: Duration::from_millis(50),
        action_delay: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    let cloud = Cloud::connect(http, &sim.identity_url(), Token::new(sim.token()))
        .await
        .unwrap();
    let network: NetworkClient = cloud.client().unwrap();
    let cyclades: CycladesClient = cloud.client().unwrap();
    Env {
        _sim: sim,
        network,
        cyclades,
        user: cloud.user().id.clone(),
    }
}

/// Waits that poll often and give up after 10 s.
fn wait() -> WaitOptions {
    WaitOptions {
        timeout: Duration::from_secs(10),
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        on_progress: None,
    }
}

/// The HTTP status of an error.
fn status(error: &Error) -> u16 {
    error
        .status()
        .unwrap_or_else(|| panic!("not an HTTP error: {error}"))
        .as_u16()
}

/// A private network named `name`.
fn private(name: &str) -> CreateNetwork {
    CreateNetwork {
        name: Some(name.into()),
        ..CreateNetwork::new(NetworkType::MacFiltered)
    }
}

/// An active server without NICs; returns its id.
async fn server(cyclades: &CycladesClient) -> u64 {
    let mut create = CreateServer::new("vm", 1, DEBIAN);
    create.networks = Some(vec![]);
    let server = cyclades.create_server(&create).await.unwrap();
    cyclades.wait_server(server.id, &wait()).await.unwrap();
    server.id
}

/// Polls a port until the server has let it go (`404`).
async fn wait_gone(network: &NetworkClient, port: &str) {
    let error = network
        .wait_port_with(port, "port to go", &wait(), |_| false)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn catalog_client_lists_the_public_network() {
    let env = setup().await;
    assert!(env.network.endpoint().base_url().ends_with("/network/v2.0"));
    for networks in [
        env.network.list_networks().await.unwrap(),
        env.network.list_networks_detail().await.unwrap(),
    ] {
        assert_eq!(networks.len(), 1);
        let public = &networks[0];
        assert_eq!(public.id, "1");
        assert_eq!(public.public, Some(true));
        assert_eq!(public.floating_ip_pool, Some(true));
        assert_eq!(public.subnets, ["1"]);
    }
    let subnets = env.network.list_subnets().await.unwrap();
    assert_eq!(subnets[0].cidr.as_deref(), Some("203.0.113.0/24"));
    assert!(env.network.list_ports().await.unwrap().is_empty());
    assert!(env.network.list_floatingips().await.unwrap().is_empty());
}

#[tokio::test]
async fn networks_are_created_renamed_reassigned_and_deleted() {
    let env = setup().await;
    let n = &env.network;
    let created = n.create_network(&private("backend")).await.unwrap();
    assert_eq!(created.status.as_deref(), Some("ACTIVE"));
    assert_eq!(created.network_type.as_deref(), Some("MAC_FILTERED"));
    assert_eq!(created.tenant_id.as_deref(), Some(env.user.as_str()));
    let renamed = n
        .update_network(&created.id, &UpdateNetwork::name("frontend"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("frontend"));
    let shown = n.get_network_details(&created.id).await.unwrap();
    assert_eq!(shown.name.as_deref(), Some("frontend"));
    let empty = n
        .update_network(&created.id, &UpdateNetwork::default())
        .await
        .unwrap_err();
    assert!(matches!(empty, Error::Config(_)), "{empty}");
    n.reassign_network(&created.id, &env.user).await.unwrap();
    let foreign = n
        .reassign_network(&created.id, "elsewhere")
        .await
        .unwrap_err();
    assert_eq!(status(&foreign), 400);
    let public = n
        .update_network("1", &UpdateNetwork::name("mine"))
        .await
        .unwrap_err();
    assert_eq!(status(&public), 403);
    let custom = n
        .create_network(&CreateNetwork::new(NetworkType::Custom))
        .await
        .unwrap_err();
    assert_eq!(status(&custom), 403);
    n.delete_network(&created.id).await.unwrap();
    let gone = n.get_network_details(&created.id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert_eq!(n.list_networks().await.unwrap().len(), 1);
}

#[tokio::test]
async fn batch_creates_are_checked_locally_and_refused_by_synnefo() {
    let env = setup().await;
    let n = &env.network;
    let unnamed = n
        .create_networks(&[CreateNetwork::new(NetworkType::MacFiltered)])
        .await
        .unwrap_err();
    assert!(matches!(unnamed, Error::Config(_)), "{unnamed}");
    // Synnefo has no batch create: one 400, and nothing is created.
    let refused = n
        .create_networks(&[private("a"), private("b")])
        .await
        .unwrap_err();
    assert_eq!(status(&refused), 400);
    assert_eq!(
        refused.fault().unwrap().message.as_deref(),
        Some("Malformed request. Missing attribute 'network'.")
    );
    assert_eq!(n.list_networks().await.unwrap().len(), 1);
    let net = n.create_network(&private("net")).await.unwrap();
    let subnets = n
        .create_subnets(&[CreateSubnet::new(&net.id, "10.0.0.0/24")])
        .await
        .unwrap_err();
    assert_eq!(status(&subnets), 400);
    let ports = n
        .create_ports(&[CreatePort::new(&net.id)])
        .await
        .unwrap_err();
    assert_eq!(status(&ports), 400);
    assert!(n.list_ports().await.unwrap().is_empty());
    assert!(
        n.get_network_details(&net.id)
            .await
            .unwrap()
            .subnets
            .is_empty()
    );
}

#[tokio::test]
async fn subnets_take_pools_and_gateways_and_only_renames() {
    let env = setup().await;
    let n = &env.network;
    let net = n.create_network(&private("net")).await.unwrap();
    let too_small = n
        .create_subnet(&CreateSubnet::new(&net.id, "10.0.0.0/30"))
        .await
        .unwrap_err();
    assert_eq!(status(&too_small), 413);
    let create = CreateSubnet {
        name: Some("lan".into()),
        allocation_pools: vec![AllocationPool::new("10.0.0.10", "10.0.0.20")],
        gateway: Gateway::Address("10.0.0.254".into()),
        enable_dhcp: Some(false),
        ..CreateSubnet::new(&net.id, "10.0.0.0/24")
    };
    let subnet = n.create_subnet(&create).await.unwrap();
    assert_eq!(subnet.network_id.as_deref(), Some(net.id.as_str()));
    assert_eq!(subnet.gateway_ip.as_deref(), Some("10.0.0.254"));
    assert_eq!(subnet.enable_dhcp, Some(false));
    assert_eq!(subnet.ip_version, Some(4));
    assert_eq!(
        subnet.allocation_pools,
        [AllocationPool::new("10.0.0.10", "10.0.0.20")]
    );
    let v6 = CreateSubnet {
        ipv6: true,
        gateway: Gateway::Disabled,
        ..CreateSubnet::new(&net.id, "2001:db8::/64")
    };
    let v6 = n.create_subnet(&v6).await.unwrap();
    assert_eq!((v6.ip_version, v6.gateway_ip), (Some(6), None));
    let renamed = n
        .update_subnet(&subnet.id, &UpdateSubnet::name("office"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("office"));
    let shown = n.get_subnet_details(&subnet.id).await.unwrap();
    assert_eq!(shown.name.as_deref(), Some("office"));
    let more = UpdateSubnet {
        enable_dhcp: Some(true),
        ..UpdateSubnet::name("x")
    };
    assert_eq!(
        status(&n.update_subnet(&subnet.id, &more).await.unwrap_err()),
        400
    );
    assert_eq!(status(&n.delete_subnet(&subnet.id).await.unwrap_err()), 400);
    let details = n.get_network_details(&net.id).await.unwrap();
    assert_eq!(details.subnets, [subnet.id.clone(), v6.id.clone()]);
    // A port takes its address from the pool.
    let port = n.create_port(&CreatePort::new(&net.id)).await.unwrap();
    assert_eq!(port.fixed_ips[0].ip_address.as_deref(), Some("10.0.0.10"));
    assert_eq!(
        port.fixed_ips[0].subnet.as_deref(),
        Some(subnet.id.as_str())
    );
}

#[tokio::test]
async fn ports_attach_to_servers_and_are_waited_on() {
    let env = setup().await;
    let n = &env.network;
    let net = n.create_network(&private("net")).await.unwrap();
    n.create_subnet(&CreateSubnet::new(&net.id, "10.0.0.0/24"))
        .await
        .unwrap();
    let server = server(&env.cyclades).await;
    let create = CreatePort {
        device_id: Some(server.to_string()),
        name: Some("eth1".into()),
        fixed_ips: vec![PortAddress::new("10.0.0.7")],
        ..CreatePort::new(&net.id)
    };
    let port = n.create_port(&create).await.unwrap();
    assert_eq!(port.status.as_deref(), Some("BUILD"));
    assert_eq!(port.device_id, Some(server.to_string()));
    let active = n
        .wait_port_until(&port.id, "ACTIVE", &wait())
        .await
        .unwrap();
    assert_eq!(active.fixed_ips[0].ip_address.as_deref(), Some("10.0.0.7"));
    assert_eq!(
        n.get_port_status(&port.id).await.unwrap().as_deref(),
        Some("ACTIVE")
    );
    let taken = n.create_port(&create).await.unwrap_err();
    assert_eq!(status(&taken), 409);
    assert_eq!(n.list_ports_detail().await.unwrap()[0].id, port.id);
    let renamed = n
        .update_port(&port.id, &UpdatePort::name("lan0"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("lan0"));
    let in_use = n.delete_network(&net.id).await.unwrap_err();
    assert_eq!(in_use.status(), Some(StatusCode::CONFLICT));
    n.delete_port(&port.id).await.unwrap();
    wait_gone(n, &port.id).await;
    n.delete_network(&net.id).await.unwrap();
}

#[tokio::test]
async fn port_wait_times_out_on_a_port_that_never_changes() {
    let env = setup().await;
    let n = &env.network;
    let net = n.create_network(&private("net")).await.unwrap();
    let port = n.create_port(&CreatePort::new(&net.id)).await.unwrap();
    assert_eq!(port.status.as_deref(), Some("DOWN"));
    let options = WaitOptions {
        timeout: Duration::from_millis(200),
        ..wait()
    };
    let error = n
        .wait_port_until(&port.id, "ACTIVE", &options)
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let down = n.wait_port(&port.id, &options).await.unwrap();
    assert_eq!(down.status.as_deref(), Some("DOWN"));
}

#[tokio::test]
async fn floating_ips_are_allocated_attached_detached_and_released() {
    let env = setup().await;
    let n = &env.network;
    let ip = n
        .create_floatingip(&CreateFloatingIp::default())
        .await
        .unwrap();
    assert_eq!(ip.floating_network_id.as_deref(), Some("1"));
    assert_eq!(ip.port_id, None);
    let address = ip.floating_ip_address.clone().unwrap();
    assert_eq!(n.list_floatingips().await.unwrap()[0].id, ip.id);
    let taken = CreateFloatingIp {
        floating_network_id: Some("1".into()),
        floating_ip_address: Some(address.clone()),
        ..CreateFloatingIp::default()
    };
    assert_eq!(status(&n.create_floatingip(&taken).await.unwrap_err()), 409);
    let update = UpdateFloatingIp {
        port_id: Some(None),
        ..UpdateFloatingIp::default()
    };
    assert_eq!(
        status(&n.update_floatingip(&ip.id, &update).await.unwrap_err()),
        501
    );
    let server = server(&env.cyclades).await;
    let attach = CreatePort {
        device_id: Some(server.to_string()),
        fixed_ips: vec![PortAddress::new(&address)],
        ..CreatePort::new("1")
    };
    let port = n.create_port(&attach).await.unwrap();
    n.wait_port_until(&port.id, "ACTIVE", &wait())
        .await
        .unwrap();
    let attached = n.get_floatingip_details(&ip.id).await.unwrap();
    assert_eq!(attached.port_id.as_deref(), Some(port.id.as_str()));
    assert_eq!(attached.instance_id, Some(server.to_string()));
    assert_eq!(status(&n.delete_floatingip(&ip.id).await.unwrap_err()), 409);
    n.delete_port(&port.id).await.unwrap();
    wait_gone(n, &port.id).await;
    assert_eq!(
        n.get_floatingip_details(&ip.id).await.unwrap().port_id,
        None
    );
    n.reassign_floating_ip(&ip.id, &env.user).await.unwrap();
    n.delete_floatingip(&ip.id).await.unwrap();
    assert!(
        n.get_floatingip_details(&ip.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn raw_requests_reach_every_collection() {
    let env = setup().await;
    let n = &env.network;
    // Sends `METHOD /<collection>[/<id>]` with a JSON body; gives the
    // status and the decoded body (`Null` when empty).
    let call = |method: Method, collection, id: Option<String>, body: Option<Value>| async move {
        let request = n
            .raw_request(method, collection, id.as_deref(), body.as_ref())
            .unwrap();
        match n.send(request).await {
            Ok(response) => {
                let body = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
                (response.status().as_u16(), body)
            }
            Err(error) => (status(&error), Value::Null),
        }
    };
    let (code, body) = call(
        Method::POST,
        Collection::Networks,
        None,
        Some(json!({"network": {"type": "MAC_FILTERED", "name": "raw"}})),
    )
    .await;
    assert_eq!(code, 201);
    let net = body["network"]["id"].as_str().unwrap().to_owned();
    let (code, body) = call(
        Method::POST,
        Collection::Subnets,
        None,
        Some(json!({"subnet": {"network_id": net, "cidr": "10.0.0.0/24"}})),
    )
    .await;
    assert_eq!(code, 201);
    let subnet = body["subnet"]["id"].as_str().unwrap().to_owned();
    let (code, body) = call(
        Method::POST,
        Collection::Ports,
        None,
        Some(json!({"port": {"network_id": net}})),
    )
    .await;
    assert_eq!(code, 201);
    let port = body["port"]["id"].as_str().unwrap().to_owned();
    let (code, body) = call(
        Method::POST,
        Collection::FloatingIps,
        None,
        Some(json!({"floatingip": {}})),
    )
    .await;
    assert_eq!(code, 200);
    let ip = body["floatingip"]["id"].as_str().unwrap().to_owned();
    for (collection, key, id, item) in [
        (Collection::Networks, "networks", &net, "network"),
        (Collection::Subnets, "subnets", &subnet, "subnet"),
        (Collection::Ports, "ports", &port, "port"),
        (Collection::FloatingIps, "floatingips", &ip, "floatingip"),
    ] {
        let (code, list) = call(Method::GET, collection, None, None).await;
        assert_eq!(code, 200);
        assert!(
            list[key]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["id"] == id.as_str())
        );
        let (code, one) = call(Method::GET, collection, Some(id.clone()), None).await;
        assert_eq!((code, one[item]["id"].as_str()), (200, Some(id.as_str())));
        let rename = Some(json!({ item: {"name": "renamed"} }));
        let (code, renamed) = call(Method::PUT, collection, Some(id.clone()), rename).await;
        if collection == Collection::FloatingIps {
            assert_eq!(code, 501, "Synnefo does not update floating IPs");
        } else {
            assert_eq!(
                (code, renamed[item]["name"].as_str()),
                (200, Some("renamed"))
            );
        }
    }
    let delete = |collection, id: &String| call(Method::DELETE, collection, Some(id.clone()), None);
    assert_eq!(delete(Collection::Subnets, &subnet).await.0, 400);
    assert_eq!(delete(Collection::Ports, &port).await.0, 204);
    assert_eq!(delete(Collection::FloatingIps, &ip).await.0, 204);
    assert_eq!(delete(Collection::Networks, &net).await.0, 204);
    assert!(n.list_networks().await.unwrap().iter().all(|x| x.id != net));
}

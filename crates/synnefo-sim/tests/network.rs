//! End-to-end tests of the Cyclades network emulation over real HTTP:
//! routing, networks, subnets, ports attached to servers, floating IPs and
//! their quotas (wire reference §4, §0).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Api, instant_sim, slow_sim};
use synnefo_sim::{ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, CycladesQuota, Sim, SimConfig};

/// Creates a private network and returns its id.
async fn private_network(api: &Api<'_>, name: &str) -> String {
    let reply = api
        .n_post(
            "/networks",
            json!({"network": {"type": "MAC_FILTERED", "name": name}}),
        )
        .await;
    reply.expect(201).json()["network"]["id"]
        .as_str()
        .expect("string network id")
        .to_owned()
}

/// Creates `10.0.0.0/24` on a network and returns the subnet.
async fn subnet(api: &Api<'_>, network: &str) -> Value {
    let reply = api
        .n_post(
            "/subnets",
            json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24"}}),
        )
        .await;
    reply.expect(201).json()["subnet"].clone()
}

/// Polls a port until `status` (or until it is gone, for `"gone"`).
async fn wait_port(api: &Api<'_>, id: &str, status: &str) {
    let started = Instant::now();
    loop {
        let reply = api.n_get(&format!("/ports/{id}")).await;
        let now = if reply.code() == 404 {
            "gone".to_owned()
        } else {
            reply.expect(200).json()["port"]["status"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        if now == status {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "port {id} stuck in {now}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn routing_methods_and_auth() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let anonymous = Api::anonymous(&sim);
    let versions = anonymous.get("/cyclades/network").await.expect(200).json();
    assert_eq!(versions["versions"][0]["id"], "v2.0");
    anonymous.n_get("/networks").await.assert_fault(
        401,
        "unauthorized",
        "Access denied. No authentication token",
    );
    for path in ["/routers", "/networks/1/ports", "/", "/subnets/1/action"] {
        api.n_get(path).await.bad_request("API endpoint not found");
    }
    let reply = api.n_post("/networks/detail", json!({})).await;
    assert_eq!(reply.code(), 405);
    assert_eq!(reply.header("allow"), Some("GET"));
    api.n_get("/networks/abc")
        .await
        .bad_request("Invalid network ID 'abc'");
    // The public network is there from the start, on both list paths.
    for path in ["/networks", "/networks/detail"] {
        let list = api.n_get(path).await.expect(200).json();
        let public = &list["networks"][0];
        assert_eq!(public["id"], "1");
        assert_eq!(public["public"], true);
        assert_eq!(public["SNF:floating_ip_pool"], true);
        assert_eq!(public["subnets"], json!(["1"]));
    }
}

#[tokio::test]
async fn network_lifecycle_and_quota() {
    let mut quotas = BTreeMap::new();
    quotas.insert(
        ALICE_UUID.to_owned(),
        CycladesQuota {
            network_private: 1,
            ..CycladesQuota::default()
        },
    );
    let sim = Sim::start_with(SimConfig {
        cyclades_quotas: quotas,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    for (body, status, message) in [
        (
            json!({"network": {"name": "x"}}),
            400,
            "Malformed request. Missing attribute 'type'.",
        ),
        (
            json!({"network": {"type": "VLAN"}}),
            400,
            "Invalid network type 'VLAN'",
        ),
        (
            json!({"networks": [{"type": "MAC_FILTERED", "name": "a"}]}),
            400,
            "Malformed request. Missing attribute 'network'.",
        ),
        (
            json!({"network": {"type": "CUSTOM"}}),
            403,
            "Cannot create network of type 'CUSTOM'.",
        ),
        (
            json!({"network": {"type": "MAC_FILTERED", "project": "other"}}),
            400,
            &format!("User {ALICE_UUID} not in project other"),
        ),
    ] {
        let reply = api.n_post("/networks", body).await;
        assert_eq!(reply.code(), status, "{}", reply.text());
        assert_eq!(
            reply.json().as_object().unwrap().values().next().unwrap()["message"],
            message
        );
    }
    let long = "n".repeat(129);
    let reply = api
        .n_post(
            "/networks",
            json!({"network": {"type": "MAC_FILTERED", "name": long}}),
        )
        .await;
    assert_eq!(reply.code(), 400);
    let reply = api
        .n_post(
            "/networks",
            json!({"network": {"type": "MAC_FILTERED", "name": "net"}}),
        )
        .await;
    let network = reply.expect(201).json()["network"].clone();
    assert_eq!(network["status"], "ACTIVE");
    assert_eq!(network["type"], "MAC_FILTERED");
    assert_eq!(network["user_id"], ALICE_UUID);
    assert_eq!(network["tenant_id"], ALICE_UUID);
    assert_eq!(network["subnets"], json!([]));
    let id = network["id"].as_str().unwrap();
    assert_eq!(
        sim.cyclades_usage(ALICE_UUID)["cyclades.network.private"],
        1
    );
    let over = api
        .n_post("/networks", json!({"network": {"type": "MAC_FILTERED"}}))
        .await;
    assert_eq!(over.code(), 413);
    assert_eq!(over.json()["overLimit"]["code"], 413);
    // Other users do not see it.
    bob.n_get(&format!("/networks/{id}")).await.expect(404);
    assert_eq!(
        bob.n_get("/networks").await.json()["networks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let renamed = api
        .n_put(
            &format!("/networks/{id}"),
            json!({"network": {"name": "renamed"}}),
        )
        .await;
    assert_eq!(renamed.expect(200).json()["network"]["name"], "renamed");
    assert_eq!(
        api.n_put("/networks/1", json!({"network": {"name": "mine"}}))
            .await
            .code(),
        403
    );
    assert_eq!(api.n_delete("/networks/1").await.code(), 403);
    api.n_post(
        &format!("/networks/{id}/action"),
        json!({"reassign": {"project": ALICE_UUID}}),
    )
    .await
    .expect(200);
    api.n_post(
        &format!("/networks/{id}/action"),
        json!({"reassign": {"project": "elsewhere"}}),
    )
    .await
    .expect(400);
    api.n_post(&format!("/networks/{id}/action"), json!({"rename": {}}))
        .await
        .bad_request("Action 'rename' not supported");
    api.n_delete(&format!("/networks/{id}")).await.expect(204);
    api.n_get(&format!("/networks/{id}")).await.expect(404);
    assert_eq!(
        sim.cyclades_usage(ALICE_UUID)["cyclades.network.private"],
        0
    );
    private_network(&api, "again").await;
}

#[tokio::test]
async fn subnets_follow_synnefo_rules() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    let network = private_network(&api, "net").await;
    let post = |body: Value| api.n_post("/subnets", json!({ "subnet": body }));
    post(json!({"network_id": network, "cidr": "10.0.0.1/24"}))
        .await
        .bad_request("Malformed CIDR '10.0.0.1/24'");
    for cidr in ["10.0.0.0/30", "10.0.0.0/20"] {
        let reply = post(json!({"network_id": network, "cidr": cidr})).await;
        reply.assert_fault(413, "overLimit", "Unsupported network size.");
    }
    post(json!({"network_id": network, "cidr": "10.0.0.0/24", "gateway_ip": "10.0.1.1"}))
        .await
        .expect(400);
    let pools = json!([{"start": "10.0.0.1", "end": "10.0.0.9"}]);
    post(json!({"network_id": network, "cidr": "10.0.0.0/24", "allocation_pools": pools}))
        .await
        .expect(409);
    post(json!({"network_id": "1", "cidr": "10.0.0.0/24"}))
        .await
        .expect(403);
    bob.n_post(
        "/subnets",
        json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24"}}),
    )
    .await
    .expect(404);
    let created = subnet(&api, &network).await;
    assert_eq!(created["network_id"], network.as_str());
    assert_eq!(created["gateway_ip"], "10.0.0.1");
    assert_eq!(created["ip_version"], 4);
    assert_eq!(created["enable_dhcp"], true);
    assert_eq!(
        created["allocation_pools"],
        json!([{"start": "10.0.0.2", "end": "10.0.0.254"}])
    );
    let id = created["id"].as_str().unwrap();
    post(json!({"network_id": network, "cidr": "10.0.1.0/24"}))
        .await
        .bad_request("Only one subnet of IPv4 per network is allowed");
    let network_now = api.n_get(&format!("/networks/{network}")).await.json();
    assert_eq!(network_now["network"]["subnets"], json!([id]));
    // IPv6: exactly /64, a null gateway means none.
    post(json!({"network_id": network, "cidr": "2001:db8::/48", "ip_version": 6}))
        .await
        .expect(400);
    let v6 = post(json!({"network_id": network, "cidr": "2001:db8::/64", "ip_version": 6, "gateway_ip": null}))
        .await;
    let v6 = v6.expect(201).json()["subnet"].clone();
    assert_eq!(
        (v6["gateway_ip"].clone(), v6["enable_slaac"].clone()),
        (Value::Null, json!(true))
    );
    // Only the name changes; subnets go only with their network.
    let renamed = api
        .n_put(
            &format!("/subnets/{id}"),
            json!({"subnet": {"name": "lan"}}),
        )
        .await;
    assert_eq!(renamed.expect(200).json()["subnet"]["name"], "lan");
    api.n_put(
        &format!("/subnets/{id}"),
        json!({"subnet": {"name": "x", "enable_dhcp": false}}),
    )
    .await
    .bad_request("Only the name of a subnet can be updated");
    api.n_delete(&format!("/subnets/{id}"))
        .await
        .bad_request("Deletion of a subnet is not supported");
    assert_eq!(
        api.n_get("/subnets").await.json()["subnets"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    api.n_delete(&format!("/networks/{network}"))
        .await
        .expect(204);
    api.n_get(&format!("/subnets/{id}")).await.expect(404);
}

#[tokio::test]
async fn ports_attach_to_servers_and_block_network_deletion() {
    let sim = slow_sim(30, 30).await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let network = private_network(&api, "net").await;
    subnet(&api, &network).await;
    let server = api.active_server("vm", json!({"networks": []})).await;
    // A port without a device is DOWN and takes a pool address.
    let reply = api
        .n_post(
            "/ports",
            json!({"port": {"network_id": network, "name": "spare"}}),
        )
        .await;
    let spare = reply.expect(201).json()["port"].clone();
    assert_eq!(spare["status"], "DOWN");
    assert_eq!(spare["device_id"], Value::Null);
    assert_eq!(spare["fixed_ips"][0]["ip_address"], "10.0.0.2");
    // With a device it is BUILD, then ACTIVE once the server has it.
    let reply = api
        .n_post(
            "/ports",
            json!({"port": {"network_id": network, "device_id": server.to_string(),
                "fixed_ips": [{"ip_address": "10.0.0.7"}]}}),
        )
        .await;
    let port = reply.expect(201).json()["port"].clone();
    assert_eq!(port["status"], "BUILD");
    assert_eq!(port["device_owner"], "vm");
    let port_id = port["id"].as_str().unwrap().to_owned();
    wait_port(&api, &port_id, "ACTIVE").await;
    let nics = api.server(server).await["attachments"].clone();
    assert!(
        nics.as_array()
            .unwrap()
            .iter()
            .any(|n| n["ipv4"] == "10.0.0.7"),
        "{nics}"
    );
    // The same address twice, a second address, an unknown server.
    for (body, status) in [
        (
            json!({"network_id": network, "fixed_ips": [{"ip_address": "10.0.0.7"}]}),
            409,
        ),
        (
            json!({"network_id": network, "fixed_ips": [{"ip_address": "10.0.0.7"}, {"ip_address": "10.0.0.8"}]}),
            400,
        ),
        (json!({"network_id": network, "device_id": "999"}), 404),
        (json!({"network_id": "1"}), 400),
        (json!({"device_id": "1"}), 400),
    ] {
        let reply = api.n_post("/ports", json!({ "port": body })).await;
        assert_eq!(reply.code(), status, "{}", reply.text());
    }
    let network_in_use = api.n_delete(&format!("/networks/{network}")).await;
    assert_eq!(network_in_use.code(), 409, "{}", network_in_use.text());
    assert_eq!(network_in_use.json()["conflict"]["code"], 409);
    let renamed = api
        .n_put(
            &format!("/ports/{port_id}"),
            json!({"port": {"name": "eth1"}}),
        )
        .await;
    assert_eq!(renamed.expect(200).json()["port"]["name"], "eth1");
    let listed = api.n_get("/ports").await.json()["ports"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed, 2);
    // Detaching is a job on the server; the port goes when it completes.
    api.n_delete(&format!("/ports/{port_id}")).await.expect(204);
    wait_port(&api, &port_id, "gone").await;
    api.n_delete(&format!("/ports/{}", spare["id"].as_str().unwrap()))
        .await
        .expect(204);
    api.n_delete(&format!("/networks/{network}"))
        .await
        .expect(204);
    // Another user sees none of this.
    let bob = Api::new(&sim, BOB_TOKEN);
    assert_eq!(bob.n_get("/ports").await.json(), json!({"ports": []}));
}

#[tokio::test]
async fn default_public_port_cannot_be_deleted() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let server = api.active_server("vm", json!({})).await;
    let ports = api.n_get("/ports").await.json()["ports"].clone();
    let port = &ports[0];
    assert_eq!(port["device_id"], server.to_string());
    assert_eq!(port["network_id"], "1");
    assert_eq!(port["status"], "ACTIVE");
    let reply = api
        .n_delete(&format!("/ports/{}", port["id"].as_str().unwrap()))
        .await;
    reply.assert_fault(403, "forbidden", "Cannot disconnect from public network.");
}

#[tokio::test]
async fn floating_ips_allocate_attach_detach_release() {
    let mut quotas = BTreeMap::new();
    quotas.insert(
        ALICE_UUID.to_owned(),
        CycladesQuota {
            floating_ip: 1,
            ..CycladesQuota::default()
        },
    );
    let sim = Sim::start_with(SimConfig {
        build_delay: Duration::ZERO,
        action_delay: Duration::ZERO,
        cyclades_quotas: quotas,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let api = Api::new(&sim, ALICE_TOKEN);
    let private = private_network(&api, "net").await;
    api.n_post(
        "/floatingips",
        json!({"floatingip": {"floating_network_id": private}}),
    )
    .await
    .expect(409);
    api.n_post(
        "/floatingips",
        json!({"floatingip": {"floating_ip_address": "198.51.100.7"}}),
    )
    .await
    .expect(400);
    // Synnefo answers 200, not 201.
    let reply = api.n_post("/floatingips", json!({"floatingip": {}})).await;
    let ip = reply.expect(200).json()["floatingip"].clone();
    assert_eq!(ip["floating_network_id"], "1");
    assert_eq!(ip["port_id"], Value::Null);
    let (id, address) = (
        ip["id"].as_str().unwrap().to_owned(),
        ip["floating_ip_address"].as_str().unwrap().to_owned(),
    );
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.floating_ip"], 1);
    let over = api.n_post("/floatingips", json!({"floatingip": {}})).await;
    assert_eq!(over.code(), 413);
    assert_eq!(
        api.n_get("/floatingips").await.json()["floatingips"][0]["id"],
        id.as_str()
    );
    api.n_put(
        &format!("/floatingips/{id}"),
        json!({"floatingip": {"port_id": null}}),
    )
    .await
    .expect(501);
    // A port on the public network needs one of the user's floating IPs.
    let server = api.active_server("vm", json!({"networks": []})).await;
    api.n_post(
        "/ports",
        json!({"port": {"network_id": "1", "device_id": server.to_string()}}),
    )
    .await
    .expect(400);
    let reply = api
        .n_post(
            "/ports",
            json!({"port": {"network_id": "1", "device_id": server.to_string(),
                "fixed_ips": [{"ip_address": address}]}}),
        )
        .await;
    let port = reply.expect(201).json()["port"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attached = api.n_get(&format!("/floatingips/{id}")).await.json()["floatingip"].clone();
    assert_eq!(attached["port_id"], port.as_str());
    assert_eq!(attached["instance_id"], server.to_string());
    api.n_delete(&format!("/floatingips/{id}"))
        .await
        .expect(409);
    api.n_delete(&format!("/ports/{port}")).await.expect(204);
    wait_port(&api, &port, "gone").await;
    let detached = api.n_get(&format!("/floatingips/{id}")).await.json()["floatingip"].clone();
    assert_eq!(detached["port_id"], Value::Null);
    api.n_post(
        &format!("/floatingips/{id}/action"),
        json!({"reassign": {"project": ALICE_UUID}}),
    )
    .await
    .expect(200);
    api.n_delete(&format!("/floatingips/{id}"))
        .await
        .expect(204);
    api.n_get(&format!("/floatingips/{id}")).await.expect(404);
    assert_eq!(sim.cyclades_usage(ALICE_UUID)["cyclades.floating_ip"], 0);
}

#[tokio::test]
async fn hostile_inputs_get_client_errors() {
    let sim = instant_sim().await;
    let api = Api::new(&sim, ALICE_TOKEN);
    let network = private_network(&api, "target").await;
    let huge = "99999999999999999999999999999999999999";
    for (method, path, body) in [
        ("POST", "/networks".to_owned(), json!([])),
        ("POST", "/networks".to_owned(), json!({"network": "x"})),
        (
            "POST",
            "/networks".to_owned(),
            json!({"network": {"type": 7}}),
        ),
        (
            "POST",
            "/networks".to_owned(),
            json!({"network": {"type": "MAC_FILTERED", "name": 7}}),
        ),
        (
            "PUT",
            format!("/networks/{network}"),
            json!({"network": {"name": []}}),
        ),
        (
            "PUT",
            format!("/networks/{huge}"),
            json!({"network": {"name": "n"}}),
        ),
        (
            "POST",
            format!("/networks/{network}/action"),
            json!({"reassign": "me"}),
        ),
        ("POST", format!("/networks/{network}/action"), json!([])),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": huge, "cidr": "10.0.0.0/24"}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24", "ip_version": 5}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24", "allocation_pools": "all"}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24", "allocation_pools": [{"start": "x", "end": "y"}]}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network, "cidr": "10.0.0.0/24", "gateway_ip": 1}}),
        ),
        (
            "POST",
            "/subnets".to_owned(),
            json!({"subnet": {"network_id": network, "cidr": "999.0.0.0/24"}}),
        ),
        ("PUT", "/subnets/1".to_owned(), json!({"subnet": "x"})),
        (
            "POST",
            "/ports".to_owned(),
            json!({"port": {"network_id": network, "fixed_ips": "10.0.0.1"}}),
        ),
        (
            "POST",
            "/ports".to_owned(),
            json!({"port": {"network_id": network, "fixed_ips": [{"ip_address": "fe80::1"}]}}),
        ),
        (
            "POST",
            "/ports".to_owned(),
            json!({"port": {"network_id": network, "device_id": huge}}),
        ),
        (
            "POST",
            "/ports".to_owned(),
            json!({"port": {"network_id": network, "security_groups": "sg"}}),
        ),
        (
            "PUT",
            format!("/ports/{huge}"),
            json!({"port": {"name": "n"}}),
        ),
        ("POST", "/floatingips".to_owned(), json!({"floatingip": []})),
        (
            "POST",
            "/floatingips".to_owned(),
            json!({"floatingip": {"floating_ip_address": "nope"}}),
        ),
        (
            "POST",
            "/floatingips".to_owned(),
            json!({"floatingip": {"floating_network_id": huge}}),
        ),
        (
            "POST",
            "/floatingips/1/action".to_owned(),
            json!({"reassign": {"project": 7}}),
        ),
    ] {
        let reply = api
            .call(method, &format!("{}{path}", support::NETWORK), body.clone())
            .await;
        assert!(
            (400..500).contains(&reply.code()),
            "{method} {path} {body}: {} {}",
            reply.code(),
            reply.text()
        );
        let fault = reply.json();
        assert!(fault.as_object().is_some_and(|f| f.len() == 1), "{fault}");
    }
    // Not JSON at all.
    let reply = api
        .send(
            "POST",
            &format!("{}/networks", support::NETWORK),
            &[("content-type", "text/plain")],
            "x",
        )
        .await;
    reply.bad_request("Unsupported Content-type: 'text/plain'");
    // Nothing was created by any of them.
    assert_eq!(
        api.n_get("/networks").await.json()["networks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(api.n_get("/ports").await.json(), json!({"ports": []}));
    assert_eq!(
        api.n_get("/floatingips").await.json(),
        json!({"floatingips": []})
    );
}

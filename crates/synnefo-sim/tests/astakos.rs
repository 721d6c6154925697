//! End-to-end tests of the Astakos account emulation over real HTTP:
//! resources, quotas (shared with Cyclades), commissions with service
//! tokens, projects with their applications, and memberships (wire §2).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::Api;
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, CYCLADES_SERVICE_TOKEN, CycladesQuota,
    PITHOS_SERVICE_TOKEN, Sim, SimConfig, SimHandle,
};

const ACCOUNT: &str = "/astakos/account/v1.0";

/// Instant jobs, alice administers Astakos, at most 2 servers each.
async fn sim() -> SimHandle {
    Sim::start_with(SimConfig {
        build_delay: Duration::ZERO,
        action_delay: Duration::ZERO,
        astakos_admins: vec![ALICE_UUID.to_owned()],
        cyclades_quota: CycladesQuota {
            vm: 2,
            ..CycladesQuota::default()
        },
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn url(path: &str) -> String {
    format!("{ACCOUNT}{path}")
}

/// A project application body valid a year from now.
fn spec(name: &str, extra: Value) -> Value {
    let end = time::OffsetDateTime::now_utc() + time::Duration::days(365);
    let mut body = json!({
        "name": name,
        "end_date": end.format(&time::format_description::well_known::Rfc3339).unwrap(),
        "resources": {
            "cyclades.vm": {"project_capacity": 3, "member_capacity": 1},
            "cyclades.cpu": {"project_capacity": 8, "member_capacity": 4},
            "cyclades.ram": {"project_capacity": 8u64 << 30, "member_capacity": 4u64 << 30},
            "cyclades.disk": {"project_capacity": 80u64 << 30, "member_capacity": 40u64 << 30},
        },
    });
    if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), extra) {
        target.extend(extra);
    }
    body
}

/// Creates a project as `api`'s user and has alice approve it; gives its id.
async fn active_project(sim: &SimHandle, api: &Api<'_>, name: &str, extra: Value) -> String {
    let reply = api.post(&url("/projects"), spec(name, extra)).await;
    reply.expect(201);
    let (id, app) = (
        reply.json()["id"].as_str().unwrap().to_owned(),
        reply.json()["application"].as_u64().unwrap(),
    );
    Api::new(sim, ALICE_TOKEN)
        .post(
            &url(&format!("/projects/{id}/action")),
            json!({"approve": {"reason": "", "app_id": app}}),
        )
        .await
        .expect(200);
    id
}

async fn quotas(api: &Api<'_>) -> Value {
    let reply = api.get(&url("/quotas")).await;
    reply.expect(200);
    reply.json()
}

#[tokio::test]
async fn resources_need_no_token_and_hide_internal_ones() {
    let sim = sim().await;
    let reply = Api::anonymous(&sim).get(&url("/resources")).await;
    reply.expect(200);
    let resources = reply.json();
    assert_eq!(resources["cyclades.vm"]["service"], "cyclades_compute");
    assert_eq!(resources["pithos.diskspace"]["unit"], "bytes");
    assert_eq!(resources["cyclades.vm"]["unit"], Value::Null);
    assert!(resources.get("cyclades.total_cpu").is_none());
    assert!(resources.get("astakos.pending_app").is_none());
    Api::anonymous(&sim)
        .post(&url("/resources"), json!({}))
        .await
        .expect(405);
}

#[tokio::test]
async fn quotas_report_what_cyclades_charges() {
    let sim = sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    Api::anonymous(&sim).get(&url("/quotas")).await.expect(401);
    let before = quotas(&alice).await;
    assert_eq!(before.as_object().unwrap().len(), 1, "{before}");
    let vm = &before[ALICE_UUID]["cyclades.vm"];
    assert_eq!(
        (vm["limit"].as_u64(), vm["usage"].as_u64()),
        (Some(2), Some(0))
    );

    alice.active_server("one", json!({})).await;
    let after = quotas(&alice).await;
    let mine = &after[ALICE_UUID];
    assert_eq!(mine["cyclades.vm"]["usage"], 1);
    assert_eq!(mine["cyclades.vm"]["project_usage"], 1);
    let usage = sim.cyclades_usage(ALICE_UUID);
    for resource in ["cyclades.cpu", "cyclades.ram", "cyclades.disk"] {
        assert_eq!(
            mine[resource]["usage"].as_u64(),
            Some(usage[resource]),
            "{resource}"
        );
        assert!(usage[resource] > 0, "{resource}");
    }
    // Bob's system project is untouched.
    assert_eq!(
        quotas(&Api::new(&sim, BOB_TOKEN)).await[BOB_UUID]["cyclades.vm"]["usage"],
        0
    );

    // A commission outside Cyclades uses the same holding: Cyclades now
    // refuses the second server.
    let cyclades = Api::new(&sim, CYCLADES_SERVICE_TOKEN);
    let issued = cyclades
        .post(
            &url("/commissions"),
            json!({"provisions": [
                {"holder": format!("user:{ALICE_UUID}"), "source": format!("project:{ALICE_UUID}"),
                 "resource": "cyclades.vm", "quantity": 1}]}),
        )
        .await;
    issued.expect(201);
    let refused = alice
        .c_post(
            "/servers",
            json!({"server": {"name": "two", "imageRef": support::DEBIAN, "flavorRef": 1}}),
        )
        .await;
    refused.expect(413);
    assert_eq!(
        quotas(&alice).await[ALICE_UUID]["cyclades.vm"]["pending"],
        1
    );

    // Pithos usage is the object store's.
    let pithos = format!("/pithos/object-store/v1/{ALICE_UUID}/files");
    alice.send("PUT", &pithos, &[], "").await.expect(201);
    alice
        .send(
            "PUT",
            &format!("{pithos}/hello.txt"),
            &[("content-type", "text/plain")],
            "hello world",
        )
        .await
        .expect(201);
    assert_eq!(
        quotas(&alice).await[ALICE_UUID]["pithos.diskspace"]["usage"],
        11
    );
}

#[tokio::test]
async fn commissions_are_two_phase() {
    let sim = sim().await;
    let service = Api::new(&sim, CYCLADES_SERVICE_TOKEN);
    let alice = Api::new(&sim, ALICE_TOKEN);
    let user = format!("user:{BOB_UUID}");
    let project = format!("project:{BOB_UUID}");
    let provisions = |quantity: i64| {
        json!([{"holder": user, "source": project, "resource": "cyclades.vm", "quantity": quantity},
               {"holder": project, "source": null, "resource": "cyclades.vm", "quantity": quantity}])
    };
    // User tokens may not issue.
    alice
        .post(&url("/commissions"), json!({"provisions": provisions(1)}))
        .await
        .expect(401);
    let reply = service
        .post(
            &url("/commissions"),
            json!({"provisions": provisions(1), "name": "vm"}),
        )
        .await;
    reply.expect(201);
    let serial = reply.json()["serial"].as_u64().unwrap();
    assert_eq!(
        service.get(&url("/commissions")).await.json(),
        json!([serial])
    );
    // Another component sees nothing.
    assert_eq!(
        Api::new(&sim, PITHOS_SERVICE_TOKEN)
            .get(&url("/commissions"))
            .await
            .json(),
        json!([])
    );
    let info = service.get(&url(&format!("/commissions/{serial}"))).await;
    info.expect(200);
    assert_eq!(info.json()["name"], "vm");
    assert_eq!(info.json()["provisions"].as_array().unwrap().len(), 2);
    let bob = Api::new(&sim, BOB_TOKEN);
    let vm = quotas(&bob).await[BOB_UUID]["cyclades.vm"].clone();
    assert_eq!(
        (vm["usage"].as_u64(), vm["pending"].as_u64()),
        (Some(1), Some(1))
    );

    let action = url(&format!("/commissions/{serial}/action"));
    service
        .post(&action, json!({"accept": "", "reject": ""}))
        .await
        .expect(400);
    service
        .post(&action, json!({"accept": ""}))
        .await
        .expect(200);
    let vm = quotas(&bob).await[BOB_UUID]["cyclades.vm"].clone();
    assert_eq!(
        (vm["usage"].as_u64(), vm["pending"].as_u64()),
        (Some(1), Some(0))
    );
    // Resolved commissions are gone: 404 with an empty body.
    let gone = service.post(&action, json!({"accept": ""})).await;
    gone.expect(404);
    assert!(gone.body.is_empty());
    let gone = service.get(&url(&format!("/commissions/{serial}"))).await;
    gone.expect(404);
    assert!(gone.body.is_empty());

    // Over the limit (2): 413 with the holder's data.
    let over = service
        .post(&url("/commissions"), json!({"provisions": provisions(2)}))
        .await;
    over.expect(413);
    let data = &over.json()["overLimit"]["data"];
    assert_eq!(data["name"], "NoCapacityError");
    assert_eq!(
        (data["limit"].as_u64(), data["usage"].as_u64()),
        (Some(2), Some(1))
    );
    // `force` skips the check; releasing below zero is refused.
    service
        .post(
            &url("/commissions"),
            json!({"provisions": provisions(2), "force": true, "auto_accept": true}),
        )
        .await
        .expect(201);
    assert_eq!(quotas(&bob).await[BOB_UUID]["cyclades.vm"]["usage"], 3);
    let below = service
        .post(&url("/commissions"), json!({"provisions": provisions(-4)}))
        .await;
    below.expect(413);
    assert_eq!(below.json()["overLimit"]["data"]["name"], "NoQuantityError");
    let nowhere = service
        .post(
            &url("/commissions"),
            json!({"provisions": [{"holder": "user:nobody", "source": project,
                                   "resource": "cyclades.vm", "quantity": 1}]}),
        )
        .await;
    nowhere.expect(404);
    assert_eq!(
        nowhere.json()["itemNotFound"]["data"]["name"],
        "NoHoldingError"
    );
    for bad in [
        json!({}),
        json!({"provisions": "x"}),
        json!({"provisions": [], "force": "yes"}),
        json!({"provisions": [{"holder": 1}]}),
    ] {
        service.post(&url("/commissions"), bad).await.expect(400);
    }

    // Resolving several: a release pending, one unknown, one both ways.
    let release = service
        .post(&url("/commissions"), json!({"provisions": provisions(-1)}))
        .await
        .json()["serial"]
        .as_u64()
        .unwrap();
    let reply = service
        .post(
            &url("/commissions/action"),
            json!({"accept": [release, 999], "reject": [999]}),
        )
        .await;
    reply.expect(200);
    let body = reply.json();
    assert_eq!(body["accepted"], json!([release]));
    assert_eq!(body["failed"][0][0], 999);
    assert_eq!(body["failed"][0][1]["badRequest"]["code"], 400);
    assert_eq!(quotas(&bob).await[BOB_UUID]["cyclades.vm"]["usage"], 2);
    service
        .post(&url("/commissions/action"), json!({"accept": ["x"]}))
        .await
        .expect(400);
}

#[tokio::test]
async fn service_quotas_are_per_component() {
    let sim = sim().await;
    let cyclades = Api::new(&sim, CYCLADES_SERVICE_TOKEN);
    let reply = cyclades
        .get(&url(&format!("/service_quotas?user={ALICE_UUID}")))
        .await;
    reply.expect(200);
    let mine = &reply.json()[ALICE_UUID][ALICE_UUID];
    assert!(mine.get("cyclades.vm").is_some());
    assert!(mine.get("pithos.diskspace").is_none());
    let all = cyclades.get(&url("/service_quotas")).await.json();
    assert!(all.get(BOB_UUID).is_some());
    cyclades
        .get(&url("/service_quotas?user=nobody"))
        .await
        .expect(404);
    let projects = Api::new(&sim, PITHOS_SERVICE_TOKEN)
        .get(&url(&format!("/service_project_quotas?project={BOB_UUID}")))
        .await;
    projects.expect(200);
    assert!(
        projects.json()[BOB_UUID]["pithos.diskspace"]["project_limit"]
            .as_u64()
            .unwrap()
            > 0
    );
    cyclades
        .get(&url("/service_project_quotas?project=nothing"))
        .await
        .expect(404);
    Api::new(&sim, ALICE_TOKEN)
        .get(&url("/service_quotas"))
        .await
        .expect(401);
}

#[tokio::test]
async fn project_applications_follow_the_state_machine() {
    let sim = sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    let reply = bob
        .post(&url("/projects"), spec("bob.example.org", json!({})))
        .await;
    reply.expect(201);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let app = reply.json()["application"].as_u64().unwrap();
    let project = bob.get(&url(&format!("/projects/{id}"))).await.json();
    assert_eq!(project["state"], "uninitialized");
    assert_eq!(project["owner"], BOB_UUID);
    assert_eq!(project["last_application"]["state"], "pending");
    assert_eq!(project["join_policy"], "moderated");
    // Not public until approved.
    alice
        .get(&url(&format!("/projects/{id}")))
        .await
        .expect(200); // admin
    let action = url(&format!("/projects/{id}/action"));
    bob.put(
        &url(&format!("/projects/{id}")),
        json!({"description": "x"}),
    )
    .await
    .expect(409);
    bob.post(&action, json!({"approve": {"app_id": app}}))
        .await
        .expect(403);
    alice
        .post(&action, json!({"approve": {"app_id": app + 1}}))
        .await
        .expect(409);
    alice.post(&action, json!({})).await.expect(400);
    alice
        .post(&action, json!({"approve": {"app_id": app}}))
        .await
        .expect(200);
    let project = bob.get(&url(&format!("/projects/{id}"))).await.json();
    assert_eq!(project["state"], "active");
    assert_eq!(project["resources"]["cyclades.vm"]["member_capacity"], 1);
    // Public now; bob's view has the application, alice's (admin) too.
    assert_eq!(project["last_application"]["state"], "approved");

    // A modification, denied then dismissed.
    let reply = bob
        .put(&url(&format!("/projects/{id}")), json!({"max_members": 10}))
        .await;
    reply.expect(201);
    let change = reply.json()["application"].as_u64().unwrap();
    bob.post(&action, json!({"dismiss": {"app_id": change}}))
        .await
        .expect(409);
    alice
        .post(&action, json!({"deny": {"reason": "no", "app_id": change}}))
        .await
        .expect(200);
    bob.post(&action, json!({"dismiss": {"app_id": change}}))
        .await
        .expect(200);
    let project = bob.get(&url(&format!("/projects/{id}"))).await.json();
    assert_eq!(project["state"], "active");
    assert_ne!(project["max_members"], 10);

    // Project actions are for admins, in the right state.
    bob.post(&action, json!({"suspend": {}})).await.expect(403);
    alice
        .post(&action, json!({"unsuspend": {}}))
        .await
        .expect(409);
    alice
        .post(&action, json!({"suspend": {}}))
        .await
        .expect(200);
    let project = bob.get(&url(&format!("/projects/{id}"))).await.json();
    assert_eq!(project["state"], "suspended");
    assert!(project["deactivation_date"].is_string());
    alice
        .post(&action, json!({"terminate": {}}))
        .await
        .expect(200);
    alice
        .post(&action, json!({"reinstate": {}}))
        .await
        .expect(200);
    assert_eq!(
        bob.get(&url(&format!("/projects/{id}"))).await.json()["state"],
        "active"
    );

    // Cancelling a new project's application deletes it.
    let reply = bob
        .post(&url("/projects"), spec("gone.example.org", json!({})))
        .await;
    let gone = reply.json()["id"].as_str().unwrap().to_owned();
    let app = reply.json()["application"].as_u64().unwrap();
    alice
        .post(
            &url(&format!("/projects/{gone}/action")),
            json!({"cancel": {"app_id": app}}),
        )
        .await
        .expect(403);
    bob.post(
        &url(&format!("/projects/{gone}/action")),
        json!({"cancel": {"app_id": app}}),
    )
    .await
    .expect(200);
    assert_eq!(
        bob.get(&url(&format!("/projects/{gone}"))).await.json()["state"],
        "deleted"
    );
    bob.get(&url("/projects/nothing")).await.expect(404);
}

#[tokio::test]
async fn project_applications_are_validated() {
    let sim = sim().await;
    let bob = Api::new(&sim, BOB_TOKEN);
    let create = |body: Value| {
        let bob = &bob;
        async move { bob.post(&url("/projects"), body).await.code() }
    };
    assert_eq!(create(spec("nodots", json!({}))).await, 400);
    assert_eq!(create(json!({"name": "a.b"})).await, 400);
    assert_eq!(
        create(spec("a.b", json!({"end_date": "2001-01-01"}))).await,
        400
    );
    assert_eq!(
        create(spec("a.b", json!({"join_policy": "maybe"}))).await,
        400
    );
    assert_eq!(
        create(spec(
            "a.b",
            json!({"resources": {"no.such": {"project_capacity": 1, "member_capacity": 1}}})
        ))
        .await,
        400
    );
    assert_eq!(
        create(spec(
            "a.b",
            json!({"resources": {"cyclades.vm": {"project_capacity": 1, "member_capacity": 2}}})
        ))
        .await,
        400
    );
    // Three pending applications at most.
    for n in 0..3 {
        assert_eq!(
            create(spec(&format!("p{n}.example.org"), json!({}))).await,
            201
        );
    }
    assert_eq!(create(spec("p3.example.org", json!({}))).await, 409);
    // The system project keeps its name.
    bob.put(
        &url(&format!("/projects/{BOB_UUID}")),
        json!({"name": "x.y"}),
    )
    .await
    .expect(403);
    let alice = Api::new(&sim, ALICE_TOKEN);
    alice
        .put(
            &url(&format!("/projects/{BOB_UUID}")),
            json!({"name": "x.y"}),
        )
        .await
        .expect(409);
    bob.get(&url("/projects?state=sleeping")).await.expect(400);
    bob.get(&url("/projects?mode=weird")).await.expect(400);
    let mine = bob.get(&url("/projects?state=uninitialized")).await.json();
    assert_eq!(mine.as_array().unwrap().len(), 3);
    let system = bob.get(&url(&format!("/projects/{BOB_UUID}"))).await.json();
    assert_eq!(system["system_project"], true);
    alice
        .get(&url(&format!("/projects/{BOB_UUID}")))
        .await
        .expect(200);
    // Bob may not see alice's private system project.
    bob.get(&url(&format!("/projects/{ALICE_UUID}")))
        .await
        .expect(403);
}

#[tokio::test]
async fn memberships_grant_project_quota() {
    let sim = sim().await;
    let alice = Api::new(&sim, ALICE_TOKEN);
    let bob = Api::new(&sim, BOB_TOKEN);
    // Alice owns a moderated project; bob asks to join.
    let project = active_project(&sim, &alice, "alice.example.org", json!({})).await;
    let reply = bob
        .post(
            &url("/projects/memberships"),
            json!({"join": {"project": project}}),
        )
        .await;
    reply.expect(200);
    let id = reply.json()["id"].as_u64().unwrap();
    bob.post(
        &url("/projects/memberships"),
        json!({"join": {"project": project}}),
    )
    .await
    .expect(409);
    let membership = bob
        .get(&url(&format!("/projects/memberships/{id}")))
        .await
        .json();
    assert_eq!(membership["state"], "requested");
    assert_eq!(membership["allowed_actions"], json!(["cancel"]));
    assert!(membership["requested"].is_string());
    assert!(quotas(&bob).await.get(&project).is_none());
    let action = url(&format!("/projects/memberships/{id}/action"));
    bob.post(&action, json!({"accept": ""})).await.expect(403);
    alice
        .post(&action, json!({"accept": "welcome"}))
        .await
        .expect(200);

    // Bob now has the member capacity of the project, and Cyclades charges it.
    let mine = quotas(&bob).await;
    assert_eq!(mine[&project]["cyclades.vm"]["limit"], 1);
    assert_eq!(mine[&project]["cyclades.vm"]["project_limit"], 3);
    let server = bob
        .create_server("in-project", json!({"project": project}))
        .await;
    assert!(server["id"].is_u64());
    let mine = quotas(&bob).await;
    assert_eq!(mine[&project]["cyclades.vm"]["usage"], 1);
    assert_eq!(mine[BOB_UUID]["cyclades.vm"]["usage"], 0);
    let listed = alice
        .get(&url(&format!("/projects/memberships?project={project}")))
        .await
        .json();
    assert_eq!(listed[0]["allowed_actions"], json!(["remove"]));
    let tokens = Api::anonymous(&sim)
        .post(
            "/astakos/identity/v2.0/tokens",
            json!({"auth": {"token": {"id": BOB_TOKEN}}}),
        )
        .await
        .json();
    assert_eq!(
        tokens["access"]["user"]["projects"],
        json!([BOB_UUID, project])
    );

    // Leaving (auto policy) removes at once.
    bob.post(&action, json!({"leave": ""})).await.expect(200);
    assert_eq!(
        bob.get(&url(&format!("/projects/memberships/{id}")))
            .await
            .json()["state"],
        "removed"
    );
    assert!(quotas(&bob).await.get(&project).is_none());
    bob.post(&action, json!({"leave": ""})).await.expect(409);

    // Enrolment is the owner's; unknown e-mails conflict.
    let enroll =
        |project: &str, email: &str| json!({"enroll": {"project": project, "user": email}});
    bob.post(
        &url("/projects/memberships"),
        enroll(&project, "alice@example.org"),
    )
    .await
    .expect(403);
    alice
        .post(
            &url("/projects/memberships"),
            enroll(&project, "nobody@example.org"),
        )
        .await
        .expect(409);
    let again = alice
        .post(
            &url("/projects/memberships"),
            enroll(&project, "BOB@example.org"),
        )
        .await;
    again.expect(200);
    assert_eq!(again.json()["id"].as_u64(), Some(id));
    alice.post(&action, json!({"remove": ""})).await.expect(200);

    // Enrolling someone who asked to join accepts the request.
    let asked = bob
        .post(
            &url("/projects/memberships"),
            json!({"join": {"project": project}}),
        )
        .await
        .json()["id"]
        .as_u64();
    assert_eq!(asked, Some(id));
    let enrolled = alice
        .post(
            &url("/projects/memberships"),
            enroll(&project, "bob@example.org"),
        )
        .await;
    enrolled.expect(200);
    assert_eq!(enrolled.json()["id"].as_u64(), Some(id));
    assert_eq!(
        bob.get(&url(&format!("/projects/memberships/{id}")))
            .await
            .json()["state"],
        "accepted"
    );

    // Closed projects refuse; strangers see nothing.
    let closed = active_project(
        &sim,
        &alice,
        "closed.example.org",
        json!({"join_policy": "closed"}),
    )
    .await;
    bob.post(
        &url("/projects/memberships"),
        json!({"join": {"project": closed}}),
    )
    .await
    .expect(409);
    let auto = active_project(
        &sim,
        &alice,
        "auto.example.org",
        json!({"join_policy": "auto", "leave_policy": "moderated"}),
    )
    .await;
    let reply = bob
        .post(
            &url("/projects/memberships"),
            json!({"join": {"project": auto}}),
        )
        .await;
    let auto_id = reply.json()["id"].as_u64().unwrap();
    let auto_action = url(&format!("/projects/memberships/{auto_id}/action"));
    bob.post(&auto_action, json!({"leave": ""}))
        .await
        .expect(200);
    assert_eq!(
        bob.get(&url(&format!("/projects/memberships/{auto_id}")))
            .await
            .json()["state"],
        "leave_requested"
    );
    alice
        .post(&auto_action, json!({"reject": ""}))
        .await
        .expect(200);
    assert_eq!(
        bob.get(&url(&format!("/projects/memberships/{auto_id}")))
            .await
            .json()["state"],
        "accepted"
    );
    let system_membership = alice.get(&url("/projects/memberships")).await.json();
    let own = system_membership
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["project"] == ALICE_UUID)
        .unwrap()["id"]
        .as_u64()
        .unwrap();
    bob.get(&url(&format!("/projects/memberships/{own}")))
        .await
        .expect(404);
    alice
        .post(
            &url(&format!("/projects/memberships/{own}/action")),
            json!({"leave": ""}),
        )
        .await
        .expect(409);
}

#[tokio::test]
async fn hostile_inputs_get_client_errors() {
    let sim = sim().await;
    let bob = Api::new(&sim, BOB_TOKEN);
    let service = Api::new(&sim, CYCLADES_SERVICE_TOKEN);
    for body in [json!([]), json!("x"), json!(null), json!({"name": 5})] {
        let reply = bob.post(&url("/projects"), body.clone()).await;
        assert_eq!(reply.code(), 400, "{body}: {}", reply.text());
        let reply = bob.post(&url("/projects/memberships"), body.clone()).await;
        assert_eq!(reply.code(), 400, "{body}: {}", reply.text());
        let reply = bob
            .post(&url(&format!("/projects/{BOB_UUID}/action")), body.clone())
            .await;
        assert_eq!(reply.code(), 400, "{body}: {}", reply.text());
        let reply = service.post(&url("/commissions"), body.clone()).await;
        assert_eq!(reply.code(), 400, "{body}: {}", reply.text());
    }
    // Not JSON at all.
    let reply = bob
        .send(
            "POST",
            &url("/projects"),
            &[("content-type", "text/plain")],
            "x",
        )
        .await;
    reply.bad_request("Unsupported Content-type: 'text/plain'");
    let reply = service.send("POST", &url("/commissions"), &[], "{}").await;
    reply.bad_request("Missing Content-Type header field");
    // Routing: unknown paths are 400, wrong methods 405 with Allow.
    bob.get(&url("/projects/x/y"))
        .await
        .bad_request("API endpoint not found");
    bob.get(&url("/projects/memberships/abc"))
        .await
        .bad_request("API endpoint not found");
    service
        .get(&url("/commissions/abc"))
        .await
        .bad_request("API endpoint not found");
    let reply = bob.delete(&url("/projects")).await;
    reply.expect(405);
    assert_eq!(reply.header("allow"), Some("GET,POST"));
    bob.delete(&url("/quotas")).await.expect(405);
    // Huge or negative numbers are refused, not wrapped.
    let huge = json!({"name": "h.example.org", "end_date": "2099-01-01",
                      "max_members": "99999999999999999999999"});
    bob.post(&url("/projects"), huge).await.expect(400);
    let negative = json!({"name": "n.example.org", "end_date": "2099-01-01",
                          "resources": {"cyclades.vm": {"project_capacity": -1, "member_capacity": 0}}});
    bob.post(&url("/projects"), negative).await.expect(400);
    service
        .post(
            &url("/commissions"),
            json!({"provisions": [{"holder": "user:x", "resource": "r",
                                                           "quantity": 1e30}]}),
        )
        .await
        .expect(400);
    bob.get(&url("/projects/memberships/99999999999999999999"))
        .await
        .expect(400);
}

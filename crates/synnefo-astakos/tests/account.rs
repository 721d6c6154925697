//! The account service over real HTTP against synnefo-sim: resources,
//! quotas that follow what Cyclades charges, commissions with a service
//! token, projects through their applications, and memberships.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use http::StatusCode;
use serde_json::json;
use std::time::Duration;
use synnefo_astakos::{
    AccountClient, ApplicationAction, CommissionRequest, MembershipAction, ProjectAction,
    ProjectFilter, ProjectSpec, Provision, ResourceGrant,
};
use synnefo_core::{ClientConfig, HttpClient, Request, Service, Token};
use synnefo_sim::{
    ALICE_TOKEN, ALICE_UUID, BOB_TOKEN, BOB_UUID, CYCLADES_SERVICE_TOKEN, CycladesQuota, Sim,
    SimConfig, SimHandle,
};

fn http() -> HttpClient {
    HttpClient::new(ClientConfig::default()).unwrap()
}

fn account(sim: &SimHandle, token: &str) -> AccountClient {
    AccountClient::from_endpoint(
        http()
            .endpoint(&sim.account_url(), Some(Token::new(token)))
            .unwrap(),
    )
}

/// Instant jobs; alice administers Astakos; two servers per user.
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

/// An end date safely in the future.
const END_DATE: &str = "2099-12-31T00:00:00+00:00";

#[tokio::test]
async fn quotas_follow_a_new_server() {
    let sim = sim().await;
    let alice = account(&sim, ALICE_TOKEN);
    let resources = alice.get_resources().await.unwrap();
    assert!(resources["cyclades.ram"].is_bytes());
    assert!(!resources.contains_key("cyclades.total_ram"));

    let before = alice.get_quotas().await.unwrap();
    assert_eq!(before[ALICE_UUID]["cyclades.vm"].usage, 0);
    assert_eq!(before[ALICE_UUID]["cyclades.vm"].available(), 2);

    // Create a server through the compute API of the same cloud.
    let compute = http()
        .endpoint(&sim.compute_url(), Some(Token::new(ALICE_TOKEN)))
        .unwrap();
    let create = Request::post()
        .segment("servers")
        .json(&json!({"server": {"name": "s", "flavorRef": 1,
                                 "imageRef": "0c1a4b5e-3d2f-4e6a-9b7c-000000000001"}}))
        .unwrap();
    compute.send(create).await.unwrap();

    let after = alice.get_quotas().await.unwrap();
    let mine = &after[ALICE_UUID];
    assert_eq!(mine["cyclades.vm"].usage, 1);
    assert_eq!(mine["cyclades.vm"].available(), 1);
    let charged = sim.cyclades_usage(ALICE_UUID);
    assert_eq!(mine["cyclades.cpu"].usage, charged["cyclades.cpu"]);
    assert_eq!(mine["cyclades.ram"].usage, charged["cyclades.ram"]);
    assert!(mine["cyclades.ram"].usage > 0);
}

#[tokio::test]
async fn commissions_pend_until_accepted() {
    let sim = sim().await;
    let service = account(&sim, CYCLADES_SERVICE_TOKEN);
    let bob = account(&sim, BOB_TOKEN);
    let serial = service
        .issue_one_commission(
            BOB_UUID,
            &[(BOB_UUID, "cyclades.vm", 1)],
            "one vm",
            false,
            false,
        )
        .await
        .unwrap();
    assert_eq!(service.get_pending_commissions().await.unwrap(), [serial]);
    let info = service.get_commission_info(serial).await.unwrap();
    assert_eq!(info.name, "one vm");
    assert!(
        info.provisions
            .contains(&Provision::project(BOB_UUID, "cyclades.vm", 1))
    );
    let vm = bob.get_quotas().await.unwrap()[BOB_UUID]["cyclades.vm"];
    assert_eq!((vm.usage, vm.pending), (1, 1));
    service.accept_commission(serial).await.unwrap();
    let vm = bob.get_quotas().await.unwrap()[BOB_UUID]["cyclades.vm"];
    assert_eq!((vm.usage, vm.pending), (1, 0));
    let error = service.reject_commission(serial).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));

    // Over the limit of 2.
    let error = service
        .issue_one_commission(BOB_UUID, &[(BOB_UUID, "cyclades.vm", 2)], "", false, false)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::PAYLOAD_TOO_LARGE));
    assert_eq!(error.fault().unwrap().name, "overLimit");

    // A generic commission, then resolved with an unknown serial.
    let release = service
        .issue_commission(&CommissionRequest {
            provisions: Provision::member_and_project(BOB_UUID, BOB_UUID, "cyclades.vm", -1)
                .to_vec(),
            ..CommissionRequest::default()
        })
        .await
        .unwrap();
    let resolution = service
        .resolve_commissions(&[release], &[4242])
        .await
        .unwrap();
    assert_eq!(resolution.accepted, [release]);
    assert_eq!(resolution.failed[0].0, 4242);
    assert_eq!(
        bob.get_quotas().await.unwrap()[BOB_UUID]["cyclades.vm"].usage,
        0
    );

    // A user token is not a service token.
    let error = bob.get_pending_commissions().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test]
async fn service_views_of_quotas_and_names() {
    let sim = sim().await;
    let service = account(&sim, CYCLADES_SERVICE_TOKEN);
    let quotas = service
        .service_get_quotas(&[ALICE_UUID, BOB_UUID], &[])
        .await
        .unwrap();
    assert_eq!(quotas.len(), 2);
    assert!(quotas[ALICE_UUID][ALICE_UUID].contains_key("cyclades.vm"));
    assert!(!quotas[ALICE_UUID][ALICE_UUID].contains_key("pithos.diskspace"));
    let projects = service
        .service_get_project_quotas(&[BOB_UUID])
        .await
        .unwrap();
    assert_eq!(projects[BOB_UUID]["cyclades.vm"].project_limit, 2);
    let names = service.service_usernames(&[ALICE_UUID]).await.unwrap();
    assert_eq!(names[ALICE_UUID], "alice@example.org");
    let uuids = service.service_uuids(&["bob@example.org"]).await.unwrap();
    assert_eq!(uuids["bob@example.org"], BOB_UUID);
    assert_eq!(
        service.service_username(BOB_UUID).await.unwrap().as_deref(),
        Some("bob@example.org")
    );
    assert_eq!(
        service
            .service_uuid("ALICE@example.org")
            .await
            .unwrap()
            .as_deref(),
        Some(ALICE_UUID)
    );
    assert_eq!(
        service.service_uuid("nobody@example.org").await.unwrap(),
        None
    );
    // A user token is not a service token.
    let error = account(&sim, BOB_TOKEN)
        .service_usernames(&[ALICE_UUID])
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    let error = service
        .service_get_quotas(&["nobody"], &[])
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_project_from_application_to_membership() {
    let sim = sim().await;
    let admin = account(&sim, ALICE_TOKEN);
    let bob = account(&sim, BOB_TOKEN);
    let mut spec = ProjectSpec {
        name: Some("bob.example.org".into()),
        end_date: Some(END_DATE.into()),
        join_policy: Some("auto".into()),
        description: Some("Bob's".into()),
        ..ProjectSpec::default()
    };
    spec.resources.insert(
        "cyclades.vm".into(),
        ResourceGrant {
            project_capacity: 4,
            member_capacity: 2,
        },
    );
    let receipt = bob.create_project(&spec).await.unwrap();
    let project = bob.get_project(&receipt.id).await.unwrap();
    assert_eq!(project.state, "uninitialized");
    assert_eq!(project.owner.as_deref(), Some(BOB_UUID));
    assert_eq!(
        project.last_application.as_ref().map(|a| a.state.as_str()),
        Some("pending")
    );
    // Only an admin approves.
    let error = bob
        .application_action(
            &receipt.id,
            receipt.application,
            ApplicationAction::Approve,
            "",
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    admin
        .application_action(
            &receipt.id,
            receipt.application,
            ApplicationAction::Approve,
            "ok",
        )
        .await
        .unwrap();
    let active = ProjectFilter {
        state: Some("active".into()),
        ..ProjectFilter::default()
    };
    let listed = bob.get_projects(&active).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|p| p.id.as_str()).collect();
    assert!(
        ids.contains(&receipt.id.as_str()) && ids.contains(&BOB_UUID),
        "{ids:?}"
    );

    // Alice joins (auto policy) and gets the member capacity.
    let membership = admin.join_project(&receipt.id).await.unwrap();
    let joined = admin.get_membership(membership).await.unwrap();
    assert_eq!(joined.state, "accepted");
    assert!(joined.dates.contains_key("accepted"));
    let quotas = admin.get_quotas().await.unwrap();
    assert_eq!(quotas[&receipt.id]["cyclades.vm"].limit, 2);
    assert_eq!(quotas[&receipt.id]["cyclades.vm"].project_limit, 4);
    // A service moves one VM of alice's from her system project to this
    // one.
    let service = account(&sim, CYCLADES_SERVICE_TOKEN);
    service
        .issue_one_commission(
            ALICE_UUID,
            &[(ALICE_UUID, "cyclades.vm", 1)],
            "",
            false,
            true,
        )
        .await
        .unwrap();
    service
        .issue_resource_reassignment(
            ALICE_UUID,
            &[(ALICE_UUID, receipt.id.as_str(), "cyclades.vm", 1)],
            "move",
            false,
            true,
        )
        .await
        .unwrap();
    let quotas = admin.get_quotas().await.unwrap();
    assert_eq!(quotas[ALICE_UUID]["cyclades.vm"].usage, 0);
    assert_eq!(quotas[&receipt.id]["cyclades.vm"].usage, 1);
    assert_eq!(quotas[&receipt.id]["cyclades.vm"].available(), 1);
    let seen_by_owner = bob.get_memberships(Some(&receipt.id)).await.unwrap();
    assert_eq!(seen_by_owner.len(), 1);
    assert_eq!(seen_by_owner[0].allowed_actions, ["remove"]);

    // A modification waits for approval.
    let change = ProjectSpec {
        max_members: Some(5),
        ..ProjectSpec::default()
    };
    let modified = bob.modify_project(&receipt.id, &change).await.unwrap();
    assert!(modified.application > receipt.application);
    admin
        .application_action(
            &receipt.id,
            modified.application,
            ApplicationAction::Approve,
            "",
        )
        .await
        .unwrap();
    assert_eq!(
        bob.get_project(&receipt.id).await.unwrap().max_members,
        Some(5)
    );

    // Suspending takes the quota away; unsuspending gives it back.
    admin
        .project_action(&receipt.id, ProjectAction::Suspend, "audit")
        .await
        .unwrap();
    assert_eq!(
        admin.get_quotas().await.unwrap()[&receipt.id]["cyclades.vm"].limit,
        0
    );
    let error = admin
        .project_action(&receipt.id, ProjectAction::Suspend, "")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    admin
        .project_action(&receipt.id, ProjectAction::Unsuspend, "")
        .await
        .unwrap();

    // Alice leaves; leaving twice conflicts.
    admin
        .membership_action(membership, MembershipAction::Leave, "bye")
        .await
        .unwrap();
    assert!(!admin.get_quotas().await.unwrap().contains_key(&receipt.id));
    let error = admin
        .membership_action(membership, MembershipAction::Leave, "")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    // The owner enrolls her back by e-mail.
    let again = bob
        .enroll_member(&receipt.id, "alice@example.org")
        .await
        .unwrap();
    assert_eq!(again, membership);
}

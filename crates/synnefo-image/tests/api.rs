//! The image client over real HTTP against synnefo-sim: files uploaded
//! with the Pithos client are registered, listed, read, changed, shared
//! and unregistered, and show through compute's images (wire reference
//! §7, §3.8).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use bytes::Bytes;
use synnefo_astakos::Cloud;
use synnefo_compute::ComputeClient;
use synnefo_core::http::StatusCode;
use synnefo_core::{ClientConfig, Error, HttpClient, Token};
use synnefo_image::{ImageClient, ImageLocation, ListImages, RegisterImage, SortDir, UpdateImage};
use synnefo_pithos::{ContainerOptions, Permissions, PithosClient, UploadOptions};
use synnefo_sim::{Sim, SimHandle};

/// One user's clients.
struct User {
    uuid: String,
    images: ImageClient,
    pithos: PithosClient,
    compute: ComputeClient,
}

async fn user(sim: &SimHandle, name: &str) -> User {
    let spec = sim.user(name).unwrap().clone();
    let http = HttpClient::new(ClientConfig::default()).unwrap();
    let cloud = Cloud::connect(http, &sim.identity_url(), Token::new(&spec.token))
        .await
        .unwrap();
    User {
        uuid: spec.uuid,
        images: cloud.client().unwrap(),
        pithos: cloud.client().unwrap(),
        compute: cloud.client().unwrap(),
    }
}

async fn setup() -> (SimHandle, User, User) {
    let sim = Sim::start().await.unwrap();
    let alice = user(&sim, "alice@example.org").await;
    let bob = user(&sim, "bob@example.org").await;
    (sim, alice, bob)
}

/// Uploads `data` to `images/<object>` of `user` and returns its location.
async fn upload(user: &User, object: &str, data: &'static [u8]) -> ImageLocation {
    user.pithos
        .create_container("images", &ContainerOptions::default())
        .await
        .unwrap();
    user.pithos
        .upload_bytes(
            "images",
            object,
            Bytes::from_static(data),
            &UploadOptions::default(),
        )
        .await
        .unwrap();
    ImageLocation::new(&user.uuid, "images", object)
}

/// Uploads and registers a private image named `name`.
async fn registered(user: &User, object: &str, name: &str) -> String {
    let location = upload(user, object, b"a small disk image").await;
    user.images
        .register(&RegisterImage::new(name, location))
        .await
        .unwrap()
        .id
}

fn status(error: &Error) -> Option<StatusCode> {
    match error {
        Error::Http(http) => Some(http.status),
        _ => None,
    }
}

#[tokio::test]
async fn register_reads_the_pithos_file() {
    let (_sim, alice, _) = setup().await;
    let location = upload(&alice, "dir/débian 12.diskdump", b"0123456789").await;
    let mut register = RegisterImage::new("Debian «12» 100%", location.clone());
    register.disk_format = Some("diskdump".into());
    register
        .properties
        .insert("description".into(), "ελληνικά & co/?#".into());
    register
        .properties
        .insert("OSFamily".into(), "linux".into());
    let image = alice.images.register(&register).await.unwrap();
    let info = match alice
        .pithos
        .object_info("images", "dir/débian 12.diskdump", &Default::default())
        .await
        .unwrap()
    {
        synnefo_pithos::Conditional::Modified(info) => info,
        other => panic!("{other:?}"),
    };
    assert_eq!(Some(image.id.clone()), info.uuid);
    assert_eq!(image.size, Some(10));
    assert_eq!(image.checksum, info.object_hash);
    assert_eq!(image.owner.as_deref(), Some(alice.uuid.as_str()));
    assert_eq!(image.is_public, Some(false));
    assert_eq!(image.status.as_deref(), Some("AVAILABLE"));
    // Unicode and reserved characters survive the headers both ways.
    assert_eq!(image.name, "Debian «12» 100%");
    assert_eq!(image.properties["description"], "ελληνικά & co/?#");
    assert_eq!(image.properties["osfamily"], "linux");
    let read_back = ImageLocation::parse(image.location.as_deref().unwrap()).unwrap();
    assert_eq!(read_back, location);
    let meta = alice.images.get_meta(&image.id).await.unwrap();
    assert_eq!(meta, image);
}

#[tokio::test]
async fn register_errors_name_the_problem() {
    let (_sim, alice, bob) = setup().await;
    let missing = ImageLocation::new(&alice.uuid, "images", "nothing.img");
    let error = alice
        .images
        .register(&RegisterImage::new("x", missing))
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::NOT_FOUND), "{error}");
    let location = upload(&alice, "a.img", b"abc").await;
    let mut wrong = RegisterImage::new("x", location.clone());
    wrong.checksum = Some("00".into());
    let error = alice.images.register(&wrong).await.unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::BAD_REQUEST), "{error}");
    let mut wrong = RegisterImage::new("x", location.clone());
    wrong.disk_format = Some("qcow2".into());
    let error = alice.images.register(&wrong).await.unwrap_err();
    assert!(error.to_string().contains("qcow2"), "{error}");
    // A file shared with bob is still not his to register.
    alice
        .pithos
        .set_object_sharing(
            "images",
            "a.img",
            &Permissions {
                read: vec![bob.uuid.clone()],
                write: vec![],
            },
        )
        .await
        .unwrap();
    let error = bob
        .images
        .register(&RegisterImage::new("x", location))
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::FORBIDDEN), "{error}");
}

#[tokio::test]
async fn list_public_orders_and_details() {
    let (_sim, alice, bob) = setup().await;
    let id = registered(&alice, "mine.img", "AAA first by name").await;
    let listed = alice
        .images
        .list_public(false, &ListImages::default().order("name"))
        .await
        .unwrap();
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].location, None);
    assert_eq!(listed.len(), 5);
    let detail = alice
        .images
        .list_public(
            true,
            &ListImages {
                sort_key: Some("name".into()),
                sort_dir: Some(SortDir::Desc),
                ..ListImages::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(detail.last().unwrap().id, id);
    let mine = detail.last().unwrap();
    assert_eq!(mine.owner.as_deref(), Some(alice.uuid.as_str()));
    assert_eq!(mine.is_public, Some(false));
    assert_eq!(mine.is_snapshot, Some(false));
    assert!(mine.location.as_deref().unwrap().starts_with("pithos://"));
    // Private: bob does not see it.
    let bobs = bob
        .images
        .list_public(false, &ListImages::default())
        .await
        .unwrap();
    assert!(bobs.iter().all(|i| i.id != id));
    let error = alice
        .images
        .list_public(false, &ListImages::default().order("colour"))
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::BAD_REQUEST), "{error}");
}

#[tokio::test]
async fn members_see_shared_images() {
    let (_sim, alice, bob) = setup().await;
    let id = registered(&alice, "shared.img", "shared").await;
    assert_eq!(
        status(&bob.images.get_meta(&id).await.unwrap_err()),
        Some(StatusCode::NOT_FOUND)
    );
    alice.images.add_member(&id, &bob.uuid).await.unwrap();
    let members = alice.images.list_members(&id).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].member_id, bob.uuid);
    assert_eq!(bob.images.get_meta(&id).await.unwrap().name, "shared");
    // Alice's images that bob can read.
    let shared = alice.images.list_shared(&bob.uuid).await.unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].image_id, id);
    assert!(
        bob.images
            .list_shared(&alice.uuid)
            .await
            .unwrap()
            .is_empty()
    );
    // Bob can see but not change or share it.
    let error = bob.images.add_member(&id, &bob.uuid).await.unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::FORBIDDEN), "{error}");
    alice
        .images
        .set_members(&id, &["someone-else"])
        .await
        .unwrap();
    assert!(bob.images.get_meta(&id).await.is_err());
    alice
        .images
        .remove_member(&id, "someone-else")
        .await
        .unwrap();
    assert!(alice.images.list_members(&id).await.unwrap().is_empty());
}

#[tokio::test]
async fn update_changes_and_deletes_properties() {
    let (_sim, alice, bob) = setup().await;
    let location = upload(&alice, "u.img", b"data").await;
    let mut register = RegisterImage::new("before", location);
    register.properties.insert("old".into(), "x".into());
    register.properties.insert("kept".into(), "y".into());
    let id = alice.images.register(&register).await.unwrap().id;
    let mut update = UpdateImage {
        name: Some("après".into()),
        is_public: Some(true),
        ..UpdateImage::default()
    };
    update.delete_property("old");
    update.properties.insert("new".into(), "z w".into());
    let image = alice.images.update_image(&id, &update).await.unwrap();
    assert_eq!(image.name, "après");
    assert_eq!(image.is_public, Some(true));
    assert_eq!(
        image.properties.into_iter().collect::<Vec<_>>(),
        [("kept".into(), "y".into()), ("new".into(), "z w".into())]
    );
    // Public now: bob sees it, through compute too.
    assert_eq!(bob.images.get_meta(&id).await.unwrap().name, "après");
    let compute = bob.compute.get_image_details(&id).await.unwrap();
    assert_eq!(compute.name, "après");
    let error = bob
        .images
        .update_image(
            &id,
            &UpdateImage {
                name: Some("stolen".into()),
                ..UpdateImage::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::FORBIDDEN), "{error}");
}

#[tokio::test]
async fn unregister_removes_the_image_but_not_the_file() {
    let (_sim, alice, _) = setup().await;
    let id = registered(&alice, "gone.img", "gone").await;
    assert!(alice.compute.get_image_details(&id).await.is_ok());
    alice.images.unregister(&id).await.unwrap();
    let error = alice.images.get_meta(&id).await.unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::NOT_FOUND), "{error}");
    assert!(alice.compute.get_image_details(&id).await.is_err());
    assert!(
        alice
            .pithos
            .object_info("images", "gone.img", &Default::default())
            .await
            .is_ok()
    );
    let error = alice.images.unregister(&id).await.unwrap_err();
    assert_eq!(status(&error), Some(StatusCode::NOT_FOUND), "{error}");
}

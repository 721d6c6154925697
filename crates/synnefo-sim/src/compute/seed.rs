//! What a fresh deployment offers: volume types, flavors, public images and
//! the public network.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use time::macros::datetime;

use super::flavors::Flavor;
use super::image::{Image, ImageStatus};
use super::network::{Network, Subnet4};
use super::world::{IdKind, World};
use crate::volume::model::VolumeType;

/// Owner of the public images (`SYSTEM_IMAGES_OWNER`).
pub(crate) const SYSTEM_IMAGES_OWNER: &str = "a1b2c3d4-0000-4000-8000-0000000000aa";

/// Id of the public network every server gets a port on by default.
pub(crate) const PUBLIC_NETWORK: u64 = 1;

/// A seeded image: (UUID, name, size in bytes, properties).
type ImageSeed = (
    &'static str,
    &'static str,
    u64,
    &'static [(&'static str, &'static str)],
);

/// The public images.
const IMAGES: &[ImageSeed] = &[
    (
        "0c1a4b5e-3d2f-4e6a-9b7c-000000000001",
        "Debian Base",
        1_610_612_736,
        &[
            ("os", "debian"),
            ("osfamily", "linux"),
            ("users", "root"),
            ("description", "Debian 12 (bookworm) base system"),
            ("gui", "No GUI"),
            ("kernel", "6.1"),
            ("partition_table", "msdos"),
            ("root_partition", "1"),
            ("sortorder", "1"),
        ],
    ),
    (
        "0c1a4b5e-3d2f-4e6a-9b7c-000000000002",
        "Ubuntu Server LTS",
        2_684_354_560,
        &[
            ("os", "ubuntu"),
            ("osfamily", "linux"),
            ("users", "user"),
            ("description", "Ubuntu 22.04 LTS server"),
            ("gui", "No GUI"),
            ("kernel", "5.15"),
            ("partition_table", "msdos"),
            ("root_partition", "1"),
            ("sortorder", "2"),
        ],
    ),
    (
        "0c1a4b5e-3d2f-4e6a-9b7c-000000000003",
        "CentOS Stream",
        2_147_483_648,
        &[
            ("os", "centos"),
            ("osfamily", "linux"),
            ("users", "root"),
            ("description", "CentOS Stream 9"),
            ("gui", "No GUI"),
            ("kernel", "5.14"),
            ("partition_table", "msdos"),
            ("root_partition", "1"),
            ("sortorder", "3"),
        ],
    ),
    (
        "0c1a4b5e-3d2f-4e6a-9b7c-000000000004",
        "Windows Server 2019",
        13_958_643_712,
        &[
            ("os", "windows"),
            ("osfamily", "windows"),
            ("users", "Administrator"),
            ("description", "Windows Server 2019 Datacenter"),
            ("gui", "Windows"),
            ("partition_table", "msdos"),
            ("root_partition", "2"),
            ("sortorder", "4"),
        ],
    ),
];

/// The flavors: (id, vCPUs, RAM MiB, disk GiB, volume type, allow_create).
const FLAVORS: &[(u64, u64, u64, u64, u64, bool)] = &[
    (1, 1, 1024, 20, 1, true),
    (2, 2, 2048, 20, 1, true),
    (3, 2, 4096, 40, 1, true),
    (4, 4, 8192, 80, 1, true),
    (5, 1, 1024, 20, 2, true),
    (6, 8, 16384, 100, 1, false),
];

/// Fills a fresh world.
pub(crate) fn seed(world: &mut World) {
    world.volume_types = vec![
        VolumeType {
            id: 1,
            name: "ext_archipelago".to_owned(),
            disk_template: "ext_archipelago".to_owned(),
            deleted: false,
        },
        VolumeType {
            id: 2,
            name: "drbd".to_owned(),
            disk_template: "drbd".to_owned(),
            deleted: false,
        },
    ];
    world.flavors = FLAVORS
        .iter()
        .map(|&(id, cpu, ram, disk, volume_type, allow_create)| Flavor {
            id,
            cpu,
            ram,
            disk,
            volume_type,
            public: true,
            allow_create,
            access: Vec::new(),
            deleted: false,
        })
        .collect();
    let registered = datetime!(2024-01-15 10:00:00 UTC);
    for (id, name, size, properties) in IMAGES {
        let properties: BTreeMap<String, String> = properties
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        world.images.insert(
            (*id).to_owned(),
            Image {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                owner: SYSTEM_IMAGES_OWNER.to_owned(),
                public: true,
                is_snapshot: false,
                status: ImageStatus::Available,
                status_override: None,
                location: format!(
                    "pithos://{SYSTEM_IMAGES_OWNER}/images/{}.diskdump",
                    name.replace(' ', "%20")
                ),
                checksum: format!("{:064x}", size),
                disk_format: "diskdump".to_owned(),
                container_format: "bare".to_owned(),
                members: BTreeSet::new(),
                size: *size,
                description: properties.get("description").cloned().unwrap_or_default(),
                properties,
                volume_id: None,
                created: registered,
                updated: registered,
                ready_at: None,
            },
        );
    }
    // The public network takes the first network id (`PUBLIC_NETWORK`).
    world.ids.next(IdKind::Network);
    let subnet = world.ids.next(IdKind::Subnet);
    world.networks.insert(
        PUBLIC_NETWORK,
        Network {
            id: PUBLIC_NETWORK,
            name: "public".to_owned(),
            flavor: "IP_LESS_ROUTED".to_owned(),
            user: None,
            project: None,
            shared_to_project: false,
            public: true,
            floating_ip_pool: true,
            subnet4: Some(Subnet4 {
                id: subnet,
                name: "public-v4".to_owned(),
                address: Ipv4Addr::new(203, 0, 113, 0),
                prefix: 24,
                gateway: Some(Ipv4Addr::new(203, 0, 113, 1)),
                pools: vec![(
                    Ipv4Addr::new(203, 0, 113, 2),
                    Ipv4Addr::new(203, 0, 113, 254),
                )],
                dhcp: true,
            }),
            subnet6: None,
            deleted: false,
            created: registered,
            updated: registered,
        },
    );
}

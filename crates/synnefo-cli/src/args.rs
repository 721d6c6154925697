//! The command tree, as kamaki has it: `snf [global options] <group> <command>`.

use crate::commands::commission::CommissionArgs;
use crate::commands::flavor::FlavorCommand;
use crate::commands::history::HistoryCommand;
use crate::commands::image::ImageCommand;
use crate::commands::imagecompute::ImagecomputeCommand;
use crate::commands::ip::IpCommand;
use crate::commands::keypair::KeypairCommand;
use crate::commands::membership::MembershipCommand;
use crate::commands::network::NetworkCommand;
use crate::commands::pithos_util::{NameFilters, parse_date, parse_key_value, parse_size};
use crate::commands::port::PortCommand;
use crate::commands::project::ProjectCommand;
use crate::commands::quota::{QuotaCommand, ResourceCommand};
use crate::commands::scripts::ScriptsCommand;
use crate::commands::server::ServerCommand;
use crate::commands::service_account::{ServiceNames, ServiceQuotas, ServiceUuids};
use crate::commands::snapshot::SnapshotCommand;
use crate::commands::subnet::SubnetCommand;
use crate::commands::volume::VolumeCommand;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::SystemTime;

/// snf: manage servers, networks, volumes, images and files on Synnefo
/// clouds (GRNET ~okeanos). Reads and writes kamaki's ~/.kamakirc.
#[derive(Debug, Parser)]
#[command(name = "snf", version, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The cloud to use (a `[cloud "NAME"]` section of the config).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) cloud: Option<String>,
    /// The config file [default: $KAMAKI_CONFIG or ~/.kamakirc].
    #[arg(short = 'c', long, global = true, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,
    /// Output format: `table` for people, `json` for scripts.
    #[arg(
        short = 'o',
        long = "output",
        alias = "output-format",
        global = true,
        value_enum,
        default_value_t = OutputFormat::Table
    )]
    pub(crate) output: OutputFormat,
    /// Show the HTTP requests and responses (tokens masked); -vv adds
    /// their bodies.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
    /// Debug output: requests, responses and bodies (tokens masked).
    #[arg(short, long, global = true)]
    pub(crate) debug: bool,
    /// A CA bundle (PEM) to trust in addition to the system's.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) ca_certs: Option<PathBuf>,
    /// Do not verify TLS certificates (test clouds only).
    #[arg(short = 'k', long, global = true, alias = "ignore-ssl")]
    pub(crate) insecure: bool,
    /// Override a config option for this run only, never saved:
    /// `SECTION.KEY=VALUE`, or `KEY=VALUE` for `global.KEY` (kamaki's `-o`;
    /// here `-o` is the output format). Repeatable.
    #[arg(long = "options", global = true, value_name = "OPTION=VALUE")]
    pub(crate) overrides: Vec<String>,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Aligned text for people.
    Table,
    /// JSON for scripts.
    Json,
}

/// The command groups.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Astakos users: authenticate, show, translate UUIDs and names.
    #[command(subcommand)]
    User(UserCommand),
    /// The service catalog's endpoints.
    #[command(subcommand)]
    Endpoint(EndpointCommand),
    /// The services the cloud offers.
    #[command(subcommand)]
    Service(ServiceCommand),
    /// Your quotas: limits and usage per project and resource.
    #[command(subcommand)]
    Quota(QuotaCommand),
    /// The resources the cloud accounts for.
    #[command(subcommand)]
    Resource(ResourceCommand),
    /// Astakos projects: apply, change, approve, join.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Project memberships: list, accept, leave.
    #[command(subcommand)]
    Membership(MembershipCommand),
    /// Quota commissions (services; needs a service token).
    Commission(CommissionArgs),
    /// Read and change the config file (kamaki's ~/.kamakirc).
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The command lines run so far (shared with kamaki).
    #[command(subcommand)]
    History(HistoryCommand),
    /// Useful scripts (kamaki's contrib): `verifyfs` checks a container's
    /// directory markers.
    #[command(subcommand)]
    Scripts(ScriptsCommand),
    /// Pithos+ objects: list, upload, download, share, publish.
    #[command(subcommand)]
    File(FileCommand),
    /// Pithos+ containers: list, create, set policies, delete.
    #[command(subcommand)]
    Container(ContainerCommand),
    /// Pithos+ accounts that share objects with you.
    #[command(subcommand)]
    Sharer(SharerCommand),
    /// Pithos+ user groups of your account (for sharing).
    #[command(subcommand)]
    Group(GroupCommand),
    /// Cyclades virtual servers: create, list, start, stop, wait, attach
    /// volumes.
    #[command(subcommand)]
    Server(ServerCommand),
    /// Server flavors (CPUs, RAM, disk).
    #[command(subcommand)]
    Flavor(FlavorCommand),
    /// SSH key pairs to install on new servers.
    #[command(subcommand)]
    Keypair(KeypairCommand),
    /// Plankton images: list, show, register, modify, share, unregister.
    #[command(subcommand)]
    Image(ImageCommand),
    /// Images through the compute API: list, show, delete, properties.
    #[command(subcommand)]
    Imagecompute(ImagecomputeCommand),
    /// Block storage volumes and their types.
    #[command(subcommand)]
    Volume(VolumeCommand),
    /// Snapshots of volumes.
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Networks: create private ones, connect servers to them.
    #[command(subcommand)]
    Network(NetworkCommand),
    /// Subnets: the address ranges of networks.
    #[command(subcommand)]
    Subnet(SubnetCommand),
    /// Ports: the network interfaces of servers.
    #[command(subcommand)]
    Port(PortCommand),
    /// Floating IPs: allocate, attach to servers, release.
    #[command(subcommand)]
    Ip(IpCommand),
}

/// `snf user …`
#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Authenticate a token (the cloud's, or the one given) and show its user.
    Authenticate {
        /// The token to check [default: the cloud's token].
        token: Option<String>,
    },
    /// Show the session user, or another user of the cloud's tokens.
    Info {
        /// That user's UUID.
        #[arg(long, conflicts_with = "username")]
        uuid: Option<String>,
        /// That user's name (as `snf user list` shows it).
        #[arg(long)]
        username: Option<String>,
    },
    /// Translate user UUIDs to display names.
    Uuid2name {
        /// The UUIDs.
        #[arg(required = true)]
        uuids: Vec<String>,
    },
    /// Translate display names to user UUIDs.
    Name2uuid {
        /// The display names (usually e-mail addresses).
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Authenticate a token and add it to the cloud's tokens.
    Add {
        /// The token.
        #[arg(long)]
        token: String,
    },
    /// List the users of the cloud's tokens (the active one first).
    List {
        /// Show their projects too.
        #[arg(short = 'l', long)]
        details: bool,
    },
    /// Make another user of the cloud's tokens the active one.
    Select {
        /// The user's UUID or name (as `snf user list` shows it).
        #[arg(long)]
        user: String,
    },
    /// Remove a user's token from the cloud (not the active user's).
    Delete {
        /// The user's UUID or name (as `snf user list` shows it).
        #[arg(long)]
        user: String,
    },
}

/// `snf endpoint …`
#[derive(Debug, Subcommand)]
pub(crate) enum EndpointCommand {
    /// List the catalog's endpoints.
    List {
        /// Only endpoints of this service type (e.g. compute).
        #[arg(long = "type", value_name = "TYPE")]
        service_type: Option<String>,
    },
}

/// `snf service …`
#[derive(Debug, Subcommand)]
pub(crate) enum ServiceCommand {
    /// List the services of the catalog.
    List,
    /// Translate user UUIDs to display names, with a service token.
    Uuid2username(ServiceUuids),
    /// Translate display names to user UUIDs, with a service token.
    Username2uuid(ServiceNames),
    /// Show users' quotas in a service's resources, with its token.
    Quotas(ServiceQuotas),
}

/// `snf config …`
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Show an option (`KEY`, `global.KEY`, `cloud.NAME.KEY`).
    Get {
        /// The option.
        option: String,
    },
    /// Set an option; the file keeps its comments and order.
    Set {
        /// The option.
        option: String,
        /// The value.
        value: String,
    },
    /// Remove an option.
    Delete {
        /// The option.
        option: String,
    },
    /// List every option (tokens masked).
    List,
}

/// `-A/--account` and `-C/--container`, taken by every file command.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct PithosArgs {
    /// The account (user UUID or display name) to act on [default:
    /// cloud.<c>.pithos_uuid, else yours].
    #[arg(short = 'A', long, value_name = "UUID_OR_NAME")]
    pub(crate) account: Option<String>,
    /// The container of bare paths [default: cloud.<c>.pithos_container,
    /// else `pithos`].
    #[arg(short = 'C', long, value_name = "NAME")]
    pub(crate) container: Option<String>,
}

/// `-A/--account` alone, for container commands.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct AccountArg {
    /// The account (user UUID or display name) to act on [default: yours].
    #[arg(short = 'A', long, value_name = "UUID_OR_NAME")]
    pub(crate) account: Option<String>,
}

/// The conditions of a read (`If-Match`…), as kamaki names them.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct ReadConditions {
    /// Only if the object's ETag (hash) is this one (else fail).
    #[arg(long, value_name = "ETAG")]
    pub(crate) if_match: Option<String>,
    /// Only if the object's ETag (hash) is not this one.
    #[arg(long, value_name = "ETAG")]
    pub(crate) if_none_match: Option<String>,
    /// Only if modified since DATE (UNIX seconds, HTTP or ISO 8601 date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_modified_since: Option<SystemTime>,
    /// Only if not modified since DATE (else fail).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_unmodified_since: Option<SystemTime>,
}

/// A container versioning policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum VersioningArg {
    /// Keep every version.
    Auto,
    /// Keep only the current version.
    #[value(name = "none")]
    Disabled,
}

/// `snf file …`
#[derive(Debug, Subcommand)]
pub(crate) enum FileCommand {
    /// List objects (one level; -r for everything under the path).
    List(FileList),
    /// Show an object's details, metadata, sharing, hashmap or versions.
    Info(FileInfo),
    /// Change an object's permissions or metadata.
    Modify(FileModify),
    /// Publish an object and print its public URL.
    Publish {
        /// The object.
        path: String,
        #[command(flatten)]
        pithos: PithosArgs,
    },
    /// Unpublish an object (its public URL stops working).
    Unpublish {
        /// The object.
        path: String,
        #[command(flatten)]
        pithos: PithosArgs,
    },
    /// Create an empty object.
    Create {
        /// The object.
        path: String,
        /// Its content type [default: guessed from the name].
        #[arg(long, value_name = "TYPE")]
        content_type: Option<String>,
        #[command(flatten)]
        pithos: PithosArgs,
    },
    /// Create a directory object (application/directory).
    Mkdir {
        /// The directory.
        path: String,
        #[command(flatten)]
        pithos: PithosArgs,
    },
    /// Delete an object (-r: and everything under it); no path: empty the
    /// container.
    Delete(FileDelete),
    /// Copy objects on the server.
    Copy(FileCopy),
    /// Move (rename) objects on the server.
    Move(FileMove),
    /// Append a local file to an object.
    Append(FileAppend),
    /// Cut an object to its first N bytes.
    Truncate {
        /// The object.
        path: String,
        /// The size to keep (bytes, or with a unit: KiB, MB…).
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        size: u64,
        #[command(flatten)]
        pithos: PithosArgs,
    },
    /// Overwrite bytes FROM..=TO of an object with the start of a local file.
    Overwrite(FileOverwrite),
    /// Upload a file, or a folder with -r.
    Upload(FileUpload),
    /// Download an object, or a directory with -r.
    Download(FileDownload),
    /// Print an object (or byte ranges of it) to stdout.
    Cat(FileCat),
}

/// `snf file list`
#[derive(Debug, Args)]
pub(crate) struct FileList {
    /// What to list: PATH, /CONTAINER/PATH or pithos://UUID/CONTAINER/PATH
    /// [default: the whole default container].
    pub(crate) path: Option<String>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Show details (hash, version, sharing, public URL).
    #[arg(short = 'l', long)]
    pub(crate) details: bool,
    /// Show at most N objects.
    #[arg(short = 'n', long = "number", value_name = "N")]
    pub(crate) limit: Option<u32>,
    /// Start after this object name.
    #[arg(long, value_name = "NAME")]
    pub(crate) marker: Option<String>,
    /// Group names at this character into directories [default: `/`;
    /// none with -r].
    #[arg(long, value_name = "CHAR")]
    pub(crate) delimiter: Option<char>,
    /// Only objects with this metadata: KEY, !KEY or KEY<op>VALUE with op
    /// one of = != < > <= >= (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub(crate) meta: Vec<String>,
    /// Only if the container changed since DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_modified_since: Option<SystemTime>,
    /// Fail if the container changed since DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_unmodified_since: Option<SystemTime>,
    /// The container as it was at DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) until: Option<SystemTime>,
    /// Only objects shared with others.
    #[arg(long, alias = "shared")]
    pub(crate) shared_by_me: bool,
    /// Only public objects.
    #[arg(long)]
    pub(crate) public: bool,
    /// Number the lines.
    #[arg(long)]
    pub(crate) enumerate: bool,
    /// Everything under the path, not just one level.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
    #[command(flatten)]
    pub(crate) filters: NameFilters,
}

/// `snf file info`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").args(["hashmap", "sharing", "metadata", "object_versions"])))]
pub(crate) struct FileInfo {
    /// The object.
    pub(crate) path: String,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// A past version of the object.
    #[arg(long, value_name = "VERSION")]
    pub(crate) object_version: Option<u64>,
    /// Show the hashmap (block size, hash algorithm, block hashes).
    #[arg(long)]
    pub(crate) hashmap: bool,
    /// Show only the permissions.
    #[arg(long)]
    pub(crate) sharing: bool,
    /// Show only the user metadata.
    #[arg(long)]
    pub(crate) metadata: bool,
    /// List the object's versions.
    #[arg(long)]
    pub(crate) object_versions: bool,
    #[command(flatten)]
    pub(crate) conditions: ReadConditions,
}

/// `snf file modify`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true).args([
    "read_permission", "write_permission", "no_permissions", "metadata_add", "metadata_del"
])))]
pub(crate) struct FileModify {
    /// The object.
    pub(crate) path: String,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Grant read access to users (UUID or name), groups (OWNER:GROUP) or
    /// everyone (*); added to the current grants (repeatable, or a,b).
    #[arg(long, value_name = "WHO", value_delimiter = ',')]
    pub(crate) read_permission: Vec<String>,
    /// Grant write access, as --read-permission.
    #[arg(long, value_name = "WHO", value_delimiter = ',')]
    pub(crate) write_permission: Vec<String>,
    /// Remove all permissions (before adding any given).
    #[arg(long)]
    pub(crate) no_permissions: bool,
    /// Set metadata KEY=VALUE (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub(crate) metadata_add: Vec<(String, String)>,
    /// Delete metadata KEY (repeatable).
    #[arg(long, value_name = "KEY")]
    pub(crate) metadata_del: Vec<String>,
}

/// `snf file delete`
#[derive(Debug, Args)]
pub(crate) struct FileDelete {
    /// The object [default: every object of the container].
    pub(crate) path: Option<String>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Purge the versions made up to DATE instead of deleting.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) until: Option<SystemTime>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub(crate) yes: bool,
    /// Also delete everything under PATH/.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
    /// Also delete everything under PATH followed by this character.
    #[arg(long, value_name = "CHAR", conflicts_with = "recursive")]
    pub(crate) delimiter: Option<char>,
}

/// `snf file copy`
#[derive(Debug, Args)]
pub(crate) struct FileCopy {
    /// The source object.
    pub(crate) source: String,
    /// The destination [default: the source path, in --to-container].
    pub(crate) destination: Option<String>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    #[command(flatten)]
    pub(crate) to: TransferTarget,
    /// Copy this version of the source.
    #[arg(long, value_name = "VERSION")]
    pub(crate) source_version: Option<u64>,
}

/// `snf file move`
#[derive(Debug, Args)]
pub(crate) struct FileMove {
    /// The source object.
    pub(crate) source: String,
    /// The destination [default: the source path, in --to-container].
    pub(crate) destination: Option<String>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    #[command(flatten)]
    pub(crate) to: TransferTarget,
}

/// The destination options of copy and move.
#[derive(Debug, Args)]
pub(crate) struct TransferTarget {
    /// The destination account (UUID or name) [default: the source's].
    #[arg(long, value_name = "UUID_OR_NAME")]
    pub(crate) to_account: Option<String>,
    /// The destination container [default: the source's].
    #[arg(long, value_name = "NAME")]
    pub(crate) to_container: Option<String>,
    /// Also everything under SOURCE/.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
    /// Replace an existing destination.
    #[arg(short = 'f', long)]
    pub(crate) force: bool,
    /// Publish the destination.
    #[arg(long)]
    pub(crate) public: bool,
    /// A new content type for the destination.
    #[arg(long, value_name = "TYPE")]
    pub(crate) content_type: Option<String>,
}

/// `snf file append`
#[derive(Debug, Args)]
pub(crate) struct FileAppend {
    /// The local file.
    pub(crate) local: PathBuf,
    /// The object to append to.
    pub(crate) remote: String,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Accepted for kamaki compatibility; appends are sent in order, one
    /// at a time (parallel appends can reorder data).
    #[arg(long, value_name = "N", hide = true)]
    pub(crate) threads: Option<usize>,
    /// No progress bar.
    #[arg(short = 'N', long)]
    pub(crate) no_progress_bar: bool,
}

/// `snf file overwrite`
#[derive(Debug, Args)]
pub(crate) struct FileOverwrite {
    /// The local file (its first TO-FROM+1 bytes are used).
    pub(crate) local: PathBuf,
    /// The object.
    pub(crate) path: String,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// The first byte of the object to overwrite.
    #[arg(long, value_name = "OFFSET")]
    pub(crate) from: u64,
    /// The last byte of the object to overwrite (included).
    #[arg(long, value_name = "OFFSET")]
    pub(crate) to: u64,
    /// No progress bar.
    #[arg(short = 'N', long)]
    pub(crate) no_progress_bar: bool,
}

/// `snf file upload`
#[derive(Debug, Args)]
pub(crate) struct FileUpload {
    /// The local file (or folder, with -r).
    pub(crate) local: PathBuf,
    /// The object (a trailing / puts the file in that directory)
    /// [default: the file's name].
    pub(crate) remote: Option<String>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Blocks sent at once.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) threads: usize,
    /// The Content-Encoding to store.
    #[arg(long, value_name = "ENCODING")]
    pub(crate) content_encoding: Option<String>,
    /// The Content-Disposition to store.
    #[arg(long, value_name = "DISPOSITION")]
    pub(crate) content_disposition: Option<String>,
    /// The content type [default: guessed from the file name].
    #[arg(long, value_name = "TYPE")]
    pub(crate) content_type: Option<String>,
    /// Grant read access (UUID, name, OWNER:GROUP or *; repeatable).
    #[arg(long, value_name = "WHO", value_delimiter = ',')]
    pub(crate) read_permission: Vec<String>,
    /// Grant write access (as --read-permission).
    #[arg(long, value_name = "WHO", value_delimiter = ',')]
    pub(crate) write_permission: Vec<String>,
    /// Publish the object and print its public URL.
    #[arg(long)]
    pub(crate) public: bool,
    /// No progress bar.
    #[arg(short = 'N', long)]
    pub(crate) no_progress_bar: bool,
    /// Replace existing objects.
    #[arg(short = 'f', long)]
    pub(crate) force: bool,
    /// Upload a folder and everything in it.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
    /// Send the file in one request (no deduplication).
    #[arg(long, conflicts_with = "source_is_hashmap")]
    pub(crate) unchunked: bool,
    /// The file's MD5 (hex), checked by the server (with --unchunked).
    #[arg(long, value_name = "MD5", requires = "unchunked")]
    pub(crate) etag: Option<String>,
    /// The local file is a JSON hashmap ({"bytes": N, "hashes": [...]}) of
    /// blocks the server already has.
    #[arg(long, conflicts_with = "recursive")]
    pub(crate) source_is_hashmap: bool,
}

/// `snf file download`
#[derive(Debug, Args)]
pub(crate) struct FileDownload {
    /// The object (or directory, with -r).
    pub(crate) remote: String,
    /// The local file or folder [default: the object's name, here].
    pub(crate) local: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Replace existing local files.
    #[arg(short = 'f', long)]
    pub(crate) force: bool,
    /// Continue an existing local file: keep its blocks that are right,
    /// fetch the rest.
    #[arg(long)]
    pub(crate) resume: bool,
    /// Only these bytes: START-END, START-, -COUNT or END (= 0-END),
    /// comma-separated.
    #[arg(
        long,
        value_name = "RANGES",
        allow_hyphen_values = true,
        conflicts_with_all = ["recursive", "resume"]
    )]
    pub(crate) range: Option<String>,
    #[command(flatten)]
    pub(crate) conditions: ReadConditions,
    /// A past version of the object.
    #[arg(long, value_name = "VERSION")]
    pub(crate) object_version: Option<u64>,
    /// Blocks fetched at once.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) threads: usize,
    /// No progress bar.
    #[arg(short = 'N', long)]
    pub(crate) no_progress_bar: bool,
    /// Download a directory and everything under it.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
}

/// `snf file cat`
#[derive(Debug, Args)]
pub(crate) struct FileCat {
    /// The object.
    pub(crate) path: String,
    #[command(flatten)]
    pub(crate) pithos: PithosArgs,
    /// Only these bytes: START-END, START-, -COUNT or END (= 0-END),
    /// comma-separated.
    #[arg(long, value_name = "RANGES", allow_hyphen_values = true)]
    pub(crate) range: Option<String>,
    #[command(flatten)]
    pub(crate) conditions: ReadConditions,
    /// A past version of the object.
    #[arg(long, value_name = "VERSION")]
    pub(crate) object_version: Option<u64>,
    /// Blocks fetched ahead of the output.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub(crate) buffer_blocks: usize,
}

/// `snf container …`
#[derive(Debug, Subcommand)]
pub(crate) enum ContainerCommand {
    /// List containers (or, given one, its objects).
    List(ContainerList),
    /// Show a container's details, metadata or size limit.
    Info {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// The container as it was at DATE.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<SystemTime>,
        /// Show only the user metadata.
        #[arg(long, conflicts_with = "size_limit")]
        metadata: bool,
        /// Show only the size limit.
        #[arg(long)]
        size_limit: bool,
        /// Sizes in bytes.
        #[arg(short = 'b', long)]
        bytes: bool,
    },
    /// Create a container.
    Create {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// Keep old versions of objects (auto) or not (none).
        #[arg(long, value_enum)]
        versioning: Option<VersioningArg>,
        /// The size limit (bytes, or with a unit: 2.5GiB, 100MB; 0 =
        /// unlimited).
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        limit: Option<u64>,
        /// Metadata KEY=VALUE (repeatable).
        #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
        meta: Vec<(String, String)>,
        /// The project to charge for the container's space.
        #[arg(long, value_name = "PROJECT")]
        project_id: Option<String>,
    },
    /// Change a container's metadata, size limit or versioning.
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args([
        "metadata_add", "metadata_del", "size_limit", "versioning"
    ])))]
    Modify {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// Set metadata KEY=VALUE (repeatable).
        #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
        metadata_add: Vec<(String, String)>,
        /// Delete metadata KEY (repeatable).
        #[arg(long, value_name = "KEY")]
        metadata_del: Vec<String>,
        /// The size limit (2.3GB, 512MiB…; 0 = unlimited).
        #[arg(long, value_name = "SIZE", value_parser = parse_size)]
        size_limit: Option<u64>,
        /// Keep old versions of objects (auto) or not (none).
        #[arg(long, value_enum)]
        versioning: Option<VersioningArg>,
    },
    /// Charge a container's space to another project.
    Reassign {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// The project.
        #[arg(long, value_name = "PROJECT")]
        project_id: String,
    },
    /// Delete a container (-r: with its objects).
    Delete {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Delete its objects too.
        #[arg(short = 'r', long)]
        recursive: bool,
    },
    /// Delete every object of a container.
    Empty {
        /// The container.
        container: String,
        #[command(flatten)]
        account: AccountArg,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// `snf container list`
#[derive(Debug, Args)]
pub(crate) struct ContainerList {
    /// List this container's objects instead.
    pub(crate) container: Option<String>,
    #[command(flatten)]
    pub(crate) account: AccountArg,
    /// Show details (policies, project).
    #[arg(short = 'l', long)]
    pub(crate) details: bool,
    /// Show at most N.
    #[arg(short = 'n', long = "number", value_name = "N")]
    pub(crate) limit: Option<u32>,
    /// Start after this name.
    #[arg(long, value_name = "NAME")]
    pub(crate) marker: Option<String>,
    /// Only if the account changed since DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_modified_since: Option<SystemTime>,
    /// Fail if the account changed since DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) if_unmodified_since: Option<SystemTime>,
    /// The account as it was at DATE.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) until: Option<SystemTime>,
    /// Only containers with shared objects.
    #[arg(long, alias = "shared-by-me")]
    pub(crate) shared: bool,
    /// Only containers with public objects.
    #[arg(long)]
    pub(crate) public: bool,
    /// Number the lines.
    #[arg(long)]
    pub(crate) enumerate: bool,
    /// Also list each container's objects.
    #[arg(short = 'r', long)]
    pub(crate) recursive: bool,
    #[command(flatten)]
    pub(crate) filters: NameFilters,
}

/// `snf sharer …`
#[derive(Debug, Subcommand)]
pub(crate) enum SharerCommand {
    /// List the accounts that share objects with you.
    List {
        /// Show details (last modification).
        #[arg(short = 'l', long)]
        details: bool,
        /// Start after this account UUID.
        #[arg(long, value_name = "UUID")]
        marker: Option<String>,
    },
    /// Show an account's details (as much as it shares with you).
    Info {
        /// The account (UUID or name) [default: yours].
        account: Option<String>,
    },
}

/// `snf group …`
#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// List your groups and their members.
    List,
    /// Create (or replace) a group.
    #[command(group(ArgGroup::new("members").required(true).multiple(true).args(["uuid", "username"])))]
    Create {
        /// The group name.
        name: String,
        /// Members by UUID (repeatable, or a,b).
        #[arg(long, value_name = "UUID", value_delimiter = ',')]
        uuid: Vec<String>,
        /// Members by display name (repeatable, or a,b).
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        username: Vec<String>,
    },
    /// Delete a group.
    Delete {
        /// The group name.
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn pithos_commands_parse() {
        let cli = Cli::try_parse_from([
            "snf",
            "file",
            "upload",
            "a.txt",
            "/c/b.txt",
            "-f",
            "--read-permission",
            "u1,u2",
            "-N",
        ])
        .unwrap();
        let Command::File(FileCommand::Upload(upload)) = cli.command else {
            panic!("not an upload");
        };
        assert_eq!(upload.read_permission, ["u1", "u2"]);
        assert!(upload.force && upload.no_progress_bar);
        let cli = Cli::try_parse_from([
            "snf",
            "-o",
            "json",
            "container",
            "create",
            "c",
            "--limit",
            "2.5GiB",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Container(ContainerCommand::Create {
                limit: Some(2_684_354_560),
                ..
            })
        ));
        assert!(Cli::try_parse_from(["snf", "file", "modify", "x"]).is_err());
        assert!(Cli::try_parse_from(["snf", "file", "upload", "a", "--etag", "e"]).is_err());
    }

    #[test]
    fn compute_commands_parse() {
        let parses = |args: &[&str]| {
            let mut all = vec!["snf"];
            all.extend_from_slice(args);
            Cli::try_parse_from(all).is_ok()
        };
        assert!(parses(&["server", "wait", "1", "--while", "build"]));
        assert!(parses(&[
            "server",
            "wait",
            "1",
            "--until",
            "STOPPED",
            "--timeout",
            "5"
        ]));
        assert!(!parses(&[
            "server", "wait", "1", "--while", "BUILD", "--until", "ACTIVE"
        ]));
        assert!(!parses(&["server", "wait", "x"]));
        assert!(parses(&[
            "server", "reboot", "1", "--type", "hard", "-w", "-N"
        ]));
        assert!(!parses(&["server", "start", "1", "--timeout", "5"]));
        assert!(parses(&["server", "start", "1", "-w", "--timeout", "5"]));
        assert!(!parses(&["server", "detach", "1"]));
        assert!(!parses(&["server", "modify", "1"]));
        assert!(parses(&[
            "server",
            "modify",
            "1",
            "--firewall",
            "protected"
        ]));
        assert!(!parses(&["server", "modify", "1", "--firewall", "open"]));
        assert!(!parses(&[
            "server",
            "create",
            "--name",
            "a",
            "--flavor-id",
            "1",
            "--image-id",
            "i",
            "--cluster-size",
            "0"
        ]));
        assert!(!parses(&[
            "server",
            "create",
            "--name",
            "a",
            "--flavor-id",
            "1",
            "--image-id",
            "i",
            "--network",
            "1",
            "--no-network"
        ]));
        assert!(parses(&["server", "delete", "--cluster", "node", "-w"]));
        assert!(parses(&["volume", "wait", "7", "--until", "in_use"]));
        assert!(!parses(&["volume", "wait", "7", "--until", "in-use-ish"]));
        assert!(parses(&[
            "volume",
            "modify",
            "7",
            "--delete-on-termination",
            "false"
        ]));
        assert!(!parses(&["volume", "modify", "7"]));
        assert!(!parses(&["volume", "create", "--size", "1"]));
        assert!(!parses(&["snapshot", "modify", "s"]));
        assert!(!parses(&["imagecompute", "modify", "i"]));
        assert!(parses(&["keypair", "generate", "-f"]));
        assert!(parses(&[
            "flavor", "list", "-l", "--vcpus", "2", "--public"
        ]));
        assert!(parses(&["server", "console", "1", "--type", "vnc-wss"]));
        assert!(!parses(&["server", "console", "1", "--type", "rdp"]));
    }
}

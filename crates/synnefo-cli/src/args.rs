//! The command tree, as kamaki has it: `snf [global options] <group> <command>`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
    /// Show the HTTP requests and responses (tokens masked).
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
    /// Read and change the config file (kamaki's ~/.kamakirc).
    #[command(subcommand)]
    Config(ConfigCommand),
}

/// `snf user …`
#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Authenticate a token (the cloud's, or the one given) and show its user.
    Authenticate {
        /// The token to check [default: the cloud's token].
        token: Option<String>,
    },
    /// Show the session user.
    Info,
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

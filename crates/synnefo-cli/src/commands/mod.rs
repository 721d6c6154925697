//! One module per command group.

mod account;
mod catalog;
pub(crate) mod commission;
pub(crate) mod compute_util;
mod config;
mod container;
mod file;
mod file_transfer;
pub(crate) mod flavor;
mod group;
pub(crate) mod history;
pub(crate) mod image;
mod image_register;
pub(crate) mod imagecompute;
pub(crate) mod ip;
pub(crate) mod keypair;
pub(crate) mod membership;
pub(crate) mod network;
pub(crate) mod network_util;
mod pithos_location;
pub(crate) mod pithos_util;
pub(crate) mod port;
pub(crate) mod project;
pub(crate) mod quota;
pub(crate) mod scripts;
pub(crate) mod server;
pub(crate) mod service_account;
mod sharer;
pub(crate) mod snapshot;
pub(crate) mod subnet;
mod user;
mod user_session;
pub(crate) mod volume;
mod wait_bar;

use crate::args::{Cli, Command, ServiceCommand};

/// Runs the parsed command.
pub(crate) async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::User(command) => user::run(&cli.global, command).await,
        Command::Endpoint(command) => catalog::endpoints(&cli.global, command).await,
        Command::Service(ServiceCommand::List) => catalog::services(&cli.global).await,
        Command::Service(ServiceCommand::Uuid2username(args)) => {
            service_account::uuids_to_names(&cli.global, args).await
        }
        Command::Service(ServiceCommand::Username2uuid(args)) => {
            service_account::names_to_uuids(&cli.global, args).await
        }
        Command::Service(ServiceCommand::Quotas(args)) => {
            service_account::quotas(&cli.global, args).await
        }
        Command::Quota(command) => quota::quotas(&cli.global, command).await,
        Command::Resource(command) => quota::resources(&cli.global, command).await,
        Command::Project(command) => project::run(&cli.global, command).await,
        Command::Membership(command) => membership::run(&cli.global, command).await,
        Command::Commission(args) => commission::run(&cli.global, args).await,
        Command::Config(command) => config::run(&cli.global, command),
        Command::File(command) => file::run(&cli.global, command).await,
        Command::Container(command) => container::run(&cli.global, command).await,
        Command::Sharer(command) => sharer::run(&cli.global, command).await,
        Command::Group(command) => group::run(&cli.global, command).await,
        Command::History(command) => history::run(&cli.global, command),
        Command::Scripts(command) => scripts::run(&cli.global, command).await,
        Command::Server(command) => server::run(&cli.global, command).await,
        Command::Flavor(command) => flavor::run(&cli.global, command).await,
        Command::Keypair(command) => keypair::run(&cli.global, command).await,
        Command::Image(command) => image::run(&cli.global, command).await,
        Command::Imagecompute(command) => imagecompute::run(&cli.global, command).await,
        Command::Volume(command) => volume::run(&cli.global, command).await,
        Command::Snapshot(command) => snapshot::run(&cli.global, command).await,
        Command::Network(command) => network::run(&cli.global, command).await,
        Command::Subnet(command) => subnet::run(&cli.global, command).await,
        Command::Port(command) => port::run(&cli.global, command).await,
        Command::Ip(command) => ip::run(&cli.global, command).await,
    }
}

//! One module per command group.

mod catalog;
mod config;
mod container;
mod file;
mod file_transfer;
mod group;
mod pithos_location;
pub(crate) mod pithos_util;
mod sharer;
mod user;

use crate::args::{Cli, Command};

/// Runs the parsed command.
pub(crate) async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::User(command) => user::run(&cli.global, command).await,
        Command::Endpoint(command) => catalog::endpoints(&cli.global, command).await,
        Command::Service(command) => catalog::services(&cli.global, command).await,
        Command::Config(command) => config::run(&cli.global, command),
        Command::File(command) => file::run(&cli.global, command).await,
        Command::Container(command) => container::run(&cli.global, command).await,
        Command::Sharer(command) => sharer::run(&cli.global, command).await,
        Command::Group(command) => group::run(&cli.global, command).await,
    }
}

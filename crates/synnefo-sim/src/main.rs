//! `synnefo-sim`: serve the Synnefo cloud emulator from the command line.
//!
//! ```text
//! synnefo-sim serve [--host 127.0.0.1] [--port 8080] [--users FILE] [--seed N]
//!                   [--data-dir DIR] [--block-size BYTES] [--account-quota BYTES]
//!                   [--build-delay-ms MS] [--action-delay-ms MS] [--admin UUID]…
//! synnefo-sim users            # the built-in users as JSON, a template for --users
//! ```

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use synnefo_sim::{
    CYCLADES_SERVICE_TOKEN, DEFAULT_ACCOUNT_QUOTA, DEFAULT_ACTION_DELAY, DEFAULT_BLOCK_SIZE,
    DEFAULT_BUILD_DELAY, PITHOS_SERVICE_TOKEN, Sim, SimConfig, default_users, load_users,
};

/// A local emulator of a Synnefo cloud (Astakos, Cyclades, Pithos+, Plankton).
#[derive(Debug, Parser)]
#[command(name = "synnefo-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the emulated cloud until Ctrl-C or SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: IpAddr,
        /// Port to listen on (0 = any free port).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// JSON file with the users (an array like `synnefo-sim users` prints).
        #[arg(long, value_name = "FILE")]
        users: Option<PathBuf>,
        /// Seed for random decisions (fault injection dice, Pithos UUIDs and
        /// public URL tokens).
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// Keep Pithos blocks on disk under DIR/blocks (one file per block)
        /// instead of in memory; blocks already there are reused.
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Pithos block size in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_BLOCK_SIZE)]
        block_size: usize,
        /// Pithos quota of every account in bytes (0 = unlimited).
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_ACCOUNT_QUOTA)]
        account_quota: u64,
        /// How long new Cyclades servers stay in BUILD, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = DEFAULT_BUILD_DELAY.as_millis() as u64)]
        build_delay_ms: u64,
        /// How long other Cyclades jobs (start, stop, attach…) take, in
        /// milliseconds.
        #[arg(long, value_name = "MS", default_value_t = DEFAULT_ACTION_DELAY.as_millis() as u64)]
        action_delay_ms: u64,
        /// UUID of an Astakos administrator, who approves project
        /// applications (repeatable).
        #[arg(long = "admin", value_name = "UUID")]
        admins: Vec<String>,
    },
    /// Print the built-in users as JSON (a template for `serve --users`).
    Users,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Users => match serde_json::to_string_pretty(&default_users()) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("synnefo-sim: {error}");
                ExitCode::FAILURE
            }
        },
        Command::Serve {
            host,
            port,
            users,
            seed,
            data_dir,
            block_size,
            account_quota,
            build_delay_ms,
            action_delay_ms,
            admins,
        } => {
            init_logging();
            let users = match users {
                Some(path) => match load_users(&path) {
                    Ok(users) => users,
                    Err(error) => {
                        eprintln!("synnefo-sim: {error}");
                        return ExitCode::from(2);
                    }
                },
                None => default_users(),
            };
            let config = SimConfig {
                users,
                host,
                port,
                seed,
                data_dir,
                block_size,
                account_quota,
                build_delay: Duration::from_millis(build_delay_ms),
                action_delay: Duration::from_millis(action_delay_ms),
                astakos_admins: admins,
                ..SimConfig::default()
            };
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    eprintln!("synnefo-sim: cannot start the runtime: {error}");
                    return ExitCode::FAILURE;
                }
            };
            runtime.block_on(serve(config))
        }
    }
}

/// Logs requests at info level to stderr (`RUST_LOG` overrides).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

async fn serve(config: SimConfig) -> ExitCode {
    let sim = match Sim::start_with(config).await {
        Ok(sim) => sim,
        Err(error) => {
            eprintln!("synnefo-sim: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Listen for signals before announcing the URLs: whoever reads them may
    // send SIGTERM at once.
    let stop = StopSignals::install();
    println!("synnefo-sim listening on {}", sim.base_url());
    println!("identity URL: {}", sim.identity_url());
    for user in sim.users() {
        println!("user {} uuid={} token={}", user.name, user.uuid, user.token);
    }
    println!("pithos URL: {}", sim.pithos_url());
    println!("compute URL: {}", sim.compute_url());
    println!("volume URL: {}", sim.volume_url());
    println!("service tokens: cyclades={CYCLADES_SERVICE_TOKEN} pithos={PITHOS_SERVICE_TOKEN}");
    stop.wait().await;
    tracing::info!("stopping");
    sim.stop().await;
    ExitCode::SUCCESS
}

/// Ctrl-C and (on Unix) SIGTERM, registered as soon as this is built.
struct StopSignals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    fn install() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = signal(SignalKind::terminate())
                .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)))
                .ok();
            StopSignals { streams }
        }
        #[cfg(not(unix))]
        {
            StopSignals {}
        }
    }

    /// Resolves when a stop signal arrives.
    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut term, mut interrupt)) = self.streams {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

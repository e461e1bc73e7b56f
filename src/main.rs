//! `shandian`: reads the command line, sets up logging, and opens the window.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use shandian::core::keys::secrets::Keyring;
use shandian::core::store::dirs::DataRoot;
use shandian::core::store::settings as config;
use shandian::core::Network;
use shandian::fl;
use shandian::ui;

/// Shandian (闪电), a desktop Lightning wallet.
///
/// With no options it opens the wallet used last time, or on first run starts on regtest with a
/// local chain it sets up itself.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Network to use: regtest, signet, testnet or mainnet. Each has its own wallet and folder.
    #[arg(long, value_parser = parse_network)]
    network: Option<Network>,
    /// Folder for Shandian's data (default: the OS data folder, e.g. ~/.local/share/shandian).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Electrum server, as tcp://host:port or ssl://host:port. On regtest, without it Shandian
    /// starts its own local chain.
    #[arg(long, value_name = "URL", value_parser = parse_electrum)]
    electrum: Option<String>,
    /// The screen to show first once the wallet is open.
    #[arg(long, value_enum, value_name = "SCREEN")]
    show: Option<ui::shell::Tab>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The Lab, from a terminal.
    #[command(subcommand)]
    Lab(LabCommand),
}

#[derive(Debug, clap::Subcommand)]
enum LabCommand {
    /// Runs a scenario file (see docs/scenarios.md) on a Lab of its own: a local chain, lab
    /// nodes and a throwaway wallet, all in a temporary folder removed afterwards, with no
    /// window. Exits 0 when every step passed, 1 with the failed step's sentence, 2 when the
    /// file or the Lab cannot be used.
    Run {
        /// The scenario's TOML file.
        file: PathBuf,
        /// Keep the Lab's folder (the chain, each lab node's store and LDK log, the wallet) in
        /// this new folder, for a look afterwards.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
}

fn parse_network(s: &str) -> Result<Network, String> {
    s.parse()
        .map_err(|e: shandian::core::network::UnknownNetwork| e.to_string())
}

fn parse_electrum(s: &str) -> Result<String, String> {
    config::validate_electrum_url(s).map_err(|e| e.to_string())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Lab(LabCommand::Run { file, keep })) = &cli.command {
        // Progress goes to the terminal; LDK's chatter only when asked for (RUST_LOG).
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
        std::process::exit(run_scenario(file, keep.as_deref()));
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();

    if !has_display() {
        eprintln!("{}", fl!("no-display"));
        std::process::exit(2);
    }

    let root = match cli.data_dir {
        Some(dir) => DataRoot::at(dir),
        None => DataRoot::os_default().context("finding the data folder")?,
    };
    let window = shandian::core::store::window::WindowPlace::load(&root)
        .unwrap_or(shandian::core::store::window::WindowPlace::DEFAULT);
    ui::errors::set_started_from_terminal(std::io::IsTerminal::is_terminal(&std::io::stdin()));
    let startup = ui::Startup {
        window,
        root,
        network: cli.network,
        lab_tools: shandian::lab::chain::tools_dir().is_ok(),
        electrum: cli.electrum,
        keyring: Keyring::Os,
        first_tab: cli.show,
    };
    ui::run(startup).context("running the window")?;
    Ok(())
}

/// Runs a scenario file headless; the process's exit code.
fn run_scenario(file: &std::path::Path, keep: Option<&std::path::Path>) -> i32 {
    use shandian::lab::scenario::{run_file, Progress, ScenarioError};
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    println!("scenario {}", file.display());
    let outcome = runtime.block_on(run_file(file, keep, |scenario, p| match p {
        Progress::Started { index, total } => {
            println!("[{index}/{total}] {}", scenario.steps[index - 1]);
        }
        Progress::Passed { secs, .. } => println!("      ok ({secs:.1} s)"),
    }));
    // A blocking call stuck on a stopped server must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_secs(10));
    match outcome {
        Ok(()) => {
            println!("passed");
            0
        }
        Err(e @ ScenarioError::Step { .. }) => {
            eprintln!("failed: {e}");
            1
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// iced panics without a display server; say so in words instead.
fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

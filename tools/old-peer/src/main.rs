//! A Lightning peer on LDK Node 0.6 (LDK 0.1), which does not offer splicing: the tests open a
//! channel with it and check that the wallet refuses a splice in words before anything is
//! signed. It runs on regtest against the tests' Electrum server and is driven one line at a
//! time on stdin; each command answers one line on stdout:
//!
//! - `address` → `address <a new on-chain address>`
//! - `balance` → `balance <spendable on-chain sat>` (after a sync)
//! - `channels` → `channels <channels ready to pay over>` (after a sync)
//! - `stop` (or stdin closed) → stops the node and exits.
//!
//! It starts with `shandian-old-peer <storage dir> <electrum url> <listening port>` and prints
//! `ready <node id>` once it listens. A failure prints `error <what>` and exits non-zero.

use std::io::BufRead;
use std::str::FromStr;

use ldk_node::bitcoin::Network;
use ldk_node::lightning::ln::msgs::SocketAddress;
use ldk_node::{Builder, Node};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, electrum, port] = args.as_slice() else {
        fail("usage: shandian-old-peer <storage dir> <electrum url> <listening port>");
    };
    let node = start(dir, electrum, port).unwrap_or_else(|e| fail(&e));
    println!("ready {}", node.node_id());
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let answer = match line.trim() {
            "address" => node
                .onchain_payment()
                .new_address()
                .map(|a| format!("address {a}"))
                .map_err(|e| e.to_string()),
            "balance" => node
                .sync_wallets()
                .map(|()| {
                    let sat = node.list_balances().spendable_onchain_balance_sats;
                    format!("balance {sat}")
                })
                .map_err(|e| e.to_string()),
            "channels" => node
                .sync_wallets()
                .map(|()| {
                    let usable = node.list_channels().iter().filter(|c| c.is_usable).count();
                    format!("channels {usable}")
                })
                .map_err(|e| e.to_string()),
            "stop" => break,
            other => Err(format!("unknown command {other:?}")),
        };
        match answer {
            Ok(a) => println!("{a}"),
            Err(e) => println!("error {e}"),
        }
    }
    let _ = node.stop();
}

fn start(dir: &str, electrum: &str, port: &str) -> Result<Node, String> {
    let listen = SocketAddress::from_str(&format!("127.0.0.1:{port}"))
        .map_err(|e| format!("listening address: {e:?}"))?;
    let mut builder = Builder::new();
    builder
        .set_network(Network::Regtest)
        .set_storage_dir_path(dir.to_string())
        .set_chain_source_electrum(electrum.to_string(), None)
        .set_listening_addresses(vec![listen])
        .map_err(|e| format!("listening address: {e}"))?;
    let node = builder.build().map_err(|e| format!("build: {e}"))?;
    node.start().map_err(|e| format!("start: {e}"))?;
    Ok(node)
}

fn fail(what: &str) -> ! {
    println!("error {what}");
    std::process::exit(1)
}

//! A loopback Electrum proxy in front of the test's real electrs that answers fee estimates with
//! a fixed rate and passes everything else through untouched.
//!
//! It stands in for one thing that cannot happen on a local regtest chain: a peer whose fee
//! estimator disagrees with ours (Electrum funds its regtest channels at a fixed 45,000 sat/kW;
//! on mainnet, another implementation's estimate in a fee spike). Bitcoin Core has no fee
//! estimates on a fresh regtest chain, so both nodes would otherwise agree on 1 sat/vB. Only the
//! peer talks through the proxy; our wallet uses electrs directly.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

pub struct FeeProxy {
    url: String,
}

impl FeeProxy {
    /// Listens on a free loopback port in front of `upstream` (`tcp://host:port`); every
    /// `blockchain.estimatefee` is answered with `btc_per_kvb`.
    pub fn start(upstream: &str, btc_per_kvb: f64) -> FeeProxy {
        let upstream = upstream
            .strip_prefix("tcp://")
            .expect("a tcp:// Electrum url")
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let upstream = upstream.clone();
                std::thread::spawn(move || serve(client, &upstream, btc_per_kvb));
            }
        });
        FeeProxy { url }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }
}

/// One client connection: requests are JSON lines; estimates are answered here, the rest goes
/// to electrs, whose lines (answers and notifications) go back as they come.
fn serve(client: TcpStream, upstream: &str, btc_per_kvb: f64) {
    let Ok(server) = TcpStream::connect(upstream) else {
        return;
    };
    let to_client = Arc::new(Mutex::new(client.try_clone().unwrap()));
    let back = to_client.clone();
    let server_reader = server.try_clone().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(server_reader).lines() {
            let Ok(line) = line else { return };
            let mut c = back.lock().unwrap();
            if writeln!(c, "{line}").is_err() {
                return;
            }
        }
    });
    let mut to_server = server;
    for line in BufReader::new(client).lines() {
        let Ok(line) = line else { break };
        let request: Option<serde_json::Value> = serde_json::from_str(&line).ok();
        let answered_here = request.as_ref().and_then(|r| {
            (r["method"] == "blockchain.estimatefee").then(
                || serde_json::json!({"jsonrpc": "2.0", "id": r["id"], "result": btc_per_kvb}),
            )
        });
        let sent = match answered_here {
            Some(answer) => writeln!(to_client.lock().unwrap(), "{answer}"),
            None => writeln!(to_server, "{line}"),
        };
        if sent.is_err() {
            break;
        }
    }
    let _ = to_server.shutdown(std::net::Shutdown::Both);
}

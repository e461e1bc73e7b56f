//! A loopback Electrum proxy in front of the test's real electrs, for two things that cannot
//! happen on a local regtest chain with a healthy electrs:
//!
//! - **A peer whose fee estimator disagrees with ours**: with a fee rate set, every
//!   `blockchain.estimatefee` is answered here with it (Electrum funds its regtest channels at a
//!   fixed 45,000 sat/kW; on mainnet, another implementation's estimate in a fee spike). Bitcoin
//!   Core has no fee estimates on a fresh regtest chain, so both nodes would otherwise agree on
//!   1 sat/vB. Only the peer talks through such a proxy; our wallet uses electrs directly.
//! - **A server that answers a ping and fee questions but drops the sync's** (a busy public
//!   server with its fee estimates cached; a request lost on a connection that went half-dead):
//!   while [`ElectrumProxy::hold`] is on, requests other than `server.ping` and fee estimates
//!   are kept and never answered, not even after the hold.
//!
//! Everything else passes through untouched: requests are JSON lines, and electrs's lines
//! (answers and notifications) go back as they come.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::start_peer_on;
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::{PeerNode, PeerOptions};

/// Electrum's commitment fee rate on regtest, and where a fee spike takes other nodes:
/// 45,000 sat per 1000 weight units is 180 sat/vB, 0.0018 BTC/kvB.
pub const HIGH_FEERATE_BTC_PER_KVB: f64 = 0.0018;
pub const HIGH_FEERATE_SAT_PER_KW: u32 = 45_000;

pub struct ElectrumProxy {
    url: String,
    holding: Arc<AtomicBool>,
}

impl ElectrumProxy {
    /// Listens on a free loopback port in front of `upstream` (`tcp://host:port`); with
    /// `btc_per_kvb`, every `blockchain.estimatefee` is answered with it.
    pub fn start(upstream: &str, btc_per_kvb: Option<f64>) -> ElectrumProxy {
        let upstream = upstream
            .strip_prefix("tcp://")
            .expect("a tcp:// Electrum url")
            .to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://{}", listener.local_addr().unwrap());
        let holding = Arc::new(AtomicBool::new(false));
        let hold = holding.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let (upstream, hold) = (upstream.clone(), hold.clone());
                std::thread::spawn(move || serve(client, &upstream, btc_per_kvb, &hold));
            }
        });
        ElectrumProxy { url, holding }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// From now on, keeps every request but a ping and fee estimates unanswered (`true`), or
    /// passes them again.
    pub fn hold(&self, on: bool) {
        self.holding.store(on, Ordering::SeqCst);
    }
}

/// A peer without anchor channels whose fee estimator says 180 sat/vB (through a proxy), while
/// ours (a fresh regtest chain) says 1 sat/vB. Keep the proxy as long as the peer.
pub async fn high_feerate_peer(chain: &Arc<LocalChain>) -> (Arc<PeerNode>, ElectrumProxy) {
    let proxy = ElectrumProxy::start(&chain.electrum_url(), Some(HIGH_FEERATE_BTC_PER_KVB));
    let options = PeerOptions {
        without_anchors: true,
        ..PeerOptions::default()
    };
    (
        start_peer_on(chain, &proxy.url(), options, true).await,
        proxy,
    )
}

/// One client connection.
fn serve(client: TcpStream, upstream: &str, btc_per_kvb: Option<f64>, holding: &AtomicBool) {
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
        let method = request.as_ref().map(|r| r["method"].clone());
        let answered_while_held = method.as_ref().is_some_and(|m| {
            [
                "server.ping",
                "blockchain.estimatefee",
                "blockchain.relayfee",
            ]
            .contains(&m.as_str().unwrap_or(""))
        });
        if holding.load(Ordering::SeqCst) && !answered_while_held {
            continue;
        }
        let answered_here = request.as_ref().and_then(|r| {
            let rate = btc_per_kvb.filter(|_| r["method"] == "blockchain.estimatefee")?;
            Some(serde_json::json!({"jsonrpc": "2.0", "id": r["id"], "result": rate}))
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

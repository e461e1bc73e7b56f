//! Whether the Electrum server answers, watched over a connection of our own: LDK Node only logs
//! a failed background sync, so without this a person would see stale balances and no reason.
//! A server that comes back is noticed within a few seconds and the wallet syncs at once.

use std::sync::Mutex;
use std::time::Duration;

use electrum_client::{Client, ConfigBuilder, ElectrumApi};

/// How often the server is asked whether it is there.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(2);
/// How long one check may wait for an answer (seconds).
const TIMEOUT_SECS: u8 = 3;

/// What Home shows about the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerStatus {
    /// The server's address, as configured.
    pub url: String,
    /// Unix seconds since when the server has not answered; `None` while it answers.
    pub unreachable_since: Option<u64>,
}

/// What a check found, when it differs from the check before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    WentAway,
    CameBack,
}

/// A transaction paying one of our scripts, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptPayment {
    pub txid: String,
    /// The transaction's first output paying the script.
    pub vout: u32,
    pub amount_sat: u64,
    /// 0 while in the mempool.
    pub confirmations: u32,
}

pub struct ServerWatch {
    url: String,
    client: Mutex<Option<Client>>,
    status: Mutex<ServerStatus>,
}

impl std::fmt::Debug for ServerWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerWatch")
            .field("url", &self.url)
            .finish()
    }
}

impl ServerWatch {
    pub fn new(url: &str) -> Self {
        ServerWatch {
            url: url.to_string(),
            client: Mutex::new(None),
            status: Mutex::new(ServerStatus {
                url: url.to_string(),
                unreachable_since: None,
            }),
        }
    }

    pub fn status(&self) -> ServerStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs `f` on the watch's connection (made afresh when the last one broke); `None` when no
    /// connection could be made. A call that failed with a transport error drops the
    /// connection, so the next call connects again.
    fn with_client<T>(
        &self,
        f: impl FnOnce(&Client) -> Result<T, electrum_client::Error>,
    ) -> Option<Result<T, electrum_client::Error>> {
        let mut client = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if client.is_none() {
            let config = ConfigBuilder::new()
                .timeout(Some(TIMEOUT_SECS))
                .retry(0)
                .build();
            *client = Client::from_config(&self.url, config).ok();
        }
        let result = f(client.as_ref()?);
        if matches!(&result, Err(e) if !matches!(e, electrum_client::Error::Protocol(_))) {
            *client = None;
        }
        Some(result)
    }

    /// Whether the server has the transaction (in its mempool or a block); `None` when it could
    /// not be asked. Blocks for at most a few seconds: call from `spawn_blocking`.
    pub fn has_transaction(&self, txid: &ldk_node::bitcoin::Txid) -> Option<bool> {
        match self.with_client(|c| c.transaction_get_raw(txid))? {
            Ok(_) => Some(true),
            // The server answered: it does not know the transaction.
            Err(electrum_client::Error::Protocol(_)) => Some(false),
            Err(_) => None,
        }
    }

    /// Every transaction paying `script` that the server knows, with what it paid to it and
    /// its confirmations as of the server's own tip (0: in the mempool); `None` when the
    /// server could not be asked. Blocks for at most a few seconds per call.
    pub fn payments_to(
        &self,
        script: &ldk_node::bitcoin::Script,
    ) -> Option<Result<Vec<ScriptPayment>, electrum_client::Error>> {
        self.with_client(|c| {
            let tip = c.block_headers_subscribe()?.height;
            // Notifications of later blocks are not wanted here.
            while c.block_headers_pop()?.is_some() {}
            let mut found = Vec::new();
            for h in c.script_get_history(script)? {
                let tx = c.transaction_get(&h.tx_hash)?;
                let amount_sat = tx
                    .output
                    .iter()
                    .filter(|o| o.script_pubkey.as_script() == script)
                    .map(|o| o.value.to_sat())
                    .sum();
                let vout = tx
                    .output
                    .iter()
                    .position(|o| o.script_pubkey.as_script() == script)
                    .unwrap_or(0) as u32;
                let confirmations = match usize::try_from(h.height) {
                    Ok(height) if height > 0 => (tip + 1).saturating_sub(height) as u32,
                    _ => 0,
                };
                found.push(ScriptPayment {
                    txid: h.tx_hash.to_string(),
                    vout,
                    amount_sat,
                    confirmations,
                });
            }
            Ok(found)
        })
    }

    /// Hands a transaction of our own making (a swap's claim or refund) to the server; `None`
    /// when it could not be asked. Blocks for at most a few seconds.
    pub fn broadcast(
        &self,
        tx: &ldk_node::bitcoin::Transaction,
    ) -> Option<Result<ldk_node::bitcoin::Txid, electrum_client::Error>> {
        self.with_client(|c| c.transaction_broadcast(tx))
    }

    /// The lowest fee rate the server's node relays, in sat/vB (rounded up); `None` when it
    /// could not be asked or has no answer.
    pub fn min_relay_fee_sat_vb(&self) -> Option<u64> {
        let btc_per_kvb = self.with_client(|c| c.relay_fee())?.ok()?;
        // BTC per 1000 vB -> sat per vB.
        let sat_vb = btc_per_kvb * 100_000_000.0 / 1000.0;
        (sat_vb.is_finite() && sat_vb >= 0.0).then(|| sat_vb.ceil() as u64)
    }

    /// Asks the server for a ping (connecting again if the last connection broke). Blocks for
    /// at most a few seconds: call from `spawn_blocking`.
    pub fn check(&self) -> Option<Change> {
        let answered = matches!(self.with_client(|c| c.ping()), Some(Ok(())));
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        match (answered, status.unreachable_since) {
            (false, None) => {
                log::warn!("the Electrum server {} does not answer", self.url);
                status.unreachable_since = Some(crate::core::shared::now());
                Some(Change::WentAway)
            }
            (true, Some(_)) => {
                log::info!("the Electrum server {} answers again", self.url);
                status.unreachable_since = None;
                Some(Change::CameBack)
            }
            _ => None,
        }
    }
}

/// Whether the server at `url` answers a ping on a connection of its own, made for this
/// question (not LDK Node's, which a stalled call may still hold). Blocks for at most a few
/// seconds: call from a blocking thread.
pub fn answers(url: &str) -> bool {
    ping(url).is_ok()
}

/// Asks the server at `url` for a ping on a connection of its own; the reason when it does not
/// answer. Blocks for at most a few seconds: call from a blocking thread.
pub fn ping(url: &str) -> Result<(), String> {
    let config = ConfigBuilder::new()
        .timeout(Some(TIMEOUT_SECS))
        .retry(0)
        .build();
    let client = Client::from_config(url, config).map_err(|e| e.to_string())?;
    client.ping().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_that_never_answers_is_unreachable_since_the_first_check() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("tcp://127.0.0.1:{}", listener.local_addr().unwrap().port());
        drop(listener);
        let watch = ServerWatch::new(&url);
        assert_eq!(watch.check(), Some(Change::WentAway));
        let since = watch.status().unreachable_since.expect("unreachable");
        // Still away: no new change, the first moment is kept.
        assert_eq!(watch.check(), None);
        assert_eq!(watch.status().unreachable_since, Some(since));
    }
}

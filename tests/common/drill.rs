//! The crash drills' harness: one chain, one peer, one wallet folder, and the headless wallet
//! (`shandian-drill`) running on it in a child process, read through its `state` JSON.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value;
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::PeerNode;

use super::child::DrillWallet;
use super::*;

pub const CAPACITY_SAT: u64 = 1_000_000;

/// One chain, one peer, one wallet folder, and the child process running the wallet on it.
pub struct Drill {
    pub chain: Arc<LocalChain>,
    pub peer: Arc<PeerNode>,
    pub data: std::path::PathBuf,
    /// Removes the folder at the end, unless SHANDIAN_DRILL_KEEP is set (to read the wallet's
    /// LDK log after a failure; the folder is printed).
    _data: Option<tempfile::TempDir>,
    wallet: Option<DrillWallet>,
    /// SIGKILLs so far (each followed by the checks) and satoshis that went missing across all
    /// of them (must be 0).
    pub kills: u32,
    pub lost_sat: i64,
}

impl Drill {
    pub async fn new() -> Self {
        let chain = start_chain().await;
        let peer = start_peer(&chain).await;
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().to_path_buf();
        let tmp = match std::env::var_os("SHANDIAN_DRILL_KEEP") {
            Some(_) => {
                eprintln!("drill wallet folder (kept): {}", tmp.keep().display());
                None
            }
            None => Some(tmp),
        };
        let wallet = DrillWallet::start(&data, &chain.electrum_url(), true);
        wallet.expect("ready ");
        let mut d = Drill {
            chain,
            peer,
            data,
            _data: tmp,
            wallet: Some(wallet),
            kills: 0,
            lost_sat: 0,
        };
        let address = d.ask("address", "address ");
        on_chain(&d.chain, move |c| c.fund(&address)).await.unwrap();
        d.wait_state("the coinbase", |s| {
            s["onchain_spendable_sat"].as_u64() > Some(0)
        })
        .await;
        d
    }

    pub fn wallet(&mut self) -> &mut DrillWallet {
        self.wallet.as_mut().expect("the wallet runs")
    }

    /// Sends a command and returns the rest of the answer line starting with `prefix`.
    pub fn ask(&mut self, command: &str, prefix: &str) -> String {
        tokio::task::block_in_place(|| {
            let w = self.wallet();
            w.send(command);
            let line = w.next_line().expect("the wallet answers");
            match line.strip_prefix(prefix) {
                Some(rest) => rest.trim().to_string(),
                None => panic!("{command}: expected {prefix:?}, got {line:?}"),
            }
        })
    }

    pub fn state(&mut self) -> Value {
        serde_json::from_str(&self.ask("state", "state ")).unwrap()
    }

    /// Syncs and reads the wallet's state until `check` holds.
    pub async fn wait_state(&mut self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            // A timed-out sync round is tolerated, as in the other regtest tests.
            tokio::task::block_in_place(|| {
                let w = self.wallet();
                w.send("sync");
                let _ = w.next_line();
            });
            let s = self.state();
            if check(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {s:#}"
            );
        }
    }

    /// Arms the kill point, runs `start` (which makes the wallet write), waits for the
    /// `killpoint` line, then SIGKILL; the wallet is started again on the same folder.
    pub fn kill_at(
        &mut self,
        primary: &str,
        secondary: &str,
        key: &str,
        n: u32,
        start: &str,
    ) -> String {
        self.ask(&format!("kill-at {primary} {secondary} {key} {n}"), "armed");
        tokio::task::block_in_place(|| {
            let w = self.wallet();
            w.send(start);
            let point = w.expect("killpoint ");
            self.wallet.take().unwrap().kill9();
            self.restart();
            point
        })
    }

    /// SIGKILL now, wherever the wallet is.
    pub fn kill_now(&mut self) {
        self.wallet.take().unwrap().kill9();
        self.restart();
    }

    pub fn restart(&mut self) {
        self.kills += 1;
        let w = DrillWallet::start(&self.data, &self.chain.electrum_url(), false);
        w.expect("ready ");
        self.wallet = Some(w);
    }

    /// Opens a channel to the peer and mines until both sides can use it; its id.
    pub async fn open_channel(&mut self) -> String {
        let id = self.ask(
            &format!("open {} {CAPACITY_SAT} 0", self.peer.uri()),
            "opened ",
        );
        let s = self
            .wait_state("the funding transaction", |s| {
                channel(s, &id).is_some_and(|c| !c["funding"].is_null())
            })
            .await;
        let funding = channel(&s, &id).unwrap()["funding"]
            .as_str()
            .unwrap()
            .to_string();
        wait_for_tx(&self.chain, funding.split(':').next().unwrap()).await;
        mine(&self.chain, 6).await;
        self.wait_state("the channel to be active", |s| {
            channel(s, &id).is_some_and(|c| c["status"] == "Active")
        })
        .await;
        wait_for_peer(&self.peer, "the peer to use the channel", |n| {
            n.list_channels().iter().any(|c| c.is_usable)
        })
        .await;
        id
    }

    /// After a restart: the channels that were active are active again with the same ids (no
    /// force close), the payment ended exactly once, and the totals moved by exactly what the
    /// payment moved. Returns whether it succeeded.
    pub async fn check_payment(
        &mut self,
        before: &Value,
        payment_id: &str,
        incoming: bool,
        amount_sat: u64,
        point: &str,
    ) -> bool {
        let active = active_channels(before);
        let after = self
            .wait_state(
                &format!("the payment to end after a kill at {point}"),
                |s| {
                    active
                        .iter()
                        .all(|id| channel(s, id).is_some_and(|c| c["status"] == "Active"))
                        && payments(s, payment_id)
                            .iter()
                            .all(|p| p["status"] == "Succeeded" || p["status"] == "Failed")
                        && channels_settled(s)
                },
            )
            .await;
        assert_eq!(
            after["channels"].as_array().unwrap().len(),
            before["channels"].as_array().unwrap().len(),
            "no channel appeared or vanished ({point})"
        );
        let found = payments(&after, payment_id);
        // An outgoing payment killed before LDK recorded it may be absent: then it never left.
        assert!(
            found.len() == 1 || (found.is_empty() && !incoming),
            "payment {payment_id} recorded {} times after a kill at {point}",
            found.len()
        );
        let succeeded = found.first().is_some_and(|p| p["status"] == "Succeeded");
        println!(
            "kill at {point}: payment {}",
            match found.first() {
                None => "never left".to_string(),
                Some(p) => p["status"].as_str().unwrap_or("?").to_lowercase(),
            }
        );
        let fee_sat = found
            .first()
            .and_then(|p| p["fee_msat"].as_u64())
            .unwrap_or(0)
            / 1000;
        let moved = if !succeeded {
            0
        } else if incoming {
            amount_sat as i64
        } else {
            -((amount_sat + fee_sat) as i64)
        };
        let expected = before["holdings_sat"].as_i64().unwrap() + moved;
        let actual = after["holdings_sat"].as_i64().unwrap();
        self.lost_sat += expected - actual;
        assert_eq!(
            actual, expected,
            "totals after a kill at {point}: before {before:#}, after {after:#}"
        );
        succeeded
    }

    /// After a kill with no payment under way: every channel active again, no payment came or
    /// went, the totals did not move.
    pub async fn check_quiet(&mut self, before: &Value, point: &str) {
        let active = active_channels(before);
        let after = self
            .wait_state(&format!("the channels after a kill at {point}"), |s| {
                active
                    .iter()
                    .all(|id| channel(s, id).is_some_and(|c| c["status"] == "Active"))
                    && channels_settled(s)
            })
            .await;
        let settled = |s: &Value| {
            s["payments"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["status"] != "Pending")
                .count()
        };
        assert_eq!(
            settled(&after),
            settled(before),
            "no payment moved ({point})"
        );
        let lost =
            before["holdings_sat"].as_i64().unwrap() - after["holdings_sat"].as_i64().unwrap();
        self.lost_sat += lost;
        assert_eq!(
            lost, 0,
            "totals after a kill at {point}: {before:#} / {after:#}"
        );
    }

    pub async fn finish(mut self, name: &str) {
        println!(
            "{name}: kill points survived: {}, sat lost: {}",
            self.kills, self.lost_sat
        );
        assert_eq!(self.lost_sat, 0);
        if let Some(w) = self.wallet.take() {
            tokio::task::block_in_place(|| assert_eq!(w.stop(), 0));
        }
        stop_peer(&self.peer).await;
    }
}

pub fn channel<'a>(s: &'a Value, id: &str) -> Option<&'a Value> {
    s["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
}

pub fn active_channels(s: &Value) -> Vec<String> {
    s["channels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "Active")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn payments<'a>(s: &'a Value, id: &str) -> Vec<&'a Value> {
    s["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == id)
        .collect()
}

/// No HTLC in flight on any channel.
pub fn channels_settled(s: &Value) -> bool {
    s["channels"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["htlc_sat"] == 0)
}

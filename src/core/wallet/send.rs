//! Sending on chain, honestly: LDK Node signs the transaction and hands it to its broadcast
//! queue, then returns at once; the Electrum server's answer only reaches its log (and LDK Node
//! 0.7.1 logs a refused broadcast as a success there). So the wallet asks the server itself
//! whether it has the transaction before anyone says "Sent".

use std::sync::Arc;
use std::time::Duration;

use ldk_node::bitcoin::{FeeRate, Txid};
use ldk_node::lightning::ln::channelmanager::PaymentId;

use crate::core::input::{OnchainSendPlan, SendAmount};
use crate::core::wallet::Wallet;
use crate::core::Error;
use crate::core::{blocking, NodeError};

/// How long the server gets to take a transaction in. LDK Node gives its broadcast five seconds;
/// the rest is for the queue and for a slow server.
const BROADCAST_WAIT: Duration = Duration::from_secs(20);
/// How often the server is asked during that wait.
const BROADCAST_POLL: Duration = Duration::from_millis(250);

/// What a send returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOutcome {
    pub txid: String,
    pub sent_sat: u64,
    /// Known when the wallet already booked the transaction.
    pub fee_sat: Option<u64>,
    /// The fee rate it was built with (sat/vB).
    pub fee_rate_sat_vb: u64,
}

/// Whether the Electrum server took a transaction in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastOutcome {
    /// The server has it: it is on its way to the miners. The fee, once the wallet has booked
    /// the transaction.
    Accepted { fee_sat: Option<u64> },
    /// The server answered, and does not have it: it refused it, and nothing left the wallet
    /// (the coins stay spendable). LDK Node 0.7.1 does not pass on the server's reason; when
    /// the fee rate was below the lowest the server relays, that is the reason.
    NotTaken {
        fee_rate_sat_vb: u64,
        /// The server's minimum relay fee rate, when it said.
        min_relay_sat_vb: Option<u64>,
    },
    /// The server could not be asked: whether it has the transaction is unknown.
    NoAnswer,
}

impl BroadcastOutcome {
    /// True when the fee rate was below what the server relays.
    pub fn fee_too_low(&self) -> bool {
        matches!(self, BroadcastOutcome::NotTaken { fee_rate_sat_vb, min_relay_sat_vb: Some(min) } if fee_rate_sat_vb < min)
    }
}

impl Wallet {
    /// Signs a checked on-chain payment and hands it to LDK Node's broadcast queue. Whether the
    /// server took it is [`Wallet::await_broadcast`]'s to say.
    pub async fn send_onchain(
        self: &Arc<Self>,
        plan: OnchainSendPlan,
    ) -> Result<SendOutcome, Error> {
        let node = self.node.clone();
        let network = self.network;
        blocking(move || {
            let address = crate::core::input::parse_address(&plan.address, network)?;
            let fee_rate = FeeRate::from_sat_per_vb(plan.fee_rate_sat_vb);
            let onchain = node.onchain_payment();
            let txid = match plan.amount {
                SendAmount::Exact { amount_sat } => {
                    onchain.send_to_address(&address, amount_sat, fee_rate)
                }
                SendAmount::All => onchain.send_all_to_address(&address, true, fee_rate),
            }
            .map_err(NodeError::Ldk)?;
            let booked = node.payment(&PaymentId(txid_bytes(&txid)));
            let fee_sat = booked_fee_sat(booked.as_ref());
            let sent_sat = booked
                .and_then(|p| p.amount_msat)
                .map(|m| m / 1000)
                .unwrap_or(plan.send_sat);
            Ok(SendOutcome {
                txid: txid.to_string(),
                sent_sat,
                fee_sat,
                fee_rate_sat_vb: plan.fee_rate_sat_vb,
            })
        })
        .await
    }

    /// Waits until the Electrum server has the sent transaction, or says it does not after a
    /// while, or cannot be asked. A transaction the server took syncs into the wallet at once,
    /// so Activity and the balances show it.
    pub async fn await_broadcast(self: &Arc<Self>, sent: &SendOutcome) -> BroadcastOutcome {
        let Ok(txid) = sent.txid.parse::<Txid>() else {
            return BroadcastOutcome::NoAnswer;
        };
        let deadline = tokio::time::Instant::now() + BROADCAST_WAIT;
        let mut answered = false;
        loop {
            let wallet = self.clone();
            let has = tokio::task::spawn_blocking(move || wallet.server.has_transaction(&txid))
                .await
                .ok()
                .flatten();
            match has {
                Some(true) => {
                    if let Err(e) = self.sync().await {
                        log::warn!("sync after a broadcast: {e}");
                    }
                    let node = self.node.clone();
                    let fee_sat = tokio::task::spawn_blocking(move || {
                        booked_fee_sat(node.payment(&PaymentId(txid_bytes(&txid))).as_ref())
                    })
                    .await
                    .ok()
                    .flatten();
                    return BroadcastOutcome::Accepted { fee_sat };
                }
                Some(false) => answered = true,
                None => {}
            }
            if tokio::time::Instant::now() >= deadline {
                break;
            }
            // Not a wait for a test: the server has no notification for "I took your
            // transaction", so it is asked again.
            tokio::time::sleep(BROADCAST_POLL).await;
        }
        if !answered {
            log::warn!("no answer from the server about transaction {txid}");
            return BroadcastOutcome::NoAnswer;
        }
        let wallet = self.clone();
        let min_relay_sat_vb =
            tokio::task::spawn_blocking(move || wallet.server.min_relay_fee_sat_vb())
                .await
                .ok()
                .flatten();
        log::warn!(
            "the server did not take transaction {txid} ({} sat/vB; it relays from {min_relay_sat_vb:?})",
            sent.fee_rate_sat_vb
        );
        BroadcastOutcome::NotTaken {
            fee_rate_sat_vb: sent.fee_rate_sat_vb,
            min_relay_sat_vb,
        }
    }
}

/// The fee of a transaction the wallet has booked, in satoshis.
fn booked_fee_sat(booked: Option<&ldk_node::payment::PaymentDetails>) -> Option<u64> {
    booked.and_then(|p| p.fee_paid_msat).map(|m| m / 1000)
}

fn txid_bytes(txid: &Txid) -> [u8; 32] {
    use ldk_node::bitcoin::hashes::Hash;
    txid.to_byte_array()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fee_below_the_relay_minimum_is_named() {
        let low = BroadcastOutcome::NotTaken {
            fee_rate_sat_vb: 2,
            min_relay_sat_vb: Some(5),
        };
        assert!(low.fee_too_low());
        let other = BroadcastOutcome::NotTaken {
            fee_rate_sat_vb: 9,
            min_relay_sat_vb: Some(5),
        };
        assert!(!other.fee_too_low());
        let unknown = BroadcastOutcome::NotTaken {
            fee_rate_sat_vb: 2,
            min_relay_sat_vb: None,
        };
        assert!(!unknown.fee_too_low());
        assert!(!BroadcastOutcome::Accepted { fee_sat: None }.fee_too_low());
    }
}

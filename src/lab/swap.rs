//! The Lab's side of a swap between chain and Lightning, by a small protocol (no messages on a
//! wire: the test or the panel hands each side what the other made):
//!
//! *To Lightning* (the wallet has on-chain coins and wants them in Lightning): the lab node
//! gives its swap key; the wallet makes an invoice and funds an on-chain HTLC locked to the
//! invoice's payment hash (the lab node's key with the preimage, the wallet's after the refund
//! height) and hands over a [`SwapOffer`]. The lab node checks the HTLC on chain (its key, the
//! amount, the address), pays the invoice over Lightning, and with the preimage the payment
//! reveals claims the HTLC. Neither side can cheat: the lab node pays before it can claim, and
//! the preimage that settles its payment is the one thing that lets it claim; if it never pays,
//! the wallet takes the HTLC back after the refund height.

use std::sync::Arc;

use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1};
use ldk_node::bitcoin::{consensus, Address, Amount, Network, OutPoint, Txid};
use ldk_node::payment::PaymentKind;
use serde_json::json;

use crate::core::swap::htlc::Spend;
use crate::core::wallet::SwapOffer;
use crate::lab::chain::{LabError, LocalChain};
use crate::lab::off_thread;
use crate::lab::peer::PeerNode;

/// How long the lab node waits for its payment of the wallet's invoice.
const PAY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

impl PeerNode {
    /// The key the node's side of a swap uses.
    pub fn swap_public_key(&self) -> PublicKey {
        PublicKey::from_secret_key(&Secp256k1::signing_only(), &self.swap_key)
    }
}

/// Lab node `peer` takes the wallet's swap to Lightning: checks the HTLC on chain, pays the
/// invoice, and claims the HTLC with the preimage at `fee_rate_sat_vb`. Returns the claim's
/// txid.
pub async fn take_swap_to_lightning(
    peer: Arc<PeerNode>,
    chain: Arc<LocalChain>,
    offer: SwapOffer,
    fee_rate_sat_vb: u64,
) -> Result<String, LabError> {
    if offer.terms.claim_key != peer.swap_public_key() {
        return Err(LabError::Node(
            "the HTLC is not claimable by this node".into(),
        ));
    }
    let address = offer.terms.address(Network::Regtest);
    let (c, txid, script) = (chain.clone(), offer.funding_txid.clone(), address.clone());
    let outpoint = off_thread(move || htlc_output(&c, &txid, &script)).await?;
    if outpoint.1 != Amount::from_sat(offer.amount_sat) {
        return Err(LabError::Node(format!(
            "the HTLC holds {} sat, not the {} sat offered",
            outpoint.1.to_sat(),
            offer.amount_sat
        )));
    }
    let (p, invoice) = (peer.clone(), offer.invoice.clone());
    let id = off_thread(move || p.pay(&invoice, offer.amount_sat)).await?;
    let paid = peer
        .payment_end(&id, PAY_TIMEOUT)
        .await
        .ok_or_else(|| LabError::NodesTimeout("the swap's payment".into()))?;
    if !paid {
        return Err(LabError::PaymentFailed("the swap's invoice".into()));
    }
    let preimage = match peer.node().payment(&id).map(|p| p.kind) {
        Some(PaymentKind::Bolt11 {
            preimage: Some(p), ..
        }) => p.0,
        _ => return Err(LabError::Node("the payment revealed no preimage".into())),
    };
    let to: Address = peer
        .new_address()?
        .parse::<Address<_>>()
        .map_err(|e| LabError::Node(e.to_string()))?
        .assume_checked();
    let claim = offer
        .terms
        .spend(
            outpoint.0,
            outpoint.1,
            to.script_pubkey(),
            fee_rate_sat_vb,
            Spend::Claim {
                preimage: &preimage,
            },
            &peer.swap_key,
        )
        .map_err(|e| LabError::Node(e.to_string()))?;
    let hex = consensus::encode::serialize_hex(&claim);
    off_thread(move || chain.rpc("sendrawtransaction", &[json!(hex)])).await?;
    Ok(claim.compute_txid().to_string())
}

/// The output of transaction `txid` paying `address`, with its value, once bitcoind has it.
fn htlc_output(
    chain: &LocalChain,
    txid: &str,
    address: &Address,
) -> Result<(OutPoint, Amount), LabError> {
    chain.wait_for_mempool(&[txid.to_string()])?;
    let tx = chain.rpc("getrawtransaction", &[json!(txid), json!(true)])?;
    let script = address.script_pubkey().to_hex_string();
    let (vout, out) = tx["vout"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .find(|(_, o)| o["scriptPubKey"]["hex"] == script.as_str())
        .ok_or_else(|| LabError::Node("the transaction does not pay the HTLC".into()))?;
    let sat = (out["value"].as_f64().unwrap_or(0.0) * 100_000_000.0).round() as u64;
    let txid: Txid = txid.parse().map_err(|e| LabError::Rpc(format!("{e}")))?;
    Ok((OutPoint::new(txid, vout as u32), Amount::from_sat(sat)))
}

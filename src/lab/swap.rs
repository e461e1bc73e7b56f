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
//!
//! *To chain* (the wallet has Lightning and wants on-chain coins): the wallet makes a preimage
//! and hands over a [`SwapRequest`] (its hash, the wallet's claim key, the amount); the lab node
//! answers with a hold invoice for that hash and the terms of its HTLC ([`ChainOffer`]: the
//! wallet's key with the preimage, its own after the refund height). The wallet pays the
//! invoice, which the lab node holds; only then does the lab node fund the HTLC. The wallet
//! claims it with the preimage, and the lab node reads the preimage from that claim to settle
//! the held payment. If the lab node never funds, the held payment fails back to the wallet.

use std::sync::Arc;

use ldk_node::bitcoin::hex::FromHex;
use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1};
use ldk_node::bitcoin::{consensus, Address, Amount, Network, OutPoint, Txid};
use ldk_node::payment::PaymentKind;
use serde_json::json;

use crate::core::swap::htlc::HtlcTerms;
use crate::core::swap::htlc::Spend;
use crate::core::wallet::{ChainOffer, SwapOffer, SwapRequest};
use crate::lab::chain::{LabError, LocalChain};
use crate::lab::off_thread;
use crate::lab::peer::PeerNode;
use ldk_node::lightning_types::payment::{PaymentHash, PaymentPreimage};

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

/// Lab node `peer` answers the wallet's swap to chain: a hold invoice for the request's hash
/// and the terms of its HTLC (the wallet's claim key, its own refund key, refundable
/// `refund_after_blocks` from now).
pub async fn offer_swap_to_chain(
    peer: Arc<PeerNode>,
    chain: Arc<LocalChain>,
    request: SwapRequest,
    refund_after_blocks: u32,
) -> Result<ChainOffer, LabError> {
    let height = off_thread(move || chain.height()).await? as u32;
    let terms = HtlcTerms {
        payment_hash: request.payment_hash,
        claim_key: request.claim_key,
        refund_key: peer.swap_public_key(),
        refund_height: height + refund_after_blocks,
    };
    let hash = PaymentHash(request.payment_hash);
    let invoice = off_thread(move || peer.hold_invoice_for(hash, request.amount_sat)).await?;
    Ok(ChainOffer { invoice, terms })
}

/// Once the wallet's payment of the offer's invoice (`amount_sat`) is held here, lab node
/// `peer` funds the HTLC; returns the funding's txid.
pub async fn fund_swap_to_chain(
    peer: Arc<PeerNode>,
    offer: &ChainOffer,
    amount_sat: u64,
) -> Result<String, LabError> {
    let mut events = peer.events();
    tokio::time::timeout(PAY_TIMEOUT, async {
        loop {
            events.mark_unchanged();
            if peer.holds_htlc(amount_sat) {
                return;
            }
            let _ = events.changed().await;
        }
    })
    .await
    .map_err(|_| LabError::NodesTimeout("the wallet's held payment".into()))?;
    let address = offer.terms.address(Network::Regtest);
    let txid = off_thread(move || {
        peer.node()
            .onchain_payment()
            .send_to_address(&address, amount_sat, None)
            .map_err(|e| LabError::Node(format!("funding the HTLC: {e}")))
    })
    .await?;
    Ok(txid.to_string())
}

/// Lab node `peer` reads the preimage from the wallet's claim of the HTLC (funded by
/// `funding_txid`) and settles the held payment of `amount_sat` with it.
pub async fn settle_swap_to_chain(
    peer: Arc<PeerNode>,
    chain: Arc<LocalChain>,
    offer: &ChainOffer,
    funding_txid: String,
    amount_sat: u64,
) -> Result<(), LabError> {
    let address = offer.terms.address(Network::Regtest);
    let hash = offer.terms.payment_hash;
    let preimage = off_thread(move || {
        let (outpoint, _) = htlc_output(&chain, &funding_txid, &address)?;
        let spent = format!("{}:{}", outpoint.txid, outpoint.vout);
        chain.wait_for_spends(std::slice::from_ref(&spent))?;
        let prevout = json!([{ "txid": outpoint.txid.to_string(), "vout": outpoint.vout }]);
        let spender = chain.rpc("gettxspendingprevout", &[prevout])?[0]["spendingtxid"].clone();
        let tx = chain.rpc("getrawtransaction", &[spender, json!(true)])?;
        let witness = tx["vin"][0]["txinwitness"][1].as_str().unwrap_or_default();
        <[u8; 32]>::from_hex(witness)
            .map_err(|_| LabError::Node("the claim shows no preimage".into()))
    })
    .await?;
    peer.node()
        .bolt11_payment()
        .claim_for_hash(
            PaymentHash(hash),
            amount_sat * 1000,
            PaymentPreimage(preimage),
        )
        .map_err(|e| LabError::Node(format!("settling the held payment: {e}")))
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

/// The fee rate of every spend of a Lab swap's HTLC, by either side (sat/vB).
pub const LAB_SWAP_FEE_RATE: u64 = 2;
/// Blocks until the funder of a Lab swap's HTLC may take it back: the wallet's, to Lightning;
/// the lab node's, to chain (which must leave the wallet time to claim).
pub const LAB_SWAP_REFUND_BLOCKS: u32 = 20;

/// How a Lab swap goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwapPlay {
    /// On-chain coins for Lightning, the lab node doing its part.
    ToLightning,
    /// On-chain coins for Lightning, the lab node never paying: the wallet takes its HTLC back
    /// by itself once the chain reaches the refund height.
    ToLightningUnpaid,
    /// Lightning for on-chain coins, the lab node doing its part.
    ToChain,
}

impl crate::lab::Lab {
    /// A whole swap of `amount_sat` between the wallet and lab node `name`, both sides played
    /// here (see the module's notes); returns the swap's payment hash. The wallet claims or
    /// refunds by itself; the blocks the HTLCs need are mined here, the refund's are left to
    /// the tester.
    pub async fn swap(
        self: &Arc<Self>,
        name: &str,
        wallet: &Arc<crate::core::wallet::Wallet>,
        play: SwapPlay,
        amount_sat: u64,
    ) -> Result<String, LabError> {
        use ldk_node::bitcoin::hex::DisplayHex;
        let node = self.node(name)?.online()?;
        match play {
            SwapPlay::ToLightning | SwapPlay::ToLightningUnpaid => {
                let offer = wallet
                    .swap_to_lightning(
                        node.swap_public_key(),
                        amount_sat,
                        LAB_SWAP_REFUND_BLOCKS,
                        LAB_SWAP_FEE_RATE,
                    )
                    .await?;
                let hash = offer.terms.payment_hash.to_lower_hex_string();
                let (c, txid) = (self.chain.clone(), offer.funding_txid.clone());
                off_thread(move || c.wait_for_mempool(&[txid])).await?;
                self.mine(1).await?;
                if play == SwapPlay::ToLightning {
                    let chain = self.chain.clone();
                    take_swap_to_lightning(node, chain, offer, LAB_SWAP_FEE_RATE).await?;
                }
                Ok(hash)
            }
            SwapPlay::ToChain => {
                let request = wallet
                    .swap_to_chain_request(amount_sat, LAB_SWAP_FEE_RATE)
                    .await?;
                let hash = request.payment_hash.to_lower_hex_string();
                let chain = self.chain.clone();
                let offer = offer_swap_to_chain(
                    node.clone(),
                    chain.clone(),
                    request,
                    2 * LAB_SWAP_REFUND_BLOCKS,
                )
                .await?;
                wallet.swap_to_chain_accept(offer.clone()).await?;
                let funding = fund_swap_to_chain(node.clone(), &offer, amount_sat).await?;
                // The wallet claims by itself once its server knows the HTLC; the lab node
                // reads the preimage from that claim.
                settle_swap_to_chain(node, chain, &offer, funding, amount_sat).await?;
                self.mine(1).await?;
                Ok(hash)
            }
        }
    }
}

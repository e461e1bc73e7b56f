//! A swap from Lightning to the chain (see [`crate::core::swap::book::SwapDirection::ToChain`]):
//! the wallet makes a preimage and asks for a swap with its hash and its claim key; the
//! counterparty answers with a hold invoice for that hash and the terms of its HTLC; the
//! wallet checks them and pays the invoice (the payment stays held); the counterparty funds
//! the HTLC; the wallet claims it with the preimage, which the counterparty then reads from
//! the chain to settle the held payment. The wallet never shows the preimage before the HTLC
//! it claims is on chain, and the counterparty never funds before the payment is held.

use std::sync::Arc;

use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1};

use crate::core::input::paste::{parse_payment, PaymentTarget};
use crate::core::lightning::payments::hex;
use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
use crate::core::swap::htlc::{HtlcTerms, Spend};
use crate::core::swap::SwapError;
use crate::core::wallet::swap::{hex_32, stored};
use crate::core::wallet::Wallet;
use crate::core::Error;

/// The fewest blocks the counterparty's HTLC must leave us to claim it before its refund.
pub const MIN_CLAIM_BLOCKS: u32 = 6;

/// What the wallet asks of a counterparty for a swap to chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapRequest {
    pub payment_hash: [u8; 32],
    /// Our key in the HTLC (the claim key).
    pub claim_key: PublicKey,
    pub amount_sat: u64,
}

/// The counterparty's answer: a hold invoice for the request's hash, and its HTLC's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainOffer {
    pub invoice: String,
    pub terms: HtlcTerms,
}

impl Wallet {
    /// Asks for `amount_sat` on chain for as much over Lightning: a new preimage (booked), its
    /// hash and our claim key. The wallet claims the counterparty's HTLC by itself, at
    /// `claim_fee_rate_sat_vb`.
    pub async fn swap_to_chain_request(
        self: &Arc<Self>,
        amount_sat: u64,
        claim_fee_rate_sat_vb: u64,
    ) -> Result<SwapRequest, Error> {
        self.check_swap_start(amount_sat, claim_fee_rate_sat_vb)?;
        let preimage: [u8; 32] = rand::random();
        let payment_hash = sha256::Hash::hash(&preimage).to_byte_array();
        let path = self.dir.swaps_path();
        let mut book = self.swaps.book.lock().unwrap_or_else(|p| p.into_inner());
        let key_index = book.next_key_index();
        let claim_key =
            PublicKey::from_secret_key(&Secp256k1::signing_only(), &self.swaps.keys.key(key_index));
        book.add(SwapRecord {
            payment_hash: hex(&payment_hash),
            direction: SwapDirection::ToChain,
            amount_sat,
            key_index,
            counterparty_key: String::new(),
            refund_height: 0,
            preimage: Some(hex(&preimage)),
            htlc_address: String::new(),
            funding_txid: None,
            state: SwapState::Requested,
            created_at: crate::core::now(),
            spend_fee_rate_sat_vb: Some(claim_fee_rate_sat_vb),
        })
        .map_err(|e| stored(&path, e))?;
        Ok(SwapRequest {
            payment_hash,
            claim_key,
            amount_sat,
        })
    }

    /// Checks the counterparty's offer against our request (the invoice's hash and amount, our
    /// claim key, time left to claim) and pays the invoice; the payment stays held until our
    /// claim shows the preimage. Returns the payment's id.
    pub async fn swap_to_chain_accept(
        self: &Arc<Self>,
        offer: ChainOffer,
    ) -> Result<String, Error> {
        let hash = hex(&offer.terms.payment_hash);
        let record = self
            .swaps()
            .into_iter()
            .find(|r| r.payment_hash == hash && r.state == SwapState::Requested)
            .ok_or_else(|| SwapError::Unknown(hash.clone()))?;
        let ours = self.terms_of(&SwapRecord {
            counterparty_key: offer.terms.refund_key.to_string(),
            refund_height: offer.terms.refund_height,
            ..record.clone()
        })?;
        let now = std::time::Duration::from_secs(crate::core::now());
        let target = parse_payment(&offer.invoice, self.network, now)?;
        let invoice_matches = match &target {
            PaymentTarget::Bolt11 { invoice, .. } => {
                invoice.payment_hash().to_byte_array() == offer.terms.payment_hash
                    && invoice.amount_milli_satoshis() == Some(record.amount_sat * 1000)
            }
            _ => false,
        };
        let height = self.height().await?;
        if !invoice_matches
            || ours != offer.terms
            || offer.terms.refund_height < height + MIN_CLAIM_BLOCKS
        {
            return Err(SwapError::OfferMismatch.into());
        }
        let address = offer.terms.address(self.network.to_bitcoin()).to_string();
        self.book_swap(&hash, |r| {
            r.counterparty_key = offer.terms.refund_key.to_string();
            r.refund_height = offer.terms.refund_height;
            r.htlc_address = address;
            r.state = SwapState::Paying;
        })?;
        self.pay(target, None, None).await
    }

    /// Claims the HTLC of swap `payment_hash` with our preimage at `fee_rate_sat_vb`, once the
    /// counterparty funded it with the amount; returns the claim's txid.
    pub async fn claim_swap(
        self: &Arc<Self>,
        payment_hash: String,
        fee_rate_sat_vb: u64,
    ) -> Result<String, Error> {
        let _acting = self.swaps.acting.lock().await;
        self.claim_acting(payment_hash, fee_rate_sat_vb).await
    }

    /// [`Wallet::claim_swap`], under the swaps' `acting` lock.
    pub(super) async fn claim_acting(
        self: &Arc<Self>,
        payment_hash: String,
        fee_rate_sat_vb: u64,
    ) -> Result<String, Error> {
        let record = self.swap(&payment_hash, SwapDirection::ToChain)?;
        if let SwapState::Claimed { txid } = &record.state {
            return Ok(txid.clone());
        }
        let preimage = hex_32(record.preimage.as_deref().unwrap_or_default())?;
        let terms = self.terms_of(&record)?;
        let (outpoint, value) = self.htlc_output(&terms, None).await?;
        if value.to_sat() != record.amount_sat {
            return Err(SwapError::OfferMismatch.into());
        }
        let to = self.own_address().await?.script_pubkey();
        let key = self.swaps.keys.key(record.key_index);
        let tx = terms
            .spend(
                outpoint,
                value,
                to,
                fee_rate_sat_vb,
                Spend::Claim {
                    preimage: &preimage,
                },
                &key,
            )
            .map_err(SwapError::from)?;
        let funding = outpoint.txid.to_string();
        let txid = self.broadcast_spend(tx).await?;
        self.book_swap(&payment_hash, |r| {
            r.funding_txid = Some(funding);
            r.state = SwapState::Claimed { txid: txid.clone() };
        })?;
        if let Err(e) = self.sync().await {
            log::warn!("sync after a swap claim: {e}");
        }
        Ok(txid)
    }
}

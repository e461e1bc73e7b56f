//! The wallet's swaps between chain and Lightning (see [`crate::core::swap`]). A swap to
//! Lightning: the wallet makes an invoice, funds an on-chain HTLC locked to the invoice's
//! payment hash (the counterparty's key with the preimage, ours after the refund height), and
//! the counterparty pays the invoice, which reveals the preimage it then claims the HTLC with.
//! If the counterparty never pays, the wallet takes the HTLC back once the chain reaches the
//! refund height.

use std::sync::Arc;

use ldk_node::bitcoin::hashes::{sha256, Hash};
use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1};
use ldk_node::bitcoin::{Amount, OutPoint, Txid};
use ldk_node::lightning::ln::channelmanager::PaymentId;
use ldk_node::payment::PaymentStatus;

use crate::core::lightning::payments::hex;
use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
use crate::core::swap::htlc::{HtlcTerms, Spend};
use crate::core::swap::SwapError;
use crate::core::wallet::Wallet;
use crate::core::{blocking, Error, NodeError};

/// The smallest swap: below it the on-chain fees take too large a share.
pub const MIN_SWAP_SAT: u64 = 10_000;
/// How long our invoice of a swap to Lightning can be paid; a payment is taken only before the
/// HTLC's refund height, whichever comes first.
pub(super) const INVOICE_EXPIRY_SECS: u32 = 24 * 3600;

/// What the counterparty of a swap to Lightning needs: the invoice to pay, and the HTLC it
/// claims with the preimage that payment reveals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapOffer {
    pub invoice: String,
    pub terms: HtlcTerms,
    pub funding_txid: String,
    pub amount_sat: u64,
}

impl Wallet {
    /// Starts a swap of `amount_sat` on-chain sat for Lightning with the counterparty whose
    /// HTLC key is `counterparty_key`: an invoice of ours, and an HTLC funded from the on-chain
    /// wallet that we can take back `refund_after_blocks` blocks from now, at
    /// `refund_fee_rate_sat_vb` should it come to that (the wallet does it by itself).
    pub async fn swap_to_lightning(
        self: &Arc<Self>,
        counterparty_key: PublicKey,
        amount_sat: u64,
        refund_after_blocks: u32,
        refund_fee_rate_sat_vb: u64,
    ) -> Result<SwapOffer, Error> {
        self.check_swap_start(amount_sat, refund_fee_rate_sat_vb)?;
        // Our preimage, which LDK does not know: a payment is held until the wallet takes it,
        // only while the HTLC cannot yet be taken back (see `swap_tend`).
        let preimage: [u8; 32] = rand::random();
        let hash = sha256::Hash::hash(&preimage).to_byte_array();
        let payment_hash = hex(&hash);
        let invoice = self
            .payments
            .receive_held_invoice(
                amount_sat * 1000,
                "swap to Lightning".into(),
                INVOICE_EXPIRY_SECS,
                hash,
            )
            .await?;
        let height = self.height().await?;
        let swaps = self.swaps.clone();
        let path = self.dir.swaps_path();
        let network = self.network.to_bitcoin();
        let (terms, record) = {
            let mut book = swaps.book.lock().unwrap_or_else(|p| p.into_inner());
            let key_index = book.next_key_index();
            let secp = Secp256k1::signing_only();
            let terms = HtlcTerms {
                payment_hash: hash,
                claim_key: counterparty_key,
                refund_key: PublicKey::from_secret_key(&secp, &swaps.keys.key(key_index)),
                refund_height: height + refund_after_blocks,
            };
            let record = SwapRecord {
                payment_hash: payment_hash.clone(),
                direction: SwapDirection::ToLightning,
                amount_sat,
                key_index,
                counterparty_key: counterparty_key.to_string(),
                refund_height: terms.refund_height,
                preimage: Some(hex(&preimage)),
                htlc_address: terms.address(network).to_string(),
                funding_txid: None,
                state: SwapState::Funding,
                created_at: crate::core::now(),
                spend_fee_rate_sat_vb: Some(refund_fee_rate_sat_vb),
            };
            book.add(record.clone()).map_err(|e| stored(&path, e))?;
            (terms, record)
        };
        let node = self.node.clone();
        let address = terms.address(network);
        let txid = blocking(move || {
            node.onchain_payment()
                .send_to_address(&address, amount_sat, None)
                .map_err(|e| NodeError::Ldk(e).into())
        })
        .await?;
        let funded = txid.to_string();
        self.book_swap(&record.payment_hash, |r| {
            r.funding_txid = Some(funded.clone());
            r.state = SwapState::Funded;
        })?;
        Ok(SwapOffer {
            invoice,
            terms,
            funding_txid: funded,
            amount_sat,
        })
    }

    /// Takes the HTLC of swap `payment_hash` back to the on-chain wallet, paying
    /// `fee_rate_sat_vb`: only once the chain has reached its refund height, and only if the
    /// counterparty never paid. Returns the refund's txid.
    pub async fn refund_swap(
        self: &Arc<Self>,
        payment_hash: String,
        fee_rate_sat_vb: u64,
    ) -> Result<String, Error> {
        let _acting = self.swaps.acting.lock().await;
        self.refund_acting(payment_hash, fee_rate_sat_vb).await
    }

    /// [`Wallet::refund_swap`], under the swaps' `acting` lock.
    pub(super) async fn refund_acting(
        self: &Arc<Self>,
        payment_hash: String,
        fee_rate_sat_vb: u64,
    ) -> Result<String, Error> {
        let record = self.swap(&payment_hash, SwapDirection::ToLightning)?;
        if self.swap_paid(&record).await? {
            return Err(SwapError::AlreadyPaid.into());
        }
        if let SwapState::Refunded { txid } = &record.state {
            return Ok(txid.clone());
        }
        let height = self.height().await?;
        if height < record.refund_height {
            return Err(SwapError::TooEarly {
                refund_height: record.refund_height,
                height,
            }
            .into());
        }
        let terms = self.terms_of(&record)?;
        let funding = record.funding_txid.clone().ok_or(SwapError::NotFunded)?;
        let (outpoint, value) = self.htlc_output(&terms, Some(funding)).await?;
        let to = self.own_address().await?.script_pubkey();
        let key = self.swaps.keys.key(record.key_index);
        let tx = terms
            .spend(outpoint, value, to, fee_rate_sat_vb, Spend::Refund, &key)
            .map_err(SwapError::from)?;
        let txid = self.broadcast_spend(tx).await?;
        self.book_swap(&payment_hash, |r| {
            r.state = SwapState::Refunded { txid: txid.clone() }
        })?;
        if let Err(e) = self.sync().await {
            log::warn!("sync after a swap refund: {e}");
        }
        Ok(txid)
    }

    /// A swap may start: the wallet is not stale, the amount is worth the fees and the fee
    /// rate of our spend of the HTLC is one a person could type.
    pub(super) fn check_swap_start(
        &self,
        amount_sat: u64,
        spend_fee_rate_sat_vb: u64,
    ) -> Result<(), Error> {
        self.check_not_stale()?;
        if amount_sat < MIN_SWAP_SAT {
            return Err(SwapError::TooSmall {
                minimum_sat: MIN_SWAP_SAT,
            }
            .into());
        }
        let max = crate::core::input::MAX_FEE_RATE_SAT_VB;
        if !(1..=max).contains(&spend_fee_rate_sat_vb) {
            return Err(SwapError::FeeRate { max }.into());
        }
        Ok(())
    }

    /// Swap `payment_hash` of `direction`, as booked.
    pub(super) fn swap(
        &self,
        payment_hash: &str,
        direction: SwapDirection,
    ) -> Result<SwapRecord, Error> {
        self.swaps()
            .into_iter()
            .find(|r| r.payment_hash == payment_hash && r.direction == direction)
            .ok_or_else(|| SwapError::Unknown(payment_hash.to_string()).into())
    }

    /// Every swap of this wallet, oldest first.
    pub fn swaps(&self) -> Vec<SwapRecord> {
        self.swaps
            .book
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .records()
            .to_vec()
    }

    /// Whether the swap's invoice was paid (then booked as such).
    pub(super) async fn swap_paid(self: &Arc<Self>, record: &SwapRecord) -> Result<bool, Error> {
        if record.state == SwapState::Paid {
            return Ok(true);
        }
        let id = PaymentId(hex_32(&record.payment_hash)?);
        let node = self.node.clone();
        let paid = blocking(move || {
            Ok(node
                .payment(&id)
                .is_some_and(|p| p.status == PaymentStatus::Succeeded))
        })
        .await?;
        if paid {
            self.book_swap(&record.payment_hash, |r| r.state = SwapState::Paid)?;
        }
        Ok(paid)
    }

    /// The HTLC's terms again: our key from the seed, the rest from the record.
    pub(super) fn terms_of(&self, record: &SwapRecord) -> Result<HtlcTerms, Error> {
        let secp = Secp256k1::signing_only();
        let ours = PublicKey::from_secret_key(&secp, &self.swaps.keys.key(record.key_index));
        let theirs: PublicKey = record
            .counterparty_key
            .parse()
            .map_err(|e| Error::Internal(format!("a swap's key: {e}")))?;
        let (claim_key, refund_key) = match record.direction {
            SwapDirection::ToLightning => (theirs, ours),
            SwapDirection::ToChain => (ours, theirs),
        };
        Ok(HtlcTerms {
            payment_hash: hex_32(&record.payment_hash)?,
            claim_key,
            refund_key,
            refund_height: record.refund_height,
        })
    }

    /// Writes a change of swap `payment_hash`.
    pub(super) fn book_swap(
        &self,
        payment_hash: &str,
        change: impl FnOnce(&mut SwapRecord),
    ) -> Result<(), Error> {
        let path = self.dir.swaps_path();
        self.swaps
            .book
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .update(payment_hash, change)
            .map_err(|e| stored(&path, e))
    }

    /// The HTLC output of `terms` the server knows (from `funding`, when given): its outpoint
    /// and value.
    pub(super) async fn htlc_output(
        self: &Arc<Self>,
        terms: &HtlcTerms,
        funding: Option<String>,
    ) -> Result<(OutPoint, Amount), Error> {
        let wallet = self.clone();
        let script = terms.address(self.network.to_bitcoin()).script_pubkey();
        let found = blocking(move || {
            Ok(wallet
                .server
                .payments_to(&script)
                .ok_or(SwapError::ServerAway)?
                .map_err(|e| SwapError::NotTaken(e.to_string()))?)
        })
        .await?;
        let htlc = found
            .iter()
            .find(|p| funding.as_ref().is_none_or(|f| *f == p.txid))
            .ok_or(SwapError::NotFunded)?;
        let txid = htlc
            .txid
            .parse::<Txid>()
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((
            OutPoint::new(txid, htlc.vout),
            Amount::from_sat(htlc.amount_sat),
        ))
    }

    /// Hands a spend of a swap's HTLC to the server; its txid.
    pub(super) async fn broadcast_spend(
        self: &Arc<Self>,
        tx: ldk_node::bitcoin::Transaction,
    ) -> Result<String, Error> {
        let wallet = self.clone();
        Ok(blocking(move || {
            Ok(wallet
                .server
                .broadcast(&tx)
                .ok_or(SwapError::ServerAway)?
                .map_err(|e| SwapError::NotTaken(e.to_string()))?)
        })
        .await?
        .to_string())
    }
}

pub(super) fn stored(path: &std::path::Path, e: std::io::Error) -> Error {
    SwapError::Store {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
    .into()
}

/// 32 bytes written in hex (a payment hash).
pub(super) fn hex_32(text: &str) -> Result<[u8; 32], Error> {
    use ldk_node::bitcoin::hex::FromHex;
    <[u8; 32]>::from_hex(text).map_err(|e| Error::Internal(format!("not 32 bytes in hex: {e}")))
}

impl Wallet {
    /// The chain's height as the node last synced it.
    pub(super) async fn height(&self) -> Result<u32, Error> {
        let node = self.node.clone();
        blocking(move || Ok(node.status().current_best_block.height)).await
    }
}

//! The wallet finishing its swaps by itself, every round of its watch and after a restart: a
//! swap is a promise with a deadline, and a person who closed the window must not lose the
//! HTLC to the counterparty's refund, nor forget to take back their own.
//!
//! - To Lightning, funded: a payment of our invoice is held until the wallet takes it with
//!   its preimage, which it does only while the counterparty has at least `MIN_CLAIM_BLOCKS`
//!   left to claim the HTLC; later it is failed back, and so is one after the swap is over.
//!   Booked paid once taken; refunded once the chain reaches the refund height unpaid.
//! - To Lightning, funding (the wallet stopped between booking the swap and hearing back from
//!   the funding): the HTLC found on chain is booked as funded; none by the refund height, the
//!   swap is booked abandoned (nothing moved).
//! - To chain, paying: the counterparty's HTLC claimed as soon as the server knows it; booked
//!   abandoned if our payment failed back before any HTLC (nothing moved).
//!
//! Each spend is made at the fee rate chosen when the swap started. A swap that cannot go on
//! is logged and tried again next round.

use std::sync::Arc;

use ldk_node::lightning::ln::channelmanager::PaymentId;
use ldk_node::payment::PaymentStatus;

use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
use crate::core::swap::SwapError;
use crate::core::wallet::swap::{hex_32, INVOICE_EXPIRY_SECS};
use crate::core::wallet::swap_to_chain::MIN_CLAIM_BLOCKS;
use crate::core::wallet::Wallet;
use crate::core::{blocking, Error};

impl Wallet {
    /// Whether a swap waits on something the wallet can see or do.
    pub(super) fn has_open_swaps(&self) -> bool {
        self.swaps
            .book
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .records()
            .iter()
            .any(waits_on_us)
    }

    /// One round over the swaps that wait on us (see the module's notes). Skipped while a
    /// claim or a refund asked for by a person runs.
    pub(super) async fn tend_swaps(self: &Arc<Self>) {
        let Ok(_acting) = self.swaps.acting.try_lock() else {
            return;
        };
        let height = match self.height().await {
            Ok(h) => h,
            Err(e) => {
                log::warn!("swaps: the chain's height is unknown: {e}");
                return;
            }
        };
        for record in self.swaps().iter().filter(|r| waits_on_us(r)) {
            if let Err(e) = self.tend_swap(record, height).await {
                log::warn!("swap {}: {e}", record.payment_hash);
            }
        }
    }

    async fn tend_swap(self: &Arc<Self>, record: &SwapRecord, height: u32) -> Result<(), Error> {
        let hash = record.payment_hash.clone();
        let rate = record.spend_fee_rate_sat_vb;
        match (record.direction, &record.state) {
            (SwapDirection::ToLightning, SwapState::Funding) => {
                let terms = self.terms_of(record)?;
                if let Some((outpoint, _)) = found(self.htlc_output(&terms, None).await)? {
                    log::info!("swap {hash}: its HTLC is on chain, in {}", outpoint.txid);
                    self.book_swap(&hash, |r| {
                        r.funding_txid = Some(outpoint.txid.to_string());
                        r.state = SwapState::Funded;
                    })?;
                } else if height >= record.refund_height {
                    // Stopped before the funding went out, and the swap's time is over: no
                    // counterparty pays for an HTLC that could already be taken back.
                    log::info!("swap {hash}: never funded, nothing moved");
                    self.book_swap(&hash, |r| r.state = SwapState::Abandoned)?;
                }
            }
            (SwapDirection::ToLightning, SwapState::Funded) => {
                if self.swap_paid(record).await? {
                    log::info!("swap {hash}: our invoice was paid");
                } else if height + MIN_CLAIM_BLOCKS < record.refund_height {
                    self.held_payment(record, true).await?;
                } else {
                    // Too late for the counterparty to claim the HTLC safely once paid: a
                    // payment now is failed back, and the HTLC taken back at its height.
                    self.held_payment(record, false).await?;
                    if let Some(rate) = rate.filter(|_| height >= record.refund_height) {
                        let txid = self.refund_acting(hash.clone(), rate).await?;
                        log::info!("swap {hash}: never paid, refunded in {txid}");
                    }
                }
            }
            (SwapDirection::ToLightning, SwapState::Refunded { .. } | SwapState::Abandoned) => {
                // A payment of the invoice after the swap is over is failed back.
                self.held_payment(record, false).await?;
            }
            (SwapDirection::ToChain, SwapState::Paying) => {
                let terms = self.terms_of(record)?;
                if found(self.htlc_output(&terms, None).await)?.is_some() {
                    if let Some(rate) = rate {
                        let txid = self.claim_acting(hash.clone(), rate).await?;
                        log::info!("swap {hash}: the counterparty's HTLC claimed in {txid}");
                    }
                } else if self.payment_failed(&hash).await? {
                    log::info!("swap {hash}: our payment failed back before any HTLC");
                    self.book_swap(&hash, |r| r.state = SwapState::Abandoned)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The payment of our held invoice for a swap to Lightning: taken with our preimage
    /// (`take`), or failed back. Nothing happens when none is held, nor for a swap booked before
    /// its invoice was held (LDK took that payment itself).
    async fn held_payment(&self, record: &SwapRecord, take: bool) -> Result<(), Error> {
        let Some(preimage) = record.preimage.as_deref() else {
            return Ok(());
        };
        let preimage = hex_32(preimage)?;
        let hash = hex_32(&record.payment_hash)?;
        let (payments, amount_msat) = (self.payments.clone(), record.amount_sat * 1000);
        blocking(move || {
            if take {
                payments.claim_held(amount_msat, preimage)
            } else {
                payments.fail_held(hash)
            }
        })
        .await
    }

    /// Whether our payment of `payment_hash` failed.
    async fn payment_failed(&self, payment_hash: &str) -> Result<bool, Error> {
        let id = PaymentId(hex_32(payment_hash)?);
        let node = self.node.clone();
        blocking(move || {
            Ok(node
                .payment(&id)
                .is_some_and(|p| p.status == PaymentStatus::Failed))
        })
        .await
    }
}

/// A swap the wallet itself moves on: funding, funded to Lightning, or paying to chain; and a
/// swap to Lightning that is over while its held invoice can still be paid (a late payment is
/// failed back).
fn waits_on_us(r: &SwapRecord) -> bool {
    let invoice_open = || {
        r.preimage.is_some() && crate::core::now() < r.created_at + u64::from(INVOICE_EXPIRY_SECS)
    };
    match (r.direction, &r.state) {
        (SwapDirection::ToLightning, SwapState::Funding | SwapState::Funded)
        | (SwapDirection::ToChain, SwapState::Paying) => true,
        (SwapDirection::ToLightning, SwapState::Refunded { .. } | SwapState::Abandoned) => {
            invoice_open()
        }
        _ => false,
    }
}

/// The HTLC output when the server knows it, `None` when it does not (yet).
fn found<T>(lookup: Result<T, Error>) -> Result<Option<T>, Error> {
    match lookup {
        Ok(v) => Ok(Some(v)),
        Err(Error::Swap(SwapError::NotFunded)) => Ok(None),
        Err(e) => Err(e),
    }
}

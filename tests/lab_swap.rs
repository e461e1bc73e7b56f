//! Atomic swaps with a lab node (a real second LDK node), on a real regtest chain: on-chain
//! coins for Lightning, the lab node paying the wallet's invoice and claiming the wallet's
//! on-chain HTLC with the preimage that payment revealed; the wallet's refund after the timeout
//! when the lab node does not pay (a payment after that is failed back); and Lightning for
//! on-chain coins, the wallet paying the lab node's hold invoice, claiming the lab node's HTLC
//! with its preimage, and the lab node settling the held payment with the preimage the claim
//! showed. Amounts and fees to the sat, as bitcoind reports them.

mod common;

use common::lab::lab_world;
use common::*;
use shandian::core::lightning::payments::PaymentState;
use shandian::core::swap::book::SwapState;
use shandian::core::swap::SwapError;
use shandian::core::Error;
use shandian::lab::swap::{
    fund_swap_to_chain, offer_swap_to_chain, settle_swap_to_chain, take_swap_to_lightning, SwapPlay,
};

const SWAP_SAT: u64 = 100_000;
const FEE_RATE: u64 = 2;

#[test]
fn lab_swap_to_lightning() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        // Half the channel pushed to the peer: room for the wallet to be paid.
        let channel = open_ready_channel(chain, wallet, peer, 1_000_000, 500_000).await;
        let before = wallet.snapshot().await.unwrap().balances;
        assert_eq!(
            wallet
                .swap_to_lightning(peer.swap_public_key(), 5_000, 20, FEE_RATE)
                .await,
            Err(Error::Swap(SwapError::TooSmall {
                minimum_sat: shandian::core::wallet::MIN_SWAP_SAT
            }))
        );
        assert_eq!(
            wallet
                .swap_to_lightning(peer.swap_public_key(), SWAP_SAT, 20, 0)
                .await,
            Err(Error::Swap(SwapError::FeeRate {
                max: shandian::core::input::MAX_FEE_RATE_SAT_VB
            })),
            "a refund must have a fee rate a person could type"
        );
        assert!(
            wallet.swaps().is_empty(),
            "nothing booked for a refused swap"
        );
        let offer = wallet
            .swap_to_lightning(peer.swap_public_key(), SWAP_SAT, 20, FEE_RATE)
            .await
            .expect("the wallet funds its HTLC");
        let hash = hex(&offer.terms.payment_hash);
        let funding_fee = tx_fee_sat(chain, &offer.funding_txid).await;
        mine(chain, 1).await;
        let claim = take_swap_to_lightning(peer.clone(), chain.clone(), offer, FEE_RATE)
            .await
            .expect("the lab node pays and claims");
        // The wallet was paid over Lightning, exactly the amount.
        let paid = wait_for_payment(wallet, &hash, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(SWAP_SAT * 1000));
        // The lab node's claim is in the chain and spends the HTLC.
        wait_for_tx(chain, &claim).await;
        mine(chain, 1).await;
        let after = wait_for_snapshot(wallet, "the swap's funding in the balance", |s| {
            s.balances.onchain_total_sat + SWAP_SAT + funding_fee == before.onchain_total_sat
        })
        .await;
        assert_eq!(
            before.onchain_total_sat - after.balances.onchain_total_sat,
            SWAP_SAT + funding_fee,
            "the chain paid the amount and the funding's fee"
        );
        let now = wait_for_channels(wallet, "the payment in the channel", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.parts.ours_sat == channel.parts.ours_sat + SWAP_SAT)
        })
        .await;
        assert!(now.get(&channel.id).is_some());
        // Paid: nothing to refund, and the book says so.
        assert_eq!(
            wallet.refund_swap(hash.clone(), FEE_RATE).await,
            Err(Error::Swap(SwapError::AlreadyPaid))
        );
        assert_eq!(wallet.swaps()[0].state, SwapState::Paid);
        // Activity: one entry, a move that cost the funding's fee.
        let entry = one_swap_entry(wallet, &hash).await;
        assert_eq!(
            (entry.amount_msat, entry.fee_msat, entry.status),
            (
                Some(SWAP_SAT * 1000),
                Some(funding_fee * 1000),
                PaymentState::Succeeded
            )
        );
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

#[test]
fn lab_swap_refund_after_timeout() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        open_ready_channel(chain, wallet, peer, 1_000_000, 500_000).await;
        let before = wallet.snapshot().await.unwrap().balances;
        let offer = wallet
            .swap_to_lightning(peer.swap_public_key(), SWAP_SAT, 10, FEE_RATE)
            .await
            .expect("the wallet funds its HTLC");
        let hash = hex(&offer.terms.payment_hash);
        let funding_fee = tx_fee_sat(chain, &offer.funding_txid).await;
        // The lab node does not pay.
        mine(chain, 1).await;
        let early = wallet.refund_swap(hash.clone(), FEE_RATE).await;
        assert!(
            matches!(early, Err(Error::Swap(SwapError::TooEarly { refund_height, .. }))
                if refund_height == offer.terms.refund_height),
            "{early:?}"
        );
        mine(chain, 9).await;
        wait_for_snapshot(wallet, "the refund height", |s| {
            s.height >= offer.terms.refund_height
        })
        .await;
        // Nobody asks: the wallet takes its HTLC back by itself, at the rate chosen at the start.
        let refund = wait_for_swap(wallet, &hash, "the wallet's own refund", |r| {
            match &r.state {
                SwapState::Refunded { txid } => Some(txid.clone()),
                _ => None,
            }
        })
        .await;
        assert_eq!(
            wallet.refund_swap(hash.clone(), FEE_RATE).await,
            Ok(refund.clone()),
            "asked again, the refund made is named"
        );
        let refund_fee = tx_fee_sat(chain, &refund).await;
        mine(chain, 1).await;
        let after = wait_for_snapshot(wallet, "the refund in the balance", |s| {
            s.balances.onchain_total_sat + funding_fee + refund_fee == before.onchain_total_sat
        })
        .await;
        assert_eq!(
            before.onchain_total_sat - after.balances.onchain_total_sat,
            funding_fee + refund_fee,
            "the amount came back, less the two transactions' fees"
        );
        assert!(matches!(
            &wallet.swaps()[0].state,
            SwapState::Refunded { txid } if *txid == refund
        ));
        // Paid now, after the refund, the invoice takes nothing: the wallet fails the payment
        // back and the lab node keeps its money.
        let lightning_before = wallet.snapshot().await.unwrap().balances.lightning_sat;
        let (p, invoice) = (peer.clone(), offer.invoice.clone());
        let id = tokio::task::spawn_blocking(move || p.pay(&invoice, SWAP_SAT))
            .await
            .unwrap()
            .expect("the lab node sends its payment");
        assert_eq!(
            peer.payment_end(&id, std::time::Duration::from_secs(60))
                .await,
            Some(false),
            "a payment after the refund is failed back"
        );
        assert_eq!(
            wallet.snapshot().await.unwrap().balances.lightning_sat,
            lightning_before
        );
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

#[test]
fn lab_swap_to_chain() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        let channel = open_ready_channel(chain, wallet, peer, 1_000_000, 0).await;
        let before = wallet.snapshot().await.unwrap().balances;
        let request = wallet
            .swap_to_chain_request(SWAP_SAT, FEE_RATE)
            .await
            .expect("a swap is asked for");
        let hash = hex(&request.payment_hash);
        let offer = offer_swap_to_chain(peer.clone(), chain.clone(), request.clone(), 40)
            .await
            .expect("the lab node offers");
        // An HTLC that another key could claim is refused before anything is paid.
        let mut greedy = offer.clone();
        greedy.terms.claim_key = peer.swap_public_key();
        assert_eq!(
            wallet.swap_to_chain_accept(greedy).await,
            Err(Error::Swap(SwapError::OfferMismatch))
        );
        let paying = wallet
            .swap_to_chain_accept(offer.clone())
            .await
            .expect("the wallet pays the hold invoice");
        let funding = fund_swap_to_chain(peer.clone(), &offer, SWAP_SAT)
            .await
            .expect("the lab node funds its HTLC once the payment is held");
        wait_for_tx(chain, &funding).await;
        let claim = wallet
            .claim_swap(hash.clone(), FEE_RATE)
            .await
            .expect("the wallet claims the HTLC");
        let claim_fee = tx_fee_sat(chain, &claim).await;
        settle_swap_to_chain(peer.clone(), chain.clone(), &offer, funding, SWAP_SAT)
            .await
            .expect("the lab node settles with the preimage");
        let paid = wait_for_payment(wallet, &paying, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(SWAP_SAT * 1000));
        mine(chain, 1).await;
        let after = wait_for_snapshot(wallet, "the claim in the balance", |s| {
            s.balances.onchain_total_sat == before.onchain_total_sat + SWAP_SAT - claim_fee
        })
        .await;
        assert_eq!(
            after.balances.onchain_total_sat - before.onchain_total_sat,
            SWAP_SAT - claim_fee,
            "the amount arrived on chain, less the claim's fee"
        );
        wait_for_channels(wallet, "the payment out of the channel", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.parts.ours_sat + SWAP_SAT == channel.parts.ours_sat)
        })
        .await;
        assert!(matches!(
            &wallet.swaps()[0].state,
            SwapState::Claimed { txid } if *txid == claim
        ));
        // Activity: one entry, a move that cost the claim's fee (a direct channel: no routing).
        let entry = one_swap_entry(wallet, &hash).await;
        assert_eq!(
            (entry.amount_msat, entry.fee_msat, entry.status),
            (
                Some(SWAP_SAT * 1000),
                Some(claim_fee * 1000),
                PaymentState::Succeeded
            )
        );
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

/// The wallet stops after paying the lab node's hold invoice; the lab node funds its HTLC
/// meanwhile; reopened from its folder and its seed in the keyring, the wallet claims the HTLC
/// with the preimage and key it never wrote down in the clear but in its swap book and seed.
#[test]
fn lab_swap_survives_restart() {
    run(async {
        let chain = start_chain().await;
        let (_tmp, _root, dir) = temp_root();
        let wallet = funded_wallet(&chain, &dir).await;
        let peer = start_peer(&chain).await;
        open_ready_channel(&chain, &wallet, &peer, 1_000_000, 0).await;
        let request = wallet
            .swap_to_chain_request(SWAP_SAT, FEE_RATE)
            .await
            .unwrap();
        let hash = hex(&request.payment_hash);
        let offer = offer_swap_to_chain(peer.clone(), chain.clone(), request, 40)
            .await
            .unwrap();
        let paying = wallet.swap_to_chain_accept(offer.clone()).await.unwrap();
        let funding = fund_swap_to_chain(peer.clone(), &offer, SWAP_SAT)
            .await
            .expect("funded once the payment is held");
        wallet.stop().await.unwrap();
        drop(wallet);
        wait_for_tx(&chain, &funding).await;
        mine(&chain, 1).await;

        let wallet = open_wallet(&dir, &chain).await;
        let before = wallet.snapshot().await.unwrap().balances;
        // Nobody asks: the reopened wallet claims the HTLC by itself.
        let claim = wait_for_swap(
            &wallet,
            &hash,
            "the reopened wallet's own claim",
            |r| match &r.state {
                SwapState::Claimed { txid } => Some(txid.clone()),
                _ => None,
            },
        )
        .await;
        assert_eq!(wallet.claim_swap(hash, FEE_RATE).await, Ok(claim.clone()));
        wait_for_tx(&chain, &claim).await;
        let claim_fee = tx_fee_sat(&chain, &claim).await;
        settle_swap_to_chain(peer.clone(), chain.clone(), &offer, funding, SWAP_SAT)
            .await
            .expect("the lab node settles");
        wait_for_payment(&wallet, &paying, PaymentState::Succeeded).await;
        mine(&chain, 1).await;
        wait_for_snapshot(&wallet, "the claim in the balance", |s| {
            s.balances.onchain_total_sat == before.onchain_total_sat + SWAP_SAT - claim_fee
        })
        .await;
        wallet.stop().await.unwrap();
        stop_peer(&peer).await;
    })
}

/// The swaps as the Lab panel plays them (`Lab::swap`, both sides and the blocks they need):
/// Lightning to chain, the wallet claiming by itself; then chain to Lightning with a lab node
/// that never pays, the wallet refunding by itself once the tester mines to the refund block.
#[test]
fn lab_swap_played_by_the_panel() {
    run(async {
        let w = lab_world().await;
        let (chain, wallet, lab) = (&w.chain, &w.wallet, &w.lab);
        let channel = open_ready_channel(chain, wallet, &lab.node("Alice"), 1_000_000, 0).await;
        let before = wallet.snapshot().await.unwrap().balances;
        let hash = lab
            .lab
            .swap("Alice", wallet, SwapPlay::ToChain, SWAP_SAT)
            .await
            .expect("the swap to chain is played");
        let claim = wait_for_swap(wallet, &hash, "the wallet's own claim", |r| {
            match &r.state {
                SwapState::Claimed { txid } => Some(txid.clone()),
                _ => None,
            }
        })
        .await;
        let claim_fee = tx_fee_sat(chain, &claim).await;
        let after = wait_for_snapshot(wallet, "the claim in the balance", |s| {
            s.balances.onchain_total_sat == before.onchain_total_sat + SWAP_SAT - claim_fee
        })
        .await;
        wait_for_channels(wallet, "the payment out of the channel", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.parts.ours_sat + SWAP_SAT == channel.parts.ours_sat)
        })
        .await;

        let hash = lab
            .lab
            .swap("Alice", wallet, SwapPlay::ToLightningUnpaid, SWAP_SAT)
            .await
            .expect("the wallet's HTLC is funded");
        let record = wallet
            .swaps()
            .into_iter()
            .find(|r| r.payment_hash == hash)
            .unwrap();
        assert_eq!(record.state, SwapState::Funded);
        let funding_fee = tx_fee_sat(chain, record.funding_txid.as_ref().unwrap()).await;
        lab.lab.mine_to(record.refund_height).await.unwrap();
        let refund = wait_for_swap(wallet, &hash, "the wallet's own refund", |r| {
            match &r.state {
                SwapState::Refunded { txid } => Some(txid.clone()),
                _ => None,
            }
        })
        .await;
        let refund_fee = tx_fee_sat(chain, &refund).await;
        mine(chain, 1).await;
        wait_for_snapshot(wallet, "the refund in the balance", |s| {
            s.balances.onchain_total_sat + funding_fee + refund_fee
                == after.balances.onchain_total_sat
        })
        .await;
        w.stop().await;
    })
}

/// What Activity lists for swap `hash`, merged as the app merges it: exactly one entry, the
/// swap, in place of its transactions and its payment.
async fn one_swap_entry(
    wallet: &std::sync::Arc<shandian::core::wallet::Wallet>,
    hash: &str,
) -> shandian::core::history::Entry {
    let snapshot = wallet.snapshot().await.unwrap();
    let record = snapshot
        .swaps
        .iter()
        .find(|r| r.payment_hash == hash)
        .unwrap()
        .clone();
    let payments = wallet.payments().await.unwrap();
    let channels = wallet.channels().await.unwrap().channels;
    let all =
        shandian::core::history::merge(&payments, &snapshot.activity, &channels, &snapshot.swaps);
    let spent = match &record.state {
        SwapState::Claimed { txid } | SwapState::Refunded { txid } => Some(txid.clone()),
        _ => None,
    };
    let of: Vec<_> = all
        .into_iter()
        .filter(|e| {
            e.payment_hash.as_deref() == Some(hash)
                || (e.txid.is_some() && (e.txid == record.funding_txid || e.txid == spent))
        })
        .collect();
    assert_eq!(of.len(), 1, "one entry for the swap: {of:#?}");
    assert!(of[0].swap.is_some() && of[0].is_move(), "{of:#?}");
    of[0].clone()
}

/// Waits until the wallet's swap `hash` is where `reached` says (its answer returned).
async fn wait_for_swap<T>(
    wallet: &std::sync::Arc<shandian::core::wallet::Wallet>,
    hash: &str,
    what: &str,
    reached: impl Fn(&shandian::core::swap::book::SwapRecord) -> Option<T>,
) -> T {
    let pace = Pace {
        sync: false,
        at_most: std::time::Duration::from_secs(1),
    };
    let read = || async { wallet.swaps().into_iter().find(|r| r.payment_hash == hash) };
    let record = wait_until(wallet, what, pace, read, |r| {
        r.as_ref().and_then(&reached).is_some()
    })
    .await;
    record.as_ref().and_then(reached).expect("reached")
}

fn hex(bytes: &[u8]) -> String {
    use ldk_node::bitcoin::hex::DisplayHex;
    bytes.to_lower_hex_string()
}

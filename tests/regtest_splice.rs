//! Money moved between chain and Lightning without closing: a splice in from the on-chain
//! wallet, a splice out back to it and one that pays someone else's address, with a real
//! second LDK node as the peer; and what Activity's books say of each. Real bitcoind +
//! electrs, the wallet through `core`; the splice's events come through the wallet's real
//! update stream.

mod common;

use std::sync::Arc;

use common::*;
use ldk_node::bitcoin::address::NetworkUnchecked;
use ldk_node::bitcoin::Address;
use shandian::core::history::{self, Entry};
use shandian::core::lightning::channels::{
    Channel, ChannelError, ChannelStatus, SpliceDirection, SpliceState,
};
use shandian::core::lightning::events::NodeEvent;
use shandian::core::wallet::{Wallet, WalletUpdate};
use shandian::core::Error;

const CAPACITY_SAT: u64 = 1_000_000;

/// Waits on the wallet's update stream for a `SplicePending` of channel `id`.
async fn splice_pending_event(wallet: &Arc<Wallet>, id: &str) {
    with_timeout("the SplicePending event", async {
        let mut last = None;
        loop {
            if let WalletUpdate::Event(NodeEvent::SplicePending { id: got }) =
                wallet.next_update(&mut last).await
            {
                if got == id {
                    return;
                }
            }
        }
    })
    .await
}

/// Waits for the `SplicePending` event of channel `id` and for the splice booked as pending;
/// checks the channel works meanwhile and returns the splice's txid.
async fn splice_out_there(wallet: &Arc<Wallet>, id: &str, direction: SpliceDirection) -> String {
    splice_pending_event(wallet, id).await;
    let pending = wait_for_channels(wallet, "the splice booked as pending", |o| {
        o.get(id)
            .and_then(|c| pending_splice_txid(c, direction))
            .is_some()
    })
    .await;
    let spliced = pending.get(id).unwrap();
    assert_eq!(
        spliced.status,
        ChannelStatus::Active,
        "the channel works while the splice confirms"
    );
    pending_splice_txid(spliced, direction).unwrap()
}

/// Mines six blocks and waits until channel `id` has locked its latest splice at `capacity_sat`.
async fn locked(
    chain: &Arc<shandian::lab::chain::LocalChain>,
    wallet: &Arc<Wallet>,
    id: &str,
    capacity_sat: u64,
) -> Channel {
    mine(chain, 6).await;
    let locked = wait_for_channels(wallet, "the splice locked", |o| {
        o.get(id).is_some_and(|c| {
            c.capacity_sat == capacity_sat
                && c.history.splices.last().map(|s| s.state) == Some(SpliceState::Locked)
        })
    })
    .await;
    locked.get(id).unwrap().clone()
}

/// The channel's latest splice, once its transaction is out; returns the txid.
fn pending_splice_txid(c: &Channel, direction: SpliceDirection) -> Option<String> {
    let s = c.history.splices.last()?;
    (s.direction == direction && s.state == SpliceState::Pending)
        .then(|| s.funding_outpoint.clone())
        .flatten()
        .map(|o| o.split(':').next().unwrap().to_string())
}

/// What Activity lists: the payments, the on-chain transactions and the splices, merged as the
/// app merges them.
async fn books(wallet: &Arc<Wallet>) -> Vec<Entry> {
    let payments = wallet.payments().await.unwrap();
    let snapshot = wallet.snapshot().await.unwrap();
    let channels = wallet.channels().await.unwrap().channels;
    history::merge(&payments, &snapshot.activity, &channels, &snapshot.swaps)
}

/// The one entry of `books` for transaction `txid`.
fn entry_of<'a>(books: &'a [Entry], txid: &str) -> &'a Entry {
    let of: Vec<&Entry> = books
        .iter()
        .filter(|e| e.txid.as_deref() == Some(txid))
        .collect();
    assert_eq!(of.len(), 1, "one entry for {txid}: {books:#?}");
    of[0]
}

#[test]
fn regtest_splice_in() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        let channel = open_ready_channel(chain, wallet, peer, CAPACITY_SAT, 0).await;
        let id = channel.id.clone();

        // What is refused before anything is signed, in the person's words.
        let onchain = spendable(wallet).await;
        assert_eq!(
            wallet.splice_in(id.clone(), 0).await,
            Err(Error::Channel(ChannelError::SpliceZero))
        );
        assert_eq!(
            wallet.splice_in(id.clone(), onchain + 1).await,
            Err(Error::Channel(ChannelError::SpliceAboveOnchain {
                spendable_sat: onchain
            }))
        );

        // 200,000 sat from the chain into the channel.
        let before = wallet.snapshot().await.unwrap().balances;
        let our_before = channel.parts.ours_sat;
        let amount = 200_000;
        wallet
            .splice_in(id.clone(), amount)
            .await
            .expect("the splice in starts");
        let txid = splice_out_there(wallet, &id, SpliceDirection::In).await;
        let fee = tx_fee_sat(chain, &txid).await;
        // The channel pays while its new funding transaction waits for a block.
        let paid = 10_000;
        pay_peer(wallet, peer, paid * 1000).await;
        let c = locked(chain, wallet, &id, CAPACITY_SAT + amount).await;
        assert_eq!(c.status, ChannelStatus::Active);
        assert_eq!(
            c.funding_outpoint
                .as_deref()
                .map(|o| o.split(':').next().unwrap()),
            Some(txid.as_str()),
            "the channel follows the new funding output"
        );
        assert_eq!(
            c.parts.ours_sat,
            our_before + amount - paid,
            "all of it in the channel, less what was paid meanwhile"
        );
        let after = wait_for_snapshot(wallet, "the on-chain balance after the splice", |s| {
            s.balances.onchain_total_sat != before.onchain_total_sat
        })
        .await
        .balances;
        assert_eq!(
            before.onchain_total_sat - after.onchain_total_sat,
            amount + fee,
            "the chain paid the amount and the splice's fee, to the sat"
        );

        // The books: one entry, a move of the amount into the channel, with the fee bitcoind
        // says was paid; not an on-chain payment of amount + fee.
        let books = books(wallet).await;
        let e = entry_of(&books, &txid);
        assert!(e.is_move());
        assert_eq!(e.splice.as_ref().unwrap().direction, SpliceDirection::In);
        assert_eq!(e.amount_msat, Some(amount * 1000));
        assert_eq!(e.fee_msat, Some(fee * 1000));
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

#[test]
fn regtest_splice_out() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (&s.chain, &s.wallet, &s.peer);
        let channel = open_ready_channel(chain, wallet, peer, CAPACITY_SAT, 0).await;
        let id = channel.id.clone();
        let can_send = channel.limits.send_max_msat / 1000;
        let too_much = wallet.splice_out(id.clone(), None, CAPACITY_SAT).await;
        assert!(
            matches!(
                too_much,
                Err(Error::Channel(ChannelError::SpliceAboveChannel { can_send_sat }))
                    if can_send_sat >= can_send
            ),
            "{too_much:?}"
        );

        // 150,000 sat back to the wallet's own on-chain address.
        let out = 150_000;
        let our_before = channel.parts.ours_sat;
        let before = wallet.snapshot().await.unwrap().balances;
        wallet
            .splice_out(id.clone(), None, out)
            .await
            .expect("the splice out starts");
        let txid = splice_out_there(wallet, &id, SpliceDirection::Out).await;
        let fee = tx_fee_sat(chain, &txid).await;
        let capacity = CAPACITY_SAT - out - fee;
        let c = locked(chain, wallet, &id, capacity).await;
        assert_eq!(
            c.parts.ours_sat,
            our_before - out - fee,
            "the amount and the fee came out of our side"
        );
        let after = wait_for_snapshot(wallet, "the splice out on chain", |s| {
            s.balances.onchain_total_sat == before.onchain_total_sat + out
        })
        .await;
        assert_eq!(
            after.balances.onchain_total_sat,
            before.onchain_total_sat + out
        );
        let books_now = books(wallet).await;
        let e = entry_of(&books_now, &txid);
        assert!(e.is_move(), "our own money, from the channel to the chain");
        assert_eq!(e.amount_msat, Some(out * 1000));
        assert_eq!(e.fee_msat, Some(fee * 1000), "the fee the channel paid");

        // 50,000 sat paid from the channel to someone else's address: exactly that arrives.
        let payee: Address = peer
            .new_address()
            .unwrap()
            .parse::<Address<NetworkUnchecked>>()
            .unwrap()
            .assume_checked();
        let paid = 50_000;
        let our_before = c.parts.ours_sat;
        let onchain_before = after.balances.onchain_total_sat;
        wallet
            .splice_out(id.clone(), Some(payee.clone()), paid)
            .await
            .expect("the payment from the channel starts");
        let txid = splice_out_there(wallet, &id, SpliceDirection::Out).await;
        let tx = wait_for_tx(chain, &txid).await;
        let to_payee: Vec<u64> = tx["vout"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["scriptPubKey"]["address"].as_str() == Some(&payee.to_string()))
            .map(|o| (o["value"].as_f64().unwrap() * 100_000_000.0).round() as u64)
            .collect();
        assert_eq!(to_payee, vec![paid], "the payee's output holds the amount");
        let fee = tx_fee_sat(chain, &txid).await;
        let c = locked(chain, wallet, &id, capacity - paid - fee).await;
        assert_eq!(c.parts.ours_sat, our_before - paid - fee);
        let books_now = books(wallet).await;
        let e = entry_of(&books_now, &txid);
        assert!(!e.is_move(), "a payment, not a move");
        assert_eq!(
            e.splice.as_ref().unwrap().payee.as_deref(),
            Some(payee.to_string().as_str())
        );
        assert_eq!(e.amount_msat, Some(paid * 1000));
        assert_eq!(e.fee_msat, Some(fee * 1000));
        assert_eq!(
            wallet.snapshot().await.unwrap().balances.onchain_total_sat,
            onchain_before,
            "the on-chain wallet did not pay"
        );
        assert_eq!(
            c.history
                .splices
                .iter()
                .map(|s| (s.direction, s.amount_sat, s.to_payee, s.state))
                .collect::<Vec<_>>(),
            vec![
                (SpliceDirection::Out, Some(out), false, SpliceState::Locked),
                (SpliceDirection::Out, Some(paid), true, SpliceState::Locked),
            ]
        );

        // The channel still pays.
        pay_peer(wallet, peer, 10_000_000).await;
        wallet.stop().await.unwrap();
        stop_peer(peer).await;
    })
}

//! The channel view's numbers add up: each part of the bar is one part of our commitment
//! transaction, and the parts add up to the capacity. Checked against the peer's own LDK node
//! (its output, and the commitment fee when it pays it) for channels opened each way, with and
//! without a push, and with an HTLC in flight.

mod common;

use std::sync::Arc;

use common::*;
use ldk_node::lightning_types::payment::PaymentHash;
use ldk_node::LightningBalance;
use shandian::core::lightning::channels::Channel;
use shandian::core::wallet::Wallet;
use shandian::lab::peer::PeerNode;

const CAPACITY_SAT: u64 = 1_000_000;
/// Below the peer's 1 % reserve: LDK then shows the peer nothing it can send.
const SMALL_PUSH_SAT: u64 = 5_000;
const HELD_SAT: u64 = 30_000;
const ANCHOR_SAT: u64 = 330;

/// What the peer's node says of its side of the channel: its own output, the commitment fee
/// when the peer pays it, and the HTLCs coming in to it (held: the peer has no preimage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PeerSide {
    output_sat: u64,
    fee_sat: u64,
    htlc_in_sat: u64,
}

fn peer_side(node: &ldk_node::Node, channel_id: &str) -> Option<PeerSide> {
    let balances = node.list_balances().lightning_balances;
    // HTLC outputs are listed one by one beside the channel (the rounded fields of
    // `ClaimableOnChannelClose` only hold parts of a satoshi and dust).
    let htlc_in_sat = balances
        .iter()
        .filter_map(|b| match b {
            LightningBalance::MaybePreimageClaimableHTLC {
                channel_id: id,
                amount_satoshis,
                ..
            } if id.to_string() == channel_id => Some(*amount_satoshis),
            _ => None,
        })
        .sum();
    balances.iter().find_map(|b| match b {
        LightningBalance::ClaimableOnChannelClose {
            channel_id: id,
            amount_satoshis,
            transaction_fee_satoshis,
            ..
        } if id.to_string() == channel_id => Some(PeerSide {
            output_sat: *amount_satoshis,
            fee_sat: *transaction_fee_satoshis,
            htlc_in_sat,
        }),
        _ => None,
    })
}

/// Reads the channel once both nodes carry `htlc_sat` of HTLCs from us to the peer, and checks
/// every part against the peer's node and the commitment transaction's rules (BOLT 3).
async fn check_parts(
    wallet: &Arc<Wallet>,
    peer: &Arc<PeerNode>,
    id: &str,
    htlc_sat: u64,
) -> Channel {
    let o = wait_for_channels(wallet, "our side to carry the HTLCs", |o| {
        o.get(id).is_some_and(|c| c.parts.htlc_out_sat == htlc_sat)
    })
    .await;
    let c = o.get(id).unwrap().clone();
    let channel_id = c.channel_id.clone();
    wait_for_peer(peer, "the peer's side to carry the HTLCs", move |n| {
        peer_side(n, &channel_id).is_some_and(|s| s.htlc_in_sat == htlc_sat)
    })
    .await;
    let side = peer_side(peer.node(), &c.channel_id).unwrap();
    let p = c.parts;
    assert_eq!(p.total(), CAPACITY_SAT, "the parts add up: {c:#?}");
    assert_eq!(p.theirs_sat, side.output_sat, "the peer's output: {c:#?}");
    assert_eq!(p.htlc_out_sat, htlc_sat);
    assert_eq!(p.htlc_in_sat, 0);
    // An anchor beside each output (either side's, with HTLCs both), paid by the opener.
    let present = |output: u64| u64::from(output > 0 || htlc_sat > 0);
    let anchors = present(p.ours_sat) + present(p.theirs_sat);
    assert_eq!(p.anchors_sat, ANCHOR_SAT * anchors, "{c:#?}");
    if c.opened_by_us {
        // Our fee: the fee rate times the transaction's weight (1124 with anchors, 172 more
        // per HTLC output), and the anchor left out for a side without an output.
        let weight = 1124 + 172 * u64::from(htlc_sat > 0);
        let fee = u64::from(c.commitment_feerate_sat_per_kw) * weight / 1000;
        assert_eq!(
            p.commitment_fee_sat,
            fee + ANCHOR_SAT * (2 - anchors),
            "{c:#?}"
        );
    } else {
        assert_eq!(p.commitment_fee_sat, side.fee_sat, "the peer's fee: {c:#?}");
    }
    // The reserves are floors on each output, not parts; what each side can move is above it.
    assert_eq!(p.our_reserve_sat, CAPACITY_SAT / 100);
    assert_eq!(p.peer_reserve_sat, CAPACITY_SAT / 100);
    if c.opened_by_us {
        assert_eq!(
            p.peer_spendable_sat,
            p.theirs_sat.saturating_sub(CAPACITY_SAT / 100),
            "{c:#?}"
        );
    }
    c
}

/// A payment from the wallet to `peer` over channel `id` that the peer holds (neither claims
/// nor fails) until told; returns its payment hash.
async fn pay_held(wallet: &Arc<Wallet>, peer: &Arc<PeerNode>, id: &str) -> PaymentHash {
    // A payment that just arrived stays in flight until both sides signed its removal; until
    // then the channel cannot send it on.
    wait_for_channels(wallet, "room in the channel for the payment", |o| {
        o.get(id)
            .is_some_and(|c| c.limits.send_max_msat >= HELD_SAT * 1000)
    })
    .await;
    let p = peer.clone();
    let (invoice, hash) = tokio::task::spawn_blocking(move || p.hold_invoice(HELD_SAT))
        .await
        .unwrap()
        .unwrap();
    start_paying(wallet, &invoice)
        .await
        .expect("payment starts");
    hash
}

/// The peer fails the held payment back; waits until our side carries no HTLC again.
async fn release(wallet: &Arc<Wallet>, peer: &Arc<PeerNode>, hash: PaymentHash, id: &str) {
    let p = peer.clone();
    tokio::task::spawn_blocking(move || p.node().bolt11_payment().fail_for_hash(hash))
        .await
        .unwrap()
        .unwrap();
    wait_for_channels(wallet, "the held HTLC to be gone", |o| {
        o.get(id)
            .is_some_and(|c| c.parts.htlc_out_sat == 0 && c.parts.htlc_in_sat == 0)
    })
    .await;
}

#[test]
fn channel_parts_add_up() {
    run(async {
        let s = setup().await;
        let (chain, wallet, peer) = (s.chain.clone(), s.wallet.clone(), s.peer.clone());

        // Opened by us, nothing pushed: our output, our anchor, the fee with the peer's anchor
        // left out (no output of the peer's to sit beside).
        let a = open_ready_channel(&chain, &wallet, &peer, CAPACITY_SAT, 0).await;
        let fresh = check_parts(&wallet, &peer, &a.id, 0).await;
        assert_eq!(fresh.parts.theirs_sat, 0);
        assert_eq!(fresh.parts.anchors_sat, ANCHOR_SAT);
        // With a payment held in flight: an HTLC output, and both anchors.
        let held = pay_held(&wallet, &peer, &a.id).await;
        let in_flight = check_parts(&wallet, &peer, &a.id, HELD_SAT).await;
        assert_eq!(in_flight.parts.anchors_sat, 2 * ANCHOR_SAT);
        release(&wallet, &peer, held, &a.id).await;

        // Opened by us with a push below the peer's reserve: the peer's output is the push.
        let peer_b = start_peer(&chain).await;
        let b = open_ready_channel(&chain, &wallet, &peer_b, CAPACITY_SAT, SMALL_PUSH_SAT).await;
        let pushed = check_parts(&wallet, &peer_b, &b.id, 0).await;
        assert_eq!(pushed.parts.theirs_sat, SMALL_PUSH_SAT);
        assert_eq!(pushed.parts.peer_spendable_sat, 0);

        // Opened by the peer: its output carries the fee and the anchors.
        let peer_c = start_peer(&chain).await;
        let c = channel_from(&chain, &wallet, &peer_c, CAPACITY_SAT).await;
        check_parts(&wallet, &peer_c, &c.id, 0).await;
        // Paid 90,000 sat by the peer (LDK Node lets a peer's channel carry a tenth of its
        // capacity in flight), then paying it with a payment held in flight.
        let invoice = wallet
            .receive_invoice(Some(90_000_000), "from C".into(), 3600, false)
            .await
            .unwrap();
        peer_pays(&peer_c, &invoice.text).await.unwrap();
        let held = pay_held(&wallet, &peer_c, &c.id).await;
        let in_flight = check_parts(&wallet, &peer_c, &c.id, HELD_SAT).await;
        assert_eq!(in_flight.parts.ours_sat, 90_000 - HELD_SAT);
        release(&wallet, &peer_c, held, &c.id).await;

        for p in [&peer, &peer_b, &peer_c] {
            stop_peer(p).await;
        }
        wallet.stop().await.unwrap();
    });
}

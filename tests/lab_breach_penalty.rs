//! A breach staged in the Lab: lab node Alice keeps a copy of her state, is paid again (which
//! revokes that state), then broadcasts the revoked commitment. The wallet's LDK must take
//! every output of it with its penalty (justice) transaction: after the close the wallet's
//! on-chain balance has grown by the whole capacity less fees, Alice's part included, and
//! Alice has got nothing back on chain.

mod common;

use common::lab::{lab_world, whole_channel_back};
use common::*;
use shandian::core::lightning::channels::{ChannelStatus, ClaimKind};
use shandian::lab::{Fault, FaultDone};

const CAPACITY_SAT: u64 = 1_000_000;
/// Alice accepts a tenth of the channel in flight: two payments below that.
const FIRST_SAT: u64 = 90_000;
const SECOND_SAT: u64 = 60_000;
/// Far more than the fees of the commitment, justice and sweep transactions at regtest rates,
/// and far less than what Alice held: a wallet that lost her part could not pass.
const FEES_BOUND_SAT: u64 = 20_000;

/// Alice's own balance in the channel, as her node would get it on a close now.
fn alice_holds(node: &ldk_node::Node, channel_id: &str) -> u64 {
    shandian::lab::node::own_balance_sat(node, channel_id)
}

#[test]
fn lab_breach_penalty() {
    run(async {
        let w = lab_world().await;
        let (chain, wallet, lab) = (&w.chain, &w.wallet, &w.lab);

        let channel = open_ready_channel(chain, wallet, &lab.node("Alice"), CAPACITY_SAT, 0).await;
        let channel_id = channel.channel_id.clone();
        pay_peer(wallet, &lab.node("Alice"), FIRST_SAT * 1000).await;
        let cid = channel_id.clone();
        wait_for_peer(
            &lab.node("Alice"),
            "Alice to hold the first payment",
            move |n| alice_holds(n, &cid) == FIRST_SAT,
        )
        .await;

        // Alice keeps this state, then is paid again: the kept state is now revoked.
        let FaultDone::Kept(kept) = lab.fault("Alice", Fault::KeepState, wallet).await else {
            panic!("keeping a state returns it")
        };
        assert_eq!(kept.channels.len(), 1);
        assert_eq!(kept.channels[0].node_sat, FIRST_SAT);
        wait_for_channels(wallet, "Alice back and the channel usable", |o| {
            o.get(&channel.id).is_some_and(|c| {
                c.status == ChannelStatus::Active && c.limits.send_max_msat >= SECOND_SAT * 1000
            })
        })
        .await;
        pay_peer(wallet, &lab.node("Alice"), SECOND_SAT * 1000).await;
        let cid = channel_id.clone();
        wait_for_peer(
            &lab.node("Alice"),
            "Alice to hold both payments",
            move |n| alice_holds(n, &cid) == FIRST_SAT + SECOND_SAT,
        )
        .await;
        let wallet_before = wallet.snapshot().await.unwrap().balances.onchain_total_sat;
        let alice_before = lab
            .node("Alice")
            .node()
            .list_balances()
            .total_onchain_balance_sats;

        // The breach: Alice's revoked commitment spends the funding output.
        let FaultDone::Breached(closed) = lab.fault("Alice", Fault::Breach, wallet).await else {
            panic!("a breach returns the channels it closed")
        };
        assert_eq!(closed, vec![channel_id.clone()]);
        let funding = channel.funding_outpoint.clone().unwrap();
        let revoked = wait_for_spend(chain, &funding, "Alice's revoked commitment").await;
        mine(chain, 1).await;

        // The claim timeline names the penalty, with Alice's revoked output to the sat.
        let o = wait_for_channels(wallet, "the penalty on the claim timeline", |o| {
            o.get(&channel.id)
                .is_some_and(|c| c.claims.iter().any(|s| s.kind == ClaimKind::PenaltyClaim))
        })
        .await;
        let c = o.get(&channel.id).unwrap();
        let penalty: u64 = c
            .claims
            .iter()
            .filter(|s| s.kind == ClaimKind::PenaltyClaim)
            .map(|s| s.amount_sat)
            .sum();
        assert_eq!(
            penalty, FIRST_SAT,
            "Alice's output in the revoked state: {c:#?}"
        );
        let justice = mempool_spender_of(chain, &revoked).await;
        assert!(justice.is_some(), "the penalty transaction is broadcast");

        // Everything settles: the whole capacity less fees is the wallet's, on chain.
        whole_channel_back(&w, &channel.id, wallet_before, CAPACITY_SAT, FEES_BOUND_SAT).await;

        // The cheater gets nothing back from the channel (at most she spent on fees).
        let alice_node = lab.node("Alice");
        wait_for_peer(&alice_node, "Alice to see the justice transaction", |_| {
            true
        })
        .await;
        let alice_after = alice_node.node().list_balances().total_onchain_balance_sats;
        assert!(
            alice_after <= alice_before,
            "Alice had {alice_before} sat on chain before the breach and {alice_after} after"
        );
        w.stop().await;
    });
}

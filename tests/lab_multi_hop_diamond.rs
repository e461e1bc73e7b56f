//! A payment over several hops of the Lab's diamond: Alice opens announced channels to Bob and
//! Carol, each of them one to Dave, and a channel to the wallet (half of it pushed to the
//! wallet). The wallet learns the graph from Alice's gossip and pays Dave's invoice over three
//! hops, paying each forwarding node its fee; Alice pays Dave by keysend over two. Dave's
//! balance grows by exactly what was sent.

mod common;

use common::lab::lab_world;
use common::*;
use shandian::core::lightning::channels::ChannelStatus;
use shandian::core::lightning::payments::PaymentState;
use shandian::lab::network::{Preset, PRESET_CHANNEL_SAT};
use shandian::lab::peer::PayBy;

const TO_DAVE_SAT: u64 = 40_000;
const KEYSEND_SAT: u64 = 25_000;

/// What Dave would get from his channels if they closed now.
fn dave_holds(node: &ldk_node::Node) -> u64 {
    node.list_channels()
        .iter()
        .map(|c| shandian::lab::node::own_balance_sat(node, &c.channel_id.to_string()))
        .sum()
}

#[test]
fn lab_multi_hop_diamond() {
    run(async {
        let w = lab_world().await;
        let (wallet, lab) = (&w.wallet, &w.lab);
        lab.lab
            .build(Preset::Diamond, wallet)
            .await
            .expect("the diamond is built");
        let alice_id = lab.node("Alice").node_id().to_string();
        let o = wait_for_channels(wallet, "Alice's channel active, half of it ours", |o| {
            o.channels.iter().any(|c| {
                c.peer == alice_id
                    && c.status == ChannelStatus::Active
                    && c.parts.ours_sat == PRESET_CHANNEL_SAT / 2
            })
        })
        .await;
        assert_eq!(o.channels.len(), 1, "{o:#?}");
        // The four announced channels reach the wallet's graph through Alice's gossip (the
        // wallet's own channel is private).
        wait_for_network(wallet, "the diamond's channels in our graph", |v| {
            v.channels >= 4 && v.nodes >= 4
        })
        .await;

        let dave = lab.node("Dave");
        assert_eq!(dave_holds(dave.node()), 0);
        let invoice = dave.request(PayBy::Invoice, TO_DAVE_SAT).unwrap();
        let id = start_paying(wallet, &invoice)
            .await
            .expect("payment starts");
        let paid = wait_for_payment(wallet, &id, PaymentState::Succeeded).await;
        assert_eq!(paid.amount_msat, Some(TO_DAVE_SAT * 1000));
        // Each path pays a fee to its two forwarding nodes (Alice, then Bob or Carol): their
        // channels' base fee, nothing proportional (LDK's defaults). LDK may split the payment
        // over both sides of the diamond, each part paying its own fees.
        let forward = |node: &ldk_node::Node| -> u64 {
            let c = &node.list_channels()[0].config;
            assert_eq!(c.forwarding_fee_proportional_millionths, 0);
            u64::from(c.forwarding_fee_base_msat)
        };
        let per_path = forward(lab.node("Alice").node()) + forward(lab.node("Bob").node());
        let fee = paid.fee_msat.expect("the fee paid");
        eprintln!("paid {fee} msat in fees, {per_path} msat a path");
        assert!(
            fee >= per_path && fee % per_path == 0 && fee <= 2 * per_path,
            "{paid:#?}"
        );

        let dave_id = dave.request(PayBy::Keysend, KEYSEND_SAT).unwrap();
        assert_eq!(dave_id, dave.node_id().to_string());
        lab.lab
            .node_pays("Alice", dave_id, KEYSEND_SAT)
            .await
            .expect("Alice's keysend to Dave");
        wait_for_peer(&dave, "Dave to hold both payments", |n| {
            dave_holds(n) == TO_DAVE_SAT + KEYSEND_SAT
        })
        .await;
        w.stop().await;
    });
}

//! LDK's router over small graphs built the way the wallet builds them: our channels as first
//! hops (through the same conversion), announced channels from LDK Node's kind of view.

use ldk_node::bitcoin::secp256k1::{PublicKey, Secp256k1, SecretKey};
use ldk_node::lightning::routing::gossip::{NodeId, RoutingFees};
use ldk_node::lightning::routing::router::{PaymentParameters, RouteHint, RouteHintHop};

use crate::core::lightning::graph::ForwardPolicy;

use super::graph::{build_graph, first_hop, fresh_scorer, GraphChannel, RoutingGraph, Terms};
use super::*;

fn key(n: u8) -> PublicKey {
    PublicKey::from_secret_key(&Secp256k1::new(), &SecretKey::from_slice(&[n; 32]).unwrap())
}

const US: u8 = 1;
const B: u8 = 2;
const C: u8 = 3;
const D: u8 = 4;
const E: u8 = 5;

fn terms(base_msat: u32, ppm: u32, cltv_expiry_delta: u16) -> Terms {
    Terms {
        last_update: crate::core::shared::now() as u32,
        htlc_minimum_msat: 1,
        htlc_maximum_msat: 5_000_000_000,
        policy: ForwardPolicy {
            base_msat,
            ppm,
            cltv_delta: cltv_expiry_delta,
            enabled: true,
        },
    }
}

/// An announced channel from `from` to `to` with `from`'s terms, and dearer terms the other
/// way (LDK routes only over channels with both directions announced); `None`: neither side
/// has announced terms.
fn announced(scid: u64, from: u8, to: u8, t: Option<Terms>) -> GraphChannel {
    let (a, b) = (
        NodeId::from_pubkey(&key(from)),
        NodeId::from_pubkey(&key(to)),
    );
    let back = t.map(|_| terms(50_000, 5_000, 144));
    // The lesser node id is "one"; direction one-to-two starts from it.
    let (node_one, node_two, one_to_two, two_to_one) = if a < b {
        (a, b, t, back)
    } else {
        (b, a, back, t)
    };
    GraphChannel {
        short_channel_id: real_scid(scid),
        node_one,
        node_two,
        capacity_sats: Some(10_000_000),
        one_to_two,
        two_to_one,
    }
}

/// A short channel id as a real one packs block, transaction and output (block 800,000).
fn real_scid(n: u64) -> u64 {
    (800_000 << 40) | (n << 16)
}

/// One of our channels (private) to `peer`, with `outbound_msat` we can send now.
fn ours(
    peer: u8,
    scid: u64,
    outbound_msat: u64,
) -> ldk_node::lightning::ln::channel_state::ChannelDetails {
    first_hop(&ldk_node::ChannelDetails {
        channel_id: ldk_node::lightning::ln::types::ChannelId([peer; 32]),
        counterparty_node_id: key(peer),
        funding_txo: None,
        short_channel_id: Some(real_scid(scid)),
        outbound_scid_alias: None,
        inbound_scid_alias: None,
        channel_value_sats: 10_000_000,
        unspendable_punishment_reserve: Some(10_000),
        user_channel_id: ldk_node::UserChannelId(u128::from(peer)),
        feerate_sat_per_1000_weight: 253,
        outbound_capacity_msat: outbound_msat,
        inbound_capacity_msat: 0,
        confirmations_required: Some(6),
        confirmations: Some(6),
        is_outbound: true,
        is_channel_ready: true,
        is_usable: true,
        is_announced: false,
        cltv_expiry_delta: Some(72),
        counterparty_unspendable_punishment_reserve: 10_000,
        counterparty_outbound_htlc_minimum_msat: Some(1),
        counterparty_outbound_htlc_maximum_msat: None,
        counterparty_forwarding_info_fee_base_msat: None,
        counterparty_forwarding_info_fee_proportional_millionths: None,
        counterparty_forwarding_info_cltv_expiry_delta: None,
        next_outbound_htlc_limit_msat: outbound_msat,
        next_outbound_htlc_minimum_msat: 1,
        force_close_spend_delay: None,
        inbound_htlc_minimum_msat: 1,
        inbound_htlc_maximum_msat: None,
        config: Default::default(),
    })
}

fn routing(channels: Vec<GraphChannel>) -> RoutingGraph {
    let n = channels.len();
    let graph = std::sync::Arc::new(build_graph(ldk_node::bitcoin::Network::Regtest, channels));
    RoutingGraph {
        scorer: fresh_scorer(graph.clone()),
        graph,
        channels: n,
        built: std::time::Instant::now(),
    }
}

fn route(
    g: &RoutingGraph,
    first: &[ldk_node::lightning::ln::channel_state::ChannelDetails],
    params: PaymentParameters,
    amount_msat: u64,
) -> Option<RoutePreview> {
    first_route(g, &key(US), Some(first), params, amount_msat, &[7; 32])
}

fn to(payee: u8) -> PaymentParameters {
    PaymentParameters::from_node_id(key(payee), 18)
}

fn path(r: &RoutePreview) -> Vec<String> {
    r.hops.iter().map(|h| h.node_id.clone()).collect()
}

#[test]
fn direct_when_the_payee_is_our_peer_with_room() {
    let g = routing(vec![]);
    let r = route(&g, &[ours(C, 100, 10_000_000)], to(C), 5_000_000).unwrap();
    assert_eq!(path(&r), vec![key(C).to_string()]);
    assert_eq!((r.fee_msat, r.parts), (0, 1));
    assert_eq!(r.cltv_total, 18);
    // Not enough room in the only channel: LDK finds nothing.
    assert_eq!(route(&g, &[ours(C, 100, 10_000)], to(C), 50_000), None);
}

#[test]
fn an_overpayment_is_not_a_fee() {
    // LDK keeps the payment at the channel's smallest (here raised as at a high commitment fee
    // rate) and sends that much: the extra goes to the payee, not to a forwarder.
    let g = routing(vec![]);
    let mut channel = ours(C, 100, 100_000_000);
    channel.next_outbound_htlc_minimum_msat = 40_000_000;
    // An invoice's payee, which takes a payment in parts (MPP): only then does LDK's router
    // look at sending more than asked.
    let mut features = ldk_node::lightning_types::features::Bolt11InvoiceFeatures::empty();
    features.set_variable_length_onion_required();
    features.set_payment_secret_required();
    features.set_basic_mpp_optional();
    let params = to(C).with_bolt11_features(features).unwrap();
    let r = route(&g, &[channel], params, 39_912_000).unwrap();
    assert_eq!(path(&r), vec![key(C).to_string()]);
    assert_eq!((r.fee_msat, r.overpaid_msat), (0, 88_000));
}

#[test]
fn the_cheaper_forwarder_with_its_fee_and_delta() {
    let g = routing(vec![
        announced(1, B, C, Some(terms(1_000, 0, 40))),
        announced(2, D, C, Some(terms(500, 1_000, 80))),
    ]);
    let first = [ours(B, 100, 10_000_000), ours(D, 101, 10_000_000)];
    // 1,000,000 msat: B charges 1,000; D 500 + 1,000 = 1,500.
    let r = route(&g, &first, to(C), 1_000_000).unwrap();
    assert_eq!(path(&r), vec![key(B).to_string(), key(C).to_string()]);
    assert_eq!(r.hops[0].fee_msat, 1_000);
    assert_eq!(r.hops[0].cltv_delta, 40);
    assert_eq!(r.fee_msat, 1_000);
    assert_eq!(r.cltv_total, 58);
    // B's channel cannot carry the amount and its fee: through D.
    let first = [ours(B, 100, 1_000_500), ours(D, 101, 10_000_000)];
    let r = route(&g, &first, to(C), 1_000_000).unwrap();
    assert_eq!(r.hops[0].node_id, key(D).to_string());
    assert_eq!(r.fee_msat, 1_500);
}

#[test]
fn any_number_of_hops() {
    let g = routing(vec![
        announced(1, B, C, Some(terms(1_000, 0, 40))),
        announced(2, C, D, Some(terms(2_000, 0, 30))),
        announced(3, D, E, Some(terms(0, 100, 20))),
    ]);
    let r = route(&g, &[ours(B, 100, 10_000_000)], to(E), 1_000_000).unwrap();
    assert_eq!(path(&r), [B, C, D, E].map(|n| key(n).to_string()).to_vec());
    // D: 100 ppm of 1,000,000 = 100; C: 2,000 on what it forwards; B: 1,000.
    assert_eq!(
        r.hops.iter().map(|h| h.fee_msat).collect::<Vec<_>>(),
        vec![1_000, 2_000, 100, 0]
    );
    assert_eq!(r.fee_msat, 3_100);
    assert_eq!(r.cltv_total, 40 + 30 + 20 + 18);
}

#[test]
fn unknown_terms_disabled_channels_and_strangers_give_no_route() {
    let mut off = terms(0, 0, 40);
    off.policy.enabled = false;
    // A third channel with one direction's terms only: LDK does not route over it either.
    let one_side = GraphChannel {
        one_to_two: Some(terms(0, 0, 40)),
        two_to_one: None,
        ..announced(3, B, C, None)
    };
    let g = routing(vec![
        announced(1, B, C, None),
        announced(2, D, C, Some(off)),
        one_side,
    ]);
    let first = [ours(B, 100, 10_000_000), ours(D, 101, 10_000_000)];
    assert_eq!(route(&g, &first, to(C), 1_000), None);
    assert_eq!(route(&g, &first, to(E), 1_000), None);
}

#[test]
fn an_invoice_hint_from_our_peer_counts() {
    let g = routing(vec![]);
    let hint = RouteHint(vec![RouteHintHop {
        src_node_id: key(B),
        short_channel_id: 555,
        fees: RoutingFees {
            base_msat: 2_000,
            proportional_millionths: 0,
        },
        cltv_expiry_delta: 144,
        htlc_minimum_msat: None,
        htlc_maximum_msat: None,
    }]);
    let params = to(C).with_route_hints(vec![hint]).unwrap();
    let r = route(&g, &[ours(B, 100, 1_000_000)], params, 1_000).unwrap();
    assert_eq!(path(&r), vec![key(B).to_string(), key(C).to_string()]);
    assert_eq!(r.fee_msat, 2_000);
    assert_eq!(r.cltv_total, 144 + 18);
}

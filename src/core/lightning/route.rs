//! The route a payment will most likely take, shown before paying: LDK's router picks the real
//! one when the payment starts (ldk-node offers no dry run), so this finds the cheapest path it
//! can see with at most one node between us and the payee — over our own channels, our peers'
//! announced channels, and the payee's route hints — with each hop's fee and CLTV delta.
//! Longer or blinded paths are left to the router and said so.

use std::sync::Arc;

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::Node;

use crate::core::input::paste::PaymentTarget;
use crate::core::lightning::graph::{self, ForwardPolicy, NetworkView};
use crate::core::{blocking, Error};

/// What ldk-node asks the payee's last hop for in a keysend (no invoice to say otherwise).
const KEYSEND_FINAL_CLTV: u32 = 144;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePreview {
    /// After us, in order; the last one is the payee.
    pub hops: Vec<RouteHop>,
    /// Sum of the forwarding fees.
    pub fee_msat: u64,
    /// Blocks the HTLC we offer can stay locked at most: the payee's final delta plus every
    /// forwarding node's delta.
    pub cltv_total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteHop {
    pub node_id: String,
    /// Outside text: sanitise before showing.
    pub alias: Option<String>,
    /// What this node charges to forward (0 for the payee).
    pub fee_msat: u64,
    pub cltv_delta: u32,
}

/// One of our usable channels, as far as routing cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstHop {
    pub peer: String,
    pub outbound_msat: u64,
}

/// A path the payee's invoice suggests: from `from` over a private channel to the payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub from: String,
    pub policy: ForwardPolicy,
}

/// The cheapest path of at most two hops to `payee` that carries `amount_msat` (plus fees)
/// over one of `ours`; `None` when no such path is visible.
pub fn likely_route(
    payee: &str,
    amount_msat: u64,
    final_cltv: u32,
    ours: &[FirstHop],
    graph: &NetworkView,
    hints: &[Hint],
) -> Option<RoutePreview> {
    let fits = |peer: &str, msat: u64| {
        ours.iter()
            .any(|c| c.peer == peer && c.outbound_msat >= msat)
    };
    let alias_of = |id: &str| {
        graph
            .neighbours
            .iter()
            .find(|n| n.node_id == id)
            .and_then(|n| n.alias.clone())
            .or_else(|| {
                graph
                    .neighbours
                    .iter()
                    .flat_map(|n| &n.links)
                    .find(|l| l.to == id)
                    .and_then(|l| l.to_alias.clone())
            })
    };
    let payee_hop = RouteHop {
        node_id: payee.to_string(),
        alias: alias_of(payee),
        fee_msat: 0,
        cltv_delta: final_cltv,
    };
    if fits(payee, amount_msat) {
        return Some(RoutePreview {
            hops: vec![payee_hop],
            fee_msat: 0,
            cltv_total: final_cltv,
        });
    }
    // Through one of our peers: its announced channel to the payee, or the payee's hint.
    let announced = graph.neighbours.iter().flat_map(|n| {
        n.links
            .iter()
            .filter(|l| l.to == payee)
            .filter_map(move |l| l.policy.map(|p| (n.node_id.as_str(), p)))
    });
    let hinted = hints.iter().map(|h| (h.from.as_str(), h.policy));
    announced
        .chain(hinted)
        .filter(|(_, p)| p.enabled)
        .map(|(via, p)| (via, p, p.fee_msat(amount_msat)))
        .filter(|(via, _, fee)| fits(via, amount_msat.saturating_add(*fee)))
        .min_by_key(|(_, p, fee)| (*fee, p.cltv_delta))
        .map(|(via, p, fee)| RoutePreview {
            hops: vec![
                RouteHop {
                    node_id: via.to_string(),
                    alias: alias_of(via),
                    fee_msat: fee,
                    cltv_delta: u32::from(p.cltv_delta),
                },
                payee_hop,
            ],
            fee_msat: fee,
            cltv_total: final_cltv + u32::from(p.cltv_delta),
        })
}

/// The likely route for paying `target` `amount_msat`; `None` when the router will have to
/// search further (or the payee hides behind blinded paths, as BOLT12 offers do). `rapid`: how
/// the node learns the graph (see [`graph::read`]).
pub async fn preview(
    node: Arc<Node>,
    rapid: bool,
    target: PaymentTarget,
    amount_msat: u64,
) -> Result<Option<RoutePreview>, Error> {
    let (payee, final_cltv, hints): (PublicKey, u32, Vec<Hint>) = match &target {
        PaymentTarget::Bolt11 { invoice, .. } => (
            invoice.get_payee_pub_key(),
            u32::try_from(invoice.min_final_cltv_expiry_delta()).unwrap_or(u32::MAX),
            invoice
                .route_hints()
                .iter()
                .filter_map(|h| match h.0.as_slice() {
                    [only] => Some(Hint {
                        from: only.src_node_id.to_string(),
                        policy: ForwardPolicy {
                            base_msat: only.fees.base_msat,
                            ppm: only.fees.proportional_millionths,
                            cltv_delta: only.cltv_expiry_delta,
                            enabled: true,
                        },
                    }),
                    _ => None,
                })
                .collect(),
        ),
        PaymentTarget::Keysend { node_id } => (*node_id, KEYSEND_FINAL_CLTV, Vec::new()),
        PaymentTarget::Bolt12 { .. } | PaymentTarget::Onchain { .. } => return Ok(None),
    };
    let graph = graph::read(node.clone(), rapid).await?;
    blocking(move || {
        let ours: Vec<FirstHop> = node
            .list_channels()
            .iter()
            .filter(|c| c.is_usable)
            .map(|c| FirstHop {
                peer: c.counterparty_node_id.to_string(),
                outbound_msat: c.next_outbound_htlc_limit_msat,
            })
            .collect();
        Ok(likely_route(
            &payee.to_string(),
            amount_msat,
            final_cltv,
            &ours,
            &graph,
            &hints,
        ))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::graph::{GossipState, GraphLink, Neighbour};

    const B: &str = "02bb";
    const C: &str = "02cc";
    const D: &str = "02dd";

    fn policy(base_msat: u32, ppm: u32, cltv_delta: u16) -> ForwardPolicy {
        ForwardPolicy {
            base_msat,
            ppm,
            cltv_delta,
            enabled: true,
        }
    }

    fn graph(links: Vec<(&str, &str, Option<ForwardPolicy>)>) -> NetworkView {
        let mut neighbours: Vec<Neighbour> = Vec::new();
        for (from, to, p) in links {
            let link = GraphLink {
                short_channel_id: 1,
                to: to.into(),
                to_alias: Some(format!("alias-{to}")),
                capacity_sat: None,
                policy: p,
            };
            match neighbours.iter_mut().find(|n| n.node_id == from) {
                Some(n) => n.links.push(link),
                None => neighbours.push(Neighbour {
                    node_id: from.into(),
                    alias: Some(format!("alias-{from}")),
                    connected: true,
                    our_channels: 1,
                    links: vec![link],
                }),
            }
        }
        NetworkView {
            our_id: "02aa".into(),
            nodes: 4,
            channels: 3,
            gossip: GossipState::PeerToPeer,
            neighbours,
        }
    }

    fn ours(peer: &str, outbound_msat: u64) -> FirstHop {
        FirstHop {
            peer: peer.into(),
            outbound_msat,
        }
    }

    #[test]
    fn direct_when_the_payee_is_our_peer_with_room() {
        let r = likely_route(C, 5_000, 40, &[ours(C, 10_000)], &graph(vec![]), &[]).unwrap();
        assert_eq!(r.hops.len(), 1);
        assert_eq!((r.fee_msat, r.cltv_total), (0, 40));
        // Not enough room in the direct channel: no visible route.
        assert_eq!(
            likely_route(C, 50_000, 40, &[ours(C, 10_000)], &graph(vec![]), &[]),
            None
        );
    }

    #[test]
    fn cheapest_peer_in_between_with_its_fee_and_delta() {
        let g = graph(vec![
            (B, C, Some(policy(1_000, 0, 40))),
            (D, C, Some(policy(500, 1_000, 80))),
        ]);
        let first = [ours(B, 10_000_000), ours(D, 10_000_000)];
        // 1,000,000 msat: B charges 1,000; D 500 + 1,000 = 1,500.
        let r = likely_route(C, 1_000_000, 18, &first, &g, &[]).unwrap();
        assert_eq!(r.hops[0].node_id, B);
        assert_eq!(r.hops[0].alias.as_deref(), Some("alias-02bb"));
        assert_eq!(r.hops[1].alias.as_deref(), Some("alias-02cc"));
        assert_eq!(r.fee_msat, 1_000);
        assert_eq!(r.cltv_total, 58);
        // B's channel cannot carry amount + fee: D it is.
        let r = likely_route(
            C,
            1_000_000,
            18,
            &[ours(B, 1_000_500), ours(D, 10_000_000)],
            &g,
            &[],
        )
        .unwrap();
        assert_eq!((r.hops[0].node_id.as_str(), r.fee_msat), (D, 1_500));
    }

    #[test]
    fn unknown_terms_disabled_channels_and_strangers_give_no_route() {
        let mut off = policy(0, 0, 40);
        off.enabled = false;
        let g = graph(vec![(B, C, None), (D, C, Some(off))]);
        let first = [ours(B, 10_000_000), ours(D, 10_000_000)];
        assert_eq!(likely_route(C, 1_000, 18, &first, &g, &[]), None);
        assert_eq!(likely_route("02ee", 1_000, 18, &first, &g, &[]), None);
    }

    #[test]
    fn an_invoice_hint_from_our_peer_counts() {
        let hint = Hint {
            from: B.into(),
            policy: policy(2_000, 0, 144),
        };
        let r = likely_route(C, 1_000, 18, &[ours(B, 1_000_000)], &graph(vec![]), &[hint]).unwrap();
        assert_eq!(r.fee_msat, 2_000);
        assert_eq!(r.cltv_total, 162);
    }
}

//! The route LDK's router would try first, shown before paying: LDK's own `find_route` over the
//! channel graph LDK Node knows, with the scores LDK Node learnt from its payments, from our
//! usable channels, any number of hops. It is the first route tried: a payment that fails on
//! the way is retried by LDK over others, and LDK may split a large payment into several parts.

pub mod graph;

use std::sync::{Arc, Mutex};

use ldk_node::bitcoin::secp256k1::PublicKey;
use ldk_node::lightning::routing::gossip::NodeId;
use ldk_node::lightning::routing::router::{find_route, Payee, PaymentParameters, RouteParameters};
use ldk_node::lightning::routing::scoring::ProbabilisticScoringFeeParameters;
use ldk_node::Node;

use crate::core::input::paste::PaymentTarget;
use crate::core::store::mirror::MirrorStore;
use crate::core::{blocking, Error};

use graph::RoutingGraph;

/// What LDK Node asks the payee's last hop for in a keysend (LDK's default final delta).
const KEYSEND_FINAL_CLTV: u32 = 144;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePreview {
    /// The first part's hops after us, in order; the last one is the payee.
    pub hops: Vec<RouteHop>,
    /// Every part's forwarding fees together (what the payment's record books as its fee).
    pub fee_msat: u64,
    /// Sent to the payee beyond the amount, to meet a channel's smallest payment on the way:
    /// a cost like the fee, booked apart from it (as the payment's record does).
    pub overpaid_msat: u64,
    /// Blocks the HTLCs we offer can stay locked at most: over the parts, the largest sum of
    /// the forwarding nodes' deltas and the payee's final delta. LDK adds a few random blocks
    /// on top when it pays (a "shadow route", so the last hop cannot tell it is the last),
    /// drawn afresh for each attempt: they are not counted here.
    pub cltv_total: u32,
    /// How many parts LDK splits the payment into (1: not split).
    pub parts: usize,
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

/// The graph built for previews, kept while LDK Node's view has as many channels and for a
/// short while (see [`graph::GRAPH_MAX_AGE`]).
pub struct GraphCache {
    network: ldk_node::bitcoin::Network,
    built: Mutex<Option<Arc<RoutingGraph>>>,
}

impl std::fmt::Debug for GraphCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GraphCache")
    }
}

impl GraphCache {
    pub fn new(network: ldk_node::bitcoin::Network) -> Self {
        GraphCache {
            network,
            built: Mutex::new(None),
        }
    }

    /// The graph for LDK Node's view now, built again when the cached one is stale.
    fn get(
        &self,
        node: &Node,
        store: &MirrorStore,
    ) -> Result<Arc<RoutingGraph>, graph::ScoresError> {
        let view = node.network_graph();
        let scids = view.list_channels();
        let mut cached = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(g) = cached.as_ref().filter(|g| g.fresh(scids.len())) {
            return Ok(g.clone());
        }
        let channels = scids.iter().filter_map(|scid| {
            view.channel(*scid)
                .map(|c| graph::GraphChannel::from_view(*scid, &c))
        });
        let ldk_graph = Arc::new(graph::build_graph(self.network, channels));
        let scorer = graph::read_scorer(store, ldk_graph.clone())?;
        let built = Arc::new(RoutingGraph {
            graph: ldk_graph,
            scorer,
            channels: scids.len(),
            built: std::time::Instant::now(),
        });
        *cached = Some(built.clone());
        Ok(built)
    }
}

/// The route LDK would try first to pay `amount_msat` as `params` say, from `payer` over
/// `first_hops` (our channels; `None`: the payer's channels in the graph); `None` when LDK
/// finds none.
pub fn first_route(
    routing: &RoutingGraph,
    payer: &PublicKey,
    first_hops: Option<&[ldk_node::lightning::ln::channel_state::ChannelDetails]>,
    params: PaymentParameters,
    amount_msat: u64,
    random_seed: &[u8; 32],
) -> Option<RoutePreview> {
    let hops: Option<Vec<&_>> = first_hops.map(|h| h.iter().collect());
    let final_delta = match &params.payee {
        Payee::Clear {
            final_cltv_expiry_delta,
            ..
        } => Some(*final_cltv_expiry_delta),
        Payee::Blinded { .. } => None,
    };
    let route_params = RouteParameters::from_payment_params_and_value(params, amount_msat);
    let route = find_route(
        payer,
        &route_params,
        &routing.graph,
        hops.as_deref(),
        Arc::new(graph::RouterLog),
        &routing.scorer,
        &ProbabilisticScoringFeeParameters::default(),
        random_seed,
    )
    .map_err(|e| log::info!("LDK's router finds no route: {e}"))
    .ok()?;
    let first = route.paths.iter().max_by_key(|p| p.final_value_msat())?;
    // The last hop's delta as LDK returns it carries the shadow route's random blocks.
    let deltas = |p: &ldk_node::lightning::routing::router::Path| -> Vec<u32> {
        let last = p.hops.len().saturating_sub(1);
        p.hops
            .iter()
            .enumerate()
            .map(|(i, h)| match final_delta {
                Some(d) if i == last => d,
                _ => h.cltv_expiry_delta,
            })
            .collect()
    };
    let last = first.hops.len().saturating_sub(1);
    let hops = first
        .hops
        .iter()
        .zip(deltas(first))
        .enumerate()
        .map(|(i, (h, cltv_delta))| RouteHop {
            node_id: h.pubkey.to_string(),
            alias: None,
            fee_msat: if i == last { 0 } else { h.fee_msat },
            cltv_delta,
        })
        .collect();
    Some(RoutePreview {
        hops,
        // LDK's total counts the overpayment as a fee; its payment record does not.
        fee_msat: route.paths.iter().map(|p| p.fee_msat()).sum(),
        overpaid_msat: route.get_total_amount().saturating_sub(amount_msat),
        cltv_total: route
            .paths
            .iter()
            .map(|p| deltas(p).iter().sum::<u32>())
            .max()
            .unwrap_or(0),
        parts: route.paths.len(),
    })
}

/// The route LDK would try first for paying `target` `amount_msat`; `None` when it finds none
/// (or the payee hides behind blinded paths, as BOLT12 offers do, which the router learns only
/// from the invoice it asks for when paying).
pub async fn preview(
    node: Arc<Node>,
    store: Arc<MirrorStore>,
    cache: Arc<GraphCache>,
    target: PaymentTarget,
    amount_msat: u64,
) -> Result<Option<RoutePreview>, Error> {
    let params = match &target {
        PaymentTarget::Bolt11 { invoice, .. } => PaymentParameters::from_bolt11_invoice(invoice),
        PaymentTarget::Keysend { node_id } => {
            PaymentParameters::for_keysend(*node_id, KEYSEND_FINAL_CLTV, false)
        }
        PaymentTarget::Bolt12 { .. } | PaymentTarget::Onchain { .. } => return Ok(None),
    };
    blocking(move || {
        let routing = cache.get(&node, &store).map_err(|e| {
            Error::Internal(format!(
                "the route preview could not read LDK's scores: {e}"
            ))
        })?;
        let first_hops: Vec<_> = node
            .list_channels()
            .iter()
            .filter(|c| c.is_usable)
            .map(graph::first_hop)
            .collect();
        let seed: [u8; 32] = rand::random();
        let mut route = first_route(
            &routing,
            &node.node_id(),
            Some(&first_hops),
            params,
            amount_msat,
            &seed,
        );
        if let Some(r) = route.as_mut() {
            let view = node.network_graph();
            for hop in &mut r.hops {
                hop.alias = hop
                    .node_id
                    .parse::<PublicKey>()
                    .ok()
                    .and_then(|pk| view.node(&NodeId::from_pubkey(&pk)))
                    .and_then(|n| n.announcement_info)
                    .map(|a| a.alias().to_string());
            }
        }
        Ok(route)
    })
    .await
}

#[cfg(test)]
mod tests;

//! LDK's own routing inputs, rebuilt from what LDK Node offers: a `NetworkGraph` from LDK Node's
//! view of the graph, the scorer LDK Node persisted (with the external scores it fetched, if
//! any), and our channels as LDK's first hops. LDK Node keeps its graph and scorer private; its
//! public graph view has every channel's announced terms, which is all the router reads.

use std::io::Cursor;
use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ldk_node::bitcoin::constants::ChainHash;
use ldk_node::lightning::ln::channel_state::{
    ChannelCounterparty, ChannelDetails, CounterpartyForwardingInfo,
};
use ldk_node::lightning::ln::msgs::UnsignedChannelUpdate;
use ldk_node::lightning::ln::types::ChannelId;
use ldk_node::lightning::routing::gossip::{ChannelInfo, NetworkGraph, NodeId};
use ldk_node::lightning::routing::scoring::{
    ChannelLiquidities, CombinedScorer, ProbabilisticScorer, ProbabilisticScoringDecayParameters,
};
use ldk_node::lightning::types::features::ChannelFeatures;
use ldk_node::lightning::util::logger::{Logger, Record};

use crate::core::lightning::graph::ForwardPolicy;
use ldk_node::lightning::util::persist::{
    KVStoreSync, SCORER_PERSISTENCE_KEY, SCORER_PERSISTENCE_PRIMARY_NAMESPACE,
    SCORER_PERSISTENCE_SECONDARY_NAMESPACE,
};
use ldk_node::lightning::util::ser::{Readable, ReadableArgs};

/// Where LDK Node caches the external pathfinding scores it fetched (its own key, not LDK's).
const EXTERNAL_SCORES_KEY: &str = "external_pathfinding_scores_cache";

/// How long a built graph serves previews before it is built again from LDK Node's view (a
/// new channel or a changed count of channels builds it at once).
pub const GRAPH_MAX_AGE: Duration = Duration::from_secs(30);

/// LDK's router logs at length while it searches; this passes only warnings on.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouterLog;

impl Logger for RouterLog {
    fn log(&self, record: Record) {
        if record.level >= ldk_node::lightning::util::logger::Level::Warn {
            log::warn!("LDK router: {}", record.args);
        }
    }
}

/// `Arc` for the logger: the graph and scorer want a `Deref` to one.
pub type Log = Arc<RouterLog>;
pub type Graph = NetworkGraph<Log>;
pub type Scorer = CombinedScorer<Arc<Graph>, Log>;

/// A channel as the router needs it: its ends, its capacity and each direction's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphChannel {
    pub short_channel_id: u64,
    pub node_one: NodeId,
    pub node_two: NodeId,
    pub capacity_sats: Option<u64>,
    pub one_to_two: Option<Terms>,
    pub two_to_one: Option<Terms>,
}

/// What a node allows to forward over a channel in one direction and at what price (its last
/// channel update): the forwarding policy the Network screen shows, with what the router needs
/// besides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    pub last_update: u32,
    pub htlc_minimum_msat: u64,
    pub htlc_maximum_msat: u64,
    pub policy: ForwardPolicy,
}

impl GraphChannel {
    /// A channel as LDK Node's graph view lists it.
    pub fn from_view(short_channel_id: u64, c: &ChannelInfo) -> Self {
        let terms = |u: &Option<ldk_node::lightning::routing::gossip::ChannelUpdateInfo>| {
            u.as_ref().map(|u| Terms {
                last_update: u.last_update,
                htlc_minimum_msat: u.htlc_minimum_msat,
                htlc_maximum_msat: u.htlc_maximum_msat,
                policy: ForwardPolicy::of(u),
            })
        };
        GraphChannel {
            short_channel_id,
            node_one: c.node_one,
            node_two: c.node_two,
            capacity_sats: c.capacity_sats,
            one_to_two: terms(&c.one_to_two),
            two_to_one: terms(&c.two_to_one),
        }
    }
}

/// LDK's graph and scorer, built for route previews.
pub struct RoutingGraph {
    pub graph: Arc<Graph>,
    pub scorer: Scorer,
    /// How many channels LDK Node's view had when this was built.
    pub channels: usize,
    pub built: Instant,
}

impl RoutingGraph {
    /// Whether this still stands for a view with `channels` channels.
    pub fn fresh(&self, channels: usize) -> bool {
        self.channels == channels && self.built.elapsed() < GRAPH_MAX_AGE
    }
}

/// Builds LDK's graph from `channels`. Channels LDK refuses (a stale or malformed update) are
/// left out, as LDK's own gossip handling would.
pub fn build_graph(
    network: ldk_node::bitcoin::Network,
    channels: impl IntoIterator<Item = GraphChannel>,
) -> Graph {
    let graph = NetworkGraph::new(network, Arc::new(RouterLog));
    let chain_hash = ChainHash::using_genesis_block(network);
    let now = crate::core::shared::now();
    for c in channels {
        let scid = c.short_channel_id;
        if graph
            .add_channel_from_partial_announcement(
                scid,
                c.capacity_sats,
                now,
                ChannelFeatures::empty(),
                c.node_one,
                c.node_two,
            )
            .is_err()
        {
            continue;
        }
        for (direction, terms) in [(0u8, c.one_to_two), (1u8, c.two_to_one)] {
            let Some(t) = terms else { continue };
            let _ = graph.update_channel_unsigned(&UnsignedChannelUpdate {
                chain_hash,
                short_channel_id: scid,
                timestamp: t.last_update,
                // Bit 0: htlc_maximum_msat is present (always, since 2022).
                message_flags: 1,
                channel_flags: direction | if t.policy.enabled { 0 } else { 2 },
                cltv_expiry_delta: t.policy.cltv_delta,
                htlc_minimum_msat: t.htlc_minimum_msat,
                htlc_maximum_msat: t.htlc_maximum_msat,
                fee_base_msat: t.policy.base_msat,
                fee_proportional_millionths: t.policy.ppm,
                excess_data: Vec::new(),
            });
        }
    }
    graph
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoresError {
    #[error("LDK Node's stored scores could not be read: {0}")]
    Unreadable(String),
}

/// The scorer LDK Node persisted in `store` (learnt from its own payments), with the external
/// scores it cached merged in, over `graph`. A wallet that has not persisted one yet starts
/// from a fresh scorer, as LDK Node itself does; a stored one that cannot be read is an error.
pub fn read_scorer<S: Deref>(store: S, graph: Arc<Graph>) -> Result<Scorer, ScoresError>
where
    S::Target: KVStoreSync,
{
    let log: Log = Arc::new(RouterLog);
    let decay = ProbabilisticScoringDecayParameters::default();
    let local = match store.read(
        SCORER_PERSISTENCE_PRIMARY_NAMESPACE,
        SCORER_PERSISTENCE_SECONDARY_NAMESPACE,
        SCORER_PERSISTENCE_KEY,
    ) {
        Ok(bytes) => {
            ProbabilisticScorer::read(&mut Cursor::new(bytes), (decay, graph.clone(), log.clone()))
                .map_err(|e| ScoresError::Unreadable(format!("{e:?}")))?
        }
        Err(e) if e.kind() == ldk_node::lightning::io::ErrorKind::NotFound => {
            return merge_external(&*store, fresh_scorer(graph));
        }
        Err(e) => return Err(ScoresError::Unreadable(e.to_string())),
    };
    merge_external(&*store, CombinedScorer::new(local))
}

/// A scorer that has learnt nothing yet (LDK's defaults).
pub fn fresh_scorer(graph: Arc<Graph>) -> Scorer {
    let decay = ProbabilisticScoringDecayParameters::default();
    CombinedScorer::new(ProbabilisticScorer::new(decay, graph, Arc::new(RouterLog)))
}

/// Merges in the external scores LDK Node cached, if it fetched any.
fn merge_external(
    store: &(impl KVStoreSync + ?Sized),
    mut scorer: Scorer,
) -> Result<Scorer, ScoresError> {
    match store.read(
        SCORER_PERSISTENCE_PRIMARY_NAMESPACE,
        SCORER_PERSISTENCE_SECONDARY_NAMESPACE,
        EXTERNAL_SCORES_KEY,
    ) {
        Ok(bytes) => {
            let external = ChannelLiquidities::read(&mut Cursor::new(bytes))
                .map_err(|e| ScoresError::Unreadable(format!("{e:?}")))?;
            let since_epoch = Duration::from_secs(crate::core::shared::now());
            scorer.merge(external, since_epoch);
        }
        Err(e) if e.kind() == ldk_node::lightning::io::ErrorKind::NotFound => {}
        Err(e) => return Err(ScoresError::Unreadable(e.to_string())),
    }
    Ok(scorer)
}

/// One of our channels as LDK's router takes it as a first hop. LDK Node lists the same facts
/// LDK's channel manager does, flattened; the peer's features are taken to be LDK's own.
pub fn first_hop(c: &ldk_node::ChannelDetails) -> ChannelDetails {
    let forwarding_info = match (
        c.counterparty_forwarding_info_fee_base_msat,
        c.counterparty_forwarding_info_fee_proportional_millionths,
        c.counterparty_forwarding_info_cltv_expiry_delta,
    ) {
        (Some(fee_base_msat), Some(fee_proportional_millionths), Some(cltv_expiry_delta)) => {
            Some(CounterpartyForwardingInfo {
                fee_base_msat,
                fee_proportional_millionths,
                cltv_expiry_delta,
            })
        }
        _ => None,
    };
    ChannelDetails {
        channel_id: ChannelId(c.channel_id.0),
        counterparty: ChannelCounterparty {
            node_id: c.counterparty_node_id,
            features: ldk_node::lightning::ln::channelmanager::provided_init_features(
                &Default::default(),
            ),
            unspendable_punishment_reserve: c.counterparty_unspendable_punishment_reserve,
            forwarding_info,
            outbound_htlc_minimum_msat: c.counterparty_outbound_htlc_minimum_msat,
            outbound_htlc_maximum_msat: c.counterparty_outbound_htlc_maximum_msat,
        },
        funding_txo: c.funding_txo.and_then(|o| {
            Some(ldk_node::lightning::chain::transaction::OutPoint {
                txid: o.txid,
                index: u16::try_from(o.vout).ok()?,
            })
        }),
        channel_type: None,
        short_channel_id: c.short_channel_id,
        outbound_scid_alias: c.outbound_scid_alias,
        inbound_scid_alias: c.inbound_scid_alias,
        channel_value_satoshis: c.channel_value_sats,
        unspendable_punishment_reserve: c.unspendable_punishment_reserve,
        user_channel_id: c.user_channel_id.0,
        feerate_sat_per_1000_weight: Some(c.feerate_sat_per_1000_weight),
        outbound_capacity_msat: c.outbound_capacity_msat,
        next_outbound_htlc_limit_msat: c.next_outbound_htlc_limit_msat,
        next_outbound_htlc_minimum_msat: c.next_outbound_htlc_minimum_msat,
        inbound_capacity_msat: c.inbound_capacity_msat,
        confirmations_required: c.confirmations_required,
        confirmations: c.confirmations,
        force_close_spend_delay: c.force_close_spend_delay,
        is_outbound: c.is_outbound,
        is_channel_ready: c.is_channel_ready,
        channel_shutdown_state: None,
        is_usable: c.is_usable,
        is_announced: c.is_announced,
        inbound_htlc_minimum_msat: Some(c.inbound_htlc_minimum_msat),
        inbound_htlc_maximum_msat: c.inbound_htlc_maximum_msat,
        config: None,
        pending_inbound_htlcs: Vec::new(),
        pending_outbound_htlcs: Vec::new(),
        funding_redeem_script: None,
    }
}

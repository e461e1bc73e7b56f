//! What the embedded router knows: the public channel graph our node learned from gossip (peer
//! to peer, or a Rapid Gossip Sync snapshot), counted, and our neighbourhood in it — our peers,
//! the channels they announced, and what each charges to forward. LDK keeps the graph and finds
//! routes over it; this module only reads it for people.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use ldk_node::lightning::routing::gossip::{ChannelInfo, ChannelUpdateInfo, NodeId};
use ldk_node::Node;

use crate::core::blocking;
use crate::core::Error;

/// The graph as the Network screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphView {
    pub our_id: String,
    /// Nodes and channels the graph holds (announced ones only; private channels are not in it).
    pub nodes: usize,
    pub channels: usize,
    pub gossip: GossipState,
    /// Our peers, connected or with a channel, sorted by node id.
    pub neighbours: Vec<Neighbour>,
}

/// Where the graph comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GossipState {
    /// Learned from our peers' gossip messages, continuously.
    PeerToPeer,
    /// From a Rapid Gossip Sync server; `last_snapshot` is the snapshot's Unix time, if one
    /// arrived yet.
    Rapid { last_snapshot: Option<u64> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub node_id: String,
    /// As announced by the node itself: outside text, sanitise before showing.
    pub alias: Option<String>,
    pub connected: bool,
    /// Our open channels with it (announced or not).
    pub our_channels: usize,
    /// Its announced channels to other nodes, as far as gossip told us.
    pub links: Vec<GraphLink>,
}

/// One announced channel of a neighbour to a third node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphLink {
    pub short_channel_id: u64,
    pub to: String,
    pub to_alias: Option<String>,
    pub capacity_sat: Option<u64>,
    /// What the neighbour charges to forward into this channel; `None` until its channel update
    /// arrived (LDK cannot route through it before).
    pub policy: Option<ForwardPolicy>,
}

/// A node's forwarding terms for one channel direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardPolicy {
    pub base_msat: u32,
    pub ppm: u32,
    pub cltv_delta: u16,
    pub enabled: bool,
}

impl ForwardPolicy {
    /// The fee for forwarding `amount_msat`, as BOLT 7 computes it.
    pub fn fee_msat(&self, amount_msat: u64) -> u64 {
        u64::from(self.base_msat) + amount_msat.saturating_mul(u64::from(self.ppm)) / 1_000_000
    }

    /// The policy a channel update announced.
    pub(crate) fn of(update: &ChannelUpdateInfo) -> Self {
        ForwardPolicy {
            base_msat: update.fees.base_msat,
            ppm: update.fees.proportional_millionths,
            cltv_delta: update.cltv_expiry_delta,
            enabled: update.enabled,
        }
    }
}

/// An announced channel, both directions, as read from the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub short_channel_id: u64,
    pub one: String,
    pub two: String,
    pub capacity_sat: Option<u64>,
    /// `one`'s terms to forward towards `two`, and the reverse.
    pub one_to_two: Option<ForwardPolicy>,
    pub two_to_one: Option<ForwardPolicy>,
}

impl Edge {
    fn of(scid: u64, c: &ChannelInfo) -> Self {
        Edge {
            short_channel_id: scid,
            one: c.node_one.to_string(),
            two: c.node_two.to_string(),
            capacity_sat: c.capacity_sats,
            one_to_two: c.one_to_two.as_ref().map(ForwardPolicy::of),
            two_to_one: c.two_to_one.as_ref().map(ForwardPolicy::of),
        }
    }

    /// Seen from `from`: the other end and `from`'s terms towards it.
    fn from(&self, from: &str) -> Option<(&str, Option<ForwardPolicy>)> {
        if self.one == from {
            Some((&self.two, self.one_to_two))
        } else if self.two == from {
            Some((&self.one, self.two_to_one))
        } else {
            None
        }
    }
}

/// A peer as our node lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerFact {
    pub node_id: String,
    pub connected: bool,
    pub our_channels: usize,
}

/// Puts the neighbourhood together from plain facts (so it is testable without a node).
/// Channels between a neighbour and us are left out of its links: they are drawn as ours.
pub fn neighbourhood(
    our_id: &str,
    peers: &[PeerFact],
    edges: &[Edge],
    aliases: &HashMap<String, String>,
) -> Vec<Neighbour> {
    let mut out: BTreeMap<&str, Neighbour> = BTreeMap::new();
    for p in peers.iter().filter(|p| p.node_id != our_id) {
        let links = edges
            .iter()
            .filter_map(|e| {
                let (to, policy) = e.from(&p.node_id)?;
                (to != our_id).then(|| GraphLink {
                    short_channel_id: e.short_channel_id,
                    to: to.to_string(),
                    to_alias: aliases.get(to).cloned(),
                    capacity_sat: e.capacity_sat,
                    policy,
                })
            })
            .collect();
        out.insert(
            &p.node_id,
            Neighbour {
                node_id: p.node_id.clone(),
                alias: aliases.get(&p.node_id).cloned(),
                connected: p.connected,
                our_channels: p.our_channels,
                links,
            },
        );
    }
    out.into_values().collect()
}

/// Reads the graph: counts, gossip state and our neighbourhood. `rapid`: the graph comes from a
/// Rapid Gossip Sync server rather than from peers' gossip.
pub async fn read(node: Arc<Node>, rapid: bool) -> Result<GraphView, Error> {
    let our_id = node.node_id().to_string();
    blocking(move || {
        let graph = node.network_graph();
        let channels = node.list_channels();
        let mut peers: BTreeMap<String, PeerFact> = BTreeMap::new();
        for p in node.list_peers() {
            peers.insert(
                p.node_id.to_string(),
                PeerFact {
                    node_id: p.node_id.to_string(),
                    connected: p.is_connected,
                    our_channels: 0,
                },
            );
        }
        for c in &channels {
            let id = c.counterparty_node_id.to_string();
            peers
                .entry(id.clone())
                .or_insert(PeerFact {
                    node_id: id,
                    connected: false,
                    our_channels: 0,
                })
                .our_channels += 1;
        }
        let peers: Vec<PeerFact> = peers.into_values().collect();
        // Only the neighbours' channels are read, not the whole graph (tens of thousands
        // of channels on mainnet).
        let mut edges = Vec::new();
        let mut aliases = HashMap::new();
        let mut alias_of = |id: &NodeId| {
            if let Some(a) = graph
                .node(id)
                .and_then(|n| n.announcement_info)
                .map(|a| a.alias().to_string())
            {
                aliases.insert(id.to_string(), a);
            }
        };
        for p in &peers {
            let Ok(id) = p.node_id.parse::<NodeId>() else {
                continue;
            };
            alias_of(&id);
            let Some(info) = graph.node(&id) else {
                continue;
            };
            for scid in info.channels {
                if let Some(c) = graph.channel(scid) {
                    let edge = Edge::of(scid, &c);
                    let other = if c.node_one == id {
                        c.node_two
                    } else {
                        c.node_one
                    };
                    alias_of(&other);
                    edges.push(edge);
                }
            }
        }
        Ok(GraphView {
            nodes: graph.list_nodes().len(),
            channels: graph.list_channels().len(),
            gossip: if rapid {
                GossipState::Rapid {
                    last_snapshot: node.status().latest_rgs_snapshot_timestamp,
                }
            } else {
                GossipState::PeerToPeer
            },
            neighbours: neighbourhood(&our_id, &peers, &edges, &aliases),
            our_id,
        })
    })
    .await
}

#[cfg(any(test, feature = "testing"))]
pub mod samples;

#[cfg(test)]
mod tests {
    use super::*;

    const US: &str = "02aa";
    const B: &str = "02bb";
    const C: &str = "02cc";
    const D: &str = "02dd";

    fn policy(base_msat: u32, ppm: u32) -> Option<ForwardPolicy> {
        Some(ForwardPolicy {
            base_msat,
            ppm,
            cltv_delta: 72,
            enabled: true,
        })
    }

    fn edge(scid: u64, one: &str, two: &str) -> Edge {
        Edge {
            short_channel_id: scid,
            one: one.into(),
            two: two.into(),
            capacity_sat: Some(500_000),
            one_to_two: policy(1_000, 1),
            two_to_one: policy(2_000, 100),
        }
    }

    #[test]
    fn fee_is_base_plus_proportional() {
        let p = policy(1_000, 250).unwrap();
        assert_eq!(p.fee_msat(0), 1_000);
        assert_eq!(p.fee_msat(2_000_000), 1_500);
        assert_eq!(p.fee_msat(u64::MAX), 1_000 + u64::MAX / 1_000_000);
    }

    #[test]
    fn neighbours_show_their_channels_with_their_own_terms() {
        let peers = vec![
            PeerFact {
                node_id: B.into(),
                connected: true,
                our_channels: 1,
            },
            PeerFact {
                node_id: D.into(),
                connected: false,
                our_channels: 0,
            },
        ];
        // B–C seen from B's side once as node one and once as node two; one channel is ours.
        let edges = vec![edge(1, B, C), edge(2, C, B), edge(3, US, B)];
        let aliases = HashMap::from([(C.to_string(), "carol".to_string())]);
        let n = neighbourhood(US, &peers, &edges, &aliases);
        assert_eq!(n.len(), 2);
        let b = &n[0];
        assert_eq!(b.node_id, B);
        assert!(b.connected);
        assert_eq!(b.links.len(), 2, "our own channel is not a link of B");
        assert_eq!(b.links[0].to, C);
        assert_eq!(b.links[0].to_alias.as_deref(), Some("carol"));
        assert_eq!(b.links[0].policy, policy(1_000, 1), "B as node one");
        assert_eq!(b.links[1].policy, policy(2_000, 100), "B as node two");
        assert!(n[1].links.is_empty());
        assert!(!n[1].connected);
    }

    #[test]
    fn we_are_not_our_own_neighbour() {
        let peers = vec![PeerFact {
            node_id: US.into(),
            connected: true,
            our_channels: 0,
        }];
        assert!(neighbourhood(US, &peers, &[], &HashMap::new()).is_empty());
    }
}

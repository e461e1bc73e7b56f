//! A made-up view of the graph for screen tests and the screen gallery: one peer, Bob, with a
//! public channel on to Carol.

use super::*;

pub fn graph() -> GraphView {
    GraphView {
        our_id: "02".repeat(33),
        nodes: 3,
        channels: 1,
        gossip: GossipState::PeerToPeer,
        neighbours: vec![Neighbour {
            node_id: "03".repeat(33),
            alias: Some("bob".into()),
            connected: true,
            our_channels: 1,
            links: vec![GraphLink {
                short_channel_id: 7,
                to: "04".repeat(33),
                to_alias: Some("carol".into()),
                capacity_sat: None,
                policy: Some(ForwardPolicy {
                    base_msat: 1_000,
                    ppm: 250,
                    cltv_delta: 72,
                    enabled: true,
                }),
            }],
        }],
    }
}

//! Lab nodes as the panel reads them, for screen tests and previews: Alice online with a
//! channel to the wallet and a kept state, Bob offline.

use crate::lab::node::{KeptChannel, KeptState};
use crate::lab::{Counterparty, NodeChannel, NodeSummary, OnlineNode};

pub const ALICE_ID: &str = "02a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const BOB_ID: &str = "03b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf";
pub const CHANNEL_ID: &str = "5c6f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1";
/// 1 Dec 2026, 09:30 UTC.
pub const KEPT_AT: u64 = 1_796_117_400;

pub fn nodes() -> Vec<NodeSummary> {
    vec![
        NodeSummary {
            name: "Alice".into(),
            node_id: ALICE_ID.into(),
            online: Some(OnlineNode {
                uri: format!("{ALICE_ID}@127.0.0.1:40123"),
                onchain_sat: 4_998_800,
                channels: vec![NodeChannel {
                    channel_id: CHANNEL_ID.into(),
                    counterparty: Counterparty::Wallet,
                    capacity_sat: 1_000_000,
                    node_sat: 150_000,
                    usable: true,
                    ready: true,
                }],
            }),
            kept: Some(KeptState {
                taken_at: KEPT_AT,
                channels: vec![KeptChannel {
                    channel_id: CHANNEL_ID.into(),
                    node_sat: 90_000,
                }],
            }),
        },
        NodeSummary {
            name: "Bob".into(),
            node_id: BOB_ID.into(),
            online: None,
            kept: None,
        },
    ]
}

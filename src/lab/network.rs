//! Building the Lab's network: channels between lab nodes (announced, so the router has a graph
//! to search), payments between them, and the presets that build a whole network in one go.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::wallet::Wallet;
use crate::lab::chain::LabError;
use crate::lab::node::NAMES;
use crate::lab::peer::PeerNode;
use crate::lab::{off_thread, Lab};

/// How long lab nodes may take to agree a channel is ready, or to finish a payment.
const NODES_TIMEOUT: Duration = Duration::from_secs(180);

/// A network the Lab builds in one go. The wallet joins it through a channel Alice opens to it,
/// half of it pushed to the wallet so it can pay and be paid at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Alice — Bob — Carol: paying Carol from the wallet takes three hops.
    LineOfThree,
    /// Alice opens to Bob and to Carol, each of them to Dave: two routes from the wallet to
    /// Dave, of three hops each.
    Diamond,
}

/// The capacity of each channel a preset opens.
pub const PRESET_CHANNEL_SAT: u64 = 1_000_000;

impl Preset {
    /// The lab nodes it needs, in order.
    pub fn nodes(self) -> &'static [&'static str] {
        match self {
            Preset::LineOfThree => &NAMES[..3],
            Preset::Diamond => &NAMES[..4],
        }
    }

    /// Its channels between lab nodes: opener, then the far end.
    pub fn channels(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Preset::LineOfThree => vec![(NAMES[0], NAMES[1]), (NAMES[1], NAMES[2])],
            Preset::Diamond => vec![
                (NAMES[0], NAMES[1]),
                (NAMES[0], NAMES[2]),
                (NAMES[1], NAMES[3]),
                (NAMES[2], NAMES[3]),
            ],
        }
    }
}

impl Lab {
    /// Adds lab nodes until every one of `names` runs (names are given out in order, so
    /// "Carol" also brings Bob).
    pub async fn ensure_nodes(self: &Arc<Self>, names: &[&str]) -> Result<(), LabError> {
        for name in names {
            if !NAMES.contains(name) {
                return Err(LabError::NoNode((*name).to_string()));
            }
            while self.node(name).is_err() {
                self.add_node().await?;
            }
        }
        Ok(())
    }

    /// Lab node `from` opens a channel of `capacity_sat` to lab node `to`, pushing `push_sat`;
    /// `announce` makes it public once it has six confirmations.
    pub async fn open_between(
        self: &Arc<Self>,
        from: &str,
        to: &str,
        capacity_sat: u64,
        push_sat: u64,
        announce: bool,
    ) -> Result<(), LabError> {
        let far = self.node(to)?.online()?;
        let (id, address) = (far.node_id(), far.address().clone());
        self.opens(from, move |opener| {
            opener.open_channel_to(id, address, capacity_sat, push_sat, announce)
        })
        .await
    }

    /// Lab node `from` opens a channel with `open`, and the Lab waits until its funding
    /// transaction is in bitcoind and in the node's wallet: LDK Node does not mark the coins a
    /// funding transaction spends until its wallet syncs, so a second open before that would
    /// spend the same coins again (and never confirm).
    pub(crate) async fn opens(
        self: &Arc<Self>,
        from: &str,
        open: impl FnOnce(&PeerNode) -> Result<(), LabError> + Send + 'static,
    ) -> Result<(), LabError> {
        let opener = self.node(from)?.online()?;
        let funding = |node: &PeerNode| -> Vec<String> {
            node.node()
                .list_channels()
                .iter()
                .filter(|c| c.is_outbound)
                .filter_map(|c| c.funding_txo.map(|o| o.txid.to_string()))
                .collect()
        };
        let before = funding(&opener);
        let o = opener.clone();
        off_thread(move || open(&o)).await?;
        let nodes = [(from.to_string(), opener.clone(), 0)];
        self.wait_for_nodes("the funding transaction", &nodes, || {
            funding(&opener).iter().any(|t| !before.contains(t))
        })
        .await?;
        let new: Vec<String> = funding(&opener)
            .into_iter()
            .filter(|t| !before.contains(t))
            .collect();
        let lab = self.clone();
        off_thread(move || lab.chain.wait_for_mempool(&new)).await?;
        off_thread(move || opener.sync()).await
    }

    /// Lab node `from` pays `request` (an invoice, offer, or node id to keysend `amount_sat`
    /// to) and waits for the outcome.
    pub async fn node_pays(
        self: &Arc<Self>,
        from: &str,
        request: String,
        amount_sat: u64,
    ) -> Result<(), LabError> {
        let payer = self.node(from)?.online()?;
        let p = payer.clone();
        let id = off_thread(move || p.pay(&request, amount_sat)).await?;
        match payer.payment_end(&id, NODES_TIMEOUT).await {
            Some(true) => Ok(()),
            Some(false) => Err(LabError::PaymentFailed(from.to_string())),
            None => Err(LabError::NodesTimeout(format!("{from}'s payment"))),
        }
    }

    /// Builds `preset`: its lab nodes (added and funded as needed, with a coinbase for each
    /// channel they open), its announced channels, and Alice's channel to the wallet; mines
    /// until every lab node calls its channels ready.
    pub async fn build(self: &Arc<Self>, preset: Preset, wallet: &Wallet) -> Result<(), LabError> {
        self.ensure_nodes(preset.nodes()).await?;
        let channels = preset.channels();
        // A coinbase per channel a node opens: its funding transactions then need no change of
        // another waiting for a block. Alice opens one more, to the wallet.
        let mut addresses = Vec::new();
        for name in preset.nodes() {
            let opens = channels.iter().filter(|(from, _)| from == name).count()
                + usize::from(*name == NAMES[0]);
            let node = self.node(name)?.online()?;
            for _ in 0..opens {
                addresses.push(node.new_address()?);
            }
        }
        let lab = self.clone();
        off_thread(move || lab.chain.fund_all(&addresses)).await?;
        self.sync_nodes().await;
        for (from, to) in &channels {
            self.open_between(from, to, PRESET_CHANNEL_SAT, 0, true)
                .await?;
        }
        self.opens_to_wallet(NAMES[0], wallet, PRESET_CHANNEL_SAT, PRESET_CHANNEL_SAT / 2)
            .await?;
        let expected: Vec<(String, usize)> = preset
            .nodes()
            .iter()
            .map(|name| {
                let n = channels
                    .iter()
                    .filter(|(a, b)| a == name || b == name)
                    .count()
                    + usize::from(*name == NAMES[0]);
                (name.to_string(), n)
            })
            .collect();
        self.mine_until_ready(&expected).await
    }

    /// Waits for every channel's funding transaction (LDK builds it a moment after the open),
    /// mines six blocks over them, then waits until each named lab node has at least its number
    /// of usable channels.
    async fn mine_until_ready(
        self: &Arc<Self>,
        expected: &[(String, usize)],
    ) -> Result<(), LabError> {
        let nodes: Vec<(String, Arc<PeerNode>, usize)> = expected
            .iter()
            .map(|(name, n)| Ok((name.clone(), self.node(name)?.online()?, *n)))
            .collect::<Result<_, LabError>>()?;
        // Each open waited for its funding transaction to reach bitcoind.
        self.mine(6).await?;
        let usable = |node: &PeerNode| {
            node.node()
                .list_channels()
                .iter()
                .filter(|c| c.is_usable)
                .count()
        };
        self.wait_for_nodes("the channels to be ready", &nodes, || {
            nodes.iter().all(|(_, node, n)| usable(node) >= *n)
        })
        .await
        .map_err(|_| {
            let counts: Vec<String> = nodes
                .iter()
                .map(|(name, node, n)| format!("{name} {} of {n}", usable(node)))
                .collect();
            LabError::NodesTimeout(format!("the channels to be ready ({})", counts.join(", ")))
        })
    }

    /// Syncs the nodes and checks `done` until it holds, between rounds waiting for an event on
    /// any of them or a few seconds (new blocks raise none).
    pub(crate) async fn wait_for_nodes(
        self: &Arc<Self>,
        what: &str,
        nodes: &[(String, Arc<PeerNode>, usize)],
        done: impl Fn() -> bool,
    ) -> Result<(), LabError> {
        tokio::time::timeout(NODES_TIMEOUT, async {
            loop {
                self.sync_nodes().await;
                if done() {
                    return;
                }
                let mut changed = tokio::task::JoinSet::new();
                for (_, node, _) in nodes {
                    let mut events = node.events();
                    events.mark_unchanged();
                    changed.spawn(async move { events.changed().await.is_ok() });
                }
                let _ = tokio::time::timeout(Duration::from_secs(3), changed.join_next()).await;
            }
        })
        .await
        .map_err(|_| LabError::NodesTimeout(what.to_string()))
    }
}

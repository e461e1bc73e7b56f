//! The Lab's network in tests: a Lab on the test's own chain, its lab nodes in a temporary
//! folder, driven through the same calls the Lab panel makes.

use std::sync::Arc;

use shandian::core::lightning::channels::{ChannelStatus, ChannelsOverview};
use shandian::core::wallet::Wallet;
use shandian::lab::chain::LocalChain;
use shandian::lab::peer::PeerNode;
use shandian::lab::{Fault, FaultDone, Lab};

use super::{
    funded_wallet, mine, start_chain, sync_tolerantly, temp_root, wait_for_channels,
    wait_for_snapshot,
};

/// A test's own chain, a funded wallet, and a Lab with one lab node, Alice.
pub struct LabWorld {
    pub chain: Arc<LocalChain>,
    pub wallet: Arc<Wallet>,
    pub lab: TestLab,
    _folder: (tempfile::TempDir, shandian::core::store::dirs::DataRoot),
}

pub async fn lab_world() -> LabWorld {
    let chain = start_chain().await;
    let (tmp, root, dir) = temp_root();
    let wallet = funded_wallet(&chain, &dir).await;
    let lab = TestLab::new(&chain);
    assert_eq!(lab.add().await, "Alice");
    LabWorld {
        chain,
        wallet,
        lab,
        _folder: (tmp, root),
    }
}

impl LabWorld {
    /// Stops the wallet, then the lab nodes, before their folders go away.
    pub async fn stop(self) {
        self.wallet.stop().await.unwrap();
        self.lab.stop().await;
    }
}

/// Mines until channel `id` is closed and settled; how much the wallet's on-chain balance grew
/// from `before`, once it is within `fees_bound_sat` of `capacity_sat` (a channel's whole
/// capacity, less what the close's transactions paid in fees, comes back).
pub async fn whole_channel_back(
    w: &LabWorld,
    id: &str,
    before: u64,
    capacity_sat: u64,
    fees_bound_sat: u64,
) -> u64 {
    mine_until_closed(&w.chain, &w.wallet, id).await;
    let s = wait_for_snapshot(&w.wallet, "the claims in the on-chain balance", |s| {
        s.balances.onchain_total_sat > before + capacity_sat - fees_bound_sat
    })
    .await;
    let grown = s.balances.onchain_total_sat - before;
    eprintln!("the wallet's on-chain balance grew by {grown} sat after the close");
    assert!(grown <= capacity_sat, "{grown}");
    grown
}

pub struct TestLab {
    pub lab: Arc<Lab>,
    dir: Option<tempfile::TempDir>,
}

impl TestLab {
    pub fn new(chain: &Arc<LocalChain>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        eprintln!("LABDIR {}", dir.path().display());
        let p = dir.keep();
        let lab = Arc::new(Lab::new(chain.clone(), p));
        TestLab { lab, dir: None }
    }

    /// Adds the next lab node (started, funded); its name.
    pub async fn add(&self) -> String {
        self.lab.add_node().await.expect("a lab node starts")
    }

    /// Lab node `name` as it runs now (it is another `PeerNode` after going offline and back).
    pub fn node(&self, name: &str) -> Arc<PeerNode> {
        self.lab
            .node(name)
            .unwrap()
            .online()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn fault(&self, name: &str, fault: Fault, wallet: &Wallet) -> FaultDone {
        self.lab
            .fault(name, fault, wallet)
            .await
            .unwrap_or_else(|e| panic!("{name}: {fault:?} failed: {e}"))
    }

    /// Stops the nodes (off the async threads) before their folder goes away.
    pub async fn stop(mut self) {
        let nodes = self.lab.nodes();
        tokio::task::spawn_blocking(move || nodes.iter().for_each(|n| n.go_offline()))
            .await
            .unwrap();
        drop(self.dir.take());
    }
}

/// Mines six blocks at a time until the wallet has nothing left to claim from channel `id`
/// (every output swept and settled); the overview then.
pub async fn mine_until_closed(
    chain: &Arc<LocalChain>,
    wallet: &Arc<Wallet>,
    id: &str,
) -> ChannelsOverview {
    for _ in 0..60 {
        mine(chain, 6).await;
        sync_tolerantly(wallet).await;
        let o = wallet.channels().await.unwrap();
        if o.get(id).is_some_and(|c| c.status == ChannelStatus::Closed) {
            return o;
        }
    }
    wait_for_channels(wallet, "nothing left to claim from the channel", |o| {
        o.get(id).is_some_and(|c| c.status == ChannelStatus::Closed)
    })
    .await
}

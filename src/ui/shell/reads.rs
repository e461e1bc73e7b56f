//! What the wallet's reads and its update stream bring to the tabs: the snapshot (Home's
//! balances, the on-chain activity), the channels, the payments, the graph, and each node event
//! handed to the tabs that wait for one.

use iced::Task;

use crate::core::lightning::channels::{ChannelStatus, ChannelsOverview};
use crate::core::lightning::graph::NetworkView;
use crate::core::lightning::payments::PaymentRecord;
use crate::core::wallet::{Snapshot, WalletUpdate};
use crate::core::Error;
use crate::ui::screen::counter;
use crate::ui::shell::{errors, read_network, refresh, tasks, Message, Tab, WalletScreen};

impl WalletScreen {
    pub(super) fn wallet_update(&mut self, update: WalletUpdate) -> Task<Message> {
        let mut announce = Task::none();
        if let WalletUpdate::Event(e) = &update {
            self.send.node_event(e);
            self.receive.node_event(e);
            if let Some(counter::Action::Announce { amount_msat, sound }) =
                self.counter.node_event(e)
            {
                announce = tasks::announce(amount_msat, sound);
            }
        }
        // The graph raises no events of its own; a visible Network screen follows the wallet's
        // updates.
        let network = match self.tab {
            Tab::Network => read_network(&self.wallet),
            // The lab nodes' side of the same channels and payments.
            Tab::Lab => self.read_lab(),
            _ => Task::none(),
        };
        let fiat = self.note_fiat(&update);
        // A new block may have confirmed an on-chain payment to a shown invoice.
        let fallback = self.check_fallback();
        Task::batch([announce, refresh(&self.wallet), network, fallback, fiat])
    }

    pub(super) fn snapshot_read(&mut self, result: Result<Snapshot, Error>) -> Task<Message> {
        match result {
            Ok(s) => {
                if self.snapshot == Snapshot::default() && s != Snapshot::default() {
                    log::info!("home screen ready at height {}", s.height);
                }
                self.snapshot = s;
                self.merge_history();
            }
            Err(e) => {
                log::warn!("reading the wallet failed: {e}");
                if matches!(
                    e,
                    Error::Node(crate::core::NodeError::StaleChannelState { .. })
                ) {
                    self.stopped = Some(errors::describe(&e));
                }
            }
        }
        Task::none()
    }

    pub(super) fn channels_read(
        &mut self,
        result: Result<ChannelsOverview, Error>,
    ) -> Task<Message> {
        let o = match result {
            Ok(o) => o,
            Err(e) => {
                log::warn!("reading channels failed: {e}");
                return Task::none();
            }
        };
        let summary = |o: &ChannelsOverview| {
            let active = o
                .channels
                .iter()
                .filter(|c| c.status == ChannelStatus::Active)
                .count();
            (o.channels.len(), active)
        };
        let (all, active) = summary(&o);
        if summary(self.channels.overview()) != (all, active) {
            log::info!("channels: {all} ({active} active)");
        }
        self.send.set_channel_floor(o.smallest_payment_msat());
        self.channels.set_overview(o);
        Task::none()
    }

    pub(super) fn payments_read(
        &mut self,
        result: Result<Vec<PaymentRecord>, Error>,
    ) -> Task<Message> {
        match result {
            Ok(p) => {
                self.payments = p;
                self.merge_history();
            }
            Err(e) => log::warn!("reading payments failed: {e}"),
        }
        Task::none()
    }

    /// Activity's list: the payments and the on-chain transactions, merged.
    fn merge_history(&mut self) {
        self.history = crate::core::history::merge(&self.payments, &self.snapshot.activity);
    }

    pub(super) fn network_read(&mut self, result: Result<NetworkView, Error>) -> Task<Message> {
        if let Ok(v) = &result {
            log::info!(
                "network view: {} nodes, {} channels, {} neighbours ({} connected)",
                v.nodes,
                v.channels,
                v.neighbours.len(),
                v.neighbours.iter().filter(|n| n.connected).count()
            );
        }
        self.network.read(result.map_err(|e| errors::describe(&e)));
        Task::none()
    }
}

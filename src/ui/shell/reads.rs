//! What the wallet's reads and its update stream bring to the tabs: the snapshot (Home's
//! balances, the on-chain activity), the channels, the payments, the graph, and each node event
//! handed to the tabs that wait for one.

use iced::Task;

use crate::core::lightning::channels::{ChannelStatus, ChannelsOverview};
use crate::core::lightning::graph::GraphView;
use crate::core::lightning::payments::PaymentRecord;
use crate::core::wallet::{Changed, PaymentsChanged, Snapshot, WalletUpdate};
use crate::core::Error;
use crate::ui::screen::counter;
use crate::ui::shell::{errors, read_graph, tasks, Message, Tab, WalletScreen};

/// How long the balances' and channels' reads wait after a payment's event (see
/// `WalletScreen::reads_after`).
pub const PAYMENT_READS_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

impl WalletScreen {
    pub(super) fn wallet_update(&mut self, update: WalletUpdate) -> Task<Message> {
        let mut announce = Task::none();
        if let WalletUpdate::Event(e) = &update {
            self.toast(e);
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
            Tab::Graph => read_graph(&self.wallet),
            // The lab nodes' side of the same channels and payments.
            Tab::Lab => self.read_lab(),
            _ => Task::none(),
        };
        let fiat = self.note_fiat(&update);
        // A new block may have confirmed an on-chain payment to a shown invoice.
        let fallback = self.check_fallback();
        let reads = self.reads_after(&update);
        Task::batch([announce, reads, network, fallback, fiat])
    }

    /// What an update makes the screen read again. A payment's own row is read at once; the
    /// balances and channels it moved are read a moment later, together with those of any other
    /// payment ending meanwhile: a shop taking many payments at once then reads its balances a
    /// few times a second rather than after every one, and leaves LDK the time to settle them.
    fn reads_after(&mut self, update: &WalletUpdate) -> Task<Message> {
        let changed = update.changed();
        if !matches!(changed.payments, PaymentsChanged::One(_)) {
            return tasks::reread(&self.wallet, changed);
        }
        let now = tasks::reread(
            &self.wallet,
            Changed {
                snapshot: false,
                channels: false,
                payments: changed.payments,
            },
        );
        let later = Changed {
            payments: PaymentsChanged::No,
            ..changed
        };
        match self.reads_due.as_mut() {
            Some(due) => {
                due.snapshot |= later.snapshot;
                due.channels |= later.channels;
                now
            }
            None => {
                self.reads_due = Some(later);
                let due = Task::perform(tokio::time::sleep(PAYMENT_READS_DELAY), |()| {
                    Message::ReadsDue
                });
                Task::batch([now, due])
            }
        }
    }

    pub(super) fn snapshot_read(&mut self, result: Result<Snapshot, Error>) -> Task<Message> {
        match result {
            Ok(s) => {
                if self.snapshot == Snapshot::default() && s != Snapshot::default() {
                    log::info!("home screen ready at height {}", s.height);
                }
                let started_failing =
                    self.snapshot.backup.failing.is_none() && s.backup.failing.is_some();
                self.snapshot = s;
                self.merge_history();
                self.send
                    .set_backup_warning(crate::ui::screen::send::backup_warning(
                        self.wallet.network(),
                        &self.snapshot.backup,
                        self.backup_acknowledged,
                    ));
                if started_failing {
                    if let (Some(failure), Some(folder)) =
                        (&self.snapshot.backup.failing, &self.snapshot.backup.place)
                    {
                        return tasks::announce_backup_failing(failure.clone(), folder.to_string());
                    }
                }
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
        self.send.set_channels(o.clone());
        self.channels.set_overview(o);
        // Splices are entries of the history: the channels say which transactions they are.
        self.merge_history();
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

    /// One payment read again: it takes its place in the list (by time, newest first).
    pub(super) fn payment_read(
        &mut self,
        id: String,
        result: Result<Option<PaymentRecord>, Error>,
    ) -> Task<Message> {
        match result {
            Ok(read) => {
                self.payments.retain(|p| p.id != id);
                if let Some(p) = read {
                    let at = self.payments.partition_point(|q| q.time > p.time);
                    self.payments.insert(at, p);
                }
                self.merge_history();
            }
            Err(e) => log::warn!("reading payment {id} failed: {e}"),
        }
        Task::none()
    }

    /// Activity's list: the payments, the on-chain transactions, the splices and the swaps,
    /// merged.
    fn merge_history(&mut self) {
        self.history = crate::core::history::merge(
            &self.payments,
            &self.snapshot.activity,
            &self.channels.overview().channels,
            &self.snapshot.swaps,
        );
        self.count_balance_over_time();
    }

    /// Home's chart, from the history and the channels, ending at Home's balances.
    fn count_balance_over_time(&mut self) {
        let b = &self.snapshot.balances;
        self.balance_over_time = crate::core::history::balance::over_time(
            (b.onchain_total_sat, b.lightning_sat),
            crate::core::now(),
            &self.history,
            &self.channels.overview().channels,
        );
    }

    pub(super) fn graph_read(&mut self, result: Result<GraphView, Error>) -> Task<Message> {
        if let Ok(v) = &result {
            log::info!(
                "network view: {} nodes, {} channels, {} neighbours ({} connected)",
                v.nodes,
                v.channels,
                v.neighbours.len(),
                v.neighbours.iter().filter(|n| n.connected).count()
            );
        }
        self.graph.read(result.map_err(|e| errors::describe(&e)));
        Task::none()
    }
}

//! The open wallet: the tab bar, each tab's screen, and what their messages change; the core
//! calls they start are in [`tasks`].

mod fallback;
mod fiat;
mod message;
pub mod nav;
mod reads;
mod settings_tab;
mod subscription;
mod tasks;
mod view;

use std::sync::Arc;

use iced::Task;

use crate::core::store::dirs::NetworkDir;
use crate::core::wallet::{Snapshot, Wallet};
use crate::core::Network;
use crate::fl;
use crate::lab::ChainSource;
use crate::ui::errors;
pub use crate::ui::screen::settings::SettingsChange;
use crate::ui::screen::{activity, channels, counter, graph, home, lab, receive, send, settings};
pub use fiat::RATE_REFRESH;
pub use message::Message;
use tasks::{channel_action, read_graph};
pub use tasks::{new_address, pick_folder, refresh, updates, WalletKey};
pub use view::{frame, with_notes};

/// The widest a section's content grows, in logical pixels: lines of text stay readable.
const MAX_BODY_WIDTH: f32 = 900.0;

/// How often fee estimates are read again while the wallet is open.
pub const FEE_REFRESH: std::time::Duration = std::time::Duration::from_secs(180);

/// How often a shown invoice's fallback address is looked at while Receive shows it: a payment
/// on chain appears within this, not at the next background sync.
pub const FALLBACK_CHECK: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tab {
    Home,
    Send,
    Receive,
    Channels,
    /// The Lightning graph (the people's word on screen: "Network", so `--show network` works too).
    #[value(alias = "network")]
    Graph,
    Activity,
    Settings,
    Lab,
    /// Counter mode: the whole window, no tab bar.
    Counter,
}

pub struct WalletScreen {
    wallet: Arc<Wallet>,
    chain: ChainSource,
    dir: NetworkDir,
    snapshot: Snapshot,
    /// The start of the backup failure the person said they understand (see
    /// `send::backup_warning`).
    backup_acknowledged: Option<u64>,
    payments: Vec<crate::core::lightning::payments::PaymentRecord>,
    /// Payments and on-chain transactions merged, for Activity.
    history: Vec<crate::core::history::Entry>,
    /// What the history adds up to over time, for Home's chart.
    balance_over_time: Vec<crate::core::history::balance::BalancePoint>,
    /// Reads of balances and channels put off after a payment's event, to be done together
    /// (see `PAYMENT_READS_DELAY`); `None` when none waits.
    reads_due: Option<crate::core::wallet::Changed>,
    tab: Tab,
    syncing: bool,
    receive: receive::Receive,
    send: send::SendScreen,
    channels: channels::ChannelsScreen,
    graph: graph::Graph,
    counter: counter::Counter,
    activity: activity::Activity,
    settings: settings::SettingsScreen,
    lab: lab::LabScreen,
    /// Our files found damaged and set aside at start (settings, book, notes, backup record).
    set_aside: Vec<crate::core::store::files::SetAside>,
    /// Why the last choice of backup folder was refused.
    backup_error: Option<String>,
    /// Set when the node was stopped for good under the person's feet (its channel state is
    /// older than its peer's): the only thing shown from then on.
    stopped: Option<String>,
    /// Fiat beside sats, if the person asked for it.
    fiat: Option<crate::core::fiat::FiatSetting>,
    /// The latest rate, or why there is none (then amounts are in sats only).
    rate: Option<Result<crate::core::fiat::Rate, String>>,
    /// The phase of the spinners shown (a sync, a payment on its way).
    spin: u32,
    /// Notes in the corner about what just happened.
    toasts: crate::ui::widget::toast::Toasts,
}

impl WalletScreen {
    /// The screen for a wallet that just opened, and the first reads it needs.
    pub fn open(
        wallet: Arc<Wallet>,
        chain: ChainSource,
        dir: NetworkDir,
        settings_set_aside: Option<crate::core::store::files::SetAside>,
        settings: &crate::core::Settings,
    ) -> (Self, Task<Message>) {
        let set_aside: Vec<_> = settings_set_aside
            .into_iter()
            .chain(wallet.set_aside_files().iter().cloned())
            .collect();
        let electrum = chain.electrum_url();
        let in_lab = chain.lab().is_some();
        let mut tasks = vec![
            refresh(&wallet),
            new_address(&wallet),
            tasks::read_fees(electrum.clone()),
        ];
        if let Some(lab) = chain.lab() {
            let (lab, w) = (lab.clone(), wallet.clone());
            tasks.push(Task::perform(
                async move { lab.connect_wallet(&w).await },
                |()| Message::LabConnected,
            ));
        }
        let task = Task::batch(tasks);
        let mut receive = receive::Receive::default();
        receive.set_lsp(wallet.lsp().map(str::to_string));
        let mut channels = channels::ChannelsScreen::default();
        channels.set_lsp(wallet.lsp().map(str::to_string));
        let screen = WalletScreen {
            wallet,
            chain,
            dir,
            snapshot: Snapshot::default(),
            backup_acknowledged: None,
            payments: Vec::new(),
            history: Vec::new(),
            balance_over_time: Vec::new(),
            reads_due: None,
            tab: Tab::Home,
            syncing: false,
            receive,
            send: send::SendScreen::default(),
            channels,
            graph: graph::Graph::default(),
            counter: counter::Counter::default(),
            activity: activity::Activity::default(),
            settings: settings::SettingsScreen::new((!in_lab).then_some(electrum), settings),
            lab: lab::LabScreen::default(),
            set_aside,
            backup_error: None,
            fiat: settings.fiat.clone(),
            rate: None,
            stopped: None,
            spin: 0,
            toasts: Default::default(),
        };
        let rate = screen.read_rate();
        (screen, Task::batch([task, rate]))
    }

    /// Switches to `tab`, with the read it needs (Send reads fresh fee estimates).
    pub fn show(&mut self, tab: Tab) -> Task<Message> {
        self.tab = tab;
        match tab {
            Tab::Graph => read_graph(&self.wallet),
            Tab::Send => tasks::read_fees(self.chain.electrum_url()),
            Tab::Lab => self.read_lab(),
            _ => Task::none(),
        }
    }

    /// What a shortcut key does on the section shown.
    fn shortcut(&mut self, shortcut: nav::Shortcut) -> Task<Message> {
        match shortcut {
            nav::Shortcut::Show(Tab::Lab) if self.chain.lab().is_none() => Task::none(),
            nav::Shortcut::Show(tab) => self.show(tab),
            nav::Shortcut::Paste if self.tab == Tab::Send => {
                iced::clipboard::read().map(Message::Pasted)
            }
            nav::Shortcut::Paste => Task::none(),
            nav::Shortcut::Back => Task::none(),
        }
    }

    /// Whether something moves on screen: a spinner on the section shown, or notes fading.
    fn animating(&self) -> bool {
        !self.toasts.is_empty()
            || match self.tab {
                Tab::Home => home::is_syncing(&self.snapshot, self.syncing),
                Tab::Send => self.send.spinning(),
                _ => false,
            }
    }

    /// A note in the corner for what a person wants to know at once, wherever they look: a
    /// payment in, a channel ready, a channel closed. The counter announces payments itself.
    fn toast(&mut self, event: &crate::core::lightning::events::NodeEvent) {
        use crate::core::lightning::events::NodeEvent;
        use crate::ui::theme::{Icon, Tone};
        if self.tab == Tab::Counter {
            return;
        }
        let peer = |id: &str| {
            self.channels
                .overview()
                .get(id)
                .map(|c| crate::ui::format::short_id(&c.peer))
                .unwrap_or_default()
        };
        let (words, tone, icon) = match event {
            NodeEvent::PaymentReceived { amount_msat, .. } => (
                fl!(
                    "toast-received",
                    amount = crate::ui::format::msat(*amount_msat)
                ),
                Tone::Success,
                Icon::ArrowDownLeft,
            ),
            NodeEvent::ChannelReady { id } => (
                fl!("toast-channel-ready", peer = peer(id)),
                Tone::Success,
                Icon::Zap,
            ),
            NodeEvent::ChannelClosed { id, reason } => (
                fl!(
                    "toast-channel-closed",
                    peer = peer(id),
                    reason = channels::explain::close_reason(reason)
                ),
                Tone::Accent,
                Icon::Cable,
            ),
            _ => return,
        };
        self.toasts
            .push(words, tone, icon, std::time::Instant::now());
    }

    /// What Escape means on the section shown: the message of its Back (or Cancel) button,
    /// when one shows.
    fn escape(&self) -> Option<Message> {
        match self.tab {
            Tab::Send => self.send.escape().map(Message::Send),
            Tab::Channels => self.channels.escape().map(Message::Channels),
            _ => None,
        }
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn wallet(&self) -> &Arc<Wallet> {
        &self.wallet
    }

    pub fn dir(&self) -> &NetworkDir {
        &self.dir
    }

    /// Home's chart: the balances over time, oldest first.
    pub fn balance_over_time(&self) -> &[crate::core::history::balance::BalancePoint] {
        &self.balance_over_time
    }

    /// Whether channels may be opened as far as the backup goes: on regtest a tester may skip it.
    fn backup_gate(&self, network: Network) -> channels::BackupGate {
        if self.snapshot.backup.is_working() {
            channels::BackupGate::Working
        } else {
            channels::BackupGate::Missing {
                may_skip: network == Network::Regtest,
            }
        }
    }

    /// Reads the lab nodes again (nothing outside the Lab).
    fn read_lab(&self) -> Task<Message> {
        match self.chain.lab() {
            Some(lab) => tasks::read_lab(lab.clone(), &self.wallet),
            None => Task::none(),
        }
    }

    /// What must be stopped when the window closes.
    pub fn into_parts(self) -> (Arc<Wallet>, ChainSource) {
        (self.wallet, self.chain)
    }

    pub fn update(
        &mut self,
        message: Message,
        network: Network,
    ) -> (Task<Message>, Option<SettingsChange>) {
        let task = match message {
            Message::TabSelected(tab) => self.show(tab),
            Message::Shortcut(nav::Shortcut::Back) => match self.escape() {
                Some(message) => return self.update(message, network),
                None => Task::none(),
            },
            Message::Shortcut(shortcut) => self.shortcut(shortcut),
            Message::Pasted(Some(clip)) if self.tab == Tab::Send => {
                self.send.fill(clip.trim().to_string());
                Task::none()
            }
            Message::Pasted(_) => Task::none(),
            Message::Graph(msg) => match self.graph.update(msg) {
                graph::Action::Refresh => read_graph(&self.wallet),
            },
            Message::LabConnected => {
                // The lab nodes' channels are usable again.
                let network = if self.tab == Tab::Graph {
                    read_graph(&self.wallet)
                } else {
                    Task::none()
                };
                Task::batch([refresh(&self.wallet), network, self.read_lab()])
            }
            Message::GraphRead(result) => self.graph_read(result),
            Message::SnapshotRead(result) => self.snapshot_read(result),
            Message::Update(update) => self.wallet_update(update),
            Message::ChannelsRead(result) => self.channels_read(result),
            Message::PaymentsRead(result) => self.payments_read(result),
            Message::PaymentRead(id, result) => self.payment_read(id, result),
            Message::Counter(msg) => match self.counter.update(msg, self.channels.overview()) {
                Some(counter::Action::CreateInvoice { amount_msat }) => {
                    tasks::counter_invoice(&self.wallet, amount_msat)
                }
                Some(counter::Action::Exit) => self.show(Tab::Receive),
                Some(counter::Action::Announce { .. }) | None => Task::none(),
            },
            Message::Activity(msg) => match self.activity.update(msg) {
                Some(activity::Action::Export(period)) => {
                    tasks::export(self.history.clone(), period)
                }
                None => Task::none(),
            },
            Message::Exported(result) => {
                self.activity
                    .exported(result.map_err(|e| errors::describe(&e)));
                Task::none()
            }
            Message::FileDropped(path) => {
                self.tab = Tab::Send;
                tasks::read_qr(path)
            }
            Message::RouteRead(result) => {
                match result {
                    Ok(route) => self.send.route_read(route),
                    Err(e) => {
                        log::warn!("no route preview: {e}");
                        self.send.route_read(None);
                    }
                }
                Task::none()
            }
            Message::RateDue => self.read_rate(),
            Message::RateRead(result) => {
                let result = result.map_err(|e| errors::describe(&e));
                if let Err(e) = &result {
                    log::warn!("no fiat rate: {e}");
                }
                self.counter.set_rate(result.as_ref().ok().cloned());
                self.rate = Some(result);
                Task::none()
            }
            Message::NameResolved(result) => match self.send.name_resolved(result) {
                Some(action) => tasks::send_action(&self.wallet, action),
                None => Task::none(),
            },
            Message::QrRead(result) => {
                self.send.qr_read(result.map_err(|e| errors::describe(&e)));
                Task::none()
            }
            Message::CounterInvoiceMade(result) => {
                self.counter.invoice_made(result);
                Task::none()
            }
            Message::PayStarted(result) => {
                self.send.lightning_started(result);
                refresh(&self.wallet)
            }
            Message::Home(msg) => match home::update(msg) {
                home::Action::Sync => {
                    self.syncing = true;
                    let wallet = self.wallet.clone();
                    Task::perform(async move { wallet.sync().await }, Message::SyncDone)
                }
                home::Action::CopyNodeId => {
                    iced::clipboard::write(self.wallet.node_id().to_string())
                }
                home::Action::ChooseBackup => {
                    Task::perform(tasks::pick_folder(), Message::BackupFolderPicked)
                }
                home::Action::ShowLab => self.show(Tab::Lab),
                home::Action::ShowReceive => self.show(Tab::Receive),
                home::Action::Copy(text) => iced::clipboard::write(text),
            },
            Message::BackupFolderPicked(Some(folder)) => {
                self.backup_error = None;
                tasks::choose_backup(
                    &self.wallet,
                    crate::core::store::backup::BackupPlace::Folder { folder },
                )
            }
            Message::BackupFolderPicked(None) => Task::none(),
            Message::BackupSet(result) => {
                self.backup_error = result.err().map(|e| errors::describe(&e));
                refresh(&self.wallet)
            }
            Message::SyncDone(result) => {
                self.syncing = false;
                if let Err(e) = result {
                    log::warn!("sync failed: {e}");
                }
                refresh(&self.wallet)
            }
            Message::AddressMade(Ok(a)) => {
                self.receive.set_address(a);
                Task::none()
            }
            Message::AddressMade(Err(e)) => {
                log::warn!("no new address: {e}");
                Task::none()
            }
            Message::Receive(msg) => match self.receive.update(msg, self.channels.overview()) {
                Some(receive::Action::Counter) => self.show(Tab::Counter),
                Some(action) => tasks::receive_action(&self.wallet, action),
                None => Task::none(),
            },
            Message::RequestMade(result) => {
                self.receive.request_made(result);
                Task::none()
            }
            Message::FallbackDue => self.check_fallback(),
            Message::FallbackChecked(address, result) => {
                self.receive.fallback_checked(&address, result);
                Task::none()
            }
            Message::FeesRead(result) => {
                let result = result.map_err(|e| errors::describe(&e));
                if let Err(e) = &result {
                    log::warn!("no fee estimates: {e}");
                }
                self.send.set_fee_choices(result);
                Task::none()
            }
            Message::FeesDue => tasks::read_fees(self.chain.electrum_url()),
            // Send's countdown is drawn from the clock; the redraw after this message is enough.
            Message::ReadsDue => match self.reads_due.take() {
                Some(changed) => tasks::reread(&self.wallet, changed),
                None => Task::none(),
            },
            Message::Animate => {
                self.spin = self.spin.wrapping_add(1);
                self.send.spin();
                self.toasts.tick(std::time::Instant::now());
                Task::none()
            }
            Message::Tick => {
                self.counter.tick(crate::core::now());
                Task::none()
            }
            Message::Channels(msg) => {
                let spendable = self.snapshot.balances.onchain_spendable_sat;
                match self
                    .channels
                    .update(msg, spendable, self.backup_gate(network))
                {
                    Some(channels::Action::ChooseBackup) => {
                        Task::perform(tasks::pick_folder(), Message::BackupFolderPicked)
                    }
                    Some(channels::Action::ShowReceive) => self.show(Tab::Receive),
                    Some(channels::Action::ShowSettings) => self.show(Tab::Settings),
                    Some(action) => channel_action(&self.wallet, action),
                    None => Task::none(),
                }
            }
            Message::ChannelDone(result) => {
                self.channels.finished(result);
                refresh(&self.wallet)
            }
            Message::Send(msg) => {
                let spendable = self.snapshot.balances.onchain_spendable_sat;
                match self.send.update(msg, spendable, network) {
                    Some(send::Action::AcknowledgeBackupRisk) => {
                        // Once per failure: a new one asks again.
                        self.backup_acknowledged =
                            self.snapshot.backup.failing.as_ref().map(|f| f.since);
                        Task::none()
                    }
                    Some(action) => tasks::send_action(&self.wallet, action),
                    None => Task::none(),
                }
            }
            Message::SendDone(result) => {
                let check = match &result {
                    Ok(sent) => tasks::await_broadcast(&self.wallet, sent.clone()),
                    Err(_) => Task::none(),
                };
                self.send.sent(result);
                Task::batch([check, refresh(&self.wallet)])
            }
            Message::BroadcastChecked(txid, outcome) => {
                self.send.broadcast_checked(&txid, outcome);
                refresh(&self.wallet)
            }
            Message::Lab(msg) => match self.lab.update(msg) {
                None => Task::none(),
                Some(lab::Action::OpenTo { uri, capacity_sat }) => {
                    self.channels.prefill_open(uri, capacity_sat);
                    self.tab = Tab::Channels;
                    Task::none()
                }
                Some(lab::Action::Pay(request)) => {
                    self.send.fill(request);
                    self.show(Tab::Send)
                }
                Some(action) => match self.chain.lab().cloned() {
                    Some(lab) => tasks::lab_action(&self.wallet, lab, action),
                    None => Task::none(),
                },
            },
            Message::LabDone(result) => {
                self.lab
                    .finished(result.map_err(|e| errors::describe_failure(&e)));
                Task::batch([refresh(&self.wallet), self.read_lab()])
            }
            Message::LabRefreshDue => self.read_lab(),
            Message::LabNodesRead(nodes, swaps) => {
                let online = nodes.iter().filter(|n| n.online.is_some()).count();
                log::info!("lab nodes: {} ({online} online)", nodes.len());
                self.lab.nodes_read(nodes);
                self.lab.swaps_read(swaps);
                Task::none()
            }
            Message::Settings(msg) => match self.settings.update(msg) {
                Some(action) => return self.settings_action(action),
                None => Task::none(),
            },
            Message::SettingsSaved(result) => {
                self.settings
                    .saved(result.map_err(|e| errors::describe(&e)));
                Task::none()
            }
            Message::Ignore => Task::none(),
        };
        (task, None)
    }
}

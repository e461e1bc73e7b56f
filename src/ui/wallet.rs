//! The open wallet: the tab bar, each tab's screen, and the core calls their buttons start.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use iced::widget::{button, column, container, row, scrollable, text, Space};
use iced::{Element, Length, Task};

use super::app::Message;
use crate::core::backend::Backend;
use crate::core::dirs::NetworkDir;
use crate::core::events::WalletUpdate;
use crate::core::fees;
use crate::core::node::{Snapshot, Wallet};
use crate::core::{Error, Network, Settings, ThemeChoice};
use crate::fl;
use crate::ui::errors;
use crate::ui::screen::{activity, home, lab, receive, send, settings};
use crate::ui::widget::network_badge;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Home,
    Send,
    Receive,
    Activity,
    Settings,
    Regtest,
}

pub struct WalletScreen {
    wallet: Arc<Wallet>,
    backend: Backend,
    dir: NetworkDir,
    snapshot: Snapshot,
    tab: Tab,
    syncing: bool,
    receive: receive::Receive,
    send: send::Send,
    settings: settings::SettingsScreen,
    lab: lab::Lab,
}

/// What a settings screen change asks the app to store.
pub enum SettingsChange {
    Language(crate::core::Language),
    Theme(ThemeChoice),
    Electrum(String),
}

impl WalletScreen {
    /// The screen for a wallet that just opened, and the first reads it needs.
    pub fn open(wallet: Arc<Wallet>, backend: Backend, dir: NetworkDir) -> (Self, Task<Message>) {
        let electrum = backend.electrum_url();
        let playground = backend.local_chain().is_some();
        let fees = {
            let electrum = electrum.clone();
            Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || fees::fetch_fee_choices(&electrum))
                        .await
                        .ok()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                },
                Message::FeesRead,
            )
        };
        let task = Task::batch([refresh(&wallet), new_address(&wallet), fees]);
        let screen = WalletScreen {
            wallet,
            backend,
            dir,
            snapshot: Snapshot::default(),
            tab: Tab::Home,
            syncing: false,
            receive: receive::Receive::default(),
            send: send::Send::default(),
            settings: settings::SettingsScreen::new((!playground).then_some(electrum)),
            lab: lab::Lab::default(),
        };
        (screen, task)
    }

    pub fn wallet(&self) -> &Arc<Wallet> {
        &self.wallet
    }

    pub fn dir(&self) -> &NetworkDir {
        &self.dir
    }

    /// What must be stopped when the window closes.
    pub fn into_parts(self) -> (Arc<Wallet>, Backend) {
        (self.wallet, self.backend)
    }

    pub fn update(
        &mut self,
        message: Message,
        network: Network,
    ) -> (Task<Message>, Option<SettingsChange>) {
        let task = match message {
            Message::TabSelected(tab) => {
                self.tab = tab;
                Task::none()
            }
            Message::SnapshotRead(Ok(s)) => {
                if self.snapshot == Snapshot::default() && s != Snapshot::default() {
                    log::info!("home screen ready at height {}", s.height);
                }
                self.snapshot = s;
                Task::none()
            }
            Message::SnapshotRead(Err(e)) => {
                log::warn!("reading the wallet failed: {e}");
                Task::none()
            }
            Message::Update(_) => refresh(&self.wallet),
            Message::Home(home::Message::SyncPressed) => {
                self.syncing = true;
                let wallet = self.wallet.clone();
                Task::perform(async move { wallet.sync().await }, Message::SyncDone)
            }
            Message::Home(home::Message::CopyNodeIdPressed) => {
                iced::clipboard::write(self.wallet.node_id().to_string())
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
            Message::Receive(receive::Message::NewAddressPressed) => new_address(&self.wallet),
            Message::Receive(receive::Message::CopyPressed) => match self.receive.address() {
                Some(a) => {
                    let a = a.to_string();
                    self.receive.mark_copied();
                    iced::clipboard::write(a)
                }
                None => Task::none(),
            },
            Message::FeesRead(f) => {
                self.send.set_fee_choices(f);
                Task::none()
            }
            Message::Send(msg) => {
                let spendable = self.snapshot.balances.onchain_spendable_sat;
                match self.send.update(msg, spendable, network) {
                    Some(send::Action::Broadcast(plan)) => {
                        let wallet = self.wallet.clone();
                        Task::perform(
                            async move { wallet.send_onchain(plan).await },
                            Message::SendDone,
                        )
                    }
                    Some(send::Action::Copy(t)) => iced::clipboard::write(t),
                    None => Task::none(),
                }
            }
            Message::SendDone(result) => {
                self.send.sent(result);
                refresh(&self.wallet)
            }
            Message::Lab(msg) => {
                let Some(chain) = self.backend.local_chain().cloned() else {
                    return (Task::none(), None);
                };
                self.lab.start();
                let wallet = self.wallet.clone();
                Task::perform(
                    async move {
                        let height = match msg {
                            lab::Message::MinePressed(n) => {
                                tokio::task::spawn_blocking(move || chain.mine(n)).await
                            }
                            lab::Message::FundPressed => {
                                let address = wallet.new_address().await?;
                                tokio::task::spawn_blocking(move || chain.fund(&address)).await
                            }
                        }
                        .map_err(|e| Error::Internal(e.to_string()))??;
                        wallet.sync().await?;
                        Ok(height)
                    },
                    Message::LabDone,
                )
            }
            Message::LabDone(result) => {
                self.lab.finished(result.map_err(|e| errors::describe(&e)));
                refresh(&self.wallet)
            }
            Message::Settings(msg) => {
                return match msg {
                    settings::Message::ElectrumChanged(v) => {
                        self.settings.set_electrum(v);
                        (Task::none(), None)
                    }
                    settings::Message::SaveElectrumPressed => {
                        match crate::core::config::validate_electrum_url(self.settings.electrum()) {
                            Ok(url) => (Task::none(), Some(SettingsChange::Electrum(url))),
                            Err(e) => {
                                self.settings.saved(Err(errors::describe(&e.into())));
                                (Task::none(), None)
                            }
                        }
                    }
                    settings::Message::LanguageSelected(l) => {
                        (Task::none(), Some(SettingsChange::Language(l)))
                    }
                    settings::Message::ThemeSelected(t) => {
                        (Task::none(), Some(SettingsChange::Theme(t)))
                    }
                    settings::Message::OpenFolderPressed => {
                        let path = self.dir.path().to_path_buf();
                        (
                            Task::perform(
                                async move {
                                    let _ = tokio::task::spawn_blocking(move || {
                                        open::that_detached(path)
                                    })
                                    .await;
                                },
                                |_| Message::Ignore,
                            ),
                            None,
                        )
                    }
                };
            }
            Message::SettingsSaved(result) => {
                self.settings
                    .saved(result.map_err(|e| errors::describe(&e)));
                Task::none()
            }
            _ => Task::none(),
        };
        (task, None)
    }

    pub fn view<'a>(&'a self, network: Network, settings: &'a Settings) -> Element<'a, Message> {
        let mut tabs = vec![
            (Tab::Home, fl!("nav-home")),
            (Tab::Send, fl!("nav-send")),
            (Tab::Receive, fl!("nav-receive")),
            (Tab::Activity, fl!("nav-activity")),
            (Tab::Settings, fl!("nav-settings")),
        ];
        if network == Network::Regtest {
            tabs.push((Tab::Regtest, fl!("nav-regtest")));
        }
        let mut nav = row![
            text(fl!("app-title")).size(22),
            network_badge(network),
            Space::new().width(Length::Fixed(16.0))
        ]
        .spacing(10)
        .align_y(iced::Alignment::Center);
        for (tab, label) in tabs {
            let style = if tab == self.tab {
                button::primary
            } else {
                button::text
            };
            nav = nav.push(
                button(text(label))
                    .on_press(Message::TabSelected(tab))
                    .style(style),
            );
        }
        let playground = self.backend.local_chain().is_some();
        let body: Element<'a, Message> = match self.tab {
            Tab::Home => {
                home::view(&self.snapshot, self.wallet.node_id(), self.syncing).map(Message::Home)
            }
            Tab::Send => self
                .send
                .view(self.snapshot.balances.onchain_spendable_sat)
                .map(Message::Send),
            Tab::Receive => self.receive.view().map(Message::Receive),
            Tab::Activity => activity::view(&self.snapshot.activity),
            Tab::Settings => self
                .settings
                .view(
                    network,
                    playground,
                    settings.language,
                    settings.theme,
                    self.dir.path().display().to_string(),
                )
                .map(Message::Settings),
            Tab::Regtest => self
                .lab
                .view(playground.then(|| self.backend.electrum_url()))
                .map(Message::Lab),
        };
        column![
            container(nav).padding([12, 20]),
            scrollable(container(body).padding(20).max_width(900)).height(Length::Fill),
        ]
        .into()
    }
}

pub fn refresh(wallet: &Arc<Wallet>) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move { wallet.snapshot().await },
        Message::SnapshotRead,
    )
}

pub fn new_address(wallet: &Arc<Wallet>) -> Task<Message> {
    let wallet = wallet.clone();
    Task::perform(
        async move { wallet.new_address().await },
        Message::AddressMade,
    )
}

/// Identifies the update stream by node id, so it restarts only when the wallet changes.
pub struct WalletKey(pub Arc<Wallet>);

impl Hash for WalletKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.node_id().hash(state);
    }
}

pub fn updates(key: &WalletKey) -> impl iced::futures::Stream<Item = WalletUpdate> {
    let wallet = key.0.clone();
    iced::futures::stream::unfold((wallet, None), |(wallet, mut last_sync)| async move {
        let update = wallet.next_update(&mut last_sync).await;
        Some((update, (wallet, last_sync)))
    })
}

//! The application: a small state machine (loading → onboarding or wallet → stopping, with
//! blocked — a sentence, try again, and for a stale wallet its recovery — wherever a start
//! cannot go on) that turns messages into core calls run as tasks, and core results back into
//! screen state.

use crate::ui::theme;
use std::sync::Arc;

use iced::widget::{button, column, container, row, text};
use iced::{Element, Length, Task, Theme};

use crate::core::keys::secrets::Keyring;
use crate::core::store::dirs::{DataRoot, NetworkDir};
use crate::core::store::files::SetAside;
use crate::core::store::lock::InstanceLock;
use crate::core::store::window::WindowPlace;
use crate::core::wallet::{CreateRequest, Wallet};
use crate::core::{Error, Network, Settings};
use crate::fl;
use crate::lab::ChainSource;
use crate::ui::errors::Failure;
use crate::ui::screen::onboarding::{self, Onboarding};
use crate::ui::shell::{self, SettingsChange, Tab, WalletScreen};
use crate::ui::widget::{error_text, title};
use crate::ui::{errors, i18n};

mod start;
use start::{lock_folder, start_chain};
mod subscription;

/// A network folder read at start: the folder, its lock, its settings (and the damaged settings
/// file set aside, if it was), its wallet record if any.
type Prepared = (
    NetworkDir,
    InstanceLock,
    Settings,
    Option<SetAside>,
    Option<crate::core::store::dirs::WalletMeta>,
);

/// What `main` hands over: where data lives and what the command line asked for.
#[derive(Debug, Clone)]
pub struct Startup {
    pub root: DataRoot,
    pub network: Option<Network>,
    /// Whether the Lab's tools (bitcoind, electrs) were found: regtest's local chain needs
    /// them. Without them a first run starts on mainnet, and regtest says what brings them.
    pub lab_tools: bool,
    pub electrum: Option<String>,
    pub keyring: Keyring,
    /// The tab an opened wallet shows first (Home when `None`).
    pub first_tab: Option<Tab>,
    /// Where the window opens; kept up to date while it moves and saved when it closes.
    pub window: WindowPlace,
}

pub struct App {
    startup: Startup,
    network: Network,
    settings: Settings,
    /// The network folder's lock, held from the first read of the folder on.
    lock: Option<(NetworkDir, InstanceLock)>,
    /// A damaged settings file set aside at start, to tell the person once the wallet is open.
    settings_set_aside: Option<SetAside>,
    state: State,
    /// The next start recovers a stale wallet's channel balances instead of opening it.
    recover_next: bool,
    /// Whether the window has drawn its first frame (said once in the log, for the start-up
    /// benchmark).
    drawn: bool,
    /// The wallet to open once its chain source has started.
    pending: Option<PendingOpen>,
}

/// How long recovery waits for the peers to close their channels (they must be online).
const RECOVERY_PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// A start-up under way: what is being done, as step `step` of `steps`.
struct Loading {
    what: String,
    step: u32,
    steps: u32,
}

/// What opening a wallet needs once its chain source has started.
struct PendingOpen {
    dir: NetworkDir,
    lock: InstanceLock,
    meta: crate::core::store::dirs::WalletMeta,
    recover: bool,
}

enum State {
    Loading(Loading),
    Onboarding(Onboarding),
    Wallet(Box<WalletScreen>),
    /// Why the wallet cannot open, and whether "recover my channel balance" is offered (its
    /// channel state was found older than its peers').
    Blocked(String, bool),
    Stopping,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The chain source of the wallet being opened started (the Lab's local chain, or a
    /// server's address checked).
    ChainStarted(Result<ChainSource, Failure>),
    Opened(Result<(Arc<Wallet>, ChainSource, NetworkDir), Failure>),
    /// Creating failed; `recorded` says whether the wallet was already saved (keyring entry and
    /// folder record), in which case "try again" opens it rather than creating another.
    CreateFailed {
        error: Failure,
        recorded: bool,
    },
    Prepared(Result<Prepared, Error>),
    KeyringChecked(Result<(), Error>),
    Onboarding(onboarding::Message),
    /// A message of the open wallet's tabs.
    Shell(shell::Message),
    Ignore,
    RetryPressed,
    /// Get a stale wallet's channel balances back (see `core::wallet::recover`), then open it.
    RecoverPressed,
    CloseRequested,
    Stopped,
    /// The window drew a frame (listened to until the first one).
    FrameDrawn,
    /// The window was resized (logical size).
    WindowResized(iced::Size),
    /// The window was moved (its position on the desktop).
    WindowMoved(iced::Point),
}

impl App {
    pub fn new(startup: Startup) -> (Self, Task<Message>) {
        let network = startup
            .network
            .or_else(|| startup.root.last_network())
            .unwrap_or(if startup.lab_tools {
                // A source checkout or the Lab's package: a tester's.
                Network::Regtest
            } else {
                // The app alone, from a package: a person's wallet.
                Network::Mainnet
            });
        let mut app = App {
            startup,
            network,
            settings: Settings::defaults_for(network),
            lock: None,
            settings_set_aside: None,
            state: State::Loading(Loading {
                what: fl!("loading-folder"),
                step: 1,
                steps: 2,
            }),
            recover_next: false,
            drawn: false,
            pending: None,
        };
        let task = app.start();
        (app, task)
    }

    fn block(&mut self, error: impl Into<Failure>) -> Task<Message> {
        let error = error.into();
        log::warn!("blocked: {error}");
        use crate::core::NodeError;
        let recoverable = matches!(
            error,
            Failure::Wallet(Error::Node(
                NodeError::StaleChannelState { .. } | NodeError::PeersDidNotClose { .. }
            ))
        );
        self.state = State::Blocked(errors::describe_failure(&error), recoverable);
        Task::none()
    }

    pub fn title(&self) -> String {
        format!("{} · {}", fl!("app-title"), self.network)
    }

    pub fn theme(&self) -> Theme {
        crate::ui::theme::of(self.settings.theme)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::FrameDrawn => {
                if !self.drawn {
                    log::info!("first frame drawn");
                    self.drawn = true;
                }
                Task::none()
            }
            Message::ChainStarted(Ok(chain)) => self.chain_started(chain),
            Message::ChainStarted(Err(e)) => {
                self.pending = None;
                self.block(e)
            }
            Message::Opened(Ok((wallet, chain, dir))) => {
                log::info!("wallet open: the node is running");
                let (mut screen, mut task) = WalletScreen::open(
                    wallet,
                    chain,
                    dir,
                    self.settings_set_aside.take(),
                    &self.settings,
                );
                if let Some(tab) = self.startup.first_tab {
                    task = Task::batch([task, screen.show(tab)]);
                }
                let task = task.map(Message::Shell);
                self.state = State::Wallet(Box::new(screen));
                let root = self.startup.root.clone();
                let network = self.network;
                let remember = Task::perform(
                    async move {
                        let _ = tokio::task::spawn_blocking(move || root.remember_network(network))
                            .await;
                    },
                    |_| Message::Ignore,
                );
                Task::batch([task, remember])
            }
            Message::Opened(Err(e)) => self.block(e),
            Message::Prepared(Ok(p)) => self.prepared(p),
            Message::Prepared(Err(e)) => self.block(e),
            Message::KeyringChecked(Ok(())) => {
                self.state = State::Onboarding(Onboarding::new(
                    self.network,
                    self.startup.electrum.clone(),
                    self.startup.lab_tools,
                ));
                Task::none()
            }
            Message::KeyringChecked(Err(e)) => self.block(e),
            Message::CreateFailed { error, recorded } => match &mut self.state {
                State::Onboarding(ob) if !recorded => {
                    ob.failed(errors::describe_failure(&error));
                    Task::none()
                }
                _ => self.block(error),
            },
            Message::Onboarding(msg) => {
                let State::Onboarding(ob) = &mut self.state else {
                    return Task::none();
                };
                match ob.update(msg) {
                    Some(onboarding::Action::ChooseBackupFolder) => {
                        Task::perform(shell::pick_folder(), |folder| {
                            Message::Onboarding(onboarding::Message::RestoreBackupChosen(folder))
                        })
                    }
                    Some(onboarding::Action::Create(done)) => self.create_wallet(done),
                    Some(onboarding::Action::CheckServer(url)) => Task::perform(
                        async move {
                            tokio::task::spawn_blocking(move || {
                                crate::core::chain::server::ping(&url)
                            })
                            .await
                            .map_err(|e| e.to_string())?
                        },
                        |answer| Message::Onboarding(onboarding::Message::ServerChecked(answer)),
                    ),
                    None => Task::none(),
                }
            }
            Message::RetryPressed => self.start(),
            Message::RecoverPressed => {
                self.recover_next = true;
                self.start()
            }
            Message::WindowResized(size) => {
                self.startup.window.width = size.width;
                self.startup.window.height = size.height;
                Task::none()
            }
            Message::WindowMoved(at) => {
                self.startup.window.x = Some(at.x);
                self.startup.window.y = Some(at.y);
                Task::none()
            }
            Message::CloseRequested => {
                let (place, root) = (self.startup.window, self.startup.root.clone());
                let save_place = Task::perform(
                    async move {
                        let saved = tokio::task::spawn_blocking(move || place.save(&root)).await;
                        if let Ok(Err(e)) = saved {
                            log::warn!("the window's place was not saved: {e}");
                        }
                    },
                    |_| Message::Ignore,
                );
                match std::mem::replace(&mut self.state, State::Stopping) {
                    State::Wallet(w) => {
                        let (wallet, chain) = w.into_parts();
                        save_place.chain(Task::perform(
                            async move {
                                if let Err(e) = wallet.stop().await {
                                    log::error!("node did not stop cleanly: {e}");
                                }
                                // Stopping bitcoind waits for it to flush; keep it off the UI thread.
                                let _ = tokio::task::spawn_blocking(move || drop(chain)).await;
                            },
                            |_| Message::Stopped,
                        ))
                    }
                    State::Stopping => Task::none(),
                    _ => save_place.chain(iced::exit()),
                }
            }
            Message::Stopped => iced::exit(),
            Message::Ignore => Task::none(),
            Message::Shell(msg) => {
                let State::Wallet(w) = &mut self.state else {
                    return Task::none();
                };
                let (task, settings_change) = w.update(msg, self.network);
                let task = task.map(Message::Shell);
                if let Some(change) = settings_change {
                    return Task::batch([task, self.change_settings(change)]);
                }
                task
            }
        }
    }

    fn create_wallet(&mut self, done: onboarding::Finished) -> Task<Message> {
        self.network = done.network;
        self.settings = Settings {
            electrum_url: done.electrum_url.clone(),
            ..self.settings.clone()
        };
        let settings = self.settings.clone();
        let root = self.startup.root.clone();
        let keyring = self.startup.keyring.clone();
        let held = self.lock.clone();
        Task::perform(
            async move {
                let prepared = async {
                    let network = done.network;
                    let (dir, lock) = tokio::task::spawn_blocking(move || {
                        let dir = root.network_dir(network)?;
                        // Onboarding may have switched to another network's folder.
                        let lock = lock_folder(held, &dir)?;
                        Ok::<_, Error>((dir, lock))
                    })
                    .await
                    .map_err(|e| Error::Internal(e.to_string()))??;
                    save_settings(settings, dir.settings_path()).await?;
                    let chain = start_chain(&dir, done.electrum_url).await?;
                    Ok::<_, Failure>((dir, lock, chain))
                };
                let (dir, lock, chain) = match prepared.await {
                    Ok(b) => b,
                    Err(error) => {
                        return Message::CreateFailed {
                            error,
                            recorded: false,
                        }
                    }
                };
                let req = CreateRequest {
                    dir: dir.clone(),
                    lock,
                    mnemonic: done.mnemonic,
                    electrum_url: chain.electrum_url(),
                    keyring,
                    restore_from: done.restore_from,
                };
                match Wallet::create(req).await {
                    Ok(wallet) => Message::Opened(Ok((wallet, chain, dir))),
                    Err(error) => {
                        let recorded = matches!(dir.load_wallet(), Ok(Some(_)));
                        Message::CreateFailed {
                            error: error.into(),
                            recorded,
                        }
                    }
                }
            },
            |message| message,
        )
    }

    fn change_settings(&mut self, change: SettingsChange) -> Task<Message> {
        match change {
            SettingsChange::Language(l) => {
                self.settings.language = l;
                i18n::set_language(l);
            }
            SettingsChange::Theme(t) => self.settings.theme = t,
            SettingsChange::Unit(u) => {
                self.settings.unit = u;
                crate::ui::format::set_unit(u);
            }
            SettingsChange::Electrum(url) => self.settings.electrum_url = Some(url),
            SettingsChange::Lsp(lsp) => self.settings.lsp = lsp,
            SettingsChange::Fiat(fiat) => self.settings.fiat = fiat,
        }
        let State::Wallet(w) = &self.state else {
            return Task::none();
        };
        Task::perform(
            save_settings(self.settings.clone(), w.dir().settings_path()),
            |saved| Message::Shell(shell::Message::SettingsSaved(saved)),
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.state {
            State::Loading(l) => centered(crate::ui::widget::progress::steps(
                l.what.clone(),
                l.step,
                l.steps,
            )),
            State::Stopping => centered(text(fl!("stopping")).size(theme::size::LEAD).into()),
            State::Blocked(reason, recoverable) => centered(
                column![
                    title(fl!("blocked-title")),
                    error_text(reason.clone()),
                    row![
                        recoverable.then(|| {
                            button(text(fl!("button-recover-channels")))
                                .on_press(Message::RecoverPressed)
                                .style(theme::primary)
                        }),
                        button(text(fl!("button-retry")))
                            .on_press(Message::RetryPressed)
                            .style(theme::primary),
                        button(text(fl!("button-quit")))
                            .on_press(Message::CloseRequested)
                            .style(theme::secondary),
                    ]
                    .spacing(theme::space::M),
                ]
                .spacing(theme::space::L)
                .max_width(640)
                .into(),
            ),
            State::Onboarding(ob) => ob.view().map(Message::Onboarding),
            State::Wallet(w) => w.view(self.network, &self.settings).map(Message::Shell),
        }
    }
}

/// Writes the settings file off the UI thread.
pub(crate) async fn save_settings(
    settings: Settings,
    path: std::path::PathBuf,
) -> Result<(), Error> {
    tokio::task::spawn_blocking(move || settings.save(&path))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(Error::from)
}

fn centered(content: Element<'_, Message>) -> Element<'_, Message> {
    container(content)
        .center(Length::Fill)
        .padding(theme::space::XXL)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::NodeError;
    use crate::ui::testing::{click, shows};

    fn app() -> App {
        let tmp = tempfile::tempdir().unwrap();
        let (app, _) = App::new(Startup {
            root: DataRoot::at(tmp.path().join("shandian")),
            network: Some(Network::Regtest),
            lab_tools: true,
            electrum: None,
            keyring: crate::core::keys::secrets::Keyring::Os,
            first_tab: None,
            window: WindowPlace::DEFAULT,
        });
        app
    }

    #[test]
    fn a_wallet_behind_its_peers_is_offered_recovery_and_nothing_else_is() {
        let mut a = app();
        let _ = a.block(Error::Node(NodeError::StaleChannelState {
            folder: "/data/regtest".into(),
        }));
        assert!(shows(
            a.view(),
            &fl!("err-stale-channel-state", folder = "/data/regtest")
        ));
        let pressed = click(a.view(), &fl!("button-recover-channels"));
        assert!(matches!(pressed.as_slice(), [Message::RecoverPressed]));

        // Peers that did not close in time: offered again.
        let _ = a.block(Error::Node(NodeError::PeersDidNotClose { channels: 1 }));
        assert!(shows(a.view(), &fl!("button-recover-channels")));

        // Any other reason: only try again and quit.
        let _ = a.block(Error::Node(NodeError::NodeDataMissing {
            folder: "/data/regtest/node".into(),
        }));
        assert!(!shows(a.view(), &fl!("button-recover-channels")));
        assert!(shows(a.view(), &fl!("button-retry")));
    }
}

//! Opening a wallet: the folder's lock and files read off the UI thread, the chain source
//! started (the Lab's local chain on regtest), then the wallet opened on it, each step shown
//! as a step of a progress line.

use crate::core::store::dirs::NetworkDir;
use crate::core::store::lock::InstanceLock;
use crate::core::wallet::{OpenRequest, Wallet};
use crate::core::{Error, Network, Settings};
use crate::fl;
use crate::lab::ChainSource;
use crate::ui::app::{App, Loading, Message, PendingOpen, Prepared, State, RECOVERY_PATIENCE};
use crate::ui::errors::Failure;
use iced::Task;

impl App {
    /// Takes the network folder's lock and reads it (off the UI thread), then opens or onboards.
    /// A folder another Shandian holds is left untouched.
    pub(super) fn start(&mut self) -> Task<Message> {
        self.loading(1, fl!("loading-folder"));
        let root = self.startup.root.clone();
        let network = self.network;
        let held = self.lock.take();
        Task::perform(
            async move {
                tokio::task::spawn_blocking(move || -> Result<Prepared, Error> {
                    let dir = root.network_dir(network)?;
                    let lock = lock_folder(held, &dir)?;
                    let (settings, set_aside) =
                        Settings::load_or_set_aside(&dir.settings_path(), network)?;
                    let meta = dir.load_wallet()?;
                    Ok((dir, lock, settings, set_aside, meta))
                })
                .await
                .map_err(|e| Error::Internal(e.to_string()))?
            },
            Message::Prepared,
        )
    }

    /// Open the wallet in the folder, or onboard a new one.
    pub(super) fn prepared(
        &mut self,
        (dir, lock, settings, set_aside, meta): Prepared,
    ) -> Task<Message> {
        self.settings = settings;
        self.settings_set_aside = set_aside;
        self.lock = Some((dir.clone(), lock.clone()));
        crate::ui::i18n::set_language(self.settings.language);
        crate::ui::format::set_unit(self.settings.unit);
        let Some(meta) = meta else {
            // Say so before a person writes down twelve words that could not be stored.
            let keyring = self.startup.keyring.clone();
            return Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || keyring.check_available())
                        .await
                        .map_err(|e| Error::Internal(e.to_string()))?
                        .map_err(Error::from)
                },
                Message::KeyringChecked,
            );
        };
        let recover = std::mem::take(&mut self.recover_next);
        let electrum = self.electrum_choice();
        if self.starts_local_chain() {
            self.loading(2, fl!("loading-chain"));
        }
        self.pending = Some(PendingOpen {
            dir: dir.clone(),
            lock,
            meta,
            recover,
        });
        Task::perform(
            async move { start_chain(&dir, electrum).await },
            Message::ChainStarted,
        )
    }

    /// The chain source is up: open the wallet on it (or recover its channel balances).
    pub(super) fn chain_started(&mut self, chain: ChainSource) -> Task<Message> {
        let Some(PendingOpen {
            dir,
            lock,
            meta,
            recover,
        }) = self.pending.take()
        else {
            return Task::none();
        };
        let step = if self.starts_local_chain() { 3 } else { 2 };
        self.loading(
            step,
            if recover {
                fl!("loading-recovery")
            } else {
                fl!("loading-wallet")
            },
        );
        let keyring = self.startup.keyring.clone();
        Task::perform(
            async move {
                let req = OpenRequest {
                    dir: dir.clone(),
                    lock,
                    meta,
                    electrum_url: chain.electrum_url(),
                    keyring,
                };
                let wallet = if recover {
                    Wallet::recover_stale(req, RECOVERY_PATIENCE).await?
                } else {
                    Wallet::open(req).await?
                };
                Ok((wallet, chain, dir))
            },
            Message::Opened,
        )
    }

    /// Whether this start runs the Lab's local chain first (regtest without a server chosen).
    pub(super) fn starts_local_chain(&self) -> bool {
        self.electrum_choice().is_none() && self.network == Network::Regtest
    }

    /// Shows step `step` of the start-up: reading the folder, the local chain (if any), the
    /// wallet.
    pub(super) fn loading(&mut self, step: u32, what: String) {
        let steps = if self.starts_local_chain() { 3 } else { 2 };
        self.state = State::Loading(Loading { what, step, steps });
    }

    /// The command line wins over Settings.
    pub(super) fn electrum_choice(&self) -> Option<String> {
        self.startup
            .electrum
            .clone()
            .or_else(|| self.settings.electrum_url.clone())
    }
}

/// The lock of `dir`: the one already held when it is that folder's, else taken now. Blocks.
/// Starts the wallet's chain source: the Electrum server at a checked URL, or on regtest without
/// one, the Lab.
pub(super) async fn start_chain(
    dir: &NetworkDir,
    electrum: Option<String>,
) -> Result<ChainSource, Failure> {
    let electrum = electrum
        .map(|url| crate::core::store::settings::validate_electrum_url(&url))
        .transpose()
        .map_err(Error::from)?;
    Ok(ChainSource::start(dir, electrum).await?)
}

pub(super) fn lock_folder(
    held: Option<(NetworkDir, InstanceLock)>,
    dir: &NetworkDir,
) -> Result<InstanceLock, Error> {
    match held {
        Some((held_dir, lock)) if held_dir == *dir => Ok(lock),
        _ => Ok(dir.lock()?),
    }
}

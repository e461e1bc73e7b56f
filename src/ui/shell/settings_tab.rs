//! The Settings tab's messages: what is saved by the app (electrum server, language, theme, LSP,
//! fiat) and what the wallet shell does at once (the fiat rate read again, the data folder
//! opened).

use iced::Task;

use crate::ui::shell::Message;
use crate::ui::shell::{errors, settings, SettingsChange, WalletScreen};

impl WalletScreen {
    pub(super) fn settings_message(
        &mut self,
        msg: settings::Message,
    ) -> (Task<Message>, Option<SettingsChange>) {
        match msg {
            settings::Message::ElectrumChanged(v) => {
                self.settings.set_electrum(v);
                (Task::none(), None)
            }
            settings::Message::SaveElectrumPressed => {
                match crate::core::store::settings::validate_electrum_url(self.settings.electrum())
                {
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
            settings::Message::ThemeSelected(t) => (Task::none(), Some(SettingsChange::Theme(t))),
            settings::Message::ChooseBackupPressed => (Task::none(), None),
            settings::Message::FiatCurrencyChanged(_)
            | settings::Message::FiatSourceChanged(_)
            | settings::Message::FiatTypedToggled(_)
            | settings::Message::SaveFiatPressed
            | settings::Message::RemoveFiatPressed => {
                let change = self.settings.update_fiat(msg);
                // Applied at once: the rate is read again for the new choice.
                let task = match &change {
                    Some(settings::FiatChange(fiat)) => {
                        self.fiat = fiat.clone();
                        self.rate = None;
                        self.counter.set_rate(None);
                        self.read_rate()
                    }
                    None => Task::none(),
                };
                (
                    task,
                    change.map(|settings::FiatChange(f)| SettingsChange::Fiat(f)),
                )
            }
            settings::Message::LspNodeChanged(_)
            | settings::Message::LspTokenChanged(_)
            | settings::Message::SaveLspPressed
            | settings::Message::RemoveLspPressed => (
                Task::none(),
                self.settings
                    .update_lsp(msg)
                    .map(|settings::LspChange(l)| SettingsChange::Lsp(l)),
            ),
            settings::Message::OpenFolderPressed => {
                let path = self.dir.path().to_path_buf();
                (
                    Task::perform(
                        async move {
                            let _ = tokio::task::spawn_blocking(move || open::that_detached(path))
                                .await;
                        },
                        |_| Message::Ignore,
                    ),
                    None,
                )
            }
        }
    }
}

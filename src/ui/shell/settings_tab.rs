//! What the Settings tab's actions do: a change goes to the app, which stores it (a fiat change
//! also reads the rate again at once); the data folder opens in the file manager.

use iced::Task;

use crate::ui::screen::settings::{Action, SettingsChange};
use crate::ui::shell::{tasks, Message, WalletScreen};

impl WalletScreen {
    pub(super) fn settings_action(
        &mut self,
        action: Action,
    ) -> (Task<Message>, Option<SettingsChange>) {
        match action {
            Action::Save(change) => {
                let task = match &change {
                    SettingsChange::Fiat(fiat) => {
                        self.fiat = fiat.clone();
                        self.rate = None;
                        self.counter.set_rate(None);
                        self.read_rate()
                    }
                    _ => Task::none(),
                };
                (task, Some(change))
            }
            Action::ChooseBackup => (
                Task::perform(tasks::pick_folder(), Message::BackupFolderPicked),
                None,
            ),
            Action::UseBackupServer(server) => {
                self.backup_error = None;
                (
                    tasks::choose_backup(
                        &self.wallet,
                        crate::core::store::backup::BackupPlace::Server { server },
                    ),
                    None,
                )
            }
            Action::OpenFolder => {
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

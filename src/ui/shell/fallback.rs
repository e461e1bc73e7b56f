//! Watching a shown invoice's on-chain fallback address: on the clock while Receive shows it,
//! and on each wallet update (a new block may confirm a payment to it).

use iced::Task;

use crate::ui::shell::Message;
use crate::ui::shell::{receive, tasks, Tab, WalletScreen};

impl WalletScreen {
    /// Asks the server about the shown invoice's fallback address, if one is watched.
    pub(super) fn check_fallback(&mut self) -> Task<Message> {
        match self
            .receive
            .update(receive::Message::FallbackDue, self.channels.overview())
        {
            Some(action) => tasks::receive_action(&self.wallet, action),
            None => Task::none(),
        }
    }

    /// Whether Receive shows an invoice whose on-chain fallback is still being watched.
    pub fn watches_fallback(&self) -> bool {
        self.tab == Tab::Receive && self.receive.fallback_to_watch().is_some()
    }
}

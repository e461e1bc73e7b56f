//! Fiat beside sats in the wallet shell: the rate read (at open, every few minutes from a
//! provider, again when the choice changes) and a completed payment's value noted at the rate
//! shown.

use iced::Task;

use crate::core::lightning::events::NodeEvent;
use crate::core::wallet::WalletUpdate;
use crate::ui::shell::Message;
use crate::ui::shell::WalletScreen;

/// How often a provider's fiat rate is read again.
pub const RATE_REFRESH: std::time::Duration = std::time::Duration::from_secs(300);

impl WalletScreen {
    /// Reads the fiat rate, when fiat is asked for.
    pub(super) fn read_rate(&self) -> Task<Message> {
        let Some(fiat) = self.fiat.clone() else {
            return Task::none();
        };
        Task::perform(
            async move { Ok(fiat.rate(crate::core::now()).await?) },
            Message::RateRead,
        )
    }

    /// Whether a provider's rate is to be read again now and then.
    pub fn reads_rates(&self) -> bool {
        matches!(
            &self.fiat,
            Some(crate::core::fiat::FiatSetting {
                source: crate::core::fiat::FiatSource::Provider { .. },
                ..
            })
        )
    }

    /// The books keep a completed payment's fiat value at the rate shown now.
    pub(super) fn note_fiat(&self, update: &WalletUpdate) -> Task<Message> {
        let (
            WalletUpdate::Event(
                NodeEvent::PaymentReceived { id: Some(id), .. }
                | NodeEvent::PaymentSent { id: Some(id), .. },
            ),
            Some(Ok(rate)),
        ) = (update, &self.rate)
        else {
            return Task::none();
        };
        let (wallet, id, rate) = (self.wallet.clone(), id.clone(), rate.clone());
        // Read the payment again once its note is written, so its row shows the fiat value.
        Task::perform(
            async move {
                wallet.note_fiat(id.clone(), rate).await;
                let read = wallet.payment(id.clone()).await;
                (id, read)
            },
            |(id, read)| Message::PaymentRead(id, read),
        )
    }
}

//! What the open wallet listens to: its update stream, files dropped on the window, and the
//! clocks of the tabs that need one.

use iced::Subscription;

use crate::ui::shell::{
    updates, Message, Tab, WalletKey, WalletScreen, FALLBACK_CHECK, FEE_REFRESH, RATE_REFRESH,
};

impl WalletScreen {
    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            iced::event::listen_with(|event, _status, _window| match event {
                iced::Event::Window(iced::window::Event::FileDropped(path)) => {
                    Some(Message::FileDropped(path))
                }
                _ => None,
            }),
            Subscription::run_with(WalletKey(self.wallet().clone()), updates).map(Message::Update),
            iced::time::every(FEE_REFRESH).map(|_| Message::FeesDue),
            // The counter is a shop's kiosk: its own keys only, no way out by a shortcut.
            if self.tab() == Tab::Counter {
                iced::keyboard::listen()
                    .filter_map(|e| crate::ui::screen::counter::key(e).map(Message::Counter))
            } else {
                iced::keyboard::listen()
                    .filter_map(|e| crate::ui::shell::nav::shortcut(e).map(Message::Shortcut))
            },
            match self.lab_auto_mining() {
                Some(every) => iced::time::every(every)
                    .map(|_| Message::Lab(crate::ui::screen::lab::Message::AutoMineDue)),
                None => Subscription::none(),
            },
            // Lab nodes raise no events of their own here (peers reconnecting, channels between
            // them): a visible Lab reads them again every few seconds.
            if self.tab() == Tab::Lab && self.chain.lab().is_some() {
                iced::time::every(LAB_REFRESH).map(|_| Message::LabRefreshDue)
            } else {
                Subscription::none()
            },
            if self.reads_rates() {
                iced::time::every(RATE_REFRESH).map(|_| Message::RateDue)
            } else {
                Subscription::none()
            },
            if self.watches_fallback() {
                iced::time::every(FALLBACK_CHECK).map(|_| Message::FallbackDue)
            } else {
                Subscription::none()
            },
            if self.animating() {
                iced::time::every(ANIMATION_STEP).map(|_| Message::Animate)
            } else {
                Subscription::none()
            },
            if matches!(self.tab(), Tab::Counter | Tab::Send) {
                iced::time::every(std::time::Duration::from_secs(1)).map(|_| Message::Tick)
            } else {
                Subscription::none()
            },
        ])
    }
}

/// How long a spinner shows each of its phases (a turn a little over a second), and how often
/// fading notes are drawn again.
const ANIMATION_STEP: std::time::Duration = std::time::Duration::from_millis(100);

/// How often a visible Lab reads its nodes again.
const LAB_REFRESH: std::time::Duration = std::time::Duration::from_secs(2);

impl WalletScreen {
    /// How often the Lab mines a block on its own (on the Lab's chain only, when turned on).
    fn lab_auto_mining(&self) -> Option<std::time::Duration> {
        self.chain.lab().and(self.lab.auto_mining())
    }
}

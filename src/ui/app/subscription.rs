//! What the app listens to besides the person: window close and termination signals, the
//! wallet's update stream, dropped files, and the clocks of the screens that need one.

use iced::Subscription;

use crate::ui::app::{App, Message, State};
use crate::ui::shell::{updates, WalletKey};

impl App {
    pub fn subscription(&self) -> Subscription<Message> {
        // A closed window and a polite kill (log-out, `kill`) both stop the node cleanly.
        let close = Subscription::batch([
            iced::window::close_requests().map(|_| Message::CloseRequested),
            Subscription::run(termination).map(|_| Message::CloseRequested),
        ]);
        match &self.state {
            State::Wallet(w) => Subscription::batch([
                close,
                iced::event::listen_with(|event, _status, _window| match event {
                    iced::Event::Window(iced::window::Event::FileDropped(path)) => {
                        Some(Message::FileDropped(path))
                    }
                    _ => None,
                }),
                Subscription::run_with(WalletKey(w.wallet().clone()), updates).map(Message::Update),
                iced::time::every(crate::ui::shell::FEE_REFRESH).map(|_| Message::FeesDue),
                if w.tab() == crate::ui::shell::Tab::Counter {
                    iced::keyboard::listen()
                        .filter_map(|e| crate::ui::screen::counter::key(e).map(Message::Counter))
                } else {
                    Subscription::none()
                },
                if w.reads_rates() {
                    iced::time::every(crate::ui::shell::RATE_REFRESH).map(|_| Message::RateDue)
                } else {
                    Subscription::none()
                },
                if w.watches_fallback() {
                    iced::time::every(crate::ui::shell::FALLBACK_CHECK)
                        .map(|_| Message::FallbackDue)
                } else {
                    Subscription::none()
                },
                if matches!(
                    w.tab(),
                    crate::ui::shell::Tab::Counter | crate::ui::shell::Tab::Send
                ) {
                    iced::time::every(std::time::Duration::from_secs(1)).map(|_| Message::Tick)
                } else {
                    Subscription::none()
                },
            ]),
            _ => close,
        }
    }
}

/// Yields once per SIGTERM or Ctrl-C the process receives.
fn termination() -> impl iced::futures::Stream<Item = ()> {
    iced::futures::stream::unfold((), |()| async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            match signal(SignalKind::terminate()) {
                Ok(mut term) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = tokio::signal::ctrl_c() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        log::info!("asked to quit: stopping the node");
        Some(((), ()))
    })
}

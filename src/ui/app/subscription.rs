//! What the app listens to besides the person: window close and termination signals, and
//! what the open wallet listens to (see `shell::subscription`).

use iced::Subscription;

use crate::ui::app::{App, Message, State};

impl App {
    pub fn subscription(&self) -> Subscription<Message> {
        // A closed window and a polite kill (log-out, `kill`) both stop the node cleanly.
        let close = Subscription::batch([
            iced::window::close_requests().map(|_| Message::CloseRequested),
            Subscription::run(termination).map(|_| Message::CloseRequested),
            iced::event::listen_with(|event, _, _| match event {
                iced::Event::Window(iced::window::Event::Resized(size)) => {
                    Some(Message::WindowResized(size))
                }
                iced::Event::Window(iced::window::Event::Moved(at)) => {
                    Some(Message::WindowMoved(at))
                }
                _ => None,
            }),
        ]);
        // Only until the first frame: it is said once in the log.
        let frames = if self.drawn {
            Subscription::none()
        } else {
            iced::window::frames().map(|_| Message::FrameDrawn)
        };
        match &self.state {
            State::Wallet(w) => {
                Subscription::batch([close, frames, w.subscription().map(Message::Shell)])
            }
            _ => Subscription::batch([close, frames]),
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

//! Everything drawn: the app state machine, screens, widgets, theme and texts.

pub mod app;
pub mod errors;
pub mod format;
pub mod i18n;
pub mod notify;
pub mod screen;
pub mod shell;
pub mod widget;

pub use app::{App, Message, Startup};

/// Runs the window until it is closed (after the node stopped).
pub fn run(startup: Startup) -> iced::Result {
    iced::application(move || App::new(startup.clone()), App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .exit_on_close_request(false)
        .window_size((1000.0, 720.0))
        .run()
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;

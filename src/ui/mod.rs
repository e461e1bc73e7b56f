//! Everything drawn: the app state machine, screens, widgets, theme and texts.

pub mod app;
pub mod errors;
pub mod format;
pub mod i18n;
pub mod notify;
pub mod screen;
pub mod shell;
pub mod theme;
pub mod widget;

use crate::core::store::window::WindowPlace;
pub use app::{App, Message, Startup};

/// Runs the window until it is closed (after the node stopped).
pub fn run(startup: Startup) -> iced::Result {
    let window = window_settings(startup.window);
    iced::application(move || App::new(startup.clone()), App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .exit_on_close_request(false)
        .font(theme::ICON_FONT_BYTES)
        .default_font(theme::FONT)
        .window(window)
        .run()
}

/// The window as it was left last time (or at its default size), with the app's icon.
fn window_settings(place: WindowPlace) -> iced::window::Settings {
    let position = match (place.x, place.y) {
        (Some(x), Some(y)) => iced::window::Position::Specific(iced::Point::new(x, y)),
        _ => iced::window::Position::default(),
    };
    iced::window::Settings {
        size: iced::Size::new(place.width, place.height),
        position,
        min_size: Some(iced::Size::new(WindowPlace::MIN.0, WindowPlace::MIN.1)),
        icon: window_icon(),
        ..iced::window::Settings::default()
    }
}

/// The app's icon from assets/, for the title bar and the task switcher.
fn window_icon() -> Option<iced::window::Icon> {
    const PNG: &[u8] =
        include_bytes!("../../assets/icons/hicolor/64x64/apps/org.shandian.Shandian.png");
    let rgba = match image::load_from_memory_with_format(PNG, image::ImageFormat::Png) {
        Ok(i) => i.into_rgba8(),
        Err(e) => {
            log::warn!("the window icon cannot be read: {e}");
            return None;
        }
    };
    let (w, h) = rgba.dimensions();
    match iced::window::icon::from_rgba(rgba.into_raw(), w, h) {
        Ok(icon) => Some(icon),
        Err(e) => {
            log::warn!("the window icon cannot be used: {e}");
            None
        }
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod gallery;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

//! Small pieces the screens share.

pub mod balance_bar;
pub mod balance_chart;
pub mod graph_map;
pub mod lab_map;
pub mod money_bar;
pub mod pager;
pub mod progress;
pub mod toast;

use crate::ui::theme::{self, Tone};
use iced::widget::{container, row, text, text_input, Text, TextInput};
use iced::{Element, Length};

use crate::core::Network;
use crate::fl;

pub fn title<'a>(s: String) -> Text<'a> {
    text(s).size(theme::size::TITLE)
}

pub fn error_text<'a, M: 'a>(s: String) -> Element<'a, M> {
    text(s).style(theme::tone(Tone::Danger)).into()
}

pub fn note_text<'a, M: 'a>(s: String) -> Element<'a, M> {
    text(s).style(theme::tone(Tone::Success)).into()
}

/// A hint or caption: smaller and quieter than the text around it.
pub fn hint<'a>(s: String) -> Text<'a> {
    text(s)
        .size(theme::size::SMALL)
        .style(theme::tone(Tone::Muted))
}

/// A text field in the app's style ([`theme::input`]).
pub fn input<'a, M: Clone + 'a>(placeholder: &str, value: &str) -> TextInput<'a, M> {
    text_input(placeholder, value).style(theme::input)
}

pub fn network_name(n: Network) -> String {
    match n {
        Network::Regtest => fl!("network-regtest"),
        Network::Signet => fl!("network-signet"),
        Network::Testnet => fl!("network-testnet"),
        Network::Mainnet => fl!("network-mainnet"),
    }
}

/// A coloured network label, so nobody mistakes test coins for real ones (or the reverse).
pub fn network_badge<'a, M: 'a>(n: Network) -> Element<'a, M> {
    let label = match n {
        Network::Regtest => fl!("badge-regtest"),
        Network::Signet => fl!("badge-signet"),
        Network::Testnet => fl!("badge-testnet"),
        Network::Mainnet => fl!("badge-mainnet"),
    };
    container(text(label).size(theme::size::CAPTION))
        .padding([3, 8])
        .style(theme::pill(theme::network_color(n)))
        .into()
}

/// A label and a value on one line.
pub fn field<'a, M: 'a>(label: String, value: String) -> Element<'a, M> {
    row![
        text(label).width(Length::Fill),
        text(value).font(iced::Font::MONOSPACE),
    ]
    .spacing(theme::space::M)
    .into()
}

/// A bordered box around a group of things.
pub fn card<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content)
        .padding(theme::space::L)
        .width(Length::Fill)
        .style(theme::card)
        .into()
}

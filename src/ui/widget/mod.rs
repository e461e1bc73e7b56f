//! Small pieces the screens share.

pub mod balance_bar;
pub mod graph_map;
pub mod lab_map;
pub mod pager;

use iced::widget::{container, row, text, Text};
use iced::{Color, Element, Length};

use crate::core::Network;
use crate::fl;

pub fn title<'a>(s: String) -> Text<'a> {
    text(s).size(26)
}

pub fn error_text<'a, M: 'a>(s: String) -> Element<'a, M> {
    text(s)
        .style(|theme: &iced::Theme| text::Style {
            color: Some(theme.extended_palette().danger.base.color),
        })
        .into()
}

pub fn note_text<'a, M: 'a>(s: String) -> Element<'a, M> {
    text(s)
        .style(|theme: &iced::Theme| text::Style {
            color: Some(theme.extended_palette().success.base.color),
        })
        .into()
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
    let (label, color) = match n {
        Network::Regtest => (fl!("badge-regtest"), Color::from_rgb8(0x8e, 0x44, 0xad)),
        Network::Signet => (fl!("badge-signet"), Color::from_rgb8(0x27, 0x80, 0xc9)),
        Network::Testnet => (fl!("badge-testnet"), Color::from_rgb8(0x16, 0xa0, 0x85)),
        Network::Mainnet => (fl!("badge-mainnet"), Color::from_rgb8(0xe6, 0x7e, 0x22)),
    };
    container(text(label).size(12).color(Color::WHITE))
        .padding([3, 8])
        .style(move |_| container::Style {
            background: Some(color.into()),
            border: iced::border::rounded(4),
            ..container::Style::default()
        })
        .into()
}

/// A label and a value on one line.
pub fn field<'a, M: 'a>(label: String, value: String) -> Element<'a, M> {
    row![
        text(label).width(Length::Fill),
        text(value).font(iced::Font::MONOSPACE),
    ]
    .spacing(12)
    .into()
}

/// A bordered box around a group of things.
pub fn card<'a, M: 'a>(content: impl Into<Element<'a, M>>) -> Element<'a, M> {
    container(content)
        .padding(16)
        .width(Length::Fill)
        .style(container::bordered_box)
        .into()
}

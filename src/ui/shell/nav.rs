//! The sidebar: the sections grouped as a person thinks of them (the wallet, Lightning, the Lab
//! on regtest), Settings at the foot, the network badge always in sight; and the keyboard
//! shortcuts that reach the same places.

use iced::keyboard::{self, key::Named, Key};
use iced::widget::{button, column, container, row, text, tooltip, Column, Space};
use iced::{Alignment, Element, Length};

use crate::core::Network;
use crate::fl;
use crate::ui::shell::Tab;
use crate::ui::theme::{self, Icon, Tone};
use crate::ui::widget::network_badge;

/// The sections in shortcut order: Ctrl+1 is Home, Ctrl+8 the Lab (on regtest).
pub const ORDER: [Tab; 8] = [
    Tab::Home,
    Tab::Send,
    Tab::Receive,
    Tab::Activity,
    Tab::Channels,
    Tab::Graph,
    Tab::Settings,
    Tab::Lab,
];

/// Width of the sidebar, in logical pixels.
pub const WIDTH: f32 = 208.0;

/// A key that does something anywhere in the open wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Ctrl+1 … Ctrl+8 (Cmd on macOS).
    Show(Tab),
    /// Ctrl+V outside a text field: on Send, paste and read what is on the clipboard.
    Paste,
    /// Escape: back out of the form or step shown (as its Back button does).
    Back,
}

/// The shortcut a key press outside any text field means, if any.
pub fn shortcut(event: keyboard::Event) -> Option<Shortcut> {
    let keyboard::Event::KeyPressed { key, modifiers, .. } = event else {
        return None;
    };
    match key.as_ref() {
        Key::Named(Named::Escape) => Some(Shortcut::Back),
        Key::Character(c) if modifiers.command() => {
            if c.eq_ignore_ascii_case("v") {
                return Some(Shortcut::Paste);
            }
            let n: usize = c.parse().ok()?;
            ORDER.get(n.checked_sub(1)?).copied().map(Shortcut::Show)
        }
        _ => None,
    }
}

/// The words and icon of a section.
fn entry(tab: Tab) -> (Icon, String) {
    match tab {
        Tab::Home => (Icon::House, fl!("nav-home")),
        Tab::Send => (Icon::ArrowUpRight, fl!("nav-send")),
        Tab::Receive => (Icon::ArrowDownLeft, fl!("nav-receive")),
        Tab::Activity => (Icon::History, fl!("nav-activity")),
        Tab::Channels => (Icon::Zap, fl!("nav-channels")),
        Tab::Graph => (Icon::Waypoints, fl!("nav-network")),
        Tab::Settings => (Icon::Settings, fl!("nav-settings")),
        Tab::Lab => (Icon::FlaskConical, fl!("nav-lab")),
        Tab::Counter => (Icon::Store, fl!("nav-counter")),
    }
}

/// One entry: icon and words, highlighted when shown, with its shortcut as a tooltip.
fn item<'a, M: Clone + 'a>(tab: Tab, current: Tab, on_select: fn(Tab) -> M) -> Element<'a, M> {
    let (icon, label) = entry(tab);
    let entry = button(
        row![theme::icon(icon), text(label)]
            .spacing(theme::space::M)
            .align_y(Alignment::Center),
    )
    .width(Length::Fill)
    .padding([theme::space::S, theme::space::M])
    .style(theme::nav_item(tab == current))
    .on_press(on_select(tab));
    let Some(n) = ORDER.iter().position(|t| *t == tab) else {
        return entry.into();
    };
    tooltip(
        entry,
        container(text(fl!("nav-shortcut", n = (n + 1).to_string())).size(theme::size::SMALL))
            .padding(theme::space::XS)
            .style(theme::card),
        tooltip::Position::Right,
    )
    .into()
}

fn group<'a, M: 'a>(label: String) -> Element<'a, M> {
    container(
        text(label.to_uppercase())
            .size(theme::size::CAPTION)
            .style(theme::tone(Tone::Muted)),
    )
    .padding([0.0, theme::space::M])
    .into()
}

/// The sidebar for the section `current` of a wallet on `network`; choosing a section sends
/// `on_select` of it.
pub fn sidebar<'a, M: Clone + 'a>(
    current: Tab,
    network: Network,
    on_select: fn(Tab) -> M,
) -> Element<'a, M> {
    let brand = row![
        theme::icon(Icon::Zap)
            .size(theme::size::HEADING)
            .style(theme::tone(Tone::Accent)),
        text(fl!("app-title")).size(theme::size::HEADING),
    ]
    .spacing(theme::space::S)
    .align_y(Alignment::Center);
    let mut items: Column<'a, M> = column![
        column![brand, network_badge(network)].spacing(theme::space::S),
        Space::new().height(theme::space::M),
        group(fl!("nav-group-wallet")),
        item(Tab::Home, current, on_select),
        item(Tab::Send, current, on_select),
        item(Tab::Receive, current, on_select),
        item(Tab::Activity, current, on_select),
        Space::new().height(theme::space::S),
        group(fl!("nav-group-lightning")),
        item(Tab::Channels, current, on_select),
        item(Tab::Graph, current, on_select),
    ]
    .spacing(theme::space::XS);
    if network == Network::Regtest {
        items = items
            .push(Space::new().height(theme::space::S))
            .push(group(fl!("nav-group-testing")))
            .push(item(Tab::Lab, current, on_select));
    }
    items =
        items
            .push(Space::new().height(Length::Fill))
            .push(item(Tab::Settings, current, on_select));
    container(items)
        .padding(theme::space::L)
        .width(WIDTH)
        .height(Length::Fill)
        .style(theme::sidebar)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::keyboard::{key::Physical, Location, Modifiers};

    fn press(key: Key, modifiers: Modifiers) -> keyboard::Event {
        keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key,
            physical_key: Physical::Unidentified(keyboard::key::NativeCode::Unidentified),
            location: Location::Standard,
            modifiers,
            text: None,
            repeat: false,
        }
    }

    #[test]
    fn ctrl_and_a_digit_show_a_section() {
        let ctrl = Modifiers::COMMAND;
        let digit = |d: &str| press(Key::Character(d.into()), ctrl);
        assert_eq!(shortcut(digit("1")), Some(Shortcut::Show(Tab::Home)));
        assert_eq!(shortcut(digit("5")), Some(Shortcut::Show(Tab::Channels)));
        assert_eq!(shortcut(digit("7")), Some(Shortcut::Show(Tab::Settings)));
        assert_eq!(shortcut(digit("8")), Some(Shortcut::Show(Tab::Lab)));
        assert_eq!(shortcut(digit("9")), None);
        assert_eq!(shortcut(digit("0")), None);
        // A digit alone is typing, not a shortcut.
        assert_eq!(
            shortcut(press(Key::Character("1".into()), Modifiers::empty())),
            None
        );
    }

    #[test]
    fn the_graph_screen_opens_by_both_its_names() {
        use clap::ValueEnum;
        for name in ["graph", "network"] {
            assert_eq!(Tab::from_str(name, false), Ok(Tab::Graph), "--show {name}");
        }
        assert!(Tab::from_str("regtest", false).is_err());
    }

    #[test]
    fn paste_and_escape() {
        assert_eq!(
            shortcut(press(Key::Character("v".into()), Modifiers::COMMAND)),
            Some(Shortcut::Paste)
        );
        assert_eq!(
            shortcut(press(Key::Character("v".into()), Modifiers::empty())),
            None
        );
        assert_eq!(
            shortcut(press(Key::Named(Named::Escape), Modifiers::empty())),
            Some(Shortcut::Back)
        );
    }
}

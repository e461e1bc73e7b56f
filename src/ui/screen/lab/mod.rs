//! The Lab panel, for testers on the local chain: mine blocks (1, 6, 101, any number, to a
//! timelock of the wallet's channels, or one every few seconds), fund the wallet, and use the
//! Lab's peer node to try channels in both directions. Each control says in a sentence which
//! mechanism it lets you watch.

use std::time::Duration;

use iced::widget::{button, checkbox, column, row, text, text_input};
use iced::{Element, Length};

use crate::core::lightning::channels::{Timelock, TimelockKind};
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, error_text, note_text, title};

pub const BLOCKS_INPUT: &str = "lab-blocks";
pub const AUTO_SECS_INPUT: &str = "lab-auto-secs";

/// The most blocks one press mines (a day is 144).
const MAX_BLOCKS: u32 = 1_000;
/// The slowest automatic mining (an hour between blocks).
const MAX_AUTO_SECS: u64 = 3_600;

#[derive(Debug)]
pub struct Lab {
    busy: bool,
    result: Option<Result<Done, String>>,
    blocks: String,
    auto_secs: String,
    /// Mining a block this often, when on.
    auto: Option<Duration>,
    /// Why the typed number of blocks or seconds is refused.
    input_error: Option<String>,
}

impl Default for Lab {
    fn default() -> Self {
        Lab {
            busy: false,
            result: None,
            blocks: "10".into(),
            auto_secs: "10".into(),
            auto: None,
            input_error: None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    MinePressed(u32),
    BlocksChanged(String),
    MineBlocksPressed,
    /// Mine until the chain reaches this height (a timelock's).
    MineToPressed(u32),
    AutoToggled(bool),
    AutoSecsChanged(String),
    /// Time for the next automatic block.
    AutoMineDue,
    FundPressed,
    /// Go to the channel form, prefilled with the peer.
    PeerOpenPressed,
    /// Ask the peer to open a channel to this wallet.
    PeerInboundPressed,
}

/// What the Lab panel asks its parent to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Mine(u32),
    /// Mine until the chain reaches this height.
    MineTo(u32),
    Fund,
    /// Show the channel form, prefilled with the Lab's peer.
    OpenToPeer,
    /// The Lab's peer opens a channel to this wallet.
    PeerOpensChannel,
}

/// What a finished lab action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Mined(u64),
    PeerOpened,
}

impl Lab {
    pub fn update(&mut self, message: Message) -> Option<Action> {
        let action = match message {
            Message::BlocksChanged(v) => {
                self.blocks = v;
                self.input_error = None;
                return None;
            }
            Message::AutoSecsChanged(v) => {
                self.auto_secs = v;
                self.input_error = None;
                return None;
            }
            Message::AutoToggled(false) => {
                self.auto = None;
                return None;
            }
            Message::AutoToggled(true) => {
                match self.auto_secs.trim().parse::<u64>() {
                    Ok(s) if (1..=MAX_AUTO_SECS).contains(&s) => {
                        self.auto = Some(Duration::from_secs(s));
                        self.input_error = None;
                    }
                    _ => {
                        self.input_error = Some(fl!(
                            "lab-auto-bad",
                            max = format::group_digits(MAX_AUTO_SECS)
                        ))
                    }
                }
                return None;
            }
            Message::MineBlocksPressed => match self.blocks.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_BLOCKS).contains(&n) => Action::Mine(n),
                _ => {
                    self.input_error = Some(fl!(
                        "lab-blocks-bad",
                        max = format::group_digits(u64::from(MAX_BLOCKS))
                    ));
                    return None;
                }
            },
            // A block still on its way (a slow electrs) is not stacked with another.
            Message::AutoMineDue if self.busy => return None,
            Message::AutoMineDue => Action::Mine(1),
            Message::MinePressed(n) => Action::Mine(n),
            Message::MineToPressed(height) => Action::MineTo(height),
            Message::FundPressed => Action::Fund,
            Message::PeerOpenPressed => return Some(Action::OpenToPeer),
            Message::PeerInboundPressed => Action::PeerOpensChannel,
        };
        self.busy = true;
        self.result = None;
        Some(action)
    }

    pub fn finished(&mut self, result: Result<Done, String>) {
        self.busy = false;
        self.result = Some(result);
    }

    /// How often a block is mined on its own, when the tester turned that on.
    pub fn auto_mining(&self) -> Option<Duration> {
        self.auto
    }

    /// `timelocks`: those of the wallet's channels not reached at `height`, nearest first.
    pub fn view<'a>(
        &'a self,
        electrum_url: Option<String>,
        peer_uri: Option<String>,
        timelocks: &[Timelock],
        height: u32,
    ) -> Element<'a, Message> {
        let Some(url) = electrum_url else {
            return column![title(fl!("lab-title")), text(fl!("lab-not-running"))]
                .spacing(16)
                .into();
        };
        let act = |label: String, msg: Message| {
            button(text(label))
                .padding(10)
                .on_press_maybe((!self.busy).then_some(msg))
        };
        let peer: Element<'a, Message> = match peer_uri {
            Some(uri) => card(
                column![
                    text(fl!("lab-peer-title")).size(18),
                    text(fl!("lab-peer-help")).size(13),
                    text(fl!("lab-peer-uri", uri = uri))
                        .font(iced::Font::MONOSPACE)
                        .size(13),
                    row![
                        act(fl!("lab-peer-open"), Message::PeerOpenPressed),
                        act(fl!("lab-peer-inbound"), Message::PeerInboundPressed),
                    ]
                    .spacing(12),
                ]
                .spacing(10),
            ),
            None => text(fl!("lab-peer-missing")).into(),
        };
        let mut mining = column![
            text(fl!("lab-height", height = height.to_string())).size(18),
            row![
                act(fl!("lab-mine-1"), Message::MinePressed(1)),
                act(fl!("lab-mine-6"), Message::MinePressed(6)),
                act(fl!("lab-mine-101"), Message::MinePressed(101)),
            ]
            .spacing(12),
            row![
                text_input(&fl!("lab-blocks"), &self.blocks)
                    .id(BLOCKS_INPUT)
                    .on_input(Message::BlocksChanged)
                    .width(Length::Fixed(100.0)),
                act(fl!("lab-mine-n"), Message::MineBlocksPressed),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
            row![
                checkbox(self.auto.is_some())
                    .label(fl!("lab-auto"))
                    .on_toggle(Message::AutoToggled),
                text_input("10", &self.auto_secs)
                    .id(AUTO_SECS_INPUT)
                    .on_input(Message::AutoSecsChanged)
                    .width(Length::Fixed(80.0)),
                text(fl!("lab-auto-secs")),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(12);
        if let Some(e) = &self.input_error {
            mining = mining.push(error_text(e.clone()));
        }
        mining = mining
            .push(act(fl!("lab-fund"), Message::FundPressed))
            .push(text(fl!("lab-fund-help")).size(13));
        let mut content = column![
            title(fl!("lab-title")),
            text(fl!("lab-help")),
            card(mining),
            card(timelock_list(timelocks, height, self.busy)),
            peer,
            text(fl!("lab-electrum", url = url)).size(13),
        ]
        .spacing(16);
        if self.busy {
            content = content.push(text(fl!("working")));
        }
        match &self.result {
            Some(Ok(Done::Mined(height))) => {
                content = content.push(note_text(fl!("lab-mined", height = height)))
            }
            Some(Ok(Done::PeerOpened)) => {
                content = content.push(note_text(fl!("lab-peer-inbound-done")))
            }
            Some(Err(e)) => content = content.push(error_text(e.clone())),
            None => {}
        }
        content.into()
    }
}

/// Each timelock in words, with the mechanism behind it and a button that mines to it.
fn timelock_list<'a>(timelocks: &[Timelock], height: u32, busy: bool) -> Element<'a, Message> {
    let mut c = column![text(fl!("lab-timelocks-title")).size(18)].spacing(10);
    if timelocks.is_empty() {
        return c.push(text(fl!("lab-timelocks-none")).size(13)).into();
    }
    for t in timelocks {
        let (peer, amount) = (format::short_id(&t.peer), format::sat(t.amount_sat));
        let (what, why) = match t.kind {
            TimelockKind::Csv => (
                fl!("lab-timelock-csv", peer = peer, amount = amount),
                fl!("lab-why-csv"),
            ),
            TimelockKind::HtlcRefund => (
                fl!("lab-timelock-htlc-refund", peer = peer, amount = amount),
                fl!("lab-why-cltv"),
            ),
            TimelockKind::HtlcPeerRefund => (
                fl!("lab-timelock-htlc-peer", peer = peer, amount = amount),
                fl!("lab-why-cltv"),
            ),
            TimelockKind::HtlcClaimDeadline => (
                fl!("lab-timelock-htlc-claim", peer = peer, amount = amount),
                fl!("lab-why-preimage"),
            ),
        };
        let label = fl!(
            "lab-mine-to",
            height = t.height.to_string(),
            blocks = t.height.saturating_sub(height).to_string()
        );
        let b = button(text(label))
            .padding(8)
            .on_press_maybe((!busy).then_some(Message::MineToPressed(t.height)));
        c = c.push(
            row![
                column![text(what), text(why).size(13)]
                    .spacing(2)
                    .width(Length::Fill),
                b,
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        );
    }
    c.into()
}

#[cfg(test)]
mod tests;

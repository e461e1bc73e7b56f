//! The Lab panel: mine blocks, fund the wallet, and use the Lab's peer node to try
//! channels in both directions, for testers.

use iced::widget::{button, column, row, text};
use iced::Element;

use crate::fl;
use crate::ui::widget::{card, error_text, note_text, title};

#[derive(Debug, Default)]
pub struct Lab {
    busy: bool,
    result: Option<Result<Done, String>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    MinePressed(u32),
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
    pub fn update(&mut self, message: Message) -> Action {
        let action = match message {
            Message::MinePressed(n) => Action::Mine(n),
            Message::FundPressed => Action::Fund,
            Message::PeerOpenPressed => return Action::OpenToPeer,
            Message::PeerInboundPressed => Action::PeerOpensChannel,
        };
        self.busy = true;
        self.result = None;
        action
    }

    pub fn finished(&mut self, result: Result<Done, String>) {
        self.busy = false;
        self.result = Some(result);
    }

    pub fn view(
        &self,
        electrum_url: Option<String>,
        peer_uri: Option<String>,
    ) -> Element<'_, Message> {
        let Some(url) = electrum_url else {
            return column![title(fl!("lab-title")), text(fl!("lab-not-running"))]
                .spacing(16)
                .into();
        };
        let act = |label: String, msg: Message| {
            let b = button(text(label)).padding(10);
            if self.busy {
                b
            } else {
                b.on_press(msg)
            }
        };
        let peer: Element<'_, Message> = match peer_uri {
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
        let mut content = column![
            title(fl!("lab-title")),
            text(fl!("lab-help")),
            card(
                column![
                    row![
                        act(fl!("lab-mine-1"), Message::MinePressed(1)),
                        act(fl!("lab-mine-6"), Message::MinePressed(6)),
                        act(fl!("lab-mine-101"), Message::MinePressed(101)),
                    ]
                    .spacing(12),
                    act(fl!("lab-fund"), Message::FundPressed),
                    text(fl!("lab-fund-help")).size(13),
                ]
                .spacing(12)
            ),
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

//! The Regtest panel: mine blocks, fund the wallet, and use the playground's peer node to try
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

/// What a finished lab action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Mined(u64),
    PeerOpened,
}

impl Lab {
    pub fn start(&mut self) {
        self.busy = true;
        self.result = None;
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
            return column![
                title(fl!("regtest-title")),
                text(fl!("regtest-not-playground"))
            ]
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
                    text(fl!("regtest-peer-title")).size(18),
                    text(fl!("regtest-peer-help")).size(13),
                    text(fl!("regtest-peer-uri", uri = uri))
                        .font(iced::Font::MONOSPACE)
                        .size(13),
                    row![
                        act(fl!("regtest-peer-open"), Message::PeerOpenPressed),
                        act(fl!("regtest-peer-inbound"), Message::PeerInboundPressed),
                    ]
                    .spacing(12),
                ]
                .spacing(10),
            ),
            None => text(fl!("regtest-peer-missing")).into(),
        };
        let mut content = column![
            title(fl!("regtest-title")),
            text(fl!("regtest-help")),
            card(
                column![
                    row![
                        act(fl!("regtest-mine-1"), Message::MinePressed(1)),
                        act(fl!("regtest-mine-6"), Message::MinePressed(6)),
                        act(fl!("regtest-mine-101"), Message::MinePressed(101)),
                    ]
                    .spacing(12),
                    act(fl!("regtest-fund"), Message::FundPressed),
                    text(fl!("regtest-fund-help")).size(13),
                ]
                .spacing(12)
            ),
            peer,
            text(fl!("regtest-electrum", url = url)).size(13),
        ]
        .spacing(16);
        if self.busy {
            content = content.push(text(fl!("working")));
        }
        match &self.result {
            Some(Ok(Done::Mined(height))) => {
                content = content.push(note_text(fl!("regtest-mined", height = height)))
            }
            Some(Ok(Done::PeerOpened)) => {
                content = content.push(note_text(fl!("regtest-peer-inbound-done")))
            }
            Some(Err(e)) => content = content.push(error_text(e.clone())),
            None => {}
        }
        content.into()
    }
}

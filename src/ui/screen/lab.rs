//! The Regtest panel: mine blocks and fund the wallet in one click, for testers.

use iced::widget::{button, column, row, text};
use iced::Element;

use crate::fl;
use crate::ui::widget::{card, error_text, note_text, title};

#[derive(Debug, Default)]
pub struct Lab {
    busy: bool,
    result: Option<Result<u64, String>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    MinePressed(u32),
    FundPressed,
}

impl Lab {
    pub fn start(&mut self) {
        self.busy = true;
        self.result = None;
    }

    pub fn finished(&mut self, result: Result<u64, String>) {
        self.busy = false;
        self.result = Some(result);
    }

    pub fn view(&self, electrum_url: Option<String>) -> Element<'_, Message> {
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
            text(fl!("regtest-electrum", url = url)).size(13),
        ]
        .spacing(16);
        if self.busy {
            content = content.push(text(fl!("working")));
        }
        match &self.result {
            Some(Ok(height)) => {
                content = content.push(note_text(fl!("regtest-mined", height = height)))
            }
            Some(Err(e)) => content = content.push(error_text(e.clone())),
            None => {}
        }
        content.into()
    }
}

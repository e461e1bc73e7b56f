//! Receive on-chain: a fresh address as text and QR code.

use iced::widget::{button, column, qr_code, row, text};
use iced::Element;

use crate::fl;
use crate::ui::widget::{card, title};

#[derive(Debug, Default)]
pub struct Receive {
    address: Option<(String, qr_code::Data)>,
    copied: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    NewAddressPressed,
    CopyPressed,
}

impl Receive {
    pub fn set_address(&mut self, address: String) {
        let data = qr_code::Data::new(address.to_uppercase_if_bech32()).ok();
        self.address = data.map(|d| (address, d));
        self.copied = false;
    }

    pub fn address(&self) -> Option<&str> {
        self.address.as_ref().map(|(a, _)| a.as_str())
    }

    pub fn mark_copied(&mut self) {
        self.copied = true;
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut content =
            column![title(fl!("receive-title")), text(fl!("receive-help"))].spacing(16);
        if let Some((address, qr)) = &self.address {
            let copy_label = if self.copied {
                fl!("button-copied")
            } else {
                fl!("button-copy")
            };
            content = content.push(card(
                column![
                    qr_code(qr).cell_size(5),
                    text(address.clone()).size(16).font(iced::Font::MONOSPACE),
                    row![
                        button(text(copy_label)).on_press(Message::CopyPressed),
                        button(text(fl!("receive-new")))
                            .on_press(Message::NewAddressPressed)
                            .style(button::secondary),
                    ]
                    .spacing(12),
                ]
                .spacing(12)
                .width(iced::Length::Fill)
                .align_x(iced::Alignment::Center),
            ));
        } else {
            content = content.push(text(fl!("working")));
        }
        content.into()
    }
}

/// Bech32 addresses are case-insensitive; upper case makes a smaller, alphanumeric-mode QR code.
trait QrCase {
    fn to_uppercase_if_bech32(&self) -> String;
}

impl QrCase for String {
    fn to_uppercase_if_bech32(&self) -> String {
        let lower = self.to_ascii_lowercase();
        if ["bc1", "tb1", "bcrt1"].iter().any(|p| lower.starts_with(p)) {
            self.to_ascii_uppercase()
        } else {
            self.clone()
        }
    }
}

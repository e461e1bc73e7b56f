//! Send to a name: while it is looked up, and, for an LNURL-pay, the amount within the payee's
//! bounds before its server makes the invoice.

use iced::widget::{button, column, row, text, text_input};
use iced::Element;

use super::Message;
use crate::core::input::names::AmountChoice;
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, title};

pub const NAME_AMOUNT_INPUT: &str = "send-name-amount";

/// An LNURL-pay waiting for the person's amount.
#[derive(Debug)]
pub struct NameAmount {
    pub name: String,
    pub choice: AmountChoice,
    pub amount: String,
}

pub fn resolving(name: &str) -> Element<'_, Message> {
    column![
        title(fl!("send-title")),
        text(fl!("send-name-resolving", name = format::sanitize(name))),
        button(text(fl!("button-back")))
            .on_press(Message::BackPressed)
            .style(button::secondary),
    ]
    .spacing(16)
    .into()
}

pub fn amount(n: &NameAmount) -> Element<'_, Message> {
    let mut c = column![
        text(fl!("send-name-to", name = format::sanitize(&n.name))).size(18),
        text(fl!(
            "send-name-range",
            min = format::msat(n.choice.min_msat),
            max = format::msat(n.choice.max_msat)
        )),
    ]
    .spacing(10);
    if let Some(d) = &n.choice.description {
        c = c.push(text(format::sanitize(d)).size(14));
    }
    c = c
        .push(
            text_input(&fl!("send-amount"), &n.amount)
                .id(NAME_AMOUNT_INPUT)
                .on_input(Message::NameAmountChanged)
                .on_submit(Message::NameAmountPressed)
                .padding(8),
        )
        .push(
            row![
                button(text(fl!("button-back")))
                    .on_press(Message::BackPressed)
                    .style(button::secondary),
                button(text(fl!("send-name-continue"))).on_press(Message::NameAmountPressed),
            ]
            .spacing(12),
        );
    column![title(fl!("send-title")), card(c)]
        .spacing(16)
        .into()
}

//! Send to a name: while it is looked up, and, for an LNURL-pay, the amount within the payee's
//! bounds before its server makes the invoice.

use crate::ui::theme;
use iced::widget::{button, column, row, text};
use iced::Element;

use crate::core::input::names;
use crate::core::input::names::AmountChoice;
use crate::core::input::paste::PaymentTarget;
use crate::fl;
use crate::ui::errors;
use crate::ui::format;
use crate::ui::screen::send::{Message, SendScreen, Stage};
use crate::ui::widget::{card, title};

pub const NAME_AMOUNT_INPUT: &str = "send-name-amount";

/// An LNURL-pay waiting for the person's amount.
#[derive(Debug)]
pub struct NameAmount {
    pub name: String,
    pub choice: AmountChoice,
    pub amount: String,
}

impl SendScreen {
    /// What a name (or an LNURL-pay's amount) resolved to, or why not. A person who went back
    /// meanwhile is not taken anywhere.
    pub fn name_resolved(
        &mut self,
        result: Result<names::Resolved, crate::core::Error>,
    ) -> Option<crate::ui::screen::send::Action> {
        let Stage::Resolving(name) = &self.stage else {
            return None;
        };
        let name = name.clone();
        match result {
            Ok(names::Resolved::Target(PaymentTarget::Onchain {
                address,
                amount_sat,
                ..
            })) => {
                // An address: the on-chain form, filled in, for the amount and fee.
                self.stage = Stage::Edit;
                self.address = address.to_string();
                if let Some(sat) = amount_sat {
                    self.amount = sat.to_string();
                }
                self.from_name = Some(name);
                None
            }
            Ok(names::Resolved::Target(target)) => self.lightning(target),
            Ok(names::Resolved::ChooseAmount(choice)) => {
                self.stage = Stage::NameAmount(Box::new(NameAmount {
                    name,
                    choice: *choice,
                    amount: self.amount.clone(),
                }));
                None
            }
            Err(e) => {
                self.stage = Stage::Edit;
                self.error = Some(errors::describe(&e));
                None
            }
        }
    }
}

pub fn resolving(name: &str) -> Element<'_, Message> {
    column![
        title(fl!("send-title")),
        text(fl!("send-name-resolving", name = format::sanitize(name))),
        button(text(fl!("button-back")))
            .on_press(Message::BackPressed)
            .style(theme::secondary),
    ]
    .spacing(theme::space::L)
    .into()
}

pub fn amount(n: &NameAmount) -> Element<'_, Message> {
    let mut c = column![
        text(fl!("send-name-to", name = format::sanitize(&n.name))).size(theme::size::LEAD),
        text(fl!(
            "send-name-range",
            min = format::msat(n.choice.min_msat),
            max = format::msat(n.choice.max_msat)
        )),
    ]
    .spacing(theme::space::M);
    if let Some(d) = &n.choice.description {
        c = c.push(text(format::sanitize(d)).size(theme::size::LABEL));
    }
    c = c
        .push(
            crate::ui::widget::input(&fl!("send-amount"), &n.amount)
                .id(NAME_AMOUNT_INPUT)
                .on_input(Message::NameAmountChanged)
                .on_submit(Message::NameAmountPressed)
                .padding(theme::space::S),
        )
        .push(
            row![
                button(text(fl!("button-back")))
                    .on_press(Message::BackPressed)
                    .style(theme::secondary),
                button(text(fl!("send-name-continue")))
                    .on_press(Message::NameAmountPressed)
                    .style(theme::primary),
            ]
            .spacing(theme::space::M),
        );
    column![title(fl!("send-title")), card(c)]
        .spacing(theme::space::L)
        .into()
}

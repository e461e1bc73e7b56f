//! Send's form: the request (an address, or anything a person may paste), the amount or
//! "everything", and the fee rate.

use iced::widget::{button, checkbox, column, radio, row, text, Space};
use iced::{Element, Length};

use crate::fl;
use crate::ui::screen::send::{Message, SendScreen, Speed, ADDRESS_INPUT, AMOUNT_INPUT, FEE_INPUT};
use crate::ui::widget::{error_text, title};
use crate::ui::{format, theme};

impl SendScreen {
    pub(super) fn edit(&self, spendable_sat: u64) -> Element<'_, Message> {
        let mut amount = crate::ui::widget::input(&fl!("send-amount-placeholder"), &self.amount)
            .id(AMOUNT_INPUT)
            .padding(theme::space::S);
        if !self.send_all {
            amount = amount.on_input(Message::AmountChanged);
        }
        let mut fee = column![text(fl!("send-fee"))].spacing(theme::space::S);
        match &self.fees {
            Some(Ok(f)) => {
                let speeds = [
                    (Speed::Slow, fl!("send-fee-slow", rate = f.slow_sat_vb)),
                    (
                        Speed::Normal,
                        fl!("send-fee-normal", rate = f.normal_sat_vb),
                    ),
                    (Speed::Fast, fl!("send-fee-fast", rate = f.fast_sat_vb)),
                    (Speed::Custom, fl!("send-fee-custom")),
                ];
                for (speed, label) in speeds {
                    fee = fee.push(radio(
                        label,
                        speed,
                        Some(self.speed),
                        Message::SpeedSelected,
                    ));
                }
            }
            // No estimate: the sentence says so, and the rate field is the only choice.
            Some(Err(why)) => fee = fee.push(error_text(why.clone())),
            None => fee = fee.push(text(fl!("send-fee-reading")).size(theme::size::SMALL)),
        }
        if self.speed == Speed::Custom || !matches!(self.fees, Some(Ok(_))) {
            fee = fee.push(
                crate::ui::widget::input(&fl!("send-fee-custom-placeholder"), &self.custom_rate)
                    .id(FEE_INPUT)
                    .on_input(Message::CustomRateChanged)
                    .width(Length::Fixed(160.0))
                    .padding(theme::space::S),
            );
        }
        column![
            title(fl!("send-title")),
            text(fl!("send-address")),
            row![
                crate::ui::widget::input(&fl!("send-address-placeholder"), &self.address)
                    .id(ADDRESS_INPUT)
                    .on_input(Message::AddressChanged)
                    .padding(theme::space::S),
                button(text(fl!("send-open-qr")))
                    .style(theme::secondary)
                    .on_press(Message::OpenQrPressed),
            ]
            .spacing(theme::space::S),
            text(match (&self.from_name, self.from_qr) {
                (Some(name), _) => fl!("send-name-onchain", name = format::sanitize(name)),
                (None, true) => fl!("send-read-from-qr"),
                (None, false) => fl!("send-drop-qr-hint"),
            })
            .size(theme::size::SMALL),
            text(fl!("send-amount")),
            amount,
            row![
                checkbox(self.send_all)
                    .label(fl!("send-all"))
                    .on_toggle(Message::SendAllToggled),
                Space::new().width(Length::Fill),
                text(fl!("send-spendable", amount = format::sat(spendable_sat))),
            ],
            fee,
            button(text(fl!("send-review")))
                .on_press(Message::ReviewPressed)
                .padding(theme::space::M)
                .style(theme::primary),
        ]
        .spacing(theme::space::M)
        .into()
    }
}

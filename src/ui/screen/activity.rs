//! On-chain transactions, newest first.

use iced::widget::{column, row, scrollable, text, Space};
use iced::{Element, Length};

use crate::core::node::OnchainActivity;
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, title};

pub fn view<'a, M: 'a>(activity: &'a [OnchainActivity]) -> Element<'a, M> {
    let mut list = column![].spacing(8);
    if activity.is_empty() {
        list = list.push(text(fl!("activity-empty")));
    }
    for item in activity {
        let (label, sign) = if item.incoming {
            (fl!("activity-in"), "+")
        } else {
            (fl!("activity-out"), "−")
        };
        let status = if item.confirmations == 0 {
            fl!("activity-unconfirmed")
        } else {
            fl!("activity-confirmations", n = item.confirmations)
        };
        let fee = match item.fee_sat {
            Some(fee) if !item.incoming => fl!("activity-fee", fee = format::sat(fee)),
            _ => String::new(),
        };
        list = list.push(card(
            column![
                row![
                    text(label).size(16),
                    Space::new().width(Length::Fill),
                    text(format!("{sign}{}", format::sat(item.amount_sat))).size(18),
                ],
                row![
                    text(format::datetime(item.time)).size(13),
                    text(status).size(13),
                    text(fee).size(13),
                ]
                .spacing(16),
                text(item.txid.clone()).size(12).font(iced::Font::MONOSPACE),
            ]
            .spacing(4),
        ));
    }
    column![
        title(fl!("activity-title")),
        scrollable(list).height(Length::Fill)
    ]
    .spacing(16)
    .into()
}

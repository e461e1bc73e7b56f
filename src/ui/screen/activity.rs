//! Activity: Lightning payments in both directions, then on-chain transactions, newest first.

use iced::widget::{column, row, scrollable, text, Space};
use iced::{Element, Length};

use crate::core::node::OnchainActivity;
use crate::core::payments::{PaymentKindView, PaymentRecord, PaymentState};
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, title};

pub fn view<'a, M: 'a>(
    payments: &'a [PaymentRecord],
    activity: &'a [OnchainActivity],
) -> Element<'a, M> {
    let mut list = column![].spacing(8);
    let lightning: Vec<&PaymentRecord> = payments
        .iter()
        .filter(|p| p.kind != PaymentKindView::Onchain)
        .collect();
    if !lightning.is_empty() {
        list = list.push(text(fl!("activity-lightning")).size(18));
    }
    for p in lightning {
        list = list.push(lightning_row(p));
    }
    if !activity.is_empty() && !payments.is_empty() {
        list = list.push(text(fl!("activity-onchain")).size(18));
    }
    if activity.is_empty() && payments.is_empty() {
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

fn lightning_row<'a, M: 'a>(p: &'a PaymentRecord) -> Element<'a, M> {
    let (label, sign) = if p.incoming {
        (fl!("activity-in"), "+")
    } else {
        (fl!("activity-out"), "−")
    };
    let kind = match p.kind {
        PaymentKindView::Bolt11 => fl!("pay-kind-bolt11"),
        PaymentKindView::Bolt12 => fl!("pay-kind-bolt12"),
        PaymentKindView::Keysend => fl!("pay-kind-keysend"),
        PaymentKindView::Onchain => fl!("pay-kind-onchain"),
    };
    let status = match p.status {
        PaymentState::Pending => fl!("activity-pending"),
        PaymentState::Succeeded => fl!("activity-succeeded"),
        PaymentState::Failed => fl!("activity-failed"),
    };
    let amount = p
        .amount_msat
        .map(|a| format!("{sign}{}", format::msat(a)))
        .unwrap_or_default();
    let fee = match p.fee_msat {
        Some(f) if !p.incoming && p.status == PaymentState::Succeeded => {
            fl!("activity-fee", fee = format::msat(f))
        }
        _ => String::new(),
    };
    card(
        column![
            row![
                text(label).size(16),
                text(kind).size(13),
                Space::new().width(Length::Fill),
                text(amount).size(18),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
            row![
                text(format::datetime(p.time)).size(13),
                text(status).size(13),
                text(fee).size(13),
            ]
            .spacing(16),
            text(p.payment_hash.clone().unwrap_or_default())
                .size(12)
                .font(iced::Font::MONOSPACE),
        ]
        .spacing(4),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::shows;

    fn payment(incoming: bool, status: PaymentState) -> PaymentRecord {
        PaymentRecord {
            id: "ab".repeat(32),
            incoming,
            kind: PaymentKindView::Bolt11,
            status,
            amount_msat: Some(25_000_000),
            fee_msat: Some(1_000),
            payment_hash: Some("cd".repeat(32)),
            preimage: None,
            time: 1_795_000_000,
        }
    }

    #[test]
    fn lightning_payments_show_direction_status_and_fee() {
        let payments = vec![
            payment(true, PaymentState::Succeeded),
            payment(false, PaymentState::Succeeded),
            payment(false, PaymentState::Failed),
        ];
        let v = || view::<()>(&payments, &[]);
        assert!(shows(v(), "+25,000 sat"));
        assert!(shows(v(), "−25,000 sat"));
        assert!(shows(v(), &fl!("activity-succeeded")));
        assert!(shows(v(), &fl!("activity-failed")));
        assert!(shows(v(), &fl!("activity-fee", fee = "1 sat")));
        assert!(!shows(v(), &fl!("activity-empty")));
    }
}

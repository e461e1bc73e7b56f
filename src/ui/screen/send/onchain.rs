//! The on-chain steps of Send after the form: confirm with the estimated fee, handed to the
//! server, sent (with its transaction id), or not taken.

use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::input::OnchainSendPlan;
use crate::core::wallet::{BroadcastOutcome, SendOutcome};
use crate::fl;
use crate::ui::format;
use crate::ui::screen::send::Message;
use crate::ui::theme;
use crate::ui::widget::{card, error_text, field, title};

pub(super) fn confirm(plan: &OnchainSendPlan, sending: bool) -> Element<'_, Message> {
    let mut send = button(text(if sending {
        fl!("working")
    } else {
        fl!("send-confirm")
    }))
    .padding(theme::space::M)
    .style(theme::primary);
    let mut back = button(text(fl!("button-back")))
        .padding(theme::space::M)
        .style(theme::secondary);
    if !sending {
        send = send.on_press(Message::ConfirmPressed);
        back = back.on_press(Message::BackPressed);
    }
    column![
        title(fl!("send-confirm-title")),
        card(
            column![
                field(fl!("send-confirm-to"), plan.address.clone()),
                field(fl!("send-confirm-amount"), format::sat(plan.send_sat)),
                field(
                    fl!("send-confirm-fee"),
                    format!(
                        "{} ({} sat/vB)",
                        format::sat(plan.estimated_fee_sat),
                        plan.fee_rate_sat_vb
                    )
                ),
                field(fl!("send-confirm-total"), format::sat(plan.total_sat())),
            ]
            .spacing(theme::space::S)
        ),
        text(fl!("send-confirm-note")).size(theme::size::SMALL),
        row![back, Space::new().width(Length::Fill), send],
    ]
    .spacing(theme::space::L)
    .into()
}

pub(super) fn broadcasting(outcome: &SendOutcome) -> Element<'_, Message> {
    column![
        title(fl!("send-broadcasting-title")),
        text(fl!("send-broadcasting-note")),
        card(
            column![
                field(fl!("send-confirm-amount"), format::sat(outcome.sent_sat)),
                field(fl!("send-sent-txid"), outcome.txid.clone()),
            ]
            .spacing(theme::space::S)
        ),
    ]
    .spacing(theme::space::L)
    .into()
}

pub(super) fn not_sent(outcome: &SendOutcome, why: BroadcastOutcome) -> Element<'_, Message> {
    let sentence = match why {
        BroadcastOutcome::NotTaken {
            fee_rate_sat_vb,
            min_relay_sat_vb: Some(min),
        } if why.fee_too_low() => fl!("send-not-taken-fee", rate = fee_rate_sat_vb, min = min),
        BroadcastOutcome::NotTaken { .. } => fl!("send-not-taken"),
        _ => fl!("send-no-answer"),
    };
    column![
        title(fl!("send-not-sent-title")),
        error_text(sentence),
        card(field(fl!("send-sent-txid"), outcome.txid.clone())),
        then_send_another(fl!("send-change-fee"), Message::ChangeFeePressed),
    ]
    .spacing(theme::space::L)
    .into()
}

/// The buttons under a finished send: one for this payment, then "Send another payment".
fn then_send_another<'a>(label: String, press: Message) -> iced::widget::Row<'a, Message> {
    row![
        button(text(label)).on_press(press).style(theme::primary),
        button(text(fl!("send-again")))
            .on_press(Message::NewPaymentPressed)
            .style(theme::secondary),
    ]
    .spacing(theme::space::M)
}

pub(super) fn sent(outcome: &SendOutcome) -> Element<'_, Message> {
    let mut details = column![
        field(fl!("send-confirm-amount"), format::sat(outcome.sent_sat)),
        field(fl!("send-sent-txid"), outcome.txid.clone()),
    ]
    .spacing(theme::space::S);
    if let Some(fee) = outcome.fee_sat {
        details = details.push(field(fl!("send-sent-fee"), format::sat(fee)));
    }
    column![
        title(fl!("send-sent-title")),
        card(details),
        then_send_another(fl!("button-copy"), Message::CopyTxidPressed),
    ]
    .spacing(theme::space::L)
    .into()
}

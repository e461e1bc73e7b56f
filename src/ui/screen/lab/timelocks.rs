//! The wallet's channel timelocks in the Lab, each in words with the mechanism behind it and a
//! button that mines to it.

use iced::widget::{button, column, row, text};
use iced::{Element, Length};

use super::Message;
use crate::core::lightning::channels::{Timelock, TimelockKind};
use crate::fl;
use crate::ui::format;
use crate::ui::theme;

/// Each timelock in words, with the mechanism behind it and a button that mines to it.
pub(super) fn timelock_list<'a>(
    timelocks: &[Timelock],
    height: u32,
    busy: bool,
) -> Element<'a, Message> {
    let mut c =
        column![text(fl!("lab-timelocks-title")).size(theme::size::LEAD)].spacing(theme::space::M);
    if timelocks.is_empty() {
        return c
            .push(text(fl!("lab-timelocks-none")).size(theme::size::SMALL))
            .into();
    }
    for t in timelocks {
        let (peer, amount) = (format::short_id(&t.peer), format::sat(t.amount_sat));
        let (what, why) = match t.kind {
            TimelockKind::Csv => (
                fl!("lab-timelock-csv", peer = peer, amount = amount),
                fl!("lab-why-csv"),
            ),
            TimelockKind::HtlcRefund => (
                fl!("lab-timelock-htlc-refund", peer = peer, amount = amount),
                fl!("lab-why-cltv"),
            ),
            TimelockKind::HtlcPeerRefund => (
                fl!("lab-timelock-htlc-peer", peer = peer, amount = amount),
                fl!("lab-why-cltv"),
            ),
            TimelockKind::HtlcClaimDeadline => (
                fl!("lab-timelock-htlc-claim", peer = peer, amount = amount),
                fl!("lab-why-preimage"),
            ),
        };
        let label = fl!(
            "lab-mine-to",
            height = t.height.to_string(),
            blocks = t.height.saturating_sub(height).to_string()
        );
        let b = button(text(label))
            .padding(theme::space::S)
            .on_press_maybe((!busy).then_some(Message::MineToPressed {
                height: t.height,
                blocks: t.height.saturating_sub(height),
            }))
            .style(theme::primary);
        c = c.push(
            row![
                column![text(what), text(why).size(theme::size::SMALL)]
                    .spacing(theme::space::XXS)
                    .width(Length::Fill),
                b,
            ]
            .spacing(theme::space::M)
            .align_y(iced::Alignment::Center),
        );
    }
    c.into()
}

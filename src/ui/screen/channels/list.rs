//! The channel list: totals on top, the open form, and one row per channel with its balance bar.

use crate::ui::theme;
use iced::widget::{button, column, container, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::channels::{Channel, ChannelsOverview};
use crate::fl;
use crate::ui::format;
use crate::ui::screen::channels::explain;
use crate::ui::screen::channels::Message;
use crate::ui::widget::{balance_bar, card, pager, title};

/// Channels on one page of the list.
pub const PAGE_ROWS: usize = 25;

pub fn view<'a>(
    overview: &'a ChannelsOverview,
    page: usize,
    open_form: Element<'a, Message>,
) -> Element<'a, Message> {
    let totals = row![
        card(
            column![
                text(fl!("ch-can-send")).size(theme::size::LABEL),
                text(format::sat(overview.can_send_sat())).size(theme::size::HEADING),
            ]
            .spacing(theme::space::XS)
        ),
        card(
            column![
                text(fl!("ch-can-receive")).size(theme::size::LABEL),
                text(format::sat(overview.can_receive_sat())).size(theme::size::HEADING),
            ]
            .spacing(theme::space::XS)
        ),
    ]
    .spacing(theme::space::L);
    let mut list = column![].spacing(theme::space::M);
    if overview.channels.is_empty() {
        list = list.push(text(fl!("ch-none")));
    }
    let total = overview.channels.len();
    for c in &overview.channels[pager::rows(page, total, PAGE_ROWS)] {
        list = list.push(channel_row(c));
    }
    if let Some(p) = pager::pager(page, total, PAGE_ROWS, Message::PageShown) {
        list = list.push(p);
    }
    column![title(fl!("ch-title")), totals, open_form, list]
        .spacing(theme::space::L)
        .into()
}

/// Status dot and word, the peer, the capacity, the bar (open channels) or what is still
/// coming back (closed ones), and a Details button.
fn channel_row(c: &Channel) -> Element<'_, Message> {
    let (word, tone) = explain::status(&c.status);
    let head = row![
        text("●").style(theme::tone(tone)),
        text(word).style(theme::tone(tone)),
        text(format::short_id(&c.peer)).font(iced::Font::MONOSPACE),
        Space::new().width(Length::Fill),
        text(fl!(
            "ch-capacity-short",
            amount = format::sat(c.capacity_sat)
        )),
        button(text(fl!("ch-details")))
            .on_press(Message::ChannelSelected(c.id.clone()))
            .style(theme::secondary),
    ]
    .spacing(theme::space::M)
    .align_y(iced::Alignment::Center);
    let body: Element<'_, Message> = if c.status.is_open() {
        column![
            balance_bar::bar(&c.parts, 18.0),
            row![
                text(fl!(
                    "ch-row-send",
                    amount = format::sat(c.parts.our_spendable_sat)
                ))
                .size(theme::size::SMALL),
                Space::new().width(Length::Fill),
                text(fl!(
                    "ch-row-receive",
                    amount = format::sat(c.parts.peer_spendable_sat)
                ))
                .size(theme::size::SMALL),
            ],
        ]
        .spacing(theme::space::S)
        .into()
    } else {
        let reason = c
            .history
            .close_reason
            .as_ref()
            .map(explain::close_reason)
            .unwrap_or_default();
        let returning = if c.claims.is_empty() {
            String::new()
        } else {
            fl!("ch-row-returning", amount = format::sat(c.our_balance_sat))
        };
        column![
            text(reason).size(theme::size::SMALL),
            text(returning).size(theme::size::SMALL)
        ]
        .spacing(theme::space::XS)
        .into()
    };
    container(card(column![head, body].spacing(theme::space::S))).into()
}

//! The channel list: totals on top, the open form, and one row per channel with its balance bar.

use crate::ui::theme;
use iced::widget::{button, column, container, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::channels::{Channel, ChannelStatus, ChannelsOverview};
use crate::fl;
use crate::ui::format;
use crate::ui::screen::channels::explain;
use crate::ui::screen::channels::Message;
use crate::ui::widget::{balance_bar, card, pager, progress, title};

/// Channels on one page of the list.
pub const PAGE_ROWS: usize = 25;

pub fn view<'a>(
    overview: &'a ChannelsOverview,
    page: usize,
    lsp: Option<&'a str>,
    open_form: Element<'a, Message>,
) -> Element<'a, Message> {
    if overview.channels.is_empty() {
        return column![title(fl!("ch-title")), no_channel(lsp), open_form]
            .spacing(theme::space::L)
            .into();
    }
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

/// Why a channel, and the two ways to get one: a peer of one's choice (the form below) or an
/// LSP that opens one as the first payment arrives.
fn no_channel(lsp: Option<&str>) -> Element<'_, Message> {
    let way = |icon, heading: String, body: String, action: Option<Element<'static, Message>>| {
        let c = column![
            row![theme::icon(icon), text(heading).size(theme::size::LEAD)]
                .spacing(theme::space::S)
                .align_y(iced::Alignment::Center),
            text(body).size(theme::size::LABEL),
        ]
        .push(action)
        .spacing(theme::space::S);
        container(c)
            .padding(theme::space::L)
            .width(Length::Fill)
            .style(theme::card)
    };
    let lsp_way = match lsp {
        Some(url) => way(
            theme::Icon::Store,
            fl!("ch-empty-lsp-title"),
            fl!("ch-empty-lsp-set", lsp = url.to_string()),
            Some(
                button(text(fl!("ch-empty-lsp-receive")))
                    .on_press(Message::ReceiveViaLspPressed)
                    .style(theme::secondary)
                    .into(),
            ),
        ),
        None => way(
            theme::Icon::Store,
            fl!("ch-empty-lsp-title"),
            fl!("ch-empty-lsp-none"),
            Some(
                button(text(fl!("ch-empty-lsp-choose")))
                    .on_press(Message::ChooseLspPressed)
                    .style(theme::secondary)
                    .into(),
            ),
        ),
    };
    column![
        text(fl!("ch-empty-why")),
        row![
            way(
                theme::Icon::Cable,
                fl!("ch-empty-peer-title"),
                fl!("ch-empty-peer"),
                None
            ),
            lsp_way
        ]
        .spacing(theme::space::L),
    ]
    .spacing(theme::space::M)
    .into()
}

/// How far a channel is along what it waits for: the funding transaction's confirmations
/// while it opens, the CSV delay after our force close.
pub(super) fn progress(c: &Channel) -> Option<Element<'_, Message>> {
    match c.status {
        ChannelStatus::Opening {
            confirmations,
            required,
        } => Some(progress::confirmations(confirmations, required)),
        ChannelStatus::ForceClosing { blocks_left } => Some(progress::wait(
            blocks_left,
            c.our_delay_blocks.map_or(blocks_left, u32::from),
        )),
        _ => None,
    }
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
        column![]
            .push(progress(c))
            .push(balance_bar::bar(&c.parts, 18.0))
            .push(row![
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
            ])
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
        column![]
            .push(progress(c))
            .push(text(reason).size(theme::size::SMALL))
            .push(text(returning).size(theme::size::SMALL))
            .spacing(theme::space::XS)
            .into()
    };
    container(card(column![head, body].spacing(theme::space::S))).into()
}

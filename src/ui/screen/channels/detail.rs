//! One channel in full: what protects it now, its parts to the satoshi, timelocks, HTLCs, fee
//! policy, the claim timeline after a close, its history, and the close buttons.

use crate::ui::theme;
use iced::widget::{button, column, container, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::channels::{Channel, ChannelStatus};
use crate::fl;
use crate::ui::format;
use crate::ui::screen::channels::{
    explain, FeeForm, Message, FEE_BASE_INPUT, FEE_CLTV_INPUT, FEE_PPM_INPUT,
};
use crate::ui::widget::{balance_bar, card, error_text, field, title};

/// The forms of an open channel's page, drawn by their owners.
pub struct Forms<'a> {
    pub fees: &'a FeeForm,
    /// The splice card (see `resize`).
    pub resize: Element<'a, Message>,
}

pub fn view<'a>(
    c: &'a Channel,
    height: u32,
    forms: Forms<'a>,
    confirm_force: bool,
    busy: bool,
) -> Element<'a, Message> {
    let (word, tone) = explain::status(&c.status);
    let mut why = column![].spacing(theme::space::S);
    for sentence in explain::protection(c) {
        why = why.push(text(sentence));
    }
    let mut content = column![
        row![
            button(text(fl!("button-back")))
                .on_press(Message::BackPressed)
                .style(theme::secondary),
            title(fl!("ch-detail-title", peer = format::short_id(&c.peer))),
        ]
        .spacing(theme::space::L)
        .align_y(iced::Alignment::Center),
        row![
            text("●")
                .style(theme::tone(tone))
                .size(theme::size::HEADING),
            text(word)
                .style(theme::tone(tone))
                .size(theme::size::HEADING)
        ]
        .spacing(theme::space::S),
    ]
    .push(super::list::progress(c))
    .push(card(why))
    .spacing(theme::space::L);

    if c.status.is_open() {
        content = content.push(card(
            column![
                balance_bar::bar(&c.parts, 28.0),
                balance_bar::legend(&c.parts),
            ]
            .spacing(theme::space::M),
        ));
    }
    content = content.push(card(numbers(c)));
    if c.status.is_open() {
        content = content.push(card(dust(c)));
    }
    if !c.htlcs.is_empty() {
        content = content.push(card(htlcs(c, height)));
    }
    if !c.claims.is_empty() {
        let mut timeline =
            column![text(fl!("ch-timeline")).size(theme::size::LEAD)].spacing(theme::space::S);
        for step in &c.claims {
            timeline = timeline.push(text(format!("• {}", explain::claim(step, height))));
        }
        content = content.push(card(timeline));
    }
    if c.status == ChannelStatus::Active {
        content = content.push(card(forms.resize));
    }
    if matches!(c.status, ChannelStatus::Active | ChannelStatus::PeerOffline) {
        content = content.push(card(fee_form(forms.fees, busy)));
    }
    content = content.push(card(history(c)));
    if c.status.is_open() {
        content = content.push(close_actions(c, confirm_force, busy));
    }
    content.into()
}

fn numbers(c: &Channel) -> Element<'_, Message> {
    let dash = || "—".to_string();
    let balance_label = if c.status.is_open() {
        fl!("ch-our-balance")
    } else {
        fl!("ch-returning-total")
    };
    let mut col = column![
        field(fl!("ch-capacity"), format::sat(c.capacity_sat)),
        field(balance_label, format::sat(c.our_balance_sat)),
    ]
    .spacing(theme::space::S);
    if c.status.is_open() {
        col = col
            .push(field(
                fl!("ch-our-reserve-required"),
                format::sat(c.parts.our_reserve_sat),
            ))
            .push(text(fl!("ch-our-reserve-help")).size(theme::size::SMALL))
            .push(field(
                fl!("ch-peer-reserve-required"),
                format::sat(c.parts.peer_reserve_sat),
            ))
            .push(text(fl!("ch-peer-reserve-help")).size(theme::size::SMALL));
    }
    col = col
        .push(field(
            fl!("ch-our-delay"),
            c.our_delay_blocks
                .map_or_else(dash, |d| format::blocks(d.into())),
        ))
        .push(text(fl!("ch-our-delay-help")).size(theme::size::SMALL))
        .push(field(
            fl!("ch-peer-delay"),
            format::blocks(c.peer_delay_blocks.into()),
        ))
        .push(field(
            fl!("ch-funding"),
            c.funding_outpoint.clone().unwrap_or_else(dash),
        ))
        .push(field(
            fl!("ch-scid"),
            c.short_channel_id.clone().unwrap_or_else(dash),
        ))
        .push(field(
            fl!("ch-kind"),
            format!(
                "{} · {}",
                if c.public {
                    fl!("open-kind-public")
                } else {
                    fl!("open-kind-private")
                },
                if c.opened_by_us {
                    fl!("ch-opened-by-us")
                } else {
                    fl!("ch-opened-by-peer")
                }
            ),
        ));
    if c.status.is_open() {
        let l = &c.limits;
        col = col
            .push(field(
                fl!("ch-htlc-send-range"),
                format!(
                    "{} – {}",
                    format::msat(l.send_min_msat),
                    format::msat(l.send_max_msat)
                ),
            ))
            .push(field(
                fl!("ch-htlc-receive-range"),
                format!(
                    "{} – {}",
                    format::msat(l.receive_min_msat),
                    l.receive_max_msat.map_or_else(dash, format::msat)
                ),
            ));
    }
    col.into()
}

/// The commitment fee rate, the most this channel may have at stake in dust and excess fees,
/// why, and the latest payment to us it refused over that limit.
fn dust(c: &Channel) -> Element<'_, Message> {
    let set_by = if c.opened_by_us {
        fl!("ch-feerate-by-us")
    } else {
        fl!("ch-feerate-by-peer")
    };
    let mut col = column![
        text(fl!("ch-dust")).size(theme::size::LEAD),
        field(
            fl!("ch-feerate"),
            format!(
                "{} · {set_by}",
                format::sat_per_vb(c.commitment_feerate_sat_per_kw)
            ),
        ),
        field(
            fl!("ch-dust-limit"),
            c.dust_exposure_limit_sat
                .map_or_else(|| fl!("ch-dust-limit-ldk"), format::sat),
        ),
        text(fl!("ch-dust-help")).size(theme::size::SMALL),
    ]
    .spacing(theme::space::S);
    if let Some(r) = &c.refused_incoming {
        col = col.push(
            text(fl!(
                "ch-dust-refused",
                time = format::datetime(r.at),
                exposure = format::sat(r.exposure_sat),
                limit = format::sat(r.limit_sat)
            ))
            .style(text::danger),
        );
    }
    col.into()
}

fn htlcs(c: &Channel, height: u32) -> Element<'_, Message> {
    let mut col = column![text(fl!("ch-htlcs")).size(theme::size::LEAD)].spacing(theme::space::S);
    for h in &c.htlcs {
        let direction = if h.outgoing {
            fl!("ch-htlc-out")
        } else {
            fl!("ch-htlc-in")
        };
        let expiry = h.expiry_height.map_or_else(String::new, |e| {
            fl!(
                "ch-htlc-expiry",
                height = e.to_string(),
                left = e.saturating_sub(height).to_string()
            )
        });
        let hash = h
            .payment_hash
            .as_deref()
            .map(format::short_id)
            .unwrap_or_default();
        col = col.push(
            row![
                text(direction).width(Length::Fixed(110.0)),
                text(format::sat(h.amount_sat)).width(Length::Fixed(140.0)),
                text(hash).font(iced::Font::MONOSPACE),
                Space::new().width(Length::Fill),
                text(expiry),
            ]
            .spacing(theme::space::S),
        );
    }
    col.into()
}

fn fee_form<'a>(fees: &'a FeeForm, busy: bool) -> Element<'a, Message> {
    let input = |label: String, id: &'static str, value: &'a str, msg: fn(String) -> Message| {
        column![
            text(label).size(theme::size::SMALL),
            crate::ui::widget::input("", value)
                .id(id)
                .on_input(msg)
                .padding(theme::space::S),
        ]
        .spacing(theme::space::XS)
        .width(Length::Fill)
    };
    let mut save = button(text(fl!("ch-fees-save"))).style(theme::primary);
    if !busy {
        save = save.on_press(Message::FeeSavePressed);
    }
    column![
        text(fl!("ch-fees")).size(theme::size::LEAD),
        row![
            input(
                fl!("ch-fee-base"),
                FEE_BASE_INPUT,
                &fees.base,
                Message::FeeBaseChanged
            ),
            input(
                fl!("ch-fee-ppm"),
                FEE_PPM_INPUT,
                &fees.ppm,
                Message::FeePpmChanged
            ),
            input(
                fl!("ch-fee-cltv"),
                FEE_CLTV_INPUT,
                &fees.cltv,
                Message::FeeCltvChanged
            ),
        ]
        .spacing(theme::space::M),
        text(fl!("ch-fees-help")).size(theme::size::SMALL),
        save,
    ]
    .spacing(theme::space::S)
    .into()
}

fn history(c: &Channel) -> Element<'_, Message> {
    let h = &c.history;
    let mut col = column![text(fl!("ch-history")).size(theme::size::LEAD)].spacing(theme::space::S);
    if let Some(t) = h.opened_at {
        col = col.push(field(fl!("ch-history-opened"), format::datetime(t)));
    }
    if let Some(t) = h.ready_at {
        col = col.push(field(fl!("ch-history-ready"), format::datetime(t)));
    }
    if let Some(t) = h.closed_at {
        col = col.push(field(fl!("ch-history-closed"), format::datetime(t)));
    }
    for s in &h.splices {
        col = col.push(field(explain::splice(s), format::datetime(s.asked_at)));
    }
    if let Some(r) = &h.close_reason {
        col = col.push(text(explain::close_reason(r)));
    }
    col.into()
}

/// For a channel restored from a backup that has not met its peer since: what a force close
/// risks, in red.
fn unproven_warning(c: &Channel) -> Element<'_, Message> {
    if c.unproven {
        error_text(fl!("ch-force-unproven-warning"))
    } else {
        Space::new().into()
    }
}

/// The button that confirms the force close: for an unproven channel, in words that accept
/// the risk.
fn force_confirm(c: &Channel, busy: bool) -> Element<'_, Message> {
    let (label, message) = if c.unproven {
        (
            fl!("ch-force-unproven-confirm"),
            Message::ForceCloseUnprovenConfirmed,
        )
    } else {
        (fl!("ch-force-confirm"), Message::ForceCloseConfirmed)
    };
    button(text(label))
        .on_press_maybe((!busy).then_some(message))
        .style(theme::danger)
        .into()
}

fn close_actions(c: &Channel, confirm_force: bool, busy: bool) -> Element<'_, Message> {
    if confirm_force {
        let delay = c.our_delay_blocks.map_or(0, u32::from);
        return container(card(
            column![
                text(fl!("ch-force-warning-title")).size(theme::size::LEAD),
                text(fl!(
                    "ch-force-warning",
                    delay = format::blocks(delay),
                    amount = format::sat(c.our_balance_sat)
                )),
                unproven_warning(c),
                row![
                    button(text(fl!("button-cancel")))
                        .on_press(Message::ForceCloseCancelled)
                        .style(theme::secondary),
                    Space::new().width(Length::Fill),
                    force_confirm(c, busy),
                ],
            ]
            .spacing(theme::space::M),
        ))
        .into();
    }
    row![
        button(text(fl!("ch-close")))
            .on_press_maybe((!busy).then_some(Message::ClosePressed))
            .padding(theme::space::M)
            .style(theme::primary),
        text(fl!("ch-close-help"))
            .size(theme::size::SMALL)
            .width(Length::Fill),
        button(text(fl!("ch-force-close")))
            .on_press_maybe((!busy).then_some(Message::ForceClosePressed))
            .style(theme::danger)
            .padding(theme::space::M),
    ]
    .spacing(theme::space::M)
    .align_y(iced::Alignment::Center)
    .into()
}

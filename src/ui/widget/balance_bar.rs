//! The channel balance bar: the capacity drawn to scale as its parts (ours, our reserve, HTLCs
//! in flight, the peer's reserve, the peer's part, the commitment fee), each with its number on
//! hover, and a legend with the numbers for keyboard and screen-reader users.

use iced::widget::{column, container, row, text, tooltip, Space};
use iced::{Color, Element, Length};

use crate::core::lightning::channels::BalanceParts;
use crate::fl;
use crate::ui::format;

/// One part of the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    OurSpendable,
    OurReserve,
    HtlcOut,
    HtlcIn,
    PeerReserve,
    PeerSpendable,
    CommitmentFee,
}

impl Part {
    pub const ALL: [Part; 7] = [
        Part::OurSpendable,
        Part::OurReserve,
        Part::HtlcOut,
        Part::HtlcIn,
        Part::PeerReserve,
        Part::PeerSpendable,
        Part::CommitmentFee,
    ];

    pub fn color(self) -> Color {
        match self {
            Part::OurSpendable => Color::from_rgb8(0x2e, 0x9e, 0x5b),
            Part::OurReserve => Color::from_rgb8(0x1b, 0x5e, 0x38),
            Part::HtlcOut => Color::from_rgb8(0xe6, 0x7e, 0x22),
            Part::HtlcIn => Color::from_rgb8(0xf1, 0xc4, 0x0f),
            Part::PeerReserve => Color::from_rgb8(0x23, 0x4f, 0x7d),
            Part::PeerSpendable => Color::from_rgb8(0x4a, 0x90, 0xd9),
            Part::CommitmentFee => Color::from_rgb8(0x9a, 0x9a, 0x9a),
        }
    }

    pub fn label(self) -> String {
        match self {
            Part::OurSpendable => fl!("part-our-spendable"),
            Part::OurReserve => fl!("part-our-reserve"),
            Part::HtlcOut => fl!("part-htlc-out"),
            Part::HtlcIn => fl!("part-htlc-in"),
            Part::PeerReserve => fl!("part-peer-reserve"),
            Part::PeerSpendable => fl!("part-peer-spendable"),
            Part::CommitmentFee => fl!("part-commitment-fee"),
        }
    }

    pub fn amount(self, parts: &BalanceParts) -> u64 {
        match self {
            Part::OurSpendable => parts.our_spendable_sat,
            Part::OurReserve => parts.our_reserve_sat,
            Part::HtlcOut => parts.htlc_out_sat,
            Part::HtlcIn => parts.htlc_in_sat,
            Part::PeerReserve => parts.peer_reserve_sat,
            Part::PeerSpendable => parts.peer_spendable_sat,
            Part::CommitmentFee => parts.commitment_fee_sat,
        }
    }
}

/// Bar widths in thousandths of the capacity; a non-empty part is at least 6 ‰ wide so it can
/// be seen and hovered.
pub fn widths(parts: &BalanceParts) -> Vec<(Part, u16)> {
    let total = parts.total().max(1);
    Part::ALL
        .iter()
        .filter(|p| p.amount(parts) > 0)
        .map(|&p| {
            let w = (p.amount(parts) as u128 * 1000 / total as u128) as u16;
            (p, w.max(6))
        })
        .collect()
}

/// The bar alone, `height` pixels tall.
pub fn bar<'a, M: 'a>(parts: &BalanceParts, height: f32) -> Element<'a, M> {
    let segments = widths(parts);
    if segments.is_empty() {
        return container(Space::new())
            .height(Length::Fixed(height))
            .width(Length::Fill)
            .style(container::bordered_box)
            .into();
    }
    let mut r = row![].spacing(1).height(Length::Fixed(height));
    for (part, width) in segments {
        let color = part.color();
        let segment = container(Space::new())
            .width(Length::Fill)
            .height(Length::Fill)
            .style(move |_| container::Style {
                background: Some(color.into()),
                ..container::Style::default()
            });
        let tip = container(text(format!(
            "{}: {}",
            part.label(),
            format::sat(part.amount(parts))
        )))
        .padding(6)
        .style(container::bordered_box);
        r = r.push(
            container(tooltip(segment, tip, tooltip::Position::Top))
                .width(Length::FillPortion(width)),
        );
    }
    r.into()
}

/// The legend: a colour swatch, the part's name and its amount, for every non-empty part.
pub fn legend<'a, M: 'a>(parts: &BalanceParts) -> Element<'a, M> {
    let mut c = column![].spacing(4);
    for part in Part::ALL {
        let amount = part.amount(parts);
        if amount == 0 {
            continue;
        }
        let color = part.color();
        c = c.push(
            row![
                container(Space::new())
                    .width(Length::Fixed(12.0))
                    .height(Length::Fixed(12.0))
                    .style(move |_| container::Style {
                        background: Some(color.into()),
                        border: iced::border::rounded(2),
                        ..container::Style::default()
                    }),
                text(part.label()).width(Length::Fill),
                text(format::sat(amount)).font(iced::Font::MONOSPACE),
            ]
            .spacing(8)
            .align_y(iced::Alignment::Center),
        );
    }
    c.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_amounts_and_small_parts_stay_visible() {
        let parts = BalanceParts {
            our_spendable_sat: 600_000,
            our_reserve_sat: 10_000,
            htlc_out_sat: 100,
            peer_reserve_sat: 10_000,
            peer_spendable_sat: 378_000,
            commitment_fee_sat: 1_900,
            ..BalanceParts::default()
        };
        let w = widths(&parts);
        assert_eq!(w[0], (Part::OurSpendable, 600));
        assert_eq!(w[1], (Part::OurReserve, 10));
        assert_eq!(w[2], (Part::HtlcOut, 6), "a tiny part is still drawn");
        assert!(
            !w.iter().any(|(p, _)| *p == Part::HtlcIn),
            "empty parts are left out"
        );
        assert_eq!(w.last().unwrap().0, Part::CommitmentFee);
    }
}

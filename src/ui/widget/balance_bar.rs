//! The channel balance bar: the capacity drawn to scale as the parts of our latest commitment
//! transaction (our output, HTLCs in flight, the peer's output, the anchors, the fee), each with
//! its number on hover. On each side's output a thin mark shows its floor, the reserve that side
//! must keep. A legend gives the numbers for keyboard and screen-reader users.

use crate::ui::theme;
use iced::widget::{column, container, row, text, tooltip, Space};
use iced::{Color, Element, Length};

use crate::core::lightning::channels::BalanceParts;
use crate::fl;
use crate::ui::format;

/// One part of the bar: one part of the commitment transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Ours,
    HtlcOut,
    HtlcIn,
    Theirs,
    Anchors,
    CommitmentFee,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Ours,
        Part::HtlcOut,
        Part::HtlcIn,
        Part::Theirs,
        Part::Anchors,
        Part::CommitmentFee,
    ];

    pub fn color(self) -> Color {
        match self {
            Part::Ours => Color::from_rgb8(0x2e, 0x9e, 0x5b),
            Part::HtlcOut => Color::from_rgb8(0xe6, 0x7e, 0x22),
            Part::HtlcIn => Color::from_rgb8(0xf1, 0xc4, 0x0f),
            Part::Theirs => Color::from_rgb8(0x4a, 0x90, 0xd9),
            Part::Anchors => Color::from_rgb8(0x6b, 0x6b, 0x6b),
            Part::CommitmentFee => Color::from_rgb8(0xa8, 0xa8, 0xa8),
        }
    }

    pub fn label(self) -> String {
        match self {
            Part::Ours => fl!("part-ours"),
            Part::HtlcOut => fl!("part-htlc-out"),
            Part::HtlcIn => fl!("part-htlc-in"),
            Part::Theirs => fl!("part-theirs"),
            Part::Anchors => fl!("part-anchors"),
            Part::CommitmentFee => fl!("part-commitment-fee"),
        }
    }

    pub fn amount(self, parts: &BalanceParts) -> u64 {
        match self {
            Part::Ours => parts.ours_sat,
            Part::HtlcOut => parts.htlc_out_sat,
            Part::HtlcIn => parts.htlc_in_sat,
            Part::Theirs => parts.theirs_sat,
            Part::Anchors => parts.anchors_sat,
            Part::CommitmentFee => parts.commitment_fee_sat,
        }
    }

    /// What can move now and the floor the output keeps, for the two sides' outputs.
    fn detail(self, parts: &BalanceParts) -> Option<String> {
        match self {
            Part::Ours => Some(fl!(
                "part-ours-detail",
                spendable = format::sat(parts.our_spendable_sat),
                reserve = format::sat(parts.our_reserve_sat)
            )),
            Part::Theirs => Some(fl!(
                "part-theirs-detail",
                spendable = format::sat(parts.peer_spendable_sat),
                reserve = format::sat(parts.peer_reserve_sat)
            )),
            _ => None,
        }
    }

    /// The floor of a side's output, when the output has grown past it (a mark on the bar).
    fn floor(self, parts: &BalanceParts) -> Option<u64> {
        let (amount, floor) = match self {
            Part::Ours => (parts.ours_sat, parts.our_reserve_sat),
            Part::Theirs => (parts.theirs_sat, parts.peer_reserve_sat),
            _ => return None,
        };
        (floor > 0 && floor < amount).then_some(floor)
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

fn fill<'a, M: 'a>(color: Color, portion: u16) -> Element<'a, M> {
    container(Space::new())
        .width(Length::FillPortion(portion.max(1)))
        .height(Length::Fill)
        .style(move |_| container::Style {
            background: Some(color.into()),
            ..container::Style::default()
        })
        .into()
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
        let amount = part.amount(parts);
        // A side's floor is drawn at its outer edge: our output's on the left, the peer's on
        // the right, with a thin dark mark where the floor ends.
        let segment: Element<'a, M> = match part.floor(parts) {
            Some(floor) => {
                let floor_w = (floor as u128 * 1000 / amount as u128) as u16;
                let rest_w = 1000 - floor_w;
                let mark = container(Space::new())
                    .width(Length::Fixed(2.0))
                    .height(Length::Fill)
                    .style(|_| container::Style {
                        background: Some(Color::from_rgb8(0x20, 0x20, 0x20).into()),
                        ..container::Style::default()
                    });
                if part == Part::Ours {
                    row![fill(color, floor_w), mark, fill(color, rest_w)].into()
                } else {
                    row![fill(color, rest_w), mark, fill(color, floor_w)].into()
                }
            }
            None => fill(color, 1),
        };
        let mut tip = column![text(format!("{}: {}", part.label(), format::sat(amount)))];
        if let Some(d) = part.detail(parts) {
            tip = tip.push(text(d).size(theme::size::SMALL));
        }
        let tip = container(tip)
            .padding(theme::space::S)
            .style(container::bordered_box);
        r = r.push(
            container(tooltip(segment, tip, tooltip::Position::Top))
                .width(Length::FillPortion(width)),
        );
    }
    r.into()
}

/// The legend: a colour swatch, the part's name and its amount, for every non-empty part (with
/// what each side can move now and its floor), then the total, which is the capacity.
pub fn legend<'a, M: 'a>(parts: &BalanceParts) -> Element<'a, M> {
    let mut c = column![].spacing(theme::space::XS);
    for part in Part::ALL {
        let amount = part.amount(parts);
        if amount == 0 && part != Part::Ours && part != Part::Theirs {
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
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
        );
        if let Some(d) = part.detail(parts) {
            c = c.push(row![
                Space::new().width(Length::Fixed(20.0)),
                text(d).size(theme::size::SMALL)
            ]);
        }
    }
    c = c.push(
        row![
            Space::new().width(Length::Fixed(12.0)),
            text(fl!("part-total")).width(Length::Fill),
            text(format::sat(parts.total())).font(iced::Font::MONOSPACE),
        ]
        .spacing(theme::space::S),
    );
    c.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_amounts_and_small_parts_stay_visible() {
        let parts = BalanceParts {
            ours_sat: 610_000,
            htlc_out_sat: 100,
            theirs_sat: 387_240,
            anchors_sat: 660,
            commitment_fee_sat: 2_000,
            ..BalanceParts::default()
        };
        let w = widths(&parts);
        assert_eq!(w[0], (Part::Ours, 610));
        assert_eq!(w[1], (Part::HtlcOut, 6), "a tiny part is still drawn");
        assert!(
            !w.iter().any(|(p, _)| *p == Part::HtlcIn),
            "empty parts are left out"
        );
        assert_eq!(w[2], (Part::Theirs, 387));
        assert_eq!(w.last().unwrap().0, Part::CommitmentFee);
    }

    #[test]
    fn a_floor_is_marked_only_on_an_output_past_it() {
        let parts = BalanceParts {
            ours_sat: 600_000,
            theirs_sat: 5_000,
            our_reserve_sat: 10_000,
            peer_reserve_sat: 10_000,
            ..BalanceParts::default()
        };
        assert_eq!(Part::Ours.floor(&parts), Some(10_000));
        assert_eq!(Part::Theirs.floor(&parts), None);
        assert_eq!(Part::Anchors.floor(&parts), None);
    }
}

//! Where the money is now, as one bar: on chain, in open channels, and on its way back from
//! closes; each part drawn to scale with its amount beside its colour.

use iced::widget::{column, container, row, text, Space};
use iced::{Color, Element, Length, Theme};

use crate::fl;
use crate::ui::format;
use crate::ui::theme;

/// The wallet's money in three places, in sat. The parts add up to what Home shows as on chain
/// plus Lightning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whereabouts {
    pub onchain_sat: u64,
    pub channels_sat: u64,
    pub returning_sat: u64,
}

impl Whereabouts {
    /// From Home's balances: `lightning_sat` is LDK's count over every channel, closing ones
    /// included, so the money on its way back is taken out of it (and never more than it).
    pub fn of(onchain_sat: u64, lightning_sat: u64, returning_sat: u64) -> Self {
        let returning_sat = returning_sat.min(lightning_sat);
        Whereabouts {
            onchain_sat,
            channels_sat: lightning_sat - returning_sat,
            returning_sat,
        }
    }

    pub fn total_sat(&self) -> u64 {
        self.onchain_sat + self.channels_sat + self.returning_sat
    }
}

/// The colours of the three parts (fills, not text): on chain, in channels, coming back.
pub(crate) fn colour(theme: &Theme, part: usize) -> Color {
    let p = theme.extended_palette();
    match part {
        0 => p.primary.base.color,
        1 => p.success.base.color,
        _ => theme::tone_color(theme, theme::Tone::Muted),
    }
}

pub(crate) fn swatch<'a, M: 'a>(part: usize) -> Element<'a, M> {
    container(Space::new())
        .width(12)
        .height(12)
        .style(move |t: &Theme| container::Style {
            background: Some(colour(t, part).into()),
            border: iced::border::rounded(3),
            ..container::Style::default()
        })
        .into()
}

/// The bar and its legend; nothing while the wallet holds nothing.
pub fn view<'a, M: 'a>(w: Whereabouts) -> Option<Element<'a, M>> {
    let total = w.total_sat();
    if total == 0 {
        return None;
    }
    let parts = [
        (w.onchain_sat, fl!("where-onchain")),
        (w.channels_sat, fl!("where-channels")),
        (w.returning_sat, fl!("where-returning")),
    ];
    let mut bar = row![].spacing(2).height(14);
    let mut legend = row![].spacing(theme::space::XL);
    for (i, (amount, label)) in parts.into_iter().enumerate() {
        if amount == 0 {
            continue;
        }
        // Widths in thousandths, at least one so a small part stays visible.
        let share = ((amount as u128 * 1000) / total as u128).max(1) as u16;
        bar = bar.push(
            container(Space::new())
                .width(Length::FillPortion(share))
                .height(Length::Fill)
                .style(move |t: &Theme| container::Style {
                    background: Some(colour(t, i).into()),
                    border: iced::border::rounded(3),
                    ..container::Style::default()
                }),
        );
        legend = legend.push(
            row![
                swatch(i),
                text(format!("{label} {}", format::sat(amount))).size(theme::size::LABEL),
            ]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
        );
    }
    Some(
        column![
            text(fl!("where-title")).size(theme::size::BODY),
            bar,
            legend
        ]
        .spacing(theme::space::S)
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_add_up_to_home_s_balances() {
        let w = Whereabouts::of(1_250_000, 1_039_340, 400_000);
        assert_eq!(w.channels_sat, 639_340);
        assert_eq!(w.total_sat(), 1_250_000 + 1_039_340);
        // LDK's Lightning total is the ceiling of what can be on its way back.
        let w = Whereabouts::of(0, 100, 400);
        assert_eq!((w.channels_sat, w.returning_sat), (0, 100));
        assert!(view::<()>(Whereabouts::of(0, 0, 0)).is_none());
    }
}

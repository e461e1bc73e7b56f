//! The balance over time as stacked steps: on chain below, Lightning above, in the money bar's
//! colours. Pointing at the chart reads the balances at that moment.

use iced::widget::canvas::{self, Frame, Path, Text};
use iced::widget::{column, row, text, Canvas, Space};
use iced::{mouse, Color, Element, Length, Point, Rectangle, Renderer, Size, Theme};

use crate::core::history::balance::BalancePoint;
use crate::fl;
use crate::ui::format;
use crate::ui::theme;
use crate::ui::widget::money_bar;

/// The drawing's height in logical pixels.
const HEIGHT: f32 = 150.0;
/// Room kept above the highest balance, as a share of it.
const HEADROOM: f32 = 0.15;

struct Chart<'a> {
    points: &'a [BalancePoint],
}

impl Chart<'_> {
    fn span(&self) -> (u64, u64) {
        let first = self.points.first().map_or(0, |p| p.time);
        let last = self.points.last().map_or(0, |p| p.time);
        (first, last.max(first + 1))
    }

    /// The point in force at `time`.
    fn at(&self, time: u64) -> Option<&BalancePoint> {
        self.points.iter().rev().find(|p| p.time <= time)
    }
}

impl<M> canvas::Program<M> for Chart<'_> {
    /// Where the pointer was last seen over the chart.
    type State = Option<Point>;

    /// Asks for a new frame when the pointer moves over the chart or leaves it (iced draws only
    /// on request).
    fn update(
        &self,
        pointer: &mut Option<Point>,
        event: &canvas::Event,
        bounds: Rectangle,
        cursor: mouse::Cursor,
    ) -> Option<canvas::Action<M>> {
        let canvas::Event::Mouse(mouse::Event::CursorMoved { .. } | mouse::Event::CursorLeft) =
            event
        else {
            return None;
        };
        let now = cursor.position_in(bounds);
        (now != *pointer).then(|| {
            *pointer = now;
            canvas::Action::request_redraw()
        })
    }

    fn draw(
        &self,
        _pointer: &Option<Point>,
        renderer: &Renderer,
        t: &Theme,
        bounds: Rectangle,
        cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let (first, last) = self.span();
        let top = self
            .points
            .iter()
            .map(|p| p.total_sat())
            .max()
            .unwrap_or(0)
            .max(1) as f32;
        let (w, h) = (bounds.width, bounds.height);
        let x = |time: u64| (time - first) as f32 / (last - first) as f32 * w;
        let y = |sat: u64| h - sat as f32 / (top * (1.0 + HEADROOM)) * h;
        let muted = theme::tone_color(t, theme::Tone::Muted);

        // The highest balance as a faint line with its amount.
        let high = y(top as u64);
        // Lines are thin rectangles: iced's software renderer repaints a stroke only within its
        // path's bounds, and a straight line's have no width.
        frame.fill_rectangle(
            Point::new(0.0, high - 0.5),
            Size::new(w, 1.0),
            Color { a: 0.35, ..muted },
        );
        // Above it, its amount; while the pointer is over the chart, the balances there.
        let ink = t.extended_palette().background.base.text;
        let pointed = cursor.position_in(bounds).and_then(|at| {
            let time = first + ((at.x / w).clamp(0.0, 1.0) * (last - first) as f32) as u64;
            self.at(time).map(|p| (at.x, time, p))
        });
        let (label, colour) = match pointed {
            Some((_, time, p)) => (
                fl!(
                    "chart-reading",
                    time = format::datetime(time),
                    onchain = format::sat(p.onchain_sat),
                    lightning = format::sat(p.lightning_sat)
                ),
                ink,
            ),
            None => (format::sat(top as u64), muted),
        };
        frame.fill_text(Text {
            content: label,
            position: Point::new(2.0, high - 2.0),
            color: colour,
            size: iced::Pixels(theme::size::CAPTION),
            align_y: iced::alignment::Vertical::Bottom,
            font: theme::FONT,
            ..Text::default()
        });

        // Each part as an area between its lower and upper steps.
        let area = |lower: &dyn Fn(&BalancePoint) -> u64, upper: &dyn Fn(&BalancePoint) -> u64| {
            Path::new(|b| {
                let ends = self.points.iter().skip(1).map(|p| p.time).chain([last]);
                let steps: Vec<(f32, f32, &BalancePoint)> = self
                    .points
                    .iter()
                    .zip(ends)
                    .map(|(p, end)| (x(p.time), x(end), p))
                    .collect();
                b.move_to(Point::new(0.0, y(lower(steps[0].2))));
                for (from, to, p) in &steps {
                    b.line_to(Point::new(*from, y(upper(p))));
                    b.line_to(Point::new(*to, y(upper(p))));
                }
                for (from, to, p) in steps.iter().rev() {
                    b.line_to(Point::new(*to, y(lower(p))));
                    b.line_to(Point::new(*from, y(lower(p))));
                }
                b.close();
            })
        };
        if !self.points.is_empty() {
            let onchain = area(&|_| 0, &|p| p.onchain_sat);
            let lightning = area(&|p| p.onchain_sat, &|p| p.total_sat());
            frame.fill(&onchain, money_bar::colour(t, 0));
            frame.fill(&lightning, money_bar::colour(t, 1));
        }

        // Where the pointer is, a line through the steps.
        if let Some((at_x, _, _)) = pointed {
            frame.fill_rectangle(Point::new(at_x - 0.5, high), Size::new(1.0, h - high), ink);
        }
        vec![frame.into_geometry()]
    }
}

/// The chart with its legend and time span; nothing while fewer than two moments are known.
pub fn view<'a, M: 'a>(points: &'a [BalancePoint]) -> Option<Element<'a, M>> {
    if points.len() < 2 {
        return None;
    }
    let chart = Chart { points };
    let (first, last) = chart.span();
    let legend = row![
        money_bar::swatch(0),
        text(fl!("where-onchain")).size(theme::size::LABEL),
        money_bar::swatch(1),
        text(fl!("home-lightning")).size(theme::size::LABEL),
    ]
    .spacing(theme::space::S)
    .align_y(iced::Alignment::Center);
    let span = row![
        crate::ui::widget::hint(format::datetime(first)),
        Space::new().width(Length::Fill),
        crate::ui::widget::hint(format::datetime(last)),
    ];
    Some(
        column![
            row![
                text(fl!("chart-title")).size(theme::size::BODY),
                Space::new().width(Length::Fill),
                legend
            ]
            .align_y(iced::Alignment::Center),
            Canvas::new(chart).width(Length::Fill).height(HEIGHT),
            span,
        ]
        .spacing(theme::space::S)
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_is_the_step_in_force() {
        let points = [
            BalancePoint::at(100, 1_000, 0),
            BalancePoint::at(200, 400, 500),
            BalancePoint::at(300, 400, 500),
        ];
        let chart = Chart { points: &points };
        assert_eq!(chart.span(), (100, 300));
        assert_eq!(chart.at(150), Some(&points[0]));
        assert_eq!(chart.at(200), Some(&points[1]));
        assert_eq!(chart.at(99), None);
        assert!(view::<()>(&points[..1]).is_none());
        assert!(view::<()>(&points).is_some());
    }
}

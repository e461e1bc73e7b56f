//! Progress a person can see: confirmations counting up, a timelock counting down, a step of a
//! start-up, and a spinner for what has no measure (a payment on its way).

use std::f32::consts::TAU;

use iced::widget::{canvas, column, progress_bar, row, text, Canvas};
use iced::{mouse, Element, Length, Point, Rectangle, Renderer, Theme};

use crate::fl;
use crate::ui::format;
use crate::ui::theme::{self, Tone};
use crate::ui::widget::hint;

/// Height of a progress bar, in logical pixels.
const GIRTH: f32 = 8.0;

fn bar<'a, M: 'a>(done: f32, of: f32, tone: Tone) -> Element<'a, M> {
    progress_bar(0.0..=of.max(1.0), done)
        .girth(GIRTH)
        .length(Length::Fill)
        .style(move |t: &Theme| progress_bar::Style {
            background: t.extended_palette().background.strong.color.into(),
            bar: theme::tone_color(t, tone).into(),
            border: iced::border::rounded(GIRTH / 2.0),
        })
        .into()
}

/// "2 of 6 confirmations" over a bar that fills as blocks come. `required` unknown: counts
/// against 6, the usual depth.
pub fn confirmations<'a, M: 'a>(confirmations: u32, required: Option<u32>) -> Element<'a, M> {
    let required = required.unwrap_or(6).max(1);
    column![
        bar(
            confirmations.min(required) as f32,
            required as f32,
            Tone::Warning
        ),
        hint(fl!(
            "progress-confirmations",
            n = confirmations.to_string(),
            required = required.to_string()
        )),
    ]
    .spacing(theme::space::XS)
    .into()
}

/// A timelock's wait: a bar that fills as the `total` blocks pass, with the blocks and hours
/// still to go.
pub fn wait<'a, M: 'a>(blocks_left: u32, total: u32) -> Element<'a, M> {
    let total = total.max(blocks_left).max(1);
    column![
        bar((total - blocks_left) as f32, total as f32, Tone::Danger),
        hint(fl!("progress-wait", left = format::blocks(blocks_left))),
    ]
    .spacing(theme::space::XS)
    .into()
}

/// Step `step` of `steps` of something long, said in `what`.
pub fn steps<'a, M: 'a>(what: String, step: u32, steps: u32) -> Element<'a, M> {
    column![
        text(what).size(theme::size::LEAD),
        bar(step as f32, steps as f32, Tone::Accent),
        hint(fl!(
            "progress-step",
            n = step.to_string(),
            total = steps.to_string()
        )),
    ]
    .spacing(theme::space::S)
    .width(Length::Fixed(360.0))
    .into()
}

/// How many phases a spinner turn has; the screen advances `phase` on a timer while it shows.
pub const SPINNER_PHASES: u32 = 12;

/// A ring with a bright arc at `phase` (0..SPINNER_PHASES), beside `label`.
pub fn spinner<'a, M: 'a>(phase: u32, label: String) -> Element<'a, M> {
    row![
        Canvas::new(Spinner { phase })
            .width(Length::Fixed(18.0))
            .height(Length::Fixed(18.0)),
        text(label),
    ]
    .spacing(theme::space::S)
    .align_y(iced::Alignment::Center)
    .into()
}

struct Spinner {
    phase: u32,
}

impl<M> canvas::Program<M> for Spinner {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        t: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<canvas::Geometry> {
        let mut frame = canvas::Frame::new(renderer, bounds.size());
        let center = Point::new(bounds.width / 2.0, bounds.height / 2.0);
        let radius = bounds.width.min(bounds.height) / 2.0 - 2.0;
        let p = t.extended_palette();
        let ring = canvas::Path::circle(center, radius);
        frame.stroke(
            &ring,
            canvas::Stroke::default()
                .with_width(3.0)
                .with_color(p.background.strong.color),
        );
        let start = TAU * (self.phase % SPINNER_PHASES) as f32 / SPINNER_PHASES as f32;
        let arc = canvas::Path::new(|b| {
            b.arc(canvas::path::Arc {
                center,
                radius,
                start_angle: iced::Radians(start),
                end_angle: iced::Radians(start + TAU / 4.0),
            })
        });
        frame.stroke(
            &arc,
            canvas::Stroke::default()
                .with_width(3.0)
                .with_color(p.primary.base.color)
                .with_line_cap(canvas::LineCap::Round),
        );
        vec![frame.into_geometry()]
    }
}

//! Progress a person can see: confirmations counting up, a timelock counting down, a step of a
//! start-up, and a spinner for what has no measure (a payment on its way).

use iced::widget::{column, container, progress_bar, row, text, Space};
use iced::{Element, Length, Theme};

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

/// The track of a spinner, and the block that runs along it, in logical pixels.
const TRACK: (f32, f32) = (36.0, 6.0);
const BLOCK: f32 = 14.0;

/// A block running to and fro along a short track at `phase` (0..SPINNER_PHASES), beside
/// `label`. Drawn from plain boxes: the ring drawn on a canvas it replaces showed, in the real
/// window under iced's software renderer, where the spinner had been in an earlier layout of the
/// page, not beside its label (the screen tests drew it right).
pub fn spinner<'a, M: 'a>(phase: u32, label: String) -> Element<'a, M> {
    // There and back in one turn.
    let half = SPINNER_PHASES / 2;
    let step = phase % SPINNER_PHASES;
    let along = if step <= half {
        step
    } else {
        SPINNER_PHASES - step
    };
    let offset = (TRACK.0 - BLOCK) * along as f32 / half as f32;
    let block = container(Space::new())
        .width(BLOCK)
        .height(TRACK.1)
        .style(|t: &Theme| container::Style {
            background: Some(t.extended_palette().primary.base.color.into()),
            border: iced::border::rounded(TRACK.1 / 2.0),
            ..container::Style::default()
        });
    let track = container(row![Space::new().width(offset), block])
        .width(TRACK.0)
        .height(TRACK.1)
        .style(|t: &Theme| container::Style {
            background: Some(t.extended_palette().background.strong.color.into()),
            border: iced::border::rounded(TRACK.1 / 2.0),
            ..container::Style::default()
        });
    row![track, text(label)]
        .spacing(theme::space::S)
        .align_y(iced::Alignment::Center)
        .into()
}

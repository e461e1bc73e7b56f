//! Short notes in a corner of the window for what happened while a person looked elsewhere (a
//! payment received, a channel ready or closed): each shows for a few seconds, then fades.

use std::time::{Duration, Instant};

use iced::widget::{column, container, row, text, Space};
use iced::{Color, Element, Length, Theme};

use crate::ui::theme::{self, Icon, Tone};

/// How long a note stays, fading during its last second.
pub const LIFETIME: Duration = Duration::from_secs(6);
const FADE: Duration = Duration::from_secs(1);
/// At most this many notes at once; the oldest goes first.
const MAX: usize = 4;

#[derive(Debug, Clone)]
struct Toast {
    text: String,
    tone: Tone,
    icon: Icon,
    shown_at: Instant,
}

/// The notes on screen, and the time they were last looked at.
#[derive(Debug, Clone)]
pub struct Toasts {
    items: Vec<Toast>,
    now: Instant,
}

impl Default for Toasts {
    fn default() -> Self {
        Toasts {
            items: Vec::new(),
            now: Instant::now(),
        }
    }
}

impl Toasts {
    pub fn push(&mut self, text: String, tone: Tone, icon: Icon, now: Instant) {
        self.now = now;
        self.items.push(Toast {
            text,
            tone,
            icon,
            shown_at: now,
        });
        if self.items.len() > MAX {
            self.items.remove(0);
        }
    }

    /// Moves the clock on: older notes fade, expired ones go.
    pub fn tick(&mut self, now: Instant) {
        self.now = now;
        self.items
            .retain(|t| now.saturating_duration_since(t.shown_at) < LIFETIME);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How visible a note is: 1 until its last second, then down to 0.
    fn opacity(&self, t: &Toast) -> f32 {
        let age = self.now.saturating_duration_since(t.shown_at);
        let left = LIFETIME.saturating_sub(age);
        (left.as_secs_f32() / FADE.as_secs_f32()).clamp(0.0, 1.0)
    }

    /// The notes, newest at the bottom, in the window's lower right corner.
    pub fn view<'a, M: 'a>(&self) -> Element<'a, M> {
        let mut c = column![]
            .spacing(theme::space::S)
            .align_x(iced::Alignment::End);
        for t in &self.items {
            let alpha = self.opacity(t);
            let tone = t.tone;
            c = c.push(
                container(
                    row![
                        theme::icon(t.icon).style(move |th: &Theme| iced::widget::text::Style {
                            color: Some(faded(theme::tone_color(th, tone), alpha)),
                        }),
                        text(t.text.clone()).style(move |th: &Theme| {
                            iced::widget::text::Style {
                                color: Some(faded(
                                    th.extended_palette().background.weakest.text,
                                    alpha,
                                )),
                            }
                        }),
                    ]
                    .spacing(theme::space::S)
                    .align_y(iced::Alignment::Center),
                )
                .padding([theme::space::M, theme::space::L])
                .max_width(420)
                .style(move |th: &Theme| {
                    let card = theme::card(th);
                    container::Style {
                        background: card.background.map(|b| b.scale_alpha(alpha)),
                        border: iced::Border {
                            color: faded(card.border.color, alpha),
                            ..card.border
                        },
                        shadow: iced::Shadow {
                            color: Color::from_rgba(0.0, 0.0, 0.0, 0.25 * alpha),
                            offset: iced::Vector::new(0.0, 2.0),
                            blur_radius: 8.0,
                        },
                        ..card
                    }
                }),
            );
        }
        container(column![Space::new().height(Length::Fill), c])
            .width(Length::Fill)
            .height(Length::Fill)
            .padding(theme::space::XL)
            .align_x(iced::alignment::Horizontal::Right)
            .into()
    }
}

fn faded(c: Color, alpha: f32) -> Color {
    Color {
        a: c.a * alpha,
        ..c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_fade_in_their_last_second_and_then_go() {
        let start = Instant::now();
        let mut t = Toasts::default();
        t.push("paid".into(), Tone::Success, Icon::Check, start);
        t.tick(start + Duration::from_secs(2));
        assert_eq!(t.opacity(&t.items[0]), 1.0);
        t.tick(start + LIFETIME - FADE / 2);
        assert!((t.opacity(&t.items[0]) - 0.5).abs() < 0.01);
        t.tick(start + LIFETIME);
        assert!(t.is_empty());
        for i in 0..6 {
            t.push(format!("{i}"), Tone::Accent, Icon::Zap, start);
        }
        assert_eq!(t.items.len(), MAX);
        assert_eq!(t.items[0].text, "2", "the oldest went first");
    }
}

//! Shandian's look in one place: the light and dark palettes (text readable at 4.5:1 at least,
//! checked by `palette_contrast`), the type scale, the spacing steps, button styles by role, the
//! colours of network badges and channel states, and the icon font.
//!
//! Screens take sizes, spaces and styles from here instead of writing numbers of their own, so
//! one change here changes the whole app.

use iced::theme::palette::{self, Extended, Pair};
use iced::theme::Palette;
use iced::widget::{button, container, text, text_input, Text};
use iced::{border, color, Background, Color, Font, Theme};

use crate::core::{Network, ThemeChoice};

pub use lucide_icons::Icon;

/// The light palette: warm paper, ink text, an amber-brown accent dark enough to be read on it.
pub const LIGHT: Palette = Palette {
    background: color!(0xfbfaf8),
    text: color!(0x1b1c1f),
    primary: color!(0x9a4607),
    success: color!(0x13713a),
    warning: color!(0x8a5300),
    danger: color!(0xb42318),
};

/// The dark palette: a blue-black night with the lightning's amber as accent.
pub const DARK: Palette = Palette {
    background: color!(0x16171b),
    text: color!(0xecebe8),
    primary: color!(0xf2a93b),
    success: color!(0x4cc47a),
    warning: color!(0xe8b339),
    danger: color!(0xf47a6a),
};

/// Text that says less than the text around it (hints, captions), per theme.
const MUTED_LIGHT: Color = color!(0x4d5058);
const MUTED_DARK: Color = color!(0xa5a8b0);

/// The theme a person chose.
pub fn of(choice: ThemeChoice) -> Theme {
    match choice {
        ThemeChoice::Light => Theme::custom_with_fn("Shandian light", LIGHT, extended),
        ThemeChoice::Dark => Theme::custom_with_fn("Shandian dark", DARK, extended),
    }
}

/// iced's shades of a palette, with filled buttons redone: white or ink text, whichever reads
/// better on the colour, the colour moved away from its text until they read at 4.5:1, and the
/// hovered shade a step further away (iced's own hovered shades sometimes fall short).
fn extended(palette: Palette) -> Extended {
    let mut e = Extended::generate(palette);
    for (base, strong) in [
        (&mut e.primary.base, &mut e.primary.strong),
        (&mut e.success.base, &mut e.success.strong),
        (&mut e.danger.base, &mut e.danger.strong),
        (&mut e.warning.base, &mut e.warning.strong),
    ] {
        let text = if contrast(Color::WHITE, base.color) >= contrast(INK, base.color) {
            Color::WHITE
        } else {
            INK
        };
        *base = readable(Pair {
            color: base.color,
            text,
        });
        *strong = readable(Pair {
            color: away_from(base.color, text, 0.06),
            text,
        });
    }
    // Secondary buttons are quiet surfaces a shade off the page, not iced's mid grey.
    e.secondary.base = readable(e.background.strong);
    e.secondary.strong = readable(e.background.strongest);
    e
}

/// Near-black text on light filled buttons.
const INK: Color = color!(0x111216);

/// `color` moved by `amount` away from `text`: darker under light text, lighter under dark.
fn away_from(color: Color, text: Color, amount: f32) -> Color {
    if palette::is_dark(text) {
        palette::lighten(color, amount)
    } else {
        palette::darken(color, amount)
    }
}

/// WCAG 2 contrast ratio of two opaque colours (1 to 21).
pub fn contrast(a: Color, b: Color) -> f32 {
    fn channel(c: f32) -> f32 {
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    fn luminance(c: Color) -> f32 {
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `pair` with its colour moved away from its text in small steps until the two read at 4.5:1.
fn readable(pair: Pair) -> Pair {
    let mut color = pair.color;
    for _ in 0..50 {
        if contrast(pair.text, color) >= 4.6 {
            break;
        }
        color = away_from(color, pair.text, 0.02);
    }
    Pair { color, ..pair }
}

/// The type scale, in logical pixels. Body text is iced's default (16).
pub mod size {
    /// Badges, axis labels.
    pub const CAPTION: f32 = 12.0;
    /// Hints and secondary lines under a value.
    pub const SMALL: f32 = 13.0;
    /// Labels of fields and list rows.
    pub const LABEL: f32 = 14.0;
    pub const BODY: f32 = 16.0;
    /// A card's heading, an amount in a list.
    pub const LEAD: f32 = 18.0;
    /// A section's heading.
    pub const HEADING: f32 = 20.0;
    /// A screen's title.
    pub const TITLE: f32 = 26.0;
    /// The balance on Home, the amount being paid.
    pub const DISPLAY: f32 = 34.0;
    /// The counter's amount, read from across a shop counter.
    pub const HERO: f32 = 44.0;
}

/// Spacing steps, in logical pixels: every gap and padding is one of these.
pub mod space {
    pub const XXS: f32 = 2.0;
    pub const XS: f32 = 4.0;
    pub const S: f32 = 8.0;
    pub const M: f32 = 12.0;
    pub const L: f32 = 16.0;
    pub const XL: f32 = 24.0;
    pub const XXL: f32 = 32.0;
}

/// Corner radius of buttons, cards and inputs.
pub const RADIUS: f32 = 8.0;

/// What a coloured word means; its colour comes from the theme, so it stays readable on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Hints, captions, things that ended quietly (a closed channel, an offline peer).
    Muted,
    /// Under way, nothing wrong (a cooperative close).
    Accent,
    Success,
    /// Waiting on something (confirmations).
    Warning,
    Danger,
}

impl Tone {
    pub const ALL: [Tone; 5] = [
        Tone::Muted,
        Tone::Accent,
        Tone::Success,
        Tone::Warning,
        Tone::Danger,
    ];
}

/// The colour of `tone` in `theme`.
pub fn tone_color(theme: &Theme, tone: Tone) -> Color {
    let p = theme.extended_palette();
    match tone {
        Tone::Muted if p.is_dark => MUTED_DARK,
        Tone::Muted => MUTED_LIGHT,
        Tone::Accent => p.primary.base.color,
        Tone::Success => p.success.base.color,
        Tone::Warning => p.warning.base.color,
        Tone::Danger => p.danger.base.color,
    }
}

/// Style for text in `tone`.
pub fn tone(tone: Tone) -> impl Fn(&Theme) -> text::Style {
    move |theme| text::Style {
        color: Some(tone_color(theme, tone)),
    }
}

/// The one action a screen is for (Pay, Open channel, Create invoice).
pub fn primary(theme: &Theme, status: button::Status) -> button::Style {
    rounded(button::primary(theme, status))
}

/// Every other action.
pub fn secondary(theme: &Theme, status: button::Status) -> button::Style {
    rounded(button::secondary(theme, status))
}

/// An action that loses something or cannot be taken back (force close, delete).
pub fn danger(theme: &Theme, status: button::Status) -> button::Style {
    rounded(button::danger(theme, status))
}

/// An action that confirms a good outcome (Done, Paid).
pub fn success(theme: &Theme, status: button::Status) -> button::Style {
    rounded(button::success(theme, status))
}

/// A link-like action inside text (Copy, Show more).
pub fn quiet(theme: &Theme, status: button::Status) -> button::Style {
    rounded(button::text(theme, status))
}

/// An entry of the sidebar; `active` is the section shown.
pub fn nav_item(active: bool) -> impl Fn(&Theme, button::Status) -> button::Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let (background, text_color) = if active {
            (Some(p.primary.base.color), p.primary.base.text)
        } else if matches!(status, button::Status::Hovered | button::Status::Pressed) {
            (Some(p.background.strong.color), p.background.strong.text)
        } else {
            (None, p.background.weaker.text)
        };
        button::Style {
            background: background.map(Background::Color),
            text_color,
            border: border::rounded(RADIUS),
            ..button::Style::default()
        }
    }
}

/// Text fields: iced's, with the corners of buttons and cards and a placeholder in muted text
/// (iced's own is too faint to read on a light page).
pub fn input(theme: &Theme, status: text_input::Status) -> text_input::Style {
    let style = text_input::default(theme, status);
    text_input::Style {
        border: style.border.rounded(RADIUS),
        placeholder: tone_color(theme, Tone::Muted),
        ..style
    }
}

fn rounded(style: button::Style) -> button::Style {
    button::Style {
        border: style.border.rounded(RADIUS),
        ..style
    }
}

/// The sidebar's surface, a step away from the page.
pub fn sidebar(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(p.background.weaker.color.into()),
        text_color: Some(p.background.weaker.text),
        ..container::Style::default()
    }
}

/// A card: a group of things on a raised surface with a hairline border.
pub fn card(theme: &Theme) -> container::Style {
    let p = theme.extended_palette();
    container::Style {
        background: Some(p.background.weakest.color.into()),
        text_color: Some(p.background.weakest.text),
        border: iced::Border {
            width: 1.0,
            radius: RADIUS.into(),
            color: p.background.strong.color,
        },
        ..container::Style::default()
    }
}

/// A network badge's colour: white text on it reads at 4.5:1 or more.
pub fn network_color(n: Network) -> Color {
    match n {
        Network::Regtest => color!(0x7a3b96),
        Network::Signet => color!(0x1d64a3),
        Network::Testnet => color!(0x0f6e5b),
        Network::Mainnet => color!(0xa34a08),
    }
}

/// A filled label: white text on `color` with rounded corners.
pub fn pill(color: Color) -> impl Fn(&Theme) -> container::Style {
    move |_| container::Style {
        background: Some(color.into()),
        text_color: Some(Color::WHITE),
        border: border::rounded(4),
        ..container::Style::default()
    }
}

/// The typeface of all text: Fira Sans, built into the app (iced's `fira-sans` feature), so
/// every desktop draws the same letters; Chinese falls back to the system's CJK font.
pub const FONT: Font = Font::with_name("Fira Sans");

/// The font of the icons, shipped from `assets/fonts` (Lucide, ISC licence).
pub const ICON_FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/lucide.ttf");
pub const ICON_FONT: Font = Font::with_name("lucide");

/// An icon at body size. Every control that shows only an icon also has a tooltip or a label.
pub fn icon<'a>(icon: Icon) -> Text<'a> {
    text(char::from(icon).to_string())
        .font(ICON_FONT)
        .size(size::LEAD)
        .line_height(1.0)
}

#[cfg(test)]
mod tests;

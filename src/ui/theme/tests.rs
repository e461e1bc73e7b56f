use iced::theme::palette::Pair;
use iced::{Color, Theme};

use super::*;

const THEMES: [ThemeChoice; 2] = [ThemeChoice::Light, ThemeChoice::Dark];

#[test]
fn contrast_matches_the_wcag_examples() {
    assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 0.01);
    assert!((contrast(Color::WHITE, Color::WHITE) - 1.0).abs() < 0.001);
    // #767676 on white is the classic "just passes 4.5:1" grey.
    let grey = iced::color!(0x767676);
    assert!((contrast(grey, Color::WHITE) - 4.54).abs() < 0.01);
}

/// Every text colour the app draws, on every surface it draws it on, reads at 4.5:1 at least.
#[test]
fn palette_contrast() {
    let mut failures = Vec::new();
    let mut check = |theme: &str, what: &str, fg: Color, bg: Color| {
        let c = contrast(fg, bg);
        if c < 4.5 {
            failures.push(format!("{theme}: {what}: {c:.2}:1"));
        }
    };
    for choice in THEMES {
        let theme: Theme = of(choice);
        let name = format!("{choice:?}");
        let p = theme.extended_palette();
        let surfaces = [
            ("page", p.background.base),
            ("card", p.background.weakest),
            ("sidebar", p.background.weaker),
            ("weak", p.background.weak),
            ("neutral", p.background.neutral),
            ("hovered entry", p.background.strong),
        ];
        for (surface, pair) in surfaces {
            check(&name, &format!("text on {surface}"), pair.text, pair.color);
        }
        // Hints and captions, on the page, on cards, in the sidebar and on weak surfaces.
        for (surface, pair) in &surfaces[..4] {
            check(
                &name,
                &format!("muted text on {surface}"),
                tone_color(&theme, Tone::Muted),
                pair.color,
            );
        }
        // Words coloured by meaning, on the page, on cards and in the sidebar.
        for t in Tone::ALL {
            for (surface, pair) in &surfaces[..3] {
                check(
                    &name,
                    &format!("{t:?} text on {surface}"),
                    tone_color(&theme, t),
                    pair.color,
                );
            }
        }
        // Buttons by role, at rest and hovered (the strong shade).
        let buttons: [(&str, Pair, Pair); 5] = [
            ("primary", p.primary.base, p.primary.strong),
            ("secondary", p.secondary.base, p.secondary.strong),
            ("success", p.success.base, p.success.strong),
            ("danger", p.danger.base, p.danger.strong),
            ("warning", p.warning.base, p.warning.strong),
        ];
        for (role, rest, hovered) in buttons {
            check(&name, &format!("{role} button"), rest.text, rest.color);
            check(
                &name,
                &format!("{role} button hovered"),
                hovered.text,
                hovered.color,
            );
        }
        // Text fields: what is typed and the placeholder, on the field's own background.
        for status in [
            text_input::Status::Active,
            text_input::Status::Hovered,
            text_input::Status::Focused { is_hovered: false },
        ] {
            let field = input(&theme, status);
            let Background::Color(under) = field.background else {
                panic!("text fields are drawn on a plain colour");
            };
            check(
                &name,
                &format!("typed text ({status:?})"),
                field.value,
                under,
            );
            check(
                &name,
                &format!("placeholder ({status:?})"),
                field.placeholder,
                under,
            );
        }
        // Filled labels carry white text.
        for n in [
            Network::Regtest,
            Network::Signet,
            Network::Testnet,
            Network::Mainnet,
        ] {
            check(&name, &format!("{n} badge"), Color::WHITE, network_color(n));
        }
    }
    assert!(
        failures.is_empty(),
        "pairs under 4.5:1:\n{}",
        failures.join("\n")
    );
}

/// The icon font shipped from assets/ is the one the icon names were generated from, so every
/// `Icon` draws its own glyph.
#[test]
fn icon_font_is_the_crates() {
    assert_eq!(ICON_FONT_BYTES, lucide_icons::LUCIDE_FONT_BYTES);
}

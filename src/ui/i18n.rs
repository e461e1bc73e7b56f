//! Fluent glue: the embedded `i18n/` folder, one loader for the process, and `fl!` with keys
//! checked at compile time.

use std::sync::LazyLock;

use i18n_embed::fluent::{fluent_language_loader, FluentLanguageLoader};
use i18n_embed::LanguageLoader;
use rust_embed::RustEmbed;

use crate::core::Language;

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Localizations;

pub static LOADER: LazyLock<FluentLanguageLoader> = LazyLock::new(|| {
    let loader = fluent_language_loader!();
    loader
        .load_fallback_language(&Localizations)
        .expect("the English texts are embedded in the binary");
    // Bidi isolation marks would show up as boxes in some fonts.
    loader.set_use_isolating(false);
    loader
});

/// Looks up a text by key in the current language: `fl!("key")` or `fl!("key", name = value)`.
#[macro_export]
macro_rules! fl {
    ($id:literal) => {
        i18n_embed_fl::fl!($crate::ui::i18n::LOADER, $id)
    };
    ($id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::ui::i18n::LOADER, $id, $($args)*)
    };
}

/// Switches every text to `language` (process-wide).
pub fn set_language(language: Language) {
    let tag = language
        .tag()
        .parse()
        .expect("language tags in core::store::settings are valid");
    if let Err(e) = i18n_embed::select(&*LOADER, &Localizations, &[tag]) {
        log::warn!("could not switch language: {e}");
    }
    // Loading a language builds new bundles, which isolate arguments again by default.
    LOADER.set_use_isolating(false);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let en = keys(include_str!("../../i18n/en/shandian.ftl"));
        let zh = keys(include_str!("../../i18n/zh-CN/shandian.ftl"));
        assert!(en.len() > 100, "only {} keys found", en.len());
        let missing: Vec<_> = en.difference(&zh).collect();
        let extra: Vec<_> = zh.difference(&en).collect();
        assert!(missing.is_empty(), "missing in zh-CN: {missing:?}");
        assert!(extra.is_empty(), "only in zh-CN: {extra:?}");
    }

    #[test]
    fn chinese_is_really_chinese() {
        let zh = include_str!("../../i18n/zh-CN/shandian.ftl");
        let han = zh
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count();
        assert!(han > 500, "only {han} Han characters");
        for line in zh
            .lines()
            .filter(|l| l.starts_with("nav-") || l.starts_with("home-"))
        {
            assert!(
                line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "untranslated: {line}"
            );
        }
    }
}

//! The recovery phrase: a new 12-word BIP39 mnemonic, the "check a few words" quiz, and reading
//! typed words back when restoring.

use ldk_node::bip39::{self, Language, Mnemonic};
use ldk_node::WordCount;
use rand::seq::index::sample;

/// Text a person typed that may hold recovery words (the restore field, quiz answers): wiped
/// from memory when dropped or replaced, and never printed by `Debug` (so never in a log line).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(zeroize::Zeroizing<String>);

impl SecretText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretText {
    fn from(s: String) -> Self {
        SecretText(zeroize::Zeroizing::new(s))
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText(..)")
    }
}

/// A new 12-word mnemonic from the OS random source.
pub fn generate() -> Mnemonic {
    ldk_node::generate_entropy_mnemonic(Some(WordCount::Words12))
}

/// Which words (0-based positions, ascending) a person must type back to show they wrote the
/// phrase down.
pub fn quiz_positions(word_count: usize, how_many: usize) -> Vec<usize> {
    let mut picks = sample(&mut rand::rng(), word_count, how_many.min(word_count)).into_vec();
    picks.sort_unstable();
    picks
}

/// Whether the typed answer matches the word at `position` (case and spaces ignored).
pub fn quiz_answer_ok(mnemonic: &Mnemonic, position: usize, answer: &str) -> bool {
    mnemonic
        .words()
        .nth(position)
        .is_some_and(|w| w.eq_ignore_ascii_case(answer.trim()))
}

/// Reads a typed phrase: any whitespace between words, any case.
pub fn parse_phrase(text: &str) -> Result<Mnemonic, SeedError> {
    // Every copy of the words is wiped when dropped, the lowercased list and the joined phrase
    // as much as the text typed.
    let words: zeroize::Zeroizing<Vec<String>> =
        zeroize::Zeroizing::new(text.split_whitespace().map(|w| w.to_lowercase()).collect());
    if words.is_empty() {
        return Err(SeedError::Empty);
    }
    if ![12, 15, 18, 21, 24].contains(&words.len()) {
        return Err(SeedError::WordCount(words.len()));
    }
    let list = Language::English.word_list();
    if let Some((i, w)) = words
        .iter()
        .enumerate()
        .find(|(_, w)| list.binary_search(&w.as_str()).is_err())
    {
        return Err(SeedError::UnknownWord {
            position: i + 1,
            word: w.clone(),
        });
    }
    let phrase = zeroize::Zeroizing::new(words.join(" "));
    Mnemonic::parse_in(Language::English, phrase.as_str()).map_err(|e| match e {
        bip39::Error::InvalidChecksum => SeedError::Checksum,
        _ => SeedError::Checksum,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeedError {
    #[error("no words entered")]
    Empty,
    #[error("{0} words; a recovery phrase has 12, 15, 18, 21 or 24")]
    WordCount(usize),
    #[error("word {position} ({word:?}) is not a BIP39 word")]
    UnknownWord { position: usize, word: String },
    #[error("the words do not add up (checksum): one is probably wrong or out of order")]
    Checksum,
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABANDON: &str = "abandon abandon abandon abandon abandon abandon abandon abandon \
                           abandon abandon abandon about";

    #[test]
    fn generated_phrases_have_twelve_words_and_parse_back() {
        let m = generate();
        assert_eq!(m.word_count(), 12);
        assert_eq!(parse_phrase(&m.to_string()).unwrap(), m);
        assert_ne!(generate(), m);
    }

    #[test]
    fn restore_reads_sloppy_typing() {
        let typed = ABANDON.to_uppercase().replace(' ', "  \n ");
        assert_eq!(parse_phrase(&typed).unwrap().to_string(), ABANDON);
    }

    #[test]
    fn restore_errors_say_what_is_wrong() {
        assert_eq!(parse_phrase("  "), Err(SeedError::Empty));
        assert_eq!(
            parse_phrase("abandon abandon"),
            Err(SeedError::WordCount(2))
        );
        let wrong = ABANDON.replacen("abandon", "abandom", 1);
        assert_eq!(
            parse_phrase(&wrong),
            Err(SeedError::UnknownWord {
                position: 1,
                word: "abandom".into()
            })
        );
        let bad_sum = ABANDON.replace("about", "zoo");
        assert_eq!(parse_phrase(&bad_sum), Err(SeedError::Checksum));
    }

    #[test]
    fn typed_words_never_show_in_debug() {
        let typed = SecretText::from(ABANDON.to_string());
        assert_eq!(typed.as_str(), ABANDON);
        assert!(!format!("{typed:?}").contains("abandon"));
        // The mnemonic type of bip39 prints no words either.
        let m = parse_phrase(ABANDON).unwrap();
        assert!(!format!("{m:?}").contains("abandon"));
    }

    #[test]
    fn quiz() {
        let m = parse_phrase(ABANDON).unwrap();
        let picks = quiz_positions(12, 3);
        assert_eq!(picks.len(), 3);
        assert!(picks.windows(2).all(|w| w[0] < w[1]) && picks[2] < 12);
        assert!(quiz_answer_ok(&m, 11, " About "));
        assert!(!quiz_answer_ok(&m, 11, "abandon"));
        assert!(!quiz_answer_ok(&m, 12, "about"));
    }
}

//! What we note about payments that ldk-node does not keep: the description a person saw when
//! paying an invoice or offer, and the one they wrote on an invoice or offer they created.
//! Kept in `payments.json` of the network folder; written atomically, set aside if damaged.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::store::files::{load_json_or_set_aside, save_json, SetAside};

#[derive(Debug)]
pub struct PaymentNotes {
    path: PathBuf,
    file: File,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    /// By key (see [`Key`]): the description.
    descriptions: BTreeMap<String, String>,
}

/// What a note belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// ldk-node's payment id (hex); for an incoming BOLT11 payment that is its payment hash.
    Payment(String),
    /// A reusable offer we made (hex offer id): every payment to it carries its description.
    Offer(String),
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Payment(id) => id.clone(),
            Key::Offer(id) => format!("offer:{id}"),
        }
    }
}

impl PaymentNotes {
    /// Reads the notes; a damaged file is set aside and reported in the second value.
    pub fn load(path: PathBuf) -> (Self, Option<SetAside>) {
        let (file, aside) = load_json_or_set_aside(&path);
        (PaymentNotes { path, file }, aside)
    }

    pub fn description(&self, key: &Key) -> Option<&str> {
        self.file.descriptions.get(&key.text()).map(String::as_str)
    }

    /// Notes a description (empty ones are not worth a line); writes when it changed.
    pub fn note(&mut self, key: Key, description: &str) -> std::io::Result<()> {
        if description.is_empty() || self.description(&key) == Some(description) {
            return Ok(());
        }
        self.file
            .descriptions
            .insert(key.text(), description.to_string());
        save_json(&self.path, &self.file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_survive_a_restart_and_damage_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("payments.json");
        let (mut n, _) = PaymentNotes::load(path.clone());
        n.note(Key::Payment("ab".into()), "coffee").unwrap();
        n.note(Key::Offer("cd".into()), "tips").unwrap();
        n.note(Key::Payment("ef".into()), "").unwrap();
        let (n, _) = PaymentNotes::load(path.clone());
        assert_eq!(n.description(&Key::Payment("ab".into())), Some("coffee"));
        assert_eq!(n.description(&Key::Offer("cd".into())), Some("tips"));
        assert_eq!(n.description(&Key::Payment("cd".into())), None);
        assert_eq!(n.description(&Key::Payment("ef".into())), None);

        std::fs::write(&path, b"{ not json").unwrap();
        let (n, aside) = PaymentNotes::load(path.clone());
        assert_eq!(n.description(&Key::Payment("ab".into())), None);
        assert_eq!(aside.unwrap().file, "payments.json");
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|f| f.starts_with("payments.json.damaged-"))
            .collect();
        assert_eq!(kept.len(), 1, "the damaged file is kept aside");
    }
}

//! What we note about payments that ldk-node does not keep: the description a person saw when
//! paying an invoice or offer, the one they wrote on an invoice or offer they created, and when
//! an invoice of ours expires (so one never paid can leave Activity's default view).
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
    /// By key: Unix seconds after which our invoice can no longer be paid.
    #[serde(default)]
    expiries: BTreeMap<String, u64>,
    /// By key: what LDK sent beyond the amount of our payment (msat).
    #[serde(default)]
    overpaid: BTreeMap<String, u64>,
    /// By key: the payment's amount in fiat at the rate shown when it completed.
    #[serde(default)]
    fiat: BTreeMap<String, FiatAmount>,
}

/// An amount in a fiat currency, in hundredths (cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiatAmount {
    pub currency: String,
    pub cents: u64,
}

impl FiatAmount {
    /// `12.34 EUR`.
    pub fn text(&self) -> String {
        format!(
            "{}.{:02} {}",
            self.cents / 100,
            self.cents % 100,
            self.currency
        )
    }
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

    pub fn fiat(&self, key: &Key) -> Option<&FiatAmount> {
        self.file.fiat.get(&key.text())
    }

    /// Notes the fiat value of a payment once (the rate when it completed stays).
    pub fn note_fiat(&mut self, key: Key, amount: FiatAmount) -> std::io::Result<()> {
        if self.fiat(&key).is_some() {
            return Ok(());
        }
        self.file.fiat.insert(key.text(), amount);
        save_json(&self.path, &self.file)
    }

    pub fn overpaid_msat(&self, key: &Key) -> Option<u64> {
        self.file.overpaid.get(&key.text()).copied()
    }

    pub fn note_overpaid(&mut self, key: Key, overpaid_msat: u64) -> std::io::Result<()> {
        self.file.overpaid.insert(key.text(), overpaid_msat);
        save_json(&self.path, &self.file)
    }

    pub fn expires_at(&self, key: &Key) -> Option<u64> {
        self.file.expiries.get(&key.text()).copied()
    }

    /// Notes a description (empty ones are not worth a line) and, for a request of ours, when
    /// it expires; writes once, when something changed.
    pub fn note(
        &mut self,
        key: Key,
        description: &str,
        expires_at: Option<u64>,
    ) -> std::io::Result<()> {
        let new_description =
            !description.is_empty() && self.description(&key) != Some(description);
        let new_expiry = expires_at.is_some() && self.expires_at(&key) != expires_at;
        if !new_description && !new_expiry {
            return Ok(());
        }
        if new_description {
            self.file
                .descriptions
                .insert(key.text(), description.to_string());
        }
        if let Some(t) = expires_at.filter(|_| new_expiry) {
            self.file.expiries.insert(key.text(), t);
        }
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
        n.note(Key::Payment("ab".into()), "coffee", Some(1_800_000_000))
            .unwrap();
        n.note(Key::Offer("cd".into()), "tips", None).unwrap();
        n.note(Key::Payment("ef".into()), "", None).unwrap();
        let (n, _) = PaymentNotes::load(path.clone());
        assert_eq!(n.description(&Key::Payment("ab".into())), Some("coffee"));
        assert_eq!(
            n.expires_at(&Key::Payment("ab".into())),
            Some(1_800_000_000)
        );
        assert_eq!(n.expires_at(&Key::Offer("cd".into())), None);
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

#[cfg(test)]
mod older_files {
    use super::*;

    #[test]
    fn a_file_from_before_expiries_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("payments.json");
        std::fs::write(&path, br#"{"descriptions":{"ab":"coffee"}}"#).unwrap();
        let (n, aside) = PaymentNotes::load(path);
        assert!(aside.is_none());
        assert_eq!(n.description(&Key::Payment("ab".into())), Some("coffee"));
        assert_eq!(n.expires_at(&Key::Payment("ab".into())), None);
    }
}

//! Where this wallet's backup goes, kept in `channel-backup.toml` of the network folder (no
//! secret in it): the chosen folder or server, the id this data folder writes under, and whether the
//! backup was complete when the wallet last stopped.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::store::backup::{BackupError, BackupPlace};
use crate::core::store::files::{set_aside, write_atomically, SetAside};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupTarget {
    /// `folder = "…"` or `server = "…"`.
    #[serde(flatten)]
    pub place: BackupPlace,
    pub writer_id: String,
    /// Written `false` while the wallet runs and `true` after a clean stop with nothing missed:
    /// `false` at start means a crash or an outage may have left the backup behind.
    pub in_sync: bool,
}

impl BackupTarget {
    /// A first backup of this data folder at `place`.
    pub fn new(place: BackupPlace) -> Self {
        BackupTarget {
            place,
            writer_id: crate::core::shared::random_id(8),
            in_sync: false,
        }
    }

    /// Reads the record. A damaged one is set aside and reported: the person must choose the
    /// folder again (the backup itself is untouched).
    pub fn load(path: &Path) -> (Option<Self>, Option<SetAside>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match toml::from_str(&text) {
                Ok(t) => (Some(t), None),
                Err(e) => (None, Some(set_aside(path, e.message().to_string()))),
            },
            Err(_) => (None, None),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), BackupError> {
        let record = |reason: String| BackupError::Record {
            path: path.display().to_string(),
            reason,
        };
        let text = toml::to_string_pretty(self).map_err(|e| record(e.to_string()))?;
        write_atomically(path, text.as_bytes()).map_err(|e| record(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage_set_aside() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("channel-backup.toml");
        assert_eq!(BackupTarget::load(&path), (None, None));
        let t = BackupTarget::new(BackupPlace::Folder {
            folder: tmp.path().join("usb"),
        });
        assert_eq!(t.writer_id.len(), 16);
        t.save(&path).unwrap();
        assert_eq!(BackupTarget::load(&path).0, Some(t));
        let s = BackupTarget::new(BackupPlace::Server {
            server: "https://vss.example/vss".into(),
        });
        s.save(&path).unwrap();
        assert_eq!(BackupTarget::load(&path).0, Some(s));
        // A record written before servers were a choice reads as a folder.
        std::fs::write(
            &path,
            "folder = \"/media/usb\"\nwriter_id = \"ab\"\nin_sync = true\n",
        )
        .unwrap();
        assert_eq!(
            BackupTarget::load(&path).0.map(|t| t.place),
            Some(BackupPlace::Folder {
                folder: "/media/usb".into()
            })
        );
        std::fs::write(&path, "folder = 3").unwrap();
        let (none, aside) = BackupTarget::load(&path);
        assert_eq!(none, None);
        assert_eq!(aside.unwrap().file, "channel-backup.toml");
    }
}

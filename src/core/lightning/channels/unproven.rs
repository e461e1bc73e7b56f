//! Channels restored from a backup that have not met their peer since.
//!
//! A backup can be older than a channel's last payment without anyone knowing (the folder was
//! away while the person paid). Such a channel's state is revoked: broadcasting it — a force
//! close — hands the peer the whole channel as a penalty. The state proves itself current only
//! when the channel meets its peer again: LDK exchanges `channel_reestablish`, and either the
//! channel becomes usable (our state is the latest) or LDK stops the node rather than broadcast
//! a stale one (`wallet::stale`). Until then a force close is refused unless the person accepts
//! that risk in words. The list is kept in `unproven-channels.json` of the network folder,
//! written by the restore, each channel named as LDK names its monitor.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ldk_node::ChannelDetails;
use serde::{Deserialize, Serialize};

use crate::core::store::files::{load_json_or_set_aside, save_json, SetAside};

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    /// Monitor keys: `<funding txid>_<output index>`, or the channel id for channels LDK names
    /// that way.
    channels: BTreeSet<String>,
}

#[derive(Debug)]
pub struct Unproven {
    path: PathBuf,
    channels: BTreeSet<String>,
}

impl Unproven {
    /// Reads the list; a missing file is an empty one. A damaged one is set aside and reported:
    /// every channel then counts as unproven until it meets its peer (the safe side).
    pub fn load(path: PathBuf) -> (Self, Option<SetAside>) {
        let (file, aside): (Option<File>, _) = load_json_or_set_aside(&path);
        let damaged = aside.is_some();
        let mut channels = file.map(|f| f.channels).unwrap_or_default();
        if damaged {
            channels.insert(ALL.to_string());
        }
        (Unproven { path, channels }, aside)
    }

    /// Records the channels a restore brought back (their monitor keys), before the wallet
    /// that holds them exists.
    pub fn record(path: &Path, channels: BTreeSet<String>) -> std::io::Result<()> {
        save_json(path, &File { channels })
    }

    /// Whether channel `c` has not met its peer since the restore.
    pub fn holds(&self, c: &ChannelDetails) -> bool {
        self.channels.contains(ALL) || self.channels.iter().any(|key| names(key, c))
    }

    /// Forgets the channels that are usable now: they met their peer with a current state.
    /// Written at once when something changed; a failed write is logged (the channels stay
    /// unproven in the file: the safe side).
    pub fn prove(&mut self, live: &[ChannelDetails]) {
        if self.channels.is_empty() {
            return;
        }
        let before = self.channels.len();
        let usable: Vec<&ChannelDetails> = live.iter().filter(|c| c.is_usable).collect();
        self.channels
            .retain(|key| key == ALL || !usable.iter().any(|c| names(key, c)));
        if self.channels.contains(ALL) && live.iter().all(|c| c.is_usable) {
            self.channels.remove(ALL);
        }
        if self.channels.len() != before {
            if let Err(e) = save_json(
                &self.path,
                &File {
                    channels: self.channels.clone(),
                },
            ) {
                log::warn!("could not write {}: {e}", self.path.display());
            }
        }
    }
}

/// Stands for every channel (the list was damaged).
const ALL: &str = "*";

/// Whether monitor key `key` names channel `c`.
fn names(key: &str, c: &ChannelDetails) -> bool {
    let by_funding = c
        .funding_txo
        .is_some_and(|o| key == format!("{}_{}", o.txid, o.vout));
    by_funding || key == c.channel_id.to_string()
}

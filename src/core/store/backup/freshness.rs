//! Which copy of a wallet's channel state is newer: the data folder's or the backup's.
//!
//! LDK numbers every change to a channel's monitor (`latest_update_id`, never going back), and
//! the monitor holds what protects the channel: the revocation secrets of every state the peer
//! gave up. LDK Node keeps a channel's monitor whole under `monitors/<channel>` and the changes
//! since under `monitor_updates/<channel>/<update id>`. So a channel's state is as new as the
//! highest update id among them, and a copy is older than another when one of its channels is
//! behind, or a channel the other has is missing from it (not even archived after its close).
//!
//! A data folder restored from last week's system backup carries the same backup record as
//! today's: without this comparison, its first writes would replace the newer state in the
//! backup — the only fresh copy of the revocation secrets.

use std::collections::{BTreeMap, BTreeSet};

use crate::core::store::backup::EntryName;

const MONITORS: &str = "monitors";
const MONITOR_UPDATES: &str = "monitor_updates";
const ARCHIVED_MONITORS: &str = "archived_monitors";
/// What LDK's monitor-updating persister writes before a whole monitor.
const SENTINEL: [u8; 2] = [0xFF, 0xFF];

/// Each channel's newest update id, by its monitor's key; and the channels archived after they
/// closed (LDK moves a monitor there once nothing more can happen to it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelStates {
    latest: BTreeMap<String, u64>,
    archived: BTreeSet<String>,
}

impl ChannelStates {
    /// Reads the monitors and monitor updates among `entries` (others are skipped).
    pub fn read<'a>(entries: impl IntoIterator<Item = (&'a EntryName, &'a [u8])>) -> Self {
        let mut states = ChannelStates::default();
        for (name, value) in entries {
            let (channel, id) = match name.primary.as_str() {
                MONITORS if name.secondary.is_empty() => {
                    (name.key.clone(), monitor_update_id(value))
                }
                MONITOR_UPDATES => (name.secondary.clone(), name.key.parse().ok()),
                ARCHIVED_MONITORS if name.secondary.is_empty() => {
                    states.archived.insert(name.key.clone());
                    continue;
                }
                _ => continue,
            };
            // A monitor whose header does not read counts as the oldest: never newer than
            // anything, so it cannot hide that another copy is ahead.
            let id = id.unwrap_or(0);
            let latest = states.latest.entry(channel).or_insert(id);
            *latest = (*latest).max(id);
        }
        states
    }

    /// Channels whose state here is older than in `newer`, or missing here while `newer`
    /// has them (and not archived here after a close): each with the update ids of both sides
    /// (`None`: missing here).
    pub fn behind(&self, newer: &ChannelStates) -> Vec<Behind> {
        newer
            .latest
            .iter()
            .filter_map(|(channel, &theirs)| match self.latest.get(channel) {
                Some(&ours) if ours >= theirs => None,
                None if self.archived.contains(channel) => None,
                ours => Some(Behind {
                    channel: channel.clone(),
                    ours: ours.copied(),
                    theirs,
                }),
            })
            .collect()
    }

    /// How many channels have a monitor here.
    pub fn channels(&self) -> usize {
        self.latest.len()
    }
}

/// A channel whose state in one copy is older than in another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    /// The monitor's key (funding outpoint or channel id, as LDK names it).
    pub channel: String,
    /// The newest update id in the older copy; `None` when it has no monitor at all.
    pub ours: Option<u64>,
    pub theirs: u64,
}

/// The `latest_update_id` a serialised channel monitor starts with: after LDK's two-byte
/// sentinel (when the monitor-updating persister wrote it) and the two version bytes, a
/// big-endian u64.
fn monitor_update_id(bytes: &[u8]) -> Option<u64> {
    let body = bytes.strip_prefix(&SENTINEL[..]).unwrap_or(bytes);
    let id: [u8; 8] = body.get(2..10)?.try_into().ok()?;
    Some(u64::from_be_bytes(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monitor(id: u64) -> Vec<u8> {
        let mut v = SENTINEL.to_vec();
        v.extend_from_slice(&[1, 1]);
        v.extend_from_slice(&id.to_be_bytes());
        v.extend_from_slice(b"rest of the monitor");
        v
    }

    fn states(entries: &[(EntryName, Vec<u8>)]) -> ChannelStates {
        ChannelStates::read(entries.iter().map(|(n, v)| (n, v.as_slice())))
    }

    #[test]
    fn the_newest_update_counts_whether_in_the_monitor_or_after_it() {
        let today = states(&[
            (EntryName::new(MONITORS, "", "a"), monitor(7)),
            (EntryName::new(MONITOR_UPDATES, "a", "8"), vec![]),
            (EntryName::new(MONITOR_UPDATES, "a", "9"), vec![]),
            (EntryName::new(MONITORS, "", "b"), monitor(3)),
            (EntryName::new("payments", "", "p"), vec![1, 2, 3]),
        ]);
        let last_week = states(&[
            (EntryName::new(MONITORS, "", "a"), monitor(7)),
            (EntryName::new(MONITORS, "", "b"), monitor(3)),
        ]);
        assert_eq!(today.channels(), 2);
        assert_eq!(today.behind(&last_week), vec![]);
        assert_eq!(
            last_week.behind(&today),
            vec![Behind {
                channel: "a".into(),
                ours: Some(7),
                theirs: 9
            }]
        );
        // Written by LDK's plain persister: no sentinel.
        let plain = ChannelStates::read([(&EntryName::new(MONITORS, "", "a"), &monitor(9)[2..])]);
        assert_eq!(plain.behind(&today).len(), 1, "channel b is missing");
        assert_eq!(plain.behind(&today)[0].ours, None);
    }

    #[test]
    fn a_channel_archived_after_its_close_is_not_missing() {
        let backup = states(&[(EntryName::new(MONITORS, "", "a"), monitor(u64::MAX))]);
        let here = states(&[(
            EntryName::new(ARCHIVED_MONITORS, "", "a"),
            monitor(u64::MAX),
        )]);
        assert_eq!(here.behind(&backup), vec![]);
        // A channel opened since the copy was taken: the copy lacks it.
        let copy = ChannelStates::default();
        assert_eq!(copy.behind(&backup).len(), 1);
    }
}

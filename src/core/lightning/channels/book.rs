//! What the wallet remembers of each channel: ldk-node lists only open channels, so the first
//! sighting, readiness and the close (with its reason) are booked here, in `channels.json` of
//! the network folder. Written atomically; a damaged file is set aside, never overwritten.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::core::store::files::{load_json_or_set_aside, save_json, SetAside};

/// Why a channel closed, as far as LDK told us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CloseReason {
    CooperativeByUs,
    CooperativeByPeer,
    ForceClosedByUs,
    /// The peer sent an error and closed; its message, sanitised by the screen.
    ForceClosedByPeer {
        message: String,
    },
    /// A commitment or closing transaction confirmed that nobody here started.
    ClosedOnChain,
    /// The peer turned the channel down before it was funded.
    RefusedByPeer {
        message: String,
    },
    FundingTimedOut,
    /// The wallet stopped abruptly (crash, power cut, SIGKILL) between LDK writing a channel
    /// update and writing its channel manager; on restart LDK closes such a channel rather
    /// than resume it (a known LDK limitation, rust-lightning issue 4286). Nothing is lost.
    AfterCrash,
    /// Any other reason, in LDK's words.
    Other {
        text: String,
    },
}

/// One channel as booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRecord {
    pub user_channel_id: String,
    pub channel_id: String,
    pub peer: String,
    /// Where we reached the peer (`host:port`) when we opened the channel; the wallet dials it
    /// again while the channel is open and the peer is away (LDK Node forgets a peer as soon
    /// as its last channel is asked to close, before the close is done).
    #[serde(default)]
    pub peer_address: Option<String>,
    pub capacity_sat: u64,
    pub opened_by_us: bool,
    #[serde(default)]
    pub public: bool,
    /// The 2-of-2 output the channel stands on now (`txid:vout`); a splice moves it.
    pub funding_outpoint: Option<String>,
    /// The output the channel opened with, kept once a splice has moved the channel on.
    #[serde(default)]
    pub first_funding_outpoint: Option<String>,
    pub short_channel_id: Option<u64>,
    pub our_delay_blocks: Option<u16>,
    /// Our balance when last seen open, for the closed channel's row.
    #[serde(default)]
    pub last_balance_sat: u64,
    /// Our balance before the channel was ready (no payment can move it before): what the
    /// channel brought into the Lightning balance. Not known of a channel first booked ready.
    #[serde(default)]
    pub opening_balance_sat: Option<u64>,
    pub opened_at: u64,
    pub ready_at: Option<u64>,
    pub closed_at: Option<u64>,
    pub close_reason: Option<CloseReason>,
    /// When the person asked for a cooperative close (unix seconds); while the channel is still
    /// usable after that (a crash before LDK recorded the request), the wallet asks again.
    #[serde(default)]
    pub close_asked_at: Option<u64>,
    /// Every splice of the channel, oldest first.
    #[serde(default)]
    pub splices: Vec<SpliceRecord>,
}

/// Which way a splice moves money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpliceDirection {
    /// From our on-chain wallet into the channel.
    In,
    /// From our side of the channel to an on-chain address.
    Out,
    /// The peer spliced (its money in or out); our balance does not move.
    ByPeer,
}

/// Where a splice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpliceState {
    /// Asked of LDK; the peer and LDK are negotiating the new funding transaction.
    Negotiating,
    /// The new funding transaction is out, waiting for its confirmations.
    Pending,
    /// Confirmed: the channel follows the new funding output.
    Locked,
    /// Negotiation failed or the transaction was abandoned; the coins stay where they were.
    Failed,
    /// The wallet stopped while the splice was being negotiated: LDK drops a negotiation that
    /// was not signed, so nothing moved (should LDK still report its transaction out, it is
    /// booked pending again).
    Interrupted,
}

/// One splice of a channel, as booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpliceRecord {
    pub direction: SpliceDirection,
    /// What moves, before the fee: into the channel (in) or to the address (out). Unknown of a
    /// splice the peer made.
    pub amount_sat: Option<u64>,
    /// Where a splice out pays.
    #[serde(default)]
    pub address: Option<String>,
    /// A splice out that pays someone else's address (a payment), not the wallet's own (a move
    /// between our own balances).
    #[serde(default)]
    pub to_payee: bool,
    /// The channel's capacity when the splice was asked for.
    #[serde(default)]
    pub capacity_before_sat: Option<u64>,
    /// What the splice's transaction paid in fee, once known: for a splice out (paid from the
    /// channel) when it locks, from the capacity before and after.
    #[serde(default)]
    pub fee_sat: Option<u64>,
    /// The new funding output (`txid:vout`), once LDK says the transaction is out.
    pub funding_outpoint: Option<String>,
    pub state: SpliceState,
    pub asked_at: u64,
}

impl SpliceRecord {
    /// A splice of 1 sat into the channel, asked at time 0, in `state`, for tests.
    #[cfg(test)]
    pub(crate) fn sample(state: SpliceState) -> Self {
        SpliceRecord {
            direction: SpliceDirection::In,
            amount_sat: Some(1),
            address: None,
            to_payee: false,
            capacity_before_sat: None,
            fee_sat: None,
            funding_outpoint: None,
            state,
            asked_at: 0,
        }
    }
}

impl ChannelRecord {
    /// The funding output the channel opened with (`txid:vout`): kept apart once a splice
    /// locked, else the channel's funding output.
    pub fn opening_outpoint(&self) -> Option<&str> {
        let spliced = self.splices.iter().any(|s| s.state == SpliceState::Locked);
        self.first_funding_outpoint
            .as_deref()
            .or(self.funding_outpoint.as_deref().filter(|_| !spliced))
    }
}

/// Marks the splice whose new funding output is `funding` (the one the channel stands on now)
/// as locked, with a splice out's fee from the capacity `capacity_now`. LDK's `ChannelReady`
/// says so, and so does a channel listed on that output (the event may come later, or never
/// reach a wallet that stopped in between).
pub(crate) fn lock_splices(splices: &mut [SpliceRecord], funding: &str, capacity_now: Option<u64>) {
    for s in splices.iter_mut().filter(|s| {
        s.state != SpliceState::Locked && s.funding_outpoint.as_deref() == Some(funding)
    }) {
        s.state = SpliceState::Locked;
        if s.direction == SpliceDirection::Out {
            s.fee_sat = splice_out_fee(s.capacity_before_sat, capacity_now, s.amount_sat);
        }
    }
}

/// A splice out's fee, paid from the channel: the capacity before, less the capacity after and
/// the amount paid out.
fn splice_out_fee(before: Option<u64>, after: Option<u64>, amount: Option<u64>) -> Option<u64> {
    before?.checked_sub(after?)?.checked_sub(amount?)
}

#[derive(Debug)]
pub struct ChannelBook {
    path: PathBuf,
    records: Vec<ChannelRecord>,
    /// A balance changed in memory since the last write (see [`ChannelBook::upsert`]).
    unwritten: bool,
}

#[derive(Serialize, Deserialize, Default)]
struct File {
    channels: Vec<ChannelRecord>,
}

impl ChannelBook {
    /// Reads the book; a missing file is an empty book, a damaged one is renamed aside (kept for
    /// a person to look at, and reported in the second value) and the book starts empty.
    pub fn load(path: PathBuf) -> (Self, Option<SetAside>) {
        let (file, aside): (File, _) = load_json_or_set_aside(&path);
        (
            ChannelBook {
                path,
                records: file.channels,
                unwritten: false,
            },
            aside,
        )
    }

    pub fn records(&self) -> &[ChannelRecord] {
        &self.records
    }

    pub fn get(&self, user_channel_id: &str) -> Option<&ChannelRecord> {
        self.records
            .iter()
            .find(|r| r.user_channel_id == user_channel_id)
    }

    /// Adds a channel or refreshes what is known of it; writes only when something worth
    /// remembering changed. A balance that moved (every payment moves one) is kept in memory and
    /// written with the next change, the close or [`ChannelBook::flush`]: the balance a closed
    /// channel's row shows is the one it had at the close, and the money itself is LDK's to
    /// account for, so a payment need not cost a file sync.
    pub fn upsert(&mut self, record: ChannelRecord) -> std::io::Result<()> {
        match self
            .records
            .iter_mut()
            .find(|r| r.user_channel_id == record.user_channel_id)
        {
            Some(existing) if *existing == record => return Ok(()),
            Some(existing)
                if ChannelRecord {
                    last_balance_sat: record.last_balance_sat,
                    ..existing.clone()
                } == record =>
            {
                existing.last_balance_sat = record.last_balance_sat;
                self.unwritten = true;
                return Ok(());
            }
            Some(existing) => *existing = record,
            None => self.records.push(record),
        }
        self.save()
    }

    /// Changes one record (if known) and writes the book.
    pub fn update(
        &mut self,
        user_channel_id: &str,
        change: impl FnOnce(&mut ChannelRecord),
    ) -> std::io::Result<()> {
        let Some(r) = self
            .records
            .iter_mut()
            .find(|r| r.user_channel_id == user_channel_id)
        else {
            return Ok(());
        };
        let before = r.clone();
        change(r);
        if *r == before {
            return Ok(());
        }
        self.save()
    }

    /// At start: a splice still under negotiation was cut short when the wallet stopped.
    pub fn interrupt_negotiations(&mut self) -> std::io::Result<()> {
        let mut changed = false;
        for s in self
            .records
            .iter_mut()
            .flat_map(|r| r.splices.iter_mut())
            .filter(|s| s.state == SpliceState::Negotiating)
        {
            s.state = SpliceState::Interrupted;
            changed = true;
        }
        if changed {
            self.save()?;
        }
        Ok(())
    }

    /// Writes balances kept in memory since the last write, if any (at stop).
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.unwritten {
            self.save()?;
        }
        Ok(())
    }

    fn save(&mut self) -> std::io::Result<()> {
        save_json(
            &self.path,
            &File {
                channels: self.records.clone(),
            },
        )?;
        self.unwritten = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> ChannelRecord {
        ChannelRecord {
            user_channel_id: id.into(),
            channel_id: "00".repeat(32),
            peer: "02".to_string() + &"11".repeat(32),
            peer_address: None,
            close_asked_at: None,
            splices: Vec::new(),
            capacity_sat: 100_000,
            opened_by_us: true,
            public: false,
            funding_outpoint: None,
            first_funding_outpoint: None,
            short_channel_id: None,
            our_delay_blocks: Some(144),
            last_balance_sat: 99_000,
            opening_balance_sat: Some(99_000),
            opened_at: 1,
            ready_at: None,
            closed_at: None,
            close_reason: None,
        }
    }

    #[test]
    fn survives_a_restart_and_keeps_a_damaged_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("channels.json");
        let (mut book, _) = ChannelBook::load(path.clone());
        book.upsert(record("7")).unwrap();
        book.update("7", |r| {
            r.closed_at = Some(5);
            r.close_reason = Some(CloseReason::ForceClosedByPeer {
                message: "bye".into(),
            });
        })
        .unwrap();
        // A payment moves the balance: kept in memory, not written, until the next write.
        let mut paid = book.get("7").unwrap().clone();
        paid.last_balance_sat = 98_000;
        book.upsert(paid).unwrap();
        let (on_disk, _) = ChannelBook::load(path.clone());
        assert_eq!(on_disk.get("7").unwrap().last_balance_sat, 99_000);
        book.flush().unwrap();
        let (on_disk, _) = ChannelBook::load(path.clone());
        assert_eq!(on_disk.get("7").unwrap().last_balance_sat, 98_000);
        let (again, none) = ChannelBook::load(path.clone());
        assert_eq!(none, None);
        assert_eq!(again.records(), book.records());
        assert_eq!(again.get("7").unwrap().closed_at, Some(5));

        std::fs::write(&path, b"{ not json").unwrap();
        let (fresh, aside) = ChannelBook::load(path.clone());
        assert!(fresh.records().is_empty());
        assert_eq!(aside.unwrap().file, "channels.json");
        let kept: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
            .collect();
        assert_eq!(kept.len(), 1, "the damaged book is kept aside");
    }

    #[test]
    fn a_splice_outs_fee_is_what_the_capacity_lost_beyond_the_amount() {
        assert_eq!(
            splice_out_fee(Some(1_000_000), Some(849_817), Some(150_000)),
            Some(183)
        );
        assert_eq!(splice_out_fee(None, Some(1), Some(1)), None);
        // Locked by the output the channel stands on, LDK's event or not.
        let out = |outpoint: &str| SpliceRecord {
            direction: SpliceDirection::Out,
            amount_sat: Some(150_000),
            address: None,
            to_payee: false,
            capacity_before_sat: Some(1_000_000),
            fee_sat: None,
            funding_outpoint: Some(outpoint.into()),
            state: SpliceState::Pending,
            asked_at: 0,
        };
        let mut splices = [out("aa:0"), out("bb:0")];
        lock_splices(&mut splices, "bb:0", Some(849_817));
        assert_eq!(splices[0].state, SpliceState::Pending);
        assert_eq!(
            (splices[1].state, splices[1].fee_sat),
            (SpliceState::Locked, Some(183))
        );
        assert_eq!(splice_out_fee(Some(10), Some(20), Some(1)), None);
    }

    #[test]
    fn a_negotiation_a_restart_cut_short_is_booked_as_interrupted() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("channels.json");
        let (mut book, _) = ChannelBook::load(path.clone());
        let mut r = record("7");
        let splice = SpliceRecord::sample;
        r.splices = vec![
            splice(SpliceState::Locked),
            splice(SpliceState::Negotiating),
        ];
        book.upsert(r).unwrap();
        book.interrupt_negotiations().unwrap();
        let (on_disk, _) = ChannelBook::load(path);
        let states: Vec<SpliceState> = on_disk
            .get("7")
            .unwrap()
            .splices
            .iter()
            .map(|s| s.state)
            .collect();
        assert_eq!(states, [SpliceState::Locked, SpliceState::Interrupted]);
    }
}

//! The history a person and their bookkeeping read: Lightning payments and on-chain
//! transactions in one list, newest first, with a filter (direction, rail, text) and CSV
//! export of a period; and the balance over time it adds up to ([`balance`]). A splice is an
//! entry of its own ([`splices`]): a move between our own balances, or a payment from a
//! channel.

pub mod balance;
pub mod splices;
pub mod swaps;

use chrono::{Local, NaiveDate, TimeZone};

use crate::core::input::sanitize;
use crate::core::lightning::channels::{Channel, SpliceDirection};
use crate::core::lightning::payments::{PaymentKindView, PaymentRecord, PaymentState};
use crate::core::swap::book::{SwapDirection, SwapRecord};
use splices::SpliceEntry;
use swaps::SwapEntry;

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Unix seconds.
    pub time: u64,
    pub incoming: bool,
    pub kind: PaymentKindView,
    pub status: PaymentState,
    pub amount_msat: Option<u64>,
    pub fee_msat: Option<u64>,
    pub description: Option<String>,
    pub payment_hash: Option<String>,
    pub preimage: Option<String>,
    pub txid: Option<String>,
    /// On-chain only: 0 while unconfirmed.
    pub confirmations: Option<u32>,
    /// Sent beyond the amount to meet a channel's smallest payment: a cost beside the fee.
    pub overpaid_msat: Option<u64>,
    /// The amount in fiat when the payment completed (Lightning, with fiat on).
    pub fiat: Option<crate::core::lightning::payments::notes::FiatAmount>,
    /// A splice: `amount_msat` is what moved (into the channel, or out of it), `fee_msat` what
    /// the splice's transaction cost us.
    pub splice: Option<SpliceEntry>,
    /// A swap: `amount_msat` is what moved between chain and Lightning, `fee_msat` what the
    /// swap cost us.
    pub swap: Option<SwapEntry>,
}

impl Entry {
    /// Money moved between our own balances (a splice in, or out to our own address, or a
    /// swap): neither in nor out, and on both rails.
    pub fn is_move(&self) -> bool {
        self.splice.as_ref().is_some_and(SpliceEntry::is_move) || self.swap.is_some()
    }
}

/// One on-chain transaction of the wallet, for the activity list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnchainActivity {
    pub txid: String,
    pub incoming: bool,
    /// What moved in or out, fee excluded.
    pub amount_sat: u64,
    pub fee_sat: Option<u64>,
    /// 0 while unconfirmed.
    pub confirmations: u32,
    /// Unix seconds: block time when confirmed (or when the wallet saw it confirmed, if that is
    /// earlier), else when the wallet last saw it.
    pub time: u64,
}

/// Lightning payments (ldk-node's records), on-chain transactions (the wallet's) and the
/// splices of `channels`, merged. ldk-node also lists on-chain payments; those come from
/// `onchain`, which has their fee and confirmations. A splice's transaction is listed as the
/// splice; a swap's transactions and payment as the swap (of `swaps`).
pub fn merge(
    payments: &[PaymentRecord],
    onchain: &[OnchainActivity],
    channels: &[Channel],
    swaps: &[SwapRecord],
) -> Vec<Entry> {
    let spliced = splices::entries(channels, onchain);
    let is_splice = |txid: &str| spliced.iter().any(|e| e.txid.as_deref() == Some(txid));
    let mut all: Vec<Entry> = payments
        .iter()
        .filter(|p| p.kind != PaymentKindView::Onchain)
        .map(|p| Entry {
            time: p.time,
            incoming: p.incoming,
            kind: p.kind,
            status: p.status,
            amount_msat: p.amount_msat,
            fee_msat: p.fee_msat,
            description: p.description.clone(),
            payment_hash: p.payment_hash.clone(),
            preimage: p.preimage.clone(),
            txid: None,
            confirmations: None,
            overpaid_msat: p.overpaid_msat,
            fiat: p.fiat.clone(),
            splice: None,
            swap: None,
        })
        .chain(
            onchain
                .iter()
                .filter(|t| !is_splice(&t.txid))
                .map(|t| Entry {
                    time: t.time,
                    incoming: t.incoming,
                    kind: PaymentKindView::Onchain,
                    status: if t.confirmations > 0 {
                        PaymentState::Succeeded
                    } else {
                        PaymentState::Pending
                    },
                    amount_msat: Some(t.amount_sat * 1000),
                    fee_msat: t.fee_sat.map(|f| f * 1000),
                    description: None,
                    payment_hash: None,
                    preimage: None,
                    txid: Some(t.txid.clone()),
                    confirmations: Some(t.confirmations),
                    overpaid_msat: None,
                    fiat: None,
                    splice: None,
                    swap: None,
                }),
        )
        .chain(spliced.iter().cloned())
        .collect();
    all.sort_by_key(|e| std::cmp::Reverse(e.time));
    swaps::fold(all, swaps)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    Both,
    Incoming,
    Outgoing,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Rail {
    #[default]
    Both,
    Lightning,
    Onchain,
}

/// What the history shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub direction: Direction,
    pub rail: Rail,
    /// Matched, ignoring case, against the description, payment hash, preimage, txid and the
    /// amount in sat.
    pub text: String,
    /// Also our invoices that expired unpaid (left out by default: nothing moved).
    pub show_expired: bool,
}

impl Filter {
    pub fn matches(&self, e: &Entry) -> bool {
        let direction = match self.direction {
            Direction::Both => true,
            _ if e.is_move() => false,
            Direction::Incoming => e.incoming,
            Direction::Outgoing => !e.incoming,
        };
        let rail = match self.rail {
            Rail::Both => true,
            _ if e.is_move() => true,
            Rail::Lightning => e.kind != PaymentKindView::Onchain,
            Rail::Onchain => e.kind == PaymentKindView::Onchain,
        };
        let expired = self.show_expired || e.status != PaymentState::Expired;
        direction && rail && expired && self.text_matches(e)
    }

    fn text_matches(&self, e: &Entry) -> bool {
        let needle = self.text.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let in_text = [
            e.description.as_deref(),
            e.payment_hash.as_deref(),
            e.preimage.as_deref(),
            e.txid.as_deref(),
        ]
        .into_iter()
        .flatten()
        .any(|field| field.to_lowercase().contains(&needle));
        in_text
            || e.amount_msat
                .is_some_and(|a| (a / 1000).to_string().contains(&needle))
    }
}

/// A period of whole local days, both ends included, as Unix seconds `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: u64,
    pub end: u64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl Period {
    /// Reads two dates written `2026-11-25` (local time).
    pub fn parse(first: &str, last: &str) -> Result<Self, HistoryError> {
        let day = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| HistoryError::BadDate {
                text: sanitize(s.trim()),
            })
        };
        let (first_day, last_day) = (day(first)?, day(last)?);
        if last_day < first_day {
            return Err(HistoryError::EndsBeforeStart);
        }
        let midnight = |d: NaiveDate| {
            let naive = d.and_hms_opt(0, 0, 0).expect("midnight exists");
            // On a day that starts inside a clock change, take the earliest valid instant.
            Local
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.timestamp().max(0) as u64)
                .unwrap_or_else(|| naive.and_utc().timestamp().max(0) as u64)
        };
        let after_last = last_day.succ_opt().ok_or(HistoryError::EndsBeforeStart)?;
        Ok(Period {
            start: midnight(first_day),
            end: midnight(after_last),
            first_day,
            last_day,
        })
    }

    pub fn contains(&self, unix: u64) -> bool {
        (self.start..self.end).contains(&unix)
    }

    /// `shandian-2026-11-01-to-2026-11-30.csv`
    pub fn file_name(&self) -> String {
        format!("shandian-{}-to-{}.csv", self.first_day, self.last_day)
    }
}

const CSV_HEADER: [&str; 15] = [
    "time_utc",
    "direction",
    "rail",
    "kind",
    "status",
    "amount_sat",
    "fee_sat",
    "description",
    "payment_hash",
    "preimage",
    "txid",
    "confirmations",
    "overpaid_sat",
    "fiat_at_payment",
    "channel_peer",
];

/// The entries of `period`, oldest first, as CSV (RFC 4180, UTF-8) for a spreadsheet or a
/// bookkeeping program. Amounts in sat with three decimals (Lightning moves millisatoshis).
/// A splice is of kind `splice_in` or `splice_out`, with its channel; one between our own
/// balances has the direction `move` (only its fee left the wallet); `channel_peer` names the
/// channel's peer.
/// Descriptions are outside text: control and bidi characters are removed, and one that
/// starts like a formula gets a leading apostrophe so no spreadsheet runs it.
pub fn to_csv(entries: &[Entry], period: &Period) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(CSV_HEADER);
    let mut chosen: Vec<&Entry> = entries.iter().filter(|e| period.contains(e.time)).collect();
    chosen.sort_by_key(|e| e.time);
    for e in chosen {
        let time = chrono::DateTime::from_timestamp(e.time as i64, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        let sat = |msat: u64| format!("{}.{:03}", msat / 1000, msat % 1000);
        let record = [
            time,
            match (e.is_move(), e.incoming) {
                (true, _) => "move",
                (false, true) => "in",
                (false, false) => "out",
            }
            .to_string(),
            if e.kind == PaymentKindView::Onchain {
                "onchain"
            } else {
                "lightning"
            }
            .to_string(),
            match (e.kind, e.splice.as_ref().map(|s| s.direction)) {
                _ if e.swap.is_some() => match e.swap.as_ref().map(|s| s.direction) {
                    Some(SwapDirection::ToLightning) => "swap_to_lightning",
                    _ => "swap_to_chain",
                },
                (_, Some(SpliceDirection::In)) => "splice_in",
                (_, Some(_)) => "splice_out",
                (PaymentKindView::Bolt11, None) => "bolt11",
                (PaymentKindView::Bolt12, None) => "bolt12",
                (PaymentKindView::Keysend, None) => "keysend",
                (PaymentKindView::Onchain, None) => "transaction",
            }
            .to_string(),
            match e.status {
                PaymentState::Pending => "pending",
                PaymentState::Succeeded => "succeeded",
                PaymentState::Failed => "failed",
                PaymentState::Expired => "expired",
            }
            .to_string(),
            e.amount_msat.map(sat).unwrap_or_default(),
            e.fee_msat.map(sat).unwrap_or_default(),
            e.description
                .as_deref()
                .map(spreadsheet_safe)
                .unwrap_or_default(),
            e.payment_hash.clone().unwrap_or_default(),
            e.preimage.clone().unwrap_or_default(),
            e.txid.clone().unwrap_or_default(),
            e.confirmations.map(|c| c.to_string()).unwrap_or_default(),
            e.overpaid_msat.map(sat).unwrap_or_default(),
            e.fiat.as_ref().map(|f| f.text()).unwrap_or_default(),
            e.splice
                .as_ref()
                .map(|s| s.peer.clone())
                .unwrap_or_default(),
        ];
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn spreadsheet_safe(text: &str) -> String {
    let clean = sanitize(text);
    if clean.starts_with(['=', '+', '-', '@']) {
        format!("'{clean}")
    } else {
        clean
    }
}

/// Where exports go: the Downloads folder, else Documents, else home.
pub fn export_folder() -> Option<std::path::PathBuf> {
    let dirs = directories::UserDirs::new()?;
    Some(
        dirs.download_dir()
            .or(dirs.document_dir())
            .unwrap_or(dirs.home_dir())
            .to_path_buf(),
    )
}

/// Writes `entries` of `period` as CSV into the export folder; returns the path written.
pub fn export(entries: &[Entry], period: &Period) -> Result<std::path::PathBuf, HistoryError> {
    let folder = export_folder().ok_or_else(|| HistoryError::CannotWrite {
        folder: "~".into(),
        reason: "no home folder".into(),
    })?;
    save_export(&folder, &period.file_name(), &to_csv(entries, period))
}

/// Writes `csv` into `folder` under `name`, never over an existing file (a number is added
/// instead). Returns the path written.
pub fn save_export(
    folder: &std::path::Path,
    name: &str,
    csv: &str,
) -> Result<std::path::PathBuf, HistoryError> {
    use std::io::Write;
    let fail = |e: std::io::Error| HistoryError::CannotWrite {
        folder: folder.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(folder).map_err(fail)?;
    let stem = name.trim_end_matches(".csv");
    for n in 0..1000 {
        let candidate = if n == 0 {
            folder.join(name)
        } else {
            folder.join(format!("{stem}-{n}.csv"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                f.write_all(csv.as_bytes()).map_err(fail)?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(fail(e)),
        }
    }
    Err(fail(std::io::Error::other(
        "too many exports of this period",
    )))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error("{text:?} is not a date like 2026-11-25")]
    BadDate { text: String },
    #[error("the period ends before it starts")]
    EndsBeforeStart,
    #[error("cannot write the export into {folder}: {reason}")]
    CannotWrite { folder: String, reason: String },
}

/// Made-up history for screen tests and the screen gallery.
#[cfg(any(test, feature = "testing"))]
pub mod samples {
    /// 70,000 sat received on chain, two confirmations, 100 s after the sample payment's time.
    pub fn received_on_chain() -> super::OnchainActivity {
        super::OnchainActivity {
            txid: "12".repeat(32),
            incoming: true,
            amount_sat: 70_000,
            fee_sat: None,
            confirmations: 2,
            time: 1_795_000_100,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lightning(time: u64, incoming: bool, description: &str) -> PaymentRecord {
        PaymentRecord {
            id: "ab".repeat(32),
            incoming,
            kind: PaymentKindView::Bolt11,
            status: PaymentState::Succeeded,
            amount_msat: Some(25_000_500),
            fee_msat: Some(1_000),
            payment_hash: Some("cd".repeat(32)),
            preimage: Some("ef".repeat(32)),
            time,
            expires_at: None,
            overpaid_msat: None,
            fiat: None,
            description: Some(description.into()),
        }
    }

    fn onchain(time: u64) -> OnchainActivity {
        OnchainActivity {
            txid: "12".repeat(32),
            incoming: true,
            amount_sat: 100_000,
            fee_sat: None,
            confirmations: 3,
            time,
        }
    }

    #[test]
    fn merged_newest_first_without_ldk_nodes_onchain_duplicates() {
        let mut dup = lightning(50, true, "");
        dup.kind = PaymentKindView::Onchain;
        let all = merge(
            &[lightning(10, true, "a"), dup, lightning(30, false, "b")],
            &[onchain(20)],
            &[],
            &[],
        );
        let times: Vec<u64> = all.iter().map(|e| e.time).collect();
        assert_eq!(times, vec![30, 20, 10]);
        assert_eq!(all[1].txid.as_deref(), Some(&*"12".repeat(32)));
    }

    #[test]
    fn filter_by_direction_rail_and_text() {
        let all = merge(
            &[
                lightning(10, true, "Coffee beans"),
                lightning(30, false, "rent"),
            ],
            &[onchain(20)],
            &[],
            &[],
        );
        let count = |f: Filter| all.iter().filter(|e| f.matches(e)).count();
        assert_eq!(count(Filter::default()), 3);
        let f = |direction, rail, text: &str| Filter {
            direction,
            rail,
            text: text.into(),
            show_expired: false,
        };
        assert_eq!(count(f(Direction::Incoming, Rail::Both, "")), 2);
        assert_eq!(count(f(Direction::Outgoing, Rail::Both, "")), 1);
        assert_eq!(count(f(Direction::Both, Rail::Onchain, "")), 1);
        assert_eq!(count(f(Direction::Both, Rail::Lightning, "")), 2);
        assert_eq!(count(f(Direction::Both, Rail::Both, "COFFEE")), 1);
        assert_eq!(count(f(Direction::Both, Rail::Both, "1212")), 1, "by txid");
        assert_eq!(
            count(f(Direction::Both, Rail::Both, "25000")),
            2,
            "by amount"
        );
        assert_eq!(count(f(Direction::Outgoing, Rail::Both, "coffee")), 0);
    }

    #[test]
    fn expired_requests_are_kept_behind_their_switch() {
        let mut expired = lightning(40, true, "abandoned charge");
        expired.status = PaymentState::Expired;
        expired.preimage = None;
        let all = merge(&[lightning(10, true, "paid"), expired], &[], &[], &[]);
        let shown = |f: &Filter| all.iter().filter(|e| f.matches(e)).count();
        assert_eq!(shown(&Filter::default()), 1);
        let with = Filter {
            show_expired: true,
            ..Filter::default()
        };
        assert_eq!(shown(&with), 2);
        let day = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let period = Period {
            start: 0,
            end: 100,
            first_day: day,
            last_day: day,
        };
        assert!(to_csv(&all, &period).contains(",expired,"));
    }

    #[test]
    fn a_period_is_whole_local_days() {
        let p = Period::parse("2026-11-01", " 2026-11-30 ").unwrap();
        // Thirty days, give or take a clock change.
        assert!((p.end - p.start).abs_diff(30 * 86_400) <= 3600);
        assert!(p.contains(p.start));
        assert!(!p.contains(p.end));
        assert_eq!(p.file_name(), "shandian-2026-11-01-to-2026-11-30.csv");
        assert_eq!(
            Period::parse("2026-11-30", "2026-11-01"),
            Err(HistoryError::EndsBeforeStart)
        );
        assert!(matches!(
            Period::parse("30/11/2026", "2026-12-01"),
            Err(HistoryError::BadDate { .. })
        ));
        assert!(Period::parse("2026-02-30", "2026-03-01").is_err());
    }

    #[test]
    fn csv_holds_the_period_oldest_first_and_is_safe_to_open() {
        let p = Period::parse("2026-11-01", "2026-11-30").unwrap();
        let inside = p.start + 3600;
        let all = merge(
            &[
                lightning(inside + 10, false, "=HYPERLINK(\"x\"),\n\u{202e}evil"),
                lightning(p.end, true, "next month"),
                lightning(p.start - 1, true, "last month"),
            ],
            &[onchain(inside)],
            &[],
            &[],
        );
        let text = to_csv(&all, &p);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap(), CSV_HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2, "{text}");
        assert_eq!(&rows[0][2], "onchain");
        assert_eq!(&rows[0][5], "100000.000");
        assert_eq!(&rows[0][11], "3");
        assert_eq!(&rows[1][1], "out");
        assert_eq!(&rows[1][5], "25000.500");
        assert_eq!(&rows[1][6], "1.000");
        // The quote and comma survive the round trip; the newline and bidi override do not;
        // the formula is defused.
        assert_eq!(&rows[1][7], "'=HYPERLINK(\"x\"),evil");
        assert!(rows[1][0].ends_with('Z'));
    }

    #[test]
    fn an_export_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let a = save_export(dir.path(), "x.csv", "one").unwrap();
        let b = save_export(dir.path(), "x.csv", "two").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(b).unwrap(), "two");
    }
}

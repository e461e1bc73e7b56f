//! The open wallet's messages: the tabs' own messages, and the results of the work they asked
//! for, which the shell hands back to them.

use crate::core::chain::fees::FeeChoices;
use crate::core::lightning::channels::ChannelsOverview;
use crate::core::wallet::WalletUpdate;
use crate::core::wallet::{SendOutcome, Snapshot};
use crate::core::Error;
use crate::ui::errors::Failure;
use crate::ui::screen::{channels, home, lab, receive, send, settings};
use crate::ui::shell::Tab;

#[derive(Debug, Clone)]
pub enum Message {
    TabSelected(Tab),
    /// A key that means something anywhere in the wallet (outside text fields).
    Shortcut(crate::ui::shell::nav::Shortcut),
    /// What the clipboard held when Ctrl+V was pressed on Send (`None`: nothing readable).
    Pasted(Option<String>),
    /// Time to move what moves one step: the spinners turn, the notes fade.
    Animate,
    Home(home::Message),
    Send(send::Message),
    Receive(receive::Message),
    Settings(settings::Message),
    Lab(lab::Message),
    Channels(channels::Message),
    Graph(crate::ui::screen::graph::Message),
    /// The likely route of the payment being previewed (`None`: not visible from here).
    RouteRead(Result<Option<crate::core::lightning::route::RoutePreview>, Error>),
    /// A file was dropped on the window (a QR image, to pay what it holds).
    FileDropped(std::path::PathBuf),
    /// The text of a QR image, or why it could not be read.
    QrRead(Result<String, Error>),
    /// Time to read the fiat rate again.
    RateDue,
    /// The fiat rate, or why there is none.
    RateRead(Result<crate::core::fiat::Rate, Error>),
    /// What a name on Send resolved to (or an LNURL-pay's invoice for the amount chosen).
    NameResolved(Result<crate::core::input::names::Resolved, Error>),
    Activity(crate::ui::screen::activity::Message),
    /// The CSV export was written (its path) or not.
    Exported(Result<String, Error>),
    Counter(crate::ui::screen::counter::Message),
    /// The counter's invoice was created (its text) or not.
    CounterInvoiceMade(Result<crate::core::lightning::payments::request::ReceiveRequest, Error>),
    GraphRead(Result<crate::core::lightning::graph::GraphView, Error>),
    ChannelsRead(Result<ChannelsOverview, Error>),
    PaymentsRead(Result<Vec<crate::core::lightning::payments::PaymentRecord>, Error>),
    /// One payment read again after an event about it (hex id).
    PaymentRead(
        String,
        Result<Option<crate::core::lightning::payments::PaymentRecord>, Error>,
    ),
    /// A channel action finished; `Ok` carries the notice to show.
    ChannelDone(Result<String, Error>),
    SnapshotRead(Result<Snapshot, Error>),
    Update(WalletUpdate),
    SyncDone(Result<(), Error>),
    AddressMade(Result<String, Error>),
    /// Fee estimates were read (or the server has none).
    FeesRead(Result<FeeChoices, Error>),
    /// Time to read fee estimates again (they move with the mempool).
    FeesDue,
    SendDone(Result<SendOutcome, Error>),
    /// Whether the server took the sent transaction (its txid) in.
    BroadcastChecked(String, crate::core::wallet::BroadcastOutcome),
    /// A Lightning payment was handed to LDK (its id) or refused.
    PayStarted(Result<String, Error>),
    /// An invoice or offer to receive with was created (its text) or not.
    RequestMade(Result<crate::core::lightning::payments::request::ReceiveRequest, Error>),
    /// What the server knows of payments to a shown invoice's fallback address.
    FallbackChecked(
        String,
        Result<crate::core::lightning::payments::request::FallbackPaid, Error>,
    ),
    /// Time to look at the shown invoice's fallback address again.
    FallbackDue,
    LabDone(Result<lab::Done, Failure>),
    /// Time to read the lab nodes again (the Lab is visible).
    LabRefreshDue,
    /// The lab nodes with channels to the wallet dialled it.
    LabConnected,
    /// What the lab nodes have and do now.
    LabNodesRead(
        Vec<crate::lab::NodeSummary>,
        Vec<crate::core::swap::book::SwapRecord>,
    ),
    SettingsSaved(Result<(), Error>),
    /// The system's folder chooser closed (`None`: cancelled) for the channel backup.
    BackupFolderPicked(Option<std::path::PathBuf>),
    /// The channel backup now goes to the chosen folder (with everything copied), or not.
    BackupSet(Result<crate::core::store::backup::BackupStatus, Error>),
    /// A second passed while a screen with a clock shows (the counter's code, Send's countdown).
    Tick,
    Ignore,
    /// Reads put off after payments' events are due.
    ReadsDue,
}

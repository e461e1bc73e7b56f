//! Every core error as a sentence that says what happened and what to do.

use crate::core::input::AddressNetwork;
use crate::core::store::backup::{Missing, MixedPart};
use crate::core::{
    BackupError, ChannelError, ConfigError, DirsError, Error, FeeError, HistoryError, InputError,
    LockError, NodeError, PasteError, PaymentError, QrError, SecretError, SeedError,
};
use crate::fl;
use crate::lab::LabError;

/// Whether Shandian was started from a terminal (its standard input is one), set once at
/// start. Only then may a sentence tell a person to run a script or pass a flag: started from
/// the applications menu, there is no command line to type them on.
static FROM_TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Records how Shandian was started (see [`FROM_TERMINAL`]); the first call counts.
pub fn set_started_from_terminal(terminal: bool) {
    let _ = FROM_TERMINAL.set(terminal);
}

/// Whether Shandian was started from a terminal; a start nobody recorded counts as the
/// menu's (the words that fit everybody).
pub fn started_from_terminal() -> bool {
    FROM_TERMINAL.get().copied().unwrap_or(false)
}

/// `terminal` when started from a terminal, else `menu`: the same sentence without a script or
/// a flag in it.
fn for_launch(terminal: String, menu: String) -> String {
    if started_from_terminal() {
        terminal
    } else {
        menu
    }
}

/// What a screen can be told went wrong: the wallet's errors and, on regtest, the Lab's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Wallet(#[from] Error),
    #[error(transparent)]
    Lab(#[from] LabError),
    #[error(transparent)]
    Scenario(#[from] crate::lab::scenario::ScenarioError),
}

pub fn describe_failure(failure: &Failure) -> String {
    match failure {
        Failure::Wallet(e) => describe(e),
        Failure::Lab(e) => describe_lab(e),
        // Its steps and checks speak the file's own words (English, like its keys).
        Failure::Scenario(e) => fl!("err-scenario", reason = e.to_string()),
    }
}

pub fn describe(error: &Error) -> String {
    match error {
        Error::Input(e) => describe_input(e),
        Error::Seed(e) => describe_seed(e),
        Error::Secret(e) => describe_secret(e),
        Error::Dirs(e) => describe_dirs(e),
        Error::Config(e) => describe_config(e),
        Error::Node(e) => describe_node(e),
        Error::Channel(e) => describe_channel(e),
        Error::Paste(e) => describe_paste(e),
        Error::Name(e) => describe_name(e),
        Error::Fiat(e) => describe_fiat(e),
        Error::Payment(e) => describe_payment(e),
        Error::History(e) => describe_history(e),
        Error::Qr(e) => describe_qr(e),
        Error::Backup(e) => describe_backup(e),
        Error::Lock(e) => describe_lock(e),
        Error::Fee(FeeError::NoEstimate) => fl!("err-fee-no-estimate"),
        Error::Fee(FeeError::Unreachable { url, .. }) => {
            fl!("err-fee-unreachable", url = url.clone())
        }
        Error::Swap(e) => describe_swap(e),
        Error::Internal(reason) => fl!("err-internal", reason = reason.clone()),
    }
}

pub fn describe_swap(e: &crate::core::swap::SwapError) -> String {
    use crate::core::swap::SwapError as S;
    match e {
        S::TooSmall { minimum_sat } => {
            fl!(
                "err-swap-too-small",
                minimum = crate::ui::format::sat(*minimum_sat)
            )
        }
        S::FeeRate { max } => fl!(
            "err-swap-fee-rate",
            max = crate::ui::format::group_digits(*max)
        ),
        S::Unknown(_) => fl!("err-swap-unknown"),
        S::NotFunded => fl!("err-swap-not-funded"),
        S::TooEarly {
            refund_height,
            height,
        } => fl!(
            "err-swap-too-early",
            refund = refund_height.to_string(),
            height = height.to_string()
        ),
        S::AlreadyPaid => fl!("err-swap-paid"),
        S::OfferMismatch => fl!("err-swap-offer-mismatch"),
        S::NotTaken(reason) => fl!(
            "err-swap-not-taken",
            reason = crate::ui::format::sanitize(reason)
        ),
        S::ServerAway => fl!("err-swap-server-away"),
        S::Htlc(e) => fl!("err-swap-htlc", reason = e.to_string()),
        S::Store { path, reason } => fl!(
            "err-swap-store",
            path = path.clone(),
            reason = reason.clone()
        ),
    }
}

pub fn describe_input(e: &InputError) -> String {
    match e {
        InputError::EmptyAddress => fl!("err-empty-address"),
        InputError::MalformedAddress => fl!("err-malformed-address"),
        InputError::WrongNetwork { found, expected } => {
            let found = match found {
                AddressNetwork::Mainnet => fl!("net-found-mainnet"),
                AddressNetwork::TestnetOrSignet => fl!("net-found-testnet"),
                AddressNetwork::Regtest => fl!("net-found-regtest"),
            };
            fl!(
                "err-wrong-network",
                found = found,
                expected = expected.as_str()
            )
        }
        InputError::EmptyAmount => fl!("err-empty-amount"),
        InputError::NotANumber => fl!("err-not-a-number"),
        InputError::ZeroAmount => fl!("err-zero-amount"),
        InputError::AmountTooLarge => fl!("err-amount-too-large"),
        InputError::Dust { minimum_sat } => fl!("err-dust", minimum = minimum_sat.to_string()),
        InputError::AboveSpendable { spendable_sat } => fl!(
            "err-above-spendable",
            spendable = crate::ui::format::sat(*spendable_sat)
        ),
        InputError::NothingToSend => fl!("err-nothing-to-send"),
        InputError::BadFeeRate => fl!("err-bad-fee-rate"),
        InputError::NoFeeEstimate => fl!("err-fee-no-estimate"),
    }
}

fn describe_seed(e: &SeedError) -> String {
    match e {
        SeedError::Empty => fl!("err-seed-empty"),
        SeedError::WordCount(n) => fl!("err-seed-count", count = n.to_string()),
        SeedError::UnknownWord { position, word } => fl!(
            "err-seed-unknown-word",
            position = position.to_string(),
            word = crate::ui::format::sanitize(word)
        ),
        SeedError::Checksum => fl!("err-seed-checksum"),
    }
}

fn describe_secret(e: &SecretError) -> String {
    match e {
        SecretError::Unavailable(r) => fl!("err-keyring-unavailable", reason = r.clone()),
        SecretError::Locked(r) => fl!("err-keyring-locked", reason = r.clone()),
        SecretError::Missing => fl!("err-keyring-missing"),
        SecretError::AlreadyExists => fl!("err-keyring-exists"),
        SecretError::Damaged => fl!("err-keyring-damaged"),
        SecretError::Failed(r) => fl!("err-keyring-failed", reason = r.clone()),
    }
}

fn describe_dirs(e: &DirsError) -> String {
    match e {
        DirsError::NoHome => for_launch(fl!("err-no-home"), fl!("err-no-home-menu")),
        DirsError::CannotCreate { path, reason } => {
            fl!(
                "err-cannot-create",
                path = path.clone(),
                reason = reason.clone()
            )
        }
        DirsError::CorruptWalletFile { path } => {
            fl!("err-corrupt-wallet-file", path = path.clone())
        }
        DirsError::NetworkMismatch {
            folder,
            found,
            expected,
        } => for_launch(
            fl!(
                "err-network-mismatch",
                folder = folder.clone(),
                found = found.as_str(),
                expected = expected.as_str()
            ),
            fl!(
                "err-network-mismatch-menu",
                folder = folder.clone(),
                found = found.as_str(),
                expected = expected.as_str()
            ),
        ),
        DirsError::WalletExists { folder } => fl!("err-wallet-exists", folder = folder.clone()),
        DirsError::Io(r) => fl!("err-settings", reason = r.clone()),
    }
}

fn describe_config(e: &ConfigError) -> String {
    match e {
        ConfigError::BadElectrumUrl(url) => {
            fl!("err-bad-electrum", url = crate::ui::format::sanitize(url))
        }
        other => fl!("err-settings", reason = other.to_string()),
    }
}

fn describe_node(e: &NodeError) -> String {
    match e {
        NodeError::Build(b) => fl!("err-node-build", reason = b.to_string()),
        NodeError::LspSetting { node, reason } => fl!(
            "err-lsp-setting",
            node = node.clone(),
            reason = reason.clone()
        ),
        NodeError::ServerUnreachable { url, .. } | NodeError::ServerDidNotAnswer { url, .. } => {
            fl!("err-electrum-down", url = url.clone())
        }
        NodeError::SyncTooSlow { url, .. } => fl!("err-sync-too-slow", url = url.clone()),
        NodeError::Ldk(other) => fl!("err-node", reason = other.to_string()),
        NodeError::NodeIdMismatch { expected, found } => for_launch(
            fl!(
                "err-node-id-mismatch",
                expected = expected.clone(),
                found = found.clone()
            ),
            fl!(
                "err-node-id-mismatch-menu",
                expected = expected.clone(),
                found = found.clone()
            ),
        ),
        NodeError::NodeDataMissing { folder } => {
            fl!("err-node-data-missing", folder = folder.clone())
        }
        NodeError::PeersDidNotClose { channels } => {
            fl!("err-peers-did-not-close", channels = channels.to_string())
        }
        NodeError::StaleChannelState { folder } => {
            fl!("err-stale-channel-state", folder = folder.clone())
        }
        NodeError::Storage { folder, reason } => fl!(
            "err-node-storage",
            folder = folder.clone(),
            reason = reason.clone()
        ),
    }
}

fn describe_lock(e: &LockError) -> String {
    match e {
        LockError::InUse { holder, .. } => match (holder.pid, holder.since) {
            (Some(pid), Some(since)) => fl!(
                "err-wallet-in-use",
                pid = pid.to_string(),
                since = crate::ui::format::datetime(since)
            ),
            _ => fl!("err-wallet-in-use-unknown"),
        },
        LockError::Io { folder, reason } => {
            fl!("err-lock", folder = folder.clone(), reason = reason.clone())
        }
    }
}

fn describe_backup(e: &BackupError) -> String {
    match e {
        BackupError::NotFound { folder } => fl!("err-backup-not-found", folder = folder.clone()),
        BackupError::Damaged { file } => fl!("err-backup-damaged", file = file.clone()),
        BackupError::UnknownFormat { folder, format } => fl!(
            "err-backup-format",
            folder = folder.clone(),
            format = format.to_string()
        ),
        BackupError::OtherWriter { folder } => {
            fl!("err-backup-other-writer", folder = folder.clone())
        }
        BackupError::Unwritable { folder, reason } => fl!(
            "err-backup-unwritable",
            folder = folder.clone(),
            reason = reason.clone()
        ),
        BackupError::Unreadable { folder, reason } => fl!(
            "err-backup-unreadable",
            folder = folder.clone(),
            reason = reason.clone()
        ),
        BackupError::NotEmpty { folder } => fl!("err-backup-not-empty", folder = folder.clone()),
        BackupError::LocalOlder { folder, channels } => fl!(
            "err-backup-local-older",
            folder = folder.clone(),
            channels = channels.to_string()
        ),
        BackupError::Incomplete { folder, missing } => {
            let missing: Vec<String> = missing
                .iter()
                .map(|m| match m {
                    Missing::Index => fl!("backup-missing-index"),
                    Missing::Manager => fl!("backup-missing-manager"),
                    Missing::Monitor(channel) => fl!(
                        "backup-missing-monitor",
                        channel = crate::ui::format::short_id(channel)
                    ),
                })
                .collect();
            fl!(
                "err-backup-incomplete",
                folder = folder.clone(),
                missing = missing.join(", ")
            )
        }
        BackupError::MixedMoments { folder, newer } => match newer {
            MixedPart::Manager => fl!("err-backup-mixed-manager-newer", folder = folder.clone()),
            MixedPart::Monitors => fl!("err-backup-mixed-monitors-newer", folder = folder.clone()),
        },
        BackupError::BadServerUrl { url } => fl!("err-backup-server-url", url = url.clone()),
        BackupError::Record { path, reason } => fl!(
            "err-backup-record",
            path = path.clone(),
            reason = reason.clone()
        ),
    }
}

fn describe_lab(e: &LabError) -> String {
    match e {
        LabError::ToolsMissing(path) => for_launch(
            fl!("err-tools-missing", path = path.display().to_string()),
            fl!("err-tools-missing-menu"),
        ),
        LabError::Start(r) => fl!("err-chain-start", reason = r.clone()),
        LabError::Rpc(r) => fl!("err-chain-rpc", reason = r.clone()),
        LabError::IndexTimeout { height } => {
            fl!("err-chain-index", height = height.to_string())
        }
        LabError::Node(r) => fl!("err-lab-node", reason = r.clone()),
        LabError::NoNode(name) => fl!("err-lab-no-node", name = name.clone()),
        LabError::NodeOffline(name) => fl!("err-lab-node-offline", name = name.clone()),
        LabError::NoChannelWithWallet(name) => fl!("err-lab-no-channel", name = name.clone()),
        LabError::HasChannels(name) => fl!("err-lab-has-channels", name = name.clone()),
        LabError::NoKeptState(name) => fl!("err-lab-no-kept-state", name = name.clone()),
        LabError::NetworkFull(n) => fl!("err-lab-full", count = n.to_string()),
        LabError::Files(r) => fl!("err-lab-files", reason = r.clone()),
        LabError::PaymentFailed(name) => fl!("err-lab-payment-failed", name = name.clone()),
        LabError::NodesTimeout(what) => fl!("err-lab-timeout", what = what.clone()),
        LabError::Wallet(e) => describe(e),
    }
}

fn describe_channel(e: &ChannelError) -> String {
    use crate::ui::format::sat;
    match e {
        ChannelError::EmptyUri => fl!("err-uri-empty"),
        ChannelError::MalformedUri => fl!("err-uri-malformed"),
        ChannelError::BadNodeId => fl!("err-uri-node-id"),
        ChannelError::BadPeerAddress => fl!("err-uri-address"),
        ChannelError::OwnNode => fl!("err-own-node"),
        ChannelError::PeerUnreachable { address } => {
            fl!("err-peer-unreachable", address = address.clone())
        }
        ChannelError::TooSmall { minimum_sat } => {
            fl!("err-channel-too-small", minimum = sat(*minimum_sat))
        }
        ChannelError::TooLarge { maximum_sat } => {
            fl!("err-channel-too-large", maximum = sat(*maximum_sat))
        }
        ChannelError::AboveSpendable { spendable_sat } => {
            fl!(
                "err-channel-above-spendable",
                spendable = sat(*spendable_sat)
            )
        }
        ChannelError::MissingAnchorReserve {
            reserve_sat,
            spendable_sat,
        } => fl!(
            "err-anchor-reserve",
            reserve = sat(*reserve_sat),
            spendable = sat(*spendable_sat),
            most = sat(spendable_sat.saturating_sub(*reserve_sat))
        ),
        ChannelError::PushTooLarge => fl!("err-push-too-large"),
        ChannelError::PublicNeedsListening => fl!("err-public-needs-listening"),
        ChannelError::CannotOpen(reason) => fl!("err-cannot-open", reason = reason.clone()),
        ChannelError::UnknownChannel => fl!("err-unknown-channel"),
        ChannelError::CooperativeCloseFailed => fl!("err-coop-close-failed"),
        ChannelError::CloseFailed(reason) => fl!("err-close-failed", reason = reason.clone()),
        ChannelError::Unproven => fl!("err-close-unproven"),
        ChannelError::BadFeePolicy => fl!("err-fee-policy"),
        ChannelError::NeedsBackup => fl!("open-needs-backup"),
        ChannelError::CltvDeltaTooSmall { minimum } => {
            fl!("err-cltv-too-small", minimum = minimum.to_string())
        }
        ChannelError::SpliceZero => fl!("err-splice-zero"),
        ChannelError::SpliceNotReady => fl!("err-splice-not-ready"),
        ChannelError::SplicePeerAway => fl!("err-splice-peer-away"),
        ChannelError::SpliceUnderWay => fl!("err-splice-under-way"),
        ChannelError::SpliceAboveOnchain { spendable_sat } => {
            fl!("err-splice-above-onchain", spendable = sat(*spendable_sat))
        }
        ChannelError::SpliceAboveChannel { can_send_sat } => {
            fl!("err-splice-above-channel", can_send = sat(*can_send_sat))
        }
        ChannelError::PeerCannotSplice => fl!("err-peer-cannot-splice"),
        ChannelError::SpliceNeedsConfirmedCoins => fl!("err-splice-unconfirmed"),
        ChannelError::CannotSplice(reason) => fl!("err-cannot-splice", reason = reason.clone()),
    }
}

pub fn describe_fiat(e: &crate::core::fiat::FiatError) -> String {
    use crate::core::fiat::FiatError;
    match e {
        FiatError::BadCurrency => fl!("err-fiat-currency"),
        FiatError::BadUrl => fl!("err-fiat-url"),
        FiatError::BadRate => fl!("err-fiat-rate"),
        FiatError::SourceDown { url, reason } => {
            fl!("err-fiat-down", url = url.clone(), reason = reason.clone())
        }
        FiatError::NoPrice { url, currency } => fl!(
            "err-fiat-no-price",
            url = url.clone(),
            currency = currency.clone()
        ),
    }
}

pub fn describe_name(e: &crate::core::input::names::NameError) -> String {
    use crate::core::input::names::NameError;
    match e {
        NameError::NotResolved(why) => fl!("err-name-not-resolved", reason = why.clone()),
        NameError::TimedOut { secs } => fl!("err-name-timed-out", seconds = secs.to_string()),
        NameError::WrongNetwork => fl!("err-name-wrong-network"),
        NameError::Expired => fl!("err-name-expired"),
        NameError::Invalid(why) => fl!("err-name-invalid", reason = why.clone()),
        NameError::AmountOutOfRange { min_msat, max_msat } => fl!(
            "err-name-amount-range",
            min = crate::ui::format::msat(*min_msat),
            max = crate::ui::format::msat(*max_msat)
        ),
        NameError::NothingPayable => fl!("err-name-nothing-payable"),
        NameError::Request(e) => describe_paste(e),
    }
}

pub fn describe_paste(e: &PasteError) -> String {
    match e {
        PasteError::Empty => fl!("err-paste-empty"),
        PasteError::TooLong => fl!("err-paste-too-long"),
        PasteError::Unrecognised => fl!("err-paste-unrecognised"),
        PasteError::InvoiceDamaged => fl!("err-invoice-damaged"),
        PasteError::InvoiceMalformed => fl!("err-invoice-malformed"),
        PasteError::InvoiceInvalid => fl!("err-invoice-invalid"),
        PasteError::InvoiceWrongNetwork { found, expected } => fl!(
            "err-invoice-wrong-network",
            found = found.as_str(),
            expected = expected.as_str()
        ),
        PasteError::InvoiceExpired { at } => {
            fl!("err-invoice-expired", at = crate::ui::format::datetime(*at))
        }
        PasteError::ZeroAmount => fl!("err-request-zero"),
        PasteError::OfferMalformed => fl!("err-offer-malformed"),
        PasteError::OfferWrongNetwork { expected } => {
            fl!("err-offer-wrong-network", expected = expected.as_str())
        }
        PasteError::OfferExpired { at } => {
            fl!("err-offer-expired", at = crate::ui::format::datetime(*at))
        }
        PasteError::OfferInFiatCurrency => fl!("err-offer-fiat"),
        PasteError::UriMalformed => fl!("err-uri-bip21-malformed"),
        PasteError::UriAmountInvalid => fl!("err-uri-bip21-amount"),
        PasteError::UriUnknownRequirement => fl!("err-uri-bip21-req"),
        PasteError::BadNodeId => fl!("err-uri-node-id"),
        PasteError::Address(e) => describe_input(e),
    }
}

fn describe_payment(e: &PaymentError) -> String {
    match e {
        PaymentError::OnchainTarget => fl!("err-pay-onchain"),
        PaymentError::AmountRequired => fl!("err-pay-amount-required"),
        PaymentError::ZeroAmount => fl!("err-zero-amount"),
        PaymentError::AboveOutbound { can_send_msat } => fl!(
            "err-pay-above-outbound",
            can = crate::ui::format::sat(can_send_msat / 1000)
        ),
        PaymentError::PeersOffline {
            can_send_msat,
            offline_msat,
        } => fl!(
            "err-pay-peers-offline",
            offline = crate::ui::format::sat(offline_msat / 1000),
            can = crate::ui::format::sat(can_send_msat / 1000)
        ),
        PaymentError::AlreadyPaid => fl!("err-pay-already-paid"),
        PaymentError::NoRoute => fl!("err-pay-no-route"),
        PaymentError::DescriptionTooLong => fl!("err-description-too-long"),
        PaymentError::BelowSmallest { smallest_msat } => fl!(
            "err-pay-below-smallest",
            smallest = crate::ui::format::msat(*smallest_msat)
        ),
        PaymentError::StillSettling => fl!("err-pay-still-settling"),
        PaymentError::NoLsp => fl!("err-no-lsp"),
        PaymentError::LspUnavailable { lsp, reason } => fl!(
            "err-lsp-unavailable",
            lsp = crate::ui::format::short_id(lsp),
            reason = reason.clone()
        ),
        PaymentError::LspNeedsAmount => fl!("err-lsp-needs-amount"),
    }
}

fn describe_history(e: &HistoryError) -> String {
    match e {
        HistoryError::BadDate { text } => fl!("err-bad-date", text = text.clone()),
        HistoryError::EndsBeforeStart => fl!("err-period-reversed"),
        HistoryError::CannotWrite { folder, reason } => fl!(
            "err-export-write",
            folder = folder.clone(),
            reason = reason.clone()
        ),
    }
}

fn describe_qr(e: &QrError) -> String {
    match e {
        QrError::CannotOpen { reason } => fl!("err-qr-open", reason = reason.clone()),
        QrError::TooLarge => fl!("err-qr-too-large"),
        QrError::TooManyPixels { width, height } => fl!(
            "err-qr-too-many-pixels",
            width = width.to_string(),
            height = height.to_string()
        ),
        QrError::NotAnImage => fl!("err-qr-not-image"),
        QrError::NoCode => fl!("err-qr-none"),
        QrError::Unreadable => fl!("err-qr-unreadable"),
    }
}

//! Channels: the list with a balance bar per channel, the detail view of one channel (parts,
//! timelocks, HTLCs, fee policy, claim timeline, close), and the form that opens a channel.

mod detail;
pub mod explain;
mod list;
mod open;
pub(crate) mod resize;

use crate::ui::theme;
use iced::Element;

use crate::core::lightning::channels::{ChannelsOverview, FeePolicy, OpenChannelRequest};
use crate::core::Error;
use crate::ui::errors;

pub use open::{BackupGate, Message as OpenMessage, CAPACITY_INPUT, PUSH_INPUT, URI_INPUT};
pub use resize::{Message as ResizeMessage, SPLICE_AMOUNT_INPUT};

pub const FEE_BASE_INPUT: &str = "fee-base";
pub const FEE_PPM_INPUT: &str = "fee-ppm";
pub const FEE_CLTV_INPUT: &str = "fee-cltv";

#[derive(Debug, Default)]
pub struct ChannelsScreen {
    overview: ChannelsOverview,
    /// The channel whose detail is shown.
    selected: Option<String>,
    open: open::OpenForm,
    close: CloseStage,
    fees: FeeForm,
    resize: resize::ResizeForm,
    busy: bool,
    notice: Option<String>,
    error: Option<String>,
    /// Which page of the list is shown (from 0).
    page: usize,
    /// The LSP from Settings, offered when there is no channel yet.
    lsp: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
enum CloseStage {
    #[default]
    None,
    /// The force-close warning is shown, waiting for confirmation.
    ConfirmForce,
}

#[derive(Debug, Default)]
struct FeeForm {
    base: String,
    ppm: String,
    cltv: String,
}

#[derive(Debug, Clone)]
pub enum Message {
    Open(open::Message),
    /// The selected channel's splice form.
    Resize(resize::Message),
    ChannelSelected(String),
    BackPressed,
    ClosePressed,
    ForceClosePressed,
    ForceCloseConfirmed,
    /// The force close of an unproven channel, its risk accepted in words.
    ForceCloseUnprovenConfirmed,
    ForceCloseCancelled,
    FeeBaseChanged(String),
    FeePpmChanged(String),
    FeeCltvChanged(String),
    FeeSavePressed,
    PageShown(usize),
    /// No channel yet: be paid through the LSP set in Settings.
    ReceiveViaLspPressed,
    /// No channel and no LSP yet: choose one in Settings.
    ChooseLspPressed,
}

/// What the wallet must do for this screen.
#[derive(Debug, Clone)]
pub enum Action {
    Open(OpenChannelRequest),
    Close {
        id: String,
        force: bool,
    },
    /// Force-close a channel restored from a backup that has not met its peer since: the
    /// person accepted that an old state broadcast hands the peer the whole channel.
    ForceCloseUnproven {
        id: String,
    },
    SetFees {
        id: String,
        policy: FeePolicy,
    },
    /// Change channel `id`'s size: from the on-chain wallet in, or out to the wallet's own
    /// on-chain address.
    Splice {
        id: String,
        splice: resize::Splice,
    },
    /// Open the folder chooser for the channel backup.
    ChooseBackup,
    /// Show Receive (an LSP opens the first channel as a payment arrives).
    ShowReceive,
    /// Show Settings (to choose an LSP).
    ShowSettings,
}

impl ChannelsScreen {
    pub fn overview(&self) -> &ChannelsOverview {
        &self.overview
    }

    /// The LSP chosen in Settings (read when the wallet opens).
    pub fn set_lsp(&mut self, lsp: Option<String>) {
        self.lsp = lsp;
    }

    pub fn set_overview(&mut self, overview: ChannelsOverview) {
        self.overview = overview;
    }

    /// Prefills the open form (the Lab panel's "open a channel to the peer").
    pub fn prefill_open(&mut self, uri: String, capacity_sat: u64) {
        self.selected = None;
        self.open.prefill(uri, capacity_sat);
    }

    /// A core call started by this screen finished.
    pub fn finished(&mut self, result: Result<String, Error>) {
        self.busy = false;
        match result {
            Ok(notice) => {
                self.notice = Some(notice);
                self.open.reset();
                self.resize.reset();
            }
            Err(e) => self.error = Some(errors::describe(&e)),
        }
    }

    /// What Escape does here: cancel the force-close warning, leave a channel's page, or step
    /// back from confirming a new channel (as the buttons shown do); nothing while busy.
    pub fn escape(&self) -> Option<Message> {
        if self.busy {
            None
        } else if self.close == CloseStage::ConfirmForce {
            Some(Message::ForceCloseCancelled)
        } else if self.resize.confirming() {
            Some(Message::Resize(resize::Message::CancelPressed))
        } else if self.selected.is_some() {
            Some(Message::BackPressed)
        } else if self.open.confirming() {
            Some(Message::Open(open::Message::BackPressed))
        } else {
            None
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        spendable_sat: u64,
        gate: BackupGate,
    ) -> Option<Action> {
        self.error = None;
        match message {
            Message::PageShown(page) => self.page = page,
            Message::ReceiveViaLspPressed => return Some(Action::ShowReceive),
            Message::ChooseLspPressed => return Some(Action::ShowSettings),
            Message::Open(open::Message::ChooseBackupPressed) => return Some(Action::ChooseBackup),
            Message::Open(m) => {
                self.notice = None;
                match self.open.update(m, spendable_sat, gate) {
                    Ok(Some(req)) => {
                        self.busy = true;
                        return Some(Action::Open(req));
                    }
                    Ok(None) => {}
                    Err(e) => self.error = Some(e),
                }
            }
            Message::Resize(m) => {
                self.notice = None;
                let (Some(id), Some(c)) = (
                    self.selected.clone(),
                    self.selected.as_ref().and_then(|id| self.overview.get(id)),
                ) else {
                    return None;
                };
                let splice = self.resize.update(m, c, spendable_sat)?;
                self.busy = true;
                return Some(Action::Splice { id, splice });
            }
            Message::ChannelSelected(id) => {
                self.notice = None;
                self.close = CloseStage::None;
                self.resize.reset();
                if let Some(f) = self.overview.get(&id).and_then(|c| c.fees) {
                    self.fees = FeeForm {
                        base: f.base_msat.to_string(),
                        ppm: f.ppm.to_string(),
                        cltv: f.cltv_delta.to_string(),
                    };
                }
                self.selected = Some(id);
            }
            Message::BackPressed => {
                self.selected = None;
                self.close = CloseStage::None;
            }
            Message::ClosePressed => {
                if let Some(id) = self.selected.clone() {
                    self.busy = true;
                    return Some(Action::Close { id, force: false });
                }
            }
            Message::ForceClosePressed => self.close = CloseStage::ConfirmForce,
            Message::ForceCloseCancelled => self.close = CloseStage::None,
            Message::ForceCloseConfirmed => {
                self.close = CloseStage::None;
                if let Some(id) = self.selected.clone() {
                    self.busy = true;
                    return Some(Action::Close { id, force: true });
                }
            }
            Message::ForceCloseUnprovenConfirmed => {
                self.close = CloseStage::None;
                if let Some(id) = self.selected.clone() {
                    self.busy = true;
                    return Some(Action::ForceCloseUnproven { id });
                }
            }
            Message::FeeBaseChanged(v) => self.fees.base = v,
            Message::FeePpmChanged(v) => self.fees.ppm = v,
            Message::FeeCltvChanged(v) => self.fees.cltv = v,
            Message::FeeSavePressed => {
                let parsed = FeePolicy::parse(&self.fees.base, &self.fees.ppm, &self.fees.cltv);
                match (parsed, self.selected.clone()) {
                    (Ok(policy), Some(id)) => {
                        self.busy = true;
                        return Some(Action::SetFees { id, policy });
                    }
                    (Err(e), _) => self.error = Some(crate::ui::errors::describe(&e.into())),
                    (Ok(_), None) => {}
                }
            }
        }
        None
    }

    /// `fee_rate_sat_vb`: the server's estimate for about an hour, if it has one.
    pub fn view(&self, fee_rate_sat_vb: Option<u64>, gate: BackupGate) -> Element<'_, Message> {
        let body = match self.selected.as_ref().and_then(|id| self.overview.get(id)) {
            Some(channel) => detail::view(
                channel,
                self.overview.height,
                detail::Forms {
                    fees: &self.fees,
                    resize: self
                        .resize
                        .view(channel, fee_rate_sat_vb, self.busy)
                        .map(Message::Resize),
                },
                self.close == CloseStage::ConfirmForce,
                self.busy,
            ),
            None => list::view(
                &self.overview,
                self.page,
                self.lsp.as_deref(),
                self.open
                    .view(fee_rate_sat_vb, self.busy, gate)
                    .map(Message::Open),
            ),
        };
        let mut content = iced::widget::column![body].spacing(theme::space::L);
        if let Some(n) = &self.notice {
            content = content.push(crate::ui::widget::note_text(n.clone()));
        }
        if let Some(e) = &self.error {
            content = content.push(crate::ui::widget::error_text(e.clone()));
        }
        content.into()
    }
}

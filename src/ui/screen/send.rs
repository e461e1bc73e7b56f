//! Send on-chain: address, amount or "everything", a fee rate, a confirm step with fee and total,
//! then the txid.

use crate::ui::theme;
use iced::widget::{button, column, text};
use iced::Element;

use crate::core::chain::fees::FeeChoices;
use crate::core::input::names;
use crate::core::input::paste::{self, PasteError, PaymentTarget};
use crate::core::input::{self, OnchainSendPlan, SendAmount};
use crate::core::lightning::channels::{ChannelPayout, ChannelsOverview};
use crate::core::wallet::{BroadcastOutcome, SendOutcome};
use crate::core::Network;
use crate::fl;
use crate::ui::errors;
use crate::ui::widget::{card, error_text};

pub const ADDRESS_INPUT: &str = "send-address";
pub const AMOUNT_INPUT: &str = "send-amount";
pub const FEE_INPUT: &str = "send-fee";

/// What Send shows before anything is sent while the channel backup fails, on mainnet only
/// (real money; a test network's loss is not one), until the person acknowledges that failure:
/// once per failure (`acknowledged` holds the acknowledged failure's start).
pub fn backup_warning(
    network: Network,
    backup: &crate::core::store::backup::BackupStatus,
    acknowledged: Option<u64>,
) -> Option<String> {
    let failure = backup.failing.as_ref()?;
    if network != Network::Mainnet || acknowledged == Some(failure.since) {
        return None;
    }
    let folder = backup
        .place
        .as_ref()
        .map(|p| p.to_string())
        .unwrap_or_default();
    Some(fl!(
        "send-backup-failing",
        folder = folder,
        since = crate::ui::format::datetime(failure.since)
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Slow,
    Normal,
    Fast,
    Custom,
}

#[derive(Debug)]
pub struct SendScreen {
    address: String,
    amount: String,
    send_all: bool,
    speed: Speed,
    custom_rate: String,
    /// `None` while being read; an error sentence when the server has none.
    fees: Option<Result<FeeChoices, String>>,
    stage: Stage,
    error: Option<String>,
    /// The request field was filled from a QR image.
    from_qr: bool,
    /// The request field holds the address a name (`₿alice@example.com`) gave.
    from_name: Option<String>,
    /// The channels as last read: the smallest payment they carry now (LDK sends at least this
    /// much), and which can pay an address the on-chain wallet cannot.
    channels: ChannelsOverview,
    /// The spinner's phase while a payment is on its way.
    spin: u32,
    /// On mainnet, while the channel backup fails and the person has not said they understand:
    /// what that risks. Nothing is sent until they do.
    backup_warning: Option<String>,
}

#[derive(Debug)]
enum Stage {
    Edit,
    Confirm(OnchainSendPlan),
    Sending(OnchainSendPlan),
    /// Signed and handed over; the server has not said it has it yet.
    Broadcasting(SendOutcome),
    Sent(SendOutcome),
    /// The server did not take it (or could not be asked).
    NotSent(SendOutcome, BroadcastOutcome),
    Lightning(lightning::LightningPay),
    /// A name is being looked up.
    Resolving(String),
    /// An LNURL-pay name waits for its amount.
    NameAmount(Box<name::NameAmount>),
    /// The on-chain wallet cannot pay the address; a channel can.
    Payout(payout::Payout),
}

#[derive(Debug, Clone)]
pub enum Message {
    /// "I understand" under the failing-backup warning.
    BackupRiskAcknowledged,
    AddressChanged(String),
    AmountChanged(String),
    SendAllToggled(bool),
    SpeedSelected(Speed),
    CustomRateChanged(String),
    ReviewPressed,
    BackPressed,
    ConfirmPressed,
    CopyTxidPressed,
    NewPaymentPressed,
    /// Back to the form, with what was typed, to choose another fee.
    ChangeFeePressed,
    NameAmountChanged(String),
    NameAmountPressed,
    /// Choose an image file with a QR code to read the request from.
    OpenQrPressed,
    /// Pay the address out of the channel offered.
    PayFromChannelPressed,
    /// LDK started paying from the channel, or the wallet refused.
    PayoutStarted(Result<(), crate::core::Error>),
    Lightning(lightning::Message),
}

/// What the app must do for this screen.
#[derive(Debug, Clone)]
pub enum Action {
    Broadcast(OnchainSendPlan),
    Copy(String),
    PayLightning(lightning::Payment),
    OpenQrImage,
    /// Find the likely route for a request with an amount, for the preview.
    PreviewRoute {
        target: PaymentTarget,
        amount_msat: u64,
    },
    /// Look up a name (BIP 353, Lightning Address, LNURL-pay).
    ResolveName(String),
    /// Ask an LNURL-pay payee's server for an invoice of this amount.
    ChooseNameAmount {
        choice: Box<crate::core::input::names::AmountChoice>,
        amount_msat: u64,
    },
    /// The person read that the channel backup is failing and goes on sending.
    AcknowledgeBackupRisk,
    /// Pay an on-chain address out of a channel (a splice out to it).
    PayFromChannel(ChannelPayout),
}

impl Default for SendScreen {
    fn default() -> Self {
        SendScreen {
            address: String::new(),
            amount: String::new(),
            send_all: false,
            speed: Speed::Normal,
            custom_rate: String::new(),
            fees: None,
            stage: Stage::Edit,
            error: None,
            from_qr: false,
            from_name: None,
            channels: ChannelsOverview::default(),
            spin: 0,
            backup_warning: None,
        }
    }
}

impl SendScreen {
    /// The server's estimates, once read (none when it has none).
    pub fn fee_choices(&self) -> Option<&FeeChoices> {
        self.fees.as_ref().and_then(|f| f.as_ref().ok())
    }

    /// The channels, from the latest channel read.
    pub fn set_channels(&mut self, channels: ChannelsOverview) {
        self.channels = channels;
    }

    /// A fresh form (`next`), keeping the fee estimates and channels already read.
    fn start_over(&mut self, next: SendScreen) {
        let fees = self.fees.take();
        let channels = std::mem::take(&mut self.channels);
        *self = next;
        self.channels = channels;
        if let Some(f) = fees {
            self.set_fee_choices(f);
        }
    }

    /// A request to pay over Lightning (or a Lightning-capable one): its own preview, and the
    /// likely route when the amount is known.
    fn lightning(&mut self, target: PaymentTarget) -> Option<Action> {
        let amount_msat = target.preview().amount_msat;
        self.stage = Stage::Lightning(lightning::LightningPay::new(target.clone()));
        amount_msat.map(|amount_msat| Action::PreviewRoute {
            target,
            amount_msat,
        })
    }

    /// New estimates, or why there are none: then the person types a rate.
    pub fn set_fee_choices(&mut self, fees: Result<FeeChoices, String>) {
        if fees.is_err() {
            self.speed = Speed::Custom;
        }
        self.fees = Some(fees);
    }

    /// The wallet signed the transaction and handed it over (then the server is asked whether
    /// it has it), or refused to.
    pub fn sent(&mut self, result: Result<SendOutcome, crate::core::Error>) {
        match result {
            Ok(outcome) => self.stage = Stage::Broadcasting(outcome),
            Err(e) => {
                self.error = Some(errors::describe(&e));
                self.stage = match std::mem::replace(&mut self.stage, Stage::Edit) {
                    Stage::Sending(plan) => Stage::Confirm(plan),
                    other => other,
                };
            }
        }
    }

    /// The server has the transaction `txid`, or did not take it.
    pub fn broadcast_checked(&mut self, txid: &str, outcome: BroadcastOutcome) {
        let Stage::Broadcasting(sent) = &self.stage else {
            return;
        };
        if sent.txid != txid {
            return;
        }
        let mut sent = sent.clone();
        self.stage = match outcome {
            BroadcastOutcome::Accepted { fee_sat } => {
                sent.fee_sat = fee_sat.or(sent.fee_sat);
                Stage::Sent(sent)
            }
            other => Stage::NotSent(sent, other),
        };
    }

    fn fee_rate(&self) -> Result<u64, input::InputError> {
        let known = match &self.fees {
            Some(Ok(f)) => Some(f),
            _ => None,
        };
        match (self.speed, known) {
            (Speed::Custom, _) => input::parse_fee_rate(&self.custom_rate),
            (_, None) => Err(input::InputError::NoFeeEstimate),
            (Speed::Slow, Some(f)) => Ok(f.slow_sat_vb),
            (Speed::Normal, Some(f)) => Ok(f.normal_sat_vb),
            (Speed::Fast, Some(f)) => Ok(f.fast_sat_vb),
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        spendable_sat: u64,
        network: Network,
    ) -> Option<Action> {
        self.error = None;
        if let Message::BackupRiskAcknowledged = message {
            self.backup_warning = None;
            return Some(Action::AcknowledgeBackupRisk);
        }
        match message {
            Message::BackupRiskAcknowledged => {}
            Message::AddressChanged(v) => {
                self.address = v;
                self.from_qr = false;
                self.from_name = None;
            }
            Message::OpenQrPressed => return Some(Action::OpenQrImage),
            Message::AmountChanged(v) => self.amount = v,
            Message::SendAllToggled(v) => self.send_all = v,
            Message::SpeedSelected(s) => self.speed = s,
            Message::CustomRateChanged(v) => self.custom_rate = v,
            Message::ReviewPressed => {
                // One field takes anything: Lightning requests go to their own preview.
                let now = std::time::Duration::from_secs(crate::core::now());
                let mut address = self.address.clone();
                match paste::parse_payment(&self.address, network, now) {
                    Ok(PaymentTarget::Onchain {
                        address: a,
                        amount_sat,
                        ..
                    }) => {
                        address = a.to_string();
                        if let (Some(sat), true) = (amount_sat, self.amount.trim().is_empty()) {
                            self.amount = sat.to_string();
                        }
                    }
                    Ok(target) => return self.lightning(target),
                    Err(PasteError::Unrecognised) if names::is_name(&self.address) => {
                        let name = self.address.trim().to_string();
                        self.stage = Stage::Resolving(name.clone());
                        return Some(Action::ResolveName(name));
                    }
                    Err(PasteError::Empty) => {}
                    Err(PasteError::Address(_)) => {}
                    Err(e) => {
                        self.error = Some(errors::describe_paste(&e));
                        return None;
                    }
                }
                let amount = if self.send_all {
                    Ok(SendAmount::All)
                } else {
                    input::parse_amount_sat(&self.amount)
                        .map(|amount_sat| SendAmount::Exact { amount_sat })
                };
                let rate = self.fee_rate();
                let planned = rate.clone().and_then(|rate| {
                    input::plan_onchain_send(&address, amount.clone(), rate, spendable_sat, network)
                });
                // Too much for the chain: a channel may pay it.
                let payout = match &planned {
                    Err(input::InputError::AboveSpendable { .. }) => {
                        payout::Payout::offer(&self.channels, &address, &amount, &rate, network)
                    }
                    _ => None,
                };
                match (planned, payout) {
                    (_, Some(p)) => self.stage = Stage::Payout(p),
                    (Ok(plan), None) => self.stage = Stage::Confirm(plan),
                    (Err(e), None) => self.error = Some(errors::describe_input(&e)),
                }
            }
            Message::BackPressed => self.stage = Stage::Edit,
            Message::NameAmountChanged(v) => {
                if let Stage::NameAmount(n) = &mut self.stage {
                    n.amount = v;
                }
            }
            Message::NameAmountPressed => {
                let Stage::NameAmount(n) = &self.stage else {
                    return None;
                };
                match input::parse_amount_sat(&n.amount) {
                    Ok(sat) => {
                        let action = Action::ChooseNameAmount {
                            choice: Box::new(n.choice.clone()),
                            amount_msat: sat * 1000,
                        };
                        self.stage = Stage::Resolving(n.name.clone());
                        return Some(action);
                    }
                    Err(e) => self.error = Some(errors::describe_input(&e)),
                }
            }
            Message::ConfirmPressed => {
                if let Stage::Confirm(plan) = &self.stage {
                    let plan = plan.clone();
                    self.stage = Stage::Sending(plan.clone());
                    return Some(Action::Broadcast(plan));
                }
            }
            Message::PayFromChannelPressed => {
                if let Stage::Payout(p) = &mut self.stage {
                    return p.confirm();
                }
            }
            Message::PayoutStarted(result) => {
                if let Stage::Payout(p) = &mut self.stage {
                    self.error = p.started(result);
                }
            }
            Message::CopyTxidPressed => {
                if let Stage::Sent(outcome) | Stage::Broadcasting(outcome) = &self.stage {
                    return Some(Action::Copy(outcome.txid.clone()));
                }
            }
            Message::Lightning(m) => {
                if let Stage::Lightning(pay) = &mut self.stage {
                    match pay.update(m, crate::core::now()) {
                        Ok(Some(payment)) => return Some(Action::PayLightning(payment)),
                        Ok(None) => {}
                        Err(e) => self.error = Some(e),
                    }
                }
            }
            Message::NewPaymentPressed => self.start_over(SendScreen::default()),
            Message::ChangeFeePressed => {
                self.stage = Stage::Edit;
                self.speed = Speed::Custom;
            }
        }
        None
    }

    /// A QR image was read (its text goes into the request field, for review as if pasted), or
    /// not (why).
    pub fn qr_read(&mut self, result: Result<String, String>) {
        match result {
            Ok(text) => self.start_over(SendScreen {
                address: text.trim().to_string(),
                from_qr: true,
                ..SendScreen::default()
            }),
            Err(e) => self.error = Some(e),
        }
    }

    /// A request handed over from elsewhere in the app (the Lab's hold invoice) goes into the
    /// request field, for review as if pasted.
    /// Whether something on this screen spins (a payment on its way).
    pub fn spinning(&self) -> bool {
        matches!(&self.stage, Stage::Lightning(pay) if pay.in_flight())
    }

    /// Turns the spinner one step.
    pub fn spin(&mut self) {
        self.spin = self.spin.wrapping_add(1);
    }

    /// What Escape does here: the same as the Back button shown, if any.
    pub fn escape(&self) -> Option<Message> {
        match &self.stage {
            Stage::Confirm(_) | Stage::Resolving(_) | Stage::NameAmount(_) | Stage::Payout(_) => {
                Some(Message::BackPressed)
            }
            Stage::Lightning(_) => Some(Message::NewPaymentPressed),
            _ => None,
        }
    }

    pub fn fill(&mut self, request: String) {
        self.start_over(SendScreen {
            address: request,
            ..SendScreen::default()
        });
    }

    /// The likely route of the Lightning payment being previewed.
    pub fn route_read(&mut self, route: Option<crate::core::lightning::route::RoutePreview>) {
        if let Stage::Lightning(pay) = &mut self.stage {
            pay.set_route(route);
        }
    }

    /// LDK took the Lightning payment, or refused it.
    pub fn lightning_started(&mut self, result: Result<String, crate::core::Error>) {
        if let Stage::Lightning(pay) = &mut self.stage {
            pay.started(result);
        }
    }

    /// A node event, which may finish the Lightning payment in progress.
    pub fn node_event(&mut self, event: &crate::core::lightning::events::NodeEvent) {
        if let Stage::Lightning(pay) = &mut self.stage {
            pay.event(event);
        }
    }

    /// Shows (or clears) the failing-backup warning that holds sending back until the person
    /// acknowledges it (see [`backup_warning`]).
    pub fn set_backup_warning(&mut self, warning: Option<String>) {
        self.backup_warning = warning;
    }

    pub fn view(&self, spendable_sat: u64, network: Network) -> Element<'_, Message> {
        let before_sending = match &self.stage {
            Stage::Edit | Stage::Confirm(_) | Stage::NameAmount(_) | Stage::Payout(_) => true,
            Stage::Lightning(pay) => !pay.in_flight() && !pay.is_done(),
            _ => false,
        };
        if let (Some(warning), true) = (&self.backup_warning, before_sending) {
            return card(
                column![
                    text(fl!("send-backup-failing-title")).size(theme::size::LEAD),
                    error_text(warning.clone()),
                    button(text(fl!("send-backup-failing-go-on")))
                        .on_press(Message::BackupRiskAcknowledged)
                        .style(theme::danger)
                        .padding(theme::space::M),
                ]
                .spacing(theme::space::M),
            );
        }
        let body = match &self.stage {
            Stage::Lightning(pay) => {
                let mut c = column![pay
                    .view(
                        network,
                        crate::core::now(),
                        self.channels.smallest_payment_msat(),
                        self.spin,
                    )
                    .map(Message::Lightning)]
                .spacing(theme::space::M);
                let label = if pay.is_done() {
                    fl!("send-again")
                } else {
                    fl!("button-back")
                };
                c = c.push(
                    button(text(label))
                        .on_press(Message::NewPaymentPressed)
                        .style(theme::secondary),
                );
                c.into()
            }
            Stage::Edit => self.edit(spendable_sat),
            Stage::Resolving(name) => name::resolving(name),
            Stage::NameAmount(n) => name::amount(n),
            Stage::Confirm(plan) => confirm(plan, false),
            Stage::Sending(plan) => confirm(plan, true),
            Stage::Broadcasting(outcome) => broadcasting(outcome),
            Stage::Sent(outcome) => sent(outcome),
            Stage::NotSent(outcome, why) => not_sent(outcome, *why),
            Stage::Payout(p) => p.view(spendable_sat),
        };
        let mut content = column![body].spacing(theme::space::L);
        if let Some(e) = &self.error {
            content = content.push(error_text(e.clone()));
        }
        content.into()
    }
}

mod lightning;
mod onchain;
use onchain::{broadcasting, confirm, not_sent, sent};
mod form;
mod name;
mod payout;

pub use lightning::{LN_AMOUNT_INPUT, LN_MAX_FEE_INPUT};

#[cfg(test)]
mod tests;

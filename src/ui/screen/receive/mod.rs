//! Receive: on-chain (a fresh address), a Lightning invoice (checked against the inbound
//! capacity first, shown as a unified `bitcoin:` QR with the address as the fallback), or a
//! reusable BOLT12 offer for a shop counter. A shown invoice turns into "Paid" when it is.

use crate::ui::theme;
use iced::widget::{button, column, qr_code, radio, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::channels::ChannelsOverview;
use crate::core::lightning::events::NodeEvent;
use crate::core::lightning::payments::request::{qr_form, FallbackPaid, ReceiveRequest};
use crate::core::lightning::payments::{check_receive, ReceiveCheck};
use crate::fl;
use crate::ui::widget::{card, error_text, note_text, title};
use crate::ui::{errors, format};

pub const AMOUNT_INPUT: &str = "receive-amount";
pub const DESCRIPTION_INPUT: &str = "receive-description";

/// Confirmations after which an on-chain payment is taken as settled (and no longer watched).
pub const SAFE_CONFIRMATIONS: u32 = 6;

/// How long a new invoice stays payable: the person picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    TenMinutes,
    OneHour,
    OneDay,
    OneWeek,
}

impl Expiry {
    pub const ALL: [Expiry; 4] = [
        Expiry::TenMinutes,
        Expiry::OneHour,
        Expiry::OneDay,
        Expiry::OneWeek,
    ];

    pub fn secs(self) -> u32 {
        match self {
            Expiry::TenMinutes => 600,
            Expiry::OneHour => 3_600,
            Expiry::OneDay => 86_400,
            Expiry::OneWeek => 7 * 86_400,
        }
    }

    fn label(self) -> String {
        match self {
            Expiry::TenMinutes => fl!("receive-expiry-10min"),
            Expiry::OneHour => fl!("receive-expiry-1h"),
            Expiry::OneDay => fl!("receive-expiry-1d"),
            Expiry::OneWeek => fl!("receive-expiry-1w"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Onchain,
    Invoice,
    Offer,
}

#[derive(Debug)]
pub struct Receive {
    mode: Mode,
    address: Option<(String, qr_code::Data)>,
    amount: String,
    description: String,
    expiry: Expiry,
    request: Option<Shown>,
    /// Why the amount cannot be received over Lightning now, with what to do.
    refusal: Option<String>,
    /// The LSP that can open a channel as the payment arrives (`pubkey@host:port`), if set.
    lsp: Option<String>,
    /// Offered after a refusal when an LSP is set: the request it would make.
    via_lsp: Option<Action>,
    error: Option<String>,
    copied: bool,
}

/// A created invoice or offer, its QR code, and what has paid it so far.
#[derive(Debug)]
struct Shown {
    request: ReceiveRequest,
    qr: qr_code::Data,
    /// Paid over Lightning (the amount that arrived).
    paid_msat: Option<u64>,
    /// What arrived on chain to the invoice's fallback address.
    onchain: FallbackPaid,
    /// For a request through the LSP: the person has seen its fee and asked for the code.
    fee_seen: bool,
}

impl Shown {
    fn paid_on_chain(&self) -> bool {
        self.onchain.covers(self.request.amount_msat)
    }
}

impl Default for Receive {
    fn default() -> Self {
        Receive {
            mode: Mode::Onchain,
            address: None,
            amount: String::new(),
            description: String::new(),
            expiry: Expiry::OneHour,
            request: None,
            refusal: None,
            lsp: None,
            via_lsp: None,
            error: None,
            copied: false,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    ModeSelected(Mode),
    NewAddressPressed,
    CopyPressed,
    AmountChanged(String),
    DescriptionChanged(String),
    ExpirySelected(Expiry),
    CreatePressed,
    NewRequestPressed,
    CounterPressed,
    /// Receive through a channel the LSP opens as the payment arrives.
    ViaLspPressed,
    /// The LSP's fee is seen: show the code.
    ShowCodePressed,
    /// Time to ask the server again about the shown invoice's fallback address.
    FallbackDue,
}

/// What the wallet must do for this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    NewAddress,
    Copy(String),
    CreateInvoice {
        amount_msat: Option<u64>,
        description: String,
        expiry_secs: u32,
    },
    CreateOffer {
        amount_msat: Option<u64>,
        description: String,
    },
    /// An invoice paid through a channel the LSP opens as the payment arrives.
    CreateViaLsp {
        amount_msat: u64,
        description: String,
        expiry_secs: u32,
    },
    /// Switch to the full-window counter for a shop.
    Counter,
    /// Ask the server what paid this fallback address.
    CheckFallback(String),
}

impl Receive {
    pub fn set_address(&mut self, address: String) {
        let data = qr_code::Data::new(qr_form(&address)).ok();
        self.address = data.map(|d| (address, d));
        self.copied = false;
    }

    /// The LSP set in Settings (`pubkey@host:port`), if any.
    pub fn set_lsp(&mut self, lsp: Option<String>) {
        self.lsp = lsp;
    }

    pub fn address(&self) -> Option<&str> {
        self.address.as_ref().map(|(a, _)| a.as_str())
    }

    /// The invoice or offer was created, or not.
    pub fn request_made(&mut self, result: Result<ReceiveRequest, crate::core::Error>) {
        match result {
            Ok(request) => {
                let Ok(qr) = qr_code::Data::new(request.qr_text.clone()) else {
                    self.error = Some(fl!("receive-qr-too-long"));
                    return;
                };
                // What stood in the way is behind us now.
                self.refusal = None;
                self.via_lsp = None;
                self.request = Some(Shown {
                    request,
                    qr,
                    paid_msat: None,
                    onchain: FallbackPaid::default(),
                    fee_seen: false,
                });
            }
            Err(e) => self.error = Some(errors::describe(&e)),
        }
    }

    /// Marks the shown invoice or offer paid when its payment arrives.
    pub fn node_event(&mut self, event: &NodeEvent) {
        if let Some(r) = &mut self.request {
            if let Some(amount_msat) = event.pays(&r.request) {
                r.paid_msat = Some(amount_msat);
            }
        }
    }

    /// The fallback address to keep asking the server about: while an invoice with one is
    /// shown, not paid over Lightning, and what arrived on chain is short of the amount or of
    /// [`SAFE_CONFIRMATIONS`].
    pub fn fallback_to_watch(&self) -> Option<&str> {
        let r = self.request.as_ref()?;
        let address = r.request.fallback_address.as_deref()?;
        let settled = r.paid_on_chain() && r.onchain.confirmations() >= SAFE_CONFIRMATIONS;
        (r.paid_msat.is_none() && !settled).then_some(address)
    }

    /// What the server said about `address` (the shown invoice's fallback, unless the person
    /// moved on meanwhile).
    pub fn fallback_checked(
        &mut self,
        address: &str,
        result: Result<FallbackPaid, crate::core::Error>,
    ) {
        let Some(r) = &mut self.request else { return };
        if r.request.fallback_address.as_deref() != Some(address) {
            return;
        }
        match result {
            Ok(paid) => r.onchain = paid,
            // Home says when the server is away; the next check tries again.
            Err(e) => log::warn!("could not look at the fallback address: {e}"),
        }
    }

    pub fn update(&mut self, message: Message, channels: &ChannelsOverview) -> Option<Action> {
        // The clock's doing, not the person's: what the screen says stays.
        if let Message::FallbackDue = message {
            return self
                .fallback_to_watch()
                .map(|a| Action::CheckFallback(a.to_string()));
        }
        self.error = None;
        match message {
            Message::ModeSelected(m) => {
                self.mode = m;
                self.request = None;
                self.refusal = None;
                self.via_lsp = None;
            }
            Message::NewAddressPressed => return Some(Action::NewAddress),
            Message::CopyPressed => {
                let text = match (&self.request, self.mode) {
                    (Some(r), Mode::Invoice | Mode::Offer) => Some(r.request.text.clone()),
                    _ => self.address().map(str::to_string),
                };
                if let Some(t) = text {
                    self.copied = true;
                    return Some(Action::Copy(t));
                }
            }
            Message::AmountChanged(v) => self.amount = v,
            Message::DescriptionChanged(v) => self.description = v,
            Message::ExpirySelected(e) => self.expiry = e,
            Message::CreatePressed => {
                self.refusal = None;
                self.via_lsp = None;
                let amount_msat = if self.amount.trim().is_empty() {
                    None
                } else {
                    match crate::core::input::parse_amount_sat(&self.amount) {
                        Ok(sat) => Some(sat * 1000),
                        Err(e) => {
                            self.error = Some(errors::describe_input(&e));
                            return None;
                        }
                    }
                };
                let description = self.description.trim().to_string();
                // "Can I receive this?" before any QR is shown.
                let refusal = match check_receive(channels, amount_msat) {
                    ReceiveCheck::Fine => None,
                    ReceiveCheck::NoChannels => Some(fl!("receive-no-channels")),
                    ReceiveCheck::AboveInbound { can_receive_msat } => Some(fl!(
                        "receive-above-inbound",
                        can = format::msat(can_receive_msat)
                    )),
                };
                if let Some(refusal) = refusal {
                    self.refusal = Some(refusal);
                    // An invoice (not an offer) with an amount can come through the LSP.
                    self.via_lsp = match (&self.lsp, self.mode, amount_msat) {
                        (Some(_), Mode::Invoice, Some(amount_msat)) => Some(Action::CreateViaLsp {
                            amount_msat,
                            description,
                            expiry_secs: self.expiry.secs(),
                        }),
                        _ => None,
                    };
                    return None;
                }
                return Some(match self.mode {
                    Mode::Offer => Action::CreateOffer {
                        amount_msat,
                        description,
                    },
                    _ => Action::CreateInvoice {
                        amount_msat,
                        description,
                        expiry_secs: self.expiry.secs(),
                    },
                });
            }
            Message::CounterPressed => return Some(Action::Counter),
            Message::ViaLspPressed => {
                self.refusal = None;
                return self.via_lsp.take();
            }
            Message::ShowCodePressed => {
                if let Some(r) = &mut self.request {
                    r.fee_seen = true;
                }
            }
            // Answered above.
            Message::FallbackDue => {}
            Message::NewRequestPressed => {
                self.request = None;
                self.amount.clear();
                self.description.clear();
            }
        }
        None
    }

    pub fn view(&self) -> Element<'_, Message> {
        let mut modes = row![].spacing(theme::space::L);
        for (mode, label) in [
            (Mode::Onchain, fl!("receive-mode-onchain")),
            (Mode::Invoice, fl!("receive-mode-invoice")),
            (Mode::Offer, fl!("receive-mode-offer")),
        ] {
            modes = modes.push(radio(label, mode, Some(self.mode), Message::ModeSelected));
        }
        let header = row![
            title(fl!("receive-title")),
            Space::new().width(Length::Fill),
            button(text(fl!("receive-counter-mode")))
                .style(theme::secondary)
                .on_press(Message::CounterPressed),
        ]
        .align_y(iced::Alignment::Center);
        let mut content = column![header, modes].spacing(theme::space::L);
        content = content.push(match self.mode {
            Mode::Onchain => self.onchain(),
            Mode::Invoice | Mode::Offer => self.lightning(),
        });
        if let Some(r) = &self.refusal {
            content = content.push(error_text(r.clone()));
            if let (Some(lsp), Some(_)) = (&self.lsp, &self.via_lsp) {
                content = content.push(
                    row![
                        button(text(fl!("receive-via-lsp")))
                            .on_press(Message::ViaLspPressed)
                            .style(theme::primary),
                        text(fl!("receive-via-lsp-help", lsp = format::short_id(lsp)))
                            .size(theme::size::SMALL),
                    ]
                    .spacing(theme::space::M)
                    .align_y(iced::Alignment::Center),
                );
            }
        }
        if let Some(e) = &self.error {
            content = content.push(error_text(e.clone()));
        }
        content.into()
    }

    fn copy_label(&self) -> String {
        if self.copied {
            fl!("button-copied")
        } else {
            fl!("button-copy")
        }
    }

    fn onchain(&self) -> Element<'_, Message> {
        let Some((address, qr)) = &self.address else {
            return text(fl!("working")).into();
        };
        column![
            text(fl!("receive-help")),
            card(
                column![
                    qr_code(qr).cell_size(5),
                    text(address.clone())
                        .size(theme::size::BODY)
                        .font(iced::Font::MONOSPACE),
                    row![
                        button(text(self.copy_label()))
                            .on_press(Message::CopyPressed)
                            .style(theme::primary),
                        button(text(fl!("receive-new")))
                            .on_press(Message::NewAddressPressed)
                            .style(theme::secondary),
                    ]
                    .spacing(theme::space::M),
                ]
                .spacing(theme::space::M)
                .width(Length::Fill)
                .align_x(iced::Alignment::Center),
            )
        ]
        .spacing(theme::space::L)
        .into()
    }

    fn lightning(&self) -> Element<'_, Message> {
        if let Some(r) = &self.request {
            let mut c = column![]
                .spacing(theme::space::M)
                .width(Length::Fill)
                .align_x(iced::Alignment::Center);
            let paid_style = |t: &iced::Theme| text::Style {
                color: Some(t.extended_palette().success.base.color),
            };
            let on_chain = &r.onchain;
            if let (Some(fee), None, false) = (r.request.lsp_fee_msat, r.paid_msat, r.fee_seen) {
                let amount = r.request.amount_msat.unwrap_or(0);
                return card(
                    c.push(text(fl!(
                        "receive-lsp-fee",
                        fee = format::msat(fee),
                        receive = format::msat(amount.saturating_sub(fee)),
                        amount = format::msat(amount)
                    )))
                    .push(
                        row![
                            button(text(fl!("receive-show-code")))
                                .on_press(Message::ShowCodePressed)
                                .style(theme::primary),
                            button(text(fl!("receive-another")))
                                .on_press(Message::NewRequestPressed)
                                .style(theme::secondary),
                        ]
                        .spacing(theme::space::M),
                    ),
                );
            }
            c = match r.paid_msat {
                Some(paid) => c.push(
                    text(fl!("receive-paid", amount = format::msat(paid)))
                        .size(theme::size::TITLE)
                        .style(paid_style),
                ),
                None if r.paid_on_chain() => c
                    .push(
                        text(fl!(
                            "receive-paid-onchain",
                            amount = format::sat(on_chain.amount_sat())
                        ))
                        .size(theme::size::TITLE)
                        .style(paid_style),
                    )
                    .push(text(match on_chain.confirmations() {
                        0 => fl!("receive-onchain-unconfirmed"),
                        n => fl!(
                            "receive-onchain-confirmations",
                            n = n,
                            safe = SAFE_CONFIRMATIONS
                        ),
                    })),
                None => {
                    c = c.push(qr_code(&r.qr).cell_size(3));
                    if on_chain.amount_sat() > 0 {
                        c = c.push(note_text(fl!(
                            "receive-onchain-partial",
                            amount = format::sat(on_chain.amount_sat()),
                            requested = format::msat(r.request.amount_msat.unwrap_or(0))
                        )));
                    }
                    c
                }
            };
            let paid = r.paid_msat.is_some() || r.paid_on_chain();
            c = c
                .push(text(format::short_id(&r.request.text)).font(iced::Font::MONOSPACE))
                .push(
                    row![
                        button(text(self.copy_label()))
                            .on_press(Message::CopyPressed)
                            .style(theme::primary),
                        button(text(fl!("receive-another")))
                            .on_press(Message::NewRequestPressed)
                            .style(theme::secondary),
                    ]
                    .spacing(theme::space::M),
                );
            if r.request.fallback_address.is_some() && !paid {
                c = c.push(note_text(fl!("receive-unified-note")));
            }
            return card(c);
        }
        let help = match self.mode {
            Mode::Offer => fl!("receive-offer-help"),
            _ => fl!("receive-invoice-help"),
        };
        let mut expiry = row![text(fl!("receive-expiry"))]
            .spacing(theme::space::L)
            .align_y(iced::Alignment::Center);
        if self.mode == Mode::Invoice {
            for e in Expiry::ALL {
                expiry = expiry.push(radio(
                    e.label(),
                    e,
                    Some(self.expiry),
                    Message::ExpirySelected,
                ));
            }
        }
        column![
            text(help),
            text(fl!("receive-amount")),
            crate::ui::widget::input(&fl!("receive-amount-placeholder"), &self.amount)
                .id(AMOUNT_INPUT)
                .on_input(Message::AmountChanged)
                .padding(theme::space::S),
            text(fl!("receive-description")),
            crate::ui::widget::input("", &self.description)
                .id(DESCRIPTION_INPUT)
                .on_input(Message::DescriptionChanged)
                .padding(theme::space::S),
            expiry,
            button(text(match self.mode {
                Mode::Offer => fl!("receive-create-offer"),
                _ => fl!("receive-create-invoice"),
            }))
            .on_press(Message::CreatePressed)
            .padding(theme::space::M)
            .style(theme::primary),
        ]
        .spacing(theme::space::M)
        .into()
    }
}

#[cfg(test)]
mod tests;

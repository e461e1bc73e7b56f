//! Counter mode for merchants: the whole window is a keypad to type the amount, then one large
//! invoice QR, then an unmistakable PAID the moment the payment arrives (with a desktop
//! notification and a sound if wanted), then back to the keypad for the next customer.

use crate::ui::theme;
use iced::widget::{button, checkbox, column, container, qr_code, row, text, Space};
use iced::{Alignment, Element, Length};

use crate::core::lightning::channels::ChannelsOverview;
use crate::core::lightning::events::NodeEvent;
use crate::core::lightning::payments::request::ReceiveRequest;
use crate::core::lightning::payments::{check_receive, ReceiveCheck};
use crate::fl;
use crate::ui::widget::error_text;
use crate::ui::{errors, format};

/// Enough digits for any amount of bitcoin in sat, not more.
const MAX_DIGITS: usize = 16;

/// How long a counter invoice stays payable: a customer pays at the counter or not at all.
pub const COUNTER_EXPIRY_SECS: u32 = 600;

#[derive(Debug)]
pub struct Counter {
    digits: String,
    stage: Stage,
    /// Why the amount cannot be received now, with what to do.
    refusal: Option<String>,
    pub notify: bool,
    pub sound: bool,
    /// Unix seconds, as of the last tick: the code's time left is counted from it.
    now: u64,
    /// The fiat rate, when fiat is asked for in Settings and the source answers.
    rate: Option<crate::core::fiat::Rate>,
    /// The keys type cents of the fiat currency (converted to sats at the rate shown).
    in_fiat: bool,
}

#[derive(Debug)]
enum Stage {
    Keypad,
    /// The invoice was asked for.
    Creating,
    Waiting {
        request: ReceiveRequest,
        qr: qr_code::Data,
    },
    /// The code expired unpaid: it is no longer shown.
    Expired {
        request: ReceiveRequest,
    },
    Paid {
        amount_msat: u64,
    },
}

impl Default for Counter {
    fn default() -> Self {
        Counter {
            digits: String::new(),
            stage: Stage::Keypad,
            refusal: None,
            notify: true,
            sound: true,
            now: crate::core::now(),
            rate: None,
            in_fiat: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Digit(char),
    Backspace,
    Clear,
    ChargePressed,
    CancelPressed,
    NextPressed,
    NotifyToggled(bool),
    SoundToggled(bool),
    ExitPressed,
    /// Escape on the keyboard: clear the amount, or cancel the QR.
    Escape,
    /// Enter on the keyboard: charge, or go on to the next customer.
    Enter,
    /// Type the amount in the fiat currency, or in sats.
    FiatToggled,
}

/// What the wallet must do for the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    CreateInvoice {
        amount_msat: u64,
    },
    /// A payment arrived: tell the merchant beyond the window.
    Announce {
        amount_msat: u64,
        sound: bool,
    },
    Exit,
}

impl Counter {
    /// What the keys typed, in sats: at the rate shown when typing in fiat.
    fn amount_sat(&self) -> u64 {
        let typed = self.digits.parse().unwrap_or(0);
        match (&self.rate, self.in_fiat) {
            (Some(rate), true) => rate.sat_for_cents(typed),
            _ => typed,
        }
    }

    /// The fiat rate (`None`: sats only, and typing in fiat stops).
    pub fn set_rate(&mut self, rate: Option<crate::core::fiat::Rate>) {
        if rate.is_none() && self.in_fiat {
            self.in_fiat = false;
            self.digits.clear();
        }
        self.rate = rate;
    }

    /// `≈ 12.34 EUR` for `sat`, when a rate is known.
    fn in_fiat_text(&self, sat: u64) -> Option<String> {
        self.rate.as_ref().map(|r| format::about_fiat(sat, r))
    }

    pub fn update(&mut self, message: Message, channels: &ChannelsOverview) -> Option<Action> {
        match message {
            Message::Digit(d) if d.is_ascii_digit() => {
                if self.digits.len() < MAX_DIGITS && !(self.digits.is_empty() && d == '0') {
                    self.digits.push(d);
                }
                self.refusal = None;
            }
            Message::Digit(_) => {}
            Message::Backspace => {
                self.digits.pop();
                self.refusal = None;
            }
            Message::Clear => {
                self.digits.clear();
                self.refusal = None;
            }
            Message::ChargePressed => {
                let amount_msat = self.amount_sat().checked_mul(1000)?;
                if amount_msat == 0 {
                    return None;
                }
                // "Can I receive this?" before a customer is shown a QR that cannot be paid.
                self.refusal = match check_receive(channels, Some(amount_msat)) {
                    ReceiveCheck::Fine => None,
                    ReceiveCheck::NoChannels => Some(fl!("receive-no-channels")),
                    ReceiveCheck::AboveInbound { can_receive_msat } => Some(fl!(
                        "receive-above-inbound",
                        can = format::msat(can_receive_msat)
                    )),
                };
                if self.refusal.is_none() {
                    self.stage = Stage::Creating;
                    return Some(Action::CreateInvoice { amount_msat });
                }
            }
            Message::CancelPressed | Message::NextPressed => {
                self.stage = Stage::Keypad;
                self.digits.clear();
                self.refusal = None;
            }
            Message::Escape => {
                let next = match self.stage {
                    Stage::Keypad => Message::Clear,
                    _ => Message::CancelPressed,
                };
                return self.update(next, channels);
            }
            Message::Enter => {
                let next = match self.stage {
                    Stage::Keypad | Stage::Expired { .. } => Message::ChargePressed,
                    Stage::Paid { .. } => Message::NextPressed,
                    Stage::Creating | Stage::Waiting { .. } => return None,
                };
                return self.update(next, channels);
            }
            Message::FiatToggled => {
                if self.rate.is_some() {
                    self.in_fiat = !self.in_fiat;
                    self.digits.clear();
                    self.refusal = None;
                }
            }
            Message::NotifyToggled(on) => self.notify = on,
            Message::SoundToggled(on) => self.sound = on,
            Message::ExitPressed => return Some(Action::Exit),
        }
        None
    }

    /// The invoice for the typed amount was created, or not.
    pub fn invoice_made(&mut self, result: Result<ReceiveRequest, crate::core::Error>) {
        if !matches!(self.stage, Stage::Creating) {
            return;
        }
        let made = result
            .map_err(|e| errors::describe(&e))
            .and_then(|request| {
                let qr = qr_code::Data::new(request.qr_text.clone())
                    .map_err(|_| fl!("receive-qr-too-long"))?;
                Ok(Stage::Waiting { request, qr })
            });
        match made {
            Ok(stage) => self.stage = stage,
            Err(e) => {
                self.stage = Stage::Keypad;
                self.refusal = Some(e);
            }
        }
    }

    /// The clock moved on (every second while the counter shows): a code past its expiry is
    /// taken down.
    pub fn tick(&mut self, now: u64) {
        self.now = now;
        if let Stage::Waiting { request, .. } = &self.stage {
            if request.expires_at.is_some_and(|t| now >= t) {
                self.stage = Stage::Expired {
                    request: request.clone(),
                };
            }
        }
    }

    /// Turns the shown invoice into PAID when its payment arrives.
    pub fn node_event(&mut self, event: &NodeEvent) -> Option<Action> {
        let (Stage::Waiting { request, .. } | Stage::Expired { request }) = &self.stage else {
            return None;
        };
        let amount_msat = event.pays(request)?;
        self.stage = Stage::Paid { amount_msat };
        (self.notify || self.sound).then_some(Action::Announce {
            amount_msat,
            sound: self.sound,
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match &self.stage {
            Stage::Keypad | Stage::Creating => self.keypad(),
            Stage::Waiting { request, qr } => column![
                text(format::msat(request.amount_msat.unwrap_or(0))).size(theme::size::HERO),
                text(
                    self.in_fiat_text(request.amount_msat.unwrap_or(0) / 1000)
                        .unwrap_or_default()
                )
                .size(theme::size::LEAD),
                // Six pixels a module keeps an invoice's code (about 70 modules) and the
                // buttons inside the default window.
                qr_code(qr).cell_size(6),
                text(fl!("counter-waiting")).size(theme::size::HEADING),
                text(fl!(
                    "counter-expires-in",
                    left = time_left(
                        request
                            .expires_at
                            .unwrap_or(u64::MAX)
                            .saturating_sub(self.now)
                    )
                ))
                .size(theme::size::BODY),
                button(text(fl!("counter-cancel")).size(theme::size::LEAD))
                    .padding([10, 24])
                    .style(theme::secondary)
                    .on_press(Message::CancelPressed),
            ]
            .spacing(theme::space::L)
            .align_x(Alignment::Center)
            .into(),
            Stage::Expired { request } => column![
                text(fl!("counter-expired")).size(theme::size::DISPLAY),
                text(format::msat(request.amount_msat.unwrap_or(0))).size(theme::size::HERO),
                row![
                    button(text(fl!("counter-new-code")).size(theme::size::HEADING))
                        .padding([12, 28])
                        .on_press(Message::ChargePressed)
                        .style(theme::primary),
                    button(text(fl!("counter-cancel")).size(theme::size::LEAD))
                        .padding([10, 24])
                        .style(theme::secondary)
                        .on_press(Message::CancelPressed),
                ]
                .spacing(theme::space::L),
            ]
            .spacing(theme::space::XL)
            .align_x(Alignment::Center)
            .into(),
            Stage::Paid { amount_msat } => column![
                text(fl!("counter-paid"))
                    .size(96)
                    .style(|t: &iced::Theme| text::Style {
                        color: Some(t.extended_palette().success.base.color),
                    }),
                text(format::msat(*amount_msat)).size(theme::size::HERO),
                button(text(fl!("counter-next")).size(theme::size::TITLE))
                    .padding([16, 40])
                    .style(theme::success)
                    .on_press(Message::NextPressed),
            ]
            .spacing(theme::space::XL)
            .align_x(Alignment::Center)
            .into(),
        };
        let top = row![
            text(fl!("counter-title")).size(theme::size::HEADING),
            Space::new().width(Length::Fill),
            checkbox(self.notify)
                .label(fl!("counter-notify"))
                .on_toggle(Message::NotifyToggled),
            checkbox(self.sound)
                .label(fl!("counter-sound"))
                .on_toggle(Message::SoundToggled),
            button(text(fl!("counter-exit")))
                .style(theme::quiet)
                .on_press(Message::ExitPressed),
        ]
        .spacing(theme::space::XL)
        .align_y(Alignment::Center);
        column![
            container(top).padding([12, 20]),
            container(body)
                .width(Length::Fill)
                .height(Length::Fill)
                .center_x(Length::Fill)
                .center_y(Length::Fill),
        ]
        .into()
    }

    fn keypad(&self) -> Element<'_, Message> {
        let key = |label: String, msg: Message| {
            button(
                container(text(label).size(theme::size::DISPLAY))
                    .center_x(Length::Fill)
                    .center_y(Length::Fill),
            )
            .width(Length::Fixed(110.0))
            .height(Length::Fixed(80.0))
            .style(theme::secondary)
            .on_press(msg)
        };
        let digit = |d: char| key(d.to_string(), Message::Digit(d));
        let mut pad = column![]
            .spacing(theme::space::M)
            .align_x(Alignment::Center);
        for line in ["123", "456", "789"] {
            let mut r = row![].spacing(theme::space::M);
            for d in line.chars() {
                r = r.push(digit(d));
            }
            pad = pad.push(r);
        }
        pad = pad.push(
            row![
                key("C".into(), Message::Clear),
                digit('0'),
                key("⌫".into(), Message::Backspace),
            ]
            .spacing(theme::space::M),
        );
        let creating = matches!(self.stage, Stage::Creating);
        let charge = button(
            text(if creating {
                fl!("working")
            } else {
                fl!("counter-charge")
            })
            .size(theme::size::TITLE),
        )
        .padding([14, 48])
        .style(theme::success)
        .on_press_maybe((self.amount_sat() > 0 && !creating).then_some(Message::ChargePressed));
        let (big, small) = match (&self.rate, self.in_fiat) {
            (Some(rate), true) => {
                let cents: u64 = self.digits.parse().unwrap_or(0);
                (
                    format::fiat(cents, &rate.currency),
                    Some(format!("≈ {}", format::sat(self.amount_sat()))),
                )
            }
            _ => (
                format::sat(self.amount_sat()),
                self.in_fiat_text(self.amount_sat()),
            ),
        };
        let mut c = column![text(big).size(56)]
            .push(small.map(|s| text(s).size(theme::size::HEADING)))
            .push(pad)
            .push(charge)
            .spacing(theme::space::XL)
            .align_x(Alignment::Center);
        if let Some(rate) = &self.rate {
            c = c.push(
                button(text(if self.in_fiat {
                    fl!("counter-type-sat")
                } else {
                    fl!("counter-type-fiat", currency = rate.currency.clone())
                }))
                .style(theme::secondary)
                .on_press(Message::FiatToggled),
            );
        }
        if let Some(r) = &self.refusal {
            c = c.push(container(error_text(r.clone())).max_width(600));
        }
        c.into()
    }
}

/// The keypad on a keyboard: digits, Backspace, Delete or Escape (clear, or cancel a shown
/// QR), Enter (charge, or next customer).
/// "9:59" for a code's time left.
fn time_left(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

pub fn key(event: iced::keyboard::Event) -> Option<Message> {
    use iced::keyboard::{key::Named, Event, Key};
    let Event::KeyPressed { key, .. } = event else {
        return None;
    };
    match key.as_ref() {
        Key::Character(c) => {
            let mut chars = c.chars();
            match (chars.next(), chars.next()) {
                (Some(d), None) if d.is_ascii_digit() => Some(Message::Digit(d)),
                _ => None,
            }
        }
        Key::Named(Named::Backspace) => Some(Message::Backspace),
        Key::Named(Named::Delete | Named::Escape) => Some(Message::Escape),
        Key::Named(Named::Enter) => Some(Message::Enter),
        _ => None,
    }
}

#[cfg(test)]
mod tests;

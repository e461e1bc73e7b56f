//! Paying over Lightning from the Send screen: the preview of what was pasted (amount, editable
//! when the request has none; description, sanitised; payee; expiry countdown; network; the
//! routing fee cap), then the live status until it succeeded (with preimage and fee) or failed
//! (with the reason in plain words).

use crate::ui::theme;
use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::input::paste::PaymentTarget;
use crate::core::lightning::events::{FailReason, NodeEvent};
use crate::core::lightning::payments::default_max_fee_msat;
use crate::core::lightning::route::RoutePreview;
use crate::core::Network;
use crate::fl;
use crate::ui::widget::{card, error_text, field, note_text, progress, title};
use crate::ui::{errors, format};

pub const LN_AMOUNT_INPUT: &str = "ln-amount";
pub const LN_MAX_FEE_INPUT: &str = "ln-max-fee";

#[derive(Debug, Clone)]
pub struct LightningPay {
    target: PaymentTarget,
    amount: String,
    max_fee: String,
    state: PayState,
    /// `None` until looked for; then the likely route, if one is visible.
    route: Option<Option<RoutePreview>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PayState {
    Preview,
    /// Handed to LDK; waiting for the outcome of payment `id` (once known).
    InFlight {
        id: Option<String>,
    },
    Succeeded {
        fee_msat: Option<u64>,
    },
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Message {
    AmountChanged(String),
    MaxFeeChanged(String),
    PayPressed,
}

/// A checked request to pay.
#[derive(Debug, Clone)]
pub struct Payment {
    pub target: PaymentTarget,
    pub amount_msat: Option<u64>,
    pub max_fee_msat: u64,
}

impl LightningPay {
    pub fn new(target: PaymentTarget) -> Self {
        let fixed = target.preview().amount_msat;
        LightningPay {
            max_fee: fixed
                .map(|a| (default_max_fee_msat(a) / 1000).to_string())
                .unwrap_or_default(),
            target,
            amount: String::new(),
            state: PayState::Preview,
            route: None,
        }
    }

    pub fn set_route(&mut self, route: Option<RoutePreview>) {
        self.route = Some(route);
    }

    pub fn is_done(&self) -> bool {
        matches!(self.state, PayState::Succeeded { .. } | PayState::Failed(_))
    }

    /// `Ok(Some)` when the person pressed Pay with good values; `Err` with a sentence. `now`:
    /// unix seconds, for a request that expired while the preview was open.
    pub fn update(&mut self, message: Message, now: u64) -> Result<Option<Payment>, String> {
        match message {
            Message::AmountChanged(v) => self.amount = v,
            Message::MaxFeeChanged(v) => self.max_fee = v,
            Message::PayPressed => {
                if self.state != PayState::Preview {
                    return Ok(None);
                }
                // Expired since the preview: said as such, not as a route LDK cannot find.
                if self.target.preview().expires_at.is_some_and(|at| now >= at) {
                    return Err(fl!("pay-expired-before-paying"));
                }
                let amount_msat = match self.target.preview().amount_msat {
                    Some(fixed) => fixed,
                    None => crate::core::input::parse_amount_sat(&self.amount)
                        .map_err(|e| errors::describe_input(&e))?
                        .saturating_mul(1000),
                };
                let max_fee_msat = if self.max_fee.trim().is_empty() {
                    default_max_fee_msat(amount_msat)
                } else {
                    crate::core::input::parse_fee_cap_sat(&self.max_fee)
                        .map_err(|_| fl!("err-max-fee"))?
                        .saturating_mul(1000)
                };
                self.state = PayState::InFlight { id: None };
                return Ok(Some(Payment {
                    target: self.target.clone(),
                    amount_msat: Some(amount_msat),
                    max_fee_msat,
                }));
            }
        }
        Ok(None)
    }

    /// LDK took the payment (`Ok(id)`) or refused it before sending.
    pub fn started(&mut self, result: Result<String, crate::core::Error>) {
        self.state = match result {
            Ok(id) => PayState::InFlight { id: Some(id) },
            Err(e) => PayState::Failed(errors::describe(&e)),
        };
    }

    /// Follows the node's events for this payment.
    pub fn event(&mut self, event: &NodeEvent) {
        let PayState::InFlight { id: Some(ours) } = &self.state else {
            return;
        };
        match event {
            NodeEvent::PaymentSent {
                id: Some(id),
                fee_paid_msat,
            } if id == ours => {
                self.state = PayState::Succeeded {
                    fee_msat: *fee_paid_msat,
                }
            }
            NodeEvent::PaymentFailed {
                id: Some(id),
                reason,
            } if id == ours => self.state = PayState::Failed(fail_reason(*reason)),
            _ => {}
        }
    }

    /// Whether the payment is on its way (handed to LDK, no outcome yet).
    pub fn in_flight(&self) -> bool {
        matches!(self.state, PayState::InFlight { .. })
    }

    /// `floor_msat`: the smallest payment the channels carry now; below it LDK sends the floor.
    /// `spin`: the phase of the spinner shown while the payment is on its way.
    pub fn view(
        &self,
        network: Network,
        now: u64,
        floor_msat: Option<u64>,
        spin: u32,
    ) -> Element<'_, Message> {
        let p = self.target.preview();
        let kind = match &self.target {
            PaymentTarget::Bolt11 { .. } => fl!("pay-kind-bolt11"),
            PaymentTarget::Bolt12 { .. } => fl!("pay-kind-bolt12"),
            PaymentTarget::Keysend { .. } => fl!("pay-kind-keysend"),
            PaymentTarget::Onchain { .. } => fl!("pay-kind-onchain"),
        };
        let mut details = column![field(fl!("pay-kind"), kind)].spacing(theme::space::S);
        details = details.push(field(fl!("pay-network"), network.as_str().to_string()));
        if let Some(d) = p.description.as_deref().map(format::sanitize) {
            details = details.push(field(fl!("pay-description"), d));
        }
        if let Some(payee) = &p.payee {
            details = details.push(field(fl!("pay-payee"), format::short_id(payee)));
        }
        if let Some(at) = p.expires_at {
            let left = at.saturating_sub(now);
            let when = if left == 0 {
                fl!("pay-expired-now")
            } else {
                fl!(
                    "pay-expires-in",
                    minutes = (left / 60).to_string(),
                    seconds = (left % 60).to_string()
                )
            };
            details = details.push(field(fl!("pay-expires"), when));
        }
        let amount: Element<'_, Message> = match p.amount_msat {
            Some(a) => field(fl!("pay-amount"), format::msat(a)),
            None => column![
                text(fl!("pay-amount-choose")),
                crate::ui::widget::input("1000", &self.amount)
                    .id(LN_AMOUNT_INPUT)
                    .on_input(Message::AmountChanged)
                    .padding(theme::space::S),
            ]
            .spacing(theme::space::S)
            .into(),
        };
        if p.amount_msat.is_some() {
            details = details.push(field(fl!("pay-route"), self.route_text()));
        }
        let asked_msat = p.amount_msat.or_else(|| {
            crate::core::input::parse_amount_sat(&self.amount)
                .ok()
                .map(|sat| sat * 1000)
        });
        // What LDK will send beyond the amount: below the channels' smallest payment, or as
        // the route found says (a smallest payment on a channel further on).
        let extra_msat = match (asked_msat, floor_msat) {
            (Some(asked), Some(floor)) if asked < floor => floor - asked,
            _ => 0,
        }
        .max(match &self.route {
            Some(Some(r)) if p.amount_msat.is_some() => r.overpaid_msat,
            _ => 0,
        });
        let overpaid = match asked_msat {
            Some(asked) if extra_msat > 0 => Some(note_text(fl!(
                "pay-overpaid",
                sent = format::msat(asked + extra_msat),
                extra = format::msat(extra_msat)
            ))),
            _ => None,
        };
        let mut content = column![
            title(fl!("pay-title")),
            card(details),
            amount,
            text(fl!("pay-max-fee")),
            crate::ui::widget::input("10", &self.max_fee)
                .id(LN_MAX_FEE_INPUT)
                .on_input(Message::MaxFeeChanged)
                .width(Length::Fixed(200.0))
                .padding(theme::space::S),
        ]
        .spacing(theme::space::M);
        if let (Some(note), PayState::Preview) = (overpaid, &self.state) {
            content = content.push(note);
        }
        content = match &self.state {
            PayState::Preview => content.push(row![
                Space::new().width(Length::Fill),
                button(text(fl!("pay-button")))
                    .on_press(Message::PayPressed)
                    .padding(theme::space::M)
                    .style(theme::primary)
            ]),
            PayState::InFlight { .. } => {
                content.push(progress::spinner(spin, fl!("pay-in-flight")))
            }
            PayState::Succeeded { fee_msat } => content.push(note_text(fl!(
                "pay-succeeded",
                fee = fee_msat.map_or_else(|| "—".to_string(), format::msat)
            ))),
            PayState::Failed(reason) => content.push(error_text(reason.clone())),
        };
        content.into()
    }
}

impl LightningPay {
    /// "you → bob → carol · fee 1 sat · CLTV 184 blocks", or why there is none to show.
    fn route_text(&self) -> String {
        match &self.route {
            None => fl!("pay-route-reading"),
            Some(None) => fl!("pay-route-unknown"),
            Some(Some(r)) => {
                let mut path = fl!("pay-route-you");
                for hop in &r.hops {
                    let name = format::alias(hop.alias.as_deref())
                        .unwrap_or_else(|| format::short_id(&hop.node_id));
                    path.push_str(" → ");
                    path.push_str(&name);
                }
                let (fee, cltv) = (format::msat(r.fee_msat), r.cltv_total.to_string());
                if r.parts > 1 {
                    fl!(
                        "pay-route-found-split",
                        path = path,
                        parts = r.parts.to_string(),
                        fee = fee,
                        cltv = cltv
                    )
                } else {
                    fl!("pay-route-found", path = path, fee = fee, cltv = cltv)
                }
            }
        }
    }
}

pub fn fail_reason(reason: FailReason) -> String {
    match reason {
        FailReason::NoRoute => fl!("pay-failed-no-route"),
        FailReason::RecipientRejected => fl!("pay-failed-rejected"),
        FailReason::RetriesExhausted => fl!("pay-failed-retries"),
        FailReason::Expired => fl!("pay-failed-expired"),
        FailReason::Other => fl!("pay-failed-other"),
    }
}

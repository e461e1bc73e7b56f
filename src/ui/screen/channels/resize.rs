//! A channel's size changed without closing it: "Add to channel" (splice in, from the on-chain
//! wallet) and "Move on chain" (splice out, to the wallet's own address); an amount, then a
//! confirm step with what moves, the estimated fee and what the channel holds after. LDK's
//! splicing is experimental, and the card says so.

use crate::ui::theme;
use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::input::parse_amount_sat;
use crate::core::lightning::channels::{estimated_fee_sat, Channel, ChannelError, SpliceDirection};
use crate::fl;
use crate::ui::widget::{error_text, field};
use crate::ui::{errors, format};

pub const SPLICE_AMOUNT_INPUT: &str = "splice-amount";

#[derive(Debug, Default)]
pub struct ResizeForm {
    amount: String,
    /// The splice waiting for the person's yes.
    confirm: Option<Splice>,
    error: Option<String>,
}

/// A splice the person confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splice {
    pub direction: SpliceDirection,
    pub amount_sat: u64,
}

#[derive(Debug, Clone)]
pub enum Message {
    AmountChanged(String),
    InPressed,
    OutPressed,
    ConfirmPressed,
    CancelPressed,
}

impl ResizeForm {
    pub fn reset(&mut self) {
        *self = ResizeForm::default();
    }

    pub fn confirming(&self) -> bool {
        self.confirm.is_some()
    }

    /// The splice to start once the person confirmed one; problems with the amount stay in the
    /// form as a sentence. `onchain_sat`: what can be spent on chain.
    pub fn update(&mut self, message: Message, c: &Channel, onchain_sat: u64) -> Option<Splice> {
        self.error = None;
        match message {
            Message::AmountChanged(v) => self.amount = v,
            Message::InPressed | Message::OutPressed => {
                let direction = if matches!(message, Message::InPressed) {
                    SpliceDirection::In
                } else {
                    SpliceDirection::Out
                };
                match self.checked(direction, c, onchain_sat) {
                    Ok(splice) => self.confirm = Some(splice),
                    Err(sentence) => self.error = Some(sentence),
                }
            }
            Message::CancelPressed => self.confirm = None,
            Message::ConfirmPressed => return self.confirm.take(),
        }
        None
    }

    /// The amount as typed, against what each side can move (the same limits the wallet
    /// checks again; these say it before the confirm step).
    fn checked(
        &self,
        direction: SpliceDirection,
        c: &Channel,
        onchain_sat: u64,
    ) -> Result<Splice, String> {
        let amount_sat = parse_amount_sat(&self.amount).map_err(|e| errors::describe(&e.into()))?;
        let can_send_sat = c.limits.send_max_msat / 1000;
        let refused = match direction {
            SpliceDirection::Out => (amount_sat > can_send_sat)
                .then_some(ChannelError::SpliceAboveChannel { can_send_sat }),
            _ => (amount_sat > onchain_sat).then_some(ChannelError::SpliceAboveOnchain {
                spendable_sat: onchain_sat,
            }),
        };
        match refused {
            Some(e) => Err(errors::describe(&e.into())),
            None => Ok(Splice {
                direction,
                amount_sat,
            }),
        }
    }

    /// The card; `fee_rate_sat_vb`: the server's estimate, for the fee shown before.
    pub fn view<'a>(
        &'a self,
        c: &'a Channel,
        fee_rate_sat_vb: Option<u64>,
        busy: bool,
    ) -> Element<'a, Message> {
        let mut col = column![
            text(fl!("splice-title")).size(theme::size::LEAD),
            text(fl!("splice-help")).size(theme::size::SMALL),
        ]
        .spacing(theme::space::S);
        match self.confirm {
            Some(s) => col = col.push(confirm(c, s, fee_rate_sat_vb, busy)),
            None => {
                col = col.push(
                    row![
                        crate::ui::widget::input(&fl!("splice-amount"), &self.amount)
                            .id(SPLICE_AMOUNT_INPUT)
                            .on_input(Message::AmountChanged)
                            .padding(theme::space::S)
                            .width(Length::Fixed(200.0)),
                        button(text(fl!("splice-in")))
                            .on_press_maybe((!busy).then_some(Message::InPressed))
                            .style(theme::primary),
                        button(text(fl!("splice-out")))
                            .on_press_maybe((!busy).then_some(Message::OutPressed))
                            .style(theme::secondary),
                    ]
                    .spacing(theme::space::M)
                    .align_y(iced::Alignment::Center),
                );
            }
        }
        if let Some(e) = &self.error {
            col = col.push(error_text(e.clone()));
        }
        col.into()
    }
}

/// What the splice does, before anything is signed.
fn confirm<'a>(
    c: &'a Channel,
    s: Splice,
    fee_rate_sat_vb: Option<u64>,
    busy: bool,
) -> Element<'a, Message> {
    let out = s.direction == SpliceDirection::Out;
    let what = if out {
        fl!("splice-confirm-out", amount = format::sat(s.amount_sat))
    } else {
        fl!("splice-confirm-in", amount = format::sat(s.amount_sat))
    };
    let fee_sat = fee_rate_sat_vb.map(|rate| estimated_fee_sat(s.direction, rate));
    let fee = match (fee_sat, fee_rate_sat_vb) {
        (Some(fee), Some(rate)) => fl!(
            "splice-fee-about",
            fee = format::sat(fee),
            rate = rate.to_string()
        ),
        _ => fl!("splice-fee-unknown"),
    };
    // A splice out pays its fee from the channel too.
    let capacity_after = if out {
        c.capacity_sat
            .saturating_sub(s.amount_sat + fee_sat.unwrap_or(0))
    } else {
        c.capacity_sat + s.amount_sat
    };
    let who_pays = match s.direction {
        SpliceDirection::Out => fl!("splice-fee-from-channel"),
        _ => fl!("splice-fee-from-chain"),
    };
    column![
        text(what),
        field(fl!("splice-fee"), fee),
        text(who_pays).size(theme::size::SMALL),
        field(fl!("splice-capacity-after"), format::sat(capacity_after)),
        text(fl!("splice-while-confirming")).size(theme::size::SMALL),
        row![
            button(text(fl!("button-cancel")))
                .on_press(Message::CancelPressed)
                .style(theme::secondary),
            Space::new().width(Length::Fill),
            button(text(fl!("splice-confirm")))
                .on_press_maybe((!busy).then_some(Message::ConfirmPressed))
                .style(theme::primary),
        ],
    ]
    .spacing(theme::space::S)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lightning::channels::samples;

    fn typed(form: &mut ResizeForm, amount: &str, c: &Channel, pressed: Message) {
        form.update(Message::AmountChanged(amount.into()), c, 500_000);
        form.update(pressed, c, 500_000);
    }

    #[test]
    fn an_amount_is_checked_against_the_side_it_comes_from() {
        let c = samples::active();
        let mut form = ResizeForm::default();
        typed(&mut form, "", &c, Message::InPressed);
        assert_eq!(
            form.error,
            Some(errors::describe(
                &crate::core::InputError::EmptyAmount.into()
            ))
        );
        typed(&mut form, "500 001", &c, Message::InPressed);
        assert_eq!(
            form.error,
            Some(fl!(
                "err-splice-above-onchain",
                spendable = format::sat(500_000)
            ))
        );
        // The channel can send 639,000 sat: more goes nowhere, whatever is on chain.
        typed(&mut form, "639001", &c, Message::OutPressed);
        assert_eq!(
            form.error,
            Some(fl!(
                "err-splice-above-channel",
                can_send = format::sat(639_000)
            ))
        );
        assert!(!form.confirming());
    }

    #[test]
    fn a_splice_starts_only_once_confirmed() {
        let c = samples::active();
        let mut form = ResizeForm::default();
        typed(&mut form, "200,000", &c, Message::OutPressed);
        assert!(form.confirming(), "{:?}", form.error);
        assert_eq!(form.update(Message::CancelPressed, &c, 500_000), None);
        assert!(!form.confirming());
        form.update(Message::InPressed, &c, 500_000);
        assert_eq!(
            form.update(Message::ConfirmPressed, &c, 500_000),
            Some(Splice {
                direction: SpliceDirection::In,
                amount_sat: 200_000
            })
        );
        assert!(!form.confirming());
    }
}

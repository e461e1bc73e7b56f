//! Paying an on-chain address from a channel. When the on-chain wallet cannot pay an address
//! but a channel can, Send offers to pay it out of that channel (a splice out to the payee's
//! address; experimental): it names the channel, the estimated fee and what stays in the
//! channel before anything happens, and the channel stays open.

use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::input::{self, InputError, SendAmount};
use crate::core::lightning::channels::{ChannelPayout, ChannelsOverview};
use crate::core::Network;
use crate::fl;
use crate::ui::screen::send::{Action, Message};
use crate::ui::widget::{card, field, title};
use crate::ui::{errors, format, theme};

#[derive(Debug)]
pub(super) struct Payout {
    plan: ChannelPayout,
    step: Step,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Confirm,
    /// Asked of the wallet; LDK has not answered yet.
    Asking,
    /// LDK started the splice with the peer.
    Started,
}

impl Payout {
    /// A channel's offer for a send the on-chain wallet cannot pay: an exact amount to a valid
    /// address, and a channel that can send it with the splice's fee.
    pub(super) fn offer(
        channels: &ChannelsOverview,
        address: &str,
        amount: &Result<SendAmount, InputError>,
        fee_rate_sat_vb: &Result<u64, InputError>,
        network: Network,
    ) -> Option<Payout> {
        let (Ok(SendAmount::Exact { amount_sat }), Ok(rate)) = (amount, fee_rate_sat_vb) else {
            return None;
        };
        let address = input::parse_address(address, network).ok()?;
        let plan = channels.payout(&address.to_string(), *amount_sat, *rate)?;
        Some(Payout {
            plan,
            step: Step::Confirm,
        })
    }

    /// "Pay from the channel" was pressed.
    pub(super) fn confirm(&mut self) -> Option<Action> {
        (self.step == Step::Confirm).then(|| {
            self.step = Step::Asking;
            Action::PayFromChannel(self.plan.clone())
        })
    }

    /// LDK started the splice, or the wallet refused it: the sentence to show.
    pub(super) fn started(&mut self, result: Result<(), crate::core::Error>) -> Option<String> {
        match result {
            Ok(()) => {
                self.step = Step::Started;
                None
            }
            Err(e) => {
                self.step = Step::Confirm;
                Some(errors::describe(&e))
            }
        }
    }

    pub(super) fn view(&self, spendable_sat: u64) -> Element<'_, Message> {
        let p = &self.plan;
        let details = card(
            column![
                field(fl!("send-confirm-to"), p.address.clone()),
                field(fl!("send-confirm-amount"), format::sat(p.amount_sat)),
                field(
                    fl!("send-payout-channel"),
                    fl!("activity-splice-with", peer = format::short_id(&p.peer))
                ),
                field(
                    fl!("splice-fee"),
                    fl!(
                        "splice-fee-about",
                        fee = format::sat(p.estimated_fee_sat),
                        rate = p.fee_rate_sat_vb.to_string()
                    )
                ),
                field(fl!("send-payout-left"), format::sat(p.left_in_channel_sat)),
            ]
            .spacing(theme::space::S),
        );
        if self.step == Step::Started {
            return column![
                title(fl!("send-payout-started-title")),
                text(fl!("send-payout-started")),
                details,
                button(text(fl!("send-again")))
                    .on_press(Message::NewPaymentPressed)
                    .style(theme::secondary),
            ]
            .spacing(theme::space::L)
            .into();
        }
        let asking = self.step == Step::Asking;
        column![
            title(fl!("send-payout-title")),
            text(fl!(
                "send-payout-why",
                spendable = format::sat(spendable_sat)
            )),
            details,
            text(fl!("splice-fee-from-channel")).size(theme::size::SMALL),
            text(fl!("send-payout-note")).size(theme::size::SMALL),
            row![
                button(text(fl!("button-back")))
                    .on_press_maybe((!asking).then_some(Message::BackPressed))
                    .style(theme::secondary),
                Space::new().width(Length::Fill),
                button(text(if asking {
                    fl!("working")
                } else {
                    fl!("send-payout-confirm")
                }))
                .on_press_maybe((!asking).then_some(Message::PayFromChannelPressed))
                .padding(theme::space::M)
                .style(theme::primary),
            ],
        ]
        .spacing(theme::space::L)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::chain::fees::FeeChoices;
    use crate::ui::screen::send::{Action, Message, SendScreen};
    use crate::ui::testing::{click, shows};

    const SPENDABLE: u64 = 100_000;
    const REGTEST_ADDR: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

    /// Too much for the chain, not for a channel: Send offers to pay the address from the channel,
    /// says what it costs and what stays, and asks the wallet only when the person confirms.
    #[test]
    fn an_address_the_chain_cannot_pay_can_be_paid_from_a_channel() {
        let mut s = SendScreen::default();
        s.set_fee_choices(Ok(FeeChoices {
            fast_sat_vb: 12,
            normal_sat_vb: 5,
            slow_sat_vb: 2,
        }));
        for m in [
            Message::AddressChanged(REGTEST_ADDR.into()),
            Message::AmountChanged("500000".into()),
        ] {
            s.update(m, SPENDABLE, Network::Regtest);
        }
        let review = |s: &mut SendScreen| {
            let mut action = None;
            for m in click(s.view(SPENDABLE, Network::Regtest), &fl!("send-review")) {
                action = s.update(m, SPENDABLE, Network::Regtest).or(action);
            }
            action
        };
        assert_eq!(review(&mut s).map(|_| ()), None);
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("err-above-spendable", spendable = format::sat(SPENDABLE))
        ));
        // With a channel that can send 639,340 sat: 183 vB at the normal 5 sat/vB.
        s.set_channels(ChannelsOverview {
            channels: vec![crate::core::lightning::channels::samples::active()],
            height: 0,
        });
        review(&mut s);
        let view = || s.view(SPENDABLE, Network::Regtest);
        assert!(shows(view(), &fl!("send-payout-title")));
        assert!(shows(
            view(),
            &fl!("splice-fee-about", fee = format::sat(915), rate = "5")
        ));
        assert!(shows(view(), &format::sat(649_013 - 500_000 - 915)));
        let mut action = None;
        for m in click(view(), &fl!("send-payout-confirm")) {
            action = s.update(m, SPENDABLE, Network::Regtest).or(action);
        }
        let Some(Action::PayFromChannel(plan)) = action else {
            panic!("{action:?}");
        };
        assert_eq!((plan.channel.as_str(), plan.amount_sat), ("1", 500_000));
        assert_eq!(plan.address, REGTEST_ADDR);
        // Refused: the sentence, and the offer stays to try again.
        let refused = crate::core::Error::Channel(
            crate::core::lightning::channels::ChannelError::PeerCannotSplice,
        );
        s.update(
            Message::PayoutStarted(Err(refused.clone())),
            SPENDABLE,
            Network::Regtest,
        );
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &errors::describe(&refused)
        ));
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("send-payout-confirm")
        ));
        s.update(Message::PayoutStarted(Ok(())), SPENDABLE, Network::Regtest);
        assert!(shows(
            s.view(SPENDABLE, Network::Regtest),
            &fl!("send-payout-started-title")
        ));
    }
}

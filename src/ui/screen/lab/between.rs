//! Channels and payments between any two of the wallet and the lab nodes: who, to whom, how
//! many sat and how (invoice, offer, keysend). The wallet's own side goes through its screens:
//! its channel opens on Channels, its payment on Send.

use crate::ui::theme;
use iced::widget::{button, column, pick_list, row, text};
use iced::{Element, Length};

use super::{Action, LabScreen, Message, BETWEEN_PUSH_INPUT, BETWEEN_SAT_INPUT};
use crate::fl;
use crate::lab::peer::PayBy;

/// One side of a channel or payment in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    You,
    Node(String),
}

impl std::fmt::Display for Party {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Party::You => f.write_str(&fl!("lab-you-cap")),
            Party::Node(name) => f.write_str(name),
        }
    }
}

/// How a payment is asked for, as the form's list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct By(PayBy);

impl std::fmt::Display for By {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            PayBy::Invoice => fl!("lab-by-invoice"),
            PayBy::Offer => fl!("lab-by-offer"),
            PayBy::Keysend => fl!("lab-by-keysend"),
        })
    }
}

impl LabScreen {
    /// The form's amount and its two ends, when filled in right (else the reason is shown).
    pub(super) fn picked(&mut self) -> Option<(u64, Party, Party)> {
        let sat = match self
            .between
            .sat
            .trim()
            .replace(['_', ','], "")
            .parse::<u64>()
        {
            Ok(s) if s > 0 => s,
            _ => {
                self.form_error = Some(fl!("lab-between-bad"));
                return None;
            }
        };
        let (Some(from), Some(to)) = (self.between.from.clone(), self.between.to.clone()) else {
            self.form_error = Some(fl!("lab-between-pick"));
            return None;
        };
        if from == to {
            self.form_error = Some(fl!("lab-between-same"));
            return None;
        }
        Some((sat, from, to))
    }

    /// A lab node (chosen first) splices its channel with you (chosen second): `into` moves
    /// the amount from its on-chain wallet into the channel, else out to its own address.
    pub(super) fn splice_action(&mut self, into: bool) -> Option<Action> {
        let (amount_sat, from, to) = self.picked()?;
        match (from, to) {
            (Party::Node(node), Party::You) => Some(Action::NodeSplices {
                node,
                into,
                amount_sat,
            }),
            _ => {
                self.form_error = Some(fl!("lab-between-splice-pick"));
                None
            }
        }
    }

    /// What the form asks for: a channel (`open`) or a payment between the chosen two; `None`
    /// (with the reason shown) when the form is not filled in right.
    pub(super) fn between_action(&mut self, open: bool) -> Option<Action> {
        let (sat, from, to) = self.picked()?;
        let by = self.between.by;
        let push = match self.between.push.trim().replace(['_', ','], "").as_str() {
            "" => 0,
            p => match p.parse::<u64>() {
                Ok(p) if !open || p < sat => p,
                _ => {
                    self.form_error = Some(fl!("lab-between-push-bad"));
                    return None;
                }
            },
        };
        let action = match (open, from, to) {
            (true, Party::You, Party::Node(to)) => return self.open_to(&to, sat),
            (true, Party::Node(from), Party::You) => Action::OpensToWallet {
                from,
                capacity_sat: sat,
                push_sat: push,
            },
            (true, Party::Node(from), Party::Node(to)) => Action::OpenBetween {
                from,
                to,
                capacity_sat: sat,
                push_sat: push,
            },
            (false, Party::You, Party::Node(node)) => Action::RequestFrom {
                node,
                amount_sat: sat,
                by,
            },
            (false, Party::Node(from), Party::You) => Action::PayBetween {
                from,
                to: None,
                amount_sat: sat,
                by,
            },
            (false, Party::Node(from), Party::Node(to)) => Action::PayBetween {
                from,
                to: Some(to),
                amount_sat: sat,
                by,
            },
            (_, Party::You, Party::You) => return None,
        };
        Some(action)
    }

    pub(super) fn between_view(&self) -> Element<'_, Message> {
        let mut parties = vec![Party::You];
        parties.extend(
            self.nodes
                .iter()
                .filter(|n| n.online.is_some())
                .map(|n| Party::Node(n.name.clone())),
        );
        let ways = [PayBy::Invoice, PayBy::Offer, PayBy::Keysend].map(By);
        let act = |label: String, msg: Message| {
            button(text(label).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press_maybe((!self.busy).then_some(msg))
                .style(theme::primary)
        };
        column![
            text(fl!("lab-between-title")).size(theme::size::BODY),
            row![
                pick_list(
                    parties.clone(),
                    self.between.from.clone(),
                    Message::BetweenFromPicked
                )
                .placeholder(fl!("lab-between-from")),
                text("→"),
                pick_list(parties, self.between.to.clone(), Message::BetweenToPicked)
                    .placeholder(fl!("lab-between-to")),
                crate::ui::widget::input("100000", &self.between.sat)
                    .id(BETWEEN_SAT_INPUT)
                    .on_input(Message::BetweenSatChanged)
                    .width(Length::Fixed(110.0)),
                text(fl!("lab-hold-unit")),
            ]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
            row![
                text(fl!("lab-between-push")),
                crate::ui::widget::input("0", &self.between.push)
                    .id(BETWEEN_PUSH_INPUT)
                    .on_input(Message::BetweenPushChanged)
                    .width(Length::Fixed(110.0)),
                text(fl!("lab-hold-unit")),
                act(fl!("lab-between-open"), Message::OpenBetweenPressed),
            ]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
            row![
                pick_list(ways, Some(By(self.between.by)), |b| Message::PayByPicked(
                    b.0
                )),
                act(fl!("lab-between-pay"), Message::PayBetweenPressed),
            ]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
            text(fl!("lab-why-onion")).size(theme::size::SMALL),
            row![
                act(
                    fl!("lab-between-splice-in"),
                    Message::SpliceBetweenPressed(true)
                ),
                act(
                    fl!("lab-between-splice-out"),
                    Message::SpliceBetweenPressed(false)
                ),
            ]
            .spacing(theme::space::S),
            text(fl!("lab-why-splice")).size(theme::size::SMALL),
            self.swap_buttons(),
        ]
        .spacing(theme::space::S)
        .into()
    }
}

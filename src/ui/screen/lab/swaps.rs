//! Swaps between chain and Lightning with a lab node: the buttons (with the form between any
//! two, whose first pick is the lab node and whose amount is the swap's), the wallet's swaps as
//! a list, and a swap's page. The page draws the one hash both sides are locked to, the
//! Lightning side and the on-chain HTLC with its two ways out and their timeouts, so a tester
//! sees why neither side can cheat.

use iced::widget::{button, column, row, text};
use iced::{Element, Length};

use super::{Action, LabScreen, Message, Party};
use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
use crate::fl;
use crate::lab::swap::{SwapPlay, LAB_SWAP_FEE_RATE};
use crate::ui::format;
use crate::ui::theme;
use crate::ui::widget::{card, field, title};

/// What the swap controls say.
#[derive(Debug, Clone)]
pub enum SwapMessage {
    /// Swap with the lab node chosen first in the form, of the form's amount.
    Pressed(SwapPlay),
    /// Show the page of the swap with this payment hash.
    Show(String),
    Back,
}

/// The wallet's swaps as last read, and the one whose page is shown.
#[derive(Debug, Default)]
pub struct SwapsPanel {
    records: Vec<SwapRecord>,
    showing: Option<String>,
}

impl LabScreen {
    pub(super) fn swap_update(&mut self, message: SwapMessage) -> Option<Action> {
        match message {
            SwapMessage::Pressed(play) => {
                let (amount_sat, from, to) = self.picked()?;
                let (Party::Node(node), Party::You) = (from, to) else {
                    self.form_error = Some(fl!("lab-swap-pick"));
                    return None;
                };
                Some(Action::Swap {
                    node,
                    play,
                    amount_sat,
                })
            }
            SwapMessage::Show(hash) => {
                self.swaps.showing = Some(hash);
                None
            }
            SwapMessage::Back => {
                self.swaps.showing = None;
                None
            }
        }
    }

    /// The wallet's swaps as read now.
    pub fn swaps_read(&mut self, records: Vec<SwapRecord>) {
        self.swaps.records = records;
    }

    /// A swap just made: its page.
    pub(super) fn show_swap(&mut self, payment_hash: &str) {
        self.swaps.showing = Some(payment_hash.to_string());
    }

    /// The page of the swap shown, if one is.
    pub(super) fn swap_page_shown(&self, height: u32) -> Option<Element<'_, Message>> {
        let hash = self.swaps.showing.as_ref()?;
        let record = self
            .swaps
            .records
            .iter()
            .find(|r| r.payment_hash == *hash)?;
        Some(swap_page(record, height, self.busy))
    }

    /// The three swap buttons and what they show.
    pub(super) fn swap_buttons(&self) -> Element<'_, Message> {
        let act = |label: String, play: SwapPlay| {
            button(text(label).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press_maybe((!self.busy).then_some(Message::Swap(SwapMessage::Pressed(play))))
                .style(theme::primary)
        };
        column![
            row![
                act(fl!("lab-swap-to-lightning"), SwapPlay::ToLightning),
                act(fl!("lab-swap-to-chain"), SwapPlay::ToChain),
                act(fl!("lab-swap-unpaid"), SwapPlay::ToLightningUnpaid),
            ]
            .spacing(theme::space::S),
            text(fl!("lab-why-swap", rate = LAB_SWAP_FEE_RATE.to_string()))
                .size(theme::size::SMALL),
        ]
        .spacing(theme::space::S)
        .into()
    }

    /// The wallet's swaps, newest first, each with its page.
    pub(super) fn swaps_view(&self) -> Option<Element<'_, Message>> {
        if self.swaps.records.is_empty() {
            return None;
        }
        let mut c =
            column![text(fl!("lab-swaps-title")).size(theme::size::LEAD)].spacing(theme::space::S);
        for r in self.swaps.records.iter().rev() {
            let show = button(text(fl!("lab-swap-show")).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press(Message::Swap(SwapMessage::Show(r.payment_hash.clone())))
                .style(theme::primary);
            c = c.push(
                row![
                    text(format!(
                        "{} · {} · {}",
                        direction_name(r.direction),
                        format::sat(r.amount_sat),
                        state_name(&r.state)
                    ))
                    .width(Length::Fill),
                    show,
                ]
                .spacing(theme::space::M)
                .align_y(iced::Alignment::Center),
            );
        }
        Some(card(c))
    }
}

fn direction_name(d: SwapDirection) -> String {
    match d {
        SwapDirection::ToLightning => fl!("swap-to-lightning"),
        SwapDirection::ToChain => fl!("swap-to-chain"),
    }
}

fn state_name(s: &SwapState) -> String {
    match s {
        SwapState::Funding => fl!("swap-state-funding"),
        SwapState::Funded => fl!("swap-state-funded"),
        SwapState::Paid => fl!("swap-state-paid"),
        SwapState::Refunded { .. } => fl!("swap-state-refunded"),
        SwapState::Requested => fl!("swap-state-requested"),
        SwapState::Paying => fl!("swap-state-paying"),
        SwapState::Claimed { .. } => fl!("swap-state-claimed"),
        SwapState::Abandoned => fl!("swap-state-abandoned"),
    }
}

/// One swap: the shared hash, the Lightning side, the on-chain HTLC with its two ways out and
/// their timeouts, and why neither side can cheat.
pub fn swap_page(r: &SwapRecord, height: u32, busy: bool) -> Element<'_, Message> {
    let to_lightning = r.direction == SwapDirection::ToLightning;
    let amount = format::sat(r.amount_sat);
    let (yours, theirs) = (fl!("swap-key-yours"), fl!("swap-key-theirs"));
    let (claimer, funder) = if to_lightning {
        (theirs, yours)
    } else {
        (yours, theirs)
    };
    let lock = column![
        text(fl!("swap-lock-title")).size(theme::size::LEAD),
        text(r.payment_hash.clone())
            .font(iced::Font::MONOSPACE)
            .size(theme::size::SMALL),
        text(fl!("swap-lock-why")).size(theme::size::SMALL),
    ]
    .spacing(theme::space::S);
    let lightning = column![
        text(fl!("swap-lightning-title")).size(theme::size::LEAD),
        text(if to_lightning {
            fl!("swap-lightning-invoice", amount = amount.clone())
        } else {
            fl!("swap-lightning-held", amount = amount.clone())
        }),
        text(lightning_now(r)).size(theme::size::SMALL),
    ]
    .spacing(theme::space::S)
    .width(Length::FillPortion(1));
    let funding = match &r.funding_txid {
        Some(txid) => format::short_id(txid),
        None => fl!("swap-not-funded"),
    };
    let refund_when = if height >= r.refund_height {
        fl!("swap-refund-open", height = r.refund_height.to_string())
    } else {
        fl!(
            "swap-refund-at",
            height = r.refund_height.to_string(),
            blocks = (r.refund_height - height).to_string()
        )
    };
    let chain = column![
        text(fl!("swap-chain-title")).size(theme::size::LEAD),
        field(fl!("swap-htlc-address"), format::short_id(&r.htlc_address)),
        field(fl!("swap-htlc-amount"), amount),
        field(fl!("swap-htlc-funding"), funding),
        text(fl!("swap-path-claim", who = claimer)),
        text(fl!("swap-path-refund", who = funder, when = refund_when)),
    ]
    .spacing(theme::space::S)
    .width(Length::FillPortion(1));
    let why = if to_lightning {
        fl!("swap-why-to-lightning")
    } else {
        fl!("swap-why-to-chain")
    };
    let mut page = column![
        row![
            title(format!(
                "{} · {}",
                direction_name(r.direction),
                format::sat(r.amount_sat)
            ))
            .width(Length::Fill),
            button(text(fl!("lab-swap-back")))
                .padding(theme::space::M)
                .on_press(Message::Swap(SwapMessage::Back))
                .style(theme::primary),
        ]
        .align_y(iced::Alignment::Center),
        text(state_name(&r.state)).size(theme::size::LEAD),
        card(lock),
        row![card(lightning), card(chain)].spacing(theme::space::M),
        card(text(why)),
    ]
    .spacing(theme::space::L);
    // The refund's block, one press away, while the swap still waits on it.
    if r.direction == SwapDirection::ToLightning
        && r.state == SwapState::Funded
        && height < r.refund_height
    {
        let blocks = r.refund_height - height;
        page = page.push(
            button(text(fl!(
                "lab-mine-to",
                height = r.refund_height.to_string(),
                blocks = blocks.to_string()
            )))
            .padding(theme::space::M)
            .on_press_maybe((!busy).then_some(Message::MineToPressed {
                height: r.refund_height,
                blocks,
            }))
            .style(theme::primary),
        );
    }
    page.into()
}

/// Where the Lightning side stands, in a sentence.
fn lightning_now(r: &SwapRecord) -> String {
    match &r.state {
        SwapState::Funding | SwapState::Funded => fl!("swap-lightning-waiting"),
        SwapState::Paid => fl!("swap-lightning-paid"),
        SwapState::Refunded { .. } => fl!("swap-lightning-never"),
        SwapState::Requested => fl!("swap-lightning-not-yet"),
        SwapState::Paying => fl!("swap-lightning-holding"),
        SwapState::Claimed { .. } => fl!("swap-lightning-settles"),
        SwapState::Abandoned => fl!("swap-lightning-failed"),
    }
}

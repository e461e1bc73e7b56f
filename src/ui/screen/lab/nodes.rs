//! The Lab's network of lab nodes: a card per node with its channels, what it can do with the
//! wallet, and the faults it can stage, each with the mechanism it shows.

use iced::widget::{button, column, row, text, text_input, Space};
use iced::{Element, Length};

use super::{Done, Lab, Message, HOLD_SAT_INPUT};
use crate::fl;
use crate::lab::node::KeptState;
use crate::lab::{Counterparty, Fault, FaultDone, NodeChannel, NodeSummary};
use crate::ui::format;
use crate::ui::widget::card;

impl Lab {
    pub(super) fn nodes_view(&self) -> Element<'_, Message> {
        let add = button(text(fl!("lab-add-node")))
            .padding(10)
            .on_press_maybe((!self.busy).then_some(Message::AddNodePressed));
        let mut c = column![
            row![
                text(fl!("lab-nodes-title")).size(20),
                Space::new().width(Length::Fill),
                add
            ]
            .align_y(iced::Alignment::Center),
            text(fl!("lab-nodes-help")).size(13),
        ]
        .spacing(12);
        if self.nodes.is_empty() {
            c = c.push(text(fl!("lab-nodes-none")));
        }
        if self.acting_on.is_none() && matches!(self.result, Some(Ok(Done::NodeAdded(_)))) {
            c = c.push(self.status());
        }
        for n in &self.nodes {
            c = c.push(card(self.node_card(n)));
        }
        c.into()
    }

    fn node_card<'a>(&'a self, n: &'a NodeSummary) -> Element<'a, Message> {
        let act = |label: String, msg: Message, enabled: bool| {
            button(text(label).size(14))
                .padding([6, 10])
                .on_press_maybe((enabled && !self.busy).then_some(msg))
        };
        let name = n.name.clone();
        let fault = |f: Fault| Message::FaultPressed(name.clone(), f);
        let mut c = column![].spacing(8);
        let Some(online) = &n.online else {
            c = c.push(text(fl!("lab-node-offline", name = name.clone())).size(18));
            c = c.push(text(fl!("lab-why-offline", name = name.clone())).size(13));
            c = c.push(act(fl!("lab-come-back"), fault(Fault::ComeBack), true));
            return self.with_status(c, n).into();
        };
        c = c.push(
            text(fl!(
                "lab-node-online",
                name = name.clone(),
                onchain = format::sat(online.onchain_sat)
            ))
            .size(18),
        );
        c = c.push(
            text(online.uri.clone())
                .font(iced::Font::MONOSPACE)
                .size(12),
        );
        let with_wallet: Vec<&NodeChannel> = online
            .channels
            .iter()
            .filter(|ch| ch.counterparty == Counterparty::Wallet)
            .collect();
        for ch in &online.channels {
            c = c.push(text(channel_line(&name, ch)).size(14));
        }
        if online.channels.is_empty() {
            c = c.push(text(fl!("lab-node-no-channels")).size(14));
        }
        c = c.push(
            row![
                act(
                    fl!("lab-open-to", name = name.clone()),
                    Message::OpenToPressed(name.clone()),
                    true
                ),
                act(
                    fl!("lab-opens-to-you", name = name.clone()),
                    Message::OpensToWalletPressed(name.clone()),
                    true
                ),
            ]
            .spacing(8),
        );
        let has_channel = !with_wallet.is_empty();
        c = c.push(text(fl!("lab-faults")).size(14));
        c = c.push(
            row![
                act(fl!("lab-go-offline"), fault(Fault::GoOffline), true),
                act(
                    fl!("lab-force-close"),
                    fault(Fault::ForceClose),
                    has_channel
                ),
                act(fl!("lab-keep-state"), fault(Fault::KeepState), has_channel),
                act(
                    fl!("lab-breach"),
                    fault(Fault::Breach),
                    has_channel && n.kept.is_some()
                ),
            ]
            .spacing(8),
        );
        c = c.push(
            row![
                text_input("20000", &self.hold_sat)
                    .id(HOLD_SAT_INPUT)
                    .on_input(Message::HoldSatChanged)
                    .width(Length::Fixed(100.0)),
                text(fl!("lab-hold-unit")),
                act(
                    fl!("lab-hold"),
                    Message::HoldPressed(name.clone()),
                    has_channel
                ),
            ]
            .spacing(8)
            .align_y(iced::Alignment::Center),
        );
        c = c.push(text(fl!("lab-why-faults", name = name.clone())).size(13));
        if let Some(kept) = &n.kept {
            c = c.push(text(kept_line(&name, kept, &with_wallet)).size(13));
        }
        if let Some((holder, invoice)) = &self.holding {
            if holder == &n.name {
                c = c.push(text(fl!("lab-holding", name = name.clone())).size(14));
                c = c.push(text(invoice.clone()).font(iced::Font::MONOSPACE).size(11));
                c = c.push(act(fl!("lab-pay-held"), Message::PayHeldPressed, true));
                c = c.push(text(fl!("lab-why-hold", name = name.clone())).size(13));
            }
        }
        self.with_status(c, n).into()
    }

    /// The card of the node the last action was about carries its outcome.
    fn with_status<'a>(
        &self,
        c: iced::widget::Column<'a, Message>,
        n: &NodeSummary,
    ) -> iced::widget::Column<'a, Message> {
        if self.acting_on.as_deref() == Some(n.name.as_str()) {
            c.push(self.status())
        } else {
            c
        }
    }
}

/// Who is at the far end of a lab node's channel, in words.
fn counterparty(c: &Counterparty) -> String {
    match c {
        Counterparty::Wallet => fl!("lab-you"),
        Counterparty::Node(name) => name.clone(),
        Counterparty::Outside(id) => format::short_id(id),
    }
}

fn channel_line(name: &str, ch: &NodeChannel) -> String {
    let state = if ch.usable {
        fl!("lab-channel-active")
    } else if ch.ready {
        fl!("lab-channel-disconnected")
    } else {
        fl!("lab-channel-pending")
    };
    fl!(
        "lab-node-channel",
        name = name.to_string(),
        other = counterparty(&ch.counterparty),
        amount = format::sat(ch.node_sat),
        capacity = format::sat(ch.capacity_sat),
        state = state
    )
}

/// The kept state against today's: what a breach would try to take back.
fn kept_line(name: &str, kept: &KeptState, now: &[&NodeChannel]) -> String {
    let then: u64 = kept.channels.iter().map(|c| c.node_sat).sum();
    let current: u64 = now
        .iter()
        .filter(|c| kept.channels.iter().any(|k| k.channel_id == c.channel_id))
        .map(|c| c.node_sat)
        .sum();
    fl!(
        "lab-kept",
        name = name.to_string(),
        when = format::datetime(kept.taken_at),
        then = format::sat(then),
        now = format::sat(current)
    )
}

/// What a finished action did, in a sentence tied to its mechanism.
pub(super) fn done_sentence(done: &Done) -> String {
    match done {
        Done::Mined(height) => fl!("lab-mined", height = height),
        Done::NodeAdded(name) => fl!("lab-node-added", name = name.clone()),
        Done::Opened(name) => fl!("lab-opened-to-you", name = name.clone()),
        Done::Fault(name, f) => {
            let name = name.clone();
            match f {
                FaultDone::Offline => fl!("lab-went-offline", name = name),
                FaultDone::Online => fl!("lab-came-back", name = name),
                FaultDone::ForceClosed(_) => fl!("lab-force-closed", name = name),
                FaultDone::Kept(_) => fl!("lab-kept-done", name = name),
                FaultDone::Breached(_) => fl!("lab-breached", name = name),
                FaultDone::Holding { .. } => fl!("lab-holding", name = name),
            }
        }
    }
}

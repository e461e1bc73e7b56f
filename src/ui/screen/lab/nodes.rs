//! The Lab's network of lab nodes: a card per node with its channels, what it can do with the
//! wallet, and the faults it can stage, each with the mechanism it shows.

use crate::ui::theme;
use iced::widget::{button, canvas, column, row, text, Space};
use iced::{Element, Length};

use super::{Done, LabScreen, Message, Request, HOLD_SAT_INPUT};
use crate::core::lightning::channels::ChannelsOverview;
use crate::fl;
use crate::lab::network::Preset;
use crate::lab::node::KeptState;
use crate::lab::swap::SwapPlay;
use crate::lab::{Counterparty, Fault, FaultDone, NodeChannel, NodeSummary};
use crate::ui::format;
use crate::ui::screen::channels::explain::claim;
use crate::ui::widget::card;
use crate::ui::widget::lab_map::LabMap;

/// The network map's height.
const MAP_HEIGHT: f32 = 250.0;

impl LabScreen {
    /// The network: the presets, its map, and the claims coming back from closing channels
    /// with lab nodes.
    pub(super) fn network_view<'a>(
        &'a self,
        wallet: &'a ChannelsOverview,
        height: u32,
    ) -> Element<'a, Message> {
        let act = |label: String, msg: Message| {
            button(text(label).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press_maybe((!self.busy).then_some(msg))
                .style(theme::primary)
        };
        let map = canvas(LabMap {
            nodes: &self.nodes,
            wallet,
            you: fl!("lab-you-cap"),
            offline: Box::new(|name: &str| fl!("lab-map-offline", name = name.to_string())),
        })
        .width(Length::Fill)
        .height(Length::Fixed(MAP_HEIGHT));
        let mut c = column![
            row![
                text(fl!("lab-nodes-title")).size(theme::size::HEADING),
                Space::new().width(Length::Fill),
                act(fl!("lab-add-node"), Message::AddNodePressed),
                act(
                    fl!("lab-preset-line"),
                    Message::PresetPressed(Preset::LineOfThree)
                ),
                act(
                    fl!("lab-preset-diamond"),
                    Message::PresetPressed(Preset::Diamond)
                ),
            ]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
            text(fl!("lab-nodes-help")).size(theme::size::SMALL),
            card(
                column![map, text(fl!("lab-map-help")).size(theme::size::SMALL)]
                    .spacing(theme::space::S)
            ),
        ]
        .spacing(theme::space::M);
        if self.nodes.is_empty() {
            c = c.push(text(fl!("lab-nodes-none")));
        }
        if let Some(claims) = claims_view(&self.nodes, wallet, height) {
            c = c.push(card(claims));
        }
        c.into()
    }

    /// What to do with the network: the form between any two, scenarios, a request to pay,
    /// then a card per node with its faults.
    pub(super) fn nodes_view(&self) -> Element<'_, Message> {
        let mut c = column![card(self.between_view())].spacing(theme::space::M);
        if let Some(swaps) = self.swaps_view() {
            c = c.push(swaps);
        }
        c = c.push(card(self.scenario_view()));
        if self.acting_on.is_none() && !self.chain_action {
            c = c.push(self.status());
        }
        if let Some(e) = &self.form_error {
            c = c.push(crate::ui::widget::error_text(e.clone()));
        }
        if let Some(r) = &self.request {
            c = c.push(card(request_view(r, self.busy)));
        }
        for n in &self.nodes {
            c = c.push(card(self.node_card(n)));
        }
        c.into()
    }

    fn node_card<'a>(&'a self, n: &'a NodeSummary) -> Element<'a, Message> {
        let act = |label: String, msg: Message, enabled: bool| {
            button(text(label).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press_maybe((enabled && !self.busy).then_some(msg))
                .style(theme::primary)
        };
        let name = n.name.clone();
        let fault = |f: Fault| Message::FaultPressed(name.clone(), f);
        let mut c = column![].spacing(theme::space::S);
        let Some(online) = &n.online else {
            c = c.push(text(fl!("lab-node-offline", name = name.clone())).size(theme::size::LEAD));
            c = c.push(text(fl!("lab-why-offline", name = name.clone())).size(theme::size::SMALL));
            c = c.push(act(fl!("lab-come-back"), fault(Fault::ComeBack), true));
            return self.with_status(c, n).into();
        };
        c = c.push(
            text(fl!(
                "lab-node-online",
                name = name.clone(),
                onchain = format::sat(online.onchain_sat)
            ))
            .size(theme::size::LEAD),
        );
        c = c.push(
            text(online.uri.clone())
                .font(iced::Font::MONOSPACE)
                .size(theme::size::CAPTION),
        );
        let with_wallet: Vec<&NodeChannel> = online
            .channels
            .iter()
            .filter(|ch| ch.counterparty == Counterparty::Wallet)
            .collect();
        for ch in &online.channels {
            c = c.push(text(channel_line(&name, ch)).size(theme::size::LABEL));
        }
        if online.channels.is_empty() {
            c = c.push(text(fl!("lab-node-no-channels")).size(theme::size::LABEL));
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
                act(
                    fl!("lab-fund-node", name = name.clone()),
                    Message::FundNodePressed(name.clone()),
                    true
                ),
            ]
            .spacing(theme::space::S),
        );
        let has_channel = !with_wallet.is_empty();
        c = c.push(text(fl!("lab-faults")).size(theme::size::LABEL));
        c = c.push(
            row![
                act(fl!("lab-go-offline"), fault(Fault::GoOffline), true),
                act(
                    fl!("lab-remove-node"),
                    Message::RemoveNodePressed(name.clone()),
                    online.channels.is_empty()
                ),
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
            .spacing(theme::space::S),
        );
        c = c.push(
            row![
                crate::ui::widget::input("20000", &self.hold_sat)
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
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center),
        );
        c = c.push(text(fl!("lab-why-faults", name = name.clone())).size(theme::size::SMALL));
        if let Some(kept) = &n.kept {
            c = c.push(text(kept_line(&name, kept, &with_wallet)).size(theme::size::SMALL));
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

/// The request a lab node made for the wallet to pay, with the way to Send.
fn request_view(r: &Request, busy: bool) -> Element<'_, Message> {
    let name = r.node.clone();
    let mut c = column![
        text(if r.held {
            fl!("lab-holding", name = name.clone())
        } else {
            fl!("lab-requested", name = name.clone())
        })
        .size(theme::size::LABEL),
        text(r.text.clone())
            .font(iced::Font::MONOSPACE)
            .size(theme::size::CAPTION),
        button(text(fl!("lab-pay-held")).size(theme::size::LABEL))
            .padding([6, 10])
            .on_press_maybe((!busy).then_some(Message::PayRequestPressed))
            .style(theme::primary),
    ]
    .spacing(theme::space::S);
    if r.held {
        c = c.push(text(fl!("lab-why-hold", name = name)).size(theme::size::SMALL));
    }
    c.into()
}

/// The claim timelines of the wallet's closing channels with lab nodes: where a force close's,
/// an HTLC timeout's or a penalty's money is on its way back. `None` when nothing is.
fn claims_view<'a>(
    nodes: &[NodeSummary],
    wallet: &'a ChannelsOverview,
    height: u32,
) -> Option<Element<'a, Message>> {
    let mut c =
        column![text(fl!("lab-claims-title")).size(theme::size::BODY)].spacing(theme::space::S);
    let mut any = false;
    for ch in wallet.channels.iter().filter(|ch| !ch.claims.is_empty()) {
        let peer = nodes
            .iter()
            .find(|n| n.node_id == ch.peer)
            .map_or_else(|| format::short_id(&ch.peer), |n| n.name.clone());
        c = c.push(text(fl!("lab-claims-channel", peer = peer)).size(theme::size::LABEL));
        // A penalty first: it is what the Lab stages.
        let mut steps: Vec<_> = ch.claims.iter().collect();
        steps.sort_by_key(|s| s.kind != crate::core::lightning::channels::ClaimKind::PenaltyClaim);
        for step in steps {
            c = c.push(text(claim(step, height)).size(theme::size::SMALL));
        }
        any = true;
    }
    any.then(|| c.into())
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
        Done::NodeRemoved(name) => fl!("lab-node-removed", name = name.clone()),
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
        Done::Built(p) => match p {
            Preset::LineOfThree => fl!("lab-built-line"),
            Preset::Diamond => fl!("lab-built-diamond"),
        },
        Done::OpenedBetween { from, to } => {
            fl!("lab-opened-between", from = from.clone(), to = to.clone())
        }
        Done::Spliced { node, into: true } => fl!("lab-spliced-in", name = node.clone()),
        Done::Spliced { node, into: false } => fl!("lab-spliced-out", name = node.clone()),
        Done::Swapped { node, play, .. } => match play {
            SwapPlay::ToLightning => fl!("lab-swapped-to-lightning", name = node.clone()),
            SwapPlay::ToLightningUnpaid => fl!("lab-swapped-unpaid", name = node.clone()),
            SwapPlay::ToChain => fl!("lab-swapped-to-chain", name = node.clone()),
        },
        Done::PaidBetween { from, to } => {
            fl!("lab-paid-between", from = from.clone(), to = to.clone())
        }
        Done::Requested(r) => fl!("lab-requested", name = r.node.clone()),
        Done::ScenarioPassed { name, steps } => fl!(
            "lab-scenario-passed",
            name = name.clone(),
            steps = steps.to_string()
        ),
        Done::ScenarioSaved(path) => fl!("lab-scenario-saved", path = path.clone()),
        Done::Cancelled => String::new(),
    }
}

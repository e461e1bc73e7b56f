//! The Lab panel, for testers on the local chain: mine blocks (1, 6, 101, any number, to a
//! timelock of the wallet's channels, or one every few seconds), fund the wallet, and run a
//! network of lab nodes: open channels with them both ways and make them misbehave (offline,
//! force close, hold a payment, breach). Each control says in a sentence which mechanism it lets
//! you watch.

use crate::ui::theme;
use std::time::Duration;

use iced::widget::{button, checkbox, column, row, text};
use iced::{Element, Length};

use crate::core::lightning::channels::ChannelsOverview;
use crate::fl;
use crate::lab::network::Preset;
use crate::lab::peer::PayBy;
use crate::lab::{Fault, FaultDone, NodeSummary};
use crate::ui::format;
use crate::ui::widget::{card, error_text, note_text, title};

pub const BLOCKS_INPUT: &str = "lab-blocks";
pub const AUTO_SECS_INPUT: &str = "lab-auto-secs";
pub const HOLD_SAT_INPUT: &str = "lab-hold-sat";
pub const BETWEEN_SAT_INPUT: &str = "lab-between-sat";
pub const BETWEEN_PUSH_INPUT: &str = "lab-between-push";

mod between;
mod nodes;
mod record;
mod swaps;
mod timelocks;

use crate::lab::node::LAB_CHANNEL_SAT;
pub use between::Party;
pub use swaps::SwapMessage;

/// The most blocks one press mines (a day is 144).
const MAX_BLOCKS: u32 = 1_000;
/// The slowest automatic mining (an hour between blocks).
const MAX_AUTO_SECS: u64 = 3_600;

#[derive(Debug)]
pub struct LabScreen {
    busy: bool,
    result: Option<Result<Done, String>>,
    blocks: String,
    auto_secs: String,
    /// Mining a block this often, when on.
    auto: Option<Duration>,
    /// Why the typed number of blocks or seconds is refused.
    input_error: Option<String>,
    /// Why the node forms' input (a held payment's amount, the form between any two) is
    /// refused.
    form_error: Option<String>,
    /// The lab nodes as last read.
    nodes: Vec<NodeSummary>,
    /// The amount of the next held payment.
    hold_sat: String,
    /// The last request made for the wallet to pay on Send: its payee, its text, and whether
    /// the payee holds it.
    request: Option<Request>,
    /// The form for channels and payments between any two: who, to whom, how many sat, how.
    between: Between,
    /// The lab node the running or last action is about (its card shows the outcome).
    acting_on: Option<String>,
    /// The running or last action was on the chain (mining, funding): its outcome shows there.
    chain_action: bool,
    /// The steps done in this panel so far, for "Save as scenario".
    recorded: Vec<crate::lab::scenario::Step>,
    /// The step of the running action, kept if it succeeds.
    pending_step: Option<crate::lab::scenario::Step>,
    /// How many blocks the running "mine to" mines.
    blocks_to: Option<u32>,
    swaps: swaps::SwapsPanel,
}

impl Default for LabScreen {
    fn default() -> Self {
        LabScreen {
            busy: false,
            result: None,
            blocks: "10".into(),
            auto_secs: "10".into(),
            auto: None,
            input_error: None,
            form_error: None,
            nodes: Vec::new(),
            hold_sat: "20000".into(),
            request: None,
            between: Between::default(),
            acting_on: None,
            chain_action: false,
            recorded: Vec::new(),
            pending_step: None,
            blocks_to: None,
            swaps: swaps::SwapsPanel::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    MinePressed(u32),
    BlocksChanged(String),
    MineBlocksPressed,
    /// Mine until the chain reaches this height (a timelock's).
    MineToPressed {
        height: u32,
        blocks: u32,
    },
    AutoToggled(bool),
    AutoSecsChanged(String),
    /// Time for the next automatic block.
    AutoMineDue,
    FundPressed,
    AddNodePressed,
    /// Go to the channel form, prefilled with this lab node.
    OpenToPressed(String),
    /// Ask this lab node to open a channel to the wallet.
    OpensToWalletPressed(String),
    FaultPressed(String, Fault),
    HoldSatChanged(String),
    /// Make a hold invoice on this lab node, of the typed amount.
    HoldPressed(String),
    /// Take the request made for the wallet to Send.
    PayRequestPressed,
    PresetPressed(Preset),
    BetweenFromPicked(Party),
    BetweenToPicked(Party),
    BetweenSatChanged(String),
    PayByPicked(PayBy),
    BetweenPushChanged(String),
    OpenBetweenPressed,
    PayBetweenPressed,
    /// The lab node chosen first splices its channel with the wallet: in (`true`) or out.
    SpliceBetweenPressed(bool),
    /// A mature coinbase to this lab node.
    FundNodePressed(String),
    RemoveNodePressed(String),
    RunScenarioPressed,
    SaveScenarioPressed,
    Swap(SwapMessage),
}

/// A request for the wallet to pay on Send, made by a lab node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub node: String,
    pub text: String,
    pub held: bool,
}

/// The form for channels and payments between any two of the wallet and the lab nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Between {
    pub from: Option<Party>,
    pub to: Option<Party>,
    pub sat: String,
    /// What a channel's opener gives the far end at once.
    pub push: String,
    pub by: PayBy,
}

impl Default for Between {
    fn default() -> Self {
        Between {
            from: None,
            to: None,
            sat: "100000".into(),
            push: "0".into(),
            by: PayBy::Invoice,
        }
    }
}

/// What the Lab panel asks its parent to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Mine(u32),
    /// Mine until the chain reaches this height.
    MineTo(u32),
    Fund,
    AddNode,
    /// Show the channel form, prefilled with this node address (`pubkey@host:port`) and
    /// capacity.
    OpenTo {
        uri: String,
        capacity_sat: u64,
    },
    /// Lab node `from` opens a channel of `capacity_sat` to this wallet, pushing `push_sat`.
    OpensToWallet {
        from: String,
        capacity_sat: u64,
        push_sat: u64,
    },
    /// A mature coinbase to lab node `name`.
    FundNode(String),
    /// Stop lab node `name` and delete its folder.
    RemoveNode(String),
    Fault(String, Fault),
    /// Show Send with this request filled in.
    Pay(String),
    Build(Preset),
    /// Lab node `from` opens an announced channel to lab node `to`.
    OpenBetween {
        from: String,
        to: String,
        capacity_sat: u64,
        push_sat: u64,
    },
    /// Lab node `node` splices its channel with the wallet: `amount_sat` in from its on-chain
    /// wallet (`into`), or out to its own address.
    NodeSplices {
        node: String,
        into: bool,
        amount_sat: u64,
    },
    /// A whole swap between the wallet and lab node `node` (see `lab::swap`).
    Swap {
        node: String,
        play: crate::lab::swap::SwapPlay,
        amount_sat: u64,
    },
    /// Lab node `from` pays `to` (the wallet, when `None`).
    PayBetween {
        from: String,
        to: Option<String>,
        amount_sat: u64,
        by: PayBy,
    },
    /// Lab node `node` makes a request for the wallet to pay.
    RequestFrom {
        node: String,
        amount_sat: u64,
        by: PayBy,
    },
    /// Choose a scenario file and run it here.
    RunScenario,
    /// Choose where to save this scenario (TOML), and save it.
    SaveScenario(String),
}

/// What a finished lab action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Mined(u64),
    NodeAdded(String),
    NodeRemoved(String),
    /// The lab node (by name) opened a channel to the wallet.
    Opened(String),
    Fault(String, FaultDone),
    Built(Preset),
    /// A channel between lab nodes (or from one to the wallet) is opening.
    OpenedBetween {
        from: String,
        to: String,
    },
    /// A lab node started a splice of its channel with the wallet (`into`: coins in).
    Spliced {
        node: String,
        into: bool,
    },
    /// A swap with a lab node went as played; its payment hash.
    Swapped {
        node: String,
        play: crate::lab::swap::SwapPlay,
        payment_hash: String,
    },
    /// A lab node's payment arrived.
    PaidBetween {
        from: String,
        to: String,
    },
    /// A request for the wallet to pay.
    Requested(Request),
    /// A scenario ran to its end: its name and number of steps.
    ScenarioPassed {
        name: String,
        steps: usize,
    },
    /// The recorded scenario was saved here.
    ScenarioSaved(String),
    /// The person closed a file chooser.
    Cancelled,
}

impl LabScreen {
    pub fn update(&mut self, message: Message) -> Option<Action> {
        let action = match message {
            Message::BlocksChanged(v) => {
                self.blocks = v;
                self.input_error = None;
                return None;
            }
            Message::AutoSecsChanged(v) => {
                self.auto_secs = v;
                self.input_error = None;
                return None;
            }
            Message::AutoToggled(false) => {
                self.auto = None;
                return None;
            }
            Message::AutoToggled(true) => {
                match self.auto_secs.trim().parse::<u64>() {
                    Ok(s) if (1..=MAX_AUTO_SECS).contains(&s) => {
                        self.auto = Some(Duration::from_secs(s));
                        self.input_error = None;
                    }
                    _ => {
                        self.input_error = Some(fl!(
                            "lab-auto-bad",
                            max = format::group_digits(MAX_AUTO_SECS)
                        ))
                    }
                }
                return None;
            }
            Message::MineBlocksPressed => match self.blocks.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_BLOCKS).contains(&n) => Action::Mine(n),
                _ => {
                    self.input_error = Some(fl!(
                        "lab-blocks-bad",
                        max = format::group_digits(u64::from(MAX_BLOCKS))
                    ));
                    return None;
                }
            },
            // A block still on its way (a slow electrs) is not stacked with another.
            Message::AutoMineDue if self.busy => return None,
            Message::AutoMineDue => Action::Mine(1),
            Message::MinePressed(n) => Action::Mine(n),
            Message::MineToPressed { height, blocks } => {
                self.blocks_to = Some(blocks);
                Action::MineTo(height)
            }
            Message::FundPressed => Action::Fund,
            Message::AddNodePressed => Action::AddNode,
            Message::OpenToPressed(name) => return self.open_to(&name, LAB_CHANNEL_SAT),
            Message::OpensToWalletPressed(name) => Action::OpensToWallet {
                from: name,
                capacity_sat: LAB_CHANNEL_SAT,
                push_sat: 0,
            },
            Message::FundNodePressed(name) => Action::FundNode(name),
            Message::RemoveNodePressed(name) => Action::RemoveNode(name),
            Message::BetweenPushChanged(v) => {
                self.between.push = v;
                self.form_error = None;
                return None;
            }
            Message::FaultPressed(name, fault) => Action::Fault(name, fault),
            Message::HoldSatChanged(v) => {
                self.hold_sat = v;
                self.form_error = None;
                return None;
            }
            Message::HoldPressed(name) => match self.hold_sat.trim().parse::<u64>() {
                Ok(sat) if sat > 0 => Action::Fault(name, Fault::Hold { amount_sat: sat }),
                _ => {
                    self.form_error = Some(fl!("lab-hold-bad"));
                    return None;
                }
            },
            Message::PayRequestPressed => {
                return self.request.as_ref().map(|r| Action::Pay(r.text.clone()))
            }
            Message::PresetPressed(p) => Action::Build(p),
            Message::BetweenFromPicked(v) => {
                self.between.from = Some(v);
                return None;
            }
            Message::BetweenToPicked(v) => {
                self.between.to = Some(v);
                return None;
            }
            Message::BetweenSatChanged(v) => {
                self.between.sat = v;
                self.form_error = None;
                return None;
            }
            Message::PayByPicked(by) => {
                self.between.by = by;
                return None;
            }
            Message::OpenBetweenPressed => match self.between_action(true)? {
                // The wallet's own channel: its form on Channels, nothing runs here.
                open @ Action::OpenTo { .. } => return Some(open),
                action => action,
            },
            Message::PayBetweenPressed => self.between_action(false)?,
            Message::SpliceBetweenPressed(into) => self.splice_action(into)?,
            Message::Swap(m) => self.swap_update(m)?,
            Message::RunScenarioPressed => Action::RunScenario,
            Message::SaveScenarioPressed => match self.recorded().to_toml() {
                Ok(text) => Action::SaveScenario(text),
                Err(e) => {
                    self.result = Some(Err(e.to_string()));
                    return None;
                }
            },
        };
        self.busy = true;
        self.result = None;
        self.pending_step = Self::step_of(&action, self.blocks_to.take());
        self.chain_action = matches!(action, Action::Mine(_) | Action::MineTo(_) | Action::Fund);
        self.acting_on = match &action {
            Action::OpensToWallet { from: name, .. }
            | Action::Fault(name, _)
            | Action::FundNode(name) => Some(name.clone()),
            _ => None,
        };
        Some(action)
    }

    pub fn finished(&mut self, result: Result<Done, String>) {
        self.busy = false;
        if let Ok(
            Done::OpenedBetween { .. }
            | Done::PaidBetween { .. }
            | Done::Spliced { .. }
            | Done::Swapped { .. }
            | Done::Built(_),
        ) = &result
        {
            self.acting_on = None;
        }
        match &result {
            Ok(done) => self.record(done),
            Err(_) => self.pending_step = None,
        }
        match &result {
            Ok(Done::Fault(name, FaultDone::Holding { invoice })) => {
                self.request = Some(Request {
                    node: name.clone(),
                    text: invoice.clone(),
                    held: true,
                })
            }
            Ok(Done::Requested(r)) => self.request = Some(r.clone()),
            Ok(Done::Swapped { payment_hash, .. }) => self.show_swap(payment_hash),
            _ => {}
        }
        self.result = Some(result);
    }

    /// "Working…" while an action runs, then what it did or why it failed.
    fn status<'a>(&self) -> Element<'a, Message> {
        match &self.result {
            _ if self.busy => text(fl!("working")).into(),
            Some(Ok(done)) => note_text(nodes::done_sentence(done)),
            Some(Err(e)) => error_text(e.clone()),
            None => column![].into(),
        }
    }

    /// The lab nodes as read now.
    pub fn nodes_read(&mut self, nodes: Vec<NodeSummary>) {
        self.nodes = nodes;
    }

    fn node(&self, name: &str) -> Option<&NodeSummary> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// The channel form, prefilled with lab node `name` (when it runs).
    fn open_to(&self, name: &str, capacity_sat: u64) -> Option<Action> {
        let uri = self.node(name).and_then(|n| n.online.as_ref())?.uri.clone();
        Some(Action::OpenTo { uri, capacity_sat })
    }

    /// How often a block is mined on its own, when the tester turned that on.
    pub fn auto_mining(&self) -> Option<Duration> {
        self.auto
    }

    /// `timelocks`: those of the wallet's channels not reached at `height`, nearest first.
    pub fn view<'a>(
        &'a self,
        electrum_url: Option<String>,
        wallet: &'a ChannelsOverview,
        height: u32,
    ) -> Element<'a, Message> {
        let timelocks = wallet.timelocks();
        let Some(url) = electrum_url else {
            let why = if crate::ui::errors::started_from_terminal() {
                fl!("lab-not-running")
            } else {
                fl!("lab-not-running-menu")
            };
            return column![title(fl!("lab-title")), text(why)]
                .spacing(theme::space::L)
                .into();
        };
        if let Some(page) = self.swap_page_shown(height) {
            return page;
        }
        let act = |label: String, msg: Message| {
            button(text(label))
                .padding(theme::space::M)
                .on_press_maybe((!self.busy).then_some(msg))
                .style(theme::primary)
        };
        let mut mining = column![
            text(fl!("lab-height", height = height.to_string())).size(theme::size::LEAD),
            row![
                act(fl!("lab-mine-1"), Message::MinePressed(1)),
                act(fl!("lab-mine-6"), Message::MinePressed(6)),
                act(fl!("lab-mine-101"), Message::MinePressed(101)),
            ]
            .spacing(theme::space::M),
            row![
                crate::ui::widget::input(&fl!("lab-blocks"), &self.blocks)
                    .id(BLOCKS_INPUT)
                    .on_input(Message::BlocksChanged)
                    .width(Length::Fixed(100.0)),
                act(fl!("lab-mine-n"), Message::MineBlocksPressed),
            ]
            .spacing(theme::space::M)
            .align_y(iced::Alignment::Center),
            row![
                checkbox(self.auto.is_some())
                    .label(fl!("lab-auto"))
                    .on_toggle(Message::AutoToggled),
                crate::ui::widget::input("10", &self.auto_secs)
                    .id(AUTO_SECS_INPUT)
                    .on_input(Message::AutoSecsChanged)
                    .width(Length::Fixed(80.0)),
                text(fl!("lab-auto-secs")),
            ]
            .spacing(theme::space::M)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(theme::space::M);
        if let Some(e) = &self.input_error {
            mining = mining.push(error_text(e.clone()));
        }
        mining = mining
            .push(act(fl!("lab-fund"), Message::FundPressed))
            .push(text(fl!("lab-fund-help")).size(theme::size::SMALL));
        if self.acting_on.is_none() && self.chain_action {
            mining = mining.push(self.status());
        }
        column![
            title(fl!("lab-title")),
            text(fl!("lab-help")),
            self.network_view(wallet, height),
            card(mining),
            card(timelocks::timelock_list(&timelocks, height, self.busy)),
            self.nodes_view(),
            text(fl!("lab-electrum", url = url)).size(theme::size::SMALL),
        ]
        .spacing(theme::space::L)
        .into()
    }
}

#[cfg(test)]
mod tests;

//! Scenarios in the Lab panel: run a scenario file against this wallet and its Lab, and save
//! what the tester just did in the panel as one ("Save as scenario").

use crate::ui::theme;
use iced::widget::{button, column, row, text};
use iced::Element;

use super::{Action, Done, LabScreen, Message};
use crate::fl;
use crate::lab::scenario::{FaultName, FaultStep, Open, Pay, Scenario, Splice, Step, WALLET};
use crate::lab::Fault;

impl LabScreen {
    /// The step an action will be, once it succeeded (`None`: nothing a scenario repeats).
    pub(super) fn step_of(action: &Action, blocks_to: Option<u32>) -> Option<Step> {
        Some(match action {
            Action::Mine(n) => Step::Mine(*n),
            Action::MineTo(_) => Step::Mine(blocks_to?),
            Action::Fund => Step::Fund(WALLET.into()),
            // Named once it is known which node came.
            Action::AddNode => Step::Nodes(Vec::new()),
            Action::OpensToWallet {
                from,
                capacity_sat,
                push_sat,
            } => Step::Open(Open {
                from: from.clone(),
                to: WALLET.into(),
                capacity_sat: *capacity_sat,
                push_sat: *push_sat,
                announce: false,
            }),
            Action::OpenBetween {
                from,
                to,
                capacity_sat,
                push_sat,
            } => Step::Open(Open {
                from: from.clone(),
                to: to.clone(),
                capacity_sat: *capacity_sat,
                push_sat: *push_sat,
                announce: true,
            }),
            Action::FundNode(name) => Step::Fund(name.clone()),
            Action::NodeSplices {
                node,
                into,
                amount_sat,
            } => {
                let splice = Splice {
                    by: node.clone(),
                    with: WALLET.into(),
                    amount_sat: *amount_sat,
                };
                if *into {
                    Step::SpliceIn(splice)
                } else {
                    Step::SpliceOut(splice)
                }
            }
            Action::PayBetween {
                from,
                to,
                amount_sat,
                by,
            } => Step::Pay(Pay {
                from: from.clone(),
                to: to.clone().unwrap_or_else(|| WALLET.into()),
                amount_sat: *amount_sat,
                by: *by,
                hold: false,
            }),
            Action::Fault(node, fault) => Step::Fault(FaultStep {
                node: node.clone(),
                fault: match fault {
                    Fault::GoOffline => FaultName::GoOffline,
                    Fault::ComeBack => FaultName::ComeBack,
                    Fault::ForceClose => FaultName::ForceClose,
                    Fault::KeepState => FaultName::KeepState,
                    Fault::Breach => FaultName::Breach,
                    // Paid later on Send, if at all: not a step of its own.
                    Fault::Hold { .. } => return None,
                },
            }),
            Action::Build(preset) => Step::Preset(*preset),
            Action::OpenTo { .. }
            | Action::RemoveNode(_)
            | Action::Pay(_)
            | Action::RequestFrom { .. }
            | Action::Swap { .. }
            | Action::RunScenario
            | Action::SaveScenario(_) => return None,
        })
    }

    /// Keeps the step of the action that just succeeded.
    pub(super) fn record(&mut self, done: &Done) {
        let Some(mut step) = self.pending_step.take() else {
            return;
        };
        if let (Step::Nodes(names), Done::NodeAdded(name)) = (&mut step, done) {
            names.push(name.clone());
        }
        self.recorded.push(step);
    }

    /// What the tester did so far, as a scenario.
    pub fn recorded(&self) -> Scenario {
        Scenario {
            name: fl!("lab-scenario-recorded-name"),
            about: None,
            steps: self.recorded.clone(),
        }
    }

    pub(super) fn scenario_view(&self) -> Element<'_, Message> {
        let act = |label: String, msg: Message, enabled: bool| {
            button(text(label).size(theme::size::LABEL))
                .padding([6, 10])
                .on_press_maybe((enabled && !self.busy).then_some(msg))
                .style(theme::primary)
        };
        column![
            text(fl!("lab-scenarios-title")).size(theme::size::BODY),
            text(fl!("lab-scenarios-help")).size(theme::size::SMALL),
            row![
                act(fl!("lab-scenario-run"), Message::RunScenarioPressed, true),
                act(
                    fl!("lab-scenario-save", steps = self.recorded.len().to_string()),
                    Message::SaveScenarioPressed,
                    !self.recorded.is_empty()
                ),
            ]
            .spacing(theme::space::S),
        ]
        .spacing(theme::space::S)
        .into()
    }
}

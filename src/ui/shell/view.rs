//! What the open wallet draws: the section shown beside the sidebar, the notes over it, or
//! only the counter, or only why the wallet stopped.

use iced::widget::{column, container, row, scrollable, text, Space};
use iced::{Element, Length};

use crate::core::{Network, Settings};
use crate::fl;
use crate::ui::screen::home;
use crate::ui::shell::{nav, Message, Tab, WalletScreen, MAX_BODY_WIDTH};
use crate::ui::theme;

impl WalletScreen {
    pub fn view<'a>(&'a self, network: Network, settings: &'a Settings) -> Element<'a, Message> {
        if let Some(why) = &self.stopped {
            return container(
                column![
                    crate::ui::widget::title(fl!("wallet-stopped-title")),
                    crate::ui::widget::error_text(why.clone()),
                    text(fl!("wallet-stopped-restart")),
                ]
                .spacing(theme::space::L)
                .max_width(640),
            )
            .padding(theme::space::XXL)
            .center_x(Length::Fill)
            .into();
        }
        if self.tab == Tab::Counter {
            return self.counter.view().map(Message::Counter);
        }
        let in_lab = self.chain.lab().is_some();
        let body: Element<'a, Message> = match self.tab {
            Tab::Home => home::view(&home::HomeView {
                snapshot: &self.snapshot,
                node_id: self.wallet.node_id(),
                syncing: self.syncing,
                set_aside: &self.set_aside,
                backup_error: self.backup_error.as_deref(),
                fiat: self.rate.as_ref(),
                first_steps: if in_lab {
                    home::FirstSteps::FundInLab
                } else {
                    home::FirstSteps::Receive(self.receive.address())
                },
                spin: self.spin,
                returning_sat: self.channels.overview().returning_sat(),
                balance_over_time: &self.balance_over_time,
            })
            .map(Message::Home),
            Tab::Send => self
                .send
                .view(self.snapshot.balances.onchain_spendable_sat, network)
                .map(Message::Send),
            Tab::Receive => self.receive.view().map(Message::Receive),
            Tab::Channels => self
                .channels
                .view(
                    self.send.fee_choices().map(|f| f.normal_sat_vb),
                    self.backup_gate(network),
                )
                .map(Message::Channels),
            Tab::Graph => self.graph.view(crate::core::now()).map(Message::Graph),
            Tab::Counter => Space::new().into(),
            Tab::Activity => self.activity.view(&self.history).map(Message::Activity),
            Tab::Settings => self
                .settings
                .view(
                    network,
                    in_lab,
                    settings,
                    self.dir.path().display().to_string(),
                    &self.snapshot.backup,
                    self.backup_error.as_deref(),
                )
                .map(Message::Settings),
            Tab::Lab => self
                .lab
                .view(
                    in_lab.then(|| self.chain.electrum_url()),
                    self.channels.overview(),
                    self.snapshot.height,
                )
                .map(Message::Lab),
        };
        with_notes(frame(self.tab, network, body), &self.toasts)
    }
}

/// The window with the notes of what just happened over it, in the lower right corner.
pub fn with_notes<'a>(
    shown: Element<'a, Message>,
    notes: &crate::ui::widget::toast::Toasts,
) -> Element<'a, Message> {
    if notes.is_empty() {
        shown
    } else {
        iced::widget::stack![shown, notes.view()].into()
    }
}

/// A section as the window shows it: the sidebar, and the section's content beside it,
/// scrolling on its own.
pub fn frame<'a>(tab: Tab, network: Network, body: Element<'a, Message>) -> Element<'a, Message> {
    row![
        nav::sidebar(tab, network, Message::TabSelected),
        scrollable(
            container(body)
                .padding(theme::space::XL)
                .max_width(MAX_BODY_WIDTH)
        )
        .height(Length::Fill)
        .width(Length::Fill),
    ]
    .into()
}

//! The form that opens a channel: peer address, capacity, an optional gift to the peer, public
//! or private; then a confirm step with the estimated on-chain fee.

use crate::ui::theme;
use iced::widget::{button, checkbox, column, row, text, Space};
use iced::{Element, Length};

use crate::core::lightning::channels::{OpenChannelRequest, ANCHOR_RESERVE_SAT};
use crate::fl;
use crate::ui::widget::{card, field};
use crate::ui::{errors, format};

pub const URI_INPUT: &str = "open-uri";
pub const CAPACITY_INPUT: &str = "open-capacity";
pub const PUSH_INPUT: &str = "open-push";

/// Virtual size of a typical funding transaction: one P2WPKH input, the 2-of-2 P2WSH output
/// and change.
const FUNDING_TX_VBYTES: u64 = 154;

#[derive(Debug, Default)]
pub struct OpenForm {
    shown: bool,
    uri: String,
    capacity: String,
    push: String,
    public: bool,
    confirm: Option<OpenChannelRequest>,
    /// On regtest, the tester chose to open without a channel backup.
    skip_backup: bool,
}

/// Whether a channel may be opened as far as the backup goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupGate {
    /// A backup folder is chosen and has everything.
    Working,
    /// No working backup: the person is asked to choose one first; `may_skip` on regtest.
    Missing { may_skip: bool },
}

#[derive(Debug, Clone)]
pub enum Message {
    ShowPressed,
    UriChanged(String),
    CapacityChanged(String),
    PushChanged(String),
    PublicToggled(bool),
    ReviewPressed,
    BackPressed,
    ConfirmPressed,
    SkipBackupToggled(bool),
    /// The parent opens the folder chooser.
    ChooseBackupPressed,
}

impl OpenForm {
    pub fn prefill(&mut self, uri: String, capacity_sat: u64) {
        *self = OpenForm {
            shown: true,
            uri,
            capacity: capacity_sat.to_string(),
            ..OpenForm::default()
        };
    }

    pub fn reset(&mut self) {
        *self = OpenForm::default();
    }

    /// `Ok(Some)` when the person confirmed a checked request; `Err` with a sentence.
    /// Whether the confirm step is shown.
    pub fn confirming(&self) -> bool {
        self.confirm.is_some()
    }

    pub fn update(
        &mut self,
        message: Message,
        spendable_sat: u64,
        gate: BackupGate,
    ) -> Result<Option<OpenChannelRequest>, String> {
        match message {
            Message::ShowPressed => self.shown = !self.shown,
            Message::UriChanged(v) => self.uri = v,
            Message::CapacityChanged(v) => self.capacity = v,
            Message::PushChanged(v) => self.push = v,
            Message::PublicToggled(v) => self.public = v,
            Message::ReviewPressed => {
                let req = OpenChannelRequest::check(
                    &self.uri,
                    &self.capacity,
                    &self.push,
                    self.public,
                    spendable_sat,
                )
                .map_err(|e| errors::describe(&e))?;
                self.confirm = Some(req);
            }
            Message::BackPressed => self.confirm = None,
            Message::SkipBackupToggled(v) => self.skip_backup = v,
            Message::ChooseBackupPressed => {}
            Message::ConfirmPressed => {
                if !self.may_open(gate) {
                    return Err(fl!("open-needs-backup"));
                }
                return Ok(self.confirm.take());
            }
        }
        Ok(None)
    }

    fn may_open(&self, gate: BackupGate) -> bool {
        match gate {
            BackupGate::Working => true,
            BackupGate::Missing { may_skip } => may_skip && self.skip_backup,
        }
    }

    pub fn view(
        &self,
        fee_rate_sat_vb: Option<u64>,
        busy: bool,
        gate: BackupGate,
    ) -> Element<'_, Message> {
        if !self.shown {
            return button(text(fl!("open-show")))
                .on_press(Message::ShowPressed)
                .padding(theme::space::M)
                .style(theme::primary)
                .into();
        }
        if let Some(req) = &self.confirm {
            return confirm(
                req,
                fee_rate_sat_vb,
                busy,
                gate,
                self.skip_backup,
                self.may_open(gate),
            );
        }
        card(
            column![
                text(fl!("open-title")).size(theme::size::HEADING),
                text(fl!("open-uri")),
                crate::ui::widget::input(&fl!("open-uri-placeholder"), &self.uri)
                    .id(URI_INPUT)
                    .on_input(Message::UriChanged)
                    .padding(theme::space::S),
                row![
                    column![
                        text(fl!("open-capacity")),
                        crate::ui::widget::input("1000000", &self.capacity)
                            .id(CAPACITY_INPUT)
                            .on_input(Message::CapacityChanged)
                            .padding(theme::space::S),
                    ]
                    .spacing(theme::space::S),
                    column![
                        text(fl!("open-push")),
                        crate::ui::widget::input("0", &self.push)
                            .id(PUSH_INPUT)
                            .on_input(Message::PushChanged)
                            .padding(theme::space::S),
                    ]
                    .spacing(theme::space::S),
                ]
                .spacing(theme::space::L),
                checkbox(self.public)
                    .label(fl!("open-public"))
                    .on_toggle(Message::PublicToggled),
                text(fl!("open-help")).size(theme::size::SMALL),
                row![
                    button(text(fl!("button-cancel")))
                        .on_press(Message::ShowPressed)
                        .style(theme::secondary),
                    Space::new().width(Length::Fill),
                    button(text(fl!("open-review")))
                        .on_press(Message::ReviewPressed)
                        .padding(theme::space::M)
                        .style(theme::primary),
                ],
            ]
            .spacing(theme::space::M),
        )
    }
}

fn confirm(
    req: &OpenChannelRequest,
    fee_rate_sat_vb: Option<u64>,
    busy: bool,
    gate: BackupGate,
    skip_backup: bool,
    may_open: bool,
) -> Element<'_, Message> {
    let mut go = button(text(if busy {
        fl!("working")
    } else {
        fl!("open-confirm")
    }))
    .padding(theme::space::M)
    .style(theme::primary);
    let mut back = button(text(fl!("button-back")))
        .padding(theme::space::M)
        .style(theme::secondary);
    if !busy {
        if may_open {
            go = go.on_press(Message::ConfirmPressed);
        }
        back = back.on_press(Message::BackPressed);
    }
    let backup: Option<Element<'_, Message>> = match gate {
        BackupGate::Working => None,
        BackupGate::Missing { may_skip } => {
            let mut c = column![
                crate::ui::widget::error_text(fl!("open-backup-first")),
                button(text(fl!("backup-choose-folder")))
                    .on_press(Message::ChooseBackupPressed)
                    .style(theme::secondary),
            ]
            .spacing(theme::space::S);
            if may_skip {
                c = c.push(
                    checkbox(skip_backup)
                        .label(fl!("open-skip-backup"))
                        .on_toggle(Message::SkipBackupToggled),
                );
            }
            Some(c.into())
        }
    };
    // Without the server's estimate, no number is made up: LDK Node picks the funding rate
    // from its own estimator, and the screen says it does not know it.
    let fee_line = match fee_rate_sat_vb {
        Some(rate) => fl!(
            "open-fee-estimate",
            fee = format::sat(FUNDING_TX_VBYTES * rate),
            rate = rate
        ),
        None => fl!("open-fee-unknown"),
    };
    card(
        column![
            text(fl!("open-confirm-title")).size(theme::size::HEADING),
            field(
                fl!("open-confirm-peer"),
                format::short_id(&req.peer.to_string())
            ),
            field(fl!("open-capacity"), format::sat(req.capacity_sat)),
            field(fl!("open-push"), format::sat(req.push_sat)),
            field(
                fl!("open-confirm-kind"),
                if req.public {
                    fl!("open-kind-public")
                } else {
                    fl!("open-kind-private")
                }
            ),
            field(fl!("open-confirm-fee"), fee_line),
            text(fl!(
                "open-confirm-note",
                reserve = format::sat(ANCHOR_RESERVE_SAT)
            ))
            .size(theme::size::SMALL),
        ]
        .push(backup)
        .push(row![back, Space::new().width(Length::Fill), go])
        .spacing(theme::space::M),
    )
}

//! First run: choose the network and server, then create a wallet (12 words shown once, a few
//! checked back) or restore one from its words. What the chosen network needs is checked
//! before any word is shown: the Lab's tools for the local test chain, an answer from the
//! Electrum server otherwise. What fails is said here, with what to do here.

use crate::ui::theme;
use iced::widget::{button, column, container, pick_list, row, text, Space};
use std::path::PathBuf;

use iced::{Element, Length};
use ldk_node::bip39::Mnemonic;

use crate::core::keys::seed;
use crate::core::keys::seed::SecretText;
use crate::core::store::backup::BackupPlace;
use crate::core::store::settings as config;
use crate::core::Network;
use crate::fl;
use crate::ui::errors;
use crate::ui::widget::{error_text, title};

/// How many words the person types back.
const QUIZ_WORDS: usize = 3;

pub const ELECTRUM_INPUT: &str = "onboard-electrum";
pub const RESTORE_INPUT: &str = "onboard-restore";
pub const RESTORE_SERVER_INPUT: &str = "onboard-restore-server";

/// The id of the quiz field for word `position` (0-based).
pub fn quiz_input_id(i: usize) -> iced::widget::Id {
    iced::widget::Id::from(format!("onboard-quiz-{i}"))
}

#[derive(Debug)]
pub struct Onboarding {
    network: Network,
    electrum: String,
    step: Step,
    error: Option<String>,
    /// Whether the Lab's tools (bitcoind, electrs) were found: without them regtest's local
    /// chain cannot start.
    lab_tools: bool,
    /// The server being asked whether it answers, and what follows when it does.
    checking: Option<Next>,
}

/// Where the welcome screen leads once the network is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Create,
    Restore,
}

#[derive(Debug)]
enum Step {
    Welcome,
    ShowWords(Mnemonic),
    Quiz {
        mnemonic: Mnemonic,
        positions: Vec<usize>,
        answers: Vec<SecretText>,
    },
    Restore {
        words: SecretText,
        /// The channel backup (a folder or a VSS server) to restore channels from, if the
        /// person has one.
        backup: Option<BackupPlace>,
        /// A VSS server's address as typed, and why it was refused.
        server: String,
        server_error: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub enum Message {
    NetworkSelected(NetworkChoice),
    ElectrumChanged(String),
    CreatePressed,
    RestorePressed,
    WordsWrittenPressed,
    QuizChanged(usize, SecretText),
    QuizConfirmPressed,
    RestoreChanged(SecretText),
    RestoreBackupPressed,
    RestoreBackupChosen(Option<PathBuf>),
    RestoreServerChanged(String),
    RestoreServerPressed,
    RestoreConfirmPressed,
    BackPressed,
    /// Whether the chosen Electrum server answered (the reason when not).
    ServerChecked(Result<(), String>),
}

/// What the onboarding asks the app to do.
#[derive(Debug, Clone)]
pub enum Action {
    /// Show the system's folder chooser; the app answers with `RestoreBackupChosen`.
    ChooseBackupFolder,
    /// Ask the Electrum server at this URL whether it answers; the app answers with
    /// `ServerChecked`.
    CheckServer(String),
    /// Make the wallet: the person is done.
    Create(Finished),
}

/// What the onboarding hands to the app when the person is done.
#[derive(Debug, Clone)]
pub struct Finished {
    pub network: Network,
    /// `None` on regtest: the Lab's local chain.
    pub electrum_url: Option<String>,
    pub mnemonic: Mnemonic,
    /// Restore the channels from this backup.
    pub restore_from: Option<BackupPlace>,
}

/// A network in the picker, labelled in the current language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkChoice(pub Network);

impl std::fmt::Display for NetworkChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::ui::widget::network_name(self.0))
    }
}

impl Onboarding {
    /// `lab_tools`: whether the Lab's tools were found (regtest's local chain needs them).
    pub fn new(network: Network, electrum_override: Option<String>, lab_tools: bool) -> Self {
        Onboarding {
            network,
            electrum: electrum_override
                .or_else(|| network.default_electrum_url().map(str::to_string))
                .unwrap_or_default(),
            step: Step::Welcome,
            error: None,
            lab_tools,
            checking: None,
        }
    }

    /// Whether the chosen network is regtest's local chain and its tools are missing.
    fn local_chain_unavailable(&self) -> bool {
        self.network == Network::Regtest && self.electrum.trim().is_empty() && !self.lab_tools
    }

    /// Checks what the chosen network needs, then goes `next`: at once for the local chain
    /// (its tools are there), after the server answers otherwise.
    fn check_then(&mut self, next: Next) -> Option<Action> {
        if self.local_chain_unavailable() {
            self.error = Some(fl!("onboard-regtest-unavailable"));
            return None;
        }
        match self.checked_electrum() {
            Ok(None) => self.go(next),
            Ok(Some(url)) => {
                self.checking = Some(next);
                return Some(Action::CheckServer(url));
            }
            Err(e) => self.error = Some(e),
        }
        None
    }

    fn go(&mut self, next: Next) {
        self.step = match next {
            Next::Create => Step::ShowWords(seed::generate()),
            Next::Restore => Step::Restore {
                words: SecretText::default(),
                backup: None,
                server: String::new(),
                server_error: None,
            },
        };
    }

    pub fn network(&self) -> Network {
        self.network
    }

    /// Shows an error that came back from creating the wallet, and lets the person try again.
    pub fn failed(&mut self, message: String) {
        self.error = Some(message);
    }

    pub fn update(&mut self, message: Message) -> Option<Action> {
        self.error = None;
        match message {
            Message::NetworkSelected(NetworkChoice(n)) => {
                self.network = n;
                self.electrum = n.default_electrum_url().unwrap_or_default().to_string();
                self.checking = None;
            }
            Message::ElectrumChanged(url) => {
                self.electrum = url;
                self.checking = None;
            }
            Message::CreatePressed => return self.check_then(Next::Create),
            Message::RestorePressed => return self.check_then(Next::Restore),
            Message::ServerChecked(answer) => match (self.checking.take(), answer) {
                (Some(next), Ok(())) => self.go(next),
                (Some(_), Err(why)) => {
                    self.error = Some(fl!(
                        "onboard-server-unreachable",
                        url = self.electrum.trim().to_string(),
                        reason = why
                    ))
                }
                // The choice changed meanwhile: that answer is about another server.
                (None, _) => {}
            },
            Message::WordsWrittenPressed => {
                if let Step::ShowWords(m) = &self.step {
                    let positions = seed::quiz_positions(m.word_count(), QUIZ_WORDS);
                    self.step = Step::Quiz {
                        mnemonic: m.clone(),
                        answers: vec![SecretText::default(); positions.len()],
                        positions,
                    };
                }
            }
            Message::QuizChanged(i, value) => {
                if let Step::Quiz { answers, .. } = &mut self.step {
                    if let Some(a) = answers.get_mut(i) {
                        *a = value;
                    }
                }
            }
            Message::QuizConfirmPressed => {
                if let Step::Quiz {
                    mnemonic,
                    positions,
                    answers,
                } = &self.step
                {
                    let wrong = positions
                        .iter()
                        .zip(answers)
                        .find(|(p, a)| !seed::quiz_answer_ok(mnemonic, **p, a.as_str()));
                    match wrong {
                        Some((p, _)) => {
                            self.error =
                                Some(fl!("onboard-quiz-wrong", position = (*p + 1).to_string()));
                        }
                        None => return self.finish(mnemonic.clone(), None).map(Action::Create),
                    }
                }
            }
            Message::RestoreChanged(value) => {
                if let Step::Restore { words, .. } = &mut self.step {
                    // The old text is wiped as it is replaced.
                    *words = value;
                }
            }
            Message::RestoreBackupPressed => return Some(Action::ChooseBackupFolder),
            Message::RestoreBackupChosen(folder) => {
                if let (Step::Restore { backup, .. }, Some(folder)) = (&mut self.step, folder) {
                    *backup = Some(BackupPlace::Folder { folder });
                }
            }
            Message::RestoreServerChanged(typed) => {
                if let Step::Restore {
                    server,
                    server_error,
                    ..
                } = &mut self.step
                {
                    *server = typed;
                    *server_error = None;
                }
            }
            Message::RestoreServerPressed => {
                if let Step::Restore {
                    backup,
                    server,
                    server_error,
                    ..
                } = &mut self.step
                {
                    match crate::core::store::backup::server::check_url(server) {
                        Ok(url) => *backup = Some(BackupPlace::Server { server: url }),
                        Err(e) => *server_error = Some(crate::ui::errors::describe(&e.into())),
                    }
                }
            }
            Message::RestoreConfirmPressed => {
                if let Step::Restore { words, backup, .. } = &self.step {
                    match seed::parse_phrase(words.as_str()) {
                        Ok(m) => {
                            let backup = backup.clone();
                            let done = self.finish(m, backup);
                            if done.is_some() {
                                // The typed words are not kept once the wallet is made.
                                self.step = Step::Welcome;
                            }
                            return done.map(Action::Create);
                        }
                        Err(e) => self.error = Some(errors::describe(&e.into())),
                    }
                }
            }
            Message::BackPressed => {
                self.step = match &self.step {
                    Step::Quiz { mnemonic, .. } => Step::ShowWords(mnemonic.clone()),
                    _ => Step::Welcome,
                }
            }
        }
        None
    }

    fn checked_electrum(&self) -> Result<Option<String>, String> {
        if self.network == Network::Regtest && self.electrum.trim().is_empty() {
            return Ok(None);
        }
        config::validate_electrum_url(&self.electrum)
            .map(Some)
            .map_err(|e| errors::describe(&e.into()))
    }

    fn finish(&self, mnemonic: Mnemonic, restore_from: Option<BackupPlace>) -> Option<Finished> {
        let electrum_url = self.checked_electrum().ok()?;
        Some(Finished {
            network: self.network,
            electrum_url,
            mnemonic,
            restore_from,
        })
    }

    pub fn view(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match &self.step {
            Step::Welcome => self.welcome(),
            Step::ShowWords(m) => show_words(m),
            Step::Quiz {
                positions, answers, ..
            } => quiz(positions, answers),
            Step::Restore {
                words,
                backup,
                server,
                server_error,
            } => restore(
                words.as_str(),
                backup.as_ref(),
                server,
                server_error.as_deref(),
            ),
        };
        let mut content = column![body].spacing(theme::space::L).max_width(640);
        if let Some(e) = &self.error {
            content = content.push(error_text(e.clone()));
        }
        container(content)
            .center_x(Length::Fill)
            .padding(theme::space::XXL)
            .into()
    }

    fn welcome(&self) -> Element<'_, Message> {
        let networks: Vec<NetworkChoice> =
            Network::ALL.iter().copied().map(NetworkChoice).collect();
        let electrum_hint = if self.network == Network::Regtest {
            fl!("onboard-electrum-local")
        } else {
            String::new()
        };
        let about = match self.network {
            Network::Mainnet => fl!("onboard-about-mainnet"),
            Network::Testnet => fl!("onboard-about-testnet"),
            Network::Signet => fl!("onboard-about-signet"),
            Network::Regtest => fl!("onboard-about-regtest"),
        };
        let unavailable = self.local_chain_unavailable();
        let ready = !unavailable && self.checking.is_none();
        let mut col = column![
            title(fl!("onboard-welcome")),
            text(fl!("app-tagline")),
            text(fl!("onboard-network")).size(theme::size::LABEL),
            pick_list(
                networks,
                Some(NetworkChoice(self.network)),
                Message::NetworkSelected
            ),
            text(about).size(theme::size::SMALL),
        ]
        .spacing(theme::space::M);
        if unavailable {
            col = col.push(error_text(fl!("onboard-regtest-unavailable")));
        }
        col = col.push(
            column![
                text(fl!("onboard-electrum")).size(theme::size::LABEL),
                crate::ui::widget::input(&electrum_hint, &self.electrum)
                    .id(ELECTRUM_INPUT)
                    .on_input(Message::ElectrumChanged)
                    .padding(theme::space::S),
            ]
            .spacing(theme::space::S),
        );
        col = col.push(
            row![
                button(text(fl!("onboard-create")))
                    .on_press_maybe(ready.then_some(Message::CreatePressed))
                    .padding(theme::space::M)
                    .style(theme::primary),
                button(text(fl!("onboard-restore")))
                    .on_press_maybe(ready.then_some(Message::RestorePressed))
                    .style(theme::secondary)
                    .padding(theme::space::M),
            ]
            .spacing(theme::space::M),
        );
        if self.checking.is_some() {
            col = col.push(text(fl!(
                "onboard-checking-server",
                url = self.electrum.trim().to_string()
            )));
        }
        col.push(text(fl!("onboard-keyring-note")).size(theme::size::SMALL))
            .into()
    }
}

fn show_words(m: &Mnemonic) -> Element<'_, Message> {
    let words: Vec<&str> = m.words().collect();
    let mut grid = column![].spacing(theme::space::S);
    for chunk in words.chunks(3).enumerate() {
        let (r, chunk) = chunk;
        let mut line = row![].spacing(theme::space::XL);
        for (c, w) in chunk.iter().enumerate() {
            let n = r * 3 + c + 1;
            line = line.push(
                container(
                    text(format!("{n:>2}. {w}"))
                        .size(theme::size::LEAD)
                        .font(iced::Font::MONOSPACE),
                )
                .width(Length::Fixed(170.0)),
            );
        }
        grid = grid.push(line);
    }
    column![
        title(fl!("onboard-words-title")),
        text(fl!("onboard-words-help")),
        container(grid)
            .padding(theme::space::L)
            .style(container::rounded_box),
        back_and(fl!("onboard-words-done"), Message::WordsWrittenPressed),
    ]
    .spacing(theme::space::L)
    .into()
}

fn quiz<'a>(positions: &'a [usize], answers: &'a [SecretText]) -> Element<'a, Message> {
    let mut fields = column![].spacing(theme::space::S);
    for (i, (p, a)) in positions.iter().zip(answers).enumerate() {
        fields = fields.push(
            row![
                text(fl!("onboard-quiz-word", position = (*p + 1).to_string()))
                    .width(Length::Fixed(120.0)),
                crate::ui::widget::input("", a.as_str())
                    .id(quiz_input_id(i))
                    .on_input(move |v| Message::QuizChanged(i, v.into()))
                    .padding(theme::space::S),
            ]
            .spacing(theme::space::M)
            .align_y(iced::Alignment::Center),
        );
    }
    column![
        title(fl!("onboard-quiz-title")),
        text(fl!("onboard-quiz-help")),
        fields,
        back_and(fl!("onboard-quiz-confirm"), Message::QuizConfirmPressed),
    ]
    .spacing(theme::space::L)
    .into()
}

fn restore<'a>(
    text_value: &'a str,
    backup: Option<&'a BackupPlace>,
    server: &'a str,
    server_error: Option<&'a str>,
) -> Element<'a, Message> {
    let chosen = match backup {
        Some(place) => text(fl!(
            "onboard-restore-backup-chosen",
            folder = place.to_string()
        )),
        None => text(fl!("onboard-restore-backup-none")),
    };
    let mut from_server = column![
        text(fl!("onboard-restore-server")).size(theme::size::SMALL),
        row![
            crate::ui::widget::input(&fl!("backup-server-placeholder"), server)
                .id(RESTORE_SERVER_INPUT)
                .on_input(Message::RestoreServerChanged)
                .on_submit(Message::RestoreServerPressed)
                .padding(theme::space::S),
            button(text(fl!("onboard-restore-server-use")))
                .on_press(Message::RestoreServerPressed)
                .style(theme::secondary),
        ]
        .spacing(theme::space::S),
    ]
    .spacing(theme::space::S);
    if let Some(e) = server_error {
        from_server = from_server.push(error_text(e.to_string()));
    }
    column![
        title(fl!("onboard-restore-title")),
        text(fl!("onboard-restore-help")),
        crate::ui::widget::input("abandon ability able …", text_value)
            .id(RESTORE_INPUT)
            .on_input(|v| Message::RestoreChanged(v.into()))
            .padding(theme::space::S),
        text(fl!("onboard-restore-backup-help")).size(theme::size::LABEL),
        row![
            button(text(fl!("backup-choose-folder")))
                .on_press(Message::RestoreBackupPressed)
                .style(theme::secondary),
            chosen.size(theme::size::SMALL),
        ]
        .spacing(theme::space::M)
        .align_y(iced::Alignment::Center),
        from_server,
        back_and(
            fl!("onboard-restore-confirm"),
            Message::RestoreConfirmPressed
        ),
    ]
    .spacing(theme::space::L)
    .into()
}

/// "Back" on the left, the step's main action on the right.
fn back_and<'a>(label: String, next: Message) -> Element<'a, Message> {
    row![
        button(text(fl!("button-back")))
            .on_press(Message::BackPressed)
            .style(theme::secondary),
        Space::new().width(Length::Fill),
        button(text(label)).on_press(next).style(theme::primary),
    ]
    .into()
}

#[cfg(test)]
mod tests;

//! Settings: Electrum server, LSP, language, theme, data folder.

use iced::widget::{button, column, pick_list, radio, row, text, text_input};
use iced::Element;

use crate::core::{Language, Network, ThemeChoice};
use crate::fl;
use crate::ui::widget::{card, error_text, network_badge, note_text, title};

pub const ELECTRUM_INPUT: &str = "settings-electrum";
pub const LSP_NODE_INPUT: &str = "settings-lsp-node";
pub const LSP_TOKEN_INPUT: &str = "settings-lsp-token";

#[derive(Debug, Default)]
pub struct SettingsScreen {
    electrum: String,
    saved: bool,
    error: Option<String>,
    lsp_node: String,
    lsp_token: String,
    /// The LSP form's outcome: saved (a restart applies it), or why not.
    lsp_outcome: Option<Result<(), String>>,
    /// The next "saved" is the LSP form's.
    lsp_pending: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    ElectrumChanged(String),
    SaveElectrumPressed,
    LanguageSelected(Language),
    ThemeSelected(ThemeChoice),
    OpenFolderPressed,
    ChooseBackupPressed,
    LspNodeChanged(String),
    LspTokenChanged(String),
    SaveLspPressed,
    RemoveLspPressed,
}

/// What the LSP form asks to be saved (`None`: no LSP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LspChange(pub Option<crate::core::config::LspSetting>);

impl SettingsScreen {
    pub fn new(electrum: Option<String>, lsp: Option<&crate::core::config::LspSetting>) -> Self {
        SettingsScreen {
            electrum: electrum.unwrap_or_default(),
            lsp_node: lsp.map(|l| l.node.clone()).unwrap_or_default(),
            lsp_token: lsp.and_then(|l| l.token.clone()).unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The LSP form's own messages; `Some` when something is to be saved.
    pub fn update_lsp(&mut self, message: Message) -> Option<LspChange> {
        match message {
            Message::LspNodeChanged(v) => self.lsp_node = v,
            Message::LspTokenChanged(v) => self.lsp_token = v,
            Message::SaveLspPressed => {
                let node = self.lsp_node.trim();
                return match crate::core::channels::PeerUri::parse(node) {
                    Ok(uri) => {
                        let token = self.lsp_token.trim();
                        self.lsp_pending = true;
                        Some(LspChange(Some(crate::core::config::LspSetting {
                            node: uri.to_string(),
                            token: (!token.is_empty()).then(|| token.to_string()),
                        })))
                    }
                    Err(e) => {
                        self.lsp_outcome = Some(Err(crate::ui::errors::describe(&e.into())));
                        None
                    }
                };
            }
            Message::RemoveLspPressed => {
                self.lsp_node.clear();
                self.lsp_token.clear();
                self.lsp_pending = true;
                return Some(LspChange(None));
            }
            _ => {}
        }
        self.lsp_outcome = None;
        None
    }

    pub fn electrum(&self) -> &str {
        &self.electrum
    }

    pub fn set_electrum(&mut self, value: String) {
        self.electrum = value;
        self.saved = false;
        self.error = None;
    }

    pub fn saved(&mut self, result: Result<(), String>) {
        if self.lsp_pending {
            self.lsp_pending = false;
            self.lsp_outcome = Some(result);
            return;
        }
        match result {
            Ok(()) => self.saved = true,
            Err(e) => self.error = Some(e),
        }
    }

    pub fn view<'a>(
        &'a self,
        network: Network,
        playground: bool,
        settings: &crate::core::Settings,
        data_dir: String,
        backup: &'a crate::core::store::backup::BackupStatus,
        backup_error: Option<&'a str>,
    ) -> Element<'a, Message> {
        let (language, theme) = (settings.language, settings.theme);
        let server: Element<'a, Message> = if playground {
            text(fl!("settings-electrum-local")).into()
        } else {
            let mut c = column![row![
                text_input("ssl://host:50002", &self.electrum)
                    .id(ELECTRUM_INPUT)
                    .on_input(Message::ElectrumChanged)
                    .padding(8),
                button(text(fl!("settings-electrum-save"))).on_press(Message::SaveElectrumPressed),
            ]
            .spacing(8)]
            .spacing(6);
            if self.saved {
                c = c.push(note_text(fl!("settings-electrum-saved")));
            }
            if let Some(e) = &self.error {
                c = c.push(error_text(e.clone()));
            }
            c.into()
        };
        let mut lsp = column![
            text(fl!("settings-lsp")),
            text(fl!("settings-lsp-help")).size(13),
            text_input("pubkey@host:port", &self.lsp_node)
                .id(LSP_NODE_INPUT)
                .on_input(Message::LspNodeChanged)
                .padding(8),
            text_input(&fl!("settings-lsp-token"), &self.lsp_token)
                .id(LSP_TOKEN_INPUT)
                .on_input(Message::LspTokenChanged)
                .padding(8),
            row![
                button(text(fl!("settings-lsp-save"))).on_press(Message::SaveLspPressed),
                button(text(fl!("settings-lsp-remove")))
                    .on_press(Message::RemoveLspPressed)
                    .style(button::secondary),
            ]
            .spacing(8),
        ]
        .spacing(8);
        match &self.lsp_outcome {
            Some(Ok(())) => lsp = lsp.push(note_text(fl!("settings-lsp-saved"))),
            Some(Err(e)) => lsp = lsp.push(error_text(e.clone())),
            None => {}
        }
        let themes = row![
            radio(
                fl!("settings-theme-light"),
                ThemeChoice::Light,
                Some(theme),
                Message::ThemeSelected
            ),
            radio(
                fl!("settings-theme-dark"),
                ThemeChoice::Dark,
                Some(theme),
                Message::ThemeSelected
            ),
        ]
        .spacing(16);
        column![
            title(fl!("settings-title")),
            card(column![text(fl!("settings-network")), network_badge(network)].spacing(8)),
            crate::ui::screen::home::backup_card(
                backup,
                Message::ChooseBackupPressed,
                backup_error
            ),
            card(column![text(fl!("settings-electrum")), server].spacing(8)),
            card(lsp),
            card(
                column![
                    text(fl!("settings-language")),
                    pick_list(Language::ALL, Some(language), Message::LanguageSelected),
                ]
                .spacing(8)
            ),
            card(column![text(fl!("settings-theme")), themes].spacing(8)),
            card(
                column![
                    text(fl!("settings-data")),
                    text(data_dir).font(iced::Font::MONOSPACE).size(13),
                    button(text(fl!("settings-open-folder")))
                        .on_press(Message::OpenFolderPressed)
                        .style(button::secondary),
                ]
                .spacing(8)
            ),
        ]
        .spacing(12)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::LspSetting;

    const KEY: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";

    #[test]
    fn the_lsp_is_checked_before_it_is_saved() {
        let mut s = SettingsScreen::new(None, None);
        s.update_lsp(Message::LspNodeChanged("not a node".into()));
        assert_eq!(s.update_lsp(Message::SaveLspPressed), None);
        assert!(matches!(s.lsp_outcome, Some(Err(_))));

        s.update_lsp(Message::LspNodeChanged(format!(" {KEY}@lsp.example:9735 ")));
        s.update_lsp(Message::LspTokenChanged("shop-42".into()));
        assert_eq!(
            s.update_lsp(Message::SaveLspPressed),
            Some(LspChange(Some(LspSetting {
                node: format!("{KEY}@lsp.example:9735"),
                token: Some("shop-42".into()),
            })))
        );
        // The write's outcome is the LSP form's, said with a restart to apply it.
        s.saved(Ok(()));
        assert_eq!(s.lsp_outcome, Some(Ok(())));
        assert!(!s.saved, "the server form is not the one saved");

        assert_eq!(
            s.update_lsp(Message::RemoveLspPressed),
            Some(LspChange(None))
        );
    }
}

//! Settings: Electrum server, language, theme, data folder.

use iced::widget::{button, column, pick_list, radio, row, text, text_input};
use iced::Element;

use crate::core::{Language, Network, ThemeChoice};
use crate::fl;
use crate::ui::widget::{card, error_text, network_badge, note_text, title};

pub const ELECTRUM_INPUT: &str = "settings-electrum";

#[derive(Debug, Default)]
pub struct SettingsScreen {
    electrum: String,
    saved: bool,
    error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    ElectrumChanged(String),
    SaveElectrumPressed,
    LanguageSelected(Language),
    ThemeSelected(ThemeChoice),
    OpenFolderPressed,
    ChooseBackupPressed,
}

impl SettingsScreen {
    pub fn new(electrum: Option<String>) -> Self {
        SettingsScreen {
            electrum: electrum.unwrap_or_default(),
            ..Self::default()
        }
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

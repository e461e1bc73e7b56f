//! Settings: Electrum server, LSP, fiat, language, theme, data folder.

use crate::ui::theme;
use iced::widget::{button, checkbox, column, pick_list, radio, row, text};
use iced::Element;

use crate::core::{AmountUnit, Language, Network, ThemeChoice};
use crate::fl;
use crate::ui::widget::{card, error_text, network_badge, note_text, title};

pub const ELECTRUM_INPUT: &str = "settings-electrum";
pub const BACKUP_SERVER_INPUT: &str = "settings-backup-server";
pub const LSP_NODE_INPUT: &str = "settings-lsp-node";
pub const LSP_TOKEN_INPUT: &str = "settings-lsp-token";
pub const FIAT_CURRENCY_INPUT: &str = "settings-fiat-currency";
pub const FIAT_SOURCE_INPUT: &str = "settings-fiat-source";

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
    fiat_currency: String,
    /// A provider URL, or a typed rate (`fiat_typed`).
    fiat_source: String,
    fiat_typed: bool,
    fiat_outcome: Option<Result<(), String>>,
    fiat_pending: bool,
    /// A VSS server's address as typed, and why it was refused.
    backup_server: String,
    backup_server_error: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    ElectrumChanged(String),
    SaveElectrumPressed,
    LanguageSelected(Language),
    ThemeSelected(ThemeChoice),
    UnitSelected(AmountUnit),
    OpenFolderPressed,
    ChooseBackupPressed,
    BackupServerChanged(String),
    UseBackupServerPressed,
    LspNodeChanged(String),
    LspTokenChanged(String),
    SaveLspPressed,
    RemoveLspPressed,
    FiatCurrencyChanged(String),
    FiatSourceChanged(String),
    FiatTypedToggled(bool),
    SaveFiatPressed,
    RemoveFiatPressed,
}

/// A change the Settings tab asks to be stored in settings.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsChange {
    Language(Language),
    Theme(ThemeChoice),
    Unit(AmountUnit),
    /// Applies at the next start.
    Electrum(String),
    /// Applies at the next start.
    Lsp(Option<crate::core::store::settings::LspSetting>),
    /// Applies at once: the rate is read again for the new choice.
    Fiat(Option<crate::core::fiat::FiatSetting>),
}

/// What the Settings tab asks its parent to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Save(SettingsChange),
    OpenFolder,
    ChooseBackup,
    /// Back up to this VSS server (its URL checked).
    UseBackupServer(String),
}

/// What the fiat form asks to be saved (`None`: sats only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiatChange(pub Option<crate::core::fiat::FiatSetting>);

/// What the LSP form asks to be saved (`None`: no LSP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LspChange(pub Option<crate::core::store::settings::LspSetting>);

impl SettingsScreen {
    pub fn new(electrum: Option<String>, settings: &crate::core::Settings) -> Self {
        use crate::core::fiat::FiatSource;
        let lsp = settings.lsp.as_ref();
        let fiat = settings.fiat.as_ref();
        let (fiat_source, fiat_typed) = match fiat.map(|f| &f.source) {
            Some(FiatSource::Provider { url }) => (url.clone(), false),
            Some(FiatSource::Typed { per_btc }) => (per_btc.clone(), true),
            None => (String::new(), false),
        };
        SettingsScreen {
            electrum: electrum.unwrap_or_default(),
            lsp_node: lsp.map(|l| l.node.clone()).unwrap_or_default(),
            lsp_token: lsp.and_then(|l| l.token.clone()).unwrap_or_default(),
            fiat_currency: fiat.map(|f| f.currency.clone()).unwrap_or_default(),
            fiat_source,
            fiat_typed,
            ..Self::default()
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Action> {
        match message {
            Message::ElectrumChanged(v) => {
                self.set_electrum(v);
                None
            }
            Message::SaveElectrumPressed => {
                match crate::core::store::settings::validate_electrum_url(&self.electrum) {
                    Ok(url) => Some(Action::Save(SettingsChange::Electrum(url))),
                    Err(e) => {
                        self.saved(Err(crate::ui::errors::describe(&e.into())));
                        None
                    }
                }
            }
            Message::LanguageSelected(l) => Some(Action::Save(SettingsChange::Language(l))),
            Message::ThemeSelected(t) => Some(Action::Save(SettingsChange::Theme(t))),
            Message::UnitSelected(u) => Some(Action::Save(SettingsChange::Unit(u))),
            Message::OpenFolderPressed => Some(Action::OpenFolder),
            Message::ChooseBackupPressed => Some(Action::ChooseBackup),
            Message::BackupServerChanged(v) => {
                self.backup_server = v;
                self.backup_server_error = None;
                None
            }
            Message::UseBackupServerPressed => {
                match crate::core::store::backup::server::check_url(&self.backup_server) {
                    Ok(url) => Some(Action::UseBackupServer(url)),
                    Err(e) => {
                        self.backup_server_error = Some(crate::ui::errors::describe(&e.into()));
                        None
                    }
                }
            }
            Message::FiatCurrencyChanged(_)
            | Message::FiatSourceChanged(_)
            | Message::FiatTypedToggled(_)
            | Message::SaveFiatPressed
            | Message::RemoveFiatPressed => self
                .update_fiat(message)
                .map(|FiatChange(f)| Action::Save(SettingsChange::Fiat(f))),
            Message::LspNodeChanged(_)
            | Message::LspTokenChanged(_)
            | Message::SaveLspPressed
            | Message::RemoveLspPressed => self
                .update_lsp(message)
                .map(|LspChange(l)| Action::Save(SettingsChange::Lsp(l))),
        }
    }

    /// A VSS server as the backup's place: its address and what the server learns.
    fn backup_server_card(&self) -> Element<'_, Message> {
        let mut c = column![
            text(fl!("backup-server-title")),
            text(fl!("backup-server-help")).size(theme::size::SMALL),
            row![
                crate::ui::widget::input(&fl!("backup-server-placeholder"), &self.backup_server)
                    .id(BACKUP_SERVER_INPUT)
                    .on_input(Message::BackupServerChanged)
                    .on_submit(Message::UseBackupServerPressed)
                    .padding(theme::space::S),
                button(text(fl!("backup-server-use")))
                    .on_press(Message::UseBackupServerPressed)
                    .style(theme::secondary),
            ]
            .spacing(theme::space::S),
        ]
        .spacing(theme::space::S);
        if let Some(e) = &self.backup_server_error {
            c = c.push(error_text(e.clone()));
        }
        card(c)
    }

    /// The fiat form's own messages; `Some` when something is to be saved.
    fn update_fiat(&mut self, message: Message) -> Option<FiatChange> {
        use crate::core::fiat::{FiatSetting, FiatSource};
        match message {
            Message::FiatCurrencyChanged(v) => self.fiat_currency = v,
            Message::FiatSourceChanged(v) => self.fiat_source = v,
            Message::FiatTypedToggled(on) => self.fiat_typed = on,
            Message::SaveFiatPressed => {
                let source = if self.fiat_typed {
                    FiatSource::Typed {
                        per_btc: self.fiat_source.clone(),
                    }
                } else {
                    FiatSource::Provider {
                        url: self.fiat_source.clone(),
                    }
                };
                return match FiatSetting::check(&self.fiat_currency, source) {
                    Ok(setting) => {
                        self.fiat_pending = true;
                        Some(FiatChange(Some(setting)))
                    }
                    Err(e) => {
                        self.fiat_outcome = Some(Err(crate::ui::errors::describe(&e.into())));
                        None
                    }
                };
            }
            Message::RemoveFiatPressed => {
                self.fiat_currency.clear();
                self.fiat_source.clear();
                self.fiat_pending = true;
                return Some(FiatChange(None));
            }
            _ => {}
        }
        self.fiat_outcome = None;
        None
    }

    /// The LSP form's own messages; `Some` when something is to be saved.
    fn update_lsp(&mut self, message: Message) -> Option<LspChange> {
        match message {
            Message::LspNodeChanged(v) => self.lsp_node = v,
            Message::LspTokenChanged(v) => self.lsp_token = v,
            Message::SaveLspPressed => {
                let node = self.lsp_node.trim();
                return match crate::core::lightning::channels::PeerUri::parse(node) {
                    Ok(uri) => {
                        let token = self.lsp_token.trim();
                        self.lsp_pending = true;
                        Some(LspChange(Some(crate::core::store::settings::LspSetting {
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

    fn set_electrum(&mut self, value: String) {
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
        if self.fiat_pending {
            self.fiat_pending = false;
            self.fiat_outcome = Some(result);
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
        in_lab: bool,
        settings: &crate::core::Settings,
        data_dir: String,
        backup: &'a crate::core::store::backup::BackupStatus,
        backup_error: Option<&'a str>,
    ) -> Element<'a, Message> {
        let (language, theme) = (settings.language, settings.theme);
        let server: Element<'a, Message> = if in_lab {
            text(fl!("settings-electrum-local")).into()
        } else {
            let mut c = column![row![
                crate::ui::widget::input("ssl://host:50002", &self.electrum)
                    .id(ELECTRUM_INPUT)
                    .on_input(Message::ElectrumChanged)
                    .padding(theme::space::S),
                button(text(fl!("settings-electrum-save")))
                    .on_press(Message::SaveElectrumPressed)
                    .style(theme::primary),
            ]
            .spacing(theme::space::S)]
            .spacing(theme::space::S);
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
            text(fl!("settings-lsp-help")).size(theme::size::SMALL),
            crate::ui::widget::input("pubkey@host:port", &self.lsp_node)
                .id(LSP_NODE_INPUT)
                .on_input(Message::LspNodeChanged)
                .padding(theme::space::S),
            crate::ui::widget::input(&fl!("settings-lsp-token"), &self.lsp_token)
                .id(LSP_TOKEN_INPUT)
                .on_input(Message::LspTokenChanged)
                .padding(theme::space::S),
            row![
                button(text(fl!("settings-lsp-save")))
                    .on_press(Message::SaveLspPressed)
                    .style(theme::primary),
                button(text(fl!("settings-lsp-remove")))
                    .on_press(Message::RemoveLspPressed)
                    .style(theme::secondary),
            ]
            .spacing(theme::space::S),
        ]
        .spacing(theme::space::S);
        match &self.lsp_outcome {
            Some(Ok(())) => lsp = lsp.push(note_text(fl!("settings-lsp-saved"))),
            Some(Err(e)) => lsp = lsp.push(error_text(e.clone())),
            None => {}
        }
        let mut fiat = column![
            text(fl!("settings-fiat")),
            text(fl!("settings-fiat-help")).size(theme::size::SMALL),
            crate::ui::widget::input("EUR", &self.fiat_currency)
                .id(FIAT_CURRENCY_INPUT)
                .on_input(Message::FiatCurrencyChanged)
                .width(iced::Length::Fixed(120.0))
                .padding(theme::space::S),
            checkbox(self.fiat_typed)
                .label(fl!("settings-fiat-typed"))
                .on_toggle(Message::FiatTypedToggled),
            crate::ui::widget::input(
                &if self.fiat_typed {
                    fl!("settings-fiat-rate-placeholder")
                } else {
                    fl!("settings-fiat-url-placeholder")
                },
                &self.fiat_source
            )
            .id(FIAT_SOURCE_INPUT)
            .on_input(Message::FiatSourceChanged)
            .padding(theme::space::S),
            row![
                button(text(fl!("settings-fiat-save")))
                    .on_press(Message::SaveFiatPressed)
                    .style(theme::primary),
                button(text(fl!("settings-lsp-remove")))
                    .on_press(Message::RemoveFiatPressed)
                    .style(theme::secondary),
            ]
            .spacing(theme::space::S),
        ]
        .spacing(theme::space::S);
        match &self.fiat_outcome {
            Some(Ok(())) => fiat = fiat.push(note_text(fl!("settings-fiat-saved"))),
            Some(Err(e)) => fiat = fiat.push(error_text(e.clone())),
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
        .spacing(theme::space::L);
        let units = row![
            radio(
                fl!("settings-unit-sat"),
                AmountUnit::Sat,
                Some(settings.unit),
                Message::UnitSelected
            ),
            radio(
                fl!("settings-unit-btc"),
                AmountUnit::Btc,
                Some(settings.unit),
                Message::UnitSelected
            ),
        ]
        .spacing(theme::space::L);
        column![
            title(fl!("settings-title")),
            card(
                column![text(fl!("settings-network")), network_badge(network)]
                    .spacing(theme::space::S)
            ),
            crate::ui::screen::home::backup_card(
                backup,
                Message::ChooseBackupPressed,
                backup_error
            ),
            self.backup_server_card(),
            card(column![text(fl!("settings-electrum")), server].spacing(theme::space::S)),
            card(lsp),
            card(fiat),
            card(
                column![
                    text(fl!("settings-language")),
                    pick_list(Language::ALL, Some(language), Message::LanguageSelected),
                ]
                .spacing(theme::space::S)
            ),
            card(column![text(fl!("settings-theme")), themes].spacing(theme::space::S)),
            card(column![text(fl!("settings-unit")), units].spacing(theme::space::S)),
            card(
                column![
                    text(fl!("settings-data")),
                    text(data_dir)
                        .font(iced::Font::MONOSPACE)
                        .size(theme::size::SMALL),
                    button(text(fl!("settings-open-folder")))
                        .on_press(Message::OpenFolderPressed)
                        .style(theme::secondary),
                ]
                .spacing(theme::space::S)
            ),
        ]
        .spacing(theme::space::M)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::settings::LspSetting;

    const KEY: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";

    #[test]
    fn the_lsp_is_checked_before_it_is_saved() {
        let mut s = SettingsScreen::new(
            None,
            &crate::core::Settings::defaults_for(crate::core::Network::Regtest),
        );
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

    /// A VSS server's address is checked before the wallet is asked to back up there.
    #[test]
    fn a_backup_server_is_checked_before_it_is_used() {
        let chosen = crate::core::Settings::defaults_for(crate::core::Network::Regtest);
        let mut s = SettingsScreen::new(None, &chosen);
        s.update(Message::BackupServerChanged("vss.example.com".into()));
        assert_eq!(s.update(Message::UseBackupServerPressed), None);
        assert!(s.backup_server_error.is_some());
        s.update(Message::BackupServerChanged(
            " https://vss.example.com/vss ".into(),
        ));
        assert_eq!(s.backup_server_error, None);
        assert_eq!(
            s.update(Message::UseBackupServerPressed),
            Some(Action::UseBackupServer(
                "https://vss.example.com/vss".into()
            ))
        );
    }

    /// Choosing BTC asks to save it (the app then writes every amount in BTC; see
    /// `format::sat_in`). iced_test cannot find a radio's label, so the choice is sent as the
    /// radio sends it.
    #[test]
    fn amounts_can_be_shown_in_btc() {
        let chosen = crate::core::Settings::defaults_for(crate::core::Network::Regtest);
        let mut s = SettingsScreen::new(None, &chosen);
        assert!(matches!(
            s.update(Message::UnitSelected(AmountUnit::Btc)),
            Some(Action::Save(SettingsChange::Unit(AmountUnit::Btc)))
        ));
    }
}

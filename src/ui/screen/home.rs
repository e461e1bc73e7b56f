//! Home: balances, the channel backup's state, damaged files set aside, chain height and sync
//! state, node id.

use crate::ui::theme;
use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::store::backup::BackupStatus;
use crate::core::store::files::SetAside;
use crate::core::wallet::Snapshot;
use crate::fl;
use crate::ui::format;
use crate::ui::widget::balance_chart;
use crate::ui::widget::money_bar::{self, Whereabouts};
use crate::ui::widget::{card, error_text, field, note_text, progress};

#[derive(Debug, Clone)]
pub enum Message {
    SyncPressed,
    CopyNodeIdPressed,
    ChooseBackupPressed,
    FundInLabPressed,
    CopyAddressPressed(String),
    MoreWaysPressed,
}

/// What Home asks its parent to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Sync,
    CopyNodeId,
    ChooseBackup,
    /// Show the Lab, where the local chain's coins are.
    ShowLab,
    /// Show Receive, with every way to be paid.
    ShowReceive,
    Copy(String),
}

pub fn update(message: Message) -> Action {
    match message {
        Message::SyncPressed => Action::Sync,
        Message::CopyNodeIdPressed => Action::CopyNodeId,
        Message::ChooseBackupPressed => Action::ChooseBackup,
        Message::FundInLabPressed => Action::ShowLab,
        Message::CopyAddressPressed(a) => Action::Copy(a),
        Message::MoreWaysPressed => Action::ShowReceive,
    }
}

/// What a wallet that never held money is offered first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstSteps<'a> {
    /// On the Lab's local chain: coins are a press away there.
    FundInLab,
    /// Anywhere else: the address for the first coins (`None` while it is being made).
    Receive(Option<&'a str>),
}

/// Everything Home shows.
pub struct HomeView<'a> {
    pub snapshot: &'a Snapshot,
    pub node_id: &'a str,
    pub syncing: bool,
    pub set_aside: &'a [SetAside],
    pub backup_error: Option<&'a str>,
    pub fiat: Option<&'a Result<crate::core::fiat::Rate, String>>,
    /// How a new wallet gets its first coins; shown only while it never had any.
    pub first_steps: FirstSteps<'a>,
    /// The phase of the spinner shown while a sync is under way.
    pub spin: u32,
    /// What closed channels still owe us (on its way back on chain), in sat.
    pub returning_sat: u64,
    /// The balances over time, oldest first ([`crate::core::history::balance`]).
    pub balance_over_time: &'a [crate::core::history::balance::BalancePoint],
}

/// Whether Home shows a sync under way: asked for, or the first one since the wallet opened
/// (while the server answers).
pub fn is_syncing(snapshot: &Snapshot, syncing: bool) -> bool {
    syncing || (snapshot.last_sync.is_none() && snapshot.server.unreachable_since.is_none())
}

/// Whether the wallet never held anything: no coins, no channel, no transaction.
pub fn is_new(snapshot: &Snapshot) -> bool {
    let b = &snapshot.balances;
    b.onchain_total_sat == 0 && b.lightning_sat == 0 && snapshot.activity.is_empty()
}

/// The card that tells a new wallet what to do next.
fn first_steps_card<'a>(steps: FirstSteps<'a>) -> Element<'a, Message> {
    let heading = |icon, words| {
        row![
            theme::icon(icon)
                .size(theme::size::HEADING)
                .style(theme::tone(theme::Tone::Accent)),
            text(words).size(theme::size::HEADING),
        ]
        .spacing(theme::space::S)
        .align_y(iced::Alignment::Center)
    };
    let content = match steps {
        FirstSteps::FundInLab => column![
            heading(theme::Icon::FlaskConical, fl!("home-start-lab-title")),
            text(fl!("home-start-lab")),
            button(text(fl!("home-start-lab-button")))
                .on_press(Message::FundInLabPressed)
                .padding([theme::space::S, theme::space::L])
                .style(theme::primary),
        ],
        FirstSteps::Receive(address) => {
            let mut c = column![
                heading(theme::Icon::ArrowDownLeft, fl!("home-start-receive-title")),
                text(fl!("home-start-receive")),
            ];
            if let Some(a) = address {
                c = c.push(
                    row![
                        text(a).font(iced::Font::MONOSPACE),
                        button(text(fl!("button-copy")))
                            .on_press(Message::CopyAddressPressed(a.to_string()))
                            .style(theme::primary),
                    ]
                    .spacing(theme::space::M)
                    .align_y(iced::Alignment::Center),
                );
            }
            c.push(
                button(text(fl!("home-start-more-ways")))
                    .on_press(Message::MoreWaysPressed)
                    .style(theme::secondary),
            )
        }
    };
    card(content.spacing(theme::space::M))
}

/// The backup's state in words: where, when last written, or failing in red with what to do.
pub fn backup_card<'a, M: Clone + 'a>(
    status: &'a BackupStatus,
    choose: M,
    error: Option<&'a str>,
) -> Element<'a, M> {
    let now = crate::core::now();
    let state: Element<'a, M> = match (&status.place, &status.failing) {
        (None, _) => error_text(fl!("backup-none")),
        (Some(folder), Some(f)) if f.taken_over => {
            error_text(fl!("backup-taken-over", folder = folder.to_string()))
        }
        (Some(folder), Some(f)) => error_text(fl!(
            "backup-failing",
            folder = folder.to_string(),
            since = format::datetime(f.since),
            reason = f.reason.clone()
        )),
        (Some(folder), None) if status.catching_up => {
            text(fl!("backup-catching-up", folder = folder.to_string())).into()
        }
        (Some(folder), None) => note_text(match status.last_written {
            Some(t) => fl!(
                "backup-working",
                folder = folder.to_string(),
                ago = format::ago(t, now)
            ),
            None => fl!("backup-working-unwritten", folder = folder.to_string()),
        }),
    };
    let label = if status.place.is_some() {
        fl!("backup-choose-other")
    } else {
        fl!("backup-choose-folder")
    };
    let mut content = column![
        text(fl!("backup-title")).size(theme::size::BODY),
        state,
        text(fl!("backup-what-it-recovers")).size(theme::size::SMALL),
        button(text(label)).on_press(choose).style(theme::secondary),
    ]
    .spacing(theme::space::S);
    if let Some(e) = error {
        content = content.push(error_text(e.to_string()));
    }
    card(content)
}

/// One sentence per damaged file set aside at start.
pub fn set_aside_notice<'a, M: 'a>(files: &'a [SetAside]) -> Option<Element<'a, M>> {
    if files.is_empty() {
        return None;
    }
    let mut c = column![].spacing(theme::space::S);
    for f in files {
        let consequence = match f.file.as_str() {
            "settings.toml" => fl!("damaged-settings"),
            "payments.json" => fl!("damaged-payments"),
            "channels.json" => fl!("damaged-channels"),
            "channel-backup.toml" => fl!("damaged-backup-record"),
            _ => String::new(),
        };
        c = c.push(error_text(fl!(
            "damaged-file",
            file = f.file.clone(),
            kept = f.kept_as.display().to_string(),
            consequence = consequence
        )));
    }
    Some(card(c))
}

pub fn view<'a>(home: &HomeView<'a>) -> Element<'a, Message> {
    let HomeView {
        snapshot,
        node_id,
        syncing,
        set_aside,
        backup_error,
        fiat,
        first_steps,
        spin,
        returning_sat,
        balance_over_time,
    } = *home;
    let b = &snapshot.balances;
    let onchain = column![
        text(fl!("home-onchain")).size(theme::size::BODY),
        text(format::sat(b.onchain_total_sat)).size(theme::size::DISPLAY),
        text(format::btc(b.onchain_total_sat)).size(theme::size::LABEL),
        field(
            fl!("home-confirmed"),
            format::sat(b.onchain_confirmed_sat())
        ),
        field(fl!("home-incoming"), format::sat(b.onchain_incoming_sat)),
        field(fl!("home-spendable"), format::sat(b.onchain_spendable_sat)),
    ]
    .push(
        (b.anchor_reserve_sat > 0)
            .then(|| field(fl!("home-reserve"), format::sat(b.anchor_reserve_sat))),
    )
    .spacing(theme::space::S);

    let lightning = column![
        text(fl!("home-lightning")).size(theme::size::BODY),
        text(format::sat(b.lightning_sat)).size(theme::size::DISPLAY),
    ]
    .push((b.lightning_sat == 0).then(|| text(fl!("home-lightning-none")).size(theme::size::SMALL)))
    .spacing(theme::space::S);

    let sync_state: Element<'a, Message> = match snapshot.last_sync {
        _ if is_syncing(snapshot, syncing) => progress::spinner(
            spin,
            if snapshot.last_sync.is_none() {
                fl!("home-first-sync")
            } else {
                fl!("home-syncing")
            },
        ),
        Some(t) => text(fl!("home-synced", ago = format::ago(t, crate::core::now()))).into(),
        None => text(fl!("home-never-synced")).into(),
    };
    let mut sync_button = button(text(fl!("home-sync-now"))).style(theme::secondary);
    if !syncing {
        sync_button = sync_button.on_press(Message::SyncPressed);
    }
    let chain = row![
        text(fl!("home-height", height = snapshot.height)),
        text("·"),
        sync_state,
        Space::new().width(Length::Fill),
        sync_button,
    ]
    .spacing(theme::space::M)
    .align_y(iced::Alignment::Center);
    let chain = column![chain]
        .push(snapshot.server.unreachable_since.map(|since| {
            error_text(fl!(
                "home-server-down",
                url = snapshot.server.url.clone(),
                since = format::datetime(since)
            ))
        }))
        .spacing(theme::space::S);

    let node = row![
        text(fl!("home-node-id")),
        text(node_id)
            .size(theme::size::SMALL)
            .font(iced::Font::MONOSPACE),
        button(text(fl!("button-copy")).size(theme::size::SMALL))
            .on_press(Message::CopyNodeIdPressed)
            .style(theme::quiet),
    ]
    .spacing(theme::space::M)
    .align_y(iced::Alignment::Center);

    // Fiat beside sats, only if asked; the rate's time with it, or why there is none.
    let fiat = fiat.map(|rate| -> Element<'a, Message> {
        match rate {
            Ok(r) => text(fl!(
                "home-fiat",
                onchain = format::fiat(r.cents(b.onchain_total_sat * 1000), &r.currency),
                lightning = format::fiat(r.cents(b.lightning_sat * 1000), &r.currency),
                time = format::datetime(r.time)
            ))
            .size(theme::size::LABEL)
            .into(),
            Err(why) => note_text(why.clone()),
        }
    });
    column![]
        .push(set_aside_notice(set_aside))
        .push(is_new(snapshot).then(|| first_steps_card(first_steps)))
        .push(row![card(onchain), card(lightning)].spacing(theme::space::L))
        .push(fiat)
        // The chain's state high up: a sync under way shows at once.
        .push(card(chain))
        .push(
            money_bar::view(Whereabouts::of(
                b.onchain_total_sat,
                b.lightning_sat,
                returning_sat,
            ))
            .map(card),
        )
        .push(balance_chart::view(balance_over_time).map(card))
        .push(backup_card(
            &snapshot.backup,
            Message::ChooseBackupPressed,
            backup_error,
        ))
        .push(node)
        .spacing(theme::space::L)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::backup::BackupFailure;
    use crate::ui::testing::{click, shows};

    fn home<'a>(
        snapshot: &'a Snapshot,
        set_aside: &'a [SetAside],
        error: Option<&'a str>,
    ) -> Element<'a, Message> {
        view(&HomeView {
            snapshot,
            node_id: "02ab",
            syncing: false,
            set_aside,
            backup_error: error,
            fiat: None,
            first_steps: FirstSteps::FundInLab,
            spin: 0,
            returning_sat: 0,
            balance_over_time: &[],
        })
    }

    #[test]
    fn no_backup_says_what_is_at_stake_and_offers_the_folder_chooser() {
        let s = Snapshot::default();
        assert!(shows(home(&s, &[], None), &fl!("backup-none")));
        assert!(shows(home(&s, &[], None), &fl!("backup-what-it-recovers")));
        let pressed = click(home(&s, &[], None), &fl!("backup-choose-folder"));
        assert!(matches!(pressed.as_slice(), [Message::ChooseBackupPressed]));
    }

    #[test]
    fn a_working_backup_names_its_folder_and_a_failing_one_says_what_to_do() {
        let mut s = Snapshot::default();
        s.backup.place = Some(crate::core::store::backup::BackupPlace::Folder {
            folder: "/media/usb".into(),
        });
        s.backup.last_written = Some(crate::core::now());
        let working = fl!(
            "backup-working",
            folder = "/media/usb",
            ago = format::ago(crate::core::now(), crate::core::now())
        );
        assert!(shows(home(&s, &[], None), &working));
        s.backup.failing = Some(BackupFailure {
            since: 1_700_000_000,
            reason: "No such device".into(),
            taken_over: false,
        });
        let failing = fl!(
            "backup-failing",
            folder = "/media/usb",
            since = format::datetime(1_700_000_000),
            reason = "No such device"
        );
        assert!(shows(home(&s, &[], None), &failing));
        assert!(!shows(home(&s, &[], None), &working));
        // A refused folder choice is said under the card.
        assert!(shows(home(&s, &[], Some("refused here")), "refused here"));
    }

    #[test]
    fn an_unreachable_server_is_said_with_since_when_and_what_still_works() {
        let mut s = Snapshot::default();
        s.server.url = "ssl://electrum.example:50002".into();
        let down = |since| {
            fl!(
                "home-server-down",
                url = "ssl://electrum.example:50002",
                since = format::datetime(since)
            )
        };
        assert!(!shows(home(&s, &[], None), &down(1_700_000_000)));
        s.server.unreachable_since = Some(1_700_000_000);
        assert!(shows(home(&s, &[], None), &down(1_700_000_000)));
    }

    #[test]
    fn damaged_files_are_named_with_where_they_are_kept_and_what_it_means() {
        let s = Snapshot::default();
        let aside = [SetAside {
            file: "payments.json".into(),
            kept_as: "/data/payments.json.damaged-1".into(),
            reason: "EOF".into(),
        }];
        let sentence = fl!(
            "damaged-file",
            file = "payments.json",
            kept = "/data/payments.json.damaged-1",
            consequence = fl!("damaged-payments")
        );
        assert!(shows(home(&s, &aside, None), &sentence));
        assert!(!shows(home(&s, &[], None), &sentence));
    }

    fn with_steps(snapshot: &Snapshot, steps: FirstSteps<'static>) -> Element<'static, Message> {
        with(snapshot, steps, 0)
    }

    /// Home over a copy of `snapshot` that lives as long as the test (the view borrows it).
    fn with(
        snapshot: &Snapshot,
        steps: FirstSteps<'static>,
        returning_sat: u64,
    ) -> Element<'static, Message> {
        let snapshot: &'static Snapshot = Box::leak(Box::new(snapshot.clone()));
        view(&HomeView {
            snapshot,
            node_id: "02ab",
            syncing: false,
            set_aside: &[],
            backup_error: None,
            fiat: None,
            first_steps: steps,
            spin: 0,
            returning_sat,
            balance_over_time: &[],
        })
    }

    #[test]
    fn a_new_wallet_is_told_how_to_get_its_first_coins_until_it_has_some() {
        const ADDRESS: &str = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
        let new = Snapshot::default();
        // On the Lab's chain: one press to the Lab.
        let lab = || with_steps(&new, FirstSteps::FundInLab);
        assert!(shows(lab(), &fl!("home-start-lab-title")));
        assert!(matches!(
            click(lab(), &fl!("home-start-lab-button"))[..],
            [Message::FundInLabPressed]
        ));
        assert_eq!(update(Message::FundInLabPressed), Action::ShowLab);
        // Elsewhere: the address itself, one press to copy it.
        let receive = || with_steps(&new, FirstSteps::Receive(Some(ADDRESS)));
        assert!(shows(receive(), &fl!("home-start-receive-title")));
        assert!(shows(receive(), ADDRESS));
        let copied = click(receive(), &fl!("button-copy"));
        assert!(matches!(&copied[..], [Message::CopyAddressPressed(a)] if a == ADDRESS));
        assert_eq!(update(Message::MoreWaysPressed), Action::ShowReceive);
        // Money arrived (even unconfirmed): the card goes.
        let mut funded = Snapshot::default();
        funded.balances.onchain_total_sat = 10_000;
        funded.balances.onchain_incoming_sat = 10_000;
        assert!(!shows(
            with_steps(&funded, FirstSteps::Receive(Some(ADDRESS))),
            &fl!("home-start-receive-title")
        ));
    }

    #[test]
    fn where_the_money_is_adds_up_to_the_balances() {
        let mut s = Snapshot::default();
        s.balances.onchain_total_sat = 1_250_000;
        s.balances.lightning_sat = 1_049_013;
        let v = || with(&s, FirstSteps::FundInLab, 400_000);
        let part = |label: String, sat: u64| format!("{label} {}", format::sat(sat));
        assert!(shows(v(), &part(fl!("where-onchain"), 1_250_000)));
        assert!(shows(v(), &part(fl!("where-channels"), 649_013)));
        assert!(shows(v(), &part(fl!("where-returning"), 400_000)));
    }
}

//! Home: balances, chain height and sync state, node id.

use iced::widget::{button, column, row, text, Space};
use iced::{Element, Length};

use crate::core::node::Snapshot;
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, field};

#[derive(Debug, Clone)]
pub enum Message {
    SyncPressed,
    CopyNodeIdPressed,
}

pub fn view<'a>(snapshot: &'a Snapshot, node_id: &'a str, syncing: bool) -> Element<'a, Message> {
    let b = &snapshot.balances;
    let onchain = column![
        text(fl!("home-onchain")).size(16),
        text(format::sat(b.onchain_total_sat)).size(34),
        text(format::btc(b.onchain_total_sat)).size(14),
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
    .spacing(6);

    let lightning = column![
        text(fl!("home-lightning")).size(16),
        text(format::sat(b.lightning_sat)).size(34),
    ]
    .push((b.lightning_sat == 0).then(|| text(fl!("home-lightning-none")).size(13)))
    .spacing(6);

    let sync_text = match snapshot.last_sync {
        _ if syncing => fl!("home-syncing"),
        Some(t) => fl!("home-synced", ago = format::ago(t, crate::core::now())),
        None => fl!("home-never-synced"),
    };
    let mut sync_button = button(text(fl!("home-sync-now"))).style(button::secondary);
    if !syncing {
        sync_button = sync_button.on_press(Message::SyncPressed);
    }
    let chain = row![
        text(fl!("home-height", height = snapshot.height)),
        text("·"),
        text(sync_text),
        Space::new().width(Length::Fill),
        sync_button,
    ]
    .spacing(10)
    .align_y(iced::Alignment::Center);

    let node = row![
        text(fl!("home-node-id")),
        text(node_id).size(13).font(iced::Font::MONOSPACE),
        button(text(fl!("button-copy")).size(13))
            .on_press(Message::CopyNodeIdPressed)
            .style(button::text),
    ]
    .spacing(10)
    .align_y(iced::Alignment::Center);

    column![
        row![card(onchain), card(lightning)].spacing(16),
        card(chain),
        node
    ]
    .spacing(16)
    .into()
}

//! Every screen of the app drawn from made-up data, as the window shows it (sidebar included):
//! the snapshot tests compare them with the reference images in `docs/screens/`, and the same
//! shots are what the docs show. Nothing here depends on the clock beyond whole minutes.

use iced::Element;

use crate::core::history::balance::BalancePoint;
use crate::core::history::samples::received_on_chain;
use crate::core::lightning::channels::samples::{active, force_closing, HEIGHT, PEER_A};
use crate::core::lightning::channels::{ChannelStatus, ChannelsOverview};
use crate::core::lightning::payments::samples::payment;
use crate::core::lightning::payments::PaymentState;
use crate::core::store::backup::{BackupPlace, BackupStatus};
use crate::core::wallet::Snapshot;
use crate::core::{Network, Settings};
use crate::ui::screen::{activity, channels, counter, graph, home, lab, receive, send, settings};
use crate::ui::shell::{frame, with_notes, Message, Tab};

/// The window size the shots are drawn at (logical pixels): the app's default window.
pub const SIZE: (f32, f32) = (1100.0, 760.0);

/// The Electrum server the Lab's shots say the local chain serves at.
const LAB_URL: &str = "tcp://127.0.0.1:50001";
const NODE_ID: &str = "02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619";
const ADDRESS: &str = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// Something that takes a drawn screen: the snapshot test's camera.
pub type Camera<'c> = dyn for<'a> FnMut(Element<'a, Message>) + 'c;

/// One screen in one state.
pub struct Shot {
    /// File name stem of its reference image.
    pub name: &'static str,
    pub draw: fn(&mut Camera<'_>),
}

/// Every shot, in the order of the sidebar.
pub fn shots() -> Vec<Shot> {
    vec![
        Shot {
            name: "home-empty",
            draw: home_empty,
        },
        Shot {
            name: "home-funded",
            draw: home_funded,
        },
        Shot {
            name: "home-notes",
            draw: home_notes,
        },
        Shot {
            name: "send-review",
            draw: send_review,
        },
        Shot {
            name: "send-from-channel",
            draw: send_from_channel,
        },
        Shot {
            name: "receive-qr",
            draw: receive_qr,
        },
        Shot {
            name: "activity-empty",
            draw: activity_empty,
        },
        Shot {
            name: "activity",
            draw: activity_list,
        },
        Shot {
            name: "channels-empty",
            draw: channels_empty,
        },
        Shot {
            name: "channels-list",
            draw: channels_list,
        },
        Shot {
            name: "channels-detail",
            draw: channels_detail,
        },
        Shot {
            name: "channels-splice",
            draw: channels_splice,
        },
        Shot {
            name: "network",
            draw: network,
        },
        Shot {
            name: "lab",
            draw: lab_nodes,
        },
        Shot {
            name: "lab-swap",
            draw: lab_swap,
        },
        Shot {
            name: "settings",
            draw: settings_page,
        },
        Shot {
            name: "counter",
            draw: counter_keypad,
        },
    ]
}

fn shown<'a>(tab: Tab, body: Element<'a, Message>) -> Element<'a, Message> {
    frame(tab, Network::Regtest, body)
}

/// The sample channels, and one more still waiting for its funding transaction's
/// confirmations.
fn samples() -> ChannelsOverview {
    let mut opening = active();
    opening.id = "opening".into();
    opening.peer = crate::core::lightning::channels::samples::PEER_B.into();
    opening.status = ChannelStatus::Opening {
        confirmations: 2,
        required: Some(6),
    };
    ChannelsOverview {
        channels: vec![opening, active(), force_closing()],
        height: HEIGHT,
    }
}

/// Home on the Lab's chain, as the app shows it there.
fn home_of<'a>(
    snapshot: &'a Snapshot,
    balance_over_time: &'a [BalancePoint],
) -> home::HomeView<'a> {
    home::HomeView {
        snapshot,
        node_id: NODE_ID,
        syncing: false,
        set_aside: &[],
        backup_error: None,
        fiat: None,
        first_steps: home::FirstSteps::FundInLab,
        spin: 0,
        returning_sat: if snapshot.balances.lightning_sat > 0 {
            force_closing().our_balance_sat
        } else {
            0
        },
        balance_over_time,
    }
}

/// How the funded Home's balances came to be, at fixed times: 3,201,000 sat deposited; the two
/// sample channels funded with 1,000,000 sat each; 974,013 sat paid over Lightning and 25,000
/// received; the second channel force-closed (its money still on its way back); 50,000 sat
/// arriving on chain.
fn balance_story(snapshot: &Snapshot) -> Vec<BalancePoint> {
    use crate::core::history::Entry;
    use crate::core::lightning::payments::PaymentKindView;
    const DAY: u64 = 86_400;
    let start = active().history.opened_at.unwrap_or_default();
    let entry = |days: f64, incoming: bool, onchain: Option<String>, sat: u64, fee: u64| Entry {
        time: (start as i64 + (days * DAY as f64) as i64) as u64,
        incoming,
        kind: if onchain.is_some() {
            PaymentKindView::Onchain
        } else {
            PaymentKindView::Bolt11
        },
        status: PaymentState::Succeeded,
        amount_msat: Some(sat * 1000),
        fee_msat: Some(fee * 1000),
        description: None,
        payment_hash: None,
        preimage: None,
        confirmations: onchain.as_ref().map(|_| 6),
        txid: onchain,
        overpaid_msat: None,
        fiat: None,
        splice: None,
        swap: None,
    };
    let funding = |c: &crate::core::lightning::channels::Channel| {
        c.funding_outpoint
            .as_deref()
            .and_then(|o| o.split(':').next())
            .map(String::from)
    };
    let mut closing = force_closing();
    closing.funding_outpoint = Some(format!("{}:0", "dd".repeat(32)));
    closing.history.opening_outpoint = closing.funding_outpoint.clone();
    closing.history.opened_at = Some(start + DAY);
    let history = vec![
        entry(4.0, true, Some("ee".repeat(32)), 50_000, 0),
        entry(3.5, true, None, 25_000, 0),
        entry(3.0, false, None, 599_000, 13),
        entry(2.0, false, None, 374_990, 10),
        entry(1.0, false, funding(&closing), 1_000_000, 500),
        entry(0.0, false, funding(&active()), 1_000_000, 500),
        entry(-2.0, true, Some("aa".repeat(32)), 3_201_000, 0),
    ];
    let b = &snapshot.balances;
    crate::core::history::balance::over_time(
        (b.onchain_total_sat, b.lightning_sat),
        start + 5 * DAY,
        &history,
        &[active(), closing],
    )
}

fn home_empty(camera: &mut Camera<'_>) {
    let snapshot = Snapshot::default();
    camera(shown(
        Tab::Home,
        home::view(&home_of(&snapshot, &[])).map(Message::Home),
    ));
}

/// A wallet with coins on chain (some arriving), an active channel and a force-closed one.
fn funded() -> Snapshot {
    let now = crate::core::now();
    let mut snapshot = Snapshot::default();
    snapshot.balances.onchain_total_sat = 1_250_000;
    snapshot.balances.onchain_incoming_sat = 50_000;
    snapshot.balances.onchain_spendable_sat = 1_175_000;
    snapshot.balances.anchor_reserve_sat = 25_000;
    // What the active sample channel would pay us, and the force-closed one's money on its way
    // back, as LDK counts both.
    snapshot.balances.lightning_sat = active().our_balance_sat + force_closing().our_balance_sat;
    snapshot.height = HEIGHT;
    snapshot.last_sync = Some(now - 120);
    snapshot.backup = BackupStatus {
        place: Some(BackupPlace::Folder {
            folder: "/media/usb/shandian".into(),
        }),
        last_written: Some(now - 60),
        ..BackupStatus::default()
    };
    snapshot
}

fn home_funded(camera: &mut Camera<'_>) {
    let snapshot = funded();
    let story = balance_story(&snapshot);
    camera(shown(
        Tab::Home,
        home::view(&home_of(&snapshot, &story)).map(Message::Home),
    ));
}

/// Home while notes tell of a payment that came in and a channel that became ready (both
/// fresh, so not yet fading).
fn home_notes(camera: &mut Camera<'_>) {
    use crate::ui::theme::{Icon, Tone};
    let snapshot = funded();
    let story = balance_story(&snapshot);
    let mut notes = crate::ui::widget::toast::Toasts::default();
    let now = std::time::Instant::now();
    notes.push(
        crate::fl!(
            "toast-channel-ready",
            peer = crate::ui::format::short_id(PEER_A)
        ),
        Tone::Success,
        Icon::Zap,
        now,
    );
    notes.push(
        crate::fl!("toast-received", amount = crate::ui::format::sat(25_000)),
        Tone::Success,
        Icon::ArrowDownLeft,
        now,
    );
    camera(with_notes(
        shown(
            Tab::Home,
            home::view(&home_of(&snapshot, &story)).map(Message::Home),
        ),
        &notes,
    ));
}

fn send_review(camera: &mut Camera<'_>) {
    send_reviewed(camera, 1_175_000, "150000", ChannelsOverview::default());
}

/// More than the chain holds: Send offers to pay the address from a channel.
fn send_from_channel(camera: &mut Camera<'_>) {
    let channels = ChannelsOverview {
        channels: vec![active()],
        height: 0,
    };
    send_reviewed(camera, 175_000, "400000", channels);
}

/// Send after Review, with `amount` to the sample address.
fn send_reviewed(
    camera: &mut Camera<'_>,
    spendable: u64,
    amount: &str,
    channels: ChannelsOverview,
) {
    let mut s = send::SendScreen::default();
    s.set_fee_choices(Ok(crate::core::chain::fees::FeeChoices {
        fast_sat_vb: 12,
        normal_sat_vb: 5,
        slow_sat_vb: 2,
    }));
    s.set_channels(channels);
    for m in [
        send::Message::AddressChanged(ADDRESS.into()),
        send::Message::AmountChanged(amount.into()),
        send::Message::ReviewPressed,
    ] {
        s.update(m, spendable, Network::Regtest);
    }
    camera(shown(
        Tab::Send,
        s.view(spendable, Network::Regtest).map(Message::Send),
    ));
}

fn receive_qr(camera: &mut Camera<'_>) {
    let mut r = receive::Receive::default();
    r.set_address(ADDRESS.into());
    camera(shown(Tab::Receive, r.view().map(Message::Receive)));
}

/// Activity with its export period fixed (it defaults to this month).
fn activity_page() -> activity::Activity {
    let mut a = activity::Activity::default();
    a.update(activity::Message::FirstDayChanged("2026-11-01".into()));
    a.update(activity::Message::LastDayChanged("2026-11-30".into()));
    a
}

fn activity_empty(camera: &mut Camera<'_>) {
    let a = activity_page();
    camera(shown(Tab::Activity, a.view(&[]).map(Message::Activity)));
}

fn activity_list(camera: &mut Camera<'_>) {
    let a = activity_page();
    let mut coffee = payment(true, PaymentState::Succeeded, "coffee");
    coffee.id = "01".repeat(32);
    let mut rent = payment(false, PaymentState::Succeeded, "rent");
    rent.id = "02".repeat(32);
    rent.time += 3_600;
    let mut books = payment(false, PaymentState::Failed, "books");
    books.id = "03".repeat(32);
    books.time += 7_200;
    // A splice into a channel (its transaction unconfirmed) and a payment from a channel.
    let (spliced, splice_tx) = crate::core::history::splices::samples::spliced();
    // A swap to Lightning, paid: its transaction and its payment are one entry.
    let (swap, swap_tx, swap_paid) = crate::core::history::swaps::samples::paid_to_lightning();
    let entries = crate::core::history::merge(
        &[coffee, rent, books, swap_paid],
        &[received_on_chain(), splice_tx[0].clone(), swap_tx],
        &[spliced],
        &[swap],
    );
    camera(shown(
        Tab::Activity,
        a.view(&entries).map(Message::Activity),
    ));
}

fn channels_empty(camera: &mut Camera<'_>) {
    let c = channels::ChannelsScreen::default();
    camera(shown(
        Tab::Channels,
        c.view(Some(2), channels::BackupGate::Working)
            .map(Message::Channels),
    ));
}

fn channels_list(camera: &mut Camera<'_>) {
    let mut c = channels::ChannelsScreen::default();
    c.set_overview(samples());
    camera(shown(
        Tab::Channels,
        c.view(Some(2), channels::BackupGate::Working)
            .map(Message::Channels),
    ));
}

fn channels_detail(camera: &mut Camera<'_>) {
    let mut c = channels::ChannelsScreen::default();
    c.set_overview(samples());
    c.update(
        channels::Message::ChannelSelected(active().id),
        1_175_000,
        channels::BackupGate::Working,
    );
    camera(shown(
        Tab::Channels,
        c.view(Some(2), channels::BackupGate::Working)
            .map(Message::Channels),
    ));
}

/// A channel's splice card at its confirm step: 200,000 sat to be added from the chain.
fn channels_splice(camera: &mut Camera<'_>) {
    use channels::resize::{Message as Resize, ResizeForm};
    let c = active();
    let mut form = ResizeForm::default();
    form.update(Resize::AmountChanged("200000".into()), &c, 1_175_000);
    form.update(Resize::InPressed, &c, 1_175_000);
    let body = iced::widget::column![
        crate::ui::widget::title(crate::fl!(
            "ch-detail-title",
            peer = crate::ui::format::short_id(&c.peer)
        )),
        crate::ui::widget::card(form.view(&c, Some(2), false)),
    ]
    .spacing(crate::ui::theme::space::L);
    camera(shown(
        Tab::Channels,
        iced::Element::from(body).map(|m| Message::Channels(channels::Message::Resize(m))),
    ));
}

fn network(camera: &mut Camera<'_>) {
    let mut g = graph::Graph::default();
    g.read(Ok(crate::core::lightning::graph::samples::graph()));
    camera(shown(
        Tab::Graph,
        g.view(crate::core::now()).map(Message::Graph),
    ));
}

fn lab_nodes(camera: &mut Camera<'_>) {
    let mut l = lab::LabScreen::default();
    l.nodes_read(crate::lab::samples::nodes());
    let overview = samples();
    camera(shown(
        Tab::Lab,
        l.view(Some(LAB_URL.into()), &overview, HEIGHT)
            .map(Message::Lab),
    ));
}

/// A swap to Lightning whose HTLC is funded and whose invoice is not paid yet: both locks, the
/// shared hash and the refund's block.
fn lab_swap(camera: &mut Camera<'_>) {
    use crate::core::swap::book::{SwapDirection, SwapRecord, SwapState};
    let mut l = lab::LabScreen::default();
    l.nodes_read(crate::lab::samples::nodes());
    let hash = "5f1a9c3e7b2d4068a1c9e0f2b3d4c5e6f708192a3b4c5d6e7f8091a2b3c4d5e6".to_string();
    l.swaps_read(vec![SwapRecord {
        payment_hash: hash.clone(),
        direction: SwapDirection::ToLightning,
        amount_sat: 100_000,
        key_index: 0,
        counterparty_key: crate::lab::samples::ALICE_ID.into(),
        refund_height: HEIGHT + 19,
        preimage: None,
        htlc_address: "bcrt1qx7h2k9v3m5d8p0w4s6t1y2u3i4o5p6a7s8d9f0g1h2j3k4l5z6x7c8v9b0".into(),
        funding_txid: Some(
            "9b8a7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f3021120f3e4d5c6b7a80".into(),
        ),
        state: SwapState::Funded,
        created_at: 1_700_000_000,
        spend_fee_rate_sat_vb: Some(2),
    }]);
    let _ = l.update(lab::Message::Swap(lab::SwapMessage::Show(hash)));
    let overview = samples();
    camera(shown(
        Tab::Lab,
        l.view(Some(LAB_URL.into()), &overview, HEIGHT)
            .map(Message::Lab),
    ));
}

fn settings_page(camera: &mut Camera<'_>) {
    let chosen = Settings::defaults_for(Network::Regtest);
    let s = settings::SettingsScreen::new(None, &chosen);
    let backup = BackupStatus::default();
    camera(shown(
        Tab::Settings,
        s.view(
            Network::Regtest,
            true,
            &chosen,
            "~/.local/share/shandian/regtest".into(),
            &backup,
            None,
        )
        .map(Message::Settings),
    ));
}

fn counter_keypad(camera: &mut Camera<'_>) {
    let c = counter::Counter::default();
    camera(c.view().map(Message::Counter));
}

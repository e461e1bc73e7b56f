//! Benchmark, not a test: Activity with a year of a shop's payments (10,000) and Channels with
//! 200 channels, drawn frame after frame with the software renderer (tiny-skia, as on this
//! machine without a GPU) while the list scrolls.
//!
//! `cargo run --release --example bench_screens`
//!
//! The data goes into the structures the screens draw from: payment records and on-chain
//! activity merged by `core::history::merge` (as the wallet screen merges them), channels in a
//! `ChannelsOverview` (copies of the screen tests' sample channels). Each frame does what iced's
//! runtime does after a message: the screen's `view`, the layout (`UserInterface::build`, with
//! the widget state of the frame before, so the scroll position stays), one mouse-wheel step,
//! then drawing and rasterising at 1280×800 (scale 1). Side by side in the same run, the same
//! screen with 10 payments or 3 channels. Also timed: merging, searching and exporting the
//! 10,000 payments.

mod bench_common;

use std::time::{Duration, Instant};

use iced::widget::{container, scrollable};
use iced::{Element, Font, Pixels, Size, Theme};
use iced_test::core::renderer::Headless;
use iced_test::core::{clipboard, mouse, renderer, Event, Point};
use iced_test::runtime::user_interface::{Cache, UserInterface};
use shandian::core::history::OnchainActivity;
use shandian::core::history::{self, Filter, Period};
use shandian::core::lightning::channels::{samples, ChannelsOverview};
use shandian::core::lightning::payments::{PaymentKindView, PaymentRecord, PaymentState};
use shandian::ui::screen::activity::Activity;
use shandian::ui::screen::channels::{BackupGate, ChannelsScreen};

use bench_common::{machine, ms, percentile};

const FRAMES: usize = 120;
const SIZE: Size = Size::new(1280.0, 800.0);
/// One wheel step, in lines (iced scrolls 60 px a line).
const WHEEL_LINES: f32 = 1.0;

fn main() -> anyhow::Result<()> {
    shandian::ui::i18n::set_language(shandian::core::Language::English);
    let mut renderer = iced::futures::executor::block_on(<iced::Renderer as Headless>::new(
        Font::with_name("Fira Sans"),
        Pixels(16.0),
        Some("tiny-skia"),
    ))
    .ok_or_else(|| anyhow::anyhow!("no software renderer"))?;

    // A year of a shop: 9,000 Lightning payments, 1,000 on-chain transactions.
    let now = shandian::core::now();
    let (records, onchain) = year_of_payments(now, 9_000, 1_000);
    let (few_records, few_onchain) = year_of_payments(now, 8, 2);

    let mut merge = Vec::new();
    let mut entries = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        entries = history::merge(&records, &onchain, &[], &[]);
        merge.push(t.elapsed());
    }
    let few_entries = history::merge(&few_records, &few_onchain, &[], &[]);
    let mut search = Vec::new();
    for _ in 0..10 {
        let filter = Filter {
            text: "coffee 15".into(),
            ..Filter::default()
        };
        let t = Instant::now();
        let n = entries.iter().filter(|e| filter.matches(e)).count();
        search.push(t.elapsed());
        anyhow::ensure!(n > 0, "the search finds something");
    }
    let year = Period::parse(
        &chrono::DateTime::from_timestamp((now - 366 * 86_400) as i64, 0)
            .expect("a date")
            .date_naive()
            .to_string(),
        &chrono::Local::now().date_naive().to_string(),
    )?;
    let mut export = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let csv = history::to_csv(&entries, &year);
        export.push(t.elapsed());
        anyhow::ensure!(csv.lines().count() > 9_000, "the year is exported");
    }

    let activity = Activity::default();
    let mut channels = ChannelsScreen::default();
    channels.set_overview(overview(200));
    let mut few_channels = ChannelsScreen::default();
    few_channels.set_overview(overview(3));
    let gate = BackupGate::Working;

    let mut rows: Vec<(&str, Vec<Duration>, Vec<Duration>)> = Vec::new();
    let (b, d) = frame_times(&mut renderer, &|| activity.view(&entries).map(|_| ()));
    rows.push(("Activity, 10,000 payments", b, d));
    let (b, d) = frame_times(&mut renderer, &|| activity.view(&few_entries).map(|_| ()));
    rows.push(("Activity, 10 payments", b, d));
    let (b, d) = frame_times(&mut renderer, &|| channels.view(Some(2), gate).map(|_| ()));
    rows.push(("Channels, 200 channels", b, d));
    let (b, d) = frame_times(&mut renderer, &|| {
        few_channels.view(Some(2), gate).map(|_| ())
    });
    rows.push(("Channels, 3 channels", b, d));

    println!(
        "screens with the software renderer (tiny-skia), {}×{} at scale 1, {FRAMES} frames each while scrolling; {}",
        SIZE.width,
        SIZE.height,
        machine()
    );
    println!("in ms; after the first frame, p50 / p99 / max");
    println!(
        "{:<30}{:>14}{:>24}{:>24}{:>24}",
        "", "first frame", "view + layout", "scroll + draw", "whole frame"
    );
    let cell = |v: &mut Vec<Duration>| {
        let (p50, p99) = (percentile(v, 50.0), percentile(v, 99.0));
        let max = *v.iter().max().expect("frames");
        format!("{:.2} / {:.2} / {:.2}", ms(p50), ms(p99), ms(max))
    };
    for (what, mut build, mut draw) in rows {
        // The first frame also shapes every text once (a cold cache): shown on its own.
        let first = build.remove(0) + draw.remove(0);
        let mut whole: Vec<Duration> = build.iter().zip(&draw).map(|(a, b)| *a + *b).collect();
        println!(
            "{what:<30}{:>14.2}{:>24}{:>24}{:>24}",
            ms(first),
            cell(&mut build),
            cell(&mut draw),
            cell(&mut whole)
        );
    }
    println!("the history of 10,000 payments, 10 runs each:");
    println!(
        "{:<30}{:>24}",
        "merge (every wallet update)",
        cell(&mut merge)
    );
    println!("{:<30}{:>24}", "search", cell(&mut search));
    println!("{:<30}{:>24}", "export a year to CSV", cell(&mut export));
    Ok(())
}

/// Times `FRAMES` frames of `view` in a scrollable, scrolling down one wheel step a frame:
/// (view + layout, scroll + draw + rasterise) for each.
fn frame_times<'a>(
    renderer: &mut iced::Renderer,
    view: &'a dyn Fn() -> Element<'a, ()>,
) -> (Vec<Duration>, Vec<Duration>) {
    let mut cache = Cache::default();
    let (mut build, mut draw) = (Vec::new(), Vec::new());
    let cursor = mouse::Cursor::Available(Point::new(SIZE.width / 2.0, SIZE.height / 2.0));
    let theme = Theme::Light;
    let mut messages = Vec::new();
    for _ in 0..FRAMES {
        let t = Instant::now();
        // As the wallet screen wraps every tab.
        let page: Element<'_, ()> = scrollable(container(view()).padding(20))
            .height(iced::Length::Fill)
            .into();
        let mut ui = UserInterface::build(page, SIZE, cache, renderer);
        build.push(t.elapsed());
        let t = Instant::now();
        let wheel = Event::Mouse(mouse::Event::WheelScrolled {
            delta: mouse::ScrollDelta::Lines {
                x: 0.0,
                y: -WHEEL_LINES,
            },
        });
        let redraw = Event::Window(iced::window::Event::RedrawRequested(Instant::now()));
        let _ = ui.update(
            &[wheel, redraw],
            cursor,
            renderer,
            &mut clipboard::Null,
            &mut messages,
        );
        ui.draw(
            renderer,
            &theme,
            &renderer::Style {
                text_color: theme.palette().text,
            },
            cursor,
        );
        let physical = Size::new(SIZE.width as u32, SIZE.height as u32);
        let pixels = renderer.screenshot(physical, 1.0, theme.palette().background);
        draw.push(t.elapsed());
        assert!(!pixels.is_empty());
        cache = ui.into_cache();
    }
    (build, draw)
}

/// `lightning` payments and `onchain` transactions over the last year, newest first, with the
/// mix of a shop: mostly small incoming payments with a description, some outgoing, a few
/// failed or expired.
fn year_of_payments(
    now: u64,
    lightning: usize,
    onchain: usize,
) -> (Vec<PaymentRecord>, Vec<OnchainActivity>) {
    let step = 365 * 86_400 / (lightning + onchain).max(1) as u64;
    let records = (0..lightning)
        .map(|i| {
            let incoming = i % 5 != 0;
            let status = match i % 50 {
                0 => PaymentState::Failed,
                1 => PaymentState::Expired,
                _ => PaymentState::Succeeded,
            };
            PaymentRecord {
                id: format!("{i:064x}"),
                incoming,
                kind: if i % 7 == 0 {
                    PaymentKindView::Bolt12
                } else {
                    PaymentKindView::Bolt11
                },
                status,
                amount_msat: Some(1_000 * (500 + (i as u64 * 7_919) % 200_000)),
                fee_msat: (!incoming).then_some(1_000 + i as u64 % 3_000),
                payment_hash: Some(format!("{:064x}", i * 31)),
                preimage: (status == PaymentState::Succeeded).then(|| format!("{:064x}", i * 37)),
                time: now - i as u64 * step,
                expires_at: None,
                overpaid_msat: None,
                fiat: None,
                description: Some(
                    ["coffee", "croissant", "tea and cake", "lunch", "refund"][i % 5].to_string()
                        + &format!(" {}", i % 100),
                ),
            }
        })
        .collect();
    let onchain = (0..onchain)
        .map(|i| OnchainActivity {
            txid: format!("{:064x}", i * 41 + 7),
            incoming: i % 3 != 0,
            amount_sat: 10_000 + (i as u64 * 104_729) % 5_000_000,
            fee_sat: Some(141 + i as u64 % 500),
            confirmations: (i as u32 * 13) % 5_000,
            time: now - i as u64 * step * 9 - step / 2,
        })
        .collect();
    (records, onchain)
}

/// `n` channels: alternately the screen tests' active channel and their force-closed one, each
/// with an id of its own.
fn overview(n: usize) -> ChannelsOverview {
    let channels = (0..n)
        .map(|i| {
            let mut c = if i % 4 == 3 {
                samples::force_closing()
            } else {
                samples::active()
            };
            c.id = i.to_string();
            c
        })
        .collect();
    ChannelsOverview {
        channels,
        height: samples::HEIGHT,
    }
}

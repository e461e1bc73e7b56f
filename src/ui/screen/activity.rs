//! Activity: Lightning payments and on-chain transactions in one list, newest first, with a
//! filter (direction, rail, text search) and CSV export of a chosen period for bookkeeping.

use crate::ui::theme;
use chrono::Datelike;
use iced::widget::{button, column, container, row, text, Space};
use iced::{Element, Length};

use crate::core::history::{Direction, Entry, Filter, Period, Rail};
use crate::core::lightning::channels::SpliceDirection;
use crate::core::lightning::payments::{PaymentKindView, PaymentState};
use crate::fl;
use crate::ui::format;
use crate::ui::widget::{card, error_text, note_text, pager, progress, title};

pub const SEARCH_INPUT: &str = "activity-search";
pub const FIRST_DAY_INPUT: &str = "activity-first-day";
pub const LAST_DAY_INPUT: &str = "activity-last-day";
/// Rows on one page of the list.
pub const PAGE_ROWS: usize = 50;

#[derive(Debug)]
pub struct Activity {
    filter: Filter,
    first_day: String,
    last_day: String,
    /// The file written, or why not.
    export: Option<Result<String, String>>,
    /// Which page of the filtered list is shown (from 0).
    page: usize,
}

impl Default for Activity {
    /// The period defaults to this month so far.
    fn default() -> Self {
        let today = chrono::Local::now().date_naive();
        let first = today.with_day0(0).unwrap_or(today);
        Activity {
            filter: Filter::default(),
            first_day: first.to_string(),
            last_day: today.to_string(),
            export: None,
            page: 0,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    DirectionSelected(Direction),
    RailSelected(Rail),
    SearchChanged(String),
    ExpiredToggled,
    FirstDayChanged(String),
    LastDayChanged(String),
    ExportPressed,
    PageShown(usize),
}

/// What the wallet must do for this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Export(Period),
}

impl Activity {
    pub fn update(&mut self, message: Message) -> Option<Action> {
        // A new filter shows its first page.
        if matches!(
            message,
            Message::DirectionSelected(_)
                | Message::RailSelected(_)
                | Message::SearchChanged(_)
                | Message::ExpiredToggled
        ) {
            self.page = 0;
        }
        match message {
            Message::PageShown(page) => self.page = page,
            Message::DirectionSelected(d) => self.filter.direction = d,
            Message::RailSelected(r) => self.filter.rail = r,
            Message::SearchChanged(t) => self.filter.text = t,
            Message::ExpiredToggled => self.filter.show_expired = !self.filter.show_expired,
            Message::FirstDayChanged(t) => self.first_day = t,
            Message::LastDayChanged(t) => self.last_day = t,
            Message::ExportPressed => match Period::parse(&self.first_day, &self.last_day) {
                Ok(p) => {
                    self.export = None;
                    return Some(Action::Export(p));
                }
                Err(e) => {
                    self.export = Some(Err(crate::ui::errors::describe(&e.into())));
                }
            },
        }
        None
    }

    /// The export was written (its path) or not.
    pub fn exported(&mut self, result: Result<String, String>) {
        self.export = Some(result);
    }

    pub fn view<'a>(&'a self, entries: &[Entry]) -> Element<'a, Message> {
        let choice = |label: String, selected: bool, msg: Message| {
            button(text(label).size(theme::size::LABEL))
                .padding([4, 10])
                .style(if selected {
                    button::primary
                } else {
                    button::secondary
                })
                .on_press(msg)
        };
        let mut filters = row![]
            .spacing(theme::space::S)
            .align_y(iced::Alignment::Center);
        for (direction, label) in [
            (Direction::Both, fl!("activity-all")),
            (Direction::Incoming, fl!("activity-in")),
            (Direction::Outgoing, fl!("activity-out")),
        ] {
            filters = filters.push(choice(
                label,
                self.filter.direction == direction,
                Message::DirectionSelected(direction),
            ));
        }
        filters = filters.push(Space::new().width(Length::Fixed(16.0)));
        for (rail, label) in [
            (Rail::Both, fl!("activity-both-rails")),
            (Rail::Lightning, fl!("activity-lightning")),
            (Rail::Onchain, fl!("activity-onchain")),
        ] {
            filters = filters.push(choice(
                label,
                self.filter.rail == rail,
                Message::RailSelected(rail),
            ));
        }
        // Expired requests are kept, behind their own switch, counted so none is forgotten.
        let expired = entries
            .iter()
            .filter(|e| e.status == PaymentState::Expired)
            .count();
        if expired > 0 {
            filters = filters.push(Space::new().width(Length::Fixed(16.0)));
            filters = filters.push(choice(
                fl!("activity-show-expired", n = expired),
                self.filter.show_expired,
                Message::ExpiredToggled,
            ));
        }
        let search = crate::ui::widget::input(&fl!("activity-search"), &self.filter.text)
            .id(SEARCH_INPUT)
            .on_input(Message::SearchChanged)
            .padding(theme::space::S);

        let mut list = column![].spacing(theme::space::S);
        let shown: Vec<&Entry> = entries.iter().filter(|e| self.filter.matches(e)).collect();
        if entries.is_empty() {
            list = list.push(card(
                column![
                    row![
                        theme::icon(theme::Icon::History).style(theme::tone(theme::Tone::Muted)),
                        text(fl!("activity-empty-title")).size(theme::size::LEAD),
                    ]
                    .spacing(theme::space::S)
                    .align_y(iced::Alignment::Center),
                    text(fl!("activity-empty")),
                ]
                .spacing(theme::space::S),
            ));
        } else if shown.is_empty() {
            list = list.push(text(fl!("activity-none-match")));
        }
        for e in &shown[pager::rows(self.page, shown.len(), PAGE_ROWS)] {
            list = list.push(entry_row(e));
        }
        if let Some(p) = pager::pager(self.page, shown.len(), PAGE_ROWS, Message::PageShown) {
            list = list.push(p);
        }

        let mut export = column![
            text(fl!("activity-export-title")).size(theme::size::LEAD),
            text(fl!("activity-export-help")).size(theme::size::SMALL),
            row![
                text(fl!("activity-from")),
                crate::ui::widget::input("2026-11-01", &self.first_day)
                    .id(FIRST_DAY_INPUT)
                    .on_input(Message::FirstDayChanged)
                    .width(Length::Fixed(140.0))
                    .padding(theme::space::S),
                text(fl!("activity-to")),
                crate::ui::widget::input("2026-11-30", &self.last_day)
                    .id(LAST_DAY_INPUT)
                    .on_input(Message::LastDayChanged)
                    .width(Length::Fixed(140.0))
                    .padding(theme::space::S),
                button(text(fl!("activity-export")))
                    .on_press(Message::ExportPressed)
                    .style(theme::primary),
            ]
            .spacing(theme::space::M)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(theme::space::S);
        match &self.export {
            Some(Ok(path)) => {
                export = export.push(note_text(fl!("activity-exported", path = path.clone())))
            }
            Some(Err(e)) => export = export.push(error_text(e.clone())),
            None => {}
        }

        column![
            title(fl!("activity-title")),
            filters,
            search,
            list,
            card(export)
        ]
        .spacing(theme::space::L)
        .into()
    }
}

/// A swap's name in the list: which way it moved money.
fn swap_label(e: &Entry) -> String {
    match e.swap.as_ref().map(|s| s.direction) {
        Some(crate::core::swap::book::SwapDirection::ToChain) => fl!("activity-swap-to-chain"),
        _ => fl!("activity-swap-to-lightning"),
    }
}

/// Confirmations after which an incoming on-chain payment is shown as settled: six blocks, the
/// usual depth past which a reorganisation is not a worry.
const SAFE_DEPTH: u32 = 6;

fn entry_row<'a, M: 'a>(e: &Entry) -> Element<'a, M> {
    let (label, sign) = match e.splice.as_ref() {
        // A move between our own balances: nothing in, nothing out but its fee.
        _ if e.swap.is_some() => (swap_label(e), ""),
        Some(s) if s.direction == SpliceDirection::In => (fl!("activity-splice-in"), ""),
        Some(s) if s.is_move() => (fl!("activity-splice-out"), ""),
        Some(_) => (fl!("activity-splice-paid"), "−"),
        None if e.incoming => (fl!("activity-in"), "+"),
        None => (fl!("activity-out"), "−"),
    };
    let kind = match e.kind {
        _ if e.splice.is_some() => fl!("pay-kind-splice"),
        _ if e.swap.is_some() => fl!("pay-kind-swap"),
        PaymentKindView::Bolt11 => fl!("pay-kind-bolt11"),
        PaymentKindView::Bolt12 => fl!("pay-kind-bolt12"),
        PaymentKindView::Keysend => fl!("pay-kind-keysend"),
        PaymentKindView::Onchain => fl!("pay-kind-onchain"),
    };
    let description = match e.splice.as_ref() {
        _ if e.swap.as_ref().is_some_and(|s| s.refunded) => fl!("activity-swap-refunded"),
        Some(s) => match s.payee.as_deref() {
            Some(address) => fl!("activity-splice-to", address = format::sanitize(address)),
            None => fl!("activity-splice-with", peer = format::short_id(&s.peer)),
        },
        None => e
            .description
            .as_deref()
            .map(format::sanitize)
            .unwrap_or_default(),
    };
    // Incoming on-chain money short of six blocks shows its confirmations as a bar below.
    let counting = e.incoming && e.confirmations.is_some_and(|n| n < SAFE_DEPTH);
    let status = match (e.status, e.confirmations) {
        _ if counting => String::new(),
        (_, Some(0)) => fl!("activity-unconfirmed"),
        (_, Some(n)) => fl!("activity-confirmations", n = n),
        (PaymentState::Pending, None) => fl!("activity-pending"),
        (PaymentState::Succeeded, None) => fl!("activity-succeeded"),
        (PaymentState::Failed, None) => fl!("activity-failed"),
        (PaymentState::Expired, None) => fl!("activity-expired"),
    };
    let amount = e
        .amount_msat
        .map(|a| format!("{sign}{}", format::msat(a)))
        .unwrap_or_default();
    let mut fee = match e.fee_msat {
        Some(f) if !e.incoming && e.status != PaymentState::Failed => {
            fl!("activity-fee", fee = format::msat(f))
        }
        // A splice out's fee comes from the channel: known once the splice locks.
        None if e.splice.is_some() => fl!("activity-fee-later"),
        _ => String::new(),
    };
    if let (Some(extra), PaymentState::Succeeded) = (e.overpaid_msat, e.status) {
        fee = format!(
            "{fee} · {}",
            fl!("activity-overpaid", extra = format::msat(extra))
        );
    }
    let mut c = column![
        row![
            text(label).size(theme::size::BODY),
            text(kind).size(theme::size::SMALL),
            text(description).size(theme::size::LABEL),
            Space::new().width(Length::Fill),
            text(amount).size(theme::size::LEAD),
        ]
        .spacing(theme::space::M)
        .align_y(iced::Alignment::Center),
        row![
            text(format::datetime(e.time)).size(theme::size::SMALL),
            text(status).size(theme::size::SMALL),
            text(fee).size(theme::size::SMALL),
        ]
        .spacing(theme::space::L),
    ]
    .spacing(theme::space::XS);
    // Money coming on chain: its confirmations as a bar until it is buried deep enough.
    if let (true, Some(n)) = (counting, e.confirmations) {
        c = c.push(container(progress::confirmations(n, Some(SAFE_DEPTH))).max_width(320));
    }
    let id = e.txid.as_ref().or(e.payment_hash.as_ref());
    if let Some(id) = id {
        c = c.push(
            text(id.clone())
                .size(theme::size::CAPTION)
                .font(iced::Font::MONOSPACE),
        );
    }
    if let Some(p) = &e.preimage {
        c = c.push(
            text(fl!("activity-preimage", preimage = p.clone()))
                .size(theme::size::CAPTION)
                .font(iced::Font::MONOSPACE),
        );
    }
    card(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history;
    use crate::core::history::samples::received_on_chain;
    use crate::core::lightning::payments::samples::payment;
    use crate::ui::testing::{click, shows, type_into};

    fn entries() -> Vec<Entry> {
        history::merge(
            &[
                payment(true, PaymentState::Succeeded, "coffee"),
                payment(false, PaymentState::Succeeded, "rent\u{202e}"),
                payment(false, PaymentState::Failed, "books"),
            ],
            &[received_on_chain()],
            &[],
            &[],
        )
    }

    #[test]
    fn shows_direction_status_fee_and_description() {
        let s = Activity::default();
        let all = entries();
        let v = || s.view(&all);
        assert!(shows(v(), "+25,000 sat"));
        assert!(shows(v(), "−25,000 sat"));
        assert!(shows(v(), "+70,000 sat"));
        assert!(shows(v(), &fl!("activity-succeeded")));
        assert!(shows(v(), &fl!("activity-failed")));
        // An incoming on-chain payment two blocks deep: its confirmations as a bar.
        assert!(shows(
            v(),
            &fl!("progress-confirmations", n = "2", required = "6")
        ));
        assert!(shows(v(), &fl!("activity-fee", fee = "1 sat")));
        assert!(shows(v(), "coffee"));
        assert!(shows(v(), "rent"), "the bidi override is removed");
        assert!(!shows(v(), &fl!("activity-empty")));
    }

    #[test]
    fn expired_requests_leave_the_default_view_but_are_one_press_away() {
        let mut s = Activity::default();
        let mut all = entries();
        all.extend(history::merge(
            &[payment(true, PaymentState::Expired, "abandoned charge")],
            &[],
            &[],
            &[],
        ));
        assert!(!shows(s.view(&all), "abandoned charge"));
        let switch = fl!("activity-show-expired", n = 1);
        for m in click(s.view(&all), &switch) {
            s.update(m);
        }
        assert!(shows(s.view(&all), "abandoned charge"));
        assert!(shows(s.view(&all), &fl!("activity-expired")));
        // With none expired there is no switch.
        assert!(!shows(s.view(&entries()), &switch));
    }

    #[test]
    fn filter_and_search_narrow_the_list() {
        let mut s = Activity::default();
        let all = entries();
        for m in click(s.view(&all), &fl!("activity-onchain")) {
            s.update(m);
        }
        assert!(shows(s.view(&all), "+70,000 sat"));
        assert!(!shows(s.view(&all), "coffee"));
        for m in click(s.view(&all), &fl!("activity-both-rails")) {
            s.update(m);
        }
        type_into(
            &mut s,
            |s| s.view(&all),
            |s, m| {
                s.update(m);
            },
            SEARCH_INPUT.into(),
            "BOOK",
        );
        assert!(shows(s.view(&all), "books"));
        assert!(!shows(s.view(&all), "coffee"));
        type_into(
            &mut s,
            |s| s.view(&all),
            |s, m| {
                s.update(m);
            },
            SEARCH_INPUT.into(),
            "zzz",
        );
        assert!(shows(s.view(&all), &fl!("activity-none-match")));
    }

    #[test]
    fn a_splice_is_a_move_with_its_fee_or_a_payment_from_a_channel() {
        let (c, onchain) = history::splices::samples::spliced();
        let all = history::merge(&[], &onchain, &[c], &[]);
        let s = Activity::default();
        let v = || s.view(&all);
        assert!(shows(v(), &fl!("activity-splice-in")));
        assert!(shows(v(), "200,000 sat"));
        assert!(
            !shows(v(), "−200,000 sat"),
            "nothing left the wallet but the fee"
        );
        assert!(shows(v(), &fl!("activity-fee", fee = "252 sat")));
        assert!(shows(v(), &fl!("activity-splice-paid")));
        assert!(shows(v(), "−150,000 sat"));
        assert!(shows(v(), &fl!("activity-fee-later")));
        assert!(
            !shows(v(), "200,252 sat"),
            "its transaction is not listed again"
        );
    }

    #[test]
    fn export_asks_for_a_valid_period() {
        let mut s = Activity::default();
        let all = entries();
        let mut action = None;
        for m in click(s.view(&all), &fl!("activity-export")) {
            action = s.update(m).or(action);
        }
        assert!(
            matches!(action, Some(Action::Export(_))),
            "this month by default"
        );

        s.update(Message::FirstDayChanged("2026-12-01".into()));
        s.update(Message::LastDayChanged("2026-11-01".into()));
        let mut action = None;
        for m in click(s.view(&all), &fl!("activity-export")) {
            action = s.update(m).or(action);
        }
        assert_eq!(action, None);
        assert!(shows(s.view(&all), &fl!("err-period-reversed")));

        s.exported(Ok("/tmp/x.csv".into()));
        assert!(shows(
            s.view(&all),
            &fl!("activity-exported", path = "/tmp/x.csv")
        ));
    }
}

//! Long lists a page at a time: only one page's rows are built, laid out and drawn, however
//! long the list (a year of a shop's payments, an LSP's channels).

use crate::ui::theme;
use iced::widget::{button, row, text, Space};
use iced::{Element, Length};

use crate::fl;
use crate::ui::format;

/// The rows of page `page` (from 0) of a list of `total` rows, `per_page` to a page; a page
/// past the end shows the last one.
pub fn rows(page: usize, total: usize, per_page: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let last_page = total.saturating_sub(1) / per_page;
    let start = page.min(last_page) * per_page;
    start..(start + per_page).min(total)
}

/// "51–100 of 10,000" between Previous and Next; nothing when the list fits on one page.
pub fn pager<'a, M: Clone + 'a>(
    page: usize,
    total: usize,
    per_page: usize,
    to_page: impl Fn(usize) -> M,
) -> Option<Element<'a, M>> {
    if total <= per_page {
        return None;
    }
    let shown = rows(page, total, per_page);
    let page = shown.start / per_page.max(1);
    let previous = button(text(fl!("pager-previous")).size(theme::size::LABEL))
        .style(theme::secondary)
        .on_press_maybe((page > 0).then(|| to_page(page - 1)));
    let next = button(text(fl!("pager-next")).size(theme::size::LABEL))
        .style(theme::secondary)
        .on_press_maybe((shown.end < total).then(|| to_page(page + 1)));
    let range = fl!(
        "pager-range",
        first = format::count(shown.start + 1),
        last = format::count(shown.end),
        total = format::count(total)
    );
    Some(
        row![
            previous,
            Space::new().width(Length::Fill),
            text(range).size(theme::size::LABEL),
            Space::new().width(Length::Fill),
            next
        ]
        .align_y(iced::Alignment::Center)
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_and_the_last_page_takes_the_rest() {
        assert_eq!(rows(0, 120, 50), 0..50);
        assert_eq!(rows(1, 120, 50), 50..100);
        assert_eq!(rows(2, 120, 50), 100..120);
        // Past the end (the list shrank under a filter): the last page.
        assert_eq!(rows(9, 120, 50), 100..120);
        assert_eq!(rows(3, 0, 50), 0..0);
        assert_eq!(rows(0, 50, 50), 0..50);
    }

    #[test]
    fn a_list_that_fits_has_no_pager() {
        assert!(pager(0, 50, 50, |p| p).is_none());
        assert!(pager(0, 51, 50, |p| p).is_some());
    }
}

//! Helpers for `iced_test` simulator tests of single screens: click what a person would click,
//! type what a person would type, and hand the produced messages to the screen's `update`.

use iced::Element;
use iced_test::Simulator;

/// A simulated window as wide as the app's and tall enough for the longest screen (the app
/// scrolls; a simulator only finds what is inside its window).
fn simulator<'a, M>(view: Element<'a, M>) -> Simulator<'a, M> {
    Simulator::with_size(iced::Settings::default(), (1000.0, 4000.0), view)
}

/// Clicks the text `label` (a button's caption) and returns the messages it produced.
pub fn click<M: Clone>(view: Element<'_, M>, label: &str) -> Vec<M> {
    let mut ui = simulator(view);
    ui.click(label)
        .unwrap_or_else(|e| panic!("cannot click {label:?}: {e}"));
    ui.into_messages().collect()
}

/// Whether the text appears anywhere on screen.
pub fn shows<M>(view: Element<'_, M>, text: &str) -> bool {
    let mut ui = simulator(view);
    ui.find(text).is_ok()
}

/// Types `text` into the input with `id`, one key at a time as a person would, feeding each
/// message back into the screen so the field's value grows as it does in the app.
pub fn type_into<S, M: Clone>(
    state: &mut S,
    view: impl for<'a> Fn(&'a S) -> Element<'a, M>,
    mut update: impl FnMut(&mut S, M),
    id: iced::widget::Id,
    text: &str,
) {
    for ch in text.chars() {
        let messages: Vec<M> = {
            let mut ui = simulator(view(state));
            ui.click(id.clone())
                .unwrap_or_else(|e| panic!("no input {id:?}: {e}"));
            // Put the cursor at the end of what is already there.
            let _ = ui.tap_key(iced::keyboard::Key::Named(iced::keyboard::key::Named::End));
            let _ = ui.typewrite(&ch.to_string());
            ui.into_messages().collect()
        };
        for m in messages {
            update(state, m);
        }
    }
}

/// The content of the first text on screen for which `pick` says yes.
pub fn find_text<M>(
    view: Element<'_, M>,
    mut pick: impl FnMut(&str) -> bool + Send,
) -> Option<String> {
    let mut ui = simulator(view);
    ui.find(move |c: iced_test::selector::Candidate<'_>| match c {
        iced_test::selector::Candidate::Text { content, .. } if pick(content) => {
            Some(content.to_string())
        }
        _ => None,
    })
    .ok()
}

/// Runs a task and every task its messages lead to, feeding each message to `update`, until
/// nothing is left. Window, clipboard and exit actions are dropped: there is no window here.
pub async fn drive<M: Send + 'static>(
    task: iced::Task<M>,
    mut update: impl FnMut(M) -> iced::Task<M>,
) {
    use iced::futures::StreamExt;
    use iced_test::runtime::{task::into_stream, Action};
    let mut pending: Vec<_> = into_stream(task).into_iter().collect();
    while let Some(mut stream) = pending.pop() {
        while let Some(action) = stream.next().await {
            if let Action::Output(message) = action {
                pending.extend(into_stream(update(message)));
            }
        }
    }
}

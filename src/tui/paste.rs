//! Bracketed paste: pasted text goes into the field being edited, as text. A newline in it never
//! acts as Enter (pasting `well done\nsend` into a note does not send the order), and a paste
//! with no text field in focus does nothing.

use super::app::{App, Modal, Screen};
use super::waiter;

/// Handles one pasted block: into the open form's focused field, or the menu filter being typed;
/// otherwise ignored.
pub fn on_paste(app: &mut App, text: &str) {
    if app.too_small() {
        return;
    }
    match &mut app.modal {
        Some(Modal::Form(form)) => form.paste(text),
        Some(Modal::Add(dialog)) => dialog.paste(text),
        Some(Modal::Help) => {}
        None => {
            if app.screen == Screen::Waiter && waiter::typing_filter(app) {
                waiter::paste_filter(app, text);
            }
        }
    }
}

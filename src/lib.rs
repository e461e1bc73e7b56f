//! Shandian (闪电): a desktop Lightning wallet on LDK Node.
//!
//! `core` is the product without pixels (wallet, keys, data folders, input checks, the regtest
//! playground); `ui` draws it with iced.

pub mod core;
pub mod ui;

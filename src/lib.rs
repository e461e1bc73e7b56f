//! Shandian (闪电): a desktop Lightning wallet on LDK Node.
//!
//! `core` is the product without pixels (wallet, Lightning, keys, data folders, input checks);
//! `lab` is the local regtest chain and its nodes for testers (regtest only, never imported by
//! `core`); `ui` draws both with iced.

pub mod core;
pub mod lab;
pub mod ui;

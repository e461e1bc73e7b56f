//! The Electrum server a wallet talks to: whether it answers, its fee estimates, and what it
//! says about an address.

pub mod fees;
pub mod headers;
pub mod server;
pub mod stuck_sync;
pub mod sync_gate;

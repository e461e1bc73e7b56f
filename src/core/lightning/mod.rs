//! The Lightning side of the wallet, over LDK Node: channels (what each holds and what happens
//! to it on close), payments (pay, receive, what we note beside LDK's store), the events LDK
//! raises, the public graph and the route preview.

pub mod channels;
pub mod events;
pub mod graph;
pub mod ldk_log;
pub mod payments;
pub mod route;

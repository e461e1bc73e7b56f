//! The recovery phrase: made, checked and kept only in the system keyring.

pub mod secrets;
pub mod seed;

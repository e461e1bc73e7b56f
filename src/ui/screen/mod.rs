pub mod activity;
pub mod channels;
pub mod home;
pub mod lab;
pub mod onboarding;
pub mod receive;
pub mod send;
pub mod settings;

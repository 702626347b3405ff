//! The integration tests: one binary (one link, one harness), a module per flow, each
//! test run on SQLite and on PostgreSQL (`on_both_databases!`), after zero2prod's
//! `tests/api/`.

#[macro_use]
mod common;

mod account;
mod addons;
mod app_shell;
mod billing;
mod billing_screens;
mod cli;
mod contract;
mod demo_data;
mod enumeration;
mod faults;
mod fuzz;
mod gateway;
mod health;
mod help;
mod load;
mod login;
mod mail;
mod mailboxes;
mod profile;
mod recovery;
mod referral;
mod registration;
mod scale;
mod second_review;
mod security;
mod speedtest;
mod trust;

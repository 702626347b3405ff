//! One folder per flow or menu: its pages, its server functions (api.rs) and state.

pub mod accessibility;
pub mod account;
pub mod addons;
pub mod billing;
pub mod contract;
pub mod dev;
pub mod help;
pub mod login;
pub mod mailboxes;
pub mod preferences;
pub mod recovery;
pub mod referral;
pub mod registration;
pub mod security;
pub mod speedtest;
pub mod top;

/// Every flow's table, for the layers below: the maintenance task deletes what each
/// lets go of, and a security change of an account ends what each has pending. A new
/// flow adds its `FLOW` here.
#[cfg(feature = "ssr")]
pub const FLOWS: &[&crate::ssr::flow::FlowTable] = &[
    &registration::RegistrationStep::FLOW,
    &registration::STOPS,
    &recovery::RecoveryStep::FLOW,
    &account::IdChangeStep::FLOW,
    &account::ContactStep::FLOW,
    &account::RevertStep::FLOW,
    &mailboxes::MailboxStep::FLOW,
    &billing::PaymentStep::FLOW,
];

/// The features' scheduled work, run by the maintenance task (once per tick).
#[cfg(feature = "ssr")]
pub const JOBS: &[crate::ssr::maintenance::Job] = &[
    crate::ssr::maintenance::Job {
        name: "held re-registrations",
        run: |state, now| Box::pin(registration::apply_due_reregistrations(state, now)),
    },
    crate::ssr::maintenance::Job {
        name: "card results received",
        run: |state, now| Box::pin(billing::payment::settle_received_results(state, now)),
    },
    crate::ssr::maintenance::Job {
        name: "add-ons ended with their service",
        run: |state, now| Box::pin(addons::store::end_with_their_service(state, now)),
    },
    crate::ssr::maintenance::Job {
        name: "known browsers stamped",
        run: |state, now| Box::pin(login::stamp_browsers(state, now)),
    },
];

/// What the server hands the layers below (`AppState::registry`).
#[cfg(feature = "ssr")]
pub static REGISTRY: crate::ssr::maintenance::Registry = crate::ssr::maintenance::Registry {
    flows: FLOWS,
    jobs: JOBS,
    login: login::routes::LOGIN,
    failed_password: |conn, state, account_id, row, client, now| {
        let event = crate::ssr::events::Event::LoginFailed;
        Box::pin(login::failed_login(conn, state, event, Some(account_id), row, client, now))
    },
    session_budget: |conn, account_id, itscom_id| {
        Box::pin(login::session_budget(conn, account_id, itscom_id))
    },
};

/// The tables whose rows belong to one session (its `session_hash`: drafts, a card
/// setup, a running speed test, a change waiting for its mailed link): a session that
/// goes on under a new token takes them along ([`security::store::rebind_session`]);
/// the changes a session signed out had started end with it
/// ([`end_pending_of_sessions`](crate::ssr::flow::end_pending_of_sessions)). A unit test
/// holds it to the migrations.
pub const SESSION_BOUND: &[&str] =
    &["contact_changes", "id_changes", "mailbox_drafts", "payment_setups", "speed_tests"];

/// After a security change of an account (password reset, re-registration, the
/// contact address taken back, a stopped registration): every session ends, the browsers
/// the account knows are forgotten (their budgets open again), and so does
/// a login waiting for its second step, a passkey ceremony and every change still
/// pending for it, so that nothing started by someone else before
/// the change completes after it.
#[cfg(feature = "ssr")]
pub async fn end_for_security(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    // The account's row first: a login starting its session takes it too, so it either
    // waits for this change or has its session ended by it.
    crate::ssr::db::customers::lock_account(&mut *conn, account_id).await?;
    crate::ssr::auth::session::end_all(&mut *conn, account_id).await?;
    login::forget_browsers(&mut *conn, account_id, None).await?;
    security::store::end_waiting(&mut *conn, account_id).await?;
    cancel_pending(conn, account_id, now).await
}

/// Every change still pending for an account (ID and contact changes, registration
/// flows of its customer, recoveries: each flow of [`FLOWS`] that says how its rows
/// end) ends: after its ID changed, or with [`end_for_security`].
#[cfg(feature = "ssr")]
pub async fn cancel_pending(
    conn: &mut crate::ssr::db::Conn,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let customer_no = crate::ssr::db::customers::of_account(conn, account_id).await?.unwrap_or_default();
    crate::ssr::flow::end_pending(conn, FLOWS, account_id, &customer_no, now).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::i18n::Locale;
    use crate::ssr::config::Settings;

    fn settings() -> Settings {
        Settings::from_lookup(|_| None).unwrap()
    }

    /// The receipt of an inquiry `reference` (category その他) saying `message`.
    fn inquiry_receipt(
        s: &Settings,
        locale: Locale,
        reference: &str,
        message: &str,
    ) -> crate::ssr::mail::Mail {
        use crate::domain::inquiry::InquiryCategory;
        crate::features::help::mail::inquiry_receipt(
            s,
            locale,
            "t@x",
            reference,
            InquiryCategory::Other,
            message,
            None,
        )
    }

    /// SPEC: the support phone numbers are configuration: every mail that names the
    /// customer center names the configured one and its hours.
    #[test]
    fn the_mails_name_the_configured_customer_center() {
        let s = Settings::from_lookup(|var| match var {
            "SUPPORT_GENERAL_PHONE" => Some("0120-000-111".into()),
            "SUPPORT_GENERAL_HOURS" => Some("10:00～17:00".into()),
            _ => None,
        })
        .unwrap();
        for locale in Locale::ALL {
            let addon = |applied| {
                let fee = crate::domain::Yen(1);
                crate::features::addons::mail::addon_notice(
                    &s,
                    locale,
                    "t@x",
                    "N",
                    fee,
                    applied,
                    "2026-01-01",
                )
            };
            let mails = [
                crate::features::account::mail::profile_changed(&s, locale, "t@x", "WHAT", 0),
                addon(true),
                addon(false),
                crate::features::billing::mail::payment_method_changed(&s, locale, "t@x", "M", 0),
                crate::features::billing::mail::card_not_applied(&s, locale, "t@x", "M", 0),
                inquiry_receipt(&s, locale, "R", "M"),
            ];
            // The hours as the locale writes them: 10:00–17:00 in English.
            let hours = if locale == Locale::Ja { "10:00～17:00" } else { "10:00–17:00" };
            for mail in mails {
                assert!(mail.text.contains("0120-000-111") && mail.text.contains(hours), "{}", mail.text);
                assert!(!mail.text.contains("109199"), "{}", mail.text);
            }
        }
    }

    #[test]
    fn every_mail_carries_its_values_in_both_languages() {
        let s = settings();
        for locale in Locale::ALL {
            let when = crate::ssr::mail::format_time(locale, 1_795_583_100);
            let mails = [
                (
                    crate::features::login::mail::new_browser_login(
                        &s,
                        locale,
                        "t@x",
                        "ID-1",
                        1_795_583_100,
                        "PLACE-1",
                    ),
                    vec!["ID-1", when.as_str(), "PLACE-1", "/account/security"],
                ),
                (
                    crate::features::registration::mail::registration_confirm(&s, locale, "t@x", "LINK-1"),
                    vec!["LINK-1"],
                ),
                (
                    crate::features::registration::mail::registration_attempt_on_taken_id(&s, locale, "t@x"),
                    vec![],
                ),
                (
                    crate::features::registration::mail::registration_replaced(
                        &s,
                        locale,
                        "t@x",
                        1_795_583_100,
                        true,
                    ),
                    vec![when.as_str()],
                ),
                (crate::features::recovery::mail::recovery_code(&s, locale, "t@x", "123456"), vec!["123456"]),
                (
                    crate::features::recovery::mail::recovery_question_link(&s, locale, "t@x", "LINK-2"),
                    vec!["LINK-2"],
                ),
                (
                    crate::features::account::mail::id_change_confirm(&s, locale, "t@x", "LINK-3"),
                    vec!["LINK-3"],
                ),
                (crate::features::account::mail::id_change_attempt_on_taken_id(&s, locale, "t@x"), vec![]),
                (
                    crate::features::account::mail::id_changed_notice(
                        &s,
                        locale,
                        "t@x",
                        "NEW-1",
                        1_795_583_100,
                    ),
                    vec!["NEW-1", when.as_str()],
                ),
                (
                    crate::features::mailboxes::mail::mailbox_created(&s, locale, "t@x", "ADDR-1", true),
                    vec!["ADDR-1", "ON"],
                ),
                (
                    crate::features::mailboxes::mail::mailbox_reissued(&s, locale, "t@x", "ADDR-3"),
                    vec!["ADDR-3"],
                ),
                (
                    crate::features::mailboxes::mail::mailbox_virus_check(&s, locale, "t@x", "ADDR-2", false),
                    vec!["ADDR-2", "OFF"],
                ),
                (
                    crate::features::recovery::mail::password_reset_notice(
                        &s,
                        locale,
                        "t@x",
                        1_795_583_100,
                        true,
                    ),
                    vec![when.as_str()],
                ),
                (
                    crate::features::registration::mail::reregistration_requested(
                        &s,
                        locale,
                        "t@x",
                        "NEW-2",
                        1_795_583_100,
                        "BR-1",
                        0,
                        false,
                        "YES-1",
                        "NO-1",
                    ),
                    vec!["NEW-2", "BR-1", "YES-1", "NO-1", when.as_str()],
                ),
                (
                    crate::features::registration::mail::verification_failures_notice(
                        &s,
                        locale,
                        "t@x",
                        1_795_583_100,
                    ),
                    vec![when.as_str()],
                ),
                (
                    crate::features::login::mail::login_locked(&s, locale, "t@x", 1_795_583_100, false),
                    vec![when.as_str()],
                ),
                (
                    crate::features::login::mail::login_locked(&s, locale, "t@x", 1_795_583_100, true),
                    vec![when.as_str()],
                ),
                (
                    crate::features::account::mail::id_change_requested(
                        &s,
                        locale,
                        "t@x",
                        "NEW-3",
                        1_795_583_100,
                        "NO-2",
                    ),
                    vec!["NEW-3", "NO-2"],
                ),
                (inquiry_receipt(&s, locale, "REF-5", "MSG-5"), vec!["REF-5", "MSG-5"]),
                (
                    crate::features::security::mail::password_known(&s, locale, "t@x", 1_795_583_100, "UA-6"),
                    vec![when.as_str(), "UA-6"],
                ),
                (
                    crate::features::security::mail::recovery_code_used(&s, locale, "t@x", 7, 1_795_583_100),
                    vec![when.as_str(), "7"],
                ),
                (
                    crate::features::billing::mail::payment_failed(
                        &s,
                        locale,
                        "t@x",
                        "2026-10",
                        crate::domain::Yen(6_789),
                        "2026-11-27",
                        "LINK-9",
                    ),
                    vec![
                        "6,789",
                        "LINK-9",
                        if locale == crate::i18n::Locale::Ja { "2026年11月27日" } else { "27 Nov 2026" },
                    ],
                ),
                (
                    crate::features::billing::mail::invoice_issued(
                        &s,
                        locale,
                        "t@x",
                        "2026-11",
                        crate::domain::Yen(12_345),
                        "2026-11-27",
                        "LINK-4",
                    ),
                    // The due date as the screens write it (2026年11月27日, 27 Nov 2026).
                    vec![
                        "12,345",
                        if locale == crate::i18n::Locale::Ja { "2026年11月27日" } else { "27 Nov 2026" },
                        "LINK-4",
                    ],
                ),
            ];
            for (mail, values) in mails {
                assert!(mail.subject.len() > "【iTSCOM マイページ】".len(), "{}", mail.subject);
                // An English mail has no Japanese in it (nor full-width brackets or tildes).
                let japanese = |s: &str| {
                    s.chars().any(|c| {
                        ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
                    })
                };
                if locale == Locale::En {
                    assert!(
                        !japanese(&mail.subject) && !japanese(&mail.text),
                        "{}\n{}",
                        mail.subject,
                        mail.text
                    );
                }
                assert!(mail.text.contains(locale.texts().mail_footer), "{}", mail.subject);
                for v in values {
                    assert!(mail.text.contains(v) && mail.html.contains(v), "{} lacks {v}", mail.subject);
                }
                assert!(!mail.text.contains('{'), "no placeholder left: {}", mail.text);
                // A mail that tells the customer to call gives the number (the footer aside).
                let body = mail.text.split("\n--\n").next().unwrap_or_default();
                let center = ["サポートセンター", "カスタマーセンター", "support centre", "customer center"];
                if center.iter().any(|w| body.contains(w)) {
                    assert!(body.contains(&s.support.general_phone), "no number to call: {body}");
                }
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod steps {
    use crate::flow::Step;

    /// The steps a table's migrations allow: the last `CHECK (step IN (…))` written for it.
    fn allowed_steps(table: &str) -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut found = Vec::new();
        for file in files {
            let sql = std::fs::read_to_string(&file).unwrap();
            for create in sql.split("CREATE TABLE ").skip(1) {
                let name = create.split_whitespace().next().unwrap_or_default();
                // A table rebuilt by a later migration is created as `<table>_v2`, then renamed.
                if name.trim_end_matches("_v2") != table {
                    continue;
                }
                let list = create.split("CHECK (step IN (").nth(1).and_then(|r| r.split("))").next());
                if let Some(list) = list {
                    found = list.split(',').map(|s| s.trim().trim_matches('\'').to_string()).collect();
                }
            }
        }
        found
    }

    /// Every table the migrations give a `session_hash` column (a table rebuilt later
    /// as `<table>_v2` counts once, by its name), sorted.
    fn session_bound_tables() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
        let mut found = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for create in sql.split("CREATE TABLE ").skip(1) {
                let name = create.split_whitespace().next().unwrap_or_default().trim_end_matches("_v2");
                let body = create.split(");").next().unwrap_or_default();
                if body.lines().any(|l| l.trim_start().starts_with("session_hash ")) {
                    found.insert(name.to_string());
                }
            }
            // A column added later.
            for alter in sql.split("ALTER TABLE ").skip(1) {
                let mut words = alter.split_whitespace();
                let name = words.next().unwrap_or_default();
                if words.take(3).collect::<Vec<_>>() == ["ADD", "COLUMN", "session_hash"] {
                    found.insert(name.to_string());
                }
            }
        }
        found.into_iter().collect()
    }

    #[test]
    fn every_table_of_a_sessions_rows_goes_with_its_rotation() {
        let mut ours: Vec<String> = super::SESSION_BOUND.iter().map(|t| t.to_string()).collect();
        ours.sort();
        assert_eq!(ours, session_bound_tables());
    }

    fn matches_migrations<S: Step>() {
        let ours: Vec<String> = S::ALL.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(ours, allowed_steps(S::TABLE), "{} steps", S::TABLE);
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(*s));
        }
        assert_eq!(S::parse("bogus"), None);
    }

    #[test]
    fn every_flow_has_the_steps_its_table_allows() {
        matches_migrations::<super::registration::RegistrationStep>();
        matches_migrations::<super::recovery::RecoveryStep>();
        matches_migrations::<super::account::IdChangeStep>();
        matches_migrations::<super::account::ContactStep>();
        matches_migrations::<super::account::RevertStep>();
        matches_migrations::<super::mailboxes::MailboxStep>();
        matches_migrations::<super::billing::PaymentStep>();
        matches_migrations::<super::contract::PlanRequestStep>();
        matches_migrations::<super::addons::AddonStep>();
        matches_migrations::<super::help::InquiryStep>();
        matches_migrations::<super::speedtest::SpeedStep>();
    }
}

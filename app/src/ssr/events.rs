//! Security events of an account: one structured `tracing` event (target `security`)
//! and one row of `account_events` each, with the account (never the typed ID) and the
//! client address. Never a password, code, token or answer: `detail` holds only
//! facts such as a browser's name.

use crate::ssr::db::Conn;

/// What happened. The names are the `kind` column and the `event` field of the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A login that started a session (its method and browser in detail).
    LoggedIn,
    LoginFailed,
    LoginThrottled,
    /// 100 failures in a row: login needs a password reset.
    LoginLocked,
    RecoveryStarted,
    RecoveryFailed,
    PasswordReset,
    /// STEP 2 failed for a customer (name and phone matched, the detail did not).
    VerificationFailed,
    Registered,
    ReregistrationRequested,
    ReregistrationConfirmed,
    ReregistrationCancelled,
    Reregistered,
    IdChangeRequested,
    IdChangeCancelled,
    IdChanged,
    /// お支払い方法の変更: the payment method became a card (brand and last 4 in detail).
    PaymentMethodChanged,
    /// A card the gateway verified for a card page that no longer waited (expired, or
    /// its session ended): not applied (brand and last 4 in detail).
    CardNotApplied,
    /// プラン変更: requested (受付), cancelled by the customer, completed (in force from
    /// its date).
    PlanChangeRequested,
    PlanChangeCancelled,
    PlanChanged,
    /// お客さま情報: a phone number added or removed, the contact address changed (or a
    /// change to another address mailed for confirmation).
    PhoneAdded,
    PhoneRemoved,
    ContactChangeRequested,
    ContactChanged,
    /// A change of the contact address taken back by the link mailed to the address it
    /// replaced (every session ended).
    ContactReverted,
    /// A first registration stopped by the contact address on record (`この登録に
    /// 心当たりがない`): the account is disabled.
    RegistrationStopped,
    /// An add-on subscribed to, or cancelled (to the end of the month or its term).
    AddonSubscribed,
    AddonCancelled,
    /// ログイン中の端末: one session ended by the customer, or every other one.
    SessionEnded,
    OtherSessionsEnded,
    /// 2段階認証: turned on, turned off, new recovery codes, a wrong code at login.
    TwoStepEnabled,
    TwoStepDisabled,
    RecoveryCodesRenewed,
    TwoStepFailed,
    /// The mails of logins from new browsers turned on or off.
    NewBrowserMailChanged,
    /// A mailbox registered (its address in detail).
    MailboxCreated,
    /// A mailbox's password issued again (メールパスワードの再発行).
    MailboxPasswordReissued,
    /// パスキー: registered, renamed, deleted; an assertion refused at login.
    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    PasskeyLoginFailed,
    /// The support centre took the second factors off (`server two-step-off`).
    FactorsRemovedBySupport,
}

impl Event {
    pub fn name(self) -> &'static str {
        match self {
            Event::LoggedIn => "login.succeeded",
            Event::LoginFailed => "login.failed",
            Event::LoginThrottled => "login.throttled",
            Event::LoginLocked => "login.locked",
            Event::RecoveryStarted => "recovery.started",
            Event::RecoveryFailed => "recovery.failed",
            Event::PasswordReset => "recovery.password_reset",
            Event::VerificationFailed => "registration.verification_failed",
            Event::Registered => "registration.registered",
            Event::ReregistrationRequested => "registration.reregistration_requested",
            Event::ReregistrationConfirmed => "registration.reregistration_confirmed",
            Event::ReregistrationCancelled => "registration.reregistration_cancelled",
            Event::Reregistered => "registration.reregistered",
            Event::IdChangeRequested => "account.id_change_requested",
            Event::IdChangeCancelled => "account.id_change_cancelled",
            Event::IdChanged => "account.id_changed",
            Event::PaymentMethodChanged => "billing.payment_method_changed",
            Event::CardNotApplied => "billing.card_not_applied",
            Event::PlanChangeRequested => "contract.plan_change_requested",
            Event::PlanChangeCancelled => "contract.plan_change_cancelled",
            Event::PlanChanged => "contract.plan_changed",
            Event::PhoneAdded => "account.phone_added",
            Event::PhoneRemoved => "account.phone_removed",
            Event::ContactChangeRequested => "account.contact_change_requested",
            Event::ContactChanged => "account.contact_changed",
            Event::ContactReverted => "account.contact_reverted",
            Event::RegistrationStopped => "registration.stopped",
            Event::AddonSubscribed => "addon.subscribed",
            Event::AddonCancelled => "addon.cancelled",
            Event::SessionEnded => "security.session_ended",
            Event::OtherSessionsEnded => "security.other_sessions_ended",
            Event::TwoStepEnabled => "security.two_step_enabled",
            Event::TwoStepDisabled => "security.two_step_disabled",
            Event::RecoveryCodesRenewed => "security.recovery_codes_renewed",
            Event::TwoStepFailed => "login.two_step_failed",
            Event::NewBrowserMailChanged => "security.new_browser_mail_changed",
            Event::MailboxCreated => "mailbox.created",
            Event::MailboxPasswordReissued => "mailbox.password_reissued",
            Event::PasskeyAdded => "security.passkey_added",
            Event::PasskeyRenamed => "security.passkey_renamed",
            Event::PasskeyRemoved => "security.passkey_removed",
            Event::PasskeyLoginFailed => "login.passkey_failed",
            Event::FactorsRemovedBySupport => "security.factors_removed_by_support",
        }
    }
}

/// Who the event is about: an account, or (before it has one) a customer.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Account(&'a str),
    Customer(&'a str),
    /// A typed ID without an account (failed logins: credential stuffing shows here).
    Unknown,
}

impl<'a> Subject<'a> {
    /// The signed-in account of the request.
    pub fn signed_in(account: &'a crate::ssr::auth::CurrentAccount) -> Self {
        Subject::Account(&account.account_id)
    }
}

/// Record `event` for `subject`, from `client`, in the caller's transaction.
pub async fn record(
    conn: &mut Conn,
    event: Event,
    subject: Subject<'_>,
    client: &str,
    detail: serde_json::Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (account, customer) = match subject {
        Subject::Account(a) => (Some(a), None),
        Subject::Customer(c) => (None, Some(c)),
        Subject::Unknown => (None, None),
    };
    tracing::info!(
        target: "security",
        event = event.name(),
        account = account.unwrap_or("-"),
        customer = customer.unwrap_or("-"),
        client,
        detail = %detail,
        "security event"
    );
    // One statement (the customer looked up inside it): in a transaction that has
    // not written yet, a read first would make SQLite's later write fail when another
    // writer committed meanwhile.
    sqlx::query(
        "INSERT INTO account_events (id, account_id, customer_no, kind, client, detail, created_at)
         VALUES ($1, $2, COALESCE($3, (SELECT customer_no FROM accounts WHERE id = $2)), $4, $5, $6, $7)",
    )
    // Ordered: the activity lists the events of one second in the order they happened.
    .bind(crate::ssr::db::new_ordered_id())
    .bind(account)
    .bind(customer)
    .bind(event.name())
    .bind(client)
    .bind(detail.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The common case: `event` for an account, from this request's client and browser
/// (the account's セキュリティ履歴 shows where it came from).
pub async fn account_event(
    conn: &mut Conn,
    event: Event,
    account_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let client = crate::ssr::auth::client_address();
    let detail = serde_json::json!({ "browser": crate::ssr::auth::browser_summary() });
    record(conn, event, Subject::Account(account_id), &client, detail, now).await
}

/// `event` for an account, and its security notice: `mail` (in the account's language,
/// to an address) goes to the contact address and, for 7 days after a change of it, the
/// ones before; in the caller's transaction.
pub async fn notify_account(
    conn: &mut Conn,
    event: Event,
    account_id: &str,
    mail: impl Fn(crate::i18n::Locale, &str) -> crate::ssr::mail::Mail,
    now: i64,
) -> Result<(), sqlx::Error> {
    crate::ssr::db::customers::notify(conn, account_id, event.name(), mail, now).await?;
    account_event(conn, event, account_id, now).await
}

use super::{AddonOverview, AddonQuote};
use crate::error::AppError;
use leptos::prelude::*;

/// An add-on screen: the add-ons of `kind` (`security`, `channel`) and the customer's
/// subscriptions.
#[server(endpoint = "addons/list")]
pub async fn get_addons(kind: String) -> Result<AddonOverview, AppError> {
    if kind != "security" && kind != "channel" {
        return Err(AppError::NotFound);
    }
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let today = crate::domain::billing::Date::of_unix_jst(crate::ssr::now());
    let mut conn = state.db.conn().await?;
    let (eligible, addons) = super::store::catalogue(&mut conn, &account.customer_no, &kind, today).await?;
    Ok(AddonOverview { eligible, addons })
}

/// The application of add-on `code`: what it is and costs, from today. Not offered
/// (no such add-on, or the customer lacks the service it needs, or has it already):
/// `NotFound` / `Pending`.
#[server(endpoint = "addons/quote")]
pub async fn get_addon_quote(code: String) -> Result<AddonQuote, AppError> {
    use crate::domain::addon::{cancel_end, cancel_end_with, first_month_until};
    let (account, state) = crate::ssr::auth::signed_in().await?;
    let t = crate::ssr::now();
    let today = crate::domain::billing::Date::of_unix_jst(t);
    let mut conn = state.db.conn().await?;
    let (eligible, addon, service_ends) =
        super::store::one(&mut conn, &account.customer_no, &code, today).await?.ok_or(AppError::NotFound)?;
    if !eligible {
        return Err(AppError::Forbidden);
    }
    if addon.subscription.is_some() {
        return Err(AppError::Pending);
    }
    // Billed as the engine bills it: no day after the services it needs end.
    let (first, days) = first_month_until(addon.monthly_fee, today, service_ends);
    // The term's end, unless the services end before it (the page says they do).
    let term_end = cancel_end(today, addon.min_months, today);
    let capped = cancel_end_with(today, addon.min_months, today, service_ends) < term_end;
    Ok(AddonQuote {
        starts_on: today.to_string(),
        quoted: quote_key(today, &addon, service_ends),
        first_month: first,
        first_month_days: days,
        earliest_end: (addon.min_months > 0 && !capped).then(|| term_end.to_string()),
        ends_with_service: service_ends.map(|d| d.to_string()),
        needs_password: crate::ssr::auth::needs_password(&account, t),
        submit_key: crate::ssr::auth::random_token(),
        addon,
    })
}

/// The summary as the page carries it back: its start, the monthly fee and the last day
/// of the services the add-on needs (`-`: none set). One changed since it was shown (a
/// new catalogue fee, a service's end set or withdrawn) is a summary changed.
pub fn quote_key(
    starts_on: crate::domain::billing::Date,
    addon: &super::Addon,
    service_ends: Option<crate::domain::billing::Date>,
) -> String {
    let ends = service_ends.map_or_else(|| "-".to_string(), |d| d.to_string());
    format!("{starts_on}:{}:{ends}", addon.monthly_fee.0)
}

/// `申し込む`: subscribes to `code` from today (the terms agreed to, the password again
/// after 5 minutes). A second submit of the same confirmation (`key`) is the same
/// subscription; an add-on in force already, or one the customer may not have, is
/// refused.
#[server(endpoint = "addons/apply")]
pub async fn apply_addon(
    code: String,
    key: String,
    agree: Option<String>,
    starts_on: Option<String>,
    quoted: Option<String>,
    password: Option<String>,
) -> Result<String, AppError> {
    use super::store::Subscribed;
    use crate::domain::FieldError;
    use crate::ssr::{refuse, respond};
    let page = format!("{}&agree=1", super::routes::apply(&code));
    respond(&page, async {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = crate::ssr::now();
        let today = crate::domain::billing::Date::of_unix_jst(t);
        if key.len() < 16 || key.len() > 64 {
            return refuse(&super::routes::apply(&code), AppError::FlowExpired);
        }
        if agree.as_deref() != Some("1") {
            return refuse(&super::routes::apply(&code), AppError::invalid("agree", FieldError::Required));
        }
        let (addon, service_ends, again) = applicable(&state, &account, &code, &key, password, t).await?;
        let home = super::routes::home(&addon.kind);
        let done = format!("{home}?applied={}", addon.code);
        if again {
            return Ok(done);
        }
        // What the customer confirmed is what is subscribed: a summary of another day
        // (past midnight; at a month's end another first month and minimum term) is
        // shown again.
        // The page carries the whole summary back (`quoted`: its fee and the services'
        // end too); a page without it, its day.
        let changed = quoted.is_some_and(|q| q != quote_key(today, &addon, service_ends));
        if starts_on.as_deref() != Some(today.to_string().as_str()) || changed {
            return refuse(&page, AppError::FlowExpired);
        }
        let client = crate::ssr::auth::client_address();
        let outcome = super::store::subscribe(&state, &account, &addon, &key, &client, today, t).await?;
        match outcome {
            Subscribed::New | Subscribed::Again => Ok(done),
            Subscribed::Already => refuse(home, AppError::Pending),
        }
    })
    .await
}

/// The add-on `code` as the customer may apply for it, the last day of the services it
/// needs once set, and whether confirmation `key` made its subscription before (then
/// nothing more is checked). Refused: no such
/// add-on, one the customer may not have, one in force already; the password again
/// after 5 minutes.
#[cfg(feature = "ssr")]
async fn applicable(
    state: &crate::ssr::AppState,
    account: &crate::ssr::auth::CurrentAccount,
    code: &str,
    key: &str,
    password: Option<String>,
    t: i64,
) -> Result<(super::Addon, Option<crate::domain::billing::Date>, bool), crate::ssr::Refusal> {
    use crate::ssr::refuse;
    let today = crate::domain::billing::Date::of_unix_jst(t);
    let mut conn = state.db.conn().await?;
    let Some((eligible, addon, service_ends)) =
        super::store::one(&mut conn, &account.customer_no, code, today).await?
    else {
        return refuse(super::routes::CHANNELS, AppError::NotFound);
    };
    let home = super::routes::home(&addon.kind);
    if !eligible {
        return refuse(home, AppError::Forbidden);
    }
    if super::store::submitted(&mut conn, &account.customer_no, key).await? {
        return Ok((addon, service_ends, true));
    }
    // In force already (active, or cancelled but not yet ended).
    if addon.subscription.is_some() {
        return refuse(home, AppError::Pending);
    }
    drop(conn);
    crate::ssr::auth::confirm_password(&state.db, account, password, t).await?;
    Ok((addon, service_ends, false))
}

/// `解約する`: the customer's subscription `id`, in force to the end of the month (or of
/// its minimum term).
#[server(endpoint = "addons/cancel")]
pub async fn cancel_addon(id: String, kind: String, ends: Option<String>) -> Result<String, AppError> {
    use crate::ssr::{refuse, respond};
    let home = super::routes::home(&kind);
    respond(home, async {
        let (account, state) = crate::ssr::auth::signed_in().await?;
        let t = crate::ssr::now();
        let today = crate::domain::billing::Date::of_unix_jst(t);
        let client = crate::ssr::auth::client_address();
        let cancel = super::store::Cancel { id: &id, confirmed_end: ends.as_deref(), client: &client };
        let done = super::store::cancel(&state, &account, cancel, today, t).await?;
        // Cancelled already by this customer (a double click): the same answer.
        let mut conn = state.db.conn().await?;
        let already = super::store::is_cancelled(&mut conn, &id, &account.customer_no).await?;
        if done || already {
            Ok(format!("{home}?cancelled=1"))
        } else {
            refuse(home, AppError::FlowExpired)
        }
    })
    .await
}

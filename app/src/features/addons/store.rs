//! The add-on catalogue and subscriptions.

use super::{Addon, AddonStep, Subscription};
use crate::domain::addon::{cancel_end, cancel_end_with, fees_after_this_month};
use crate::domain::billing::{Date, Month};
use crate::domain::Yen;
use crate::features::billing::store as billing;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::Settings;
use crate::ssr::db::Conn;
use crate::ssr::events::{self, Event, Subject};
use crate::ssr::flow;
use crate::ssr::AppState;

#[derive(sqlx::FromRow)]
struct AddonRow {
    code: String,
    kind: String,
    name: String,
    genre: String,
    monthly_fee: i64,
    min_months: i64,
    devices: i64,
    requires: String,
}

#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    id: String,
    addon_code: String,
    step: AddonStep,
    started_on: String,
    ended_on: Option<String>,
    licence_key: Option<String>,
}

/// The customer's services of `kind` that have not ended before `today`: whether one
/// is in force (the add-ons of the kind may be subscribed to), and, when every one has
/// its end set (解約予定), the last day of them, the add-ons that go with them ending
/// then (None while one runs on, or none is there). One read for both.
async fn services_of_kind(
    conn: &mut Conn,
    customer_no: &str,
    kind: &str,
    today: Date,
) -> Result<(bool, Option<Date>), sqlx::Error> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT started_on, ended_on FROM services
         WHERE customer_no = $1 AND kind = $2 AND (ended_on IS NULL OR ended_on >= $3)",
    )
    .bind(customer_no)
    .bind(kind)
    .bind(today.to_string())
    .fetch_all(conn)
    .await?;
    let today_s = today.to_string();
    let in_force = rows.iter().any(|(started, _)| *started <= today_s);
    let ends = rows.iter().map(|(_, ended)| ended.as_deref()).collect::<Option<Vec<_>>>();
    let last = ends.and_then(|e| e.into_iter().max()).and_then(Date::parse);
    Ok((in_force, last))
}

/// Whether `sql` (`$1` the customer, `$2` what, `$3` the day) finds a row.
async fn any_on(
    conn: &mut Conn,
    sql: &str,
    customer_no: &str,
    what: &str,
    today: Date,
) -> Result<bool, sqlx::Error> {
    let row: Option<String> = sqlx::query_scalar(sql)
        .bind(customer_no)
        .bind(what)
        .bind(today.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

/// The add-ons of `kind` (`security`, `channel`) with the customer's subscription in
/// force to each (active, or cancelled but not yet ended), and whether the customer
/// may subscribe (has the service the add-ons need).
pub async fn catalogue(
    conn: &mut Conn,
    customer_no: &str,
    kind: &str,
    today: Date,
) -> Result<(bool, Vec<Addon>), sqlx::Error> {
    let (eligible, _, addons) = catalogue_until(conn, customer_no, kind, today).await?;
    Ok((eligible, addons))
}

/// [`catalogue`], with the last day of the services the add-ons need once all have
/// their end set (None: one runs on).
async fn catalogue_until(
    conn: &mut Conn,
    customer_no: &str,
    kind: &str,
    today: Date,
) -> Result<(bool, Option<Date>, Vec<Addon>), sqlx::Error> {
    let rows: Vec<AddonRow> = sqlx::query_as(
        "SELECT code, kind, name, genre, monthly_fee, min_months, devices, requires FROM addons
         WHERE kind = $1 ORDER BY monthly_fee, code",
    )
    .bind(kind)
    .fetch_all(&mut *conn)
    .await?;
    let requires = rows.first().map(|r| r.requires.clone()).unwrap_or_else(|| "internet".into());
    let (eligible, service_ends) = services_of_kind(conn, customer_no, &requires, today).await?;
    let subs: Vec<SubscriptionRow> = sqlx::query_as(
        "SELECT s.id, s.addon_code, s.step, s.started_on, s.ended_on, s.licence_key FROM addon_subscriptions s
         JOIN addons a ON a.code = s.addon_code
         WHERE s.customer_no = $1 AND a.kind = $2 AND (s.ended_on IS NULL OR s.ended_on >= $3)
         ORDER BY s.started_on DESC, s.id",
    )
    .bind(customer_no)
    .bind(kind)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let addons = rows
        .into_iter()
        .map(|r| {
            let fee = Yen(r.monthly_fee);
            let min = r.min_months.max(0) as u32;
            let subscription = subs.iter().find(|s| s.addon_code == r.code).map(|s| {
                let started = Date::parse(&s.started_on).unwrap_or(today);
                let end = cancel_end_with(started, min, today, service_ends);
                Subscription {
                    id: s.id.clone(),
                    step: s.step,
                    started_on: s.started_on.clone(),
                    ended_on: s.ended_on.clone(),
                    licence_key: s.licence_key.clone(),
                    cancel_end: end.to_string(),
                    cancel_cost: fees_after_this_month(fee, today, end),
                    ends_with_service: end < cancel_end(started, min, today),
                }
            });
            Addon {
                code: r.code,
                kind: r.kind,
                name: r.name,
                genre: r.genre,
                monthly_fee: fee,
                min_months: min,
                devices: r.devices.max(0) as u32,
                subscription,
            }
        })
        .collect();
    Ok((eligible, service_ends, addons))
}

/// The add-on `code` as the customer sees it (None: no such add-on), with whether they
/// may subscribe and the last day of the services it needs, once all have their end
/// set (it ends with them).
pub async fn one(
    conn: &mut Conn,
    customer_no: &str,
    code: &str,
    today: Date,
) -> Result<Option<(bool, Addon, Option<Date>)>, sqlx::Error> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM addons WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(kind) = kind else { return Ok(None) };
    let (eligible, ends, addons) = catalogue_until(conn, customer_no, &kind, today).await?;
    Ok(addons.into_iter().find(|a| a.code == code).map(|a| (eligible, a, ends)))
}

/// Whether the customer has a subscription to `code` in force on `today` (active, or
/// cancelled but not yet ended).
async fn in_force(conn: &mut Conn, customer_no: &str, code: &str, today: Date) -> Result<bool, sqlx::Error> {
    let sql = "SELECT id FROM addon_subscriptions WHERE customer_no = $1 AND addon_code = $2
               AND (ended_on IS NULL OR ended_on >= $3)";
    any_on(conn, sql, customer_no, code, today).await
}

/// Whether the customer's confirmation `submit_key` made a subscription already.
pub async fn submitted(conn: &mut Conn, customer_no: &str, submit_key: &str) -> Result<bool, sqlx::Error> {
    let again: Option<String> =
        sqlx::query_scalar("SELECT id FROM addon_subscriptions WHERE submit_key = $1 AND customer_no = $2")
            .bind(submit_key)
            .bind(customer_no)
            .fetch_optional(conn)
            .await?;
    Ok(again.is_some())
}

/// Whether the customer's subscription `id` is cancelled.
pub async fn is_cancelled(conn: &mut Conn, id: &str, customer_no: &str) -> Result<bool, sqlx::Error> {
    let row: Option<String> = sqlx::query_scalar(
        "SELECT id FROM addon_subscriptions WHERE id = $1 AND customer_no = $2 AND step = $3",
    )
    .bind(id)
    .bind(customer_no)
    .bind(AddonStep::Cancelled)
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// A licence key: 5 groups of 5 from an alphabet without look-alikes.
fn licence_key() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let alphabet = crate::features::referral::CODE_ALPHABET;
    (0..5)
        .map(|_| (0..5).map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())])).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// How writing a subscription went.
#[derive(Debug, PartialEq, Eq)]
pub enum Subscribed {
    New,
    /// The same confirmation was submitted before.
    Again,
    /// The customer has this add-on in force already.
    Already,
}

/// Subscribes the account's customer to `addon` from `today`, with the event and the
/// notice, in one transaction.
pub async fn subscribe(
    state: &AppState,
    account: &CurrentAccount,
    addon: &super::Addon,
    submit_key: &str,
    client: &str,
    today: Date,
    now: i64,
) -> Result<Subscribed, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    // The customer's row first, as the billing run's window takes it: this month's
    // invoice is written before this or after it, never beside it.
    crate::ssr::db::customers::lock(&mut tx, &account.customer_no).await?;
    let id = crate::ssr::db::new_id();
    let key = (addon.kind == "security").then(licence_key);
    // In force already, under the lock: the check before it may be older than a
    // subscription made and cancelled meanwhile (cancelled, it is not in the unique
    // index of active ones, yet runs to its end).
    if in_force(&mut tx, &account.customer_no, &addon.code, today).await? {
        tx.rollback().await?;
        let mut conn = state.db.conn().await?;
        let again = submitted(&mut conn, &account.customer_no, submit_key).await?;
        return Ok(if again { Subscribed::Again } else { Subscribed::Already });
    }
    let before = billing::issued(&mut tx, &account.customer_no, Month::of(today)).await?;
    // Any conflict (the key, or this add-on active already) writes nothing.
    let written = sqlx::query(
        "INSERT INTO addon_subscriptions (id, customer_no, account_id, addon_code, step, started_on, licence_key,
            submit_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(&account.customer_no)
    .bind(&account.account_id)
    .bind(&addon.code)
    .bind(AddonStep::Active)
    .bind(today.to_string())
    .bind(&key)
    .bind(submit_key)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        tx.rollback().await?;
        let mut conn = state.db.conn().await?;
        let again = submitted(&mut conn, &account.customer_no, submit_key).await?;
        return Ok(if again { Subscribed::Again } else { Subscribed::Already });
    }
    // From today: a month invoiced already gets its days on the next invoice.
    billing::true_up(&mut tx, before).await?;
    let detail = serde_json::json!({ "addon": addon.code });
    events::record(&mut tx, Event::AddonSubscribed, Subject::signed_in(account), client, detail, now).await?;
    let event = serde_json::json!({
        "event": "addon.subscribed", "customer_no": account.customer_no, "addon": addon.code,
        "licence_key": key, "starts_on": today.to_string(), "at": now,
    });
    crate::ssr::mail::enqueue_event(&mut tx, super::EVENT_TOPIC, &event, now).await?;
    notify(&mut tx, &state.settings, &account.account_id, addon, true, &today.to_string(), now).await?;
    tx.commit().await?;
    Ok(Subscribed::New)
}

/// A cancel as the customer confirmed it.
pub struct Cancel<'a> {
    pub id: &'a str,
    /// The last day the page said it would be in force.
    pub confirmed_end: Option<&'a str>,
    pub client: &'a str,
}

/// Cancels the customer's active subscription `id`: in force until its cancel end (the
/// end of the month or of the minimum term, or the last day of the services it goes
/// with when their ends are set before that: the end the customer was quoted, kept
/// even if a service end is withdrawn later), only if that is the end the customer
/// confirmed (a page of the day before, at a month's end, said another); false when it
/// is not theirs, not active, or its end is not the one confirmed.
pub async fn cancel(
    state: &AppState,
    account: &CurrentAccount,
    cancel: Cancel<'_>,
    today: Date,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Cancel { id, confirmed_end, client } = cancel;
    let mut conn = state.db.conn().await?;
    let code: Option<String> =
        sqlx::query_scalar("SELECT addon_code FROM addon_subscriptions WHERE id = $1 AND customer_no = $2")
            .bind(id)
            .bind(&account.customer_no)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(code) = code else { return Ok(false) };
    let Some((_, addon, _)) = one(&mut conn, &account.customer_no, &code, today).await? else {
        return Ok(false);
    };
    let Some(sub) = addon.subscription.as_ref().filter(|s| s.id == id) else { return Ok(false) };
    if confirmed_end != Some(sub.cancel_end.as_str()) {
        return Ok(false);
    }
    drop(conn);
    let mut tx = state.db.begin().await?;
    crate::ssr::db::customers::lock(&mut tx, &account.customer_no).await?;
    let before = billing::issued(&mut tx, &account.customer_no, Month::of(today)).await?;
    let moved = flow::advance(AddonStep::Active, AddonStep::Cancelled)
        .set("ended_on", sub.cancel_end.clone())
        .set("cancelled_at", now)
        .by("id", id)
        .and("customer_no =", &account.customer_no)
        .once(&mut tx)
        .await?;
    if !moved {
        return Ok(false);
    }
    // A month invoiced already that it no longer runs in is credited on the next one.
    billing::true_up(&mut tx, before).await?;
    let detail = serde_json::json!({ "addon": code, "ends_on": sub.cancel_end });
    events::record(&mut tx, Event::AddonCancelled, Subject::signed_in(account), client, detail, now).await?;
    let event = serde_json::json!({
        "event": "addon.cancelled", "customer_no": account.customer_no, "addon": code,
        "ends_on": sub.cancel_end, "at": now,
    });
    crate::ssr::mail::enqueue_event(&mut tx, super::EVENT_TOPIC, &event, now).await?;
    notify(&mut tx, &state.settings, &account.account_id, &addon, false, &sub.cancel_end, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// A subscription that runs past the last day of every service of the kind it goes
/// with (their ends set by the provider: 解約予定 or ended).
#[derive(sqlx::FromRow)]
struct Outliving {
    id: String,
    customer_no: String,
    account_id: String,
    addon_code: String,
    name: String,
    step: AddonStep,
    service_ends: String,
}

/// The subscriptions still in force whose services of the kind they go with have all
/// ended before `today` (none runs on: a move's new service keeps them), at most 100;
/// `only`: that subscription of that customer alone (read again under the customer's
/// lock). Each minute, so it starts from the services that have ended (a partial index,
/// migration 45), never from every subscription: at 100,000 customers that walk took
/// 180–220 ms a run, 32 ms this way (scale.rs reads its plan).
async fn outliving(
    conn: &mut Conn,
    today: Date,
    only: Option<(&str, &str)>,
) -> Result<Vec<Outliving>, sqlx::Error> {
    let sql = outliving_sql(only.is_some());
    let query = sqlx::query_as(&sql).bind(today.to_string());
    match only {
        Some((id, customer_no)) => query.bind(id).bind(customer_no).fetch_all(conn).await,
        None => query.fetch_all(conn).await,
    }
}

/// [`outliving`]'s statement: `$1` the day; `only`: `$2` the subscription, `$3` its
/// customer.
pub fn outliving_sql(only: bool) -> String {
    let (service, subscription) = if only { (" AND v.customer_no = $3", " AND s.id = $2") } else { ("", "") };
    format!(
        "SELECT s.id, s.customer_no, s.account_id, s.addon_code, a.name, s.step, e.service_ends
         FROM (SELECT v.customer_no, v.kind, MAX(v.ended_on) AS service_ends FROM services v
               WHERE v.ended_on IS NOT NULL AND v.ended_on < $1{service}
               GROUP BY v.customer_no, v.kind) e
         JOIN addons a ON a.requires = e.kind
         JOIN addon_subscriptions s ON s.customer_no = e.customer_no AND s.addon_code = a.code
         WHERE (s.ended_on IS NULL OR s.ended_on >= $1){subscription}
           AND NOT EXISTS (SELECT 1 FROM services w WHERE w.customer_no = e.customer_no AND w.kind = e.kind
                           AND (w.ended_on IS NULL OR w.ended_on >= $1))
         ORDER BY s.id LIMIT 100"
    )
}

/// The maintenance job: a subscription whose service has ended (the provider ended it,
/// and no other of the kind runs on, as a move's new one would) ends on the service's
/// last day, as if cancelled then: its pages say so, nothing after that day is billed
/// (the engine bills none already) or quoted, the system that provides it is told
/// (`addon.cancelled`), and the customer is mailed why. Until the service has ended, a
/// service end set ahead (解約予定) may still be withdrawn or followed by a new service,
/// and the subscription is left. Its own transaction each, read again under the
/// customer's row lock; a second run, or another process's, finds it ended and does
/// nothing; one that fails is logged and the others go on. How many ended.
pub async fn end_with_their_service(state: &AppState, now: i64) -> Result<usize, crate::error::AppError> {
    let today = Date::of_unix_jst(now);
    let mut conn = state.db.conn().await?;
    let found = outliving(&mut conn, today, None).await?;
    drop(conn);
    let mut ended = 0;
    for o in found {
        match end_one(state, &o.id, &o.customer_no, today, now).await {
            Ok(true) => ended += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(subscription = %o.id, error = %e, "an add-on outliving its service could not be ended now; retried next run")
            }
        }
    }
    Ok(ended)
}

/// Ends subscription `id` of `customer_no` with its service, if it still outlives it.
async fn end_one(
    state: &AppState,
    id: &str,
    customer_no: &str,
    today: Date,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    crate::ssr::db::customers::lock(&mut tx, customer_no).await?;
    let Some(o) = outliving(&mut tx, today, Some((id, customer_no))).await?.into_iter().next() else {
        return Ok(false);
    };
    let Some(ends) = Date::parse(&o.service_ends) else { return Ok(false) };
    let before = billing::issued(&mut tx, &o.customer_no, Month::of(ends)).await?;
    let mut update = flow::advance_from(&[AddonStep::Active, AddonStep::Cancelled], AddonStep::Cancelled)
        .set("ended_on", o.service_ends.clone());
    if o.step == AddonStep::Active {
        update = update.set("cancelled_at", now);
    }
    let moved = update
        .by("id", o.id.as_str())
        .and("COALESCE(ended_on, '9999-12-31') >", o.service_ends.clone())
        .once(&mut tx)
        .await?;
    if !moved {
        return Ok(false);
    }
    billing::true_up(&mut tx, before).await?;
    let detail =
        serde_json::json!({ "addon": o.addon_code, "ends_on": o.service_ends, "with_service": true });
    events::record(&mut tx, Event::AddonCancelled, Subject::Account(&o.account_id), "operator", detail, now)
        .await?;
    let event = serde_json::json!({
        "event": "addon.cancelled", "customer_no": o.customer_no, "addon": o.addon_code,
        "ends_on": o.service_ends, "at": now,
    });
    crate::ssr::mail::enqueue_event(&mut tx, super::EVENT_TOPIC, &event, now).await?;
    let mail =
        |locale, to: &str| super::mail::addon_ended(&state.settings, locale, to, &o.name, &o.service_ends);
    crate::ssr::db::customers::mail_owner(&mut tx, &o.account_id, "addon.ended", mail, now).await?;
    tx.commit().await?;
    Ok(true)
}

async fn notify(
    tx: &mut Conn,
    settings: &Settings,
    account_id: &str,
    addon: &Addon,
    applied: bool,
    date: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let topic = if applied { "addon.subscribed" } else { "addon.cancelled" };
    let mail = |locale, to: &str| {
        super::mail::addon_notice(settings, locale, to, &addon.name, addon.monthly_fee, applied, date)
    };
    crate::ssr::db::customers::mail_owner(tx, account_id, topic, mail, now).await
}

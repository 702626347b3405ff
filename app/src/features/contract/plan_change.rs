//! プラン変更のお申し込み on the server: a request is written once (its confirmation
//! key makes a double submit find the request it made; the partial unique index keeps
//! one open request a service), moves on the flow machine (受付 → 処理中 → 完了, or
//! 取消 while 受付) and mails a notice at each step. Completing it (the back office,
//! `server plan-requests --complete ID`) writes the change into `service_changes` on its
//! effective date and the new plan onto the service: the billing run bills each plan
//! for its days from there.

use super::store::{self, OwnedRequest, Requests};
use super::{PlanRequest, PlanRequestStep};
use crate::domain::billing::{Date, Month};
use crate::features::billing::store as billing;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::Settings;
use crate::ssr::db::{Conn, Db};
use crate::ssr::events::{self, Event, Subject};
use crate::ssr::flow;
use crate::ssr::AppState;

pub use super::store::NewRequest;

/// How writing a request went.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// This call wrote it (受付番号).
    New(String),
    /// The same confirmation was submitted before: the request it made.
    Again(String),
    /// The service has an open request already, or it ended or changed plan since the
    /// page read it.
    Open,
    /// A change of the service was completed since the page read it (its new plan waits
    /// for its date): the next one waits for it.
    Scheduled,
    /// The customer's requests of the day are spent ([`REQUESTS`]).
    Throttled,
}

/// Requests a customer may make: 10 a day. Each is a row and a mail to the contact
/// address (and its cancel another), and a session's holder could otherwise send
/// request and cancel in a loop, burying the owner's mail. Only a request written
/// counts (a double submit, or one refused, gives its attempt back with the rollback).
pub const REQUESTS: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("plan-request", 86_400).free(10).then_wait(86_400, 86_400);

/// A new 受付番号 (see [`super::is_request_number`]).
fn new_request_id() -> String {
    let n = u64::from_be_bytes(rand::random::<[u8; 8]>()) % 10_000_000_000;
    format!("P{n:010}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_request_numbers_are_request_numbers() {
        for _ in 0..100 {
            assert!(super::super::is_request_number(&super::new_request_id()));
        }
        assert!(!super::super::is_request_number("P123"));
        assert!(!super::super::is_request_number("Pabcdefghij"));
    }
}

/// Writes the request (受付), its event and the notice, in one transaction.
pub async fn write(
    db: &Db,
    settings: &Settings,
    request: NewRequest<'_>,
    client: &str,
    now: i64,
) -> Result<Written, sqlx::Error> {
    let mut conn = db.conn().await?;
    if let Some(id) = store::request_by_key(&mut conn, request.customer_no, request.submit_key).await? {
        return Ok(Written::Again(id));
    }
    drop(conn);
    let id = new_request_id();
    let mut tx = db.begin().await?;
    // The customer's row first, as completing a request takes it: a change completed
    // since the page read the service (a plan the service leaves next month) is seen
    // here, and the request waits for it, as the page would have said.
    crate::ssr::db::customers::lock(&mut tx, request.customer_no).await?;
    if !crate::ssr::auth::throttle::reserve(&mut tx, &REQUESTS, request.customer_no, now).await?.go() {
        return Ok(Written::Throttled);
    }
    let service = store::services(&mut tx, request.customer_no, Date::of_unix_jst(now))
        .await?
        .into_iter()
        .find(|s| s.id == request.service_id);
    match service {
        Some(s) if s.scheduled.is_some() => return Ok(Written::Scheduled),
        Some(s) if s.plan_code == request.from_plan => {}
        _ => return Ok(Written::Open),
    }
    // Any conflict (the key, or an open request of the service) writes nothing.
    if !store::insert_request(&mut tx, &id, &request, now).await? {
        tx.rollback().await?;
        let mut conn = db.conn().await?;
        return Ok(match store::request_by_key(&mut conn, request.customer_no, request.submit_key).await? {
            Some(id) => Written::Again(id),
            None => Written::Open,
        });
    }
    let detail = serde_json::json!({
        "request": id, "service": request.service_id, "from": request.from_plan, "to": request.to_plan,
    });
    events::record(
        &mut tx,
        Event::PlanChangeRequested,
        Subject::Account(request.account_id),
        client,
        detail,
        now,
    )
    .await?;
    notify(&mut tx, settings, &id, now).await?;
    tx.commit().await?;
    Ok(Written::New(id))
}

/// The customer cancels their request while it is 受付; false when it is not theirs or
/// no longer 受付 (the back office has taken it up, or it ended).
pub async fn cancel(
    state: &AppState,
    account: &CurrentAccount,
    id: &str,
    client: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let moved = flow::advance(PlanRequestStep::Received, PlanRequestStep::Cancelled)
        .set("updated_at", now)
        .by("id", id)
        .and("customer_no =", &account.customer_no)
        .once(&mut tx)
        .await?;
    if !moved {
        return Ok(false);
    }
    let detail = serde_json::json!({ "request": id });
    events::record(&mut tx, Event::PlanChangeCancelled, Subject::signed_in(account), client, detail, now)
        .await?;
    notify(&mut tx, &state.settings, id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// What the operator command did to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Operated {
    Moved,
    /// No request with that id is at a step it can move from.
    NotOpen,
    /// Not completed but cancelled (中止), the customer mailed: its service ends (this
    /// day) before the change would start. Left open, it stayed on the list and on the
    /// customer's page for good.
    ServiceEnds(String),
}

/// 受付 → 処理中 (the customer can no longer cancel it), with the notice.
pub async fn process(db: &Db, settings: &Settings, id: &str, now: i64) -> Result<Operated, sqlx::Error> {
    let mut tx = db.begin().await?;
    if !flow::advance(PlanRequestStep::Received, PlanRequestStep::Processing)
        .set("updated_at", now)
        .by("id", id)
        .once(&mut tx)
        .await?
    {
        return Ok(Operated::NotOpen);
    }
    notify(&mut tx, settings, id, now).await?;
    tx.commit().await?;
    Ok(Operated::Moved)
}

/// 受付 or 処理中 → 完了: the change is written into the contract from its effective
/// date (and 契約解除料, when quoted, onto that month's invoice), with the notice.
pub async fn complete(db: &Db, settings: &Settings, id: &str, now: i64) -> Result<Operated, sqlx::Error> {
    let mut tx = db.begin().await?;
    let operated = complete_in(&mut tx, settings, id, now).await?;
    if operated != Operated::NotOpen {
        tx.commit().await?;
    }
    Ok(operated)
}

/// [`complete`] in the caller's transaction `tx`, which the caller commits on `Moved`
/// (on `NotOpen` the customer's row stays locked until it drops the transaction).
pub async fn complete_in(
    tx: &mut Conn,
    settings: &Settings,
    id: &str,
    now: i64,
) -> Result<Operated, sqlx::Error> {
    let Some(change) = store::requested_change(tx, id).await? else { return Ok(Operated::NotOpen) };
    // The customer's row first, as the billing run's window and a new request take it:
    // the effective month's invoice is written before this or after it, never beside
    // it, and a request written meanwhile sees the service as this leaves it.
    crate::ssr::db::customers::lock(tx, &change.customer_no).await?;
    // A service whose end was set after the request: the change would bill a plan never
    // in force (and its 契約解除料).
    if let Some(ends) = store::service_ends_on(tx, &change.service_id).await? {
        if ends < change.effective_on {
            let open = [PlanRequestStep::Received, PlanRequestStep::Processing];
            let cancelled = flow::advance_from(&open, PlanRequestStep::Cancelled)
                .set("updated_at", now)
                .by("id", id)
                .once(tx)
                .await?;
            if !cancelled {
                return Ok(Operated::NotOpen);
            }
            notify(tx, settings, id, now).await?;
            return Ok(Operated::ServiceEnds(ends));
        }
    }
    if !flow::advance_from(&[PlanRequestStep::Received, PlanRequestStep::Processing], PlanRequestStep::Done)
        .set("updated_at", now)
        .by("id", id)
        .once(tx)
        .await?
    {
        return Ok(Operated::NotOpen);
    }
    let effective =
        Date::parse(&change.effective_on).map(Month::of).unwrap_or(Month::of(Date::of_unix_jst(now)));
    let before = billing::issued(tx, &change.customer_no, effective).await?;
    store::insert_plan_change(tx, id, &change).await?;
    // At the fee quoted, which the request's notices print, whatever the catalogue
    // says today.
    store::set_plan(tx, &change.service_id, &change.to_plan, change.monthly_fee).await?;
    let fee = change.termination_fee;
    if fee > 0 {
        // On the effective month's invoice, or the first not issued yet.
        let month = billing::open_month(tx, &change.customer_no, effective).await?.to_string();
        let description = super::texts::of(crate::i18n::Locale::Ja).termination_line;
        store::insert_termination_fee(tx, id, &change.customer_no, &month, description, fee).await?;
    }
    // Completed after its month was invoiced: the difference on the next invoice.
    billing::true_up(tx, before).await?;
    let detail = serde_json::json!({
        "request": id, "service": change.service_id, "from": change.from_plan, "to": change.to_plan,
    });
    events::record(tx, Event::PlanChanged, Subject::Account(&change.account_id), "operator", detail, now)
        .await?;
    notify(tx, settings, id, now).await?;
    Ok(Operated::Moved)
}

/// Every open request (受付, 処理中), oldest first, for the operator: (customer no.,
/// request).
pub async fn open_requests(db: &Db) -> Result<Vec<(String, PlanRequest)>, sqlx::Error> {
    let mut conn = db.conn().await?;
    let rows = store::requests_with_owner(&mut conn, Requests::AllOpen).await?;
    Ok(rows.into_iter().map(|r| (r.customer_no, r.request)).collect())
}

/// The notice of the request's step now, to the contact address in force.
async fn notify(tx: &mut Conn, settings: &Settings, id: &str, now: i64) -> Result<(), sqlx::Error> {
    let found = store::requests_with_owner(tx, Requests::Id(id)).await?;
    let Some(OwnedRequest { account_id, request, .. }) = found.into_iter().next() else {
        return Err(sqlx::Error::RowNotFound);
    };
    let kind = format!("contract.plan_request.{}", crate::flow::Step::as_str(request.step));
    let mail = |locale, to: &str| super::mail::plan_request_notice(settings, locale, to, &request);
    crate::ssr::db::customers::mail_owner(tx, &account_id, &kind, mail, now).await
}

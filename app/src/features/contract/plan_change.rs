//! プラン変更のお申し込み on the server: a request is written once (its confirmation
//! key makes a double submit find the request it made; the partial unique index keeps
//! one open request a service), moves on the flow machine (受付 → 処理中 → 完了, or
//! 取消 while 受付) and mails a notice at each step. Completing it (the back office,
//! `server plan-requests --complete ID`) writes the change into `service_changes` on its
//! effective date and the new plan onto the service: the billing run bills each plan
//! for its days from there.

use super::{PlanRequest, PlanRequestStep};
use crate::domain::billing::{Date, Month};
use crate::ssr::config::Settings;
use crate::ssr::db::{Conn, Db};
use crate::ssr::events::{self, Event, Subject};
use crate::ssr::flow;

/// A request as it is written.
pub struct NewRequest<'a> {
    pub customer_no: &'a str,
    pub account_id: &'a str,
    pub service_id: &'a str,
    pub from_plan: &'a str,
    pub to_plan: &'a str,
    pub monthly_fee: i64,
    pub effective_on: Date,
    pub termination_fee: i64,
    pub submit_key: &'a str,
}

/// How writing a request went.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// This call wrote it (受付番号).
    New(String),
    /// The same confirmation was submitted before: the request it made.
    Again(String),
    /// The service has an open request already.
    Open,
}

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

/// The request's row id for `submit_key` of `customer_no`, if it was written.
async fn by_key(conn: &mut Conn, customer_no: &str, key: &str) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM plan_requests WHERE submit_key = $1 AND customer_no = $2")
            .bind(key)
            .bind(customer_no)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Writes the request (受付), its event and the notice, in one transaction.
pub async fn write(
    db: &Db,
    settings: &Settings,
    request: NewRequest<'_>,
    client: &str,
    now: i64,
) -> Result<Written, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    if let Some(id) = by_key(&mut conn, request.customer_no, request.submit_key).await? {
        return Ok(Written::Again(id));
    }
    drop(conn);
    let id = new_request_id();
    let mut tx = db.pool().begin().await?;
    // Any conflict (the key, or an open request of the service) writes nothing.
    let written = sqlx::query(
        "INSERT INTO plan_requests (id, customer_no, account_id, service_id, from_plan, to_plan, monthly_fee,
            effective_on, termination_fee, step, submit_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(request.customer_no)
    .bind(request.account_id)
    .bind(request.service_id)
    .bind(request.from_plan)
    .bind(request.to_plan)
    .bind(request.monthly_fee)
    .bind(request.effective_on.to_string())
    .bind(request.termination_fee)
    .bind(PlanRequestStep::Received)
    .bind(request.submit_key)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if written == 0 {
        tx.rollback().await?;
        let mut conn = db.pool().acquire().await?;
        return Ok(match by_key(&mut conn, request.customer_no, request.submit_key).await? {
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
    db: &Db,
    settings: &Settings,
    customer_no: &str,
    account_id: &str,
    id: &str,
    client: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    let moved = flow::advance(PlanRequestStep::Received, PlanRequestStep::Cancelled)
        .set("updated_at", now)
        .by("id", id)
        .and("customer_no =", customer_no)
        .once(&mut tx)
        .await?;
    if !moved {
        return Ok(false);
    }
    let detail = serde_json::json!({ "request": id });
    events::record(&mut tx, Event::PlanChangeCancelled, Subject::Account(account_id), client, detail, now)
        .await?;
    notify(&mut tx, settings, id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// What the operator command did to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Operated {
    Moved,
    /// No request with that id is at a step it can move from.
    NotOpen,
}

/// 受付 → 処理中 (the customer can no longer cancel it), with the notice.
pub async fn process(db: &Db, settings: &Settings, id: &str, now: i64) -> Result<Operated, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
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
    let mut tx = db.pool().begin().await?;
    if !flow::advance_from(&[PlanRequestStep::Received, PlanRequestStep::Processing], PlanRequestStep::Done)
        .set("updated_at", now)
        .by("id", id)
        .once(&mut tx)
        .await?
    {
        return Ok(Operated::NotOpen);
    }
    let (customer_no, account_id, service_id, from, to, effective_on, fee): (
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
    ) = sqlx::query_as(
        "SELECT customer_no, account_id, service_id, from_plan, to_plan, effective_on, termination_fee
         FROM plan_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO service_changes (id, customer_no, service_id, changed_on, change_kind, from_plan, to_plan)
         VALUES ($1, $2, $3, $4, 'plan_change', $5, $6)",
    )
    .bind(format!("chg-{id}"))
    .bind(&customer_no)
    .bind(&service_id)
    .bind(&effective_on)
    .bind(&from)
    .bind(&to)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE services SET plan_code = $1, plan_name = (SELECT name FROM plans WHERE code = $1),
            monthly_fee = (SELECT monthly_fee FROM plans WHERE code = $1) WHERE id = $2",
    )
    .bind(&to)
    .bind(&service_id)
    .execute(&mut *tx)
    .await?;
    if fee > 0 {
        let month = Date::parse(&effective_on).map(Month::of).map(|m| m.to_string()).unwrap_or_default();
        // 不課税 (not a taxable sale): rate 0.
        sqlx::query(
            "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate)
             VALUES ($1, $2, $3, 'adjustment', $4, $5, 0)",
        )
        .bind(format!("etf-{id}"))
        .bind(&customer_no)
        .bind(month)
        .bind(super::texts::of(crate::i18n::Locale::Ja).termination_line)
        .bind(fee)
        .execute(&mut *tx)
        .await?;
    }
    let detail = serde_json::json!({ "request": id, "service": service_id, "from": from, "to": to });
    events::record(&mut tx, Event::PlanChanged, Subject::Account(&account_id), "operator", detail, now)
        .await?;
    notify(&mut tx, settings, id, now).await?;
    tx.commit().await?;
    Ok(Operated::Moved)
}

/// Every open request (受付, 処理中), oldest first, for the operator: (customer no.,
/// request).
pub async fn open_requests(db: &Db) -> Result<Vec<(String, PlanRequest)>, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    let rows = super::store::requests_with_owner(&mut conn, super::store::Requests::AllOpen).await?;
    Ok(rows.into_iter().map(|(customer_no, _, r)| (customer_no, r)).collect())
}

/// The notice of the request's step now, to the contact address in force.
async fn notify(tx: &mut Conn, settings: &Settings, id: &str, now: i64) -> Result<(), sqlx::Error> {
    let found = super::store::requests_with_owner(tx, super::store::Requests::Id(id)).await?;
    let Some((_, account_id, request)) = found.into_iter().next() else {
        return Err(sqlx::Error::RowNotFound);
    };
    let target = crate::ssr::db::customers::notice_target(tx, &account_id).await?;
    let mail = super::mail::plan_request_notice(settings, target.locale, &target.to, &request);
    let kind = format!("contract.plan_request.{}", crate::flow::Step::as_str(request.step));
    crate::ssr::mail::enqueue(tx, &kind, &mail, now).await
}

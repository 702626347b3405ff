//! The contract's queries: services with their terms and devices, and the timeline.

use super::{
    ContractOverview, ContractService, Device, EntryState, History, HistoryEntry, HistoryEvent, PlanOption,
    PlanRequest, PlanRequestStep,
};
use crate::domain::billing::{Date, Month};
use crate::domain::contract::next_renewal;
use crate::domain::Yen;
use crate::ssr::db::Conn;

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    kind: String,
    plan_code: String,
    plan_name: String,
    monthly_fee: i64,
    started_on: String,
    ended_on: Option<String>,
    installation_address: String,
    term_months: Option<i64>,
    early_termination_fee: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PlanChangeRow {
    service_id: String,
    changed_on: String,
    kind: String,
    from_name: Option<String>,
    to_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    customer_no: String,
    account_id: String,
    service_id: String,
    kind: String,
    from_name: String,
    to_name: String,
    monthly_fee: i64,
    effective_on: String,
    termination_fee: i64,
    step: PlanRequestStep,
    created_at: i64,
}

/// A plan of the catalogue.
#[derive(sqlx::FromRow)]
struct PlanRow {
    code: String,
    name: String,
    monthly_fee: i64,
}

/// The customer's name and address.
#[derive(sqlx::FromRow)]
struct CustomerRow {
    name: String,
    postal_code: String,
    address: String,
}

#[derive(sqlx::FromRow)]
struct DeviceRow {
    equipment_id: String,
    service_id: Option<String>,
    kind: String,
    model: String,
}

/// A completed plan change from a later date: the plan it leaves (in force until then)
/// and the name of the plan it goes to.
#[derive(sqlx::FromRow)]
struct LaterChangeRow {
    service_id: String,
    changed_on: String,
    from_code: String,
    from_name: String,
    from_fee: i64,
    to_name: String,
}

#[derive(sqlx::FromRow)]
struct HistoryServiceRow {
    id: String,
    kind: String,
    plan_name: String,
    started_on: String,
    ended_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    detail: String,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AddonRow {
    name: String,
    requires: String,
    started_on: String,
    ended_on: Option<String>,
}

/// A plan change request with whose it is.
pub struct OwnedRequest {
    pub customer_no: String,
    pub account_id: String,
    pub request: PlanRequest,
}

/// Which plan change requests to read.
pub enum Requests<'a> {
    /// A customer's, newest first; with `open_only`, those still 受付 or 処理中.
    Of { customer_no: &'a str, open_only: bool },
    /// One, by its 受付番号.
    Id(&'a str),
    /// Every open one, oldest first (the operator's list).
    AllOpen,
}

/// The requests asked for, each with its customer no. and account id: one query.
pub async fn requests_with_owner(
    conn: &mut Conn,
    which: Requests<'_>,
) -> Result<Vec<OwnedRequest>, sqlx::Error> {
    let open = crate::ssr::flow::step_in(&[PlanRequestStep::Received, PlanRequestStep::Processing]);
    let (filter, order, bind) = match which {
        Requests::Of { customer_no, open_only: true } => {
            (format!("r.customer_no = $1 AND r.{open}"), "DESC", Some(customer_no))
        }
        Requests::Of { customer_no, open_only: false } => {
            ("r.customer_no = $1".to_string(), "DESC", Some(customer_no))
        }
        Requests::Id(id) => ("r.id = $1".to_string(), "DESC", Some(id)),
        Requests::AllOpen => (format!("r.{open}"), "ASC", None),
    };
    let sql = format!(
        "SELECT r.id, r.customer_no, r.account_id, r.service_id, s.kind, fp.name AS from_name, tp.name AS to_name,
                r.monthly_fee, r.effective_on, r.termination_fee, r.step, r.created_at
         FROM plan_requests r JOIN services s ON s.id = r.service_id
         JOIN plans fp ON fp.code = r.from_plan JOIN plans tp ON tp.code = r.to_plan
         WHERE {filter} ORDER BY r.created_at {order}, r.id"
    );
    let mut query = sqlx::query_as::<_, RequestRow>(&sql);
    if let Some(value) = bind {
        query = query.bind(value);
    }
    Ok(query
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| {
            let request = PlanRequest {
                id: r.id,
                service_id: r.service_id,
                kind: r.kind,
                from_name: r.from_name,
                to_name: r.to_name,
                monthly_fee: Yen(r.monthly_fee),
                effective_on: r.effective_on,
                termination_fee: Yen(r.termination_fee),
                step: r.step,
                requested_on: Date::of_unix_jst(r.created_at).to_string(),
            };
            OwnedRequest { customer_no: r.customer_no, account_id: r.account_id, request }
        })
        .collect())
}

/// The customer's plan change requests, newest first; with `open_only`, those still
/// 受付 or 処理中 (one a service at most).
pub async fn requests(
    conn: &mut Conn,
    customer_no: &str,
    open_only: bool,
) -> Result<Vec<PlanRequest>, sqlx::Error> {
    let rows = requests_with_owner(conn, Requests::Of { customer_no, open_only }).await?;
    Ok(rows.into_iter().map(|r| r.request).collect())
}

/// The plans of `kind` in the catalogue other than `current`, cheapest first.
pub async fn plan_options(
    conn: &mut Conn,
    kind: &str,
    current: &str,
) -> Result<Vec<PlanOption>, sqlx::Error> {
    let rows: Vec<PlanRow> = sqlx::query_as(
        "SELECT code, name, monthly_fee FROM plans WHERE kind = $1 AND code <> $2 ORDER BY monthly_fee, code",
    )
    .bind(kind)
    .bind(current)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanOption { code: r.code, name: r.name, monthly_fee: Yen(r.monthly_fee) })
        .collect())
}

fn month_of(date: &str) -> Option<Month> {
    Date::parse(date).map(Month::of)
}

/// The customer's services in force on `today` (internet, TV, phone), with devices.
pub async fn overview(
    conn: &mut Conn,
    customer_no: &str,
    today: Date,
) -> Result<Option<ContractOverview>, sqlx::Error> {
    let customer: Option<CustomerRow> =
        sqlx::query_as("SELECT name, postal_code, address FROM customers WHERE customer_no = $1")
            .bind(customer_no)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(CustomerRow { name, postal_code, address }) = customer else {
        return Ok(None);
    };
    let services = services(conn, customer_no, today).await?;
    let addons = addons_in_force(conn, customer_no, today).await?;
    let payment = crate::features::billing::store::payment_method(conn, customer_no).await?;
    Ok(Some(ContractOverview {
        name,
        customer_no: customer_no.into(),
        postal_code,
        address,
        services,
        addons,
        payment,
    }))
}

#[derive(sqlx::FromRow)]
struct AddonInForceRow {
    kind: String,
    name: String,
    monthly_fee: i64,
    started_on: String,
    ended_on: Option<String>,
}

/// The customer's add-ons in force on `today` (a cancelled one until its last day):
/// security first, then channels, each in the order they started.
pub async fn addons_in_force(
    conn: &mut Conn,
    customer_no: &str,
    today: Date,
) -> Result<Vec<super::ContractAddon>, sqlx::Error> {
    let rows: Vec<AddonInForceRow> = sqlx::query_as(
        "SELECT a.kind, a.name, a.monthly_fee, s.started_on, s.ended_on FROM addon_subscriptions s
         JOIN addons a ON a.code = s.addon_code
         WHERE s.customer_no = $1 AND s.started_on <= $2 AND (s.ended_on IS NULL OR s.ended_on >= $2)
         ORDER BY CASE a.kind WHEN 'security' THEN 0 ELSE 1 END, s.started_on, a.code",
    )
    .bind(customer_no)
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::ContractAddon {
            kind: r.kind,
            name: r.name,
            monthly_fee: Yen(r.monthly_fee),
            started_on: r.started_on,
            ended_on: r.ended_on,
        })
        .collect())
}

/// The customer's services in force on `today` (started, and not ended: a service the
/// provider set to start later, as at a new address after a move, is in the history as
/// 予定 until its first day), each at the plan in force that day (a completed change
/// from a later date is `scheduled`), with its open request.
pub async fn services(
    conn: &mut Conn,
    customer_no: &str,
    today: Date,
) -> Result<Vec<ContractService>, sqlx::Error> {
    let rows: Vec<ServiceRow> = sqlx::query_as(
        "SELECT s.id, s.kind, s.plan_code, s.plan_name, s.monthly_fee, s.started_on, s.ended_on, s.installation_address,
                p.term_months, p.early_termination_fee
         FROM services s LEFT JOIN plans p ON p.code = s.plan_code
         WHERE s.customer_no = $1
         ORDER BY CASE s.kind WHEN 'internet' THEN 0 WHEN 'tv' THEN 1 ELSE 2 END, s.started_on, s.id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    let devices: Vec<DeviceRow> = sqlx::query_as(
        "SELECT equipment_id, service_id, kind, model FROM equipment WHERE customer_no = $1 ORDER BY equipment_id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    let today_s = today.to_string();
    // Completed changes from a later date: the plan in force today is their `from`.
    let later: Vec<LaterChangeRow> = sqlx::query_as(
        "SELECT c.service_id, c.changed_on, fp.code AS from_code, fp.name AS from_name,
                COALESCE(c.from_fee, fp.monthly_fee) AS from_fee,
                tp.name AS to_name FROM service_changes c
         JOIN plans fp ON fp.code = c.from_plan JOIN plans tp ON tp.code = c.to_plan
         WHERE c.customer_no = $1 AND c.change_kind = 'plan_change' AND c.changed_on > $2
         ORDER BY c.changed_on DESC",
    )
    .bind(customer_no)
    .bind(&today_s)
    .fetch_all(&mut *conn)
    .await?;
    let mut open = requests(conn, customer_no, true).await?;
    let mut services = Vec::new();
    let in_force = |r: &ServiceRow| {
        r.started_on <= today_s && r.ended_on.as_deref().is_none_or(|e| e >= today_s.as_str())
    };
    for r in rows.into_iter().filter(in_force) {
        let term = r.term_months.filter(|t| *t > 0).map(|t| t as u32);
        let renewal = match (term, month_of(&r.started_on)) {
            (Some(t), Some(start)) => next_renewal(start, t, Month::of(today)).map(|m| m.to_string()),
            _ => None,
        };
        // Devices with no service of their own go with the TV (an STB or a Hit pot).
        let mine = devices
            .iter()
            .filter(|d| {
                let sid = &d.service_id;
                sid.as_deref() == Some(r.id.as_str()) || (sid.is_none() && r.kind == "tv")
            })
            .map(|d| Device { id: d.equipment_id.clone(), kind: d.kind.clone(), model: d.model.clone() })
            .collect();
        let (mut plan_code, mut plan_name, mut fee, mut scheduled) =
            (r.plan_code, r.plan_name, r.monthly_fee, None);
        // The earliest later change says what is in force today (rows newest first).
        for c in later.iter().filter(|c| c.service_id == r.id) {
            (plan_code, plan_name, fee) = (c.from_code.clone(), c.from_name.clone(), c.from_fee);
            scheduled = Some((c.to_name.clone(), c.changed_on.clone()));
        }
        let request = open.iter().position(|q| q.service_id == r.id).map(|i| open.swap_remove(i));
        services.push(ContractService {
            id: r.id,
            kind: r.kind,
            plan_name,
            monthly_fee: Yen(fee),
            started_on: r.started_on,
            term_months: term,
            renewal_month: renewal,
            early_termination_fee: Yen(r.early_termination_fee.unwrap_or(0)),
            installation_address: r.installation_address,
            ends_on: r.ended_on,
            devices: mine,
            plan_code,
            scheduled,
            request,
        });
    }
    Ok(services)
}

/// サービス加入・変更履歴 of `customer_no` (and its account), newest first; with
/// `filter`, only that service's entries (an id that is not the customer's: none).
pub async fn history(
    conn: &mut Conn,
    customer_no: &str,
    account_id: &str,
    filter: Option<String>,
    today: Date,
) -> Result<History, sqlx::Error> {
    let today = today.to_string();
    let services: Vec<HistoryServiceRow> = sqlx::query_as(
        "SELECT id, kind, plan_name, started_on, ended_on FROM services WHERE customer_no = $1 ORDER BY started_on, id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    let changes: Vec<PlanChangeRow> = sqlx::query_as(
        "SELECT c.service_id, c.changed_on, s.kind, fp.name AS from_name, tp.name AS to_name FROM service_changes c
         JOIN services s ON s.id = c.service_id
         LEFT JOIN plans fp ON fp.code = c.from_plan LEFT JOIN plans tp ON tp.code = c.to_plan
         WHERE c.customer_no = $1 AND c.change_kind = 'plan_change'",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT kind, detail, created_at FROM account_events
         WHERE account_id = $1 AND kind IN ('billing.payment_method_changed', 'account.id_changed')",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let mailboxes: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT address, service_id, created_at FROM mailboxes WHERE customer_no = $1")
            .bind(customer_no)
            .fetch_all(&mut *conn)
            .await?;
    let mut entries = Vec::new();
    for HistoryServiceRow { id, kind, plan_name: plan, started_on: started, ended_on: ended } in &services {
        // It started on the plan its first change left (the plan now, if none).
        let first_plan = changes
            .iter()
            .filter(|c| &c.service_id == id)
            .min_by(|a, b| a.changed_on.cmp(&b.changed_on))
            .and_then(|c| c.from_name.clone())
            .unwrap_or_else(|| plan.clone());
        entries.push(HistoryEntry {
            date: started.clone(),
            event: HistoryEvent::ServiceStarted { kind: kind.clone(), plan: first_plan },
            service_id: Some(id.clone()),
            state: if *started > today { EntryState::Scheduled } else { EntryState::Done },
        });
        if let Some(ended) = ended {
            entries.push(HistoryEntry {
                date: ended.clone(),
                event: HistoryEvent::ServiceEnded { kind: kind.clone(), plan: plan.clone() },
                service_id: Some(id.clone()),
                state: if *ended >= today { EntryState::Scheduled } else { EntryState::Done },
            });
        }
    }
    for c in changes {
        entries.push(HistoryEntry {
            state: if c.changed_on > today { EntryState::Scheduled } else { EntryState::Done },
            date: c.changed_on,
            event: HistoryEvent::PlanChanged {
                kind: c.kind,
                from: c.from_name.unwrap_or_default(),
                to: c.to_name.unwrap_or_default(),
            },
            service_id: Some(c.service_id),
        });
    }
    for EventRow { kind, detail, created_at: at } in events {
        let date = Date::of_unix_jst(at).to_string();
        let event = if kind == "account.id_changed" {
            HistoryEvent::IdChanged
        } else {
            let d: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
            let field = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            HistoryEvent::PaymentChanged { brand: field("brand"), last4: field("last4") }
        };
        entries.push(HistoryEntry { date, event, service_id: None, state: EntryState::Done });
    }
    for r in requests(conn, customer_no, false).await? {
        entries.push(HistoryEntry {
            date: r.requested_on,
            event: HistoryEvent::PlanRequested {
                kind: r.kind,
                from: r.from_name,
                to: r.to_name,
                effective_on: r.effective_on,
                id: r.id,
            },
            service_id: Some(r.service_id),
            state: EntryState::Request(r.step),
        });
    }
    // Add-ons belong to the service they need (security: internet; channels: TV): the
    // one of that kind in force on the day they started (else the first of the kind).
    let addons: Vec<AddonRow> = sqlx::query_as(
        "SELECT a.name, a.requires, s.started_on, s.ended_on FROM addon_subscriptions s
         JOIN addons a ON a.code = s.addon_code WHERE s.customer_no = $1",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    for AddonRow { name, requires, started_on: started, ended_on: ended } in addons {
        let of_kind = || services.iter().filter(|s| s.kind == requires);
        let in_force = |s: &&HistoryServiceRow| {
            s.started_on <= started && s.ended_on.as_ref().is_none_or(|e| started <= *e)
        };
        let service_id = of_kind().find(in_force).or_else(|| of_kind().next()).map(|s| s.id.clone());
        if let Some(ended) = ended {
            entries.push(HistoryEntry {
                state: if ended >= today { EntryState::Scheduled } else { EntryState::Done },
                date: ended,
                event: HistoryEvent::AddonEnded { name: name.clone() },
                service_id: service_id.clone(),
            });
        }
        entries.push(HistoryEntry {
            date: started,
            event: HistoryEvent::AddonStarted { name },
            service_id,
            state: EntryState::Done,
        });
    }
    for (address, service_id, at) in mailboxes {
        entries.push(HistoryEntry {
            date: Date::of_unix_jst(at).to_string(),
            event: HistoryEvent::MailboxCreated { address },
            service_id: Some(service_id),
            state: EntryState::Done,
        });
    }
    // Newest first; a stable order within a day (the order they were added above).
    entries.sort_by(|a, b| b.date.cmp(&a.date));
    if let Some(f) = &filter {
        entries.retain(|e| e.service_id.as_deref() == Some(f.as_str()));
    }
    Ok(History {
        entries,
        services: services.into_iter().map(|s| (s.id, s.kind, s.plan_name)).collect(),
        filter,
    })
}

/// Whether the customer's request `id` is cancelled.
pub async fn is_cancelled(conn: &mut Conn, id: &str, customer_no: &str) -> Result<bool, sqlx::Error> {
    let row: Option<String> =
        sqlx::query_scalar("SELECT id FROM plan_requests WHERE id = $1 AND customer_no = $2 AND step = $3")
            .bind(id)
            .bind(customer_no)
            .bind(PlanRequestStep::Cancelled)
            .fetch_optional(conn)
            .await?;
    Ok(row.is_some())
}

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

/// The request's row id for `submit_key` of `customer_no`, if it was written.
pub async fn request_by_key(
    conn: &mut Conn,
    customer_no: &str,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM plan_requests WHERE submit_key = $1 AND customer_no = $2")
        .bind(key)
        .bind(customer_no)
        .fetch_optional(conn)
        .await
}

/// Writes `request` as `id` (受付): false when a conflict (its key, or an open request
/// of the service) wrote nothing.
pub async fn insert_request(
    conn: &mut Conn,
    id: &str,
    request: &NewRequest<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let written = sqlx::query(
        "INSERT INTO plan_requests (id, customer_no, account_id, service_id, from_plan, to_plan, monthly_fee,
            effective_on, termination_fee, step, submit_key, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT DO NOTHING",
    )
    .bind(id)
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
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written != 0)
}

/// What a request changes, as completing it writes it into the contract.
#[derive(sqlx::FromRow)]
pub struct RequestedChange {
    pub customer_no: String,
    pub account_id: String,
    pub service_id: String,
    pub from_plan: String,
    pub to_plan: String,
    /// The new plan's fee as quoted to the customer (and printed in every notice).
    pub monthly_fee: i64,
    pub effective_on: String,
    pub termination_fee: i64,
}

/// The change request `id` asks for.
pub async fn requested_change(conn: &mut Conn, id: &str) -> Result<Option<RequestedChange>, sqlx::Error> {
    sqlx::query_as(
        "SELECT customer_no, account_id, service_id, from_plan, to_plan, monthly_fee, effective_on, termination_fee
         FROM plan_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The last day of service `service_id` in force, when its end is set.
pub async fn service_ends_on(conn: &mut Conn, service_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT ended_on FROM services WHERE id = $1")
        .bind(service_id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// Writes request `request_id`'s `change` into the service's history, from its
/// effective date.
pub async fn insert_plan_change(
    conn: &mut Conn,
    request_id: &str,
    change: &RequestedChange,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_changes (id, customer_no, service_id, changed_on, change_kind, from_plan, to_plan,
            from_fee)
         VALUES ($1, $2, $3, $4, 'plan_change', $5, $6, (SELECT monthly_fee FROM services WHERE id = $3))",
    )
    .bind(format!("chg-{request_id}"))
    .bind(&change.customer_no)
    .bind(&change.service_id)
    .bind(&change.effective_on)
    .bind(&change.from_plan)
    .bind(&change.to_plan)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts service `service_id` on plan `plan_code`, with the catalogue's name and the
/// fee `monthly_fee` the customer was quoted.
pub async fn set_plan(
    conn: &mut Conn,
    service_id: &str,
    plan_code: &str,
    monthly_fee: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE services SET plan_code = $1, plan_name = (SELECT name FROM plans WHERE code = $1),
            monthly_fee = $3 WHERE id = $2",
    )
    .bind(plan_code)
    .bind(service_id)
    .bind(monthly_fee)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts request `request_id`'s 契約解除料 `fee` on the customer's invoice of `month`
/// (`YYYY-MM`) as an adjustment described `description`.
pub async fn insert_termination_fee(
    conn: &mut Conn,
    request_id: &str,
    customer_no: &str,
    month: &str,
    description: &str,
    fee: i64,
) -> Result<(), sqlx::Error> {
    // 不課税 (not a taxable sale): rate 0.
    sqlx::query(
        "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount, rate)
             VALUES ($1, $2, $3, 'adjustment', $4, $5, 0)",
    )
    .bind(format!("etf-{request_id}"))
    .bind(customer_no)
    .bind(month)
    .bind(description)
    .bind(fee)
    .execute(conn)
    .await?;
    Ok(())
}

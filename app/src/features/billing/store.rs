//! The billing engine (the monthly run, `server bill --month YYYY-MM`): each customer's
//! invoice for a month, computed from what they had that month, each service at the
//! plan in force on each day (日割り for part of a month), equipment rental, usage and
//! adjustments; the consumption tax once per rate (`domain::billing`). Idempotent: a
//! month already issued for a customer is left as it is, never rewritten.

use super::{
    BillingOverview, MonthSummary, PaymentMethod, PaymentStep, RateSummary, Statement, StatementLine,
};
use crate::domain::billing::{
    days_in_force, explain_change, prorate, totals, Date, InvoiceStatus, Line, Month, STANDARD_RATE,
};
use crate::domain::Yen;
use crate::ssr::auth::CurrentAccount;
use crate::ssr::config::Settings;
use crate::ssr::db::{Conn, Db};
use crate::ssr::payment::CardToken;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Invoices written by this run.
    pub issued: u64,
    /// Customers whose invoice for the month existed already (left unchanged).
    pub already_issued: u64,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    kind: String,
    plan_name: String,
    monthly_fee: i64,
    started_on: String,
    ended_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlanChange {
    changed_on: String,
    from_plan: Option<String>,
}

/// Rented equipment with a fee.
#[derive(sqlx::FromRow)]
struct EquipmentRow {
    kind: String,
    service_id: Option<String>,
    monthly_fee: i64,
}

/// An add-on subscription with its add-on's name and fee.
#[derive(sqlx::FromRow)]
struct AddonRow {
    name: String,
    monthly_fee: i64,
    started_on: String,
    ended_on: Option<String>,
}

/// A usage or adjustment item of the month.
#[derive(sqlx::FromRow)]
struct ItemRow {
    description: String,
    amount: i64,
    rate: i64,
}

/// One invoice line as the run computed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputedLine {
    pub line: Line,
    pub service_id: Option<String>,
    /// Prorated: (days billed, days of the month).
    pub days: Option<(u8, u8)>,
}

fn bad_data(what: String) -> sqlx::Error {
    sqlx::Error::Protocol(format!("billing: {what}"))
}

fn date(s: &str) -> Result<Date, sqlx::Error> {
    Date::parse(s).ok_or_else(|| bad_data(format!("not a date: {s:?}")))
}

/// A plan's name and monthly fee, from the catalogue.
async fn plan(conn: &mut Conn, code: &str) -> Result<(String, i64), sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT name, monthly_fee FROM plans WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| bad_data(format!("plan {code:?} is not in the catalogue")))
}

/// The lines of `customer_no`'s invoice for `month`, in the order they are printed:
/// services (internet, TV, phone), equipment, usage, adjustments.
pub async fn compute_lines(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
) -> Result<Vec<ComputedLine>, sqlx::Error> {
    let of_days = month.days();
    let mut lines = Vec::new();
    let services: Vec<ServiceRow> = sqlx::query_as(
        "SELECT id, kind, plan_name, monthly_fee, started_on, ended_on FROM services
         WHERE customer_no = $1 ORDER BY CASE kind WHEN 'internet' THEN 0 WHEN 'tv' THEN 1 ELSE 2 END, started_on, id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    let mut service_days = Vec::new();
    for s in &services {
        let (start, end) = (date(&s.started_on)?, s.ended_on.as_deref().map(date).transpose()?);
        service_days.push((s.id.clone(), s.kind.clone(), days_in_force(month, start, end)));
        let changes: Vec<PlanChange> = sqlx::query_as(
            "SELECT changed_on, from_plan FROM service_changes
             WHERE service_id = $1 AND change_kind = 'plan_change' ORDER BY changed_on, id",
        )
        .bind(&s.id)
        .fetch_all(&mut *conn)
        .await?;
        // The plan periods: the first change's `from` plan from the start, each change's
        // `to` plan from its day, and the plan on the contract now after the last.
        let mut periods: Vec<(Date, Option<Date>, Option<String>)> = Vec::new();
        let mut from = start;
        for c in &changes {
            let on = date(&c.changed_on)?;
            periods.push((from, Some(on.previous_day()), c.from_plan.clone()));
            from = on;
        }
        periods.push((from, None, None));
        for (p_start, p_end, code) in periods {
            let p_end = match (p_end, end) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let days = days_in_force(month, p_start, p_end);
            if days == 0 {
                continue;
            }
            let (name, fee) = match code {
                Some(code) => plan(conn, &code).await?,
                None => (s.plan_name.clone(), s.monthly_fee),
            };
            lines.push(ComputedLine {
                line: Line {
                    description: name,
                    amount: prorate(Yen(fee), days, of_days),
                    rate: STANDARD_RATE,
                },
                service_id: Some(s.id.clone()),
                days: (days < of_days).then_some((days, of_days)),
            });
        }
    }
    let equipment: Vec<EquipmentRow> = sqlx::query_as(
        "SELECT kind, service_id, monthly_fee FROM equipment WHERE customer_no = $1 AND monthly_fee > 0
         ORDER BY equipment_id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    for EquipmentRow { kind, service_id, monthly_fee: fee } in equipment {
        // Rented with its service: billed for the days the service was in force.
        let days = service_days
            .iter()
            .find(|(id, ..)| Some(id) == service_id.as_ref())
            .map_or(of_days, |(_, _, d)| *d);
        if days == 0 {
            continue;
        }
        let description = match kind.as_str() {
            "stb" => "STBレンタル料",
            "hitpot" => "Hit potレンタル料",
            _ => "モデムレンタル料",
        };
        lines.push(ComputedLine {
            line: Line {
                description: description.into(),
                amount: prorate(Yen(fee), days, of_days),
                rate: STANDARD_RATE,
            },
            service_id,
            days: (days < of_days).then_some((days, of_days)),
        });
    }
    // Add-ons (security, option channels) for the days they were in force.
    let addons: Vec<AddonRow> = sqlx::query_as(
        "SELECT a.name, a.monthly_fee, s.started_on, s.ended_on FROM addon_subscriptions s
         JOIN addons a ON a.code = s.addon_code WHERE s.customer_no = $1 ORDER BY s.started_on, s.id",
    )
    .bind(customer_no)
    .fetch_all(&mut *conn)
    .await?;
    for AddonRow { name, monthly_fee: fee, started_on: started, ended_on: ended } in addons {
        let days = days_in_force(month, date(&started)?, ended.as_deref().map(date).transpose()?);
        if days == 0 {
            continue;
        }
        lines.push(ComputedLine {
            line: Line { description: name, amount: prorate(Yen(fee), days, of_days), rate: STANDARD_RATE },
            service_id: None,
            days: (days < of_days).then_some((days, of_days)),
        });
    }
    let items: Vec<ItemRow> = sqlx::query_as(
        "SELECT description, amount, rate FROM billing_items WHERE customer_no = $1 AND billing_month = $2
         ORDER BY CASE kind WHEN 'usage' THEN 0 ELSE 1 END, id",
    )
    .bind(customer_no)
    .bind(month.to_string())
    .fetch_all(&mut *conn)
    .await?;
    for ItemRow { description, amount, rate } in items {
        lines.push(ComputedLine {
            line: Line { description, amount: Yen(amount), rate },
            service_id: None,
            days: None,
        });
    }
    Ok(lines)
}

/// Issue `month`'s invoice for every customer who had a service in force in it. With
/// `notify`, each customer with an account is mailed ご請求金額確定のお知らせ (through
/// the outbox, in the invoice's transaction); the demo data is issued without mail.
pub async fn issue_month(db: &Db, month: Month, notify: Option<&Settings>) -> Result<RunReport, sqlx::Error> {
    let (first, last) = (month.first().to_string(), month.last().to_string());
    let customers: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT customer_no FROM services
         WHERE started_on <= $2 AND (ended_on IS NULL OR ended_on >= $1) ORDER BY customer_no",
    )
    .bind(&first)
    .bind(&last)
    .fetch_all(db.pool())
    .await?;
    let mut report = RunReport::default();
    for (customer_no,) in customers {
        if issue_one(db, &customer_no, month, notify).await? {
            report.issued += 1;
        } else {
            report.already_issued += 1;
        }
    }
    Ok(report)
}

/// One customer's invoice for `month`, in one transaction; false when it was issued
/// before (nothing changes).
pub async fn issue_one(
    db: &Db,
    customer_no: &str,
    month: Month,
    notify: Option<&Settings>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    let id = format!("inv-{customer_no}-{month}");
    // The invoice first, its amounts last: the unique (customer, month) decides before
    // anything is read (a second run, or two at once, write nothing), and the write lock
    // is taken first (SQLite: a transaction that reads first cannot write once another
    // writer has committed meanwhile).
    // Issued on the 10th; paid on the 27th of the next month (口座振替・カード).
    let due_on = Date { day: 27, ..month.next().first() }.to_string();
    let inserted = sqlx::query(
        "INSERT INTO invoices (id, customer_no, billing_month, issued_on, due_on, total, tax, status, paid_on)
         VALUES ($1, $2, $3, $4, $5, 0, 0, 'unpaid', NULL) ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(customer_no)
    .bind(month.to_string())
    .bind(Date { day: 10, ..month.first() }.to_string())
    .bind(&due_on)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted != 1 {
        return Ok(false);
    }
    let lines = compute_lines(&mut tx, customer_no, month).await?;
    let plain: Vec<Line> = lines.iter().map(|l| l.line.clone()).collect();
    let (total, per_rate) = totals(&plain);
    let tax: Yen = per_rate.iter().map(|r| r.tax).sum();
    // Paid by the method in force now: a change made before the run is used by it.
    let (pay_kind, pay_name, pay_last4, exp) = match payment_method(&mut tx, customer_no).await? {
        Some(PaymentMethod::Bank { bank, last4 }) => (Some("bank"), bank, Some(last4), None),
        Some(PaymentMethod::Card { brand, last4, exp_month, exp_year }) => {
            (Some("card"), Some(brand), Some(last4), Some((i64::from(exp_month), i64::from(exp_year))))
        }
        None => (None, None, None, None),
    };
    sqlx::query(
        "UPDATE invoices SET total = $2, tax = $3, pay_kind = $4, pay_name = $5, pay_last4 = $6,
         pay_exp_month = $7, pay_exp_year = $8 WHERE id = $1",
    )
    .bind(&id)
    .bind(total.0)
    .bind(tax.0)
    .bind(pay_kind)
    .bind(pay_name)
    .bind(pay_last4)
    .bind(exp.map(|e| e.0))
    .bind(exp.map(|e| e.1))
    .execute(&mut *tx)
    .await?;
    for (n, l) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, line_no, description, amount, rate, service_id, days, of_days)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(n as i64 + 1)
        .bind(&l.line.description)
        .bind(l.line.amount.0)
        .bind(l.line.rate)
        .bind(&l.service_id)
        .bind(l.days.map(|(d, _)| i64::from(d)))
        .bind(l.days.map(|(_, of)| i64::from(of)))
        .execute(&mut *tx)
        .await?;
    }
    if let Some(settings) = notify {
        let account: Option<(String,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE customer_no = $1 AND state = 'active'")
                .bind(customer_no)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((account_id,)) = account {
            let target = crate::ssr::db::customers::notice_target(&mut tx, &account_id).await?;
            let link = settings
                .public_url
                .join(&format!("{}?month={month}", super::INVOICES_PATH))
                .map_err(|e| bad_data(e.to_string()))?;
            let mail = super::mail::invoice_issued(
                settings,
                target.locale,
                &target.to,
                &month.to_string(),
                total,
                &due_on,
                link.as_str(),
            );
            crate::ssr::mail::enqueue(&mut tx, "billing.issued", &mail, crate::ssr::now()).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// The columns of [`InvoiceRow`].
const INVOICE_COLUMNS: &str =
    "billing_month, issued_on, due_on, total, status, paid_on, pay_kind, pay_name, \
    pay_last4, pay_exp_month, pay_exp_year";

#[derive(sqlx::FromRow)]
struct InvoiceRow {
    billing_month: String,
    issued_on: String,
    due_on: String,
    total: i64,
    status: String,
    paid_on: Option<String>,
    pay_kind: Option<String>,
    pay_name: Option<String>,
    pay_last4: Option<String>,
    pay_exp_month: Option<i64>,
    pay_exp_year: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    description: String,
    amount: i64,
    rate: i64,
    days: Option<i64>,
    of_days: Option<i64>,
}

fn status_of(row: &InvoiceRow, today: Date) -> Result<InvoiceStatus, sqlx::Error> {
    Ok(InvoiceStatus::of(row.status == "paid", date(&row.due_on)?, today))
}

/// The customer's invoices, newest first, at most `limit`.
pub async fn months(
    conn: &mut Conn,
    customer_no: &str,
    limit: i64,
    today: Date,
) -> Result<Vec<MonthSummary>, sqlx::Error> {
    let rows: Vec<InvoiceRow> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE customer_no = $1 ORDER BY billing_month DESC LIMIT $2"
    ))
    .bind(customer_no)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MonthSummary {
                month: r.billing_month.clone(),
                total: Yen(r.total),
                status: status_of(r, today)?,
            })
        })
        .collect()
}

async fn lines_of(
    conn: &mut Conn,
    customer_no: &str,
    month: &str,
) -> Result<Vec<StatementLine>, sqlx::Error> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT l.description, l.amount, l.rate, l.days, l.of_days FROM invoice_lines l
         JOIN invoices i ON i.id = l.invoice_id
         WHERE i.customer_no = $1 AND i.billing_month = $2 ORDER BY l.line_no",
    )
    .bind(customer_no)
    .bind(month)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StatementLine {
            description: r.description,
            amount: Yen(r.amount),
            rate: r.rate,
            days: r.days.zip(r.of_days).map(|(d, of)| (d as u8, of as u8)),
        })
        .collect())
}

fn plain(lines: &[StatementLine]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| Line { description: l.description.clone(), amount: l.amount, rate: l.rate })
        .collect()
}

/// `customer_no`'s statement for `month`, None when that customer has no invoice for
/// it (another customer's month is the same None: a 404 either way).
pub async fn statement(
    conn: &mut Conn,
    customer_no: &str,
    month: Month,
    today: Date,
) -> Result<Option<Statement>, sqlx::Error> {
    let row: Option<InvoiceRow> = sqlx::query_as(&format!(
        "SELECT {INVOICE_COLUMNS} FROM invoices WHERE customer_no = $1 AND billing_month = $2"
    ))
    .bind(customer_no)
    .bind(month.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let lines = lines_of(conn, customer_no, &row.billing_month).await?;
    let (_, per_rate) = totals(&plain(&lines));
    let previous_month = month.previous().to_string();
    let previous: Option<(i64,)> =
        sqlx::query_as("SELECT total FROM invoices WHERE customer_no = $1 AND billing_month = $2")
            .bind(customer_no)
            .bind(&previous_month)
            .fetch_optional(&mut *conn)
            .await?;
    let changes = match previous {
        Some(_) => {
            explain_change(&plain(&lines_of(conn, customer_no, &previous_month).await?), &plain(&lines))
        }
        None => Vec::new(),
    };
    let payment = match (row.pay_kind.as_deref(), row.pay_last4.clone()) {
        (Some("bank"), Some(last4)) => Some(PaymentMethod::Bank { bank: row.pay_name.clone(), last4 }),
        (Some("card"), Some(last4)) => Some(PaymentMethod::Card {
            brand: row.pay_name.clone().unwrap_or_default(),
            last4,
            exp_month: row.pay_exp_month.unwrap_or_default() as u8,
            exp_year: row.pay_exp_year.unwrap_or_default() as u16,
        }),
        _ => None,
    };
    Ok(Some(Statement {
        status: status_of(&row, today)?,
        month: row.billing_month,
        issued_on: row.issued_on,
        due_on: row.due_on,
        paid_on: row.paid_on,
        rates: per_rate.iter().map(|r| RateSummary { rate: r.rate, total: r.total, tax: r.tax }).collect(),
        total: Yen(row.total),
        lines,
        payment,
        previous: previous.map(|(t,)| (previous_month, Yen(t))),
        changes,
    }))
}

/// ご請求明細の確認 for `customer_no`: the last 12 months and the statement of `month`
/// (the newest when None). None when `month` is not one of the customer's invoices.
pub async fn overview(
    conn: &mut Conn,
    customer_no: &str,
    month: Option<Month>,
    today: Date,
) -> Result<Option<BillingOverview>, sqlx::Error> {
    let months = months(conn, customer_no, 12, today).await?;
    let wanted = match month {
        Some(m) => Some(m),
        None => months.first().and_then(|m| Month::parse(&m.month)),
    };
    let selected = match wanted {
        Some(m) => match statement(conn, customer_no, m, today).await? {
            Some(s) => Some(s),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(BillingOverview { months, selected }))
}

#[derive(sqlx::FromRow)]
struct PaymentRow {
    kind: String,
    bank_name: Option<String>,
    account_last4: Option<String>,
    card_brand: Option<String>,
    card_last4: Option<String>,
    card_exp_month: Option<i64>,
    card_exp_year: Option<i64>,
}

/// The customer's payment method now.
pub async fn payment_method(
    conn: &mut Conn,
    customer_no: &str,
) -> Result<Option<PaymentMethod>, sqlx::Error> {
    let row: Option<PaymentRow> = sqlx::query_as(
        "SELECT kind, bank_name, account_last4, card_brand, card_last4, card_exp_month, card_exp_year
         FROM payment_methods WHERE customer_no = $1",
    )
    .bind(customer_no)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|r| match r.kind.as_str() {
        "bank" => Some(PaymentMethod::Bank { bank: r.bank_name, last4: r.account_last4? }),
        _ => Some(PaymentMethod::Card {
            brand: r.card_brand.unwrap_or_default(),
            last4: r.card_last4?,
            exp_month: r.card_exp_month.unwrap_or_default() as u8,
            exp_year: r.card_exp_year.unwrap_or_default() as u16,
        }),
    }))
}

/// Whom an invoice is addressed to: the customer's name and address.
#[derive(sqlx::FromRow)]
pub struct Addressee {
    pub name: String,
    pub postal_code: String,
    pub address: String,
}

/// The customer's name and address (None: no such customer).
pub async fn addressee(conn: &mut Conn, customer_no: &str) -> Result<Option<Addressee>, sqlx::Error> {
    sqlx::query_as("SELECT name, postal_code, address FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_optional(conn)
        .await
}

/// Writes a card setup `id` for `account`'s session, waiting at the gateway until
/// `expires_at`.
pub async fn insert_setup(
    conn: &mut Conn,
    id: &str,
    account: &CurrentAccount,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_setups (id, account_id, customer_no, session_hash, step, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(&account.account_id)
    .bind(&account.customer_no)
    .bind(&account.session_hash)
    .bind(PaymentStep::AtGateway)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whose a setup is: what a result settles it for.
#[derive(sqlx::FromRow)]
pub struct Owner {
    pub account_id: String,
    pub customer_no: String,
}

/// The setup `reference` while it waits at the gateway (not expired), and whose it is.
pub async fn waiting_setup(conn: &mut Conn, reference: &str, now: i64) -> Result<Option<Owner>, sqlx::Error> {
    sqlx::query_as(
        "SELECT account_id, customer_no FROM payment_setups WHERE id = $1 AND step = $2 AND expires_at > $3",
    )
    .bind(reference)
    .bind(PaymentStep::AtGateway)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// The step of `account`'s session's setup `reference`, unless it expired.
pub async fn setup_step(
    conn: &mut Conn,
    reference: &str,
    account: &CurrentAccount,
    now: i64,
) -> Result<Option<PaymentStep>, sqlx::Error> {
    let row: Option<(PaymentStep,)> = sqlx::query_as(
        "SELECT step FROM payment_setups WHERE id = $1 AND account_id = $2 AND session_hash = $3 AND expires_at > $4",
    )
    .bind(reference)
    .bind(&account.account_id)
    .bind(&account.session_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(step,)| step))
}

/// Makes `card` the customer's payment method (the bank account, if any, forgotten).
pub async fn set_card(
    conn: &mut Conn,
    customer_no: &str,
    card: &CardToken,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_methods (customer_no, kind, bank_name, account_last4, card_brand, card_last4,
            card_exp_month, card_exp_year, card_token, updated_at)
         VALUES ($1, 'card', NULL, NULL, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (customer_no) DO UPDATE SET kind = 'card', bank_name = NULL, account_last4 = NULL,
            card_brand = $2, card_last4 = $3, card_exp_month = $4, card_exp_year = $5, card_token = $6,
            updated_at = $7",
    )
    .bind(customer_no)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(i64::from(card.exp_month))
    .bind(i64::from(card.exp_year))
    .bind(&card.token)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

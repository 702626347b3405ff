//! Customers and what hangs off them: the top page's summary, and where an
//! account's notices go.

use super::Conn;
use crate::domain::Yen;
use crate::features::top::{InvoiceSummary, ServiceSummary, TopSummary};

/// The top-page summary of one customer, or None when there is no such customer.
pub async fn top_summary(conn: &mut Conn, customer_no: &str) -> Result<Option<TopSummary>, sqlx::Error> {
    let Some((customer_no, name)) = sqlx::query_as::<_, (String, String)>(
        "SELECT customer_no, name FROM customers WHERE customer_no = $1",
    )
    .bind(customer_no)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };

    let services = sqlx::query_as::<_, (String, String, i64)>(
        "SELECT kind, plan_name, monthly_fee FROM services
         WHERE customer_no = $1 AND ended_on IS NULL
         ORDER BY CASE kind WHEN 'internet' THEN 1 WHEN 'tv' THEN 2 ELSE 3 END",
    )
    .bind(&customer_no)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(kind, plan_name, fee)| ServiceSummary { kind, plan_name, monthly_fee: Yen(fee) })
    .collect();

    let latest_invoice = sqlx::query_as::<_, (String, i64, String, String)>(
        "SELECT billing_month, total, status, due_on FROM invoices
         WHERE customer_no = $1 ORDER BY billing_month DESC LIMIT 1",
    )
    .bind(&customer_no)
    .fetch_optional(&mut *conn)
    .await?
    .map(|(billing_month, total, status, due_on)| InvoiceSummary {
        billing_month,
        total: Yen(total),
        paid: status == "paid",
        due_on,
    });

    Ok(Some(TopSummary { customer_no, name, services, latest_invoice }))
}

/// Customer numbers and names, for the development preview.
pub async fn list_brief(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT customer_no, name FROM customers ORDER BY customer_no LIMIT 50")
        .fetch_all(conn)
        .await
}

/// Where an account's mail goes: its contact address (the iTSCOM ID when none is
/// on record), in the account's language.
pub struct NoticeTarget {
    pub itscom_id: String,
    pub to: String,
    pub locale: crate::i18n::Locale,
}

pub async fn notice_target(conn: &mut Conn, account_id: &str) -> Result<NoticeTarget, sqlx::Error> {
    let (itscom_id, contact, locale): (String, Option<String>, String) = sqlx::query_as(
        "SELECT a.itscom_id, c.contact_email, a.locale FROM accounts a
         JOIN customers c ON c.customer_no = a.customer_no WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(NoticeTarget {
        to: contact.unwrap_or_else(|| itscom_id.clone()),
        itscom_id,
        locale: crate::i18n::Locale::from_code(&locale).unwrap_or_default(),
    })
}

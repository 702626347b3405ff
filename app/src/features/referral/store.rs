//! Referral codes and referrals.

use super::{Referral, ReferralState, CODE_ALPHABET};
use crate::domain::Yen;
use crate::ssr::db::Conn;

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    (0..8).map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())])).collect()
}

/// The customer's code, made on first use (a clash with another's code, or a
/// concurrent first use, is retried / read back).
pub async fn code_of(conn: &mut Conn, customer_no: &str, now: i64) -> Result<String, sqlx::Error> {
    for _ in 0..5 {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT code FROM referral_codes WHERE customer_no = $1")
                .bind(customer_no)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(code) = existing {
            return Ok(code);
        }
        sqlx::query(
            "INSERT INTO referral_codes (customer_no, code, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(customer_no)
        .bind(new_code())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Err(sqlx::Error::Protocol("referral: no free code after 5 tries".into()))
}

pub async fn code_exists(conn: &mut Conn, code: &str) -> Result<bool, sqlx::Error> {
    crate::ssr::db::finds(conn, "SELECT customer_no FROM referral_codes WHERE code = $1", code).await
}

#[derive(sqlx::FromRow)]
struct Row {
    friend_mask: String,
    service_kind: String,
    applied_on: String,
    connected_on: Option<String>,
    rewarded_on: Option<String>,
    reward: i64,
    state: String,
}

/// The customer's referrals, newest first.
pub async fn referrals(conn: &mut Conn, customer_no: &str) -> Result<Vec<Referral>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT friend_mask, service_kind, applied_on, connected_on, rewarded_on, reward, state FROM referrals
         WHERE referrer_no = $1 ORDER BY applied_on DESC, id",
    )
    .bind(customer_no)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let state = ReferralState::parse(&r.state)
                .ok_or_else(|| sqlx::Error::Protocol(format!("referral: unknown state {:?}", r.state)))?;
            Ok(Referral {
                friend: r.friend_mask,
                service_kind: r.service_kind,
                applied_on: r.applied_on,
                connected_on: r.connected_on,
                rewarded_on: r.rewarded_on,
                reward: Yen(r.reward),
                state,
            })
        })
        .collect()
}

/// The QR code of `link` as an inline `<svg>`, labelled for screen readers.
pub fn qr_svg(link: &str, label: &str) -> Result<String, String> {
    crate::ssr::qr::svg(link, label, "referral-qr")
}

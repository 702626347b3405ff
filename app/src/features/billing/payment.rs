//! お支払い方法の変更 to a card, on My Page's side: a setup bound to the session opens
//! the gateway's page (`api::start_card_change`); the gateway sends the customer back
//! to [`gateway_return`] with its result in the query (checked and redeemed there), or
//! posts it from its own page to [`gateway_result`] (checked and recorded there, then
//! the browser goes on to [`gateway_return`]). Either way the setup keeps brand, last
//! 4, expiry and token only, and settles once: a replayed or doubled return changes
//! the method once.

use super::{routes, PaymentMethod, PaymentStep};
use crate::ssr::auth::CurrentAccount;
use crate::ssr::db::Conn;
use crate::ssr::events::{self, Event, Subject};
use crate::ssr::payment::{CardToken, GatewayError, Outcome};
use crate::ssr::{flow, AppState};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// Card setups an account may open: 10 an hour (each one creates a session at the
/// gateway; a stolen session must not flood it, nor test cards there without limit).
pub const SETUPS_PER_ACCOUNT: crate::ssr::auth::throttle::Policy = crate::ssr::auth::throttle::Policy {
    scope: "card-setup",
    counting: crate::ssr::auth::throttle::Counting::PerWindow { window_secs: 3600 },
    free_attempts: 10,
    step_secs: 300,
    max_wait_secs: 3600,
};

/// A setup waits at the gateway at most this long.
pub const SETUP_SECS: i64 = 30 * 60;

/// A new setup for `account`'s session: its reference for the gateway.
pub async fn open_setup(conn: &mut Conn, account: &CurrentAccount, now: i64) -> Result<String, sqlx::Error> {
    let id = crate::ssr::auth::random_token();
    sqlx::query(
        "INSERT INTO payment_setups (id, account_id, customer_no, session_hash, step, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&account.account_id)
    .bind(&account.customer_no)
    .bind(&account.session_hash)
    .bind(PaymentStep::AtGateway)
    .bind(now)
    .bind(now + SETUP_SECS)
    .execute(conn)
    .await?;
    Ok(id)
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("{}{query}", routes::PAYMENT)).into_response()
}

/// A gateway's result recorded on its setup (by [`gateway_result`]) until the browser
/// comes back with the session that opened it.
#[derive(sqlx::FromRow)]
struct Recorded {
    result_outcome: Option<String>,
    card_brand: Option<String>,
    card_last4: Option<String>,
    card_exp_month: Option<i64>,
    card_exp_year: Option<i64>,
    card_token: Option<String>,
}

impl Recorded {
    fn outcome(self) -> Option<Outcome> {
        Some(match self.result_outcome.as_deref()? {
            "approved" => Outcome::Approved(CardToken {
                token: self.card_token?,
                brand: self.card_brand?,
                last4: self.card_last4?,
                exp_month: u8::try_from(self.card_exp_month?).ok()?,
                exp_year: u16::try_from(self.card_exp_year?).ok()?,
            }),
            "declined" => Outcome::Declined,
            _ => Outcome::Cancelled,
        })
    }
}

/// `GET /billing/payment/return?ref=…[&result…]`: where the customer's browser comes
/// back. Only the session that opened the setup, before it expires. The result is in
/// the query (a gateway that returns by GET: checked and redeemed here) or was posted
/// by the gateway's page to [`gateway_result`] a moment before (recorded there).
pub async fn gateway_return(
    State(state): State<AppState>,
    account: CurrentAccount,
    Query(query): Query<HashMap<String, String>>,
    parts: http::request::Parts,
) -> Response {
    let t = crate::ssr::now();
    let client = crate::ssr::auth::client_address_of(Some(&parts), state.settings.trusted_proxy_hops);
    let (Some(gateway), Some(reference)) = (state.payment_gateway.clone(), query.get("ref").cloned()) else {
        return back("?error=expired");
    };
    let waiting: Result<Option<Recorded>, sqlx::Error> = async {
        let mut conn = state.db.pool().acquire().await?;
        sqlx::query_as(
            "SELECT result_outcome, card_brand, card_last4, card_exp_month, card_exp_year, card_token
             FROM payment_setups
             WHERE id = $1 AND account_id = $2 AND session_hash = $3 AND step = $4 AND expires_at > $5",
        )
        .bind(&reference)
        .bind(&account.account_id)
        .bind(&account.session_hash)
        .bind(PaymentStep::AtGateway)
        .bind(t)
        .fetch_optional(&mut *conn)
        .await
    }
    .await;
    let recorded = match waiting {
        Ok(Some(r)) => r,
        // Settled already (a replay, the second of a double return), another session's,
        // or expired: nothing changes.
        Ok(None) => return back("?error=expired"),
        Err(e) => return internal(e),
    };
    let outcome = if query.len() > 1 {
        match gateway.complete(&query).await {
            Ok(done) if done.reference == reference => done.outcome,
            Ok(_) | Err(GatewayError::BadSignature | GatewayError::NotRedeemable) => {
                tracing::warn!("payment return refused: not the gateway's result for this setup");
                return back("?error=expired");
            }
            Err(e) => return internal(e),
        }
    } else {
        match recorded.outcome() {
            Some(outcome) => outcome,
            // Back without a result (the browser's Back button): nothing to settle yet.
            None => return back(""),
        }
    };
    match settle(&state, &account, &client, &reference, outcome, t).await {
        Ok(Some(query)) => back(query),
        Ok(None) => back("?error=expired"),
        Err(e) => internal(e),
    }
}

/// `POST /billing/payment/result`: a gateway's signed result, posted by the browser
/// from the gateway's page (a cross-site form: no session cookie comes with it). The
/// result is checked and recorded on its setup, once, and the browser is sent on to
/// [`gateway_return`], where the session that opened the setup settles it.
pub async fn gateway_result(
    State(state): State<AppState>,
    axum::Form(params): axum::Form<HashMap<String, String>>,
) -> Response {
    let Some(gateway) = state.payment_gateway.clone() else {
        return back("?error=expired");
    };
    let done = match gateway.complete(&params).await {
        Ok(done) => done,
        Err(e @ (GatewayError::BadSignature | GatewayError::NotRedeemable)) => {
            tracing::warn!(error = %e, "payment result refused");
            return back("?error=expired");
        }
        Err(e) => return internal(e),
    };
    let (outcome, card) = match &done.outcome {
        Outcome::Approved(card) => ("approved", Some(card)),
        Outcome::Declined => ("declined", None),
        Outcome::Cancelled => ("cancelled", None),
    };
    let recorded = async {
        let mut conn = state.db.pool().acquire().await?;
        sqlx::query(
            "UPDATE payment_setups SET result_at = $2, result_outcome = $3, card_brand = $4, card_last4 = $5,
                card_exp_month = $6, card_exp_year = $7, card_token = $8
             WHERE id = $1 AND step = $9 AND result_at IS NULL AND expires_at > $2",
        )
        .bind(&done.reference)
        .bind(crate::ssr::now())
        .bind(outcome)
        .bind(card.map(|c| c.brand.clone()))
        .bind(card.map(|c| c.last4.clone()))
        .bind(card.map(|c| i64::from(c.exp_month)))
        .bind(card.map(|c| i64::from(c.exp_year)))
        .bind(card.map(|c| c.token.clone()))
        .bind(PaymentStep::AtGateway)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
    }
    .await;
    match recorded {
        Ok(1) => Redirect::to(&format!("{}?ref={}", routes::PAYMENT_RETURN, done.reference)).into_response(),
        // A replayed result, or one for a setup that ended or never was.
        Ok(_) => back("?error=expired"),
        Err(e) => internal(e),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    let _logged = crate::error::AppError::internal(e);
    back("?error=internal")
}

/// The outcome recorded in one transaction: the setup moves on once (None when it had
/// moved already), and an approved card becomes the payment method, with the event
/// and the notice to the contact address.
async fn settle(
    state: &AppState,
    account: &CurrentAccount,
    client: &str,
    reference: &str,
    outcome: Outcome,
    t: i64,
) -> Result<Option<&'static str>, sqlx::Error> {
    let mut tx = state.db.pool().begin().await?;
    let (to, answer) = match &outcome {
        Outcome::Approved(_) => (PaymentStep::Done, "?changed=1"),
        Outcome::Declined => (PaymentStep::Declined, "?error=declined"),
        Outcome::Cancelled => (PaymentStep::Cancelled, ""),
    };
    // The recorded result (its token) is not kept once settled.
    if !flow::advance(PaymentStep::AtGateway, to)
        .clear("card_token")
        .by("id", reference)
        .once(&mut tx)
        .await?
    {
        return Ok(None);
    }
    if let Outcome::Approved(card) = outcome {
        use_card(&mut tx, state, account, client, &card, t).await?;
    }
    tx.commit().await?;
    Ok(Some(answer))
}

async fn use_card(
    tx: &mut Conn,
    state: &AppState,
    account: &CurrentAccount,
    client: &str,
    card: &CardToken,
    t: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_methods (customer_no, kind, bank_name, account_last4, card_brand, card_last4,
            card_exp_month, card_exp_year, card_token, updated_at)
         VALUES ($1, 'card', NULL, NULL, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (customer_no) DO UPDATE SET kind = 'card', bank_name = NULL, account_last4 = NULL,
            card_brand = $2, card_last4 = $3, card_exp_month = $4, card_exp_year = $5, card_token = $6,
            updated_at = $7",
    )
    .bind(&account.customer_no)
    .bind(&card.brand)
    .bind(&card.last4)
    .bind(i64::from(card.exp_month))
    .bind(i64::from(card.exp_year))
    .bind(&card.token)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    events::record(
        tx,
        Event::PaymentMethodChanged,
        Subject::Account(&account.account_id),
        client,
        serde_json::json!({ "kind": "card", "brand": card.brand, "last4": card.last4 }),
        t,
    )
    .await?;
    let target = crate::ssr::db::customers::notice_target(tx, &account.account_id).await?;
    let method = PaymentMethod::Card {
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
    };
    let described = super::texts::describe_payment(super::texts::of(target.locale), &method);
    crate::ssr::mail::enqueue_each(
        tx,
        "billing.payment_method_changed",
        target.security_recipients(),
        |to| super::mail::payment_method_changed(&state.settings, target.locale, to, &described, t),
        t,
    )
    .await
}

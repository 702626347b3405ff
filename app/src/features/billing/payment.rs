//! お支払い方法の変更 to a card, on My Page's side: a setup bound to the session opens
//! the gateway's page (`api::start_card_change`); the gateway sends the customer back
//! to [`gateway_return`], which has the gateway verify and redeem its result, once, and
//! keeps brand, last 4, expiry and token only. A replayed or doubled return changes
//! the method once: the gateway's result is single-use and the setup moves on once.

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

/// `GET /billing/payment/return?ref=…&result=…&status=…&sig=…`: where the gateway sends
/// the customer back. Only the session that opened the setup, before it expires.
pub async fn gateway_return(
    State(state): State<AppState>,
    account: CurrentAccount,
    Query(query): Query<HashMap<String, String>>,
    parts: http::request::Parts,
) -> Response {
    let t = crate::ssr::now();
    let client = crate::ssr::auth::client_address_of(Some(&parts), state.settings.trusted_proxy_hops);
    let Some(reference) = query.get("ref").cloned() else {
        return back("?error=expired");
    };
    let waiting: Result<Option<(String,)>, sqlx::Error> = async {
        let mut conn = state.db.pool().acquire().await?;
        sqlx::query_as(
            "SELECT id FROM payment_setups
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
    match waiting {
        Ok(Some(_)) => {}
        // Settled already (a replay, the second of a double return), another session's,
        // or expired: nothing changes.
        Ok(None) => return back("?error=expired"),
        Err(e) => return internal(e),
    }
    let outcome = match state.payment_gateway.complete(&reference, &query).await {
        Ok(outcome) => outcome,
        Err(e @ (GatewayError::BadSignature | GatewayError::NotRedeemable)) => {
            tracing::warn!(error = %e, "payment return refused");
            return back("?error=expired");
        }
        Err(e) => return internal(e),
    };
    match settle(&state, &account, &client, &reference, outcome, t).await {
        Ok(Some(query)) => back(query),
        Ok(None) => back("?error=expired"),
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
    if !flow::advance(PaymentStep::AtGateway, to).by("id", reference).once(&mut tx).await? {
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
    let described = super::page::describe_payment(super::texts::of(target.locale), &method);
    let mail = crate::ssr::mail::templates::payment_method_changed(
        &state.settings,
        target.locale,
        &target.to,
        &described,
        t,
    );
    crate::ssr::mail::enqueue(tx, "billing.payment_method_changed", &mail, t).await
}

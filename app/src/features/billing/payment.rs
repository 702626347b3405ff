//! お支払い方法の変更 to a card, on My Page's side: a setup bound to the session opens
//! the gateway's page (`api::start_card_change`, the password again after 5 minutes);
//! the gateway sends the customer back to [`gateway_return`] with its result in the
//! query (checked, redeemed and settled there, for that session only), or posts it
//! from its own page to [`gateway_result`] (checked and settled there at once for the
//! setup's customer; the browser then goes on to [`gateway_return`]). Either way the
//! setup keeps brand, last 4, expiry and token only, and settles once: a replayed or
//! doubled return changes the method once.

use super::store::{self, Owner};
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
pub const SETUPS_PER_ACCOUNT: crate::ssr::auth::throttle::Policy =
    crate::ssr::auth::throttle::Policy::per_window("card-setup", 3600).free(10).then_wait(300, 3600);

/// A setup waits at the gateway at most this long.
pub const SETUP_SECS: i64 = 30 * 60;

/// A new setup for `account`'s session: its reference for the gateway.
pub async fn open_setup(conn: &mut Conn, account: &CurrentAccount, now: i64) -> Result<String, sqlx::Error> {
    let id = crate::ssr::auth::random_token();
    store::insert_setup(conn, &id, account, now, now + SETUP_SECS).await?;
    Ok(id)
}

fn back(query: &str) -> Response {
    Redirect::to(&format!("{}{query}", routes::PAYMENT)).into_response()
}

/// The setup `reference` while it waits at the gateway (not expired), and whose it is.
async fn waiting(state: &AppState, reference: &str, now: i64) -> Result<Option<Owner>, sqlx::Error> {
    let mut conn = state.db.conn().await?;
    store::waiting_setup(&mut conn, reference, now).await
}

/// `GET /billing/payment/return?ref=…[&result…]`: where the customer's browser comes
/// back, with the session that opened the setup (another session's, or an expired
/// setup: nothing). A gateway that returns its result in the query (the test gateway)
/// has it checked, redeemed and settled here; one that posts it from its own page has
/// had it settled by [`gateway_result`] a moment before, and this says how it went.
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
    let step: Result<Option<PaymentStep>, sqlx::Error> = async {
        let mut conn = state.db.conn().await?;
        store::setup_step(&mut conn, &reference, &account, t).await
    }
    .await;
    let step = match step {
        Ok(Some(step)) => step,
        // Another session's, or expired: nothing changes.
        Ok(None) => return back("?error=expired"),
        Err(e) => return internal(e),
    };
    if !(gateway.returns_by_query() && query.len() > 1) {
        // Settled from the gateway's own post (or not yet: back without a result).
        return match step {
            PaymentStep::Done => back("?changed=1"),
            PaymentStep::Declined => back("?error=declined"),
            _ => back(""),
        };
    }
    if step != PaymentStep::AtGateway {
        // A replay, the second of a double return: settled already.
        return back("?error=expired");
    }
    let outcome = match gateway.complete(&query).await {
        Ok(done) if done.reference == reference => done.outcome,
        Ok(_) | Err(GatewayError::BadSignature | GatewayError::NotRedeemable) => {
            tracing::warn!("payment return refused: not the gateway's result for this setup");
            return back("?error=expired");
        }
        Err(e) => return internal(e),
    };
    let owner = Owner { account_id: account.account_id.clone(), customer_no: account.customer_no.clone() };
    match settle(&state, &owner, &client, &reference, outcome, t).await {
        Ok(Some(query)) => back(query),
        Ok(None) => back("?error=expired"),
        Err(e) => internal(e),
    }
}

/// `POST /billing/payment/result`: a gateway's signed result, posted by the browser
/// from the gateway's page (a cross-site form: no session cookie comes with it). The
/// result is checked (signature, the setup it names, the customer it is for) and
/// settled at once, once: the card is the gateway's from this moment, whether or not
/// the browser comes back. The browser is sent on to [`gateway_return`], which says
/// how it went to the session that opened the setup.
pub async fn gateway_result(
    State(state): State<AppState>,
    parts: http::request::Parts,
    axum::Form(params): axum::Form<HashMap<String, String>>,
) -> Response {
    let t = crate::ssr::now();
    let client = crate::ssr::auth::client_address_of(Some(&parts), state.settings.trusted_proxy_hops);
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
    let owner = match waiting(&state, &done.reference, t).await {
        Ok(Some(owner)) => owner,
        // A replayed result, or one for a setup that ended or never was.
        Ok(None) => return back("?error=expired"),
        Err(e) => return internal(e),
    };
    // The card is kept under the customer the setup is for, nobody else.
    if done.member.is_some() && done.member != gateway.member_id(&owner.customer_no) {
        tracing::warn!("payment result refused: it names another customer than its setup's");
        return back("?error=expired");
    }
    match settle(&state, &owner, &client, &done.reference, done.outcome, t).await {
        Ok(Some(_)) => {
            Redirect::to(&format!("{}?ref={}", routes::PAYMENT_RETURN, done.reference)).into_response()
        }
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
    owner: &Owner,
    client: &str,
    reference: &str,
    outcome: Outcome,
    t: i64,
) -> Result<Option<&'static str>, sqlx::Error> {
    let mut tx = state.db.begin().await?;
    let (to, answer) = match &outcome {
        Outcome::Approved(_) => (PaymentStep::Done, "?changed=1"),
        Outcome::Declined => (PaymentStep::Declined, "?error=declined"),
        Outcome::Cancelled => (PaymentStep::Cancelled, ""),
    };
    if !flow::advance(PaymentStep::AtGateway, to).by("id", reference).once(&mut tx).await? {
        return Ok(None);
    }
    if let Outcome::Approved(card) = outcome {
        use_card(&mut tx, state, owner, client, &card, t).await?;
    }
    tx.commit().await?;
    Ok(Some(answer))
}

async fn use_card(
    tx: &mut Conn,
    state: &AppState,
    account: &Owner,
    client: &str,
    card: &CardToken,
    t: i64,
) -> Result<(), sqlx::Error> {
    store::set_card(tx, &account.customer_no, card, t).await?;
    events::record(
        tx,
        Event::PaymentMethodChanged,
        Subject::Account(&account.account_id),
        client,
        serde_json::json!({ "kind": "card", "brand": card.brand, "last4": card.last4 }),
        t,
    )
    .await?;
    let method = PaymentMethod::Card {
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
    };
    let mail = |locale, to: &str| {
        let described = super::texts::describe_payment(super::texts::of(locale), &method);
        super::mail::payment_method_changed(&state.settings, locale, to, &described, t)
    };
    crate::ssr::db::customers::notify(tx, &account.account_id, Event::PaymentMethodChanged.name(), mail, t)
        .await
}

//! The built-in test payment gateway: what a Japanese gateway's hosted card page does
//! (GMO-PG's link type, Stripe Checkout in setup mode), under its own prefix and apart
//! from My Page's code. My Page opens a session (`begin`), the customer enters the card
//! here (Luhn, expiry, security code, each with its message), and is sent back to My
//! Page with a signed, single-use result that My Page redeems (`complete`) for a token.
//!
//! It keeps no card number and no security code: only brand, last 4, expiry and the
//! token it made up. Its request bodies are never logged (the trace span names the
//! path only). Test cards: 4242 4242 4242 4242 (Visa), 5555 5555 5555 4444
//! (Mastercard), 3530 1113 3330 0000 (JCB) succeed; 4000 0000 0000 0002 is declined.

use app::domain::billing::{Date, Month};
use app::ssr::db::Db;
use app::ssr::payment::{BoxFuture, CardToken, Completion, GatewayError, Outcome, PaymentGateway, Setup};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;

/// Where the gateway's pages live.
pub const PREFIX: &str = "/pgw/test";
/// A hosted-page session lives this long.
const SESSION_SECS: i64 = 30 * 60;
/// The card the test gateway declines.
pub const DECLINED_CARD: &str = "4000000000000002";
const KEY_NAME: &str = "test_gateway.signing_key";

#[derive(Clone)]
pub struct TestGateway {
    db: Db,
}

impl TestGateway {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The MAC keyed with the secret the gateway and My Page share (a real gateway's
    /// shop password), the same in every server process.
    async fn mac(&self) -> Result<Hmac<Sha256>, GatewayError> {
        let key = self.db.server_secret(KEY_NAME).await.map_err(unavailable)?;
        Ok(Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length"))
    }

    async fn signature(&self, parts: &[&str]) -> Result<String, GatewayError> {
        let mut mac = self.mac().await?;
        mac.update(parts.join("|").as_bytes());
        Ok(hex(&mac.finalize().into_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unavailable(e: sqlx::Error) -> GatewayError {
    GatewayError::Unavailable(e.to_string())
}

impl PaymentGateway for TestGateway {
    /// My Page's own origin: nothing to allow.
    fn origin(&self) -> Option<String> {
        None
    }

    /// It sends the browser back with its signed result in the query.
    fn returns_by_query(&self) -> bool {
        true
    }

    fn begin<'a>(&'a self, setup: Setup<'a>) -> BoxFuture<'a, Result<String, GatewayError>> {
        let (merchant_ref, return_url) = (setup.reference, setup.return_url);
        Box::pin(async move {
            let id = app::ssr::crypto::random_token();
            let t = app::ssr::now();
            // Its own housekeeping: sessions past their time are of no use to anyone.
            sqlx::query("DELETE FROM test_gateway_sessions WHERE expires_at <= $1")
                .bind(t)
                .execute(self.db.pool())
                .await
                .map_err(unavailable)?;
            sqlx::query(
                "INSERT INTO test_gateway_sessions (id, merchant_ref, return_url, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(merchant_ref)
            .bind(return_url)
            .bind(t)
            .bind(t + SESSION_SECS)
            .execute(self.db.pool())
            .await
            .map_err(unavailable)?;
            Ok(format!("{PREFIX}/pay/{id}"))
        })
    }

    fn complete<'a>(
        &'a self,
        query: &'a HashMap<String, String>,
    ) -> BoxFuture<'a, Result<Completion, GatewayError>> {
        Box::pin(async move {
            let field = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
            let (merchant_ref, result, status, sig) =
                (field("ref"), field("result"), field("status"), field("sig"));
            // Compared as a MAC (constant time), not as strings.
            let given: Option<Vec<u8>> = (sig.len() == 64 && sig.is_ascii())
                .then(|| (0..32).map(|i| u8::from_str_radix(&sig[2 * i..2 * i + 2], 16).ok()).collect())
                .flatten();
            let mut mac = self.mac().await?;
            mac.update([merchant_ref, result, status].join("|").as_bytes());
            if given.is_none_or(|g| mac.verify_slice(&g).is_err()) {
                return Err(GatewayError::BadSignature);
            }
            // Single use: the first redemption takes it.
            let redeemed = sqlx::query(
                "UPDATE test_gateway_sessions SET redeemed_at = $3
                 WHERE merchant_ref = $1 AND result_code = $2 AND redeemed_at IS NULL AND outcome IS NOT NULL",
            )
            .bind(merchant_ref)
            .bind(result)
            .bind(app::ssr::now())
            .execute(self.db.pool())
            .await
            .map_err(unavailable)?
            .rows_affected();
            if redeemed != 1 {
                return Err(GatewayError::NotRedeemable);
            }
            type Row = (String, Option<String>, Option<String>, Option<i64>, Option<i64>, Option<String>);
            let (outcome, brand, last4, m, y, token): Row = sqlx::query_as(
                "SELECT outcome, card_brand, card_last4, card_exp_month, card_exp_year, token
                 FROM test_gateway_sessions WHERE merchant_ref = $1",
            )
            .bind(merchant_ref)
            .fetch_one(self.db.pool())
            .await
            .map_err(unavailable)?;
            let outcome = match (outcome.as_str(), brand, last4, m, y, token) {
                ("approved", Some(brand), Some(last4), Some(m), Some(y), Some(token)) => {
                    Outcome::Approved(CardToken {
                        token,
                        brand,
                        last4,
                        exp_month: m as u8,
                        exp_year: y as u16,
                    })
                }
                ("declined", ..) => Outcome::Declined,
                _ => Outcome::Cancelled,
            };
            Ok(Completion { reference: merchant_ref.to_string(), outcome, member: None })
        })
    }
}

/// The hosted page's routes, nested under [`PREFIX`].
pub fn routes<S>(db: Db) -> Router<S> {
    Router::new()
        .route("/pay/{id}", get(show).post(submit))
        .route("/pay/{id}/cancel", post(cancel))
        .with_state(TestGateway::new(db))
}

#[derive(sqlx::FromRow)]
struct Session {
    merchant_ref: String,
    return_url: String,
    expires_at: i64,
    outcome: Option<String>,
    result_code: Option<String>,
}

async fn session(gw: &TestGateway, id: &str) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(
        "SELECT merchant_ref, return_url, expires_at, outcome, result_code FROM test_gateway_sessions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(gw.db.pool())
    .await
}

/// The card's brand from its number (IIN ranges), None when the gateway takes none.
pub fn brand(number: &str) -> Option<&'static str> {
    app::domain::card::brand(number, number.len())
}

/// The Luhn check digit test (the domain's, which also keeps card numbers out of texts).
pub use app::domain::card::luhn;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct CardErrors {
    pub number: Option<&'static str>,
    pub expiry: Option<&'static str>,
    pub cvc: Option<&'static str>,
}

impl CardErrors {
    fn any(&self) -> bool {
        self.number.is_some() || self.expiry.is_some() || self.cvc.is_some()
    }
}

/// A checked card: (number digits, brand, month, year).
pub fn check_card(
    number: &str,
    month: &str,
    year: &str,
    cvc: &str,
    today: Date,
) -> Result<(String, &'static str, u8, u16), CardErrors> {
    let mut errors = CardErrors::default();
    let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let brand = if digits.is_empty() {
        errors.number = Some("カード番号を入力してください。");
        None
    } else if !digits.chars().all(|c| c.is_ascii_digit()) || !(14..=16).contains(&digits.len()) {
        errors.number = Some("カード番号は14～16桁の数字で入力してください。");
        None
    } else if !luhn(&digits) {
        errors.number = Some("カード番号に誤りがあります。もう一度ご確認ください。");
        None
    } else {
        let b = brand(&digits);
        if b.is_none() {
            errors.number = Some(
                "このカードはご利用いただけません（Visa、Mastercard、JCB、American Express、Diners Club）。",
            );
        }
        b
    };
    let m = month.trim().parse::<u8>().ok().filter(|m| (1..=12).contains(m));
    let y = year.trim().parse::<u16>().ok().filter(|_| year.trim().len() == 2).map(|y| 2000 + y);
    let expiry = match (m, y) {
        (Some(m), Some(y)) => {
            let this_month = Month::of(today);
            if (i32::from(y), m) < (this_month.year, this_month.month) {
                errors.expiry = Some("有効期限が切れています。");
                None
            } else if i32::from(y) > this_month.year + 20 {
                errors.expiry = Some("有効期限に誤りがあります。");
                None
            } else {
                Some((m, y))
            }
        }
        _ => {
            errors.expiry = Some("有効期限を「月（2桁）／年（下2桁）」で入力してください。");
            None
        }
    };
    let cvc_len = if brand == Some("American Express") { 4 } else { 3 };
    if cvc.len() != cvc_len || !cvc.chars().all(|c| c.is_ascii_digit()) {
        errors.cvc = Some(if cvc_len == 4 {
            "セキュリティコードはカード表面の4桁の数字です。"
        } else {
            "セキュリティコードはカード裏面の3桁の数字です。"
        });
    }
    match (brand, expiry) {
        (Some(b), Some((m, y))) if !errors.any() => Ok((digits, b, m, y)),
        _ => Err(errors),
    }
}

fn escape(s: &str) -> String {
    app::ssr::mail::escape_html(s)
}

fn no_store(html: String, status: StatusCode) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// The gateway's own look (it is not My Page: no shared stylesheet).
const STYLE: &str = "body{margin:0;background:#f1f5f9;color:#0f172a;font:16px/1.6 system-ui,sans-serif}\
main{max-width:28rem;margin:0 auto;padding:1rem}.brand{font-size:.75rem;font-weight:700;color:#475569}\
h1{font-size:1.25rem}.card{background:#fff;border:1px solid #e2e8f0;border-radius:.5rem;padding:1rem}\
.field{margin-bottom:1rem}label{display:block;font-weight:700;margin-bottom:.25rem}\
input{box-sizing:border-box;width:100%;min-height:2.75rem;padding:.5rem;border:1px solid #94a3b8;border-radius:.375rem;font-size:1rem}\
input[aria-invalid=true]{border-color:#b91c1c}.error{color:#b91c1c;font-weight:700;font-size:.875rem;margin:.25rem 0 0}\
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}button{width:100%;min-height:2.75rem;border-radius:.375rem;font-weight:700;font-size:1rem;cursor:pointer}\
.primary{background:#1e3a8a;color:#fff;border:0}.secondary{background:#fff;color:#334155;border:1px solid #cbd5e1;margin-top:1rem}\
.note{font-size:.75rem;color:#475569}";

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><style>{STYLE}</style></head>
<body><main><p class="brand">TEST PAYMENT GATEWAY ／ テスト決済代行</p><h1>{title}</h1>{body}</main></body></html>"#
    )
}

fn expired() -> Response {
    no_store(
        page(
            "お手続きの有効期限が切れました",
            r#"<p class="card">この画面の有効期限が切れたか、お手続きは完了しています。マイページの「お支払い方法の確認・変更」からやり直してください。</p>"#,
        ),
        StatusCode::NOT_FOUND,
    )
}

fn field(id: &str, label: &str, value: &str, attrs: &str, error: Option<&str>) -> String {
    let err =
        error.map(|e| format!(r#"<p id="{id}-error" class="error">{}</p>"#, escape(e))).unwrap_or_default();
    let described = if error.is_some() {
        format!(r#" aria-invalid="true" aria-describedby="{id}-error""#)
    } else {
        String::new()
    };
    format!(
        r#"<div class="field"><label for="{id}">{label}</label><input id="{id}" name="{id}" value="{}" {attrs}{described}>{err}</div>"#,
        escape(value)
    )
}

fn form(id: &str, number: &str, month: &str, year: &str, errors: &CardErrors) -> String {
    format!(
        r#"<section class="card"><form method="post" action="{PREFIX}/pay/{id}" novalidate>
{}
<div class="row">{}{}</div>
{}
<button type="submit" class="primary">このカードを登録する</button>
</form>
<form method="post" action="{PREFIX}/pay/{id}/cancel"><button type="submit" class="secondary">登録せずにマイページへ戻る</button></form>
<p class="note">テスト用カード: 4242 4242 4242 4242（Visa）、5555 5555 5555 4444（Mastercard）、3530 1113 3330 0000（JCB）、4000 0000 0000 0002（お取り扱い不可）。有効期限は将来の月、セキュリティコードは任意の3桁。</p></section>"#,
        field(
            "number",
            "カード番号",
            number,
            r#"inputmode="numeric" autocomplete="cc-number" maxlength="19""#,
            errors.number
        ),
        field(
            "exp_month",
            "有効期限（月）",
            month,
            r#"inputmode="numeric" autocomplete="cc-exp-month" maxlength="2" placeholder="MM""#,
            errors.expiry
        ),
        field(
            "exp_year",
            "有効期限（年）",
            year,
            r#"inputmode="numeric" autocomplete="cc-exp-year" maxlength="2" placeholder="YY""#,
            None
        ),
        field(
            "cvc",
            "セキュリティコード",
            "",
            r#"inputmode="numeric" autocomplete="cc-csc" maxlength="4""#,
            errors.cvc
        ),
    )
}

/// The live session of a page's `id`. An id that is not one of the gateway's (64 hex
/// digits: `random_token`) is no session: never sent to the database (PostgreSQL
/// refuses a NUL in a text, a failure of the database's, not an unknown page).
async fn live(gw: &TestGateway, id: &str) -> Result<Option<Session>, Response> {
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    match session(gw, id).await {
        Ok(Some(s)) if s.expires_at > app::ssr::now() => Ok(Some(s)),
        Ok(_) => Ok(None),
        Err(e) => {
            tracing::error!(error = %e, "test gateway: database");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

async fn show(State(gw): State<TestGateway>, Path(id): Path<String>) -> Response {
    match live(&gw, &id).await {
        Ok(Some(s)) if s.outcome.is_none() => {
            no_store(page("カード情報の入力", &form(&id, "", "", "", &CardErrors::default())), StatusCode::OK)
        }
        Ok(Some(s)) => back_to_merchant(&gw, &s).await,
        Ok(None) => expired(),
        Err(r) => r,
    }
}

#[derive(serde::Deserialize)]
struct CardForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    exp_month: String,
    #[serde(default)]
    exp_year: String,
    #[serde(default)]
    cvc: String,
}

async fn submit(
    State(gw): State<TestGateway>,
    Path(id): Path<String>,
    Form(card): Form<CardForm>,
) -> Response {
    let s = match live(&gw, &id).await {
        Ok(Some(s)) => s,
        Ok(None) => return expired(),
        Err(r) => return r,
    };
    if s.outcome.is_some() {
        // A double submit: the first one settled it; send the same result back.
        return back_to_merchant(&gw, &s).await;
    }
    let today = Date::of_unix_jst(app::ssr::now());
    let (digits, brand, m, y) =
        match check_card(&card.number, &card.exp_month, &card.exp_year, &card.cvc, today) {
            Ok(c) => c,
            Err(errors) => {
                return no_store(
                    page(
                        "カード情報の入力",
                        &form(&id, &card.number, &card.exp_month, &card.exp_year, &errors),
                    ),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            }
        };
    let result_code = app::ssr::crypto::random_token();
    let declined = digits == DECLINED_CARD;
    let token = (!declined).then(|| format!("tok_test_{}", app::ssr::crypto::random_token()));
    let last4 = digits[digits.len() - 4..].to_string();
    let settled = sqlx::query(
        "UPDATE test_gateway_sessions SET outcome = $2, result_code = $3, card_brand = $4, card_last4 = $5,
            card_exp_month = $6, card_exp_year = $7, token = $8
         WHERE id = $1 AND outcome IS NULL",
    )
    .bind(&id)
    .bind(if declined { "declined" } else { "approved" })
    .bind(&result_code)
    .bind((!declined).then_some(brand))
    .bind((!declined).then_some(last4))
    .bind((!declined).then_some(i64::from(m)))
    .bind((!declined).then_some(i64::from(y)))
    .bind(token)
    .execute(gw.db.pool())
    .await;
    after_settle(&gw, &id, settled).await
}

async fn cancel(State(gw): State<TestGateway>, Path(id): Path<String>) -> Response {
    match live(&gw, &id).await {
        Ok(Some(_)) => {}
        Ok(None) => return expired(),
        Err(r) => return r,
    }
    let settled = sqlx::query(
        "UPDATE test_gateway_sessions SET outcome = 'cancelled', result_code = $2 WHERE id = $1 AND outcome IS NULL",
    )
    .bind(&id)
    .bind(app::ssr::crypto::random_token())
    .execute(gw.db.pool())
    .await;
    after_settle(&gw, &id, settled).await
}

/// Back to the merchant once the session's outcome is written (`settled`).
async fn after_settle(
    gw: &TestGateway,
    id: &str,
    settled: Result<sqlx::any::AnyQueryResult, sqlx::Error>,
) -> Response {
    if let Err(e) = settled {
        tracing::error!(error = %e, "test gateway: database");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    match live(gw, id).await {
        Ok(Some(s)) => back_to_merchant(gw, &s).await,
        Ok(None) => expired(),
        Err(r) => r,
    }
}

/// 303 to the merchant's return URL with the signed result.
async fn back_to_merchant(gw: &TestGateway, s: &Session) -> Response {
    let (Some(outcome), Some(code)) = (s.outcome.as_deref(), s.result_code.as_deref()) else {
        return expired();
    };
    let sig = match gw.signature(&[&s.merchant_ref, code, outcome]).await {
        Ok(sig) => sig,
        Err(e) => {
            tracing::error!(error = %e, "test gateway: signing key");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let mut url = match url::Url::parse(&s.return_url) {
        Ok(u) => u,
        Err(_) => return expired(),
    };
    url.query_pairs_mut()
        .append_pair("ref", &s.merchant_ref)
        .append_pair("result", code)
        .append_pair("status", outcome)
        .append_pair("sig", &sig);
    Redirect::to(url.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 26 };

    #[test]
    fn the_test_cards_pass_luhn_and_have_their_brands() {
        for (n, b) in [
            ("4242424242424242", "Visa"),
            ("5555555555554444", "Mastercard"),
            ("3530111333300000", "JCB"),
            ("4000000000000002", "Visa"),
            ("378282246310005", "American Express"),
            ("30569309025904", "Diners Club"),
        ] {
            assert!(luhn(n), "{n}");
            assert_eq!(brand(n), Some(b), "{n}");
        }
        assert!(!luhn("4242424242424241"));
        assert!(!luhn("42424242424242x2"));
        assert_eq!(brand("6011111111111117"), None, "Discover is not taken");
    }

    #[test]
    fn each_field_says_what_is_wrong_and_the_edges_hold() {
        assert_eq!(
            check_card("4242 4242 4242 4242", "11", "26", "123", TODAY).unwrap().2,
            11,
            "this month is valid"
        );
        assert!(check_card("4242-4242-4242-4242", "12", "46", "123", TODAY).is_ok(), "20 years ahead");
        let e = check_card("4242424242424241", "10", "26", "12", TODAY).unwrap_err();
        assert!(e.number.is_some() && e.expiry.is_some() && e.cvc.is_some(), "{e:?}");
        assert!(check_card("", "13", "26", "123", TODAY).unwrap_err().expiry.is_some());
        assert!(
            check_card("4242424242424242", "12", "2026", "123", TODAY).unwrap_err().expiry.is_some(),
            "YY only"
        );
        assert!(check_card("4242424242424242", "12", "47", "123", TODAY).unwrap_err().expiry.is_some());
        assert!(
            check_card("378282246310005", "12", "27", "123", TODAY).unwrap_err().cvc.is_some(),
            "Amex has 4"
        );
        assert!(check_card("378282246310005", "12", "27", "1234", TODAY).is_ok());
        assert!(check_card("6011111111111117", "12", "27", "123", TODAY).unwrap_err().number.is_some());
    }
}

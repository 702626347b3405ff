//! A local stand-in for GMO Payment Gateway's リンクタイプPlus card edit page, speaking
//! the protocol as GMO-PG documents it (written apart from the portal's adapter, so a
//! mistake in one shows against the other): `GET /v1/plus/{ShopID}/member/{params}.{hash}`
//! with the parameters as URL-safe base64 JSON and the hash the hex SHA-256 of that
//! text and the shop password; the card is entered here (the test gateway's checks);
//! the result goes back as an auto-submitting form that posts `result` =
//! `{json}.{hash}` to the `RetUrl`. It logs nothing and keeps no card number.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const SHOP_ID: &str = "tshop00012345";
pub const SHOP_PASS: &str = "standin-pass-7";
pub const CONFIG_ID: &str = "mypage-card";

/// An edit opened by a valid request.
#[derive(Clone, Debug)]
pub struct Edit {
    pub member_id: String,
    pub cardeditno: String,
    pub ret_url: String,
    pub lang: String,
}

#[derive(Clone, Default)]
struct Standin {
    edits: Arc<Mutex<HashMap<String, Edit>>>,
    last: Arc<Mutex<String>>,
    refused: Arc<Mutex<u32>>,
}

pub struct GmoStandin {
    pub base: String,
    state: Standin,
}

impl GmoStandin {
    /// The edits the stand-in opened (valid requests).
    pub fn edits(&self) -> Vec<Edit> {
        self.state.edits.lock().unwrap().values().cloned().collect()
    }

    /// The `/pay/{sid}` path of the card page served last.
    pub fn last_pay_path(&self) -> String {
        format!("/pay/{}", self.state.last.lock().unwrap())
    }

    /// Requests refused for a wrong hash or shop.
    pub fn refused(&self) -> u32 {
        *self.state.refused.lock().unwrap()
    }

    /// The settings that point the portal at this stand-in.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("PAYMENT_GATEWAY", "gmo-linkplus".into()),
            ("GMO_LINKPLUS_URL", self.base.clone()),
            ("GMO_SHOP_ID", SHOP_ID.into()),
            ("GMO_SHOP_PASS", SHOP_PASS.into()),
            ("GMO_CONFIG_ID", CONFIG_ID.into()),
        ]
    }
}

pub fn hash(text: &str) -> String {
    Sha256::digest(format!("{text}{SHOP_PASS}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `{json}.{hash}` as the gateway signs a result.
pub fn sign(json: &serde_json::Value) -> String {
    let text = base64::engine::general_purpose::URL_SAFE.encode(json.to_string());
    format!("{text}.{}", hash(&text))
}

pub async fn start() -> GmoStandin {
    let state = Standin::default();
    let app = Router::new()
        .route("/v1/plus/{shop}/member/{segment}", get(open))
        .route("/pay/{sid}", post(pay))
        .route("/pay/{sid}/cancel", post(cancel))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    GmoStandin { base, state }
}

async fn open(State(s): State<Standin>, Path((shop, segment)): Path<(String, String)>) -> Response {
    let refuse = |s: &Standin| {
        *s.refused.lock().unwrap() += 1;
        (StatusCode::BAD_REQUEST, "ErrCode=EZ1 ErrInfo=EZ1004005").into_response()
    };
    let Some((text, given)) = segment.rsplit_once('.') else { return refuse(&s) };
    if shop != SHOP_ID || hash(text) != given {
        return refuse(&s);
    }
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE.decode(text) else { return refuse(&s) };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else { return refuse(&s) };
    let member = &json["member"];
    let field = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    if json["configid"] != CONFIG_ID
        || field(&member["MemberID"]).is_empty()
        || field(&member["Cardeditno"]).is_empty()
    {
        return refuse(&s);
    }
    let sid = format!("{:x}", rand_u64());
    let edit = Edit {
        member_id: field(&member["MemberID"]),
        cardeditno: field(&member["Cardeditno"]),
        ret_url: field(&member["RetUrl"]),
        lang: field(&json["displaysetting"]["Lang"]),
    };
    s.edits.lock().unwrap().insert(sid.clone(), edit);
    *s.last.lock().unwrap() = sid.clone();
    Html(format!(
        r#"<!DOCTYPE html><html><body><h1>GMO-PG stand-in</h1>
<form method="post" action="/pay/{sid}"><input name="number"><input name="exp_month"><input name="exp_year"><input name="cvc"><button>登録</button></form>
<form method="post" action="/pay/{sid}/cancel"><button>戻る</button></form></body></html>"#
    ))
    .into_response()
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    h.finish()
}

/// The page that posts the signed result back to the merchant, as the browser gets it.
fn back(edit: &Edit, result: serde_json::Value) -> Response {
    Html(format!(
        r#"<!DOCTYPE html><html><body onload="document.forms[0].submit()"><form method="post" action="{}"><input type="hidden" name="result" value="{}"></form></body></html>"#,
        edit.ret_url,
        sign(&result)
    ))
    .into_response()
}

async fn pay(
    State(s): State<Standin>,
    Path(sid): Path<String>,
    Form(card): Form<HashMap<String, String>>,
) -> Response {
    let Some(edit) = s.edits.lock().unwrap().get(&sid).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let f = |k: &str| card.get(k).cloned().unwrap_or_default();
    let today = app::domain::billing::Date::of_unix_jst(app::ssr::now());
    let (digits, brand, m, y) = match server::test_gateway::check_card(
        &f("number"),
        &f("exp_month"),
        &f("exp_year"),
        &f("cvc"),
        today,
    ) {
        Ok(c) => c,
        Err(_) => return (StatusCode::UNPROCESSABLE_ENTITY, "card refused at the field").into_response(),
    };
    let result = if digits == server::test_gateway::DECLINED_CARD {
        serde_json::json!({"memberresult": {"MemberID": edit.member_id, "Cardeditno": edit.cardeditno,
            "ErrCode": "42G", "ErrInfo": "42G020000"}})
    } else {
        let masked = format!("{}******{}", &digits[..6], &digits[digits.len() - 4..]);
        let brand = match brand {
            "Visa" => "VISA",
            "Mastercard" => "MASTER",
            "JCB" => "JCB",
            "American Express" => "AMEX",
            _ => "DINERS",
        };
        serde_json::json!({"memberresult": {"MemberID": edit.member_id, "Cardeditno": edit.cardeditno,
            "CardSeq": "0", "CardNo": masked, "Expire": format!("{:02}{:02}", y % 100, m), "Brand": brand,
            "ErrCode": "", "ErrInfo": ""}})
    };
    back(&edit, result)
}

async fn cancel(State(s): State<Standin>, Path(sid): Path<String>) -> Response {
    let Some(edit) = s.edits.lock().unwrap().get(&sid).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    back(
        &edit,
        serde_json::json!({"memberresult": {"MemberID": edit.member_id, "Cardeditno": edit.cardeditno, "Result": "CANCEL"}}),
    )
}

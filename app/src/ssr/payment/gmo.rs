//! GMO Payment Gateway's リンクタイプPlus, card edit (カード編集, parameter type): the
//! customer enters the card on GMO-PG's own page, which keeps it under the customer's
//! member ID and sends the browser back to us with a signed result. No card number or
//! security code ever reaches My Page.
//!
//! The protocol, as GMO-PG documents it (docs.mul-pay.jp/linkplus/member/interface) and
//! the public integrations build it:
//! - the request is a GET of `{base}/v1/plus/{ShopID}/member/{params}.{hash}`, where
//!   `params` is the UTF-8 JSON 実行パラメータセット in URL-safe base64 (padded) and
//!   `hash` the lower-case hex SHA-256 of `params` followed by the shop password;
//!   the JSON names the 設定ID (`configid`) and, under `member`, the `MemberID`, the
//!   edit's number (`Cardeditno`: our setup's reference), the `RetUrl`, at most one
//!   card (`CardMaxCnt`) with its security code required (`SecCodeRequiredFlag`), and
//!   the page's language (`displaysetting.Lang`);
//! - the result comes back as a form POST to `RetUrl` with one field, `result`:
//!   `{json}.{hash}` in the same form, hashed the same way.
//!
//! What the public documentation does not show in full is the card edit result's JSON:
//! this adapter reads the fields GMO-PG's results use elsewhere (`MemberID`,
//! `Cardeditno`, `CardSeq`, the masked `CardNo`, `Expire` as YYMM, `Brand`, `ErrCode`,
//! `ErrInfo` with `|` between several codes, `Result`), under `memberresult` or at the
//! top. Check it against GMO-PG's test environment (`https://stg.link.mul-pay.jp`)
//! before production; the README says so.

use super::{BoxFuture, CardToken, Completion, GatewayError, Outcome, PaymentGateway, Setup};
use crate::ssr::config::GmoSettings;
use base64::Engine;
use std::collections::HashMap;

pub struct GmoLinkPlus {
    settings: GmoSettings,
}

impl GmoLinkPlus {
    pub fn new(settings: GmoSettings) -> Self {
        Self { settings }
    }

    /// The customer's member ID at the gateway.
    fn member(&self, customer_no: &str) -> String {
        format!("{}{customer_no}", self.settings.member_prefix)
    }

    /// `params.hash`: the base64 text and its SHA-256 keyed by the shop password.
    fn hashed(&self, params: &str) -> String {
        format!("{params}.{}", digest(params, self.settings.shop_pass.expose()))
    }
}

/// The hash of a parameter set or result: hex SHA-256 of the base64 text followed by
/// the shop password.
pub fn digest(base64_text: &str, shop_pass: &str) -> String {
    crate::ssr::crypto::sha256_hex(&format!("{base64_text}{shop_pass}"))
}

/// `json` as the protocol carries it: URL-safe base64, padded.
pub fn encode(json: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE.encode(json.to_string().as_bytes())
}

/// A `{base64}.{hash}` text checked against `shop_pass`, decoded: None when the hash
/// does not match or the text is not base64 JSON.
pub fn verify(signed: &str, shop_pass: &str) -> Option<serde_json::Value> {
    let (text, hash) = signed.trim().rsplit_once('.')?;
    if !crate::ssr::crypto::constant_time_eq(&digest(text, shop_pass), &hash.to_ascii_lowercase()) {
        return None;
    }
    // URL-safe as sent; standard base64 accepted as well, padded or not.
    let engines = [
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
    ];
    let bytes = engines.iter().find_map(|e| e.decode(text).ok())?;
    serde_json::from_slice(&bytes).ok()
}

/// The outcome a verified card edit result reports, with the edit's number.
pub fn read_result(json: &serde_json::Value) -> Result<Completion, GatewayError> {
    // Our own request is signed with the same shop password, and its URL is in the
    // customer's browser: it is not the gateway's result (else a post of it would be
    // taken as a result without a card, a gateway failure).
    if json.get("memberresult").is_none() && json.pointer("/member/RetUrl").is_some() {
        return Err(GatewayError::BadSignature);
    }
    let result = json
        .get("memberresult")
        .or_else(|| json.as_object().and_then(|o| o.values().find(|v| v.get("MemberID").is_some())))
        .unwrap_or(json);
    let field = |k: &str| {
        result
            .get(k)
            .map(|v| match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => String::new(),
            })
            .unwrap_or_default()
    };
    let reference = field("Cardeditno");
    if reference.is_empty() {
        return Err(GatewayError::BadSignature);
    }
    let member = Some(field("MemberID")).filter(|m| !m.is_empty());
    let (err_code, err_info) = (field("ErrCode"), field("ErrInfo"));
    if !err_code.is_empty() || !err_info.is_empty() {
        // 42G…: the card company refused the card; anything else is the gateway's or
        // the setting's fault, not the customer's.
        if err_info.split('|').any(|code| code.trim().starts_with("42G")) {
            return Ok(Completion { reference, outcome: Outcome::Declined, member });
        }
        return Err(GatewayError::Unavailable(format!("GMO-PG error {err_code} {err_info}")));
    }
    let (member_id, seq, number, expire) =
        (field("MemberID"), field("CardSeq"), field("CardNo"), field("Expire"));
    let result_word = field("Result").to_ascii_uppercase();
    if matches!(result_word.as_str(), "CANCEL" | "PAYSTART" | "EDITSTART") {
        return Ok(Completion { reference, outcome: Outcome::Cancelled, member });
    }
    if seq.is_empty() {
        // Neither an error nor a card nor a cancel: nothing to trust.
        return Err(GatewayError::Unavailable("GMO-PG result without a card and without an error".into()));
    }
    let digits: String = number.chars().filter(|c| c.is_ascii_digit() || *c == '*').collect();
    let last4: String = digits.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let brand = crate::domain::card::brand_name(&field("Brand"))
        .or_else(|| crate::domain::card::brand(&digits, digits.len()));
    let expiry = (expire.len() == 4 && expire.chars().all(|c| c.is_ascii_digit()))
        .then(|| (expire[2..].parse::<u8>().ok(), expire[..2].parse::<u16>().ok()))
        .and_then(|(m, y)| Some((m.filter(|m| (1..=12).contains(m))?, 2000 + y?)));
    match (brand, expiry, last4.len() == 4 && last4.chars().all(|c| c.is_ascii_digit()), member_id.is_empty())
    {
        (Some(brand), Some((exp_month, exp_year)), true, false) => Ok(Completion {
            reference,
            member,
            outcome: Outcome::Approved(CardToken {
                token: format!("gmo:{member_id}:{seq}"),
                brand: brand.to_string(),
                last4,
                exp_month,
                exp_year,
            }),
        }),
        _ => Err(GatewayError::Unavailable("GMO-PG result without a usable card".into())),
    }
}

impl PaymentGateway for GmoLinkPlus {
    fn origin(&self) -> Option<String> {
        Some(self.settings.base_url.origin().ascii_serialization())
    }

    fn member_id(&self, customer_no: &str) -> Option<String> {
        Some(self.member(customer_no))
    }

    fn begin<'a>(&'a self, setup: Setup<'a>) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            let params = serde_json::json!({
                "configid": self.settings.config_id,
                "member": {
                    "MemberID": self.member(setup.customer_no),
                    "Cardeditno": setup.reference,
                    "RetUrl": setup.result_url,
                    "CardMaxCnt": 1,
                    "SecCodeRequiredFlag": 1,
                },
                "displaysetting": { "Lang": setup.locale.code() },
            });
            let path = format!("v1/plus/{}/member/{}", self.settings.shop_id, self.hashed(&encode(&params)));
            self.settings
                .base_url
                .join(&path)
                .map(String::from)
                .map_err(|e| GatewayError::Unavailable(format!("GMO-PG URL: {e}")))
        })
    }

    fn complete<'a>(
        &'a self,
        params: &'a HashMap<String, String>,
    ) -> BoxFuture<'a, Result<Completion, GatewayError>> {
        Box::pin(async move {
            let signed = params.get("result").ok_or(GatewayError::BadSignature)?;
            let json = verify(signed, self.settings.shop_pass.expose()).ok_or(GatewayError::BadSignature)?;
            read_result(&json)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::config::Secret;

    fn gateway() -> GmoLinkPlus {
        GmoLinkPlus::new(GmoSettings {
            base_url: url::Url::parse("https://stg.link.mul-pay.jp").unwrap(),
            shop_id: "tshop00012345".into(),
            shop_pass: Secret::new("shoppass".into()),
            config_id: "mypage-card".into(),
            member_prefix: "MP".into(),
        })
    }

    fn signed(json: serde_json::Value) -> String {
        let text = encode(&json);
        format!("{text}.{}", digest(&text, "shoppass"))
    }

    #[tokio::test]
    async fn the_request_url_carries_the_parameters_and_their_hash() {
        let gw = gateway();
        let setup = Setup {
            reference: "ref123",
            customer_no: "100000002",
            return_url: "https://mypage.example.jp/billing/payment/return",
            result_url: "https://mypage.example.jp/billing/payment/result",
            locale: crate::i18n::Locale::Ja,
        };
        let url = gw.begin(setup).await.unwrap();
        let rest = url.strip_prefix("https://stg.link.mul-pay.jp/v1/plus/tshop00012345/member/").unwrap();
        let json = verify(rest, "shoppass").expect("hash of the base64 text and the shop password");
        assert_eq!(json["configid"], "mypage-card");
        assert_eq!(json["member"]["MemberID"], "MP100000002");
        assert_eq!(json["member"]["Cardeditno"], "ref123");
        assert_eq!(json["member"]["RetUrl"], "https://mypage.example.jp/billing/payment/result");
        assert!(verify(rest, "another").is_none(), "another shop's password");
        assert!(!rest.contains('+') && !rest.contains('/'), "URL-safe base64");
        assert_eq!(gw.origin().as_deref(), Some("https://stg.link.mul-pay.jp"));
    }

    #[tokio::test]
    async fn a_signed_result_names_the_card_and_a_tampered_one_is_refused() {
        let gw = gateway();
        let ok = serde_json::json!({"memberresult": {"MemberID": "MP100000002", "Cardeditno": "ref123",
            "CardSeq": "0", "CardNo": "424242******4242", "Expire": "2812", "Brand": "VISA", "ErrCode": "", "ErrInfo": ""}});
        let params = HashMap::from([("result".to_string(), signed(ok.clone()))]);
        let done = gw.complete(&params).await.unwrap();
        assert_eq!(done.reference, "ref123");
        assert_eq!(
            done.outcome,
            Outcome::Approved(CardToken {
                token: "gmo:MP100000002:0".into(),
                brand: "Visa".into(),
                last4: "4242".into(),
                exp_month: 12,
                exp_year: 2028,
            })
        );
        // Another card number in the same envelope: the hash no longer matches.
        let s = signed(ok);
        let (text, hash) = s.split_once('.').unwrap();
        let mut tampered = serde_json::from_slice::<serde_json::Value>(
            &base64::engine::general_purpose::URL_SAFE.decode(text).unwrap(),
        )
        .unwrap();
        tampered["memberresult"]["CardNo"] = "555555******4444".into();
        let forged = HashMap::from([("result".to_string(), format!("{}.{hash}", encode(&tampered)))]);
        assert_eq!(gw.complete(&forged).await, Err(GatewayError::BadSignature));
        assert_eq!(gw.complete(&HashMap::new()).await, Err(GatewayError::BadSignature));
    }

    #[test]
    fn declines_cancels_and_errors_are_told_apart() {
        let r = |v: serde_json::Value| read_result(&v);
        let declined = r(
            serde_json::json!({"memberresult": {"Cardeditno": "a", "ErrCode": "42G", "ErrInfo": "42G020000"}}),
        );
        assert_eq!(declined.unwrap().outcome, Outcome::Declined);
        let cancelled = r(
            serde_json::json!({"memberresult": {"Cardeditno": "a", "MemberID": "MP1", "Result": "CANCEL"}}),
        );
        assert_eq!(cancelled.unwrap().outcome, Outcome::Cancelled);
        assert!(matches!(
            r(
                serde_json::json!({"memberresult": {"Cardeditno": "a", "ErrCode": "E01", "ErrInfo": "E01390002"}})
            ),
            Err(GatewayError::Unavailable(_))
        ));
        assert_eq!(r(serde_json::json!({"memberresult": {}})), Err(GatewayError::BadSignature));
        // The portal's own request (signed alike) is no result.
        let request = serde_json::json!({"configid": "c", "member": {"MemberID": "MP1", "Cardeditno": "a", "RetUrl": "u"}});
        assert_eq!(r(request), Err(GatewayError::BadSignature));
        // A result that echoes the request's settings is still a result.
        let echoed = r(serde_json::json!({"configid": "c", "member": {"RetUrl": "u"}, "memberresult":
            {"Cardeditno": "a", "MemberID": "MP1", "Result": "CANCEL"}}));
        assert_eq!(echoed.unwrap().outcome, Outcome::Cancelled);
        // The brand from the masked number when the result names none.
        let jcb = r(
            serde_json::json!({"Cardeditno": "b", "MemberID": "MP1", "CardSeq": 1, "CardNo": "353011******0000", "Expire": "3001"}),
        );
        assert!(
            matches!(jcb.unwrap().outcome, Outcome::Approved(CardToken { ref brand, exp_year: 2030, exp_month: 1, .. }) if brand == "JCB")
        );
    }
}

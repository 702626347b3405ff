//! First login: iTSCOM ID registration and re-registration (SPEC §1.3, issue 4).

mod common;
use common::*;

async fn verify(
    app: &TestApp,
    client: &reqwest::Client,
    kana: &str,
    phone: &str,
    kind: &str,
    value: &str,
) -> String {
    let res = client
        .post(app.url("/api/register/verify"))
        .header("Accept", "text/html")
        .form(&[("kana", kana), ("phone", phone), ("factor_kind", kind), ("factor_value", value)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    location(&res)
}

async fn credentials(app: &TestApp, client: &reqwest::Client, id: &str, password: &str) -> String {
    post_from(
        app,
        client,
        "/api/register/credentials",
        &[("itscom_id", id), ("password", password), ("password_again", password)],
    )
    .await
}

/// The confirmation link's token from the newest mail to `to`.
async fn mailed_token(app: &TestApp, to: &str) -> Option<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT payload FROM outbox WHERE topic = 'registration.confirm' ORDER BY created_at DESC",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mail = rows
        .into_iter()
        .map(|(p,)| serde_json::from_str::<app::ssr::mail::Mail>(&p).unwrap())
        .find(|m| m.to == to)
        .expect("a mail to the new ID");
    mail.text.split("token=").nth(1).map(|rest| rest.split_whitespace().next().unwrap().to_string())
}

async fn customer_100000001_registers_confirms_by_mail_and_logs_in(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(
        verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await,
        "/register/credentials"
    );
    assert_eq!(credentials(&app, &c, "taro@example.jp", "Yamada-2026x").await, "/register/sent");
    let (status, body) = app.get_text_with(&c, "/register/sent").await;
    assert_eq!(status, 200);
    assert!(body.contains("メール送信完了"));
    let token = mailed_token(&app, "taro@example.jp").await.expect("the mail carries a link");
    // Opening the link shows what will be registered, and changes nothing.
    let res = get_page(&app.new_browser(), &app.url(&format!("/register/confirm?token={token}"))).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let body = res.text().await.unwrap();
    assert!(body.contains("taro@example.jp") && body.contains("山田 太郎"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE itscom_id = 'taro@example.jp'").await, 0);
    // 次へ completes (from any browser: the link is the proof).
    let done = post_from(&app, &app.new_browser(), "/api/register/complete", &[("token", &token)]).await;
    assert_eq!(done, "/register/done");
    assert_eq!(location(&app.login("taro@example.jp", "Yamada-2026x").await), "/");
    let (contact,): (Option<String>,) =
        sqlx::query_as("SELECT contact_email FROM customers WHERE customer_no = '100000001'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(contact.as_deref(), Some("taro@example.jp"));
}

async fn hiragana_and_full_width_input_verifies(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    let next =
        verify(&app, &c, "やまだ　たろう", "０３－１２３４－５６７８", "equipment", "ｓｔｂ００００００１")
            .await;
    assert_eq!(next, "/register/credentials");
    let c2 = app.new_browser();
    assert_eq!(
        verify(&app, &c2, "ﾔﾏﾀﾞ ﾀﾛｳ", "0312345678", "customer_no", "１０００００００１").await,
        "/register/credentials"
    );
}

async fn any_wrong_detail_gets_the_same_neutral_answer(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    let answers = [
        verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "9999").await,
        verify(&app, &c, "ヤマダ タロウ", "03-9999-9999", "bank", "1234").await,
        verify(&app, &c, "ダレ デモナイ", "03-1234-5678", "bank", "1234").await,
        verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "card", "1234").await,
    ];
    for a in &answers {
        assert_eq!(a, "/register?error=verification");
    }
    let (_, body) = app.get_text("/register?error=verification").await;
    assert!(body.contains("入力された情報ではご契約者さまを確認できませんでした。"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM registration_flows").await, 0);
}

async fn malformed_input_gets_a_field_message(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(verify(&app, &c, "", "03-1234-5678", "bank", "1234").await, "/register?error=kana.required");
    assert_eq!(
        verify(&app, &c, "山田", "03-1234-5678", "bank", "1234").await,
        "/register?error=kana.invalid_characters"
    );
    assert_eq!(
        verify(&app, &c, "ヤマダ", "1234", "bank", "1234").await,
        "/register?error=phone.invalid_format"
    );
    assert_eq!(
        verify(&app, &c, "ヤマダ", "0312345678", "bank", "12").await,
        "/register?error=factor.invalid_format"
    );
    assert_eq!(verify(&app, &c, "ヤマダ", "0312345678", "", "1234").await, "/register?error=factor.required");
    let (_, body) = app.get_text("/register?error=phone.invalid_format").await;
    assert!(body.contains("電話番号は市外局番から入力してください"));
    assert!(body.contains(r#"aria-invalid="true""#));
}

async fn two_matching_customers_need_additional_verification(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(
        verify(&app, &c, "タナカ ミサキ", "03-2222-3333", "card", "1881").await,
        "/register/additional"
    );
    let (status, body) = app.get_text_with(&c, "/register/additional").await;
    assert_eq!(status, 200);
    assert!(body.contains("追加認証情報"));
    // The card again is not a second detail; another customer's equipment does not match.
    assert_eq!(
        post_from(&app, &c, "/api/register/additional", &[("factor_kind", "card"), ("factor_value", "1881")])
            .await,
        "/register/additional?error=factor.required"
    );
    assert_eq!(
        post_from(
            &app,
            &c,
            "/api/register/additional",
            &[("factor_kind", "equipment"), ("factor_value", "STB0000001")]
        )
        .await,
        "/register/additional?error=verification"
    );
    assert_eq!(
        post_from(
            &app,
            &c,
            "/api/register/additional",
            &[("factor_kind", "equipment"), ("factor_value", "HP00000005")]
        )
        .await,
        "/register/credentials"
    );
    let (customer,): (Option<String>,) =
        sqlx::query_as("SELECT customer_no FROM registration_flows").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(customer.as_deref(), Some("100000005"));
}

async fn guessing_the_last_four_digits_is_throttled(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    for guess in ["0000", "0001", "0002", "0003"] {
        assert_eq!(
            verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", guess).await,
            "/register?error=verification"
        );
    }
    // The fifth try starts the wait; then even the right digits are refused.
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "0004").await;
    assert_eq!(
        verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await,
        "/register?error=throttled"
    );
    // Another person is not affected.
    assert_eq!(
        verify(&app, &c, "タナカ ミサキ", "03-2222-3333", "card", "1881").await,
        "/register/additional"
    );
}

async fn steps_cannot_be_skipped_or_replayed(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    assert_eq!(credentials(&app, &c, "x@example.jp", "Good-pass-77").await, "/register?error=expired");
    let res = get_page(&c, &app.url("/register/credentials")).await;
    assert_eq!(location(&res), "/register?error=expired");
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await;
    assert_eq!(
        post_from(
            &app,
            &c,
            "/api/register/additional",
            &[("factor_kind", "equipment"), ("factor_value", "STB0000001")]
        )
        .await,
        "/register?error=expired"
    );
    assert_eq!(credentials(&app, &c, "x@example.jp", "Good-pass-77").await, "/register/sent");
    // Submitting STEP 3 again is out of order.
    assert_eq!(credentials(&app, &c, "y@example.jp", "Good-pass-77").await, "/register?error=expired");
}

async fn the_password_rules_hold_on_the_server(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await;
    let cases = [
        (("taro@example", "Good-pass-77", "Good-pass-77"), "itscom_id.invalid_format"),
        (("taro@example.jp", "password1", "password1"), "password.common"),
        (("taro@example.jp", "short", "short"), "password.too_short_6"),
        (("taro@example.jp", "Good pass", "Good pass"), "password.invalid_characters"),
        (("taro@example.jp", "Good-pass-77", "Good-pass-78"), "password_again.mismatch"),
        (("taro@example.jp", "taro", "taro"), "password.too_short_6"),
        (("tarotaro@example.jp", "TaroTaro", "TaroTaro"), "password.same_as_id"),
    ];
    for ((id, pw, again), code) in cases {
        let next = post_from(
            &app,
            &c,
            "/api/register/credentials",
            &[("itscom_id", id), ("password", pw), ("password_again", again)],
        )
        .await;
        assert_eq!(next, format!("/register/credentials?error={code}"), "{id} {pw}");
    }
}

async fn the_link_works_once_even_when_opened_twice_at_the_same_moment(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await;
    credentials(&app, &c, "taro@example.jp", "Yamada-2026x").await;
    let token = mailed_token(&app, "taro@example.jp").await.unwrap();
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let client = app.new_browser();
            let url = app.url("/api/register/complete");
            let token = token.clone();
            tokio::spawn(async move {
                let res = client
                    .post(url)
                    .header("Accept", "text/html")
                    .form(&[("token", token.as_str())])
                    .send()
                    .await
                    .unwrap();
                location(&res)
            })
        })
        .collect();
    let mut done = 0;
    for a in attempts {
        let l = a.await.unwrap();
        if l == "/register/done" {
            done += 1;
        } else {
            assert!(l.ends_with("error=link"), "{l}");
        }
    }
    assert_eq!(done, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE customer_no = '100000001'").await, 1);
    let (status, body) = app.get_text(&format!("/register/confirm?token={token}")).await;
    assert_eq!(status, 404);
    assert!(body.contains("このURLは無効です。"));
}

async fn an_expired_link_does_nothing(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await;
    credentials(&app, &c, "taro@example.jp", "Yamada-2026x").await;
    let token = mailed_token(&app, "taro@example.jp").await.unwrap();
    sqlx::query("UPDATE registration_flows SET confirm_expires_at = $1")
        .bind(app::ssr::now() - 1)
        .execute(app.db.pool())
        .await
        .unwrap();
    let l = post_from(&app, &app.new_browser(), "/api/register/complete", &[("token", &token)]).await;
    assert!(l.ends_with("error=link"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE customer_no = '100000001'").await, 0);
}

async fn an_id_used_by_another_account_looks_the_same_and_mails_no_link(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    let c = app.new_browser();
    verify(&app, &c, "ヤマダ タロウ", "03-1234-5678", "bank", "1234").await;
    assert_eq!(credentials(&app, &c, "Hanako@example.com", "Yamada-2026x").await, "/register/sent");
    assert_eq!(mailed_token(&app, "Hanako@example.com").await, None, "no link in the mail");
    let (payload,): (String,) =
        sqlx::query_as("SELECT payload FROM outbox WHERE topic = 'registration.confirm'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(payload.contains("すでにiTSCOM IDとして登録されている"));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM registration_flows WHERE confirm_token_hash IS NOT NULL").await,
        0
    );
}

async fn re_registration_replaces_id_and_password_ends_sessions_and_tells_the_old_address(backend: Backend) {
    let app = spawn_app_with_demo_data(backend).await;
    app.login("hanako@example.com", "Hanako_2024").await;
    assert_eq!(app.get("/").await.status(), 200);
    let c = app.new_browser();
    assert_eq!(
        verify(&app, &c, "サトウ ハナコ", "090-1111-2222", "card", "4242").await,
        "/register/credentials"
    );
    credentials(&app, &c, "hanako.new@example.jp", "Sato-hana-99").await;
    let token = mailed_token(&app, "hanako.new@example.jp").await.unwrap();
    let (_, body) = app.get_text(&format!("/register/confirm?token={token}")).await;
    assert!(body.contains("連絡先メールアドレスを選択してください。"));
    for option in
        ["hanako.new@example.jp", "hanako@example.com", "hanako@a01.itscom.net", "sato-family@b03.itscom.net"]
    {
        assert!(body.contains(&format!(r#"value="{option}""#)), "{option}");
    }
    // A contact address not offered is refused.
    let bad = post_from(
        &app,
        &app.new_browser(),
        "/api/register/complete",
        &[("token", &token), ("contact", "evil@example.com")],
    )
    .await;
    assert!(bad.contains("error=contact.required"), "{bad}");
    let done = post_from(
        &app,
        &app.new_browser(),
        "/api/register/complete",
        &[("token", &token), ("contact", "hanako@a01.itscom.net")],
    )
    .await;
    assert_eq!(done, "/register/done");
    assert_eq!(app.get("/").await.status(), 302, "the old session has ended");
    assert!(location(&app.login("hanako@example.com", "Hanako_2024").await).contains("error=credentials"));
    assert_eq!(location(&app.login("hanako.new@example.jp", "Sato-hana-99").await), "/");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM accounts WHERE customer_no = '100000002'").await, 1);
    let (payload,): (String,) =
        sqlx::query_as("SELECT payload FROM outbox WHERE topic = 'registration.replaced'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let mail: app::ssr::mail::Mail = serde_json::from_str(&payload).unwrap();
    assert_eq!(mail.to, "hanako@example.com", "the previous contact address is told");
    let (contact,): (Option<String>,) =
        sqlx::query_as("SELECT contact_email FROM customers WHERE customer_no = '100000002'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(contact.as_deref(), Some("hanako@a01.itscom.net"));
}

on_both_databases!(
    customer_100000001_registers_confirms_by_mail_and_logs_in,
    hiragana_and_full_width_input_verifies,
    any_wrong_detail_gets_the_same_neutral_answer,
    malformed_input_gets_a_field_message,
    two_matching_customers_need_additional_verification,
    guessing_the_last_four_digits_is_throttled,
    steps_cannot_be_skipped_or_replayed,
    the_password_rules_hold_on_the_server,
    the_link_works_once_even_when_opened_twice_at_the_same_moment,
    an_expired_link_does_nothing,
    an_id_used_by_another_account_looks_the_same_and_mails_no_link,
    re_registration_replaces_id_and_password_ends_sessions_and_tells_the_old_address,
);

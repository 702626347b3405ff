//! The demo data of SPEC §7, loaded by `server seed-demo` and by the run command on an
//! empty database. Idempotent: rows have fixed ids and are inserted with
//! `ON CONFLICT DO NOTHING`; the 12 months of invoices are issued by the billing engine
//! itself (`features::billing::store`), which leaves a month already issued as it is.
//! Everything here is fictitious.

use crate::domain::billing::Month;
use crate::domain::{KatakanaName, PhoneNumber};
use crate::ssr::auth::password;
use crate::ssr::db::{Conn, Db};
use crate::ssr::now;

struct DemoService {
    kind: &'static str,
    plan_code: &'static str,
    plan_name: &'static str,
    fee: i64,
    started_on: &'static str,
}

struct DemoCustomer {
    no: &'static str,
    kana: &'static str,
    name: &'static str,
    phones: &'static [&'static str],
    postal_code: &'static str,
    address: &'static str,
    /// ("bank", bank name, last4) or ("card", brand, last4)
    pays_by: (&'static str, &'static str, &'static str),
    equipment: (&'static str, &'static str, &'static str), // id, kind, model
    services: &'static [DemoService],
    /// (iTSCOM ID, password, recovery method)
    account: Option<(&'static str, &'static str, &'static str)>,
    mailboxes: &'static [(&'static str, &'static str, bool)], // local, subdomain, virus check
    requires_additional_verification: bool,
}

const INTERNET_1G: DemoService = DemoService {
    kind: "internet",
    plan_code: "net-1g",
    plan_name: "インターネット 1Gコース",
    fee: 6_380,
    started_on: "2019-04-01",
};
const INTERNET_300M: DemoService = DemoService {
    kind: "internet",
    plan_code: "net-300m",
    plan_name: "インターネット 300Mコース",
    fee: 5_280,
    started_on: "2018-10-01",
};
const TV: DemoService = DemoService {
    kind: "tv",
    plan_code: "tv-standard",
    plan_name: "テレビ スタンダードプラン",
    fee: 5_478,
    started_on: "2019-04-01",
};
const PHONE: DemoService = DemoService {
    kind: "phone",
    plan_code: "phone-basic",
    plan_name: "ケーブルプラス電話",
    fee: 1_463,
    started_on: "2019-04-01",
};

const CUSTOMERS: &[DemoCustomer] = &[
    DemoCustomer {
        no: "100000001",
        kana: "ヤマダ タロウ",
        name: "山田 太郎",
        phones: &["03-1234-5678"],
        postal_code: "158-0097",
        address: "東京都世田谷区用賀九丁目99番1号",
        pays_by: ("bank", "デモ銀行", "1234"),
        equipment: ("STB0000001", "stb", "STB-4K"),
        services: &[INTERNET_1G, TV, PHONE],
        account: None,
        mailboxes: &[],
        requires_additional_verification: false,
    },
    DemoCustomer {
        no: "100000002",
        kana: "サトウ ハナコ",
        name: "佐藤 花子",
        phones: &["045-987-6543", "090-1111-2222"],
        postal_code: "225-0002",
        address: "神奈川県横浜市青葉区美しが丘九丁目99番2号",
        pays_by: ("card", "Visa", "4242"),
        equipment: ("HP00000002", "hitpot", "Hit pot"),
        services: &[
            DemoService { started_on: "2019-04-01", ..INTERNET_1G },
            DemoService { started_on: "2019-04-01", ..TV },
        ],
        account: Some(("hanako@example.com", "Hanako_2024", "code")),
        mailboxes: &[("hanako", "a01", true), ("sato-family", "b03", false)],
        requires_additional_verification: false,
    },
    DemoCustomer {
        no: "100000003",
        kana: "スズキ イチロウ",
        name: "鈴木 一郎",
        phones: &["044-555-0101"],
        postal_code: "213-0001",
        address: "神奈川県川崎市高津区溝口九丁目99番3号",
        pays_by: ("bank", "デモ銀行", "5678"),
        equipment: ("STB0000003", "stb", "STB-HD"),
        services: &[INTERNET_300M],
        account: Some(("ichiro@example.net", "Ichiro_2020", "legacy_question")),
        mailboxes: &[],
        requires_additional_verification: false,
    },
    DemoCustomer {
        no: "100000004",
        kana: "タナカ ミサキ",
        name: "田中 美咲",
        phones: &["03-2222-3333"],
        postal_code: "152-0031",
        address: "東京都目黒区中根九丁目99番4号",
        pays_by: ("card", "Mastercard", "1881"),
        equipment: ("STB0000004", "stb", "STB-4K"),
        services: &[INTERNET_1G, TV],
        account: None,
        mailboxes: &[],
        requires_additional_verification: false,
    },
    DemoCustomer {
        no: "100000005",
        kana: "タナカ ミサキ",
        name: "田中 美咲",
        phones: &["03-2222-3333"],
        postal_code: "152-0031",
        address: "東京都目黒区中根九丁目99番4号 別棟",
        pays_by: ("card", "Mastercard", "1881"),
        equipment: ("HP00000005", "hitpot", "Hit pot"),
        services: &[TV],
        account: None,
        mailboxes: &[],
        requires_additional_verification: false,
    },
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub customers_added: u64,
    pub invoices_added: u64,
}

/// True when the database holds no customer at all (the run command seeds then).
pub async fn is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(db.pool()).await?;
    Ok(n == 0)
}

/// Load SPEC §7 into the database; a second run adds nothing.
pub async fn seed_demo(db: &Db, mail_domain: &str) -> Result<SeedReport, sqlx::Error> {
    seed_demo_at(db, mail_domain, crate::ssr::now()).await
}

/// As [`seed_demo`], with the 12 months of invoices ending in the month of `at`
/// (Japan time), so tests can pin the calendar.
pub async fn seed_demo_at(db: &Db, mail_domain: &str, at: i64) -> Result<SeedReport, sqlx::Error> {
    // Hash the demo passwords before the transaction: argon2 is slow on purpose.
    let mut hashes = Vec::new();
    for c in CUSTOMERS {
        if let Some((_, pw, _)) = c.account {
            let pw = pw.to_string();
            let h = tokio::task::spawn_blocking(move || password::hash(&pw))
                .await
                .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            hashes.push((c.no, h));
        }
    }

    let mut tx = db.begin().await?;
    let mut report = SeedReport::default();
    let ts = now();
    for c in CUSTOMERS {
        report.customers_added += insert_customer(&mut tx, c, ts, at, &hashes, mail_domain).await?;
        insert_usage(&mut tx, c, at).await?;
    }
    insert_plans(&mut tx).await?;
    insert_referrals(&mut tx, at, ts).await?;
    insert_addons(&mut tx).await?;
    tx.commit().await?;
    // The 12 months of invoices, by the billing engine itself (a month issued before
    // is left as it is).
    let months: Vec<Month> =
        last_twelve_months(at).into_iter().map(|(year, month)| Month { year, month }).collect();
    for month in &months {
        report.invoices_added += crate::features::billing::store::issue_month(db, *month, None).await?.issued;
    }
    settle_demo_invoices(db, &months, crate::domain::billing::Date::of_unix_jst(at)).await?;
    Ok(report)
}

async fn insert_customer(
    conn: &mut Conn,
    c: &DemoCustomer,
    ts: i64,
    at: i64,
    hashes: &[(&str, String)],
    mail_domain: &str,
) -> Result<u64, sqlx::Error> {
    let kana = KatakanaName::parse(c.kana).expect("demo kana is valid");
    let contact = c.account.map(|(id, _, _)| id);
    let added = sqlx::query(
        "INSERT INTO customers (customer_no, name, name_kana, kana_key, postal_code, address,
            contact_email, requires_additional_verification, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
    )
    .bind(c.no)
    .bind(c.name)
    .bind(kana.as_str())
    .bind(kana.match_key())
    .bind(c.postal_code)
    .bind(c.address)
    .bind(contact)
    .bind(i64::from(c.requires_additional_verification))
    .bind(ts)
    .execute(&mut *conn)
    .await?
    .rows_affected();

    for phone in c.phones {
        let phone = PhoneNumber::parse(phone).expect("demo phone is valid");
        sqlx::query(
            "INSERT INTO customer_phones (customer_no, phone) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(c.no)
        .bind(phone.digits())
        .execute(&mut *conn)
        .await?;
    }

    for s in c.services {
        let id = service_id(c.no, s.kind);
        sqlx::query(
            "INSERT INTO services (id, customer_no, kind, plan_code, plan_name, monthly_fee,
                installation_address, started_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(c.no)
        .bind(s.kind)
        .bind(s.plan_code)
        .bind(s.plan_name)
        .bind(s.fee)
        .bind(c.address)
        .bind(s.started_on)
        .execute(&mut *conn)
        .await?;
        // (佐藤 花子 started on 300M, see below.)
        let first_plan =
            if c.no == "100000002" && s.kind == "internet" { INTERNET_300M.plan_code } else { s.plan_code };
        insert_change(conn, c.no, &id, "start", s.started_on, None, Some(first_plan), 0).await?;
    }
    // 佐藤 花子 moved from 300M to 1G on the 16th, four months back: the history shows
    // the plan change, and that month's invoice bills each plan for its days.
    if c.no == "100000002" {
        let id = service_id(c.no, "internet");
        let on = plan_change_day(at);
        insert_change(
            conn,
            c.no,
            &id,
            "plan_change",
            &on,
            Some(INTERNET_300M.plan_code),
            Some(INTERNET_1G.plan_code),
            1,
        )
        .await?;
    }

    let (eq_id, eq_kind, eq_model) = c.equipment;
    let eq_service =
        c.services.iter().find(|s| s.kind == "tv").or(c.services.first()).map(|s| service_id(c.no, s.kind));
    // A set-top box rented for TV: STBレンタル料.
    let rental = if eq_kind == "stb" && c.services.iter().any(|s| s.kind == "tv") { STB_RENTAL } else { 0 };
    sqlx::query(
        "INSERT INTO equipment (equipment_id, customer_no, service_id, kind, model, monthly_fee)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(eq_id)
    .bind(c.no)
    .bind(eq_service)
    .bind(eq_kind)
    .bind(eq_model)
    .bind(rental)
    .execute(&mut *conn)
    .await?;

    let (kind, who, last4) = c.pays_by;
    let (bank, account_last4, brand, card_last4, exp_m, exp_y, token) = if kind == "bank" {
        (Some(who), Some(last4), None, None, None, None, None)
    } else {
        // A card valid three more years from the demo's today: the demo never ages into
        // an expired card.
        let exp_year = i64::from(jst_year_month(at).0) + 3;
        (None, None, Some(who), Some(last4), Some(12_i64), Some(exp_year), Some(format!("tok_demo_{}", c.no)))
    };
    sqlx::query(
        "INSERT INTO payment_methods (customer_no, kind, bank_name, account_last4, card_brand,
            card_last4, card_exp_month, card_exp_year, card_token, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(c.no)
    .bind(kind)
    .bind(bank)
    .bind(account_last4)
    .bind(brand)
    .bind(card_last4)
    .bind(exp_m)
    .bind(exp_y)
    .bind(token)
    .bind(ts)
    .execute(&mut *conn)
    .await?;

    if let Some((itscom_id, _, recovery)) = c.account {
        let hash = hashes.iter().find(|(no, _)| *no == c.no).map(|(_, h)| h.as_str()).expect("hashed above");
        sqlx::query(
            "INSERT INTO accounts (id, customer_no, itscom_id, itscom_id_key, password_hash,
                recovery_method, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING",
        )
        .bind(format!("acct-{}", c.no))
        .bind(c.no)
        .bind(itscom_id)
        .bind(crate::domain::ItscomId::key_of_raw(itscom_id))
        .bind(hash)
        .bind(recovery)
        .bind(ts)
        .execute(&mut *conn)
        .await?;
    }

    for (local, sub, virus) in c.mailboxes {
        // Demo mailboxes get an unusable password hash: no one knows their password.
        sqlx::query(
            "INSERT INTO mailboxes (id, customer_no, service_id, local_part, subdomain, address,
                password_hash, virus_check, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(format!("mbx-{local}-{sub}"))
        .bind(c.no)
        .bind(service_id(c.no, "internet"))
        .bind(*local)
        .bind(*sub)
        .bind(format!("{local}@{sub}.{mail_domain}"))
        .bind("!")
        .bind(i64::from(*virus))
        .bind(ts)
        .execute(&mut *conn)
        .await?;
    }
    Ok(added)
}

#[allow(clippy::too_many_arguments)]
async fn insert_change(
    conn: &mut Conn,
    customer_no: &str,
    service_id: &str,
    kind: &str,
    on: &str,
    from: Option<&str>,
    to: Option<&str>,
    seq: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_changes (id, customer_no, service_id, changed_on, change_kind, from_plan, to_plan)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(format!("chg-{service_id}-{seq}"))
    .bind(customer_no)
    .bind(service_id)
    .bind(on)
    .bind(kind)
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(())
}

fn service_id(customer_no: &str, kind: &str) -> String {
    format!("svc-{customer_no}-{kind}")
}

/// (year, month) of `at` in Japan time.
fn jst_year_month(at: i64) -> (i32, u8) {
    let t = time::OffsetDateTime::from_unix_timestamp(at)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(time::macros::offset!(+9));
    (t.year(), u8::from(t.month()))
}

/// The 12 months ending with the month of `at`, oldest first, as (year, month).
pub fn last_twelve_months(at: i64) -> Vec<(i32, u8)> {
    let (y, m) = jst_year_month(at);
    let index = y * 12 + i32::from(m) - 1;
    (index - 11..=index).map(|i| (i.div_euclid(12), (i.rem_euclid(12) + 1) as u8)).collect()
}

/// The 16th of the month four months before the month of `at`: 佐藤 花子's plan change.
fn plan_change_day(at: i64) -> String {
    let (year, month) = last_twelve_months(at)[7];
    format!("{year:04}-{month:02}-16")
}

/// 佐藤 花子's referral code and two referrals: one rewarded (a friend's internet,
/// connected and rewarded in the months after), one just applied (a friend's TV).
async fn insert_referrals(conn: &mut Conn, at: i64, ts: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO referral_codes (customer_no, code, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind("100000002")
        .bind("HANAK7Q4")
        .bind(ts)
        .execute(&mut *conn)
        .await?;
    let months = last_twelve_months(at);
    let day = |i: usize, d: u8| format!("{:04}-{:02}-{d:02}", months[i].0, months[i].1);
    let reward = crate::features::referral::REWARD.0;
    let rows = [
        (
            "ref-100000002-1",
            "ス**** 様",
            "internet",
            day(6, 12),
            Some(day(7, 3)),
            Some(day(8, 10)),
            "rewarded",
        ),
        ("ref-100000002-2", "タ**** 様", "tv", day(11, 1), None, None, "applied"),
    ];
    // The reward given is a discount on the referrer's invoice of its month.
    sqlx::query(
        "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount)
         VALUES ($1, '100000002', $2, 'adjustment', 'お友だち紹介特典', $3) ON CONFLICT DO NOTHING",
    )
    .bind("reward-ref-100000002-1")
    .bind(format!("{:04}-{:02}", months[8].0, months[8].1))
    .bind(-reward)
    .execute(&mut *conn)
    .await?;
    for (id, mask, kind, applied, connected, rewarded, state) in rows {
        sqlx::query(
            "INSERT INTO referrals (id, referrer_no, friend_mask, service_kind, applied_on, connected_on, rewarded_on,
                reward, state) VALUES ($1, '100000002', $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(mask)
        .bind(kind)
        .bind(applied)
        .bind(connected)
        .bind(rewarded)
        .bind(reward)
        .bind(state)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The add-on catalogue: the security service (SPEC §4) and fictional option channels.
pub(crate) async fn insert_addons(conn: &mut Conn) -> Result<(), sqlx::Error> {
    /// (code, kind, name, genre, fee, minimum months, requires, devices)
    type DemoAddon = (&'static str, &'static str, &'static str, &'static str, i64, i64, &'static str, i64);
    let rows: [DemoAddon; 6] = [
        ("norton", "security", "マルチデバイスセキュリティ with Norton Security", "", 627, 0, "internet", 3),
        ("ch-cinema", "channel", "シネマプラス", "映画", 880, 0, "tv", 0),
        ("ch-sports", "channel", "スポーツワイド", "スポーツ", 1_320, 6, "tv", 0),
        ("ch-kids", "channel", "キッズアニメチャンネル", "アニメ・キッズ", 550, 0, "tv", 0),
        ("ch-jazz", "channel", "ジャズ＆クラシック", "音楽", 440, 0, "tv", 0),
        ("ch-docs", "channel", "ドキュメンタリーワールド", "ドキュメンタリー", 770, 3, "tv", 0),
    ];
    for (code, kind, name, genre, fee, min, requires, devices) in rows {
        sqlx::query(
            "INSERT INTO addons (code, kind, name, genre, monthly_fee, min_months, requires, devices)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        )
        .bind(code)
        .bind(kind)
        .bind(name)
        .bind(genre)
        .bind(fee)
        .bind(min)
        .bind(requires)
        .bind(devices)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// STBレンタル料 a month (tax included).
pub(crate) const STB_RENTAL: i64 = 550;

/// The plan catalogue (SPEC §7's plans and the 10G course).
pub(crate) async fn insert_plans(conn: &mut Conn) -> Result<(), sqlx::Error> {
    let ten_g = DemoService {
        plan_code: "net-10g",
        plan_name: "インターネット 10Gコース",
        fee: 7_480,
        ..INTERNET_1G
    };
    let tv_light =
        DemoService { plan_code: "tv-light", plan_name: "テレビ ライトプラン", fee: 3_278, ..TV };
    let tv_premium =
        DemoService {
            plan_code: "tv-premium", plan_name: "テレビ プレミアムプラン", fee: 7_678, ..TV
        };
    let phone_flat = DemoService {
        plan_code: "phone-flat",
        plan_name: "ケーブルプラス電話 かけ放題",
        fee: 2_948,
        ..PHONE
    };
    for p in [INTERNET_300M, INTERNET_1G, ten_g, tv_light, TV, tv_premium, PHONE, phone_flat] {
        // Internet and TV: 2-year contracts (更新月 every 24 months from the start).
        let (term, fee) = match p.kind {
            "internet" => (24_i64, 11_000_i64),
            "tv" => (24, 5_500),
            _ => (0, 0),
        };
        sqlx::query(
            "INSERT INTO plans (code, kind, name, monthly_fee, term_months, early_termination_fee)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(p.plan_code)
        .bind(p.kind)
        .bind(p.plan_name)
        .bind(p.fee)
        .bind(term)
        .bind(fee)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// 通話料 for phone subscribers, each of the 12 months (as the phone system would
/// report them; deterministic, so reseeding matches).
async fn insert_usage(conn: &mut Conn, c: &DemoCustomer, at: i64) -> Result<(), sqlx::Error> {
    if !c.services.iter().any(|s| s.kind == "phone") {
        return Ok(());
    }
    for (y, m) in last_twelve_months(at) {
        sqlx::query(
            "INSERT INTO billing_items (id, customer_no, billing_month, kind, description, amount)
             VALUES ($1, $2, $3, 'usage', '通話料', $4) ON CONFLICT DO NOTHING",
        )
        .bind(format!("use-{}-{y:04}-{m:02}", c.no))
        .bind(c.no)
        .bind(format!("{y:04}-{m:02}"))
        .bind(180 + (i64::from(m) * 137 + i64::from(y)) % 900)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The demo's payments: every month whose payment date (the 27th of the next month, or
/// the next day the banks open) has come is paid on it; the others are お支払い予定
/// (always the latest, and the one before until its payment date); 鈴木 一郎's bank
/// debit two months back failed (未払い).
async fn settle_demo_invoices(
    db: &Db,
    months: &[Month],
    today: crate::domain::billing::Date,
) -> Result<(), sqlx::Error> {
    let failed = months.len().checked_sub(3).map(|i| months[i].to_string()).unwrap_or_default();
    sqlx::query(
        "UPDATE invoices SET status = 'paid', paid_on = due_on
         WHERE customer_no LIKE '10000000_' AND due_on <= $1 AND status = 'unpaid'
           AND NOT (customer_no = '100000003' AND billing_month = $2)",
    )
    .bind(today.to_string())
    .bind(&failed)
    .execute(db.pool())
    .await?;
    // The bank reported it on its payment date.
    sqlx::query(
        "UPDATE invoices SET failed_on = due_on
         WHERE customer_no = '100000003' AND billing_month = $1 AND status = 'unpaid' AND due_on < $2",
    )
    .bind(&failed)
    .bind(today.to_string())
    .execute(db.pool())
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_end_with_the_current_japan_month_and_cross_years() {
        // 2026-01-15 00:00 UTC is January in Japan.
        let months = last_twelve_months(1_768_435_200);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], (2025, 2));
        assert_eq!(months[11], (2026, 1));
        // 2025-12-31 20:00 UTC is already 2026-01-01 in Japan.
        assert_eq!(*last_twelve_months(1_767_211_200).last().unwrap(), (2026, 1));
    }

    #[test]
    fn the_demo_data_matches_spec_section_7() {
        assert_eq!(CUSTOMERS.len(), 5);
        let dup: Vec<_> = CUSTOMERS.iter().filter(|c| c.kana == "タナカ ミサキ").collect();
        assert_eq!(dup.len(), 2);
        assert_eq!(dup[0].phones, dup[1].phones);
        assert_eq!(dup[0].pays_by, dup[1].pays_by);
        for c in CUSTOMERS {
            assert!(KatakanaName::parse(c.kana).is_ok());
            assert!(c.phones.iter().all(|p| PhoneNumber::parse(p).is_ok()));
        }
    }
}

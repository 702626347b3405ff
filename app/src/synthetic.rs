//! Synthetic customers for load tests and the billing benchmark (`server seed-load
//! --customers N [--seed S]`, issue 26). Customer `n` (1, 2, …) is number
//! `800000000 + n`, marked `customers.synthetic = 1`, with a kana name, phones and an
//! address drawn from `--seed` and `n` alone (the same customer on every run), one to
//! three services from the demo's plan catalogue (some started within the year, some
//! with a plan change, a few ended), equipment, a payment method, 通話料 for phone
//! subscribers, an account `load{n:06}@example.com` with the one password
//! [`PASSWORD`] (hashed once: every account shares the hash), a mailbox
//! `load{n:06}@l01.<mail domain>` on each internet service (virus check on; the load
//! test switches it), and the 12 months of
//! invoices ending with this month, computed by the billing engine
//! (`features::billing::engine`) from that contract.
//!
//! Written a batch of customers at a time, each batch in one transaction with
//! multi-row statements. Refused on a database holding any customer that is not
//! synthetic (the demo data, real customers). A second run over the same numbers adds
//! nothing: customers already there are skipped (a batch is written whole or not at
//! all, so a killed run is finished by running it again).

use crate::domain::billing::{days_in_force, Date, Month};
use crate::domain::{ItscomId, KatakanaName};
use crate::features::billing::engine::{self, Contract, Item, Plans};
use crate::features::billing::store::{write_invoices, NewInvoice};
use crate::features::billing::PaymentMethod;
use crate::ssr::auth::password;
use crate::ssr::db::bulk::{Insert, Value};
use crate::ssr::db::{Conn, Db};

/// Synthetic customer `n` has number `NUMBER_BASE + n`.
pub const NUMBER_BASE: u64 = 800_000_000;
/// The most synthetic customers there can be (numbers 800000001–899999999).
pub const MAX_CUSTOMERS: u64 = 99_999_999;
/// Every synthetic account's password.
pub const PASSWORD: &str = "Load-Test-2026";

/// The customer number of synthetic customer `n`.
pub fn customer_no(n: u64) -> String {
    (NUMBER_BASE + n).to_string()
}

/// The iTSCOM ID of synthetic customer `n`: `load000001@example.com`, ….
pub fn login_id(n: u64) -> String {
    format!("load{n:06}@example.com")
}

#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Customers 1 to this.
    pub customers: u64,
    pub seed: u64,
    /// Customers a transaction.
    pub batch_size: u64,
    /// The provider's mail domain (`MYPAGE_MAIL_DOMAIN`): the mailboxes' addresses.
    pub mail_domain: String,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub written: u64,
    /// Customers of the range that were there already (left as they are).
    pub already_there: u64,
    pub invoices: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(
        "the database holds customers that are not synthetic (the demo data or real ones): seed-load writes \
         only into an empty database or one of synthetic customers"
    )]
    NotSynthetic,
    #[error("at most {MAX_CUSTOMERS} synthetic customers")]
    TooMany,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Writes synthetic customers 1 to `options.customers`, with invoices for the 12 months
/// ending with this month (Japan time); `progress` hears (customers done, of) after each
/// batch.
pub async fn seed_load(
    db: &Db,
    options: &LoadOptions,
    progress: impl FnMut(u64, u64),
) -> Result<LoadReport, LoadError> {
    seed_load_at(db, options, crate::ssr::now(), progress).await
}

/// [`seed_load`] as if it were `at` (unix seconds).
pub async fn seed_load_at(
    db: &Db,
    options: &LoadOptions,
    at: i64,
    mut progress: impl FnMut(u64, u64),
) -> Result<LoadReport, LoadError> {
    if options.customers > MAX_CUSTOMERS {
        return Err(LoadError::TooMany);
    }
    let real: Option<String> =
        sqlx::query_scalar("SELECT customer_no FROM customers WHERE synthetic = 0 LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
    if real.is_some() {
        return Err(LoadError::NotSynthetic);
    }
    // argon2 once, off the async threads: every account shares the hash.
    let hash = tokio::task::spawn_blocking(|| password::hash(PASSWORD))
        .await
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let mut tx = db.begin().await?;
    crate::seed::insert_plans(&mut tx).await?;
    crate::seed::insert_addons(&mut tx).await?;
    let catalogue: Vec<CataloguePlan> =
        sqlx::query_as("SELECT code, kind, name, monthly_fee FROM plans ORDER BY code")
            .fetch_all(&mut *tx)
            .await?;
    tx.commit().await?;
    let plans: Plans = catalogue.iter().map(|p| (p.code.clone(), (p.name.clone(), p.monthly_fee))).collect();
    let calendar = Calendar::at(at);
    let mut report = LoadReport::default();
    let batch = options.batch_size.max(1);
    let mut from = 1;
    while from <= options.customers {
        let to = (from + batch - 1).min(options.customers);
        let mut tx = db.begin().await?;
        let there: Vec<String> = sqlx::query_scalar(
            "SELECT customer_no FROM customers WHERE customer_no >= $1 AND customer_no <= $2",
        )
        .bind(customer_no(from))
        .bind(customer_no(to))
        .fetch_all(&mut *tx)
        .await?;
        let there: std::collections::HashSet<String> = there.into_iter().collect();
        let customers: Vec<Synthetic> = (from..=to)
            .filter(|n| !there.contains(&customer_no(*n)))
            .map(|n| Synthetic::generate(options.seed, n, &catalogue, &calendar))
            .collect();
        report.invoices +=
            write(&mut tx, &customers, &plans, &calendar, &hash, &options.mail_domain, at).await?;
        tx.commit().await?;
        report.written += customers.len() as u64;
        report.already_there += there.len() as u64;
        progress(to, options.customers);
        from = to + 1;
    }
    Ok(report)
}

/// A plan of the catalogue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CataloguePlan {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub monthly_fee: i64,
}

/// The dates the data is drawn around: today, and the 12 months ending with its month.
#[derive(Debug, Clone)]
pub struct Calendar {
    at: i64,
    pub today: Date,
    pub months: Vec<Month>,
}

impl Calendar {
    pub fn at(at: i64) -> Calendar {
        let months = crate::seed::last_twelve_months(at)
            .into_iter()
            .map(|(year, month)| Month { year, month })
            .collect();
        Calendar { at, today: Date::of_unix_jst(at), months }
    }
}

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64: a small deterministic generator (the same numbers for a seed on every
/// platform and version, unlike `rand`'s StdRng).
struct Rng(u64);

impl Rng {
    /// Customer `n`'s own stream: the seed and the number each scrambled, so two
    /// customers' streams are unrelated (not one the other shifted by a step).
    fn for_customer(seed: u64, n: u64) -> Rng {
        Rng(mix(seed ^ 0x6C6F_6164_2D74_6573).wrapping_add(mix(n ^ 0x7379_6E74_6865_7469)))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// 0 to `n - 1`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// `lo` to `hi` inclusive.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
}

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("小川", "オガワ"),
    ("岡田", "オカダ"),
];

const GIVEN: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("美咲", "ミサキ"),
    ("健太", "ケンタ"),
    ("陽菜", "ヒナ"),
    ("翔太", "ショウタ"),
    ("結衣", "ユイ"),
    ("大輔", "ダイスケ"),
    ("さくら", "サクラ"),
    ("拓也", "タクヤ"),
    ("葵", "アオイ"),
    ("直樹", "ナオキ"),
    ("美穂", "ミホ"),
    ("誠", "マコト"),
    ("恵子", "ケイコ"),
    ("浩二", "コウジ"),
    ("裕子", "ユウコ"),
    ("蓮", "レン"),
    ("陽子", "ヨウコ"),
    ("悠斗", "ユウト"),
    ("彩", "アヤ"),
    ("修", "オサム"),
    ("真由美", "マユミ"),
];

/// (postal code, the address up to the 丁目, the area code of its fixed lines): the
/// provider's service area.
const AREAS: &[(&str, &str, &str)] = &[
    ("158-0097", "東京都世田谷区用賀", "03"),
    ("158-0094", "東京都世田谷区玉川", "03"),
    ("157-0066", "東京都世田谷区成城", "03"),
    ("152-0031", "東京都目黒区中根", "03"),
    ("145-0071", "東京都大田区田園調布", "03"),
    ("225-0002", "神奈川県横浜市青葉区美しが丘", "045"),
    ("224-0001", "神奈川県横浜市都筑区中川", "045"),
    ("226-0025", "神奈川県横浜市緑区十日市場町", "045"),
    ("213-0001", "神奈川県川崎市高津区溝口", "044"),
    ("216-0004", "神奈川県川崎市宮前区鷺沼", "044"),
];

const CHOME: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九"];
const BANKS: &[&str] = &["デモ銀行", "みらい銀行", "たまがわ信用金庫"];
const BRANDS: &[&str] = &["Visa", "Mastercard", "JCB"];

/// STBレンタル料 a month, as the demo's.
const STB_RENTAL: i64 = crate::seed::STB_RENTAL;

/// 2015-01-01 00:00 in Japan: the earliest start of a synthetic service.
const EARLIEST: i64 = 1_420_038_000;
const DAY: i64 = 86_400;

/// One synthetic service.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticService {
    pub id: String,
    pub kind: String,
    /// The plan now: code, name, fee.
    pub plan: (String, String, i64),
    pub started_on: Date,
    pub ended_on: Option<Date>,
    /// A plan change: the day the current plan applies from, and the plan code before.
    pub changed: Option<(Date, String)>,
}

/// One synthetic customer, everything drawn from the seed and its number.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    pub n: u64,
    pub customer_no: String,
    pub name: String,
    pub kana: String,
    /// Digits only.
    pub phones: Vec<String>,
    pub postal_code: String,
    pub address: String,
    pub services: Vec<SyntheticService>,
    /// (equipment ID, kind, model, service, monthly fee)
    pub equipment: (String, &'static str, &'static str, String, i64),
    pub payment: PaymentMethod,
    /// 通話料 of each month the phone was in force.
    pub usage: Vec<(Month, i64)>,
}

impl Synthetic {
    pub fn generate(seed: u64, n: u64, catalogue: &[CataloguePlan], calendar: &Calendar) -> Synthetic {
        let mut rng = Rng::for_customer(seed, n);
        let no = customer_no(n);
        let (family, family_kana) = *rng.pick(FAMILY);
        let (given, given_kana) = *rng.pick(GIVEN);
        let (postal_code, town, area_code) = *rng.pick(AREAS);
        let address =
            format!("{town}{}丁目{}番{}号", rng.pick(CHOME), rng.between(1, 30), rng.between(1, 20));
        let fixed = format!("{area_code}{}", rng.digits(10 - area_code.len()));
        let mut phones = vec![fixed];
        if rng.percent(30) {
            phones.push(format!("{}{}", rng.pick(&["090", "080", "070"]), rng.digits(8)));
        }
        // 1–3 services: internet most often, TV, phone.
        let mut kinds: Vec<&str> = Vec::new();
        if rng.percent(85) {
            kinds.push("internet");
        }
        if rng.percent(50) {
            kinds.push("tv");
        }
        if rng.percent(35) || kinds.is_empty() {
            kinds.push("phone");
        }
        let at = calendar.at;
        let mut services = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            let of_kind: Vec<&CataloguePlan> = catalogue.iter().filter(|p| p.kind == *kind).collect();
            let plan = *rng.pick(&of_kind);
            // Most started years ago; one in seven within the last eleven months (its
            // first month prorated).
            let start = if rng.percent(15) {
                rng.between(at - 330 * DAY, at - DAY)
            } else {
                rng.between(EARLIEST, at - 400 * DAY)
            };
            // A plan change within the year for one internet service in ten.
            let changed =
                (*kind == "internet" && start < at - 400 * DAY && of_kind.len() > 1 && rng.percent(10)).then(
                    || {
                        let before = of_kind.iter().filter(|p| p.code != plan.code).collect::<Vec<_>>();
                        let before = rng.pick(&before);
                        (Date::of_unix_jst(rng.between(at - 330 * DAY, at - DAY)), before.code.clone())
                    },
                );
            // A second or third service ended within the year for one customer in
            // twenty (the first runs on: every synthetic customer is billed next month).
            let ended = (i > 0 && rng.percent(5))
                .then(|| (start + 30 * DAY).max(at - 330 * DAY))
                .and_then(|from| (from < at - DAY).then(|| Date::of_unix_jst(rng.between(from, at - DAY))));
            services.push(SyntheticService {
                id: format!("svc-{no}-{kind}"),
                kind: kind.to_string(),
                plan: (plan.code.clone(), plan.name.clone(), plan.monthly_fee),
                started_on: Date::of_unix_jst(start),
                ended_on: ended,
                changed,
            });
        }
        let tv = services.iter().find(|s| s.kind == "tv");
        let equipment = match tv {
            Some(tv) => {
                (format!("STB{no}"), "stb", *rng.pick(&["STB-4K", "STB-HD"]), tv.id.clone(), STB_RENTAL)
            }
            None => (format!("HP{no}"), "hitpot", "Hit pot", services[0].id.clone(), 0),
        };
        let payment = if rng.percent(60) {
            PaymentMethod::Bank { bank: Some(rng.pick(BANKS).to_string()), last4: rng.digits(4) }
        } else {
            PaymentMethod::Card {
                brand: rng.pick(BRANDS).to_string(),
                last4: rng.digits(4),
                exp_month: rng.between(1, 12) as u8,
                exp_year: rng.between(2028, 2032) as u16,
            }
        };
        let mut usage = Vec::new();
        if let Some(phone) = services.iter().find(|s| s.kind == "phone") {
            for m in &calendar.months {
                if days_in_force(*m, phone.started_on, phone.ended_on) > 0 {
                    usage.push((*m, rng.between(100, 3_000)));
                }
            }
        }
        Synthetic {
            n,
            customer_no: no,
            name: format!("{family} {given}"),
            kana: format!("{family_kana} {given_kana}"),
            phones,
            postal_code: postal_code.into(),
            address,
            services,
            equipment,
            payment,
            usage,
        }
    }

    /// The contract the billing engine reads, as the run would load it.
    pub fn contract(&self) -> Contract {
        let mut services: Vec<engine::Service> = self
            .services
            .iter()
            .map(|s| engine::Service {
                id: s.id.clone(),
                kind: s.kind.clone(),
                plan_name: s.plan.1.clone(),
                monthly_fee: s.plan.2,
                started_on: s.started_on,
                ended_on: s.ended_on,
                plan_changes: s
                    .changed
                    .iter()
                    .map(|(on, from)| engine::PlanChange {
                        on: *on,
                        from_plan: Some(from.clone()),
                        from_fee: None,
                    })
                    .collect(),
            })
            .collect();
        // The run's order: internet, TV, phone, then by start.
        let rank = |k: &str| match k {
            "internet" => 0,
            "tv" => 1,
            _ => 2,
        };
        services
            .sort_by(|a, b| (rank(&a.kind), a.started_on, &a.id).cmp(&(rank(&b.kind), b.started_on, &b.id)));
        let (_, kind, _, service, fee) = &self.equipment;
        Contract {
            services,
            equipment: if *fee > 0 {
                vec![engine::Equipment {
                    kind: kind.to_string(),
                    service_id: Some(service.clone()),
                    monthly_fee: *fee,
                }]
            } else {
                Vec::new()
            },
            addons: Vec::new(),
        }
    }

    /// The 12 months' invoices, by the billing engine: each month the customer had a
    /// service in force, paid when its payment date has come.
    pub fn invoices(
        &self,
        plans: &Plans,
        calendar: &Calendar,
    ) -> Result<Vec<NewInvoice>, engine::UnknownPlan> {
        let contract = self.contract();
        let mut out = Vec::new();
        for month in &calendar.months {
            if !engine::billed_in(&contract, *month) {
                continue;
            }
            let items: Vec<Item> = self
                .usage
                .iter()
                .filter(|(m, _)| m == month)
                .map(|(_, amount)| Item { description: "通話料".into(), amount: *amount, rate: 10 })
                .collect();
            out.push(NewInvoice {
                customer_no: self.customer_no.clone(),
                month: *month,
                lines: engine::lines(&contract, &items, *month, plans)?,
                payment: Some(self.payment.clone()),
                paid: NewInvoice::due_on(*month) <= calendar.today,
            });
        }
        Ok(out)
    }
}

/// Writes `customers` (a batch) with everything they have; returns the invoices written.
async fn write(
    tx: &mut Conn,
    customers: &[Synthetic],
    plans: &Plans,
    calendar: &Calendar,
    hash: &str,
    mail_domain: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    if customers.is_empty() {
        return Ok(0);
    }
    let mut rows = Insert::new(
        "customers (customer_no, name, name_kana, kana_key, postal_code, address, contact_email, \
         requires_additional_verification, created_at, synthetic)",
        "ON CONFLICT DO NOTHING",
    );
    let mut phones = Insert::new("customer_phones (customer_no, phone)", "ON CONFLICT DO NOTHING");
    let mut services = Insert::new(
        "services (id, customer_no, kind, plan_code, plan_name, monthly_fee, installation_address, started_on, ended_on)",
        "ON CONFLICT DO NOTHING",
    );
    let mut changes = Insert::new(
        "service_changes (id, customer_no, service_id, changed_on, change_kind, from_plan, to_plan)",
        "ON CONFLICT DO NOTHING",
    );
    let mut equipment = Insert::new(
        "equipment (equipment_id, customer_no, service_id, kind, model, monthly_fee)",
        "ON CONFLICT DO NOTHING",
    );
    let mut payments = Insert::new(
        "payment_methods (customer_no, kind, bank_name, account_last4, card_brand, card_last4, card_exp_month, \
         card_exp_year, card_token, updated_at)",
        "ON CONFLICT DO NOTHING",
    );
    let mut accounts = Insert::new(
        "accounts (id, customer_no, itscom_id, itscom_id_key, password_hash, recovery_method, created_at, updated_at)",
        "ON CONFLICT DO NOTHING",
    );
    let mut mailboxes = Insert::new(
        "mailboxes (id, customer_no, service_id, local_part, subdomain, address, password_hash, virus_check, \
         created_at)",
        "ON CONFLICT DO NOTHING",
    );
    let mut usage = Insert::new(
        "billing_items (id, customer_no, billing_month, kind, description, amount)",
        "ON CONFLICT DO NOTHING",
    );
    let mut invoices = Vec::new();
    for c in customers {
        let no = c.customer_no.as_str();
        let id = login_id(c.n);
        let kana =
            KatakanaName::parse(&c.kana).map_err(|_| sqlx::Error::Protocol(format!("kana {:?}", c.kana)))?;
        rows.row([
            no.into(),
            c.name.as_str().into(),
            kana.as_str().into(),
            kana.match_key().into(),
            c.postal_code.as_str().into(),
            c.address.as_str().into(),
            id.as_str().into(),
            0_i64.into(),
            now.into(),
            1_i64.into(),
        ]);
        for p in &c.phones {
            phones.row([no.into(), p.as_str().into()]);
        }
        for s in &c.services {
            services.row([
                s.id.as_str().into(),
                no.into(),
                s.kind.as_str().into(),
                s.plan.0.as_str().into(),
                s.plan.1.as_str().into(),
                s.plan.2.into(),
                c.address.as_str().into(),
                s.started_on.to_string().into(),
                s.ended_on.map(|d| d.to_string()).into(),
            ]);
            let first_plan = s.changed.as_ref().map_or(&s.plan.0, |(_, from)| from);
            changes.row([
                format!("chg-{}-0", s.id).into(),
                no.into(),
                s.id.as_str().into(),
                s.started_on.to_string().into(),
                "start".into(),
                Value::Text(None),
                first_plan.as_str().into(),
            ]);
            if let Some((on, from)) = &s.changed {
                changes.row([
                    format!("chg-{}-1", s.id).into(),
                    no.into(),
                    s.id.as_str().into(),
                    on.to_string().into(),
                    "plan_change".into(),
                    from.as_str().into(),
                    s.plan.0.as_str().into(),
                ]);
            }
            if let Some(on) = s.ended_on {
                changes.row([
                    format!("chg-{}-2", s.id).into(),
                    no.into(),
                    s.id.as_str().into(),
                    on.to_string().into(),
                    "end".into(),
                    s.plan.0.as_str().into(),
                    Value::Text(None),
                ]);
            }
        }
        let (eq_id, kind, model, service, fee) = &c.equipment;
        equipment.row([
            eq_id.as_str().into(),
            no.into(),
            service.as_str().into(),
            (*kind).into(),
            (*model).into(),
            (*fee).into(),
        ]);
        let payment: [Value; 10] = match &c.payment {
            PaymentMethod::Bank { bank, last4 } => [
                no.into(),
                "bank".into(),
                bank.clone().into(),
                last4.as_str().into(),
                Value::Text(None),
                Value::Text(None),
                Value::Int(None),
                Value::Int(None),
                Value::Text(None),
                now.into(),
            ],
            PaymentMethod::Card { brand, last4, exp_month, exp_year } => [
                no.into(),
                "card".into(),
                Value::Text(None),
                Value::Text(None),
                brand.as_str().into(),
                last4.as_str().into(),
                i64::from(*exp_month).into(),
                i64::from(*exp_year).into(),
                format!("tok_load_{no}").into(),
                now.into(),
            ],
        };
        payments.row(payment);
        accounts.row([
            format!("acct-{no}").into(),
            no.into(),
            id.as_str().into(),
            ItscomId::key_of_raw(&id).into(),
            hash.into(),
            "code".into(),
            now.into(),
            now.into(),
        ]);
        // A mailbox on the internet service (an unusable password hash, as the demo's).
        if let Some(internet) = c.services.iter().find(|s| s.kind == "internet") {
            let local = format!("load{:06}", c.n);
            mailboxes.row([
                format!("mbx-{no}").into(),
                no.into(),
                internet.id.as_str().into(),
                local.as_str().into(),
                "l01".into(),
                format!("{local}@l01.{mail_domain}").into(),
                "!".into(),
                1_i64.into(),
                now.into(),
            ]);
        }
        for (month, amount) in &c.usage {
            usage.row([
                format!("use-{no}-{month}").into(),
                no.into(),
                month.to_string().into(),
                "usage".into(),
                "通話料".into(),
                (*amount).into(),
            ]);
        }
        invoices.extend(
            c.invoices(plans, calendar)
                .map_err(|e| sqlx::Error::Protocol(format!("plan {:?} is not in the catalogue", e.0)))?,
        );
    }
    for insert in [rows, phones, services, changes, equipment, payments, accounts, mailboxes, usage] {
        insert.execute(&mut *tx).await?;
    }
    Ok(write_invoices(tx, &invoices).await?.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::verification::EquipmentId;
    use crate::domain::PhoneNumber;

    fn catalogue() -> Vec<CataloguePlan> {
        let p = |code: &str, kind: &str, fee| CataloguePlan {
            code: code.into(),
            kind: kind.into(),
            name: format!("{code} plan"),
            monthly_fee: fee,
        };
        vec![
            p("net-1g", "internet", 6_380),
            p("net-300m", "internet", 5_280),
            p("phone-basic", "phone", 1_463),
            p("tv-standard", "tv", 5_478),
        ]
    }

    #[test]
    fn a_seed_draws_the_same_valid_customers_and_another_seed_others() {
        // 2026-11-25 in Japan.
        let calendar = Calendar::at(1_795_618_799);
        let plans: Plans =
            catalogue().iter().map(|p| (p.code.clone(), (p.name.clone(), p.monthly_fee))).collect();
        let mut changed = 0;
        for n in 1..=500 {
            let c = Synthetic::generate(7, n, &catalogue(), &calendar);
            assert_eq!(c, Synthetic::generate(7, n, &catalogue(), &calendar), "deterministic");
            assert_eq!(c.customer_no.len(), 9);
            assert!(KatakanaName::parse(&c.kana).is_ok(), "{}", c.kana);
            assert!(c.phones.iter().all(|p| PhoneNumber::parse(p).map(|x| x.digits() == p).unwrap_or(false)));
            assert!(EquipmentId::parse(&c.equipment.0).is_ok());
            assert!((1..=3).contains(&c.services.len()));
            assert!(c.services[0].ended_on.is_none(), "the first service runs on");
            assert!(c.services.iter().all(|s| s.started_on < calendar.today));
            let invoices = c.invoices(&plans, &calendar).unwrap();
            assert!(!invoices.is_empty() && invoices.len() <= 12);
            assert!(invoices.iter().all(|i| !i.lines.is_empty()));
            if c.services.iter().any(|s| s.changed.is_some()) {
                changed += 1;
            }
            if c.services.iter().any(|s| s.kind == "phone") {
                assert!(!c.usage.is_empty());
            }
        }
        assert!(changed > 0, "some plan changes");
        let others = (1..=20).filter(|n| {
            Synthetic::generate(7, *n, &catalogue(), &calendar)
                != Synthetic::generate(8, *n, &catalogue(), &calendar)
        });
        assert_eq!(others.count(), 20);
        assert_eq!(login_id(1), "load000001@example.com");
        assert_eq!(customer_no(1), "800000001");
    }
}

//! Contract holder verification look-up (SPEC §1.3 STEP 2) on 1,000,000 generated
//! customers in SQLite: prints p50/p95/p99 of the query the registration flow runs.
//! Target: p99 under 2 ms. Run: `cargo bench -p server --bench verification_lookup`.

use app::domain::verification::{EquipmentId, Factor, Last4};
use app::domain::CustomerNumber;
use app::features::registration::matching_customers;
use app::ssr::db::Db;
use std::time::Instant;

const CUSTOMERS: i64 = 1_000_000;
const LOOKUPS: usize = 5_000;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("mypage-bench-{}", app::ssr::db::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}/lookup.db", dir.display())).await.unwrap();
    db.migrate().await.unwrap();

    // Generated in SQL (SQLite's recursive CTE): 20,000 distinct names shared by 50
    // customers each, a unique phone each, half paying by bank and half by card, one
    // set-top box each.
    let t = Instant::now();
    let mut tx = db.pool().begin().await.unwrap();
    for sql in [
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO customers (customer_no, name, name_kana, kana_key, postal_code, address, created_at)
         SELECT printf('2%08d', i), '試験 太郎', 'テスト', 'テスト' || (i % 20000), '100-0000', '東京都', 0 FROM n",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO customer_phones (customer_no, phone) SELECT printf('2%08d', i), printf('05%08d', i) FROM n",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO payment_methods (customer_no, kind, account_last4, card_brand, card_last4, card_token, updated_at)
         SELECT printf('2%08d', i), CASE WHEN i % 2 = 0 THEN 'bank' ELSE 'card' END,
                CASE WHEN i % 2 = 0 THEN printf('%04d', i % 10000) END,
                CASE WHEN i % 2 = 1 THEN 'VISA' END,
                CASE WHEN i % 2 = 1 THEN printf('%04d', i % 10000) END,
                CASE WHEN i % 2 = 1 THEN 'tok' END, 0 FROM n",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
         INSERT INTO equipment (equipment_id, customer_no, kind, model)
         SELECT printf('STB%08d', i), printf('2%08d', i), 'stb', 'STB' FROM n",
    ] {
        sqlx::query(sql).bind(CUSTOMERS).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();
    println!("verification_lookup: generated {CUSTOMERS} customers in {:.1} s", t.elapsed().as_secs_f64());

    let mut conn = db.pool().acquire().await.unwrap();
    let mut rng = 0x2545F4914F6CDD1Du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut times = Vec::with_capacity(LOOKUPS);
    let mut hits = 0;
    for k in 0..LOOKUPS {
        let i = (next() % CUSTOMERS as u64) as i64 + 1;
        let kana = format!("テスト{}", i % 20000);
        let phone = format!("05{i:08}");
        let last4 = format!("{:04}", i % 10000);
        // A mix of the four factors; every 10th look-up is wrong on purpose.
        let factor = match k % 4 {
            0 => Factor::CustomerNumber(CustomerNumber::parse(&format!("2{i:08}")).unwrap()),
            1 | 2 if i % 2 == 0 => Factor::BankLast4(Last4::parse(&last4).unwrap()),
            1 | 2 => Factor::CardLast4(Last4::parse(&last4).unwrap()),
            _ => Factor::Equipment(EquipmentId::parse(&format!("STB{i:08}")).unwrap()),
        };
        let phone = if k % 10 == 9 { "0599999999".to_string() } else { phone };
        let expected = usize::from(k % 10 != 9);
        let t = Instant::now();
        let found = matching_customers(&mut conn, &kana, &phone, &factor).await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(found.len(), expected, "look-up {k} for customer {i}");
        hits += found.len();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "verification_lookup: {LOOKUPS} look-ups ({hits} matched): p50 {:.3} ms  p95 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        pct(0.5),
        pct(0.95),
        pct(0.99),
        times[times.len() - 1]
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

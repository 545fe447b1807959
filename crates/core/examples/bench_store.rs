//! Measures the session store at scale: 10,000 sessions and 1,000,000
//! messages (generated once, cached beside the build), then p50/p95 of the
//! three things the window does most: open the session list, load a
//! 500-message session, run a full-text search. Target: p95 under 50 ms
//! each; the figures are printed as ratios against that target.
//!
//! Usage: bench_store [--db PATH] [--sessions N] [--messages N] [--runs N]

use std::path::PathBuf;
use std::time::Instant;

use deskpilot_core::store::{cjk_spaced, Store};

const WORDS: &[&str] = &[
    "the",
    "report",
    "budget",
    "quarter",
    "revenue",
    "meeting",
    "customer",
    "invoice",
    "contract",
    "deadline",
    "team",
    "project",
    "draft",
    "summary",
    "sales",
    "growth",
    "cost",
    "risk",
    "plan",
    "review",
    "email",
    "product",
    "launch",
    "market",
    "price",
    "order",
    "delivery",
    "supplier",
    "payment",
    "schedule",
    "policy",
    "lesson",
    "student",
    "course",
    "chapter",
    "analysis",
    "chart",
    "table",
    "forecast",
    "target",
    "approved",
    "pending",
    "urgent",
    "thanks",
    "please",
    "update",
    "version",
    "question",
    "answer",
    "and",
    "of",
    "to",
    "in",
    "for",
    "with",
    "on",
    "is",
    "was",
    "合同",
    "销售额",
    "会议",
    "报告",
    "预算",
    "客户",
    "发票",
    "季度",
    "项目",
    "风险",
];

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run builds the
/// same database.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Skewed towards the first words, as real text is.
    fn word(&mut self) -> &'static str {
        let a = (self.next() % WORDS.len() as u64) as usize;
        let b = (self.next() % WORDS.len() as u64) as usize;
        WORDS[a.min(b)]
    }
    fn sentence(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

async fn generate(store: &Store, sessions: usize, messages: usize) {
    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Every 20th session is a long one (500 messages); the rest share what
    // is left of the total.
    let long = sessions.div_ceil(20);
    let rest = messages.saturating_sub(long * 500);
    let (short, extra) = (
        rest / (sessions - long).max(1),
        rest % (sessions - long).max(1),
    );
    let mut shorts_done = 0;
    let pool = store.pool();
    let mut tx = pool.begin().await.unwrap();
    let mut id = 0i64;
    for s in 0..sessions {
        let now = 1_700_000_000_000i64 + s as i64 * 60_000;
        let (sid,): (i64,) = sqlx::query_as(
            "INSERT INTO sessions (title, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(rng.sentence(4))
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let count = if s % 20 == 0 {
            500
        } else {
            shorts_done += 1;
            short + usize::from(shorts_done <= extra)
        };
        for m in 0..count {
            id += 1;
            let words = 8 + (rng.next() % 40) as usize;
            let text = rng.sentence(words);
            sqlx::query(
                "INSERT INTO messages (id, session_id, role, text, status, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, 'complete', ?, ?)",
            )
            .bind(id)
            .bind(sid)
            .bind(if m % 2 == 0 { "user" } else { "assistant" })
            .bind(&text)
            .bind(now + m as i64)
            .bind(now + m as i64)
            .execute(&mut *tx)
            .await
            .unwrap();
            // As the store indexes (store/search.rs): a ref row, then the
            // index row under the same rowid.
            sqlx::query("INSERT INTO search_refs (rowid, kind, ref_id) VALUES (?, 0, ?)")
                .bind(id)
                .bind(id)
                .execute(&mut *tx)
                .await
                .unwrap();
            sqlx::query("INSERT INTO search_index (rowid, body) VALUES (?, ?)")
                .bind(id)
                .bind(cjk_spaced(&text))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        if s % 500 == 499 {
            tx.commit().await.unwrap();
            tx = pool.begin().await.unwrap();
            eprint!("\r  {} sessions, {id} messages", s + 1);
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("INSERT INTO search_index (search_index) VALUES ('optimize')")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("ANALYZE").execute(pool).await.unwrap();
    eprintln!(
        "\r  generated {sessions} sessions, {id} messages in {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.95))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sessions = arg("--sessions", 10_000);
    let messages = arg("--messages", 1_000_000);
    let runs = arg("--runs", 50);
    let db = std::env::args()
        .skip_while(|a| a != "--db")
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| "target".into());
            target.join(format!("bench-store-{sessions}-{messages}.sqlite3"))
        });
    let fresh = !db.exists();
    let store = Store::open(&db).await.expect("opening the bench database");
    if fresh {
        eprintln!("building {} (once; reused by later runs)", db.display());
        generate(&store, sessions, messages).await;
    }
    let (n_sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let (n_messages,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM messages")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let long: Vec<(i64,)> = sqlx::query_as(
        "SELECT session_id FROM messages GROUP BY session_id HAVING COUNT(*) >= 500 LIMIT 50",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert!(
        !long.is_empty(),
        "no 500-message session in {}",
        db.display()
    );

    let queries = [
        "invoice",
        "budget deadline",
        "合同",
        "supplier payment",
        "销售额 风险",
        "forec",
    ];
    let mut list_ms = Vec::new();
    let mut load_ms = Vec::new();
    let mut search_ms = Vec::new();
    let mut found = 0;
    for r in 0..runs {
        let t = Instant::now();
        let list = store.list_sessions(50, 0).await.unwrap();
        list_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(list.len(), 50);

        let t = Instant::now();
        let msgs = store.messages(long[r % long.len()].0).await.unwrap();
        load_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(msgs.len() >= 500);

        let t = Instant::now();
        let hits = store.search(queries[r % queries.len()], 20).await.unwrap();
        search_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        found += hits.len();
    }
    assert!(found > 0, "searches found nothing");
    const TARGET_MS: f64 = 50.0;
    for (name, ms) in [
        ("session list (50)", list_ms),
        ("load 500-message session", load_ms),
        ("full-text search (20 hits)", search_ms),
    ] {
        let (p50, p95) = percentiles(ms);
        println!(
            "{name:<28} p50 {p50:7.2} ms  p95 {p95:7.2} ms  p95/target {:.2} {}",
            p95 / TARGET_MS,
            if p95 < TARGET_MS { "ok" } else { "MISSED" }
        );
    }
    for q in queries {
        let mut ms = Vec::new();
        for _ in 0..10 {
            let t = Instant::now();
            store.search(q, 20).await.unwrap();
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let (p50, p95) = percentiles(ms);
        println!("  search {q:<20} p50 {p50:7.2} ms  p95 {p95:7.2} ms");
    }
    println!("database: {n_sessions} sessions, {n_messages} messages, {runs} runs each; target p95 < {TARGET_MS} ms");
}

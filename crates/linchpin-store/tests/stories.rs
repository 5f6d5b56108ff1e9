//! The store's stories, run against SQLite always and against PostgreSQL
//! when `LINCHPIN_TEST_POSTGRES` names a server (`postgres://…/test`); each
//! test gets a database of its own. With `LINCHPIN_REQUIRE_POSTGRES=1` (CI)
//! a PostgreSQL test that cannot run fails instead of passing silently.

use std::sync::Arc;

use linchpin_store::{EntityChange, History, NewEntity, PostgresStore, SqliteStore, Store, StoreError};
use serde_json::json;

struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("linchpin-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn sqlite(name: &str) -> (SqliteStore, Scratch) {
    let scratch = Scratch::new(name);
    let store = SqliteStore::open(&scratch.0.join("linchpin.db")).await.expect("opens");
    (store, scratch)
}

/// A fresh database on the test server, or `None` when there is none.
async fn postgres(name: &str) -> Option<PostgresStore> {
    let Ok(url) = std::env::var("LINCHPIN_TEST_POSTGRES") else {
        assert!(std::env::var("LINCHPIN_REQUIRE_POSTGRES").is_err(), "LINCHPIN_TEST_POSTGRES is not set");
        eprintln!("skipped: LINCHPIN_TEST_POSTGRES is not set");
        return None;
    };
    let database = format!("linchpin_{name}_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url).await.expect("the test server answers");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).execute(&admin).await.expect("drop");
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&admin).await.expect("create");
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    Some(PostgresStore::open(&format!("{base}/{database}")).await.expect("opens"))
}

macro_rules! on_both {
    ($story:ident) => {
        mod $story {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (store, _scratch) = super::sqlite(stringify!($story)).await;
                super::$story(std::sync::Arc::new(store)).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(store) = super::postgres(stringify!($story)).await {
                    super::$story(std::sync::Arc::new(store)).await;
                }
            }
        }
    };
}

fn item(key: &str, remaining: i64) -> NewEntity {
    NewEntity { kind: "item".into(), key: key.into(), body: json!({ "id": key, "title": key, "remaining": remaining }) }
}

on_both!(entities_keep_their_ids_and_order);
async fn entities_keep_their_ids_and_order<S: Store>(store: Arc<S>) {
    let program = store
        .create_program("tpm", "mig", "Migration", vec![item("A", 1), item("B", 2), item("C", 3)])
        .await
        .expect("created");
    assert_eq!(program.version, 1);
    let (_, entities) = store.program("mig").await.expect("read");
    let keys: Vec<&str> = entities.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["A", "B", "C"]);
    let (a, b, c) = (entities[0].clone(), entities[1].clone(), entities[2].clone());
    // B renamed and A deleted: C keeps its id, B its id and place.
    let after = store
        .apply(
            "tpm",
            "mig",
            Some(1),
            vec![
                EntityChange::Update { id: b.id.clone(), version: 1, key: "B2".into(), body: json!({ "id": "B2" }) },
                EntityChange::Delete { id: a.id.clone(), version: 1 },
                EntityChange::Create(item("D", 4)),
            ],
        )
        .await
        .expect("applied");
    assert_eq!(after.version, 2);
    let (program, entities) = store.program("mig").await.expect("read");
    assert_eq!(program.version, 2);
    let rows: Vec<(&str, &str, i64)> = entities.iter().map(|e| (e.key.as_str(), e.id.as_str(), e.version)).collect();
    assert_eq!(rows[0], ("B2", b.id.as_str(), 2));
    assert_eq!(rows[1], ("C", c.id.as_str(), 1));
    assert_eq!(rows[2].0, "D");
    assert!(matches!(store.program("nope").await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.create_program("tpm", "mig", "again", vec![]).await, Err(StoreError::Exists(_))));
    assert_eq!(store.programs().await.expect("list").len(), 1);
}

on_both!(a_stale_write_changes_nothing);
async fn a_stale_write_changes_nothing<S: Store>(store: Arc<S>) {
    store.create_program("tpm", "p", "P", vec![item("A", 1)]).await.expect("created");
    let (_, entities) = store.program("p").await.expect("read");
    let a = entities[0].clone();
    let update = |version: i64, remaining: i64| EntityChange::Update {
        id: a.id.clone(),
        version,
        key: "A".into(),
        body: json!({ "id": "A", "remaining": remaining }),
    };
    store.apply("lead", "p", Some(1), vec![update(1, 5)]).await.expect("first write wins");
    let audit_before = store.history(History::Program("p".into())).await.expect("history").len();
    // The same base again: the program moved on.
    let stale = store.apply("tpm", "p", Some(1), vec![update(1, 9)]).await;
    assert!(matches!(stale, Err(StoreError::Conflict { expected: 1, actual: 2, .. })), "{stale:?}");
    // No program base, but the entity's version is old.
    let stale = store.apply("tpm", "p", None, vec![update(1, 9)]).await;
    assert!(matches!(stale, Err(StoreError::Conflict { expected: 1, actual: 2, .. })), "{stale:?}");
    // Two keys alike within a kind are refused too.
    let twin = store.apply("tpm", "p", None, vec![EntityChange::Create(item("A", 0))]).await;
    assert!(matches!(twin, Err(StoreError::DuplicateKey { .. })), "{twin:?}");
    let (program, entities) = store.program("p").await.expect("read");
    assert_eq!(program.version, 2);
    assert_eq!(entities[0].body, json!({ "id": "A", "remaining": 5 }));
    assert_eq!(store.history(History::Program("p".into())).await.expect("history").len(), audit_before);
}

on_both!(every_change_is_audited_and_the_trail_cannot_be_rewritten);
async fn every_change_is_audited_and_the_trail_cannot_be_rewritten<S: Store + Rewrite>(store: Arc<S>) {
    store.create_program("tpm", "p", "P", vec![item("A", 1)]).await.expect("created");
    let (_, entities) = store.program("p").await.expect("read");
    let a = entities[0].clone();
    let change =
        EntityChange::Update { id: a.id.clone(), version: 1, key: "A".into(), body: json!({ "remaining": 0 }) };
    store.apply("lead", "p", Some(1), vec![change]).await.expect("applied");
    let trail = store.history(History::Entity(a.id.clone())).await.expect("history");
    let actions: Vec<(&str, &str, i64)> =
        trail.iter().map(|r| (r.action.as_str(), r.actor.as_str(), r.program_version)).collect();
    assert_eq!(actions, [("create", "tpm", 1), ("update", "lead", 2)]);
    assert_eq!(trail[1].before, Some(json!({ "id": "A", "title": "A", "remaining": 1 })));
    assert_eq!(trail[1].after, Some(json!({ "remaining": 0 })));
    assert_eq!(store.history(History::Actor("lead".into())).await.expect("by actor").len(), 1);
    assert_eq!(store.history(History::Program("p".into())).await.expect("by program").len(), 3);
    for statement in ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"] {
        let refused = store.rewrite(statement).await;
        assert!(refused.is_err_and(|e| e.contains("append-only")), "{statement} was allowed");
    }
    assert_eq!(store.history(History::Program("p".into())).await.expect("unchanged").len(), 3);
}

on_both!(concurrent_increments_are_neither_lost_nor_doubled);
async fn concurrent_increments_are_neither_lost_nor_doubled<S: Store + 'static>(store: Arc<S>) {
    store.create_program("tpm", "p", "P", vec![item("A", 0)]).await.expect("created");
    let (clients, each) = (20, 20);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut conflicts = 0;
            for _ in 0..each {
                loop {
                    let (_, entities) = store.program("p").await.expect("read");
                    let a = &entities[0];
                    let n = a.body["remaining"].as_i64().expect("a number");
                    let change = EntityChange::Update {
                        id: a.id.clone(),
                        version: a.version,
                        key: "A".into(),
                        body: json!({ "id": "A", "remaining": n + 1 }),
                    };
                    match store.apply("lead", "p", None, vec![change]).await {
                        Ok(_) => break,
                        Err(StoreError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += task.await.expect("a client");
    }
    let (program, entities) = store.program("p").await.expect("read");
    assert_eq!(entities[0].body["remaining"], json!(clients * each), "{conflicts} conflicts retried");
    assert_eq!(program.version, 1 + clients * each);
    assert_eq!(entities[0].version, 1 + clients * each);
}

/// Raw SQL against the store's database, for what it must refuse.
trait Rewrite {
    async fn rewrite(&self, sql: &'static str) -> Result<(), String>;
}

impl Rewrite for SqliteStore {
    async fn rewrite(&self, sql: &'static str) -> Result<(), String> {
        sqlx::query(sql).execute(self.pool()).await.map(drop).map_err(|e| e.to_string())
    }
}

impl Rewrite for PostgresStore {
    async fn rewrite(&self, sql: &'static str) -> Result<(), String> {
        sqlx::query(sql).execute(self.pool()).await.map(drop).map_err(|e| e.to_string())
    }
}

#[tokio::test]
async fn a_database_from_a_newer_linchpin_or_with_an_edited_migration_is_refused() {
    let scratch = Scratch::new("migrations");
    let path = scratch.0.join("linchpin.db");
    let store = SqliteStore::open(&path).await.expect("opens");
    store.ready().await.expect("ready");
    drop(store);
    // Opening again applies nothing and is ready.
    let store = SqliteStore::open(&path).await.expect("opens again");
    sqlx::query("INSERT INTO linchpin_migrations VALUES (99, 'from the future', 'x', '2030-01-01')")
        .execute(store.pool())
        .await
        .expect("insert");
    drop(store);
    let newer = SqliteStore::open(&path).await.err().expect("refused");
    assert!(newer.to_string().contains("written by a newer Linchpin"), "{newer}");
    let store = {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.expect("raw");
        sqlx::query("DELETE FROM linchpin_migrations WHERE version = 99").execute(&pool).await.expect("delete");
        sqlx::query("UPDATE linchpin_migrations SET checksum = 'edited' WHERE version = 1")
            .execute(&pool)
            .await
            .expect("edit");
        pool
    };
    store.close().await;
    let edited = SqliteStore::open(&path).await.err().expect("refused");
    assert!(edited.to_string().contains("was changed after it was applied"), "{edited}");
}

#[tokio::test]
async fn a_backup_taken_while_writing_restores_every_acknowledged_write() {
    let scratch = Scratch::new("backup");
    let store = Arc::new(SqliteStore::open(&scratch.0.join("linchpin.db")).await.expect("opens"));
    store.create_program("tpm", "p", "P", vec![item("A", 0)]).await.expect("created");
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for n in 1..=200 {
                let (_, entities) = store.program("p").await.expect("read");
                let a = &entities[0];
                let change = EntityChange::Update {
                    id: a.id.clone(),
                    version: a.version,
                    key: "A".into(),
                    body: json!({ "remaining": n }),
                };
                store.apply("lead", "p", None, vec![change]).await.expect("one writer, no conflict");
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let copy = scratch.0.join("backup.db");
    store.backup(&copy).await.expect("backup");
    writer.await.expect("writer");
    let restored = SqliteStore::open(&copy).await.expect("the backup opens");
    assert_eq!(restored.integrity().await.expect("check"), "ok");
    let (program, entities) = restored.program("p").await.expect("read");
    // A consistent copy: the program's version, the item's and the audit
    // trail all agree on how many writes it holds.
    let writes = program.version - 1;
    assert_eq!(entities[0].version, 1 + writes);
    assert_eq!(
        entities[0].body,
        if writes == 0 { json!({ "id": "A", "title": "A", "remaining": 0 }) } else { json!({ "remaining": writes }) }
    );
    assert_eq!(restored.history(History::Program("p".into())).await.expect("trail").len() as i64, 2 + writes);
}

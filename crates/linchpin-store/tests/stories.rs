//! The store's stories, run against SQLite always and against PostgreSQL
//! when `LINCHPIN_TEST_POSTGRES` names a server (`postgres://…/test`); each
//! test gets a database of its own. With `LINCHPIN_REQUIRE_POSTGRES=1` (CI)
//! a PostgreSQL test that cannot run fails instead of passing silently.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use linchpin_store::accounts::MAX_SESSIONS_PER_USER;
use linchpin_store::cache::CACHE_BYTES_PER_PROGRAM;
use linchpin_store::{
    Db, EntityChange, History, MilestoneForecast, NewEntity, NewToken, NewUser, PostgresStore, Role, SessionRow,
    SqliteStore, Store, StoreError, TrendPoint, UserRow,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

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
    let url = postgres_url(name).await?;
    Some(PostgresStore::open(&url).await.expect("opens"))
}

/// The URL of a fresh database on the test server, or `None` when there
/// is none.
async fn postgres_url(name: &str) -> Option<String> {
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
    Some(format!("{base}/{database}"))
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

/// SHA-256 hex of a secret, as the server hands the store a cookie's,
/// token's or setup code's.
fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, minute, 0).single().expect("a time")
}

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

fn new_user(name: &str) -> NewUser {
    NewUser {
        name: name.into(),
        display_name: format!("{name} (display)"),
        password_hash: HASH.into(),
        server_admin: false,
    }
}

async fn some_user<S: Store>(store: &S, name: &str) -> UserRow {
    store.create_user("setup", new_user(name)).await.expect("a user")
}

on_both!(user_names_are_unique_whatever_their_case);
async fn user_names_are_unique_whatever_their_case<S: Store>(store: Arc<S>) {
    assert_eq!(store.count_users().await.expect("count"), 0);
    let alice = store.create_user("setup", new_user("Alice")).await.expect("created");
    assert_eq!(alice.name, "alice");
    assert!(!alice.disabled && !alice.server_admin);
    for twin in ["alice", "ALICE", "aLiCe"] {
        let refused = store.create_user("setup", new_user(twin)).await;
        assert!(
            matches!(&refused, Err(StoreError::DuplicateKey { kind, key }) if kind == "user" && key == "alice"),
            "{refused:?}"
        );
    }
    for bad in ["", "al ice", "ålice"] {
        assert!(matches!(store.create_user("setup", new_user(bad)).await, Err(StoreError::Invalid { .. })), "{bad:?}");
    }
    let plain_password = NewUser { password_hash: "hunter2".into(), ..new_user("bob") };
    assert!(matches!(store.create_user("setup", plain_password).await, Err(StoreError::Invalid { .. })));
    // Read back by id and by name in any case, equal to what was returned.
    assert_eq!(store.user(alice.id).await.expect("by id"), Some(alice.clone()));
    assert_eq!(store.user_by_name("ALICE").await.expect("by name"), Some(alice.clone()));
    assert_eq!(store.user_by_name("nobody").await.expect("by name"), None);
    assert_eq!(store.user_by_name("not a name").await.expect("by name"), None);
    assert_eq!(store.user(Uuid::new_v4()).await.expect("by id"), None);
    let bob = some_user(&*store, "bob").await;
    assert_eq!(store.count_users().await.expect("count"), 2);
    let names: Vec<String> = store.users().await.expect("list").into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["alice", "bob"]);

    let changed = store.set_password("alice", alice.id, "$argon2id$new").await.expect("set");
    assert_eq!(changed.password_hash, "$argon2id$new");
    assert!(store.set_server_admin("setup", bob.id, true).await.expect("admin").server_admin);
    // Setting what is already so changes and audits nothing.
    store.set_server_admin("setup", bob.id, true).await.expect("admin again");
    assert!(store.set_disabled("setup", bob.id, true).await.expect("disabled").disabled);
    assert!(matches!(store.set_disabled("setup", Uuid::new_v4(), true).await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.set_password("alice", alice.id, "plain").await, Err(StoreError::Invalid { .. })));
    let bob = store.user(bob.id).await.expect("read").expect("bob");
    assert!(bob.server_admin && bob.disabled);

    // The trail says what changed, never a hash.
    let trail = store.history(History::Entity(alice.id.to_string())).await.expect("trail");
    let actions: Vec<(&str, &str, &str)> =
        trail.iter().map(|r| (r.kind.as_str(), r.action.as_str(), r.actor.as_str())).collect();
    assert_eq!(actions, [("user", "create", "setup"), ("user", "update", "alice")]);
    assert_eq!(trail[1].after.as_ref().map(|a| a["password"].clone()), Some(json!("changed")));
    assert_eq!(store.history(History::Entity(bob.id.to_string())).await.expect("trail").len(), 3);
    for row in store.history(History::Actor("setup".into())).await.expect("trail") {
        assert_eq!((row.program_id.as_str(), row.program_version), ("", 0));
        let text = format!("{:?} {:?}", row.before, row.after);
        assert!(!text.contains("argon2"), "{text}");
    }
    assert!(!format!("{alice:?}").contains("argon2"));
}

on_both!(role_changes_are_audited_and_go_with_the_program);
async fn role_changes_are_audited_and_go_with_the_program<S: Store>(store: Arc<S>) {
    let program = store.create_program("tpm", "mig", "Migration", vec![item("A", 1)]).await.expect("created");
    let other = store.create_program("tpm", "pay", "Payments", vec![]).await.expect("created");
    let (alice, bob) = (some_user(&*store, "alice").await, some_user(&*store, "bob").await);
    store.set_role("tpm", "mig", alice.id, Some(Role::Viewer)).await.expect("viewer");
    store.set_role("tpm", "mig", alice.id, Some(Role::Editor)).await.expect("editor");
    store.set_role("tpm", "mig", alice.id, Some(Role::Editor)).await.expect("the same again");
    store.set_role("tpm", "mig", bob.id, Some(Role::Admin)).await.expect("admin");
    store.set_role("tpm", "pay", alice.id, Some(Role::Viewer)).await.expect("viewer");
    assert_eq!(store.role(alice.id, &program.id).await.expect("role"), Some(Role::Editor));
    assert_eq!(store.role(bob.id, &other.id).await.expect("role"), None);
    let members: Vec<(String, Role)> =
        store.members("mig").await.expect("members").into_iter().map(|(u, r)| (u.name, r)).collect();
    assert_eq!(members, [("alice".to_owned(), Role::Editor), ("bob".to_owned(), Role::Admin)]);
    let programs: Vec<(String, Role)> =
        store.roles_of(alice.id).await.expect("roles").into_iter().map(|(p, r)| (p.key, r)).collect();
    assert_eq!(programs, [("mig".to_owned(), Role::Editor), ("pay".to_owned(), Role::Viewer)]);
    store.set_role("tpm", "mig", alice.id, None).await.expect("removed");
    store.set_role("tpm", "mig", alice.id, None).await.expect("removed again");
    assert_eq!(store.role(alice.id, &program.id).await.expect("role"), None);
    assert!(matches!(
        store.set_role("tpm", "nope", alice.id, Some(Role::Viewer)).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.set_role("tpm", "mig", Uuid::new_v4(), Some(Role::Viewer)).await,
        Err(StoreError::NotFound { .. })
    ));

    // Each change once, under the program, with the user as the entity;
    // the plan's version does not move.
    let trail: Vec<_> = store
        .history(History::Entity(alice.id.to_string()))
        .await
        .expect("trail")
        .into_iter()
        .filter(|r| r.kind == "role" && r.program_id == program.id)
        .collect();
    let changes: Vec<(&str, Option<serde_json::Value>, Option<serde_json::Value>)> =
        trail.iter().map(|r| (r.action.as_str(), r.before.clone(), r.after.clone())).collect();
    assert_eq!(
        changes,
        [
            ("create", None, Some(json!({ "role": "viewer" }))),
            ("update", Some(json!({ "role": "viewer" })), Some(json!({ "role": "editor" }))),
            ("delete", Some(json!({ "role": "editor" })), None),
        ]
    );
    assert!(trail.iter().all(|r| r.actor == "tpm" && r.key == "alice" && r.program_version == 1));
    let in_program = store.history(History::Program("mig".into())).await.expect("trail");
    assert_eq!(in_program.iter().filter(|r| r.kind == "role").count(), 4);
    assert_eq!(store.program("mig").await.expect("read").0.version, 1);

    // Deleting the program takes its members with it, at its version only.
    assert!(matches!(
        store.delete_program("tpm", "mig", 7).await,
        Err(StoreError::Conflict { expected: 7, actual: 1, .. })
    ));
    store.delete_program("tpm", "mig", 1).await.expect("deleted");
    assert!(matches!(store.program("mig").await, Err(StoreError::NotFound { .. })));
    assert!(matches!(store.members("mig").await, Err(StoreError::NotFound { .. })));
    assert_eq!(store.role(bob.id, &program.id).await.expect("role"), None);
    assert!(store.roles_of(bob.id).await.expect("roles").is_empty());
    let deleted = store.history(History::Actor("tpm".into())).await.expect("trail");
    assert!(deleted.iter().any(|r| r.program_id == program.id && r.kind == "program" && r.action == "delete"));
}

on_both!(sessions_expire_when_idle_or_old);
async fn sessions_expire_when_idle_or_old<S: Store>(store: Arc<S>) {
    let alice = some_user(&*store, "alice").await;
    let session = |cookie: &str, created: DateTime<Utc>| SessionRow {
        id_hash: digest(cookie),
        user_id: alice.id,
        csrf_token: format!("csrf-{cookie}"),
        created_at: created,
        last_seen: created,
    };
    store.create_session(session("morning", at(8, 0))).await.expect("created");
    store.create_session(session("noon", at(12, 0))).await.expect("created");
    store.create_session(session("night", at(1, 0))).await.expect("created");
    let twin = store.create_session(session("noon", at(12, 0))).await;
    assert!(matches!(twin, Err(StoreError::DuplicateKey { .. })), "{twin:?}");
    // The store refuses anything but a digest, so a raw cookie never lands.
    let raw = SessionRow { id_hash: "morning".into(), ..session("x", at(8, 0)) };
    assert!(matches!(store.create_session(raw).await, Err(StoreError::Invalid { .. })));
    let nobody = SessionRow { user_id: Uuid::new_v4(), ..session("x", at(8, 0)) };
    assert!(matches!(store.create_session(nobody).await, Err(StoreError::NotFound { .. })));
    assert_eq!(store.session(&digest("morning")).await.expect("read"), Some(session("morning", at(8, 0))));
    assert_eq!(store.session("morning").await.expect("read"), None);

    // Seen at 12:30, then a slower server reports 12:10: never back.
    assert!(store.touch_session(&digest("morning"), at(12, 30)).await.expect("touched"));
    assert!(store.touch_session(&digest("morning"), at(12, 10)).await.expect("touched"));
    assert!(!store.touch_session(&digest("gone"), at(12, 30)).await.expect("touched"));
    let morning = store.session(&digest("morning")).await.expect("read").expect("there");
    assert_eq!((morning.created_at, morning.last_seen), (at(8, 0), at(12, 30)));

    // At 13:00 with a 30-minute idle and an 8-hour absolute timeout:
    // `night` is too old (though touched), `noon` idle, `morning` stays.
    store.touch_session(&digest("night"), at(12, 59)).await.expect("touched");
    let ended = store.delete_sessions_idle_since(at(12, 30), at(5, 0)).await.expect("expired");
    assert_eq!(ended, 2);
    assert!(store.session(&digest("noon")).await.expect("read").is_none());
    assert!(store.session(&digest("night")).await.expect("read").is_none());
    assert!(store.session(&digest("morning")).await.expect("read").is_some());
    assert!(store.delete_session(&digest("morning")).await.expect("logout"));
    assert!(!store.delete_session(&digest("morning")).await.expect("logout again"));

    // A user keeps a bounded number; the least recently seen go first.
    for n in 0..MAX_SESSIONS_PER_USER + 2 {
        let minute = u32::try_from(n).expect("small");
        let created = at(9, 0) + TimeDelta::minutes(minute.into());
        store.create_session(session(&format!("s{n}"), created)).await.expect("created");
    }
    assert!(store.session(&digest("s0")).await.expect("read").is_none());
    assert!(store.session(&digest("s1")).await.expect("read").is_none());
    assert!(store.session(&digest("s2")).await.expect("read").is_some());
    // Disabling a user ends every session of theirs.
    store.set_disabled("admin", alice.id, true).await.expect("disabled");
    assert_eq!(store.delete_sessions_of(alice.id).await.expect("none left"), 0);
    store.set_disabled("admin", alice.id, false).await.expect("enabled");
    store.create_session(session("back", at(14, 0))).await.expect("created");
    assert_eq!(store.delete_sessions_of(alice.id).await.expect("ended"), 1);
}

on_both!(a_revoked_token_is_found_but_says_so);
async fn a_revoked_token_is_found_but_says_so<S: Store>(store: Arc<S>) {
    let program = store.create_program("tpm", "mig", "Migration", vec![]).await.expect("created");
    let (alice, bob) = (some_user(&*store, "alice").await, some_user(&*store, "bob").await);
    let token = |name: &str, programs: Option<Vec<String>>| NewToken {
        user_id: alice.id,
        name: name.into(),
        hash: digest(name),
        programs,
        write: true,
    };
    let ci = store
        .create_token("alice", token("ci", Some(vec![program.id.clone(), program.id.clone()])))
        .await
        .expect("created");
    assert_eq!(ci.programs, Some(vec![program.id.clone()]));
    assert_eq!((ci.last_used, ci.revoked_at), (None, None));
    let read = store.create_token("alice", NewToken { write: false, ..token("read", None) }).await.expect("created");
    let unknown = store.create_token("alice", token("x", Some(vec!["no-such-program".into()]))).await;
    assert!(matches!(unknown, Err(StoreError::NotFound { kind: "program", .. })), "{unknown:?}");
    let raw = NewToken { hash: "lp_raw_token_value".into(), ..token("raw", None) };
    assert!(matches!(store.create_token("alice", raw).await, Err(StoreError::Invalid { .. })));
    let twin = store.create_token("alice", token("ci", None)).await;
    assert!(matches!(twin, Err(StoreError::DuplicateKey { .. })), "{twin:?}");

    assert_eq!(store.token_by_hash(&digest("ci")).await.expect("read"), Some(ci.clone()));
    assert_eq!(store.token_by_hash(&digest("nope")).await.expect("read"), None);
    store.touch_token(ci.id, at(10, 0)).await.expect("touched");
    store.touch_token(ci.id, at(9, 0)).await.expect("touched earlier");
    assert_eq!(store.token_by_hash(&digest("ci")).await.expect("read").and_then(|t| t.last_used), Some(at(10, 0)));

    // Only its own user revokes it; then it is still found, revoked.
    let not_theirs = store.revoke_token("bob", bob.id, ci.id).await;
    assert!(matches!(not_theirs, Err(StoreError::NotFound { kind: "token", .. })), "{not_theirs:?}");
    let revoked = store.revoke_token("alice", alice.id, ci.id).await.expect("revoked");
    let when = revoked.revoked_at.expect("revoked");
    let again = store.revoke_token("alice", alice.id, ci.id).await.expect("revoked again");
    assert_eq!(again.revoked_at, Some(when));
    let found = store.token_by_hash(&digest("ci")).await.expect("read").expect("still found");
    assert_eq!(found.revoked_at, Some(when));
    let tokens: Vec<(String, bool, bool)> = store
        .tokens_of(alice.id)
        .await
        .expect("list")
        .into_iter()
        .map(|t| (t.name, t.write, t.revoked_at.is_some()))
        .collect();
    assert_eq!(tokens, [("ci".to_owned(), true, true), ("read".to_owned(), false, false)]);
    assert!(store.tokens_of(bob.id).await.expect("list").is_empty());
    assert_eq!(read.programs, None);

    // Audited once each (create, create, revoke), without a hash.
    let trail: Vec<_> = store
        .history(History::Entity(alice.id.to_string()))
        .await
        .expect("trail")
        .into_iter()
        .filter(|r| r.kind == "token")
        .collect();
    let actions: Vec<(&str, &str)> = trail.iter().map(|r| (r.key.as_str(), r.action.as_str())).collect();
    assert_eq!(actions, [("ci", "create"), ("read", "create"), ("ci", "update")]);
    for row in &trail {
        let text = format!("{:?} {:?}", row.before, row.after);
        assert!(!text.contains(&digest("ci")) && !text.contains(&digest("read")), "{text}");
    }
    assert_eq!(trail[2].before.as_ref().map(|b| b["revoked_at"].clone()), Some(json!(null)));
    assert!(!format!("{revoked:?}").contains(&digest("ci")));
}

on_both!(login_failures_are_counted_cleared_and_pruned);
async fn login_failures_are_counted_cleared_and_pruned<S: Store>(store: Arc<S>) {
    for minute in [0, 1, 2, 10] {
        store.record_login_failure("user:alice", at(9, minute)).await.expect("recorded");
    }
    store.record_login_failure("addr:127.0.0.1", at(9, 5)).await.expect("recorded");
    assert_eq!(store.login_failures_since("user:alice", at(9, 0)).await.expect("count"), 4);
    assert_eq!(store.login_failures_since("user:alice", at(9, 1)).await.expect("count"), 3);
    assert_eq!(store.login_failures_since("user:alice", at(9, 11)).await.expect("count"), 0);
    assert_eq!(store.login_failures_since("addr:127.0.0.1", at(0, 0)).await.expect("count"), 1);
    assert_eq!(store.login_failures_since("user:bob", at(0, 0)).await.expect("count"), 0);
    store.clear_login_failures("user:alice").await.expect("cleared");
    assert_eq!(store.login_failures_since("user:alice", at(0, 0)).await.expect("count"), 0);
    assert_eq!(store.login_failures_since("addr:127.0.0.1", at(0, 0)).await.expect("count"), 1);
    // A failure a day and more later prunes what is older than a day.
    store.record_login_failure("user:bob", at(9, 6) + TimeDelta::days(1)).await.expect("recorded");
    assert_eq!(store.login_failures_since("addr:127.0.0.1", at(0, 0)).await.expect("count"), 0);
    assert_eq!(store.login_failures_since("user:bob", at(0, 0)).await.expect("count"), 1);
    assert!(matches!(store.record_login_failure("", at(9, 0)).await, Err(StoreError::Invalid { .. })));
    let long = "k".repeat(10_000);
    assert!(matches!(store.login_failures_since(&long, at(9, 0)).await, Err(StoreError::Invalid { .. })));
}

on_both!(a_setup_code_lets_exactly_one_in);
async fn a_setup_code_lets_exactly_one_in<S: Store + 'static>(store: Arc<S>) {
    let now = Utc::now();
    store.put_setup_code(&digest("code"), now + TimeDelta::minutes(30)).await.expect("kept");
    store.put_setup_code(&digest("other server's"), now + TimeDelta::minutes(30)).await.expect("kept");
    store.put_setup_code(&digest("stale"), now - TimeDelta::minutes(1)).await.expect("kept");
    assert!(!store.take_setup_code(&digest("wrong"), now).await.expect("taken"));
    assert!(!store.take_setup_code(&digest("stale"), now).await.expect("taken"));
    assert!(!store.take_setup_code("code", now).await.expect("a raw code is no hash"));
    // Several at once, with the code and with another server's: one wins.
    let mut takes = Vec::new();
    for n in 0..8 {
        let store = store.clone();
        let code = if n % 2 == 0 { "code" } else { "other server's" };
        takes.push(tokio::spawn(async move { store.take_setup_code(&digest(code), now).await.expect("taken") }));
    }
    let mut won = 0;
    for take in takes {
        won += usize::from(take.await.expect("a take"));
    }
    assert_eq!(won, 1);
    assert!(!store.take_setup_code(&digest("code"), now).await.expect("used"));
    assert!(!store.take_setup_code(&digest("other server's"), now).await.expect("used"));
    // Once there is a user, no code lets anyone in.
    store.put_setup_code(&digest("late"), now + TimeDelta::minutes(30)).await.expect("kept");
    some_user(&*store, "admin").await;
    assert!(!store.take_setup_code(&digest("late"), now).await.expect("users exist"));
}

on_both!(cached_results_go_with_their_version);
async fn cached_results_go_with_their_version<S: Store>(store: Arc<S>) {
    let program = store.create_program("tpm", "mig", "Migration", vec![item("A", 1)]).await.expect("created");
    let id = program.id.as_str();
    assert!(store.cache_put(id, 1, "forecast?seed=1", b"v1 forecast").await.expect("put"));
    assert!(store.cache_put(id, 1, "schedule", b"v1 schedule").await.expect("put"));
    assert!(store.cache_put(id, 1, "schedule", b"v1 schedule again").await.expect("put"));
    assert_eq!(store.cache_get(id, 1, "forecast?seed=1").await.expect("get"), Some(b"v1 forecast".to_vec()));
    assert_eq!(store.cache_get(id, 1, "schedule").await.expect("get"), Some(b"v1 schedule again".to_vec()));
    assert_eq!(store.cache_get(id, 1, "findings").await.expect("get"), None);
    assert_eq!(store.cache_get(id, 2, "schedule").await.expect("get"), None);
    assert!(!store.cache_put(id, 2, "schedule", b"from the future").await.expect("not that version yet"));
    assert!(!store.cache_put("no-such-program", 1, "schedule", b"x").await.expect("no program"));

    let (_, entities) = store.program("mig").await.expect("read");
    let change =
        EntityChange::Update { id: entities[0].id.clone(), version: 1, key: "A".into(), body: json!({ "id": "A" }) };
    store.apply("lead", "mig", Some(1), vec![change]).await.expect("version 2");
    // A slow server's results for version 1 are not kept now.
    assert!(!store.cache_put(id, 1, "findings", b"v1 findings").await.expect("stale"));
    // The first result of version 2 clears version 1's.
    assert!(store.cache_put(id, 2, "schedule", b"v2 schedule").await.expect("put"));
    assert_eq!(store.cache_get(id, 1, "forecast?seed=1").await.expect("get"), None);
    assert_eq!(store.cache_get(id, 1, "schedule").await.expect("get"), None);
    assert_eq!(store.cache_get(id, 2, "schedule").await.expect("get"), Some(b"v2 schedule".to_vec()));

    // Past the bound the oldest go; alone over it, nothing is kept.
    let third = usize::try_from(CACHE_BYTES_PER_PROGRAM / 3).expect("fits");
    let big = vec![7u8; third + 1];
    for key in ["big-1", "big-2", "big-3"] {
        assert!(store.cache_put(id, 2, key, &big).await.expect("put"));
    }
    assert_eq!(store.cache_get(id, 2, "schedule").await.expect("get"), None);
    assert_eq!(store.cache_get(id, 2, "big-1").await.expect("get"), None);
    assert_eq!(store.cache_get(id, 2, "big-2").await.expect("get").map(|b| b.len()), Some(third + 1));
    assert!(store.cache_get(id, 2, "big-3").await.expect("get").is_some());
    drop(big);
    let too_big = vec![0u8; usize::try_from(CACHE_BYTES_PER_PROGRAM).expect("fits") + 1];
    assert!(!store.cache_put(id, 2, "huge", &too_big).await.expect("refused"));
    assert!(matches!(store.cache_get(id, 2, &"k".repeat(10_000)).await, Err(StoreError::Invalid { .. })));

    store.delete_program("tpm", "mig", 2).await.expect("deleted");
    assert_eq!(store.cache_get(id, 2, "big-3").await.expect("get"), None);
}

on_both!(the_milestone_trend_keeps_each_version_once);
async fn the_milestone_trend_keeps_each_version_once<S: Store>(store: Arc<S>) {
    let program = store.create_program("tpm", "mig", "Migration", vec![item("A", 1)]).await.expect("created");
    let id = program.id.as_str();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date") + TimeDelta::days(i64::from(d));
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).single().expect("a time");
    let point = |version: i64, p80: u32| TrendPoint {
        version,
        at: at + TimeDelta::hours(version),
        milestones: vec![
            MilestoneForecast { key: "M1".into(), p50: day(p80 - 5), p80: day(p80) },
            MilestoneForecast { key: "M2".into(), p50: day(p80), p80: day(p80 + 9) },
        ],
    };
    assert!(store.trend(id, 10, 12).await.expect("read").is_empty());
    for version in [3, 1, 2] {
        store.record_trend(id, &point(version, u32::try_from(version).expect("small") * 10)).await.expect("recorded");
    }
    // A second server recording version 2 again leaves the first record.
    store.record_trend(id, &point(2, 99)).await.expect("recorded again");
    let trend = store.trend(id, 10, 12).await.expect("read");
    assert_eq!(trend, vec![point(1, 10), point(2, 20), point(3, 30)], "oldest first, each version once");
    assert_eq!(store.trend(id, 2, 12).await.expect("read"), vec![point(1, 10), point(2, 20)], "up to the version");
    assert_eq!(store.trend(id, 10, 2).await.expect("read"), vec![point(2, 20), point(3, 30)], "the newest two");

    // Only the newest versions are kept.
    let kept = linchpin_store::trend::KEPT_PER_PROGRAM;
    for version in 4..=kept + 5 {
        store.record_trend(id, &point(version, 40)).await.expect("recorded");
    }
    let all = store.trend(id, i64::MAX, usize::MAX).await.expect("read");
    assert_eq!(all.len(), usize::try_from(kept).expect("fits"));
    assert_eq!(all.first().map(|p| p.version), Some(6));
    assert_eq!(all.last().map(|p| p.version), Some(kept + 5));

    // A program that is gone records nothing, and takes its trend with it.
    assert!(store.record_trend("no-such-program", &point(1, 10)).await.is_ok());
    assert!(store.trend("no-such-program", 10, 12).await.expect("read").is_empty());
    store.delete_program("tpm", "mig", 1).await.expect("deleted");
    assert!(store.trend(id, i64::MAX, 12).await.expect("read").is_empty());
}

#[tokio::test]
async fn db_opens_either_backend_by_its_url() {
    let scratch = Scratch::new("db");
    let path = scratch.0.join("linchpin.db");
    let db = Db::open(&format!("sqlite://{}", path.display())).await.expect("opens");
    assert_eq!(db.backend(), "sqlite");
    db.create_program("tpm", "p", "P", vec![item("A", 1)]).await.expect("created");
    some_user(&db, "alice").await;
    let copy = scratch.0.join("copy.db");
    db.backup(&copy).await.expect("backed up");
    drop(db);
    // A plain path is SQLite too, and the copy holds what was written.
    let restored = Db::open(&copy.display().to_string()).await.expect("opens");
    assert_eq!(restored.backend(), "sqlite");
    assert_eq!(restored.programs().await.expect("list").len(), 1);
    assert!(restored.user_by_name("alice").await.expect("read").is_some());
    restored.ready().await.expect("ready");

    if let Some(url) = postgres_url("db_by_url").await {
        let db = Db::open(&url).await.expect("opens");
        assert_eq!(db.backend(), "postgres");
        db.ready().await.expect("ready");
        some_user(&db, "alice").await;
        assert_eq!(db.count_users().await.expect("count"), 1);
        let refused = db.backup(&scratch.0.join("pg.db")).await.expect_err("not by Linchpin");
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
        let same = Db::open(&url.replacen("postgres://", "postgresql://", 1)).await.expect("opens");
        assert_eq!(same.count_users().await.expect("count"), 1);
    }
}

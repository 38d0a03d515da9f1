//! The resource side of the PostgreSQL store against a real server: each test gets a database
//! of its own on the server `PORTCULLIS_TEST_DATABASE_URL` names (an admin URL on which a test
//! may create databases), dropped at the end. Without the variable the tests are skipped with a
//! note, and fail under CI.

use sea_query::{Expr, ExprTrait, Order, Query};

use super::PgStore;
use crate::store::tables::{Change, Column, ColumnKind, Index, Literal, OnDelete, Table};
use crate::store::{
    Cell, LinkSet, MigrationStore, QueryLimits, ResourceStore, Storage, StoreError,
};

/// A database of its own on the test server; dropped with [`Scratch::drop_now`].
struct Scratch {
    admin: sqlx::PgPool,
    name: String,
    url: String,
    store: PgStore,
}

impl Scratch {
    async fn new() -> Option<Scratch> {
        let Ok(admin_url) = std::env::var("PORTCULLIS_TEST_DATABASE_URL") else {
            let message = "these tests need PostgreSQL: set PORTCULLIS_TEST_DATABASE_URL";
            assert!(std::env::var_os("CI").is_none(), "{message}");
            eprintln!("skipped: {message}");
            return None;
        };
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).expect("random bytes");
        let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let name = format!("pgres_unit_{suffix}");
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("the admin URL");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create a database");
        let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let (server, _) = base.rsplit_once('/').expect("a URL with a database");
        let url = match query {
            "" => format!("{server}/{name}"),
            q => format!("{server}/{name}?{q}"),
        };
        let store = PgStore::connect(&url, QueryLimits::default())
            .await
            .expect("connect");
        store.migrate().await.expect("fixed tables");
        Some(Scratch {
            admin,
            name,
            url,
            store,
        })
    }

    async fn drop_now(self) {
        self.store.pool.close().await;
        self.store.resource_pool.close().await;
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&self.admin)
            .await
            .expect("drop the database");
    }
}

fn column(name: &str, storage: Storage, not_null: bool) -> Column {
    Column {
        name: name.into(),
        kind: ColumnKind::Value(storage),
        not_null,
        default: None,
        references: None,
    }
}

fn id() -> Column {
    Column {
        name: "id".into(),
        kind: ColumnKind::Id,
        not_null: true,
        default: None,
        references: None,
    }
}

fn items() -> Table {
    let mut count = column("count", Storage::Integer, true);
    count.default = Some(Literal::Number("0".into()));
    Table {
        name: "items".into(),
        columns: vec![
            id(),
            column("title", Storage::Text, true),
            count,
            column("weight", Storage::Real, false),
        ],
        indexes: vec![Index {
            name: "ix_items_title".into(),
            unique: false,
            columns: vec![("title".into(), false)],
        }],
    }
}

async fn add(store: &PgStore, title: &str) -> i64 {
    let mut insert = Query::insert();
    insert
        .into_table("items")
        .columns(["title"])
        .values_panic([title.into()]);
    store.insert_row(&insert).await.expect("insert")
}

async fn titles(store: &PgStore, order: Order) -> Vec<Cell> {
    let mut select = Query::select();
    select
        .from("items")
        .column("title")
        .order_by("title", order);
    let rows = store
        .select_rows(&select, &[Storage::Text])
        .await
        .expect("select");
    rows.into_iter().flatten().collect()
}

#[tokio::test]
async fn rows_are_typed_and_text_orders_by_code_point() {
    let Some(db) = Scratch::new().await else {
        return;
    };
    let store = &db.store;
    store
        .apply_changes(&[Change::CreateTable(items())])
        .await
        .expect("create");
    let first = add(store, "b").await;
    for title in ["B", "é", "a", "Z"] {
        add(store, title).await;
    }
    assert_eq!(first, 1);
    let text = |s: &str| Cell::Text(s.into());
    assert_eq!(
        titles(store, Order::Asc).await,
        [text("B"), text("Z"), text("a"), text("b"), text("é")]
    );
    let mut select = Query::select();
    select
        .from("items")
        .columns(["id", "count", "weight"])
        .and_where(Expr::col("id").eq(first));
    let kinds = [Storage::Integer, Storage::Integer, Storage::Real];
    let rows = store.select_rows(&select, &kinds).await.expect("select");
    assert_eq!(rows, [vec![Cell::Int(1), Cell::Int(0), Cell::Null]]);
    let columns = store.table_columns("items").await.expect("columns");
    let shapes: Vec<(String, Option<Storage>, bool)> = columns
        .into_iter()
        .map(|c| (c.name, c.storage, c.not_null))
        .collect();
    assert_eq!(
        shapes,
        [
            ("id".into(), Some(Storage::Integer), true),
            ("title".into(), Some(Storage::Text), true),
            ("count".into(), Some(Storage::Integer), true),
            ("weight".into(), Some(Storage::Real), false),
        ]
    );
    let indexes = store.table_indexes("items").await.expect("indexes");
    assert!(
        indexes.contains(&"ix_items_title".to_string()),
        "{indexes:?}"
    );
    assert!(store.has_data("items", None).await.expect("data"));
    assert!(!store.has_data("items", Some("weight")).await.expect("data"));
    assert!(store.has_nulls("items", "weight").await.expect("nulls"));
    db.drop_now().await;
}

#[tokio::test]
async fn a_reshaped_table_converts_as_sqlite_and_never_reuses_an_id() {
    let Some(db) = Scratch::new().await else {
        return;
    };
    let store = &db.store;
    store
        .apply_changes(&[Change::CreateTable(items())])
        .await
        .expect("create");
    for title in ["12abc", " -3", "none"] {
        add(store, title).await;
    }
    let last = add(store, "4.9").await;
    let mut delete = Query::delete();
    delete
        .from_table("items")
        .and_where(Expr::col("id").eq(last));
    assert_eq!(store.delete_rows(&delete).await.expect("delete"), 1);
    // `title` becomes a nullable integer, `weight` goes, `count` stays.
    let mut table = items();
    table.columns[1] = column("title", Storage::Integer, false);
    table.columns.pop();
    table.indexes.clear();
    let kept = vec!["id".into(), "title".into(), "count".into()];
    store
        .apply_changes(&[Change::Reshape { table, kept }])
        .await
        .expect("reshape");
    let mut select = Query::select();
    select
        .from("items")
        .column("title")
        .order_by("id", Order::Asc);
    let rows = store
        .select_rows(&select, &[Storage::Integer])
        .await
        .expect("select");
    let values: Vec<Cell> = rows.into_iter().flatten().collect();
    assert_eq!(values, [Cell::Int(12), Cell::Int(-3), Cell::Int(0)]);
    let names: Vec<String> = store
        .table_columns("items")
        .await
        .expect("columns")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["id", "title", "count"]);
    assert!(
        !store
            .table_indexes("items")
            .await
            .expect("indexes")
            .contains(&"ix_items_title".into())
    );
    // As `serve` after `migrate`: connections whose cached statements predate the new types
    // would bind the old ones.
    let store = PgStore::connect(&db.url, QueryLimits::default())
        .await
        .expect("connect");
    let mut insert = Query::insert();
    insert
        .into_table("items")
        .columns(["title"])
        .values_panic([7i64.into()]);
    let next = store.insert_row(&insert).await.expect("insert");
    assert!(next > last, "id {next} reuses the deleted {last}");
    db.drop_now().await;
}

/// `parent` and `child` rows with `child.parent` deleting as `on_delete`.
async fn family(store: &PgStore, on_delete: OnDelete) -> (i64, i64) {
    let parent = Table {
        name: "parent".into(),
        columns: vec![id()],
        indexes: Vec::new(),
    };
    let mut link = column("parent", Storage::Integer, on_delete != OnDelete::SetNull);
    link.references = Some(("parent".into(), on_delete));
    let child = Table {
        name: "child".into(),
        columns: vec![id(), link],
        indexes: Vec::new(),
    };
    store
        .apply_changes(&[Change::CreateTable(parent), Change::CreateTable(child)])
        .await
        .expect("create");
    let mut insert = Query::insert();
    insert.into_table("parent").or_default_values();
    let parent_id = store.insert_row(&insert).await.expect("parent");
    let mut insert = Query::insert();
    insert
        .into_table("child")
        .columns(["parent"])
        .values_panic([parent_id.into()]);
    (parent_id, store.insert_row(&insert).await.expect("child"))
}

#[tokio::test]
async fn foreign_keys_refuse_cascade_and_clear_as_declared() {
    for on_delete in [OnDelete::Restrict, OnDelete::Cascade, OnDelete::SetNull] {
        let Some(db) = Scratch::new().await else {
            return;
        };
        let store = &db.store;
        let (parent, child) = family(store, on_delete).await;
        let mut delete = Query::delete();
        delete
            .from_table("parent")
            .and_where(Expr::col("id").eq(parent));
        let deleted = store.delete_rows(&delete).await;
        let mut select = Query::select();
        select
            .from("child")
            .column("parent")
            .and_where(Expr::col("id").eq(child));
        let left = store
            .select_rows(&select, &[Storage::Integer])
            .await
            .expect("select");
        match on_delete {
            OnDelete::Restrict => {
                assert!(
                    matches!(deleted, Err(StoreError::Conflict(_))),
                    "{deleted:?}"
                );
                assert_eq!(left, [vec![Cell::Int(parent)]]);
            }
            OnDelete::Cascade => assert!(left.is_empty()),
            OnDelete::SetNull => assert_eq!(left, [vec![Cell::Null]]),
        }
        db.drop_now().await;
    }
}

#[tokio::test]
async fn a_row_and_its_links_are_written_together() {
    let Some(db) = Scratch::new().await else {
        return;
    };
    let store = &db.store;
    let (parent, _) = family(store, OnDelete::Cascade).await;
    let mut source = column("source", Storage::Integer, true);
    source.references = Some(("parent".into(), OnDelete::Cascade));
    let mut target = column("target", Storage::Integer, true);
    target.references = Some(("parent".into(), OnDelete::Cascade));
    let join = Table {
        name: "parent_links".into(),
        columns: vec![id(), source, target],
        indexes: vec![Index {
            name: "ux_parent_links".into(),
            unique: true,
            columns: vec![("source".into(), false), ("target".into(), false)],
        }],
    };
    store
        .apply_changes(&[Change::CreateTable(join)])
        .await
        .expect("join table");
    let links = |targets: Vec<i64>| {
        vec![LinkSet {
            table: "parent_links".into(),
            source: "source".into(),
            target: "target".into(),
            targets,
        }]
    };
    let mut insert = Query::insert();
    insert.into_table("parent").or_default_values();
    let row = store
        .insert_row_linked(&insert, &links(vec![parent]))
        .await
        .expect("linked row");
    // A missing target refuses the whole write: no row, no link.
    let refused = store
        .update_row_linked(None, row, &links(vec![parent, 999]))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let mut select = Query::select();
    select
        .from("parent_links")
        .column("target")
        .and_where(Expr::col("source").eq(row));
    let linked = store
        .select_rows(&select, &[Storage::Integer])
        .await
        .expect("links");
    assert_eq!(linked, [vec![Cell::Int(parent)]]);
    db.drop_now().await;
}

//! The plans of the built-in `notes`' list queries: whatever the table holds beyond the
//! caller's rows, a page is read in its order from an index — never the whole visible set
//! sorted, never a scan of the table — for an owner, for owner-or-public (the own rows and the
//! public rows of others, two index reads merged), for staff, with a filter, a search and a
//! cursor; the count reads index ranges. SQLite's `EXPLAIN QUERY PLAN` and PostgreSQL's
//! `EXPLAIN` (with scans and sorts priced out, as a small table's plan is otherwise free to
//! use them) on the very statements the list view runs. A database made before these indexes
//! gains them on the next migrate.

use crate::harness::db::on_postgres;
use crate::harness::resources::ResourceApp;
use portcullis_server::resources::list_query::{ListQuery, visible_parts};
use portcullis_server::resources::schema::DEFAULT_SCHEMA;
use sea_query::{Cond, Expr, ExprTrait, PostgresQueryBuilder, SelectStatement, SqliteQueryBuilder};
use serde_json::json;

/// A cursor's statement: its ordering (the field, then the id ascending, as DRF's ties come)
/// and its position on every part of the rows.
struct CursorAt(&'static str);

/// The count and the page statements of a list of `notes` for `username`.
async fn statements(
    app: &ResourceApp,
    username: &str,
    params: &[(&str, &str)],
    cursor: Option<CursorAt>,
) -> (SelectStatement, SelectStatement) {
    let schema = app.state.schema();
    let notes = schema.resource("notes").expect("the notes resource");
    let user = app.user_row(username).await;
    let list = ListQuery::new(notes, visible_parts(notes, Some(&user)), |name| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .expect("valid parameters");
    let mut select = match cursor {
        None => list.ordered(),
        Some(CursorAt(position)) => {
            let order = [("created_at".to_string(), true), ("id".to_string(), false)];
            let keyset = Cond::all().add(Expr::col(("notes", "created_at")).lt(position));
            list.select(&order, Some(&keyset))
        }
    };
    select.limit(20).offset(40);
    (list.count(), select)
}

/// One list: what it checks, the caller, the query parameters, whether it is a cursor's.
type Case = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    bool,
);

fn cases() -> Vec<Case> {
    vec![
        ("default ordering", "ann", vec![], false),
        ("default ordering", "admin", vec![], false),
        ("a filter", "ann", vec![("is_public", "true")], false),
        ("a filter", "admin", vec![("is_public", "false")], false),
        ("a search", "ann", vec![("search", "t1")], false),
        (
            "an explicit default",
            "ann",
            vec![("ordering", "-created_at")],
            false,
        ),
        ("a cursor", "ann", vec![], true),
        ("a cursor", "admin", vec![], true),
    ]
}

/// The notes app with `ann`'s rows and `bob`'s (a third of each public), and a staff user.
async fn notes_app(schema: &str) -> ResourceApp {
    let app = ResourceApp::with_schema(schema).await;
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    app.staff("admin").await;
    for n in 0..12 {
        let note = json!({"title": format!("t{n}"), "is_public": n % 3 == 0});
        ann.create("/api/notes/", note.clone()).await;
        bob.create("/api/notes/", note).await;
    }
    app
}

fn sqlite_sorts_or_scans(plan: &[String], staff: bool) -> bool {
    // "USE TEMP B-TREE FOR LAST TERM OF ORDER BY" (a cursor's ascending id after a descending
    // field) sorts the rows of one timestamp at a time, as they come from the index.
    plan.iter().any(|step| {
        step == "USE TEMP B-TREE FOR ORDER BY"
            || step == "SCAN notes"
            // Staff read the ordering index from its end; a caller's rows are ranges of it.
            || (!staff && step.starts_with("SCAN notes"))
    })
}

#[tokio::test]
async fn notes_lists_are_read_in_index_order_on_sqlite() {
    if on_postgres() {
        return;
    }
    let app = notes_app(DEFAULT_SCHEMA).await;
    for (what, who, params, cursor) in cases() {
        let cursor = cursor.then_some(CursorAt("2100-01-01T00:00:00.000000Z"));
        let (count, select) = statements(&app, who, &params, cursor).await;
        let plan = app.query_plan(&select.to_string(SqliteQueryBuilder)).await;
        assert!(
            !sqlite_sorts_or_scans(&plan, who == "admin"),
            "{what}, {who}: {plan:?}"
        );
        if who == "ann" {
            // Owner or public: the caller's rows and the others' public rows, each from its
            // index, merged in order.
            assert!(
                plan.iter().any(|s| s == "MERGE (UNION ALL)"),
                "{what}: {plan:?}"
            );
            for index in ["ix_notes_owner_id_order", "ix_notes_is_public_order"] {
                assert!(plan.iter().any(|s| s.contains(index)), "{what}: {plan:?}");
            }
        }
        let plan = app.query_plan(&count.to_string(SqliteQueryBuilder)).await;
        assert!(
            !sqlite_sorts_or_scans(&plan, who == "admin"),
            "{what}, {who}: {plan:?}"
        );
        if params.is_empty() && who == "ann" {
            // Index range counts that read no row of the table: own, public, own and public.
            let searched: Vec<&String> = plan
                .iter()
                .filter(|s| s.starts_with("SEARCH notes"))
                .collect();
            assert_eq!(searched.len(), 3, "{plan:?}");
            assert!(
                searched.iter().all(|s| s.contains("COVERING INDEX")),
                "{plan:?}"
            );
        }
    }
    // Staff: every ordering field in both directions read in order from an index (or, by
    // id, from the table, which SQLite keeps in id order).
    for ordering in ["title", "-title", "created_at", "-created_at", "id", "-id"] {
        let (_, select) = statements(&app, "admin", &[("ordering", ordering)], None).await;
        let plan = app.query_plan(&select.to_string(SqliteQueryBuilder)).await;
        assert!(
            !plan.iter().any(|s| s.contains("TEMP B-TREE")),
            "{ordering}: {plan:?}"
        );
    }
    // Other orderings may sort the caller's rows, but still never scan the table.
    for ordering in ["title", "-title", "created_at", "id"] {
        let (_, select) = statements(&app, "ann", &[("ordering", ordering)], None).await;
        let plan = app.query_plan(&select.to_string(SqliteQueryBuilder)).await;
        assert!(
            !plan.iter().any(|s| s.starts_with("SCAN notes")),
            "{ordering}: {plan:?}"
        );
    }
}

#[tokio::test]
async fn an_owners_list_is_read_in_index_order_on_sqlite() {
    if on_postgres() {
        return;
    }
    let schema = DEFAULT_SCHEMA
        .replace("visible_to = \"owner_or_public\"", "visible_to = \"owner\"")
        .replace("public_flag = \"is_public\"\n", "");
    let app = notes_app(&schema).await;
    for params in [vec![], vec![("is_public", "true")], vec![("search", "t")]] {
        let (count, select) = statements(&app, "ann", &params, None).await;
        for statement in [select, count] {
            let plan = app
                .query_plan(&statement.to_string(SqliteQueryBuilder))
                .await;
            assert!(!sqlite_sorts_or_scans(&plan, false), "{params:?}: {plan:?}");
            assert!(
                plan.iter().any(|s| s.contains("ix_notes_owner_id_order")),
                "{params:?}: {plan:?}"
            );
        }
    }
}

/// The plan's node names (`Index Scan`, `Merge Append`, `Sort`...).
fn nodes(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("->").unwrap_or(line).trim_start();
            line.split_once("  (").map(|(node, _)| node.to_string())
        })
        .collect()
}

#[tokio::test]
async fn notes_lists_are_read_in_index_order_on_postgres() {
    if !on_postgres() {
        return;
    }
    let app = notes_app(DEFAULT_SCHEMA).await;
    for (what, who, params, cursor) in cases() {
        let cursor = cursor.then_some(CursorAt("2100-01-01T00:00:00.000000Z"));
        let is_cursor = cursor.is_some();
        let (count, select) = statements(&app, who, &params, cursor).await;
        for statement in [select, count] {
            let plan = app
                .postgres_plan(&statement.to_string(PostgresQueryBuilder))
                .await;
            let nodes = nodes(&plan);
            assert!(nodes.iter().any(|n| n.contains("Index")), "{plan:#?}");
            assert!(
                !nodes
                    .iter()
                    .any(|n| n.starts_with("Seq Scan") || n == "Sort"),
                "{what}, {who}: {plan:#?}"
            );
            // A cursor's ascending id after a descending timestamp: the rows of one timestamp
            // sorted as they come from the index, nothing more.
            if nodes.iter().any(|n| n == "Incremental Sort") {
                assert!(is_cursor, "{what}, {who}: {plan:#?}");
                assert!(
                    plan.iter().any(|l| l.contains("Presorted Key: ")),
                    "{plan:#?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_database_made_before_the_list_indexes_gains_them() {
    let app = ResourceApp::notes().await;
    let ann = app.user("ann").await;
    ann.create("/api/notes/", json!({"title": "kept", "is_public": true}))
        .await;
    let indexes = || async {
        let mut names = app
            .store()
            .resources()
            .table_indexes("notes")
            .await
            .unwrap();
        names.sort();
        names
    };
    let wanted = indexes().await;
    // The indexes of the notes table before lists were read by index.
    let db = app.sql().await;
    for name in wanted.iter().filter(|n| n.starts_with("ix_")) {
        db.execute(&format!("DROP INDEX {name}"), &[]).await;
    }
    for column in ["is_public", "created_at", "title", "owner_id"] {
        db.execute(
            &format!("CREATE INDEX ix_notes_{column} ON notes ({column})"),
            &[],
        )
        .await;
    }
    db.close().await;
    let outcome = app.migrate(false).await;
    assert_eq!(outcome.refused, Vec::<String>::new());
    let mut applied = outcome.applied.clone();
    applied.sort();
    assert_eq!(
        applied,
        [
            "Create index ix_notes_is_public_order_created_at_id",
            "Create index ix_notes_order_created_at_id",
            "Create index ix_notes_owner_id_order_created_at_id",
            "Remove index ix_notes_created_at",
            "Remove index ix_notes_is_public",
            "Remove index ix_notes_owner_id",
        ]
    );
    assert_eq!(indexes().await, wanted);
    assert!(wanted.contains(&"ix_notes_title".to_string()), "{wanted:?}");
    let listed = ann.get("/api/notes/").await;
    assert_eq!(listed.listed("title"), [json!("kept")]);
    // Nothing more to do on the start after.
    assert!(app.migrate(false).await.applied.is_empty());
}

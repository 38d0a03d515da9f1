//! Schema migrations, as `portcullis migrate [--allow-destructive]` runs them: a schema is
//! applied, rows are written over HTTP, then the schema file changes and `migrate` runs again
//! on the same SQLite file. Additions are applied; changes that would lose stored values are
//! refused (nothing at all is applied then) with the resource, the field and what to do, and
//! applied with `allow_destructive`.

use crate::harness::db::on_postgres;
use crate::harness::resources::ResourceApp;
use axum::http::StatusCode;
use portcullis_server::resources::query;
use serde_json::{Value, json};

/// The `items` resource with `fields` (TOML field tables) and extra resource keys.
fn items(resource_keys: &str, fields: &[&str]) -> String {
    let mut text = format!(
        "[[resources]]\nname = \"items\"\ntimestamps = true\nordering = [\"title\"]\n{resource_keys}\n"
    );
    for f in fields {
        text.push_str(&format!("[[resources.fields]]\n{f}\n"));
    }
    text
}

const TITLE: &str = "name = \"title\"\ntype = \"string\"\nmax_length = 50";
const COUNT: &str = "name = \"count\"\ntype = \"integer\"\ndefault = 0";
const NOTE: &str = "name = \"note\"\ntype = \"string\"\nmax_length = 20\nnull = true";
const OWNER: &str = "name = \"owner\"\ntype = \"owner\"";
const COLOR: &str = "name = \"color\"\ntype = \"string\"\nmax_length = 10\ndefault = \"red\"";

async fn columns(app: &ResourceApp, table: &str) -> Vec<String> {
    app.store()
        .resources()
        .table_columns(table)
        .await
        .expect("read the table's columns")
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[tokio::test]
async fn additions_are_applied_and_losses_refused() {
    let v1 = items("", &[TITLE, COUNT, NOTE, OWNER]);
    let mut app = ResourceApp::with_schema(&v1).await;
    // `change_schema` restarts the application: the key outlives each instance.
    let ann = app.user("ann").await.token;
    let first = app
        .with_key(&ann)
        .create("/api/items/", json!({"title": "first", "count": 5}))
        .await;
    app.with_key(&ann)
        .create("/api/items/", json!({"title": "second"}))
        .await;
    let first_url = format!("/api/items/{}/", first["id"]);
    // Nothing to do twice.
    let again = app.change_schema(&v1, false).await;
    assert!(
        again.applied.is_empty() && again.refused.is_empty(),
        "{again:?}"
    );

    // A new field with a default, a new filter (so a new index), a new resource.
    let v2 = items(
        "filter_fields = [\"color\"]",
        &[TITLE, COUNT, NOTE, OWNER, COLOR],
    ) + "[[resources]]\nname = \"labels\"\n[[resources.fields]]\nname = \"text\"\ntype = \"text\"\n";
    let added = app.change_schema(&v2, false).await;
    assert_eq!(added.refused, Vec::<String>::new());
    assert_eq!(
        added.applied,
        [
            "Add field color to items",
            "Create index ix_items_color",
            "Create resource labels"
        ]
    );
    let read = app.with_key(&ann).get(&first_url).await;
    assert_eq!(read.json["color"], "red", "existing rows get the default");
    assert_eq!(read.json["count"], 5);
    let filtered = app.with_key(&ann).get("/api/items/?color=red").await;
    assert_eq!(filtered.json["count"], 2);
    assert!(
        app.store()
            .resources()
            .table_indexes("items")
            .await
            .unwrap()
            .contains(&"ix_items_color".to_string())
    );
    // The new index serves the new filter (SQLite's planner; PostgreSQL's may prefer a scan
    // of a table this small).
    if !on_postgres() {
        let schema = app.state.schema();
        let resource = schema.resource("items").unwrap();
        let (_, select) = query::list_statements(resource, None, |name| {
            (name == "color").then(|| "red".to_string())
        })
        .unwrap();
        let plan = app
            .query_plan(&select.to_string(sea_query::SqliteQueryBuilder))
            .await;
        assert!(
            plan.iter().any(|s| s.contains("ix_items_color")),
            "{plan:?}"
        );
    }
    let labels = app
        .with_key(&ann)
        .post("/api/labels/", json!({"text": "x"}))
        .await;
    assert_eq!(labels.status, StatusCode::CREATED);

    // A required field cannot be added to rows that have no value for it.
    let size = "name = \"size\"\ntype = \"integer\"";
    let v2_size = items(
        "filter_fields = [\"color\"]",
        &[TITLE, COUNT, NOTE, OWNER, COLOR, size],
    ) + "[[resources]]\nname = \"labels\"\n[[resources.fields]]\nname = \"text\"\ntype = \"text\"\n";
    let refused = app.change_schema(&v2_size, false).await;
    assert_eq!(
        refused.refused,
        [
            "resource items, field size: a required column cannot be added to a table with rows; give the field a default or null = true"
        ]
    );
    assert!(refused.applied.is_empty());
    assert!(!columns(&app, "items").await.contains(&"size".to_string()));

    // A removed field that holds no value goes without asking.
    let v3 = items("filter_fields = [\"color\"]", &[TITLE, COUNT, OWNER, COLOR])
        + "[[resources]]\nname = \"labels\"\n[[resources.fields]]\nname = \"text\"\ntype = \"text\"\n";
    let dropped = app.change_schema(&v3, false).await;
    assert_eq!(dropped.refused, Vec::<String>::new());
    assert_eq!(dropped.applied, ["Remove field note from items"]);

    // A removed field holding data: refused, the data kept...
    let v4 = items("filter_fields = [\"color\"]", &[TITLE, OWNER, COLOR])
        + "[[resources]]\nname = \"labels\"\n[[resources.fields]]\nname = \"text\"\ntype = \"text\"\n";
    let refused = app.change_schema(&v4, false).await;
    assert_eq!(
        refused.refused,
        [
            "resource items, field count: removed from the schema but the column holds data; run `portcullis migrate --allow-destructive` to drop it"
        ]
    );
    assert!(refused.applied.is_empty());
    assert!(columns(&app, "items").await.contains(&"count".to_string()));
    // ... and applied when destruction is allowed, the other columns and rows intact.
    let forced = app.change_schema(&v4, true).await;
    assert_eq!(forced.refused, Vec::<String>::new());
    assert_eq!(forced.applied, ["Remove field count from items"]);
    assert!(!columns(&app, "items").await.contains(&"count".to_string()));
    let read = app.with_key(&ann).get(&first_url).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json["title"], "first");
    assert_eq!(read.json["owner"], "ann");
    assert_eq!(read.json["created_at"], first["created_at"]);
    assert!(read.json.get("count").is_none());
    // The rebuilt table still has its indexes.
    let indexes = app
        .store()
        .resources()
        .table_indexes("items")
        .await
        .unwrap();
    assert!(
        indexes.contains(&"ix_items_color".to_string()),
        "{indexes:?}"
    );

    // A retyped column holding data: refused, even on a second try.
    let title_as_number = "name = \"title\"\ntype = \"integer\"";
    let v5 = items(
        "filter_fields = [\"color\"]",
        &[title_as_number, OWNER, COLOR],
    ) + "[[resources]]\nname = \"labels\"\n[[resources.fields]]\nname = \"text\"\ntype = \"text\"\n";
    for _ in 0..2 {
        let refused = app.change_schema(&v5, false).await;
        assert_eq!(
            refused.refused,
            [
                "resource items, field title: changing the column from TEXT to INTEGER would convert stored values; run `portcullis migrate --allow-destructive` to do it"
            ]
        );
        assert!(refused.applied.is_empty());
    }
    let titles = app
        .sql()
        .await
        .texts("SELECT title FROM items ORDER BY id", &[])
        .await;
    assert_eq!(titles, ["first", "second"]);

    // A removed resource whose table holds rows: refused too.
    let refused = app
        .change_schema(&v4.replace("labels", "tags"), false)
        .await;
    assert!(
        refused.refused.contains(&"resource labels: removed from the schema but its table holds rows; run `portcullis migrate --allow-destructive` to drop it".to_string()),
        "{refused:?}"
    );
}

#[tokio::test]
async fn relaxing_a_column_is_not_destructive() {
    let v1 = items("", &[TITLE, COLOR, OWNER]);
    let mut app = ResourceApp::with_schema(&v1).await;
    // `change_schema` restarts the application: the key outlives each instance.
    let ann = app.user("ann").await.token;
    let row = app
        .with_key(&ann)
        .create("/api/items/", json!({"title": "kept", "color": "blue"}))
        .await;

    // Making a field nullable loses nothing: applied without --allow-destructive.
    let nullable = format!("{COLOR}\nnull = true");
    let v2 = items("", &[TITLE, &nullable, OWNER]);
    let relaxed = app.change_schema(&v2, false).await;
    assert_eq!(relaxed.refused, Vec::<String>::new());
    assert_eq!(relaxed.applied, ["Alter field color of items"]);
    let url = format!("/api/items/{}/", row["id"]);
    let cleared = app.with_key(&ann).patch(&url, json!({"color": null})).await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.json);
    assert_eq!(cleared.json["color"], Value::Null);
    assert_eq!(cleared.json["title"], "kept");

    // Back to NOT NULL while a row holds a null: refused, whatever is allowed, since no
    // value can be made up for it.
    for allow in [false, true] {
        let refused = app.change_schema(&v1, allow).await;
        assert_eq!(
            refused.refused,
            [
                "resource items, field color: the column holds nulls and would no longer accept them; set a value in those rows first, or keep null = true"
            ]
        );
    }
    // Once the row has a value, it applies.
    app.change_schema(&v2, false).await;
    app.with_key(&ann)
        .patch(&url, json!({"color": "green"}))
        .await;
    let tightened = app.change_schema(&v1, false).await;
    assert_eq!(tightened.refused, Vec::<String>::new());
    assert_eq!(tightened.applied, ["Alter field color of items"]);
    assert_eq!(app.with_key(&ann).get(&url).await.json["color"], "green");
}

#[tokio::test]
async fn defaults_are_stored_in_their_field_s_form() {
    let schema = items(
        "",
        &[
            TITLE,
            "name = \"due\"\ntype = \"date\"\ndefault = \"2025-1-5\"",
            "name = \"at\"\ntype = \"datetime\"\ndefault = \"2025-01-31T12:00:00+02:00\"",
            "name = \"flag\"\ntype = \"boolean\"\ndefault = \"yes\"",
            "name = \"weight\"\ntype = \"float\"\ndefault = 2",
            "name = \"meta\"\ntype = \"json\"\ndefault = [1, \"two\"]",
            OWNER,
        ],
    );
    let app = ResourceApp::with_schema(&schema).await;
    let ann = app.user("ann").await;
    let row = ann
        .create("/api/items/", json!({"title": "defaults"}))
        .await;
    assert_eq!(row["due"], "2025-01-05");
    assert_eq!(row["at"], "2025-01-31T10:00:00Z");
    assert_eq!(row["flag"], true);
    assert_eq!(row["weight"], 2.0);
    assert_eq!(row["meta"], json!([1, "two"]));
}

#[tokio::test]
async fn a_rebuilt_table_never_reuses_the_ids_of_deleted_rows() {
    let v1 = items("", &[TITLE, COLOR, OWNER]);
    let mut app = ResourceApp::with_schema(&v1).await;
    // `change_schema` restarts the application: the key outlives each instance.
    let ann = app.user("ann").await.token;
    app.with_key(&ann)
        .create("/api/items/", json!({"title": "kept"}))
        .await;
    let last = app
        .with_key(&ann)
        .create("/api/items/", json!({"title": "deleted"}))
        .await;
    let deleted_id = last["id"].as_i64().expect("an id");
    let url = format!("/api/items/{deleted_id}/");
    let gone = app.with_key(&ann).delete(&url).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);

    // A nullable column is a rebuild of the table (SQLite cannot alter a column in place).
    let nullable = format!("{COLOR}\nnull = true");
    let rebuilt = app
        .change_schema(&items("", &[TITLE, &nullable, OWNER]), false)
        .await;
    assert_eq!(rebuilt.applied, ["Alter field color of items"]);

    // AUTOINCREMENT's promise survives the rebuild: a deleted row's id is never handed out again
    // (a client holding that URL must not reach somebody else's new row).
    let new = app
        .with_key(&ann)
        .create("/api/items/", json!({"title": "new"}))
        .await;
    assert!(
        new["id"].as_i64().expect("an id") > deleted_id,
        "new id {} reuses deleted id {deleted_id}",
        new["id"]
    );
    assert_eq!(
        app.with_key(&ann).get(&url).await.status,
        StatusCode::NOT_FOUND
    );
}

const TAGS: &str = "[[resources]]\nname = \"tags\"\n[[resources.fields]]\nname = \"name\"\ntype = \"string\"\nmax_length = 20\n";
const TAGGED: &str = "name = \"tags\"\ntype = \"many_to_many\"\nto = \"tags\"\nblank = true";
const RELATED: &str = "name = \"related\"\ntype = \"many_to_many\"\nto = \"items\"\nblank = true";

#[tokio::test]
async fn join_tables_come_and_go_with_their_fields() {
    let v1 = items("", &[TITLE]) + TAGS;
    let mut app = ResourceApp::with_schema(&v1).await;
    let ann = app.user("ann").await.token;
    let item = app
        .with_key(&ann)
        .create("/api/items/", json!({"title": "first"}))
        .await;
    let tag = app
        .with_key(&ann)
        .create("/api/tags/", json!({"name": "red"}))
        .await;

    // Adding the fields creates their join tables, as Django's migration does: the pair unique,
    // an index on each side; a field pointing at its own resource gets from_/to_ columns.
    let v2 = items("", &[TITLE, TAGGED, RELATED]) + TAGS;
    let added = app.change_schema(&v2, false).await;
    assert_eq!(
        added.applied[..2],
        [
            "Create join table items_tags of field tags of items",
            "Create join table items_related of field related of items",
        ],
        "{added:?}"
    );
    assert_eq!(
        columns(&app, "items_tags").await,
        ["id", "items_id", "tags_id"]
    );
    assert_eq!(
        columns(&app, "items_related").await,
        ["id", "from_items_id", "to_items_id"]
    );
    let mut indexes = app
        .store()
        .resources()
        .table_indexes("items_tags")
        .await
        .expect("indexes");
    indexes.sort();
    assert_eq!(
        indexes,
        [
            "ix_items_tags_items_id",
            "ix_items_tags_tags_id",
            "ux_items_tags_items_id_tags_id",
        ]
    );
    let again = app.change_schema(&v2, false).await;
    assert!(
        again.applied.is_empty() && again.refused.is_empty(),
        "{again:?}"
    );
    // Rows from before the field have no links.
    let url = format!("/api/items/{}/", item["id"]);
    assert_eq!(app.with_key(&ann).get(&url).await.json["tags"], json!([]));
    let linked = app
        .with_key(&ann)
        .patch(&url, json!({"tags": [tag["id"]], "related": [item["id"]]}))
        .await;
    assert_eq!(linked.json["tags"], json!([tag["id"]]));
    assert_eq!(linked.json["related"], json!([item["id"]]));

    // Removing a field whose join table holds links is refused, as a column holding data is.
    let v3 = items("", &[TITLE, RELATED]) + TAGS;
    let refused = app.change_schema(&v3, false).await;
    assert_eq!(
        refused.refused,
        [
            "join table items_tags (many-to-many field tags of items): removed from the schema but its table holds rows; run `portcullis migrate --allow-destructive` to drop it"
        ]
    );
    assert_eq!(columns(&app, "items_tags").await.len(), 3);
    let dropped = app.change_schema(&v3, true).await;
    assert_eq!(
        dropped.applied,
        ["Drop join table items_tags (many-to-many field tags of items)"]
    );
    assert!(columns(&app, "items_tags").await.is_empty());
    // The row and its other links are untouched.
    let row = app.with_key(&ann).get(&url).await.json;
    assert_eq!(row["related"], json!([item["id"]]));
    assert!(row.get("tags").is_none());
    // Added again: a new, empty join table.
    app.change_schema(&v2, false).await;
    assert_eq!(app.with_key(&ann).get(&url).await.json["tags"], json!([]));
}

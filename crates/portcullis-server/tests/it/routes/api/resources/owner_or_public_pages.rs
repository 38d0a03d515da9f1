//! The built-in `notes` under owner-or-public, as its pages show them: the caller's rows and
//! the others' public rows in one order, every row once, whatever the pagination class, the
//! ordering, the filter or the search — the list reads the two kinds of rows apart (one index
//! each) and merges them, which nobody may notice.

use crate::harness::Caller;
use crate::harness::resources::ResourceApp;
use portcullis_server::Config;
use portcullis_server::config::PaginationStyle;
use serde_json::{Value, json};

/// Ann's and Bob's notes interleaved (a third of Ann's and half of Bob's public); Ann, and the
/// titles she sees, newest first.
async fn seeded(app: &ResourceApp) -> (Caller<'_>, Vec<String>) {
    let ann = app.user("ann").await;
    let bob = app.user("bob").await;
    let mut visible = Vec::new();
    for n in 0..9 {
        let mine = format!("a{n}");
        ann.create(
            "/api/notes/",
            json!({"title": mine, "is_public": n % 3 == 0}),
        )
        .await;
        visible.push(mine);
        let theirs = format!("b{n}");
        bob.create(
            "/api/notes/",
            json!({"title": theirs, "is_public": n % 2 == 0}),
        )
        .await;
        if n % 2 == 0 {
            visible.push(theirs);
        }
    }
    visible.reverse();
    (ann, visible)
}

fn titles(rows: &Value) -> Vec<String> {
    rows.as_array()
        .expect("a list of rows")
        .iter()
        .map(|r| r["title"].as_str().expect("a title").to_string())
        .collect()
}

/// Every page from `first` on, following `link` ("next" or "previous"): the titles in order.
async fn walk(ann: &Caller<'_>, first: &str, link: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut url = Some(first.to_string());
    while let Some(path) = url {
        let page = ann.get(&path).await;
        out.extend(titles(&page.json["results"]));
        url = page.json[link]
            .as_str()
            .map(|u| u.trim_start_matches("http://localhost").to_string());
    }
    out
}

async fn app(pagination: PaginationStyle) -> ResourceApp {
    ResourceApp::start(Config {
        pagination,
        page_size: 4,
        ..Config::default()
    })
    .await
}

#[tokio::test]
async fn page_numbers_show_own_and_public_rows_in_one_order() {
    let app = app(PaginationStyle::PageNumberPagination).await;
    let (ann, visible) = seeded(&app).await;
    assert_eq!(walk(&ann, "/api/notes/", "next").await, visible);
    assert_eq!(ann.get("/api/notes/").await.json["count"], visible.len());
    let mut by_title = visible.clone();
    by_title.sort();
    assert_eq!(
        walk(&ann, "/api/notes/?ordering=title", "next").await,
        by_title
    );
    by_title.reverse();
    assert_eq!(
        walk(&ann, "/api/notes/?ordering=-title", "next").await,
        by_title
    );
    // A filter and a search apply to both kinds of rows.
    let public: Vec<String> = visible
        .iter()
        .filter(|t| t.starts_with('b') || ["a0", "a3", "a6"].contains(&t.as_str()))
        .cloned()
        .collect();
    assert_eq!(
        walk(&ann, "/api/notes/?is_public=true", "next").await,
        public
    );
    let private = ann.get("/api/notes/?is_public=false").await;
    assert_eq!(private.json["count"], 6);
    let searched = walk(&ann, "/api/notes/?search=4", "next").await;
    assert_eq!(searched, ["b4", "a4"]);
    assert_eq!(ann.get("/api/notes/?search=4").await.json["count"], 2);
}

#[tokio::test]
async fn limit_offset_windows_show_own_and_public_rows_in_one_order() {
    let app = app(PaginationStyle::LimitOffsetPagination).await;
    let (ann, visible) = seeded(&app).await;
    for (limit, offset) in [(3, 0), (3, 2), (5, 7), (4, 10), (20, 0)] {
        let page = ann
            .get(&format!("/api/notes/?limit={limit}&offset={offset}"))
            .await;
        let end = (offset + limit).min(visible.len());
        assert_eq!(
            titles(&page.json["results"]),
            visible[offset..end],
            "{limit} {offset}"
        );
        assert_eq!(page.json["count"], visible.len());
    }
}

#[tokio::test]
async fn cursor_pages_show_own_and_public_rows_in_one_order_both_ways() {
    let app = app(PaginationStyle::CursorPagination).await;
    let (ann, visible) = seeded(&app).await;
    let mut pages = Vec::new();
    let mut url = Some("/api/notes/".to_string());
    while let Some(path) = url {
        let page = ann.get(&path).await;
        pages.push(path);
        url = page.json["next"]
            .as_str()
            .map(|u| u.trim_start_matches("http://localhost").to_string());
    }
    assert_eq!(walk(&ann, "/api/notes/", "next").await, visible);
    // Back from the last page: the same rows, pages in reverse.
    let last = pages.last().expect("a page");
    let mut back = walk(&ann, last, "previous").await;
    let last_rows = titles(&ann.get(last).await.json["results"]);
    assert_eq!(back.drain(..last_rows.len()).collect::<Vec<_>>(), last_rows);
    // Each page keeps its order; the pages come from the end, four rows each.
    let before_last = &visible[..visible.len() - last_rows.len()];
    assert_eq!(back, before_last.rchunks(4).collect::<Vec<_>>().concat());
}

//! `[[urls]]`: a project's `urls.py` as configuration. djoser under `/api/auth/`, simplejwt's
//! views at paths of the project's own, a `DefaultRouter` at `/api/v1/` and a
//! `SimpleRouter(trailing_slash=False)` at `/api/v2/`, as a frontend written for that project
//! calls them; the links each one answers; and what `portcullis check` refuses.

use crate::harness::{PASSWORD, TestApp, credentials, token_auth};
use axum::http::StatusCode;
use portcullis_server::Config;
use portcullis_server::config::UrlPattern;
use serde_json::json;

fn include(path: &str, include: &str) -> UrlPattern {
    UrlPattern {
        path: path.into(),
        include: Some(include.into()),
        ..UrlPattern::default()
    }
}

fn view(path: &str, view: &str) -> UrlPattern {
    UrlPattern {
        path: path.into(),
        view: Some(view.into()),
        ..UrlPattern::default()
    }
}

fn router(path: &str, router: &str, trailing_slash: bool) -> UrlPattern {
    UrlPattern {
        path: path.into(),
        router: Some(router.into()),
        trailing_slash: Some(trailing_slash),
        ..UrlPattern::default()
    }
}

/// The layout of tests/projects/urls_layout.
fn project_layout() -> Vec<UrlPattern> {
    vec![
        include("api/auth/", "djoser.urls"),
        include("api/auth/", "djoser.urls.authtoken"),
        include("api/auth/", "djoser.urls.jwt"),
        view("api/jwt/login/", "TokenObtainPairView"),
        view("api/jwt/refresh", "TokenRefreshView"),
        UrlPattern {
            name: Some("Login".into()),
            description: Some("Log in.".into()),
            ..view("api/login/", "ObtainAuthToken")
        },
        router("api/v1/", "DefaultRouter", true),
        router("api/v2/", "SimpleRouter", false),
    ]
}

async fn project() -> TestApp {
    TestApp::migrated(Config {
        urls: project_layout(),
        ..Config::default()
    })
    .await
}

/// A user registered and logged in through djoser at `/api/auth/`; its token.
async fn djoser_user(app: &TestApp, name: &str) -> String {
    let body = json!({"username": name, "password": PASSWORD});
    let made = app.anon().post("/api/auth/users/", body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let login = app
        .anon()
        .post("/api/auth/token/login/", credentials(name, PASSWORD))
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
    login.str("auth_token")
}

#[tokio::test]
async fn djoser_and_simplejwt_answer_where_the_project_mounts_them() {
    let app = project().await;
    let token = djoser_user(&app, "ann").await;
    let me = app.with_key(&token).get("/api/auth/users/me/").await;
    assert_eq!(me.json["username"], "ann");
    let me_json = app.with_key(&token).get("/api/auth/users/me.json").await;
    assert_eq!(me_json.json["username"], "ann");
    let root = app.with_key(&token).get("/api/auth/").await;
    assert_eq!(
        root.json,
        json!({"users": "http://localhost/api/auth/users/"})
    );

    // The reference's own paths are not routes of this project.
    for path in [
        "/auth/users/",
        "/api-token-auth/",
        "/api/token/",
        "/api/notes/",
    ] {
        let res = app.with_key(&token).get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }

    let pair = app
        .anon()
        .post("/api/jwt/login/", credentials("ann", PASSWORD))
        .await;
    assert_eq!(pair.status, StatusCode::OK, "{}", pair.text);
    let refreshed = app
        .anon()
        .post("/api/jwt/refresh", json!({"refresh": pair.str("refresh")}))
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    // APPEND_SLASH only appends: the slashed spelling of a slashless view is no route.
    let slashed = app
        .anon()
        .post("/api/jwt/refresh/", json!({"refresh": pair.str("refresh")}))
        .await;
    assert_eq!(slashed.status, StatusCode::NOT_FOUND);
    let login = app
        .anon()
        .post("/api/login/", credentials("ann", PASSWORD))
        .await;
    assert_eq!(login.str("token"), token);
}

#[tokio::test]
async fn a_default_router_has_a_root_and_suffixes_and_redirects_to_its_slash() {
    let app = project().await;
    let token = djoser_user(&app, "ann").await;
    let client = app.with_key(&token);
    let root = client.get("/api/v1/").await;
    assert_eq!(
        root.json,
        json!({"notes": "http://localhost/api/v1/notes/"})
    );
    for path in ["/api/v1/.json", "/api/v1/.json/"] {
        let root = client.get(path).await;
        assert_eq!(
            root.json,
            json!({"notes": "http://localhost/api/v1/notes.json"}),
            "{path}"
        );
    }
    let made = client.post("/api/v1/notes/", json!({"title": "one"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = made.json["id"].as_i64().unwrap_or_default();
    let suffixed = client.get(&format!("/api/v1/notes/{id}.json")).await;
    assert_eq!(suffixed.json["title"], "one");
    let redirect = client.get(&format!("/api/v1/notes/{id}")).await;
    assert_eq!(redirect.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some(format!("/api/v1/notes/{id}/").as_str())
    );
}

#[tokio::test]
async fn a_slashless_simple_router_has_neither_root_nor_suffixes_nor_redirects() {
    let app = project().await;
    let token = djoser_user(&app, "ann").await;
    let client = app.with_key(&token);
    let made = client.post("/api/v2/notes", json!({"title": "one"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = made.json["id"].as_i64().unwrap_or_default();
    let detail = format!("/api/v2/notes/{id}");
    assert_eq!(client.get(&detail).await.json["title"], "one");
    let put = client
        .put(&detail, json!({"title": "two", "body": "b"}))
        .await;
    assert_eq!(put.json["title"], "two");
    // The slashed spellings are no routes, and nothing redirects to the slashless ones.
    for path in [
        "/api/v2/notes/".to_string(),
        format!("{detail}/"),
        "/api/v2/".to_string(),
        "/api/v2".to_string(),
        "/api/v2/notes.json".to_string(),
        format!("{detail}.json"),
    ] {
        let res = client.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(client.delete(&detail).await.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn pagination_links_stay_under_the_mount() {
    let app = project().await;
    let token = djoser_user(&app, "ann").await;
    let client = app.with_key(&token);
    for i in 0..21 {
        let res = client
            .post("/api/v2/notes", json!({"title": format!("n{i}")}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let page = client.get("/api/v2/notes?ordering=id").await;
    assert_eq!(
        page.json["next"],
        "http://localhost/api/v2/notes?ordering=id&page=2"
    );
    let page = client.get("/api/v1/notes.json?page=2").await;
    assert_eq!(page.json["previous"], "http://localhost/api/v1/notes.json");
}

#[tokio::test]
async fn options_names_the_view_wherever_it_is_mounted() {
    let app = project().await;
    let pair = app.anon().call("OPTIONS", "/api/jwt/login/", None).await;
    assert_eq!(pair.json["name"], "Token Obtain Pair");
    assert_eq!(
        pair.json["description"],
        "Takes a set of user credentials and returns an access and refresh JSON web\n\
         token pair to prove the authentication of those credentials."
    );
    let djoser = app
        .anon()
        .call("OPTIONS", "/api/auth/jwt/create/", None)
        .await;
    assert_eq!(djoser.json["name"], pair.json["name"]);
    let login = app.anon().call("OPTIONS", "/api/login/", None).await;
    assert_eq!(login.json["name"], "Login");
    assert_eq!(login.json["description"], "Log in.");
}

#[tokio::test]
async fn without_urls_the_layout_is_the_reference_projects() {
    let app = TestApp::migrated(Config::default()).await;
    let client = app.user("ann").await;
    let root = client.get("/api/.json").await;
    assert_eq!(
        root.json,
        json!({"notes": "http://localhost/api/notes.json"})
    );
    let root = client.get("/api/?format=json").await;
    assert_eq!(
        root.json,
        json!({"notes": "http://localhost/api/notes/?format=json"})
    );
    assert_eq!(
        client.get("/auth/users/me.json").await.json["username"],
        "ann"
    );
    let auth = client.get("/auth/.json").await;
    assert_eq!(
        auth.json,
        json!({"users": "http://localhost/auth/users.json"})
    );
    let logout_all = client.post("/auth/logout_all/", json!({})).await;
    assert_eq!(
        logout_all.status,
        StatusCode::NO_CONTENT,
        "{}",
        logout_all.text
    );
}

#[tokio::test]
async fn a_throttle_scope_on_a_mounted_view_applies_there_only() {
    let mut config = Config {
        urls: vec![
            include("api/auth/", "djoser.urls"),
            UrlPattern {
                throttle_scope: Some("login".into()),
                ..view("api/login/", "obtain_auth_token")
            },
            view("api/open-login/", "obtain_auth_token"),
        ],
        ..Config::default()
    };
    config.throttle.rates.insert("login".into(), "2/min".into());
    config.throttle.login_scope = String::new();
    let app = TestApp::migrated(config).await;
    let body = json!({"username": "ann", "password": PASSWORD});
    assert_eq!(
        app.anon().post("/api/auth/users/", body).await.status,
        StatusCode::CREATED
    );
    for _ in 0..2 {
        let res = app.login("/api/login/", "ann", PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let third = app.login("/api/login/", "ann", PASSWORD).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    let open = app.login("/api/open-login/", "ann", PASSWORD).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.text);
    let me = app
        .authorized(&token_auth(&open.str("token")))
        .get("/api/auth/users/me/")
        .await;
    assert_eq!(me.status, StatusCode::OK);
}

fn problems(urls: Vec<UrlPattern>) -> Vec<String> {
    Config {
        urls,
        ..Config::default()
    }
    .problems()
    .iter()
    .map(ToString::to_string)
    .collect()
}

#[test]
fn check_says_which_idiom_it_refuses_and_why() {
    let found = problems(vec![
        include("api/auth/", "djoser.urls"),
        include("api/auth/", "djoser.urls"),
        include("/auth/", "djoser.urls.jwt"),
        include("api", "djoser.urls.authtoken"),
        include("accounts/", "rest_framework.urls"),
        view("api/login/", "LoginView"),
        router("", "DefaultRouter", true),
        UrlPattern {
            resources: Some(vec!["posts".into()]),
            ..router("api/v3/", "SimpleRouter", true)
        },
        UrlPattern {
            throttle_scope: Some("burst".into()),
            ..view("api/token/", "TokenObtainPairView")
        },
    ]);
    let expected = [
        "urls[1]: /api/auth/ is already served by urls[0]",
        "urls[2]: path \"/auth/\" begins with '/'",
        "urls[3]: prefix \"api\" must end with '/'",
        "urls[4]: include \"rest_framework.urls\" is unknown (DRF's session login pages",
        "urls[5]: view \"LoginView\" is unknown; one of: TokenObtainPairView",
        "urls[6]: / is already served by Portcullis's web app",
        "urls[7]: resource \"posts\" is not in the schema",
        "throttle.rates: no rate for the scope \"burst\"",
    ];
    for want in expected {
        assert!(
            found.iter().any(|p| p.starts_with(want)),
            "missing {want:?} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn the_older_extra_routes_are_views_of_the_layout() {
    let found = problems(vec![view("api/login/", "obtain_auth_token")]);
    assert_eq!(found, Vec::<String>::new());
    let clash: Vec<String> = Config {
        urls: vec![view("api/login/", "obtain_auth_token")],
        extra_routes: vec![portcullis_server::config::ExtraRoute {
            path: "/api/login/".into(),
            endpoint: "token_login".into(),
            throttle_scope: None,
        }],
        ..Config::default()
    }
    .problems()
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        clash,
        [
            "extra_routes[0]: /api/login/ is already served by urls[0] (Django would only ever \
          answer with the first of the two)"
        ]
    );
}

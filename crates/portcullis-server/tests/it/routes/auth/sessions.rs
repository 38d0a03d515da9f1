//! `/auth/sessions/`: a user's own DRF token and JWT refresh sessions, with the client each
//! was issued to (behind one trusted proxy, the address `X-Forwarded-For` gives, as the
//! throttle takes it), and ending one of them.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::harness::admin::AdminApp;
use crate::harness::{ME, PASSWORD};
use portcullis_server::Config;

const LAPTOP: (&str, &str) = ("203.0.113.5", "Firefox/140 on a laptop");
const PHONE: (&str, &str) = ("198.51.100.7", "ExampleApp/2.1 (phone)");

/// One proxy in front: its `X-Forwarded-For` names the client.
async fn proxied_app() -> AdminApp {
    let mut config = Config::default();
    config.throttle.num_proxies = Some(1);
    AdminApp::with_config(config).await
}

/// A login body sent from `client` (its address and user agent).
async fn post_from(app: &AdminApp, path: &str, client: (&str, &str), body: Value) -> Value {
    let headers = [("x-forwarded-for", client.0), ("user-agent", client.1)];
    let reply = app.anon().send("POST", path, &headers, Some(body)).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
    reply.json
}

/// ann registered, signed in with a DRF token from the laptop and with JWTs from the phone:
/// (token, refresh, access).
async fn ann_on_two_clients(app: &AdminApp) -> (String, String, String) {
    app.register("ann", PASSWORD).await;
    let creds = json!({"username": "ann", "password": PASSWORD});
    let token = post_from(app, "/api-token-auth/", LAPTOP, creds.clone()).await;
    let pair = post_from(app, "/auth/jwt/create/", PHONE, creds).await;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (
        text(&token["token"]),
        text(&pair["refresh"]),
        text(&pair["access"]),
    )
}

fn of_kind<'a>(list: &'a Value, kind: &str) -> Vec<&'a Value> {
    list.as_array()
        .map(|a| a.iter().filter(|s| s["kind"] == kind).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_list_shows_both_clients_and_no_secret() {
    let app = proxied_app().await;
    let (token, refresh, access) = ann_on_two_clients(&app).await;
    let reply = app.with_key(&token).get("/auth/sessions/").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.json.as_array().map(Vec::len),
        Some(2),
        "{}",
        reply.text
    );
    let drf = of_kind(&reply.json, "token");
    let jwt = of_kind(&reply.json, "jwt");
    assert_eq!(drf.len(), 1, "{}", reply.text);
    assert_eq!(jwt.len(), 1, "{}", reply.text);
    assert_eq!(drf[0]["client_addr"], LAPTOP.0);
    assert_eq!(drf[0]["user_agent"], LAPTOP.1);
    assert_eq!(jwt[0]["client_addr"], PHONE.0);
    assert_eq!(jwt[0]["user_agent"], PHONE.1);
    for session in [drf[0], jwt[0]] {
        assert!(session["id"].as_str().is_some_and(|id| id.len() == 32));
        assert!(
            session["created"]
                .as_str()
                .is_some_and(|c| c.ends_with('Z'))
        );
    }
    assert!(jwt[0]["expires"].as_str().is_some_and(|e| e.ends_with('Z')));
    // The token was just used to read this list: its "last used" is recorded.
    let again = app.bearer(&access).get("/auth/sessions/").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert!(of_kind(&again.json, "token")[0]["last_used"].is_string());
    // Neither answer shows a key, a token, a jti or the password.
    let jti = crate::harness::jwt::claims(&refresh)["jti"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for text in [&reply.text, &again.text] {
        for secret in [&token, &refresh, &access, &jti, &PASSWORD.to_string()] {
            assert!(!text.contains(secret.as_str()), "{text} shows a secret");
        }
    }
}

#[tokio::test]
async fn ending_a_session_stops_it_and_only_its_owner_may() {
    let app = proxied_app().await;
    let (token, refresh, _) = ann_on_two_clients(&app).await;
    let bob = app.user("bob").await;
    let list = app.with_key(&token).get("/auth/sessions/").await.json;
    let jwt_id = of_kind(&list, "jwt")[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let token_id = of_kind(&list, "token")[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // Another user's session and an unknown id are both "not found".
    let path = format!("/auth/sessions/{jwt_id}/");
    let reply = bob.delete(&path).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    assert_eq!(reply.json, json!({"detail": "Not found."}));
    let reply = app.with_key(&token).delete("/auth/sessions/nope/").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    assert_eq!(
        app.anon().delete(&path).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The refresh session ended: its refresh token refreshes nothing more.
    let reply = app.with_key(&token).delete(&path).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let reply = app
        .anon()
        .post("/auth/jwt/refresh/", json!({"refresh": refresh}))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    let list = app.with_key(&token).get("/auth/sessions/").await.json;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");

    // The token session ended: the very next request with the key is refused.
    assert_eq!(app.with_key(&token).get(ME).await.status, StatusCode::OK);
    let reply = app
        .with_key(&token)
        .delete(&format!("/auth/sessions/{token_id}/"))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    assert_eq!(
        app.with_key(&token).get(ME).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_all_empties_the_list_and_anonymous_is_refused() {
    let app = proxied_app().await;
    let (token, _, access) = ann_on_two_clients(&app).await;
    let reply = app
        .bearer(&access)
        .post("/auth/logout_all/", json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.text);
    let fresh = app.token("ann", PASSWORD).await;
    assert_ne!(fresh, token);
    let list = app.with_key(&fresh).get("/auth/sessions/").await.json;
    // Only the token of this new login: the revoked refresh token is no session any more.
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["kind"], "token");
    let reply = app.anon().get("/auth/sessions/").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
}

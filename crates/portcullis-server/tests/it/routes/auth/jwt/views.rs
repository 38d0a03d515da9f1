//! The JWT endpoints as simplejwt and djoser answer them: `/auth/jwt/{create,refresh,verify}/`,
//! `/api/token/…`, and `Authorization: Bearer` on the DRF views.

use crate::harness::jwt::*;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

const BEARER_REALM: &str = "Bearer realm=\"api\"";

#[tokio::test]
async fn create_returns_a_pair_with_simplejwts_claims() {
    let app = App::new().await;
    let id = app.register("ann", PASSWORD).await;
    for path in ["/auth/jwt/create/", "/auth/jwt/create", "/api/token/"] {
        let res = app
            .anon()
            .post(path, json!({"username": "ann", "password": PASSWORD}))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(res.header("allow").as_deref(), Some("OPTIONS, POST"));
        let (refresh, access) = (res.str("refresh"), res.str("access"));
        assert_eq!(header(&refresh), json!({"alg": "HS256", "typ": "JWT"}));
        let r = claims(&refresh);
        let a = claims(&access);
        let keys =
            |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        for (c, kind, lifetime) in [(&r, "refresh", 86400), (&a, "access", 300)] {
            // simplejwt's `Token()` sets the type, exp, iat and jti, then `for_user` the user id;
            // PyJWT writes the payload in that order (it sorts only the header).
            assert_eq!(keys(c), ["token_type", "exp", "iat", "jti", "user_id"]);
            assert_eq!(c["token_type"], kind);
            assert_eq!(
                c["user_id"],
                id.to_string(),
                "a string, as simplejwt writes it"
            );
            assert_eq!(
                c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
                lifetime
            );
            let jti = c["jti"].as_str().unwrap();
            assert!(jti.len() == 32 && jti.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert_ne!(r["jti"], a["jti"]);
    }
}

#[tokio::test]
async fn create_refuses_bad_credentials_like_simplejwt() {
    let app = App::new().await;
    app.register("ann", PASSWORD).await;
    let no_account = json!({"detail": "No active account found with the given credentials"});
    for body in [
        json!({"username": "ann", "password": "wrong-pass-1"}),
        json!({"username": "ghost", "password": PASSWORD}),
        // Passwords are compared as sent (simplejwt would trim this one).
        json!({"username": "ann", "password": format!(" {PASSWORD} ")}),
    ] {
        let res = app.anon().post("/api/token/", body).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            res.header("www-authenticate").as_deref(),
            Some(BEARER_REALM)
        );
        assert_eq!(res.json, no_account);
    }
    let res = app.anon().post("/auth/jwt/create/", json!({})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        res.json,
        json!({"username": ["This field is required."], "password": ["This field is required."]})
    );
    let res = app
        .anon()
        .post("/auth/jwt/create/", json!({"username": "", "password": ""}))
        .await;
    assert_eq!(
        res.json["username"],
        json!(["This field may not be blank."])
    );
    let res = app.anon().get("/auth/jwt/create/").await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.json, json!({"detail": "Method \"GET\" not allowed."}));
}

#[tokio::test]
async fn inactive_users_get_no_tokens() {
    let app = App::new().await;
    let id = app.register("ann", PASSWORD).await;
    app.deactivate(id).await;
    let res = app
        .anon()
        .post(
            "/auth/jwt/create/",
            json!({"username": "ann", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bearer_access_authenticates_every_view() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let res = ann.get(ME).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["id"], ann.id);
    let note = json!({"title": "jwt note"});
    let res = ann.post("/api/notes/", note).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.json["owner"], "ann");
    // The DRF `Token` keyword does not take a JWT: DRF's own answer, its own challenge.
    let res = app.with_key(&ann.access).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, json!({"detail": "Invalid token."}));
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
}

#[tokio::test]
async fn bearer_header_forms() {
    let app = App::new().await;
    let access = app.jwt_user("ann").await.access;
    // Only `Bearer`, exactly: another casing is no JWT header at all (anonymous).
    let res = app.authorized(&format!("bearer {access}")).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.json,
        json!({"detail": "Authentication credentials were not provided."})
    );
    let two = json!({
        "detail": "Authorization header must contain two space-delimited values",
        "code": "bad_authorization_header",
    });
    for header in ["Bearer".to_string(), format!("Bearer {access} extra")] {
        let res = app.authorized(&header).get(ME).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json, two);
        assert_eq!(res.header("www-authenticate").as_deref(), Some("Token"));
    }
    let res = app
        .authorized(&format!("Bearer \t{access}  "))
        .get(ME)
        .await;
    assert_eq!(res.status, StatusCode::OK, "split on whitespace runs");
    let res = app.authorized("Bearer garbage").get(ME).await;
    assert_eq!(res.json, bearer_refusal("Token is invalid"));
}

#[tokio::test]
async fn refresh_returns_a_new_pair_and_an_access_token_that_works() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(res.status, StatusCode::OK);
    let (refresh2, access2) = (res.str("refresh"), res.str("access"));
    assert_eq!(app.bearer(&access2).get(ME).await.status, StatusCode::OK);
    assert_eq!(
        claims(&refresh2)["user_id"],
        claims(&ann.refresh)["user_id"]
    );
    assert_ne!(claims(&refresh2)["jti"], claims(&ann.refresh)["jti"]);
    let res = app.anon().post("/api/token/refresh/", json!({})).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_eq!(res.json, json!({"refresh": ["This field is required."]}));
    let res = app.refresh("garbage").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        res.header("www-authenticate").as_deref(),
        Some(BEARER_REALM)
    );
    assert_eq!(res.json, token_refusal("Token is invalid"));
}

#[tokio::test]
async fn verify_accepts_any_valid_type_and_answers_simplejwts_shapes() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    for token in [&ann.access, &ann.refresh] {
        let res = app.verify(token).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.json, json!({}));
    }
    let res = app
        .anon()
        .post("/api/token/verify/", json!({ "token": ann.access }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    for (token, message) in [("abc", "Token is invalid"), ("..", "Token is invalid")] {
        let res = app.verify(token).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json, token_refusal(message));
    }
    let res = app.verify("").await;
    assert_eq!(res.json, json!({"token": ["This field may not be blank."]}));
    app.refresh(&ann.refresh).await;
    assert_verify_says_blacklisted(&app, &ann.refresh).await;
    let res = app
        .anon()
        .post("/auth/jwt/verify", json!({"token": "x"}))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "djoser's no-slash route"
    );
}

#[tokio::test]
async fn blacklist_endpoint_logs_a_refresh_token_out() {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let res = app
        .anon()
        .post("/api/token/blacklist/", json!({ "refresh": ann.refresh }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json, json!({}));
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(res.json, token_refusal("Token is blacklisted"));
    let res = app
        .anon()
        .post("/api/token/blacklist/", json!({ "refresh": ann.refresh }))
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json, token_refusal("Token is blacklisted"));
    let res = app
        .anon()
        .post("/api/token/blacklist/", json!({ "refresh": ann.access }))
        .await;
    assert_eq!(res.json, token_refusal("Token has wrong type"));
    // Only refresh tokens are blacklisted; the access token lives out its five minutes.
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn routes_are_anchored_and_simplejwts_get_append_slash() {
    let app = App::new().await;
    app.register("ann", PASSWORD).await;
    let body = json!({"username": "ann", "password": PASSWORD});
    let res = app.anon().post("/auth/jwt/createXYZ", body.clone()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.json, json!({"detail": "Not found."}));
    let res = app.anon().post("/api/token", body).await;
    assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(res.header("location").as_deref(), Some("/api/token/"));
}

#[tokio::test]
async fn options_describes_the_serializer() {
    let app = App::new().await;
    let res = app
        .anon()
        .call("OPTIONS", "/api/token/refresh/", None)
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json["name"], "Token Refresh");
    assert_eq!(res.json["actions"]["POST"]["refresh"]["required"], true);
    assert_eq!(res.json["actions"]["POST"]["access"]["read_only"], true);
}

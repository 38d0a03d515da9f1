//! Each `[jwt]` setting with simplejwt's meaning, and the configuration checks that refuse a
//! bad value before the server starts.
// Helpers outside the #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use crate::harness::jwt::*;
use crate::harness::jwt_keys::*;
use crate::harness::*;
use axum::http::StatusCode;
use portcullis_server::Config;
use serde_json::json;

#[tokio::test]
async fn lifetimes() {
    let app = App::with(|c| {
        c.jwt.access_token_lifetime = 60;
        c.jwt.refresh_token_lifetime = 7200;
    })
    .await;
    let ann = app.jwt_user("ann").await;
    let span = |t: &str| claims(t)["exp"].as_i64().unwrap() - claims(t)["iat"].as_i64().unwrap();
    assert_eq!((span(&ann.refresh), span(&ann.access)), (7200, 60));
    let res = app.refresh(&ann.refresh).await;
    assert_eq!(
        (span(&res.str("refresh")), span(&res.str("access"))),
        (7200, 60)
    );
}

#[tokio::test]
async fn rotation_and_blacklist_switches() {
    // simplejwt's defaults: no rotation, the refresh token is reused until it expires.
    let app = App::with(|c| c.jwt = Default::default()).await;
    let ann = app.jwt_user("ann").await;
    for _ in 0..2 {
        let res = app.refresh(&ann.refresh).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(
            res.json.as_object().unwrap().len(),
            1,
            "only an access token"
        );
        assert_eq!(
            app.bearer(&res.str("access")).get(ME).await.status,
            StatusCode::OK
        );
    }
    // Rotation without the blacklist: a new refresh token, the old one still valid.
    let app = App::with(|c| c.jwt.blacklist_after_rotation = false).await;
    let ann = app.jwt_user("ann").await;
    let res = app.refresh(&ann.refresh).await;
    assert!(!res.str("refresh").is_empty());
    assert_eq!(app.refresh(&ann.refresh).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&res.str("refresh")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn update_last_login() {
    for update in [false, true] {
        let app = App::with(|c| c.jwt.update_last_login = update).await;
        let id = app.register("ann", PASSWORD).await;
        app.jwt_pair("ann", PASSWORD).await;
        let user = app
            .state
            .store()
            .accounts()
            .user_by_id(id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.last_login.is_some(), update);
    }
}

/// An app signing with `algorithm` and the PEM key pair written to files.
async fn asymmetric(algorithm: &str, private: &str, public: &str) -> App {
    let dir = tempfile::tempdir().unwrap();
    let (signing, verifying) = (
        dir.path().join("private.pem"),
        dir.path().join("public.pem"),
    );
    std::fs::write(&signing, private).unwrap();
    std::fs::write(&verifying, public).unwrap();
    let app = App::with(|c| {
        c.jwt.algorithm = algorithm.into();
        c.jwt.signing_key = String::new();
        c.jwt.signing_key_file = signing.display().to_string();
        c.jwt.verifying_key_file = verifying.display().to_string();
    })
    .await;
    // The keys are loaded at start; the files may go.
    drop(dir);
    app
}

#[tokio::test]
async fn asymmetric_algorithms_from_pem_files() {
    for (alg, private, public) in [
        ("RS256", RSA_PRIVATE, RSA_PUBLIC),
        ("RS512", RSA_PRIVATE, RSA_PUBLIC),
        ("PS256", RSA_PRIVATE, RSA_PUBLIC),
        ("ES256", EC_PRIVATE, EC_PUBLIC),
        ("EdDSA", ED_PRIVATE, ED_PUBLIC),
    ] {
        let app = asymmetric(alg, private, public).await;
        let ann = app.jwt_user("ann").await;
        assert_eq!(header(&ann.access), json!({"alg": alg, "typ": "JWT"}));
        assert_eq!(ann.get(ME).await.status, StatusCode::OK, "{alg}");
        let res = app.refresh(&ann.refresh).await;
        assert_eq!(res.status, StatusCode::OK, "{alg}");
        assert_eq!(app.verify(&res.str("access")).await.status, StatusCode::OK);
        // An HS256 token, even one signed with the right secret of another server, is refused.
        let token = access_for(1, json!({}));
        assert_eq!(
            app.bearer(&token).get(ME).await.json,
            bearer_refusal("Token is invalid")
        );
    }
}

#[tokio::test]
async fn the_default_key_derives_from_the_server_secret() {
    let config = Config::default();
    let app = App::with_config(config.clone()).await;
    let ann = app.jwt_user("ann").await;
    let same = app.sibling(config.clone(), SECRET);
    assert_eq!(
        same.bearer(&ann.access).get(ME).await.status,
        StatusCode::OK
    );
    let other = app.sibling(config, b"a different server secret of 32 bytes or more");
    assert_eq!(
        other.bearer(&ann.access).get(ME).await.json,
        bearer_refusal("Token is invalid")
    );
    // The server secret itself is not the JWT key.
    let claims = json!({"token_type": "access", "exp": now() + 60, "jti": "j",
                        "user_id": ann.id.to_string()});
    let token = forge(json!({"alg": "HS256"}), claims, SECRET);
    assert_eq!(
        app.bearer(&token).get(ME).await.json,
        bearer_refusal("Token is invalid")
    );
}

#[tokio::test]
async fn hs512_with_a_long_enough_key() {
    let app = App::with(|c| {
        c.jwt.algorithm = "HS512".into();
        c.jwt.signing_key = "k".repeat(64);
    })
    .await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(header(&ann.access)["alg"], "HS512");
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
}

#[tokio::test]
async fn leeway() {
    let app = App::with(|c| c.jwt.leeway = 30).await;
    let id = app.register("ann", PASSWORD).await;
    let ok = [
        json!({"exp": now() - 10}),
        json!({"iat": now() + 20}),
        json!({"nbf": now() + 20}),
    ];
    for extra in ok {
        assert_eq!(
            app.bearer(&access_for(id, extra.clone()))
                .get(ME)
                .await
                .status,
            StatusCode::OK,
            "{extra}"
        );
    }
    let res = app
        .bearer(&access_for(id, json!({"exp": now() - 40})))
        .get(ME)
        .await;
    assert_eq!(res.json, bearer_refusal("Token is expired"));
    let res = app
        .bearer(&access_for(id, json!({"iat": now() + 40})))
        .get(ME)
        .await;
    assert_eq!(res.json, bearer_refusal("Token is invalid"));
}

#[tokio::test]
async fn claim_names() {
    let app = App::with(|c| {
        c.jwt.user_id_claim = "sub".into();
        c.jwt.token_type_claim = "kind".into();
        c.jwt.jti_claim = "token_id".into();
    })
    .await;
    let ann = app.jwt_user("ann").await;
    let c = claims(&ann.access);
    assert_eq!(
        (c["sub"].clone(), c["kind"].clone()),
        (json!(ann.id.to_string()), json!("access"))
    );
    assert!(c["token_id"].is_string() && c.get("jti").is_none() && c.get("user_id").is_none());
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    assert_eq!(app.refresh(&ann.refresh).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&ann.refresh).await.json,
        token_refusal("Token is blacklisted")
    );
    // simplejwt's default names mean nothing here.
    let res = app.bearer(&access_for(ann.id, json!({}))).get(ME).await;
    assert_eq!(res.json, bearer_refusal("Token has no id"));
}

fn problem_keys(change: impl FnOnce(&mut Config)) -> Vec<String> {
    let mut config = Config::default();
    change(&mut config);
    config.problems().into_iter().map(|p| p.key).collect()
}

#[test]
fn configuration_problems_name_their_key() {
    assert_eq!(problem_keys(|_| {}), Vec::<String>::new());
    assert_eq!(
        problem_keys(|c| c.jwt.algorithm = "none".into()),
        ["jwt.algorithm"]
    );
    assert_eq!(
        problem_keys(|c| c.jwt.algorithm = "hs256".into()),
        ["jwt.algorithm"]
    );
    assert_eq!(
        problem_keys(|c| c.jwt.refresh_token_lifetime = 0),
        ["jwt.refresh_token_lifetime"]
    );
    assert_eq!(
        problem_keys(|c| c.jwt.signing_key = "short".into()),
        ["jwt.signing_key"]
    );
    assert_eq!(
        problem_keys(|c| {
            c.jwt.algorithm = "HS512".into();
            c.jwt.signing_key = "k".repeat(32);
        }),
        ["jwt.signing_key"]
    );
    assert_eq!(
        problem_keys(|c| {
            c.jwt.algorithm = "RS256".into();
            c.jwt.signing_key_file = "/nonexistent/private.pem".into();
            c.jwt.verifying_key = RSA_PUBLIC.into();
        }),
        ["jwt.signing_key_file"]
    );
    assert_eq!(
        problem_keys(|c| {
            c.jwt.algorithm = "RS256".into();
            c.jwt.signing_key = RSA_PRIVATE.into();
            c.jwt.verifying_key = OTHER_RSA_PUBLIC.into();
        }),
        ["jwt.verifying_key"]
    );
    assert_eq!(
        problem_keys(|c| {
            c.jwt.algorithm = "ES256".into();
            c.jwt.signing_key = RSA_PRIVATE.into();
            c.jwt.verifying_key = RSA_PUBLIC.into();
        }),
        ["jwt.signing_key"]
    );
    assert_eq!(
        problem_keys(|c| c.jwt.verifying_key = RSA_PUBLIC.into()),
        ["jwt.verifying_key"]
    );
    let unknown = toml::from_str::<Config>("[jwt]\nsigning_algorithm = \"HS256\"\n");
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("signing_algorithm")
    );
    let oracle: Config =
        toml::from_str(&std::fs::read_to_string("../../config/oracle.toml").unwrap()).unwrap();
    assert!(oracle.jwt.rotate_refresh_tokens && oracle.jwt.blacklist_after_rotation);
    assert_eq!(
        (
            oracle.jwt.access_token_lifetime,
            oracle.jwt.refresh_token_lifetime
        ),
        (300, 86400)
    );
}

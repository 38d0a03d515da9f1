//! RFC 8725's attacks on JWTs, each refused with a 401 in simplejwt's shape — on a DRF view
//! (`Bearer`), and on the token endpoints — and with nothing else happening: no token recorded
//! or blacklisted, the legitimate tokens still working.
// Helpers outside the #[test] functions unwrap too: a failed setup is a failed test.
#![allow(clippy::unwrap_used)]

use crate::harness::jwt::*;
use crate::harness::jwt_keys::{RSA_PRIVATE, RSA_PUBLIC};
use crate::harness::{ME, PASSWORD};
use axum::http::StatusCode;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

/// Every way `token` can be used, each of which must refuse it as invalid.
async fn refused_everywhere(app: &App, token: &str, message: &str) {
    let res = app.bearer(token).get(ME).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{token}");
    assert_eq!(res.json, bearer_refusal(message), "{token}");
    for (path, field) in [
        ("/auth/jwt/verify/", "token"),
        ("/auth/jwt/refresh/", "refresh"),
        ("/api/token/blacklist/", "refresh"),
    ] {
        let res = app.anon().post(path, json!({ field: token })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{path} {token}");
        assert_eq!(res.json, token_refusal(message), "{path} {token}");
    }
}

/// The app with one user, its pair, and the state of the refresh table before the attacks.
async fn victim() -> (App, i64, String, String) {
    let app = App::new().await;
    let ann = app.jwt_user("ann").await;
    let (id, refresh, access) = (ann.id, ann.refresh, ann.access);
    (app, id, refresh, access)
}

/// After the attacks: nothing was recorded or blacklisted, and the real tokens still work.
async fn nothing_happened(app: &App, refresh: &str, access: &str) {
    let rows = app.refresh_rows().await;
    assert_eq!(
        rows.len(),
        1,
        "only the legitimate refresh token is recorded: {rows:?}"
    );
    assert!(!rows[0].1, "and it is not blacklisted");
    assert_eq!(app.bearer(access).get(ME).await.status, StatusCode::OK);
    assert_eq!(app.refresh(refresh).await.status, StatusCode::OK);
}

fn refresh_claims(id: i64) -> Value {
    json!({"token_type": "refresh", "exp": now() + 3600, "iat": now(), "jti": "r-1",
           "user_id": id.to_string()})
}

#[tokio::test]
async fn alg_none_in_any_casing() {
    let (app, id, refresh, access) = victim().await;
    for alg in ["none", "None", "NONE", "nOnE"] {
        let claims = json!({"token_type": "access", "exp": now() + 300, "jti": "x",
                            "user_id": id.to_string()});
        let header = json!({"alg": alg, "typ": "JWT"});
        let unsigned = format!(
            "{}.{}.",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        refused_everywhere(&app, &unsigned, "Token is invalid").await;
        // The same with a real signature over it: `none` is never an algorithm.
        refused_everywhere(
            &app,
            &forge(header, claims, KEY.as_bytes()),
            "Token is invalid",
        )
        .await;
    }
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn only_the_configured_algorithm() {
    let (app, id, refresh, access) = victim().await;
    let claims = refresh_claims(id);
    // Correctly signed HS512 with the right key: still not HS256.
    let header = json!({"alg": "HS512", "typ": "JWT"});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let mut mac = Hmac::<sha2::Sha512>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    let hs512 = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
    refused_everywhere(&app, &hs512, "Token is invalid").await;
    for alg in ["hs256", "RS256", "ES256", "EdDSA", ""] {
        let token = forge(json!({"alg": alg}), claims.clone(), KEY.as_bytes());
        refused_everywhere(&app, &token, "Token is invalid").await;
    }
    let token = forge(json!({"typ": "JWT"}), claims, KEY.as_bytes());
    refused_everywhere(&app, &token, "Token is invalid").await;
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn hmac_signed_with_the_public_key() {
    let app = App::with(|c| {
        c.jwt.algorithm = "RS256".into();
        c.jwt.signing_key = RSA_PRIVATE.into();
        c.jwt.verifying_key = RSA_PUBLIC.into();
    })
    .await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(header(&ann.access)["alg"], "RS256");
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    // The classic key confusion: the public key (known to all) used as an HMAC secret.
    let claims = json!({"token_type": "access", "exp": now() + 300, "jti": "x",
                        "user_id": ann.id.to_string()});
    for alg in ["HS256", "RS256"] {
        let token = forge(
            json!({"alg": alg, "typ": "JWT"}),
            claims.clone(),
            RSA_PUBLIC.as_bytes(),
        );
        refused_everywhere(&app, &token, "Token is invalid").await;
    }
}

#[tokio::test]
async fn tampered_tokens() {
    let (app, _, refresh, access) = victim().await;
    let other = app.register("bob", PASSWORD).await;
    let parts: Vec<&str> = access.split('.').collect();
    let mut payload = claims(&access);
    payload["user_id"] = json!(other.to_string());
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(payload.to_string().as_bytes()),
        parts[2]
    );
    refused_everywhere(&app, &tampered, "Token is invalid").await;
    let mut h = header(&access);
    h["kid"] = json!("k1");
    let tampered = format!(
        "{}.{}.{}",
        b64(h.to_string().as_bytes()),
        parts[1],
        parts[2]
    );
    refused_everywhere(&app, &tampered, "Token is invalid").await;
    // Missing, empty, truncated, padded, non-canonical signatures; too few or many segments.
    let sig = parts[2];
    let last = sig.chars().last().unwrap();
    let flipped = if "AQgw".contains(last) { 'B' } else { 'A' };
    let forms = [
        format!("{}.{}", parts[0], parts[1]),
        format!("{}.{}.", parts[0], parts[1]),
        format!("{}.{}.{}", parts[0], parts[1], &sig[..sig.len() - 4]),
        format!("{access}="),
        format!(
            "{}.{}.{}{flipped}",
            parts[0],
            parts[1],
            &sig[..sig.len() - 1]
        ),
        format!("{access}.{sig}"),
        format!(".{}.{sig}", parts[1]),
    ];
    for token in forms {
        refused_everywhere(&app, &token, "Token is invalid").await;
    }
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn dangerous_headers_are_refused_even_when_signed() {
    let (app, id, refresh, access) = victim().await;
    let claims = refresh_claims(id);
    let headers = [
        json!({"alg": "HS256", "crit": ["exp"]}),
        json!({"alg": "HS256", "crit": ["b64"], "b64": false}),
        json!({"alg": "HS256", "jku": "https://attacker.example/jwks.json"}),
        json!({"alg": "HS256", "x5u": "https://attacker.example/cert.pem"}),
        json!({"alg": "HS256", "jwk": {"kty": "oct", "k": "a2V5"}}),
        json!({"alg": "HS256", "x5c": ["MIIB"]}),
        json!({"alg": "HS256", "typ": "at+jwt"}),
        json!({"alg": "HS256", "kid": 7}),
    ];
    for header in headers {
        let token = forge(header, claims.clone(), KEY.as_bytes());
        refused_everywhere(&app, &token, "Token is invalid").await;
    }
    // A duplicated `alg` means its last value, as in Python: `none` then HS256 is HS256.
    let token = forge_raw(
        r#"{"alg":"none","alg":"HS256"}"#,
        &claims.to_string(),
        KEY.as_bytes(),
    );
    assert_eq!(app.verify(&token).await.status, StatusCode::OK);
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn time_claims() {
    let (app, id, refresh, access) = victim().await;
    let cases = [
        (json!({"exp": null}), "Token has no 'exp' claim"),
        (json!({"exp": now() - 1}), "Token is expired"),
        (json!({"exp": now()}), "Token is expired"),
        (json!({"nbf": now() + 60}), "Token is invalid"),
        (json!({"iat": now() + 60}), "Token is invalid"),
        // simplejwt crashes with a 500 on these (PyJWT lets numeric strings through).
        (
            json!({"exp": (now() + 300).to_string()}),
            "Token is invalid",
        ),
        (json!({"exp": 1e300}), "Token is invalid"),
        (json!({"exp": true}), "Token is invalid"),
        (json!({"iat": "yesterday"}), "Token is invalid"),
        (json!({"nbf": [1]}), "Token is invalid"),
    ];
    for (extra, message) in cases {
        let token = access_for(id, extra.clone());
        let res = app.bearer(&token).get(ME).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{extra}");
        assert_eq!(res.json, bearer_refusal(message), "{extra}");
        assert_eq!(
            app.verify(&token).await.json,
            token_refusal(message),
            "{extra}"
        );
    }
    // A fractional `exp` is truncated (PyJWT's int()), and no `iat` is fine, as in simplejwt.
    let token = access_for(id, json!({"exp": now() as f64 + 60.5, "iat": null}));
    assert_eq!(app.bearer(&token).get(ME).await.status, StatusCode::OK);
    let token = access_for(id, json!({"nbf": now() - 5}));
    assert_eq!(app.bearer(&token).get(ME).await.status, StatusCode::OK);
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn wrong_audience_or_issuer() {
    let app = App::with(|c| {
        c.jwt.audience = "portcullis-api".into();
        c.jwt.issuer = "https://auth.example.com".into();
    })
    .await;
    let ann = app.jwt_user("ann").await;
    assert_eq!(claims(&ann.access)["aud"], "portcullis-api");
    assert_eq!(claims(&ann.access)["iss"], "https://auth.example.com");
    assert_eq!(ann.get(ME).await.status, StatusCode::OK);
    let good = json!({"aud": "portcullis-api", "iss": "https://auth.example.com"});
    let token = access_for(ann.id, good.clone());
    assert_eq!(app.bearer(&token).get(ME).await.status, StatusCode::OK);
    let listed = json!({"aud": ["other", "portcullis-api"], "iss": "https://auth.example.com"});
    assert_eq!(
        app.bearer(&access_for(ann.id, listed)).get(ME).await.status,
        StatusCode::OK
    );
    for bad in [
        json!({"aud": null}),
        json!({"aud": "other-api"}),
        json!({"aud": ["other-api"]}),
        json!({"aud": [1, "portcullis-api"]}),
        json!({"iss": null}),
        json!({"iss": "https://evil.example.com"}),
    ] {
        let mut claims = good.clone();
        for (k, v) in bad.as_object().unwrap() {
            claims[k] = v.clone();
        }
        let token = access_for(ann.id, claims.clone());
        let res = app.bearer(&token).get(ME).await;
        assert_eq!(res.json, bearer_refusal("Token is invalid"), "{claims}");
    }
    // Without a configured audience, a token minted for some audience is not for this server.
    let (app, id, ..) = victim().await;
    let token = access_for(id, json!({"aud": "another-service"}));
    assert_eq!(
        app.bearer(&token).get(ME).await.json,
        bearer_refusal("Token is invalid")
    );
}

#[tokio::test]
async fn token_types_are_enforced() {
    let (app, id, refresh, access) = victim().await;
    let res = app.bearer(&refresh).get(ME).await;
    assert_eq!(res.json, bearer_refusal("Token has wrong type"));
    let res = app.refresh(&access).await;
    assert_eq!(res.json, token_refusal("Token has wrong type"));
    let res = app
        .bearer(&access_for(id, json!({"token_type": null})))
        .get(ME)
        .await;
    assert_eq!(res.json, bearer_refusal("Token has no type"));
    let res = app
        .bearer(&access_for(id, json!({"token_type": ["access"]})))
        .get(ME)
        .await;
    assert_eq!(res.json, bearer_refusal("Token has wrong type"));
    let res = app
        .bearer(&access_for(id, json!({"jti": null})))
        .get(ME)
        .await;
    assert_eq!(res.json, bearer_refusal("Token has no id"));
    // A refresh token without a jti: simplejwt's blacklist check crashes (500) on it.
    let mut claims = refresh_claims(id);
    claims.as_object_mut().unwrap().remove("jti");
    let token = forge(json!({"alg": "HS256"}), claims, KEY.as_bytes());
    assert_eq!(
        app.refresh(&token).await.json,
        token_refusal("Token has no id")
    );
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn oversized_tokens() {
    let (app, id, refresh, access) = victim().await;
    let big = access_for(id, json!({"padding": "x".repeat(5000)}));
    refused_everywhere(&app, &big, "Token is invalid").await;
    let junk = format!(
        "{}.{}.{}",
        "e".repeat(3000),
        "e".repeat(3000),
        "e".repeat(3000)
    );
    refused_everywhere(&app, &junk, "Token is invalid").await;
    nothing_happened(&app, &refresh, &access).await;
}

#[tokio::test]
async fn users_that_are_not_there() {
    let (app, id, refresh, access) = victim().await;
    let no_user = json!({"detail": "Token contained no recognizable user identification",
                         "code": "token_not_valid"});
    for user_id in [
        json!(null),
        json!("abc"),
        json!("12abc"),
        json!(1.5),
        json!(true),
    ] {
        // (`null` leaves the claim out.)
        let token = access_for(id, json!({ "user_id": user_id }));
        let res = app.bearer(&token).get(ME).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json, no_user, "{user_id}");
    }
    let res = app.bearer(&access_for(999_999, json!({}))).get(ME).await;
    assert_eq!(
        res.json,
        json!({"detail": "User not found", "code": "user_not_found"})
    );
    // A non-numeric user id in a refresh token: simplejwt crashes (500).
    let mut claims = refresh_claims(id);
    claims["user_id"] = json!("abc");
    let token = forge(json!({"alg": "HS256"}), claims, KEY.as_bytes());
    assert_eq!(app.refresh(&token).await.json, no_user);
    // The integer form simplejwt also accepts.
    let res = app
        .bearer(&access_for(id, json!({"user_id": id})))
        .get(ME)
        .await;
    assert_eq!(res.status, StatusCode::OK);
    nothing_happened(&app, &refresh, &access).await;
}

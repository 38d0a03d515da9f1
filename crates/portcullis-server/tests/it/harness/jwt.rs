//! The harness of the JWT tests, a layer over the harness core ([`TestApp`]): the
//! application with the oracle's JWT settings and a known key, plus a token forge (HMAC signing
//! of any header and payload) to play the attacker and the foreign issuer. `jwt_user`,
//! `bearer`, `store` and the rest come from [`TestApp`].
use std::ops::Deref;

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use portcullis_server::Config;
use serde_json::{Value, json};

use super::{JwtCaller, ME, Response, TestApp};

/// The HS256 signing key of [`App::new`], known to the forge.
pub(crate) const KEY: &str = "jwt tests: an HS256 signing key of more than 32 bytes";

pub(crate) struct App(TestApp);

impl Deref for App {
    type Target = TestApp;

    fn deref(&self) -> &TestApp {
        &self.0
    }
}

/// The configuration of [`App::new`]: the oracle's JWT settings with a known key.
pub(crate) fn config() -> Config {
    let mut config = Config::default();
    config.jwt.signing_key = KEY.into();
    config.jwt.rotate_refresh_tokens = true;
    config.jwt.blacklist_after_rotation = true;
    config
}

impl App {
    pub(crate) async fn new() -> App {
        App::with_config(config()).await
    }

    pub(crate) async fn with(change: impl FnOnce(&mut Config)) -> App {
        let mut config = config();
        change(&mut config);
        App::with_config(config).await
    }

    pub(crate) async fn with_config(config: Config) -> App {
        App(TestApp::migrated(config).await)
    }

    /// Another instance with a store of its own on the same database (see
    /// [`TestApp::instance`]).
    pub(crate) async fn instance(&self) -> App {
        App(self.0.instance().await)
    }

    /// Another application on the same database (another instance), with its own config and
    /// server secret.
    pub(crate) fn sibling(&self, config: Config, secret: &[u8]) -> App {
        App(self.sibling_with(config, secret))
    }

    pub(crate) async fn refresh(&self, refresh: &str) -> Response {
        self.anon()
            .post("/auth/jwt/refresh/", json!({ "refresh": refresh }))
            .await
    }

    pub(crate) async fn verify(&self, token: &str) -> Response {
        self.anon()
            .post("/auth/jwt/verify/", json!({ "token": token }))
            .await
    }

    /// Rows of `jwt_refresh_token`: `(jti, blacklisted)`.
    pub(crate) async fn refresh_rows(&self) -> Vec<(String, bool)> {
        let db = self.sql().await;
        let rows: Vec<(String, Option<String>)> = db
            .rows(
                "SELECT jti, blacklisted_at FROM jwt_refresh_token ORDER BY jti",
                &[],
            )
            .await;
        db.close().await;
        rows.into_iter().map(|(j, b)| (j, b.is_some())).collect()
    }
}

/// `verify` of a blacklisted refresh token: simplejwt's 400 with a non-field error.
pub(crate) async fn assert_verify_says_blacklisted(app: &App, token: &str) {
    let res = app.verify(token).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text);
    assert_eq!(
        res.json,
        json!({"non_field_errors": ["Token is blacklisted"]})
    );
}

/// The caller's pair is revoked: its access token on a DRF view and its refresh token on its
/// view are both refused as blacklisted.
pub(crate) async fn assert_pair_revoked(app: &App, caller: &JwtCaller<'_>) {
    assert_eq!(
        caller.get(ME).await.json,
        bearer_refusal("Token is blacklisted")
    );
    assert_eq!(
        app.refresh(&caller.refresh).await.json,
        token_refusal("Token is blacklisted")
    );
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The claims of a token, unverified.
pub(crate) fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a payload");
    let payload = URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    serde_json::from_slice(&payload).expect("JSON claims")
}

/// The header of a token, unverified.
pub(crate) fn header(token: &str) -> Value {
    let header = token.split('.').next().expect("a header");
    let header = URL_SAFE_NO_PAD.decode(header).expect("base64url");
    serde_json::from_slice(&header).expect("a JSON header")
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is past 1970")
        .as_secs() as i64
}

/// HMAC-SHA256 of `message`, base64url.
pub(crate) fn hs256(key: &[u8], message: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(message.as_bytes());
    b64(&mac.finalize().into_bytes())
}

/// A token with this header and payload text, HS256-signed with `key` (whatever `alg` says).
pub(crate) fn forge_raw(header: &str, payload: &str, key: &[u8]) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = hs256(key, &input);
    format!("{input}.{signature}")
}

/// A token with these header and claims, HS256-signed with `key`.
pub(crate) fn forge(header: Value, claims: Value, key: &[u8]) -> String {
    forge_raw(&header.to_string(), &claims.to_string(), key)
}

/// An access token for `user_id` as simplejwt would sign it with [`KEY`], plus `extra` claims
/// (a `null` in `extra` removes the claim).
pub(crate) fn access_for(user_id: i64, extra: Value) -> String {
    let mut claims = json!({
        "token_type": "access",
        "exp": now() + 300,
        "iat": now(),
        "jti": "0123456789abcdef0123456789abcdef",
        "user_id": user_id.to_string(),
    });
    if let (Some(map), Value::Object(extra)) = (claims.as_object_mut(), extra) {
        for (k, v) in extra {
            if v.is_null() {
                map.remove(&k);
            } else {
                map.insert(k, v);
            }
        }
    }
    forge(
        json!({"alg": "HS256", "typ": "JWT"}),
        claims,
        KEY.as_bytes(),
    )
}

/// simplejwt's body for an access token refused on a DRF view.
pub(crate) fn bearer_refusal(message: &str) -> Value {
    json!({
        "detail": "Given token not valid for any token type",
        "code": "token_not_valid",
        "messages": [{"token_class": "AccessToken", "token_type": "access", "message": message}],
    })
}

/// simplejwt's body on its token views.
pub(crate) fn token_refusal(message: &str) -> Value {
    json!({ "detail": message, "code": "token_not_valid" })
}

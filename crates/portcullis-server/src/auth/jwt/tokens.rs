//! simplejwt's token classes: new tokens with its claims (`token_type`, `exp`, `iat`, `jti`,
//! the user id claim as `str(getattr(user, USER_ID_FIELD))`), an access token made from a
//! refresh token, rotation, and `Token.__init__` + `Token.verify` for an encoded token of an
//! expected type. Then what simplejwt leaves to each caller — finding the token's user — done
//! the same way for every use of every token: the user must exist, be active, and not have
//! revoked the token with its epoch.

use serde_json::Value;

use super::claims::{Claims, numeric_date, user_id};
use super::errors::TokenError;
use super::settings::UserIdField;
use super::{EPOCH_CLAIM, codec};
use crate::auth::AuthError;
use crate::auth::token_key::fill_random;
use crate::state::AppState;
use crate::store::User;

/// simplejwt's token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Access,
    Refresh,
    /// `UntypedToken` (the verify endpoint): any `token_type`, or none.
    Untyped,
}

impl TokenKind {
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            TokenKind::Access => "access",
            TokenKind::Refresh => "refresh",
            TokenKind::Untyped => "untyped",
        }
    }
}

/// A token that passed `Token.verify`.
#[derive(Debug, Clone)]
pub(crate) struct Validated {
    pub(crate) claims: Claims,
    pub(crate) jti: String,
    /// `exp`, in whole seconds.
    pub(crate) exp: i64,
}

/// `uuid4().hex`: 32 lowercase hex digits, 122 of their bits random.
pub(crate) fn new_jti() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    hex::encode(bytes)
}

fn lifetime(state: &AppState, kind: TokenKind) -> i64 {
    let config = state.jwt().config();
    let secs = match kind {
        TokenKind::Refresh => config.refresh_token_lifetime,
        _ => config.access_token_lifetime,
    };
    i64::try_from(secs).unwrap_or(i64::MAX)
}

/// A new token of `kind`: simplejwt's `Token()` (type, `exp`, `iat`, `jti`, in that order).
fn new_claims(state: &AppState, kind: TokenKind, now: i64) -> Claims {
    let config = state.jwt().config();
    let mut claims = Claims::default();
    claims.set(&config.token_type_claim, kind.type_name());
    claims.set("exp", now.saturating_add(lifetime(state, kind)));
    claims.set("iat", now);
    claims.set(&config.jti_claim, new_jti());
    claims
}

/// `RefreshToken.for_user(user)`, with the user's revocation epoch once it has one. The user
/// is named by `str(getattr(user, USER_ID_FIELD))`.
pub(crate) fn refresh_for_user(state: &AppState, user: &User, epoch: i64, now: i64) -> Claims {
    let mut claims = new_claims(state, TokenKind::Refresh, now);
    let config = state.jwt().config();
    let name = match config.user_id_field() {
        UserIdField::Id => user.id.to_string(),
        UserIdField::Username => user.username.clone(),
    };
    claims.set(&config.user_id_claim, name);
    if epoch != 0 {
        claims.set(EPOCH_CLAIM, epoch);
    }
    claims
}

/// `RefreshToken.access_token`: a new access token carrying every claim of the refresh token
/// but its type, `exp`, `jti` and `iat` (simplejwt's `no_copy_claims`).
pub(crate) fn access_from_refresh(state: &AppState, refresh: &Claims, now: i64) -> Claims {
    let config = state.jwt().config();
    let mut access = new_claims(state, TokenKind::Access, now);
    let no_copy = [
        config.token_type_claim.as_str(),
        "exp",
        config.jti_claim.as_str(),
        "jti",
        "iat",
    ];
    for (name, value) in refresh.iter() {
        if !no_copy.contains(&name) {
            access.set(name, value.clone());
        }
    }
    access
}

/// The rotation of `TokenRefreshSerializer`: the same token with a new `jti`, `exp` and `iat`.
pub(crate) fn rotate(state: &AppState, refresh: &mut Claims, now: i64) {
    let config = state.jwt().config();
    refresh.set(&config.jti_claim, new_jti());
    refresh.set(
        "exp",
        now.saturating_add(lifetime(state, TokenKind::Refresh)),
    );
    refresh.set("iat", now);
}

/// `str(token)`: the signed token.
pub(crate) fn sign(state: &AppState, claims: &Claims) -> Result<String, AuthError> {
    let jwt = state.jwt();
    let keys = jwt
        .keys()
        .ok_or_else(|| AuthError::internal(anyhow::anyhow!("no usable JWT signing key")))?;
    codec::encode(claims, keys, jwt.config()).map_err(AuthError::internal)
}

/// `TokenClass(raw)`: decoded and verified as a token of `kind`, each failure shaped by
/// `shape` (the token views' body or the `Bearer` body).
pub(crate) async fn validate(
    state: &AppState,
    raw: &[u8],
    kind: TokenKind,
    now: i64,
    shape: fn(TokenError) -> AuthError,
) -> Result<Validated, AuthError> {
    let jwt = state.jwt();
    let config = jwt.config();
    let keys = jwt.keys().ok_or_else(|| shape(TokenError::Invalid))?;
    let claims = codec::decode(raw, keys, config, now).map_err(shape)?;
    let jti = claims.str(&config.jti_claim).map(str::to_string);
    if kind == TokenKind::Refresh {
        // simplejwt's BlacklistMixin looks the jti up before anything else, unguarded: a refresh
        // token without one is a 500 (KeyError) there, "Token has no id" here.
        let jti = jti.as_deref().ok_or_else(|| shape(TokenError::NoId))?;
        if state.store().tokens().jwt_is_blacklisted(jti).await? {
            return Err(shape(TokenError::Blacklisted));
        }
    }
    // `decode` refused a malformed `exp`; here only its absence is left (simplejwt requires it).
    let exp = claims
        .get("exp")
        .and_then(numeric_date)
        .ok_or_else(|| shape(TokenError::NoExp))?;
    let jti = jti.ok_or_else(|| shape(TokenError::NoId))?;
    if kind != TokenKind::Untyped {
        match claims.get(&config.token_type_claim) {
            None => return Err(shape(TokenError::NoType)),
            Some(Value::String(t)) if t == kind.type_name() => {}
            Some(_) => return Err(shape(TokenError::WrongType)),
        }
    }
    Ok(Validated { claims, jti, exp })
}

/// What the store says about a token's user.
#[derive(Debug)]
pub(crate) enum TokenUser {
    /// No usable user id claim.
    NoClaim,
    NotFound,
    Inactive,
    /// Issued before the user's current revocation epoch.
    Revoked,
    Active(User),
}

/// Whom a token's user id claim names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claimed {
    /// No claim, or a value no lookup could take (Django would crash with a 500 on it).
    Unreadable,
    /// A value that names no user.
    Nobody,
    /// The id of the user it names.
    User(i64),
}

/// `User.objects.get(**{USER_ID_FIELD: claim})`, as far as finding the user's id.
pub(crate) async fn claimed_user(state: &AppState, claims: &Claims) -> Result<Claimed, AuthError> {
    let config = state.jwt().config();
    let Some(value) = claims.get(&config.user_id_claim) else {
        return Ok(Claimed::Unreadable);
    };
    match config.user_id_field() {
        // The existence of the id is checked with the user's row, in one query.
        UserIdField::Id => Ok(user_id(value).map_or(Claimed::Unreadable, Claimed::User)),
        UserIdField::Username => {
            // Django compares a CharField with `str(value)`: an integer claim names the user
            // whose username is its digits.
            let name = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
                _ => return Ok(Claimed::Unreadable),
            };
            let user = state.store().accounts().user_by_username(&name).await?;
            Ok(user.map_or(Claimed::Nobody, |u| Claimed::User(u.id)))
        }
    }
}

/// The token's user, checked on every use of every token.
pub(crate) async fn token_user(state: &AppState, claims: &Claims) -> Result<TokenUser, AuthError> {
    let id = match claimed_user(state, claims).await? {
        Claimed::Unreadable => return Ok(TokenUser::NoClaim),
        Claimed::Nobody => return Ok(TokenUser::NotFound),
        Claimed::User(id) => id,
    };
    let Some((user, epoch)) = state.store().tokens().jwt_user(id).await? else {
        return Ok(TokenUser::NotFound);
    };
    if !user.is_active {
        return Ok(TokenUser::Inactive);
    }
    let token_epoch = match claims.get(EPOCH_CLAIM) {
        None => Some(0),
        Some(value) => value.as_i64(),
    };
    if token_epoch != Some(epoch) {
        return Ok(TokenUser::Revoked);
    }
    Ok(TokenUser::Active(user))
}

/// `TokenObtainPairSerializer`: a refresh token for the user, recorded as outstanding by its
/// `jti`, and an access token made from it; `(refresh, access)`.
pub(crate) async fn obtain_pair(
    state: &AppState,
    user: &User,
    now: i64,
) -> Result<IssuedPair, AuthError> {
    let user_id = user.id;
    let epoch = state.store().tokens().jwt_epoch(user_id).await?;
    let refresh = refresh_for_user(state, user, epoch, now);
    let access = access_from_refresh(state, &refresh, now);
    let (signed_refresh, signed_access) = (sign(state, &refresh)?, sign(state, &access)?);
    let config = state.jwt().config();
    let jti = refresh.str(&config.jti_claim).unwrap_or_default();
    let exp = now.saturating_add(lifetime(state, TokenKind::Refresh));
    state
        .store()
        .tokens()
        .jwt_outstand(jti, Some(user_id), exp)
        .await?;
    purge_expired(state, now).await?;
    Ok(IssuedPair {
        refresh: signed_refresh,
        access: signed_access,
        jti: jti.to_string(),
        epoch,
    })
}

/// A token pair as issued, with what the sessions list records of its refresh token.
pub(crate) struct IssuedPair {
    pub(crate) refresh: String,
    pub(crate) access: String,
    pub(crate) jti: String,
    /// The user's revocation epoch the tokens carry.
    pub(crate) epoch: i64,
}

/// Delete up to a hundred records of tokens that expired (beyond the leeway): such a token is
/// refused for its `exp` whether or not it is blacklisted.
pub(crate) async fn purge_expired(state: &AppState, now: i64) -> Result<(), AuthError> {
    let leeway = i64::try_from(state.jwt().config().leeway).unwrap_or(i64::MAX);
    state
        .store()
        .tokens()
        .jwt_purge_expired(now.saturating_sub(leeway), 100)
        .await?;
    Ok(())
}

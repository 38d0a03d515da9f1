//! `/auth/users/<id>/` and `/auth/users/me/`: djoser's retrieve, update (PUT/PATCH: only
//! `email` is writable) and delete (with `current_password`). A non-staff user asking for
//! another user's id gets 404 "Not found." for every method, whether that user exists or not
//! (djoser answers DELETE with 403 and tells existing from missing ids by the message).
//! Staff see every user, but change or delete only those [`authority::may_manage`] gives them:
//! another staff account or a superuser answers 403 (visible, but not theirs). With
//! `send_activation_email`, changing the email makes the user inactive and mails the
//! activation link to the new address (djoser's `UserSerializer.update` and `perform_update`).
//! A changed username and a deletion are audited, with the acting user as `detail.actor`.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use crate::accounts::djoser_serializers::Which;
use crate::accounts::user_serializer::{profile_input, user_body, user_serializer_info};
use crate::accounts::{authority, credentials, email_flows, user_fields};
use crate::audit::{self, Event};
use crate::config::Config;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Answer, Doc};
use crate::http::json::{json_response, no_content};
use crate::http::{ApiError, ApiRequest};
use crate::mail::djoser_mails::Kind;
use crate::serializer::{CharField, Errors, root_object};
use crate::store::{StoreError, User, UserUpdate};

/// `/auth/users/<id>/`.
pub(crate) fn by_id() -> Endpoint {
    Endpoint::new("User Instance", METHODS, |req| handle(req, Target::ById))
        .actions(actions)
        .documented(Doc::account(Answer::User))
}

/// `/auth/users/me/`.
pub(crate) fn me() -> Endpoint {
    Endpoint::new("Me", METHODS, |req| handle(req, Target::Me))
        .actions(actions)
        .documented(Doc::account(Answer::User))
}

const METHODS: &[Method] = &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE];

/// Which user the URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Me,
    ById,
}

/// DRF's `get_object` followed by djoser's object permission (`CurrentUserOrAdmin`).
async fn target(req: &ApiRequest, which: Target) -> Result<User, ApiError> {
    let me = req.require_user()?;
    if which == Target::Me {
        return Ok(me.clone());
    }
    let id = req.param("id").and_then(|id| id.parse::<i64>().ok());
    if !me.is_staff {
        return match id {
            Some(id) if id == me.id => Ok(me.clone()),
            _ => Err(ApiError::not_found()),
        };
    }
    let Some(id) = id else {
        return Err(ApiError::not_found());
    };
    req.state
        .store()
        .accounts()
        .user_by_id(id)
        .await?
        .ok_or_else(|| ApiError::NotFound("No User matches the given query.".into()))
}

async fn handle(req: ApiRequest, which: Target) -> Result<Response, ApiError> {
    let target = target(&req, which).await?;
    // djoser's `current_user` serializer for `me`, `user` for an id.
    let serializer = match which {
        Target::Me => Which::CurrentUser,
        Target::ById => Which::User,
    };
    if req.method != Method::GET && !authority::may_manage(req.require_user()?, &target) {
        return Err(ApiError::PermissionDenied);
    }
    match req.method {
        Method::GET => Ok(json_response(
            StatusCode::OK,
            &user_body(&req.state, serializer, &target).await?,
        )),
        Method::DELETE => destroy(&req, &target).await,
        _ => update(&req, serializer, target).await,
    }
}

fn actions(config: &Config) -> Value {
    json!({ "PUT": user_serializer_info(config) })
}

async fn update(req: &ApiRequest, which: Which, target: User) -> Result<Response, ApiError> {
    let target = save(req, which, target).await?;
    // djoser's `perform_update`: `if settings.SEND_ACTIVATION_EMAIL and not user.is_active:`
    // the activation mail (an email just changed, or any update of an inactive user).
    if req.state.config().djoser.send_activation_email && !target.is_active {
        email_flows::send(req, Kind::Activation, &target);
    }
    let body = user_body(&req.state, which, &target).await?;
    Ok(json_response(StatusCode::OK, &body))
}

/// The serializer's validation and `save()`: the user as updated.
async fn save(req: &ApiRequest, which: Which, mut target: User) -> Result<User, ApiError> {
    let body = req.data()?;
    let data = root_object(&body)?;
    let partial = req.method == Method::PATCH;
    let shape = req.state.users();
    let mut errors = Errors::default();
    let (mut update, own) = profile_input(shape, which, data, body.is_form, partial, &mut errors);
    (shape.own)
        .check_unique(req.state.store(), Some(target.id), &own, &mut errors)
        .await?;
    let username = if shape.writes_username(which) {
        let checked = user_fields::changed_username(&req.state, data, partial, target.id).await?;
        errors.take("username", checked).flatten()
    } else {
        None
    };
    errors.check()?;
    shape.own.save(req.state.store(), target.id, &own).await?;
    if let Some(username) = username.filter(|u| *u != target.username) {
        match req
            .state
            .store()
            .accounts()
            .set_username(target.id, &username)
            .await
        {
            Ok(()) => {
                let detail = json!({ "field": "username", "new": username });
                target.username = username;
                audit::events::on(req, Event::UsernameChanged, &target, detail).await;
            }
            // Lost a race with another user taking the name.
            Err(StoreError::UsernameTaken) => {
                return Err(ApiError::field("username", user_fields::TAKEN));
            }
            Err(e) => return Err(e.into()),
        }
    }
    // djoser's `UserSerializer.update`: `if settings.SEND_ACTIVATION_EMAIL and email_field in
    // validated_data:` ... `if instance_email != validated_data[email_field]:
    // instance.is_active = False` — inactive until the new address is confirmed.
    let send_activation = req.state.config().djoser.send_activation_email;
    if send_activation && update.email.as_ref().is_some_and(|e| *e != target.email) {
        update.is_active = Some(false);
    }
    if update != UserUpdate::default() {
        req.state
            .store()
            .accounts()
            .update_user(target.id, &update)
            .await?;
        let UserUpdate {
            email,
            first_name,
            last_name,
            ..
        } = update;
        target.email = email.unwrap_or(target.email);
        target.first_name = first_name.unwrap_or(target.first_name);
        target.last_name = last_name.unwrap_or(target.last_name);
        target.is_active = update.is_active.unwrap_or(target.is_active);
    }
    Ok(target)
}

async fn destroy(req: &ApiRequest, target: &User) -> Result<Response, ApiError> {
    let me = req.require_user()?;
    let data = req.data()?;
    let data = root_object(&data)?;
    let field = CharField {
        trim_whitespace: false,
        ..CharField::default()
    };
    let current = field
        .validate(data, "current_password", false)
        .map_err(|errors| ApiError::Validation(json!({ "current_password": errors })))?;
    let current = current.into_option().unwrap_or_default();
    if !credentials::check_current_password(&req.state, me, &current).await? {
        return Err(ApiError::field("current_password", "Invalid password."));
    }
    // Deleting the user deletes its token too (foreign key cascade).
    req.state.store().accounts().delete_user(target.id).await?;
    audit::events::on(req, Event::UserDeleted, target, json!({})).await;
    Ok(no_content())
}

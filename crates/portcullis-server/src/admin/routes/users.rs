//! `GET, POST /api/admin/users/`: every user, paginated by id, with DRF's `SearchFilter` over
//! username and email (`?search=ann example.com`: each term must match one of them), and user
//! creation with Django's username, email and password validators, the flags and the groups.
//! The new user gets its DRF token at once, as registration gives it.

use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::accounts::authority::Privilege;
use crate::accounts::{login_identity, new_password, user_fields};
use crate::admin::{actor, fields, groups_field, name_field, password_field, render};
use crate::http::endpoint::Endpoint;
use crate::http::json::json_response;
use crate::http::pagination::{page_for, paginated};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::{Errors, root_object};
use crate::store::{NewUser, User};
use portcullis_passwords::validation::UserAttributes;
use serde_json::{Map, Value, json};

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin User List", &[Method::GET, Method::POST], handle)
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    if req.method == Method::POST {
        create(&req).await
    } else {
        list(&req).await
    }
}

/// DRF's `search_smart_split`, without quoting: terms separated by whitespace or commas.
pub(crate) fn search_terms(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .replace('\0', "")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

async fn list(req: &ApiRequest) -> Result<Response, ApiError> {
    let terms = search_terms(req.query("search").as_deref());
    let store = req.state.store();
    let count = store.admin().count_users(&terms).await?;
    let size = u64::from(req.state.config().page_size);
    let page = page_for(req.query("page").as_deref(), count, size)?;
    let users = store
        .admin()
        .list_users(&terms, page.size, page.offset())
        .await?;
    let results = render::users_json(&req.state, &users).await?;
    Ok(json_response(
        StatusCode::OK,
        &paginated(req, page, count, results),
    ))
}

async fn create(req: &ApiRequest) -> Result<Response, ApiError> {
    let me = actor(req)?;
    let data = req.data()?;
    let data = root_object(&data)?;
    let mut errors = Errors::default();
    let email_mode = login_identity::email_is_username(req.state.config());
    let (username, email) = name_and_email(req, data, &mut errors).await?;
    let first_name = errors.take(
        "first_name",
        name_field().validate(data, "first_name", false),
    );
    let last_name = errors.take("last_name", name_field().validate(data, "last_name", false));
    let password = errors.take(
        "password",
        password_field().validate(data, "password", false),
    );
    let is_active = errors.take("is_active", fields::boolean(data, "is_active"));
    let is_staff = errors.take("is_staff", fields::boolean(data, "is_staff"));
    let is_superuser = errors.take("is_superuser", fields::boolean(data, "is_superuser"));
    let groups = groups_field(req, data).await?;
    let groups = errors.take("groups", groups);
    let privileges = asked_privileges(
        is_active.flatten(),
        is_staff.flatten(),
        is_superuser.flatten(),
        groups.as_ref().and_then(|g| g.as_deref()),
    );
    fields::refuse_privileges(me, None, &privileges, &mut errors);
    errors.check()?;
    let (Some(username), Some(password)) = (username, password.and_then(|p| p.into_option()))
    else {
        return Err(ApiError::internal(anyhow::anyhow!(
            "validated fields missing"
        )));
    };
    let new_user = NewUser {
        email: user_fields::normalize_email(&email.flatten().unwrap_or_default()),
        first_name: first_name.and_then(|n| n.into_option()).unwrap_or_default(),
        last_name: last_name.and_then(|n| n.into_option()).unwrap_or_default(),
        // Django's defaults: active, neither staff nor superuser.
        is_active: is_active.flatten().unwrap_or(true),
        is_staff: is_staff.flatten().unwrap_or(false),
        is_superuser: is_superuser.flatten().unwrap_or(false),
        password: String::new(),
        username,
        // Joined in the transaction that creates the user and its token.
        groups: groups.flatten().unwrap_or_default(),
        // The model's own fields keep their defaults (see `accounts::own_fields`).
        own: None,
    };
    let who = UserAttributes {
        username: if email_mode { "" } else { &new_user.username },
        first_name: &new_user.first_name,
        last_name: &new_user.last_name,
        email: &new_user.email,
    };
    new_password::validate("password", &password, &who)?;
    let groups_of_new_user = new_user.groups.clone();
    let state = &req.state;
    let user = new_password::create_user(
        state,
        NewUser {
            password,
            ..new_user
        },
    )
    .await?;
    audit_created(req, &user, &groups_of_new_user).await;
    tracing::info!(actor = me.id, user = user.id, "admin created a user");
    let body = render::one_user_json(state, &user).await?;
    Ok(json_response(StatusCode::CREATED, &body))
}

/// The `user_created` event: the flags and groups the user was made with, and by whom.
async fn audit_created(req: &ApiRequest, user: &User, groups: &[i64]) {
    let detail = json!({
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": groups,
    });
    crate::audit::events::on(req, crate::audit::Event::UserCreated, user, detail).await;
}

/// The new user's name and email, checked: for a model that logs in with its email, the email
/// is the name (`login_identity`) and `username` is ignored.
async fn name_and_email(
    req: &ApiRequest,
    data: &Map<String, Value>,
    errors: &mut Errors,
) -> Result<(Option<String>, Option<Option<String>>), ApiError> {
    if login_identity::email_is_username(req.state.config()) {
        let email = login_identity::new_email(&req.state, data, "email").await?;
        let email = errors
            .take("email", email)
            .map(|e| user_fields::normalize_email(&e));
        return Ok((email.clone(), Some(email)));
    }
    let username = user_fields::new_username(&req.state, data).await?;
    let username = errors.take("username", username);
    Ok((
        username,
        errors.take("email", user_fields::email(data, false)),
    ))
}

/// The privileges a new account's fields ask for. Who may grant what is `accounts::authority`;
/// the defaults (active, neither flag, no groups) need nobody's authority.
fn asked_privileges(
    is_active: Option<bool>,
    is_staff: Option<bool>,
    is_superuser: Option<bool>,
    groups: Option<&[i64]>,
) -> [(&'static str, Option<Privilege>); 4] {
    [
        ("is_active", is_active.filter(|a| !a).map(Privilege::Active)),
        ("is_staff", is_staff.filter(|s| *s).map(Privilege::Staff)),
        (
            "is_superuser",
            is_superuser.filter(|s| *s).map(Privilege::Superuser),
        ),
        (
            "groups",
            groups.filter(|g| !g.is_empty()).map(|_| Privilege::Groups),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::search_terms;

    #[test]
    fn terms_split_on_spaces_and_commas() {
        assert_eq!(
            search_terms(Some(" ann, example.com  x")),
            vec!["ann", "example.com", "x"]
        );
        assert!(search_terms(Some(" , ")).is_empty());
        assert!(search_terms(None).is_empty());
    }
}

//! Model permissions as `django.contrib.auth` has them: the permission tables belong to
//! accounts, and other features (a resource's `<resource>.add|change|delete|view` rules) ask
//! through this module instead of reading the tables themselves.

use crate::state::AppState;
use crate::store::StoreError;

/// Django's `user.has_perm("resource.codename")` through the user's own permissions or its
/// groups'; a superuser's answer is the caller's to decide (it holds every permission).
pub(crate) async fn has_perm(
    state: &AppState,
    user_id: i64,
    resource: &str,
    codename: &str,
) -> Result<bool, StoreError> {
    state
        .store()
        .accounts()
        .user_has_perm(user_id, resource, codename)
        .await
}

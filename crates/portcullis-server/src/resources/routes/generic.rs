//! DRF's generic views over a resource at a path of the project's own (`[[urls]]` with
//! `view = "ListCreateAPIView"`, ...): the list, create, retrieve, update and destroy of the
//! router's viewset, over the view's own queryset, lookup and permission classes.

use std::sync::Arc;

use axum::http::Method;
use axum::response::Response;
use serde_json::json;

use super::{detail, list, metadata, resource_of};
use crate::config::generic_views::{GenericKind, GenericView, PermissionClass};
use crate::http::endpoint::{Endpoint, Permission};
use crate::http::endpoint_doc::Doc;
use crate::http::{ApiError, ApiRequest};
use crate::resources::queryset::Queryset;
use crate::resources::schema::Resource;
use crate::store::User;

/// What a generic view's handler needs of its declaration.
struct Spec {
    index: usize,
    kind: GenericKind,
    queryset: Queryset,
    lookup_field: String,
    /// `None`: the project default, IsAuthenticated.
    permissions: Option<Vec<PermissionClass>>,
}

/// The endpoint of `view` over the resource at `index` in the schema.
pub(crate) fn endpoint(index: usize, resource: &Resource, view: &GenericView) -> Endpoint {
    let spec = Arc::new(Spec {
        index,
        kind: view.kind,
        queryset: Queryset::Filter(view.queryset.clone()),
        lookup_field: view.lookup_field.clone(),
        permissions: view.permissions.clone(),
    });
    let name = view
        .name
        .clone()
        .unwrap_or_else(|| format!("{} {}", resource.label, view.kind.words()));
    let handler_spec = Arc::clone(&spec);
    Endpoint::new(name, methods(view.kind), move |req| {
        let spec = Arc::clone(&handler_spec);
        async move { handle(req, &spec).await }
    })
    .describe(view.description.clone().unwrap_or_default())
    .documented(Doc::Resource {
        index,
        // DRF's list views answer a collection; the others one object.
        detail: !matches!(
            view.kind,
            GenericKind::ListCreate | GenericKind::List | GenericKind::Create
        ),
    })
    .permission(permission(view.permissions.as_deref()))
    .checked_actions(move |req| {
        let spec = Arc::clone(&spec);
        Box::pin(async move { actions(req, &spec).await })
    })
}

fn methods(kind: GenericKind) -> &'static [Method] {
    use GenericKind::*;
    match kind {
        ListCreate => &[Method::GET, Method::POST],
        List | Retrieve => &[Method::GET],
        Create => &[Method::POST],
        Update => &[Method::PUT, Method::PATCH],
        Destroy => &[Method::DELETE],
        RetrieveUpdateDestroy => &[Method::GET, Method::PUT, Method::PATCH, Method::DELETE],
        RetrieveUpdate => &[Method::GET, Method::PUT, Method::PATCH],
        RetrieveDestroy => &[Method::GET, Method::DELETE],
    }
}

/// `permission_classes` as the endpoint's permission: every class must pass, in order.
pub(crate) fn permission(classes: Option<&[PermissionClass]>) -> Permission {
    let one = |class: &PermissionClass| match class {
        PermissionClass::AllowAny => Permission::AllowAny,
        PermissionClass::IsAuthenticated => Permission::IsAuthenticated,
        PermissionClass::IsAdminUser => Permission::IsAdminUser,
        PermissionClass::IsAuthenticatedOrReadOnly => Permission::IsAuthenticatedOrReadOnly,
    };
    match classes {
        None => Permission::IsAuthenticated,
        // `permission_classes = []`: DRF checks nothing.
        Some([]) => Permission::AllowAny,
        Some([class]) => one(class),
        Some(classes) => {
            let all: Arc<[Permission]> = classes.iter().map(one).collect();
            Permission::custom(move |req| {
                let all = Arc::clone(&all);
                Box::pin(async move {
                    for permission in all.iter() {
                        permission.check(req).await?;
                    }
                    Ok(())
                })
            })
        }
    }
}

/// Whether the classes let `user` write: DRF's OPTIONS checks the permissions of each write
/// method as if the request were that method (IsAuthenticatedOrReadOnly then wants a user).
pub(crate) fn may_write(classes: Option<&[PermissionClass]>, user: Option<&User>) -> bool {
    let default = [PermissionClass::IsAuthenticated];
    classes.unwrap_or(&default).iter().all(|class| match class {
        PermissionClass::AllowAny => true,
        PermissionClass::IsAuthenticated | PermissionClass::IsAuthenticatedOrReadOnly => {
            user.is_some()
        }
        PermissionClass::IsAdminUser => user.is_some_and(|u| u.is_staff),
    })
}

async fn handle(req: ApiRequest, spec: &Spec) -> Result<Response, ApiError> {
    // The schema lives in the state: hold the state (one Arc), not a copy of the resource.
    let state = req.state.clone();
    let resource = resource_of(&state, spec.index)?;
    if !spec.kind.is_detail() {
        return if req.method == Method::POST {
            list::create(&req, resource, &spec.queryset).await
        } else {
            list::list(&req, resource, &spec.queryset).await
        };
    }
    let lookup = (spec.lookup_field.as_str(), spec.lookup_field.as_str());
    let (id, row) = detail::object(&req, resource, &spec.queryset, lookup).await?;
    detail::answer(&req, resource, id, row).await
}

/// DRF's `SimpleMetadata.determine_actions`: POST for a view that creates, PUT for one that
/// updates when the caller may write and (for PUT) the object is found.
async fn actions(req: &ApiRequest, spec: &Spec) -> Option<serde_json::Value> {
    let resource = resource_of(&req.state, spec.index).ok()?;
    if !may_write(spec.permissions.as_deref(), req.user()) {
        return None;
    }
    let info = metadata::serializer_info(req.state.config(), req.state.schema(), resource);
    match spec.kind {
        GenericKind::ListCreate | GenericKind::Create => Some(json!({ "POST": info })),
        GenericKind::Update | GenericKind::RetrieveUpdateDestroy | GenericKind::RetrieveUpdate => {
            let lookup = (spec.lookup_field.as_str(), spec.lookup_field.as_str());
            detail::object(req, resource, &spec.queryset, lookup)
                .await
                .ok()?;
            Some(json!({ "PUT": info }))
        }
        _ => None,
    }
}

//! The HTTP edge: DRF's request pipeline (negotiation, authentication, permissions, method
//! dispatch), its error shapes, request body parsers, pagination, and the Django middleware
//! behaviour the peers' clients observe (CORS, security headers, allowed hosts, APPEND_SLASH).

pub(crate) mod body;
#[cfg(test)]
mod body_props;
pub(crate) mod camel_case;
pub(crate) mod converters;
pub(crate) mod cors;
pub(crate) mod dispatch;
pub(crate) mod endpoint;
pub(crate) mod endpoint_doc;
pub(crate) mod error;
pub(crate) mod hosts;
pub(crate) mod json;
pub(crate) mod layout;
pub mod limits;
pub mod middleware;
pub(crate) mod negotiation;
pub(crate) mod outage;
pub(crate) mod pagination;
pub(crate) mod request;
pub(crate) mod request_id;
pub(crate) mod router;
pub mod routing;
pub(crate) mod throttle;
pub(crate) mod wire;

pub(crate) use error::ApiError;
pub(crate) use request::ApiRequest;
pub use throttle::probe_shared_cache;

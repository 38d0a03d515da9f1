//! The HTTP edge: DRF's request pipeline (negotiation, authentication, permissions, method
//! dispatch), its error shapes, request body parsers, pagination, and the Django middleware
//! behaviour the peers' clients observe (CORS, security headers, allowed hosts, APPEND_SLASH).

pub mod body;
pub mod cors;
pub mod dispatch;
pub mod endpoint;
pub mod error;
pub mod hosts;
pub mod json;
pub mod limits;
pub mod middleware;
pub mod negotiation;
pub mod pagination;
pub mod request;
pub mod request_id;
pub mod routing;
pub mod throttle;

pub use error::ApiError;
pub use request::ApiRequest;

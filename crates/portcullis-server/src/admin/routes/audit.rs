//! `GET /api/admin/audit/`: the audit log of authentication events, newest first, paginated as
//! the other admin lists, filtered by `user` (an id), `event` (a name) and `since` / `until`
//! (dates or datetimes, as DRF's `DateTimeField` reads them; a date is its midnight, UTC).
//! Refused filters are 400s with django-filter's messages. The events queued by this instance
//! are written before the list is read, so a change shows at once in its own log.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::Value;
use time::UtcOffset;

use crate::admin::render;
use crate::audit::Event;
use crate::http::endpoint::Endpoint;
use crate::http::endpoint_doc::{Doc, Own};
use crate::http::json::json_response;
use crate::http::pagination::{page_for, paginated};
use crate::http::{ApiError, ApiRequest};
use crate::serializer::Errors;
use crate::store::audit::AuditFilter;
use crate::store::timestamp::to_db;

/// This endpoint, declared.
pub(crate) fn endpoint() -> Endpoint {
    crate::admin::endpoint("Admin Audit Log", &[Method::GET], handle)
        .documented(Doc::Own(Own::AuditLog))
}

async fn handle(req: ApiRequest) -> Result<Response, ApiError> {
    let filter = filter(&req)?;
    req.state.audit().flush().await;
    let store = req.state.store().audit();
    let count = store.audit_count(&filter).await?;
    let size = u64::from(req.state.config().page_size);
    let page = page_for(req.query("page").as_deref(), count, size)?;
    let rows = store.audit_list(&filter, page.size, page.offset()).await?;
    let results: Vec<Value> = rows.iter().map(render::audit_json).collect();
    Ok(json_response(
        StatusCode::OK,
        &paginated(&req, page, count, results),
    ))
}

/// The query's filters; an empty value filters nothing (django-filter's way).
fn filter(req: &ApiRequest) -> Result<AuditFilter, ApiError> {
    let given = |name: &str| req.query(name).filter(|v| !v.is_empty());
    let mut errors = Errors::default();
    let mut filter = AuditFilter::default();
    if let Some(user) = given("user") {
        filter.user = errors.take("user", user.parse::<i64>().map_err(|_| number()));
    }
    if let Some(event) = given("event") {
        filter.event = errors.take("event", event_name(&event));
    }
    filter.since = errors.take("since", moment(given("since"))).flatten();
    filter.until = errors.take("until", moment(given("until"))).flatten();
    errors.check()?;
    Ok(filter)
}

fn number() -> Vec<String> {
    vec!["Enter a number.".into()]
}

fn event_name(event: &str) -> Result<String, Vec<String>> {
    if Event::ALL.iter().any(|e| e.name() == event) {
        Ok(event.to_string())
    } else {
        Err(vec![format!(
            "Select a valid choice. {event} is not one of the available choices."
        )])
    }
}

/// A date or datetime in the stored format, UTC.
fn moment(text: Option<String>) -> Result<Option<String>, Vec<String>> {
    let Some(text) = text else {
        return Ok(None);
    };
    let at = crate::resources::temporal::parse_datetime(&text)
        .ok()
        .or_else(|| {
            crate::resources::temporal::parse_date(&text)
                .map(|d| d.midnight().assume_offset(UtcOffset::UTC))
        })
        .ok_or_else(|| vec!["Enter a valid date/time.".to_string()])?;
    Ok(Some(to_db(at.to_offset(UtcOffset::UTC))))
}

#[cfg(test)]
mod tests {
    use super::{event_name, moment};

    #[test]
    fn moments_are_dates_or_datetimes_in_utc() {
        assert_eq!(
            moment(Some("2026-01-31".into())),
            Ok(Some("2026-01-31 00:00:00.000000".into()))
        );
        assert_eq!(
            moment(Some("2026-01-31T10:00:00+02:00".into())),
            Ok(Some("2026-01-31 08:00:00.000000".into()))
        );
        assert!(moment(Some("yesterday".into())).is_err());
        assert_eq!(moment(None), Ok(None));
    }

    #[test]
    fn only_known_events_filter() {
        assert!(event_name("login_failed").is_ok());
        assert_eq!(
            event_name("nope"),
            Err(vec![
                "Select a valid choice. nope is not one of the available choices.".to_string()
            ])
        );
    }
}

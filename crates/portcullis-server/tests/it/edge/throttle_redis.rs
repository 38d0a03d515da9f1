//! Throttle counters shared through a real Redis (`throttle.cache_url`): two instances (two
//! `AppState`s on one database and one Redis) count a user's rate, a scoped login rate and an
//! account's failed logins together; a Redis killed mid-test gives no 500 and each instance
//! throttles on its own, and sharing resumes once Redis is back; a frozen Redis costs a request
//! no more than the timeout.

use std::time::{Duration, Instant};

use crate::harness::redis_server::RedisServer;
use crate::harness::{ME, PASSWORD, Response, SECRET, TestApp, token_auth, with_many_logins};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use portcullis_server::Config;
use tower::ServiceExt;

/// The default configuration with these rates, its counters in `redis`.
fn shared(redis: &RedisServer, rates: &[(&str, &str)]) -> Config {
    let mut config = Config::default();
    for (scope, rate) in rates {
        config
            .throttle
            .rates
            .insert(scope.to_string(), rate.to_string());
    }
    config.throttle.cache_url = Some(redis.url());
    config
}

/// Two instances on one database (and whatever Redis their configuration names).
async fn two_instances(config: Config) -> (TestApp, TestApp) {
    let a = TestApp::migrated(config).await;
    let b = a.sibling(SECRET);
    (a, b)
}

/// `GET /auth/users/me/` with a DRF token: 200, or 429 when throttled; never anything else.
async fn me(app: &TestApp, token: &str) -> StatusCode {
    let reply = app.with_key(token).get(ME).await;
    assert!(
        reply.status == 200 || reply.status == 429,
        "{}: {}",
        reply.status,
        reply.text
    );
    reply.status
}

/// The `Retry-After` of a throttled reply, in seconds.
fn retry_after(reply: &Response) -> u64 {
    assert_eq!(reply.status, 429, "{}", reply.text);
    reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn two_instances_share_a_user_rate_and_a_scoped_login_rate() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = shared(&redis, &[("user", "4/min"), ("login", "3/min")]);
    let (a, b) = two_instances(config).await;
    a.register("rita", PASSWORD).await;
    // One login on A: the first of the login scope's three.
    let token = a.token("rita", PASSWORD).await;
    for app in [&a, &b, &a, &b] {
        assert_eq!(me(app, &token).await, 200);
    }
    // Four requests between them: the fifth is refused on either, as on one instance.
    assert_eq!(me(&a, &token).await, 429);
    let reply = b.with_key(&token).get(ME).await;
    let wait = retry_after(&reply);
    assert!((1..=60).contains(&wait), "{wait}");
    // The login scope: one on A above, one on B, one on A; the fourth is refused on B.
    assert_eq!(
        b.login("/auth/token/login/", "nobody", "x").await.status,
        400
    );
    assert_eq!(a.login("/api-token-auth/", "nobody", "x").await.status, 400);
    let reply = b.login("/auth/token/login/", "rita", PASSWORD).await;
    assert!(retry_after(&reply) >= 1);
    assert_eq!(
        reply.json["detail"]
            .as_str()
            .expect("detail")
            .split(" Expected")
            .next(),
        Some("Request was throttled.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_on_two_instances_are_counted_exactly() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let config = shared(&redis, &[("user", "10/min")]);
    let (a, b) = two_instances(config).await;
    a.register("rita", PASSWORD).await;
    let token = a.token("rita", PASSWORD).await;
    // Forty requests at once, half on each instance: one atomic step per request in Redis,
    // so exactly ten pass (a read-then-write between instances would let more through). B has
    // not connected yet: its burst waits for the one request that connects instead of
    // counting in B's memory.
    let mut requests = tokio::task::JoinSet::new();
    for i in 0..40 {
        let router = if i % 2 == 0 { a.router() } else { b.router() };
        let request = Request::builder()
            .uri(ME)
            .header("host", "localhost")
            .header("authorization", token_auth(&token))
            .body(Body::empty())
            .expect("a request");
        requests.spawn(async move { router.oneshot(request).await.expect("an answer").status() });
    }
    let statuses = requests.join_all().await;
    let passed = statuses.iter().filter(|s| **s == 200).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((passed, throttled), (10, 30), "{statuses:?}");
}

#[tokio::test]
async fn an_account_locked_through_one_instance_is_locked_on_the_other() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut config = with_many_logins(shared(&redis, &[]));
    config.throttle.failed_logins_per_account = "3/hour".into();
    let (a, b) = two_instances(config).await;
    a.register("victim", PASSWORD).await;
    b.register("bystander", PASSWORD).await;
    for i in 0..3 {
        let guess = format!("guess-{i}");
        let reply = a.login("/api-token-auth/", "victim", &guess).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
    }
    // On the other instance, even with the right password: locked for about the hour.
    let reply = b.login("/auth/token/login/", "victim", PASSWORD).await;
    assert!(retry_after(&reply) > 3000, "{}", retry_after(&reply));
    // Another account is not affected.
    assert_eq!(
        b.login("/api-token-auth/", "bystander", PASSWORD)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn redis_keys_are_prefixed_bounded_by_the_rate_and_expire_with_the_window() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut config = shared(&redis, &[("user", "3/min"), ("anon", "5/hour")]);
    config.throttle.cache_key_prefix = "myproject:throttle:".into();
    let (a, _b) = two_instances(config).await;
    a.register("rita", PASSWORD).await;
    let token = a.token("rita", PASSWORD).await;
    for _ in 0..10 {
        me(&a, &token).await;
    }
    let keys = redis.cli(&["--scan", "--pattern", "*"]);
    let keys: Vec<&str> = keys.lines().collect();
    // anon (register, login), user, login scope: three keys, each a prefixed digest.
    assert_eq!(keys.len(), 3, "{keys:?}");
    let mut lengths = Vec::new();
    for key in keys {
        let digest = key.strip_prefix("myproject:throttle:").expect("the prefix");
        assert_eq!(digest.len(), 32, "{key}");
        lengths.push(
            redis
                .cli(&["LLEN", key])
                .trim()
                .parse::<u64>()
                .expect("a length"),
        );
        let ttl: i64 = redis.cli(&["PTTL", key]).trim().parse().expect("a TTL");
        assert!(ttl > 0 && ttl <= 3_600_000, "{key}: {ttl}");
    }
    lengths.sort();
    // Ten requests against 3/min keep three times, not ten.
    assert_eq!(lengths, [1, 2, 3]);
}

#[tokio::test]
async fn a_redis_outage_falls_back_to_each_instance_and_sharing_resumes() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let config = shared(&redis, &[("user", "3/min")]);
    let (a, b) = two_instances(config).await;
    a.register("rita", PASSWORD).await;
    let token = a.token("rita", PASSWORD).await;
    assert_eq!(me(&a, &token).await, 200);

    redis.stop();
    // Each instance now counts alone, from zero: three more on A, then A refuses; B still has
    // its own three. No request fails for want of Redis.
    for _ in 0..3 {
        assert_eq!(me(&a, &token).await, 200);
    }
    assert_eq!(me(&a, &token).await, 429, "A throttles on its own");
    assert_eq!(me(&b, &token).await, 200);

    redis.restart();
    // Each instance tries Redis again at most once a second.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // An empty Redis, shared again: three between A and B, then both refuse.
    for app in [&a, &b, &a] {
        assert_eq!(me(app, &token).await, 200);
    }
    assert_eq!(me(&b, &token).await, 429);
    assert_eq!(me(&a, &token).await, 429);
}

#[tokio::test]
async fn a_frozen_redis_costs_a_request_at_most_the_timeout() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut config = shared(&redis, &[("user", "3/min")]);
    config.throttle.cache_timeout_ms = 100;
    let (a, _b) = two_instances(config).await;
    a.register("rita", PASSWORD).await;
    let token = a.token("rita", PASSWORD).await;

    redis.freeze(true);
    let started = Instant::now();
    for _ in 0..3 {
        assert_eq!(me(&a, &token).await, 200);
    }
    assert_eq!(me(&a, &token).await, 429, "throttled in memory meanwhile");
    let took = started.elapsed();
    redis.freeze(false);
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn a_request_dropped_while_connecting_does_not_stop_later_ones_from_connecting() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mut config = shared(&redis, &[]);
    config.throttle.cache_timeout_ms = 5000;
    let a = TestApp::migrated(config).await;
    // A frozen Redis accepts the connection but never answers its handshake; the client goes
    // away meanwhile and its request is dropped.
    redis.freeze(true);
    let gone = tokio::time::timeout(
        Duration::from_millis(200),
        a.login("/api-token-auth/", "nobody", "x"),
    )
    .await;
    assert!(gone.is_err(), "the request was still connecting");
    redis.freeze(false);
    assert_eq!(a.login("/api-token-auth/", "nobody", "x").await.status, 400);
    let keys = redis.cli(&["--scan", "--pattern", "portcullis:throttle:*"]);
    assert!(
        !keys.trim().is_empty(),
        "the next request connected and counted in Redis"
    );
}

//! Cases that cut across URLs: the HTTP edge (negotiation, methods, hosts), hostile and
//! malformed input, limits and deadlines over real TCP, throttling (in memory and shared through
//! Redis), handler panics, how tokens and password hashes are stored, atomic writes, JWT settings
//! and attacks, the key order of JSON answers, and the resource schema with its migrations.

mod atomic_writes;
mod auth_cache;
mod auth_cache_instances;
mod authentication_classes;
mod bad_input;
mod camel_case;
mod current_password_limit;
mod database_down;
mod fixed_migrations;
mod handler_panics;
mod http;
mod jwt_attacks;
mod jwt_settings;
mod jwt_user_id_field;
mod key_order;
mod limits;
mod middleware_order;
mod migrations;
mod password_hashes;
mod password_pool;
mod result_cache_instances;
mod schema;
mod throttle;
mod throttle_redis;
mod token_storage;
mod url_layout;

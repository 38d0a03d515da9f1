//! `/auth/jwt/…` and `/api/token/…`: simplejwt's views, and revocation of JWTs.

mod revocation;
mod views;

//! `/auth/token/…`: djoser's token login and logout.

mod login_logout;

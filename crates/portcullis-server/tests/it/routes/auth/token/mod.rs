//! `/auth/token/…`: djoser's token views, with and without the trailing slash. What both
//! files use is here.

mod login;
mod login_field;
mod logout;

use crate::harness::{ALLOW_POST, Response};

const LOGIN: &str = "/auth/token/login/";
const LOGOUT: &str = "/auth/token/logout/";

fn assert_view_headers(res: &Response) {
    assert_eq!(res.header("allow").as_deref(), Some(ALLOW_POST));
    assert_eq!(res.vary().as_deref(), Some("accept, origin"));
}

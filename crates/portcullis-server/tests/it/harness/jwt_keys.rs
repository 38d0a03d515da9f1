//! Key pairs for the asymmetric algorithms, made for these tests only with
//! `openssl genpkey` (PKCS#8 private keys, SPKI public keys). Never use them anywhere else.

pub(crate) const RSA_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCOBG6AXkfWBaND\n\
GmVIP5/or6+ZbOxA+49MTt3vTsFhAcM2PRLMSb4gFsmRMWp2mLb7B9gK0dAlLHFl\n\
GAUMwowgNAUcy16ItA6pevmS1ouAkdzuqEP/L+ggEzumkN599X0qgOORPIaZZJ5o\n\
fO9Q3vMAkl/9gIF7A6vQTbXL8BuSPFgP0zjw3IFiYbG01Qm5YA9KavoROmbL+ERv\n\
HqVYGl8h4moIfnnptDZYyY8DixiGixzAM6P01und1hlKksIwD6tn/KXqjHlg7rqg\n\
qqiURH25tccJ1jMc7q7LVtBYaNcw1dIDYNqR2dNWbkvhnLcLlETCcJ8b9byncMKN\n\
uWnAAd3vAgMBAAECggEAONpVUlZr86X2IdrjSPUPkxsh9Q3B1pHeX/ICrtacW7VU\n\
7NWuPNIYpsf4kYNy119zgTM2rb4o0XjlPE9NVjpb1lh843YWtis+42IznzD8T9AU\n\
3gXGktYe2xhX/Opp54rrPKS0dWQBjk7Vi4bYV0uphEUU4Gsdap2hnpY9fRL2NqgQ\n\
8LHBrF2lvKf5fQr7dlZE1nmzgRpxejwI3fXtWLUtuQjwEaUuRwbHxkNm2dorAKxR\n\
UfNSuVRuK3/CtVwZFsYY04Cdyf2GaOT5tSSpkg2Q4S1bGhxE09Lxt/IUrohcNPps\n\
+EQekMiR1kQhUWMRNnDekQ9ouQonIYez1ztVkhTtQQKBgQDD27FZHVNeZkibEOXG\n\
3CuEsOhSdDO+c0nbnmm4mrr903L+qwahwKp5ZARrRpv8avW7/k9tFOuxltibXfih\n\
KYiXw15BHscEzomP5SONE1Dese6ciApjWwhYP18qDLwrlZdh1Cccwsgp54ZtwtQI\n\
kg+VuP57wk5UO5H1Tjj1gB2rtwKBgQC5oFZO2M+41rqxMMpfYeQ5mrwMjrjOUPpB\n\
EBqRCCFMU1O8cehonAzVTQaVJeBtEWc5gn/6VQ6gD0ZrBcnM2RqxgVI7oe/+mTtD\n\
ERkh6s9zVCN4VrZ46fx0BoZMow2iTdwuCnLGsu/CCKCGNYjrbOQkYd6MBnPE4yiO\n\
Q3Ou7/jPiQKBgQCK4RJddVzzWCXtxsqX+vDk0yi5puo2Brv9fdPLcfRcHf6xtIYs\n\
VljLYO99PgFHuHRtDIQ3fhkuwR7w9G5joPbZXlBMbs2CjA2hOkK+O08hyhu/ZPuw\n\
vhEpui35vDQF17oTRYNCcp/KjwCUfg0p0qA4c4gIK5ytP9xcjE35TxI6+wKBgAnb\n\
UbnuGVmfTVqLVLOr5wqIBORFz9pkwmUiDccVv27mHdQr2EN1xdittmPFFx2zht+u\n\
5kzMp3IoXXzhWc3e2WQDkfJIrw295T+ycLs0VL+zAA8ry5SwGA+xKQB4yAiOSdrI\n\
A0A50DFlc+CshxC5P4QPDloxHYSe61BilIn9hCDBAoGAVSqBb8Sv57vqsSb6WdEl\n\
gcmEqykx0t+8fk2UwSFnYdEIAph9Tvf2jgjyEBTkvHbR27CGrGcf+pshKzspKeen\n\
vdznLThHhngtQlope6+IzcFJauIQE1kzlOfkZT3UBXGZ9bqJm1otts8kQRkJz8A0\n\
WgQSiT639o5iQOaZsvvgiwg=\n\
-----END PRIVATE KEY-----\n\
";

pub(crate) const RSA_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjgRugF5H1gWjQxplSD+f\n\
6K+vmWzsQPuPTE7d707BYQHDNj0SzEm+IBbJkTFqdpi2+wfYCtHQJSxxZRgFDMKM\n\
IDQFHMteiLQOqXr5ktaLgJHc7qhD/y/oIBM7ppDeffV9KoDjkTyGmWSeaHzvUN7z\n\
AJJf/YCBewOr0E21y/AbkjxYD9M48NyBYmGxtNUJuWAPSmr6ETpmy/hEbx6lWBpf\n\
IeJqCH556bQ2WMmPA4sYhoscwDOj9Nbp3dYZSpLCMA+rZ/yl6ox5YO66oKqolER9\n\
ubXHCdYzHO6uy1bQWGjXMNXSA2DakdnTVm5L4Zy3C5REwnCfG/W8p3DCjblpwAHd\n\
7wIDAQAB\n\
-----END PUBLIC KEY-----\n\
";

pub(crate) const OTHER_RSA_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqPB/8WSnfPoGguFo3q/e\n\
iUJKXDqBxPTq/mcTNHTzGIsriEkwqdoMcNqYc/ihbuNMw4/PlRx2e4dsKavYDPk+\n\
Ig10oTH7VsyY30ZQw2EL+cERR2MEnVy+ZaAtWgvYtagMTP5Qi5JN9s6uKD6KlExF\n\
iYKJ7UXiZLS1voiO2J0ut34oMmYoq/sZiHsdOVkXqSfrViS3+FxrG3LrZCQgsFua\n\
vUuAkSkQirSA/+hIzgbbhomzODGn3ZWfIxxf/1l7OmKF6yi7XwtUVPDa5O8CUUx1\n\
joq+Xsd/OnRet3VQQbU6DCku5IaQ1mehxVbYhNnh2eQXIMK5izqVzcadxJhQTlxz\n\
TQIDAQAB\n\
-----END PUBLIC KEY-----\n\
";

pub(crate) const EC_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg09uMklLkQvHqhqfz\n\
8hkgVZgj/uAV67jmfdBaKxnw7fyhRANCAATnHnft8x2mf7fww4yGou3sNroItgHW\n\
5/dtW07j5grAsA0LqughxA4uWS0eLoCnp931Vk8Teu6Q2iDbTn9nGoOk\n\
-----END PRIVATE KEY-----\n\
";

pub(crate) const EC_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5x537fMdpn+38MOMhqLt7Da6CLYB\n\
1uf3bVtO4+YKwLANC6roIcQOLlktHi6Ap6fd9VZPE3rukNog205/ZxqDpA==\n\
-----END PUBLIC KEY-----\n\
";

pub(crate) const ED_PRIVATE: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEIK+fRl2Y3wZ2uJKvQlsVVm5q3Nw9wW4rpnR2wCJxSY6k\n\
-----END PRIVATE KEY-----\n\
";

pub(crate) const ED_PUBLIC: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MCowBQYDK2VwAyEAskJif/qjedw6PH17EQlfAi3AzSInZhf94RFxk1yTpBU=\n\
-----END PUBLIC KEY-----\n\
";

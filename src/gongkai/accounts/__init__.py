"""Staff accounts: two-factor login with a time-based one-time password (TOTP, 双因素认证) and
login throttling."""

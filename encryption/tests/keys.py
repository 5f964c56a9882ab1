# A fixed key for tests; production keys come from MEDCONNECT_ENCRYPTION_KEYS.
TEST_ENCRYPTION_KEY = "mK3XQ2dU3Yp3qkQ0R5l8V2hS0b1vX6m7c9JtZ4wA8eE="

-- Requests per user and fixed window, shared by every gateway replica (the per-user rate limit).
CREATE TABLE rate_limit_window (
    user_id      text        NOT NULL,
    window_start timestamptz NOT NULL,
    requests     integer     NOT NULL,
    PRIMARY KEY (user_id, window_start)
);
-- Old windows are deleted by age.
CREATE INDEX rate_limit_window_start ON rate_limit_window (window_start);

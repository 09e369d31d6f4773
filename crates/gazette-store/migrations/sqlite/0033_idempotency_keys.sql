-- Idempotency keys: a client that could not learn whether a create happened (its connection
-- dropped, or the server answered "outcome unknown") sends it again with the same key, and
-- finds the first request's record instead of making a second. A key belongs to whoever sent
-- it (a person, or the readers' comment form), is tied to the request it came with, and is
-- kept for a day.
create table idempotency_keys (
    scope        text not null,
    key          text not null,
    request_hash text not null,
    kind         text not null,
    record_id    integer not null,
    created_at   integer not null,
    primary key (scope, key)
);

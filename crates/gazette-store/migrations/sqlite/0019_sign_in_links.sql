-- One-time links may now also sign someone in (asked for from the sign-in page when their
-- account is being guessed at). SQLite cannot change a check constraint in place: the small
-- table is rebuilt with the wider one.
create table one_time_tokens_new (
    token_hash text primary key,
    person_id  integer not null references people (id) on delete cascade,
    purpose    text not null check (purpose in ('reset', 'invite', 'sign_in')),
    created_at integer not null,
    expires_at integer not null,
    used_at    integer
);
insert into one_time_tokens_new select token_hash, person_id, purpose, created_at, expires_at, used_at
    from one_time_tokens;
drop table one_time_tokens;
alter table one_time_tokens_new rename to one_time_tokens;
create index one_time_tokens_by_person on one_time_tokens (person_id, created_at);

-- Sign-in throttling keys were the typed email itself; they are keyed hashes now, and rows
-- under the old keys would never be read again.
delete from sign_in_throttle;

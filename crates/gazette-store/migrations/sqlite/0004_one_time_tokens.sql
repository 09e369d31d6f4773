-- Links sent by email that work once: password resets and invitations. Only the token's hash
-- is kept, as for sessions.
create table one_time_tokens (
    token_hash text primary key,
    person_id  integer not null references people (id) on delete cascade,
    purpose    text not null check (purpose in ('reset', 'invite')),
    created_at integer not null,
    expires_at integer not null,
    used_at    integer
);
create index one_time_tokens_by_person on one_time_tokens (person_id, created_at);

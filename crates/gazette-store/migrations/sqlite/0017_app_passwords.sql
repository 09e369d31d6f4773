-- Application passwords: how scripts and apps sign in to the REST API (HTTP Basic), each
-- named, shown once and revocable. Only a SHA-256 of each is kept; they are long random
-- strings, so a slow hash adds nothing.
create table app_passwords (
    id           integer primary key,
    person_id    integer not null references people (id) on delete cascade,
    name         text not null,
    secret_hash  text not null unique,
    created_at   integer not null,
    last_used_at integer
);
create index app_passwords_by_person on app_passwords (person_id);

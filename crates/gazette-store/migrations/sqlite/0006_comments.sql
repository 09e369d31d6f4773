-- Reader comments, and the counters that rate-limit them on every node at once.

create table comments (
    id               integer primary key,
    article_id       integer not null references articles (id) on delete cascade,
    -- The comment answered, after the thread-depth limit was applied.
    parent_id        integer references comments (id) on delete set null,
    depth            integer not null default 0,
    status           text not null check (status in ('pending', 'approved', 'spam', 'trash')),
    kind             text not null default 'comment'
                     check (kind in ('comment', 'pingback', 'trackback')),
    author_name      text not null,
    -- Private: for moderation only, never on a public page.
    author_email     text not null,
    email_normalized text not null,
    author_url       text not null default '',
    -- Private; null once anonymised.
    author_ip        text,
    user_agent       text not null default '',
    person_id        integer references people (id) on delete set null,
    body             text not null,
    body_html        text not null,
    score            integer not null default 0,
    -- Why it was held, one reason per line.
    reasons          text not null default '',
    -- Recognises a second submission of the same form (a double click, a retried POST).
    submission_key   text unique,
    created_at       integer not null,
    updated_at       integer not null
);
create index comments_by_article on comments (article_id, status, id);
create index comments_by_status on comments (status, id);
create index comments_by_email on comments (email_normalized);
create index comments_by_time on comments (created_at);

-- Events counted per key within a window: comments per client address, per email.
create table rate_counters (
    key               text primary key,
    count             integer not null,
    window_started_at integer not null
);

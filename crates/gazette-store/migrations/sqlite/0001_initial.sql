-- Gazette's first SQLite schema. Times are UTC epoch microseconds (integer), passed in from the
-- Clock; booleans are 0/1.

create table settings (
    key        text primary key,
    value      text not null,
    updated_at integer not null
);

create table people (
    id               integer primary key,
    email            text not null,
    email_normalized text not null unique,
    display_name     text not null,
    slug             text not null unique,
    bio              text not null default '',
    role             text not null check (role in ('contributor', 'author', 'editor', 'administrator')),
    password_hash    text,
    active           integer not null default 1,
    created_at       integer not null
);

create table sessions (
    token_hash text primary key,
    person_id  integer not null references people (id) on delete cascade,
    created_at integer not null,
    expires_at integer not null
);
create index sessions_by_person on sessions (person_id);

create table sections (
    id          integer primary key,
    slug        text not null unique,
    name        text not null,
    description text not null default '',
    parent_id   integer references sections (id) on delete restrict
);

create table tags (
    id          integer primary key,
    slug        text not null unique,
    name        text not null,
    description text not null default ''
);

create table articles (
    id                       integer primary key,
    headline                 text not null,
    standfirst               text not null default '',
    slug                     text not null unique,
    body_format              text not null check (body_format in ('markdown', 'html')),
    body_source              text not null,
    body_html                text not null,
    render_version           integer not null,
    excerpt                  text not null default '',
    primary_section_id       integer references sections (id) on delete set null,
    image_src                text,
    image_alt                text not null default '',
    image_caption            text not null default '',
    image_credit             text not null default '',
    genre                    text not null,
    status                   text not null,
    password                 text,
    sticky                   integer not null default 0,
    comments_open            integer not null default 1,
    published_at             integer,
    updated_at               integer not null,
    significantly_updated_at integer,
    corrections              text not null default '',
    legacy_wp_id             integer unique,
    legacy_guid              text,
    created_at               integer not null
);
create index articles_by_status_and_date on articles (status, published_at desc);

create table article_authors (
    article_id integer not null references articles (id) on delete cascade,
    person_id  integer not null references people (id) on delete restrict,
    position   integer not null,
    primary key (article_id, position),
    unique (article_id, person_id)
);
create index article_authors_by_person on article_authors (person_id);

create table article_sections (
    article_id integer not null references articles (id) on delete cascade,
    section_id integer not null references sections (id) on delete cascade,
    position   integer not null,
    primary key (article_id, section_id)
);
create index article_sections_by_section on article_sections (section_id);

create table article_tags (
    article_id integer not null references articles (id) on delete cascade,
    tag_id     integer not null references tags (id) on delete cascade,
    position   integer not null,
    primary key (article_id, tag_id)
);
create index article_tags_by_tag on article_tags (tag_id);

create table pages (
    id             integer primary key,
    parent_id      integer references pages (id) on delete restrict,
    slug           text not null,
    title          text not null,
    body_format    text not null check (body_format in ('markdown', 'html')),
    body_source    text not null,
    body_html      text not null,
    render_version integer not null,
    status         text not null,
    published_at   integer,
    updated_at     integer not null,
    created_at     integer not null
);
-- Root pages have no parent; coalesce so two root pages cannot share a slug.
create unique index pages_path on pages (coalesce(parent_id, 0), slug);

-- The change log. AUTOINCREMENT: ids are never reused, even after pruning.
create table changes (
    id        integer primary key autoincrement,
    kind      text not null,
    entity_id integer,
    at        integer not null
);
create index changes_by_time on changes (at);

create table jobs (
    id            integer primary key,
    kind          text not null,
    payload       text not null,
    dedupe_key    text unique,
    due_at        integer not null,
    status        text not null default 'pending' check (status in ('pending', 'failed')),
    attempts      integer not null default 0,
    max_attempts  integer not null,
    claim_token   text,
    claimed_by    text,
    claimed_until integer,
    last_error    text,
    created_at    integer not null
);
create index jobs_by_due on jobs (status, due_at);

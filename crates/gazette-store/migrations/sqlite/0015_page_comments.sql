-- Comments WordPress showed under pages. Gazette's pages take no comments, so an import keeps
-- these without showing them: an export gives them back with their pages, and the privacy
-- tools reach them like any other comment.
create table page_comments (
    id               integer primary key,
    page_id          integer not null references pages (id) on delete cascade,
    parent_id        integer,
    status           text not null check (status in ('pending', 'approved', 'spam', 'trash')),
    kind             text not null check (kind in ('comment', 'pingback', 'trackback')),
    author_name      text not null,
    -- Private, as in comments.
    author_email     text not null,
    email_normalized text not null,
    author_url       text not null default '',
    author_ip        text,
    body             text not null,
    created_at       integer not null
);
create index page_comments_by_page on page_comments (page_id, id);
create index page_comments_by_email on page_comments (email_normalized);

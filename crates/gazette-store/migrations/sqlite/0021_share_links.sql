-- Share (preview) links: each is a random token (only its SHA-256 is kept) for one article,
-- listed on the article's share page and revocable there. They were signed links nobody could
-- list or revoke before; those stop working.
create table share_links (
    id          integer primary key,
    article_id  integer not null references articles (id) on delete cascade,
    token_hash  text not null unique,
    created_by  integer references people (id) on delete set null,
    created_at  integer not null,
    expires_at  integer not null
);
create index share_links_by_article on share_links (article_id, id);

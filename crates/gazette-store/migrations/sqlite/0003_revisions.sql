-- Revisions: the text of a published article as each save left it.
create table article_revisions (
    id          integer primary key,
    article_id  integer not null references articles (id) on delete cascade,
    saved_at    integer not null,
    saved_by    integer references people (id) on delete set null,
    headline    text not null,
    standfirst  text not null,
    body_format text not null,
    body_source text not null
);
create index article_revisions_by_article on article_revisions (article_id, id);

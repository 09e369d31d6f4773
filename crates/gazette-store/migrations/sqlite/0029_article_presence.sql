-- Who has an article open in the editor: one row per open editor page (`tab`, a random id
-- the page carries), refreshed while the page is open. A row not seen for a while is a page
-- closed without saying so. `taken_over_by` is set when someone else takes the article over
-- from that page.
create table article_presence (
    article_id    integer not null references articles (id) on delete cascade,
    tab           text not null,
    person_id     integer not null references people (id) on delete cascade,
    opened_at     integer not null,
    seen_at       integer not null,
    taken_over_by integer references people (id) on delete set null,
    primary key (article_id, tab)
);
create index article_presence_by_age on article_presence (seen_at);

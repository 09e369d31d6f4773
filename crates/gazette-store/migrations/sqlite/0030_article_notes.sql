-- Editorial notes: staff-only remarks on an article, never shown to readers and never part of
-- its revisions, with the people each note mentions (who are emailed and see it on their
-- dashboard).
create table article_notes (
    id         integer primary key,
    article_id integer not null references articles (id) on delete cascade,
    author_id  integer references people (id) on delete set null,
    body       text not null,
    created_at integer not null
);
create index article_notes_by_article on article_notes (article_id, id);
create table note_mentions (
    note_id   integer not null references article_notes (id) on delete cascade,
    person_id integer not null references people (id) on delete cascade,
    primary key (person_id, note_id)
);

-- Which library files each text names (an article with its revisions and featured image, a
-- page, an author's photo, the publication's settings), kept by a follower of the change log
-- for the media grid's "unused" filter. Deleting an image still checks the texts themselves.
create table media_references (
    owner    text not null check (owner in ('article', 'page', 'person', 'settings')),
    owner_id integer not null,
    path     text not null,
    primary key (owner, owner_id, path)
);
create index media_references_by_path on media_references (path);
-- The change the references include (none yet: the first follower builds them).
create table media_references_position (
    only_row  integer primary key check (only_row = 1),
    change_id integer not null
);

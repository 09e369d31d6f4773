-- What each imported WordPress object became. Old links name WordPress's ids (?cat=7,
-- ?author=2, ?page_id=9, ?attachment_id=12), and a second import of the same export skips
-- what is already here.
create table wordpress_ids (
    kind       text not null check (kind in ('post', 'page', 'attachment', 'category', 'tag', 'author', 'comment')),
    wp_id      integer not null,
    gazette_id integer not null,
    primary key (kind, wp_id)
) without rowid;

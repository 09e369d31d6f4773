-- Authors' photos and links, shown on their archive pages (the bio is on people).
create table author_profiles (
    person_id bigint primary key references people (id) on delete cascade,
    -- A media-store path or an https address.
    photo text,
    -- JSON: [{"label": …, "url": …}, …]
    links text not null default '[]'
);

-- The media library. Files live in the media directory (`path` below it, laid out as
-- WordPress's uploads: 2026/11/harbour.jpg, variants beside it as harbour-640x427.jpg);
-- this table says what they are.
create table media (
    id integer primary key,
    path text not null unique,
    original_name text not null,
    format text not null check (format in ('jpeg', 'png', 'webp', 'gif')),
    width integer not null,
    height integer not null,
    byte_size integer not null,
    animated integer not null default 0,
    alt text not null default '',
    caption text not null default '',
    credit text not null default '',
    -- The widths of the variants written so far, comma-separated; '' until the job has run.
    variant_widths text not null default '',
    uploaded_by integer references people (id) on delete set null,
    created_at integer not null,
    updated_at integer not null
);
create index media_by_age on media (created_at desc, id desc);

-- The library item an article's featured image comes from, for its srcset.
alter table articles add column image_media_id integer references media (id) on delete set null;

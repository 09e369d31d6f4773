-- Redirect rules editors manage: an old path answering with a redirect (or 410 Gone).
create table redirects (
    id integer primary key,
    -- As the editor wrote it.
    source text not null,
    -- What requests are matched by: decoded, lower-cased, no trailing slash.
    source_key text not null unique,
    -- A path on this site or an absolute URL; '' for 410.
    target text not null,
    status integer not null check (status in (301, 302, 307, 308, 410)),
    created_at integer not null,
    updated_at integer not null
);

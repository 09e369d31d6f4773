-- The newsroom: sign-in throttling shared by every node, and every path an article ever had.

-- Failed sign-ins per key ('account:<email>' or 'address:<ip>') within a window.
create table sign_in_throttle (
    key               text primary key,
    failures          integer not null,
    window_started_at integer not null,
    locked_until      integer
);

-- Old public paths of articles, so they answer with a 301 to the current one.
create table article_paths (
    path       text primary key,
    article_id integer not null references articles (id) on delete cascade,
    retired_at integer not null
);
create index article_paths_by_article on article_paths (article_id);

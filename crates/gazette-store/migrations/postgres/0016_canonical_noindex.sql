-- What Yoast and Rank Math let editors set per post, and imports bring: another address that
-- is the article's canonical one (a syndicated copy), and keeping it out of search engines.
alter table articles add column canonical_url text not null default '';
alter table articles add column noindex boolean not null default false;

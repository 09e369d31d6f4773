-- What search engines and sharing cards show, when it should differ from the headline and
-- standfirst.
alter table articles add column seo_title text not null default '';
alter table articles add column seo_description text not null default '';

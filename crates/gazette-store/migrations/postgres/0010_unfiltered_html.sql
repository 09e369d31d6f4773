-- Bodies saved by editors and administrators keep their raw HTML (WordPress's unfiltered_html);
-- everyone else's is sanitised. Re-rendering a body needs to know which it was.
alter table articles add column unfiltered_html boolean not null default false;

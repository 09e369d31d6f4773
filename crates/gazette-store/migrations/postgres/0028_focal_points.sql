-- The point of each library image that crops keep in frame, in percent of its width and
-- height from the top left, and the point the crops on disk were made for (null until the
-- media job has made the first ones; the job catches up after each change).
alter table media add column focus_x bigint not null default 50 check (focus_x between 0 and 100);
alter table media add column focus_y bigint not null default 50 check (focus_y between 0 and 100);
alter table media add column crops_focus_x bigint check (crops_focus_x between 0 and 100);
alter table media add column crops_focus_y bigint check (crops_focus_y between 0 and 100);

-- Images already in the library get their crops (around their centre) from the media job,
-- which finds their variants made and makes only the crops.
insert into jobs (kind, payload, due_at, max_attempts, created_at)
select 'media_variants', '{"media_id":' || id || '}', created_at, 10, created_at
  from media
 where animated = false;

-- Reply notifications: a commenter may ask to hear of replies (double opt-in), and each
-- message is sent once, which these times record.

-- 'none', 'requested' (asked in the form, not yet confirmed) or 'confirmed'.
alter table comments add column reply_subscription text not null default 'none'
    check (reply_subscription in ('none', 'requested', 'confirmed'));
-- When the confirmation request for this comment's subscription was mailed.
alter table comments add column subscription_mailed_at integer;
-- When the author of the comment this one answers was told about it.
alter table comments add column reply_notified_at integer;
-- The comment the reader answered, when the thread was too deep to attach the reply under it
-- (parent_id is then an ancestor); its author is the one told of the reply.
alter table comments add column answered_id integer references comments (id) on delete set null;

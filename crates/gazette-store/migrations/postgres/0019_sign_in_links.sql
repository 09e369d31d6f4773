-- One-time links may now also sign someone in (asked for from the sign-in page when their
-- account is being guessed at).
alter table one_time_tokens drop constraint one_time_tokens_purpose_check;
alter table one_time_tokens add constraint one_time_tokens_purpose_check
    check (purpose in ('reset', 'invite', 'sign_in'));

-- Sign-in throttling keys were the typed email itself; they are keyed hashes now, and rows
-- under the old keys would never be read again.
delete from sign_in_throttle;

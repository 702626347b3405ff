-- An issued month is never rewritten: a change that reaches back into one (an add-on
-- from the middle of a month already invoiced, a plan change completed after its
-- month was issued) is corrected by an adjustment on the first month not yet issued.
-- The month an adjustment corrects, so the next correction of it counts this one.
ALTER TABLE billing_items ADD COLUMN corrects_month TEXT;

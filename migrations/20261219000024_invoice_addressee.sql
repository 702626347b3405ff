-- An invoice is addressed as it was when it was issued: a copy printed after the
-- customer moved or changed name reads as the original did. Invoices issued before
-- this column existed have NULL here and are addressed as the customer is now.
ALTER TABLE invoices ADD COLUMN to_name TEXT;
ALTER TABLE invoices ADD COLUMN to_postal_code TEXT;
ALTER TABLE invoices ADD COLUMN to_address TEXT;

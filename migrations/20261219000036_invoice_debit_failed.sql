-- The day the bank (口座振替) or the card company reported a month's payment failed
-- (`server payments`). An invoice past its payment date was shown 未払い, with "the
-- debit did not go through", on no news at all: now it is お支払い確認中 until its
-- result is reported, 未払い only when the result says so, and お支払い済み when paid
-- (status, paid_on, as before). NULL: no failure reported.
ALTER TABLE invoices ADD COLUMN failed_on TEXT;

-- The bucket labels of a series (first local date of each bucket), in order.
select period
from (
  -- @include buckets.sql
) as win
order by period

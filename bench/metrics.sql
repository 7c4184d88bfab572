-- SPEC §4 window metrics per advisor at the evaluated quarter end and the three before it,
-- the equivalent of `ta-scorecard score` a RevOps analyst would write in DuckDB.
-- {data} is replaced with the folder holding accounts.csv and arr.csv.
WITH arr AS (
    SELECT account_id,
           CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1 AS m,
           sum(arr) AS arr
    FROM read_csv('{data}/arr.csv', header = true,
                  columns = {'account_id': 'VARCHAR', 'month': 'VARCHAR', 'arr': 'DOUBLE'})
    GROUP BY ALL
),
accounts AS (
    SELECT account_id,
           coalesce(nullif(trim(advisor), ''), '(unassigned)') AS advisor,
           TRY_CAST(nullif(health_score, '') AS DOUBLE) AS health
    FROM read_csv('{data}/accounts.csv', header = true, all_varchar = true)
),
bounds AS (SELECT min(m) AS first, max(m) AS last FROM arr),
-- The latest quarter end at or before the last month, then every three months back.
points AS (
    SELECT k, last - ((last % 12 + 1) % 3) - 3 * k AS e, last - ((last % 12 + 1) % 3) - 3 * k - 12 AS s, first
    FROM bounds, range(4) AS t(k)
),
book AS (
    SELECT p.k, p.e, p.s >= p.first AS known, a.advisor, a.health,
           coalesce(x.arr, 0) AS s_arr, coalesce(y.arr, 0) AS e_arr
    FROM accounts a
    CROSS JOIN points p
    LEFT JOIN arr x ON x.account_id = a.account_id AND x.m = p.s
    LEFT JOIN arr y ON y.account_id = a.account_id AND y.m = p.e
),
sums AS (
    SELECT advisor, k, e, bool_and(known) AS known,
           coalesce(sum(s_arr) FILTER (WHERE s_arr > 0), 0) AS start_arr,
           coalesce(sum(e_arr) FILTER (WHERE s_arr > 0), 0) AS end_arr,
           coalesce(sum(s_arr - e_arr) FILTER (WHERE s_arr > 0 AND e_arr > 0 AND e_arr < s_arr), 0) AS contraction,
           coalesce(sum(s_arr) FILTER (WHERE s_arr > 0 AND e_arr = 0), 0) AS churn,
           avg(health) FILTER (WHERE e_arr > 0 AND health IS NOT NULL) AS health_avg
    FROM book
    GROUP BY advisor, k, e
)
SELECT advisor,
       CAST(e // 12 AS VARCHAR) || '-Q' || CAST((e % 12) // 3 + 1 AS VARCHAR) AS quarter,
       CASE WHEN known THEN start_arr END AS start_arr,
       CASE WHEN known THEN end_arr END AS end_arr,
       CASE WHEN known AND start_arr > 0 THEN end_arr / start_arr END AS ndr,
       CASE WHEN known AND start_arr > 0 THEN (start_arr - contraction - churn) / start_arr END AS grr,
       health_avg
FROM sums
ORDER BY advisor, quarter DESC

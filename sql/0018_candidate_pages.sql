-- 0018_candidate_pages.sql: `rozshuk candidates` reads a page of a job's candidates from one
-- index, in the order it shows them.
--
-- The page query ordered by match weight while the index held (job_id, probability): every page
-- sorted all of the job's candidates, and looked up both names and the review state of each of
-- them before the sort kept 100 (at 100,000 records, 56,665 candidates: minutes with stale
-- statistics, 21 s after ANALYZE). Within one job the probability is a non-decreasing function
-- of the match weight (one model, one prior), so (probability DESC, match_weight DESC, person_a,
-- person_b) is the weight's order: the page is the next rows of this index after the cursor,
-- and the same index still serves the clustering's "probability >= threshold" of a job.
SET search_path = rozshuk, public;

DROP INDEX candidate_rank_idx;
CREATE INDEX candidate_rank_idx ON candidate (job_id, probability DESC, match_weight DESC,
                                              person_a, person_b);

-- Secondary indexes of `sla_evaluation` that a first pass over many incidents dropped, to build
-- them again once its evaluations are written (server/src/sla/sla.engine.ts). A row left here
-- means a pass was cut off before it could: the next refresh builds the index first.
create table sla_deferred_index (
  name        text primary key,
  definition  text not null
);

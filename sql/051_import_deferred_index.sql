-- Secondary indexes of `incident` that a bulk load into the empty table dropped, to build them
-- again once it ends (server/src/imports/import.bulk.ts). A row left here means a load was cut
-- off before it could: the next start or import builds the index from its definition.
create table import_deferred_index (
  name        text primary key,
  definition  text not null
);

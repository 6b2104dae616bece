// The tables of a SQL question, under its prompt in the room: the schema every run sets up
// before the case's seed data. Everyone who sees the question sees it (the candidate needs the
// table definitions); hidden cases' seed data never comes here.

export function SqlSchema({ schema }: { schema: string | null | undefined }) {
  if (!schema?.trim()) return null;
  return (
    <section className="room__schema" aria-labelledby="room-schema-title" data-testid="sql-schema">
      <h3 id="room-schema-title" className="room__schema-title">
        Tables (SQL schema)
      </h3>
      <pre className="room__schema-code">{schema.trim()}</pre>
    </section>
  );
}

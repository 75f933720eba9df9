import type { QueryResult, QueryResultRow } from 'pg';

/** What the storage needs of a pool or of one client in a transaction: a parameterised query. */
export interface SqlClient {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

// Package source is Confluent's JDBC source connector,
// io.confluent.connect.jdbc.JdbcSourceConnector, for PostgreSQL, MySQL and
// MariaDB, and SQLite: it copies tables, or the rows of one query, into
// Kafka topics by polling.
//
// Keys, record schemas, and source partitions and offsets are Confluent's,
// so connector files and stored offsets carry over: a table's partition is
// {"protocol": "1", "table": "public.orders"} (bulk mode: {"table":
// "orders"}), a query's {"query": "query"}; offsets are {"incrementing": N}
// and {"timestamp": ms, "timestamp_nanos": ns}. Partitions of versions before
// offset protocol 1, {"table": "orders"}, are read when no other is stored.
//
// The connector lists tables from information_schema (PostgreSQL: every
// schema but the system ones, or schema.pattern; MySQL: the database of the
// URL, or catalog.pattern) or sqlite_master, every table.poll.interval.ms,
// and restarts the tasks when the list changed.
//
// Each task reads its tables in turn, each at most every poll.interval.ms,
// streaming each table's result set across polls, batch.max.rows records per
// poll, so memory does not grow with table size. The timestamp modes only
// read rows older than the database's clock minus
// timestamp.delay.interval.ms.
//
// Known limits, shared with Confluent's connector:
//
//   - incrementing mode misses rows committed out of order: a row whose id is
//     below one already read (a transaction that took its id earlier but
//     committed later) is never read. timestamp+incrementing with a
//     timestamp.delay.interval.ms longer than the longest transaction avoids
//     it.
//   - timestamp mode compares strictly (ts > last). As in Confluent's current
//     TimestampTableQuerier, the stored offset only moves to a timestamp once
//     a row with a later one was read, so rows sharing the timestamp of the
//     last stored offset are never skipped across a restart; they may be
//     read twice. A row written later with a timestamp at or below the stored
//     one is missed. If the task restarts after every poll while more than
//     batch.max.rows rows share one timestamp, it keeps re-reading them.
//   - Deleted rows are never seen; bulk mode re-reads whole tables.
//   - Unconstrained NUMERIC columns (no precision) become Decimal with scale
//     0, rounding half up, as Confluent's; declare NUMERIC(p,s) to keep
//     fractions.
//   - SQLite compares timestamps as text: store them as
//     "2006-01-02 15:04:05[.fraction]" (CURRENT_TIMESTAMP does). A result set
//     left open between polls holds a read lock: use WAL mode so writers are
//     not blocked.
//
// Deliberate differences from Confluent's connector: a configuration with no
// table filter copies every table listed (Confluent 10.9+ validation asks for
// one); a task with no table waits instead of failing; MySQL tables are
// listed in the URL's database unless catalog.pattern says otherwise; an
// unconstrained NUMERIC is never narrowed by numeric.mapping; SQL errors are
// all retried per query.retry.attempts; timestamp.granularity,
// date.calendar.system (proleptic Gregorian is used), max.buffer.size,
// poll.linger.ms and table types other than TABLE and VIEW are not
// supported.
package source

const pluginDoc = `Copies database tables, or the rows of one query, into Kafka topics, as Confluent's JDBC source connector: PostgreSQL, MySQL, MariaDB and SQLite.

Each table goes to the topic topic.prefix + table name, as records whose key is null and whose value is a struct named after the table, one field per column (optional when the column is nullable). The mode decides which rows each poll reads: bulk (all), incrementing (new ids), timestamp (new or updated rows), timestamp+incrementing (both, exact). Stored offsets are Confluent's, so a connector moved from Kafka Connect resumes where it was.`

const pluginExample = "```properties\n" + `name=jdbc-source
connector.class=io.confluent.connect.jdbc.JdbcSourceConnector
connection.url=jdbc:postgresql://localhost:5432/shop
connection.user=connect
connection.password=${file:/etc/connect/db.properties:password}
mode=timestamp+incrementing
incrementing.column.name=id
timestamp.column.name=updated_at
table.whitelist=public.orders
topic.prefix=shop-
` + "```\n\nA row of orders (id 7, updated_at 2024-05-01 10:00:00) becomes a record on shop-orders with the value `Struct{id=7,updated_at=Wed May 01 10:00:00 UTC 2024}` and the source offset `{\"incrementing\":7,\"timestamp\":1714557600000,\"timestamp_nanos\":0}`."

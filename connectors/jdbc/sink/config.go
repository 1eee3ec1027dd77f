package sink

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// The sink's own keys, spelled as Confluent's JdbcSinkConfig.
const (
	KeyInsertMode             = "insert.mode"
	KeyBatchSize              = "batch.size"
	KeyDeleteEnabled          = "delete.enabled"
	KeyTableTypes             = "table.types"
	KeyReplaceNullWithDefault = "replace.null.with.default"
	KeyTableNameFormat        = "table.name.format"
	KeyPKMode                 = "pk.mode"
	KeyPKFields               = "pk.fields"
	KeyFieldsWhitelist        = "fields.whitelist"
	KeyDateTimezone           = "date.timezone"
	KeyStringValueColumn      = "string.output.value.column.name"
	KeyAutoCreate             = "auto.create"
	KeyAutoEvolve             = "auto.evolve"
	KeyMSSQLHoldlock          = "mssql.use.merge.holdlock"
	KeyMaxRetries             = "max.retries"
	KeyRetryBackoff           = "retry.backoff.ms"
)

// Insert modes and primary key modes, as the keys take them.
const (
	modeInsert = "insert"
	modeUpsert = "upsert"
	modeUpdate = "update"

	pkNone        = "none"
	pkKafka       = "kafka"
	pkRecordKey   = "record_key"
	pkRecordValue = "record_value"
)

// defaultKafkaPK are the columns pk.mode=kafka writes when pk.fields is empty.
var defaultKafkaPK = []string{"__connect_topic", "__connect_partition", "__connect_offset"}

const (
	groupWrites  = "Writes"
	groupMapping = "Data Mapping"
	groupDDL     = "DDL Support"
	groupDML     = "DML Support"
	groupRetries = "Retries"
)

func sinkKeys() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name: KeyInsertMode, Type: config.String, Default: modeInsert,
			Validate:   config.OneOf(modeInsert, modeUpsert, modeUpdate),
			Importance: config.High, Group: groupWrites,
			Doc: "How rows are written. insert: plain INSERT, so a record whose primary key is already in the table fails. " +
				"upsert: insert, or update the row with the same primary key (PostgreSQL and SQLite INSERT ... ON CONFLICT, MySQL INSERT ... ON DUPLICATE KEY UPDATE); needs a pk.mode other than none. " +
				"update: UPDATE the row with the record's primary key; records matching no row change nothing.",
		},
		{
			Name: KeyBatchSize, Type: config.Int, Default: int32(3000),
			Validate:   config.AtLeast(0),
			Importance: config.Medium, Group: groupWrites,
			Doc: "How many records of a table go into one multi-row INSERT statement at most. All the records of one delivery from Kafka are written in a single transaction whatever the batch size.",
		},
		{
			Name: KeyDeleteEnabled, Type: config.Bool, Default: false,
			Importance: config.Medium, Group: groupWrites,
			Doc: "Whether a record with a null value (a tombstone) deletes the row with its key. Needs pk.mode=record_key.",
		},
		{
			Name: KeyTableTypes, Type: config.List, Default: []string{"TABLE"},
			Validate: config.Described("a list of TABLE, VIEW, PARTITIONED_TABLE", func(v any) error {
				l, _ := v.([]string)
				for _, s := range l {
					if !tableTypeNames[strings.ToUpper(s)] {
						return fmt.Errorf("unknown table type %q (TABLE, VIEW or PARTITIONED_TABLE)", s)
					}
				}
				return nil
			}),
			Importance: config.Low, Group: groupWrites,
			Doc: "The kinds of database object the sink writes to, comma-separated: TABLE, VIEW, PARTITIONED_TABLE. An object of another kind with the destination's name is treated as missing. Views are never altered.",
		},
		{
			Name: KeyReplaceNullWithDefault, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupWrites,
			Doc: "Whether a null field that has a default value in its schema is written as that default rather than as NULL.",
		},
		{
			Name: KeyTableNameFormat, Type: config.String, Default: "${topic}",
			Validate:   config.NonEmptyString(),
			Importance: config.Medium, Group: groupMapping,
			Doc: "The destination table of a record: ${topic} is replaced by the record's topic, so kafka_${topic} writes topic orders to table kafka_orders. A name with dots is schema.table (PostgreSQL) or database.table (MySQL).",
		},
		{
			Name: KeyPKMode, Type: config.String, Default: pkNone,
			Validate:   config.OneOf(pkNone, pkKafka, pkRecordKey, pkRecordValue),
			Importance: config.High, Group: groupMapping,
			Doc: "Where the primary key columns come from. none: no key. kafka: the record's topic, partition and offset. record_key: the record key, a primitive or a struct. record_value: fields of the record value. See pk.fields.",
		},
		{
			Name: KeyPKFields, Type: config.List, Default: []string{},
			Importance: config.Medium, Group: groupMapping,
			Doc: "The primary key columns, comma-separated; their meaning depends on pk.mode. kafka: three names for topic, partition and offset, by default __connect_topic,__connect_partition,__connect_offset. " +
				"record_key: the key struct's fields to use (all when empty), or the one column name of a primitive key. record_value: the value struct's fields to use (all when empty).",
		},
		{
			Name: KeyFieldsWhitelist, Type: config.List, Default: []string{},
			Importance: config.Medium, Group: groupMapping,
			Doc: "The record value fields written as non-key columns, comma-separated; empty writes them all. Primary key columns are chosen by pk.fields regardless.",
		},
		{
			Name: KeyDateTimezone, Type: config.String, Default: "DB_TIMEZONE",
			Validate:   config.OneOf("DB_TIMEZONE", "UTC"),
			Importance: config.Low, Group: groupMapping,
			Doc: "The timezone DATE values are written in: DB_TIMEZONE, the one db.timezone names, or UTC. A Connect Date is midnight UTC, so with a db.timezone west of UTC and DB_TIMEZONE it lands on the day before; UTC avoids that.",
		},
		{
			Name: KeyStringValueColumn, Type: config.String, Default: "record_value",
			Validate:   config.NonEmptyString(),
			Importance: config.Low, Group: groupMapping,
			Doc: "The column a record value with a String schema (from StringConverter) is written to; created by auto.create, added by auto.evolve. fields.whitelist does not apply to such values.",
		},
		{
			Name: KeyAutoCreate, Type: config.Bool, Default: false,
			Importance: config.Medium, Group: groupDDL,
			Doc: "Whether a missing destination table is created (CREATE TABLE) from the record's key and value schemas, with the primary key pk.mode gives.",
		},
		{
			Name: KeyAutoEvolve, Type: config.Bool, Default: false,
			Importance: config.Medium, Group: groupDDL,
			Doc: "Whether columns for record fields missing from the table are added (ALTER TABLE ... ADD), nullable or with the field's default. Columns are never dropped or changed.",
		},
		{
			Name: KeyMSSQLHoldlock, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupDML,
			Doc: "Whether SQL Server upserts use MERGE ... WITH (HOLDLOCK). Accepted for compatibility; it has no effect, as SQL Server is not supported.",
		},
		{
			Name: KeyMaxRetries, Type: config.Int, Default: int32(10),
			Validate:   config.AtLeast(0),
			Importance: config.Medium, Group: groupRetries,
			Doc: "How many times a failed write is tried again, rolled back and from the start, before the task fails.",
		},
		{
			Name: KeyRetryBackoff, Type: config.Int, Default: int32(3000),
			Validate:   config.AtLeast(0),
			Importance: config.Medium, Group: groupRetries,
			Doc: "Milliseconds to wait after a failed write before trying it again.",
		},
	}}
}

var tableTypeNames = map[string]bool{"TABLE": true, "VIEW": true, "PARTITIONED_TABLE": true}

// newDef is the connector's whole Def: the connection keys, then the sink's.
func newDef() *config.Def {
	return jdbc.ConnectionDef.Merge(sinkKeys())
}

// settings are a task's parsed keys.
type settings struct {
	connector     string // the connector's name, for messages
	insertMode    string
	pkMode        string
	pkFields      []string
	whitelist     map[string]bool
	tableFormat   string
	batchSize     int
	deleteEnabled bool
	replaceNulls  bool
	autoCreate    bool
	autoEvolve    bool
	tableTypes    map[string]bool
	stringColumn  string
	dateUTC       bool
	maxRetries    int
	retryBackoff  time.Duration
	values        config.Values // for jdbc.Connect
}

// parseSettings parses and cross-checks the keys. Every problem is
// reported, each as a *config.KeyError naming its key.
func parseSettings(def *config.Def, raw map[string]string) (*settings, error) {
	v, err := def.Parse(raw)
	if err != nil {
		return nil, err
	}
	s := &settings{
		connector:     raw["name"],
		insertMode:    strings.ToLower(v.String(KeyInsertMode)),
		pkMode:        strings.ToLower(v.String(KeyPKMode)),
		pkFields:      v.List(KeyPKFields),
		whitelist:     make(map[string]bool),
		tableFormat:   strings.TrimSpace(v.String(KeyTableNameFormat)),
		batchSize:     max(v.Int(KeyBatchSize), 1),
		deleteEnabled: v.Bool(KeyDeleteEnabled),
		replaceNulls:  v.Bool(KeyReplaceNullWithDefault),
		autoCreate:    v.Bool(KeyAutoCreate),
		autoEvolve:    v.Bool(KeyAutoEvolve),
		tableTypes:    make(map[string]bool),
		stringColumn:  v.String(KeyStringValueColumn),
		dateUTC:       strings.EqualFold(v.String(KeyDateTimezone), "UTC"),
		maxRetries:    v.Int(KeyMaxRetries),
		retryBackoff:  time.Duration(v.Int(KeyRetryBackoff)) * time.Millisecond,
		values:        v,
	}
	for _, f := range v.List(KeyFieldsWhitelist) {
		s.whitelist[f] = true
	}
	for _, t := range v.List(KeyTableTypes) {
		s.tableTypes[strings.ToUpper(t)] = true
	}
	var errs []error
	keyErr := func(key, format string, args ...any) {
		errs = append(errs, &config.KeyError{Key: key, Err: fmt.Errorf("%w: %s", config.ErrInvalid, fmt.Sprintf(format, args...))})
	}
	if s.deleteEnabled && s.pkMode != pkRecordKey {
		keyErr(KeyDeleteEnabled, "deletes need pk.mode=record_key (the key identifies the row a tombstone deletes), not pk.mode=%s", s.pkMode)
	}
	if s.pkMode == pkKafka && len(s.pkFields) != 0 && len(s.pkFields) != 3 {
		keyErr(KeyPKFields, "pk.mode=kafka takes no fields (for the defaults %s) or exactly three, for topic, partition and offset, not %d", strings.Join(defaultKafkaPK, ","), len(s.pkFields))
	}
	if s.pkMode == pkNone && s.insertMode != modeInsert {
		// Confluent fails upsert at the first write, and runs update
		// without a WHERE clause, rewriting every row of the table.
		keyErr(KeyInsertMode, "insert.mode=%s needs primary key columns to match rows by: set pk.mode to kafka, record_key or record_value", s.insertMode)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

// tableName is the destination of records of topic.
func (s *settings) tableName(topic string) (string, error) {
	name := strings.ReplaceAll(s.tableFormat, "${topic}", topic)
	if name == "" {
		return "", fmt.Errorf("the destination table of topic %q is empty: %s is %q", topic, KeyTableNameFormat, s.tableFormat)
	}
	return name, nil
}

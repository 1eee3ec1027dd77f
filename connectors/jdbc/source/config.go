package source

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/jdbc"
)

// Configuration keys, spelled as Confluent's JdbcSourceConnectorConfig.
const (
	KeyMode                  = "mode"
	KeyIncrementingColumn    = "incrementing.column.name"
	KeyTimestampColumns      = "timestamp.column.name"
	KeyIncrementingMapping   = "incrementing.column.mapping"
	KeyTimestampMapping      = "timestamp.columns.mapping"
	KeyTimestampInitial      = "timestamp.initial"
	KeyValidateNonNull       = "validate.non.null"
	KeyTableWhitelist        = "table.whitelist"
	KeyTableBlacklist        = "table.blacklist"
	KeyTableIncludeList      = "table.include.list"
	KeyTableExcludeList      = "table.exclude.list"
	KeyTableTypes            = "table.types"
	KeyCatalogPattern        = "catalog.pattern"
	KeySchemaPattern         = "schema.pattern"
	KeyQuery                 = "query"
	KeyQueryMasked           = "query.masked"
	KeyQuerySuffix           = "query.suffix"
	KeyQueryRetries          = "query.retry.attempts"
	KeyTopicPrefix           = "topic.prefix"
	KeyPollInterval          = "poll.interval.ms"
	KeyBatchMaxRows          = "batch.max.rows"
	KeyTablePollInterval     = "table.poll.interval.ms"
	KeyTimestampDelay        = "timestamp.delay.interval.ms"
	KeyNumericMapping        = "numeric.mapping"
	KeyNumericPrecisionMap   = "numeric.precision.mapping"
	KeyTransactionIsolation  = "transaction.isolation.mode"
	keyTables                = "tables"         // task config: the tables a task reads
	keyTablesFetched         = "tables.fetched" // task config, as Confluent's
	groupMode                = "Mode"
	groupConnector           = "Connector"
	groupDatabase            = "Database"
	timestampInitialCurrent  = -1
	maxTopicPrefix           = 249
	defaultBatchMaxRows      = 100
	defaultPollIntervalMs    = 5000
	defaultTablePollInterval = 60000
)

// The values of mode.
const (
	ModeBulk                  = "bulk"
	ModeIncrementing          = "incrementing"
	ModeTimestamp             = "timestamp"
	ModeTimestampIncrementing = "timestamp+incrementing"
)

// The values of numeric.mapping.
const (
	numericNone          = "none"
	numericPrecisionOnly = "precision_only"
	numericBestFit       = "best_fit"
	numericBestFitEager  = "best_fit_eager_double"
)

var isolationLevels = []string{"DEFAULT", "READ_UNCOMMITTED", "READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE", "SQL_SERVER_SNAPSHOT"}

var topicPrefixChars = regexp.MustCompile(`[^a-zA-Z0-9._-]`)

func regexList() config.Validator {
	return config.Described("a list of regular expressions", func(v any) error {
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		for _, r := range l {
			if _, err := regexp.Compile(strings.TrimSpace(r)); err != nil {
				return fmt.Errorf("must be a list of regular expressions: %w", err)
			}
		}
		return nil
	})
}

func sourceKeys() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name: KeyTableWhitelist, Type: config.List, Default: []string{},
			Importance: config.Medium, Group: groupDatabase,
			Doc: "Tables to copy, by name (orders) or qualified name (public.orders, shop.orders). Cannot be combined with table.blacklist, nor with table.include.list and the other regular-expression keys.",
		},
		{
			Name: KeyTableBlacklist, Type: config.List, Default: []string{},
			Importance: config.Medium, Group: groupDatabase,
			Doc: "Tables not to copy, by name or qualified name; every other table is copied. Cannot be combined with table.whitelist.",
		},
		{
			Name: KeyTableIncludeList, Type: config.List, Default: []string{}, Validate: regexList(),
			Importance: config.Medium, Group: groupDatabase,
			Doc: "Regular expressions matched against the whole qualified name of each table (public.orders in PostgreSQL, shop.orders in MySQL, orders in SQLite); matching tables are copied. Case-sensitive. Cannot be combined with table.whitelist, table.blacklist, incrementing.column.name or timestamp.column.name: use incrementing.column.mapping and timestamp.columns.mapping with it.",
		},
		{
			Name: KeyTableExcludeList, Type: config.List, Default: []string{}, Validate: regexList(),
			Importance: config.Medium, Group: groupDatabase,
			Doc: "Regular expressions of qualified table names not to copy, among those table.include.list matches. Needs table.include.list.",
		},
		{
			Name: KeyCatalogPattern, Type: config.String,
			Importance: config.Medium, Group: groupDatabase,
			Doc: "SQL LIKE pattern of the catalogs (MySQL databases) whose tables are found. Unset: MySQL looks in the database of connection.url only.",
		},
		{
			Name: KeySchemaPattern, Type: config.String,
			Importance: config.High, Group: groupDatabase,
			Doc: "SQL LIKE pattern of the PostgreSQL schemas whose tables are found. Unset: every schema but the system ones.",
		},
		{
			Name: KeyNumericPrecisionMap, Type: config.Bool, Default: false,
			Importance: config.Low, Group: groupDatabase,
			Doc: "Deprecated: use numeric.mapping. true means numeric.mapping=precision_only when numeric.mapping is unset.",
		},
		{
			Name: KeyNumericMapping, Type: config.String,
			Validate:   config.OneOf(numericNone, numericPrecisionOnly, numericBestFit, numericBestFitEager),
			Importance: config.Low, Group: groupDatabase,
			Doc: "How NUMERIC columns are typed. none: Connect Decimal. precision_only: integers (INT8/16/32/64) for NUMERIC(p,0) with p at most 18. best_fit: as precision_only, and FLOAT64 for NUMERIC(p,s) with s > 0 and p at most 18. best_fit_eager_double: as best_fit, and FLOAT64 for any NUMERIC with a positive scale. DECIMAL columns of MySQL and SQLite are always Decimal, as the JDBC drivers report them as DECIMAL rather than NUMERIC. Unset: none, or precision_only when numeric.precision.mapping=true.",
		},
		{
			Name: KeyMode, Type: config.String, Required: true,
			Validate:   config.In(ModeBulk, ModeTimestamp, ModeIncrementing, ModeTimestampIncrementing),
			Importance: config.High, Group: groupMode,
			Doc: "How each table is read at every poll. bulk: the whole table. incrementing: rows whose strictly increasing column is above the largest seen; updates and deletes are not seen. timestamp: rows whose timestamp column is newer than the latest seen, so new and updated rows; the timestamp need not be unique. timestamp+incrementing: both columns, timestamp first, which gives every row change a unique position.",
		},
		{
			Name: KeyIncrementingColumn, Type: config.String, Default: "",
			Importance: config.Medium, Group: groupMode,
			Doc: "The strictly increasing column of the incrementing modes. It must not be nullable. Empty: the table's auto-increment column (SERIAL, IDENTITY, AUTO_INCREMENT, or SQLite's INTEGER PRIMARY KEY); a custom query needs it set.",
		},
		{
			Name: KeyTimestampColumns, Type: config.List, Default: []string{},
			Importance: config.Medium, Group: groupMode,
			Doc: "The timestamp columns of the timestamp modes. With several, a row's timestamp is the first that is not null (COALESCE), so at least one should not be nullable.",
		},
		{
			Name: KeyTimestampMapping, Type: config.List, Default: []string{}, Validate: mappingValidator(true),
			Importance: config.Medium, Group: groupMode,
			Doc: "With table.include.list: the timestamp columns per table, as regex:[col1|col2],... where each regex is matched against qualified table names. Every table copied must match exactly one.",
		},
		{
			Name: KeyIncrementingMapping, Type: config.List, Default: []string{}, Validate: mappingValidator(false),
			Importance: config.Medium, Group: groupMode,
			Doc: "With table.include.list: the incrementing column per table, as regex:column,... where each regex is matched against qualified table names. Every table copied must match exactly one.",
		},
		{
			Name: KeyTimestampInitial, Type: config.Long,
			Importance: config.Low, Group: groupMode,
			Doc: "Where the timestamp modes start when no offset is stored: milliseconds since the epoch, or -1 for the database's current time. Unset: from the beginning.",
		},
		{
			Name: KeyValidateNonNull, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupMode,
			Doc: "Whether tasks refuse to start when the incrementing column is nullable or every timestamp column is nullable.",
		},
		{
			Name: KeyQuery, Type: config.String, Default: "",
			Importance: config.Medium, Group: groupMode,
			Doc: "A SELECT statement to run instead of copying tables; one task runs it and writes to the topic named by topic.prefix. In the incrementing and timestamp modes a WHERE clause and ORDER BY are appended, so the statement must not end with its own WHERE; wrap it in a subquery (SELECT * FROM (...) AS q) if it needs one.",
		},
		{
			Name: KeyQueryMasked, Type: config.Password,
			Importance: config.Low, Group: groupMode,
			Doc: "As query, for a statement that must not appear in logs.",
		},
		{
			Name: KeyQuerySuffix, Type: config.String, Default: "",
			Importance: config.Low, Group: groupMode,
			Doc: "Text appended to every generated statement, such as FOR UPDATE SKIP LOCKED or a hint.",
		},
		{
			Name: KeyTransactionIsolation, Type: config.String, Default: "DEFAULT",
			Validate:   config.In(isolationLevels...),
			Importance: config.Low, Group: groupMode,
			Doc: "Transaction isolation level of the reading queries: DEFAULT (the database's), READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE. SQL_SERVER_SNAPSHOT needs SQL Server, which is not supported.",
		},
		{
			Name: KeyQueryRetries, Type: config.Int, Default: int32(-1),
			Importance: config.Low, Group: groupMode,
			Doc: "How many failures in a row of one table's query, retried one poll interval apart, fail the task; 0 or less retries forever.",
		},
		{
			Name: KeyTableTypes, Type: config.List, Default: []string{"TABLE"},
			Importance: config.Low, Group: groupConnector,
			Doc: "Kinds of tables copied: TABLE, VIEW, or both.",
		},
		{
			Name: KeyPollInterval, Type: config.Int, Default: int32(defaultPollIntervalMs), Validate: config.AtLeast(0),
			Importance: config.High, Group: groupConnector,
			Doc: "Milliseconds between the starts of two reads of the same table.",
		},
		{
			Name: KeyBatchMaxRows, Type: config.Int, Default: int32(defaultBatchMaxRows), Validate: config.AtLeast(1),
			Importance: config.Low, Group: groupConnector,
			Doc: "Most rows one poll returns; rows are streamed from an open query, so this also bounds the rows held in memory.",
		},
		{
			Name: KeyTablePollInterval, Type: config.Long, Default: int64(defaultTablePollInterval), Validate: config.AtLeast(1),
			Importance: config.Low, Group: groupConnector,
			Doc: "Milliseconds between two looks for added or removed tables; a change restarts the tasks with the new tables.",
		},
		{
			Name: KeyTopicPrefix, Type: config.String, Default: "",
			Validate: config.Described("ASCII letters, digits, '.', '_' and '-', at most 249", func(v any) error {
				s, ok := v.(string)
				if !ok {
					return nil
				}
				if len(s) > maxTopicPrefix {
					return errors.New("topic prefix must not be longer than 249 characters, the longest topic name")
				}
				if topicPrefixChars.MatchString(s) {
					return errors.New("topic prefix must contain only ASCII letters, digits, '.', '_' and '-'")
				}
				return nil
			}),
			Importance: config.High, Group: groupConnector,
			Doc: "Prepended to each table name to make its topic; with query, the whole topic name.",
		},
		{
			Name: KeyTimestampDelay, Type: config.Long, Default: int64(0), Validate: config.AtLeast(0),
			Importance: config.High, Group: groupConnector,
			Doc: "Milliseconds a row must age, by the database clock, before the timestamp modes read it: time for transactions with earlier timestamps to commit.",
		},
	}}
}

func mappingValidator(multi bool) config.Validator {
	desc := "regex:column,..."
	if multi {
		desc = "regex:[col1|col2],..."
	}
	return config.Described(desc, func(v any) error {
		l, ok := v.([]string)
		if !ok {
			return nil
		}
		for _, m := range l {
			if _, err := parseMapping(m, multi); err != nil {
				return err
			}
		}
		return nil
	})
}

// columnMapping is one entry of incrementing.column.mapping or
// timestamp.columns.mapping.
type columnMapping struct {
	table   *regexp.Regexp
	columns []string
}

func parseMapping(m string, multi bool) (columnMapping, error) {
	re, cols, ok := strings.Cut(strings.TrimSpace(m), ":")
	if !ok || strings.Contains(cols, ":") {
		return columnMapping{}, fmt.Errorf("mapping %q: want regex:%s", m, map[bool]string{true: "[col1|col2]", false: "column"}[multi])
	}
	// Java's String.matches matches the whole string.
	r, err := regexp.Compile("^(?:" + strings.TrimSpace(re) + ")$")
	if err != nil {
		return columnMapping{}, fmt.Errorf("mapping %q: %w", m, err)
	}
	cols = strings.TrimSpace(cols)
	if !multi {
		if cols == "" {
			return columnMapping{}, fmt.Errorf("mapping %q: empty column name", m)
		}
		return columnMapping{table: r, columns: []string{cols}}, nil
	}
	inner, ok := strings.CutPrefix(cols, "[")
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return columnMapping{}, fmt.Errorf("mapping %q: the columns must be enclosed in square brackets", m)
	}
	var out []string
	for c := range strings.SplitSeq(inner, "|") {
		if c = strings.TrimSpace(c); c == "" {
			return columnMapping{}, fmt.Errorf("mapping %q: empty column name", m)
		}
		out = append(out, c)
	}
	return columnMapping{table: r, columns: out}, nil
}

// Def returns every key of the connector, the connection keys first.
func Def() *config.Def { return jdbc.ConnectionDef.Merge(sourceKeys()) }

// settings is the parsed, cross-checked configuration.
type settings struct {
	mode             string
	incColumn        string
	tsColumns        []string
	incMapping       []columnMapping
	tsMapping        []columnMapping
	tsInitial        *int64
	validateNonNull  bool
	whitelist        []string
	blacklist        []string
	include          []*regexp.Regexp
	exclude          []*regexp.Regexp
	tableTypes       []string
	catalogPattern   *string
	schemaPattern    *string
	query            string
	queryMasked      bool
	suffix           string
	retries          int
	topicPrefix      string
	pollInterval     int64 // ms
	batchMaxRows     int
	tablePoll        int64 // ms
	delay            int64 // ms
	numericMapping   string
	isolation        string
	usesIncrementing bool
	usesTimestamp    bool
}

func nonEmpty(l []string) []string {
	var out []string
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func compileAll(l []string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, s := range nonEmpty(l) {
		out = append(out, regexp.MustCompile("^(?:"+s+")$")) // checked by regexList
	}
	return out
}

// newSettings reads parsed values and checks the rules between keys,
// returning every problem joined, each a *config.KeyError.
func newSettings(v config.Values) (*settings, error) {
	s := &settings{
		mode:            v.String(KeyMode),
		incColumn:       strings.TrimSpace(v.String(KeyIncrementingColumn)),
		tsColumns:       nonEmpty(v.List(KeyTimestampColumns)),
		validateNonNull: v.Bool(KeyValidateNonNull),
		whitelist:       nonEmpty(v.List(KeyTableWhitelist)),
		blacklist:       nonEmpty(v.List(KeyTableBlacklist)),
		include:         compileAll(v.List(KeyTableIncludeList)),
		exclude:         compileAll(v.List(KeyTableExcludeList)),
		tableTypes:      nonEmpty(v.List(KeyTableTypes)),
		query:           strings.TrimSpace(v.String(KeyQuery)),
		suffix:          strings.TrimSpace(v.String(KeyQuerySuffix)),
		retries:         v.Int(KeyQueryRetries),
		topicPrefix:     strings.TrimSpace(v.String(KeyTopicPrefix)),
		pollInterval:    int64(v.Int(KeyPollInterval)),
		batchMaxRows:    v.Int(KeyBatchMaxRows),
		tablePoll:       v.Long(KeyTablePollInterval),
		delay:           v.Long(KeyTimestampDelay),
		isolation:       v.String(KeyTransactionIsolation),
	}
	s.usesIncrementing = s.mode == ModeIncrementing || s.mode == ModeTimestampIncrementing
	s.usesTimestamp = s.mode == ModeTimestamp || s.mode == ModeTimestampIncrementing
	for _, m := range nonEmpty(v.List(KeyIncrementingMapping)) {
		cm, _ := parseMapping(m, false) // checked by the key's validator
		s.incMapping = append(s.incMapping, cm)
	}
	for _, m := range nonEmpty(v.List(KeyTimestampMapping)) {
		cm, _ := parseMapping(m, true)
		s.tsMapping = append(s.tsMapping, cm)
	}
	if v.Get(KeyTimestampInitial) != nil {
		n := v.Long(KeyTimestampInitial)
		s.tsInitial = &n
	}
	if v.Get(KeyCatalogPattern) != nil {
		p := v.String(KeyCatalogPattern)
		s.catalogPattern = &p
	}
	if v.Get(KeySchemaPattern) != nil {
		p := v.String(KeySchemaPattern)
		s.schemaPattern = &p
	}
	s.numericMapping = strings.ToLower(v.String(KeyNumericMapping))
	if s.numericMapping == "" {
		s.numericMapping = numericNone
		if v.Bool(KeyNumericPrecisionMap) {
			s.numericMapping = numericPrecisionOnly
		}
	}
	if masked := v.Password(KeyQueryMasked).Value(); strings.TrimSpace(masked) != "" {
		s.queryMasked = true
		if s.query != "" {
			return nil, errors.Join(
				keyErr(KeyQuery, "query and query.masked cannot both be set"),
				keyErr(KeyQueryMasked, "query and query.masked cannot both be set"))
		}
		s.query = strings.TrimSpace(masked)
	}
	return s, errors.Join(s.check()...)
}

func keyErr(key, msg string) error {
	return &config.KeyError{Key: key, Err: fmt.Errorf("%w: %s", config.ErrInvalid, msg)}
}

// check applies Confluent's rules between keys.
func (s *settings) check() []error {
	var errs []error
	queryKey := KeyQuery
	if s.queryMasked {
		queryKey = KeyQueryMasked
	}
	legacy := len(s.whitelist) > 0 || len(s.blacklist) > 0
	regexes := len(s.include) > 0 || len(s.exclude) > 0
	mappings := len(s.incMapping) > 0 || len(s.tsMapping) > 0
	if s.query != "" {
		if legacy || regexes {
			errs = append(errs, keyErr(queryKey, "a query cannot be combined with table.whitelist, table.blacklist, table.include.list or table.exclude.list"))
		}
		if fields := strings.Fields(s.query); len(fields) == 0 || !strings.EqualFold(fields[0], "SELECT") {
			errs = append(errs, keyErr(queryKey, "only SELECT statements are supported"))
		}
		if s.usesIncrementing && s.incColumn == "" {
			errs = append(errs, keyErr(KeyIncrementingColumn, "must be set with mode="+s.mode+" and a query: there is no table to find an auto-increment column in"))
		}
		if mappings {
			errs = append(errs, keyErr(KeyMode, "incrementing.column.mapping and timestamp.columns.mapping do not apply to a query; use incrementing.column.name and timestamp.column.name"))
		}
		if s.topicPrefix == "" {
			errs = append(errs, keyErr(KeyTopicPrefix, "must be set with a query: it is the topic name"))
		}
	} else {
		if len(s.whitelist) > 0 && len(s.blacklist) > 0 {
			errs = append(errs, keyErr(KeyTableBlacklist, "table.whitelist and table.blacklist cannot both be set"))
		}
		if len(s.exclude) > 0 && len(s.include) == 0 {
			errs = append(errs, keyErr(KeyTableExcludeList, "needs table.include.list: the exclude list only applies to tables the include list matches"))
		}
		oldColumns := s.incColumn != "" || len(s.tsColumns) > 0
		if (legacy || oldColumns) && (regexes || mappings) {
			errs = append(errs, keyErr(KeyTableIncludeList, "table.whitelist, table.blacklist, incrementing.column.name and timestamp.column.name cannot be mixed with table.include.list, table.exclude.list, incrementing.column.mapping and timestamp.columns.mapping"))
		}
		if regexes || mappings {
			if s.usesTimestamp && len(s.tsMapping) == 0 {
				errs = append(errs, keyErr(KeyTimestampMapping, "must be set with mode="+s.mode+" and table.include.list"))
			}
			if !s.usesTimestamp && len(s.tsMapping) > 0 {
				errs = append(errs, keyErr(KeyTimestampMapping, "only applies to mode=timestamp and mode=timestamp+incrementing"))
			}
			if s.usesIncrementing && len(s.incMapping) == 0 {
				errs = append(errs, keyErr(KeyIncrementingMapping, "must be set with mode="+s.mode+" and table.include.list"))
			}
			if !s.usesIncrementing && len(s.incMapping) > 0 {
				errs = append(errs, keyErr(KeyIncrementingMapping, "only applies to mode=incrementing and mode=timestamp+incrementing"))
			}
		}
	}
	if s.usesTimestamp && len(s.tsColumns) == 0 && len(s.tsMapping) == 0 {
		errs = append(errs, keyErr(KeyTimestampColumns, "must name at least one column with mode="+s.mode))
	}
	if s.isolation == "SQL_SERVER_SNAPSHOT" {
		errs = append(errs, keyErr(KeyTransactionIsolation, "SQL_SERVER_SNAPSHOT needs a SQL Server database"))
	}
	if s.tsInitial != nil && *s.tsInitial < timestampInitialCurrent {
		errs = append(errs, keyErr(KeyTimestampInitial, "must be -1 (the current time) or milliseconds since the epoch"))
	}
	for _, t := range s.tableTypes {
		if u := strings.ToUpper(t); u != "TABLE" && u != "VIEW" {
			errs = append(errs, keyErr(KeyTableTypes, fmt.Sprintf("%q is not supported: TABLE and VIEW are", t)))
		}
	}
	return errs
}

// columnsFor returns the incrementing and timestamp columns of a table,
// from the mappings when they are used.
func (s *settings) columnsFor(t tableID) (inc string, ts []string, err error) {
	inc, ts = s.incColumn, s.tsColumns
	name := t.unquoted()
	if s.usesIncrementing && len(s.incMapping) > 0 {
		m, err := matchOne(s.incMapping, name, KeyIncrementingMapping)
		if err != nil {
			return "", nil, err
		}
		inc = m.columns[0]
	}
	if s.usesTimestamp && len(s.tsMapping) > 0 {
		m, err := matchOne(s.tsMapping, name, KeyTimestampMapping)
		if err != nil {
			return "", nil, err
		}
		ts = m.columns
	}
	return inc, ts, nil
}

func matchOne(ms []columnMapping, table, key string) (columnMapping, error) {
	var found []columnMapping
	for _, m := range ms {
		if m.table.MatchString(table) {
			found = append(found, m)
		}
	}
	switch len(found) {
	case 0:
		return columnMapping{}, fmt.Errorf("%s: table %s matches none of the mappings", key, table)
	case 1:
		return found[0], nil
	}
	return columnMapping{}, fmt.Errorf("%s: table %s matches more than one mapping", key, table)
}

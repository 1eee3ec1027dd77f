package hdfs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/rotation"
)

// The connector classes: Confluent's HDFS 2 sink and its HDFS 3 successor,
// which share their keys and file layout.
const (
	Class  = "io.confluent.connect.hdfs.HdfsSinkConnector"
	Class3 = "io.confluent.connect.hdfs3.Hdfs3SinkConnector"
)

// The connector's own keys, spelled as Confluent's.
const (
	KeyHDFSURL        = "hdfs.url"
	KeyStoreURL       = "store.url"
	KeyFormatClass    = "format.class"
	KeyStorageClass   = "storage.class"
	KeyHadoopConfDir  = "hadoop.conf.dir"
	KeyHadoopHome     = "hadoop.home"
	KeyHiveIntegrate  = "hive.integration"
	KeyHiveMetastore  = "hive.metastore.uris"
	KeyHiveConfDir    = "hive.conf.dir"
	KeyHiveHome       = "hive.home"
	KeyHiveDatabase   = "hive.database"
	KeyHiveTableName  = "hive.table.name"
	KeyKerberos       = "hdfs.authentication.kerberos"
	KeyPrincipal      = "connect.hdfs.principal"
	KeyKeytab         = "connect.hdfs.keytab"
	KeyNamenodePrinc  = "hdfs.namenode.principal"
	KeyKerberosRenew  = "kerberos.ticket.renew.period.ms"
	KeyRetryBackoff   = "retry.backoff.ms"
	KeyShutdownTimout = "shutdown.timeout.ms"
)

const (
	groupHDFS     = "HDFS"
	groupHive     = "Hive"
	groupSecurity = "Security"
	groupStorage  = "Storage"
)

// The package prefixes of the HDFS 3 connector's format classes, which
// name the same formats as the HDFS 2 connector's.
const (
	hdfs3Package = "io.confluent.connect.hdfs3."
	hdfs2Package = "io.confluent.connect.hdfs."
)

// formatClasses are the format.class values the HDFS sinks accept.
var formatClasses = []string{format.HDFSAvro, format.HDFSParquet, format.HDFSJSON, format.HDFSString}

// lookupFormat finds a format.class of either connector.
func lookupFormat(class string) (format.Plugin, error) {
	if rest, ok := strings.CutPrefix(class, hdfs3Package); ok {
		class = hdfs2Package + rest
	}
	for _, c := range formatClasses {
		if c == class {
			p, _ := format.Lookup(c)
			return p, nil
		}
	}
	return format.Plugin{}, fmt.Errorf("unknown format %q: want one of %s, or the same classes in %s", class, strings.Join(formatClasses, ", "), hdfs3Package)
}

// unsupported accepts only the value false for a boolean feature this
// build does not have, so that validation names the key.
func unsupported(feature, instead string) config.Validator {
	return config.Described("false; "+feature+" is not supported", func(v any) error {
		if b, ok := v.(bool); ok && b {
			return fmt.Errorf("%s is not supported by connect-standalone; %s", feature, instead)
		}
		return nil
	})
}

func def(defaultFormat string) *config.Def {
	own := &config.Def{Keys: []config.Key{
		{
			Name: KeyHDFSURL, Type: config.String, Default: "",
			Importance: config.High, Group: groupHDFS,
			Doc: "The file system the files are written to: a directory (a plain path or a file:// URL) or an HDFS namenode (hdfs://host:port, with an optional base path). Either this or store.url is required; store.url wins when both are set.",
		},
		{
			Name: KeyStoreURL, Type: config.String, Default: "",
			Importance: config.High, Group: groupHDFS,
			Doc: "The newer name of hdfs.url, used in its place when set.",
		},
		{
			Name: KeyFormatClass, Type: config.Class, Default: defaultFormat,
			Validate: config.Described("an HDFS format class (Avro, Parquet, Json or String)", func(v any) error {
				if s, ok := v.(string); ok {
					_, err := lookupFormat(s)
					return err
				}
				return nil
			}),
			Importance: config.High, Group: groupStorage,
			Doc: "The format of the files: AvroFormat (.avro object container files), ParquetFormat (.parquet, snappy), JsonFormat (.json, one JSON value per line) or StringFormat (.txt, one value per line), in io.confluent.connect.hdfs.<avro|parquet|json|string> or the same names under io.confluent.connect.hdfs3.",
		},
		{
			Name: KeyStorageClass, Type: config.Class, Default: "io.confluent.connect.hdfs.storage.HdfsStorage",
			Importance: config.High, Group: groupStorage, Status: config.NotUsedYet,
			Doc: "Accepted for compatibility: the store is chosen by the scheme of store.url or hdfs.url.",
		},
		{
			Name: KeyHadoopConfDir, Type: config.String, Default: "",
			Importance: config.High, Group: groupHDFS,
			Doc: "The Hadoop configuration directory holding core-site.xml and hdfs-site.xml, read for fs.defaultFS (used by hdfs:/// URLs), the namenodes of an HA nameservice named in hdfs.url, and the data transfer settings.",
		},
		{
			Name: KeyHadoopHome, Type: config.String, Default: "",
			Importance: config.High, Group: groupHDFS, Status: config.NotUsedYet,
			Doc: "The Hadoop home directory. Not needed: no Hadoop installation is used.",
		},
		{
			Name: KeyRetryBackoff, Type: config.Long, Default: int64(5000),
			Validate:   config.AtLeast(0),
			Importance: config.Low, Group: groupHDFS, Status: config.NotUsedYet,
			Doc: "Accepted for compatibility. A task whose store fails is restarted by the worker with the backoff of task.restart.backoff.ms, and resumes from its committed files.",
		},
		{
			Name: KeyShutdownTimout, Type: config.Long, Default: int64(3000),
			Validate:   config.AtLeast(0),
			Importance: config.Medium, Group: groupHDFS, Status: config.NotUsedYet,
			Doc: "Accepted for compatibility: nothing runs in the background to wait for at shutdown.",
		},
		{
			Name: KeyHiveIntegrate, Type: config.Bool, Default: false,
			Validate:   unsupported("Hive integration", "set hive.integration=false and define an external Hive table over <topics.dir>/<topic> yourself"),
			Importance: config.High, Group: groupHive,
			Doc: "Whether to create and update Hive tables over the files. Hive integration is not supported: only false is accepted.",
		},
		{Name: KeyHiveMetastore, Type: config.String, Default: "", Importance: config.High, Group: groupHive, Status: config.NotUsedYet,
			Doc: "The Hive metastore URIs. Not used: Hive integration is not supported."},
		{Name: KeyHiveConfDir, Type: config.String, Default: "", Importance: config.High, Group: groupHive, Status: config.NotUsedYet,
			Doc: "The Hive configuration directory. Not used: Hive integration is not supported."},
		{Name: KeyHiveHome, Type: config.String, Default: "", Importance: config.High, Group: groupHive, Status: config.NotUsedYet,
			Doc: "The Hive home directory. Not used: Hive integration is not supported."},
		{Name: KeyHiveDatabase, Type: config.String, Default: "default", Importance: config.High, Group: groupHive, Status: config.NotUsedYet,
			Doc: "The Hive database. Not used: Hive integration is not supported."},
		{Name: KeyHiveTableName, Type: config.String, Default: "${topic}", Importance: config.Low, Group: groupHive, Status: config.NotUsedYet,
			Doc: "The Hive table name pattern. Not used: Hive integration is not supported."},
		{
			Name: KeyKerberos, Type: config.Bool, Default: false,
			Validate:   unsupported("Kerberos authentication to HDFS", "use a cluster with simple authentication (the user is HADOOP_USER_NAME or the OS user), or a local directory"),
			Importance: config.High, Group: groupSecurity,
			Doc: "Whether HDFS is reached with Kerberos. Kerberos is not supported: only false is accepted.",
		},
		{Name: KeyPrincipal, Type: config.String, Default: "", Importance: config.High, Group: groupSecurity, Status: config.NotUsedYet,
			Doc: "The Kerberos principal of the connector. Not used: Kerberos is not supported."},
		{Name: KeyKeytab, Type: config.String, Default: "", Importance: config.High, Group: groupSecurity, Status: config.NotUsedYet,
			Doc: "The Kerberos keytab of the connector. Not used: Kerberos is not supported."},
		{Name: KeyNamenodePrinc, Type: config.String, Default: "", Importance: config.High, Group: groupSecurity, Status: config.NotUsedYet,
			Doc: "The namenode's Kerberos principal. Not used: Kerberos is not supported."},
		{Name: KeyKerberosRenew, Type: config.Long, Default: int64(3600000), Importance: config.Low, Group: groupSecurity, Status: config.NotUsedYet,
			Doc: "The Kerberos ticket renewal period. Not used: Kerberos is not supported."},
	}}
	// Every format's keys are declared, so that any format.class validates.
	d := own.Merge(rotation.Def, partition.Def)
	for _, c := range formatClasses {
		p, _ := format.Lookup(c)
		d = d.Merge(p.Def)
	}
	return d
}

// Plugin returns the io.confluent.connect.hdfs.HdfsSinkConnector plugin.
func Plugin() connectors.Plugin { return plugin(Class, format.HDFSAvro) }

// Plugin3 returns the io.confluent.connect.hdfs3.Hdfs3SinkConnector plugin.
func Plugin3() connectors.Plugin { return plugin(Class3, hdfs3Package+"avro.AvroFormat") }

func plugin(class, defaultFormat string) connectors.Plugin {
	d := def(defaultFormat)
	return connectors.Plugin{
		Class:   class,
		Kind:    connectors.KindSink,
		Version: connectors.Version,
		Def:     d,
		Doc:     pluginDoc,
		Example: pluginExample,
		NewSink: func() connectors.SinkConnector { return &connector{def: d} },
	}
}

type connector struct {
	def   *config.Def
	props map[string]string
}

func (c *connector) Config() *config.Def { return c.def }

// Start checks what the keys alone cannot: a store to write to.
func (c *connector) Start(ctx context.Context, cc connectors.ConnectorContext, cfg config.Values) error {
	if storeURL(cfg) == "" {
		return errors.New("hdfs.url or store.url is required: the directory or hdfs:// namenode to write files to")
	}
	c.props = maps.Clone(cfg.Raw())
	return nil
}

// TaskConfigs gives every task the connector's config; the consumer group
// spreads the partitions over them.
func (c *connector) TaskConfigs(maxTasks int) ([]map[string]string, error) {
	return connectors.CopyTaskConfigs(c.props, maxTasks), nil
}

func (c *connector) Stop(ctx context.Context) error { return nil }

func (c *connector) NewTask() connectors.SinkTask { return &task{def: c.def} }

// storeURL is store.url, or hdfs.url when it is unset.
func storeURL(v config.Values) string {
	if u := strings.TrimSpace(v.String(KeyStoreURL)); u != "" {
		return u
	}
	return strings.TrimSpace(v.String(KeyHDFSURL))
}

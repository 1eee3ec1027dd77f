package s3

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors/storage/format"
	"github.com/connect-standalone/connect-standalone/connectors/storage/partition"
	"github.com/connect-standalone/connect-standalone/connectors/storage/rotation"
)

// The connector's own keys, spelled as Confluent's S3SinkConnectorConfig
// and storage-common.
const (
	KeyBucket                  = "s3.bucket.name"
	KeyRegion                  = "s3.region"
	KeyStoreURL                = "store.url"
	KeyPathStyle               = "s3.path.style.access.enabled"
	KeyPartSize                = "s3.part.size"
	KeyAccessKeyID             = "aws.access.key.id"
	KeySecretAccessKey         = "aws.secret.access.key"
	KeySSEAlgorithm            = "s3.ssea.name"
	KeySSECustomerKey          = "s3.sse.customer.key"
	KeySSEKMSKeyID             = "s3.sse.kms.key.id"
	KeyCannedACL               = "s3.acl.canned"
	KeyWANMode                 = "s3.wan.mode"
	KeyCompressionType         = "s3.compression.type"
	KeyCompressionLevel        = "s3.compression.level"
	KeyPartRetries             = "s3.part.retries"
	KeyRetryBackoff            = "s3.retry.backoff.ms"
	KeyProxyURL                = "s3.proxy.url"
	KeyProxyUser               = "s3.proxy.user"
	KeyProxyPassword           = "s3.proxy.password"
	KeyExpectContinue          = "s3.http.send.expect.continue"
	KeyNullValues              = "behavior.on.null.values"
	KeyRotateOnPartitionChange = "rotate.file.on.partition.change"
	KeyStoreKafkaKeys          = "store.kafka.keys"
	KeyStoreKafkaHeaders       = "store.kafka.headers"
	KeyFormatClass             = "format.class"
	KeyStorageClass            = "storage.class"
)

// StorageClass is the only storage.class the S3 sink has.
const StorageClass = "io.confluent.connect.s3.storage.S3Storage"

// DefaultPartSize is s3.part.size's default, 25 MiB; minPartSize is the
// smallest part S3 accepts in a multipart upload, except for the last.
const (
	DefaultPartSize = 25 << 20
	minPartSize     = 5 << 20
)

const (
	groupS3      = "S3"
	groupStorage = "Storage"
)

// formatClasses are the format.class values of the S3 sink.
var formatClasses = []string{format.S3Avro, format.S3JSON, format.S3Parquet, format.S3ByteArray}

var cannedACLs = []string{"private", "public-read", "public-read-write", "authenticated-read",
	"aws-exec-read", "bucket-owner-read", "bucket-owner-full-control"}

func ownDef() *config.Def {
	return &config.Def{Keys: []config.Key{
		{
			Name: KeyBucket, Type: config.String, Required: true,
			Validate:   config.NonEmptyString(),
			Importance: config.High, Group: groupS3,
			Doc: "The bucket objects are written to. It must exist: tasks check it when they start.",
		},
		{
			Name: KeyRegion, Type: config.String, Default: "us-west-2",
			Validate:   config.NonEmptyString(),
			Importance: config.Medium, Group: groupS3,
			Doc: "The AWS region of the bucket, also used to sign requests to a store.url endpoint.",
		},
		{
			Name: KeyPartSize, Type: config.Int, Default: int32(DefaultPartSize),
			Validate:   config.Between(minPartSize, math.MaxInt32),
			Importance: config.High, Group: groupS3,
			Doc: "The size in bytes of the parts of the multipart uploads objects are written with, at least 5 MiB (5242880). A part is uploaded as soon as the object being written has that many bytes, so a task holds about one part per open object in memory, plus what the format buffers before writing (Avro blocks, Parquet row groups).",
		},
		{
			Name: KeyAccessKeyID, Type: config.String, Default: "",
			Importance: config.High, Group: groupS3,
			Doc: "The AWS access key ID. When it and aws.secret.access.key are blank, credentials come from the default AWS chain: the AWS_* environment variables, the shared credentials and config files (AWS_PROFILE), web identity tokens, and the ECS or EC2 instance metadata.",
		},
		{
			Name: KeySecretAccessKey, Type: config.Password,
			Importance: config.High, Group: groupS3,
			Doc: "The AWS secret access key that goes with aws.access.key.id. Write it as a config provider reference such as ${file:/etc/secrets/s3.properties:secret} to keep it out of the connector file.",
		},
		{
			Name: KeySSEAlgorithm, Type: config.String, Default: "",
			Validate:   config.In("", "AES256", "aws:kms"),
			Importance: config.Low, Group: groupS3,
			Doc: "The server-side encryption algorithm of the objects: AES256 (with s3.sse.customer.key for SSE-C), aws:kms (with s3.sse.kms.key.id), or blank for the bucket's default.",
		},
		{
			Name: KeySSECustomerKey, Type: config.Password,
			Importance: config.Low, Group: groupS3,
			Doc: "The base64-encoded 256-bit key of SSE-C encryption, used when s3.ssea.name is AES256.",
		},
		{
			Name: KeySSEKMSKeyID, Type: config.String, Default: "",
			Importance: config.Low, Group: groupS3,
			Doc: "The AWS KMS key used when s3.ssea.name is aws:kms.",
		},
		{
			Name: KeyCannedACL, Type: config.String,
			Validate:   config.In(append([]string{""}, cannedACLs...)...),
			Importance: config.Low, Group: groupS3,
			Doc: "A canned ACL given to every object, such as bucket-owner-full-control.",
		},
		{
			Name: KeyWANMode, Type: config.Bool, Default: false,
			Importance: config.Medium, Group: groupS3,
			Doc: "Use the S3 Transfer Acceleration endpoint of the bucket.",
		},
		{
			Name: KeyCompressionType, Type: config.String, Default: "none",
			Validate:   config.In("none", "gzip"),
			Importance: config.Low, Group: groupS3,
			Doc: "Compression of the objects of JsonFormat and ByteArrayFormat: none or gzip, which adds .gz to their names. Avro and Parquet compress with avro.codec and parquet.codec instead.",
		},
		{
			Name: KeyCompressionLevel, Type: config.Int, Default: int32(-1),
			Validate:   config.Between(-1, 9),
			Importance: config.Low, Group: groupS3,
			Doc: "The gzip level of s3.compression.type=gzip, from 0 (none) to 9 (best); -1 is gzip's default.",
		},
		{
			Name: KeyPartRetries, Type: config.Int, Default: int32(3),
			Validate:   config.AtLeast(0),
			Importance: config.Medium, Group: groupS3,
			Doc: "How many times a failed S3 request is retried, when the AWS client deems it retryable (throttling, server errors, timeouts); 0 disables retries.",
		},
		{
			Name: KeyRetryBackoff, Type: config.Long, Default: int64(200),
			Validate:   config.AtLeast(0),
			Importance: config.Low, Group: groupS3,
			Doc: "The wait in milliseconds before the first retry of a failed S3 request. Each further retry may wait up to twice as long as the one before, with random jitter.",
		},
		{
			Name: KeyProxyURL, Type: config.String, Default: "",
			Importance: config.Low, Group: groupS3,
			Doc: "The URL of an HTTP proxy to reach S3 through, such as http://proxy:3128.",
		},
		{
			Name: KeyProxyUser, Type: config.String,
			Importance: config.Low, Group: groupS3,
			Doc: "The user of s3.proxy.url, so that the URL need not hold it.",
		},
		{
			Name: KeyProxyPassword, Type: config.Password,
			Importance: config.Low, Group: groupS3,
			Doc: "The password of s3.proxy.user; unlike one written in s3.proxy.url it is hidden in logs.",
		},
		{
			Name: KeyExpectContinue, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupS3,
			Doc: "Send Expect: 100-continue with large uploads, so that S3 can refuse a part before its body is sent.",
		},
		{
			Name: KeyNullValues, Type: config.String, Default: "fail",
			Validate:   config.OneOf("fail", "ignore"),
			Importance: config.Low, Group: groupS3,
			Doc: "What to do with records whose value is null (tombstones): fail stops the task with an error naming the record, ignore skips them. Confluent's write option, which needs store.kafka.keys, is not supported.",
		},
		{
			Name: KeyRotateOnPartitionChange, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupS3,
			Doc: "With rotate.interval.ms and a time-based partitioner, commit the open objects of a Kafka partition when a record belongs to another encoded partition than the record before it.",
		},
		{
			Name: KeyStoreKafkaKeys, Type: config.Bool, Default: false,
			Validate:   notSupported("writing record keys to their own objects is not supported"),
			Importance: config.Low, Group: groupS3,
			Doc: "Confluent's option to write record keys to objects of their own. Only false is supported.",
		},
		{
			Name: KeyStoreKafkaHeaders, Type: config.Bool, Default: false,
			Validate:   notSupported("writing record headers to their own objects is not supported"),
			Importance: config.Low, Group: groupS3,
			Doc: "Confluent's option to write record headers to objects of their own. Only false is supported.",
		},
		{
			Name: KeyPathStyle, Type: config.Bool, Default: true,
			Importance: config.Low, Group: groupS3,
			Doc: "Address the bucket in the URL path (https://host/bucket/key) rather than in the host name (https://bucket.host/key). S3-compatible stores such as MinIO usually need path style.",
		},
		{
			Name: KeyStoreURL, Type: config.String, Default: "",
			Importance: config.High, Group: groupStorage,
			Doc: "The endpoint of an S3-compatible store, such as http://localhost:9000 for MinIO; https:// is assumed without a scheme. Blank means AWS S3 in s3.region.",
		},
		{
			Name: KeyStorageClass, Type: config.Class, Default: StorageClass,
			Validate:   config.In(StorageClass),
			Importance: config.High, Group: groupStorage,
			Doc: "The storage layer, " + StorageClass + ", the only one there is. Confluent requires it; here it may be left out.",
		},
		{
			Name: KeyFormatClass, Type: config.Class, Required: true,
			Validate:   config.In(formatClasses...),
			Importance: config.High, Group: groupStorage,
			Doc: "The format of the objects: " + format.S3Avro + " (.avro), " + format.S3JSON + " (.json, one value per line), " + format.S3Parquet + " (.<codec>.parquet) or " + format.S3ByteArray + " (.bin, raw bytes).",
		},
		{
			Name: partition.KeyTopicsDir, Type: config.String, Default: "topics",
			Importance: config.High, Group: groupStorage,
			Doc: "The top-level prefix of the objects: a record goes to <topics.dir>/<topic>/<encoded partition>/<topic>+<kafka partition>+<start offset>.<extension>, the parts joined by directory.delim. Blank leaves the prefix out.",
		},
		{
			Name: rotation.KeyRotateInterval, Type: config.Long, Default: int64(-1),
			Importance: config.High, Group: "Rotation",
			Doc: "The time interval in milliseconds after which the open objects of a Kafka partition are committed, measured by the time-based partitioner's timestamp extractor from the first record of the objects: with the Record or RecordField extractor it is record time, so a replay cuts the same objects. It is checked when a record arrives and at each offset commit, and ignored (with a warning) when the partitioner is not time-based. -1 disables it.",
		},
	}}
}

func notSupported(why string) config.Validator {
	return config.Described("false", func(v any) error {
		if b, ok := v.(bool); ok && b {
			return errors.New(why)
		}
		return nil
	})
}

// newDef is the connector's Def: its own keys, the partitioner's (without
// logs.dir, as S3 has no write-ahead log), the rotation keys and the keys
// of every S3 format.
func newDef() *config.Def {
	parts := &config.Def{Keys: slices.DeleteFunc(slices.Clone(partition.Def.Keys), func(k config.Key) bool {
		return k.Name == partition.KeyLogsDir
	})}
	d := ownDef().Merge(parts, rotation.Def)
	for _, c := range formatClasses {
		p, _ := format.Lookup(c)
		d = d.Merge(p.Def)
	}
	return d
}

// settings is a task's parsed configuration.
type settings struct {
	bucket         string
	region         string
	endpoint       string // "" for AWS
	pathStyle      bool
	accelerate     bool
	expectContinue bool
	partSize       int
	accessKeyID    string
	secretKey      config.Secret
	sseAlgorithm   string
	sseKMSKeyID    string
	sseCustomerKey config.Secret
	acl            string
	retries        int
	backoff        time.Duration
	proxy          *url.URL // nil: none

	gzip        bool
	gzipLevel   int
	ignoreNulls bool

	topicsDir   string
	delim       string
	padWidth    int
	onPartition bool // rotate.file.on.partition.change, when it applies

	format      format.Format
	ext         string
	partitioner partition.Partitioner
	compat      rotation.Compatibility
	policy      rotation.Policy
}

// newSettings checks what Def cannot: the combinations of keys, the
// partitioner and the format. now is the clock of the partitioner and the
// rotation timers.
func newSettings(v config.Values, log *slog.Logger, now func() time.Time) (*settings, error) {
	s := &settings{
		bucket:         v.String(KeyBucket),
		region:         strings.TrimSpace(v.String(KeyRegion)),
		pathStyle:      v.Bool(KeyPathStyle),
		accelerate:     v.Bool(KeyWANMode),
		expectContinue: v.Bool(KeyExpectContinue),
		partSize:       v.Int(KeyPartSize),
		accessKeyID:    strings.TrimSpace(v.String(KeyAccessKeyID)),
		secretKey:      v.Password(KeySecretAccessKey),
		sseAlgorithm:   v.String(KeySSEAlgorithm),
		sseKMSKeyID:    v.String(KeySSEKMSKeyID),
		sseCustomerKey: v.Password(KeySSECustomerKey),
		acl:            v.String(KeyCannedACL),
		retries:        v.Int(KeyPartRetries),
		backoff:        v.Duration(KeyRetryBackoff),
		gzip:           v.String(KeyCompressionType) == "gzip",
		gzipLevel:      v.Int(KeyCompressionLevel),
		ignoreNulls:    strings.EqualFold(v.String(KeyNullValues), "ignore"),
		topicsDir:      v.String(partition.KeyTopicsDir),
		delim:          v.String(partition.KeyDirectoryDelim),
		padWidth:       v.Int(partition.KeyZeroPadWidth),
		compat:         rotation.Compatibility(strings.ToUpper(v.String(rotation.KeySchemaCompatibility))),
	}
	var errs []error
	if (s.accessKeyID == "") != (strings.TrimSpace(s.secretKey.Value()) == "") {
		errs = append(errs, fmt.Errorf("%s and %s must be set together, or both left blank to use the default AWS credentials chain", KeyAccessKeyID, KeySecretAccessKey))
	}
	if u := strings.TrimSpace(v.String(KeyStoreURL)); u != "" {
		if !strings.Contains(u, "://") {
			u = "https://" + u
		}
		if _, err := url.Parse(u); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", KeyStoreURL, err))
		}
		s.endpoint = u
	}
	if p := strings.TrimSpace(v.String(KeyProxyURL)); p != "" {
		u, err := url.Parse(p)
		if err != nil || u.Host == "" {
			errs = append(errs, fmt.Errorf("%s: %q is not a proxy URL such as http://proxy:3128", KeyProxyURL, p))
		} else {
			if user := v.String(KeyProxyUser); user != "" {
				u.User = url.UserPassword(user, v.Password(KeyProxyPassword).Value())
			}
			s.proxy = u
		}
	}
	if s.sseAlgorithm == "AES256" && s.sseCustomerKey.Value() != "" {
		if err := checkCustomerKey(s.sseCustomerKey.Value()); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", KeySSECustomerKey, err))
		}
	}

	class := v.String(KeyFormatClass)
	fp, ok := format.Lookup(class)
	if !ok {
		errs = append(errs, fmt.Errorf("%s: unknown format %q", KeyFormatClass, class))
	} else if f, err := fp.New(v); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", KeyFormatClass, err))
	} else {
		s.format, s.ext = f, f.Extension()
		// As Confluent, gzip wraps only the line formats; Avro and Parquet
		// compress inside the file.
		if s.gzip && (class == format.S3JSON || class == format.S3ByteArray) {
			s.ext += ".gz"
		} else {
			s.gzip = false
		}
	}

	p, err := partition.New(v, now)
	if err != nil {
		errs = append(errs, err)
	} else {
		s.partitioner = p
		pol, err := rotation.NewPolicy(v, p, now)
		if err != nil {
			errs = append(errs, err)
		}
		if _, timeBased := p.(*partition.TimeBased); !timeBased && pol.IntervalMs > 0 {
			// Confluent measures rotate.interval.ms only with the
			// timestamp extractor of a time-based partitioner.
			log.Warn(fmt.Sprintf("%s is set to %dms but the partitioner is not time-based; it is ignored", rotation.KeyRotateInterval, pol.IntervalMs))
			pol.IntervalMs = -1
		}
		s.policy = pol
		s.onPartition = v.Bool(KeyRotateOnPartitionChange) && pol.IntervalMs > 0
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return s, nil
}

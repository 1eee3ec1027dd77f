package partition

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// DefaultZeroPadWidth is filename.offset.zero.pad.width's default.
const DefaultZeroPadWidth = 10

// fileDelim separates the parts of a committed file's name. Kafka topic
// names cannot contain it (they are [a-zA-Z0-9._-]), which is what makes
// the names parseable.
const fileDelim = "+"

// CommittedName is the HDFS sink's name of a committed file holding the
// offsets start to end of one Kafka partition:
// <topic>+<partition>+<start>+<end><ext>, the offsets zero-padded to pad
// digits. ext includes its dot, e.g. ".avro".
func CommittedName(topic string, partition int32, start, end int64, pad int, ext string) string {
	return topic + fileDelim + strconv.FormatInt(int64(partition), 10) +
		fileDelim + padOffset(start, pad) + fileDelim + padOffset(end, pad) + ext
}

// ObjectName is the S3 sink's name of an object starting at offset start:
// <topic>+<partition>+<start><ext>, start zero-padded to pad digits.
func ObjectName(topic string, partition int32, start int64, pad int, ext string) string {
	return topic + fileDelim + strconv.FormatInt(int64(partition), 10) + fileDelim + padOffset(start, pad) + ext
}

// padOffset pads as Confluent's String.format("%0"+pad+"d"); a negative
// offset keeps its sign before the zeros.
func padOffset(o int64, pad int) string {
	s := strconv.FormatInt(o, 10)
	neg := o < 0
	if neg {
		s = s[1:]
	}
	if n := pad - len(s) - btoi(neg); n > 0 {
		s = strings.Repeat("0", n) + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ErrNotCommitted is wrapped by ParseCommittedName for names that are not
// committed files, which recovery skips.
var ErrNotCommitted = errors.New("not a committed file name")

// CommittedFile is what a committed file's name says.
type CommittedFile struct {
	Topic       string
	Partition   int32
	Start, End  int64
	Extension   string // with its dot, or ""
	PaddedWidth int    // the offsets' width as written
}

// ParseCommittedName reads a name CommittedName wrote, with any extension
// and padding width. It is strict, because the HDFS sink takes its offsets
// from these names: the topic must be a legal Kafka topic name, the
// partition and offsets unsigned decimal numbers that fit int32 and int64,
// and start <= end. A name with a directory part is rejected. Errors wrap
// ErrNotCommitted.
func ParseCommittedName(name string) (CommittedFile, error) {
	bad := func(why string) (CommittedFile, error) {
		return CommittedFile{}, fmt.Errorf("%w: %q: %s", ErrNotCommitted, name, why)
	}
	parts := strings.Split(name, fileDelim)
	if len(parts) != 4 {
		return bad(fmt.Sprintf("want 4 parts separated by %q, got %d", fileDelim, len(parts)))
	}
	topic := parts[0]
	if err := checkTopic(topic); err != nil {
		return bad(err.Error())
	}
	last := parts[3]
	i := 0
	for i < len(last) && isDigit(last[i]) {
		i++
	}
	endDigits, ext := last[:i], last[i:]
	if ext != "" && (ext[0] != '.' || strings.ContainsAny(ext, "/\\\x00")) {
		return bad("the extension must start with '.' right after the end offset")
	}
	partition, err := parseUnsigned(parts[1], 31)
	if err != nil {
		return bad("partition: " + err.Error())
	}
	start, err := parseUnsigned(parts[2], 63)
	if err != nil {
		return bad("start offset: " + err.Error())
	}
	end, err := parseUnsigned(endDigits, 63)
	if err != nil {
		return bad("end offset: " + err.Error())
	}
	if start > end {
		return bad("start offset after end offset")
	}
	return CommittedFile{
		Topic:       topic,
		Partition:   int32(partition),
		Start:       start,
		End:         end,
		Extension:   ext,
		PaddedWidth: len(parts[2]),
	}, nil
}

// parseUnsigned accepts ASCII digits only: no sign, no spaces, no
// underscores, which strconv would otherwise let through in some forms.
func parseUnsigned(s string, bits int) (int64, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, fmt.Errorf("%q is not a decimal number", s)
		}
	}
	n, err := strconv.ParseInt(s, 10, bits+1)
	if err != nil {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return n, nil
}

// checkTopic applies Kafka's rules for topic names (Topic.validate).
func checkTopic(t string) error {
	switch {
	case t == "":
		return errors.New("empty topic")
	case t == "." || t == "..":
		return fmt.Errorf("topic %q is not allowed", t)
	case len(t) > 249:
		return errors.New("topic is longer than 249 characters")
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("topic %q contains %q, not legal in a Kafka topic name", t, c)
		}
	}
	return nil
}

// Layout places a storage sink's files under topics.dir and logs.dir. Paths
// use "/" whatever the platform, as HDFS and S3 keys do; the zero Layout
// uses Kafka's defaults "topics" and "logs".
type Layout struct {
	TopicsDir string
	LogsDir   string
}

func (l Layout) topicsDir() string {
	if l.TopicsDir == "" {
		return "topics"
	}
	return l.TopicsDir
}

func (l Layout) logsDir() string {
	if l.LogsDir == "" {
		return "logs"
	}
	return l.LogsDir
}

// CommittedDir is <topics.dir>/<topic>/<encoded partition>, where committed
// files of that partition go.
func (l Layout) CommittedDir(topic, encodedPartition string) string {
	return path.Join(l.topicsDir(), topic, encodedPartition)
}

// TopicDir is <topics.dir>/<topic>, below which all committed files of
// the topic are.
func (l Layout) TopicDir(topic string) string {
	return path.Join(l.topicsDir(), topic)
}

// TempDir is <topics.dir>/+tmp/<topic>, below which the HDFS sink writes
// the topic's files before committing them.
func (l Layout) TempDir(topic string) string {
	return path.Join(l.topicsDir(), "+tmp", topic)
}

// TempFile is <topics.dir>/+tmp/<topic>/<encoded partition>/<id>_tmp<ext>,
// where the HDFS sink writes a file before committing it. id is unique per
// file, a random UUID in Confluent's sink.
func (l Layout) TempFile(topic, encodedPartition, id, ext string) string {
	return path.Join(l.topicsDir(), "+tmp", topic, encodedPartition, id+"_tmp"+ext)
}

// WAL is <logs.dir>/<topic>/<kafka partition>/log, the HDFS sink's
// write-ahead log of one Kafka partition.
func (l Layout) WAL(topic string, partition int32) string {
	return path.Join(l.logsDir(), topic, strconv.FormatInt(int64(partition), 10), "log")
}
